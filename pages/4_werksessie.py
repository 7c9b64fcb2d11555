"""Steps 3–4: the werksessie – prepared views on the wall, recording interest.

The facilitator steps through :data:`kansenkaart.views.projector.VIEWS` with one
click each; below the map what is said in the room is recorded in the
database (:mod:`kansenkaart.records.store`): interest per company and measure, the
werkgroep, next steps and notes per building.
"""

import streamlit as st
from streamlit_folium import st_folium

from appui import records, shell, state, ui, werksessie
from kansenkaart.core import fmt
from kansenkaart.engine import measures
from kansenkaart.views import charts, legend, maps, projector

VIEWS = {v.id: v for v in projector.VIEWS}
MEASURES = {m.id: m.name for m in measures.CATALOGUE}

shell.frame()
terrain = state.current_terrain()
analysis = state.analysis()
ui.page_header("Werksessie", "Stap 3–4 · Werksessie en werkgroepen", terrain)


def go_to(view_id: str) -> None:
    state.put(state.WS_VIEW_KEY, view_id)
    state.put(state.WS_MEASURE_KEY, VIEWS[view_id].measures[0])


def step(offset: int) -> None:
    go_to(projector.next_view(state.get(state.WS_VIEW_KEY), offset))


db = state.records_store()
data = state.map_data()
buildings = analysis.buildings
ids = buildings["building_id"].astype(str).tolist()
found = state.search_options()
if state.get(state.WS_VIEW_KEY) not in VIEWS:
    go_to(projector.VIEWS[0].id)

# The views on a row of their own, wrapping where the screen is narrow (1280 px
# on a beamer) instead of being cut off; the buttons and the switch above them.
bar = st.container(horizontal=True, vertical_alignment="center")
bar.button("◀ Vorige", on_click=step, args=(-1,))
bar.button("Volgende ▶", on_click=step, args=(1,))
st.segmented_control(
    "Beeld",
    list(VIEWS),
    format_func=lambda v: VIEWS[v].title,
    required=True,
    key=state.WS_VIEW_KEY,
    on_change=lambda: go_to(state.get(state.WS_VIEW_KEY)),
    label_visibility="collapsed",
    wrap=True,
)
private = bar.toggle(
    "Presentatiemodus",
    value=True,
    key=state.WS_PRIVATE_KEY,
    help="Voor de muur: geen zijbalk, grote letters en hoog contrast; het "
    "energiegebruik van bedrijven zonder toestemming wordt niet getoond.",
)
if private:
    st.html(werksessie.WALL_CSS)

view = VIEWS[state.get(state.WS_VIEW_KEY)]
measure = state.get(state.WS_MEASURE_KEY) or view.measures[0]
interests = db.table("interest", terrain.id)
hidden = legend.hidden_mask(buildings, private, terrain.survey)
selected_id = state.get(state.WS_BUILDING_KEY)
selected = ids.index(selected_id) if selected_id in ids else None

st.subheader(view.title)
if view.kind == "balance":
    st.markdown(f"*{view.story}*")
    balance = state.terrain_balance()
    minimum = analysis.assumptions.privacy_min_connections.value
    if private and balance.n_buildings < minimum:
        st.info(
            f"Dit terrein heeft minder dan {fmt.number(minimum)} bedrijven; "
            "totalen worden in de presentatie niet getoond.",
            icon=":material/visibility_off:",
        )
    else:
        left, right = st.columns([3, 2])
        figure = charts.energy_balance_figure(balance)
        left.vega_lite_chart(charts.projector_layout(figure) if private else figure)
        for sentence in balance.sentences():
            right.markdown(f"- {sentence}")
else:
    layers, sections, replaced = projector.adapted_layers(
        analysis,
        state.opportunities(),
        view,
        hidden=hidden,
        sources=data.reach_counts,
    )
    if replaced:
        st.info(replaced, icon=":material/swap_horiz:")
    interest = projector.interest_spec(buildings, interests, measure)
    if (interest.codes >= 0).any():
        sections.append((interest.title, legend.legend_table(interest), ""))
    layers += [
        ("selectie", maps.selection_spec(len(ids), selected)),
        ("interesse", interest),  # on top: the black selection shows at its edge
    ]
    strip = projector.legend_strip(sections, view.story)
    if not private:
        st.html(strip)
    centre, zoom = projector.source_framing(data) if view.sources else (None, None)
    with st.container(key=werksessie.MAP_FRAME):
        returned = st_folium(
            werksessie.filling_map(maps.base_map(data, view.kind)),
            key="ws_map",
            height=620,
            use_container_width=True,
            feature_group_to_add=maps.building_group(layers, f"Gebouwen: {view.title}"),
            layer_control=maps.layer_control(),
            returned_objects=["last_active_drawing", "last_object_clicked"],
            center=centre,
            zoom=zoom,
        )
    if private:  # on the wall the map comes right under the views, its legend below
        st.html(strip)
    if view.id == "collectief":
        werksessie.hub_table(analysis, private)
    clicked = maps.clicked_position(returned)
    click = (state.terrain_key(), clicked, str(returned.get("last_object_clicked")))
    if state.new_click(werksessie.PREFIX, "", click):
        state.put(state.WS_BUILDING_KEY, ids[clicked])
        st.rerun()

st.divider()
st.subheader("Vastleggen wat in de zaal wordt besproken")
user = records.ask_user(werksessie.PREFIX, "Anna de Vries (parkmanagement)")
col_measure, col_building = st.columns(2)
measure = col_measure.selectbox(
    "Maatregel", list(MEASURES), format_func=MEASURES.get, key=state.WS_MEASURE_KEY
)
building = col_building.selectbox(
    "Bedrijf of pand",
    ids,
    index=None,
    format_func=found.get,
    placeholder="Klik op een pand op de kaart of typ een adres of bedrijfsnaam",
    key=state.WS_BUILDING_KEY,
)
if user is None:
    st.info("Vul eerst uw naam in om iets vast te leggen.", icon=":material/badge:")
    st.stop()

recorder = werksessie.Recorder(db, terrain.id, user)
# Only the open tab is built (issue 18).
tab_interest, tab_group, tab_steps, tab_note = st.tabs(
    ["Interesse", "Werkgroep", "Vervolgstappen", "Notitie bij pand"],
    key=state.WS_TAB_KEY,
    on_change="rerun",
)
if tab_interest.open:
    with tab_interest:
        werksessie.interest_tab(
            recorder, buildings, found, measure, MEASURES[measure], building
        )
if tab_group.open:
    with tab_group:
        werksessie.workgroup_tab(recorder, measure, MEASURES[measure])
if tab_steps.open:
    with tab_steps:
        werksessie.steps_tab(recorder, measure, MEASURES[measure])
if tab_note.open:
    with tab_note:
        werksessie.note_tab(recorder, found, building)
