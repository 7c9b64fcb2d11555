"""Dutch number and unit formats for everything a user reads.

Numbers: a dot between thousands and a decimal comma, a space before the unit
(``1.234,5 m²``, ``12 %``, ``€ 12.345``); this agrees with the CLDR ``nl_NL``
locale (``tests/test_fmt.py`` checks against Babel). Rounding is Python's
(half to even on the stored binary value), the same for one value and for a
whole column, so a figure reads the same in a reason and in a detail panel.
Missing values read ``onbekend`` (:data:`kansenkaart.core.texts.UNKNOWN`).

Sensible scaling
----------------
A quantity is shown in the largest unit of its family that it reaches,
decided after rounding (so 999.960 kWh reads ``1,0 GWh``, not ``1.000 MWh``):

======================  ==========================================================
:func:`energy` (kWh)    below 1.000 kWh whole kWh (``999 kWh``); below 1.000 MWh
                        in MWh, one decimal below 10 MWh (``1,0 MWh``), whole
                        from 10 MWh (``123 MWh``); from there GWh with one
                        decimal (``12,3 GWh``)
:func:`power` (kWp)     below 1.000 kWp in kWp, one decimal below 10 kWp
                        (``4,4 kWp``), whole from 10 kWp (``123 kWp``); from
                        there MWp with one decimal (``1,2 MWp``)
:func:`co2` (kg)        below 1.000 kg whole kg (``450 kg CO₂``); from there
                        tonnes with one decimal (``12,3 t CO₂``)
:func:`area` (m²)       whole m², no scaling (``1.234 m²``)
:func:`euro` (€)        whole euros, no scaling (``€ 12.345``, ``€ -1.234``)
======================  ==========================================================

Negative values keep their sign and are scaled by their size.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kansenkaart.core.texts import UNKNOWN, missing

__all__ = [
    "area",
    "co2",
    "energy",
    "euro",
    "euro_range",
    "number",
    "numbers",
    "percent",
    "power",
]

_DUTCH_SEPARATORS = str.maketrans({",": ".", ".": ","})


def _plain(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}".translate(_DUTCH_SEPARATORS)


def number(value, decimals: int = 0, unit: str = "") -> str:
    """Format a number the Dutch way: ``number(1234.5, 1, "m²") == "1.234,5 m²"``.

    Missing values (None, NaN, pd.NA) give ``"onbekend"``.
    """
    if missing(value):
        return UNKNOWN
    return f"{_plain(float(value), decimals)} {unit}".rstrip()


def numbers(values: pd.Series, decimals: int = 0, unit: str = "") -> pd.Series:
    """:func:`number` for a whole column (same text, without per-value checks).

    Used where reasons are built for thousands of buildings at once.
    """
    floats = np.asarray(values.to_numpy(dtype=float, na_value=np.nan))
    suffix = f" {unit}" if unit else ""
    text = [
        UNKNOWN if np.isnan(v) else _plain(v, decimals) + suffix
        for v in floats.tolist()
    ]
    return pd.Series(text, index=values.index, dtype="string")


def percent(share, decimals: int = 0) -> str:
    """Format a share 0–1 as a Dutch percentage: ``percent(0.456) == "46 %"``."""
    if missing(share):
        return UNKNOWN
    return number(100 * float(share), decimals, "%")


def euro(value) -> str:
    """Whole euros: ``euro(12345.4) == "€ 12.345"``, ``euro(-1234) == "€ -1.234"``."""
    if missing(value):
        return UNKNOWN
    return "€ " + number(value, 0)


def euro_range(low, high) -> str:
    """``€ 1.000 – 2.500``; ``onbekend`` when the lower end is missing."""
    if missing(low):
        return UNKNOWN
    return f"{euro(low)} – {number(high, 0)}"


def _scaled(value, steps, suffix: str) -> str:
    """``value`` in the first unit of ``steps`` in which it stays under 1.000.

    ``steps``: (unit, size in the base unit, decimals below 10, decimals from
    10), smallest unit first; the last unit takes every larger value.
    """
    if missing(value):
        return UNKNOWN
    base, largest = float(value), steps[-1][0]
    for unit, size, small, large in steps:
        scaled = base / size
        decimals = small if abs(round(scaled, small)) < 10 else large
        if abs(round(scaled, decimals)) < 1000 or unit == largest:
            return f"{_plain(scaled, decimals)} {unit}{suffix}"
    raise ValueError(f"geen eenheid voor {value}")  # the largest takes all


_ENERGY = (("kWh", 1.0, 0, 0), ("MWh", 1e3, 1, 0), ("GWh", 1e6, 1, 1))
_POWER = (("kWp", 1.0, 1, 0), ("MWp", 1e3, 1, 1))
_CO2 = (("kg CO₂", 1.0, 0, 0), ("t CO₂", 1e3, 1, 1))


def energy(kwh, per: str = "") -> str:
    """Energy in kWh, MWh or GWh: ``energy(12_345_678) == "12,3 GWh"``.

    ``per`` is added after the unit (``" per jaar"``).
    """
    return _scaled(kwh, _ENERGY, per)


def power(kwp, per: str = "") -> str:
    """Peak power in kWp or MWp: ``power(4.44) == "4,4 kWp"``, ``"1,2 MWp"``."""
    return _scaled(kwp, _POWER, per)


def co2(kg, per: str = "") -> str:
    """CO₂ in kg or tonnes: ``co2(12_345, " per jaar") == "12,3 t CO₂ per jaar"``."""
    return _scaled(kg, _CO2, per)


def area(m2) -> str:
    """Area in whole m²: ``area(1234.4) == "1.234 m²"``."""
    return number(m2, 0, "m²")


_MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def long_date(date: dt.date) -> str:
    """A date as written in Dutch letters: ``5 maart 2026``."""
    return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"
