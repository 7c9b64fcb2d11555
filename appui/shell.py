"""The app shell: page config, sidebar, and the menu of pages per Leidraad step.

``app.py`` runs :func:`run`. Every page module under ``pages/`` starts with
:func:`frame`, which does nothing when the shell runs the page — and runs the
shell around the page when Streamlit serves the page on its own.

Why a page can be served on its own: while no session of the server process
has called ``st.navigation`` yet, Streamlit 1.x treats an app with a
``pages/`` folder next to its entry point as a legacy multipage app
(``PagesManager.uses_pages_directory``; ``_mpa_v1`` in its script runner). The
first request after a server start is then routed by file name: a deep link
``/kansenkaart`` runs the file in ``pages/`` whose name gives that URL, without
``app.py`` — no sidebar, no sections, no wide layout. A URL without such a
file gets Streamlit's "Page not found" dialog before ``app.py`` runs. So each
page file is named so that both routers give it the same URL (a leading
number, the Leidraad step, is dropped from the URL by both), and
:func:`frame` nests the shell's ``st.navigation`` inside that first run: it
resolves the same URL to the same file and runs it within the sidebar and the
wide layout. One script run, no redirect, no session state.
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib
import time
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from appui import access, guard, state, ui
from kansenkaart.core.leidraad import STEPS
from kansenkaart.engine import privacy

ROOT = Path(__file__).resolve().parents[1]
PAGES_DIR = ROOT / "pages"


@dataclass(frozen=True)
class PageEntry:
    """One page of the menu.

    Attributes
    ----------
    file : str
        File under ``pages/``. Streamlit derives the URL from it (a leading
        number and underscore are dropped: ``3_kansenkaart.py`` ->
        ``/kansenkaart``).
    title, icon : str
        As shown in the menu.
    section : str
        Menu section.
    steps : tuple of int
        Leidraad steps the page supports (links on the start page).
    purpose : str
        What the page is for, the start of :attr:`intro`.
    """

    file: str
    title: str
    icon: str
    section: str
    steps: tuple[int, ...] = ()
    purpose: str = ""

    @property
    def path(self) -> Path:
        return PAGES_DIR / self.file

    @property
    def intro(self) -> str:
        """The sentence a page starts with: what it is for and which Leidraad
        steps it serves (:data:`kansenkaart.core.leidraad.STEPS`)."""
        titles = {s.number: s.title.lower() for s in STEPS}
        if not self.steps:  # start page and settings: every step
            return f"{self.purpose}."
        numbers = " en ".join(str(n) for n in self.steps)
        kind = "stap" if len(self.steps) == 1 else "stappen"
        what = "; ".join(titles[n] for n in self.steps)
        return f"{self.purpose}: Leidraad-{kind} {numbers} ({what})."


HOME = "home.py"
# Pages grouped by the Leidraad's five steps, in menu order.
PAGES = (
    PageEntry(
        HOME,
        "Start",
        ":material/home:",
        "Start",
        purpose=(
            "Samen met ondernemers de kansen voor de energietransitie op een "
            "bedrijventerrein vinden, volgens de *Leidraad energietransitie op "
            "bedrijventerreinen* van de provincie Drenthe: van beginsituatie "
            "tot werkgroepen per maatregel (Leidraad-stappen 1 tot en met 5)"
        ),
    ),
    PageEntry(
        "1_provincie.py",
        "Provincie-overzicht",
        ":material/travel_explore:",
        "1–2 · Beginsituatie",
        (1,),
        purpose=(
            "Alle bedrijventerreinen van een provincie op één kaart verkennen, "
            "gekleurd naar zonpotentieel, besparingsplicht, netcapaciteit of "
            "voortgang van de werkgroepen, en een terrein openen"
        ),
    ),
    PageEntry(
        "1_beginsituatie.py",
        "Gegevens en datakwaliteit",
        ":material/table_chart:",
        "1–2 · Beginsituatie",
        (1, 2),
        purpose="Zien welke gegevens er per pand zijn en hoe volledig ze zijn",
    ),
    PageEntry(
        "2_huidige_situatie.py",
        "Huidige situatie",
        ":material/map:",
        "1–2 · Beginsituatie",
        (2,),
        purpose=(
            "De panden op de kaart, gekleurd naar energiegebruik, label, zon of "
            "een ander thema"
        ),
    ),
    PageEntry(
        "2_netcapaciteit.py",
        "Netcapaciteit & infrastructuur",
        ":material/bolt:",
        "1–2 · Beginsituatie",
        (2,),
        purpose=(
            "Zien hoeveel ruimte het stroomnet biedt voor afname en "
            "teruglevering, en welke projecten het net uitbreiden"
        ),
    ),
    PageEntry(
        "2_data_laden.py",
        "Data laden",
        ":material/upload_file:",
        "1–2 · Beginsituatie",
        (2,),
        purpose=(
            "Een eigen terrein opbouwen uit de adressenlijst van de gemeente, "
            "openbare gegevens en de enquête"
        ),
    ),
    PageEntry(
        "3_kansenkaart.py",
        "Kansenkaart",
        ":material/lightbulb:",
        "3 · Kansen identificeren",
        (3,),
        purpose=(
            "Op de kaart zien welke maatregelen per pand en samen met buren "
            "kansrijk zijn"
        ),
    ),
    PageEntry(
        "3_mijn_pand.py",
        "Mijn pand",
        ":material/storefront:",
        "3 · Kansen identificeren",
        (3,),
        purpose=(
            "Als ondernemer zien wat uw eigen pand kan, gerekend met uw eigen cijfers"
        ),
    ),
    PageEntry(
        "3_energiebalans.py",
        "Energiebalans 2035",
        ":material/balance:",
        "3 · Kansen identificeren",
        (3,),
        purpose=(
            "Zien hoe ver het terrein is op weg naar energieneutraal in 2035 en "
            "wat er nog nodig is"
        ),
    ),
    PageEntry(
        "3_energiehub.py",
        "Energiehub",
        ":material/hub:",
        "3 · Kansen identificeren",
        (3, 4),
        purpose=(
            "Per kwartier doorrekenen wat een energiehub of gedeelde batterij "
            "de bedrijven in een groep oplevert"
        ),
    ),
    PageEntry(
        "3_kansenlijsten.py",
        "Kansenlijsten",
        ":material/list_alt:",
        "3 · Kansen identificeren",
        (3,),
        purpose=(
            "Alle kansen per bedrijf en per maatregel op een rij, om te "
            "filteren en te downloaden"
        ),
    ),
    PageEntry(
        "4_werksessie.py",
        "Werksessie",
        ":material/co_present:",
        "4–5 · Werkgroepen en monitoring",
        (4,),
        purpose=(
            "De kansen op de muur laten zien in een werksessie en vastleggen "
            "wie waarin interesse heeft"
        ),
    ),
    PageEntry(
        "4_werkgroepen.py",
        "Werkgroepen & voortgang",
        ":material/groups:",
        "4–5 · Werkgroepen en monitoring",
        (4, 5),
        purpose=(
            "Per maatregel de werkgroep volgen, van uitvoeringsplan en "
            "intentieverklaringen tot monitoring"
        ),
    ),
    PageEntry(
        "aannames.py",
        "Aannames",
        ":material/tune:",
        "Instellingen",
        purpose=(
            "De aannames waarmee alle kansen en de energiebalans rekenen, met hun "
            "bron, aan te passen; ze gelden bij alle stappen van de Leidraad"
        ),
    ),
    PageEntry(
        access.BEHEER_PAGE,
        "Toegang en links",
        ":material/key:",
        "Instellingen",
        purpose=(
            "Persoonlijke links en QR-codes maken en intrekken waarmee "
            "ondernemers in de werksessie van de Leidraad hun eigen pand zien, en "
            "in het auditlog zien wie wat deed"
        ),
    ),
)

# Streamlit's built-in widgets speak English ("Select all", "No results",
# "Press Enter to apply", "Drag and drop a file here", "200MB per file",
# "Running...") and have no setting for another language. This script swaps
# those texts for Dutch ones as Streamlit draws them (texts, placeholders,
# labels for screen readers), also texts with a number in them (file sizes as
# "1,2 kB"); CSS cannot change placeholders or texts with a number. With it
# history.js: one browser history entry per page (back goes to the page
# before). Both run once per browser tab.
TAB_JS = "".join(
    "<script>" + (ROOT / "appui" / name).read_text("utf-8") + "</script>"
    for name in ("dutch_widgets.js", "history.js")
)

_IN_SHELL: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "kansenkaart_in_shell", default=False
)


def navigation(role: str = privacy.BEHEERDER) -> dict[str, list]:
    """The ``st.navigation`` menu: section -> pages. Pages ``role`` may not
    open are hidden from the menu; their URL leads to :func:`run`'s refusal."""
    menu: dict[str, list] = {}
    for entry in PAGES:
        page = st.Page(
            entry.path,
            title=entry.title,
            icon=entry.icon,
            default=entry.file == HOME,
            visibility="visible" if access.allowed(role, entry.file) else "hidden",
        )
        menu.setdefault(entry.section, []).append(page)
    return menu


