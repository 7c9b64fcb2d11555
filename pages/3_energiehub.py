"""Step 3-4: energy hub / group contract in quarter hours, with a battery."""

import streamlit as st

from appui import hub as charts
from appui import shell, state, ui
from kansenkaart.core import fmt
from kansenkaart.engine import groups, hub, privacy
from kansenkaart.engine.profiles import BASIS_MEASURED, BASIS_STANDARD
from kansenkaart.views import hubfigures

shell.frame()
terrain = state.current_terrain()
ui.page_header("Energiehub", "Stap 3–4 · Kansen en collectieve maatregelen", terrain)
a = state.current_assumptions()
result = state.analysis()
table = groups.of_measure(result.groups, None)
table = table[table["measure_id"].isin(["energy_hub", "collectieve_batterij"])]
table = table.sort_values(
    "n_companies", ascending=False, kind="stable"
)  # largest first
if table.empty:
    st.info("Dit terrein heeft geen energiehub- of batterijgroep (geen krap net).")
    st.stop()

left, right = st.columns([2, 1])
label = left.selectbox("Groep", table["name"].tolist())
variant = right.radio(
    "Weergave", list(privacy.VARIANTS), index=1, format_func=privacy.VARIANTS.get
)
group = table[table["name"] == label].iloc[0]
members = result.buildings[
    result.buildings["building_id"].astype(str).isin(group["member_ids"])
]
charts.meterdata_panel(members, variant == privacy.INTERN)
with_roofs = st.toggle("Met zon op alle geschikte daken (bestaand + ruimte)")
profiles = state.hub_profiles(with_roofs)
rows = hub.members(profiles.ids, group["member_ids"])
use, pv = profiles.use_kw[rows], profiles.pv_kw[rows]
default = hub.default_limit_kw(use)
share_limit = st.slider(
    "Grens van het groepscontract, % van wat de huidige aansluitingen dragen",
    50,
    120,
    round(100 * a.hub_group_limit_share.value),
    5,
    help="100 % = de som van de eigen pieken van de leden: "
    f"{fmt.number(default, 0, 'kW')}. Op een krap net (Capaciteitskaart) "
    "is er niet meer ruimte dan dat.",
)
limit = default * share_limit / 100
share = st.slider("Batterij: binnen de grens in dit deel van het jaar (%)", 90, 100, 99)

listed = hubfigures.redacted(state.hub_summaries(), result.buildings, variant, a)
listed = listed[listed["group_id"] == group["group_id"]]
shown = bool(len(listed)) and hubfigures.shown(listed.iloc[0])
bases = [profiles.bases[r] for r in rows]
n_own = bases.count(BASIS_MEASURED)
st.caption(
    f"Indicatief. Basis per pand: {n_own} × {BASIS_MEASURED}, "
    f"{len(bases) - n_own} × {BASIS_STANDARD}. {profiles.basis} "
    + (
        "Eigen meetdata: de gemeten levering en teruglevering op de aansluiting."
        if n_own
        else "Geen eigen meetdata geladen: standaardprofielen hebben per categorie "
        "dezelfde vorm, dus de deelwinst is een ondergrens."
    )
)
b = hub.balance(use, pv, limit)
net = (use - pv).sum(axis=0)
battery = hub.size_battery(net, limit, share / 100, a)
if not shown:
    reason = listed["note"].iloc[0] if len(listed) else "leden zonder toestemming"
    st.info(
        "De cijfers en het profiel van deze groep worden in de openbare "
        f"weergave niet getoond: {reason}. Kies bij Weergave *Intern* om ze "
        "zelf te zien.",
        icon=":material/visibility_off:",
    )
    st.stop()
tiles = ui.tile_row()
tiles.metric(
    "Deelwinst piek",
    fmt.number(b.sharing_gain_kw, 0, "kW"),
    help="Som van de eigen pieken min de gezamenlijke piek.",
    border=True,
)
tiles.metric(
    "Uren boven de grens", fmt.number(b.hours_above_limit, 0, "uur"), border=True
)
tiles.metric(
    "Besparing groepscontract",
    fmt.euro(hub.sharing_savings_eur_yr(use, pv, a)) + " per jaar",
    help="Lager transporttarief (kW contract en kW max per maand) als de groep "
    "als één aansluiting wordt afgerekend.",
    border=True,
)
tiles.metric(
    "Extra zon binnen de groep",
    fmt.energy(b.self_use_gain_kwh, " per jaar"),
    border=True,
)
tiles.metric("Teruglevering", fmt.energy(b.feed_in_kwh, " per jaar"), border=True)

st.subheader("Batterij")
if battery.energy_kwh == 0:
    st.markdown(
        "Geen batterij nodig: de groep blijft binnen de grens in het gekozen deel."
    )
else:
    payback = (
        fmt.number(battery.payback_yr, 0, "jaar")
        if battery.savings_eur_yr > 0
        else "geen (geen besparing)"
    )
    st.markdown(
        f"Kleinste batterij: **{fmt.number(battery.energy_kwh, 0, 'kWh')}**, "
        f"**{fmt.number(battery.power_kw, 0, 'kW')}**; uren boven de grens "
        f"{fmt.number(battery.hours_above_before, 0)} → "
        f"{fmt.number(battery.hours_above_after, 0)}, piek "
        f"{fmt.number(battery.peak_before_kw, 0, 'kW')} → "
        f"{fmt.number(battery.peak_after_kw, 0, 'kW')}. Investering "
        f"{fmt.euro(battery.invest_eur)}; besparing "
        f"{fmt.euro(battery.savings_eur_yr)} per jaar (transporttarief "
        f"{fmt.euro(battery.grid_savings_eur_yr)}, opgeslagen zonnestroom "
        f"{fmt.euro(battery.solar_savings_eur_yr)}); terugverdientijd {payback}."
    )
st.caption(f"Regel: {hub.DISPATCH_RULE}")
st.caption(hub.method_text(profiles.basis, a, share_limit / 100, share / 100))

if variant == privacy.INTERN:
    st.dataframe(
        charts.basis_table([profiles.ids[r] for r in rows], bases, use),
        hide_index=True,
    )
st.plotly_chart(charts.duration_curve(net, limit))
st.plotly_chart(charts.peak_week(use.sum(axis=0), pv.sum(axis=0), limit))
st.plotly_chart(charts.monthly_balance(use.sum(axis=0), pv.sum(axis=0)))
