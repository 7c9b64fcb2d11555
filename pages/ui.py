"""Shared page helpers: terrain state, cached loading, banners.

Pages stay thin: they call these helpers for the current terrain and the
library for everything else. Caches are keyed by small strings (terrain key,
upload hash), never by a GeoDataFrame.
"""

from __future__ import annotations

import hashlib

import streamlit as st

import kansenkaart as kk
from kansenkaart.core.assumptions import SETS, Assumptions
from kansenkaart.io.readers import demo_terrain_names, read_terrain_zip

DEFAULT_TERRAIN = "demo:de-punt"
TERRAIN_KEY = "terrain_key"
PICKER_KEY = "terrain_picker"
_UPLOADS = "uploads"
_FEEDBACK = "upload_feedback"
SHELL_KEY = "_shell_ran"
RETURN_KEY = "_return_to"
SET_KEY = "assumption_set"
OVERRIDES_KEY = "assumption_overrides"


@st.cache_resource(max_entries=8, show_spinner="Terrein laden…")
def _load(key: str, _data: bytes | None = None, _name: str = "") -> kk.Terrain:
    if key.startswith("upload:"):
        return read_terrain_zip(_data, _name)
    return kk.load_terrain(key)


@st.cache_resource(max_entries=16, show_spinner="Kansen berekenen…")
def _analyse(key: str, assumptions_key: tuple, _terrain: kk.Terrain, _a: Assumptions):
    return kk.analyse(_terrain, _a)


def terrain_key() -> str:
    """Key of the terrain shown: ``demo:<id>`` or ``upload:<sha256>``."""
    return st.session_state.get(TERRAIN_KEY, DEFAULT_TERRAIN)


# Streamlit's file uploader has fixed English texts ("Upload", "200MB per
# file"); the app speaks Dutch, so CSS swaps them for Dutch ones.
DUTCH_WIDGETS_CSS = """<style>
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] p {
  font-size: 0;
}
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] p::after {
  content: "Bestand kiezen";
  font-size: 0.875rem;
}
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after {
  content: "max. 200 MB per bestand";
  font-size: 0.8rem;
}
</style>"""


def ensure_shell() -> None:
    """Send a page that runs without app.py back through it.

    Right after a server start, Streamlit serves a deep link (``/kansenkaart``)
    from the ``pages/`` folder without the entry point until some session has
    run ``st.navigation``; the page would miss the sidebar and the wide layout.
    """
    if not st.session_state.get(SHELL_KEY):
        url = st.context.url or ""
        st.session_state[RETURN_KEY] = url.rstrip("/").rsplit("/", 1)[-1]
        st.switch_page("app.py")


def current_terrain() -> kk.Terrain:
    """The terrain picked in the sidebar (loaded once per key)."""
    ensure_shell()
    key = terrain_key()
    if key.startswith("upload:"):
        name, data = st.session_state[_UPLOADS][key]
        return _load(key, data, name)
    return _load(key)


def assumptions_key() -> tuple:
    """Small hashable key of the assumptions in use (set + overrides)."""
    overrides = st.session_state.get(OVERRIDES_KEY, {})
    return (
        st.session_state.get(SET_KEY, "standaard"),
        tuple(sorted(overrides.items())),
    )


def current_assumptions() -> Assumptions:
    """The assumption set chosen on the Aannames page, with the user's changes."""
    name, overrides = assumptions_key()
    return SETS[name].replace(**dict(overrides)) if overrides else SETS[name]


def current_analysis():
    """``kk.analyse`` of the current terrain with the current assumptions."""
    return _analyse(
        terrain_key(), assumptions_key(), current_terrain(), current_assumptions()
    )


def terrain_options() -> dict[str, str]:
    """Choices for the picker: key -> Dutch label."""
    options = {
        f"demo:{tid}": f"{name} — demo" for tid, name in demo_terrain_names().items()
    }
    for key, (name, _) in st.session_state.get(_UPLOADS, {}).items():
        options[key] = f"Eigen terrein: {name}"
    return options


def try_upload(name: str, data: bytes) -> str | None:
    """Load an uploaded terrain zip; on success make it current.

    Returns the Dutch error message when loading fails; the terrain shown
    before stays selected, so nothing is lost.
    """
    key = "upload:" + hashlib.sha256(data).hexdigest()[:16]
    try:
        _load(key, data, name)
    except kk.DataError as exc:
        return str(exc)
    st.session_state.setdefault(_UPLOADS, {})[key] = (name, data)
    select_terrain(key)
    return None


def on_upload(widget_key: str) -> None:
    """File-uploader callback: load once per new file, remember the outcome."""
    upload = st.session_state.get(widget_key)
    if upload is None:
        return
    error = try_upload(upload.name, upload.getvalue())
    st.session_state[_FEEDBACK] = (upload.name, error)


def upload_feedback() -> None:
    """Show the outcome of the last upload (kept until the next one)."""
    if _FEEDBACK not in st.session_state:
        return
    name, error = st.session_state[_FEEDBACK]
    if error:
        st.error(
            f"'{name}' is niet geladen; het vorige terrein blijft getoond.\n\n"
            + error.replace("\n", "\n\n"),
            icon=":material/error:",
        )
    else:
        st.success(f"'{name}' is geladen.", icon=":material/check:")


def select_terrain(key: str) -> None:
    """Make ``key`` the current terrain (call before the picker is drawn or
    from a callback)."""
    st.session_state[TERRAIN_KEY] = key
    st.session_state[PICKER_KEY] = key


def on_pick() -> None:
    """Picker callback: remember the chosen terrain outside the widget."""
    st.session_state[TERRAIN_KEY] = st.session_state[PICKER_KEY]


def demo_banner(terrain: kk.Terrain) -> None:
    """Say plainly that demo data is fictitious."""
    if terrain.is_demo:
        st.warning(
            "**Demodata – fictief.** Dit terrein is verzonnen om de werkwijze te "
            "laten zien: gebouwen, bedrijven, verbruik en enquêteantwoorden "
            "bestaan niet echt. Alleen de pMIEK-infrastructuurprojecten komen "
            "uit de Uitvoeringsagenda pMIEK van de provincie Drenthe.",
            icon=":material/science:",
        )


def page_header(title: str, step: str, terrain: kk.Terrain) -> None:
    """Title, Leidraad step and terrain name above every page."""
    st.title(title)
    st.caption(f"{step} · {terrain.name}")
    demo_banner(terrain)
