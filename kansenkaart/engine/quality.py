"""Data-quality summaries of the starting situation (Leidraad step 2)."""

from __future__ import annotations

import pandas as pd

from kansenkaart.core.schema import INTEREST, SURVEY_MEASURES, Schema


def completeness(table: pd.DataFrame, schema: Schema) -> pd.DataFrame:
    """Per schema column: Dutch label, unit, filled count and share.

    Parameters
    ----------
    table : DataFrame
        A validated table of ``schema``.
    schema : Schema

    Returns
    -------
    DataFrame with columns Gegeven, Eenheid, Ingevuld, Ingevuld (%)
    """
    n = len(table)
    rows = []
    for col in schema.columns:
        filled = int(table[col.name].notna().sum()) if col.name in table else 0
        rows.append(
            {
                "Gegeven": col.label,
                "Eenheid": col.unit,
                "Ingevuld": filled,
                "Ingevuld (%)": round(100 * filled / n, 1) if n else 0.0,
            }
        )
    return pd.DataFrame(rows)


def survey_interest(survey: pd.DataFrame) -> pd.DataFrame:
    """Count of ja / misschien / nee per measure the survey asks about.

    Only totals: individual answers stay private (DESIGN.md section 6).
    """
    rows = []
    for measure in SURVEY_MEASURES:
        answers = survey[f"interest_{measure}"].value_counts()
        row = {"Maatregel": measure.replace("_", " ")}
        row.update({answer: int(answers.get(answer, 0)) for answer in INTEREST})
        rows.append(row)
    return pd.DataFrame(rows)
