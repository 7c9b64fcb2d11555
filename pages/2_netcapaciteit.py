"""Step 2: grid capacity (Capaciteitskaart) and the pMIEK infrastructure projects."""

import streamlit as st
from streamlit_folium import st_folium

from appui import infra, shell, state, ui
from kansenkaart.core import pmiek
from kansenkaart.engine import grid
from kansenkaart.views import capacity, charts, legend, maps, pmiek_projects

shell.frame()
terrain = state.current_terrain()
key = state.terrain_key()
ui.page_header("Netcapaciteit & infrastructuur", "Stap 2 · Beginsituatie", terrain)

st.markdown(
    "Netcongestie bepaalt wat er op een bedrijventerrein kan: zonnepanelen die "
    "stroom terugleveren (**invoeding**), en warmtepompen, laadpalen of "
    "elektrische processen (**afname**). Hieronder de statussen van de "
    "Capaciteitskaart van de netbeheerders en de projecten uit de "
    "*Uitvoeringsagenda pMIEK* die het net en andere energie-infrastructuur in "
    "Drenthe uitbreiden."
)

# --- imports: a loaded capacity map is a terrain variant with its own analysis --------
own = state.imported_layers()
infra.import_panel(own)
analysis = state.analysis(grid=own.get("grid"))
data = state.map_data(grid=own.get("grid"))
areas = analysis.terrain.grid
projects = own["projects"].table if "projects" in own else terrain.projects

# --- capacity map ----------------------------------------------------------------
st.subheader("Netcapaciteit op het terrein")
direction = st.segmented_control(
    "Richting",
    list(capacity.DIRECTIONS),
    format_func=capacity.DIRECTIONS.get,
    default="invoeding",
    required=True,
    key=state.NC_DIRECTION_KEY,
)
col_map, col_legend = st.columns([2, 1])
with col_map:
    st_folium(
        maps.base_map(data),
        key="nc_map",
        height=560,
        use_container_width=True,
        feature_group_to_add=[
            capacity.capacity_area_layer(areas, direction),
            maps.building_group(
                [
                    (
                        "netcapaciteit",
                        capacity.capacity_spec(analysis.buildings, direction),
                    )
                ],
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
        legend.styled(capacity.capacity_legend(analysis.buildings, areas, direction)),
        hide_index=True,
    )
    st.caption(
        "Vlakken: capaciteitsgebieden. Panden hebben de kleur van het gebied "
        "waarin ze liggen. " + capacity.SMALL_CONNECTIONS_NOTE
    )

# --- meaning for the opportunities -------------------------------------------------
st.subheader("Wat betekent dit voor de kansen?")
advice = capacity.capacity_advice(analysis.buildings)
if advice.empty:
    st.info(
        "Voor dit terrein is geen capaciteitskaart geladen: de status van het net "
        "is onbekend. Laad hierboven een export van de Capaciteitskaart.",
        icon=":material/info:",
    )
for row in advice.itertuples(index=False):
    with st.container(border=True):
        st.markdown(
            f"**{capacity.DIRECTIONS[row.direction]} · {row.status_text}** — "
            f"{row.n_buildings} panden, waarvan {row.n_large} met een "
            "grootverbruikaansluiting"
        )
        st.markdown(f"{row.meaning} {row.options}")
        # A table, not a grid: the rule in "wanneer relevant" wraps instead of
        # being cut off at 1280-1366 px.
        st.table(capacity.measure_counts(analysis, row.measure_ids), hide_index=True)
        st.caption("Panden met deze kans: waar de analyse de maatregel als kans ziet.")

# --- Capaciteitskaart data product, beside the pMIEK projects -----------------------
infra.capacity_product_section(analysis, own, projects)

# --- pMIEK projects ------------------------------------------------------------------
st.subheader("Infrastructuurprojecten (pMIEK)")
own_cluster = grid.terrain_cluster(terrain)
cluster_names = {
    c: f"{c} · {', '.join(ms)}" for c, ms in pmiek.CLUSTER_MUNICIPALITIES.items()
}
# A row that wraps instead of squeezing the check box's label at 1280 px.
filters = st.container(horizontal=True, vertical_alignment="bottom")
clusters = filters.multiselect(
    "Energiecluster",
    list(cluster_names),
    default=[own_cluster] if own_cluster else [],
    format_func=cluster_names.get,
    key=f"nc_clusters_{key}",
    placeholder="Alle clusters",
    help="Het cluster van dit terrein is voorgeselecteerd. Leeg: alle clusters.",
)
municipality_options = [
    m for c in (clusters or cluster_names) for m in pmiek.CLUSTER_MUNICIPALITIES[c]
]
municipalities = filters.multiselect(
    "Gemeente",
    municipality_options,
    key=f"nc_municipalities_{key}",
    placeholder="Alle gemeenten",
)
provincewide = filters.checkbox(
    "Provinciebrede projecten",
    value=True,
    key="nc_provincewide",
    help="Ook de verkenningen voor heel Drenthe tonen, zonder cluster of "
    "gemeente, zoals groen gas of een regionaal warmtebedrijf.",
)
selection = pmiek_projects.filter_projects(
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
st.caption(pmiek_projects.TRAFFIC_LIGHT_HELP)

if selection.empty:
    st.info("Geen projecten in deze selectie.", icon=":material/info:")
else:
    # Only the open tab is built: the timeline's Plotly chart and the grid are
    # sent when their tab is opened, not with the map (issue 18).
    tab_table, tab_timeline, tab_sheet = st.tabs(
        ["Tabel", "Tijdlijn", "Projectfiche"], key=state.NC_TAB_KEY, on_change="rerun"
    )
    if tab_table.open:
        with tab_table:
            st.dataframe(
                pmiek_projects.styled_projects(pmiek_projects.project_table(selection)),
                hide_index=True,
                placeholder=pmiek_projects.DATE_UNKNOWN,  # only dates can be missing
                column_config={
                    **{
                        column: st.column_config.DateColumn(format="DD-MM-YYYY")
                        for column in pmiek_projects.DATE_COLUMNS
                    },
                    "stoplicht": st.column_config.TextColumn(
                        help=pmiek_projects.TRAFFIC_LIGHT_HELP
                    ),
                    "omschrijving": st.column_config.TextColumn(width="large"),
                    "toelichting stoplicht": st.column_config.TextColumn(width="large"),
                },
            )
    if tab_timeline.open:
        with tab_timeline:
            st.plotly_chart(
                charts.project_timeline(selection), config={"displayModeBar": False}
            )
            st.caption(
                "Balk: afgesproken bandbreedte van de inbedrijfname (IBN). Ruit: "
                "geplande IBN in de kleur van het stoplicht. Open rondje: geen "
                "geplande IBN, dus stoplicht onbekend. 'Datum onbekend': het project "
                "heeft nog geen planning en staat daarom niet bij een jaar."
            )
    if tab_sheet.open:
        with tab_sheet:
            labels = pmiek_projects.project_labels(selection)
            chosen = st.selectbox(
                "Project", labels, key=f"nc_project_{key}", persist_state="page"
            )
            project = selection.iloc[labels.index(chosen)]
            kind = (
                "in verkenningsfase"
                if pmiek_projects.is_exploration(project)
                else "concreet project"
            )
            st.markdown(f"**Projectfiche – {kind}**")
            st.table(pmiek_projects.project_sheet(project), hide_index=True)
