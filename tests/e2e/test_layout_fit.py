"""Browser: every page fits the screens people use (issue 18, "Layouts that fit").

Every page of the menu is opened at 1280×720 and 1366×768 (laptops, beamers)
and 1920×1080, on the demo terrain De Punt, and its element boxes are compared
with the viewport:

- no visible element reaches past the right (or left) edge of the window,
  unless a box that clips or scrolls and itself fits holds it;
- nothing scrolls sideways (tables, button rows, column groups) but what
  does so by design: a data grid's columns (``st.dataframe``) and the chosen
  tags in a multiselect box;
- no text of a metric tile, button, widget label, tab, page link or toggle is
  cut off with "…" (its scrollWidth exceeds its clientWidth).

The werksessie in presentation mode on a 1280×720 beamer: the map takes at
least 60 % of the screen height, visible without scrolling, and the text is
wall-sized.
"""

from __future__ import annotations

import re

import pytest

import kansenkaart as kk
from appui import shell
from tests.e2e.conftest import assert_no_exception, screenshot

SIZES = ((1280, 720), (1366, 768), (1920, 1080))
# Streamlit drops a leading "<step>_" from the file name in the URL.
PATHS = {e.title: re.sub(r"^\d+_", "", e.path.stem) for e in shell.PAGES}
PATHS[shell.PAGES[0].title] = ""  # the start page is the root

SETTLED = """() => !document.querySelector(
    '[data-testid="stStatusWidget"], [data-testid="stSpinner"]')
  && document.querySelector('[data-testid="stMainBlockContainer"] h1')"""

# Returns {overflow, sideways, truncated}: lists of "testid: text [sizes]".
LAYOUT_PROBLEMS = """() => {
  const vw = document.documentElement.clientWidth;
  const app = document.querySelector('[data-testid="stApp"]');
  const out = {overflow: [], sideways: [], truncated: []};
  const name = (el) => {
    const owner = el.closest('[data-testid]');
    const text = (el.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 60);
    return `${owner ? owner.dataset.testid : el.tagName}: ${text}`;
  };
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    return r.width >= 1 && r.height >= 1 && cs.visibility !== 'hidden';
  };
  const clips = (el) => getComputedStyle(el).overflowX !== 'visible';
  // Scrolling sideways by design: a data grid's columns, the chosen tags of a
  // multiselect (the list under it shows every option).
  const byDesign = ['stDataFrame', 'stDataFrameResizable', 'stMultiSelectTagsContainer']
    .map((t) => `[data-testid="${t}"]`).join(', ');
  const page = '[data-testid="stMain"], [data-testid="stSidebar"], ' +
    '[data-testid="stSidebarContent"], [data-testid="stAppViewContainer"]';
  const held = (el) => {  // inside a box that clips or scrolls and fits
    for (let a = el.parentElement; a && a !== app; a = a.parentElement) {
      if (a.matches(page)) return false;
      if (clips(a) && a.getBoundingClientRect().right <= vw + 1) return true;
    }
    return false;
  };
  for (const el of app.querySelectorAll('*')) {
    if (!shown(el)) continue;
    const r = el.getBoundingClientRect();
    if ((r.right > vw + 1 || r.left < -1) && !held(el))
      out.overflow.push(`${name(el)} [${Math.round(r.left)}–${Math.round(r.right)}]`);
    const sx = getComputedStyle(el).overflowX;
    if ((sx === 'auto' || sx === 'scroll') && el.scrollWidth > el.clientWidth + 1
        && !el.matches(page)
        && !el.closest(byDesign))
      out.sideways.push(`${name(el)} [${el.scrollWidth} > ${el.clientWidth} px]`);
  }
  const tight = ['stMetric', 'stButton', 'stDownloadButton', 'stFormSubmitButton',
    'stWidgetLabel', 'stTab', 'stButtonGroup', 'stCheckbox', 'stPageLink',
    'stSidebarNavLink'].map((t) => `[data-testid="${t}"]`).join(', ')
    + ', [data-testid="stExpander"] summary';
  for (const root of app.querySelectorAll(tight)) {
    for (const el of [root, ...root.querySelectorAll('*')]) {
      if (shown(el) && clips(el) && el.scrollWidth > el.clientWidth + 1
          && el.innerText.trim())
        out.truncated.push(`${name(el)} [${el.scrollWidth} > ${el.clientWidth} px]`);
    }
  }
  for (const k of Object.keys(out)) out[k] = [...new Set(out[k])];
  return out;
}"""


@pytest.fixture(scope="module")
def building_id() -> str:
    """A building of De Punt, for Mijn pand's tiles (``?pand=``)."""
    terrain = kk.load_terrain("demo:de-punt")
    return str(terrain.buildings["building_id"].iloc[0])


