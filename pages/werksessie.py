"""Steps 3–4: the werksessie – prepared views on the wall, recording interest.

The facilitator steps through :data:`kansenkaart.records.werksessie.VIEWS` with one
click each; below the map what is said in the room is recorded in the
database (:mod:`kansenkaart.records.store`): interest per company and measure, the
werkgroep, next steps and notes per building.
"""

import datetime as dt

import streamlit as st
from streamlit_folium import st_folium

from kansenkaart.core import fmt
from kansenkaart.engine import measures
from kansenkaart.engine.opportunities import terrain_balance
from kansenkaart.records import store
from kansenkaart.records import werksessie as ws
from kansenkaart.views import charts, legend, maps
from pages import ui
from pages import ui_records as records

terrain = ui.current_terrain()
analysis = ui.current_analysis()
key = (ui.terrain_key(), ui.assumptions_key())
ui.page_header("Werksessie", "Stap 3–4 · Werksessie en werkgroepen", terrain)

VIEWS = {v.id: v for v in ws.VIEWS}
MEASURES = {m.id: m.name for m in measures.CATALOGUE}
NEW_ACTION = "ws_new_action"
# On the wall: no sidebar or header, the full width, large type.
WALL_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], header[data-testid="stHeader"] {
  display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important;
  padding: 0.6rem 1.5rem 2rem !important; }