def pages_for_step(number: int) -> list[PageEntry]:
    """Pages that support Leidraad step ``number`` (start page excluded) and
    that the viewer may open."""
    role = access.current().role
    return [p for p in PAGES if number in p.steps and access.allowed(role, p.file)]


def sidebar(viewer: access.Viewer) -> None:
    """Terrain picker and terrain upload, above the menu."""
    with st.sidebar:
        if viewer.role == privacy.ONDERNEMER:  # a personal link: one terrain
            return
        options = state.terrain_options()
        state.sync_picker(options)
        st.selectbox(
            "Bedrijventerrein",
            list(options),
            key=state.PICKER_KEY,
            on_change=state.on_pick,
            format_func=options.get,
            help="Kies een demoterrein of laad hieronder uw eigen terrein.",
        )
        if viewer.role != privacy.BEHEERDER:  # loading data is the beheerder's
            return
        with st.expander("Eigen terrein laden (.zip)"):
            st.file_uploader(
                "Terreinbestand",
                type=["zip"],
                key=state.UPLOAD_WIDGET_KEY,
                on_change=state.on_upload,
                args=(state.UPLOAD_WIDGET_KEY,),
                help="Een zip met buildings.geojson (of .gpkg/.csv/.xlsx) en "
                "eventueel survey, sources, grid, projects, boundary en "
                "terrain.json.",
            )
            feedback = state.upload_feedback()
            if feedback:
                name, error = feedback
                ui.load_outcome(name, error, "het vorige terrein blijft getoond")


