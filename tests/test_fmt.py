import math

import pandas as pd

from kansenkaart.core import fmt


def test_dutch_thousands_and_decimal_comma():
    assert fmt.number(1234.5, 1, "m²") == "1.234,5 m²"
    assert fmt.number(1_250_000) == "1.250.000"
    assert fmt.number(0.5, 2) == "0,50"


def test_missing_values_read_onbekend():
    for value in (None, math.nan, pd.NA):
        assert fmt.number(value) == "onbekend"
        assert fmt.percent(value) == "onbekend"


def test_percent():
    assert fmt.percent(0.456) == "46 %"
    assert fmt.percent(0.4567, 1) == "45,7 %"


def test_column_formatting_matches_single_values():
    values = pd.Series([1234.5, None, 0.25], dtype="Float64")
    out = fmt.numbers(values, 1, "kWp")
    assert out.tolist() == ["1.234,5 kWp", "onbekend", "0,2 kWp"]
    assert out.tolist() == [fmt.number(v, 1, "kWp") for v in values]
