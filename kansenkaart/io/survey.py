"""Linking survey (enquête) rows to buildings by BAG id or postcode + house number."""

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


def link_survey(
    buildings: pd.DataFrame, survey: pd.DataFrame, file: str = "enquête"
) -> tuple[pd.DataFrame, list[str]]:
    """Fill ``building_id`` of survey rows from the buildings' addresses.

    Rows that already carry a known ``building_id`` keep it; the others are
    matched on postcode + house number (+ letter/addition).

    Parameters
    ----------
    buildings, survey : DataFrame
        Validated tables (schemas BUILDINGS and SURVEY); not modified.
    file : str
        Survey file name for messages.

    Returns
    -------
    DataFrame
        Survey copy with ``building_id`` filled where a match was found.
    list of str
        Dutch warnings naming the rows that could not be linked.
    """
    out = survey.copy()
    if out.empty:
        return out, []
    known = out["building_id"].isin(buildings["building_id"])
    by_address = pd.Series(
        buildings["building_id"].to_numpy(),
        index=address_key(buildings["postcode"], buildings["house_number"]),
    )
    by_address = by_address[by_address.index.notna()]
    by_address = by_address[~by_address.index.duplicated()]
    keys = address_key(out["postcode"], out["house_number"])
    matched = keys.map(by_address).astype("string")
    out["building_id"] = out["building_id"].where(known, matched)
    unmatched = out["building_id"].isna().to_numpy()
    warnings = []
    if unmatched.any():
        rows = [str(i + 2) for i in range(len(out)) if unmatched[i]]
        shown = ", ".join(rows[:15]) + (" ..." if len(rows) > 15 else "")
        warnings.append(
            f"{file}: {len(rows)} van {len(out)} enquêterijen niet gekoppeld aan een "
            f"gebouw (rijen {shown}). Controleer postcode en huisnummer of vul "
            "building_id (BAG pand-id) in."
        )
    return out, warnings
