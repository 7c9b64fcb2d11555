"""Browser test of the WebGL map (deck.gl) on a terrain of a few thousand buildings.

The terrain is a synthetic one (fictitious) opened from a server folder
(``KANSENKAART_TERRAINS``); the first building's company is renamed to a
``<script>`` tag. Chromium runs headless without internet: deck.gl comes from
the app itself (``appui/deckgl/``), WebGL on SwiftShader.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

import kansenkaart as kk
from kansenkaart.io import demo, demo_specs
from kansenkaart.views import deckdata, legend
from tests.e2e.conftest import SCREENSHOTS, assert_no_exception, start_app, wait_idle

pytestmark = pytest.mark.e2e

N_BUILDINGS = 3_000
HOSTILE = '<script>document.title="gehackt"</script> & Zn'


@pytest.fixture(scope="module")
def webgl_url(browser_path, tmp_path_factory):
    folder = tmp_path_factory.mktemp("terreinen")
    spec = demo_specs.synthetic_spec(N_BUILDINGS)
    path = demo.write_terrain(demo.generate_terrain(spec), folder / spec.id)
    buildings = path / "buildings.geojson"
    data = json.loads(buildings.read_text("utf-8"))
    first = data["features"][0]["properties"]
    first["company"] = HOSTILE
    buildings.write_text(json.dumps(data), "utf-8")
    env = {"KANSENKAART_TERRAINS": str(folder)}
    with start_app("streamlit_webgl.log", env=env) as url:
        yield (
            f"{url}/kansenkaart?terrein=map:{spec.id}&kaart=snel",
            first["address"],
            path,
        )


def map_frame(page):
    """The map's frame, once deck.gl has drawn the buildings."""
    for _ in range(600):
        frame = next((f for f in page.frames if "kk_deckmap" in f.url), None)
        if frame is not None:
            frame.wait_for_function("() => !!window.kkPainted", timeout=120_000)
            return frame
        page.wait_for_timeout(200)
    raise AssertionError("no WebGL map on the page")


def map_element(page):
    return page.locator('iframe[src*="kk_deckmap"]')


def first_building(page, frame) -> tuple[float, float]:
    """Centre the map on building 0 and return its point on the page."""
    element = map_element(page)
    element.scroll_into_view_if_needed()
    x, y = frame.evaluate("() => window.kkCentreOn(0)")
    page.wait_for_timeout(500)
    box = element.bounding_box()
    return box["x"] + x, box["y"] + y


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def test_webgl_map_draws_the_buildings_offline(page, webgl_url):
    page.goto(webgl_url[0])
    frame = map_frame(page)
    element = map_element(page)
    element.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    shown = pixels(element.screenshot(path=str(SCREENSHOTS / "webgl-kansenkaart.png")))
    # The same view without the building fills: what differs are buildings.
    frame.evaluate(
        "() => window.kkDeck.setProps({layerFilter: ({layer}) =>"
        " !layer.id.startsWith('fill-') && !layer.id.startsWith('picture-')})"
    )
    page.wait_for_timeout(500)
    without = pixels(element.screenshot())
    share = float((np.abs(shown - without).max(axis=2) > 30).mean())
    assert share > 0.10, f"the map shows hardly any buildings ({share:.1%})"
    assert frame.evaluate("() => typeof window.kkDeckCore.Deck") == "function"
    assert_no_exception(page)


def test_tooltip_shows_a_script_tag_in_a_company_name_as_text(page, webgl_url):
    page.goto(webgl_url[0])
    frame = map_frame(page)
    x, y = first_building(page, frame)
    page.mouse.move(x, y)
    tip = frame.locator("#tip")
    page.wait_for_timeout(300)
    page.mouse.move(x + 1, y + 1)
    frame.wait_for_function(
        "s => document.getElementById('tip').textContent.includes(s)",
        arg=HOSTILE,
        timeout=30_000,
    )
    assert HOSTILE in tip.inner_text()
    assert tip.locator("script").count() == 0
    assert "&lt;script&gt;" in tip.inner_html()
    assert page.title() != "gehackt" and frame.evaluate("document.title") != "gehackt"


def test_click_on_a_building_shows_its_detail_on_the_page(page, webgl_url):
    url, address, _ = webgl_url
    page.goto(url)
    frame = map_frame(page)
    wait_idle(page, 60_000)
    page.mouse.click(*first_building(page, frame))
    detail = page.locator('[data-testid="stTable"]').filter(has_text=address)
    detail.first.wait_for(timeout=60_000)
    assert HOSTILE in detail.first.inner_text()
    assert page.get_by_text("Klik op een pand op de kaart").count() == 0
    assert_no_exception(page)


def test_the_map_is_drawn_again_after_another_page(page, webgl_url):
    """The server sends the geometry once per session; a new map element
    (back from another page, the fast map chosen again) lacks it, asks for it
    and draws the buildings."""
    page.goto(webgl_url[0])
    map_frame(page)
    wait_idle(page, 60_000)
    page.get_by_role("link", name="Mijn pand").click()
    wait_idle(page, 60_000)
    page.get_by_role("link", name="Kansenkaart").click()
    wait_idle(page, 60_000)
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Kaart").last.click()
    page.get_by_role("option", name=deckdata.MAP_KINDS["snel"]).click()
    frame = map_frame(page)
    assert frame.evaluate("() => window.kkDeck.props.layers.length") > 0
    assert_no_exception(page)


def test_estimated_values_have_dashed_outlines_as_on_the_standard_map(page, webgl_url):
    """The legend says "lichter, gestippelde rand" for an estimate: zoomed in,
    the outline of exactly the buildings with an estimated value is drawn in
    pieces (dashes), the others in one closed line."""
    url, _, path = webgl_url
    page.goto(
        url.replace("/kansenkaart?", "/huidige_situatie?")
        + "&thema=energy_total&presentatie=uit"
    )
    frame = map_frame(page)
    first_building(page, frame)
    frame.evaluate("() => window.kkSetView({zoom: 16})")  # outlines from zoom 15
    page.wait_for_timeout(300)
    pieces = frame.evaluate(
        """() => {
        const out = {};
        for (const layer of window.kkDeck.props.layers) {
            if (layer.id.startsWith("line-") && layer.id !== "line-selectie") {
                for (const b of layer.props.data.buildings) out[b] = (out[b] || 0) + 1;
            }
        }
        return out;
    }"""
    )
    terrain = kk.load_terrain(path)
    estimated = legend.theme_spec(
        kk.analyse(terrain).buildings, "energy_total"
    ).estimated
    outlined = {int(b) for b in pieces}
    dashed = {int(b) for b, n in pieces.items() if n > 1}
    assert len(outlined) >= 10
    assert dashed == {b for b in outlined if estimated[b]}
    assert 0 < len(dashed) < len(outlined)
    print(f"{len(outlined)} panden met rand, {len(dashed)} gestippeld (geschat)")
    map_element(page).screenshot(path=str(SCREENSHOTS / "webgl-geschat-gestippeld.png"))
    assert_no_exception(page)
