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

import contextvars
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from appui import state, ui

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
    """

    file: str
    title: str
    icon: str
    section: str
    steps: tuple[int, ...] = ()

    @property
    def path(self) -> Path:
        return PAGES_DIR / self.file


HOME = "home.py"
# Pages grouped by the Leidraad's five steps, in menu order.
PAGES = (
    PageEntry(HOME, "Start", ":material/home:", "Start"),
    PageEntry(
        "1_beginsituatie.py",
        "Gegevens en datakwaliteit",
        ":material/table_chart:",
        "1–2 · Beginsituatie",
        (1, 2),
    ),
    PageEntry(
        "2_huidige_situatie.py",
        "Huidige situatie",
        ":material/map:",
        "1–2 · Beginsituatie",
        (2,),
    ),
    PageEntry(
        "2_netcapaciteit.py",
        "Netcapaciteit & infrastructuur",
        ":material/bolt:",
        "1–2 · Beginsituatie",
        (2,),
    ),
    PageEntry(
        "2_data_laden.py",
        "Data laden",
        ":material/upload_file:",
        "1–2 · Beginsituatie",
        (2,),
    ),
    PageEntry(
        "3_kansenkaart.py",
        "Kansenkaart",
        ":material/lightbulb:",
        "3 · Kansen identificeren",
        (3,),
    ),
    PageEntry(
        "3_mijn_pand.py",
        "Mijn pand",
        ":material/storefront:",
        "3 · Kansen identificeren",
        (3,),
    ),
    PageEntry(
        "3_energiebalans.py",
        "Energiebalans 2035",
        ":material/balance:",
        "3 · Kansen identificeren",
        (3,),
    ),
    PageEntry(
        "3_kansenlijsten.py",
        "Kansenlijsten",
        ":material/list_alt:",
        "3 · Kansen identificeren",
        (3,),
    ),
    PageEntry(
        "4_werksessie.py",
        "Werksessie",
        ":material/co_present:",
        "4–5 · Werkgroepen en monitoring",
        (4,),
    ),
    PageEntry(
        "4_werkgroepen.py",
        "Werkgroepen & voortgang",
        ":material/groups:",
        "4–5 · Werkgroepen en monitoring",
        (4, 5),
    ),
    PageEntry("aannames.py", "Aannames", ":material/tune:", "Instellingen"),
)

_IN_SHELL: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "kansenkaart_in_shell", default=False
)


def navigation() -> dict[str, list]:
    """The ``st.navigation`` menu: section -> pages."""
    menu: dict[str, list] = {}
    for entry in PAGES:
        page = st.Page(
            entry.path, title=entry.title, icon=entry.icon, default=entry.file == HOME
        )
        menu.setdefault(entry.section, []).append(page)
    return menu


def pages_for_step(number: int) -> list[PageEntry]:
    """Pages that support Leidraad step ``number`` (start page excluded)."""
    return [p for p in PAGES if number in p.steps]


def sidebar() -> None:
    """Terrain picker and terrain upload, above the menu."""
    with st.sidebar:
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
    st.html(ui.DUTCH_WIDGETS_CSS)
    sidebar()
    page = st.navigation(navigation())
    token = _IN_SHELL.set(True)
    try:
        page.run()
    finally:
        _IN_SHELL.reset(token)


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
