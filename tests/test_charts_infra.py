"""The pMIEK timeline of kansenkaart.views.charts."""

from __future__ import annotations

import pandas as pd

from kansenkaart.views import charts, pmiek_projects


def _projects(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            {
                "name": f"Project {i + 1}",
                "phase": pd.NA,
                "ibn_lower": pd.NaT,
                "ibn_upper": pd.NaT,
                "ibn_planned": pd.NaT,
                **row,
            }
            for i, row in enumerate(rows)
        ]
    )
    for column in ("ibn_lower", "ibn_upper", "ibn_planned"):
        frame[column] = pd.to_datetime(frame[column])
    frame["municipality"] = pd.NA
    frame["cluster"] = pd.NA
    return pmiek_projects.filter_projects(frame)


RANGE = {"ibn_lower": "2031-01-01", "ibn_upper": "2033-12-31"}


def _trace(fig, starts: str):
    (trace,) = [t for t in fig.data if t.name.startswith(starts)]
    return trace


def test_every_project_is_a_row_in_the_given_order():
    projects = _projects([{**RANGE, "ibn_planned": "2032-01-01"}, {}, RANGE])
    fig = charts.project_timeline(projects)
    assert list(fig.layout.yaxis.categoryarray) == [
        "1. Project 1",
        "2. Project 2",
        "3. Project 3",
    ]
    assert fig.layout.yaxis.autorange == "reversed"  # first project on top


def test_range_bar_runs_from_lower_to_upper_bound():
    fig = charts.project_timeline(_projects([RANGE]))
    bar = _trace(fig, "IBN-bandbreedte")
    assert list(bar.x[:2]) == [pd.Timestamp("2031-01-01"), pd.Timestamp("2033-12-31")]
    assert bar.name == "IBN-bandbreedte (onder- tot bovengrens)"


def test_planned_date_in_the_colour_of_its_traffic_light():
    projects = _projects(
        [
            {**RANGE, "ibn_planned": "2030-06-01"},
            {**RANGE, "ibn_planned": "2032-06-01"},
            {**RANGE, "ibn_planned": "2034-06-01"},
        ]
    )
    fig = charts.project_timeline(projects)
    expected = {
        "geplande IBN · op planning": ("#2e9e44", "1. Project 1"),
        "geplande IBN · risico op vertraging": ("#f28c28", "2. Project 2"),
        "geplande IBN · vertraagd": ("#d7263d", "3. Project 3"),
    }
    for name, (colour, row) in expected.items():
        trace = _trace(fig, name)
        assert trace.marker.color == colour
        assert list(trace.y) == [row]


def test_missing_planned_date_is_shown_as_unknown():
    projects = _projects([RANGE, {}])
    fig = charts.project_timeline(projects)
    missing = _trace(fig, "geen geplande IBN")
    assert list(missing.y) == ["1. Project 1"]
    assert [t.strip() for t in missing.text] == ["geplande IBN onbekend"]
    # The note sits at the end of the known range.
    assert missing.x[0] == pd.Timestamp("2033-12-31")
    # Project 2 has no date at all: "datum onbekend", not on the time axis.
    (note,) = fig.layout.annotations
    assert (note.text, note.y, note.xref) == ("datum onbekend", "2. Project 2", "paper")


def test_dutch_axis_and_hover_with_escaped_names():
    projects = _projects([{**RANGE, "ibn_planned": "2032-06-01", "phase": "project"}])
    projects["name"] = "Station <b>Noord</b> & Zuid"
    fig = charts.project_timeline(projects)
    assert fig.layout.xaxis.title.text == "Jaar van inbedrijfname (IBN)"
    assert fig.layout.xaxis.tickformat == "%Y"
    hover = _trace(fig, "geplande IBN ·").hovertext[0]
    assert "Station &lt;b&gt;Noord&lt;/b&gt; &amp; Zuid" in hover
    assert "geplande IBN: 01-06-2032" in hover
    assert "fase: Projectfase" in hover


def test_long_names_are_shortened_on_the_axis_only():
    projects = _projects([RANGE])
    projects["name"] = "Deelnet Emmen (verkenning nieuwbouw station omgeving Emmen "
    projects["name"] += "Bargermeer 110/20 kV)"
    fig = charts.project_timeline(projects)
    (label,) = fig.layout.yaxis.categoryarray
    assert label.endswith("…") and len(label) <= len("1. ") + charts.NAME_CHARS
    assert "Bargermeer 110/20 kV" in _trace(fig, "IBN-bandbreedte").hovertext[0]


def test_projects_without_any_date_still_give_a_figure():
    fig = charts.project_timeline(_projects([{}, {}]))
    assert not _trace(fig, "IBN-bandbreedte").showlegend
    assert [a.text for a in fig.layout.annotations] == ["datum onbekend"] * 2
