"""Werkgroepen & voortgang: plan, participants, monitoring, log and exchange.

Each ``*_tab`` function renders one tab of the page for one measure; the
:class:`Board` holds the store, terrain and user the callbacks save with.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from appui import records, state, ui
from kansenkaart import DataError
from kansenkaart.core import fmt
from kansenkaart.engine import privacy
from kansenkaart.engine.hub import HUB_MEASURES
from kansenkaart.records import exchange, forms, models, store
from kansenkaart.records import werksessie as ws
from kansenkaart.views import charts, hubfigures

PREFIX = "wg"
NEW_READING = "wg_new_reading"
# The typed numbers of a reading (widget name -> field); the upper bounds
# catch a typing slip (100 MWp, 10.000 companies, 1 Mt CO₂ on one terrain).
READING_NUMBERS = {
    "kwp_realised": fmt.NumberField("Gerealiseerd", "kWp", 0, 1e5, optional=True),
    "n_companies": fmt.NumberField(
        "Deelnemende bedrijven", "", 0, 10_000, whole=True, optional=True
    ),
    "co2_t": fmt.NumberField("Vermeden CO₂", "ton per jaar", 0, 1e6, 1, optional=True),
}
LABELS = {f.name: f.label for f in models.fields("plan")}
PLAN_HELP = {
    "goal": "Wat wil de werkgroep bereiken (bijv. 1 MWp zon op 12 daken in 2027)?",
    "approach": "Hoe: collectieve inkoop, programma van eisen, wie doet wat.",
    "costs": "Indicatieve investering en kosten per deelnemer.",
    "financing": "Bijv. SDE++, EIA, Energiefonds Drenthe, eigen middelen.",
    "planning": "Mijlpalen met data, terugkoppelmomenten (bijv. halfjaarlijks).",
}


class Board(records.Recorder):
    """The records of one terrain, changed by one user."""

    prefix = PREFIX

    def __init__(self, db: store.Store, terrain_id: str, user: str, found) -> None:
        super().__init__(db, terrain_id, user)
        self.found = found  # building id -> "address · company"

    def submit_plan(self, record_key: dict, form: str, base: int, current: str):
        """Form callback: store the plan when its status may be set."""
        values = forms.form_values(state.form_state(), form, "plan")
        group = self.db.get("workgroup", self.terrain_id, **record_key)
        trekker = group.values["trekker"] if group else None
        problems = ws.check_status(
            current, values["status"], {**values, "trekker": trekker}
        )
        if problems:
            records.refuse(PREFIX, form, " ".join(problems))
        else:
            self.save("plan", record_key, values, base, form)

    def sign(self, record_key: dict, version: int, widget: str, form: str) -> None:
        signed = bool(state.widget_value(widget))
        today = dt.date.today() if signed else None
        values = {"intent_signed": signed, "intent_signed_on": today}
        self.save("interest", record_key, values, version, form)

    def add_reading(self, measure_id: str) -> None:
        typed = state.form_state()
        values = forms.form_values(typed, NEW_READING, "reading")
        numbers = {
            name: ui.read_number(forms.widget_key(NEW_READING, name), field)
            for name, field in READING_NUMBERS.items()
        }
        if any(error for _, error in numbers.values()):
            return  # each field shows its Dutch message under it
        count, tonnes = numbers["n_companies"][0], numbers["co2_t"][0]
        values["kwp_realised"] = numbers["kwp_realised"][0]
        values["n_companies"] = None if count is None else int(count)
        values["co2_avoided_kg_yr"] = None if tonnes is None else tonnes * 1000
        day = typed[forms.widget_key(NEW_READING, "measured_on")]
        record_key = {"measure_id": measure_id, "measured_on": day}
        if self.save("reading", record_key, values, 0, NEW_READING):
            forms.forget_form(typed, NEW_READING)

    def remove_reading(self, record_key: dict, version: int) -> None:
        try:
            self.db.delete(
                "reading",
                self.terrain_id,
                record_key,
                user=self.user,
                expected_version=version,
            )
        except store.ConflictError as problem:
            records.refuse(PREFIX, NEW_READING, problem)

    def start_from_group(self, measure_id: str, members: list[str]) -> None:
        """Callback: the werkgroep of a measure gets a group's members.

        Members already in the werkgroep stay; the trekker is kept.
        """
        record_key = {"measure_id": measure_id}
        record = self.db.get("workgroup", self.terrain_id, **record_key)
        old = list(record.values["members"] or []) if record else []
        values = {
            "trekker": record.values["trekker"] if record else None,
            "members": old + [m for m in members if m not in old],
        }
        form = forms.form_key("workgroup", self.terrain_id, record_key)
        forms.forget_form(state.form_state(), form)
        self.save(
            "workgroup", record_key, values, record.version if record else 0, form
        )

    def run_import(self, doc: dict, name: str) -> None:
        result = self.db.import_terrain(
            self.terrain_id,
            doc,
            user=self.user,
            building_ids=set(self.found),
            source=name,
        )
        state.put(state.WG_IMPORTED_KEY, result.summary())


def plan_tab(board: Board, measure: str) -> None:
    """Status (following the workflow) and the uitvoeringsplan of a measure."""
    db, terrain_id = board.db, board.terrain_id
    record_key = {"measure_id": measure}
    form = forms.form_key("plan", terrain_id, record_key)
    record = db.get("plan", terrain_id, **record_key)
    group = db.get("workgroup", terrain_id, **record_key)
    current = record.values["status"] if record else models.STATUSES[0]
    base = forms.open_form(
        state.form_state(), form, "plan", record, {"status": current}
    )
    status_key = forms.widget_key(form, "status")
    options = ws.allowed_statuses(current)
    if state.widget_value(status_key) not in options:
        options.append(state.widget_value(status_key))
    trekker = group.values["trekker"] if group else None
    members = ", ".join(group.values["members"] or []) if group else ""
    st.markdown(
        f"**Werkgroep:** trekker {ws.markdown_text(trekker or 'nog niet gekozen')}"
        + (f"; leden: {ws.markdown_text(members)}" if members else "")
        + " (vast te leggen op de pagina Werksessie)."
    )
    with st.form(form):
        st.selectbox(
            "Status",
            options,
            key=status_key,
            format_func=lambda s: f"{s} – {ws.STATUS_HELP[s]}",
        )
        for name, help_text in PLAN_HELP.items():
            st.text_area(
                LABELS[name],
                key=forms.widget_key(form, name),
                help=help_text,
                height=90,
            )
        st.text_input(LABELS["responsible"], key=forms.widget_key(form, "responsible"))
        st.form_submit_button(
            "Uitvoeringsplan opslaan",
            type="primary",
            on_click=board.submit_plan,
            args=(record_key, form, base, current),
        )
    records.show_problem(PREFIX, form)
    if record:
        st.caption(
            f"Laatst gewijzigd door {record.updated_by} op "
            f"{store.when_text(record.updated_at)} (versie {record.version})."
        )


def _figures(group) -> str:
    """The combined figures of a group in Dutch (those that are known)."""
    parts = [
        fmt.number(value, decimals, unit)
        for value, decimals, unit in (
            (group.kwp, 0, "kWp"),
            (group.mwh_yr, 0, "MWh per jaar"),
            (group.co2_t_yr, 1, "ton CO₂ per jaar"),
            (group.invest_eur, 0, "€ investering"),
        )
        if pd.notna(value)
    ]
    return " · ".join(parts)


def hub_fiche(hub: pd.DataFrame, group_id) -> None:
    """The energy-hub figures of one group (indicative, with their basis), as
    the public may see them; ``hub``: :func:`hubfigures.redacted` by group id."""
    lines = (
        hubfigures.fiche_lines(hub.loc[group_id])
        if group_id in hub.index
        else [
            "Energiehubcijfers (indicatief) niet getoond: de regels voor "
            "openbaarheid staan het niet toe."
        ]
    )
    st.markdown("**Energiehub (indicatief)**")
    for line in lines[:-1]:
        st.markdown(f"- {ws.markdown_text(line)}")
    st.caption(ws.markdown_text(lines[-1]))


def groups_tab(board: Board, groups: pd.DataFrame, measure: str, name: str) -> None:
    """The collective groups of a measure; start the werkgroep from one.

    ``groups``: rows of ``Analysis.groups`` for the measure, with interest
    counts and figures as the public variant shows them (consent respected).
    A hub or battery group's card adds its energy-hub figures
    (:func:`hub_fiche`).
    """
    summaries = state.hub_summaries() if measure in HUB_MEASURES else None
    hub = (
        None
        if summaries is None
        else hubfigures.redacted(
            summaries,
            state.analysis().buildings,
            privacy.OPENBAAR,
            state.analysis().assumptions,
        ).set_index("group_id")
    )
    if groups.empty:
        st.caption(
            f"Geen collectieve groep voor {name} op dit terrein: de maatregel "
            "is individueel, of te weinig bedrijven voldoen aan de regel."
        )
        return
    st.caption(
        "Groepen uit de analyse: wie samen deze maatregel kan oppakken. "
        "Enquête: alleen antwoorden van bedrijven die toestemming gaven; "
        "cijfers alleen voor groepen van minstens "
        f"{fmt.number(state.analysis().assumptions.privacy_min_connections.value)}"
        " bedrijven."
    )
    for group in groups.itertuples(index=False):
        members = [board.found.get(b, b) for b in group.member_ids]
        size = (
            ""
            if pd.isna(group.n_companies)
            else f" – {fmt.number(group.n_companies)} bedrijven"
        )
        with st.container(border=True):
            st.markdown(f"**{ws.markdown_text(group.name)}**{size}")
            st.caption(ws.markdown_text(f"{group.basis} {group.figures_basis}"))
            figures = _figures(group)
            if figures:
                st.markdown(ws.markdown_text(figures))
            if pd.notna(group.n_interest_yes):
                st.markdown(
                    f"Enquête: **{fmt.number(group.n_interest_yes)}** ja, "
                    f"**{fmt.number(group.n_interest_maybe)}** misschien."
                )
            if hub is not None:
                hub_fiche(hub, group.group_id)
            with st.expander(f"Leden met toestemming ({fmt.number(len(members))})"):
                st.markdown("\n".join(f"- {ws.markdown_text(m)}" for m in members))
                others = privacy.members_text([], group.n_others)
                if others:
                    st.caption(others)
            st.button(
                "Werkgroep starten met deze groep",
                key=f"wg_group|{group.group_id}",
                on_click=board.start_from_group,
                args=(measure, members),
                help="Zet de leden van deze groep in de werkgroep van de "
                "maatregel (bestaande leden en trekker blijven).",
            )
    records.show_problem(
        PREFIX, forms.form_key("workgroup", board.terrain_id, {"measure_id": measure})
    )


def people_tab(board: Board, people: pd.DataFrame, measure: str, name: str) -> None:
    """Companies interested in a measure; tick the signed intentieverklaring."""
    signed = int(people["intentieverklaring"].sum())
    st.markdown(
        f"**{len(people)} bedrijven** met interesse in {name}; "
        f"**{signed}** hebben de intentieverklaring getekend."
    )
    if people.empty:
        st.caption("Leg interesse vast op de pagina Werksessie.")
    for person in people.to_dict("records"):
        building = person["building_id"]
        record_key = {"building_id": building, "measure_id": measure}
        form = forms.form_key("interest", board.terrain_id, record_key)
        widget = f"wg_sign|{measure}|{building}|{person['version']}"
        day = person["getekend op"]
        when = f" op {day:%d-%m-%Y}" if person["intentieverklaring"] and day else ""
        company = ws.markdown_text(person["bedrijf"] or board.found[building])
        st.checkbox(
            f"{company} ({person['interesse']}) – intentieverklaring getekend{when}",
            value=person["intentieverklaring"],
            key=widget,
            on_change=board.sign,
            args=(record_key, person["version"], widget, form),
        )
        records.show_problem(PREFIX, form)


def monitoring_tab(board: Board, potential, measure: str, name: str, signed: int):
    """Readings against the terrain's potential: chart, new reading, list."""
    readings = ws.monitoring_table(board.db.table("reading", board.terrain_id), measure)
    potential_kwp = potential["kwp"] if pd.notna(potential["kwp"]) else None
    potential_co2 = potential["co2_kg_yr"] / 1000
    st.plotly_chart(
        charts.monitoring_figure(
            readings,
            potential_kwp=potential_kwp,
            potential_co2_t_yr=potential_co2 if pd.notna(potential_co2) else None,
            measure_name=name,
        )
    )
    with st.form(NEW_READING):
        st.markdown("**Nieuwe meting**")
        c1, c2, c3, c4 = st.columns(4)
        c1.date_input(
            "Datum",
            value=dt.date.today(),
            format="DD-MM-YYYY",
            key=forms.widget_key(NEW_READING, "measured_on"),
        )
        for column, name, value in (
            (c2, "kwp_realised", None),
            (c3, "n_companies", signed),
            (c4, "co2_t", None),
        ):
            ui.dutch_number_input(
                READING_NUMBERS[name],
                value,
                key=forms.widget_key(NEW_READING, name),
                container=column,
            )
        st.text_input("Toelichting", key=forms.widget_key(NEW_READING, "note"))
        st.form_submit_button(
            "Meting opslaan",
            type="primary",
            on_click=board.add_reading,
            args=(measure,),
        )
    records.show_problem(PREFIX, NEW_READING)
    st.dataframe(
        readings.drop(columns="version"),
        hide_index=True,
        column_config={
            "measured_on": st.column_config.DateColumn("Datum", format="DD-MM-YYYY"),
            "kwp_realised": st.column_config.NumberColumn(
                "Gerealiseerd (kWp)", format="localized"
            ),
            "n_companies": "Deelnemende bedrijven",
            "co2_avoided_t_yr": st.column_config.NumberColumn(
                "Vermeden CO₂ (ton per jaar)", format="localized"
            ),
            "note": "Toelichting",
            "updated_by": "Vastgelegd door",
        },
    )
    if not readings.empty:
        pick, remove = st.columns([3, 1], vertical_alignment="bottom")
        position = pick.selectbox(
            "Meting",
            list(readings.index),
            format_func=lambda i: f"{readings.at[i, 'measured_on']:%d-%m-%Y}",
            key="wg_reading",
        )
        remove.button(
            "Meting verwijderen",
            on_click=board.remove_reading,
            args=(
                {
                    "measure_id": measure,
                    "measured_on": readings.at[position, "measured_on"],
                },
                int(readings.at[position, "version"]),
            ),
        )


