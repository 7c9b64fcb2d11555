"""Roles in the app: demo mode, login, personal links and consent (AppTest).

Each test gets its own database (``DATABASE_URL``): a local account in it
makes the deployment *configured*, which must not leak into other tests.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import kansenkaart as kk
from appui import access as app_access
from appui import shell, state
from kansenkaart.engine import privacy
from kansenkaart.records import access, store

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
TERRAIN = "demo:de-punt"
JANSEN = "0999100000000003"  # De Punt, Vennweg 7, Logistiek Jansen
PASSWORD = "correct paard batterij nietje"
REFUSED = "niet beschikbaar voor uw rol"


@pytest.fixture(scope="module")
def buildings():
    return kk.analyse(kk.load_terrain(TERRAIN)).buildings


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'rollen.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    opened = store.Store(url)
    yield opened
    opened.close()


@pytest.fixture
def configured(db):
    access.set_password(db, "beheer", PASSWORD)
    return db


def open_app(page: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(params)
    if page:
        at.switch_page(f"pages/{page}")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def go(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"pages/{page}").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def errors(at: AppTest) -> str:
    return " ".join(e.value for e in at.error)


def all_text(at: AppTest) -> str:
    parts = []
    for kind in ("markdown", "caption", "subheader", "title", "info", "warning"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [str(e.value) for e in at.get("code")]
    return " ".join(parts)


def company(buildings, building_id: str) -> str:
    return str(buildings.set_index("building_id").loc[building_id, "company"])


def stranger(buildings) -> str:
    """A building of De Punt without consent, other than Jansen's."""
    b = buildings[~privacy.consented(buildings)]
    return next(str(i) for i in b["building_id"] if str(i) != JANSEN)


# --- demo mode ------------------------------------------------------------------


def test_demo_mode_runs_as_beheerder_and_says_so(db):
    at = open_app()
    banner = " ".join(w.value for w in at.sidebar.warning)
    assert "Demomodus" in banner and "beheerder" in banner
    assert at.session_state[state.VIEWER_KEY].role == privacy.BEHEERDER
    assert at.sidebar.get("file_uploader"), "the beheerder loads terrains"
    for page in ("2_data_laden.py", "beheer.py"):
        go(at, page)
        assert REFUSED not in errors(at)
    assert at.title[0].value == "Toegang en links"


# --- a configured deployment ------------------------------------------------------


def test_a_database_fault_never_gives_demo_access(tmp_path, monkeypatch):
    broken = tmp_path / "kapot.sqlite"
    broken.write_bytes(b"dit is geen database" * 100)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{broken}")
    at = open_app()
    assert at.session_state[state.VIEWER_KEY].role == privacy.PUBLIEK
    assert "kapot.sqlite" in " ".join(w.value for w in at.sidebar.warning)
    assert not any("Demomodus" in w.value for w in at.sidebar.warning)


def test_configured_without_login_shows_only_public_pages(configured):
    at = open_app()
    assert not any("Demomodus" in w.value for w in at.sidebar.warning)
    assert at.session_state[state.VIEWER_KEY].role == privacy.PUBLIEK
    assert not at.sidebar.get("file_uploader"), "no loading data without login"
    for entry in shell.PAGES:
        go(at, entry.file)
        if entry.file in app_access.PUBLIC_PAGES:
            assert REFUSED not in errors(at), entry.file
        else:
            assert REFUSED in errors(at), entry.file
            assert not at.title, f"{entry.file} shows nothing"


def test_public_pages_show_the_public_variant_whatever_the_link_says(configured):
    at = open_app("3_kansenlijsten.py", variant="intern")
    assert at.session_state[state.KL_VARIANT_KEY] == privacy.OPENBAAR
    at = open_app("3_kansenkaart.py", variant="intern", presentatie="uit")
    assert at.session_state[state.KK_VARIANT_KEY] == privacy.OPENBAAR
    assert at.session_state["kk" + state.PRIVATE_SUFFIX] is True


def login(at: AppTest, name: str, password: str) -> AppTest:
    at.sidebar.text_input[0].input(name)
    at.sidebar.text_input[1].input(password)
    next(b for b in at.sidebar.button if b.label == "Inloggen").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_local_beheerder_logs_in_with_argon2_password(configured):
    at = login(open_app(), "beheer", PASSWORD + "!")
    assert "klopt niet" in " ".join(e.value for e in at.sidebar.error)
    assert at.session_state[state.VIEWER_KEY].role == privacy.PUBLIEK
    at = login(at, "beheer", PASSWORD)
    assert at.session_state[state.VIEWER_KEY].role == privacy.BEHEERDER
    assert "Ingelogd als **beheer**" in " ".join(c.value for c in at.sidebar.caption)
    go(at, "2_data_laden.py")
    assert REFUSED not in errors(at)
    log = access.audit(configured)
    assert log["Wat"].tolist()[:2] == ["ingelogd", "inloggen mislukt"]
    assert not log.apply(lambda c: c.str.contains("paard")).any().any()


