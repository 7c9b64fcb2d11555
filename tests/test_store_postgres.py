"""The werksessie store on PostgreSQL (``DATABASE_URL=postgresql://…``).

Needs a server: set ``TEST_DATABASE_URL`` to a database the tests may create
schemas in (``.ci/run`` starts Debian's PostgreSQL and sets it). Each test
works in its own schema, dropped afterwards. Without the variable the tests
skip and say why.
"""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.orm.exc import StaleDataError

from kansenkaart.records import database, models, store
from tests.postgres import SERVER, schema_url

TERRAIN = "de-punt"
ZON = {"building_id": "0001", "measure_id": "zon_eigen_dak"}

pytestmark = pytest.mark.skipif(
    not SERVER,
    reason="PostgreSQL-tests: set TEST_DATABASE_URL (e.g. postgresql://user:pw@"
    "127.0.0.1/db) to a server where schemas may be created; .ci/run does so.",
)


@pytest.fixture
def url():
    """A URL whose search_path is a fresh schema (dropped after the test)."""
    with schema_url("werksessie") as fresh:
        yield fresh


def tables(engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def test_empty_database_is_migrated_twice_without_change(url):
    db = store.Store(url)
    assert db.engine.dialect.name == "postgresql"
    assert database.current_revision(db.engine) == "0003"
    with db.engine.connect() as connection:
        drift = compare_metadata(
            MigrationContext.configure(connection), models.Base.metadata
        )
    assert drift == []
    before = tables(db.engine)
    database.migrate(db.engine)
    assert tables(db.engine) == before
    db.close()


def test_upgrade_from_the_first_revision_keeps_the_data(url):
    engine = database.make_engine(url)
    database.migrate(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO plans (terrain_id, measure_id, status, goal, version, "
                "created_by, created_at, updated_by, updated_at) VALUES ('de-punt', "
                "'energy_hub', 'onderzoek', 'hub', 2, 'A', now(), 'B', now())"
            )
        )
    engine.dispose()
    db = store.Store(url)
    plan = db.get("plan", TERRAIN, measure_id="energy_hub")
    assert (plan.values["status"], plan.version, plan.updated_by) == (
        "onderzoek",
        2,
        "B",
    )
    assert "monitoring_readings" in tables(db.engine)
    db.close()


def test_data_survives_a_restart_and_stale_writes_conflict(url):
    anna, bert = store.Store(url), store.Store(url)
    anna.save("interest", TERRAIN, ZON, {"level": "ja"}, user="A", expected_version=0)
    anna.save("interest", TERRAIN, ZON, {"level": "nee"}, user="A", expected_version=1)
    with pytest.raises(store.ConflictError) as caught:
        bert.save(
            "interest",
            TERRAIN,
            ZON,
            {"level": "misschien"},
            user="B",
            expected_version=1,
        )
    assert caught.value.theirs.values["level"] == "nee"
    anna.close()
    bert.close()
    restarted = store.Store(url)
    assert restarted.get("interest", TERRAIN, **ZON).values["level"] == "nee"
    assert list(restarted.changes(TERRAIN)["action"]) == [
        "conflict",
        "update",
        "create",
    ]
    restarted.close()


def test_simultaneous_writers_meet_the_version_column(url):
    """Both read version 1 before either writes; the row lock plus the version
    column let exactly one through, the other gets a conflict."""
    first, second = store.Store(url), store.Store(url)
    first.save(
        "note",
        TERRAIN,
        {"building_id": "0001"},
        {"text": "begin"},
        user="A",
        expected_version=0,
    )
    both_read = threading.Barrier(2, timeout=20)
    this_thread = threading.local()

    def wait_after_read(conn, cursor, statement, *args):
        """Hold each writer after its first read of the note until both read."""
        reads_note = (
            statement.lstrip().startswith("SELECT") and "building_notes" in statement
        )
        if reads_note and not getattr(this_thread, "has_read", False):
            this_thread.has_read = True
            both_read.wait()

    outcome = {}

    def write(db, who):
        sa.event.listen(db.engine, "after_cursor_execute", wait_after_read)
        try:
            db.save(
                "note",
                TERRAIN,
                {"building_id": "0001"},
                {"text": who},
                user=who,
                expected_version=1,
            )
            outcome[who] = "saved"
        except store.ConflictError as conflict:
            outcome[who] = "conflict"
            outcome["cause"] = conflict.__cause__
        finally:
            sa.event.remove(db.engine, "after_cursor_execute", wait_after_read)

    threads = [
        threading.Thread(target=write, args=(db, who))
        for db, who in ((first, "anna"), (second, "bert"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cause = outcome.pop("cause")
    assert sorted(outcome.values()) == ["conflict", "saved"]
    assert isinstance(cause, StaleDataError), "refused by UPDATE … WHERE version"
    winner = next(who for who, result in outcome.items() if result == "saved")
    note = first.get("note", TERRAIN, building_id="0001")
    assert (note.values["text"], note.version) == (winner, 2)
    assert sorted(first.changes(TERRAIN)["action"]) == ["conflict", "create", "update"]
    first.close()
    second.close()


def test_change_log_is_append_only(url):
    db = store.Store(url)
    db.save("interest", TERRAIN, ZON, {"level": "ja"}, user="A", expected_version=0)
    for statement in (
        "UPDATE change_log SET user_name = 'X'",
        "DELETE FROM change_log",
        "TRUNCATE change_log",
    ):
        with (
            pytest.raises(sa.exc.DatabaseError, match="alleen worden aangevuld"),
            db.engine.begin() as connection,
        ):
            connection.execute(sa.text(statement))
    assert list(db.changes(TERRAIN)["user_name"]) == ["A"]
    db.close()


def test_export_from_postgresql_imports_into_sqlite(url, tmp_path):
    db = store.Store(url)
    db.save(
        "workgroup",
        TERRAIN,
        {"measure_id": "led"},
        {"trekker": "Anna", "members": ["Bert"]},
        user="A",
        expected_version=0,
    )
    lite = store.Store(f"sqlite:///{tmp_path / 'kopie.sqlite'}")
    result = lite.import_terrain(TERRAIN, db.export_terrain(TERRAIN), user="B")
    assert result.summary() == "1 nieuw, 0 gewijzigd, 0 ongewijzigd"
    assert lite.get("workgroup", TERRAIN, measure_id="led").values["members"] == [
        "Bert"
    ]
    db.close()
    lite.close()
