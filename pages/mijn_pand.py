"""Step 3: Mijn pand – an entrepreneur's own building, what-if and overview."""

import re

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from kansenkaart.core import fmt, schema
from kansenkaart.engine import privacy, search, solar, whatif
from kansenkaart.engine.opportunities import opportunity_list
from kansenkaart.views import legend, maps, report
from pages import ui

terrain = ui.current_terrain()
analysis = ui.current_analysis()
key = ui.terrain_key()
a_key = ui.assumptions_key()
ui.page_header("Mijn pand", "Stap 3 · Kansen identificeren", terrain)
st.markdown(
    "Zoek uw pand op adres, op postcode en huisnummer of op bedrijfsnaam, of klik "
    "het aan op de kaart. U ziet wat uw pand kan: zonnepanelen, verplichtingen, "
    "maatregelen en de initiatieven op het terrein waar u aan kunt meedoen. Kloppen "
    "uw gegevens niet? Pas ze aan; dat blijft in uw browser en alles rekent direct "
    "mee."
)

SELECTED = "mp_selected"  # terrain key -> building id
CORRECTIONS = "mp_corrections"  # (terrain key, building id) -> {field: value}
RESET = "mp_reset"  # (terrain key, building id) -> widget generation
CLICK = "mp_click"


@st.cache_resource(max_entries=8, show_spinner=False)
def search_index(terrain_key: str, _analysis) -> search.SearchIndex:
    return search.build_index(_analysis)


@st.cache_resource(max_entries=8, show_spinner="Kaart voorbereiden…")
def map_data(terrain_key: str, _analysis, _terrain) -> maps.MapData:
    return maps.prepare(_analysis, _terrain)


@st.cache_data(max_entries=8, show_spinner="Kansen op een rij zetten…")
def opportunities(terrain_key: str, assumptions_key: tuple, _analysis):
    return opportunity_list(_analysis)


@st.cache_resource(max_entries=32, show_spinner="Opnieuw rekenen met uw gegevens…")
def what_if(terrain_key, assumptions_key, building_id, corrections, _terrain, _a):
    analysed = whatif.apply(_terrain, building_id, corrections, _a)
    return analysed, opportunity_list(analysed)


def select(building_id: str) -> None:
    st.session_state.setdefault(SELECTED, {})[key] = building_id


def markdown_text(text: str) -> str:
    """Data text shown literally in markdown: no emphasis, links, icons, formulas
    or lists."""
    inline = re.sub(r"([\\`*_\[\]<>$~|:])", r"\\\1", str(text))
    inline = re.sub(r"^(\s*)([#>+-])", r"\1\\\2", inline, flags=re.M)
    return re.sub(r"^(\s*\d+)\.", r"\1\\.", inline, flags=re.M)


ids = analysis["building_id"].astype(str).tolist()
index = search_index(key, analysis)
labels = dict(zip(index.building_id, index.label, strict=True))
shown = st.session_state.get(SELECTED, {}).get(key)
shown = shown if shown in ids else None


def on_query(widget_key: str) -> None:
    best = search.search(index, st.session_state[widget_key] or "").best
    if best:
        select(best)


def on_pick(widget_key: str) -> None:
    if st.session_state[widget_key]:
        select(st.session_state[widget_key])


@st.fragment
def search_box() -> None:
    """Typing reruns only this part; a new choice reruns the page."""
    query_key = f"mp_query|{key}"
    query = st.text_input(
        "Zoek uw pand",
        key=query_key,
        type="search",
        live="500ms",
        on_change=on_query,
        args=(query_key,),
        placeholder="Bijv. Industrieweg 3, 9301 ZZ 12a of Bakker Metaal",
        help="Typfouten mogen: de best passende panden staan bovenaan. Postcode "
        "mag met of zonder spatie, huisnummer met letter als 12a, 12 A of 12-A.",
    )
    current = st.session_state.get(SELECTED, {}).get(key)
    if query:
        result = search.search(index, query, limit=25)
        if result.message:
            (st.info if result.found else st.warning)(
                markdown_text(result.message), icon=":material/search:"
            )
        options = result.matches["building_id"].tolist()
        pick_key = f"mp_pick|{key}|{query}|{current}"
        st.selectbox(
            "Gevonden panden",
            options,
            index=options.index(current) if current in options else None,
            format_func=labels.get,
            key=pick_key,
            on_change=on_pick,
            args=(pick_key,),
            placeholder="Kies uw pand",
        )
    if current != shown:
        st.rerun()


col_search, col_map = st.columns([2, 3])
with col_search:
    search_box()
    if shown is None:
        st.caption("Of klik op de kaart op uw pand.")
