"""AppTest of the pages Werksessie and Werkgroepen & voortgang.

Every test points the store at its own SQLite file through DATABASE_URL.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import kansenkaart as kk
from kansenkaart.core import fmt, texts
from kansenkaart.engine import measures
from kansenkaart.records import database, exchange, forms, store
from kansenkaart.views import legend, projector

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
TERRAIN = "de-punt"


@pytest.fixture(scope="module")
def analysed():
    return kk.analyse(kk.load_terrain("demo:de-punt")).buildings


@pytest.fixture
def db_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'werksessies.sqlite'}"
    monkeypatch.setenv(database.ENV_URL, url)
    return url


@pytest.fixture
def db(db_url):
    opened = store.Store(db_url)
    yield opened
    opened.close()


def open_page(page: str, user: str | None = "Anna", **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["terrain_key"] = "demo:de-punt"
    if user:
        at.session_state[forms.USER_KEY] = user
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(f"pages/{page}").run()
    assert_ok(at)
    return at


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def open_tab(at: AppTest, key: str, label: str) -> AppTest:
    """Open a tab as a click does: only the open tab is built (issue 18)."""
    at.session_state[key] = label
    at.run()
    assert_ok(at)
    return at


def plain(markdown: str) -> str:
    """Markdown shown as the user reads it (backslash escapes removed)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def everything_sent(at: AppTest) -> str:
    """Every element the page sent to the browser, map data included."""
    parts = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def map_args(at: AppTest) -> dict:
    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)


# --- Werksessie ------------------------------------------------------------------


def test_facilitator_steps_through_the_views_with_one_click_each(db_url):
    at = open_page("4_werksessie.py")
    titles = []
    for _ in projector.VIEWS:
        titles.append(at.subheader[0].value)
        button(at, "Volgende ▶").click().run()
        assert_ok(at)
    assert titles == [v.title for v in projector.VIEWS]
    assert at.subheader[0].value == "Energieneutraal 2035", "stays at the last view"
    button(at, "◀ Vorige").click().run()
    assert at.subheader[0].value == "Collectieve maatregelen"
    assert at.selectbox(key="ws_measure").value == "collectieve_inkoop_zon"


def test_every_map_view_sends_its_layers_and_a_large_legend(db_url):
    at = open_page("4_werksessie.py")
    expected = {
        "huidige_situatie": ('kkLayer({"d":"b","k":"thema"', "Energiegebruik:"),
        "zon_op_dak": ('"k":"zon"', "Zonnepotentieel:"),
        "koppelkansen": ('"k":"kansen"', "Koppelbronnen (panden binnen de ring):"),
        "collectief": ('"k":"kansen"', "Kansen in selectie:"),
    }
    for view, (layer, legend_title) in expected.items():
        at.segmented_control(key="ws_view").set_value(view).run()
        assert_ok(at)
        assert layer in map_args(at)["feature_group"]
        strips = [h.proto.body for h in at.get("html") if "ws-legend" in h.proto.body]
        assert legend_title in strips[0] and "font-size:22px" in strips[0]
    at.segmented_control(key="ws_view").set_value("energieneutraal").run()
    assert not at.get("component_instance"), "the balance view has a chart, no map"
    assert at.get("vega_lite_chart")


def test_presentation_mode_hides_the_sidebar_and_can_be_switched_off(db_url):
    at = open_page("4_werksessie.py")
    css = [h.proto.body for h in at.get("html") if "stSidebar" in h.proto.body]
    assert css and "display: none" in css[0]
    at.toggle(key="ws_private").set_value(False).run()
    assert not [h for h in at.get("html") if "stSidebar" in h.proto.body]


def test_no_energy_figure_of_a_company_without_consent_reaches_the_page(
    db_url, analysed
):
    survey = kk.load_terrain("demo:de-punt").survey
    hidden = legend.hidden_mask(analysed, True, survey)
    values = legend.energy_total(analysed).values
    kwh = analysed["elec_kwh_yr"]
    secret = [
        text
        for i in np.flatnonzero(hidden)
        if values[i] != legend.UNKNOWN_LABEL and values.count(values[i]) == 1
        for text in (values[i], fmt.number(kwh.iloc[i], 0, "kWh"))
        if text != texts.UNKNOWN
    ]
    assert len(secret) >= 5
    at = open_page("4_werksessie.py")
    sent = everything_sent(at)
    assert not [text for text in secret if text in sent]
    at.toggle(key="ws_private").set_value(False).run()
    shown = map_args(at)["feature_group"]
    assert all(v in shown for v in secret if "MWh" in v), "control: shown when allowed"


