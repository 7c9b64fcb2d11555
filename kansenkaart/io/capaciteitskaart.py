"""The Capaciteitskaart data product of Netbeheer Nederland (JSON).

The netbeheerders deliver their capacity information to the Capaciteitskaart
(capaciteitskaart.netbeheernederland.nl) as one JSON document per operator,
the data product ``dp-capaciteitskaart``: energy areas (*voedingsgebieden*,
and TenneT's congestion areas) with the capacity per year, the year from
which a shortage is expected to be resolved (``*_alleviation_year``), the
traffic light per direction (``demand_constraint`` = afname,
``generation_constraint`` = invoeding), postcode areas and planned works.

Two published layouts are read:

- version 2.x (e.g. TenneT, 2026): ``geographical_regions[].regions[]
  .energy_areas[]``, capacity per year in ``area_capacity[]`` with
  ``capacity_interval.year``, the traffic light inside those rows;
- version 1.x (information model ``im-capaciteitskaart`` v1.3.0):
  ``energy_areas[]`` at the top, capacity and traffic light as fields of the
  area (read as the year of ``issued``).

The colours (``RAGKind``) map onto the Capaciteitskaart statuses of DESIGN.md
section 4.4: ``transparant`` 0 (capaciteit beschikbaar, geen wachtrij),
``yellow`` 1 (beperkt beschikbaar), ``amber`` 2 (in onderzoek, met
wachtrij), ``red`` 3 (tekort, met wachtrij).

Sources
-------
- Netbeheer Nederland, information model ``im-capaciteitskaart`` v1.3.0,
  ``src/im_capaciteitskaart/schema/im_capaciteitskaart.yaml`` (GitHub
  Netbeheer-Nederland/im-capaciteitskaart, Apache-2.0): field meanings,
  ``RAGKind`` with its Dutch descriptions, ``DateTimeInterval`` (start, end,
  year, quarter).
- TenneT delivery ``TenneT_20260423_v21_update.json`` (version 2.1.0, in
  GitHub Netbeheer-Nederland/nbnl-examples): the 2.x layout; a subset is in
  ``tests/fixtures/real/capaciteitskaart/``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from kansenkaart.core.address import normalise_postcode
from kansenkaart.core.errors import DataError, Problem
from kansenkaart.core.model import CapacityProduct

RAG_STATUS = {"transparant": 0, "yellow": 1, "amber": 2, "red": 3}
"""RAGKind colour -> Capaciteitskaart status 0–3 (module docstring)."""

DIRECTIONS = ("demand", "generation")
"""demand = afname, generation = invoeding."""
FIGURES = ("available_capacity", "quoted_capacity", "capacity_in_queue")
"""Capacities in MW per direction (``available``: aanwezige
transportcapaciteit; ``quoted``: benodigde transportcapaciteit; ``in_queue``:
wachtrij in capaciteit)."""
COUNTS = ("requests_in_queue",)

AREA_COLUMNS = (
    "short_code",
    "type",
    "description",
    "region",
    "demand_alleviation_year",
    "generation_alleviation_year",
    "demand_energy_area_short_code",
    "generation_energy_area_short_code",
)
CAPACITY_COLUMNS = (
    "short_code",
    "year",
    "demand_status",
    "generation_status",
    *(f"{d}_{f}" for d in DIRECTIONS for f in (*FIGURES, *COUNTS)),
    "description",
)
WORK_COLUMNS = (
    "short_code",
    "project_name",
    "status_kind",
    "source",
    "description",
    "start",
    "end",
    "year",
    "quarter",
)
POSTCODE_COLUMNS = (
    "short_code",
    "postcode",
    "substation_short_code",
    "demand_status",
    "generation_status",
)

WRONG_JSON_FIX = (
    "kies het JSON-bestand van het Capaciteitskaart-dataproduct "
    "(dp-capaciteitskaart, met 'energy_areas') van de netbeheerder, of een "
    "GeoJSON met capaciteitsgebieden (vlakken met afname_status en "
    "invoeding_status)."
)


def parse_json(data: bytes, name: str):
    """The JSON document in ``data``; DataError naming line and column if not.

    UTF-8 with or without BOM.
    """
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise DataError.single(
            name, "het bestand is geen UTF-8-tekst en dus geen JSON.", WRONG_JSON_FIX
        ) from exc
    except json.JSONDecodeError as exc:
        raise DataError.single(
            name,
            f"het bestand is geen geldig JSON (regel {exc.lineno}, kolom "
            f"{exc.colno}: {exc.msg}).",
            WRONG_JSON_FIX,
        ) from exc


def _area_lists(node, region: str = "") -> Iterator[tuple[str, list]]:
    """Every ``energy_areas`` list in the document, with its region's name."""
    if isinstance(node, dict):
        if "energy_areas" in node or "regions" in node:
            region = str(node.get("description") or region)
        for key, value in node.items():
            if key == "energy_areas" and isinstance(value, list):
                yield region, value
            else:
                yield from _area_lists(value, region)
    elif isinstance(node, list):
        for item in node:
            yield from _area_lists(item, region)


