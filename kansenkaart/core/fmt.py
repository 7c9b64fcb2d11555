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

Reading typed numbers
---------------------
:func:`parse_number` reads what a person types into a number field with
Babel's ``nl_NL`` parser in strict mode (thousands groups must be whole:
``1.234,5`` and ``75.000`` read, ``1.23,4`` does not); :func:`input_text`
writes a value back for the field. A :class:`NumberField` says what a field
accepts: its allowed range and unit, decimals, whole numbers only, empty
allowed, and whether it is a *share* (a fraction 0–1 read and typed as a
percentage). Before Babel parses, the typed text is tidied:

1. A space between groups of three digits is a thousands separator, also a
   non-breaking (U+00A0), narrow (U+202F) or thin (U+2009) space:
   ``1 234,5`` is 1234,5. A minus sign U+2212 is a minus.
2. A ``€`` before or after the number is dropped on a field in euros, a
   trailing ``%`` on a percentage or share field, and a trailing copy of the
   field's unit (``75.000 kWh``). On other fields they make the text
   unreadable.
3. **The dot rule.** A single dot, without a comma, followed by other than
   exactly three digits, or after a lone ``0``, is a decimal point (an
   English habit, not a thousands group): ``0.30`` is 0,30, ``12.5`` is 12,5,
   ``0.300`` is 0,3; but ``75.000`` is 75000, as a Dutch reader reads it.
4. What is left must be digits with an optional sign, dots and commas, so
   ``1e309``, ``NaN`` and ``∞`` are refused (Babel would read the first two).

A share field reads ``30`` and ``30%`` as 0,30; a field with unit ``%`` that
is no share reads both as 30. ``-0`` reads 0. What cannot be read, is not
whole where it must be, or falls outside the range raises
:class:`NumberError` with a Dutch message that names the field, the range
with its unit, and what to type.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
from babel.numbers import (
    NumberFormatError,
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
    parse_decimal,
)

from kansenkaart.core.texts import UNKNOWN, missing

__all__ = [
    "NumberError",
    "NumberField",
    "area",
    "co2",
    "energy",
    "euro",
    "euro_range",
    "input_text",
    "number",
    "numbers",
    "parse_number",
    "percent",
    "power",
]

LOCALE = "nl_NL"
"""The CLDR locale (Babel) of every number shown and every number read."""

