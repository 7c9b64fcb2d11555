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
- The database is a SQLite file by default
  (:data:`kansenkaart.records.database.DEFAULT_PATH`) and PostgreSQL (or any
  SQLAlchemy URL) when ``DATABASE_URL`` is set. :class:`Store` upgrades the
  schema to the newest Alembic revision on first use, so the app needs no
  set-up step.
- A terrain's records can be exported to JSON and imported again; the import
  is validated with Dutch messages (:class:`kansenkaart.DataError`).

The models, their fields and validation are in
:mod:`kansenkaart.records.models`, the database URL, engine and migrations in
:mod:`kansenkaart.records.database`, the JSON exchange file in
:mod:`kansenkaart.records.exchange`. This module never imports streamlit.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Text, cast, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from kansenkaart.core import fmt, texts
from kansenkaart.core.errors import DataError
from kansenkaart.core.limits import (
    MAX_SESSION_RECORDS,
    MAX_SESSION_TEXT_CHARS,
    TERRAIN_ID_CHARS,
    USER_CHARS,
    forbidden_character,
)
from kansenkaart.engine import measures
from kansenkaart.records.database import (
    database_errors,
    database_name,
    database_url,
    make_engine,
    migrate,
)
from kansenkaart.records.exchange import EXPORT_FORMAT, EXPORT_VERSION, validate_export
from kansenkaart.records.models import (
    ENTITIES,
    Change,
    Field,
    Record,
    clean_record,
    fields,
    key_names,
    value_names,
)

TIMEZONE = ZoneInfo("Europe/Amsterdam")
"""Times are stored in UTC and shown in Dutch time."""
ACTIONS = {
    "create": "aangemaakt",
    "update": "gewijzigd",
    "delete": "verwijderd",
    "import": "geïmporteerd",
    "conflict": "geweigerd (conflict)",
}
"""Change-log action -> Dutch description."""


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
    if not name or len(name) > USER_CHARS or forbidden_character(name):
        raise DataError.single(
            "invoer",
            "Er is geen naam opgegeven (of de naam is langer dan "
            f"{USER_CHARS} tekens of bevat stuurtekens).",
            "Vul uw naam in; die wordt bij elke wijziging bewaard.",
        )
    return name


def _terrain(terrain_id: str) -> str:
    """``terrain_id`` checked against what the database column holds."""
    if (
        not isinstance(terrain_id, str)
        or not terrain_id.strip()
        or len(terrain_id) > TERRAIN_ID_CHARS
        or forbidden_character(terrain_id)
    ):
        raise DataError.single(
            "terrein",
            f"de terreincode is leeg, langer dan {TERRAIN_ID_CHARS} tekens of bevat "
            "stuurtekens.",
            "Geef het terrein in terrain.json een korte 'id' (bijv. de-punt).",
        )
    return terrain_id


# --- records out ------------------------------------------------------------------


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    """A stored time as aware UTC (SQLite returns it naive)."""
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def when_text(moment: dt.datetime | None) -> str:
    """A time in Dutch local time: ``23-11-2026 09:05``."""
    if moment is None:
        return texts.UNKNOWN
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
        return texts.yes_no(value)
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


_TEXT_KINDS = ("id", "text", "long_text", "choice", "names")


def session_size(session: Session, terrain_id: str) -> tuple[int, int]:
    """Records and characters of text of a terrain's werksessie records.

    The characters are those of every text field (ids, texts, choices and the
    stored JSON of name lists, which is at least as long as the names), as
    :data:`~kansenkaart.core.limits.MAX_SESSION_TEXT_CHARS` counts them; six
    aggregate queries, one per entity.
    """
    records = chars = 0
    for entity, model in ENTITIES.items():
        table = model.__table__
        lengths = [
            func.coalesce(
                func.sum(
                    func.length(
                        cast(table.c[f.name], Text)
                        if f.kind == "names"
                        else table.c[f.name]
                    )
                ),
                0,
            )
            for f in fields(entity)
            if f.kind in _TEXT_KINDS
        ]
        row = session.execute(
            select(func.count(), *lengths).where(table.c.terrain_id == terrain_id)
        ).one()
        records += row[0]
        chars += sum(row[1:])
    return records, chars


