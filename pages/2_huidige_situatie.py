"""Step 2: the current situation on a map, buildings coloured by a theme."""

import streamlit as st
from streamlit_folium import st_folium

from appui import deckmap, shell, state, ui
from kansenkaart.views import facts, legend, maps

PAGE = "hs"

shell.frame()
terrain = state.current_terrain()
analysis = state.analysis()
ui.page_header("Huidige situatie", "Stap 2 · Beginsituatie", terrain)


data = state.map_data()
buildings = analysis.buildings
ids = buildings["building_id"].astype(str).tolist()
names = legend.theme_names()

# A row that wraps instead of squeezing: nothing is cut off at 1280 px.
choices = st.container(horizontal=True, vertical_alignment="bottom")
theme = choices.selectbox(
    "Thema", list(names), format_func=names.get, key=state.HS_THEME_KEY, width=320
)
ui.map_search(choices, PAGE)
private = ui.presentation_toggle(choices, PAGE, "het energiegebruik en de plichten")
webgl = deckmap.use_webgl(choices, PAGE, len(ids))

selected_id = state.selected_building(PAGE)
selected = ids.index(selected_id) if selected_id in ids else None
center_id = state.centred_building(PAGE)
spec = state.theme_spec(theme, private)
hidden = legend.hidden_mask(buildings, private, terrain.survey)

layers = [("thema", spec), ("selectie", maps.selection_spec(len(ids), selected))]
center = data.centers[ids.index(center_id)].tolist() if center_id in ids else None
col_map, col_side = st.columns([2, 1])
with col_map:
    if webgl:
        deckmap.show(PAGE, "", layers, ids, center=center, title=spec.title)
    else:
        returned = st_folium(
            maps.base_map(data),
            key="hs_map",
            height=650,
            use_container_width=True,
            feature_group_to_add=maps.building_group(layers, f"Gebouwen: {spec.title}"),
            layer_control=maps.layer_control(),
            returned_objects=["last_active_drawing", "last_object_clicked"],
            center=center,
            zoom=18 if center else None,
        )
    st.caption(maps.OFFLINE_NOTE)
    st.download_button(
        "Download kaart",
        data=lambda: maps.to_html(
            maps.current_state_map(analysis, theme, private=private)
        ).encode(),
        file_name=f"huidige-situatie-{terrain.id}-{theme}.html",
        mime="text/html",
        on_click="ignore",
        icon=":material/download:",
        help="Een los HTML-bestand met deze kaart en legenda.",
    )

if not webgl:
    clicked = maps.clicked_position(returned)
    click = (state.terrain_key(), clicked, str(returned.get("last_object_clicked")))
    if state.new_click(PAGE, "", click):
        state.select_building(PAGE, ids[clicked])
        st.rerun()

with col_side:
    st.subheader(spec.title)
    st.table(legend.styled(legend.legend_table(spec)))
    if spec.note:
        st.info(spec.note, icon=":material/info:")
    st.subheader("Gekozen pand")
    if selected is None:
        st.caption("Klik op een pand op de kaart of zoek een adres of bedrijf.")
    else:
        st.table(
            facts.facts_table(buildings, selected, hidden=hidden[selected]).set_index(
                "gegeven"
            )
        )