def is_capaciteitskaart(doc) -> bool:
    """True for a Capaciteitskaart data product: a JSON object with energy areas."""
    return isinstance(doc, dict) and any(True for _ in _area_lists(doc))


class _Reader:
    """Collects rows and problems while walking one document."""

    def __init__(self, name: str, year: int | None):
        self.name = name
        self.year = year
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        self.areas: list[dict] = []
        self.capacity: list[dict] = []
        self.works: list[dict] = []
        self.postcodes: list[dict] = []

    def note(self, area: str, key: str, value, what: str) -> None:
        self.warnings.append(
            f"{self.name}: energiegebied '{area}', veld '{key}': waarde "
            f"{value!r} {what}; niet gebruikt."
        )

    def number(self, area: str, item: dict, key: str) -> float | None:
        value = item.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            self.note(area, key, value, "is geen getal van 0 of meer")
            return None
        return float(value)

    def whole(self, area: str, item: dict, key: str) -> int | None:
        value = item.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.note(area, key, value, "is geen jaartal of aantal")
            return None
        if value != int(value):
            self.note(area, key, value, "is geen geheel getal")
            return None
        return int(value)

    def status(self, area: str, item: dict, key: str) -> int | None:
        value = item.get(key)
        if value is None:
            return None
        code = RAG_STATUS.get(str(value).strip().lower())
        if code is None:
            self.note(area, key, value, f"is geen kleur ({', '.join(RAG_STATUS)})")
        return code

    def capacity_row(self, area: str, item: dict, year: int | None) -> dict:
        row = {"short_code": area, "year": year}
        for d in DIRECTIONS:
            row[f"{d}_status"] = self.status(area, item, f"{d}_constraint")
            for f in FIGURES:
                row[f"{d}_{f}"] = self.number(area, item, f"{d}_{f}")
            for c in COUNTS:
                row[f"{d}_{c}"] = self.whole(area, item, f"{d}_{c}")
        row["description"] = (
            item.get("description") if "capacity_interval" in item else None
        )
        return row

    def area(self, number: int, region: str, item) -> None:
        if not isinstance(item, dict) or not str(item.get("short_code") or "").strip():
            self.problems.append(
                Problem(
                    self.name,
                    "dit energiegebied heeft geen 'short_code' (de naam van het "
                    "gebied); het is overgeslagen.",
                    "vraag de netbeheerder om een volledig bestand.",
                    row=number,
                    column="short_code",
                )
            )
            return
        code = str(item["short_code"]).strip()
        self.areas.append(
            {
                "short_code": code,
                "type": item.get("type"),
                "description": item.get("description"),
                "region": region or None,
                **{
                    f"{d}_alleviation_year": self.whole(
                        code, item, f"{d}_alleviation_year"
                    )
                    for d in DIRECTIONS
                },
                **{
                    f"{d}_energy_area_short_code": item.get(
                        f"{d}_energy_area_short_code"
                    )
                    for d in DIRECTIONS
                },
            }
        )
        rows = item.get("area_capacity")
        if isinstance(rows, list):
            for row in rows:
                if not isinstance(row, dict):
                    continue
                interval = row.get("capacity_interval") or {}
                year = self.whole(code, interval, "year")
                self.capacity.append(self.capacity_row(code, row, year))
        else:
            flat = self.capacity_row(code, item, self.year)
            if any(
                v is not None
                for k, v in flat.items()
                if k not in ("short_code", "year")
            ):
                self.capacity.append(flat)
        for work in item.get("works") or []:
            self.work(code, work)
        for postcode in item.get("postcode_areas") or []:
            if isinstance(postcode, dict):
                self.postcodes.append(
                    {
                        "short_code": code,
                        "postcode": postcode.get("postcode"),
                        "substation_short_code": postcode.get("substation_short_code"),
                        "demand_status": self.status(
                            code, postcode, "demand_constraint"
                        ),
                        "generation_status": self.status(
                            code, postcode, "generation_constraint"
                        ),
                    }
                )

    def work(self, area: str, work) -> None:
        if (
            not isinstance(work, dict)
            or not str(work.get("project_name") or "").strip()
        ):
            self.note(area, "works", work, "heeft geen 'project_name'")
            return
        intervals = [
            s.get("schedule_interval") or {}
            for s in work.get("time_schedules") or []
            if isinstance(s, dict)
        ]
        starts = [str(i["start"]) for i in intervals if i.get("start")]
        ends = [str(i["end"]) for i in intervals if i.get("end")]
        years = [
            (self.whole(area, i, "year"), self.whole(area, i, "quarter"))
            for i in intervals
        ]
        years = [y for y in years if y[0] is not None]
        year, quarter = max(years) if years else (None, None)
        self.works.append(
            {
                "short_code": area,
                "project_name": str(work["project_name"]).strip(),
                "status_kind": work.get("status_kind"),
                "source": work.get("source"),
                "description": work.get("description"),
                "start": min(starts) if starts else None,
                "end": max(ends) if ends else None,
                "year": year,
                "quarter": quarter,
            }
        )