@pytest.fixture(scope="module")
def windows(browser):
    """One browser tab per screen size, reused for every page."""
    contexts = {}
    for width, height in SIZES:
        contexts[width, height] = browser.new_context(
            viewport={"width": width, "height": height}, locale="nl-NL"
        )
    yield {size: context.new_page() for size, context in contexts.items()}
    for context in contexts.values():
        context.close()


def settle(page) -> None:
    """Wait until the run is over and no spinner turns (checked twice: a
    cached step can finish between two runs)."""
    for _ in range(2):
        page.wait_for_function(SETTLED, timeout=90_000)
        page.wait_for_timeout(600)


def open_page(page, app_url: str, path: str) -> None:
    page.goto(f"{app_url}/{path}")
    page.wait_for_selector('[data-testid="stMainBlockContainer"]')
    settle(page)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("title", list(PATHS))
def test_page_fits_the_screen(windows, app_url, building_id, size, title):
    page = windows[size]
    path = PATHS[title]
    if path == "mijn_pand":  # with a building: its tiles are the tight part
        path += f"?pand={building_id}"
    open_page(page, app_url, path)
    if "mijn_pand" in path:
        page.wait_for_selector('[data-testid="stMetric"]')
    assert_no_exception(page)
    problems = page.evaluate(LAYOUT_PROBLEMS)
    if any(problems.values()):
        screenshot(page, f"layout_{PATHS[title] or 'start'}_{size[0]}x{size[1]}")
    assert problems == {"overflow": [], "sideways": [], "truncated": []}


def test_metric_tiles_wrap_instead_of_cutting_text(windows, app_url, building_id):
    """Mijn pand's seven solar tiles at 1280 px: cut off to "…" in four and
    three equal columns before; now they take two rows or more, whole."""
    page = windows[1280, 720]
    open_page(page, app_url, f"mijn_pand?pand={building_id}")
    tiles = page.locator('[data-testid="stMetric"]')
    tiles.first.wait_for()
    tops = {round(box["y"]) for box in (t.bounding_box() for t in tiles.all())}
    assert len(tops) >= 2  # wrapped onto more than one row
    for tile in tiles.all():
        value = tile.locator('[data-testid="stMetricValue"] div').first
        assert value.evaluate("e => e.scrollWidth <= e.clientWidth"), tile.inner_text()


def test_presentation_mode_gives_the_map_the_beamer(windows, app_url):
    """Werksessie on a 1280×720 beamer, presentation mode (on by default)."""
    page = windows[1280, 720]
    open_page(page, app_url, "werksessie")
    page.locator(".st-key-ws_map_frame iframe").wait_for()
    frame = page.evaluate(
        """() => {
        const r = document.querySelector('.st-key-ws_map_frame iframe')
          .getBoundingClientRect();
        const vh = window.innerHeight;
        return {height: r.height, visible: Math.min(r.bottom, vh) - Math.max(r.top, 0),
                vh: vh};
    }"""
    )
    screenshot(page, "layout_werksessie_beamer_1280x720")
    assert frame["height"] >= 0.6 * frame["vh"], frame
    assert frame["visible"] >= 0.6 * frame["vh"], frame  # without scrolling
    # Wall-sized text: the view's title, the sentences and the legend
    # (Streamlit's 1rem is 16 px; the wall style sets 1.35rem and 2.1rem).
    sizes = page.evaluate(
        """() => ({
        title: parseFloat(getComputedStyle(
          document.querySelector('[data-testid="stMainBlockContainer"] h3')).fontSize),
        legend: Math.min(...[...document.querySelectorAll(
          '[data-testid="stMainBlockContainer"] [data-testid="stHtml"] *')]
          .filter(e => e.offsetParent && e.childNodes[0]
                       && e.childNodes[0].nodeType === Node.TEXT_NODE
                       && e.childNodes[0].textContent.trim())
          .map(e => parseFloat(getComputedStyle(e).fontSize))),
        text: Math.min(...[...document.querySelectorAll(
          '[data-testid="stMainBlockContainer"] [data-testid="stMarkdownContainer"] p')]
          .filter(p => p.offsetParent && !p.closest('[data-testid="stAlert"]'))
          .map(p => parseFloat(getComputedStyle(p).fontSize))),
    })"""
    )
    assert sizes["title"] >= 32 and sizes["text"] >= 21, sizes
    assert sizes["legend"] >= 18, sizes  # the legend strip under the map
    # No sidebar and no page title on the wall; the views can be reached.
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert not page.locator(".st-key-page_head").is_visible()
    assert page.get_by_role("button", name="Volgende ▶").is_visible()
