"""The database of the werksessie records: URL, engine and migrations.

SQLite file by default (:data:`DEFAULT_PATH`), PostgreSQL (or any SQLAlchemy
URL) when ``DATABASE_URL`` is set. The schema is kept by the Alembic
migrations inside the package (``kansenkaart/records/migrations``);
:class:`kansenkaart.records.store.Store` upgrades to the newest revision on
first use.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError

from kansenkaart.core.errors import DataError, known_fault

ENV_URL = "DATABASE_URL"
"""Environment variable with the database URL (e.g. ``postgresql://…``)."""
DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "werksessies.sqlite"
"""The SQLite file used when ``DATABASE_URL`` is not set (git-ignored)."""
SQLITE_BUSY_TIMEOUT_MS = 15_000
"""How long a SQLite writer waits for another one to finish (ms)."""


# --- database -------------------------------------------------------------------


def database_url(url: str | None = None) -> str:
    """The database URL: ``url``, else ``DATABASE_URL``, else :data:`DEFAULT_PATH`.

    ``postgres://`` and ``postgresql://`` get the psycopg (3) driver.
    """
    url = url or os.environ.get(ENV_URL) or f"sqlite:///{DEFAULT_PATH}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def shown_url(url: str) -> str:
    """The URL to print: the password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def database_name(url: str) -> str:
    """The database as messages name it: the SQLite file, else the URL
    without its password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return shown_url(url)


_UNCHANGED = "De gegevens in de database zijn niet gewijzigd."
_FAULTS = (
    (
        ("readonly", "read-only", "read only", "permission denied"),
        "de database is alleen-lezen; er kan niets worden opgeslagen.",
        "Geef de app schrijfrechten op het databasebestand en de map ervan, "
        "of kies een andere database (DATABASE_URL).",
    ),
    (
        ("disk is full", "no space left", "could not extend file", "disk full"),
        "de schijf van de database is vol.",
        "Maak ruimte vrij op de schijf (of vraag de beheerder dat te doen) en "
        "sla opnieuw op.",
    ),
    (
        ("locked", "busy", "lock timeout", "deadlock"),
        "de database is bezet door een ander proces.",
        "Wacht een minuut en probeer het opnieuw; sluit anders andere "
        "programma's die de database openhouden.",
    ),
    (
        ("malformed", "not a database", "file is encrypted", "corrupt"),
        "het databasebestand is beschadigd of geen database.",
        "Zet een reservekopie van de database terug, of kies een andere "
        "database (DATABASE_URL).",
    ),
    (
        ("unable to open", "could not connect", "connection refused", "timeout"),
        "de database is niet bereikbaar.",
        "Controleer DATABASE_URL en of de databaseserver draait en bereikbaar is.",
    ),
    (
        ("too long", "out of range", "right truncation", "invalid byte sequence"),
        "een waarde past niet in de database.",
        "Maak de ingevoerde tekst of het getal korter en sla opnieuw op.",
    ),
)


@contextmanager
def database_errors(url: str) -> Iterator[None]:
    """Turn a database fault into a Dutch :class:`DataError` naming the database.

    Covers a read-only, full, locked, damaged or unreachable database, a value
    the database refuses, and a revision this version of the app does not
    know (the database was upgraded by a newer version). The transaction of
    the failed statement is rolled back, so what was stored stays.
    :class:`~sqlalchemy.exc.IntegrityError` passes unchanged: the store reads
    it as a conflict between two writers.
    """
    name = database_name(url)
    try:
        yield
    except IntegrityError:
        raise
    except CommandError as exc:
        raise DataError.single(
            name,
            f"de database staat op een versie die deze Kansenkaart niet kent ({exc}); "
            "een nieuwere versie van de app heeft hem bijgewerkt.",
            "Werk de Kansenkaart bij naar de nieuwste versie, of kies een andere "
            f"database (DATABASE_URL). {_UNCHANGED}",
        ) from exc
    except (DBAPIError, OSError) as exc:
        text = str(getattr(exc, "orig", exc) or exc).lower()
        message, fix = known_fault(
            text,
            _FAULTS,
            (
                f"de database gaf een fout ({type(exc).__name__}).",
                "Probeer het opnieuw; blijft de fout, meld die dan aan de beheerder.",
            ),
        )
        raise DataError.single(name, message, f"{fix} {_UNCHANGED}") from exc


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (see :func:`database_url`).

    SQLite: the folder is created; WAL journal and a busy timeout let several
    app processes share the file; transactions begin explicitly, with
    ``BEGIN IMMEDIATE`` for writes
    (:meth:`kansenkaart.records.store.Store._write`), so a read-then-write never
    meets a lock it cannot wait for, and DDL (migrations) is transactional.
    """
    url = database_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        mode = conn.get_execution_options().get("sqlite_begin", "")
        conn.exec_driver_sql(f"BEGIN {mode}".strip())

    return engine


def alembic_config() -> Config:
    """Alembic configuration of the migrations inside the package."""
    config = Config()
    config.set_main_option("script_location", "kansenkaart.records:migrations")
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database of ``engine`` to ``revision`` (default: newest).

    Runs in one transaction; on SQLite it takes the write lock first, so two
    processes starting at once migrate one after the other.
    """
    config = alembic_config()
    with engine.execution_options(sqlite_begin="IMMEDIATE").begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def head_revision() -> str:
    """The newest Alembic revision of the package."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def new_revision(engine: Engine, message: str) -> Path:
    """Write a new migration, generated from the difference between the
    models and the database of ``engine`` (which must be at the newest
    revision); returns its file. For developers who change the models."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        script = command.revision(config, message=message, autogenerate=True)
    return Path(script.path)


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (None when empty)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
