"""AppTest of the Aannames and Energiebalans pages: settings reach every page."""

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
    assert len(at.get("plotly_chart")) == 2


def test_measure_totals_table_reads_dutch():
    at = run_page("3_energiebalans.py")
    table = at.dataframe[0].value
    zon = table[table["Maatregel"] == "Zonnepanelen op eigen dak"].iloc[0]
    # Dutch thousands separator, whole kWp; "–" where a measure has no figure.
    assert zon["Zon (kWp)"].count(".") >= 1 and "," not in zon["Zon (kWp)"]
    scan = table[table["Maatregel"] == "MKB-energiescan"].iloc[0]
    assert scan["Zon (kWp)"] == "–"
    assert "None" not in table.astype(str).to_numpy().ravel().tolist()
