"""Werksessie: the wall style and the forms that record what the room says.

Interest per company and measure, the werkgroep, next steps and a note per
building, stored in :mod:`kansenkaart.records.store` with the user's name.
"""

from __future__ import annotations

import datetime as dt

import folium
import streamlit as st

from appui import records, state
from kansenkaart.core import texts
from kansenkaart.engine import privacy
from kansenkaart.records import forms, models, store
from kansenkaart.records import werksessie as ws
from kansenkaart.views import hubfigures

PREFIX = "ws"
NEW_ACTION = "ws_new_action"
MAP_FRAME = "ws_map_frame"
"""Key of the container around the map: the wall style sizes its frame."""
# On the wall: no sidebar, header or page title (the room reads the view's
# title), the full width, large type, and the map filling the screen below the
# views (16rem: banner, buttons, views and the view's title at 1280×720).
WALL_CSS = """<style>
.st-key-ws_map_frame iframe {
  height: max(60vh, calc(100vh - 16rem)) !important; }
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], header[data-testid="stHeader"],
.st-key-page_head {
  display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important;
  padding: 0.6rem 1.5rem 2rem !important; }
[data-testid="stMainBlockContainer"] p, [data-testid="stMainBlockContainer"] li,
[data-testid="stWidgetLabel"] p, [data-testid="stMarkdownContainer"] p,
button p { font-size: 1.35rem !important; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2.4rem !important; }
[data-testid="stMainBlockContainer"] h2, [data-testid="stMainBlockContainer"] h3 {
  font-size: 2.1rem !important; }
[data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 1.2rem; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {
  gap: 0.5rem !important; }
[data-testid="stMainBlockContainer"] [data-testid="stAlert"] p {
  font-size: 1rem !important; }
</style>"""


def hub_table(analysis, private: bool) -> None:
    """The energy-hub figures per hub and battery group under the map of the
    collective view: in presentation mode as the public may see them
    (:func:`kansenkaart.views.hubfigures.redacted`), with their basis."""
    summaries = state.hub_summaries()
    if summaries is None:
        return
    variant = privacy.OPENBAAR if private else privacy.INTERN
    rows = hubfigures.redacted(
        summaries, analysis.buildings, variant, analysis.assumptions
    )
    st.markdown("**Energiehub en batterij per groep (indicatief)**")
    if rows.empty:
        st.caption(
            "Geen groep om te tonen: de cijfers van een groep staan pas op de "
            "muur als de groep groot genoeg is of alle leden toestemming gaven."
        )
        return
    st.table(hubfigures.wall_table(rows).set_index("Groep"))
    st.caption(str(summaries["hub_method"].iloc[0]))


def filling_map(fmap: folium.Map) -> folium.Map:
    """``fmap`` drawn at the full height of its frame, so the wall style can
    size the map by sizing the frame (``st_folium`` fixes the map's height in
    pixels otherwise). Adds a style to the map's header; returns ``fmap``."""
    fill = "<style>#map_div { height: 100vh !important; }</style>"
    fmap.get_root().header.add_child(folium.Element(fill))
    return fmap


class Recorder(records.Recorder):
    """Saving the forms of one terrain for one user (callbacks below)."""

    prefix = PREFIX

    def submit(self, entity: str, record_key: dict, form: str, base: int, names=None):
        """Form callback: store what was typed in ``form``."""
        values = forms.form_values(state.form_state(), form, entity, names)
        self.save(entity, record_key, values, base, form)

    def add_action(self, measure_id: str) -> None:
        typed = forms.form_values(state.form_state(), NEW_ACTION, "action")
        values = {**typed, "measure_id": measure_id, "done": False}
        if self.save("action", {"uid": store.new_uid()}, values, 0, NEW_ACTION):
            forms.forget_form(state.form_state(), NEW_ACTION)

    def set_done(self, uid: str, version: int) -> None:
        self.save("action", {"uid": uid}, {"done": True}, version, f"ws|action|{uid}")

    def open(self, entity: str, record_key: dict, defaults=None) -> tuple[str, int]:
        """The form of a record: its key and the version it is based on."""
        form = forms.form_key(entity, self.terrain_id, record_key)
        record = self.db.get(entity, self.terrain_id, **record_key)
        base = forms.open_form(state.form_state(), form, entity, record, defaults)
        return form, base


