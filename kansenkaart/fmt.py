"""Dutch number formatting for everything a user reads (1.234,5 and 12 %)."""

from __future__ import annotations

import pandas as pd

UNKNOWN = "onbekend"


def _missing(value) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def number(value, decimals: int = 0, unit: str = "") -> str:
    """Format a number the Dutch way: ``number(1234.5, 1, "m²") == "1.234,5 m²"``.

    Missing values (None, NaN, pd.NA) give ``"onbekend"``.
    """
    if _missing(value):
        return UNKNOWN
    text = f"{float(value):,.{decimals}f}"
    text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return f"{text} {unit}".rstrip()


def percent(share, decimals: int = 0) -> str:
    """Format a share 0–1 as a Dutch percentage: ``percent(0.456) == "46 %"``."""
    if _missing(share):
        return UNKNOWN
    return number(100 * float(share), decimals, "%")
