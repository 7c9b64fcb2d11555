"""The fast WebGL map (deck.gl) of the map pages, for large terrains.

The component in ``appui/deckgl/`` (deck.gl 9.4.0 vendored, see its README)
is served by Streamlit from that folder, so it works without internet. It
receives the buildings of :func:`kansenkaart.views.deckdata.geometry` as
typed arrays (once per terrain, cached in :func:`appui.state.deck_geometry`)
and the layers of the page as one class code per building; a click selects
the building on the page like a click on the folium map.

The server records which geometry it sent to a map in this session
(:func:`appui.state.geometry_to_send`); after that a rerun sends only the
layers. A new map element without it (back from another page) asks for it
(``a`` in its value counts the asks, ``s`` names the element) and gets it
with the next run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

from appui import state
from kansenkaart.core import fmt
from kansenkaart.views import deckdata
from kansenkaart.views.legend import LayerSpec

FOLDER = Path(__file__).with_name("deckgl")
_component = components.declare_component("kk_deckmap", path=str(FOLDER))


def use_webgl(container, page: str, n_buildings: int) -> bool:
    """The *Kaart* choice of a map page; True when it draws with WebGL."""
    choice = container.selectbox(
        "Kaart",
        list(deckdata.MAP_KINDS),
        format_func=deckdata.MAP_KINDS.get,
        key=page + state.MAP_KIND_SUFFIX,
        help="Standaard: de kaart die ook als los HTML-bestand te downloaden is. "
        "Snel: tekent met de grafische kaart (WebGL) en blijft vlot bij "
        "tienduizenden panden. Automatisch kiest snel vanaf "
        f"{fmt.number(deckdata.WEBGL_FROM_BUILDINGS)} panden.",
        width=260,
    )
    return deckdata.use_webgl(choice, n_buildings)


def _digest(arrays: dict[str, bytes], meta: dict) -> str:
    """Short digest of the layer data (the map recolours when it changes)."""
    digest = hashlib.blake2b(repr(meta["layers"]).encode(), digest_size=12)
    for name in sorted(arrays):
        if name.partition(":")[1]:
            digest.update(name.encode() + arrays[name])
    return digest.hexdigest()


def show(
    page: str,
    name: str,
    layers: Sequence[tuple[str, LayerSpec]],
    ids: list[str],
    *,
    kind: str = "current",
    optional: Sequence[tuple[str, LayerSpec]] = (),
    groups: Sequence[tuple[str, dict]] = (),
    center: list[float] | None = None,
    height: int = 650,
    title: str = "",
) -> None:
    """Draw the WebGL map; a click on a building selects it on ``page``.

    Parameters
    ----------
    page, name : str
        Key prefix of the page (``hs``, ``kk``) and of this map on it.
    layers, optional : sequence of (key, LayerSpec)
        What the folium map of the page draws (:func:`deckdata.view`).
    ids : list of str
        Building ids in row order.
    kind : {"current", "opportunity"}
        The opportunity map adds grid areas and coupling sources.
    groups : sequence of (name, GeoJSON)
        Group envelopes (:func:`kansenkaart.views.maps.opportunity_layers`).
    center : [lat, lon], optional
        Zoom to this point (a building found by search).
    """
    key = f"{page}_{name}_deck"
    geometry_key, geom = state.deck_geometry()
    extra = deckdata.overlays(state.map_data(), kind, groups)
    meta, arrays = deckdata.view(geom, layers, extra, optional=optional)
    colours_key = _digest(arrays, meta)
    shown = state.widget_value(key)
    # an ask is a new map element's request (a > 0), not a click's report
    asked = isinstance(shown, dict) and bool(shown.get("a"))
    ask = (shown.get("s"), shown.get("a")) if asked else None
    with_geometry = state.geometry_to_send(key, geometry_key, ask)
    if not with_geometry:
        # The map in the browser holds this geometry: send only the layers
        # (a click or a filter then sends kilobytes, not megabytes).
        arrays = {k: v for k, v in arrays.items() if k not in geom.arrays}
    clicked = _component(
        **meta,
        **arrays,
        # in the JSON arguments too: the browser passes the map new arguments
        # only when these change (not when only the binary ones do)
        with_geometry=with_geometry,
        geometry_key=geometry_key,
        colours_key=colours_key,
        center=center,
        height=height,
        title=title,
        key=key,
        default=None,
    )
    if with_geometry:
        state.geometry_sent(key, geometry_key, ask)
    if not isinstance(clicked, dict) or not isinstance(clicked.get("i"), int):
        return
    position = clicked["i"]
    click = (state.terrain_key(), position, clicked.get("n"), clicked.get("s"))
    if 0 <= position < len(ids) and state.new_click(page, name, click):
        state.select_building(page, ids[position])
        st.rerun()