def test_the_name_is_asked_once_per_browser_session(db_url):
    at = open_page("4_werksessie.py", user=None)
    assert any("Vul eerst uw naam in" in i.value for i in at.info)
    at.text_input[0].input("  Anna de Vries ")
    button(at, "Doorgaan").click().run()
    assert_ok(at)
    assert at.session_state[forms.USER_KEY] == "Anna de Vries"
    at.switch_page("pages/4_werkgroepen.py").run()
    assert any("Anna de Vries" in c.value for c in at.caption)
    assert not [t for t in at.text_input if t.label == "Uw naam"]


def test_interest_is_recorded_from_the_list_and_shown_on_the_map(db, analysed):
    building = str(analysed["building_id"].iloc[3])
    at = open_page("4_werksessie.py", ws_building=building)
    at.segmented_control(key="ws_view").set_value("zon_op_dak").run()
    form = forms.form_key(
        "interest",
        TERRAIN,
        {"building_id": building, "measure_id": "collectieve_inkoop_zon"},
    )
    at.text_input(key=forms.widget_key(form, "note")).input("wil offerte")
    button(at, "Interesse vastleggen").click().run()
    assert_ok(at)
    record = db.get(
        "interest", TERRAIN, building_id=building, measure_id="collectieve_inkoop_zon"
    )
    assert (record.values["level"], record.values["note"]) == ("ja", "wil offerte")
    assert record.updated_by == "Anna"
    people = at.dataframe[0].value
    assert people["bedrijf"].tolist() == [analysed["company"].iloc[3]]
    assert '"k":"interesse"' in map_args(at)["feature_group"]
    strip = next(h.proto.body for h in at.get("html") if "ws-legend" in h.proto.body)
    assert "Interesse in Collectieve inkoop zonnepanelen" in strip


def test_a_stale_form_shows_the_other_persons_change_and_reloads(db, analysed):
    building = str(analysed["building_id"].iloc[0])
    key = {"building_id": building, "measure_id": "mkb_energiescan"}
    db.save(
        "interest",
        TERRAIN,
        key,
        {"level": "misschien"},
        user="Bert",
        expected_version=0,
    )
    at = open_page("4_werksessie.py", ws_building=building)
    form = forms.form_key("interest", TERRAIN, key)
    db.save(
        "interest",
        TERRAIN,
        key,
        {"level": "nee", "note": "toch niet"},
        user="Carla",
        expected_version=1,
    )  # meanwhile, in another browser
    at.radio(key=forms.widget_key(form, "level")).set_value("ja")
    button(at, "Interesse vastleggen").click().run()
    assert_ok(at)
    (error,) = at.error
    assert "intussen gewijzigd door Carla" in plain(error.value)
    diff = at.table[0].value
    assert diff.loc["Interesse"].tolist() == ["ja", "nee"]
    assert db.get("interest", TERRAIN, **key).values["level"] == "nee"
    assert db.changes(TERRAIN).iloc[0]["action"] == "conflict"

    button(at, "Opnieuw laden").click().run()
    assert not at.error
    assert at.radio(key=forms.widget_key(form, "level")).value == "nee"
    at.radio(key=forms.widget_key(form, "level")).set_value("ja")
    button(at, "Interesse vastleggen").click().run()
    saved = db.get("interest", TERRAIN, **key)
    assert (saved.values["level"], saved.version, saved.updated_by) == ("ja", 3, "Anna")


