"""The database of the werksessie records: URL, engine and migrations.

SQLite file by default (:data:`DEFAULT_PATH`), PostgreSQL (or any SQLAlchemy
URL) when ``DATABASE_URL`` is set. The schema is kept by the Alembic
migrations inside the package (``kansenkaart/records/migrations``);
:class:`kansenkaart.records.store.Store` upgrades to the newest revision on
first use.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url

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
