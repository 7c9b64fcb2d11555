"""Browser: the werksessie on a projector-sized screen, and recording interest
by clicking a building on the map.

The app runs in its own server here, with DATABASE_URL pointing at a
temporary SQLite file, so the test can check what was stored.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

import kansenkaart as kk
from kansenkaart.records import store
from kansenkaart.records.database import ENV_URL
from tests.e2e.conftest import assert_no_exception, screenshot, start_app, wait_idle
from tests.e2e.test_maps_e2e import CODES, SIZES, click_building, wait_for

PROJECTOR = {"width": 1920, "height": 1080}
MAP = "iframe[title*='streamlit_folium']"
FIRST_OUTLINED = """k => {
    const c = window.kkLayers && window.kkLayers[k] && window.kkLayers[k].kkCodes;
    return c && c[0] === 0 ? c : null;
}"""


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("werksessie") / "werksessies.sqlite"
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def app(browser_path, database):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV_URL, database)
        with start_app("streamlit_werksessie.log") as url:
            yield url


@pytest.fixture
def page(browser, app):
    context = browser.new_context(viewport=PROJECTOR, locale="nl-NL")
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def open_werksessie(page, app) -> None:
    page.goto(f"{app}/werksessie")
    # the first view's title; on the wall the page title itself is hidden
    page.get_by_role("heading", name="Huidige situatie").wait_for()
    wait_idle(page)


def test_presentation_mode_on_a_projector(page, app):
    open_werksessie(page, app)
    assert wait_for(page, SIZES, "thema")["thema"] == 35
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    legend = page.locator(".ws-legend")
    expect(legend).to_contain_text("niet getoond (geen toestemming)")
    assert legend.evaluate("e => getComputedStyle(e).fontSize") == "22px"
    box = page.locator(MAP).first.bounding_box()
    assert box["width"] > 0.9 * PROJECTOR["width"], "the map spans the wall"
    assert box["y"] + box["height"] <= PROJECTOR["height"], "no scrolling needed"
    assert_no_exception(page)
    screenshot(page, "werksessie_presentatie")

    for title in ("Zon op dak", "Koppelkansen RWZI en luchthaven"):
        page.get_by_role("button", name="Volgende ▶").click()
        wait_idle(page)
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    wait_for(page, SIZES, "kansen")
    expect(legend).to_contain_text("Koppelbronnen (panden binnen de ring)")
    assert_no_exception(page)
    screenshot(page, "werksessie_koppelkansen")


def test_interest_is_recorded_by_clicking_a_building(page, app, database):
    building = kk.analyse(kk.load_terrain("demo:de-punt")).buildings.iloc[0]
    open_werksessie(page, app)
    page.get_by_role("textbox", name="Uw naam").fill("Fenna Facilitator")
    page.get_by_role("button", name="Doorgaan").click()
    wait_idle(page)
    expect(page.get_by_text("Fenna Facilitator")).to_be_visible()

    form = page.locator('[data-testid="stForm"]').filter(
        has_text="Interesse vastleggen"
    )
    # The map frame may still be redrawn after the name was saved; a click on
    # the old frame is lost, so click again (at most three times).
    for attempt in range(3):
        wait_for(page, CODES, "thema")
        page.locator(MAP).first.scroll_into_view_if_needed()
        click_building(page, "thema", 0)
        try:
            expect(form).to_contain_text(building["company"], timeout=15_000)
            break
        except AssertionError:
            if attempt == 2:
                raise
    wait_idle(page)
    form.get_by_label("Toelichting").fill("wil een scan in het voorjaar")
    form.get_by_role("button", name="Interesse vastleggen").click()
    wait_idle(page)

    db = store.Store(database)
    record = db.get(
        "interest",
        "de-punt",
        building_id=str(building["building_id"]),
        measure_id="mkb_energiescan",
    )
    db.close()
    assert record is not None, "stored in the database"
    assert record.values["level"] == "ja"
    assert record.values["note"] == "wil een scan in het voorjaar"
    assert record.updated_by == "Fenna Facilitator"
    outlined = wait_for(page, FIRST_OUTLINED, "interesse")
    assert outlined.count(0) == 1, "only this building outlined on the map"
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    assert_no_exception(page)
    screenshot(page, "werksessie_interesse_vastgelegd")