def _updated(doc: dict) -> str:
    """Newest date of the data (``updated[].date``, else ``issued``); "" if none."""
    dates = [
        str(u.get("date"))
        for u in doc.get("updated") or []
        if isinstance(u, dict) and u.get("date")
    ]
    if doc.get("issued"):
        dates.append(str(doc["issued"]))
    return max(dates) if dates else ""


def _frame(
    rows: list[dict], columns: tuple[str, ...], ints: tuple[str, ...]
) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(columns))
    for column in frame.columns:
        if column in ints:
            frame[column] = frame[column].astype("Int64")
        elif column.endswith(FIGURES):
            frame[column] = frame[column].astype("Float64")
        else:
            frame[column] = frame[column].astype("string")
    return frame


def product_from_json(doc, name: str) -> CapacityProduct:
    """Read a parsed data-product document (see the module docstring).

    Parameters
    ----------
    doc : dict
        The JSON document.
    name : str
        The file's name as the user knows it (for messages).

    Returns
    -------
    CapacityProduct
        Areas, capacity per year, works and postcode areas; statuses 0–3.

    Raises
    ------
    DataError
        Not a data product (no ``energy_areas``), no energy area at all, or
        energy areas without ``short_code`` (Dutch, with the area's number).
    """
    if not is_capaciteitskaart(doc):
        raise DataError.single(
            name,
            "dit JSON-bestand is geen Capaciteitskaart-dataproduct: er staat "
            "geen lijst 'energy_areas' (energiegebieden) in.",
            WRONG_JSON_FIX,
        )
    updated = _updated(doc)
    reader = _Reader(name, int(updated[:4]) if updated[:4].isdigit() else None)
    number = 0
    for region, areas in _area_lists(doc):
        for item in areas:
            number += 1
            reader.area(number, region, item)
    if reader.problems:
        raise DataError(reader.problems)
    if not reader.areas:
        raise DataError.single(
            name,
            "het bestand bevat geen energiegebieden (de lijsten 'energy_areas' "
            "zijn leeg).",
            "download het dataproduct opnieuw bij de netbeheerder.",
        )
    postcodes = _frame(
        reader.postcodes, POSTCODE_COLUMNS, ("demand_status", "generation_status")
    )
    postcodes["postcode"] = normalise_postcode(postcodes["postcode"])
    regions = [r for r, _ in _area_lists(doc) if r]
    publisher = str(
        doc.get("contact_point")
        or doc.get("creator")
        or (regions[-1] if regions else "")
    )
    return CapacityProduct(
        name=name,
        publisher=publisher,
        version=str(doc.get("version") or doc.get("conforms_to") or ""),
        updated=updated,
        areas=_frame(
            reader.areas,
            AREA_COLUMNS,
            ("demand_alleviation_year", "generation_alleviation_year"),
        ),
        capacity=_frame(
            reader.capacity,
            CAPACITY_COLUMNS,
            (
                "year",
                "demand_status",
                "generation_status",
                "demand_requests_in_queue",
                "generation_requests_in_queue",
            ),
        ),
        works=_frame(reader.works, WORK_COLUMNS, ("year", "quarter")),
        postcodes=postcodes,
        warnings=tuple(reader.warnings),
    )


def read_capaciteitskaart(
    source: Path | str | bytes, name: str | None = None
) -> CapacityProduct:
    """Read a Capaciteitskaart data-product file (``dp-capaciteitskaart`` JSON).

    Parameters
    ----------
    source : path or bytes
        The JSON file, or its content.
    name : str, optional
        The file's name for messages (default: the path's name).

    Returns
    -------
    CapacityProduct

    Raises
    ------
    DataError
        Unreadable file, invalid JSON, or no data product (Dutch message naming
        the file).
    """
    if isinstance(source, bytes):
        data, label = source, name or "capaciteitskaart.json"
    else:
        path = Path(source)
        label = name or path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DataError.single(
                label, "het bestand kan niet worden gelezen.", "controleer het pad."
            ) from exc
    return product_from_json(parse_json(data, label), label)
