"""Who may open the app: personal links, consent, the local account, the audit log.

The rules of what each role sees are in :mod:`kansenkaart.engine.privacy`;
this module keeps the access itself in the records database (tables of
:mod:`kansenkaart.records.models`, revision 0003):

- **Personal link** of a company (*ondernemer*): a random token
  (:func:`secrets.token_urlsafe`, :data:`TOKEN_BYTES` bytes, 256 bits) that
  opens *Mijn pand* for one building of one terrain. Only its SHA-256 is
  stored (:func:`token_hash`), so a copy of the database opens nothing. A
  slow password hash is not needed: a token of 256 random bits cannot be
  guessed, unlike a password. A link expires (:data:`LINK_DAYS` by default)
  and can be revoked; :func:`open_link` refuses it then, in Dutch.
- **Consent** of a company per scope (:data:`CONSENT_SCOPES`), given or
  withdrawn on *Mijn pand*: every change is a new row; the newest per scope
  counts (:func:`consents`).
- **Local account** for a deployment without an identity provider: the
  password is stored as an Argon2id hash (``argon2-cffi``, RFC 9106 defaults);
  a password never reaches a log or the audit log.
- **Audit log**: who did what and when (:func:`audit`); the database keeps it
  append-only.
- **Failed logins** are limited per user name by :class:`FailedLogins` (in
  memory, per server process).

Roles of users who log in with the identity provider come from the
deployment's configuration (:func:`role_for_email`). This module never
imports streamlit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kansenkaart.core import texts
from kansenkaart.core.errors import DataError
from kansenkaart.core.limits import (
    ID_CHARS,
    TERRAIN_ID_CHARS,
    TEXT_CHARS,
    USER_CHARS,
    forbidden_character,
)
from kansenkaart.engine import privacy
from kansenkaart.records.database import database_errors
from kansenkaart.records.models import (
    AccessLink,
    AuditEntry,
    ConsentRecord,
    LocalAccount,
)
from kansenkaart.records.store import Store, when_text

TOKEN_BYTES = 32
"""Random bytes of a link token (256 bits; ``secrets.token_urlsafe``)."""
LINK_DAYS = 90
"""Default lifetime of a personal link (days): one werksessie cycle."""
MAX_LINK_DAYS = 366
"""Longest lifetime a beheerder can give a link (days)."""
MIN_PASSWORD_CHARS = 12
"""Shortest password of the local account (NCSC advice: a long passphrase)."""
MAX_PASSWORD_CHARS = 1_000
"""Longest password accepted (Argon2 hashes any length; this bounds the work)."""
MAX_FAILED_LOGINS = 5
"""Failed logins per user name within :data:`LOCKOUT_MINUTES` before refusing."""
LOCKOUT_MINUTES = 15
"""Window (minutes) of :data:`MAX_FAILED_LOGINS`; the account opens again after."""

CONSENT_SCOPES = {
    "werksessie": "Werksessie: mijn cijfers tonen aan de deelnemers van de "
    "werksessie en de begeleider",
    "publicatie": "Publicatie: mijn cijfers mogen in openbare overzichten en downloads",
}
"""Consent scope -> Dutch description."""

ACTIONS = {
    "link_created": "persoonlijke link gemaakt",
    "link_revoked": "persoonlijke link ingetrokken",
    "link_opened": "ingelogd met persoonlijke link",
    "link_refused": "persoonlijke link geweigerd",
    "consent_given": "toestemming gegeven",
    "consent_withdrawn": "toestemming ingetrokken",
    "login": "ingelogd",
    "login_failed": "inloggen mislukt",
    "password_set": "wachtwoord ingesteld",
}
"""Audit-log action -> Dutch description."""

_HASHER = PasswordHasher()


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    """A stored time as aware UTC (SQLite returns it naive)."""
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@contextmanager
def _session(db: Store, write: bool = False) -> Iterator[Session]:
    engine = db.engine.execution_options(sqlite_begin="IMMEDIATE" if write else "")
    with (
        database_errors(db.url),
        Session(engine, expire_on_commit=False) as session,
        session.begin(),
    ):
        yield session


def _text(value: str | None, limit: int, what: str) -> str | None:
    """A short text for the database: stripped, checked, or a Dutch DataError."""
    if value is None:
        return None
    text = str(value).strip()
    if len(text) > limit or forbidden_character(text):
        raise DataError.single(
            "invoer",
            f"{what} is langer dan {limit} tekens of bevat stuurtekens.",
            f"Kort {what} in.",
        )
    return text


def _log(
    session: Session,
    user: str,
    action: str,
    terrain_key: str | None = None,
    building_id: str | None = None,
    detail: str | None = None,
) -> None:
    session.add(
        AuditEntry(
            at=now_utc(),
            user_name=(user or texts.UNKNOWN)[:USER_CHARS],
            action=action,
            terrain_key=terrain_key,
            building_id=building_id,
            detail=None if detail is None else detail[:TEXT_CHARS],
        )
    )


# --- personal links ------------------------------------------------------------------


def new_token() -> str:
    """A new link token: :data:`TOKEN_BYTES` random bytes, URL-safe text."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """SHA-256 (hex) of a link token: what the database stores."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Link:
    """A personal link as stored (never the token itself)."""

    id: int
    terrain_key: str
    building_id: str
    company: str | None
    created_by: str
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_by: str | None
    revoked_at: dt.datetime | None

    def status(self, now: dt.datetime | None = None) -> str:
        """``geldig``, ``verlopen`` or ``ingetrokken``."""
        if self.revoked_at is not None:
            return "ingetrokken"
        return "verlopen" if (now or now_utc()) >= self.expires_at else "geldig"


