"""Step 3: the opportunity map – measures, solar potential, sources, grid."""

import streamlit as st
from streamlit_folium import st_folium

from appui import deckmap, shell, state, ui
from kansenkaart.engine import privacy
from kansenkaart.views import export, facts, kansenkaart_pdf, legend, maps

PAGE = "kk"
SCOPES = {"individual": "Individueel", "collective": "Collectief", "all": "Beide"}
VIEWS = {"kansen": "Kansenkaart", "naast": "Naast elkaar"}
COLOURINGS = kansenkaart_pdf.OPPORTUNITY_CHOICES

shell.frame()
terrain = state.current_terrain()
analysis = state.analysis()
ui.page_header("Kansenkaart", "Stap 3 · Kansen identificeren", terrain)


buildings = analysis.buildings
ids = buildings["building_id"].astype(str).tolist()

# Rows that wrap instead of squeezing: nothing is cut off at 1280 px.
choices = st.container(horizontal=True, vertical_alignment="bottom")
colouring = choices.selectbox(
    "Kleur panden naar",
    list(COLOURINGS),
    format_func=COLOURINGS.get,
    key=state.KK_COLOURING_KEY,
    help="Aantal kansen in de gekozen maatregelen, of een rangschikking: waar "
    "is de grootste kans, wat houdt panden tegen (uitdagingen)?",
    width=240,
)
scope = choices.segmented_control(
    "Maatregelen",
    list(SCOPES),
    format_func=SCOPES.get,
    default="all",
    required=True,
    key=state.KK_SCOPE_KEY,
)
in_scope = {m.id: m.name for m in legend.selected_measures(scope)}
chosen = choices.multiselect(
    "Welke maatregelen",
    list(in_scope),
    default=list(in_scope),
    format_func=in_scope.get,
    key=state.measures_key(PAGE, scope),
    placeholder="Kies maatregelen",
)
viewing = st.container(horizontal=True, vertical_alignment="bottom")
view = viewing.segmented_control(
    "Weergave",
    list(VIEWS),
    format_func=VIEWS.get,
    default="kansen",
    required=True,
    key=state.KK_VIEW_KEY,
)
ui.map_search(viewing, PAGE)
private = ui.presentation_toggle(
    viewing, PAGE, "energiecijfers en de onderbouwing van kansen"
)
webgl = deckmap.use_webgl(viewing, PAGE, len(ids))

selected_id = state.selected_building(PAGE)
selected = ids.index(selected_id) if selected_id in ids else None
center_id = state.centred_building(PAGE)
hidden = legend.hidden_mask(buildings, private, terrain.survey)
data = state.shown_map_data(private)  # as presentation mode may show it
center = data.centers[ids.index(center_id)].tolist() if center_id in ids else None
selection = ("selectie", maps.selection_spec(len(ids), selected))
if colouring == "kansen":
    layers, envelopes, sections = state.opportunity_layers(private, scope, chosen)
    layers = [*layers, selection]
else:
    ranked = state.ranking_spec(colouring, private)
    layers, envelopes = [("kansen", ranked), selection], []
    sections = [(ranked.title, legend.legend_table(ranked), ranked.note)]
sections = [*sections, *maps.static_sections(data)]


def show_map(kind: str, layers, envelopes, name: str, height: int) -> dict:
    """One map of the page; what the user clicked on a folium map (a click
    on the WebGL map selects the building itself)."""
    title = layers[0][1].title
    opportunity = kind == "opportunity"
    if webgl:
        deckmap.show(
            PAGE,
            name,
            [*layers, ("bereik", data.reach)] if opportunity else layers,
            ids,
            kind=kind,
            optional=[("zon", data.solar)] if opportunity else (),
            groups=envelopes,
            center=center,
            height=height,
            title=title,
        )
        return {}
    group = maps.building_group(
        layers, f"Gebouwen: {title}", extra=maps.envelope_layers(envelopes)
    )
    return st_folium(
        maps.base_map(data, kind),
        key="kk_map_current" if name == "links" else "kk_map",
        height=height,
        use_container_width=True,
        feature_group_to_add=[group, maps.reach_group(data)] if opportunity else group,
        layer_control=maps.layer_control(),
        returned_objects=["last_active_drawing", "last_object_clicked"],
        center=center,
        zoom=18 if center else None,
    )


