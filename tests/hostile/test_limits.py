"""The stated limits hold at their maximum: the PDF of a huge name, the
largest terrain within a laptop's memory."""

from __future__ import annotations

import dataclasses
import io
import json
import subprocess
import sys
import textwrap

from pypdf import PdfReader

import kansenkaart as kk
from kansenkaart.core.limits import MAX_BUILDINGS, PDF_NAME_CHARS
from kansenkaart.views.report_pdf import building_report
from tests.conftest import ROOT
from tests.hostile.conftest import finished


def test_a_100000_character_company_name_gives_the_pdf_in_under_2_s():
    # Names reach the report from other sources than the terrain reader
    # (which refuses cells over 2,000 characters), so the PDF cuts them itself.
    terrain = kk.load_terrain("demo:de-punt")
    buildings = terrain.buildings.copy()
    name = "Bakker Metaal " + "X" * 100_000
    buildings.loc[buildings.index[0], "company"] = name
    analysis = kk.analyse(dataclasses.replace(terrain, buildings=buildings))
    building = buildings["building_id"].iloc[0]
    pdf, error, seconds = finished(lambda: building_report(analysis, building), 2.0)
    assert error is None and seconds < 2.0
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    line = next(line for line in text.splitlines() if line.startswith("Bakker Metaal"))
    assert line.endswith("…") and len(line) <= PDF_NAME_CHARS
    assert len(reader.metadata.title) < PDF_NAME_CHARS + 30
    print(f"PDF with a 100,000-character name: {seconds:.2f} s")


LARGEST = textwrap.dedent(
    """
    import json, resource, sys, time
    from pathlib import Path
    folder, n = Path(sys.argv[1]), int(sys.argv[2])
    features = [
        {"type": "Feature",
         "properties": {"building_id": f"{i:016d}", "company": f"Bedrijf {i}",
                        "floor_area_m2": 1200.0, "construction_year": 1990},
         "geometry": {"type": "Polygon", "coordinates": [[
             [x, y], [x + 40, y], [x + 40, y + 30], [x, y + 30], [x, y]]]}}
        for i in range(n)
        for x, y in [(230000 + 50 * (i % 100), 550000 + 40 * (i // 100))]
    ]
    (folder / "buildings.geojson").write_text(json.dumps(
        {"type": "FeatureCollection", "features": features,
         "crs": {"type": "name", "properties": {"name": "EPSG:28992"}}}))
    import kansenkaart as kk
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    terrain = kk.load_terrain(folder)
    loaded = time.perf_counter() - start
    analysis = kk.analyse(terrain)
    print(json.dumps({
        "buildings": len(analysis.buildings), "load_s": loaded,
        "analyse_s": time.perf_counter() - start - loaded,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "before_mb": base / 1024}))
    """
)


def test_a_terrain_of_the_maximum_size_loads_within_a_laptops_memory(tmp_path):
    run = subprocess.run(
        [sys.executable, "-c", LARGEST, str(tmp_path), str(MAX_BUILDINGS)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    assert figures["buildings"] == MAX_BUILDINGS
    assert figures["peak_mb"] < 2_000, figures  # a laptop of 8 GB keeps room
    print(f"largest terrain: {figures}")
