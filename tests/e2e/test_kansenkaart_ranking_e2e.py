"""Browser: the ranking themes of the Kansenkaart and the kansenkaart as a PDF.

For every theme of "Kleur panden naar" the legend beside the map counts
every building of De Punt exactly once, and the map draws them all; one
click gives the A3 PDF. Screenshots at 1366×768 and 1920×1080.
"""

from __future__ import annotations

import io

import pypdf
import pytest

import kansenkaart as kk
from kansenkaart.engine import privacy
from kansenkaart.views import kansenkaart_pdf, legend, ranking
from tests.e2e.conftest import (
    SCREENSHOTS,
    assert_no_exception,
    open_app,
    screenshot,
    wait_idle,
)
from tests.e2e.test_maps_e2e import SIZES, wait_for

CHOICES = kansenkaart_pdf.OPPORTUNITY_CHOICES


@pytest.fixture(scope="module")
def de_punt():
    analysis = kk.analyse(kk.load_terrain("demo:de-punt"))
    return analysis, kk.opportunity_list(analysis)


def expected_legend(analysis, opportunities, theme: str) -> dict[str, int]:
    """The legend the page should show (presentation mode is on by default)."""
    a = analysis.buildings
    hidden = legend.hidden_mask(a, True, analysis.terrain.survey)
    if theme == "kansen":  # the wall shows what public data allow (R7)
        shown = privacy.with_public_measures(a, hidden)
        spec = legend.opportunity_spec(shown, legend.selected_measures())
    else:
        spec = ranking.ranking_spec(analysis, theme, opportunities, hidden)
    table = legend.legend_table(spec)
    return dict(zip(table["klasse"], table["aantal"].astype(int), strict=True))


def legend_counts(page) -> dict[str, int]:
    """Class -> count of the first legend table beside the map."""
    table = page.locator('[data-testid="stTable"]').first
    rows = table.locator("tbody tr").all()
    counts = {}
    for row in rows:
        cells = [c.inner_text().strip() for c in row.locator("td").all()]
        counts[cells[-2]] = int(cells[-1].replace(".", ""))
    return counts


def choose(page, name: str) -> None:
    page.locator('[data-testid="stSelectbox"]').filter(
        has_text="Kleur panden naar"
    ).click()
    page.get_by_role("option", name=name, exact=True).click()
    wait_idle(page)


def test_every_theme_legend_counts_every_building_once(page, app_url, de_punt):
    analysis, opportunities = de_punt
    n_buildings = len(analysis.buildings)
    page.set_viewport_size({"width": 1600, "height": 1100})
    open_app(page, app_url, "kansenkaart")
    wait_for(page, SIZES, "kansen")
    for theme, name in CHOICES.items():
        if theme != "kansen":
            choose(page, name)
        want = expected_legend(analysis, opportunities, theme)
        assert sum(want.values()) == n_buildings
        counts = {}
        for _ in range(40):  # the table may still show the theme before
            counts = legend_counts(page)
            if counts == want:
                break
            page.wait_for_timeout(250)
        assert counts == want, theme
        assert sum(counts.values()) == n_buildings
        assert wait_for(page, SIZES, "kansen")["kansen"] == n_buildings
        assert_no_exception(page)
    screenshot(page, "kansenkaart_uitdagingen")


def test_one_click_gives_the_a3_pdf(page, app_url, tmp_path):
    open_app(page, app_url, "kansenkaart")
    wait_for(page, SIZES, "kansen")
    choose(page, "Grootste kans")
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Kansenkaart als PDF (A3)").click()
    path = tmp_path / "kansenkaart.pdf"
    info.value.save_as(path)
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Huidige situatie" in first and "Grootste kans" in first
    assert len(reader.pages) > 2
    assert_no_exception(page)


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_kansenkaart_page_at_common_screen_sizes(page, app_url, size):
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    open_app(page, app_url, "kansenkaart")
    wait_for(page, SIZES, "kansen")
    choose(page, "Uitdagingen")
    wait_for(page, SIZES, "kansen")
    page.wait_for_timeout(500)
    assert_no_exception(page)
    path = SCREENSHOTS / f"kansenkaart_{width}x{height}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
