"""AppTest of the Kansenlijsten page: filters, variant, tables, charts, downloads."""

import io
import json
from pathlib import Path

import openpyxl
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

import kansenkaart as kk
from kansenkaart.engine import hub
from kansenkaart.views import export, selection

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture(scope="module")
def engine():
    a = kk.analyse(kk.load_terrain("demo:de-punt"))
    return a.buildings, kk.opportunity_list(a)


def open_page(terrain: str = "demo:de-punt") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["terrain_key"] = terrain
    at.run()
    at.switch_page("pages/3_kansenlijsten.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict:
    return {m.label: m.value for m in at.metric}


def open_tab(at: AppTest, label: str) -> AppTest:
    """Open a tab as a click does: only the open tab is built (issue 18)."""
    at.session_state["kl_tab"] = label
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_page_lists_every_opportunity_of_the_terrain(engine):
    _, rows = engine
    at = open_page()
    assert at.title[0].value == "Kansenlijsten"
    assert metrics(at)["Kansen"] == export.fmt.number(len(rows))
    assert metrics(at)["Bedrijven"] == "35"
    table = at.dataframe[0].value
    assert table["BAG-pand-id"].tolist() == rows["building_id"].tolist()
    assert "Zonvermogen (kWp)" in table.columns  # Dutch headers with units
    labels = [b.label for b in at.get("download_button")]
    assert labels == [f.label for f in export.FORMATS.values()]


def test_the_excel_file_carries_the_energy_hub_sheet_made_at_the_click(
    engine, monkeypatch
):
    # The hub figures (quarter-hour profiles of every building) are computed
    # when the file is asked for, no longer when the page opens (issue 18).
    made = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        made[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    analysis = kk.analyse(kk.load_terrain("demo:de-punt"))
    assert hub.has_groups(analysis)  # precondition: De Punt has hub groups
    open_page()
    name = export.file_name(selection.select(analysis, selection.Filters()), "xlsx")
    data = made[name]()  # as a click runs it: after the script run
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert "Energiehub" in book.sheetnames
    rows = list(book["Energiehub"].iter_rows(values_only=True))
    assert len(rows) - 1 == len(hub.terrain_summaries(analysis))


def test_only_the_open_tab_is_built():
    at = open_page()
    assert [t.label for t in at.tabs] == [
        "Kansen per bedrijf",
        "Samenvatting per maatregel",
        "Grafieken",
    ]
    # the list only: the summary grid and the Plotly charts wait for their tab
    assert len(at.dataframe) == 1 and not at.get("plotly_chart")
    open_tab(at, "Grafieken")
    assert not at.dataframe and len(at.get("plotly_chart")) == 2


def test_measure_filter_narrows_list_and_summary(engine):
    _, rows = engine
    at = open_page()
    at.multiselect(key="kl_measures_all").select("led").select("isolatie").run()
    expected = rows[rows["measure_id"].isin(["led", "isolatie"])]
    assert metrics(at)["Kansen"] == str(len(expected))
    table = at.dataframe[0].value
    assert set(table["Maatregel"]) == {"LED-verlichting", "Isolatie en kierdichting"}
    summary = open_tab(at, "Samenvatting per maatregel").dataframe[0]
    summary = summary.value.set_index("Maatregel")
    assert summary.loc["Isolatie en kierdichting", "Aantal bedrijven"] == (
        expected["measure_id"].eq("isolatie").sum()
    )


def test_scope_and_label_filters(engine):
    a, _ = engine
    at = open_page()
    at.segmented_control(key="kl_scope").set_value("collective").run()
    assert set(at.dataframe[0].value["Soort"]) == {"collectief"}
    at.multiselect(key="kl_labels").select("onbekend").run()
    unlabelled = set(a.loc[a["energy_label"].isna(), "building_id"])
    shown = set(at.dataframe[0].value["BAG-pand-id"])
    assert shown and shown <= unlabelled


def test_public_variant_hides_figures_and_says_why():
    at = open_page()
    at.segmented_control(key="kl_variant").set_value("openbaar").run()
    assert any("toestemming" in i.value for i in at.info)
    table = at.dataframe[0].value
    hidden = table["Toestemming tonen in werksessie"] != "ja"
    assert hidden.any()
    assert (table.loc[hidden, "Interesse (enquête)"] == "niet getoond").all()
    for figure in (
        "Stroom opgewekt of bespaard (kWh/jaar)",
        "Lagere energiekosten (€/jaar)",
    ):
        assert table.loc[hidden, figure].isna().all()
    for text in ("Regeling voor dit pand", "Basis cijfers"):
        assert (table.loc[hidden, text] == "niet getoond").all()
    # the general rule, "mogelijk" first where the rule reads private data
    reasons = table.loc[hidden, "Toelichting"]
    assert reasons.str.contains("Algemene regel", regex=False).all()


def test_charts_have_dutch_titles_and_number_format():
    at = open_tab(open_page(), "Grafieken")
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    titles = [s["layout"]["title"]["text"] for s in specs]
    assert titles == [
        "Aantal bedrijven per maatregel",
        "Interesse in de enquête per maatregel (aantal bedrijven)",
    ]
    assert {s["layout"]["separators"] for s in specs} == {",."}
    at.segmented_control(key="kl_metric").set_value("kwh_yr").run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["xaxis"]["title"]["text"] == "Opwek of besparing (MWh/jaar)"


def test_empty_selection_says_so(engine):
    a, _ = engine
    assert not a["onderzoeksplicht"].fillna(False).any()  # precondition
    at = open_page()
    at.multiselect(key="kl_obligations").select("onderzoeksplicht").run()
    assert metrics(at)["Kansen"] == "0"
    assert any("Geen kansen met deze filters" in i.value for i in at.info)
    assert not at.dataframe
