"""The werksessie records: database models, their fields and validation.

One SQLAlchemy model per entity (:data:`ENTITIES`: interest, workgroup, plan,
note, action, reading) plus the append-only :class:`Change` log. Every user
field carries its Dutch label and validation rule (:class:`Field`), so forms,
messages, the change log and imports all read them from one place;
:func:`clean_record` checks and converts a record with Dutch messages. The
migrations (``migrations/``) are generated from these models; reading and
writing records is :class:`kansenkaart.records.store.Store`'s job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

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
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    declared_attr,
    mapped_column,
)

from kansenkaart.core import fmt, texts
from kansenkaart.core.errors import Problem
from kansenkaart.core.limits import (
    ID_CHARS,
    LONG_TEXT_CHARS,
    MAX_NAMES,
    MAX_RECORD_NUMBER,
    TERRAIN_ID_CHARS,
    TEXT_CHARS,
    USER_CHARS,
    forbidden_character,
)
from kansenkaart.engine import measures

LEVELS = (texts.YES, texts.MAYBE, texts.NO)
"""Interest of a company in a measure, as said in the werksessie."""
STATUSES = ("idee", "onderzoek", "besluit", "uitvoering", "gerealiseerd")
"""Status of a measure, in workflow order (Leidraad steps 3 to 5)."""


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
    "id": lambda: String(ID_CHARS),
    "text": lambda: String(TEXT_CHARS),
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
    terrain_id: Mapped[str] = mapped_column(String(TERRAIN_ID_CHARS), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_by: Mapped[str] = mapped_column(String(USER_CHARS), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False
    )
    updated_by: Mapped[str] = mapped_column(String(USER_CHARS), nullable=False)
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
    user_name: Mapped[str] = mapped_column(String(USER_CHARS), nullable=False)
    terrain_id: Mapped[str] = mapped_column(String(TERRAIN_ID_CHARS), nullable=False)
    entity: Mapped[str] = mapped_column(String(20), nullable=False)
    record_key: Mapped[dict] = mapped_column(JSON, nullable=False)
    action: Mapped[str] = mapped_column(String(20), nullable=False)
    version: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)


# --- access: personal links, consent, audit log, local account ---------------------
# Kept by kansenkaart.records.access; terrain_key is the app's terrain key
# (``demo:<id>`` or ``upload:<sha256 prefix>``).


class AccessLink(Base):
    """A company's personal link: only the SHA-256 of its token is stored."""

    __tablename__ = "access_links"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    terrain_key: Mapped[str] = mapped_column(String(TERRAIN_ID_CHARS), nullable=False)
    building_id: Mapped[str] = mapped_column(String(ID_CHARS), nullable=False)
    company: Mapped[str | None] = mapped_column(String(TEXT_CHARS))
    created_by: Mapped[str] = mapped_column(String(USER_CHARS), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False
    )
    expires_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False
    )
    revoked_by: Mapped[str | None] = mapped_column(String(USER_CHARS))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ConsentRecord(Base):
    """One consent given or withdrawn (the newest per scope counts)."""

    __tablename__ = "consents"
    __table_args__ = (Index(None, "terrain_key", "building_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    terrain_key: Mapped[str] = mapped_column(String(TERRAIN_ID_CHARS), nullable=False)
    building_id: Mapped[str] = mapped_column(String(ID_CHARS), nullable=False)
    scope: Mapped[str] = mapped_column(String(20), nullable=False)
    given: Mapped[bool] = mapped_column(Boolean, nullable=False)
    recorded_by: Mapped[str] = mapped_column(String(USER_CHARS), nullable=False)
    recorded_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False
    )


class AuditEntry(Base):
    """One line of the append-only audit log: who did what, when."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    user_name: Mapped[str] = mapped_column(String(USER_CHARS), nullable=False)
    action: Mapped[str] = mapped_column(String(30), nullable=False)
    terrain_key: Mapped[str | None] = mapped_column(String(TERRAIN_ID_CHARS))
    building_id: Mapped[str | None] = mapped_column(String(ID_CHARS))
    detail: Mapped[str | None] = mapped_column(String(TEXT_CHARS))


class LocalAccount(Base):
    """A local account (deployment without an identity provider): Argon2 hash."""

    __tablename__ = "local_accounts"
    user_name: Mapped[str] = mapped_column(String(USER_CHARS), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200), nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False
    )


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


_SHOWN_CHARS = 40
"""Longest quoted value in a message."""


def shown_value(value) -> str:
    """A value as a message quotes it: short, whatever its size or type."""
    if isinstance(value, dict):
        return "een object"
    if isinstance(value, list):
        return "een lijst"
    if isinstance(value, int) and value.bit_length() > 64:  # repr may refuse it
        return "een getal van meer dan 19 cijfers"
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


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
            problem(f"verwacht tekst, niet {shown_value(value)}.", "Typ de tekst.")
            return None
        if isinstance(value, int) and abs(value) > MAX_RECORD_NUMBER:
            problem(f"{shown_value(value)} is te lang.", "Maak de tekst korter.")
            return None
        text = str(value).strip()
        limit = {"id": ID_CHARS, "long_text": LONG_TEXT_CHARS}.get(f.kind, TEXT_CHARS)
        if len(text) > limit:
            problem(
                f"{len(text)} tekens, langer dan {limit} tekens.",
                "Maak de tekst korter.",
            )
            return None
        bad = forbidden_character(text)
        if bad:
            problem(
                f"de tekst bevat een ongeldig {bad}.",
                "Typ de tekst opnieuw, zonder stuurtekens.",
            )
            return None
        if f.kind == "choice" and f.choices and text not in f.choices:
            problem(
                f"{shown_value(text)} is geen geldige waarde.",
                f"Kies uit {', '.join(f.choices)}.",
            )
        if f.name == "measure_id" and text not in measures.BY_ID:
            problem(
                f"onbekende maatregel {shown_value(text)}.",
                "Gebruik een maatregel-id uit de catalogus (bijv. zon_eigen_dak).",
            )
        return text
    if f.kind == "bool":
        if not isinstance(value, bool):
            problem(
                f"verwacht ja/nee (true of false), niet {shown_value(value)}.",
                "Schrijf true of false, zonder aanhalingstekens.",
            )
        return bool(value)
    if f.kind == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            problem(
                f"{shown_value(value)} is geen datum.",
                "Schrijf de datum als JJJJ-MM-DD.",
            )
            return None
    if f.kind in ("number", "count"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            problem(f"verwacht een getal, niet {shown_value(value)}.", "Typ een getal.")
            return None
        if not 0 <= value <= MAX_RECORD_NUMBER:  # also refuses NaN and infinity
            problem(
                f"{shown_value(value)} ligt niet tussen 0 en "
                f"{fmt.number(MAX_RECORD_NUMBER, 0)}.",
                "Typ een getal in dat bereik.",
            )
            return None
        if f.kind == "count":
            if value != int(value):
                problem(f"{value} is geen heel getal.", "Typ een geheel getal.")
            return int(value)
        return float(value)
    # names
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problem("verwacht een lijst met namen.", "Geef de namen als lijst van teksten.")
        return None
    names = [v.strip() for v in value if v.strip()]
    if len(names) > MAX_NAMES or any(len(v) > TEXT_CHARS for v in names):
        problem(
            f"hoogstens {MAX_NAMES} namen van hoogstens {TEXT_CHARS} tekens.",
            "Laat namen weg of kort ze in.",
        )
        return None
    bad = next(filter(None, map(forbidden_character, names)), None)
    if bad:
        problem(
            f"een naam bevat een ongeldig {bad}.",
            "Typ de naam opnieuw, zonder stuurtekens.",
        )
        return None
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
