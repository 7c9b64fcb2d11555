"""The exchange file of a terrain's werksessie records (JSON).

:meth:`kansenkaart.records.store.Store.export_terrain` writes a terrain's
records as one document (:func:`to_json` makes the file); an uploaded file is
read with :func:`parse_export` and checked, record by record with Dutch
messages, by :func:`validate_export` before
:meth:`~kansenkaart.records.store.Store.import_terrain` merges it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from kansenkaart.core.errors import DataError, Problem
from kansenkaart.records.models import ENTITIES, clean_record, key_names

MAX_IMPORT_BYTES = 5_000_000
"""Largest JSON file accepted by :func:`parse_export` (bytes)."""
EXPORT_FORMAT = "kansenkaart-werksessie"
EXPORT_VERSION = 1


def to_json(doc: Mapping) -> bytes:
    """An export document as UTF-8 JSON (readable, stable order)."""
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def parse_export(data: bytes, source: str = "import.json") -> dict:
    """Read an uploaded export file; a Dutch :class:`DataError` when unreadable."""
    if len(data) > MAX_IMPORT_BYTES:
        raise DataError.single(
            source,
            f"het bestand is groter dan {MAX_IMPORT_BYTES // 1_000_000} MB.",
            "Kies een export van de pagina Werkgroepen & voortgang.",
        )
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError.single(
            source,
            f"geen geldig JSON-bestand ({exc}).",
            "Kies een export van de pagina Werkgroepen & voortgang.",
        ) from exc
    if not isinstance(doc, dict):
        raise DataError.single(source, "verwacht een JSON-object met secties.")
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
                f"onbekende formaatversie {doc.get('format_version')!r}; "
                f"deze app leest versie {EXPORT_VERSION}.",
            )
        )
    if doc.get("terrain_id") != terrain_id:
        problems.append(
            Problem(
                source,
                f"dit bestand hoort bij terrein '{doc.get('terrain_id')}', niet bij "
                f"'{terrain_id}'.",
                "Kies eerst het juiste terrein in de zijbalk.",
            )
        )
    info = {"format", "format_version", "terrain_id", "exported_at"}
    for section in set(doc) - info - set(ENTITIES):
        problems.append(
            Problem(source, f"onbekende sectie '{section}'.", "Laat die weg.")
        )
    known = set(building_ids) if building_ids is not None else None
    records: dict[str, list[dict]] = {}
    for entity in ENTITIES:
        items = doc.get(entity, [])
        section = f"sectie '{entity}' ({ENTITIES[entity].label})"
        if not isinstance(items, list):
            problems.append(Problem(source, f"{section}: verwacht een lijst."))
            continue
        seen = set()
        records[entity] = []
        for row, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                problems.append(
                    Problem(
                        source, f"{section}: verwacht een record (object).", row=row
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
                        f"{section}: pand '{building}' ligt niet op dit terrein.",
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
