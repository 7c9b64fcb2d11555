"""Browser: load real-format files on "Data laden", read the report, get the zip."""

from pathlib import Path

from playwright.sync_api import expect

import kansenkaart as kk
from tests.e2e.conftest import assert_no_exception, open_app, screenshot, wait_idle
from tests.fixtures.importer.bag_fixture import write_gpkg

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "importer"


def _choose(page, label: str, *files: Path) -> None:
    uploader = page.locator('[data-testid="stMain"] [data-testid="stFileUploader"]')
    uploader.filter(has_text=label).locator(
        '[data-testid="stFileUploaderDropzoneInput"]'
    ).set_input_files([str(f) for f in files])
    wait_idle(page)


def test_upload_files_see_report_and_download_terrain_zip(page, app_url, tmp_path):
    open_app(page, app_url, "data_laden")
    page.get_by_role("heading", name="Data laden").wait_for()
    _choose(page, "Adressenlijst van de gemeente", FIXTURES / "adressenlijst.csv")
    _choose(page, "BAG-panden en -adressen", write_gpkg(tmp_path / "bag.gpkg"))
    _choose(page, "Terreingrens", FIXTURES / "terreingrens.geojson")
    _choose(page, "Energielabels (EP-online)", FIXTURES / "ep_online.csv")
    page.get_by_role("button", name="Terrein opbouwen").click()
    page.get_by_text("5 van 8 adressen gekoppeld aan een BAG-pand").wait_for()
    page.get_by_text("3 van 6 panden met een energielabel").wait_for()
    page.get_by_text("Niet gekoppeld: 3 rijen").wait_for()
    assert_no_exception(page)
    page.mouse.move(0, 0)
    screenshot(page, "data_laden_verslag")

    with page.expect_download() as info:
        page.get_by_role("button", name="Download als terrein-zip").click()
    download = info.value
    assert download.suggested_filename == "bitseveld-testterrein.zip"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    terrain = kk.load_terrain(saved)
    assert terrain.name == "Bitseveld (testterrein)"
    assert len(terrain.buildings) == 6

    with page.expect_download() as info:
        page.get_by_role("button", name="Niet-gekoppelde rijen downloaden").click()
    rows = Path(info.value.path()).read_bytes().decode("utf-8-sig").splitlines()
    assert rows[0].startswith("rij;bedrijfsnaam;postcode")
    assert len(rows) == 4  # header and the rows 6, 7 and 8

    page.get_by_role("button", name="Gebruik dit terrein nu").click()
    page.get_by_text("Het terrein is geladen en gekozen in de zijbalk.").wait_for()
    picker = page.locator('[data-testid="stSidebar"]').get_by_role(
        "combobox", name="Bedrijventerrein"
    )
    expect(picker).to_have_value("Eigen terrein: bitseveld-testterrein.zip")
    expect(page.locator('[data-testid="stCaptionContainer"]').first).to_contain_text(
        "Bitseveld (testterrein)"
    )
    assert_no_exception(page)


def test_wrong_file_gives_dutch_error_and_keeps_the_terrain(page, app_url, tmp_path):
    open_app(page, app_url, "data_laden")
    renamed = tmp_path / "adressen.csv"
    renamed.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    _choose(page, "Adressenlijst van de gemeente", renamed)
    _choose(page, "BAG-panden en -adressen", write_gpkg(tmp_path / "bag.gpkg"))
    page.get_by_role("button", name="Terrein opbouwen").click()
    page.get_by_text("Het terrein is niet opgebouwd").wait_for()
    expect(page.get_by_text("geen tekstbestand", exact=False)).to_be_visible()
    expect(page.locator('[data-testid="stCaptionContainer"]').first).to_contain_text(
        "De Punt (Tynaarlo)"
    )
    assert_no_exception(page)