def new_uid() -> str:
    """A fresh key for an :class:`~kansenkaart.records.models.Action`."""
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
        :data:`~kansenkaart.records.database.DEFAULT_PATH`.
    upgrade : bool
        Upgrade the schema to the newest revision first (default).
    """

    def __init__(self, url: str | None = None, *, upgrade: bool = True):
        self.url = database_url(url)
        with database_errors(self.url):
            self.engine = make_engine(self.url)
            if upgrade:
                migrate(self.engine)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with (
            database_errors(self.url),
            Session(self.engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        with (
            database_errors(self.url),
            Session(engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    def _check_size(self, session: Session, terrain_id: str) -> None:
        """Refuse (roll back) a write that takes a terrain past the session limits."""
        records, chars = session_size(session, terrain_id)
        for count, limit, what in (
            (records, MAX_SESSION_RECORDS, "records"),
            (chars, MAX_SESSION_TEXT_CHARS, "tekens tekst"),
        ):
            if count > limit:
                raise DataError.single(
                    database_name(self.url),
                    f"de werksessie van terrein '{terrain_id}' zou {fmt.number(count)} "
                    f"{what} bevatten; de grens is {fmt.number(limit)}.",
                    "Verwijder records of tekst die niet meer nodig zijn, of kort de "
                    "tekst in. Er is niets opgeslagen.",
                )

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
            Key of :data:`~kansenkaart.records.models.ENTITIES`.
        terrain_id : str
        key : mapping
            The record's key fields (see
            :func:`~kansenkaart.records.models.key_names`).
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
        terrain_id = _terrain(terrain_id)
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
                stored = self._apply(
                    session, entity, terrain_id, key, row, wanted, user, "create"
                )
                self._check_size(session, terrain_id)
                return stored
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
        terrain_id = _terrain(terrain_id)
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
        if row is not None:
            current = _snapshot(entity, row)
            if all(current.values[k] == v for k, v in wanted.items()):
                return current
            action = "update" if action == "create" else action
        now = dt.datetime.now(dt.UTC)
        row, before = self._stage(
            session, entity, terrain_id, key, row, wanted, user, now
        )
        session.flush()
        after = _snapshot(entity, row)
        self._log(session, after, action, user, before, after.json_values())
        return after

    @staticmethod
    def _stage(session, entity, terrain_id, key, row, wanted, user, now):
        """Set ``wanted`` on ``row`` (a new record when None), not yet flushed.

        Returns the row and its values before the change (None when new).
        """
        before = None
        if row is None:
            row = ENTITIES[entity](
                terrain_id=terrain_id, created_by=user, created_at=now, **key
            )
            session.add(row)
        else:
            before = _snapshot(entity, row).json_values()
        for name, value in wanted.items():
            setattr(row, name, value)
        row.updated_by, row.updated_at = user, now
        return row, before

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
            From :func:`kansenkaart.records.exchange.parse_export` or
            :meth:`export_terrain`.
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
        terrain_id = _terrain(terrain_id)
        records = validate_export(doc, terrain_id, building_ids, source)
        result = ImportResult()
        with suppress(_DryRun):
            self._merge(terrain_id, records, user, result, dry_run)
        return result

    def _merge(self, terrain_id, records, user, result, dry_run) -> None:
        """Stage every change, write them in one flush, then log them.

        The stored records of each entity are read in one query (not one per
        record), so the largest allowed import takes seconds, not minutes.
        """
        now = dt.datetime.now(dt.UTC)
        with self._write() as session:
            staged = []
            for entity, items in records.items():
                names = key_names(entity)
                stored = {
                    tuple(getattr(r, k) for k in names): r
                    for r in session.scalars(
                        select(ENTITIES[entity]).filter_by(terrain_id=terrain_id)
                    )
                }
                for item in items:
                    key = {k: item[k] for k in names}
                    values = {k: item[k] for k in value_names(entity)}
                    row = stored.get(tuple(key.values()))
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
                        staged.append(
                            (
                                entity,
                                *self._stage(
                                    session,
                                    entity,
                                    terrain_id,
                                    key,
                                    row,
                                    values,
                                    user,
                                    now,
                                ),
                            )
                        )
            session.flush()
            for entity, row, before in staged:
                after = _snapshot(entity, row)
                self._log(session, after, "import", user, before, after.json_values())
            session.flush()
            self._check_size(session, terrain_id)
            if dry_run:
                raise _DryRun
