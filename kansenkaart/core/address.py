"""Dutch address keys: postcode ``1234AB`` and house number ``12A`` normalised.

BAG, EP-online, kleinverbruik and survey rows write addresses each their own
way ("9301 zz", "12-a"); these functions give one key to join them on, and the
building search (:mod:`kansenkaart.engine.search`) uses them to compare what
a user types.
"""

from __future__ import annotations

import re

import pandas as pd

_POSTCODE = re.compile(r"^\s*(\d{4})\s*([A-Za-z]{2})\s*$")
# Number, then letter/addition with optional inner separators ("12A-1", "12 bis").
_HOUSE = re.compile(r"^\s*(\d+)\s*[-\s]*((?:[A-Za-z0-9]+[-\s]*)*?)\s*$")


def _per_distinct(values: pd.Series, normalise) -> pd.Series:
    """Apply a text normaliser once per distinct value (lists repeat them a lot)."""
    codes, uniques = pd.factorize(values.astype("string"))
    done = normalise(pd.Series(uniques, dtype="string"))
    mapped = pd.Series(done.to_numpy(dtype=object, na_value=None)).reindex(codes)
    return pd.Series(mapped.to_numpy(), index=values.index, dtype="string")


def _postcode(text: pd.Series) -> pd.Series:
    parts = text.str.extract(_POSTCODE)
    return (parts[0] + parts[1].str.upper()).astype("string")


def _house_number(text: pd.Series) -> pd.Series:
    parts = text.str.extract(_HOUSE)
    suffix = parts[1].fillna("").str.replace(r"[-\s]", "", regex=True).str.upper()
    return (parts[0].str.lstrip("0") + suffix).astype("string")


def normalise_postcode(values: pd.Series) -> pd.Series:
    """Dutch postcodes as ``1234AB``: "9301 zz", "9301ZZ" and " 9301 ZZ " agree.

    Values that are no postcode become NA.
    """
    return _per_distinct(values, _postcode)


def normalise_house_number(values: pd.Series) -> pd.Series:
    """House number with letter/addition as ``12A``: "12 a", "12-A", "12a" agree.

    Separators inside the addition go too, so "12A-1" and "12 A 1" give
    ``12A1``, as BAG huisnummer + huisletter + toevoeging concatenated.
    """
    return _per_distinct(values, _house_number)


def address_key(postcode: pd.Series, house_number: pd.Series) -> pd.Series:
    """Join key ``1234AB|12A``; NA when either part is missing or malformed."""
    return normalise_postcode(postcode) + "|" + normalise_house_number(house_number)
