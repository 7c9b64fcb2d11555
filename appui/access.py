"""Who is looking: demo mode, login, roles and the companies' personal links.

The configuration decides the mode:

- **Demo mode** — nothing configured (no ``[auth]`` section in
  ``.streamlit/secrets.toml`` and no local account in the database): the app
  runs without any setup, as *beheerder*, and says so in the sidebar.
- **Configured** — with an identity provider (``st.login``, OIDC; the role of
  each e-mail address in ``[rollen]`` of the secrets) and/or a local
  beheerder account (``python -m kansenkaart beheerder --wachtwoord``). A
  visitor who has not logged in is *publiek* and sees only the public pages
  (:data:`PUBLIC_PAGES`), the demo terrains and the public variant.

A personal link (``?sleutel=<token>``, made on *Toegang en links*) logs in as
*ondernemer* of one building in any mode; it is checked on every run, so a
revoked or expired link stops at once. What each role may see of a building
is :mod:`kansenkaart.engine.privacy`; which pages it gets is
:func:`allowed`. The example configuration: ``docs/secrets.toml.example``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import streamlit as st

from appui import state
from kansenkaart.core.errors import DataError
from kansenkaart.core.limits import USER_CHARS
from kansenkaart.engine import privacy
from kansenkaart.records import access as records_access

BEHEER_PAGE = "beheer.py"
PUBLIC_PAGES = frozenset(
    {"home.py", "2_netcapaciteit.py", "3_kansenkaart.py", "3_kansenlijsten.py"}
)
"""Pages of *publiek*: public data, or the public variant of the opportunities."""
BEHEERDER_PAGES = frozenset(
    {"1_beginsituatie.py", "2_data_laden.py", "3_energiehub.py", BEHEER_PAGE}
)
"""Pages only the beheerder gets: loading data, data quality per building,
meter data per company (the energy hub), access management."""
ONDERNEMER_PAGES = frozenset({"3_mijn_pand.py"})
"""The page of a personal link."""


@dataclass(frozen=True)
class Viewer:
    """Who is looking in this session.

    Attributes
    ----------
    role : str
        One of :data:`kansenkaart.engine.privacy.ROLES`.
    who : str
        Name or e-mail address (a company's name for a personal link); goes
        into the audit log.
    how : {"demo", "oidc", "lokaal", "link", "anoniem"}
    building_id, terrain_key : str, optional
        The building and terrain of a personal link.
    """

    role: str
    who: str
    how: str
    building_id: str | None = None
    terrain_key: str | None = None


def allowed(role: str, page_file: str) -> bool:
    """Whether ``role`` may open the page in ``pages/<page_file>``."""
    if role == privacy.BEHEERDER:
        return True
    if role == privacy.BEGELEIDER:
        return page_file not in BEHEERDER_PAGES
    if role == privacy.ONDERNEMER:
        return page_file in ONDERNEMER_PAGES
    return page_file in PUBLIC_PAGES


def refusal(role: str) -> str:
    """Dutch: why a page the role may not open shows nothing."""
    return f"Deze pagina is niet beschikbaar voor uw rol (*{role}*). " + (
        "Met uw persoonlijke link ziet u alleen *Mijn pand* van uw eigen pand."
        if role == privacy.ONDERNEMER
        else "Log in met een account dat deze pagina mag zien, of kies links "
        "een andere pagina."
    )


def _secrets(name: str) -> Mapping:
    """A section of ``.streamlit/secrets.toml`` ({} without the file or section)."""
    try:
        section = st.secrets.get(name)
    except FileNotFoundError:  # no secrets file at all (StreamlitSecretNotFound…)
        return {}
    return section if isinstance(section, Mapping) else {}


def oidc_configured() -> bool:
    """Whether login with an identity provider is configured (``[auth]``)."""
    return bool(_secrets("auth"))


def _local_account() -> tuple[bool, str | None]:
    """Whether a local account exists, and the Dutch message of a database
    fault; a database that cannot be read counts as having one, so a fault
    never gives more access (demo mode)."""
    try:
        return records_access.has_local_account(state.records_store()), None
    except DataError as exc:
        return True, str(exc)


def configured() -> bool:
    """Whether this deployment is configured for login (else: demo mode)."""
    return oidc_configured() or _local_account()[0]


def resolve() -> Viewer | str:
    """The viewer of this run, kept in the session for the pages; or the Dutch
    message why the personal link in the URL opens nothing."""
    token = state.get(state.LINK_TOKEN_KEY)
    if token:
        viewer = _link_viewer(token)
    elif state.get(state.LOGIN_KEY) is not None:
        viewer = state.get(state.LOGIN_KEY)
    elif oidc_configured() and st.user.get("is_logged_in", False):
        email = st.user.get("email")
        role = records_access.role_for_email(email, _secrets("rollen"))
        viewer = Viewer(role, str(email or "")[:USER_CHARS], "oidc")
    elif not configured():
        viewer = Viewer(privacy.BEHEERDER, "demo", "demo")
    else:
        viewer = Viewer(privacy.PUBLIEK, "", "anoniem")
    if isinstance(viewer, str):
        state.pop(state.VIEWER_KEY)
    else:
        state.put(state.VIEWER_KEY, viewer)
    return viewer


def _link_viewer(token: str) -> Viewer | str:
    try:
        db = state.records_store()
        link = records_access.open_link(db, token)
    except (records_access.LinkRefused, DataError) as exc:
        return str(exc)
    if link.terrain_key not in state.terrain_options():
        return (
            "Het terrein van deze persoonlijke link is niet geladen op deze "
            "server. Vraag de gemeente of het parkmanagement het terrein te laden "
            "of u een nieuwe link te sturen."
        )
    if state.get(state.LINK_OPENED_KEY) != token:
        records_access.log_link_opened(db, link)
        state.put(state.LINK_OPENED_KEY, token)
    state.select_terrain(link.terrain_key)
    return Viewer(
        privacy.ONDERNEMER,
        link.company or f"pand {link.building_id}",
        "link",
        link.building_id,
        link.terrain_key,
    )


def current() -> Viewer:
    """The viewer resolved in this run (*publiek* before :func:`resolve`)."""
    return state.get(state.VIEWER_KEY) or Viewer(privacy.PUBLIEK, "", "anoniem")


LINK_PAGE = "mijn_pand"
"""URL path of the page a personal link opens."""


def link_url(token: str) -> str:
    """The personal link of ``token``: the app's address (``adres`` in the
    ``[kansenkaart]`` section of the secrets, else the address this browser
    uses) plus ``/mijn_pand?sleutel=<token>``."""
    base = str(_secrets("kansenkaart").get("adres") or "").rstrip("/")
    if not base:
        parts = urlsplit(st.context.url or "http://localhost:8501/")
        base = f"{parts.scheme}://{parts.netloc}{parts.path.rsplit('/', 1)[0]}"
    return f"{base}/{LINK_PAGE}?{urlencode({'sleutel': token})}"


# --- sidebar --------------------------------------------------------------------


def login_local(user_name: str, password: str) -> str | None:
    """Log in with the local account; the Dutch error, or None when it worked.

    Refused without checking after :data:`records_access.MAX_FAILED_LOGINS`
    failures of that name within :data:`records_access.LOCKOUT_MINUTES`.
    """
    name = (user_name or "").strip()
    limiter = state.failed_logins()
    wait = limiter.wait_minutes(name)
    if wait:
        return (
            f"Te veel mislukte pogingen voor '{name[:40]}'. Probeer het over "
            f"{wait} {'minuut' if wait == 1 else 'minuten'} opnieuw."
        )
    try:
        good = records_access.verify_password(state.records_store(), name, password)
    except DataError as exc:
        return str(exc)
    if not good:
        limiter.failed(name)
        return "Gebruikersnaam of wachtwoord klopt niet."
    limiter.succeeded(name)
    state.put(state.LOGIN_KEY, Viewer(privacy.BEHEERDER, name, "lokaal"))
    return None


def logout(viewer: Viewer) -> None:
    """End the login or the personal link of this session."""
    for key in (state.LOGIN_KEY, state.LINK_TOKEN_KEY, state.LINK_OPENED_KEY):
        state.pop(key)
    if viewer.how == "oidc":
        st.logout()


def sidebar_box(viewer: Viewer) -> None:
    """Who is looking, with login and logout (inside the sidebar)."""
    if viewer.how == "demo":
        st.warning(
            "**Demomodus.** Er is geen inlog ingesteld: u bent *beheerder* en ziet "
            "alles. De demoterreinen zijn fictief. Zet voor echte gegevens "
            "inloggen aan (zie docs/secrets.toml.example).",
            icon=":material/science:",
        )
        return
    if viewer.how == "anoniem":
        st.caption("U ziet de openbare pagina's en de demoterreinen.")
        if oidc_configured() and st.button("Inloggen", icon=":material/login:"):
            st.login()
        exists, problem = _local_account()
        if problem:
            st.warning(problem, icon=":material/database:")
        elif exists:
            with st.expander("Inloggen met lokaal account"):
                _local_login_form()
        return
    st.caption(f"Ingelogd als **{viewer.who}** · rol *{viewer.role}*")
    if st.button("Uitloggen", icon=":material/logout:"):
        logout(viewer)
        st.rerun()


def _local_login_form() -> None:
    with st.form("lokaal_inloggen", clear_on_submit=True, border=False):
        name = st.text_input("Gebruikersnaam", max_chars=USER_CHARS)
        password = st.text_input(
            "Wachtwoord",
            type="password",
            max_chars=records_access.MAX_PASSWORD_CHARS,
        )
        if st.form_submit_button("Inloggen"):
            error = login_local(name, password)
            if error:
                st.error(error, icon=":material/lock:")
            else:
                st.rerun()