def run() -> None:
    """The app: page config, sidebar, menu, and the page the URL asks for."""
    st.set_page_config(
        page_title="Kansenkaart bedrijventerreinen",
        page_icon=":material/map:",
        layout="wide",
    )
    notices: list[str] = []
    # Least access until the login is known (a database fault keeps it so).
    viewer: access.Viewer | str = access.Viewer(privacy.PUBLIEK, "", "anoniem")
    with guard.page_guard("zijbalk"):
        notices = state.read_url(None)  # the terrain, before the picker shows it
        viewer = access.resolve()  # the login, or the personal link of the URL
        if not isinstance(viewer, str):
            sidebar(viewer)
    if isinstance(viewer, str):  # a personal link that opens nothing: say why
        st.navigation(navigation(privacy.PUBLIEK), position="hidden")
        st.error(viewer, icon=":material/link_off:")
        st.stop()
    with st.sidebar:  # an element of no height; the script acts on the whole tab
        st.html(TAB_JS, unsafe_allow_javascript=True)
    # Every page in the menu: no English "View 3 more" fold.
    page = st.navigation(navigation(viewer.role), expanded=True)
    # After st.navigation: the login form keeps its widget ids from the first run.
    with guard.page_guard("inloggen"), st.sidebar:
        access.sidebar_box(viewer)
    # Everything of the page, the URL's part included, inside the guard: an
    # error shows a Dutch message, never a traceback (appui/guard.py).
    with guard.page_guard(page.title):
        entry = next(e for e in PAGES if e.title == page.title)
        if not access.allowed(viewer.role, entry.file):
            own = next(e for e in PAGES if access.allowed(viewer.role, e.file))
            if entry.file == HOME and viewer.role == privacy.ONDERNEMER:
                st.switch_page(own.path)  # a personal link at the start: Mijn pand
            st.error(access.refusal(viewer.role), icon=":material/lock:")
            st.page_link(own.path, label=f"Naar {own.title}", icon=own.icon)
            st.stop()
        notices += state.read_url(page.url_path)
        if viewer.role != privacy.BEHEERDER:
            state.enforce_public_view()  # after the URL: no link opens more
        for notice in notices:
            st.warning(ui.markdown_text(notice), icon=":material/link_off:")
        # The URL gets what the link and the widgets set before the page runs (a
        # page's st.stop() ends the run for good), and what the page chose itself.
        state.write_url(page.url_path)
        token = _IN_SHELL.set(True)
        intro = ui.PAGE_INTRO.set(entry.intro)
        try:
            page.run()
        finally:
            ui.PAGE_INTRO.reset(intro)
            _IN_SHELL.reset(token)
        state.write_url(page.url_path)


PRELOAD = ("folium.plugins",)
"""Modules the map pages import (≈ 0,3 s), imported at server start. Not
``streamlit_folium`` itself: a component declared before Streamlit's runtime
runs is not served (its map stays empty, 404)."""


@contextlib.asynccontextmanager
async def prepare(_app):
    """The server's lifespan (``app.py``): before it takes its first request,
    import what the pages need and load and analyse the default terrain
    (:func:`appui.state.prepare`), so the first page view after a server start
    does not wait seconds for them (issue 18). A failure is logged and leaves
    the work to the first page view, whose guard says what went wrong."""
    start = time.perf_counter()
    try:
        for module in PRELOAD:
            importlib.import_module(module)
        state.prepare()
    except Exception:  # the server starts anyway
        guard.LOG.exception("Voorbereiden bij de serverstart mislukt")
    else:
        guard.LOG.info("Voorbereid in %.1f s", time.perf_counter() - start)
    yield


def frame() -> None:
    """Put the page inside the app; first statement of every page module.

    Within :func:`run` this does nothing. When Streamlit's legacy ``pages/``
    routing runs the page file on its own (the first request after a server
    start is a deep link; see the module docstring), it runs the shell, which
    runs this page inside it, and then ends the outer run.
    """
    if not _IN_SHELL.get():
        run()
        st.stop()
