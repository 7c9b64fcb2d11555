"""Errors and warnings with Dutch messages for the people who fix the data."""

from __future__ import annotations

from dataclasses import dataclass


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
