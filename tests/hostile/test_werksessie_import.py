"""Hostile werksessie exchange files and record values; the largest session.

Every generated hostile value, in every field of every kind of record, is
refused in Dutch naming the file, and the records stored before stay as they
were (the import is one transaction).
"""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy.orm import Session

from kansenkaart.core import limits
from kansenkaart.engine import measures
from kansenkaart.records import exchange, models, store
from tests.hostile.conftest import finished, refused

TERRAIN = "de-punt"
SOURCE = "werksessie.json"
MEASURES = sorted(measures.BY_ID)


def valid_value(f: models.Field, n: int = 1):
    """A valid value for field ``f`` (the ``n``-th of its kind for keys)."""
    if f.name == "measure_id":
        return MEASURES[n % len(MEASURES)]
    return {
        "id": f"{n:016d}",
        "text": "tekst",
        "long_text": "lange tekst",
        "choice": f.choices[0] if f.choices else "x",
        "bool": False,
        "date": f"2026-01-{1 + n % 28:02d}",
        "number": 1.5,
        "count": 2,
        "names": ["Anna", "Bram"],
    }[f.kind]


def valid_record(entity: str, n: int = 1) -> dict:
    return {f.name: valid_value(f, n) for f in models.fields(entity)}


def document(**sections) -> dict:
    return {
        "format": exchange.EXPORT_FORMAT,
        "format_version": exchange.EXPORT_VERSION,
        "terrain_id": TERRAIN,
        **sections,
    }


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    opened = store.Store(f"sqlite:///{tmp_path_factory.mktemp('h') / 'w.sqlite'}")
    opened.import_terrain(
        TERRAIN, document(**{e: [valid_record(e)] for e in models.ENTITIES}), user="A"
    )
    yield opened
    opened.close()


def stored(db: store.Store) -> tuple:
    """Everything stored for the terrain, to compare before and after."""
    return (
        exchange.to_json({**db.export_terrain(TERRAIN), "exported_at": None}),
        len(db.changes(TERRAIN)),
    )


# Raw JSON texts put in place of one value; none is valid for any field.
HOSTILE = {
    "1e309": "1e309",
    "-1e309": "-1e309",
    "NaN": "NaN",
    "Infinity": "Infinity",
    "400 cijfers": "1" + "0" * 400,
    "4400 cijfers": "1" + "0" * 4400,
    "NUL": '"a\\u0000b"',
    "escape": '"\\u001b[31m"',
    "surrogaat": '"\\ud800"',
    "100.000 tekens": '"' + "x" * 100_000 + '"',
    "diep": "[" * 500 + "]" * 500,
    "zeer diep": "[" * 100_000 + "]" * 100_000,
    "object": '{"$ne": null}',
    "true": "true",
    "lijst": '[1, "a", null]',
}
CASES = [
    (entity, f.name, label)
    for entity in models.ENTITIES
    for f in models.fields(entity)
    for label in HOSTILE
    if not (f.kind == "bool" and label == "true")  # the one valid pair
]


def hostile_file(entity: str, name: str, raw: str) -> bytes:
    record = {**valid_record(entity, 2), name: "@@"}
    text = exchange.to_json(document(**{entity: [record]})).decode()
    return text.replace('"@@"', raw).encode()


def test_the_generated_file_without_a_hostile_value_is_imported(db):
    data = exchange.to_json(
        document(**{e: [valid_record(e, 3)] for e in models.ENTITIES})
    )
    result, error, _ = finished(
        lambda: db.import_terrain(
            TERRAIN, exchange.parse_export(data), user="A", dry_run=True
        )
    )
    assert error is None and sum(result.created.values()) == len(models.ENTITIES)


@pytest.mark.parametrize(("entity", "name", "label"), CASES)
def test_a_hostile_value_is_refused_and_nothing_stored_changes(db, entity, name, label):
    before = stored(db)
    data = hostile_file(entity, name, HOSTILE[label])
    refused(
        lambda: db.import_terrain(
            TERRAIN, exchange.parse_export(data, SOURCE), user="B", source=SOURCE
        ),
        SOURCE,
    )
    assert stored(db) == before


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xff\xfe{\x00}\x00",
        "{}".encode("utf-16"),
        b"[" * 1_000_000,
        b'{"a": ' * 200_000,
        b"NaN",
        b'"' + b"x" * 1000 + b'"',
        json.dumps({"format": ["x"] * 100_000}).encode(),
        json.dumps(document(interest={"a": 1})).encode(),
        json.dumps(document(interest=[1, "x", None, []])).encode(),
        json.dumps(document(**{f"sectie{i}": [] for i in range(10_000)})).encode(),
        json.dumps(document(terrain_id={"x": ["y"] * 10_000})).encode(),
        json.dumps({**document(), "format_version": 10**300}).encode(),
    ],
    ids=lambda d: repr(d[:12]),
)
def test_a_hostile_file_is_refused_and_nothing_stored_changes(db, data):
    before = stored(db)
    refused(
        lambda: db.import_terrain(
            TERRAIN, exchange.parse_export(data, SOURCE), user="B", source=SOURCE
        ),
        SOURCE,
    )
    assert stored(db) == before