[data-testid="stMainBlockContainer"] p, [data-testid="stMainBlockContainer"] li,
[data-testid="stWidgetLabel"] p, [data-testid="stMarkdownContainer"] p,
button p { font-size: 1.35rem !important; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2.4rem !important; }
[data-testid="stMainBlockContainer"] h2 { font-size: 2.1rem !important; }
[data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 1.2rem; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {
  gap: 0.5rem !important; }
[data-testid="stMainBlockContainer"] [data-testid="stAlert"] p {
  font-size: 1rem !important; }
</style>"""


@st.cache_resource(max_entries=8, show_spinner="Kaart voorbereiden…")
def map_data(analysis_key: tuple, _analysis, _terrain) -> maps.MapData:
    return maps.prepare(_analysis, _terrain)


def go_to(view_id: str) -> None:
    st.session_state["ws_view"] = view_id
    st.session_state["ws_measure"] = VIEWS[view_id].measures[0]


def step(offset: int) -> None:
    go_to(ws.next_view(st.session_state["ws_view"], offset))


def save(entity: str, record_key: dict, values: dict, base: int, form: str) -> bool:
    return records.save(
        "ws", db, terrain.id, user, entity, record_key, values, base, form
    )


def submit(entity: str, record_key: dict, form: str, base: int, names=None) -> None:
    """Form callback: store what was typed in ``form``."""
    save(
        entity,
        record_key,
        ws.form_values(st.session_state, form, entity, names),
        base,
        form,
    )


def add_action(measure_id: str) -> None:
    typed = ws.form_values(st.session_state, NEW_ACTION, "action")
    values = {**typed, "measure_id": measure_id, "done": False}
    if save("action", {"uid": store.new_uid()}, values, 0, NEW_ACTION):
        ws.forget_form(st.session_state, NEW_ACTION)


def set_done(uid: str, version: int) -> None:
    save("action", {"uid": uid}, {"done": True}, version, f"ws|action|{uid}")


db = records.open_store(store.database_url())
data = map_data(key, analysis, terrain)
ids = analysis["building_id"].astype(str).tolist()
found = maps.search_options(analysis)
if st.session_state.get("ws_view") not in VIEWS:
    go_to(ws.VIEWS[0].id)

col_back, col_views, col_next, col_mode = st.columns(
    [0.9, 6, 0.9, 1.4], vertical_alignment="center"
)
col_back.button("◀ Vorige", on_click=step, args=(-1,), use_container_width=True)
col_views.segmented_control(
    "Beeld",
    list(VIEWS),
    format_func=lambda v: VIEWS[v].title,
    required=True,
    key="ws_view",
    on_change=lambda: go_to(st.session_state["ws_view"]),
    label_visibility="collapsed",
)
col_next.button("Volgende ▶", on_click=step, args=(1,), use_container_width=True)
private = col_mode.toggle(
    "Presentatiemodus",
    value=True,
    key="ws_private",
    help="Voor de muur: geen zijbalk, grote letters en hoog contrast; het "
    "energiegebruik van bedrijven zonder toestemming wordt niet getoond.",
)
if private:
    st.html(WALL_CSS)

view = VIEWS[st.session_state["ws_view"]]
measure = st.session_state.get("ws_measure") or view.measures[0]
interests = db.table("interest", terrain.id)
hidden = legend.hidden_mask(analysis, private, terrain.survey)
selected_id = st.session_state.get("ws_building")
selected = ids.index(selected_id) if selected_id in ids else None

st.subheader(view.title)
if view.kind == "balance":
    st.markdown(f"*{view.story}*")
    balance = terrain_balance(analysis)
    minimum = ui.current_assumptions().privacy_min_connections.value
    if private and balance.n_buildings < minimum:
        st.info(
            f"Dit terrein heeft minder dan {fmt.number(minimum)} bedrijven; "
            "totalen worden in de presentatie niet getoond.",
            icon=":material/visibility_off:",
        )
    else:
        left, right = st.columns([3, 2])
        figure = charts.energy_balance_figure(balance)
        left.plotly_chart(charts.projector_layout(figure) if private else figure)
        for sentence in balance.sentences():
            right.markdown(f"- {sentence}")
else:
    layers, sections = ws.view_layers(
        analysis, view, hidden=hidden, sources=data.reach_counts
    )
    interest = ws.interest_spec(analysis, interests, measure)
    if (interest.codes >= 0).any():
        sections.append((interest.title, legend.legend_table(interest), ""))
    layers += [
        ("selectie", maps.selection_spec(len(ids), selected)),
        ("interesse", interest),  # on top: the black selection shows at its edge
    ]
    st.html(ws.legend_strip(sections, view.story))
    centre, zoom = ws.source_framing(data) if view.sources else (None, None)
    returned = st_folium(
        maps.base_map(data, view.kind),
        key="ws_map",
        height=620,
        use_container_width=True,
        feature_group_to_add=maps.building_group(layers, f"Gebouwen: {view.title}"),
        layer_control=maps.layer_control(),
        returned_objects=["last_active_drawing", "last_object_clicked"],
        center=centre,
        zoom=zoom,
    )
    clicked = maps.clicked_position(returned)
    click = (key, clicked, str(returned.get("last_object_clicked")))
    if clicked is not None and click != st.session_state.get("ws_click"):
        st.session_state["ws_click"] = click
        st.session_state["ws_building"] = ids[clicked]
        st.rerun()

st.divider()
st.subheader("Vastleggen wat in de zaal wordt besproken")
user = records.ask_user("ws", "Anna de Vries (parkmanagement)")
col_measure, col_building = st.columns(2)
measure = col_measure.selectbox(
    "Maatregel", list(MEASURES), format_func=MEASURES.get, key="ws_measure"
)
building = col_building.selectbox(
    "Bedrijf of pand",
    ids,
    index=None,
    format_func=found.get,
    placeholder="Klik op een pand op de kaart of typ een adres of bedrijfsnaam",
    key="ws_building",
)
if user is None:
    st.info("Vul eerst uw naam in om iets vast te leggen.", icon=":material/badge:")
    st.stop()

tab_interest, tab_group, tab_steps, tab_note = st.tabs(
    ["Interesse", "Werkgroep", "Vervolgstappen", "Notitie bij pand"]
)
with tab_interest:
    if building is None:
        st.caption("Kies eerst een bedrijf: klik op de kaart of zoek hierboven.")
    else:
        record_key = {"building_id": building, "measure_id": measure}
        form = ws.form_key("interest", terrain.id, record_key)
        base = ws.open_form(
            st.session_state,
            form,
            "interest",
            db.get("interest", terrain.id, **record_key),
            {"level": "ja"},
        )
        with st.form(form):
            st.markdown(
                f"**{ws.markdown_text(found[building])}** · {MEASURES[measure]}"
            )
            st.radio(
                "Interesse",
                store.LEVELS,
                key=ws.widget_key(form, "level"),
                horizontal=True,
            )
            st.text_input(
                "Toelichting",
                key=ws.widget_key(form, "note"),
                placeholder="bijv. wil eerst een offerte zien",
            )
            st.form_submit_button(
                "Interesse vastleggen",
                type="primary",
                on_click=submit,
                args=("interest", record_key, form, base, ["level", "note"]),
            )
        records.show_problem("ws", form)
    people = ws.participants(analysis, db.table("interest", terrain.id), measure)
    st.markdown(
        f"**Interesse in {MEASURES[measure]}:** {len(people)} "
        + ("bedrijf" if len(people) == 1 else "bedrijven")
    )
    st.dataframe(
        people[
            [
                "bedrijf",
                "adres",
                "interesse",
                "toelichting",
                "vastgelegd door",
                "wanneer",
            ]
        ],
        hide_index=True,
    )

with tab_group:
    record_key = {"measure_id": measure}
    form = ws.form_key("workgroup", terrain.id, record_key)
    base = ws.open_form(
        st.session_state,
        form,
        "workgroup",
        db.get("workgroup", terrain.id, **record_key),
    )
    with st.form(form):
        st.markdown(f"**Werkgroep {MEASURES[measure]}**")
        st.text_input("Trekker", key=ws.widget_key(form, "trekker"))
        st.text_area(
            "Leden (één per regel)",
            key=ws.widget_key(form, "members"),
            help="Naam en bedrijf van wie meedoet in de werkgroep.",
        )
        st.form_submit_button(
            "Werkgroep opslaan",
            type="primary",
            on_click=submit,
            args=("workgroup", record_key, form, base),
        )
    records.show_problem("ws", form)

with tab_steps:
    actions = db.table("action", terrain.id, measure_id=measure)
    for row in actions.itertuples():
        text, button = st.columns([5, 1], vertical_alignment="center")
        when = row.due_on.strftime("%d-%m-%Y") if row.due_on else "geen datum"
        mark = "✅ " if row.done else ""
        who = ws.markdown_text(row.owner) if row.owner else "nog niemand"
        text.markdown(f"{mark}**{ws.markdown_text(row.description)}** — {who}, {when}")
        if not row.done:
            button.button(
                "Gedaan",
                key=f"ws_done_{row.uid}",
                on_click=set_done,
                args=(row.uid, row.version),
            )
        records.show_problem("ws", f"ws|action|{row.uid}")
    if actions.empty:
        st.caption(f"Nog geen vervolgstappen voor {MEASURES[measure]}.")
    with st.form(NEW_ACTION):
        st.markdown("**Nieuwe vervolgstap**")
        st.text_input(
            "Wat",
            placeholder="bijv. offertes opvragen bij drie installateurs",
            key=ws.widget_key(NEW_ACTION, "description"),
        )
        who, when = st.columns(2)
        who.text_input("Wie", key=ws.widget_key(NEW_ACTION, "owner"))
        when.date_input(
            "Datum",
            value=None,
            format="DD-MM-YYYY",
            min_value=dt.date(2000, 1, 1),
            key=ws.widget_key(NEW_ACTION, "due_on"),
        )
        st.form_submit_button(
            "Vervolgstap toevoegen",
            type="primary",
            on_click=add_action,
            args=(measure,),
        )
    records.show_problem("ws", NEW_ACTION)

with tab_note:
    if building is None:
        st.caption("Kies eerst een bedrijf: klik op de kaart of zoek hierboven.")
    else:
        record_key = {"building_id": building}
        form = ws.form_key("note", terrain.id, record_key)
        base = ws.open_form(
            st.session_state, form, "note", db.get("note", terrain.id, **record_key)
        )
        with st.form(form):
            st.markdown(f"**{ws.markdown_text(found[building])}**")
            st.text_area("Notitie", key=ws.widget_key(form, "text"), height=150)
            st.form_submit_button(
                "Notitie opslaan",
                type="primary",
                on_click=submit,
                args=("note", record_key, form, base),
            )
        records.show_problem("ws", form)
