"""Personal links, consent, the local account and the audit log (library)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import sqlalchemy as sa

from kansenkaart import DataError
from kansenkaart.cli import main
from kansenkaart.records import access, database, store

TERRAIN = "demo:de-punt"
T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def db(tmp_path):
    opened = store.Store(f"sqlite:///{tmp_path / 'toegang.sqlite'}")
    yield opened
    opened.close()


def stored_hashes(db) -> list[str]:
    with db.engine.connect() as c:
        return list(c.execute(sa.text("SELECT token_hash FROM access_links")).scalars())


def test_only_the_sha256_of_a_random_token_is_stored(db):
    token, link = access.create_link(
        db, TERRAIN, "0001", user="Anna", company="Bakker Metaal", now=T0
    )
    other, _ = access.create_link(db, TERRAIN, "0002", user="Anna", now=T0)
    # token_urlsafe(32): 32 random bytes -> 43 URL-safe characters
    assert len(token) == 43 and set(token) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )
    assert token != other
    hashes = stored_hashes(db)
    assert hashlib.sha256(token.encode()).hexdigest() in hashes
    assert token not in hashes and other not in hashes
    assert link.expires_at == T0 + dt.timedelta(days=access.LINK_DAYS)
    opened = access.open_link(db, token, now=T0 + dt.timedelta(days=1))
    assert (opened.terrain_key, opened.building_id) == (TERRAIN, "0001")


def test_a_link_expires(db):
    token, _ = access.create_link(db, TERRAIN, "0001", user="Anna", days=7, now=T0)
    assert access.open_link(db, token, now=T0 + dt.timedelta(days=6, hours=23))
    with pytest.raises(access.LinkRefused, match=r"verlopen .*08-12-2026 10:00"):
        access.open_link(db, token, now=T0 + dt.timedelta(days=7))


def test_a_revoked_link_opens_nothing(db):
    token, link = access.create_link(db, TERRAIN, "0001", user="Anna", now=T0)
    later = T0 + dt.timedelta(hours=2)
    access.revoke_link(db, link.id, user="Bert", now=later)
    with pytest.raises(access.LinkRefused, match="ingetrokken"):
        access.open_link(db, token, now=later + dt.timedelta(minutes=1))
    again = access.revoke_link(db, link.id, user="Carla")  # harmless, keeps Bert
    assert (again.revoked_by, again.revoked_at) == ("Bert", later)
    assert [entry.status(later) for entry in access.links(db, TERRAIN)] == [
        "ingetrokken"
    ]


@pytest.mark.parametrize("token", ["", "x" * 43, "x" * 10_000, "\x00"])
def test_an_unknown_token_is_refused_in_dutch(db, token):
    access.create_link(db, TERRAIN, "0001", user="Anna")
    with pytest.raises(access.LinkRefused, match="onbekend"):
        access.open_link(db, token)


def test_link_lifetime_is_bounded(db):
    with pytest.raises(DataError, match="1 tot 366 dagen"):
        access.create_link(db, TERRAIN, "0001", user="Anna", days=400)


def test_consent_given_and_withdrawn_newest_counts_and_is_audited(db):
    assert access.consents(db, TERRAIN, "0001")["werksessie"].text == "niet gegeven"
    access.record_consent(
        db, TERRAIN, "0001", "werksessie", True, user="Bakker", now=T0
    )
    access.record_consent(
        db, TERRAIN, "0001", "publicatie", True, user="Bakker", now=T0
    )
    later = T0 + dt.timedelta(days=3)
    access.record_consent(
        db, TERRAIN, "0001", "publicatie", False, user="Bakker", now=later
    )
    now = access.consents(db, TERRAIN, "0001")
    assert now["werksessie"].given and now["werksessie"].recorded_at == T0
    assert not now["publicatie"].given
    assert now["publicatie"].text == "ingetrokken op 04-12-2026 10:00"
    log = access.audit(db, TERRAIN)
    assert log["Wat"].tolist()[:3] == [
        "toestemming ingetrokken",
        "toestemming gegeven",
        "toestemming gegeven",
    ]
    assert set(log["Pand"][:3]) == {"0001"}


def test_consent_and_audit_rows_cannot_be_rewritten(db):
    access.record_consent(db, TERRAIN, "0001", "werksessie", True, user="Bakker")
    for table in ("consents", "audit_log"):
        with (
            pytest.raises(sa.exc.DBAPIError, match="alleen worden aangevuld"),
            db.engine.begin() as c,
        ):
            c.execute(sa.text(f"DELETE FROM {table}"))


def test_argon2_password_verifies_and_a_wrong_one_fails(db):
    assert not access.has_local_account(db)
    access.set_password(db, "beheer", "correct paard batterij nietje")
    assert access.has_local_account(db)
    with db.engine.connect() as c:
        stored = c.execute(sa.text("SELECT password_hash FROM local_accounts")).scalar()
    assert stored.startswith("$argon2id$") and "paard" not in stored
    assert access.verify_password(db, "beheer", "correct paard batterij nietje")
    assert not access.verify_password(db, "beheer", "correct paard batterij nietjes")
    assert not access.verify_password(db, "iemand", "correct paard batterij nietje")
    log = access.audit(db)
    assert log["Wat"].tolist()[:3] == [
        "inloggen mislukt",
        "inloggen mislukt",
        "ingelogd",
    ]
    assert not log.apply(lambda r: r.str.contains("paard")).any().any()


def test_a_short_password_is_refused(db):
    with pytest.raises(DataError, match="12 tot 1000 tekens"):
        access.set_password(db, "beheer", "kort")


def test_failed_logins_lock_the_name_for_a_while():
    limiter = access.FailedLogins(limit=3, minutes=15)
    for _ in range(3):
        assert limiter.wait_minutes("Beheer", T0) == 0
        limiter.failed("beheer", T0)
    assert limiter.wait_minutes("BEHEER", T0 + dt.timedelta(minutes=1)) == 14
    assert limiter.wait_minutes("ander", T0) == 0
    assert limiter.wait_minutes("beheer", T0 + dt.timedelta(minutes=15)) == 0


def test_roles_of_identity_provider_users():
    roles = {
        "Anna@Assen.nl": "beheerder",
        "b@x.nl": "begeleider",
        "c@x.nl": "ondernemer",
    }
    assert access.role_for_email("anna@assen.nl", roles) == "beheerder"
    assert access.role_for_email("b@x.nl", roles) == "begeleider"
    assert access.role_for_email("c@x.nl", roles) == "publiek"  # needs a link
    assert access.role_for_email("onbekend@x.nl", roles) == "publiek"
    assert access.role_for_email(None, roles) == "publiek"


def test_cli_sets_the_local_password(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    answers = iter(["lange zin als wachtwoord", "lange zin als wachtwoord"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["beheerder", "--wachtwoord", "--naam", "beheer", "--url", url]) == 0
    assert "lange zin" not in capsys.readouterr().out
    db = store.Store(url)
    assert access.verify_password(db, "beheer", "lange zin als wachtwoord")
    assert database.current_revision(db.engine) == "0003"
    db.close()


def test_cli_refuses_two_different_passwords(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    answers = iter(["lange zin als wachtwoord", "andere zin als wachtwoord"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["beheerder", "--wachtwoord", "--url", url]) == 1
    assert "niet gelijk" in capsys.readouterr().err
