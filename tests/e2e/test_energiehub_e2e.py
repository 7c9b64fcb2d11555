"""Browser: the Energiehub page on De Punt (a congested demo terrain).

A person picks a group, sees the three plotly charts drawn and the sharing
gain, moves the limit of the group contract and sees the hours above the limit
change; then loads a company's own quarter-hour export and sees its report.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_exception, open_app, screenshot, wait_idle

OWN = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "meterdata"
    / "datum_tijd_levering_teruglevering.csv"
)


def _metric(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label)
    return box.locator('[data-testid="stMetricValue"]').inner_text()


def test_group_charts_gain_and_limit_on_energiehub(page, app_url):
    page.set_viewport_size({"width": 1366, "height": 900})
    open_app(page, app_url, "energiehub?terrein=de-punt")
    page.get_by_role("heading", name="Energiehub").first.wait_for()
    wait_idle(page)
    page.get_by_text("Intern (alle gegevens)").click()
    wait_idle(page)
    page.get_by_role("combobox", name="Groep").click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    options.last.click()
    wait_idle(page)

    charts = page.locator('[data-testid="stPlotlyChart"]')
    expect(charts).to_have_count(3)
    # plotly drew every chart: SVG paths in its plot area (lines, bars)
    for k in range(3):
        drawn = charts.nth(k).locator("path.js-line, .barlayer path.point, .bars path")
        expect(drawn.first).to_be_attached()
    gain = _metric(page, "Deelwinst piek")
    assert re.fullmatch(r"[\d.]+ kW", gain), gain

    before = _metric(page, "Uren boven de grens")
    main = page.locator('[data-testid="stMain"]')
    limit = main.locator('[data-testid="stSlider"]').first.get_by_role("slider")
    limit.focus()
    for _ in range(6):  # 90 % (hub_group_limit_share) -> 60 % in steps of 5
        limit.press("ArrowLeft")
    wait_idle(page)
    expect(
        page.locator('[data-testid="stMetric"]')
        .filter(has_text="Uren boven de grens")
        .locator('[data-testid="stMetricValue"]')
    ).not_to_have_text(before)
    after = _metric(page, "Uren boven de grens")
    assert int(after.split()[0].replace(".", "")) > int(
        before.split()[0].replace(".", "")
    )
    assert_no_exception(page)
    screenshot(page, "energiehub_groep_grens")

    page.get_by_text(re.compile(r"Eigen kwartierdata \(0 van")).click()
    main.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
        str(OWN)
    )
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"Eigen kwartierdata \(1 van"))).to_be_visible()
    expect(page.get_by_text(re.compile("4 kwartieren ontbreken"))).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"Basis per pand: 1 × eigen meetdata"))
    ).to_be_visible()
    assert_no_exception(page)
    screenshot(page, "energiehub_eigen_meetdata")
