"""App state: the one place with Streamlit caches and session-state keys.

Pages call the accessors below; they do not cache or compute. Everything the
pages show is derived from one :class:`AnalysisKey` — the terrain (id plus
content digest: ``demo:<id>#<digest>`` or ``upload:<sha256>``), the
assumptions (set name plus the user's overrides) and, on *Netcapaciteit*, the
digest of a capacity map loaded in this session — so a changed assumption
reaches every page at once. What-if results of *Mijn pand* add the building
and the entrepreneur's corrections to that key.

Cached functions take small hashable keys; the objects they need are derived
from those keys, or passed with a leading underscore only where the key
already names their content (the terrain of an upload, a loaded grid).

Session-state keys are the constants below (``*_KEY``); widget keys that only
their widget reads may stay literals in the pages.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Callable, MutableMapping
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

import geopandas as gpd
import pandas as pd
import streamlit as st

import kansenkaart as kk
from kansenkaart.core.assumptions import ADJUSTABLE, SETS, Assumptions
from kansenkaart.engine import measures, privacy, search, whatif
from kansenkaart.engine import opportunities as engine
from kansenkaart.io import importer, infra_files, pdok
from kansenkaart.io import provincie as province_io
from kansenkaart.io.readers import demo_digest, demo_terrain_names, read_terrain_zip
from kansenkaart.records import access, database, store
from kansenkaart.records import forms as record_forms
from kansenkaart.views import (
    capacity,
    charts,
    deckdata,
    legend,
    mapdata,
    maps,
    projector,
    ranking,
    selection,
)
from kansenkaart.views import provincie as province_view

DEFAULT_TERRAIN = "demo:de-punt"
DEFAULT_SET = "standaard"
DIGEST_SEPARATOR = "#"

# --- session-state keys ----------------------------------------------------------
# Terrain and assumptions (shared by every page).
TERRAIN_KEY = "terrain_key"
PICKER_KEY = "terrain_picker"
UPLOAD_WIDGET_KEY = "terrain_upload"
UPLOADS_KEY = "uploads"
UPLOAD_FEEDBACK_KEY = "upload_feedback"
SET_KEY = "assumption_set"
OVERRIDES_KEY = "assumption_overrides"
ASSUMPTION_WIDGET_PREFIX = "assumption_"
# Map pages: selected building, map centre and last click per page prefix.
SELECTED_SUFFIX = "_selected"
CENTER_SUFFIX = "_center"
CLICK_SUFFIX = "_click"
# Mijn pand.
MP_SELECTED_KEY = "mp_selected"  # terrain key -> building id
MP_CORRECTIONS_KEY = "mp_corrections"  # (terrain key, building id) -> {field: value}
MP_RESET_KEY = "mp_reset"  # (terrain key, building id) -> widget generation
# Netcapaciteit.
NC_IMPORTS_KEY = "nc_imports"  # terrain -> {"grid"|"projects"|"capaciteitskaart": …}
NC_FEEDBACK_KEY = "nc_import_feedback"
# Energiehub: own meter data per building, and the outcome of the last upload.
HUB_METER_KEY = "hub_meterdata"  # terrain -> {building id: MeterUpload}
HUB_METER_FEEDBACK_KEY = "hub_meter_feedback"  # (file, Dutch error or None)
HUB_METER_WIDGET_KEY = "hub_meter_upload"
# Data laden.
IMPORT_RESULT_KEY = "import_result"
IMPORT_ERROR_KEY = "import_error"
IMPORT_USED_KEY = "import_used"
PDOK_FETCHED_KEY = "pdok_fetched"  # pdok.Fetched of the last good fetch
PDOK_ERROR_KEY = "pdok_error"  # Dutch error of the last failed fetch
# Werksessie and Werkgroepen.
USER_KEY = record_forms.USER_KEY
WS_VIEW_KEY = "ws_view"
WS_MEASURE_KEY = "ws_measure"
WS_BUILDING_KEY = "ws_building"
WG_IMPORTED_KEY = "wg_imported"
PROBLEM_SUFFIX = "_problem"
# Widgets whose value a link carries (see URL_PARAMS at the end of this module).
PRIVATE_SUFFIX = "_private"  # the Presentatiemodus switch of a page prefix
HS_THEME_KEY = "hs_theme"
KK_COLOURING_KEY = "kk_colouring"
KK_SCOPE_KEY = "kk_scope"
KK_VIEW_KEY = "kk_view"
KK_THEME_KEY = "kk_theme"
KK_VARIANT_KEY = "kk_variant"
DECK_SENT_SUFFIX = "_sent"  # geometry a WebGL map was sent: (key, ask)
MAP_KIND_SUFFIX = "_map_kind"  # the Kaart choice (deckdata.MAP_KINDS) of a map page
KL_SCOPE_KEY = "kl_scope"
KL_OBLIGATIONS_KEY = "kl_obligations"
KL_OWNERSHIP_KEY = "kl_ownership"
KL_INTEREST_KEY = "kl_interest"
KL_LABELS_KEY = "kl_labels"
KL_KOPGROEP_KEY = "kl_kopgroep"
KL_VARIANT_KEY = "kl_variant"
KL_METRIC_KEY = "kl_metric"
NC_DIRECTION_KEY = "nc_direction"
WG_MEASURE_KEY = "wg_measure"
WS_PRIVATE_KEY = "ws" + PRIVATE_SUFFIX
URL_SYNCED_KEY = "url_synced"  # query parameter -> text last read or written
PLACES_KEY = "url_places"  # page -> (terrain, the URL texts last written there)
# Lazy tabs (st.tabs with on_change="rerun"): the label of the open tab; only
# the open tab's content is built and sent (issue 18: Plotly charts and data
# grids in hidden tabs held up the browser).
BS_TAB_KEY = "bs_tab"
NC_TAB_KEY = "nc_tab"
KL_TAB_KEY = "kl_tab"
WS_TAB_KEY = "ws_tab"
WG_TAB_KEY = "wg_tab"
# Who is looking (appui/access.py).
VIEWER_KEY = "viewer"  # access.Viewer of this run
LOGIN_KEY = "login"  # access.Viewer after a good local password
LINK_TOKEN_KEY = "link_token"  # the token of the personal link (?sleutel=)
LINK_OPENED_KEY = "link_opened"  # the token whose first opening was handled
NEW_LINK_KEY = "new_link"  # (building id, URL) of the link just made (Toegang)
# Terrain folders on the server (KANSENKAART_TERRAINS), e.g. large ones.
FOLDER_KEY_PREFIX = "map:"  # terrain key of a folder in TERRAINS_ENV
TERRAINS_ENV = "KANSENKAART_TERRAINS"
# Provincie-overzicht.
PARK_KEY_PREFIX = "provincie:"  # terrain key of a generated park of the demo province
PV_SET_KEY = "pv_set"
PV_INDICATOR_KEY = "pv_indicator"
PV_CLICK_KEY = "pv" + CLICK_SUFFIX
PV_MAP_KEY = "pv_map"
PV_TABLE_KEY = "pv_table"


class AnalysisKey(NamedTuple):
    """What an analysis (and everything shown from it) depends on.

    ``terrain`` is the content key (:func:`content_key`: ``demo:<id>#<digest>``
    or ``upload:<sha256>``); ``assumptions`` is
    ``(set name, ((name, value), ...))``; ``grid`` is the digest of a capacity
    map loaded on *Netcapaciteit* (``""``: the terrain's own); ``consent`` the
    consents companies recorded themselves (:func:`recorded_consent`).
    """

    terrain: str
    assumptions: tuple
    grid: str = ""
    consent: tuple | None = ()


@dataclasses.dataclass(frozen=True)
class Imported:
    """A layer loaded on *Netcapaciteit*: file name, content hash, table."""

    name: str
    digest: str
    table: Any
    warnings: tuple[str, ...] = ()


# --- generic session access (keys are the constants above) -------------------------


def get(key: str, default=None):
    """The session value under ``key`` (a constant of this module)."""
    return st.session_state.get(key, default)


def put(key: str, value) -> None:
    """Store ``value`` under ``key`` for this browser session."""
    st.session_state[key] = value


def pop(key: str, default=None):
    """Remove and return the session value under ``key``."""
    return st.session_state.pop(key, default)


def form_state() -> MutableMapping:
    """The session mapping the werksessie form helpers keep typed values in
    (:func:`kansenkaart.records.forms.open_form` and friends)."""
    return st.session_state


# --- terrain -----------------------------------------------------------------------


@st.cache_resource(max_entries=8, show_spinner="Terrein laden…")
def _terrain(key: str, _data: bytes | None = None, _name: str = "") -> kk.Terrain:
    # ``key`` is a content key (:func:`content_key`): id plus content digest.
    if key.startswith("upload:"):
        return read_terrain_zip(_data, _name)
    if key.startswith(FOLDER_KEY_PREFIX):
        return kk.load_terrain(server_terrains()[key.partition(DIGEST_SEPARATOR)[0]])
    if key.startswith(PARK_KEY_PREFIX):  # generated from its recipe (about 0,5 s)
        return province_io.load_park(key.removeprefix(PARK_KEY_PREFIX))
    return kk.load_terrain(key.partition(DIGEST_SEPARATOR)[0])


def terrain_key() -> str:
    """Key of the terrain shown: ``demo:<id>`` or ``upload:<sha256>``."""
    return st.session_state.get(TERRAIN_KEY, DEFAULT_TERRAIN)


def content_key(key: str | None = None) -> str:
    """Cache key of a terrain: its id plus a digest of its content.

    An upload's key already is its content's SHA-256; a demo terrain's files
    are hashed on every run (a few dozen kB), so demo data regenerated while
    the server runs is never served from an old cache.
    """
    key = key or terrain_key()
    if key.startswith("demo:"):
        return f"{key}{DIGEST_SEPARATOR}{demo_digest(key.removeprefix('demo:'))}"
    if key.startswith(FOLDER_KEY_PREFIX):  # large: name, size and time of its files
        files = sorted(server_terrains()[key].iterdir())
        stamp = [(p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files]
        digest = hashlib.sha256(repr(stamp).encode()).hexdigest()[:16]
        return f"{key}{DIGEST_SEPARATOR}{digest}"
    return key


def server_terrains() -> dict[str, Path]:
    """Terrain folders in the folder named by the environment variable
    ``KANSENKAART_TERRAINS`` (one terrain folder each, as written by
    ``python -m kansenkaart demo --buildings 100000 -o <folder>/<name>``), by key
    ``map:<folder name>``. For terrains too large to upload comfortably and
    for ``benchmarks/bench_map_browser.py``; empty when the variable is unset."""
    root = os.environ.get(TERRAINS_ENV)
    if not root or not Path(root).is_dir():
        return {}
    return {
        FOLDER_KEY_PREFIX + p.name: p
        for p in sorted(Path(root).iterdir())
        if (p / "terrain.json").is_file()
    }


def current_terrain() -> kk.Terrain:
    """The terrain picked in the sidebar (loaded once per content key)."""
    return _terrain_for(content_key())


def _terrain_for(key: str) -> kk.Terrain:
    # ``key``: a content key, as in AnalysisKey.terrain.
    if key.startswith("upload:"):
        name, data = st.session_state[UPLOADS_KEY][key]
        return _terrain(key, data, name)
    return _terrain(key)


def terrain_options() -> dict[str, str]:
    """Choices for the picker: key -> Dutch label."""
    options = {
        f"demo:{tid}": f"{name} — demo" for tid, name in demo_terrain_names().items()
    }
    for key, (name, _) in st.session_state.get(UPLOADS_KEY, {}).items():
        options[key] = f"Eigen terrein: {name}"
    for key, folder in server_terrains().items():
        name = json.loads((folder / "terrain.json").read_text("utf-8"))["name"]
        options[key] = f"{name} — op de server"
    park = terrain_key().removeprefix(PARK_KEY_PREFIX)
    if park in province_io.PARK_IDS:  # opened on the Provincie-overzicht
        options[PARK_KEY_PREFIX + park] = f"{province_io.park(park).name} — demo"
    return options


def select_terrain(key: str) -> None:
    """Make ``key`` the current terrain (before the picker is drawn or in a
    callback)."""
    st.session_state[TERRAIN_KEY] = key
    st.session_state[PICKER_KEY] = key


def sync_picker(options: dict[str, str]) -> None:
    """Before drawing the picker: a known terrain, shown in the picker.

    The chosen terrain lives in a plain session key and is written into the
    picker on every run. The picker's widget id differs between the first run
    of a session right after a server start (Streamlit's legacy ``pages/``
    routing, see :mod:`appui.shell`) and the runs after it; without this the
    new widget would show the first terrain while the app shows another.
    """
    if terrain_key() not in options:
        select_terrain(DEFAULT_TERRAIN)
    st.session_state[PICKER_KEY] = terrain_key()


def on_pick() -> None:
    """Picker callback: remember the chosen terrain outside the widget."""
    st.session_state[TERRAIN_KEY] = st.session_state[PICKER_KEY]


def try_upload(name: str, data: bytes) -> str | None:
    """Load an uploaded terrain zip; on success make it current.

    Returns the Dutch error message when loading fails; the terrain shown
    before stays selected, so nothing is lost.
    """
    key = "upload:" + hashlib.sha256(data).hexdigest()[:16]
    try:
        _terrain(key, data, name)
    except kk.DataError as exc:
        return str(exc)
    st.session_state.setdefault(UPLOADS_KEY, {})[key] = (name, data)
    select_terrain(key)
    return None


def on_upload(widget_key: str) -> None:
    """File-uploader callback: load once per new file, remember the outcome."""
    upload = st.session_state.get(widget_key)
    if upload is None:
        return
    error = try_upload(upload.name, upload.getvalue())
    st.session_state[UPLOAD_FEEDBACK_KEY] = (upload.name, error)


def upload_feedback() -> tuple[str, str | None] | None:
    """``(file name, error or None)`` of the last terrain upload, if any."""
    return st.session_state.get(UPLOAD_FEEDBACK_KEY)


# --- assumptions -------------------------------------------------------------------


def assumption_set() -> str:
    """Name of the chosen set of :data:`kansenkaart.core.assumptions.SETS`."""
    return st.session_state.get(SET_KEY, DEFAULT_SET)


def overrides() -> dict[str, float]:
    """The user's changed values (assumption name -> value)."""
    return dict(st.session_state.get(OVERRIDES_KEY, {}))


def assumptions_key() -> tuple:
    """Small hashable key of the assumptions in use (set + overrides)."""
    return (assumption_set(), tuple(sorted(overrides().items())))


def assumptions_from(key: tuple) -> Assumptions:
    """The assumptions an :func:`assumptions_key` stands for."""
    name, changed = key
    return SETS[name].replace(**dict(changed)) if changed else SETS[name]


def current_assumptions() -> Assumptions:
    """The set chosen on *Aannames*, with the user's changes."""
    return assumptions_from(assumptions_key())


def assumption_widget_key(name: str) -> str:
    return ASSUMPTION_WIDGET_PREFIX + name


def choose_assumption_set(name: str) -> None:
    """Switch to another set; the user's changes are dropped."""
    st.session_state[SET_KEY] = name
    forget_overrides()


def set_overrides(values: dict[str, float]) -> None:
    """Apply the user's values (only those that differ from the set)."""
    base = SETS[assumption_set()]
    st.session_state[OVERRIDES_KEY] = {
        k: v for k, v in values.items() if v != getattr(base, k).value
    }


def forget_overrides() -> None:
    """Back to the set's values; the input widgets show them again."""
    st.session_state[OVERRIDES_KEY] = {}
    for name in ADJUSTABLE:
        st.session_state.pop(assumption_widget_key(name), None)


# --- the analysis and what is derived from it -----------------------------------------


def analysis_key(grid: Imported | None = None) -> AnalysisKey:
    """Key of the current analysis; with ``grid`` that of the terrain variant
    with a capacity map loaded on *Netcapaciteit*."""
    return AnalysisKey(
        content_key(),
        assumptions_key(),
        grid.digest if grid else "",
        recorded_consent(),
    )


def recorded_consent(terrain: str | None = None) -> tuple | None:
    """The consents recorded on *Mijn pand* for ``terrain`` (default: the
    current one), as a cache key: sorted ``(building id, given)`` pairs;
    ``None`` when the database cannot be read (then nobody counts as
    consenting, see :func:`privacy.with_recorded_consent`)."""
    terrain = terrain or terrain_key()
    try:
        return tuple(sorted(access.recorded_consents(records_store(), terrain).items()))
    except kk.DataError:
        return None


def prepare(terrain: str = DEFAULT_TERRAIN) -> None:
    """Load and analyse ``terrain`` with the default assumptions into the
    caches, with its map data and opportunity list: what the first page view
    of a new session needs. Run once at server start (``app.py``), outside any
    session, so the first visitor does not wait for it (issue 18)."""
    key = AnalysisKey(
        content_key(terrain), (DEFAULT_SET, ()), "", recorded_consent(terrain)
    )
    result = _analyse(key, _terrain(key.terrain))
    _map_data(key, result)
    _opportunities(key, result)


@st.cache_resource(max_entries=16, show_spinner="Kansen berekenen…")
def _analyse(key: AnalysisKey, _terrain: kk.Terrain) -> kk.Analysis:
    # ``_terrain`` is the terrain of key.terrain, with key.grid's capacity map.
    analysed = kk.analyse(_terrain, assumptions_from(key.assumptions))
    recorded = None if key.consent is None else dict(key.consent)
    return dataclasses.replace(
        analysed,
        buildings=privacy.with_recorded_consent(analysed.buildings, recorded),
    )


def analysis(key: AnalysisKey | None = None, grid: Imported | None = None):
    """``kk.analyse`` of the terrain with the current assumptions.

    Parameters
    ----------
    key : AnalysisKey, optional
        Default :func:`analysis_key` (``grid`` included).
    grid : Imported, optional
        A capacity map loaded on *Netcapaciteit*: replaces the terrain's own.
    """
    key = key or analysis_key(grid)
    terrain = _terrain_for(key.terrain)
    if key.grid:
        if grid is None or grid.digest != key.grid:
            raise ValueError("de capaciteitskaart van deze sleutel ontbreekt")
        terrain = dataclasses.replace(terrain, grid=grid.table)
    return _analyse(key, terrain)


@st.cache_data(max_entries=16, show_spinner="Kansen op een rij zetten…")
def _opportunities(key: AnalysisKey, _analysis: kk.Analysis):
    return kk.opportunity_list(_analysis)


def opportunities(key: AnalysisKey | None = None):
    """``kk.opportunity_list`` of :func:`analysis` (one row per building ×
    measure)."""
    key = key or analysis_key()
    return _opportunities(key, analysis(key))


@st.cache_data(max_entries=16, show_spinner="Kansen optellen…")
def _measure_totals(key: AnalysisKey, _analysis: kk.Analysis):
    return engine.measure_totals(_analysis)


def measure_totals(key: AnalysisKey | None = None):
    """Totals per measure over the terrain."""
    key = key or analysis_key()
    return _measure_totals(key, analysis(key))


@st.cache_data(max_entries=16, show_spinner=False)
def _balance(key: AnalysisKey, _analysis: kk.Analysis):
    return engine.terrain_balance(_analysis)


def terrain_balance(key: AnalysisKey | None = None):
    """Energy balance of the terrain toward energieneutraal 2035."""
    key = key or analysis_key()
    return _balance(key, analysis(key))


@st.cache_resource(max_entries=4, show_spinner="Kwartierprofielen maken…")
def _hub_profiles(
    key: AnalysisKey, with_roofs: bool, meters: tuple, _analysis, _measured
):
    from kansenkaart.engine import profiles

    return profiles.building_profiles(
        _analysis.buildings, with_roof_potential=with_roofs, measured=_measured
    )


def hub_profiles(with_roofs: bool, key: AnalysisKey | None = None):
    """Quarter-hour use and solar profiles of every building (energiehub), with
    the own meter data loaded in this session in place of standard profiles."""
    key = key or analysis_key()
    own = meter_uploads()
    return _hub_profiles(key, with_roofs, _meters(), analysis(key), _measured(own))


def _measured(own: dict) -> dict:
    """``profiles.Measured`` per building of own meter data (:class:`MeterUpload`)."""
    from kansenkaart.engine import profiles

    return {
        b: profiles.Measured(u.series.take_kw, u.series.feed_in_kw, u.file)
        for b, u in own.items()
    }


def _meters() -> tuple:
    """(building id, content hash) of the own meter data of this session."""
    return tuple(sorted((b, u.digest) for b, u in meter_uploads().items()))


@st.cache_data(max_entries=8, show_spinner="Energiehubcijfers per groep…")
def _hub_summaries(key: AnalysisKey, meters: tuple, _analysis, _profiles):
    from kansenkaart.engine import hub

    return hub.group_summaries(_analysis, _profiles)


def hub_summaries(key: AnalysisKey | None = None):
    """The energy-hub figures of every hub and battery group
    (:func:`kansenkaart.engine.hub.group_summaries` at the assumptions' limit,
    battery to zero hours above it), once per terrain, assumptions and own
    meter data; None on a terrain without such groups."""
    return hub_summaries_later(key)()


def hub_summaries_later(key: AnalysisKey | None = None) -> Callable[[], Any]:
    """:func:`hub_summaries` as a function that computes them when called.

    For a download made only when clicked (issue 18: the quarter-hour profiles
    of every building took seconds at the first opening of *Kansenlijsten*).
    What the session holds is read now; the function itself runs outside the
    script run and reads no session state.
    """
    from kansenkaart.engine import hub

    key = key or analysis_key()
    result, meters, own = analysis(key), _meters(), dict(meter_uploads())

    def summaries():
        if not hub.has_groups(result):
            return None
        profiles = _hub_profiles(key, False, meters, result, _measured(own))
        return _hub_summaries(key, meters, result, profiles)

    return summaries


@dataclasses.dataclass(frozen=True)
class MeterUpload:
    """Own meter data of one building: file name, content hash, series."""

    file: str
    digest: str
    series: Any


def meter_uploads(terrain: str | None = None) -> dict[str, MeterUpload]:
    """Own meter data per building id loaded in this session for the terrain."""
    terrain = terrain or content_key()
    return st.session_state.setdefault(HUB_METER_KEY, {}).setdefault(terrain, {})


def load_meterdata(building_id: str, building_ids: tuple) -> None:
    """Read the uploaded meter export (``on_change``) for ``building_id``, or for
    the buildings its building column names; a failure keeps what was loaded."""
    from kansenkaart.core.errors import DataError
    from kansenkaart.io import meterdata

    upload = st.session_state.get(HUB_METER_WIDGET_KEY)
    if upload is None:
        return
    data = upload.getvalue()
    try:
        read = meterdata.read_meterdata(data, upload.name)
        named = {k: v for k, v in read.series.items() if k in building_ids}
        if not named and len(read.series) > 1:
            raise DataError.single(
                upload.name,
                f"het bestand bevat {len(read.series)} meters "
                f"({', '.join(list(read.series)[:5])}) en geen kolom met het pand.",
                "lever één meter per bestand, of zet een kolom building_id met "
                "het pand bij elke rij.",
            )
        named = named or {building_id: next(iter(read.series.values()))}
    except DataError as exc:
        st.session_state[HUB_METER_FEEDBACK_KEY] = (upload.name, str(exc))
        return
    digest = hashlib.sha256(data).hexdigest()[:16]
    own = meter_uploads()
    for building, series in named.items():
        own[building] = MeterUpload(upload.name, digest, series)
    st.session_state[HUB_METER_FEEDBACK_KEY] = (upload.name, None)


def forget_meterdata(building_id: str) -> None:
    """Back to the standard profile for one building."""
    meter_uploads().pop(building_id, None)
    st.session_state.pop(HUB_METER_FEEDBACK_KEY, None)


def meter_feedback() -> tuple[str, str | None] | None:
    """(file, Dutch error or None) of the last meter upload."""
    return st.session_state.get(HUB_METER_FEEDBACK_KEY)


@st.cache_resource(max_entries=16, show_spinner="Kaart voorbereiden…")
def _map_data(key: AnalysisKey, _analysis: kk.Analysis) -> mapdata.MapData:
    return mapdata.prepare(_analysis)


def map_data(key: AnalysisKey | None = None, grid: Imported | None = None):
    """Everything the maps of the analysis need, computed once."""
    key = key or analysis_key(grid)
    return _map_data(key, analysis(key, grid))


@st.cache_resource(max_entries=16, show_spinner=False)
def _hidden(key: AnalysisKey, private: bool, _analysis: kk.Analysis):
    """:func:`kansenkaart.views.legend.hidden_mask` of the analysis, once per
    presentation mode; read-only, as every session shares it."""
    mask = legend.hidden_mask(_analysis.buildings, private, _analysis.terrain.survey)
    mask.setflags(write=False)
    return mask


@st.cache_resource(max_entries=16, show_spinner=False)
def _shown_map_data(key: AnalysisKey, private: bool, _analysis, _data):
    hidden = _hidden(key, private, _analysis)
    return mapdata.with_public_solar(
        _data, _analysis.buildings, hidden, _analysis.assumptions
    )


def shown_map_data(private: bool) -> mapdata.MapData:
    """:func:`map_data` as a map shows it: in presentation mode the solar
    layer has the public advice for companies without consent (rule R9).
    Computed once per analysis (seconds at 100.000 buildings)."""
    key = analysis_key()
    return _shown_map_data(key, private, analysis(key), map_data(key))


@st.cache_resource(max_entries=32, show_spinner=False)
def _opportunity_layers(
    key: AnalysisKey, private: bool, scope: str, chosen: tuple, _analysis
):
    hidden = _hidden(key, private, _analysis)
    shown = privacy.with_public_measures(_analysis.buildings, hidden)
    return maps.opportunity_layers(shown, scope, list(chosen))


def opportunity_layers(private: bool, scope: str, chosen: list[str]):
    """:func:`kansenkaart.views.maps.opportunity_layers` of the current
    analysis as shown (in presentation mode only public measures,
    :func:`kansenkaart.engine.privacy.with_public_measures`), once per
    filter: a click or a search then redraws without recomputing them."""
    key = analysis_key()
    return _opportunity_layers(key, private, scope, tuple(chosen), analysis(key))


@st.cache_resource(max_entries=4, show_spinner="Snelle kaart voorbereiden…")
def _deck_geometry(key: AnalysisKey, _analysis: kk.Analysis) -> deckdata.DeckGeometry:
    return deckdata.geometry(_analysis.buildings)


def deck_geometry() -> tuple[str, deckdata.DeckGeometry]:
    """A key naming the current analysis, and its buildings as typed arrays
    for the WebGL map (computed once)."""
    key = analysis_key()
    return repr(key), _deck_geometry(key, analysis(key))


def geometry_to_send(map_key: str, geometry_key: str, ask) -> bool:
    """Whether the WebGL map ``map_key`` must get the geometry
    ``geometry_key`` in this run: not sent to it in this session yet, or
    asked for again (``ask``: a new map element in the browser that lacks
    it, e.g. after another page). The server keeps this (:func:`geometry_sent`),
    so the map need not report after its first frame (that rerun redrew the
    page right after it appeared)."""
    return st.session_state.get(map_key + DECK_SENT_SUFFIX) != (geometry_key, ask)


def geometry_sent(map_key: str, geometry_key: str, ask) -> None:
    """Record that the geometry went out with the map's message (called after
    it: a run stopped by a newer one before that sends nothing)."""
    st.session_state[map_key + DECK_SENT_SUFFIX] = (geometry_key, ask)


@st.cache_data(max_entries=64, show_spinner=False)
def _theme_spec(key: AnalysisKey, theme: str, private: bool, _analysis):
    hidden = _hidden(key, private, _analysis)
    return legend.theme_spec(_analysis.buildings, theme, hidden)


def theme_spec(theme: str, private: bool) -> legend.LayerSpec:
    """The current-state theme layer of the current analysis."""
    key = analysis_key()
    return _theme_spec(key, theme, private, analysis(key))


@st.cache_data(max_entries=64, show_spinner=False)
def _ranking_spec(key: AnalysisKey, ranking_id: str, private: bool, _analysis):
    hidden = _hidden(key, private, _analysis)
    return ranking.ranking_spec(_analysis, ranking_id, opportunities(key), hidden)


def ranking_spec(ranking_id: str, private: bool) -> legend.LayerSpec:
    """A ranking theme layer (:data:`kansenkaart.views.ranking.RANKINGS`) of
    the current analysis."""
    key = analysis_key()
    return _ranking_spec(key, ranking_id, private, analysis(key))


@st.cache_data(max_entries=8, show_spinner="Kansenkaart als document maken…")
def _kansenkaart_document(key: AnalysisKey, choice: tuple, kind: str, _analysis):
    from kansenkaart.views import kansenkaart_pdf  # fpdf: only for a document

    current, opportunity, variant = choice
    make = {"pdf": kansenkaart_pdf.kansenkaart_pdf, "png": kansenkaart_pdf.slides_zip}
    return make[kind](
        _analysis,
        opportunities(key),
        current_theme=current,
        opportunity=opportunity,
        variant=variant,
    )


def kansenkaart_document(
    kind: str, current: str, opportunity: str, variant: str
) -> bytes:
    """The kansenkaart as an A3 PDF (``kind`` "pdf") or slide PNGs in a zip
    ("png"), for the current analysis."""
    key = analysis_key()
    return _kansenkaart_document(
        key, (current, opportunity, variant), kind, analysis(key)
    )


@st.cache_resource(max_entries=8, show_spinner=False)
def _search_index(terrain: str, _buildings) -> search.SearchIndex:
    # Addresses and company names only: the terrain names them all.
    return search.build_index(_buildings)


def search_index() -> search.SearchIndex:
    """Search index of the current terrain's buildings."""
    return _search_index(content_key(), analysis().buildings)


@st.cache_data(max_entries=8, show_spinner=False)
def _search_options(terrain: str, _buildings) -> dict[str, str]:
    return search.search_options(_buildings)


def search_options() -> dict[str, str]:
    """Building id -> "address · company" of the current terrain."""
    return _search_options(content_key(), analysis().buildings)


@st.cache_resource(max_entries=32, show_spinner="Opnieuw rekenen met uw gegevens…")
def _what_if(key: AnalysisKey, building_id: str, corrections, _terrain):
    a = assumptions_from(key.assumptions)
    analysed = whatif.apply(_terrain, building_id, corrections, a)
    return analysed, kk.opportunity_list(analysed)


def what_if(building_id: str, corrections: whatif.Corrections):
    """``(Analysis, opportunity list)`` of the current terrain as if the
    entrepreneur's corrections of one building were true (the plain
    analysis when nothing is corrected)."""
    key = analysis_key()
    if corrections.empty:
        return analysis(key), opportunities(key)
    return _what_if(key, building_id, corrections, _terrain_for(key.terrain))


# --- survey columns (Data laden) and the records store ------------------------------


@st.cache_data(max_entries=4, show_spinner=False)
def survey_columns(name: str, data: bytes) -> list[str] | str:
    """Headers of an uploaded survey, or the Dutch error message."""
    try:
        return importer.file_columns(name, data)
    except kk.DataError as exc:
        return str(exc)


@st.cache_resource(show_spinner="Database openen…")
def _store(url: str) -> store.Store:
    return store.Store(url)


def records_store() -> store.Store:
    """The werksessie store (``DATABASE_URL``), opened and migrated once."""
    return _store(database.database_url())


@st.cache_resource(show_spinner=False)
def failed_logins() -> access.FailedLogins:
    """Failed local logins of this server process, shared by every session."""
    return access.FailedLogins()


def own_building() -> str | None:
    """The building of the personal link this session opened (*ondernemer*)."""
    return getattr(st.session_state.get(VIEWER_KEY), "building_id", None)


PUBLIC_WIDGETS = {
    "hs" + PRIVATE_SUFFIX: True,
    "kk" + PRIVATE_SUFFIX: True,
    WS_PRIVATE_KEY: True,
    KK_VARIANT_KEY: privacy.OPENBAAR,
    KL_VARIANT_KEY: privacy.OPENBAAR,
}
"""Presentation switches and variant choices as every role but the beheerder
gets them: the public variant (docs/PRIVACY.md)."""


def enforce_public_view() -> None:
    """Before a page draws its widgets: the public variant, whatever the
    switches were set to (by a click, a link or an earlier role)."""
    st.session_state.update(PUBLIC_WIDGETS)


# --- map pages: selection, centre, clicks ------------------------------------------


def selected_building(page: str) -> str | None:
    """Building id selected on the map page with key prefix ``page``, for the
    current terrain (the demo terrains share ids: a choice on one is not a
    choice on another)."""
    return st.session_state.get(page + SELECTED_SUFFIX, {}).get(terrain_key())


def centred_building(page: str) -> str | None:
    """Building id the map of page ``page`` is centred on (current terrain)."""
    return st.session_state.get(page + CENTER_SUFFIX, {}).get(terrain_key())


def select_building(page: str, building_id: str | None, centre: bool = False):
    """Select (and centre on) a building on the current terrain."""
    suffixes = (SELECTED_SUFFIX, CENTER_SUFFIX) if centre else (SELECTED_SUFFIX,)
    for suffix in suffixes:
        st.session_state.setdefault(page + suffix, {})[terrain_key()] = building_id


def new_click(page: str, map_name: str, click: tuple) -> bool:
    """Remember a map's last click; True when it differs from the one before
    (st_folium returns the last click on every rerun)."""
    key = f"{page}{CLICK_SUFFIX}_{map_name}" if map_name else page + CLICK_SUFFIX
    if click[1] is None or click == st.session_state.get(key):
        return False
    st.session_state[key] = click
    return True


def widget_value(key: str):
    """The value of the widget with ``key`` (in its on_change callback)."""
    return st.session_state.get(key)


# --- Mijn pand ------------------------------------------------------------------------


def chosen_building() -> str | None:
    """The building chosen on *Mijn pand* for the current terrain; with a
    personal link always its own building."""
    own = own_building()
    return own or st.session_state.get(MP_SELECTED_KEY, {}).get(terrain_key())


def choose_building(building_id: str) -> None:
    """Choose a building on *Mijn pand* (with a personal link: none other)."""
    if own_building() is None:
        st.session_state.setdefault(MP_SELECTED_KEY, {})[terrain_key()] = building_id


def stored_corrections(building_id: str) -> dict:
    """The entrepreneur's values for a building (mutable; field -> value)."""
    building = (terrain_key(), building_id)
    return st.session_state.setdefault(MP_CORRECTIONS_KEY, {}).setdefault(building, {})


def corrections_generation(building_id: str) -> int:
    """Counts the resets, so reset widgets start again from the data."""
    return st.session_state.get(MP_RESET_KEY, {}).get((terrain_key(), building_id), 0)


def reset_corrections(building_id: str) -> None:
    stored_corrections(building_id).clear()
    resets = st.session_state.setdefault(MP_RESET_KEY, {})
    building = (terrain_key(), building_id)
    resets[building] = resets.get(building, 0) + 1


# --- Netcapaciteit ------------------------------------------------------------------


def imported_layers(terrain: str | None = None) -> dict[str, Imported]:
    """Layers loaded on *Netcapaciteit* for a terrain in this session."""
    imports = st.session_state.setdefault(NC_IMPORTS_KEY, {})
    return imports.setdefault(terrain or terrain_key(), {})


def keep_import(terrain: str, kind: str, layer: Imported) -> None:
    imported_layers(terrain)[kind] = layer


def forget_import(terrain: str, kind: str) -> None:
    imported_layers(terrain).pop(kind, None)
    st.session_state.pop(NC_FEEDBACK_KEY, None)


def upload_widget_key(kind: str) -> str:
    """Key of the file uploader for ``grid`` or ``projects`` (*Netcapaciteit*)
    or ``capaciteitskaart`` (*Data laden*)."""
    return f"nc_upload_{kind}"


def import_layer(kind: str, terrain: str) -> None:
    """Uploader callback: validate the file; keep what was shown when it fails.

    A capacity map becomes a terrain variant whose analysis key carries the
    file's digest, analysed with the current assumptions (:func:`analysis`);
    a Capaciteitskaart data product (JSON) is kept as ``capaciteitskaart``.
    """
    upload = st.session_state.get(upload_widget_key(kind))
    if upload is None:
        return
    data = upload.getvalue()
    try:
        if kind == "projects":
            table, warnings = infra_files.read_project_list(data, upload.name), []
        else:  # a capacity map: areas (GRID) or the Capaciteitskaart data product
            kind, table, warnings = infra_files.read_capacity_upload(data, upload.name)
    except kk.DataError as exc:
        st.session_state[NC_FEEDBACK_KEY] = (terrain, upload.name, str(exc))
        return
    digest = hashlib.sha256(data).hexdigest()[:16]
    keep_import(terrain, kind, Imported(upload.name, digest, table, tuple(warnings)))
    st.session_state[NC_FEEDBACK_KEY] = (terrain, upload.name, None)


def import_feedback() -> tuple[str, str | None] | None:
    """``(file name, error or None)`` of the last load for the current terrain."""
    feedback = st.session_state.get(NC_FEEDBACK_KEY)
    if feedback and feedback[0] == terrain_key():
        return feedback[1], feedback[2]
    return None


# --- records pages ------------------------------------------------------------------


def problem_key(prefix: str) -> str:
    """Session key of a records page's pending conflict or error."""
    return prefix + PROBLEM_SUFFIX


# --- Data laden ---------------------------------------------------------------------


def build_terrain(uploads: dict, name, municipality, survey_mapping) -> None:
    """Import the uploaded files into a terrain zip; keep the report and zip,
    or the Dutch error (the terrain shown stays selected either way)."""
    st.session_state.pop(IMPORT_USED_KEY, None)
    try:
        result = importer.import_uploads(
            uploads,
            name=name,
            municipality=municipality,
            survey_mapping=survey_mapping,
        )
        data = importer.terrain_zip(result)
    except kk.DataError as exc:
        st.session_state[IMPORT_ERROR_KEY] = str(exc)
        st.session_state.pop(IMPORT_RESULT_KEY, None)
        return
    st.session_state[IMPORT_RESULT_KEY] = (
        result.report,
        data,
        f"{result.meta['id']}.zip",
    )
    st.session_state.pop(IMPORT_ERROR_KEY, None)


def import_result():
    """``(report, zip bytes, file name)`` of the last import, or None."""
    return st.session_state.get(IMPORT_RESULT_KEY)


def import_error() -> str | None:
    return st.session_state.get(IMPORT_ERROR_KEY)


def use_imported_terrain() -> None:
    """Button callback: load the built zip as the current terrain."""
    _, data, file_name = st.session_state[IMPORT_RESULT_KEY]
    st.session_state[IMPORT_USED_KEY] = (file_name, try_upload(file_name, data))


def imported_terrain_used() -> tuple[str, str | None] | None:
    """``(file name, error or None)`` after "Gebruik dit terrein nu"."""
    return st.session_state.get(IMPORT_USED_KEY)


def fetch_pdok(boundary: tuple[str, bytes] | None, postcodes: str, progress) -> None:
    """Fetch the BAG from PDOK (:func:`kansenkaart.io.pdok.fetch_for_terrain`);
    keep the files, or the Dutch error (an earlier fetch then stays)."""
    try:
        fetched = pdok.fetch_for_terrain(boundary, postcodes, progress=progress)
    except kk.DataError as exc:
        st.session_state[PDOK_ERROR_KEY] = str(exc)
        return
    st.session_state[PDOK_FETCHED_KEY] = fetched
    st.session_state.pop(PDOK_ERROR_KEY, None)


def pdok_fetched() -> pdok.Fetched | None:
    """The BAG fetched from PDOK in this session, if any."""
    return st.session_state.get(PDOK_FETCHED_KEY)


def pdok_error() -> str | None:
    return st.session_state.get(PDOK_ERROR_KEY)


def forget_pdok() -> None:
    """Button callback: do not use the fetched BAG."""
    st.session_state.pop(PDOK_FETCHED_KEY, None)
    st.session_state.pop(PDOK_ERROR_KEY, None)


# --- Provincie-overzicht ------------------------------------------------------------

PROVINCE_SETS = {
    "drenthe": f"Demoprovincie {province_io.PROVINCE} "
    f"({len(province_io.SET_IDS)} terreinen)",
    "beschikbaar": "Beschikbare terreinen",
}
"""The sets of terrains the overview shows: the demo province (key figures
shipped in :data:`kansenkaart.io.provincie.OVERVIEW_FILE`) and the terrains of
the sidebar's picker (the demo pilots and the user's own terrain)."""


@st.cache_data(max_entries=2, show_spinner=False)
def _province_file(path: str, modified_ns: int):
    return province_io.read_overview(Path(path))


@st.cache_data(max_entries=32, show_spinner="Kerncijfers berekenen…")
def _park_figures(key: AnalysisKey, _analysis: kk.Analysis) -> dict:
    terrain = _analysis.terrain
    return {
        "id": terrain.id,
        "name": terrain.name,
        "municipality": terrain.municipality or "",
        "is_demo": terrain.is_demo,
        **province_view.park_figures(_analysis),
        "geometry": province_view.park_outline(terrain),
    }


def _progress(terrain_id: str) -> tuple:
    """Workgroup progress of a terrain from the records; NA when unreadable."""
    try:
        return province_view.workgroup_progress(
            records_store().table("plan", terrain_id)
        )
    except kk.DataError:
        return pd.NA, pd.NA


def province_rows(which: str):
    """Key figures of the terrains of set ``which`` (:data:`PROVINCE_SETS`),
    one row each with its terrain key (``key``), whether it is fictitious
    (``is_demo``) and the workgroup progress of the records (``progress``,
    ``n_workgroups``).

    The demo province's figures are read from the shipped file (standard
    assumptions); a terrain of the picker is analysed with the current
    assumptions (once per terrain and assumptions), except a demo terrain at
    the standard assumptions, whose row the shipped file holds.
    """
    path = province_io.OVERVIEW_FILE
    shipped = _province_file(str(path), path.stat().st_mtime_ns)
    if which == "drenthe":
        rows = shipped.copy()
        rows["is_demo"] = True  # the demo province: every park made up
        rows["key"] = [
            PARK_KEY_PREFIX + i if i in province_io.PARK_IDS else f"demo:{i}"
            for i in rows["id"]
        ]
    else:
        standard = assumptions_key() == (DEFAULT_SET, ())
        known = shipped.set_index("id")
        found = []
        for key in terrain_options():
            tid = key.removeprefix("demo:").removeprefix(PARK_KEY_PREFIX)
            if standard and key != tid and tid in known.index:
                row = {"id": tid, "is_demo": True, **known.loc[tid].to_dict()}
            else:
                analysed = AnalysisKey(content_key(key), assumptions_key())
                row = dict(_park_figures(analysed, analysis(analysed)))
            found.append({**row, "key": key})
        rows = gpd.GeoDataFrame(found, geometry="geometry", crs=shipped.crs)
    progress = [_progress(tid) for tid in rows["id"]]
    rows["progress"] = pd.array([p[0] for p in progress], dtype="Int64")
    rows["n_workgroups"] = pd.array([p[1] for p in progress], dtype="Int64")
    return rows


def open_terrain(key: str) -> None:
    """Make a terrain of the overview the current one (after the sidebar is
    drawn: its picker and the URL follow on the next run, :func:`sync_picker`);
    a later click on the overview counts as new."""
    st.session_state[TERRAIN_KEY] = key
    st.session_state.pop(PV_CLICK_KEY, None)


# --- the URL: what a reload or a shared link restores ---------------------------
#
# Every piece of state a link carries is a query parameter with a short Dutch
# name: the terrain on every page, and per page its view, theme, filters,
# presentation mode and chosen building. The shell reads the URL before the
# page draws its widgets (:func:`read_url`) and writes it before and after the
# page runs (:func:`write_url`). A parameter is read only when its text differs from the
# one last read or written in this session: a new session (reload, shared
# link) or browser back/forward. Streamlit drops the query string when the
# menu switches page, and forgets the widgets of the page left: a parameter
# missing from the URL is read from what was last written on that page in
# this session (its place, :data:`PLACES_KEY`), so a page opened again through
# the menu looks as it was left; the chosen building only on the terrain it
# was chosen on (``UrlParam.per_terrain``).

FLAG_TEXT = {True: "aan", False: "uit"}
UPLOAD_PREFIX = "eigen-"  # an uploaded terrain in a link: eigen-<sha256 prefix>
STREAMLIT_PARAMS = ("embed", "embed_options")  # Streamlit's own; left alone


@dataclasses.dataclass(frozen=True)
class UrlParam:
    """One piece of state in the URL.

    Attributes
    ----------
    name : str
        Query parameter (Dutch, short).
    page : str
        URL path of the page it belongs to ("" : every page).
    text : callable () -> str or None
        The state as URL text; None leaves the parameter out.
    apply : callable (str) -> str or None
        Put URL text into the state; returns a Dutch notice, and changes
        nothing, when the text is not a valid value.
    per_terrain : bool
        The value belongs to one terrain (a building): a page's place
        restores it only on that terrain.
    """

    name: str
    page: str
    text: Callable[[], str | None]
    apply: Callable[[str], str | None]
    per_terrain: bool = False


def measures_key(page: str, scope: str) -> str:
    """Key of the measure multiselect of page prefix ``page`` for ``scope``
    (one widget per scope, so each keeps its own choice)."""
    return f"{page}_measures_{scope}"


def _shown(text: str) -> str:
    """URL text quoted in a notice: short, on one line."""
    text = " ".join(text.split())
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


def _unknown(name: str, text: str) -> str:
    return (
        f"De link bevat een onbekende waarde voor '{name}' ({_shown(text)}); "
        "die is genegeerd."
    )


def _resolve(key: str | Callable[[], str]) -> str:
    return key() if callable(key) else key


def _choice(name, page, key, options, default=None) -> UrlParam:
    """A widget with one value out of ``options()`` (ids, no comma)."""

    def text():
        value = st.session_state.get(_resolve(key))
        return None if value is None or value == default else str(value)

    def apply(value: str):
        if value not in options():
            return _unknown(name, value)
        st.session_state[_resolve(key)] = value
        return None

    return UrlParam(name, page, text, apply)


def _choices(name, page, key, options, default=tuple) -> UrlParam:
    """A multiselect: its values joined by commas, left out at ``default()``."""

    def text():
        value = st.session_state.get(_resolve(key))
        if value is None or list(value) == list(default()):
            return None
        return ",".join(value)

    def apply(value: str):
        chosen = [v for v in value.split(",") if v]
        allowed = set(options())
        if any(v not in allowed for v in chosen):
            return _unknown(name, value)
        st.session_state[_resolve(key)] = chosen
        return None

    return UrlParam(name, page, text, apply)


def _flag(name, page, key, default: bool) -> UrlParam:
    """A switch: ``aan`` or ``uit``, left out at its default."""

    def text():
        value = st.session_state.get(key)
        return None if value is None or value == default else FLAG_TEXT[bool(value)]

    def apply(value: str):
        if value not in FLAG_TEXT.values():
            return _unknown(name, value)
        st.session_state[key] = value == FLAG_TEXT[True]
        return None

    return UrlParam(name, page, text, apply)


def _building(page, chosen, choose) -> UrlParam:
    """The chosen building (``pand``): a building id of the current terrain."""

    def text():
        building = chosen()
        return building if building and building in search_options() else None

    def apply(value: str):
        if value not in search_options():
            return (
                f"Het pand {_shown(value)} uit de link bestaat niet op dit terrein; "
                "kies een pand op de kaart of zoek het op."
            )
        choose(value)
        return None

    return UrlParam("pand", page, text, apply, per_terrain=True)


def _terrain_text() -> str:
    key = terrain_key()
    if key.startswith("upload:"):
        return UPLOAD_PREFIX + key.removeprefix("upload:")
    return key.removeprefix("demo:").removeprefix(PARK_KEY_PREFIX)


def _apply_terrain(value: str) -> str | None:
    upload = value.startswith(UPLOAD_PREFIX)
    key = "upload:" + value.removeprefix(UPLOAD_PREFIX) if upload else f"demo:{value}"
    if value.startswith(FOLDER_KEY_PREFIX):
        key = value
    if key in terrain_options():
        select_terrain(key)
        return None
    if value in province_io.PARK_IDS:
        select_terrain(PARK_KEY_PREFIX + value)
        return None
    if upload:
        return (
            "Het eigen terrein uit de link is niet geladen: een geüpload terrein "
            "blijft niet bewaard na herladen. Laad het zip-bestand opnieuw via "
            "'Eigen terrein laden' in de zijbalk."
        )
    return (
        f"Het terrein {_shown(value)} uit de link bestaat niet; u ziet "
        f"{terrain_options()[terrain_key()].removesuffix(' — demo')}."
    )


def _on_map(page: str, building_id: str) -> None:
    select_building(page, building_id, centre=True)


def _kk_scope() -> str:
    return st.session_state.get(KK_SCOPE_KEY) or "all"


def _kl_scope() -> str:
    return st.session_state.get(KL_SCOPE_KEY) or "all"


def _kk_measures() -> list[str]:
    return [m.id for m in legend.selected_measures(_kk_scope())]


def _session_setter(key: str) -> Callable[[str], None]:
    return partial(st.session_state.__setitem__, key)


def _opportunity_choices() -> dict[str, str]:
    # Imported here: kansenkaart_pdf imports fpdf (≈ 0,7 s), which no page but
    # Kansenkaart needs at its first opening (issue 18: cold start).
    from kansenkaart.views import kansenkaart_pdf

    return kansenkaart_pdf.OPPORTUNITY_CHOICES


def _catalogue() -> list[str]:
    return [m.id for m in measures.CATALOGUE]


_HS, _KK, _KL = "huidige_situatie", "kansenkaart", "kansenlijsten"
_WS, _MP = "werksessie", "mijn_pand"
URL_PARAMS: tuple[UrlParam, ...] = (
    UrlParam("terrein", "", _terrain_text, _apply_terrain),
    # A company's personal link (appui/access.py checks it on every run).
    UrlParam(
        "sleutel",
        "",
        lambda: st.session_state.get(LINK_TOKEN_KEY),
        lambda value: _session_setter(LINK_TOKEN_KEY)(value) or None,
    ),
    # Huidige situatie (page prefix "hs").
    _choice("thema", _HS, HS_THEME_KEY, legend.theme_names),
    _building(_HS, partial(selected_building, "hs"), partial(_on_map, "hs")),
    _flag("presentatie", _HS, "hs" + PRIVATE_SUFFIX, True),
    _choice("kaart", _HS, "hs" + MAP_KIND_SUFFIX, lambda: deckdata.MAP_KINDS, "auto"),
    # Kansenkaart ("kk"): the scope before the measures, whose key it names.
    _choice("thema", _KK, KK_COLOURING_KEY, _opportunity_choices),
    _choice("soort", _KK, KK_SCOPE_KEY, lambda: selection.SCOPE_CHOICES),
    _choices(
        "maatregelen",
        _KK,
        lambda: measures_key("kk", _kk_scope()),
        _kk_measures,
        default=_kk_measures,
    ),
    _choice("weergave", _KK, KK_VIEW_KEY, lambda: ("kansen", "naast")),
    _choice("huidig", _KK, KK_THEME_KEY, legend.theme_names),
    _building(_KK, partial(selected_building, "kk"), partial(_on_map, "kk")),
    _flag("presentatie", _KK, "kk" + PRIVATE_SUFFIX, True),
    _choice("kaart", _KK, "kk" + MAP_KIND_SUFFIX, lambda: deckdata.MAP_KINDS, "auto"),
    _choice("variant", _KK, KK_VARIANT_KEY, lambda: privacy.VARIANTS),
    # Mijn pand.
    _building(_MP, chosen_building, choose_building),
    # Kansenlijsten ("kl"): the filters.
    _choice("soort", _KL, KL_SCOPE_KEY, lambda: selection.SCOPE_CHOICES),
    _choices(
        "maatregelen",
        _KL,
        lambda: measures_key("kl", _kl_scope()),
        lambda: selection.measure_choices(_kl_scope()),
    ),
    _choices("verplichting", _KL, KL_OBLIGATIONS_KEY, lambda: selection.OBLIGATIONS),
    _choices("eigendom", _KL, KL_OWNERSHIP_KEY, lambda: selection.OWNERSHIP_CHOICES),
    _choices("interesse", _KL, KL_INTEREST_KEY, lambda: selection.INTEREST_CHOICES),
    _choices("label", _KL, KL_LABELS_KEY, lambda: selection.LABEL_CHOICES),
    _flag("kopgroep", _KL, KL_KOPGROEP_KEY, False),
    _choice("variant", _KL, KL_VARIANT_KEY, lambda: privacy.VARIANTS),
    _choice("grafiek", _KL, KL_METRIC_KEY, lambda: charts.MEASURE_METRICS),
    # Netcapaciteit: the direction shown on the map.
    _choice("richting", "netcapaciteit", NC_DIRECTION_KEY, lambda: capacity.DIRECTIONS),
    # Werksessie: the view on the wall, the measure and building being recorded.
    _choice("weergave", _WS, WS_VIEW_KEY, lambda: [v.id for v in projector.VIEWS]),
    _choice("maatregel", _WS, WS_MEASURE_KEY, _catalogue),
    _building(
        _WS,
        lambda: st.session_state.get(WS_BUILDING_KEY),
        _session_setter(WS_BUILDING_KEY),
    ),
    _flag("presentatie", _WS, WS_PRIVATE_KEY, True),
    # Werkgroepen & voortgang.
    _choice("maatregel", "werkgroepen", WG_MEASURE_KEY, _catalogue),
    # Provincie-overzicht: the set of terrains and the indicator.
    _choice("set", "provincie", PV_SET_KEY, lambda: PROVINCE_SETS),
    _choice("kleur", "provincie", PV_INDICATOR_KEY, lambda: province_view.INDICATORS),
)


def url_params(page: str | None) -> list[UrlParam]:
    """The parameters of the page with URL path ``page`` (the terrain's
    included); ``None``: only those of every page."""
    return [p for p in URL_PARAMS if p.page == "" or p.page == page]


def read_url(page: str | None) -> list[str]:
    """Put what the URL says into the state, before any widget is drawn.

    Reads only parameters whose text differs from the one last synced, and
    a parameter missing from the URL from the page's place when the state
    differs from it (see above); with ``page`` None only the terrain, before
    the sidebar's picker.
    Returns Dutch notices for what was ignored: unknown values, unknown
    parameters (those of another page included), a building not on the
    terrain.
    """
    synced = st.session_state.get(URL_SYNCED_KEY, {})
    terrain, place = st.session_state.get(PLACES_KEY, {}).get(page, (None, {}))
    notices = []
    for param in url_params(page):
        if (param.page == "") != (page is None):
            continue  # the terrain is read before the sidebar, the rest after
        text = st.query_params.get(param.name)
        if text is None:  # the menu: the page as it was left
            if param.per_terrain and terrain != terrain_key():
                continue
            text = place.get(param.name)
            if text is None or text == param.text():
                continue
        elif text == synced.get(param.name):
            continue
        notice = param.apply(text)
        if notice:
            notices.append(notice)
    if page is not None:
        known = {p.name for p in url_params(page)} | set(STREAMLIT_PARAMS)
        notices += [
            f"De link bevat een onbekend onderdeel {_shown(name)}; dat is genegeerd."
            for name in st.query_params
            if name not in known
        ]
    return notices


def write_url(page: str) -> None:
    """Write the state of page ``page`` into the URL.

    Only when something changed, so a rerun without changes sends nothing to
    the browser; parameters of other pages and unknown ones are dropped.
    """
    wanted = {}
    for param in url_params(page):
        text = param.text()
        if text is not None:
            wanted[param.name] = text
    current = st.query_params.to_dict()
    for name in STREAMLIT_PARAMS:
        current.pop(name, None)
    if current != wanted:
        st.query_params.from_dict(wanted)
    st.session_state[URL_SYNCED_KEY] = wanted
    st.session_state.setdefault(PLACES_KEY, {})[page] = (terrain_key(), wanted)
