"""The pMIEK traffic light of kansenkaart.engine.grid at and around its bounds.

Legend of the seed (*Uitvoeringsagenda pMIEK*, §4.2, Figuur 8, lines
760-777): *Op planning* – in service near (here: at or before) the lower
bound; *Risico op vertraging* – between lower and upper bound; *Vertraagd* –
beyond the upper bound. The engine's own tests (tests/test_grid.py) cover the
bounds themselves and the day after; these add the day before each bound and
the whole grid through the vectorised function, with a range of whole years
as the seed gives them (2031–2033: 1 January 2031 to 31 December 2033,
data/pmiek_projects.md).
"""

from __future__ import annotations

import pandas as pd
import pytest

from kansenkaart.engine import grid

LOWER, UPPER = "2031-01-01", "2033-12-31"
AROUND_THE_BOUNDS = [
    ("2030-12-31", "Op planning"),  # day before the lower bound
    ("2031-01-01", "Op planning"),  # at the lower bound
    ("2031-01-02", "Risico op vertraging"),  # day after the lower bound
    ("2033-12-30", "Risico op vertraging"),  # day before the upper bound
    ("2033-12-31", "Risico op vertraging"),  # at the upper bound
    ("2034-01-01", "Vertraagd"),  # day after the upper bound
]


@pytest.mark.parametrize(("planned", "light"), AROUND_THE_BOUNDS)
def test_day_before_at_and_after_each_bound(planned, light):
    assert grid.traffic_light(planned, LOWER, UPPER) == light


def test_vectorised_light_around_the_bounds():
    planned = pd.Series([p for p, _ in AROUND_THE_BOUNDS])
    lights = grid.traffic_lights(
        planned,
        pd.Series([LOWER] * len(planned)),
        pd.Series([UPPER] * len(planned)),
    )
    assert lights.tolist() == [light for _, light in AROUND_THE_BOUNDS]


def test_time_of_day_does_not_push_the_upper_bound_day_over():
    # IBN is a day (ingebruiknamedatum): any time on 31 December 2033 is
    # within a range that ends on that day.
    assert grid.traffic_light("2033-12-31 15:00", LOWER, UPPER) == (
        "Risico op vertraging"
    )


@pytest.mark.parametrize(
    ("planned", "lower", "upper"),
    [
        (None, LOWER, UPPER),  # no planned date
        (pd.NaT, LOWER, UPPER),
        ("", LOWER, UPPER),  # empty cell
        ("onbekend", LOWER, UPPER),  # text that is no date
        (None, None, None),
        ("2032-06-01", None, None),  # planned, but no range at all
    ],
)
def test_missing_dates_give_onbekend(planned, lower, upper):
    assert grid.traffic_light(planned, lower, upper) == "Onbekend"


@pytest.mark.parametrize(
    ("planned", "lower", "upper", "light"),
    [
        # One bound missing: decided only when the known bound decides it.
        ("2030-12-31", LOWER, None, "Op planning"),
        ("2031-01-02", LOWER, None, "Onbekend"),
        ("2034-01-01", None, UPPER, "Vertraagd"),
        ("2033-12-31", None, UPPER, "Onbekend"),
    ],
)
def test_one_missing_bound(planned, lower, upper, light):
    assert grid.traffic_light(planned, lower, upper) == light
