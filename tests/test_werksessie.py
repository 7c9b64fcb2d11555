"""Pure werksessie logic: views, projector colours, workflow, tables, forms, charts."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

import kansenkaart as kk
from kansenkaart.engine import opportunities, search
from kansenkaart.records import forms, models, store
from kansenkaart.records import werksessie as ws
from kansenkaart.views import charts, colors, legend, mapdata, maps, projector

TERRAIN = "de-punt"


@pytest.fixture(scope="module")
def terrain():
    return kk.load_terrain("demo:de-punt")


@pytest.fixture(scope="module")
def analysis(terrain):
    return kk.analyse(terrain)


@pytest.fixture(scope="module")
def analysed(analysis):
    return analysis.buildings


@pytest.fixture
def db(tmp_path):
    opened = store.Store(f"sqlite:///{tmp_path / 'ws.sqlite'}")
    yield opened
    opened.close()


# --- views -------------------------------------------------------------------------


def test_the_views_follow_the_werksessie_story():
    assert [v.title for v in projector.VIEWS] == [
        "Huidige situatie",
        "Zon op dak",
        "Koppelkansen RWZI en luchthaven",
        "Collectieve maatregelen",
        "Energieneutraal 2035",
    ]
    assert all(v.measures and v.story for v in projector.VIEWS)
    assert projector.next_view("huidige_situatie") == "zon_op_dak"
    assert projector.next_view("huidige_situatie", -1) == "huidige_situatie"
    assert projector.next_view("energieneutraal") == "energieneutraal"


def test_projector_colours_keep_the_classes_and_their_order(analysed):
    screen = legend.solar_potential(analysed)
    wall = projector.high_contrast(screen)
    assert wall.labels == screen.labels and np.array_equal(wall.codes, screen.codes)
    assert wall.colours[:-1] == projector.PROJECTOR_SEQUENTIAL
    assert wall.colours[-1] == colors.UNKNOWN
    label = legend.energy_label(analysed)
    assert projector.high_contrast(label).colours == label.colours


def test_current_view_hides_energy_of_companies_without_consent(analysed, terrain):
    view = projector.VIEWS[0]
    hidden = legend.hidden_mask(analysed, True, terrain.survey)
    assert 0 < hidden.sum() < len(analysed)
    layers, sections = projector.view_layers(analysed, view, hidden=hidden)
    ((key, spec),) = layers
    assert key == "thema"
    hidden_class = spec.labels.index(legend.HIDDEN_LABEL)
    assert (spec.codes[hidden] == hidden_class).all()
    assert {spec.values[i] for i in np.flatnonzero(hidden)} == {legend.HIDDEN_VALUE}
    counts = dict(zip(sections[0][1]["klasse"], sections[0][1]["aantal"], strict=True))
    assert counts[legend.HIDDEN_LABEL] == hidden.sum()


def test_the_wall_map_carries_no_energy_figure_of_a_non_consenting_company(
    analysis, analysed, terrain
):
    hidden = legend.hidden_mask(analysed, True, terrain.survey)
    shown_values = legend.energy_total(analysed).values
    secret = [
        shown_values[i]
        for i in np.flatnonzero(hidden)
        if shown_values[i] != legend.UNKNOWN_LABEL
        and shown_values.count(shown_values[i]) == 1
    ]
    assert secret, "the demo has non-consenting companies with a known use"

    def wall_html(private: bool) -> str:
        mask = legend.hidden_mask(analysed, private, terrain.survey)
        layers, _ = projector.view_layers(analysed, projector.VIEWS[0], hidden=mask)
        data = mapdata.prepare(analysis)
        m = maps.base_map(data, "current", inline_assets=False)
        maps.building_group(layers, "Gebouwen").add_to(m)
        return maps.to_html(m)

    assert all(text in wall_html(private=False) for text in secret)
    wall = wall_html(private=True)
    assert not any(text in wall for text in secret)


def test_coupling_view_gives_each_measure_its_own_colour(analysis, analysed, terrain):
    data = mapdata.prepare(analysis)
    by_id = {v.id: v for v in projector.VIEWS}
    none = np.zeros(len(analysed), dtype=bool)
    layers, sections = projector.view_layers(
        analysed, by_id["koppelkansen"], hidden=none, sources=data.reach_counts
    )
    ((key, spec),) = layers
    assert key == "kansen"
    rwzi = legend.has_measure(analysed, "warmtenet_rwzi")
    airport = legend.has_measure(analysed, "koppelkansen_luchthaven")
    counts = dict(zip(sections[0][1]["klasse"], sections[0][1]["aantal"], strict=True))
    expected = {
        "geen van deze kansen": int((~airport & ~rwzi).sum()),
        "alleen Warmtenet met restwarmte (RWZI)": int((rwzi & ~airport).sum()),
        "alleen Koppelkansen met de luchthaven": int((airport & ~rwzi).sum()),
        "beide": int((airport & rwzi).sum()),
    }
    assert counts == {k: n for k, n in expected.items() if n}
    assert sum(counts.values()) == len(analysed)
    assert spec.colours[:4] == (
        projector.PROJECTOR_NONE,
        *projector.PROJECTOR_CATEGORIES[:3],
    )
    assert sections[1] == (
        "Koppelbronnen (panden binnen de ring)",
        data.reach_counts,
        "",
    )
    layers, sections = projector.view_layers(
        analysed, by_id["collectief"], hidden=none, sources=data.reach_counts
    )
    assert [k for k, _ in layers] == ["kansen"] and len(sections) == 1


def test_coupling_view_frames_the_terrain_and_its_sources(analysis, analysed, terrain):
    data = mapdata.prepare(analysis)
    (lat, lon), zoom = projector.source_framing(data, width_px=1200, height_px=620)
    scale = 256 * 2**zoom  # pixels around the world at this zoom

    def pixel(point_lat, point_lon):
        y = math.log(math.tan(math.pi / 4 + math.radians(point_lat) / 2))
        return scale * point_lon / 360, scale * y / (2 * math.pi)

    cx, cy = pixel(lat, lon)
    airport = data.source_points[0]
    (south, west), (north, east) = data.bounds
    for point in ((airport["lat"], airport["lon"]), (south, west), (north, east)):
        x, y = pixel(*point)
        assert abs(x - cx) <= 600 and abs(y - cy) <= 310, point
    assert zoom == projector.source_framing(data)[1] and zoom < 16, (
        "zoomed out to include"
    )


def test_each_measure_spec_marks_unanalysed_buildings_unknown(analysed):
    chosen = legend.selected_measures("all", ["led", "isolatie", "warmtepomp"])
    partly = analysed.assign(n_measures=analysed["n_measures"].astype("Int64"))
    partly.loc[partly.index[0], "n_measures"] = pd.NA
    spec = projector.each_measure_spec(partly, chosen)
    assert spec.labels[-2:] == ("meer dan één", legend.UNKNOWN_LABEL)
    assert spec.codes[0] == len(spec.labels) - 1
    with pytest.raises(ValueError):
        projector.each_measure_spec(analysed, legend.selected_measures("collective"))


def test_recorded_interest_is_outlined(analysed):
    ids = analysed["building_id"].astype(str).tolist()
    interests = pd.DataFrame(
        {
            "building_id": [ids[0], ids[1], ids[2], ids[3]],
            "measure_id": ["led", "led", "led", "isolatie"],
            "level": ["ja", "misschien", "nee", "ja"],
        }
    )
    spec = projector.interest_spec(analysed, interests, "led")
    assert spec.codes[:4].tolist() == [0, 1, -1, -1]
    assert (spec.codes[4:] == -1).all() and spec.outline
    assert spec.title == "Interesse in LED-verlichting"
    assert (projector.interest_spec(analysed, interests, None).codes == -1).all()


def test_legend_strip_escapes_every_text():
    table = pd.DataFrame(
        {
            "kleur": ["#fde725", ""],
            "klasse": ["<b>{{ 7*7 }}</b>", "geschat"],
            "aantal": [1234, 2],
        }
    )
    strip = projector.legend_strip([("Titel <script>", table, "let op & zo")], "a < b")
    assert "<script>" not in strip and "&lt;script&gt;" in strip
    assert "&lt;b&gt;{{ 7*7 }}&lt;/b&gt;" in strip
    assert "(1.234)" in strip and "let op &amp; zo" in strip
    assert "font-size:22px" in strip and "<i>a &lt; b</i>" in strip


def test_user_text_stays_literal_in_markdown():
    text = ws.markdown_text("**[klik](https://x.nl)** _a_ :smile: <b>")
    assert text == r"\*\*\[klik\]\(https\://x\.nl\)\*\* \_a\_ \:smile\: \<b\>"


def test_refusals_read_as_dutch_paragraphs():
    error = kk.DataError.single("invoer", "Wat: dit veld is verplicht.", "Vul iets in.")
    assert ws.problem_text(error) == r"Wat\: dit veld is verplicht\. Vul iets in\."
    assert ws.problem_text("Kies *eerst*") == r"Kies \*eerst\*"


# --- workflow ----------------------------------------------------------------------


def test_a_measure_moves_one_step_on_or_back_to_any_earlier_status():
    assert ws.allowed_statuses(None) == ["idee", "onderzoek"]
    assert ws.allowed_statuses("besluit") == [
        "idee",
        "onderzoek",
        "besluit",
        "uitvoering",
    ]
    assert ws.allowed_statuses("gerealiseerd") == list(models.STATUSES)


def test_a_status_needs_its_fields():
    plan = {"trekker": "Anna", "goal": "1 MWp", "approach": "inkoop"}
    assert ws.missing_for("idee", {}) == []
    assert ws.missing_for("onderzoek", {}) == ["Trekker"]
    assert ws.missing_for("besluit", plan) == ["Kosten", "Financiering"]
    assert ws.check_status("onderzoek", "besluit", plan) == [
        "Voor status 'besluit' ontbreekt nog: Kosten, Financiering."
    ]
    full = {name: "x" for name in ws.REQUIRED_FOR["uitvoering"]}
    assert ws.check_status("besluit", "uitvoering", full) == []
    (skip,) = ws.check_status("idee", "besluit", full)
    assert "niet direct naar 'besluit'" in skip


# --- tables ------------------------------------------------------------------------


def test_measure_overview_counts_the_follow_up(analysis, analysed, db):
    ids = analysed["building_id"].astype(str).tolist()
    for building, level, signed in ((ids[0], "ja", True), (ids[1], "misschien", False)):
        db.save(
            "interest",
            TERRAIN,
            {"building_id": building, "measure_id": "collectieve_inkoop_zon"},
            {"level": level, "intent_signed": signed},
            user="A",
            expected_version=0,
        )
    db.save(
        "workgroup",
        TERRAIN,
        {"measure_id": "collectieve_inkoop_zon"},
        {"trekker": "Anna"},
        user="A",
        expected_version=0,
    )
    db.save(
        "plan",
        TERRAIN,
        {"measure_id": "collectieve_inkoop_zon"},
        {"status": "onderzoek"},
        user="A",
        expected_version=0,
    )
    for day, done in (
        (dt.date(2026, 5, 1), True),
        (dt.date(2026, 6, 1), False),
        (dt.date(2026, 7, 1), False),
    ):
        db.save(
            "action",
            TERRAIN,
            {"uid": store.new_uid()},
            {
                "measure_id": "collectieve_inkoop_zon",
                "description": "x",
                "due_on": day,
                "done": done,
            },
            user="A",
            expected_version=0,
        )
    totals = opportunities.measure_totals(analysis)
    overview = ws.measure_overview(
        totals,
        *(db.table(e, TERRAIN) for e in ("plan", "workgroup", "interest", "action")),
    ).set_index("measure_id")
    row = overview.loc["collectieve_inkoop_zon"]
    assert (row["status"], row["trekker"]) == ("onderzoek", "Anna")
    assert (row["interesse ja"], row["misschien"], row["intentieverklaringen"]) == (
        1,
        1,
        1,
    )
    assert row["open vervolgstappen"] == 2
    assert row["eerstvolgende datum"] == pd.Timestamp("2026-06-01")
    assert overview.loc["led", "status"] == "idee"
    applicable = set(totals.loc[totals["n_companies"] > 0, "measure_id"])
    assert set(overview.index) == applicable


def test_participants_list_interest_first_and_leave_out_no(analysed, db):
    ids = analysed["building_id"].astype(str).tolist()
    for building, level in ((ids[0], "misschien"), (ids[1], "ja"), (ids[2], "nee")):
        db.save(
            "interest",
            TERRAIN,
            {"building_id": building, "measure_id": "led"},
            {"level": level},
            user="Bert",
            expected_version=0,
        )
    people = ws.participants(analysed, db.table("interest", TERRAIN), "led")
    assert people["building_id"].tolist() == [ids[1], ids[0]]
    assert people["bedrijf"].tolist() == analysed["company"].iloc[[1, 0]].tolist()
    assert set(people["vastgelegd door"]) == {"Bert"}


def test_change_log_reads_in_dutch(analysed, db):
    building = str(analysed["building_id"].iloc[0])
    names = search.search_options(analysed)
    db.save(
        "interest",
        TERRAIN,
        {"building_id": building, "measure_id": "led"},
        {"level": "ja", "intent_signed_on": dt.date(2026, 4, 1)},
        user="Anna",
        expected_version=0,
    )
    db.save(
        "reading",
        TERRAIN,
        {"measure_id": "led", "measured_on": dt.date(2026, 5, 2)},
        {"n_companies": 4},
        user="Anna",
        expected_version=0,
    )
    table = ws.change_log_table(db.changes(TERRAIN), names)
    assert table["onderdeel"].tolist() == ["Monitoringmeting", "Interesse"]
    assert table["waarvan"].tolist() == [
        "LED-verlichting, 02-05-2026",
        f"{names[building]}, LED-verlichting",
    ]
    assert set(table["actie"]) == {"aangemaakt"}
    assert table["nieuwe waarden"].iloc[1] == "Interesse: ja; Getekend op: 01-04-2026"


def test_monitoring_table_in_tonnes_oldest_first(db):
    for day, kg in ((dt.date(2026, 9, 1), 20_000.0), (dt.date(2026, 3, 1), 5_000.0)):
        db.save(
            "reading",
            TERRAIN,
            {"measure_id": "zon_eigen_dak", "measured_on": day},
            {"co2_avoided_kg_yr": kg, "kwp_realised": 10.0},
            user="A",
            expected_version=0,
        )
    table = ws.monitoring_table(db.table("reading", TERRAIN), "zon_eigen_dak")
    assert table["measured_on"].tolist() == [dt.date(2026, 3, 1), dt.date(2026, 9, 1)]
    assert table["co2_avoided_t_yr"].tolist() == [5.0, 20.0]


# --- forms ------------------------------------------------------------------------


def test_forms_start_from_the_record_and_keep_typing_over_newer_versions(db):
    key = {"measure_id": "led"}
    form = forms.form_key("workgroup", TERRAIN, key)
    state: dict = {}
    assert forms.open_form(state, form, "workgroup", None) == 0
    assert state[forms.widget_key(form, "trekker")] == ""
    state[forms.widget_key(form, "trekker")] = " Anna "
    state[forms.widget_key(form, "members")] = "Bert\n\n Carla "
    values = forms.form_values(state, form, "workgroup")
    assert values == {"trekker": "Anna", "members": ["Bert", "Carla"]}
    saved = db.save("workgroup", TERRAIN, key, values, user="A", expected_version=0)
    forms.form_saved(state, form, saved)

    # someone else changes it; an untouched form follows …
    other = db.save(
        "workgroup", TERRAIN, key, {"trekker": "Dirk"}, user="D", expected_version=1
    )
    state[forms.widget_key(form, "trekker")] = (
        "Anna"  # what the widget holds after save
    )
    state[forms.widget_key(form, "members")] = "Bert\nCarla"
    assert forms.open_form(state, form, "workgroup", other) == 2
    assert state[forms.widget_key(form, "trekker")] == "Dirk"
    # … a form with typing keeps it and its old base version
    state[forms.widget_key(form, "trekker")] = "Eva"
    newer = db.save(
        "workgroup", TERRAIN, key, {"trekker": "Fred"}, user="F", expected_version=2
    )
    assert forms.open_form(state, form, "workgroup", newer) == 2
    assert state[forms.widget_key(form, "trekker")] == "Eva"
    with pytest.raises(store.ConflictError):
        db.save(
            "workgroup",
            TERRAIN,
            key,
            forms.form_values(state, form, "workgroup"),
            user="E",
            expected_version=2,
        )
    forms.forget_form(state, form)
    assert state == {}
    assert forms.open_form(state, form, "workgroup", newer) == 3


def test_user_names_are_trimmed_and_checked():
    assert forms.clean_user_name("  Anna   de Vries ") == "Anna de Vries"
    assert forms.clean_user_name("") is None and forms.clean_user_name("A") is None
    assert forms.clean_user_name("x" * 101) is None


# --- charts ------------------------------------------------------------------------


def test_status_chart_counts_measures_per_status():
    overview = pd.DataFrame(
        {"maatregel": ["LED", "Zon", "Hub"], "status": ["idee", "idee", "besluit"]}
    )
    spec = charts.status_chart(overview)
    rows = spec["data"]["values"]
    assert [r["status"] for r in rows] == list(models.STATUSES)
    assert [r["aantal"] for r in rows] == [2, 0, 1, 0, 0]
    assert rows[0]["maatregelen"] == "LED, Zon" and rows[1]["maatregelen"] == "geen"
    assert spec["encoding"]["x"]["sort"] == list(models.STATUSES)  # workflow order
    assert spec["title"] == "Maatregelen per status"


def test_monitoring_figure_shows_realised_against_potential():
    readings = pd.DataFrame(
        {
            "measured_on": [dt.date(2026, 3, 1), dt.date(2026, 9, 1)],
            "kwp_realised": [40.0, 120.0],
            "n_companies": pd.array([2, 5], dtype="Int64"),
            "co2_avoided_t_yr": [None, 30.0],
        }
    )
    fig = charts.monitoring_figure(readings, potential_kwp=500.0, measure_name="Zon")
    names = [t.name for t in fig.data]
    assert names.count("potentieel op het terrein") == 1, "no CO2 potential given"
    realised = [t for t in fig.data if t.name == "gerealiseerd"]
    assert [list(t.y) for t in realised] == [[40.0, 120.0], [2.0, 5.0], [30.0]]
    assert fig.layout.title.text == "Monitoring: Zon"
    assert fig.layout.xaxis3.tickformat == "%d-%m-%Y"
    empty = charts.monitoring_figure(readings.iloc[:0])
    assert empty.layout.annotations[-1].text == "Nog geen metingen vastgelegd."


def test_projector_layout_enlarges_fonts_of_a_copy():
    spec = charts.status_chart(pd.DataFrame({"maatregel": [], "status": []}))
    big = charts.projector_layout(spec, 24)
    assert big["config"]["title"]["fontSize"] == 31
    assert big["config"]["axis"] == {"labelFontSize": 24, "titleFontSize": 24}
    assert big["config"]["legend"]["labelFontSize"] == 24
    assert big["config"]["locale"] == charts.VEGA_DUTCH["locale"]  # still Dutch
    assert "axis" not in spec["config"], "the original is not changed"
