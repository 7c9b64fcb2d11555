"""kansenkaart.core.values: tiny hand-made columns, as a person reads them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from kansenkaart.core.values import mask, per_value


def test_mask_reads_na_as_not_selected_whatever_the_dtype():
    expected = [True, False, False]
    for values in (
        pd.Series([True, False, None], dtype="boolean"),
        pd.Series([True, False, None], dtype=pd.ArrowDtype(pa.bool_())),
        pd.Series([True, False, None], dtype=object),
        [True, False, None],
        pd.Series([1.0, 0.0, np.nan]) > 0.5,  # a comparison: plain booleans
    ):
        assert mask(values).tolist() == expected
        assert mask(values).dtype == bool


def test_mask_gives_a_new_array():
    plain = np.array([True, False])
    out = mask(plain)
    out[1] = True
    assert plain.tolist() == [True, False]


def test_per_value_is_a_lookup_with_missing_for_na_and_unknown():
    values = pd.Series(
        ["ja", "nee", None, "misschien", "weet niet", "ja"], dtype="string"
    )
    table = {"ja": 1.0, "misschien": 0.5, "nee": 0.0}
    out = per_value(values, table)
    np.testing.assert_array_equal(out, [1.0, 0.0, np.nan, 0.5, np.nan, 1.0])
    words = per_value(values, {"ja": "yes"}, None)
    assert words.tolist() == ["yes", None, None, None, None, "yes"]
