"""The exchange file of a terrain's werksessie records (JSON).

:meth:`kansenkaart.records.store.Store.export_terrain` writes a terrain's
records as one document (:func:`to_json` makes the file); an uploaded file is
read with :func:`parse_export` and checked, record by record with Dutch
messages, by :func:`validate_export` before
:meth:`~kansenkaart.records.store.Store.import_terrain` merges it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

from kansenkaart.core import fmt, limits
from kansenkaart.core.errors import DataError, Problem
from kansenkaart.records.models import (
    ENTITIES,
    clean_record,
    fields,
    key_names,
    shown_value,
)

EXPORT_FORMAT = "kansenkaart-werksessie"
EXPORT_VERSION = 1
_CHOOSE = "Kies een export van de pagina Werkgroepen & voortgang."


def to_json(doc: Mapping) -> bytes:
    """An export document as UTF-8 JSON (readable, stable order)."""
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def _widest_record(entity: str) -> dict:
    """A record of ``entity`` as large as its parts outside the text budget get.

    Texts are empty (their characters are counted by
    :data:`~kansenkaart.core.limits.MAX_SESSION_TEXT_CHARS`), name lists hold
    :data:`~kansenkaart.core.limits.MAX_NAMES` empty names, numbers have the
    longest ``repr`` of a float (23 characters) or the largest count, and
    ``updated_by`` is the longest name of four-byte characters.
    """
    widest = {
        "names": [""] * limits.MAX_NAMES,
        "bool": False,
        "date": "2026-12-31",
        "number": 2.2250738585072014e-308,
        "count": limits.MAX_RECORD_NUMBER,
    }
    record = {f.name: widest.get(f.kind, "") for f in fields(entity)}
    moment = dt.datetime(2026, 12, 31, 23, 59, 59, tzinfo=dt.UTC)
    record["updated_by"] = "\U0001d11e" * limits.USER_CHARS
    record["updated_at"] = moment.isoformat(timespec="seconds")
    return record


def export_bound_bytes() -> int:
    """The largest export :meth:`~kansenkaart.records.store.Store.export_terrain`
    can write for a session within the limits (bytes).

    A document with one widest record per entity, plus
    :data:`~kansenkaart.core.limits.MAX_SESSION_RECORDS` times the most one
    record adds, plus four bytes per character of text: UTF-8 takes at most
    four bytes a character, and the only escapes JSON writes for the text the
    store accepts (quote, backslash, tab, newline) take two.
    """
    doc = {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_VERSION,
        "terrain_id": "\U0001d11e" * limits.TERRAIN_ID_CHARS,
        "exported_at": _widest_record("note")["updated_at"],
    }
    widest = {entity: _widest_record(entity) for entity in ENTITIES}
    full = len(to_json({**doc, **{e: [r] for e, r in widest.items()}}))
    added = max(
        len(to_json({e: [r, r]})) - len(to_json({e: [r]})) for e, r in widest.items()
    )
    return full + limits.MAX_SESSION_RECORDS * added + 4 * limits.MAX_SESSION_TEXT_CHARS


MAX_IMPORT_BYTES = export_bound_bytes()
"""Largest JSON file accepted by :func:`parse_export` (bytes): the largest
export of a session within the limits, so every export is read back."""


def _no_constant(name: str):
    raise ValueError(f"'{name}' is geen getal dat JSON kent")


def parse_export(data: bytes, source: str = "import.json") -> dict:
    """Read an uploaded export file; a Dutch :class:`DataError` when unreadable.

    Refused before any record is looked at: a file larger than
    :data:`MAX_IMPORT_BYTES`, text that is not UTF-8, invalid JSON, ``NaN``
    and ``Infinity`` (not JSON), integers of more than 4300 digits, and
    nesting deeper than Python's recursion limit.
    """
    if len(data) > MAX_IMPORT_BYTES:
        raise DataError.single(
            source,
            f"het bestand ({fmt.number(len(data))} bytes) is groter dan de grens "
            f"van {fmt.number(MAX_IMPORT_BYTES)} bytes.",
            _CHOOSE,
        )
    try:
        doc = json.loads(data.decode("utf-8-sig"), parse_constant=_no_constant)
    except UnicodeDecodeError as exc:
        raise DataError.single(
            source, f"de tekst is geen UTF-8 (byte {exc.start + 1}).", _CHOOSE
        ) from exc
    except RecursionError as exc:
        raise DataError.single(
            source, "geen geldig JSON-bestand: te diep genest.", _CHOOSE
        ) from exc
    except ValueError as exc:  # JSONDecodeError, NaN, too many digits
        raise DataError.single(
            source, f"geen geldig JSON-bestand ({str(exc)[:200]}).", _CHOOSE
        ) from exc
    if not isinstance(doc, dict):
        raise DataError.single(source, "verwacht een JSON-object met secties.", _CHOOSE)
    return doc


def validate_export(
    doc: Mapping, terrain_id: str, building_ids=None, source: str = "import.json"
) -> dict[str, list[dict]]:
    """Check an export document; return its records per entity (converted).

    Raises
    ------
    DataError
        With every problem: wrong format or terrain, unknown sections or
        fields, invalid values, unknown buildings, duplicate keys.
    """
    problems: list[Problem] = []
    if doc.get("format") != EXPORT_FORMAT:
        raise DataError.single(
            source,
            "dit is geen export van de werksessiegegevens van de Kansenkaart.",
            "Kies een bestand dat met 'Exporteren (JSON)' is gemaakt.",
        )
    if doc.get("format_version") != EXPORT_VERSION:
        problems.append(
            Problem(
                source,
                f"onbekende formaatversie {shown_value(doc.get('format_version'))}; "
                f"deze app leest versie {EXPORT_VERSION}.",
                "Exporteer opnieuw met deze versie van de Kansenkaart.",
            )
        )
    if doc.get("terrain_id") != terrain_id:
        problems.append(
            Problem(
                source,
                f"dit bestand hoort bij terrein {shown_value(doc.get('terrain_id'))}, "
                f"niet bij '{terrain_id}'.",
                "Kies eerst het juiste terrein in de zijbalk.",
            )
        )
    info = {"format", "format_version", "terrain_id", "exported_at"}
    for section in set(doc) - info - set(ENTITIES):
        problems.append(
            Problem(
                source, f"onbekende sectie {shown_value(section)}.", "Laat die weg."
            )
        )
    known = set(building_ids) if building_ids is not None else None
    records: dict[str, list[dict]] = {}
    for entity in ENTITIES:
        items = doc.get(entity, [])
        section = f"sectie '{entity}' ({ENTITIES[entity].label})"
        if not isinstance(items, list):
            problems.append(Problem(source, f"{section}: verwacht een lijst.", _CHOOSE))
            continue
        seen = set()
        records[entity] = []
        for row, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                problems.append(
                    Problem(
                        source,
                        f"{section}: verwacht een record (object).",
                        _CHOOSE,
                        row=row,
                    )
                )
                continue
            values = {
                k: v for k, v in item.items() if k not in ("updated_by", "updated_at")
            }
            clean, found = clean_record(
                entity, values, source=source, section=section, row=row
            )
            problems += found
            building = clean.get("building_id")
            if building and known is not None and building not in known:
                problems.append(
                    Problem(
                        source,
                        f"{section}: pand {shown_value(building)} ligt niet op dit "
                        "terrein.",
                        "Kies het terrein waarvan de export komt.",
                        row,
                        "building_id",
                    )
                )
            key = tuple(str(clean.get(k)) for k in key_names(entity))
            if key in seen:
                problems.append(
                    Problem(
                        source,
                        f"{section}: dit record staat er twee keer in "
                        f"({', '.join(key)}).",
                        "Laat één van beide weg.",
                        row,
                    )
                )
            seen.add(key)
            records[entity].append(clean)
    if problems:
        raise DataError(problems)
    return records
