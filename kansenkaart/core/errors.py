"""Errors and warnings with Dutch messages for the people who fix the data."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice

import numpy as np


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file.

    Parameters
    ----------
    file : str
        File name as the user knows it (e.g. ``buildings.geojson``).
    message : str
        What is wrong, in Dutch.
    fix : str
        How to fix it, in Dutch.
    row : int or None
        1-based data row (the header is not counted), if the problem is in a row.
    column : str or None
        Column name, if the problem is in a column.
    """

    file: str
    message: str
    fix: str = ""
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [f"bestand '{self.file}'"]
        if self.row is not None:
            where.append(f"rij {self.row}")
        if self.column is not None:
            where.append(f"kolom '{self.column}'")
        text = f"{', '.join(where)}: {self.message}"
        if self.fix:
            text += f" Oplossing: {self.fix}"
        return text


MAX_ROWS_LISTED = 5
"""Rows listed one by one for the same error in the same column."""


def listed_problems(
    file: str,
    rows: Iterable[int],
    values: Iterable,
    column: str | None,
    message: str,
    fix: str,
    ids: Iterable | None = None,
) -> list[Problem]:
    """One problem per bad row for the first :data:`MAX_ROWS_LISTED`, then a count.

    ``rows`` are 1-based data rows, ``values`` the cells as the message should
    quote them; ``message`` may hold ``{value}`` and ``{id}`` (``ids``, else
    the value). A thousand rows with the same fault give six lines, not a
    thousand.
    """
    rows = list(rows)
    values = list(islice(values, MAX_ROWS_LISTED))
    ids = values if ids is None else list(islice(ids, MAX_ROWS_LISTED))
    out = [
        Problem(file, message.format(value=v, id=i), fix, int(r), column)
        for r, v, i in zip(rows[:MAX_ROWS_LISTED], values, ids, strict=False)
    ]
    if len(rows) > MAX_ROWS_LISTED:
        rest = len(rows) - MAX_ROWS_LISTED
        out.append(
            Problem(file, f"nog {rest} rijen met dezelfde fout.", fix, None, column)
        )
    return out


def masked_problems(
    file: str,
    bad,
    rows,
    values,
    column: str | None,
    message: str,
    fix: str,
    quote: Callable[[object], str] = lambda v: str(v)[:40],
) -> list[Problem]:
    """:func:`listed_problems` for the rows where the boolean mask ``bad``
    holds: ``rows`` are the file's row numbers and ``values`` the column's
    cells, both in table order; ``quote`` words a cell for the message."""
    positions = np.flatnonzero(np.asarray(bad, dtype=bool))
    return listed_problems(
        file,
        np.asarray(rows)[positions],
        (quote(values.iloc[pos]) for pos in positions),
        column,
        message,
        fix,
    )


def known_fault(
    reason: str,
    faults: tuple[tuple[tuple[str, ...], str, str], ...],
    otherwise: tuple[str, str],
) -> tuple[str, str]:
    """The (message, fix) of the first fault whose words occur in ``reason``
    (lower case, e.g. a database driver's error text), else ``otherwise``."""
    return next(
        ((m, f) for words, m, f in faults if any(w in reason for w in words)),
        otherwise,
    )


class DataError(ValueError):
    """Invalid input data; the message is Dutch and says where and how to fix it.

    Parameters
    ----------
    problems : list of Problem
        Every problem found; the message lists them (the first 20 in full).
    """

    MAX_LISTED = 20

    def __init__(self, problems: list[Problem]):
        if not problems:
            raise ValueError("DataError needs at least one problem")
        self.problems = list(problems)
        lines = [str(p) for p in self.problems[: self.MAX_LISTED]]
        hidden = len(self.problems) - self.MAX_LISTED
        if hidden > 0:
            lines.append(f"... en nog {hidden} vergelijkbare problemen.")
        super().__init__("\n".join(lines))

    @classmethod
    def single(
        cls,
        file: str,
        message: str,
        fix: str = "",
        row: int | None = None,
        column: str | None = None,
    ) -> DataError:
        """Build a DataError holding one problem."""
        return cls([Problem(file, message, fix, row, column)])
