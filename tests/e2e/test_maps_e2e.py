"""Browser: the maps draw the buildings, react to clicks and filters, download.

This machine has no internet, so the background tiles never load; the
buildings are a vector layer with Leaflet inlined and must show regardless.
With canvas rendering the buildings are no DOM elements, so the tests ask the
map's Leaflet layers (``window.kkLayers`` inside the map's iframe).
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

import kansenkaart as kk
from kansenkaart.engine import privacy
from kansenkaart.views import legend
from tests.e2e.conftest import assert_no_exception, open_app, screenshot, wait_idle

SIZES = """key => {
    const layers = window.kkLayers || {};
    if (!layers[key]) { return null; }
    return Object.fromEntries(
        Object.entries(layers).map(([k, l]) => [k, l.getLayers().length]));
}"""
CODES = "key => window.kkLayers && window.kkLayers[key] && window.kkLayers[key].kkCodes"
CODES_ARE = """([key, want]) => {
    const c = window.kkLayers && window.kkLayers[key] && window.kkLayers[key].kkCodes;
    return c && JSON.stringify(c) === JSON.stringify(want) ? c : null;
}"""
CENTRE = """([key, i]) => {
    const l = window.kkLayers[key].getLayers().find(x => x.feature.properties.i === i);
    const p = window.map.latLngToContainerPoint(l.getBounds().getCenter());
    return [p.x, p.y];
}"""


@pytest.fixture(scope="module")
def de_punt():
    return kk.analyse(kk.load_terrain("demo:de-punt")).buildings


def map_frames(page) -> list:
    return [f for f in page.frames if "streamlit_folium" in f.url]


def wait_for(page, script: str, arg=None, frame_no: int = 0, timeout_s: float = 30):
    """Poll ``script`` in the map frame until it returns something truthy."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        frames = map_frames(page)
        if len(frames) > frame_no:
            try:
                value = frames[frame_no].evaluate(script, arg)
            except Exception:  # frame reloading
                value = None
            if value:
                return value
        page.wait_for_timeout(250)
    raise AssertionError(f"map did not answer {script[:60]!r} in {timeout_s} s")


def click_building(page, key: str, position: int, frame_no: int = 0) -> None:
    # The map reports its first state to the app, which reruns; a click
    # during that rerun is lost (also before the app-state refactor), so
    # click once the app is idle again.
    wait_idle(page)
    wait_for(page, SIZES, key, frame_no)
    frame = map_frames(page)[frame_no]
    x, y = frame.evaluate(CENTRE, [key, position])
    box = frame.frame_element().bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_current_state_map_draws_every_building_and_shows_a_click(
    page, app_url, de_punt
):
    page.set_viewport_size({"width": 1600, "height": 1250})
    open_app(page, app_url, "huidige_situatie")
    page.get_by_role("heading", name="Huidige situatie").wait_for()
    sizes = wait_for(page, SIZES, "thema")
    assert sizes["thema"] == len(de_punt) == 35
    expect(page.get_by_text("Klik op een pand op de kaart")).to_be_visible()
    screenshot(page, "huidige_situatie")

    building = de_punt.iloc[0]
    click_building(page, "thema", 0)
    facts = page.locator('[data-testid="stTable"]').filter(has_text="Gebruiksdoel")
    expect(facts).to_contain_text(building["address"], timeout=30_000)
    expect(facts).to_contain_text(building["company"])
    wait_idle(page)
    outlined = wait_for(page, CODES, "selectie")
    assert outlined.index(0) == 0 and outlined.count(0) == 1
    assert_no_exception(page)
    screenshot(page, "huidige_situatie_gekozen_pand")


def test_theme_switch_keeps_the_map_and_changes_the_legend(page, app_url):
    open_app(page, app_url, "huidige_situatie")
    wait_for(page, CODES, "thema")
    frame = map_frames(page)[0]
    frame.evaluate("() => { window.kkMarker = 'zelfde kaart'; }")
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Thema").click()
    page.get_by_role("option", name="Bouwjaar").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Bouwjaar")).to_be_visible()
    expect(page.locator('[data-testid="stTable"]').first).to_contain_text("1975–1991")
    # the base map stayed: only the building layer was swapped
    assert wait_for(page, "() => window.kkMarker") == "zelfde kaart"
    assert_no_exception(page)


def test_collective_filter_changes_the_highlighted_buildings(page, app_url, de_punt):
    page.set_viewport_size({"width": 1600, "height": 1250})
    open_app(page, app_url, "kansenkaart")
    page.get_by_role("heading", name="Kansenkaart").wait_for()
    sizes = wait_for(page, SIZES, "kansen")
    assert sizes["kansen"] == 35 and sizes["zon"] == 35
    screenshot(page, "kansenkaart")

    hidden = legend.hidden_mask(de_punt, True, kk.load_terrain("demo:de-punt").survey)
    codes = {}
    for scope, label in (("individual", "Individueel"), ("collective", "Collectief")):
        expected = legend.opportunity_spec(  # presentation mode: the public (R7)
            privacy.with_public_measures(de_punt, hidden),
            legend.selected_measures(scope),
        ).codes.tolist()
        page.locator('[data-testid="stButtonGroup"]').get_by_text(label).click()
        wait_idle(page)
        codes[scope] = wait_for(page, CODES_ARE, ["kansen", expected])
        assert codes[scope] == expected
    assert codes["individual"] != codes["collective"]
    assert_no_exception(page)
    screenshot(page, "kansenkaart_collectief")


def test_side_by_side_view_shows_both_maps(page, app_url):
    page.set_viewport_size({"width": 1920, "height": 1250})
    open_app(page, app_url, "kansenkaart")
    wait_for(page, CODES, "kansen")
    page.locator('[data-testid="stButtonGroup"]').get_by_text("Naast elkaar").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Huidige situatie")).to_be_visible()
    left = wait_for(page, SIZES, "thema")
    right = wait_for(page, SIZES, "kansen", frame_no=1)
    assert left["thema"] == right["kansen"] == 35
    assert_no_exception(page)
    screenshot(page, "kansenkaart_naast_elkaar")


def test_download_is_a_standalone_map_that_works_offline(page, app_url, tmp_path):
    open_app(page, app_url, "huidige_situatie")
    wait_for(page, CODES, "thema")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download kaart").click()
    path = tmp_path / "kaart.html"
    info.value.save_as(path)
    html = path.read_text(encoding="utf-8")
    assert re.search(r'<script[^>]+src="https?:', html) is None
    assert "achtergrondkaart (PDOK of OpenStreetMap) heeft internet nodig" in html
    offline = page.context.new_page()
    offline.goto(path.as_uri())
    sizes = offline.wait_for_function(
        "() => window.kkLayers && window.kkLayers.thema && "
        "window.kkLayers.thema.getLayers().length"
    )
    assert sizes.json_value() == 35
    offline.close()