def test_an_id_longer_than_the_database_column_is_refused_before_saving(db):
    # PostgreSQL refuses a 61-character value in VARCHAR(60); SQLite would keep it.
    long_id = "1" * (limits.ID_CHARS + 1)
    data = hostile_file("note", "building_id", f'"{long_id}"')
    error = refused(
        lambda: db.import_terrain(TERRAIN, exchange.parse_export(data), user="B"),
        "import.json",
        f"langer dan {limits.ID_CHARS} tekens",
    )
    assert error.problems[0].column == "building_id"
    refused(
        lambda: db.save(
            "note",
            TERRAIN,
            {"building_id": long_id},
            {"text": "x"},
            user="B",
            expected_version=0,
        ),
        "langer dan 60 tekens",
    )


@pytest.mark.parametrize(
    ("terrain", "user"),
    [("t" * 101, "B"), ("de-punt\x00", "B"), (TERRAIN, "B" * 101), (TERRAIN, "B\x00")],
)
def test_a_hostile_terrain_id_or_user_name_is_refused_before_saving(db, terrain, user):
    before = stored(db)
    refused(
        lambda: db.save(
            "note",
            terrain,
            {"building_id": "0009"},
            {"text": "x"},
            user=user,
            expected_version=0,
        )
    )
    assert stored(db) == before


# --- the largest allowed session -------------------------------------------------

WIDE = "\U0001d11e"  # four bytes in UTF-8: the widest export per character
USER = WIDE * limits.USER_CHARS


def largest_session() -> dict:
    """A session at both limits: MAX_SESSION_RECORDS records holding nearly
    MAX_SESSION_TEXT_CHARS characters, the long texts in four-byte characters."""
    plans = [
        {
            **valid_record("plan", i),
            **{
                f.name: WIDE * limits.LONG_TEXT_CHARS
                for f in models.fields("plan")
                if f.kind == "long_text"
            },
            "responsible": WIDE * limits.TEXT_CHARS,
        }
        for i in range(len(MEASURES))
    ]
    groups = [
        {
            **valid_record("workgroup", i),
            "trekker": WIDE * limits.TEXT_CHARS,
            "members": [f"lid {n:03d}" for n in range(limits.MAX_NAMES)],
        }
        for i in range(len(MEASURES))
    ]
    n_interests = limits.MAX_SESSION_RECORDS - len(plans) - len(groups)
    interests = [
        {
            **valid_record("interest", i // len(MEASURES)),
            "measure_id": MEASURES[i % len(MEASURES)],
            "note": WIDE * 88,
        }
        for i in range(n_interests)
    ]
    return document(plan=plans, workgroup=groups, interest=interests)


def test_the_export_of_the_largest_session_imports_back_completely(tmp_path):
    first = store.Store(f"sqlite:///{tmp_path / 'a.sqlite'}")
    second = store.Store(f"sqlite:///{tmp_path / 'b.sqlite'}")
    doc = largest_session()
    started = time.perf_counter()
    first.import_terrain(TERRAIN, doc, user=USER)
    imported_s = time.perf_counter() - started
    with Session(first.engine) as session:
        records, chars = store.session_size(session, TERRAIN)
    assert records == limits.MAX_SESSION_RECORDS
    assert 0.95 * limits.MAX_SESSION_TEXT_CHARS < chars <= limits.MAX_SESSION_TEXT_CHARS

    data = exchange.to_json(first.export_terrain(TERRAIN))
    assert 5_000_000 < len(data) <= exchange.MAX_IMPORT_BYTES  # 5 MB: the old limit
    second.import_terrain(TERRAIN, exchange.parse_export(data), user=USER)
    again = exchange.to_json(second.export_terrain(TERRAIN))

    def strip(text: bytes) -> dict:  # the times of writing differ
        return {
            k: [{**r, "updated_at": None} for r in v] if isinstance(v, list) else None
            for k, v in json.loads(text).items()
        }

    assert strip(again) == strip(data)
    print(f"largest session: {len(data):,} bytes, import {imported_s:.1f} s")

    # One record or one character more is refused, naming the database.
    refused(
        lambda: first.save(
            "note",
            TERRAIN,
            {"building_id": "x"},
            {"text": "t"},
            user="A",
            expected_version=0,
        ),
        "a.sqlite",
        "de grens is 5.000",
    )
    first.close()
    second.close()
