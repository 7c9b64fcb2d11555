"""Energiebesparingsplicht, onderzoeksplicht and label C: thresholds and NA logic."""

from __future__ import annotations

import pandas as pd
import pytest

from kansenkaart.core.assumptions import DEFAULT
from kansenkaart.engine import energy, obligations
from tests.engine_fixtures import buildings

NA = pd.NA


def _check(value, expected):
    """``value`` is exactly the expected True / False, or NA."""
    if expected is NA:
        assert value is NA
    else:
        assert bool(value) is expected  # bool(NA) would raise


def _f(values):
    return pd.Series(values, dtype="Float64")


def _s(values):
    return pd.Series(values, dtype="string")


@pytest.mark.parametrize(
    ("elec", "gas", "expected"),
    [
        (50_000, 0, True),  # at the electricity threshold
        (49_999, 24_999, False),
        (0, 25_000, True),  # at the gas threshold
        (None, 30_000, True),  # one known carrier over the limit suffices
        (None, 1_000, NA),  # the unknown carrier could still cross it
        (1_000, None, NA),
        (None, None, NA),
    ],
)
def test_besparingsplicht_thresholds(elec, gas, expected):
    verdict = obligations.besparingsplicht(_f([elec]), _f([gas]), DEFAULT).iloc[0]
    _check(verdict, expected)


@pytest.mark.parametrize(
    ("elec", "gas", "expected"),
    [
        (10_000_000, 0, True),
        (0, 170_000, True),
        (9_999_999, 169_999, False),
        (None, 100, NA),
    ],
)
def test_onderzoeksplicht_thresholds(elec, gas, expected):
    verdict = obligations.onderzoeksplicht(_f([elec]), _f([gas]), DEFAULT).iloc[0]
    _check(verdict, expected)


def test_basis_says_on_which_data_the_verdict_rests():
    elec = _f([60_000, 1_000, 60_000, 1_000, 1_000])
    gas = _f([1_000, 30_000, 30_000, 1_000, 1_000])
    elec_src = _s(["gemeten", "gemeten", "geschat", "gemeten", "enquête"])
    gas_src = _s(["geschat", "geschat", "enquête", "gemeten", "geschat"])
    verdict = obligations.besparingsplicht(elec, gas, DEFAULT)
    basis = obligations.verdict_basis(
        verdict, elec, elec_src, gas, gas_src, 50_000, 25_000
    )
    assert verdict.tolist() == [True, True, True, False, False]
    # True: the most reliable carrier over the limit; False: the weakest of both.
    assert basis.tolist() == ["gemeten", "geschat", "enquête", "gemeten", "geschat"]


def test_basis_is_missing_with_the_verdict():
    verdict = pd.Series([NA], dtype="boolean")
    basis = obligations.verdict_basis(
        verdict, _f([1_000]), _s(["gemeten"]), _f([None]), _s([None]), 50_000, 25_000
    )
    assert basis.isna().all()


def _label_c(use, office, floor, monument=None):
    return obligations.label_c_required(
        _s([use]),
        _f([office]),
        _f([floor]),
        pd.Series([monument], dtype="boolean"),
        DEFAULT,
    ).iloc[0]


@pytest.mark.parametrize(
    ("use", "office", "floor", "monument", "expected"),
    [
        ("kantoorfunctie", None, 500, None, True),  # pure office: all floor area
        ("kantoorfunctie", None, 500, True, False),  # monument exempt
        ("industriefunctie,kantoorfunctie", 400, 1000, None, False),  # < 50 %
        ("industriefunctie,kantoorfunctie", 500, 1000, None, True),  # exactly 50 %
        ("kantoorfunctie", 80, 100, None, False),  # < 100 m²
        ("kantoorfunctie", 100, 100, None, True),  # exactly 100 m²
        ("industriefunctie", None, 1000, None, False),  # no office function
        ("industriefunctie,kantoorfunctie", None, 1000, None, NA),  # office unknown
        (None, None, 1000, None, NA),  # uses unknown
        ("kantoorfunctie", 150, None, None, NA),  # share unknown
    ],
)
def test_label_c_required(use, office, floor, monument, expected):
    _check(_label_c(use, office, floor, monument), expected)


def test_label_c_or_better():
    ok = obligations.label_c_or_better(_s(["A+++", "C", "D", "G", None]))
    assert ok.tolist() == [True, True, False, False, NA]


def test_obligation_columns_of_a_buildings_table():
    b = buildings(
        [
            {"elec_kwh_yr": 80_000, "elec_source": "gemeten", "floor_area_m2": 400},
            {"floor_area_m2": 200},
            {},
        ]
    )
    out = obligations.obligations(b, energy.demand(b, DEFAULT), DEFAULT)
    assert out["besparingsplicht"].tolist() == [True, False, NA]
    assert out["besparingsplicht_basis"].tolist() == ["gemeten", "geschat", NA]
    assert out["informatieplicht"].tolist() == out["besparingsplicht"].tolist()
    assert out["onderzoeksplicht"].tolist() == [False, False, NA]
    assert str(out["besparingsplicht"].dtype) == "boolean"
