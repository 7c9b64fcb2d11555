"""Netcapaciteit: the panel to load an own capacity map or project list."""

from __future__ import annotations

import streamlit as st

from appui import state, ui
from kansenkaart.io import infra_files


def import_panel(own: dict[str, state.Imported]) -> None:
    """Uploaders for a capacity map and a project list of the current terrain,
    with a way back to the terrain's own layer and the outcome of the last
    load."""
    key = state.terrain_key()
    with st.expander("Eigen capaciteitskaart of projectenlijst laden"):
        st.caption(
            "Een geladen bestand vervangt de gegevens van dit terrein alleen op "
            "deze pagina en alleen in deze browsersessie. Een bestand met fouten "
            "wordt niet geladen; dan blijft getoond wat er stond."
        )
        col_grid, col_projects = st.columns(2)
        with col_grid:
            st.file_uploader(
                "Capaciteitskaart (GeoJSON)",
                type=["geojson", "json", "gpkg"],
                key=state.upload_widget_key("grid"),
                on_change=state.import_layer,
                args=("grid", key),
                help="Vlakken met de kolommen area_id, afname_status en "
                "invoeding_status (0 beschikbaar, 1 beperkt, 2 in "
                "onderzoek/wachtrij, 3 tekort), eventueel name, station en "
                "netbeheerder. RD New of WGS84.",
            )
            if "grid" in own:
                st.button(
                    "Terug naar de capaciteitskaart van het terrein",
                    on_click=state.forget_import,
                    args=(key, "grid"),
                    icon=":material/undo:",
                )
        with col_projects:
            st.file_uploader(
                "Projectenlijst (CSV of Excel)",
                type=["csv", "xlsx"],
                key=state.upload_widget_key("projects"),
                on_change=state.import_layer,
                args=("projects", key),
                help="Eén rij per project met de velden van de projectfiche; "
                "gebruik het sjabloon hieronder.",
            )
            st.download_button(
                "Sjabloon projectenlijst (CSV)",
                data=infra_files.project_template(),
                file_name="sjabloon-pmiek-projecten.csv",
                mime="text/csv",
                on_click="ignore",
                icon=":material/download:",
            )
            if "projects" in own:
                st.button(
                    "Terug naar de projecten van het terrein",
                    on_click=state.forget_import,
                    args=(key, "projects"),
                    icon=":material/undo:",
                )
        feedback = state.import_feedback()
        if feedback:
            ui.load_outcome(*feedback, "de vorige gegevens blijven getoond")
        for warning in own["grid"].warnings if "grid" in own else ():
            st.caption(warning)
    for kind, what in (("grid", "Capaciteitskaart"), ("projects", "Projecten")):
        if kind in own:
            st.info(
                f"{what} uit '{own[kind].name}' (geladen in deze sessie).",
                icon=":material/upload_file:",
            )
