"""Steps 4–5: werkgroepen per measure – status, uitvoeringsplan,
intentieverklaringen, monitoring, change log and exchange of the records.
"""

import datetime as dt

import pandas as pd
import streamlit as st

from kansenkaart import DataError
from kansenkaart.engine import measures
from kansenkaart.engine.opportunities import measure_totals
from kansenkaart.records import store
from kansenkaart.records import werksessie as ws
from kansenkaart.views import charts, maps
from pages import ui
from pages import ui_records as records

terrain = ui.current_terrain()
analysis = ui.current_analysis()
key = (ui.terrain_key(), ui.assumptions_key())
ui.page_header(
    "Werkgroepen & voortgang",
    "Stap 4–5 · Werkgroepen, uitvoering en monitoring",
    terrain,
)

MEASURES = {m.id: m.name for m in measures.CATALOGUE}
LABELS = {f.name: f.label for f in store.fields("plan")}
NEW_READING = "wg_new_reading"
PLAN_HELP = {
    "goal": "Wat wil de werkgroep bereiken (bijv. 1 MWp zon op 12 daken in 2027)?",
    "approach": "Hoe: collectieve inkoop, programma van eisen, wie doet wat.",
    "costs": "Indicatieve investering en kosten per deelnemer.",
    "financing": "Bijv. SDE++, EIA, Energiefonds Drenthe, eigen middelen.",
    "planning": "Mijlpalen met data, terugkoppelmomenten (bijv. halfjaarlijks).",
}


@st.cache_data(max_entries=8, show_spinner="Kansen optellen…")
def totals(analysis_key: tuple, _analysis):
    return measure_totals(_analysis)


def save(entity: str, record_key: dict, values: dict, base: int, form: str) -> bool:
    return records.save(
        "wg", db, terrain.id, user, entity, record_key, values, base, form
    )


def submit_plan(record_key: dict, form: str, base: int, current: str) -> None:
    """Form callback: store the plan when its status may be set."""
    values = ws.form_values(st.session_state, form, "plan")
    group = db.get("workgroup", terrain.id, **record_key)
    trekker = group.values["trekker"] if group else None
    problems = ws.check_status(
        current, values["status"], {**values, "trekker": trekker}
    )
    if problems:
        st.session_state[records.problem_key("wg")] = (form, " ".join(problems))
    else:
        save("plan", record_key, values, base, form)


def sign(record_key: dict, version: int, widget: str, form: str) -> None:
    signed = bool(st.session_state[widget])
    today = dt.date.today() if signed else None
    values = {"intent_signed": signed, "intent_signed_on": today}
    save("interest", record_key, values, version, form)


def add_reading(measure_id: str) -> None:
    state = st.session_state
    values = ws.form_values(state, NEW_READING, "reading")
    tonnes = state.get(ws.widget_key(NEW_READING, "co2_t"))
    values["co2_avoided_kg_yr"] = None if tonnes is None else tonnes * 1000
    day = state[ws.widget_key(NEW_READING, "measured_on")]
    record_key = {"measure_id": measure_id, "measured_on": day}
    if save("reading", record_key, values, 0, NEW_READING):
        ws.forget_form(state, NEW_READING)


def remove_reading(record_key: dict, version: int) -> None:
    try:
        db.delete(
            "reading", terrain.id, record_key, user=user, expected_version=version
        )
    except store.ConflictError as problem:
        st.session_state[records.problem_key("wg")] = (NEW_READING, problem)


def run_import(doc: dict, name: str) -> None:
    result = db.import_terrain(
        terrain.id, doc, user=user, building_ids=set(found), source=name
    )
    st.session_state["wg_imported"] = result.summary()


db = records.open_store(store.database_url())
found = maps.search_options(analysis)
user = records.ask_user("wg", "Anna de Vries (gemeente)")
all_totals = totals(key, analysis)
interests = db.table("interest", terrain.id)
overview = ws.measure_overview(
    all_totals,
    db.table("plan", terrain.id),
    db.table("workgroup", terrain.id),
    interests,
    db.table("action", terrain.id),
)

st.subheader("Overzicht per maatregel")
left, right = st.columns([3, 2])
left.dataframe(
    overview.drop(columns="measure_id"),
    hide_index=True,
    column_config={
        "eerstvolgende datum": st.column_config.DateColumn(format="DD-MM-YYYY"),
    },
)
right.plotly_chart(charts.status_chart(overview))

measure = st.selectbox(
    "Maatregel",
    overview["measure_id"].tolist(),
    format_func=MEASURES.get,
    key="wg_measure",
)
if user is None:
    st.info("Vul eerst uw naam in om iets vast te leggen.", icon=":material/badge:")
    st.stop()
tab_plan, tab_people, tab_monitor, tab_log, tab_exchange = st.tabs(
    [
        "Status en uitvoeringsplan",
        "Deelnemers en intentieverklaring",
        "Monitoring",
        "Wijzigingslog",
        "Exporteren en importeren",
    ]
)

