"""Step 3: the terrain's energy balance toward energieneutraal 2035."""

import streamlit as st

from appui import shell, state, ui
from kansenkaart.core import fmt, texts
from kansenkaart.engine import privacy
from kansenkaart.engine.measures import SCOPE_LABELS
from kansenkaart.views import charts

shell.frame()
terrain = state.current_terrain()
ui.page_header("Energiebalans 2035", "Stap 3 · Kansen identificeren", terrain)
st.caption(
    f"Gerekend met de aannames '{state.current_assumptions().label}' "
    "(aan te passen op de pagina Aannames)."
)

balance = state.terrain_balance()
with ui.tile_row():
    st.metric("Verbruik per jaar", fmt.energy(balance.demand_kwh_yr), border=True)
    st.metric(
        "Zon nu per jaar",
        fmt.energy(balance.generation_kwh_yr_present),
        help=f"{fmt.percent(balance.share_present)} van het verbruik",
        border=True,
    )
    st.metric(
        "Met alle daken vol",
        fmt.percent(balance.share_with_roofs),
        help="Aandeel van het verbruik dat zon op alle geschikte daken zou opwekken.",
        border=True,
    )
    st.metric(
        "Nog nodig voor 2035",
        fmt.power(max(balance.kwp_needed, 0)),
        help="Extra zonvermogen om het huidige tekort te dichten: energieneutraal "
        "in 2035.",
        border=True,
    )
for sentence in balance.sentences():
    st.markdown(f"- {sentence}")

left, right = st.columns(2)
left.vega_lite_chart(charts.energy_balance_figure(balance))
right.vega_lite_chart(charts.demand_source_figure(state.analysis().buildings))

st.subheader("Wat de maatregelen samen opleveren")
totals = state.measure_totals()
# Formatted here so the table reads Dutch whatever the browser's locale.
figures = {
    "kwp": ("Zon (kWp)", 1e0),
    "kwh_yr": ("Opwek/besparing (MWh/jaar)", 1e3),
    "co2_kg_yr": ("CO₂ vermeden (ton/jaar)", 1e3),
    "invest_eur": ("Investering (k€)", 1e3),
}
shown = totals[["measure_name", "scope", "n_companies"]].assign(
    scope=totals["scope"].map(SCOPE_LABELS)
)
for column, (label, divisor) in figures.items():
    shown[label] = fmt.numbers(totals[column] / divisor).replace(texts.UNKNOWN, "–")
shown["Openbaar te tonen"] = totals["privacy_ok"].map(texts.yes_no)
st.dataframe(
    shown.rename(
        columns={
            "measure_name": "Maatregel",
            "scope": "Soort",
            "n_companies": "Bedrijven",
        }
    ),
    hide_index=True,
    column_config={
        "Openbaar te tonen": st.column_config.TextColumn(
            help="Totalen over minder dan "
            f"{privacy.min_group(state.current_assumptions())} bedrijven horen "
            "niet in een openbare presentatie."
        ),
    },
)
st.caption(
    "Collectieve maatregelen tellen dezelfde zonnepanelen als 'zon op eigen "
    "dak'; tel de regels dus niet op."
)
