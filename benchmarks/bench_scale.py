"""Benchmark: province scale (issue 21) – ``analyse`` at 10k/50k/100k buildings,
Excel at 10k, GeoPackage and GeoParquet at 100k, each with a naive baseline
measured in the same run, and the peak memory.

Every size runs in its own process (``--one``), so the peak resident memory
(``ru_maxrss``) belongs to that size: read + analyse (+ export). Baselines:

- neighbour links (the hub chains; ``analyse`` finds them within and across
  grid areas in one search, :func:`kansenkaart.engine.coupling.linked_levels`):
  the former ``STRtree.query(predicate="dwithin")`` on the polygons with
  min-label propagation, against :func:`kansenkaart.engine.coupling.linked`;
- Excel: pandas ``to_excel`` (openpyxl) of the two large sheets only, without
  styles, against the full styled workbook of ``export.to_xlsx``;
- GeoPackage and GeoParquet: GDAL row by row (``use_arrow=False``, the former
  path) for the same three layers.

Targets (issue 21): ``analyse`` of 100,000 buildings under 2 s; Excel of
10,000 under 5 s; GeoPackage and GeoParquet of 100,000 under 10 s.

Run: ``.venv/bin/python benchmarks/bench_scale.py`` (about four minutes);
one part: ``.venv/bin/python benchmarks/bench_scale.py --one KIND N`` with KIND
``analyse``, ``xlsx`` or ``gis`` and N buildings (prints the figures as JSON).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyogrio
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import kansenkaart as kk  # noqa: E402
from kansenkaart.engine import coupling, grid  # noqa: E402
from kansenkaart.io import demo  # noqa: E402
from kansenkaart.views import export, selection  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_export import naive_xlsx  # noqa: E402  (the same baseline)

SIZES = (10_000, 50_000, 100_000)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _best(runs: int, func) -> tuple[float, float, object]:
    """Best wall and CPU seconds of ``runs`` calls, and the last result."""
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        result = func()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), result


def naive_components(geoms: np.ndarray, distance_m: float) -> np.ndarray:
    """The former neighbour links: polygon ``dwithin`` query and min-label
    propagation with one pointer jump per round."""
    i, j = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=distance_m)
    labels = np.arange(len(geoms))
    while True:
        new = labels.copy()
        np.minimum.at(new, i, labels[j])
        np.minimum.at(new, j, labels[i])
        new = new[new]
        if np.array_equal(new, labels):
            return labels
        labels = new


def naive_gpkg(sel: selection.Selection) -> int:
    """The three GeoPackage layers written row by row (no Arrow)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "naief.gpkg"
        for layer, table in (
            ("gebouwen", export.gis_frame(sel)),
            ("kansen", export._opportunity_layer(sel)),
            ("velden", export.field_table(sel)),
        ):
            pyogrio.write_dataframe(table, path, driver="GPKG", layer=layer)
        return path.stat().st_size


def one(kind: str, n: int) -> dict:
    """Measure one size in this process; the figures as a dict."""
    terrain = demo.synthetic_terrain(n)
    loaded_mb = _peak_mb()
    out = {"kind": kind, "n": n}
    wall, cpu, analysis = _best(3, lambda: kk.analyse(terrain))
    out.update(analyse_s=wall, analyse_cpu_s=cpu, analysed_mb=_peak_mb())
    out["loaded_mb"] = loaded_mb
    if kind == "analyse":
        b = analysis.buildings
        eligible = grid.congested(b["grid_afname_status"], b["grid_invoeding_status"])
        geoms = b.geometry.to_numpy()[eligible]
        d = analysis.assumptions.hub_neighbour_m.value
        out["links_s"], _, fast = _best(1, lambda: coupling.linked(geoms, d))
        out["links_naive_s"], _, slow = _best(1, lambda: naive_components(geoms, d))
        assert np.array_equal(fast, slow), "buurclusters verschillen van naïef"
        return out
    sel = selection.select(analysis)
    if kind == "xlsx":
        out["xlsx_s"], out["xlsx_cpu_s"], data = _best(1, lambda: export.to_xlsx(sel))
        out["xlsx_mb"] = len(data) / 1024**2
        out["xlsx_naive_s"], _, _ = _best(1, lambda: naive_xlsx(sel))
    else:
        out["gpkg_s"], _, data = _best(1, lambda: export.to_gpkg(sel))
        out["gpkg_mb"] = len(data) / 1024**2
        out["parquet_s"], _, data = _best(1, lambda: export.to_geoparquet(sel))
        out["parquet_mb"] = len(data) / 1024**2
        out["gpkg_naive_s"], _, _ = _best(1, lambda: naive_gpkg(sel))
    out["peak_mb"] = _peak_mb()
    return out


