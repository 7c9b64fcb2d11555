"""Browser: the home page opens on demo data, in Dutch, without errors."""

from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_exception, open_app, screenshot, start_app


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
    # Streamlit's own English uploader texts are replaced by Dutch ones (CSS).
    dropzone = page.locator('[data-testid="stFileUploaderDropzone"]')
    button_text = dropzone.locator('[data-testid="stBaseButton-secondary"] p').evaluate(
        "p => getComputedStyle(p, '::after').content"
    )
    assert button_text == '"Bestand kiezen"'
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


def test_deep_link_right_after_server_start_gets_the_full_app(browser):
    # Streamlit serves pages/ without app.py until st.navigation has run once.
    with start_app("streamlit-deeplink.log") as url:
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        page = context.new_page()
        page.goto(f"{url}/beginsituatie")
        page.get_by_role("heading", name="Gegevens en datakwaliteit").wait_for()
        sidebar = page.locator('[data-testid="stSidebar"]')
        expect(sidebar.get_by_text("Bedrijventerrein")).to_be_visible()
        expect(sidebar.get_by_text("1–2 · Beginsituatie")).to_be_visible()
        assert_no_exception(page)
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
