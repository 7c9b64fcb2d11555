"""Spreadsheet safety: text a spreadsheet shows as text, and valid sheet titles.

Used by every writer of an xlsx or csv file (the exports in
:mod:`kansenkaart.views.export`, the Mijn pand sheet, the importer's file
checks), so a text like ``=HYPERLINK(...)`` in a survey answer or company
name is never run as a formula when a gemeente opens the file (DESIGN.md
section 6, formula injection).
"""

from __future__ import annotations

import re

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A cell text starting with one of these gets a leading ``'`` (DESIGN §6)."""
MAX_SHEET_TITLE = 31


def safe_texts(values: pd.Series) -> pd.Series:
    """Text that a spreadsheet shows as text: no XML-illegal characters, and a
    leading ``'`` before a formula start (``=``, ``+``, ``-``, ``@``, tab, CR).
    """
    text = values.astype("string").str.replace(
        ILLEGAL_CHARACTERS_RE.pattern, "", regex=True
    )
    return text.mask(text.str.startswith(FORMULA_START).fillna(False), "'" + text)


def sheet_title(title: str) -> str:
    """A valid sheet title: no ``[]:*?/\\``, at most 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", "", title)[:MAX_SHEET_TITLE] or "Blad"