with col_map:
    data = map_data(key, analysis, terrain)
    position = ids.index(shown) if shown else None
    returned = st_folium(
        maps.base_map(data),
        key="mp_map",
        height=330,
        use_container_width=True,
        feature_group_to_add=maps.building_group(
            [
                ("zon", data.solar),
                ("selectie", maps.selection_spec(len(ids), position)),
            ],
            "Gebouwen: zonnepotentieel",
        ),
        returned_objects=["last_active_drawing", "last_object_clicked"],
        center=data.centers[position].tolist() if position is not None else None,
        zoom=17 if position is not None else None,
    )
    with st.expander(f"Legenda: {data.solar.title}"):
        st.table(legend.styled(legend.legend_table(data.solar)))
        st.caption(maps.OFFLINE_NOTE)

clicked = maps.clicked_position(returned)
click = (key, clicked, str(returned.get("last_object_clicked")))
if clicked is not None and click != st.session_state.get(CLICK):
    st.session_state[CLICK] = click
    select(ids[clicked])
    st.rerun()

if shown is None:
    st.info(
        "Nog geen pand gekozen. Zoek hierboven uw adres of bedrijf, of klik op de "
        "kaart.",
        icon=":material/storefront:",
    )
    st.stop()

# --- the chosen building, with the entrepreneur's corrections -----------------

building = (key, shown)
stored = st.session_state.setdefault(CORRECTIONS, {}).setdefault(building, {})
corrections = whatif.Corrections(**stored)
a = ui.current_assumptions()
if corrections.empty:
    analysed, olist = analysis, opportunities(key, a_key, analysis)
else:
    analysed, olist = what_if(key, a_key, shown, corrections, terrain, a)
overview = report.building_overview(analysed, shown, terrain, olist)
original = terrain.buildings.iloc[whatif.position(terrain.buildings, shown)]
base_row = analysis.iloc[ids.index(shown)]

st.divider()
st.subheader(markdown_text(overview.company or overview.address))
st.caption(f"{overview.address} · BAG-pand {overview.building_id}")
if not corrections.empty:
    changed = [schema.BUILDINGS.column(name).label for name in corrections.data()] + [
        text
        for text, value in (
            ("aantal panelen", corrections.pv_panels),
            ("stroomprijs", corrections.elec_price_eur_per_kwh),
        )
        if value is not None
    ]
    st.info(
        f"U rekent met uw eigen gegevens ({', '.join(changed)}). Dat geldt alleen "
        "in deze browsersessie.",
        icon=":material/edit:",
    )

main, side = st.columns([3, 1.25], gap="large")


def widget_key(field: str) -> str:
    generation = st.session_state.get(RESET, {}).get(building, 0)
    return f"mp|{key}|{shown}|{field}|{generation}"


def on_correct(field: str, default) -> None:
    value = st.session_state[widget_key(field)]
    if value is None or value == default:
        stored.pop(field, None)
    else:
        stored[field] = value


def reset() -> None:
    stored.clear()
    resets = st.session_state.setdefault(RESET, {})
    resets[building] = resets.get(building, 0) + 1


def given(name: str):
    """The data's value of a building column, None when unknown."""
    value = original.get(name)
    return None if pd.isna(value) else value


with side, st.container(border=True):
    st.markdown("**Klopt dit niet? Reken met uw eigen gegevens**")
    for field, label, estimate, step in (
        ("elec_kwh_yr", "Stroomverbruik (kWh per jaar)", "elec_kwh_yr_est", 1000.0),
        ("gas_m3_yr", "Gasverbruik (m³ per jaar)", "gas_m3_yr_est", 100.0),
        ("pv_kwp_existing", "Zonnepanelen nu (kWp)", None, 1.0),
    ):
        default = None if given(field) is None else float(given(field))
        st.number_input(
            label,
            min_value=0.0,
            value=stored.get(field, default),
            step=step,
            format="%.0f" if step >= 100 else "%.1f",
            key=widget_key(field),
            on_change=on_correct,
            args=(field, default),
            placeholder="onbekend"
            if estimate is None
            else f"geschat: {fmt.number(base_row[estimate], 0)}",
            help="Staat op uw jaarafrekening." if estimate else None,
        )
    label_now = stored.get("energy_label", given("energy_label"))
    st.selectbox(
        "Energielabel",
        schema.ENERGY_LABELS,
        index=None if label_now is None else schema.ENERGY_LABELS.index(label_now),
        key=widget_key("energy_label"),
        on_change=on_correct,
        args=("energy_label", given("energy_label")),
        placeholder="onbekend",
    )
    owner_default = given("ownership") or "onbekend"
    st.selectbox(
        "Eigenaar of huurder",
        schema.OWNERSHIP,
        index=schema.OWNERSHIP.index(stored.get("ownership", owner_default)),
        key=widget_key("ownership"),
        on_change=on_correct,
        args=("ownership", owner_default),
    )
    st.markdown("**Speel met zon**")
    most = whatif.room_for_panels(analysed, shown)
    if most > 0:
        st.slider(
            "Aantal nieuwe panelen",
            min_value=0,
            max_value=most,
            value=min(stored.get("pv_panels", most), most),
            key=widget_key("pv_panels"),
            on_change=on_correct,
            args=("pv_panels", most),
            help=f"Er passen er hoogstens {most} bij op uw dak.",
        )
    else:
        st.caption("Op uw dak is geen ruimte (meer) voor extra panelen.")
    price = float(
        solar.electricity_price(
            analysis["grid_connection"].iloc[[ids.index(shown)]], a
        ).iloc[0]
    )
    st.number_input(
        "Uw stroomprijs (€ per kWh)",
        min_value=0.0,
        max_value=5.0,
        value=stored.get("elec_price_eur_per_kwh", price),
        step=0.01,
        format="%.2f",
        key=widget_key("elec_price_eur_per_kwh"),
        on_change=on_correct,
        args=("elec_price_eur_per_kwh", price),
        help="Incl. energiebelasting, excl. btw; standaard de aanname voor uw "
        "aansluiting.",
    )
    st.button(
        "Terug naar de oorspronkelijke gegevens",
        on_click=reset,
        disabled=corrections.empty,
        icon=":material/undo:",
    )
    st.download_button(
        "Download mijn gegevens (Excel)",
        data=lambda: whatif.survey_row_xlsx(analysed, shown, terrain.name),
        file_name=f"mijn-pand-{shown}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        icon=":material/table_view:",
        help="Een ingevulde enquêterij met uw gegevens, om naar de gemeente te sturen.",
    )

