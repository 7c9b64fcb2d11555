"""AppTest of the page "Data laden": upload, report, terrain zip, use it now."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import kansenkaart as kk
from tests.fixtures.importer.bag_fixture import write_gpkg

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "importer"


@pytest.fixture(scope="module")
def bag_bytes(tmp_path_factory) -> bytes:
    return write_gpkg(tmp_path_factory.mktemp("bag") / "bag.gpkg").read_bytes()


def _page(terrain: str = "demo:de-wieken") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    # AppTest drops the sidebar after switch_page: set the terrain first.
    at.session_state["terrain_key"] = terrain
    at.run()
    at.switch_page("pages/2_data_laden.py").run()
    return at


def _upload(at: AppTest, key: str, name: str, data: bytes) -> None:
    at.file_uploader(key=key).upload(name, data, "application/octet-stream")


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _fill(at: AppTest, bag_bytes: bytes, addresses: bytes | None = None) -> None:
    _upload(
        at,
        "import_addresses",
        "adressenlijst.csv",
        addresses or (FIXTURES / "adressenlijst.csv").read_bytes(),
    )
    at.file_uploader(key="import_bag").set_value(
        [("bag.gpkg", bag_bytes, "application/octet-stream")]
    )
    _upload(
        at,
        "import_boundary",
        "terreingrens.geojson",
        (FIXTURES / "terreingrens.geojson").read_bytes(),
    )


def test_build_button_waits_for_addresses_and_bag():
    at = _page()
    assert not at.exception
    assert at.title[0].value == "Data laden"
    assert _button(at, "Terrein opbouwen").disabled


def test_import_shows_the_report_and_can_be_used_now(bag_bytes):
    at = _page()
    _fill(at, bag_bytes)
    _upload(at, "import_survey", "enquete.csv", (FIXTURES / "enquete.csv").read_bytes())
    at.run()
    # The mapping step appears once a survey is chosen.
    assert "Kolommen van de enquête" in [s.value for s in at.subheader]
    _button(at, "Terrein opbouwen").click().run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Adressen gekoppeld aan een BAG-pand"] == "5 van 8"
    assert metrics["Enquêteantwoorden gekoppeld aan een pand"] == "2 van 3"
    headers = [s.value for s in at.subheader]
    assert "Adressenlijst: adressenlijst.csv" in headers
    assert "BAG: bag.gpkg" in headers
    assert at.session_state["terrain_key"] == "demo:de-wieken"  # not yet used
    _button(at, "Gebruik dit terrein nu").click().run()
    assert not at.exception
    assert at.session_state["terrain_key"].startswith("upload:")
    assert "Bitseveld (testterrein)" in at.caption[0].value
    assert at.success[0].value.startswith("Het terrein is geladen")
    assert not any("Demodata" in w.value for w in at.warning)


def test_zip_on_the_page_is_a_loadable_terrain(bag_bytes):
    at = _page()
    _fill(at, bag_bytes)
    at.run()
    _button(at, "Terrein opbouwen").click().run()
    _, data, file_name = at.session_state["import_result"]
    assert file_name == "bitseveld-testterrein.zip"
    assert len(kk.load_terrain(data).buildings) == 6


def test_failed_import_shows_dutch_error_and_keeps_the_terrain(bag_bytes):
    at = _page("demo:de-wieken")
    _fill(at, bag_bytes, addresses=b"PK\x03\x04" + b"\x00" * 40)
    at.run()
    _button(at, "Terrein opbouwen").click().run()
    assert not at.exception
    error = at.error[0].value
    assert "Het terrein is niet opgebouwd" in error
    assert "geen tekstbestand" in error
    assert at.session_state["terrain_key"] == "demo:de-wieken"
    assert "De Wieken" in at.caption[0].value
    assert "import_result" not in at.session_state
