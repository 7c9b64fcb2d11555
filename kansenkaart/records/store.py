"""Werksessie and workgroup records in a database (SQLAlchemy 2.x + Alembic).

What is decided in a werksessie (Leidraad step 3) and followed up by the
workgroups (steps 4 and 5) is kept here, keyed by terrain id + building id
(+ measure id):

========== ======================= =========================================
entity     key (besides terrain)   values
========== ======================= =========================================
interest   building_id, measure_id level (ja / misschien / nee), note,
                                   intentieverklaring signed and when
workgroup  measure_id              trekker, members
plan       measure_id              status, the uitvoeringsplan fields
note       building_id             free text about the building
action     uid                     next step: measure, what, date, who, done
reading    measure_id, measured_on monitoring: kWp realised, participating
                                   companies, CO2 avoided (kg/yr)
========== ======================= =========================================

Rules:

- Every change stores who (``user``) and when; every change, and every write
  that was refused because of a conflict, is appended to ``change_log``, which
  the database itself keeps append-only (triggers refuse UPDATE and DELETE).
- Optimistic locking: every record has a ``version`` column (SQLAlchemy
  ``version_id_col``). A write names the version it was based on
  (``expected_version``; 0 for a record the writer believes new). When the
  record changed meanwhile, :class:`ConflictError` is raised with the other
  person's change; nothing is overwritten silently.
- The database is a SQLite file by default (:data:`DEFAULT_PATH`) and
  PostgreSQL (or any SQLAlchemy URL) when ``DATABASE_URL`` is set.
  :class:`Store` upgrades the schema to the newest Alembic revision on first
  use, so the app needs no set-up step.
- A terrain's records can be exported to JSON and imported again; the import
  is validated with Dutch messages (:class:`kansenkaart.DataError`).

This module never imports streamlit.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    select,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    declared_attr,
    mapped_column,
)
from sqlalchemy.orm.exc import StaleDataError

from kansenkaart.core import fmt
from kansenkaart.core.errors import DataError, Problem
from kansenkaart.engine import measures

ENV_URL = "DATABASE_URL"
"""Environment variable with the database URL (e.g. ``postgresql://…``)."""
DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "werksessies.sqlite"
"""The SQLite file used when ``DATABASE_URL`` is not set (git-ignored)."""
TIMEZONE = ZoneInfo("Europe/Amsterdam")
"""Times are stored in UTC and shown in Dutch time."""
SQLITE_BUSY_TIMEOUT_MS = 15_000
"""How long a SQLite writer waits for another one to finish (ms)."""
MAX_IMPORT_BYTES = 5_000_000
"""Largest JSON file accepted by :func:`parse_export` (bytes)."""
EXPORT_FORMAT = "kansenkaart-werksessie"
EXPORT_VERSION = 1

LEVELS = ("ja", "misschien", "nee")
"""Interest of a company in a measure, as said in the werksessie."""
STATUSES = ("idee", "onderzoek", "besluit", "uitvoering", "gerealiseerd")
"""Status of a measure, in workflow order (Leidraad steps 3 to 5)."""
ACTIONS = {
    "create": "aangemaakt",
    "update": "gewijzigd",
    "delete": "verwijderd",
    "import": "geïmporteerd",
    "conflict": "geweigerd (conflict)",
}
"""Change-log action -> Dutch description."""
_TEXT_CHARS = 200
_LONG_TEXT_CHARS = 5_000
_MAX_NAMES = 100


# --- schema ------------------------------------------------------------------


class Base(DeclarativeBase):
    """Declarative base with fixed constraint names (same on SQLite and PostgreSQL)."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


_SQL_TYPES = {
    "id": lambda: String(60),
    "text": lambda: String(_TEXT_CHARS),
    "long_text": Text,
    "choice": lambda: String(20),
    "bool": Boolean,
    "date": Date,
    "number": Float,
    "count": Integer,
    "names": JSON,
}


def _field(
    kind: str,
    label: str,
    *,
    key: bool = False,
    required: bool = False,
    choices: tuple[str, ...] = (),
):
    """A column that carries its Dutch label and validation rule in ``info``.

    Parameters
    ----------
    kind : {"id", "text", "long_text", "choice", "bool", "date", "number", \
"count", "names"}
        ``id`` is a short identifier (building, measure); ``number`` and
        ``count`` are at least 0; ``names`` is a list of texts.
    label : str
        Dutch name for forms, errors and the change log.
    key : bool
        Part of the record's key (besides ``terrain_id``).
    required : bool
        Must have a value.
    choices : tuple of str
        Allowed values of a ``choice``.
    """
    info = {
        "kind": kind,
        "label": label,
        "key": key,
        "required": required or key,
        "choices": choices,
    }
    return mapped_column(_SQL_TYPES[kind](), nullable=not (required or key), info=info)


class Record:
    """Columns every record has: id, terrain, version and who/when."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    terrain_id: Mapped[str] = mapped_column(String(100), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_by: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False
    )
    updated_by: Mapped[str] = mapped_column(String(100), nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False
    )

    label = ""
    """Dutch name of the entity."""

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        """Optimistic locking: UPDATE and DELETE check and raise ``version``."""
        return {"version_id_col": cls.__table__.c.version}