def run(kind: str, n: int) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--one", kind, str(n)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if done.returncode:
        sys.exit(f"{kind} {n} mislukt:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    print(
        "analyse (beste van 3), elk in een eigen proces; wand- en CPU-tijd "
        "(de machine wordt gedeeld: CPU-tijd is de maat die niet van anderen "
        "afhangt); µs per gebouw laat zien of het lineair is"
    )
    print(
        f"{'gebouwen':>9} {'wand s':>7} {'CPU s':>6} {'µs/gb wand':>10} "
        f"{'µs/gb CPU':>9} {'buren s':>8} {'naïef s':>8} {'×':>5} "
        f"{'piek MB':>8} {'na lezen MB':>12}"
    )
    analysed = {}
    for n in SIZES:
        r = analysed[n] = run("analyse", n)
        print(
            f"{n:>9,} {r['analyse_s']:>7.2f} {r['analyse_cpu_s']:>6.2f} "
            f"{r['analyse_s'] / n * 1e6:>10.1f} {r['analyse_cpu_s'] / n * 1e6:>9.1f} "
            f"{r['links_s']:>8.2f} {r['links_naive_s']:>8.2f} "
            f"{r['links_naive_s'] / r['links_s']:>5.1f} {r['analysed_mb']:>8.0f} "
            f"{r['loaded_mb']:>12.0f}"
        )
    small, large = analysed[SIZES[0]], analysed[SIZES[-1]]
    growth = (large["analyse_cpu_s"] / SIZES[-1]) / (small["analyse_cpu_s"] / SIZES[0])
    print(
        f"CPU per gebouw bij {SIZES[-1]:,} gedeeld door die bij {SIZES[0]:,}: "
        f"{growth:.2f} (1,0 = lineair); piekgeheugen = ru_maxrss van het proces "
        "(lezen + analyse)"
    )
    x = run("xlsx", 10_000)
    print(
        f"\nExcel, 10.000 gebouwen: {x['xlsx_s']:.2f} s (CPU {x['xlsx_cpu_s']:.2f} s, "
        f"{x['xlsx_mb']:.1f} MB); naïef pandas to_excel (2 bladen, geen opmaak): "
        f"{x['xlsx_naive_s']:.2f} s; verhouding "
        f"{x['xlsx_naive_s'] / x['xlsx_s']:.1f}×; piek {x['peak_mb']:.0f} MB"
    )
    g = run("gis", 100_000)
    print(
        f"GeoPackage, 100.000 gebouwen: {g['gpkg_s']:.2f} s ({g['gpkg_mb']:.0f} MB); "
        f"GeoParquet: {g['parquet_s']:.2f} s ({g['parquet_mb']:.0f} MB); naïef "
        f"GeoPackage rij voor rij: {g['gpkg_naive_s']:.2f} s "
        f"({g['gpkg_naive_s'] / g['gpkg_s']:.1f}×); piek {g['peak_mb']:.0f} MB"
    )
    goals = [
        ("analyse 100k < 2 s (wand)", analysed[100_000]["analyse_s"] < 2),
        ("analyse 100k < 2 s (CPU)", analysed[100_000]["analyse_cpu_s"] < 2),
        ("Excel 10k < 5 s", x["xlsx_s"] < 5),
        ("GeoPackage 100k < 10 s", g["gpkg_s"] < 10),
        ("GeoParquet 100k < 10 s", g["parquet_s"] < 10),
    ]
    for label, met in goals:
        print(f"doel {label}: {'gehaald' if met else 'NIET gehaald'}")


if __name__ == "__main__":
    if sys.argv[1:2] in (["--help"], ["-h"]):
        print(__doc__)
    elif sys.argv[1:2] == ["--one"]:
        print(json.dumps(one(sys.argv[2], int(sys.argv[3]))))
    else:
        main()
