"""Browser: Netcapaciteit & infrastructuur draws the capacity areas and the projects.

Background tiles need internet and do not load here; the capacity areas and
buildings are drawn by the inlined Leaflet and must show regardless.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from kansenkaart.core import texts
from kansenkaart.views import capacity, colors
from tests.e2e.conftest import assert_no_exception, open_app, screenshot, wait_idle

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
# Every layer of the Leaflet map with a tooltip text: [fill colour, tooltip].
LAYERS_JS = """() => {
  const out = [];
  const maps = new Set(Object.values(window).filter(v => v instanceof L.Map));
  for (const m of maps) {
    m.eachLayer(l => {
      const tip = l.feature && l.feature.properties && l.feature.properties.tip;
      if (tip) { out.push([l.options.fillColor, tip]); }
    });
  }
  return out;
}"""


def map_layers(page, timeout_s: float = 30) -> list[tuple[str, str]]:
    """The map's layers with a tooltip (waits for the map to be drawn).

    The map is an iframe that Streamlit may replace on a rerun; a frame that
    goes away while it is read is looked up again.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            frame = next(f for f in page.frames if "st_folium" in f.url)
            frame.wait_for_selector(".leaflet-container", timeout=5_000)
            layers = frame.evaluate(LAYERS_JS)
            if layers:
                return layers
        except (StopIteration, PlaywrightError):
            pass
        if time.monotonic() > deadline:
            raise AssertionError("de kaart is niet getekend")
        page.wait_for_timeout(500)


def open_page(page, app_url) -> None:
    open_app(page, app_url, "netcapaciteit")
    page.get_by_role("heading", name="Netcapaciteit & infrastructuur").wait_for()
    wait_idle(page)
    map_layers(page)
    page.wait_for_timeout(1500)  # let the canvas draw


def _pixels_near(png: bytes, colour: tuple[int, int, int], tolerance: int) -> int:
    """Number of pixels within ``tolerance`` (sum of channel differences)."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
    return int((np.abs(pixels - np.array(colour)).sum(axis=2) <= tolerance).sum())


def test_capacity_areas_render_with_status_colour_and_legend(page, app_url):
    open_page(page, app_url)
    areas = [
        (colour, tip)
        for colour, tip in map_layers(page)
        if tip.startswith("<b>De Punt")
    ]
    # The demo De Punt's capacity areas, with their feed-in status as published
    grid = gpd.read_file(ROOT / "data" / "demo" / "de-punt" / "grid.geojson")
    statuses = set(grid["invoeding_status"].astype(int))
    assert len(areas) == len(grid) and len(statuses) == 1
    status = statuses.pop()
    colour = colors.GRID_STATUS[status]
    assert {c for c, _ in areas} == {colour}
    assert all(f"invoeding: {texts.grid_status(status)}" in tip for _, tip in areas)
    # And they are drawn: the canvas holds their outline in the status colour.
    png = page.locator("iframe").first.screenshot()
    rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    assert _pixels_near(png, rgb, 30) > 2_000
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text(texts.grid_status(status)).first).to_be_visible()
    expect(main.get_by_text("Wat betekent dit voor de kansen?")).to_be_visible()
    advice = capacity.ADVICE[("invoeding", status)].options
    expect(main.get_by_text(advice[:60]).first).to_be_visible()
    assert_no_exception(page)

    page.get_by_role("tab", name="Tijdlijn").click()
    expect(page.locator(".js-plotly-plot")).to_be_visible()
    expect(page.get_by_text("Jaar van inbedrijfname (IBN)")).to_be_visible()
    page.get_by_role("tab", name="Projectfiche").click()
    expect(page.get_by_text("Projectfiche – concreet project")).to_be_visible()
    page.get_by_role("tab", name="Tabel").click()
    assert_no_exception(page)

    page.set_viewport_size({"width": 1600, "height": 3400})
    wait_idle(page)
    page.wait_for_timeout(1500)
    path = screenshot(page, "netcapaciteit")
    assert path.stat().st_size > 50_000


def test_failed_capacity_import_shows_dutch_error_and_keeps_the_map(page, app_url):
    open_page(page, app_url)
    page.get_by_text("Eigen capaciteitskaart of projectenlijst laden").click()
    bad = FIXTURES / "capaciteitskaart_foute_status.geojson"
    main = page.locator('[data-testid="stMain"]')
    main.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
        str(bad)
    )
    page.get_by_text(
        "'capaciteitskaart_foute_status.geojson' is niet geladen"
    ).wait_for()
    expect(page.get_by_text("ligt buiten het bereik 0–3").first).to_be_visible()
    wait_idle(page)
    tips = [tip for _, tip in map_layers(page) if tip.startswith("<b>De Punt")]
    assert len(tips) == 2  # the terrain's own capacity map is still shown
    assert_no_exception(page)
    screenshot(page, "netcapaciteit_importfout")
