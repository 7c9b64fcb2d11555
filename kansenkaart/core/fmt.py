"""Dutch number formatting for everything a user reads (1.234,5 and 12 %)."""

from __future__ import annotations

import numpy as np
import pandas as pd

UNKNOWN = "onbekend"
_DUTCH_SEPARATORS = str.maketrans({",": ".", ".": ","})


def _missing(value) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def number(value, decimals: int = 0, unit: str = "") -> str:
    """Format a number the Dutch way: ``number(1234.5, 1, "m²") == "1.234,5 m²"``.

    Missing values (None, NaN, pd.NA) give ``"onbekend"``.
    """
    if _missing(value):
        return UNKNOWN
    text = f"{float(value):,.{decimals}f}".translate(_DUTCH_SEPARATORS)
    return f"{text} {unit}".rstrip()


def numbers(values: pd.Series, decimals: int = 0, unit: str = "") -> pd.Series:
    """:func:`number` for a whole column (same text, without per-value checks).

    Used where reasons are built for thousands of buildings at once.
    """
    floats = np.asarray(values.to_numpy(dtype=float, na_value=np.nan))
    suffix = f" {unit}" if unit else ""
    text = [
        UNKNOWN
        if np.isnan(v)
        else f"{v:,.{decimals}f}".translate(_DUTCH_SEPARATORS) + suffix
        for v in floats.tolist()
    ]
    return pd.Series(text, index=values.index, dtype="string")


def percent(share, decimals: int = 0) -> str:
    """Format a share 0–1 as a Dutch percentage: ``percent(0.456) == "46 %"``."""
    if _missing(share):
        return UNKNOWN
    return number(100 * float(share), decimals, "%")
