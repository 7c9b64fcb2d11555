"""Step 2: the current situation on a map, buildings coloured by a theme."""

import streamlit as st
from streamlit_folium import st_folium

from kansenkaart.views import legend, maps
from pages import ui

terrain = ui.current_terrain()
analysis = ui.current_analysis()
# the analysis depends on terrain and assumptions; so do the cached map parts
key = (ui.terrain_key(), ui.assumptions_key())
ui.page_header("Huidige situatie", "Stap 2 · Beginsituatie", terrain)


@st.cache_resource(max_entries=8, show_spinner="Kaart voorbereiden…")
def map_data(analysis_key: tuple, _analysis, _terrain) -> maps.MapData:
    return maps.prepare(_analysis, _terrain)


@st.cache_data(max_entries=64, show_spinner=False)
def theme_spec(analysis_key: tuple, theme: str, private: bool, _analysis, _survey):
    hidden = legend.hidden_mask(_analysis, private, _survey)
    return legend.theme_spec(_analysis, theme, hidden)


def pick_searched() -> None:
    st.session_state["hs_selected"] = st.session_state["hs_search"]
    st.session_state["hs_center"] = st.session_state["hs_search"]


data = map_data(key, analysis, terrain)
ids = analysis["building_id"].astype(str).tolist()
names = legend.theme_names()
found = maps.search_options(analysis)

col_theme, col_search, col_mode = st.columns([2, 3, 1.4], vertical_alignment="bottom")
theme = col_theme.selectbox("Thema", list(names), format_func=names.get, key="hs_theme")
col_search.selectbox(
    "Zoek adres of bedrijf",
    ids,
    index=None,
    format_func=found.get,
    placeholder="Typ een adres of bedrijfsnaam",
    key="hs_search",
    on_change=pick_searched,
)
private = col_mode.toggle(
    "Presentatiemodus",
    value=True,
    key="hs_private",
    help="Verbergt het energiegebruik en de plichten van bedrijven die in de "
    "enquête geen toestemming gaven om hun gegevens in een werksessie te tonen.",
)

selected_id = st.session_state.get("hs_selected")
selected = ids.index(selected_id) if selected_id in ids else None
center_id = st.session_state.get("hs_center")
spec = theme_spec(key, theme, private, analysis, terrain.survey)
hidden = legend.hidden_mask(analysis, private, terrain.survey)

col_map, col_side = st.columns([2, 1])
with col_map:
    returned = st_folium(
        maps.base_map(data),
        key="hs_map",
        height=650,
        use_container_width=True,
        feature_group_to_add=maps.building_group(
            [("thema", spec), ("selectie", maps.selection_spec(len(ids), selected))],
            f"Gebouwen: {spec.title}",
        ),
        layer_control=maps.layer_control(),
        returned_objects=["last_active_drawing", "last_object_clicked"],
        center=data.centers[ids.index(center_id)].tolist()
        if center_id in ids
        else None,
        zoom=18 if center_id in ids else None,
    )
    st.caption(maps.OFFLINE_NOTE)
    st.download_button(
        "Download kaart",
        data=lambda: maps.to_html(
            maps.current_state_map(analysis, theme, terrain=terrain, private=private)
        ).encode(),
        file_name=f"huidige-situatie-{terrain.id}-{theme}.html",
        mime="text/html",
        on_click="ignore",
        icon=":material/download:",
        help="Een los HTML-bestand met deze kaart en legenda.",
    )

clicked = maps.clicked_position(returned)
click = (key, clicked, str(returned.get("last_object_clicked")))
if clicked is not None and click != st.session_state.get("hs_click"):
    st.session_state["hs_click"] = click
    st.session_state["hs_selected"] = ids[clicked]
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
            maps.building_facts(analysis, selected, hidden=hidden[selected]).set_index(
                "gegeven"
            )
        )
