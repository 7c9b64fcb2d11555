"""Database faults: read-only, full, locked, damaged, unknown revision.

Each is a real SQLite fault code (SQLITE_READONLY through ``query_only``,
SQLITE_FULL through ``max_page_count``, SQLITE_BUSY through a writer that holds
the lock), so no root rights or small disk are needed. The message names the
database file and what to do; the records saved before stay.
"""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import event

from kansenkaart.records import database, store
from tests.hostile.conftest import finished, refused

TERRAIN = "de-punt"
KEY = {"building_id": "0001"}


@pytest.fixture
def path(tmp_path):
    return tmp_path / "werksessies.sqlite"


@pytest.fixture
def db(path):
    opened = store.Store(f"sqlite:///{path}")
    opened.save("note", TERRAIN, KEY, {"text": "bewaard"}, user="A", expected_version=0)
    yield opened
    opened.close()


def on_connect(db: store.Store, *pragmas: str) -> None:
    """Run ``pragmas`` on every new connection of ``db`` from now on."""
    db.engine.dispose()

    @event.listens_for(db.engine, "connect")
    def _pragmas(connection, _record):
        for pragma in pragmas:
            connection.execute(pragma)


def kept(path) -> list:
    """The notes in the file, read past the app (plain sqlite3)."""
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT building_id, text FROM building_notes"
        ).fetchall()


def write(db: store.Store):
    return lambda: db.save(
        "note",
        TERRAIN,
        {"building_id": "0002"},
        {"text": "x" * 4000},
        user="B",
        expected_version=0,
    )


def test_a_read_only_database_is_named_and_keeps_its_records(db, path):
    on_connect(db, "PRAGMA query_only = ON")
    error = refused(write(db), str(path), "alleen-lezen", "schrijfrechten")
    assert "niet gewijzigd" in str(error)
    _, read_error, _ = finished(lambda: db.get("note", TERRAIN, **KEY))
    assert read_error is None, "reading still works"
    assert kept(path) == [("0001", "bewaard")]


def test_a_full_disk_is_named_and_keeps_its_records(db, path):
    pages = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]
    on_connect(db, f"PRAGMA max_page_count = {pages}")
    refused(write(db), str(path), "schijf", "vol", "Maak ruimte vrij")
    assert kept(path) == [("0001", "bewaard")]


def test_a_locked_database_is_named_and_keeps_its_records(db, path, monkeypatch):
    monkeypatch.setattr(database, "SQLITE_BUSY_TIMEOUT_MS", 200)
    db.engine.dispose()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process writing, for minutes
    try:
        refused(write(db), str(path), "bezet", "Wacht een minuut", limit_s=5)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert kept(path) == [("0001", "bewaard")]
    _, error, _ = finished(write(db))
    assert error is None, "writes again once the lock is gone"


def test_an_unknown_revision_is_named_and_the_database_left_alone(db, path):
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff00000099'")
    db.close()
    error = refused(
        lambda: store.Store(f"sqlite:///{path}"),
        str(path),
        "ffff00000099",
        "Werk de Kansenkaart bij",
    )
    assert "nieuwere versie" in str(error)
    assert kept(path) == [("0001", "bewaard")]


@pytest.mark.parametrize(
    "content", [b"dit is geen database" * 100, b"SQLite format 3\x00" + b"\xff" * 4000]
)
def test_a_file_that_is_no_database_is_named(path, content):
    path.write_bytes(content)
    refused(lambda: store.Store(f"sqlite:///{path}"), str(path))
    assert path.read_bytes() == content, "the file is left as it was"


def test_an_unreachable_server_is_named_without_its_password():
    url = "postgresql://kk:geheim@127.0.0.1:1/werksessies?connect_timeout=2"
    error = refused(lambda: store.Store(url), "127.0.0.1", limit_s=15)
    assert "geheim" not in str(error)
