"""Step 2: grid capacity (Capaciteitskaart) and the pMIEK infrastructure projects."""

import dataclasses
import hashlib

import streamlit as st
from streamlit_folium import st_folium

import kansenkaart as kk
from kansenkaart.engine import grid
from kansenkaart.views import charts, infra, legend, maps
from pages import ui

terrain = ui.current_terrain()
key = ui.terrain_key()
ui.page_header("Netcapaciteit & infrastructuur", "Stap 2 · Beginsituatie", terrain)

# Session state: terrain key -> {"grid" | "projects": Imported}.
IMPORTS = "nc_imports"
FEEDBACK = "nc_import_feedback"
READERS = {"grid": infra.read_capacity_map, "projects": infra.read_project_list}


@dataclasses.dataclass(frozen=True)
class Imported:
    """An imported layer of this session: file name, content hash, table."""

    name: str
    digest: str
    table: object
    warnings: tuple[str, ...] = ()


def imported() -> dict:
    """The imports of the current terrain in this browser session."""
    return st.session_state.setdefault(IMPORTS, {}).setdefault(key, {})


def on_import(kind: str, terrain_key: str) -> None:
    """Uploader callback: validate the file; keep what was shown when it fails."""
    upload = st.session_state.get(f"nc_upload_{kind}")
    if upload is None:
        return
    data = upload.getvalue()
    try:
        result = READERS[kind](data, upload.name)
    except kk.DataError as exc:
        st.session_state[FEEDBACK] = (terrain_key, upload.name, str(exc))
        return
    table, warnings = result if kind == "grid" else (result, [])
    digest = hashlib.sha256(data).hexdigest()[:16]
    store = st.session_state.setdefault(IMPORTS, {}).setdefault(terrain_key, {})
    store[kind] = Imported(upload.name, digest, table, tuple(warnings))
    st.session_state[FEEDBACK] = (terrain_key, upload.name, None)


def forget(kind: str, terrain_key: str) -> None:
    """Button callback: show the terrain's own layer again."""
    st.session_state.get(IMPORTS, {}).get(terrain_key, {}).pop(kind, None)
    st.session_state.pop(FEEDBACK, None)


@st.cache_resource(
    max_entries=8, show_spinner="Kansen berekenen met de capaciteitskaart…"
)
def analyse_with_grid(terrain_key: str, grid_digest: str, _terrain: kk.Terrain):
    return kk.analyse(_terrain)


@st.cache_resource(max_entries=8, show_spinner="Kaart voorbereiden…")
def map_data(terrain_key: str, grid_digest: str, _analysis, _terrain) -> maps.MapData:
    return maps.prepare(_analysis, _terrain)


st.markdown(
    "Netcongestie bepaalt wat er op een bedrijventerrein kan: zonnepanelen die "
    "stroom terugleveren (**invoeding**), en warmtepompen, laadpalen of "
    "elektrische processen (**afname**). Hieronder de statussen van de "
    "Capaciteitskaart van de netbeheerders en de projecten uit de "
    "*Uitvoeringsagenda pMIEK* die het net en andere energie-infrastructuur in "
    "Drenthe uitbreiden."
)

