"""AppTest of the Aannames and Energiebalans pages: settings reach every page."""

import json

from streamlit import dataframe_util

import kansenkaart as kk
from kansenkaart.engine import opportunities
from tests.test_app import run_page


def _metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def test_assumptions_page_shows_value_unit_and_source():
    at = run_page("aannames.py")
    assert not at.exception
    table = at.dataframe[0].value
    row = table[table["aanname"] == "Jaaropbrengst zonnepanelen"].iloc[0]
    assert row["waarde"] == "875" and row["eenheid"] == "kWh/kWp/jaar"
    assert "CBS" in row["bron"] or "PVGIS" in row["bron"]


def test_changed_panel_power_changes_the_energy_balance():
    at = run_page("3_energiebalans.py")
    before = _metric(at, "Met alle daken vol")
    at.switch_page("pages/aannames.py").run()
    at.text_input(key="assumption_panel_wp").input("300")
    at.button[0].click().run()  # "Toepassen"
    assert at.session_state["assumption_overrides"] == {"panel_wp": 300.0}
    assert any("Aangepast: Piekvermogen per zonnepaneel" in i.value for i in at.info)
    at.switch_page("pages/3_energiebalans.py").run()
    after = _metric(at, "Met alle daken vol")
    # 300 instead of 435 Wp on the same panels: less rooftop generation.
    assert int(after.rstrip(" %")) < int(before.rstrip(" %"))
    assert "aangepast" in " ".join(c.value for c in at.caption)


def test_leidraad_set_can_be_chosen():
    at = run_page("aannames.py")
    at.radio[0].set_value("leidraad").run()
    assert at.session_state["assumption_set"] == "leidraad"
    table = at.dataframe[0].value
    wp = table[table["aanname"] == "Piekvermogen per zonnepaneel"].iloc[0]["waarde"]
    assert wp == "310"


def test_balance_page_shows_sentences_and_two_charts():
    at = run_page("3_energiebalans.py", "demo:de-wieken")
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "energieneutraal in 2035" in text or "meer op dan het verbruikt" in text
    # Vega-Lite, not Plotly: the browser draws them without Plotly's 4,7 MB of
    # script (issue 18); numbers with a decimal comma and a thousands dot.
    charts = at.get("vega_lite_chart")
    specs = [json.loads(c.proto.spec) for c in charts]
    assert [s["title"] for s in specs] == [
        "Energiebalans per jaar: verbruik en opwek",
        "Herkomst van de verbruikscijfers",
    ]
    assert {s["config"]["locale"]["number"]["decimal"] for s in specs} == {","}
    rows = dataframe_util.convert_arrow_bytes_to_pandas_df(charts[0].proto.data.data)
    balance = opportunities.terrain_balance(
        kk.analyse(kk.load_terrain("demo:de-wieken"))
    )
    stacked = rows.groupby("balk")["gwh_jaar"].sum()
    assert abs(stacked["Verbruik"] - balance.demand_kwh_yr / 1e6) < 1e-9
    assert not at.get("plotly_chart")


def test_measure_totals_table_reads_dutch():
    at = run_page("3_energiebalans.py")
    table = at.dataframe[0].value
    zon = table[table["Maatregel"] == "Zonnepanelen op eigen dak"].iloc[0]
    # Dutch thousands separator, whole kWp; "–" where a measure has no figure.
    assert zon["Zon (kWp)"].count(".") >= 1 and "," not in zon["Zon (kWp)"]
    scan = table[table["Maatregel"] == "MKB-energiescan"].iloc[0]
    assert scan["Zon (kWp)"] == "–"
    assert "None" not in table.astype(str).to_numpy().ravel().tolist()
