"""Linking survey (enquête) rows to buildings by BAG id or postcode + house number."""

from __future__ import annotations

import pandas as pd

from kansenkaart.core import texts
from kansenkaart.core.address import address_key


def link_survey(
    buildings: pd.DataFrame, survey: pd.DataFrame, file: str = texts.SURVEY
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
