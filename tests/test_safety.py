"""Spreadsheet safety: formula injection and sheet titles (DESIGN.md section 6)."""

import pandas as pd
import pytest

from kansenkaart.core import safety


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+31 6 1234", "'+31 6 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("\x01=cmd", "'=cmd"),
        ("Bakker Metaal", "Bakker Metaal"),
        ("a=b", "a=b"),
    ],
)
def test_safe_texts(text, expected):
    assert safety.safe_texts(pd.Series([text]))[0] == expected


def test_safe_texts_keeps_missing_values():
    assert safety.safe_texts(
        pd.Series([None, "x"], dtype="string")
    ).isna().tolist() == [
        True,
        False,
    ]


def test_sheet_titles_are_valid():
    assert safety.sheet_title("Kansen per maatregel en per bedrijf 2025") == (
        "Kansen per maatregel en per bed"
    )
    assert len(safety.sheet_title("x" * 40)) == 31
    assert safety.sheet_title("a/b:c") == "abc"
