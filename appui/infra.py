"""Netcapaciteit: loading an own capacity map, data product or project list,
and the energy areas of the Capaciteitskaart data product."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from appui import state, ui
from kansenkaart.core.model import Analysis
from kansenkaart.engine import grid_context
from kansenkaart.io import infra_files
from kansenkaart.views import capacity, pmiek_projects


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
            capaciteitskaart_uploader(key)
            if "grid" in own:
                st.button(
                    "Terug naar de capaciteitskaart van het terrein",
                    on_click=state.forget_import,
                    args=(key, "grid"),
                    icon=":material/undo:",
                )
            if "capaciteitskaart" in own:
                st.button(
                    "Dataproduct Capaciteitskaart weghalen",
                    on_click=state.forget_import,
                    args=(key, "capaciteitskaart"),
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
        for kind in ("grid", "capaciteitskaart"):
            for warning in own[kind].warnings if kind in own else ():
                st.caption(warning)
    for kind, what in (
        ("grid", "Capaciteitskaart"),
        ("capaciteitskaart", "Dataproduct Capaciteitskaart"),
        ("projects", "Projecten"),
    ):
        if kind in own:
            st.info(
                f"{what} uit '{own[kind].name}' (geladen in deze sessie).",
                icon=":material/upload_file:",
            )


def capaciteitskaart_uploader(key: str, kind: str = "grid") -> None:
    """Uploader for a capacity map: areas (GeoJSON/GeoPackage) or the data
    product of the netbeheerders (JSON); ``kind`` names the widget."""
    st.file_uploader(
        "Capaciteitskaart (GeoJSON, GeoPackage of dataproduct-JSON)",
        type=["geojson", "json", "gpkg"],
        key=state.upload_widget_key(kind),
        on_change=state.import_layer,
        args=(kind, key),
        help="Het dataproduct van de netbeheerders (JSON met energy_areas: "
        "energiegebieden met capaciteit per jaar, jaar waarin het tekort is "
        "opgelost en geplande werkzaamheden), of vlakken met de kolommen "
        "area_id, afname_status en invoeding_status (0 beschikbaar, 1 beperkt, "
        "2 in onderzoek/wachtrij, 3 tekort), eventueel name, station en "
        "netbeheerder, in RD New of WGS84.",
    )


def capacity_product_section(
    analysis: Analysis, own: dict[str, state.Imported], projects: pd.DataFrame
) -> None:
    """The energy areas of a loaded data product that cover the terrain: the
    traffic light now, the year of relief, capacity per year and the works,
    linked to the pMIEK projects."""
    if "capaciteitskaart" not in own:
        return
    product = own["capaciteitskaart"].table
    st.subheader("Energiegebied van het terrein (dataproduct Capaciteitskaart)")
    found = grid_context.covering_areas(analysis.terrain, product)
    chosen = st.multiselect(
        "Energiegebieden",
        list(product.areas["short_code"]),
        default=list(found.areas["short_code"]),
        key=f"nc_areas_{state.terrain_key()}_{own['capaciteitskaart'].digest}",
        help="Voorgeselecteerd: de gebieden die het terrein dekken. U kunt zelf "
        "gebieden toevoegen of weghalen.",
    )
    context = grid_context.attach(analysis, product, tuple(chosen)).grid_context
    st.caption(
        f"{product.publisher} · versie {product.version} · bijgewerkt "
        f"{pmiek_projects.date_text(product.updated)} · {found.note}"
    )
    if not chosen:
        return
    # One column per area and one per year: narrow enough for a laptop screen.
    overview = capacity.area_overview(context).set_index("energiegebied").T
    st.dataframe(overview.reset_index(names="energiegebied"), hide_index=True)
    for code in chosen:
        table = capacity.capacity_by_year(product, code)
        if table.empty:
            st.caption(f"{code}: geen capaciteit per jaar in het bestand.")
            continue
        with st.expander(f"Capaciteit per jaar – {code}"):
            by_year = table.set_index("jaar").T
            by_year.columns = [str(year) for year in by_year.columns]
            st.dataframe(by_year.reset_index(names="capaciteit"), hide_index=True)
            for caveat in capacity.capacity_caveats(product, code):
                st.caption(caveat)
    works = capacity.works_table(context, projects)
    st.markdown(f"**Geplande werkzaamheden** ({len(works)})")
    if works.empty:
        st.caption("Het bestand noemt geen werkzaamheden voor deze gebieden.")
    else:
        st.dataframe(works, hide_index=True)
        st.caption(pmiek_projects.WORK_LINK_RULE)


def capaciteitskaart_panel() -> None:
    """*Data laden*: the data product of the netbeheerders for the terrain
    chosen in the sidebar, shown on *Netcapaciteit*."""
    key = state.terrain_key()
    st.header("Capaciteitskaart van de netbeheerders")
    st.markdown(
        "Het dataproduct Capaciteitskaart (JSON van de netbeheerder of TenneT) "
        "geeft per energiegebied de capaciteit per jaar, het jaar waarin het "
        "tekort naar verwachting is opgelost en de geplande werkzaamheden. Het "
        "geldt voor het terrein dat nu in de zijbalk gekozen is en staat op de "
        "pagina *Netcapaciteit*."
    )
    capaciteitskaart_uploader(key, "capaciteitskaart")
    feedback = state.import_feedback()
    if feedback:
        ui.load_outcome(*feedback, "de vorige gegevens blijven getoond")
    own = state.imported_layers()
    if "capaciteitskaart" in own or "grid" in own:
        st.page_link(
            "pages/2_netcapaciteit.py",
            label="Naar Netcapaciteit",
            icon=":material/electric_bolt:",
        )