class Interest(Record, Base):
    __tablename__ = "interests"
    __table_args__ = (UniqueConstraint("terrain_id", "building_id", "measure_id"),)
    label = "Interesse"
    building_id: Mapped[str] = _field("id", "Pand", key=True)
    measure_id: Mapped[str] = _field("id", "Maatregel", key=True)
    level: Mapped[str] = _field("choice", "Interesse", required=True, choices=LEVELS)
    note: Mapped[str | None] = _field("text", "Toelichting")
    intent_signed: Mapped[bool | None] = _field("bool", "Intentieverklaring getekend")
    intent_signed_on: Mapped[dt.date | None] = _field("date", "Getekend op")


class Workgroup(Record, Base):
    __tablename__ = "workgroups"
    __table_args__ = (UniqueConstraint("terrain_id", "measure_id"),)
    label = "Werkgroep"
    measure_id: Mapped[str] = _field("id", "Maatregel", key=True)
    trekker: Mapped[str | None] = _field("text", "Trekker")
    members: Mapped[list | None] = _field("names", "Leden")


class Plan(Record, Base):
    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("terrain_id", "measure_id"),)
    label = "Uitvoeringsplan"
    measure_id: Mapped[str] = _field("id", "Maatregel", key=True)
    status: Mapped[str] = _field("choice", "Status", required=True, choices=STATUSES)
    goal: Mapped[str | None] = _field("long_text", "Doel")
    approach: Mapped[str | None] = _field("long_text", "Aanpak")
    costs: Mapped[str | None] = _field("long_text", "Kosten")
    financing: Mapped[str | None] = _field("long_text", "Financiering")
    planning: Mapped[str | None] = _field("long_text", "Planning")
    responsible: Mapped[str | None] = _field("text", "Verantwoordelijke")


class Note(Record, Base):
    __tablename__ = "building_notes"
    __table_args__ = (UniqueConstraint("terrain_id", "building_id"),)
    label = "Notitie bij pand"
    building_id: Mapped[str] = _field("id", "Pand", key=True)
    text: Mapped[str | None] = _field("long_text", "Notitie")


class Action(Record, Base):
    __tablename__ = "actions"
    __table_args__ = (UniqueConstraint("terrain_id", "uid"),)
    label = "Vervolgstap"
    uid: Mapped[str] = _field("id", "Nummer", key=True)
    measure_id: Mapped[str] = _field("id", "Maatregel", required=True)
    description: Mapped[str] = _field("text", "Wat", required=True)
    due_on: Mapped[dt.date | None] = _field("date", "Datum")
    owner: Mapped[str | None] = _field("text", "Wie")
    done: Mapped[bool | None] = _field("bool", "Gedaan")


class Reading(Record, Base):
    __tablename__ = "monitoring_readings"
    __table_args__ = (UniqueConstraint("terrain_id", "measure_id", "measured_on"),)
    label = "Monitoringmeting"
    measure_id: Mapped[str] = _field("id", "Maatregel", key=True)
    measured_on: Mapped[dt.date] = _field("date", "Datum meting", key=True)
    kwp_realised: Mapped[float | None] = _field("number", "Gerealiseerd (kWp)")
    n_companies: Mapped[int | None] = _field("count", "Deelnemende bedrijven")
    co2_avoided_kg_yr: Mapped[float | None] = _field(
        "number", "Vermeden CO₂ (kg per jaar)"
    )
    note: Mapped[str | None] = _field("text", "Toelichting")


