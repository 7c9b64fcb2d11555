"""AppTest: the map pages draw large terrains with the WebGL map (appui/deckmap.py).

A synthetic terrain of exactly :data:`deckdata.WEBGL_FROM_BUILDINGS`
buildings is opened the way a large terrain is opened on a server: a folder
named by ``KANSENKAART_TERRAINS`` (``appui/state.server_terrains``).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from kansenkaart.io import demo, demo_specs
from kansenkaart.views import deckdata
from tests import test_map_pages as map_pages

APP = str(Path(__file__).resolve().parents[1] / "app.py")
DECK = "appui.deckmap.kk_deckmap"
FOLIUM = "streamlit_folium.st_folium"


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """Key of a server terrain of WEBGL_FROM_BUILDINGS buildings."""
    folder = tmp_path_factory.mktemp("terreinen")
    spec = demo_specs.synthetic_spec(deckdata.WEBGL_FROM_BUILDINGS)
    demo.write_terrain(demo.generate_terrain(spec), folder / spec.id)
    before = os.environ.get("KANSENKAART_TERRAINS")
    os.environ["KANSENKAART_TERRAINS"] = str(folder)
    yield f"map:{spec.id}"
    if before is None:
        del os.environ["KANSENKAART_TERRAINS"]
    else:
        os.environ["KANSENKAART_TERRAINS"] = before


def open_page(page: str, terrain: str, **state) -> AppTest:
    return map_pages.open_page(page, terrain, timeout=300, **state)


def maps(at: AppTest) -> list[str]:
    return [c.proto.component_name for c in at.get("component_instance")]


def arrays(at: AppTest) -> dict[str, bytes]:
    (deck,) = [
        c for c in at.get("component_instance") if c.proto.component_name == DECK
    ]
    return {a.key: a.bytes for a in deck.proto.special_args}


def test_kansenkaart_draws_a_large_terrain_with_webgl_and_the_legend_counts_it(large):
    at = open_page("3_kansenkaart.py", large)
    assert maps(at) == [DECK]
    assert at.selectbox(key="kk_map_kind").value == "auto"
    codes = np.frombuffer(arrays(at)["codes:kansen"], "<i2")
    assert len(codes) == deckdata.WEBGL_FROM_BUILDINGS
    shown = at.table[0].value  # the legend of the opportunity layer
    drawn = np.bincount(codes[codes >= 0])
    assert sorted(drawn[drawn > 0].tolist()) == sorted(shown["aantal"].astype(int))


def test_huidige_situatie_draws_a_large_terrain_with_webgl(large):
    at = open_page("2_huidige_situatie.py", large)
    assert maps(at) == [DECK]
    assert len(arrays(at)["codes:thema"]) == 2 * deckdata.WEBGL_FROM_BUILDINGS


def test_a_small_terrain_keeps_the_folium_map_unless_the_user_picks_webgl():
    assert maps(open_page("3_kansenkaart.py", "demo:de-punt")) == [FOLIUM]
    chosen = open_page("3_kansenkaart.py", "demo:de-punt", kk_map_kind="snel")
    assert maps(chosen) == [DECK]


def test_the_user_can_choose_the_standard_map_for_a_large_terrain(large):
    at = open_page("2_huidige_situatie.py", large, hs_map_kind="standaard")
    assert maps(at) == [FOLIUM]


def test_the_map_choice_is_carried_by_the_link():
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["kaart"] = "snel"
    at.switch_page("pages/3_kansenkaart.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert maps(at) == [DECK]
    assert at.selectbox(key="kk_map_kind").value == "snel"


def test_a_rerun_sends_the_geometry_only_to_a_map_that_lacks_it():
    at = open_page("3_kansenkaart.py", "demo:de-punt", kk_map_kind="snel")
    assert "positions" in arrays(at)
    at.run()  # e.g. another filter: the map holds the geometry
    assert not at.exception, [e.value for e in at.exception]
    sent = arrays(at)
    assert "positions" not in sent and "addresses.gz" not in sent
    assert "codes:kansen" in sent  # the layers still come with every run
    # A click reports the map element, not an ask: still no geometry.
    at.session_state["kk_kaart_deck"] = {"i": 0, "n": 1, "s": "kaart", "a": 0}
    at.run()
    assert "positions" not in arrays(at)
    # A new map element (another page and back) lacks it and asks once:
    at.session_state["kk_kaart_deck"] = {"i": -1, "n": 0, "s": "nieuw", "a": 1}
    at.run()
    assert "positions" in arrays(at)
    at.run()
    assert "positions" not in arrays(at)


def test_side_by_side_view_draws_both_maps_with_webgl():
    at = open_page(
        "3_kansenkaart.py", "demo:de-punt", kk_map_kind="snel", kk_view="naast"
    )
    assert maps(at) == [DECK, DECK]
    left, right = at.get("component_instance")
    assert {a.key for a in left.proto.special_args} >= {"codes:thema", "positions"}
    assert {a.key for a in right.proto.special_args} >= {"codes:kansen", "codes:bereik"}
