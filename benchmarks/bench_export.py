"""Benchmark: Excel export of a synthetic 10,000-building terrain.

Times ``export.to_xlsx`` (six styled sheets: frozen headers, autofilter,
widths, number formats, formula-safe texts) and reports the file size. In the
same run, on a smaller terrain so the whole run stays under about two
minutes, it compares with a naive baseline: pandas ``to_excel`` of the same
two large tables (opportunities and buildings) without styling or safety.
The other file formats are timed at full size for reference.

Times are wall clock and CPU time of this process; the CPU time does not grow
when other processes load the machine, so ratios use it.

Run: ``.venv/bin/python benchmarks/bench_export.py [n_buildings] [n_baseline]``
(defaults 10000 and 2000).
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import openpyxl
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import kansenkaart as kk
from kansenkaart.core import fmt
from kansenkaart.io import demo
from kansenkaart.views import export, selection, tables


def timed(label: str, func, *args):
    """Run ``func(*args)``; print and return its result and CPU seconds."""
    start, cpu = time.perf_counter(), time.process_time()
    result = func(*args)
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
    size = f", {len(result) / 1024**2:.1f} MB" if isinstance(result, bytes) else ""
    print(f"  {label:<46} {elapsed:6.1f} s (CPU {used:5.1f} s){size}")
    return result, used


def prepared(n_buildings: int) -> selection.Selection:
    """A synthetic terrain, analysed, with its full selection."""
    terrain = demo.synthetic_terrain(n_buildings)
    return selection.select(kk.analyse(terrain))


def naive_xlsx(sel: selection.Selection) -> bytes:
    """Baseline: pandas ``to_excel``, raw columns, no styling, no safety."""
    buildings = pd.DataFrame(sel.buildings.drop(columns="geometry"))
    buildings["measures"] = buildings["measures"].map(",".join)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        sel.opportunities.to_excel(writer, sheet_name="kansen", index=False)
        buildings[[f.name for f in tables.BUILDING_FIELDS]].to_excel(
            writer, sheet_name="gebouwen", index=False
        )
    return buffer.getvalue()


def main(n_buildings: int = 10_000, n_baseline: int = 2_000) -> None:
    print(f"openpyxl {openpyxl.__version__}, lxml: {'ja' if openpyxl.LXML else 'nee'}")
    print(f"\nTerrein van {fmt.number(n_buildings)} gebouwen")
    sel, _ = timed("demo, analyse en selectie (geen export)", prepared, n_buildings)
    n_list, n_built = len(sel.opportunities), len(sel.buildings)
    cells = n_list * len(tables.LIST_FIELDS) + n_built * len(tables.BUILDING_FIELDS)
    print(
        f"  {fmt.number(n_list)} kansen × {len(tables.LIST_FIELDS)} kolommen en "
        f"{fmt.number(n_built)} gebouwen × {len(tables.BUILDING_FIELDS)} kolommen: "
        f"{fmt.number(cells)} cellen"
    )
    data, used = timed("Excel (export.to_xlsx)", export.to_xlsx, sel)
    print(f"  → {1e6 * used / cells:.1f} ms CPU per 1.000 cellen")
    for format_id in ("csv", "geojson", "gpkg"):
        timed(export.FORMATS[format_id].label, export.export, sel, format_id)

    print(f"\nVergelijking op {fmt.number(n_baseline)} gebouwen (zelfde run)")
    small, _ = timed("demo, analyse en selectie", prepared, n_baseline)
    ours, t_ours = timed("Excel (export.to_xlsx, 6 bladen)", export.to_xlsx, small)
    naive, t_naive = timed("naïef: pandas to_excel, 2 bladen", naive_xlsx, small)
    print(
        f"  verhouding export / naïef: {t_ours / t_naive:.2f} in CPU-tijd, "
        f"{len(ours) / len(naive):.2f} in bestandsgrootte"
    )
    print(
        f"\nExcel, {fmt.number(n_buildings)} gebouwen: {fmt.number(used, 1)} s CPU, "
        f"{fmt.number(len(data) / 1024**2, 1)} MB"
    )


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
