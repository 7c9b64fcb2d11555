"""Browser: the Capaciteitskaart data product on Netcapaciteit at 1366×768.

A real TenneT delivery (tests/fixtures/real/capaciteitskaart) is uploaded; the
energy area of the terrain, its year of relief and the planned works must show
without the page growing wider than a 1366-pixel laptop screen.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_exception, open_app, screenshot, wait_idle

TENNET = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "real"
    / "capaciteitskaart"
    / "TenneT_20260423_v21_update-subset.json"
)


def test_data_product_on_netcapaciteit_at_laptop_size(page, app_url):
    page.set_viewport_size({"width": 1366, "height": 768})
    open_app(page, app_url, "netcapaciteit")
    page.get_by_role("heading", name="Netcapaciteit & infrastructuur").wait_for()
    wait_idle(page)
    page.get_by_text("Eigen capaciteitskaart of projectenlijst laden").click()
    main = page.locator('[data-testid="stMain"]')
    main.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
        str(TENNET)
    )
    heading = page.get_by_role(
        "heading", name="Energiegebied van het terrein (dataproduct Capaciteitskaart)"
    )
    heading.wait_for()
    wait_idle(page)
    expect(page.get_by_text(f"'{TENNET.name}' is geladen.")).to_be_visible()
    expect(page.get_by_text("Geplande werkzaamheden (9)")).to_be_visible()
    page.get_by_text("Capaciteit per jaar – Drenthe").click()
    per_year = page.locator('[data-testid="stExpander"]').filter(
        has_text="Capaciteit per jaar – Drenthe"
    )
    expect(per_year.locator('[data-testid="stDataFrame"]')).to_be_visible()
    heading.scroll_into_view_if_needed()
    page.mouse.wheel(0, 250)
    page.wait_for_timeout(1000)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 1366, f"de pagina is {width} px breed bij een scherm van 1366 px"
    assert_no_exception(page)
    screenshot(page, "netcapaciteit_dataproduct_1366")
