"""Browser: the home page opens on demo data, in Dutch, without errors."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    assert_no_exception,
    open_app,
    screenshot,
    start_app,
    wait_idle,
)


def test_home_page_shows_dutch_title_and_demo_banner(page, app_url):
    open_app(page, app_url)
    page.get_by_role("heading", name="Kansenkaart bedrijventerreinen").wait_for()
    page.get_by_text("Demodata – fictief").wait_for()
    page.get_by_text("Werkwijze in vijf stappen").wait_for()
    expect(page.locator('[data-testid="stMetric"]')).to_have_count(7)
    assert_no_exception(page)
    path = screenshot(page, "home")
    assert path.stat().st_size > 10_000


def test_switching_terrain_updates_key_figures(page, app_url):
    open_app(page, app_url)
    buildings = page.locator('[data-testid="stMetricValue"]').first
    expect(buildings).to_have_text("35")  # De Punt, the default terrain
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').click()
    page.get_by_role("option", name="Peelerpark en Messchenveld (Assen) — demo").click()
    page.get_by_role("heading", name="Peelerpark en Messchenveld (Assen)").wait_for()
    expect(buildings).to_have_text("210")
    assert_no_exception(page)


def test_broken_upload_shows_dutch_error_and_keeps_terrain(page, app_url, tmp_path):
    open_app(page, app_url)
    buildings = page.locator('[data-testid="stMetricValue"]').first
    expect(buildings).to_have_text("35")
    page.get_by_text("Eigen terrein laden (.zip)").click()
    # Streamlit's own English uploader texts are replaced by Dutch ones
    # (appui/dutch_widgets.js; tests/e2e/test_dutch_only.py checks them all).
    dropzone = page.locator('[data-testid="stFileUploaderDropzone"]')
    expect(dropzone.locator('[data-testid="stBaseButton-secondary"] p')).to_have_text(
        "Bestand kiezen"
    )
    broken = tmp_path / "kapot.zip"
    broken.write_bytes(b"dit is geen zip")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        str(broken)
    )
    alert = page.get_by_text("'kapot.zip' is niet geladen")
    alert.wait_for()
    assert "geen geldig zipbestand" in page.inner_text('[data-testid="stSidebar"]')
    expect(buildings).to_have_text("35")
    assert_no_exception(page)
    screenshot(page, "upload_fout")


MENU_SECTIONS = (
    "Start",
    "1–2 · Beginsituatie",
    "3 · Kansen identificeren",
    "4–5 · Werkgroepen en monitoring",
    "Instellingen",
)


def assert_full_app(page, heading: str, path: str) -> None:
    """The page of De Punt, inside the app: sidebar with the terrain picker and
    every menu section,
    the wide layout, the URL kept, and no error dialog or exception."""
    page.get_by_role("heading", name=heading, exact=True).wait_for(timeout=90_000)
    wait_idle(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text("Bedrijventerrein")).to_be_visible()
    # The picker names the terrain the page shows (its widget changes id
    # after the first run of a session; appui.state.sync_picker).
    picker = sidebar.locator('[data-testid="stSelectbox"] input')
    expect(picker).to_have_value("De Punt (Tynaarlo) — demo")
    menu = page.locator('[data-testid="stSidebarNav"]')
    for section in MENU_SECTIONS:
        expect(menu.locator("header").get_by_text(section, exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_have_count(1)
    main = page.locator('[data-testid="stMainBlockContainer"]').bounding_box()
    assert main["width"] > 1000, f"not the wide layout: {main['width']:.0f} px"
    assert page.get_by_role("dialog").count() == 0
    assert page.get_by_text("Page not found").count() == 0
    # the path is kept; the query (?terrein=…) is the link's place (URL state)
    assert urlsplit(page.url).path.rstrip("/").endswith(path.rstrip("/")) or not path
    assert_no_exception(page)


@pytest.mark.parametrize(
    ("path", "heading"),
    [("", "Kansenkaart bedrijventerreinen"), ("kansenkaart", "Kansenkaart")],
    ids=["root", "deep-link"],
)
def test_first_request_after_server_start_gets_the_full_app(browser, path, heading):
    # A fresh server process per case: until some session has run
    # st.navigation, Streamlit routes by the files in pages/ (appui.shell).
    with start_app(f"streamlit-coldstart-{path or 'root'}.log") as url:
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        page = context.new_page()
        page.goto(f"{url}/{path}")
        assert_full_app(page, heading, path)
        screenshot(page, f"koude_start_{path or 'start'}")
        # The menu works from there on.
        menu = page.locator('[data-testid="stSidebarNav"]')
        menu.get_by_role("link", name="Aannames").click()
        assert_full_app(page, "Aannames", "aannames")
        context.close()


def test_first_session_after_server_start_keeps_the_chosen_terrain(browser):
    # The facilitator starts the app just before the werksessie: the very first
    # session must keep the terrain it picks when moving between pages.
    with start_app("streamlit-coldstart.log") as url:
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        page = context.new_page()
        page.goto(url)
        buildings = page.locator('[data-testid="stMetricValue"]').first
        expect(buildings).to_have_text("35", timeout=60_000)
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.locator('[data-testid="stSelectbox"]').click()
        page.get_by_role(
            "option", name="Peelerpark en Messchenveld (Assen) — demo"
        ).click()
        expect(buildings).to_have_text("210", timeout=60_000)
        sidebar.get_by_text("Gegevens en datakwaliteit").click()
        page.get_by_role("heading", name="Gegevens en datakwaliteit").wait_for()
        expect(
            page.get_by_text("Peelerpark en Messchenveld (Assen)").first
        ).to_be_visible()
        sidebar.get_by_role("link", name="Start").click()
        expect(buildings).to_have_text("210", timeout=60_000)
        assert_no_exception(page)
        context.close()