# --- imports -------------------------------------------------------------------
own = imported()
with st.expander("Eigen capaciteitskaart of projectenlijst laden"):
    st.caption(
        "Een geladen bestand vervangt de gegevens van dit terrein alleen op deze "
        "pagina en alleen in deze browsersessie. Een bestand met fouten wordt niet "
        "geladen; dan blijft getoond wat er stond."
    )
    col_grid, col_projects = st.columns(2)
    with col_grid:
        st.file_uploader(
            "Capaciteitskaart (GeoJSON)",
            type=["geojson", "json", "gpkg"],
            key="nc_upload_grid",
            on_change=on_import,
            args=("grid", key),
            help="Vlakken met de kolommen area_id, afname_status en "
            "invoeding_status (0 beschikbaar, 1 beperkt, 2 in onderzoek/wachtrij, "
            "3 tekort), eventueel name, station en netbeheerder. RD New of WGS84.",
        )
        if "grid" in own:
            st.button(
                "Terug naar de capaciteitskaart van het terrein",
                on_click=forget,
                args=("grid", key),
                icon=":material/undo:",
            )
    with col_projects:
        st.file_uploader(
            "Projectenlijst (CSV of Excel)",
            type=["csv", "xlsx"],
            key="nc_upload_projects",
            on_change=on_import,
            args=("projects", key),
            help="Eén rij per project met de velden van de projectfiche; gebruik "
            "het sjabloon hieronder.",
        )
        st.download_button(
            "Sjabloon projectenlijst (CSV)",
            data=infra.project_template(),
            file_name="sjabloon-pmiek-projecten.csv",
            mime="text/csv",
            on_click="ignore",
            icon=":material/download:",
        )
        if "projects" in own:
            st.button(
                "Terug naar de projecten van het terrein",
                on_click=forget,
                args=("projects", key),
                icon=":material/undo:",
            )
    feedback = st.session_state.get(FEEDBACK)
    if feedback and feedback[0] == key:
        _, name, error = feedback
        if error:
            st.error(
                f"'{name}' is niet geladen; de vorige gegevens blijven getoond.\n\n"
                + error.replace("\n", "\n\n"),
                icon=":material/error:",
            )
        else:
            st.success(f"'{name}' is geladen.", icon=":material/check:")
    for warning in own["grid"].warnings if "grid" in own else ():
        st.caption(warning)

if "grid" in own:
    shown = dataclasses.replace(terrain, grid=own["grid"].table)
    digest = own["grid"].digest
    analysis = analyse_with_grid(key, digest, shown)
    st.info(
        f"Capaciteitskaart uit '{own['grid'].name}' (geladen in deze sessie).",
        icon=":material/upload_file:",
    )
else:
    shown, digest, analysis = terrain, "", ui.current_analysis()
projects = own["projects"].table if "projects" in own else terrain.projects
if "projects" in own:
    st.info(
        f"Projecten uit '{own['projects'].name}' (geladen in deze sessie).",
        icon=":material/upload_file:",
    )

# --- capacity map ----------------------------------------------------------------
st.subheader("Netcapaciteit op het terrein")
direction = st.segmented_control(
    "Richting",
    list(infra.DIRECTIONS),
    format_func=infra.DIRECTIONS.get,
    default="invoeding",
    required=True,
    key="nc_direction",
)
data = map_data(key, digest, analysis, shown)
col_map, col_legend = st.columns([3, 1])
with col_map:
    st_folium(
        maps.base_map(data),
        key="nc_map",
        height=560,
        use_container_width=True,
        feature_group_to_add=[
            infra.capacity_area_layer(shown.grid, direction),
            maps.building_group(
                [("netcapaciteit", infra.capacity_spec(analysis, direction))],
                f"Gebouwen: netcapaciteit {direction}",
            ),
        ],
        layer_control=maps.layer_control(),
        returned_objects=[],
    )
    st.caption(maps.OFFLINE_NOTE)
with col_legend:
    st.markdown(f"**Capaciteitskaart – {direction}**")
    st.table(
        legend.styled(infra.capacity_legend(analysis, shown.grid, direction)),
        hide_index=True,
    )
    st.caption(
        "Vlakken: capaciteitsgebieden. Panden hebben de kleur van het gebied "
        "waarin ze liggen. " + infra.SMALL_CONNECTIONS_NOTE
    )

# --- meaning for the opportunities -------------------------------------------------
st.subheader("Wat betekent dit voor de kansen?")
advice = infra.capacity_advice(analysis)
if advice.empty:
    st.info(
        "Voor dit terrein is geen capaciteitskaart geladen: de status van het net "
        "is onbekend. Laad hierboven een export van de Capaciteitskaart.",
        icon=":material/info:",
    )