def log_tab(board: Board) -> None:
    """Every change with who and when."""
    st.caption(
        "Elke wijziging met wie en wanneer; ook geweigerde wijzigingen (conflict) "
        "staan erin. Het log kan alleen worden aangevuld."
    )
    changes = board.db.changes(board.terrain_id)
    st.dataframe(ws.change_log_table(changes, board.found), hide_index=True)


def exchange_tab(board: Board) -> None:
    """Export the terrain's records as JSON; preview and import a file."""
    db, terrain_id = board.db, board.terrain_id
    st.download_button(
        "Exporteren (JSON)",
        data=lambda: exchange.to_json(db.export_terrain(terrain_id)),
        file_name=f"werksessie-{terrain_id}-{dt.date.today():%Y%m%d}.json",
        mime="application/json",
        on_click="ignore",
        icon=":material/download:",
        help="Alle vastgelegde gegevens van dit terrein, om te bewaren of in een "
        "andere installatie te importeren.",
    )
    upload = st.file_uploader("Importeren (JSON)", type=["json"], key="wg_import")
    imported = state.pop(state.WG_IMPORTED_KEY)
    if imported:
        st.success(f"Geïmporteerd: {imported}.", icon=":material/check:")
    if upload is None:
        return
    try:
        doc = exchange.parse_export(upload.getvalue(), upload.name)
        preview = db.import_terrain(
            terrain_id,
            doc,
            user=board.user,
            building_ids=set(board.found),
            source=upload.name,
            dry_run=True,
        )
    except DataError as error:
        st.error(
            f"{ws.markdown_text(upload.name)} is niet geïmporteerd.\n\n"
            + ws.markdown_text(str(error)).replace("\n", "\n\n"),
            icon=":material/error:",
        )
        return
    st.info(f"Dit bestand geeft: {preview.summary()}.", icon=":material/info:")
    if preview.changed_records:
        st.dataframe(
            ws.import_changes_table(preview.changed_records, board.found),
            hide_index=True,
        )
        st.button(
            "Importeren",
            type="primary",
            on_click=board.run_import,
            args=(doc, upload.name),
        )