with tab_plan:
    record_key = {"measure_id": measure}
    form = ws.form_key("plan", terrain.id, record_key)
    record = db.get("plan", terrain.id, **record_key)
    group = db.get("workgroup", terrain.id, **record_key)
    current = record.values["status"] if record else store.STATUSES[0]
    base = ws.open_form(st.session_state, form, "plan", record, {"status": current})
    status_key = ws.widget_key(form, "status")
    options = ws.allowed_statuses(current)
    if st.session_state.get(status_key) not in options:
        options.append(st.session_state[status_key])
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
                LABELS[name], key=ws.widget_key(form, name), help=help_text, height=90
            )
        st.text_input(LABELS["responsible"], key=ws.widget_key(form, "responsible"))
        st.form_submit_button(
            "Uitvoeringsplan opslaan",
            type="primary",
            on_click=submit_plan,
            args=(record_key, form, base, current),
        )
    records.show_problem("wg", form)
    if record:
        st.caption(
            f"Laatst gewijzigd door {record.updated_by} op "
            f"{store.when_text(record.updated_at)} (versie {record.version})."
        )

with tab_people:
    people = ws.participants(analysis, interests, measure)
    signed = int(people["intentieverklaring"].sum())
    st.markdown(
        f"**{len(people)} bedrijven** met interesse in {MEASURES[measure]}; "
        f"**{signed}** hebben de intentieverklaring getekend."
    )
    if people.empty:
        st.caption("Leg interesse vast op de pagina Werksessie.")
    for person in people.to_dict("records"):
        building = person["building_id"]
        record_key = {"building_id": building, "measure_id": measure}
        form = ws.form_key("interest", terrain.id, record_key)
        widget = f"wg_sign|{measure}|{building}|{person['version']}"
        day = person["getekend op"]
        when = f" op {day:%d-%m-%Y}" if person["intentieverklaring"] and day else ""
        company = ws.markdown_text(person["bedrijf"] or found[building])
        st.checkbox(
            f"{company} ({person['interesse']}) – intentieverklaring getekend{when}",
            value=person["intentieverklaring"],
            key=widget,
            on_change=sign,
            args=(record_key, person["version"], widget, form),
        )
        records.show_problem("wg", form)

with tab_monitor:
    potential = all_totals.set_index("measure_id").loc[measure]
    readings = ws.monitoring_table(db.table("reading", terrain.id), measure)
    potential_kwp = potential["kwp"] if pd.notna(potential["kwp"]) else None
    potential_co2 = potential["co2_kg_yr"] / 1000
    st.plotly_chart(
        charts.monitoring_figure(
            readings,
            potential_kwp=potential_kwp,
            potential_co2_t_yr=potential_co2 if pd.notna(potential_co2) else None,
            measure_name=MEASURES[measure],
        )
    )
    with st.form(NEW_READING):
        st.markdown("**Nieuwe meting**")
        c1, c2, c3, c4 = st.columns(4)
        c1.date_input(
            "Datum",
            value=dt.date.today(),
            format="DD-MM-YYYY",
            key=ws.widget_key(NEW_READING, "measured_on"),
        )
        c2.number_input(
            "Gerealiseerd (kWp)",
            min_value=0.0,
            value=None,
            step=1.0,
            key=ws.widget_key(NEW_READING, "kwp_realised"),
        )
        c3.number_input(
            "Deelnemende bedrijven",
            min_value=0,
            value=signed,
            step=1,
            key=ws.widget_key(NEW_READING, "n_companies"),
        )
        c4.number_input(
            "Vermeden CO₂ (ton per jaar)",
            min_value=0.0,
            value=None,
            step=0.1,
            key=ws.widget_key(NEW_READING, "co2_t"),
        )
        st.text_input("Toelichting", key=ws.widget_key(NEW_READING, "note"))
        st.form_submit_button(
            "Meting opslaan", type="primary", on_click=add_reading, args=(measure,)
        )
    records.show_problem("wg", NEW_READING)
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
            on_click=remove_reading,
            args=(
                {
                    "measure_id": measure,
                    "measured_on": readings.at[position, "measured_on"],
                },
                int(readings.at[position, "version"]),
            ),
        )

with tab_log:
    changes = db.changes(terrain.id)
    st.caption(
        "Elke wijziging met wie en wanneer; ook geweigerde wijzigingen (conflict) "
        "staan erin. Het log kan alleen worden aangevuld."
    )
    st.dataframe(ws.change_log_table(changes, found), hide_index=True)

with tab_exchange:
    st.download_button(
        "Exporteren (JSON)",
        data=lambda: store.to_json(db.export_terrain(terrain.id)),
        file_name=f"werksessie-{terrain.id}-{dt.date.today():%Y%m%d}.json",
        mime="application/json",
        on_click="ignore",
        icon=":material/download:",
        help="Alle vastgelegde gegevens van dit terrein, om te bewaren of in een "
        "andere installatie te importeren.",
    )
    upload = st.file_uploader("Importeren (JSON)", type=["json"], key="wg_import")
    imported = st.session_state.pop("wg_imported", None)
    if imported:
        st.success(f"Geïmporteerd: {imported}.", icon=":material/check:")
    if upload is not None:
        try:
            doc = store.parse_export(upload.getvalue(), upload.name)
            preview = db.import_terrain(
                terrain.id,
                doc,
                user=user,
                building_ids=set(found),
                source=upload.name,
                dry_run=True,
            )
        except DataError as error:
            st.error(
                f"{ws.markdown_text(upload.name)} is niet geïmporteerd.\n\n"
                + ws.markdown_text(str(error)).replace("\n", "\n\n"),
                icon=":material/error:",
            )
        else:
            st.info(f"Dit bestand geeft: {preview.summary()}.", icon=":material/info:")
            if preview.changed_records:
                st.dataframe(
                    ws.import_changes_table(preview.changed_records, found),
                    hide_index=True,
                )
                st.button(
                    "Importeren",
                    type="primary",
                    on_click=run_import,
                    args=(doc, upload.name),
                )
