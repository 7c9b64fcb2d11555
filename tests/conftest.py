"""Shared fixtures: small hand-made terrains written to a temporary folder."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests check behaviour, not speed; a busy CI machine must not fail them.
settings.register_profile("kansenkaart", deadline=None)
settings.load_profile("kansenkaart")

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"

# Three 20 × 10 m buildings in RD New near Assen, WKT in a CSV like a gemeente
# would export from QGIS.
RD_CSV = (
    "building_id;address;postcode;house_number;company;floor_area_m2;wkt\n"
    "0106100000000001;Industrieweg 1;9403 AB;1;Bakker Metaal;180,5;"
    "POLYGON((233000 557000,233020 557000,233020 557010,233000 557010,"
    "233000 557000))\n"
    "0106100000000002;Industrieweg 3;9403 AB;3;Visser Transport;1.250,0;"
    "POLYGON((233040 557000,233060 557000,233060 557010,233040 557010,"
    "233040 557000))\n"
    "0106100000000003;Industrieweg 5;9403 AB;5;Café Één;200;"
    "POLYGON((233080 557000,233100 557000,233100 557010,233080 557010,"
    "233080 557000))\n"
)


@pytest.fixture(scope="session", autouse=True)
def isolated_database(tmp_path_factory):
    """Point the werksessie store (and app servers started by tests) at a
    throw-away SQLite file, never at the checkout's data/werksessies.sqlite."""
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'werksessies.sqlite'}"
    before = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    yield url
    if before is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = before


PAGE_ERROR_LOGGER = "kansenkaart.app"
"""Logger of the page guard (:data:`appui.guard.LOGGER_NAME`)."""


@pytest.fixture(autouse=True)
def no_page_errors(caplog):
    """Fail a test in which the app's page guard caught an exception.

    The guard (appui/guard.py) shows users a Dutch message instead of the
    traceback, so AppTest's ``at.exception`` stays empty; its log entry is
    what tells the tests. A test that provokes an error on purpose clears
    ``caplog`` after checking it.
    """
    yield
    caught = [r for r in caplog.get_records("call") if r.name == PAGE_ERROR_LOGGER]
    assert not caught, "\n\n".join(
        f"{r.getMessage()}\n{r.exc_text or ''}" for r in caught
    )


@pytest.fixture
def csv_terrain(tmp_path: Path) -> Path:
    """A terrain folder with only ``buildings.csv`` (``;``, decimal comma)."""
    folder = tmp_path / "terrein"
    folder.mkdir()
    (folder / "buildings.csv").write_text(RD_CSV, encoding="utf-8")
    return folder


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A writable copy of the De Punt demo terrain."""
    target = tmp_path / "de-punt"
    shutil.copytree(DEMO / "de-punt", target)
    return target


def zip_folder(folder: Path, target: Path) -> Path:
    """Zip the files of ``folder`` (at the zip's root)."""
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    return target


def geojson(features: list[dict], crs: str | None = None) -> str:
    """A GeoJSON FeatureCollection text, optionally with a legacy ``crs``."""
    doc: dict = {"type": "FeatureCollection", "features": features}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(doc)


def square(x: float, y: float, size: float, props: dict) -> dict:
    """A square polygon feature with its lower-left corner at (x, y)."""
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