for row in advice.itertuples(index=False):
    with st.container(border=True):
        st.markdown(
            f"**{infra.DIRECTIONS[row.direction]} · {row.status_text}** — "
            f"{row.n_buildings} panden, waarvan {row.n_large} met een "
            "grootverbruikaansluiting"
        )
        st.markdown(f"{row.meaning} {row.options}")
        st.dataframe(
            infra.measure_counts(analysis, row.measure_ids),
            hide_index=True,
            column_config={
                "panden met deze kans": st.column_config.NumberColumn(
                    help="Panden waarvoor de analyse deze maatregel als kans ziet."
                )
            },
        )

# --- pMIEK projects ------------------------------------------------------------------
st.subheader("Infrastructuurprojecten (pMIEK)")
own_cluster = grid.terrain_cluster(terrain)
cluster_names = {
    c: f"{c} · {', '.join(ms)}" for c, ms in grid.CLUSTER_MUNICIPALITIES.items()
}
col_c, col_m, col_w = st.columns([2, 2, 1.2], vertical_alignment="bottom")
clusters = col_c.multiselect(
    "Energiecluster",
    list(cluster_names),
    default=[own_cluster] if own_cluster else [],
    format_func=cluster_names.get,
    key=f"nc_clusters_{key}",
    placeholder="Alle clusters",
    help="Het cluster van dit terrein is voorgeselecteerd. Leeg: alle clusters.",
)
municipality_options = [
    m for c in (clusters or cluster_names) for m in grid.CLUSTER_MUNICIPALITIES[c]
]
municipalities = col_m.multiselect(
    "Gemeente",
    municipality_options,
    key=f"nc_municipalities_{key}",
    placeholder="Alle gemeenten",
)
provincewide = col_w.checkbox(
    "Provinciebrede projecten",
    value=True,
    key="nc_provincewide",
    help="Ook de verkenningen voor heel Drenthe tonen, zonder cluster of "
    "gemeente, zoals groen gas of een regionaal warmtebedrijf.",
)
selection = infra.filter_projects(
    projects,
    clusters,
    [m for m in municipalities if m in municipality_options],
    provincewide=provincewide,
)
counts = selection["traffic_light"].value_counts()
st.caption(
    f"{len(selection)} projecten · "
    + " · ".join(f"{light}: {counts.get(light, 0)}" for light in grid.TRAFFIC_LIGHTS)
)
st.caption(infra.TRAFFIC_LIGHT_HELP)

if selection.empty:
    st.info("Geen projecten in deze selectie.", icon=":material/info:")
else:
    tab_table, tab_timeline, tab_sheet = st.tabs(["Tabel", "Tijdlijn", "Projectfiche"])
    with tab_table:
        st.dataframe(
            infra.styled_projects(infra.project_table(selection)),
            hide_index=True,
            placeholder="onbekend",
            column_config={
                **{
                    column: st.column_config.DateColumn(format="DD-MM-YYYY")
                    for column in infra.DATE_COLUMNS
                },
                "stoplicht": st.column_config.TextColumn(help=infra.TRAFFIC_LIGHT_HELP),
                "omschrijving": st.column_config.TextColumn(width="large"),
                "toelichting stoplicht": st.column_config.TextColumn(width="large"),
            },
        )
    with tab_timeline:
        st.plotly_chart(
            charts.project_timeline(selection), config={"displayModeBar": False}
        )
        st.caption(
            "Balk: afgesproken bandbreedte van de inbedrijfname (IBN). Ruit: geplande "
            "IBN in de kleur van het stoplicht. Open rondje: geen geplande IBN, dus "
            "stoplicht onbekend."
        )
    with tab_sheet:
        labels = infra.project_labels(selection)
        chosen = st.selectbox("Project", labels, key=f"nc_project_{key}")
        project = selection.iloc[labels.index(chosen)]
        kind = (
            "in verkenningsfase"
            if infra.is_exploration(project)
            else "concreet project"
        )
        st.markdown(f"**Projectfiche – {kind}**")
        st.table(infra.project_sheet(project), hide_index=True)