with main:
    st.download_button(
        "Download mijn kansenoverzicht (PDF)",
        data=lambda: report.building_report(
            analysed, shown, terrain, opportunities=olist
        ),
        file_name=f"kansenoverzicht-{shown}.pdf",
        mime="application/pdf",
        on_click="ignore",
        type="primary",
        icon=":material/picture_as_pdf:",
        help="Eén A4 met de omtrek van uw pand, de kerncijfers, maatregelen en "
        "volgende stappen.",
    )
    st.markdown("#### Zon op uw dak")
    cells = [*st.columns(4), *st.columns([1.6, 1, 1.2])]
    for cell, figure in zip(cells, overview.solar, strict=True):
        cell.metric(figure.heading, figure.value, help=figure.note, border=True)
    for note in overview.solar_notes:
        st.caption(note)

    st.markdown("#### Wat we weten van uw pand")
    st.table(
        pd.DataFrame(
            {
                "gegeven": [f.label for f in overview.facts],
                "waarde": [f.value for f in overview.facts],
                "bron": [f.source for f in overview.facts],
            }
        ).set_index("gegeven")
    )

    st.markdown("#### Verplichtingen")
    for item in overview.obligations:
        st.markdown(f"**{item.name}: {item.status}.** {markdown_text(item.meaning)}")

    st.markdown("#### Maatregelen voor uw pand")
    st.caption("Kortste terugverdientijd eerst; alle cijfers zijn indicatief.")
    if not overview.measures:
        st.write("Voor dit pand vonden we geen individuele maatregelen.")
    for n, line in enumerate(overview.measures, start=1):
        with st.container(border=True):
            st.markdown(f"**{n}. {markdown_text(line.name)}**")
            st.markdown(markdown_text(line.reason))
            facts = [f"Terugverdientijd: {line.payback}"]
            facts += [f"Investering: {line.invest}"] if line.invest else []
            facts += [f"Opwek of besparing: {line.yearly}"] if line.yearly else []
            st.caption(" · ".join(facts) + f" · Wie: {line.who}")

    st.markdown("#### Samen met andere bedrijven op het terrein")
    if not overview.collective:
        st.write("Voor dit pand vonden we geen collectieve initiatieven.")
    for line in overview.collective:
        with st.container(border=True):
            st.markdown(f"**{markdown_text(line.name)}**")
            st.markdown(markdown_text(line.reason))
            if line.interest:
                st.caption(line.interest)
    if overview.collective:
        st.caption(report.INTEREST_NOTE.format(limit=privacy.min_group(a)))

    if overview.tenant:
        st.markdown("#### U huurt: dit loopt via uw verhuurder")
        st.markdown(
            "Deze maatregelen gaan over het pand zelf, dus over het bezit van uw "
            "verhuurder: "
            + ", ".join(markdown_text(n) for n in overview.owner_measures)
            + ". Begin het gesprek met dit bericht (kopiëren met de knop "
            "rechtsboven):"
        )
        st.code(overview.landlord_message, language=None, wrap_lines=True)
    elif pd.isna(analysed["ownership"].iloc[whatif.position(analysed, shown)]):
        st.caption(
            "Huurt u het pand? Geef dat aan bij 'Eigenaar of huurder'; dan ziet u "
            "welke maatregelen via de verhuurder lopen."
        )

    st.markdown("#### Volgende stappen")
    st.markdown(
        "\n".join(
            f"{n}. {markdown_text(step)}"
            for n, step in enumerate(overview.next_steps, start=1)
        )
    )
    for line in overview.sources:
        st.caption(markdown_text(line))