def show_legend(parts) -> None:
    for title, table, note in parts:
        st.markdown(f"**{title}**")
        st.table(legend.styled(table))
        if note:
            st.info(note, icon=":material/info:")


if view == "naast":
    names = legend.theme_names()
    theme = st.selectbox(
        "Thema huidige situatie",
        list(names),
        format_func=names.get,
        key=state.KK_THEME_KEY,
    )
    spec = state.theme_spec(theme, private)
    left, right = st.columns(2)
    with left:
        st.subheader("Huidige situatie")
        current = [("thema", spec), selection]
        clicks = {"links": show_map("current", current, [], "links", 560)}
        show_legend([(spec.title, legend.legend_table(spec), spec.note)])
    with right:
        st.subheader("Kansen")
        clicks["rechts"] = show_map("opportunity", layers, envelopes, "rechts", 560)
        show_legend(sections)
else:
    col_map, col_side = st.columns([5, 2])
    with col_map:
        clicks = {"kaart": show_map("opportunity", layers, envelopes, "kaart", 650)}
    with col_side:
        show_legend(sections)

st.caption(maps.OFFLINE_NOTE)
# Buttons as wide as their text, on a row that wraps (cut off to "…" in
# columns at 1280 px).
downloads = st.container(horizontal=True, vertical_alignment="bottom")
col_html, col_pdf, col_png = (downloads.container(width="content") for _ in range(3))
col_variant = downloads.container()
variant = col_variant.selectbox(
    "Variant document",
    list(privacy.VARIANTS),
    format_func=privacy.VARIANTS.get,
    key=state.KK_VARIANT_KEY,
    help="Openbaar: zonder cijfers van bedrijven die geen toestemming gaven.",
)
document = (
    state.widget_value(state.KK_THEME_KEY) or "energy_label",
    colouring,
    variant,
)
col_pdf.download_button(
    "Kansenkaart als PDF (A3)",
    data=lambda: state.kansenkaart_document("pdf", *document),
    file_name=f"kansenkaart-{terrain.id}-{variant}.pdf",
    mime="application/pdf",
    on_click="ignore",
    icon=":material/picture_as_pdf:",
    help="Huidige situatie en kansen naast elkaar, met legenda, schaalstok en "
    "noordpijl, en daarna een pagina per kans en per uitdaging.",
)
col_png.download_button(
    "Kaarten voor dia's (PNG)",
    data=lambda: state.kansenkaart_document("png", *document),
    file_name=f"kansenkaart-{terrain.id}-{variant}.zip",
    mime="application/zip",
    on_click="ignore",
    icon=":material/slideshow:",
)
col_html.download_button(
    "Download kaart",
    data=lambda: export.opportunity_map_html(analysis, variant, scope, chosen),
    file_name=f"kansenkaart-{terrain.id}-{variant}.html",
    mime="text/html",
    on_click="ignore",
    icon=":material/download:",
    help="Een los HTML-bestand met de kansenkaart van deze selectie en de "
    "legenda, in de gekozen variant.",
)

for name, returned in clicks.items():
    clicked = maps.clicked_position(returned)
    click = (state.terrain_key(), clicked, str(returned.get("last_object_clicked")))
    if state.new_click(PAGE, name, click):
        state.select_building(PAGE, ids[clicked])
        st.rerun()

st.subheader("Gekozen pand")
if selected is None:
    st.caption("Klik op een pand op de kaart of zoek een adres of bedrijf.")
else:
    left, chances = st.columns([2, 3])
    left.table(
        facts.facts_table(buildings, selected, hidden=hidden[selected]).set_index(
            "gegeven"
        )
    )
    chances.table(
        maps.building_opportunities(
            state.opportunities(), ids[selected], chosen, hidden=hidden[selected]
        ).set_index("maatregel")
    )