def test_workgroup_next_step_and_note_are_recorded(db, analysed):
    building = str(analysed["building_id"].iloc[1])
    at = open_page(
        "4_werksessie.py",
        ws_building=building,
        ws_view="collectief",
        ws_measure="energy_hub",
        ws_tab="Werkgroep",
    )
    group = forms.form_key("workgroup", TERRAIN, {"measure_id": "energy_hub"})
    at.text_input(key=forms.widget_key(group, "trekker")).input("Anna")
    at.text_area(key=forms.widget_key(group, "members")).input("Bert\nCarla")
    button(at, "Werkgroep opslaan").click().run()
    assert db.get("workgroup", TERRAIN, measure_id="energy_hub").values == {
        "trekker": "Anna",
        "members": ["Bert", "Carla"],
    }
    open_tab(at, "ws_tab", "Vervolgstappen")
    step = next(t for t in at.text_input if t.label == "Wat")
    step.input("Netbeheerder uitnodigen")
    next(d for d in at.date_input if d.label == "Datum").set_value(dt.date(2026, 12, 1))
    button(at, "Vervolgstap toevoegen").click().run()
    (action,) = db.table("action", TERRAIN).itertuples()
    assert (action.description, action.due_on, action.done) == (
        "Netbeheerder uitnodigen",
        dt.date(2026, 12, 1),
        False,
    )
    button(at, "Gedaan").click().run()
    assert db.get("action", TERRAIN, uid=action.uid).values["done"] is True
    open_tab(at, "ws_tab", "Notitie bij pand")
    note = forms.form_key("note", TERRAIN, {"building_id": building})
    at.text_area(key=forms.widget_key(note, "text")).input("<b>{{ 7*7 }}</b>")
    button(at, "Notitie opslaan").click().run()
    assert_ok(at)
    assert db.get("note", TERRAIN, building_id=building).values["text"] == (
        "<b>{{ 7*7 }}</b>"
    )


# --- Werkgroepen & voortgang ------------------------------------------------------


def test_status_follows_the_workflow(db):
    at = open_page("4_werkgroepen.py", wg_measure="energiecooperatie")
    form = forms.form_key("plan", TERRAIN, {"measure_id": "energiecooperatie"})
    status = at.selectbox(key=forms.widget_key(form, "status"))
    assert status.options == [
        "idee – Kans gezien in de werksessie.",
        "onderzoek – De werkgroep zoekt haalbaarheid, kosten en financiering uit.",
    ]
    status.select("onderzoek")
    button(at, "Uitvoeringsplan opslaan").click().run()
    assert "ontbreekt nog: Trekker" in plain(at.error[0].value)
    assert db.get("plan", TERRAIN, measure_id="energiecooperatie") is None

    db.save(
        "workgroup",
        TERRAIN,
        {"measure_id": "energiecooperatie"},
        {"trekker": "Anna"},
        user="Anna",
        expected_version=0,
    )
    at.text_area(key=forms.widget_key(form, "goal")).input("Eigen coöperatie in 2027")
    button(at, "Uitvoeringsplan opslaan").click().run()
    assert_ok(at)
    assert not at.error
    plan = db.get("plan", TERRAIN, measure_id="energiecooperatie")
    assert (plan.values["status"], plan.values["goal"]) == (
        "onderzoek",
        "Eigen coöperatie in 2027",
    )
    overview = at.table[0].value.set_index("maatregel")
    assert overview.loc["Energiecoöperatie", "status"] == "onderzoek"
    assert overview.loc["Energiecoöperatie", "trekker"] == "Anna"


def test_intentieverklaring_is_signed_per_company(db, analysed):
    building = str(analysed["building_id"].iloc[2])
    key = {"building_id": building, "measure_id": "led"}
    db.save("interest", TERRAIN, key, {"level": "ja"}, user="Bert", expected_version=0)
    at = open_page(
        "4_werkgroepen.py",
        wg_measure="led",
        wg_tab="Deelnemers en intentieverklaring",
    )
    box = next(c for c in at.checkbox if "intentieverklaring getekend" in c.label)
    assert analysed["company"].iloc[2] in box.label
    box.check().run()
    assert_ok(at)
    signed = db.get("interest", TERRAIN, **key)
    assert signed.values["intent_signed"] is True
    assert signed.values["intent_signed_on"] == dt.date.today()
    assert "**1** hebben de intentieverklaring getekend" in "".join(
        m.value for m in at.markdown
    )


def test_monitoring_readings_are_added_charted_and_removed(db):
    at = open_page("4_werkgroepen.py", wg_measure="zon_eigen_dak")
    # the first tab only: the monitoring chart waits until its tab is opened
    assert [t.label for t in at.tabs][3] == "Monitoring"
    assert not at.get("plotly_chart") or all(
        "Monitoring" not in str(json.loads(c.proto.spec)["layout"]["title"])
        for c in at.get("plotly_chart")
    )
    assert not [d for d in at.date_input if d.label == "Datum"]
    open_tab(at, "wg_tab", "Monitoring")
    next(d for d in at.date_input if d.label == "Datum").set_value(dt.date(2026, 6, 1))
    next(n for n in at.text_input if n.label == "Gerealiseerd (kWp)").input("150")
    next(n for n in at.text_input if n.label.startswith("Vermeden CO")).input("12,5")
    button(at, "Meting opslaan").click().run()
    assert_ok(at)
    reading = db.get(
        "reading", TERRAIN, measure_id="zon_eigen_dak", measured_on=dt.date(2026, 6, 1)
    )
    assert reading.values["kwp_realised"] == 150.0
    assert reading.values["co2_avoided_kg_yr"] == 12_500.0
    figures = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    monitoring = next(f for f in figures if "Monitoring" in str(f["layout"]["title"]))
    names = [t.get("name") for t in monitoring["data"]]
    assert "potentieel op het terrein" in names
    button(at, "Meting verwijderen").click().run()
    assert db.table("reading", TERRAIN).empty
    log = db.changes(TERRAIN)
    assert list(log["action"]) == ["delete", "create"]


