"""Steps 4–5: werkgroepen per measure – status, uitvoeringsplan,
intentieverklaringen, monitoring, change log and exchange of the records.
"""

import datetime as dt

import pandas as pd
import streamlit as st

from kansenkaart import DataError, charts, maps, measures, store
from kansenkaart import werksessie as ws
from kansenkaart.opportunities import measure_totals
from pages import ui

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
PLAN_HELP = {
    "goal": "Wat wil de werkgroep bereiken (bijv. 1 MWp zon op 12 daken in 2027)?",
    "approach": "Hoe: collectieve inkoop, programma van eisen, wie doet wat.",
    "costs": "Indicatieve investering en kosten per deelnemer.",
    "financing": "Bijv. SDE++, EIA, Energiefonds Drenthe, eigen middelen.",
    "planning": "Mijlpalen met data, terugkoppelmomenten (bijv. halfjaarlijks).",
}


@st.cache_resource(show_spinner="Database openen…")
def open_store(url: str) -> store.Store:
    return store.Store(url)


@st.cache_data(max_entries=8, show_spinner="Kansen optellen…")
def totals(analysis_key: tuple, _analysis):
    return measure_totals(_analysis)


def save(entity: str, record_key: dict, values: dict, base: int, form: str) -> None:
    """Store a form; a conflict or invalid input is shown at the form."""
    try:
        saved = db.save(
            entity, terrain.id, record_key, values, user=user, expected_version=base
        )
    except (store.ConflictError, DataError) as problem:
        st.session_state["wg_problem"] = (form, problem)
    else:
        ws.form_saved(st.session_state, form, saved)
        st.session_state.pop("wg_problem", None)
        st.toast(f"{store.ENTITIES[entity].label} opgeslagen.", icon=":material/check:")


def reload(form: str) -> None:
    ws.forget_form(st.session_state, form)
    st.session_state.pop("wg_problem", None)


def show_problem(form: str) -> None:
    """The conflict (with the other person's change) or error of ``form``."""
    shown, problem = st.session_state.get("wg_problem", (None, None))
    if shown != form:
        return
    st.error(str(problem), icon=":material/sync_problem:")
    if isinstance(problem, store.ConflictError):
        st.table(problem.differences().set_index("veld"))
        st.button("Opnieuw laden", key=f"{form}|reload", on_click=reload, args=(form,))


def ask_user() -> str | None:
    """The user's name, asked once per browser session (stored with changes)."""
    name = st.session_state.get(ws.USER_KEY)
    if name:
        st.caption(f"Wijzigingen worden vastgelegd op naam van **{name}**.")
        return name
    with st.form("wg_name_form"):
        typed = st.text_input(
            "Uw naam",
            placeholder="bijv. Anna de Vries (gemeente)",
            help="Wordt bij elke wijziging bewaard, zodat iedereen ziet wie wat "
            "heeft vastgelegd.",
        )
        if st.form_submit_button("Doorgaan"):
            if ws.clean_user_name(typed):
                st.session_state[ws.USER_KEY] = ws.clean_user_name(typed)
                st.rerun()
            st.error("Vul een naam in van 2 tot 100 tekens.")
    return None


def sign(building_id: str, version: int, widget: str, form: str) -> None:
    signed = bool(st.session_state[widget])
    values = {
        "intent_signed": signed,
        "intent_signed_on": dt.date.today() if signed else None,
    }
    save(
        "interest",
        {"building_id": building_id, "measure_id": measure},
        values,
        version,
        form,
    )


def remove_reading(day: dt.date, version: int, form: str) -> None:
    try:
        db.delete(
            "reading",
            terrain.id,
            {"measure_id": measure, "measured_on": day},
            user=user,
            expected_version=version,
        )
    except store.ConflictError as problem:
        st.session_state["wg_problem"] = (form, problem)


db = open_store(store.database_url())
found = maps.search_options(analysis)
user = ask_user()
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
        f"**Werkgroep:** trekker {trekker or 'nog niet gekozen'}"
        + (f"; leden: {members}" if members else "")
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
        if st.form_submit_button("Uitvoeringsplan opslaan", type="primary"):
            values = ws.form_values(st.session_state, form, "plan")
            problems = ws.check_status(
                current, values["status"], {**values, "trekker": trekker}
            )
            if problems:
                st.session_state["wg_problem"] = (
                    form,
                    DataError.single("uitvoeringsplan", " ".join(problems)),
                )
            else:
                save("plan", record_key, values, base, form)
    show_problem(form)
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
        st.checkbox(
            f"{person['bedrijf'] or found[building]} ({person['interesse']}) – "
            f"intentieverklaring getekend{when}",
            value=person["intentieverklaring"],
            key=widget,
            on_change=sign,
            args=(building, person["version"], widget, form),
        )
        show_problem(form)

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
    with st.form("wg_new_reading", clear_on_submit=True):
        st.markdown("**Nieuwe meting**")
        c1, c2, c3, c4 = st.columns(4)
        day = c1.date_input("Datum", value=dt.date.today(), format="DD-MM-YYYY")
        kwp = c2.number_input("Gerealiseerd (kWp)", min_value=0.0, value=None, step=1.0)
        companies = c3.number_input(
            "Deelnemende bedrijven", min_value=0, value=signed, step=1
        )
        co2 = c4.number_input(
            "Vermeden CO₂ (ton per jaar)", min_value=0.0, value=None, step=0.1
        )
        note = st.text_input("Toelichting")
        if st.form_submit_button("Meting opslaan", type="primary"):
            values = {
                "kwp_realised": kwp,
                "n_companies": companies,
                "co2_avoided_kg_yr": None if co2 is None else co2 * 1000,
                "note": note,
            }
            save(
                "reading",
                {"measure_id": measure, "measured_on": day},
                values,
                0,
                "wg_new_reading",
            )
    show_problem("wg_new_reading")
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
                readings.at[position, "measured_on"],
                int(readings.at[position, "version"]),
                "wg_new_reading",
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
                f"'{upload.name}' is niet geïmporteerd.\n\n"
                + str(error).replace("\n", "\n\n"),
                icon=":material/error:",
            )
        else:
            st.info(f"Dit bestand geeft: {preview.summary()}.", icon=":material/info:")
            if preview.changed_records:
                st.dataframe(
                    ws.import_changes_table(preview.changed_records, found),
                    hide_index=True,
                )
                if st.button("Importeren", type="primary", key="wg_import_go"):
                    result = db.import_terrain(
                        terrain.id,
                        doc,
                        user=user,
                        building_ids=set(found),
                        source=upload.name,
                    )
                    st.success(
                        f"Geïmporteerd: {result.summary()}.", icon=":material/check:"
                    )