def test_failed_local_logins_are_limited(configured):
    at = open_app()
    for _ in range(access.MAX_FAILED_LOGINS):
        at = login(at, "slot", "fout wachtwoord 123")
    access.set_password(configured, "slot", PASSWORD)
    at = login(at, "slot", PASSWORD)  # right, but too late
    assert "Te veel mislukte pogingen" in " ".join(e.value for e in at.sidebar.error)
    assert at.session_state[state.VIEWER_KEY].role == privacy.PUBLIEK


def test_identity_provider_user_gets_the_role_of_the_configuration(db, buildings):
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback"}
    at.secrets["rollen"] = {"Anna@Assen.nl": "begeleider"}
    at.user = {"is_logged_in": True, "email": "anna@assen.nl"}
    other = stranger(buildings)
    at.switch_page("pages/3_mijn_pand.py")
    at.query_params["pand"] = other
    at.run()
    assert at.session_state[state.VIEWER_KEY].role == privacy.BEGELEIDER
    # Mijn pand of a company without consent: public facts, no PDF.
    assert at.get("download_button")[0].disabled
    assert "geen toestemming" in " ".join(i.value for i in at.info)
    go(at, "4_werksessie.py")
    assert REFUSED not in errors(at)
    go(at, "2_data_laden.py")
    assert REFUSED in errors(at)


# --- personal links -----------------------------------------------------------------


def test_personal_link_shows_that_company_only(db, buildings):
    token, _ = access.create_link(db, TERRAIN, JANSEN, user="Anna", company="x")
    at = open_app("3_mijn_pand.py", sleutel=token)
    viewer = at.session_state[state.VIEWER_KEY]
    assert (viewer.role, viewer.building_id) == (privacy.ONDERNEMER, JANSEN)
    assert at.subheader[-1].value == company(buildings, JANSEN)
    assert not at.get("download_button")[0].disabled, "its own PDF"
    assert not at.sidebar.selectbox, "no terrain picker with a link"
    assert at.query_params["sleutel"] == token, "a reload keeps the link"
    go(at, "3_kansenkaart.py")
    assert REFUSED in errors(at) and "Mijn pand" in errors(at)


def test_another_building_in_the_url_shows_nothing_of_it(db, buildings):
    token, _ = access.create_link(db, TERRAIN, JANSEN, user="Anna")
    other = stranger(buildings)
    at = open_app("3_mijn_pand.py", sleutel=token, pand=other)
    assert at.subheader[-1].value == company(buildings, JANSEN)
    text = all_text(at)
    assert company(buildings, other) not in text
    address = str(buildings.set_index("building_id").loc[other, "address"])
    assert address not in text and other not in text


def test_a_revoked_link_is_refused_in_dutch(db, buildings):
    token, link = access.create_link(db, TERRAIN, JANSEN, user="Anna")
    at = open_app("3_mijn_pand.py", sleutel=token)
    assert at.subheader[-1].value == company(buildings, JANSEN)
    access.revoke_link(db, link.id, user="Anna")
    at.run()  # the same session, after the revocation
    assert "ingetrokken" in errors(at)
    assert not at.subheader and not at.title, "shows nothing"
    at = open_app("3_mijn_pand.py", sleutel=token)  # a reload
    assert "ingetrokken" in errors(at) and not at.subheader


def test_an_expired_link_is_refused_in_dutch(db):
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
    token, _ = access.create_link(
        db, TERRAIN, JANSEN, user="Anna", days=7, now=long_ago
    )
    at = open_app("3_mijn_pand.py", sleutel=token)
    assert "verlopen" in errors(at) and not at.subheader


def test_consent_given_and_withdrawn_shows_in_the_audit_log(db):
    token, _ = access.create_link(db, TERRAIN, JANSEN, user="Anna", company="Jansen")
    at = open_app("3_mijn_pand.py", sleutel=token)
    key = f"mp_consent|{TERRAIN}|{JANSEN}|werksessie"
    assert at.button(key=key).label == "Toestemming geven"
    at.button(key=key).click().run()
    assert at.button(key=key).label == "Toestemming intrekken"
    assert "gegeven op" in " ".join(c.value for c in at.caption)
    # the analysis counts the recorded consent instead of the survey's answer
    assert access.recorded_consents(db, TERRAIN) == {JANSEN: True}
    at.button(key=key).click().run()
    assert access.consents(db, TERRAIN, JANSEN)["werksessie"].given is False
    beheer = open_app("beheer.py")  # demo mode: the beheerder
    log = beheer.dataframe[-1].value
    mine = log[log["Pand"] == JANSEN]
    assert mine["Wat"].tolist()[:3] == [
        "toestemming ingetrokken",
        "toestemming gegeven",
        "ingelogd met persoonlijke link",
    ]
    assert set(mine["Wie"][:2]) == {"Jansen"}


def test_beheerder_makes_a_link_with_a_qr_code(db, buildings):
    at = open_app("beheer.py")
    at.selectbox(key="beheer_building").set_value(JANSEN).run()
    next(b for b in at.button if b.label == "Link maken").click().run()
    url = at.get("code")[0].value
    assert "/mijn_pand?sleutel=" in url
    token = url.split("sleutel=")[1]
    assert access.open_link(db, token).building_id == JANSEN
    assert at.get("imgs") or at.get("image"), "the QR code is shown"
    assert [k.building_id for k in access.links(db, TERRAIN)] == [JANSEN]