def interest_tab(rec: Recorder, buildings, found, measure, name, building) -> None:
    """Record a company's interest in a measure; list who is interested."""
    if building is None:
        st.caption("Kies eerst een bedrijf: klik op de kaart of zoek hierboven.")
    else:
        record_key = {"building_id": building, "measure_id": measure}
        form, base = rec.open("interest", record_key, {"level": texts.YES})
        with st.form(form):
            st.markdown(f"**{ws.markdown_text(found[building])}** · {name}")
            st.radio(
                "Interesse",
                models.LEVELS,
                key=forms.widget_key(form, "level"),
                horizontal=True,
            )
            st.text_input(
                "Toelichting",
                key=forms.widget_key(form, "note"),
                placeholder="bijv. wil eerst een offerte zien",
            )
            st.form_submit_button(
                "Interesse vastleggen",
                type="primary",
                on_click=rec.submit,
                args=("interest", record_key, form, base, ["level", "note"]),
            )
        records.show_problem(PREFIX, form)
    people = ws.participants(
        buildings, rec.db.table("interest", rec.terrain_id), measure
    )
    st.markdown(
        f"**Interesse in {name}:** {len(people)} "
        + ("bedrijf" if len(people) == 1 else "bedrijven")
    )
    columns = ["bedrijf", "adres", "interesse", "toelichting", "vastgelegd door"]
    st.dataframe(people[[*columns, "wanneer"]], hide_index=True)


def workgroup_tab(rec: Recorder, measure: str, name: str) -> None:
    """The werkgroep of a measure: trekker and members."""
    record_key = {"measure_id": measure}
    form, base = rec.open("workgroup", record_key)
    with st.form(form):
        st.markdown(f"**Werkgroep {name}**")
        st.text_input("Trekker", key=forms.widget_key(form, "trekker"))
        st.text_area(
            "Leden (één per regel)",
            key=forms.widget_key(form, "members"),
            help="Naam en bedrijf van wie meedoet in de werkgroep.",
        )
        st.form_submit_button(
            "Werkgroep opslaan",
            type="primary",
            on_click=rec.submit,
            args=("workgroup", record_key, form, base),
        )
    records.show_problem(PREFIX, form)


def steps_tab(rec: Recorder, measure: str, name: str) -> None:
    """Next steps of a measure: mark done, add one."""
    actions = rec.db.table("action", rec.terrain_id, measure_id=measure)
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
                on_click=rec.set_done,
                args=(row.uid, row.version),
            )
        records.show_problem(PREFIX, f"ws|action|{row.uid}")
    if actions.empty:
        st.caption(f"Nog geen vervolgstappen voor {name}.")
    with st.form(NEW_ACTION):
        st.markdown("**Nieuwe vervolgstap**")
        st.text_input(
            "Wat",
            placeholder="bijv. offertes opvragen bij drie installateurs",
            key=forms.widget_key(NEW_ACTION, "description"),
        )
        who, when = st.columns(2)
        who.text_input("Wie", key=forms.widget_key(NEW_ACTION, "owner"))
        when.date_input(
            "Datum",
            value=None,
            format="DD-MM-YYYY",
            min_value=dt.date(2000, 1, 1),
            key=forms.widget_key(NEW_ACTION, "due_on"),
        )
        st.form_submit_button(
            "Vervolgstap toevoegen",
            type="primary",
            on_click=rec.add_action,
            args=(measure,),
        )
    records.show_problem(PREFIX, NEW_ACTION)


def note_tab(rec: Recorder, found, building) -> None:
    """A note per building."""
    if building is None:
        st.caption("Kies eerst een bedrijf: klik op de kaart of zoek hierboven.")
        return
    record_key = {"building_id": building}
    form, base = rec.open("note", record_key)
    with st.form(form):
        st.markdown(f"**{ws.markdown_text(found[building])}**")
        st.text_area("Notitie", key=forms.widget_key(form, "text"), height=150)
        st.form_submit_button(
            "Notitie opslaan",
            type="primary",
            on_click=rec.submit,
            args=("note", record_key, form, base),
        )
    records.show_problem(PREFIX, form)
