"""The werksessie store on SQLite: migrations, locking, change log, exchange."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from kansenkaart import DataError
from kansenkaart.cli import main
from kansenkaart.records import database, exchange, models, store

TERRAIN = "de-punt"
ZON = {"building_id": "0001", "measure_id": "zon_eigen_dak"}


@pytest.fixture
def url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'werksessies.sqlite'}"


@pytest.fixture
def db(url):
    opened = store.Store(url)
    yield opened
    opened.close()


def tables(engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


# --- migrations ------------------------------------------------------------------


def test_first_use_creates_the_schema_of_the_models(url):
    db = store.Store(url)
    assert database.current_revision(db.engine) == "0003"
    with db.engine.connect() as connection:
        drift = compare_metadata(
            MigrationContext.configure(connection), models.Base.metadata
        )
    assert drift == [], "migrations and models describe the same schema"
    db.close()


def test_upgrade_head_twice_changes_nothing(db):
    before = tables(db.engine)
    database.migrate(db.engine)
    database.migrate(db.engine)
    assert tables(db.engine) == before
    assert database.current_revision(db.engine) == "0003"


def test_upgrade_from_the_first_revision_keeps_the_data(url):
    engine = database.make_engine(url)
    database.migrate(engine, "0001")
    assert "monitoring_readings" not in tables(engine)
    now = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO interests (terrain_id, building_id, measure_id, level, "
                "note, version, created_by, created_at, updated_by, updated_at) "
                "VALUES ('de-punt', '0001', 'zon_eigen_dak', 'ja', 'al offerte', 3, "
                "'Anna', :now, 'Bert', :now)"
            ),
            {"now": now},
        )
    engine.dispose()

    db = store.Store(url)  # first use of the new version: upgrade to head
    assert database.current_revision(db.engine) == "0003"
    kept = db.get("interest", TERRAIN, **ZON)
    assert (kept.values["level"], kept.values["note"]) == ("ja", "al offerte")
    assert (kept.version, kept.updated_by, kept.updated_at) == (3, "Bert", now)
    saved = db.save(
        "interest", TERRAIN, ZON, {"level": "nee"}, user="C", expected_version=3
    )
    assert saved.version == 4
    db.save(
        "reading",
        TERRAIN,
        {"measure_id": "zon_eigen_dak", "measured_on": dt.date(2026, 6, 1)},
        {"kwp_realised": 120.0},
        user="C",
        expected_version=0,
    )
    db.close()


def test_downgrade_to_the_first_revision_and_back(db):
    config = database.alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    assert "monitoring_readings" not in tables(db.engine)
    database.migrate(db.engine)
    assert "monitoring_readings" in tables(db.engine)


def test_two_processes_starting_at_once_migrate_one_after_the_other(url):
    opened, errors = [], []

    def start():
        try:
            opened.append(store.Store(url))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert {database.current_revision(s.engine) for s in opened} == {"0003"}
    for s in opened:
        s.close()


# --- saving, locking, change log -----------------------------------------------


def test_data_survives_a_restart(url):
    first = store.Store(url)
    first.save(
        "note",
        TERRAIN,
        {"building_id": "0001"},
        {"text": "dak vervangen in 2027"},
        user="Anna",
        expected_version=0,
    )
    first.close()
    second = store.Store(url)  # a new engine, as after an app restart
    note = second.get("note", TERRAIN, building_id="0001")
    assert note.values["text"] == "dak vervangen in 2027"
    assert (note.version, note.created_by) == (1, "Anna")
    second.close()


def test_second_stale_writer_gets_a_conflict_and_both_changes_are_logged(url):
    anna, bert = store.Store(url), store.Store(url)  # two engines, one file
    anna.save(
        "plan",
        TERRAIN,
        {"measure_id": "energy_hub"},
        {"status": "idee"},
        user="Anna",
        expected_version=0,
    )
    seen_by_anna = anna.get("plan", TERRAIN, measure_id="energy_hub").version
    seen_by_bert = bert.get("plan", TERRAIN, measure_id="energy_hub").version
    assert seen_by_anna == seen_by_bert == 1

    anna.save(
        "plan",
        TERRAIN,
        {"measure_id": "energy_hub"},
        {"goal": "netcongestie oplossen met een hub"},
        user="Anna",
        expected_version=seen_by_anna,
    )
    with pytest.raises(store.ConflictError) as caught:
        bert.save(
            "plan",
            TERRAIN,
            {"measure_id": "energy_hub"},
            {"goal": "eerst een batterij"},
            user="Bert",
            expected_version=seen_by_bert,
        )

    conflict = caught.value
    assert conflict.theirs.updated_by == "Anna"
    assert conflict.theirs.values["goal"] == "netcongestie oplossen met een hub"
    message = str(conflict)
    assert "intussen gewijzigd door Anna" in message and "niet opgeslagen" in message
    diff = conflict.differences().set_index("veld")
    assert diff.loc["Doel", "uw invoer"] == "eerst een batterij"
    assert diff.loc["Doel", "nu opgeslagen"] == "netcongestie oplossen met een hub"
    # nothing overwritten; both attempts in the log
    assert bert.get("plan", TERRAIN, measure_id="energy_hub").values["goal"] == (
        "netcongestie oplossen met een hub"
    )
    log = bert.changes(TERRAIN)
    assert list(log["action"]) == ["conflict", "update", "create"]
    assert log.iloc[1]["after"]["goal"] == "netcongestie oplossen met een hub"
    assert log.iloc[0]["user_name"] == "Bert"
    assert log.iloc[0]["after"] == {"goal": "eerst een batterij"}
    anna.close()
    bert.close()


def test_version_column_refuses_a_write_based_on_a_stale_read(url):
    """The ORM guard itself: UPDATE … WHERE version = <read> finds no row."""
    db = store.Store(url)
    db.save("interest", TERRAIN, ZON, {"level": "ja"}, user="A", expected_version=0)
    engine_a, engine_b = database.make_engine(url), database.make_engine(url)
    with Session(engine_a, expire_on_commit=False) as first:
        row = first.scalars(sa.select(models.Interest)).one()
        first.commit()  # the form is on screen; no transaction open
        with Session(engine_b) as second:
            second.scalars(sa.select(models.Interest)).one().level = "misschien"
            second.commit()
        row.level = "nee"
        with pytest.raises(StaleDataError):
            first.commit()
    assert db.get("interest", TERRAIN, **ZON).values["level"] == "misschien"
    engine_a.dispose()
    engine_b.dispose()
    db.close()


def test_two_new_records_with_the_same_key_conflict(db):
    db.save("interest", TERRAIN, ZON, {"level": "ja"}, user="Anna", expected_version=0)
    with pytest.raises(store.ConflictError) as caught:
        db.save(
            "interest", TERRAIN, ZON, {"level": "nee"}, user="Bert", expected_version=0
        )
    assert caught.value.theirs.values["level"] == "ja"


def test_concurrent_writers_lose_nothing(url):
    """Two app processes append to one werkgroep, retrying after a conflict."""
    stores = [store.Store(url), store.Store(url)]
    key = {"measure_id": "collectieve_inkoop_zon"}
    conflicts = []

    def add_members(db, who):
        for i in range(12):
            while True:
                record = db.get("workgroup", TERRAIN, **key)
                members = record.values["members"] if record else []
                try:
                    db.save(
                        "workgroup",
                        TERRAIN,
                        key,
                        {"members": [*members, f"{who}{i}"]},
                        user=who,
                        expected_version=record.version if record else 0,
                    )
                    break
                except store.ConflictError:
                    conflicts.append(who)

    threads = [
        threading.Thread(target=add_members, args=(s, w))
        for s, w in zip(stores, ("anna", "bert"), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    members = stores[0].get("workgroup", TERRAIN, **key).values["members"]
    assert sorted(members) == sorted(
        f"{w}{i}" for w in ("anna", "bert") for i in range(12)
    )
    log = stores[0].changes(TERRAIN)
    assert (log["action"] != "conflict").sum() == 24
    assert (log["action"] == "conflict").sum() == len(conflicts)
    for s in stores:
        s.close()


def test_saving_the_same_values_writes_nothing(db):
    first = db.save(
        "note",
        TERRAIN,
        {"building_id": "0002"},
        {"text": "x"},
        user="A",
        expected_version=0,
    )
    again = db.save(
        "note",
        TERRAIN,
        {"building_id": "0002"},
        {"text": "x"},
        user="B",
        expected_version=1,
    )
    assert again.version == first.version == 1 and again.updated_by == "A"
    assert len(db.changes(TERRAIN)) == 1


def test_delete_checks_the_version_and_is_logged(db):
    key = {"uid": store.new_uid()}
    db.save(
        "action",
        TERRAIN,
        key,
        {"measure_id": "led", "description": "offertes"},
        user="A",
        expected_version=0,
    )
    db.save("action", TERRAIN, key, {"done": True}, user="B", expected_version=1)
    with pytest.raises(store.ConflictError):
        db.delete("action", TERRAIN, key, user="A", expected_version=1)
    db.delete("action", TERRAIN, key, user="A", expected_version=2)
    assert db.get("action", TERRAIN, **key) is None
    log = db.changes(TERRAIN)
    assert log.iloc[0]["action"] == "delete"
    assert log.iloc[0]["before"]["done"] is True


def test_a_deleted_record_is_a_conflict_for_a_stale_writer(db):
    key = {"uid": "abc"}
    db.save(
        "action",
        TERRAIN,
        key,
        {"measure_id": "led", "description": "x"},
        user="A",
        expected_version=0,
    )
    db.delete("action", TERRAIN, key, user="A", expected_version=1)
    with pytest.raises(store.ConflictError, match="intussen verwijderd"):
        db.save("action", TERRAIN, key, {"done": True}, user="B", expected_version=1)


def test_change_log_is_append_only_in_the_database(db):
    db.save("interest", TERRAIN, ZON, {"level": "ja"}, user="A", expected_version=0)
    for statement in (
        "UPDATE change_log SET user_name = 'X'",
        "DELETE FROM change_log",
    ):
        with (
            pytest.raises(sa.exc.DatabaseError, match="alleen worden aangevuld"),
            db.engine.begin() as connection,
        ):
            connection.execute(sa.text(statement))
    assert list(db.changes(TERRAIN)["user_name"]) == ["A"]


def test_records_are_kept_per_terrain(db):
    db.save("interest", "de-punt", ZON, {"level": "ja"}, user="A", expected_version=0)
    db.save(
        "interest", "de-wieken", ZON, {"level": "nee"}, user="A", expected_version=0
    )
    assert db.table("interest", "de-punt")["level"].tolist() == ["ja"]
    assert db.table("interest", "de-wieken")["level"].tolist() == ["nee"]
    assert len(db.changes("de-wieken")) == 1


@pytest.mark.parametrize(
    ("entity", "key", "values", "expected"),
    [
        ("interest", ZON, {"level": "graag"}, "'graag' is geen geldige waarde"),
        (
            "interest",
            {"building_id": "1", "measure_id": "kernfusie"},
            {"level": "ja"},
            "onbekende maatregel 'kernfusie'",
        ),
        ("interest", ZON, {}, "Interesse: dit veld is verplicht"),
        (
            "reading",
            {"measure_id": "led", "measured_on": "2026-02-30"},
            {},
            "'2026-02-30' is geen datum",
        ),
        (
            "reading",
            {"measure_id": "led", "measured_on": "2026-02-01"},
            {"kwp_realised": -5},
            "-5 ligt niet tussen 0 en 1.000.000.000",
        ),
        (
            "reading",
            {"measure_id": "led", "measured_on": "2026-02-01"},
            {"n_companies": 2.5},
            "2.5 is geen heel getal",
        ),
        ("note", {"building_id": "1"}, {"text": "x" * 6000}, "langer dan 5000 tekens"),
    ],
)
def test_invalid_values_are_refused_in_dutch(db, entity, key, values, expected):
    with pytest.raises(DataError, match=expected):
        db.save(entity, TERRAIN, key, values, user="A", expected_version=0)
    assert db.changes(TERRAIN).empty


def test_every_change_needs_a_name(db):
    with pytest.raises(DataError, match="geen naam"):
        db.save(
            "interest", TERRAIN, ZON, {"level": "ja"}, user="  ", expected_version=0
        )


# --- export and import -------------------------------------------------------


def filled(db) -> None:
    db.save(
        "interest",
        TERRAIN,
        ZON,
        {"level": "ja", "intent_signed": True, "intent_signed_on": dt.date(2026, 4, 1)},
        user="A",
        expected_version=0,
    )
    db.save(
        "workgroup",
        TERRAIN,
        {"measure_id": "zon_eigen_dak"},
        {"trekker": "Anna", "members": ["Bert (Bakker Metaal)", "{{ 7*7 }}"]},
        user="A",
        expected_version=0,
    )
    db.save(
        "plan",
        TERRAIN,
        {"measure_id": "zon_eigen_dak"},
        {"status": "onderzoek", "goal": "1 MWp"},
        user="A",
        expected_version=0,
    )
    db.save(
        "reading",
        TERRAIN,
        {"measure_id": "zon_eigen_dak", "measured_on": dt.date(2026, 6, 1)},
        {"kwp_realised": 80.5, "n_companies": 3},
        user="A",
        expected_version=0,
    )


def test_export_and_import_into_another_database(db, tmp_path):
    filled(db)
    data = exchange.to_json(db.export_terrain(TERRAIN))
    other = store.Store(f"sqlite:///{tmp_path / 'ander.sqlite'}")
    doc = exchange.parse_export(data)
    result = other.import_terrain(TERRAIN, doc, user="Import", building_ids={"0001"})
    assert result.summary() == "4 nieuw, 0 gewijzigd, 0 ongewijzigd"
    for entity in models.ENTITIES:
        mine = db.table(entity, TERRAIN).drop(
            columns=["version", "updated_by", "updated_at"]
        )
        theirs = other.table(entity, TERRAIN).drop(
            columns=["version", "updated_by", "updated_at"]
        )
        assert mine.equals(theirs), entity
    assert set(other.changes(TERRAIN)["action"]) == {"import"}
    again = other.import_terrain(TERRAIN, doc, user="Import")
    assert again.summary() == "0 nieuw, 0 gewijzigd, 4 ongewijzigd"
    other.close()


def test_import_updates_and_logs_the_old_values(db):
    filled(db)
    doc = db.export_terrain(TERRAIN)
    doc["plan"][0]["status"] = "besluit"
    preview = db.import_terrain(TERRAIN, doc, user="B", dry_run=True)
    assert preview.updated == {"plan": 1} and preview.changed_records == [
        ("plan", {"measure_id": "zon_eigen_dak"})
    ]
    assert (
        db.get("plan", TERRAIN, measure_id="zon_eigen_dak").values["status"]
        == "onderzoek"
    )
    db.import_terrain(TERRAIN, doc, user="B")
    assert (
        db.get("plan", TERRAIN, measure_id="zon_eigen_dak").values["status"]
        == "besluit"
    )
    last = db.changes(TERRAIN).iloc[0]
    assert (last["action"], last["before"]["status"], last["after"]["status"]) == (
        "import",
        "onderzoek",
        "besluit",
    )


def test_import_reports_every_problem_in_dutch(db):
    filled(db)
    doc = db.export_terrain(TERRAIN)
    doc["terrain_id"] = "de-wieken"
    doc["interest"][0]["level"] = "heel graag"
    doc["interest"].append(dict(doc["interest"][0], level="ja"))
    doc["reading"][0]["measured_on"] = "1 juni"
    doc["notes"] = []
    doc["plan"][0]["kleur"] = "rood"
    with pytest.raises(DataError) as caught:
        db.import_terrain(
            TERRAIN, doc, user="B", building_ids={"0002"}, source="x.json"
        )
    message = str(caught.value)
    for expected in (
        "hoort bij terrein 'de-wieken', niet bij 'de-punt'",
        "onbekende sectie 'notes'",
        "rij 1, kolom 'level': sectie 'interest' (Interesse): Interesse: 'heel graag'",
        "pand '0001' ligt niet op dit terrein",
        "dit record staat er twee keer in (0001, zon_eigen_dak)",
        "kolom 'measured_on'",
        "onbekend veld 'kleur'",
    ):
        assert expected in message
    assert len(db.changes(TERRAIN)) == 4, "nothing imported"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"{niet json", "geen geldig JSON-bestand"),
        (b"[1, 2]", "verwacht een JSON-object"),
        (
            json.dumps({"format": "iets anders"}).encode(),
            "geen export van de werksessie",
        ),
    ],
)
def test_unreadable_files_are_refused_in_dutch(db, data, expected):
    with pytest.raises(DataError, match=expected):
        db.import_terrain(TERRAIN, exchange.parse_export(data), user="B")


def test_too_large_files_are_refused():
    with pytest.raises(DataError, match="groter dan"):
        exchange.parse_export(b" " * (exchange.MAX_IMPORT_BYTES + 1))


# --- configuration -----------------------------------------------------------


def test_database_url_default_environment_and_postgres_driver(monkeypatch):
    monkeypatch.delenv(database.ENV_URL, raising=False)
    assert database.database_url() == f"sqlite:///{database.DEFAULT_PATH}"
    monkeypatch.setenv(database.ENV_URL, "postgres://u:p@db/kk")
    assert database.database_url() == "postgresql+psycopg://u:p@db/kk"
    assert database.database_url("postgresql://h/x") == "postgresql+psycopg://h/x"
    assert database.database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_times_are_shown_in_dutch_time():
    summer = dt.datetime(2026, 7, 1, 10, 5, tzinfo=dt.UTC)
    assert store.when_text(summer) == "01-07-2026 12:05"
    assert store.when_text(summer.replace(tzinfo=None)) == "01-07-2026 12:05"


# --- command line -----------------------------------------------------------------


def test_db_command_upgrades_and_shows_the_revision(url, capsys):
    assert main(["db", "current", "--url", url]) == 0
    assert "revisie leeg (nog geen tabellen); nieuwste revisie 0003" in (
        capsys.readouterr().out
    )
    assert main(["db", "upgrade", "--url", url]) == 0
    assert "bijgewerkt: revisie leeg -> 0003" in capsys.readouterr().out
    assert main(["db", "current", "--url", url]) == 0
    assert "revisie 0003; nieuwste revisie 0003" in capsys.readouterr().out


def test_db_command_hides_the_password():
    shown = database.shown_url("postgresql+psycopg://kk:geheim@db/kk")
    assert "geheim" not in shown and "kk:***@db" in shown


def test_db_revision_writes_a_migration_from_the_models(
    url, tmp_path, monkeypatch, capsys
):
    copy = tmp_path / "migrations"
    shutil.copytree(Path(database.__file__).parent / "migrations", copy)
    config = database.alembic_config()
    config.set_main_option("script_location", str(copy))
    monkeypatch.setattr(database, "alembic_config", lambda: config)
    assert main(["db", "revision", "--url", url]) == 1
    assert "geef met -m" in capsys.readouterr().err
    assert main(["db", "revision", "-m", "nieuwe kolom", "--url", url]) == 0
    (written,) = (copy / "versions").glob("*nieuwe_kolom.py")
    text = written.read_text()
    assert "down_revision: str | None = '0003'" in text
    upgrade = text.split("def upgrade() -> None:")[1].split("def downgrade")[0]
    assert "pass" in upgrade and "op." not in upgrade, "models and migrations agree"