class Change(Base):
    """One line of the append-only change log."""

    __tablename__ = "change_log"
    __table_args__ = (Index(None, "terrain_id", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    user_name: Mapped[str] = mapped_column(String(100), nullable=False)
    terrain_id: Mapped[str] = mapped_column(String(100), nullable=False)
    entity: Mapped[str] = mapped_column(String(20), nullable=False)
    record_key: Mapped[dict] = mapped_column(JSON, nullable=False)
    action: Mapped[str] = mapped_column(String(20), nullable=False)
    version: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)


ENTITIES: dict[str, type[Record]] = {
    "interest": Interest,
    "workgroup": Workgroup,
    "plan": Plan,
    "note": Note,
    "action": Action,
    "reading": Reading,
}
"""Entity name -> model, in export order."""


@dataclass(frozen=True)
class Field:
    """A user-editable (or key) column of an entity; see :func:`_field`."""

    name: str
    kind: str
    label: str
    key: bool
    required: bool
    choices: tuple[str, ...]


def fields(entity: str) -> list[Field]:
    """The key and value fields of ``entity`` in column order."""
    table = ENTITIES[entity].__table__
    return [Field(c.name, **c.info) for c in table.columns if "kind" in c.info]


def key_names(entity: str) -> list[str]:
    """Names of the key fields of ``entity`` (besides ``terrain_id``)."""
    return [f.name for f in fields(entity) if f.key]


def value_names(entity: str) -> list[str]:
    """Names of the value fields of ``entity``."""
    return [f.name for f in fields(entity) if not f.key]


# --- validation ----------------------------------------------------------------


def _clean(f: Field, value, problems: list[Problem], source: str, row: int | None):
    """``value`` checked and converted for field ``f``; problems are appended."""

    def problem(message: str, fix: str = "") -> None:
        problems.append(Problem(source, f"{f.label}: {message}", fix, row, f.name))

    if value is None or (isinstance(value, str) and not value.strip()):
        if f.required:
            problem("dit veld is verplicht.", "Vul een waarde in.")
        return None
    if f.kind in ("id", "text", "long_text", "choice"):
        if not isinstance(value, str | int) or isinstance(value, bool):
            problem(f"verwacht tekst, niet {value!r}.")
            return None
        text = str(value).strip()
        limit = _LONG_TEXT_CHARS if f.kind == "long_text" else _TEXT_CHARS
        if len(text) > limit:
            problem(f"langer dan {limit} tekens.", "Maak de tekst korter.")
        if f.kind == "choice" and f.choices and text not in f.choices:
            problem(
                f"'{text}' is geen geldige waarde.", f"Kies uit {', '.join(f.choices)}."
            )
        if f.name == "measure_id" and text not in measures.BY_ID:
            problem(
                f"onbekende maatregel '{text}'.",
                "Gebruik een maatregel-id uit de catalogus (bijv. zon_eigen_dak).",
            )
        return text
    if f.kind == "bool":
        if not isinstance(value, bool):
            problem(f"verwacht ja/nee (true of false), niet {value!r}.")
        return bool(value)
    if f.kind == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            problem(f"'{value}' is geen datum.", "Schrijf de datum als JJJJ-MM-DD.")
            return None
    if f.kind in ("number", "count"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            problem(f"verwacht een getal, niet {value!r}.")
            return None
        if not math.isfinite(value) or value < 0:
            problem(f"{value} is geen getal van 0 of meer.")
            return None
        if f.kind == "count":
            if value != int(value):
                problem(f"{value} is geen heel getal.")
            return int(value)
        return float(value)
    # names
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problem("verwacht een lijst met namen.")
        return None
    names = [v.strip() for v in value if v.strip()]
    if len(names) > _MAX_NAMES or any(len(v) > _TEXT_CHARS for v in names):
        problem(f"hoogstens {_MAX_NAMES} namen van hoogstens {_TEXT_CHARS} tekens.")
    return names or None


def clean_record(
    entity: str,
    values: Mapping,
    *,
    partial: bool = False,
    source: str = "invoer",
    section: str = "",
    row: int | None = None,
) -> tuple[dict, list[Problem]]:
    """Check and convert the fields of one record.

    Parameters
    ----------
    entity : str
        Key of :data:`ENTITIES`.
    values : mapping
        Field name -> value (keys and values; JSON types or Python dates).
    partial : bool
        Only the fields present are checked (a key, or an update of some
        fields); otherwise missing fields count as empty.
    source, section, row : str, str, int
        Where the record comes from (file, part of the file, 1-based row),
        for the Dutch messages.

    Returns
    -------
    dict, list of Problem
        The converted values and every problem found.
    """
    problems: list[Problem] = []
    known = {f.name: f for f in fields(entity)}
    for name in values:
        if name not in known:
            problems.append(
                Problem(source, f"onbekend veld '{name}'.", "Laat het weg.", row, name)
            )
    out = {}
    for name, f in known.items():
        if partial and name not in values:
            continue
        out[name] = _clean(f, values.get(name), problems, source, row)
    if section:
        problems = [replace(p, message=f"{section}: {p.message}") for p in problems]
    return out, problems


def _checked(entity: str, values: Mapping, **kwargs) -> dict:
    out, problems = clean_record(entity, values, **kwargs)
    if problems:
        raise DataError(problems)
    return out


def _key(entity: str, key: Mapping) -> dict:
    """The checked key of a record; every key field must be given."""
    if set(key) != set(key_names(entity)):
        raise ValueError(f"key of {entity} needs {key_names(entity)}, got {list(key)}")
    return _checked(entity, dict(key), partial=True)


def _user(user: str) -> str:
    name = (user or "").strip()
    if not name or len(name) > 100:
        raise DataError.single(
            "invoer",
            "Er is geen naam opgegeven (of de naam is langer dan 100 tekens).",
            "Vul uw naam in; die wordt bij elke wijziging bewaard.",
        )
    return name


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
    ``BEGIN IMMEDIATE`` for writes (:meth:`Store._write`), so a read-then-write
    never meets a lock it cannot wait for, and DDL (migrations) is
    transactional.
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


# --- records out ------------------------------------------------------------------


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    """A stored time as aware UTC (SQLite returns it naive)."""
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def when_text(moment: dt.datetime | None) -> str:
    """A time in Dutch local time: ``23-11-2026 09:05``."""
    if moment is None:
        return "onbekend"
    return _utc(moment).astimezone(TIMEZONE).strftime("%d-%m-%Y %H:%M")


def _json_value(value):
    return value.isoformat() if isinstance(value, dt.date) else value


@dataclass(frozen=True)
class Snapshot:
    """A record as read from the database (plain values, no session)."""

    entity: str
    terrain_id: str
    key: dict
    values: dict
    version: int
    created_by: str
    created_at: dt.datetime
    updated_by: str
    updated_at: dt.datetime

    def json_values(self) -> dict:
        """The values with dates as ISO text (for the change log and exports)."""
        return {k: _json_value(v) for k, v in self.values.items()}


def _snapshot(entity: str, row: Record) -> Snapshot:
    return Snapshot(
        entity=entity,
        terrain_id=row.terrain_id,
        key={k: getattr(row, k) for k in key_names(entity)},
        values={k: getattr(row, k) for k in value_names(entity)},
        version=row.version,
        created_by=row.created_by,
        created_at=_utc(row.created_at),
        updated_by=row.updated_by,
        updated_at=_utc(row.updated_at),
    )


@dataclass(eq=False)
class ConflictError(Exception):
    """A write based on an old version: someone else changed the record first.

    Attributes
    ----------
    entity : str
    key : dict
    yours : dict
        The values the refused write wanted to store.
    theirs : Snapshot or None
        The record as it is now; None when the other person deleted it.
    """

    entity: str
    key: dict
    yours: dict
    theirs: Snapshot | None

    def __str__(self) -> str:
        label = ENTITIES[self.entity].label
        if self.theirs is None:
            other = "intussen verwijderd"
        else:
            other = (
                f"intussen gewijzigd door {self.theirs.updated_by} op "
                f"{when_text(self.theirs.updated_at)}"
            )
        return (
            f"{label} is {other}. Uw wijziging is niet opgeslagen, zodat die "
            "wijziging niet ongemerkt verloren gaat; uw invoer staat wel in het "
            "wijzigingslog. Bekijk de verschillen, laad opnieuw en voer uw "
            "wijziging zo nodig opnieuw in."
        )

    def differences(self) -> pd.DataFrame:
        """Per field: ``veld``, ``uw invoer``, ``nu opgeslagen`` (Dutch text)."""
        now = self.theirs.values if self.theirs is not None else {}
        rows = [
            (f.label, display(f, self.yours.get(f.name)), display(f, now.get(f.name)))
            for f in fields(self.entity)
            if not f.key and f.name in self.yours
        ]
        return pd.DataFrame(rows, columns=["veld", "uw invoer", "nu opgeslagen"])


def display(f: Field, value) -> str:
    """A value of field ``f`` as Dutch text for tables and messages."""
    if value is None or value == [] or value == "":
        return "–"
    if f.kind == "bool":
        return "ja" if value else "nee"
    if f.kind == "date":
        value = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
        return value.strftime("%d-%m-%Y")
    if f.kind == "names":
        return ", ".join(value)
    if f.name == "measure_id" and value in measures.BY_ID:
        return measures.BY_ID[value].name
    if f.kind in ("number", "count"):
        return fmt.number(value, 0 if f.kind == "count" else 1)
    return str(value)


def new_uid() -> str:
    """A fresh key for an :class:`Action`."""
    return uuid.uuid4().hex[:12]


# --- the store ---------------------------------------------------------------------


@dataclass
class ImportResult:
    """What an import did (or would do): keys per outcome and entity."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    changed_records: list[tuple[str, dict]] = field(default_factory=list)

    def summary(self) -> str:
        """Dutch one-liner: ``3 nieuw, 1 gewijzigd, 12 ongewijzigd``."""
        return (
            f"{sum(self.created.values())} nieuw, "
            f"{sum(self.updated.values())} gewijzigd, "
            f"{sum(self.unchanged.values())} ongewijzigd"
        )


class _Conflict(Exception):
    """Internal: the stored version is not the expected one."""


class _DryRun(Exception):
    """Internal: roll the import back after counting."""


class Store:
    """The werksessie records of every terrain in one database.

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL; default ``DATABASE_URL`` or the SQLite file
        :data:`DEFAULT_PATH`.
    upgrade : bool
        Upgrade the schema to the newest revision first (default).
    """

    def __init__(self, url: str | None = None, *, upgrade: bool = True):
        self.url = database_url(url)
        self.engine = make_engine(self.url)
        if upgrade:
            migrate(self.engine)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        with Session(engine, expire_on_commit=False) as session, session.begin():
            yield session

    # -- reading

    def get(self, entity: str, terrain_id: str, **key) -> Snapshot | None:
        """One record by its key, or None."""
        model = ENTITIES[entity]
        with self._read() as session:
            row = session.scalars(
                select(model).filter_by(terrain_id=terrain_id, **key)
            ).one_or_none()
            return None if row is None else _snapshot(entity, row)

    def table(self, entity: str, terrain_id: str, **filters) -> pd.DataFrame:
        """Records of a terrain as a table.

        Returns
        -------
        DataFrame
            Key and value columns, ``version``, ``updated_by`` and
            ``updated_at`` (UTC); one row per record in creation order.
        """
        model = ENTITIES[entity]
        columns = [*key_names(entity), *value_names(entity)]
        with self._read() as session:
            rows = session.scalars(
                select(model)
                .filter_by(terrain_id=terrain_id, **filters)
                .order_by(model.id)
            ).all()
            data = [
                [getattr(r, c) for c in columns]
                + [r.version, r.updated_by, _utc(r.updated_at)]
                for r in rows
            ]
        return pd.DataFrame(
            data, columns=[*columns, "version", "updated_by", "updated_at"]
        )

    def changes(self, terrain_id: str) -> pd.DataFrame:
        """The change log of a terrain, newest first.

        Returns
        -------
        DataFrame
            ``at`` (UTC), ``user_name``, ``entity``, ``record_key``, ``action``,
            ``version``, ``before``, ``after`` (dicts of values).
        """
        with self._read() as session:
            rows = session.scalars(
                select(Change)
                .filter_by(terrain_id=terrain_id)
                .order_by(Change.id.desc())
            ).all()
            data = [
                (
                    _utc(c.at),
                    c.user_name,
                    c.entity,
                    c.record_key,
                    c.action,
                    c.version,
                    c.before,
                    c.after,
                )
                for c in rows
            ]
        return pd.DataFrame(
            data,
            columns=[
                "at",
                "user_name",
                "entity",
                "record_key",
                "action",
                "version",
                "before",
                "after",
            ],
        )

    # -- writing

    def save(
        self,
        entity: str,
        terrain_id: str,
        key: Mapping,
        values: Mapping,
        *,
        user: str,
        expected_version: int,
    ) -> Snapshot:
        """Create or change one record.

        Parameters
        ----------
        entity : str
            Key of :data:`ENTITIES`.
        terrain_id : str
        key : mapping
            The record's key fields (see :func:`key_names`).
        values : mapping
            Fields to set; fields left out keep their value.
        user : str
            Who makes the change (stored with it).
        expected_version : int
            The version the change is based on; 0 for a new record.

        Returns
        -------
        Snapshot
            The record as stored (unchanged when nothing differed).

        Raises
        ------
        ConflictError
            The record is no longer at ``expected_version``; nothing changed,
            the refused values are in the change log.
        DataError
            Invalid values (Dutch message per field).
        """
        user = _user(user)
        key = _key(entity, key)
        wanted = _checked(entity, dict(values), partial=True)
        if set(wanted) & set(key):
            raise ValueError("key fields cannot be changed")
        if expected_version == 0:  # a new record needs every required field
            wanted = {k: v for k, v in _checked(entity, {**key, **wanted}).items()}
            wanted = {k: v for k, v in wanted.items() if k not in key}
        try:
            with self._write() as session:
                row = self._row(session, entity, terrain_id, key, expected_version)
                return self._apply(
                    session, entity, terrain_id, key, row, wanted, user, "create"
                )
        except (_Conflict, StaleDataError, IntegrityError) as exc:
            if isinstance(exc, IntegrityError) and expected_version != 0:
                raise
            raise self._conflict(entity, terrain_id, key, wanted, user) from exc

    def delete(
        self,
        entity: str,
        terrain_id: str,
        key: Mapping,
        *,
        user: str,
        expected_version: int,
    ) -> None:
        """Delete one record (logged with its last values); see :meth:`save`."""
        user = _user(user)
        key = _key(entity, key)
        try:
            with self._write() as session:
                row = self._row(session, entity, terrain_id, key, expected_version)
                if row is None:
                    return
                before = _snapshot(entity, row)
                session.delete(row)
                session.flush()
                self._log(session, before, "delete", user, before.json_values(), None)
        except (_Conflict, StaleDataError) as exc:
            raise self._conflict(entity, terrain_id, key, {}, user) from exc

    def _row(self, session, entity, terrain_id, key, expected_version):
        """The row to change, checked against ``expected_version``."""
        row = session.scalars(
            select(ENTITIES[entity]).filter_by(terrain_id=terrain_id, **key)
        ).one_or_none()
        if (row.version if row is not None else 0) != expected_version:
            raise _Conflict
        return row

    def _apply(self, session, entity, terrain_id, key, row, wanted, user, action):
        """Set ``wanted`` on ``row`` (a new record when None); log the change.

        Returns the record as stored; nothing is written when no value differs.
        """
        now = dt.datetime.now(dt.UTC)
        before = None
        if row is None:
            row = ENTITIES[entity](
                terrain_id=terrain_id, created_by=user, created_at=now, **key
            )
            session.add(row)
        else:
            before = _snapshot(entity, row)
            if all(before.values[k] == v for k, v in wanted.items()):
                return before
            action = "update" if action == "create" else action
        for name, value in wanted.items():
            setattr(row, name, value)
        row.updated_by, row.updated_at = user, now
        session.flush()
        after = _snapshot(entity, row)
        self._log(
            session,
            after,
            action,
            user,
            None if before is None else before.json_values(),
            after.json_values(),
        )
        return after

    @staticmethod
    def _log(session, record: Snapshot, action, user, before, after) -> None:
        session.add(
            Change(
                at=dt.datetime.now(dt.UTC),
                user_name=user,
                terrain_id=record.terrain_id,
                entity=record.entity,
                record_key={k: _json_value(v) for k, v in record.key.items()},
                action=action,
                version=record.version,
                before=before,
                after=after,
            )
        )

    def _conflict(self, entity, terrain_id, key, wanted, user) -> ConflictError:
        """Log the refused write and describe the record as it is now."""
        theirs = self.get(entity, terrain_id, **key)
        with self._write() as session:
            session.add(
                Change(
                    at=dt.datetime.now(dt.UTC),
                    user_name=user,
                    terrain_id=terrain_id,
                    entity=entity,
                    record_key={k: _json_value(v) for k, v in key.items()},
                    action="conflict",
                    version=None if theirs is None else theirs.version,
                    before=None if theirs is None else theirs.json_values(),
                    after={k: _json_value(v) for k, v in wanted.items()},
                )
            )
        return ConflictError(entity, dict(key), dict(wanted), theirs)

    # -- exchange

    def export_terrain(self, terrain_id: str) -> dict:
        """Every record of a terrain as a JSON-ready document.

        Returns
        -------
        dict
            ``format``, ``format_version``, ``terrain_id``, ``exported_at``
            and per entity a list of records (key and value fields, plus
            ``updated_by`` / ``updated_at`` for information).
        """
        doc: dict = {
            "format": EXPORT_FORMAT,
            "format_version": EXPORT_VERSION,
            "terrain_id": terrain_id,
            "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        with self._read() as session:
            for entity, model in ENTITIES.items():
                rows = session.scalars(
                    select(model).filter_by(terrain_id=terrain_id).order_by(model.id)
                ).all()
                doc[entity] = [
                    {
                        **{k: _json_value(v) for k, v in s.key.items()},
                        **s.json_values(),
                        "updated_by": s.updated_by,
                        "updated_at": s.updated_at.isoformat(timespec="seconds"),
                    }
                    for s in (_snapshot(entity, r) for r in rows)
                ]
        return doc

    def import_terrain(
        self,
        terrain_id: str,
        doc: Mapping,
        *,
        user: str,
        building_ids=None,
        source: str = "import.json",
        dry_run: bool = False,
    ) -> ImportResult:
        """Merge an export into the records of ``terrain_id``.

        Records are matched by key: missing ones are created, differing ones
        updated (the old values stay in the change log), others left alone;
        nothing is deleted. All or nothing: one transaction.

        Parameters
        ----------
        terrain_id : str
            Must be the terrain the file was exported from.
        doc : mapping
            From :func:`parse_export` or :meth:`export_terrain`.
        user : str
        building_ids : collection of str, optional
            Buildings of the terrain; records of other buildings are refused.
        source : str
            File name for the messages.
        dry_run : bool
            Only report what would change.

        Raises
        ------
        DataError
            Every problem in the file, in Dutch, with section and row.
        """
        user = _user(user)
        records = validate_export(doc, terrain_id, building_ids, source)
        result = ImportResult()
        with suppress(_DryRun):
            self._merge(terrain_id, records, user, result, dry_run)
        return result

    def _merge(self, terrain_id, records, user, result, dry_run) -> None:
        with self._write() as session:
            for entity, items in records.items():
                for item in items:
                    key = {k: item[k] for k in key_names(entity)}
                    values = {k: item[k] for k in value_names(entity)}
                    row = session.scalars(
                        select(ENTITIES[entity]).filter_by(terrain_id=terrain_id, **key)
                    ).one_or_none()
                    outcome = (
                        "created"
                        if row is None
                        else "unchanged"
                        if all(getattr(row, k) == v for k, v in values.items())
                        else "updated"
                    )
                    counts = getattr(result, outcome)
                    counts[entity] = counts.get(entity, 0) + 1
                    if outcome != "unchanged":
                        result.changed_records.append((entity, key))
                        self._apply(
                            session,
                            entity,
                            terrain_id,
                            key,
                            row,
                            values,
                            user,
                            "import",
                        )
            if dry_run:
                raise _DryRun


# --- JSON exchange -----------------------------------------------------------------


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