def _link(row: AccessLink) -> Link:
    return Link(
        row.id,
        row.terrain_key,
        row.building_id,
        row.company,
        row.created_by,
        _utc(row.created_at),
        _utc(row.expires_at),
        row.revoked_by,
        _utc(row.revoked_at),
    )


def create_link(
    db: Store,
    terrain_key: str,
    building_id: str,
    *,
    user: str,
    company: str | None = None,
    days: int = LINK_DAYS,
    now: dt.datetime | None = None,
) -> tuple[str, Link]:
    """Make a personal link for one building.

    Returns
    -------
    str, Link
        The token (shown once, to put in the URL and the QR code; not stored)
        and the stored link.
    """
    if not 1 <= days <= MAX_LINK_DAYS:
        raise DataError.single(
            "invoer",
            f"een link moet 1 tot {MAX_LINK_DAYS} dagen geldig zijn, niet {days}.",
            "Kies een kortere geldigheid.",
        )
    terrain_key = _text(terrain_key, TERRAIN_ID_CHARS, "de terreincode")
    building_id = _text(building_id, ID_CHARS, "de pandcode")
    company = _text(company, TEXT_CHARS, "de bedrijfsnaam")
    now = now or now_utc()
    token = new_token()
    row = AccessLink(
        token_hash=token_hash(token),
        terrain_key=terrain_key,
        building_id=building_id,
        company=company,
        created_by=user,
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    with _session(db, write=True) as session:
        session.add(row)
        session.flush()
        _log(
            session,
            user,
            "link_created",
            terrain_key,
            building_id,
            f"link {row.id}, geldig tot {when_text(row.expires_at)}",
        )
        return token, _link(row)


def links(db: Store, terrain_key: str) -> list[Link]:
    """The personal links of a terrain, newest first."""
    with _session(db) as session:
        rows = session.scalars(
            select(AccessLink)
            .filter_by(terrain_key=terrain_key)
            .order_by(AccessLink.id.desc())
        ).all()
        return [_link(r) for r in rows]


def revoke_link(
    db: Store, link_id: int, *, user: str, now: dt.datetime | None = None
) -> Link:
    """Revoke a link; it opens nothing from now on (revoking twice is harmless)."""
    with _session(db, write=True) as session:
        row = session.get(AccessLink, link_id)
        if row is None:
            raise DataError.single(
                "links", f"link {link_id} bestaat niet.", "Kies een link uit de lijst."
            )
        if row.revoked_at is None:
            row.revoked_at, row.revoked_by = now or now_utc(), user
            _log(
                session,
                user,
                "link_revoked",
                row.terrain_key,
                row.building_id,
                f"link {row.id}",
            )
        return _link(row)


class LinkRefused(Exception):
    """A personal link that opens nothing; ``str()`` is the Dutch message."""


def open_link(db: Store, token: str, now: dt.datetime | None = None) -> Link:
    """The link of ``token``, or :class:`LinkRefused` (unknown, revoked, expired).

    Opening and refusing are written to the audit log (never the token).
    """
    now = now or now_utc()
    text = (token or "").strip()
    with _session(db, write=True) as session:
        row = None
        if 0 < len(text) <= 2 * TOKEN_BYTES:  # token_urlsafe(32) has 43 characters
            row = session.scalars(
                select(AccessLink).filter_by(token_hash=token_hash(text))
            ).one_or_none()
        if row is None:
            message = (
                "Deze persoonlijke link is onbekend. Controleer of u de hele link "
                "hebt overgenomen, of vraag de gemeente of het parkmanagement om "
                "een nieuwe."
            )
            _log(session, "link", "link_refused", detail="onbekende link")
            raise LinkRefused(message)
        link = _link(row)
        status = link.status(now)
        if status != "geldig":
            when = link.revoked_at if status == "ingetrokken" else link.expires_at
            _log(
                session,
                "link",
                "link_refused",
                link.terrain_key,
                link.building_id,
                f"link {link.id}: {status}",
            )
            raise LinkRefused(
                f"Deze persoonlijke link is {status} (op {when_text(when)}) en "
                "toont niets meer. Vraag de gemeente of het parkmanagement om een "
                "nieuwe link."
            )
        return link


def log_link_opened(db: Store, link: Link) -> None:
    """Write in the audit log that ``link`` was used to log in."""
    with _session(db, write=True) as session:
        _log(
            session,
            link.company or link.building_id,
            "link_opened",
            link.terrain_key,
            link.building_id,
            f"link {link.id}",
        )


# --- consent ----------------------------------------------------------------------


@dataclass(frozen=True)
class Consent:
    """The consent of one company for one scope, as it stands."""

    scope: str
    given: bool
    recorded_at: dt.datetime | None
    recorded_by: str | None

    @property
    def text(self) -> str:
        """Dutch: ``gegeven op 01-12-2026 10:05`` or ``niet gegeven``."""
        if self.recorded_at is None:
            return "niet gegeven"
        state = "gegeven" if self.given else "ingetrokken"
        return f"{state} op {when_text(self.recorded_at)}"


def record_consent(
    db: Store,
    terrain_key: str,
    building_id: str,
    scope: str,
    given: bool,
    *,
    user: str,
    now: dt.datetime | None = None,
) -> Consent:
    """Record that the company of ``building_id`` gives or withdraws consent."""
    if scope not in CONSENT_SCOPES:
        raise ValueError(f"onbekende reikwijdte '{scope}'; kies uit {CONSENT_SCOPES}")
    now = now or now_utc()
    with _session(db, write=True) as session:
        session.add(
            ConsentRecord(
                terrain_key=terrain_key,
                building_id=building_id,
                scope=scope,
                given=bool(given),
                recorded_by=user,
                recorded_at=now,
            )
        )
        _log(
            session,
            user,
            "consent_given" if given else "consent_withdrawn",
            terrain_key,
            building_id,
            f"reikwijdte {scope}",
        )
    return Consent(scope, bool(given), now, user)


def consents(db: Store, terrain_key: str, building_id: str) -> dict[str, Consent]:
    """Scope -> the newest consent of a building (``niet gegeven`` without one)."""
    out = {s: Consent(s, False, None, None) for s in CONSENT_SCOPES}
    with _session(db) as session:
        rows = session.scalars(
            select(ConsentRecord)
            .filter_by(terrain_key=terrain_key, building_id=building_id)
            .order_by(ConsentRecord.id)
        ).all()
        for r in rows:
            out[r.scope] = Consent(r.scope, r.given, _utc(r.recorded_at), r.recorded_by)
    return out


def recorded_consents(
    db: Store, terrain_key: str, scope: str = "werksessie"
) -> dict[str, bool]:
    """Building id -> the newest consent recorded for ``scope`` on a terrain.

    Buildings without a record are absent: their survey answer stands.
    """
    out: dict[str, bool] = {}
    with _session(db) as session:
        rows = session.execute(
            select(ConsentRecord.building_id, ConsentRecord.given)
            .filter_by(terrain_key=terrain_key, scope=scope)
            .order_by(ConsentRecord.id)
        ).all()
    for building_id, given in rows:  # ordered: the newest record wins
        out[building_id] = bool(given)
    return out


# --- local account -------------------------------------------------------------------


def set_password(db: Store, user_name: str, password: str) -> None:
    """Create the local account ``user_name`` or change its password.

    Stores the Argon2id hash only; refuses a password shorter than
    :data:`MIN_PASSWORD_CHARS` with a Dutch :class:`DataError`.
    """
    name = _text(user_name, USER_CHARS, "de gebruikersnaam")
    if not name:
        raise DataError.single(
            "invoer", "de gebruikersnaam is leeg.", "Geef een gebruikersnaam op."
        )
    if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        raise DataError.single(
            "invoer",
            f"het wachtwoord moet {MIN_PASSWORD_CHARS} tot {MAX_PASSWORD_CHARS} "
            "tekens lang zijn.",
            "Kies een langere zin als wachtwoord.",
        )
    hashed = _HASHER.hash(password)
    with _session(db, write=True) as session:
        row = session.get(LocalAccount, name)
        if row is None:
            session.add(
                LocalAccount(user_name=name, password_hash=hashed, updated_at=now_utc())
            )
        else:
            row.password_hash, row.updated_at = hashed, now_utc()
        _log(session, name, "password_set", detail="lokaal beheerdersaccount")


def has_local_account(db: Store) -> bool:
    """Whether a local account exists (then the deployment is configured)."""
    with _session(db) as session:
        return bool(session.scalar(select(func.count()).select_from(LocalAccount)))


def verify_password(db: Store, user_name: str, password: str) -> bool:
    """Whether ``password`` is the local account's; the hash is renewed when
    Argon2's parameters changed. The attempt goes into the audit log (never
    the password)."""
    name = (user_name or "").strip()[:USER_CHARS]
    with _session(db, write=True) as session:
        row = session.get(LocalAccount, name) if name else None
        ok = False
        if row is not None and len(password) <= MAX_PASSWORD_CHARS:
            try:
                ok = _HASHER.verify(row.password_hash, password)
            except (VerificationError, InvalidHashError):
                ok = False
            if ok and _HASHER.check_needs_rehash(row.password_hash):
                row.password_hash = _HASHER.hash(password)
        _log(
            session,
            name or texts.UNKNOWN,
            "login" if ok else "login_failed",
            detail="lokaal beheerdersaccount",
        )
    return ok


class FailedLogins:
    """Failed logins per user name; refuses after :data:`MAX_FAILED_LOGINS`
    within :data:`LOCKOUT_MINUTES` (in memory, thread-safe)."""

    def __init__(
        self, limit: int = MAX_FAILED_LOGINS, minutes: float = LOCKOUT_MINUTES
    ):
        self.limit, self.window = limit, dt.timedelta(minutes=minutes)
        self._failures: dict[str, list[dt.datetime]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: dt.datetime) -> list[dt.datetime]:
        recent = [t for t in self._failures.get(key, []) if now - t < self.window]
        self._failures[key] = recent
        return recent

    def wait_minutes(self, key: str, now: dt.datetime | None = None) -> int:
        """Minutes until ``key`` may try again (0: now)."""
        now = now or now_utc()
        with self._lock:
            recent = self._recent(key.lower(), now)
            if len(recent) < self.limit:
                return 0
            left = recent[0] + self.window - now
            return max(1, -(-int(left.total_seconds()) // 60))

    def failed(self, key: str, now: dt.datetime | None = None) -> None:
        with self._lock:
            self._recent(key.lower(), now or now_utc()).append(now or now_utc())

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key.lower(), None)


# --- roles of identity-provider users ----------------------------------------------


def role_for_email(email: str | None, roles: Mapping[str, str]) -> str:
    """The role of a user who logged in with the identity provider.

    ``roles`` maps e-mail addresses (any case) to a role of
    :data:`kansenkaart.engine.privacy.ROLES`; a user not in it is *publiek*.
    *ondernemer* is never given this way: it needs a building (a personal link).
    """
    wanted = {str(k).strip().lower(): str(v).strip() for k, v in roles.items()}
    role = wanted.get((email or "").strip().lower(), privacy.PUBLIEK)
    if role not in privacy.ROLES or role == privacy.ONDERNEMER:
        return privacy.PUBLIEK
    return role


# --- the audit log ------------------------------------------------------------------


def audit(db: Store, terrain_key: str | None = None, limit: int = 500) -> pd.DataFrame:
    """The audit log, newest first: Dutch columns *Wanneer*, *Wie*, *Wat*,
    *Pand*, *Toelichting*; with ``terrain_key`` the lines of that terrain and
    those of no terrain (logins)."""
    with _session(db) as session:
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if terrain_key is not None:
            query = query.where(
                (AuditEntry.terrain_key == terrain_key)
                | AuditEntry.terrain_key.is_(None)
            )
        rows = session.scalars(query).all()
        data = [
            (
                when_text(_utc(r.at)),
                r.user_name,
                ACTIONS.get(r.action, r.action),
                r.building_id or "",
                r.detail or "",
            )
            for r in rows
        ]
    return pd.DataFrame(data, columns=["Wanneer", "Wie", "Wat", "Pand", "Toelichting"])