# Python's "," format groups by three, as the nl_NL pattern #,##0.### does;
# the symbols are the locale's (tests/test_texts.py compares with Babel).
_DUTCH_SEPARATORS = str.maketrans(
    {",": get_group_symbol(LOCALE), ".": get_decimal_symbol(LOCALE)}
)


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

    Used where reasons are built for thousands of buildings at once: the
    numbers are formatted by one ``str.format`` map and their separators
    swapped in one ``translate`` of the joined text (100,000 values in about
    50 ms, a quarter of a call per value).
    """
    floats = np.asarray(values.to_numpy(dtype=float, na_value=np.nan))
    joined = "\n".join(map(f"{{:,.{decimals}f}}".format, floats.tolist()))
    parts = joined.translate(_DUTCH_SEPARATORS).split("\n")[: len(floats)]  # "" → []
    text = np.array(parts, dtype=object)
    if unit:
        text = text + f" {unit}"
    text[np.isnan(floats)] = UNKNOWN
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


# --- typed numbers ---------------------------------------------------------------

_MOST_DECIMALS = 6
"""Decimals shown at most when a value is written back into its field."""
_QUOTED_CHARS = 30
"""Characters of a typed text quoted in an error message."""
_GROUP_SPACE = re.compile(r"(?<=\d)\s(?=\d{3}(?!\d))")
_SINGLE_DOT = re.compile(r"[+-]?(\d+)\.(\d+)")
_DIGITS_ONLY = re.compile(r"[+-]?[\d.,]+")


class NumberError(ValueError):
    """A typed number that cannot be used; ``str()`` is the Dutch message."""


@dataclass(frozen=True)
class NumberField:
    """What a number field accepts (see *Reading typed numbers* above).

    Parameters
    ----------
    label : str
        Dutch name of the field, as the user sees it; error messages name it.
    unit : str
        Unit of the typed number (``€/kWh``, ``kWh per jaar``); ``""`` for a
        count. A field in euros has ``€`` in its unit.
    minimum, maximum : float
        Allowed range, both ends included, in the unit the user types (for a
        share: in percent).
    decimals : int
        Decimals shown at least when the value is written back (more, up to
        six, when the value has them).
    share : bool
        The value is a fraction 0–1 that the user reads and types as a
        percentage: 0,55 is shown as ``55`` (unit ``%``), ``55`` and ``55%``
        read 0,55.
    whole : bool
        Only whole numbers (a count).
    optional : bool
        An empty field is allowed and reads as no value (None).
    """

    label: str
    unit: str
    minimum: float
    maximum: float
    decimals: int = 0
    share: bool = False
    whole: bool = False
    optional: bool = False

    @property
    def shown_unit(self) -> str:
        """The unit the user types in: ``%`` for a share."""
        return "%" if self.share else self.unit


def _decimal_text(value: Decimal, decimals: int) -> str:
    """``value`` in Dutch notation (Babel ``nl_NL``) with ``decimals`` or more
    (up to six) decimals: ``Decimal("0.3"), 2 -> "0,30"``."""
    least = min(decimals, _MOST_DECIMALS)
    pattern = "#,##0." + "0" * least + "#" * (_MOST_DECIMALS - least)
    return format_decimal(value, pattern, locale=LOCALE)


def _shown(value: float, field: NumberField) -> Decimal:
    """The value in the unit the user types (percent for a share), exactly as
    its shortest repr reads; -0 becomes 0."""
    exact = Decimal(repr(float(value))) * (100 if field.share else 1)
    return exact if exact != 0 else Decimal(0)


def input_text(value, field: NumberField) -> str:
    """The text of a number field for ``value``; ``""`` when missing.

    ``input_text(0.3, NumberField("Stroomprijs", "€/kWh", 0, 5, 2)) == "0,30"``;
    a share 0.55 reads ``"55"``.
    """
    if missing(value):
        return ""
    return _decimal_text(_shown(value, field), 0 if field.whole else field.decimals)


def _range_text(field: NumberField) -> str:
    unit = f" {field.shown_unit}" if field.shown_unit else ""
    low, high = (
        _decimal_text(Decimal(repr(float(bound))), 0)
        for bound in (field.minimum, field.maximum)
    )
    return f"tussen {low} en {high}{unit}"


def _what_to_type(field: NumberField) -> str:
    """``Typ een getal tussen 0 en 5 €/kWh, bijvoorbeeld 2,50.``: the range and
    an example in it (its middle), written as the field wants it."""
    middle = (
        Decimal(repr(float(field.minimum))) + Decimal(repr(float(field.maximum)))
    ) / 2
    decimals = 0 if field.whole else field.decimals
    example = _decimal_text(round(middle, decimals), decimals)
    kind = "een geheel getal" if field.whole else "een getal"
    comma = "" if field.whole else ", met een komma voor decimalen"
    return f"Typ {kind} {_range_text(field)}{comma}, bijvoorbeeld {example}."


def _quoted(text: str) -> str:
    text = text.strip()
    if len(text) > _QUOTED_CHARS:
        text = text[:_QUOTED_CHARS] + "…"
    return f"'{text}'"


def _tidy(text: str, field: NumberField) -> str:
    """Steps 1, 2 and 3 of *Reading typed numbers*: the text Babel parses."""
    tidy = text.strip().replace("\u2212", "-")
    if "€" in field.unit:
        tidy = tidy.removeprefix("€").removesuffix("€").strip()
    if field.share or field.unit == "%":
        tidy = tidy.removesuffix("%").strip()
    if field.unit and tidy.casefold().endswith(field.unit.casefold()):
        tidy = tidy[: -len(field.unit)].strip()
    tidy = _GROUP_SPACE.sub("", tidy)
    single_dot = _SINGLE_DOT.fullmatch(tidy)
    if single_dot and (len(single_dot[2]) != 3 or single_dot[1] == "0"):
        tidy = tidy.replace(".", get_decimal_symbol(LOCALE))
    return tidy


def parse_number(text: str | None, field: NumberField) -> float | None:
    """Read a typed number the Dutch way (Babel ``nl_NL``).

    Parameters
    ----------
    text : str or None
        As typed: ``0,30``, ``0.30``, ``75.000``, ``1.234,5``, ``1 234,5``,
        ``€ 1.200``, ``30%``, ``-5``.
    field : NumberField
        What the field accepts.

    Returns
    -------
    float or None
        The value in the field's unit (a fraction for a share); None for an
        empty optional field.

    Raises
    ------
    NumberError
        With a Dutch message naming the field, the range with its unit and
        what to type, when the text is empty (and the field is not optional),
        unreadable, not whole where it must be, or outside the range.
    """
    if text is None or not text.strip():
        if field.optional:
            return None
        raise NumberError(f"{field.label}: vul een getal in. {_what_to_type(field)}")
    tidy = _tidy(text, field)
    try:
        if not _DIGITS_ONLY.fullmatch(tidy):
            raise NumberFormatError(tidy)
        value = parse_decimal(tidy, locale=LOCALE, strict=True) + 0  # -0 is 0
    except (NumberFormatError, ArithmeticError) as unreadable:
        raise NumberError(
            f"{field.label}: {_quoted(text)} is geen getal. {_what_to_type(field)}"
        ) from unreadable
    if field.whole and value != value.to_integral_value():
        raise NumberError(
            f"{field.label}: {_quoted(text)} is geen geheel getal. "
            f"{_what_to_type(field)}"
        )
    low, high = (Decimal(repr(float(b))) for b in (field.minimum, field.maximum))
    if not low <= value <= high:
        short = value.adjusted() < 15  # fewer than 16 digits before the comma
        read_as = f" (gelezen als {_decimal_text(value, 0)})" if short else ""
        raise NumberError(
            f"{field.label}: {_quoted(text)}{read_as} ligt buiten het toegestane "
            f"bereik. {_what_to_type(field)}"
        )
    return float(value / 100 if field.share else value)
