"""The stated limits of what the Kansenkaart reads, stores and writes.

One place for every size limit, so a reader, the records store, an export and
its import use the same numbers, and a message can quote them. Each limit is
enforced early (before the work it bounds) with a Dutch
:class:`~kansenkaart.core.errors.DataError` that names the file or database.

The werksessie exchange file has no limit of its own: its largest size follows
from :data:`MAX_SESSION_RECORDS`, :data:`MAX_SESSION_TEXT_CHARS` and the field
lengths (:data:`kansenkaart.records.exchange.MAX_IMPORT_BYTES`), so the export
of any session the store accepts is read back by the import.
"""

from __future__ import annotations

import re

# --- terrain files ----------------------------------------------------------------

MAX_FILE_BYTES = 200 * 1024**2
"""Largest single file read (bytes): an upload, or one member of a zip."""
MAX_ZIP_MEMBERS = 50
"""Most files in a terrain zip."""
MAX_ZIP_TOTAL_BYTES = 500 * 1024**2
"""Largest unpacked size of a terrain zip (bytes), checked before unpacking."""
MAX_BUILDINGS = 100_000
"""Most buildings in one terrain: a province on one map (all business parks of
Noord-Brabant hold some tens of thousands of panden). Measured at the limit
(``benchmarks/bench_scale.py``): read plus analyse peaks at about 0.9 GB,
analyse takes 6–8 s, the GeoPackage of the whole selection 2 GB of memory."""
MAX_CELL_CHARS = 2_000
"""Longest text in one cell of a terrain table (geometry as WKT excepted)."""
MAX_TERRAIN_JSON_BYTES = 100_000
"""Largest ``terrain.json`` (bytes): a dozen short fields."""

# --- identifiers and texts (the column lengths of records/models.py) ----------------

ID_CHARS = 60
"""Longest identifier: building, measure, action number (``String(60)``)."""
TERRAIN_ID_CHARS = 100
"""Longest terrain id (``String(100)``)."""
USER_CHARS = 100
"""Longest user name stored with a change (``String(100)``)."""
TEXT_CHARS = 200
"""Longest short text of a record (a note with an interest, a name)."""
LONG_TEXT_CHARS = 5_000
"""Longest free text of a record (a building note, a plan field)."""
MAX_NAMES = 100
"""Most names in one list (members of a workgroup)."""
MAX_RECORD_NUMBER = 1_000_000_000
"""Largest number in a record (kWp, companies, kg CO₂ per year); also keeps a
count inside a 32-bit database integer."""

# --- werksessie records per terrain ---------------------------------------------------

MAX_SESSION_RECORDS = 5_000
"""Most werksessie records of one terrain (all kinds together): 150 companies
× 15 measures of interest is 2,250."""
MAX_SESSION_TEXT_CHARS = 1_000_000
"""Most characters of text in the records of one terrain (ids, texts, names),
about 500 pages."""

# --- views -----------------------------------------------------------------------

PDF_NAME_CHARS = 120
"""Longest company name or address printed in a PDF; longer ones end in "…"."""


# --- characters -------------------------------------------------------------------

FORBIDDEN_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
"""Characters no text may hold (see :func:`forbidden_character`)."""


def forbidden_character(text: str) -> str | None:
    """Where ``text`` holds a character that cannot be stored, in Dutch, or None.

    Refused are the control characters other than tab, line feed and carriage
    return (PostgreSQL refuses NUL in text; none of them prints) and lone
    surrogates (not encodable as UTF-8, so no database or file keeps them).

    Returns
    -------
    str or None
        E.g. ``"teken U+0000 op positie 4"``.
    """
    found = FORBIDDEN_CHARACTERS.search(text)
    if found is None:
        return None
    return f"teken U+{ord(found.group()):04X} op positie {found.start() + 1}"
