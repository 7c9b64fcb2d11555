"""Step 2: what is known about the terrain, and how complete it is."""

import streamlit as st

from appui import shell, state, ui
from kansenkaart.core import schema
from kansenkaart.engine import quality

shell.frame()
terrain = state.current_terrain()
ui.page_header("Gegevens en datakwaliteit", "Stap 2 · Beginsituatie", terrain)

st.subheader("Volledigheid per gegeven")
st.caption(
    "Hoeveel panden dit gegeven hebben. Ontbrekende waarden blijven onbekend; "
    "de kansen gebruiken dan schattingen en zeggen dat ook."
)
st.dataframe(
    quality.completeness(terrain.buildings, schema.BUILDINGS),
    hide_index=True,
    column_config={
        "Ingevuld (%)": st.column_config.ProgressColumn(
            "Ingevuld (%)", min_value=0, max_value=100, format="%.0f %%"
        )
    },
)

# Only the open tab is built: each grid is sent when its tab is opened (issue 18).
tab_b, tab_s, tab_k, tab_n, tab_p = st.tabs(
    ["Gebouwen", "Enquête", "Koppelbronnen", "Netcapaciteit", "pMIEK-projecten"],
    key=state.BS_TAB_KEY,
    on_change="rerun",
)
if tab_b.open:
    tab_b.dataframe(
        schema.dutch_headers(terrain.buildings, schema.BUILDINGS), hide_index=True
    )
if tab_s.open:
    with tab_s:
        if terrain.survey.empty:
            ui.not_loaded(
                "enquête",
                "2_data_laden.py",
                "Data laden",
                "en voeg de enquête-export toe",
            )
        responses = quality.survey_interest(terrain.survey)
        n_linked = int(terrain.survey["building_id"].notna().sum())
        st.write(
            f"{len(terrain.survey)} enquêteantwoorden, waarvan {n_linked} gekoppeld "
            "aan een pand. Hieronder alleen totalen: antwoorden van afzonderlijke "
            "bedrijven worden niet getoond."
        )
        st.dataframe(responses, hide_index=True)
if tab_k.open:
    tab_k.dataframe(
        schema.dutch_headers(terrain.sources, schema.SOURCES), hide_index=True
    )
if tab_n.open:
    with tab_n:
        if terrain.grid.empty:
            ui.not_loaded(
                "capaciteitskaart",
                "2_netcapaciteit.py",
                "Netcapaciteit & infrastructuur",
                "en laad een export van de Capaciteitskaart",
            )
        st.dataframe(schema.dutch_headers(terrain.grid, schema.GRID), hide_index=True)
if tab_p.open:
    tab_p.dataframe(
        schema.dutch_headers(terrain.projects, schema.PROJECTS), hide_index=True
    )
