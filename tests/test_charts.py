"""Plotly figures of the Kansenlijsten page (kansenkaart.views.charts)."""

import pandas as pd
import pytest

from kansenkaart.core.assumptions import DEFAULT
from kansenkaart.views import charts, selection

ROWS = pd.DataFrame(
    {
        "building_id": ["1", "2", "2", "3", "4"],
        "measure_id": ["led", "led", "zon_eigen_dak", "led", "energy_hub"],
        "measure_name": [
            "LED-verlichting",
            "LED-verlichting",
            "Zonnepanelen op eigen dak",
            "LED-verlichting",
            "Gezamenlijk energienetwerk (energy hub)",
        ],
        "scope": ["individual", "individual", "individual", "individual", "collective"],
        "kwp": pd.array([None, None, 1234.5, None, None], dtype="Float64"),
        "kwh_yr": pd.array([1500.0, 2500.0, 1_080_000.0, 500.0, None], dtype="Float64"),
        "co2_kg_yr": pd.array([720.0, 1200.0, 518_400.0, 240.0, None], "Float64"),
        "invest_eur": pd.array([1000.0, 2000.0, 1_200_000.0, 500.0, None], "Float64"),
        "interest": pd.array(["ja", "nee", "misschien", None, None], dtype="string"),
        "figures_hidden": pd.array([False, False, False, True, False], "boolean"),
    }
)


@pytest.fixture
def totals():
    return selection.measure_summary(ROWS, DEFAULT)


def test_measure_chart_counts_companies_per_measure(totals):
    fig = charts.measure_chart(totals, "n_companies")
    assert fig.layout.title.text == "Aantal bedrijven per maatregel"
    assert fig.layout.separators == ",."
    bars = {trace.name: trace for trace in fig.data}
    assert set(bars) == {"individueel", "collectief"}
    individual = dict(zip(bars["individueel"].y, bars["individueel"].x, strict=True))
    assert individual == {"Zonnepanelen op eigen dak": 1, "LED-verlichting": 3}
    assert list(bars["collectief"].x) == [1]


def test_measure_chart_scales_and_formats_the_dutch_way(totals):
    fig = charts.measure_chart(totals, "kwh_yr")
    assert fig.layout.xaxis.title.text == "Opwek of besparing (MWh/jaar)"
    (bar,) = fig.data  # the energy hub has no kWh figure: left out
    values = dict(zip(bar.y, bar.x, strict=True))
    assert values == {"Zonnepanelen op eigen dak": 1080.0, "LED-verlichting": 4.5}
    assert "1.080 MWh/jaar" in bar.text
    kwp = charts.measure_chart(totals, "kwp")
    assert kwp.data[0].text == ("1.234 kWp",)  # fmt rounds half to even


def test_measure_chart_marks_withheld_totals():
    public = selection.measure_summary(ROWS, DEFAULT, "openbaar")  # < 10 companies each
    fig = charts.measure_chart(public, "co2_kg_yr")
    labels = [t for trace in fig.data for t in trace.text]
    assert labels and set(labels) == {"niet getoond (te weinig bedrijven)"}
    assert all(x == 0 for trace in fig.data for x in trace.x)


def test_interest_chart_stacks_the_answers():
    fig = charts.interest_chart(ROWS)
    assert fig.layout.barmode == "stack"
    counts = {
        trace.name: dict(zip(trace.y, trace.x, strict=True)) for trace in fig.data
    }
    assert counts["ja"] == {
        "Zonnepanelen op eigen dak": 0,
        "LED-verlichting": 1,
        "Gezamenlijk energienetwerk (energy hub)": 0,
    }
    assert list(fig.data[0].y) == list(counts["ja"])  # catalogue order
    assert counts["nee"]["LED-verlichting"] == 1
    assert counts["niet getoond"]["LED-verlichting"] == 1  # row 4 is hidden
    assert counts["misschien"]["Zonnepanelen op eigen dak"] == 1
    # the energy hub is asked about in the survey; nobody answered: onbekend
    assert counts["onbekend"]["Gezamenlijk energienetwerk (energy hub)"] == 1


def test_chart_texts_are_escaped():
    rows = ROWS.assign(measure_name="<b>LED</b>")
    fig = charts.interest_chart(rows[rows["measure_id"] == "led"])
    assert fig.data[0].y[0] == "&lt;b&gt;LED&lt;/b&gt;"


def test_public_counts_stay_visible_unless_withheld():
    public = selection.measure_summary(ROWS, DEFAULT, "openbaar")
    counts = charts.measure_chart(public, "n_companies")
    assert "niet getoond (te weinig bedrijven)" not in [
        t for trace in counts.data for t in trace.text
    ]
    chosen = selection.measure_summary(ROWS, DEFAULT, "openbaar", disclosing=True)
    withheld = charts.measure_chart(chosen, "n_companies")
    assert {t for trace in withheld.data for t in trace.text} == {
        "niet getoond (te weinig bedrijven)"
    }