def test_change_log_tab_lists_who_did_what(db):
    db.save(
        "plan",
        TERRAIN,
        {"measure_id": "led"},
        {"status": "idee"},
        user="Bert",
        expected_version=0,
    )
    at = open_page("4_werkgroepen.py", wg_tab="Wijzigingslog")
    log = next(d.value for d in at.dataframe if "wie" in d.value.columns)
    assert log[["wie", "onderdeel", "actie"]].values.tolist() == [
        ["Bert", "Uitvoeringsplan", "aangemaakt"]
    ]


def test_export_and_import_of_the_session_data(db):
    db.save(
        "plan",
        TERRAIN,
        {"measure_id": "led"},
        {"status": "idee"},
        user="Bert",
        expected_version=0,
    )
    doc = db.export_terrain(TERRAIN)
    doc["plan"][0]["status"] = "onderzoek"
    at = open_page("4_werkgroepen.py", wg_tab="Exporteren en importeren")
    assert [b for b in at.get("download_button") if "Exporteren" in b.proto.label]
    at.file_uploader(key="wg_import").upload(
        "sessie.json", exchange.to_json(doc), "application/json"
    ).run()
    assert any("0 nieuw, 1 gewijzigd, 0 ongewijzigd" in i.value for i in at.info)
    button(at, "Importeren").click().run()
    assert_ok(at)
    assert db.get("plan", TERRAIN, measure_id="led").values["status"] == "onderzoek"
    assert db.changes(TERRAIN).iloc[0]["user_name"] == "Anna"


def test_a_bad_import_says_what_is_wrong_in_dutch(db):
    at = open_page("4_werkgroepen.py", wg_tab="Exporteren en importeren")
    doc = {
        "format": exchange.EXPORT_FORMAT,
        "format_version": 1,
        "terrain_id": "elders",
    }
    at.file_uploader(key="wg_import").upload(
        "fout.json", json.dumps(doc).encode(), "application/json"
    ).run()
    assert_ok(at)
    (error,) = at.error
    assert "fout.json is niet geïmporteerd" in plain(error.value)
    assert "hoort bij terrein 'elders', niet bij 'de-punt'" in plain(error.value)


def test_werkgroepen_counts_the_survey_interest_with_consent(db, analysed):
    # The demo survey of De Punt answers "ja" to zon op eigen dak for 16
    # companies, 5 of which consented; only those count on Werkgroepen.
    answers = analysed["interest_zon_eigen_dak"].astype("string")
    consent = analysed["consent_werksessie"].astype("boolean").fillna(False)
    expected = int((answers.eq("ja") & consent).sum())
    assert 0 < expected < int(answers.eq("ja").sum())
    at = open_page("4_werkgroepen.py")
    overview = at.table[0].value.set_index("maatregel")
    name = measures.BY_ID["zon_eigen_dak"].name
    assert overview.loc[name, "enquête ja"] == expected
    assert overview["enquête ja"].sum() > 0 and overview["enquête misschien"].sum() > 0


def test_a_werkgroep_starts_from_a_group_with_its_members(db):
    analysis = kk.analyse(kk.load_terrain("demo:de-punt"))
    heat = analysis.groups[analysis.groups["measure_id"] == "warmtenet_rwzi"].iloc[0]
    at = open_page("4_werkgroepen.py", wg_measure="warmtenet_rwzi", wg_tab="Groepen")
    assert any(heat["name"] in plain(m.value) for m in at.markdown)
    button(at, "Werkgroep starten met deze groep").click().run()
    assert_ok(at)
    group = db.get("workgroup", TERRAIN, measure_id="warmtenet_rwzi")
    assert len(group.values["members"]) == heat["n_companies"]
    companies = analysis.buildings.set_index("building_id")["company"]
    first = companies[heat["member_ids"][0]]
    assert any(first in m for m in group.values["members"])
