"""Browser: an entrepreneur finds their building, reads it and downloads the PDF."""

from __future__ import annotations

import io

import pypdf
from playwright.sync_api import expect

import kansenkaart as kk
from tests.e2e.conftest import assert_no_exception, open_app, screenshot, wait_idle
from tests.e2e.test_maps_e2e import click_building, wait_for

SEARCH = "Zoek uw pand"


def find(page, query: str) -> None:
    box = page.get_by_label(SEARCH, exact=True)
    box.fill(query)
    box.press("Enter")
    wait_idle(page)


def test_search_detail_and_pdf_download(page, app_url, tmp_path):
    page.set_viewport_size({"width": 1600, "height": 1200})
    open_app(page, app_url, "mijn_pand")
    page.get_by_role("heading", name="Mijn pand").wait_for()
    expect(page.get_by_text("Nog geen pand gekozen")).to_be_visible()

    find(page, "Venweg 7")  # typo for Vennweg 7, De Punt
    expect(page.get_by_role("heading", name="Logistiek Jansen")).to_be_visible(
        timeout=30_000
    )
    wait_idle(page)
    power = page.locator('[data-testid="stMetric"]').filter(has_text="Vermogen (kWp)")
    expect(power).to_contain_text(
        "26,5", timeout=30_000
    )  # capped by the kleinverbruik connection
    expect(page.get_by_text("U huurt: dit loopt via uw verhuurder")).to_be_visible()
    expect(page.get_by_text("Beste verhuurder,")).to_be_visible()
    assert_no_exception(page)
    page.set_viewport_size({"width": 1600, "height": 3400})  # the whole detail
    wait_idle(page)
    screenshot(page, "mijn_pand")

    with page.expect_download() as info:
        page.get_by_role("button", name="Download mijn kansenoverzicht (PDF)").click()
    target = tmp_path / "kansenoverzicht.pdf"
    info.value.save_as(target)
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Vennweg 7, De Punt" in text and "26,5 kWp" in text
    assert "Demodata – fictief" in text
    assert info.value.suggested_filename == "kansenoverzicht-0999100000000003.pdf"


def test_unknown_address_suggests_the_nearest_buildings(page, app_url):
    open_app(page, app_url, "mijn_pand")
    find(page, "Nietbestaandeweg 99")
    warning = page.get_by_text("Geen pand gevonden bij")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Bedoelt u")
    expect(page.get_by_text("Nog geen pand gekozen")).to_be_visible()
    assert_no_exception(page)
    screenshot(page, "mijn_pand_niet_gevonden")


def test_clicking_a_building_on_the_map_opens_it(page, app_url):
    building = kk.load_terrain("demo:de-punt").buildings.iloc[4]
    open_app(page, app_url, "mijn_pand")
    wait_for(page, "() => window.kkLayers && window.kkLayers['zon']")
    click_building(page, "zon", 4)
    expect(page.get_by_role("heading", name=building["company"])).to_be_visible(
        timeout=30_000
    )
    assert_no_exception(page)


def test_own_figures_change_the_numbers(page, app_url):
    open_app(page, app_url, "mijn_pand")
    find(page, "9495 BE 7")
    expect(page.get_by_role("heading", name="Logistiek Jansen")).to_be_visible(
        timeout=30_000
    )
    usage = page.get_by_label("Stroomverbruik (kWh per jaar)", exact=True)
    usage.fill("80000")
    usage.press("Enter")
    wait_idle(page)
    # A loaded CI machine needs more than the default 5 s for the rerun.
    expect(page.get_by_text("U rekent met uw eigen gegevens")).to_be_visible(
        timeout=30_000
    )
    expect(page.get_by_text("Energiebesparingsplicht: ja.")).to_be_visible(
        timeout=30_000
    )
    assert_no_exception(page)
    screenshot(page, "mijn_pand_eigen_gegevens")
