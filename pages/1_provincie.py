"""Step 1: every park of a province on one map, coloured by an indicator."""

import streamlit as st
from streamlit_folium import st_folium

from appui import access, shell, state, ui
from kansenkaart.engine import privacy
from kansenkaart.views import legend
from kansenkaart.views import provincie as overview

PAGE = "pv"
KANSENKAART = "pages/3_kansenkaart.py"

shell.frame()
ui.page_header("Provincie-overzicht", "Stap 1 · Verkennen")

choices = st.container(horizontal=True, vertical_alignment="bottom")
which = choices.selectbox(
    "Terreinen",
    list(state.PROVINCE_SETS),
    format_func=state.PROVINCE_SETS.get,
    key=state.PV_SET_KEY,
    help="De demoprovincie met 30 fictieve terreinen en de vier pilots, of de "
    "terreinen die nu in de keuzelijst links staan (ook uw eigen terrein).",
    width=360,
)
indicator = choices.selectbox(
    "Kleur terreinen naar",
    list(overview.INDICATORS),
    format_func=overview.INDICATORS.get,
    key=state.PV_INDICATOR_KEY,
    width=360,
)

assumptions = state.current_assumptions()
variant = (
    privacy.INTERN if access.current().role == privacy.BEHEERDER else privacy.OPENBAAR
)
rows = overview.shown(state.province_rows(which), variant, assumptions)
if note := overview.synthetic_note(rows, which == "drenthe"):
    st.info(note, icon=":material/science:")
spec = overview.indicator_spec(rows, indicator, assumptions)


def open_park(key: str) -> None:
    """Make the park current and go to its Kansenkaart."""
    state.open_terrain(key)
    st.switch_page(KANSENKAART)


col_map, col_table = st.columns([3, 2])
with col_map:
    returned = st_folium(
        overview.overview_map(rows, indicator, spec),
        key=state.PV_MAP_KEY,
        height=560,
        use_container_width=True,
        returned_objects=["last_active_drawing"],
    )
    clicked = overview.clicked_park(returned)
    if clicked in set(rows["key"]) and state.new_click(PAGE, "", ("park", clicked)):
        open_park(clicked)
    st.markdown(f"**{spec.title}** · aantal terreinen per klasse")
    st.table(legend.styled(legend.legend_table(spec)))
with col_table:
    st.markdown("**Terreinen** — klik op een rij of op de kaart om te openen")
    table = overview.overview_table(rows, spec)
    event = st.dataframe(
        overview.styled_table(table),
        hide_index=True,
        # the name and its colour first, readable at 1366 px
        column_config={
            "Terrein": st.column_config.Column(width="medium"),
            overview.SWATCH: st.column_config.Column(width=48),
            table.columns[2]: st.column_config.Column(width="medium"),
        },
        on_select="rerun",
        selection_mode="single-row",
        key=state.PV_TABLE_KEY,
        height=560,
    )
    if event.selection.rows:
        open_park(rows["key"].iloc[event.selection.rows[0]])

if which == "drenthe":
    st.caption(
        "Cijfers van de demoprovincie: één keer berekend met de standaardaannames "
        "(`python -m kansenkaart provincie -o data/provincie`); de voortgang van "
        "de werkgroepen komt steeds uit de vastgelegde werksessies."
    )
else:
    st.caption(
        "Cijfers van de terreinen in de keuzelijst links, met de aannames die nu "
        "gelden; de voortgang komt uit de vastgelegde werksessies."
    )
if variant == privacy.OPENBAAR:
    st.caption(
        "U ziet de openbare variant: zonpotentieel uit openbare gegevens (dak en "
        f"aansluiting), afgerond; cijfers alleen bij minstens "
        f"{privacy.min_group(assumptions)} bedrijven (docs/PRIVACY.md)."
    )
