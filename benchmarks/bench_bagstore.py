"""Benchmark: cutting a park out of a national-size BAG store (issue 21, item 3).

Generates N synthetic panden (default 5,000,000; clearly fictitious
rectangles of 6–40 m with ids ``9999100…``, spread uniformly over the land
part of RD New) in chunks of consecutive Hilbert ranges, writes them once
with :func:`kansenkaart.io.bagstore.write_store` (build time and file size
printed), then cuts 10 parks: the four demo terrains' outlines and six
random 1 × 1 km squares. Each cut is timed against a naive baseline in the
same run: reading the four bbox columns of the whole file and filtering
them with numpy (a full scan; it does not even read the geometries).

Peak memory: the maximum resident set of this process (Linux ``ru_maxrss``),
printed after the build and after the cuts.

PostGIS column: with ``--postgis URL`` (default ``TEST_DATABASE_URL`` when
set) the same store is also loaded into a PostGIS table
(:func:`kansenkaart.io.bagstore_postgis.load`; load time and table plus
index size printed) and every park is cut from it too; the ids must equal
the GeoParquet cut's. The table is dropped afterwards.

Run: ``.venv/bin/python benchmarks/bench_bagstore.py [n_panden] [--postgis URL]``
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import shapely
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kansenkaart.core.geo import RD  # noqa: E402
from kansenkaart.io import bagstore, bagstore_postgis  # noqa: E402
from kansenkaart.records import database  # noqa: E402

LAND = (13_000.0, 306_000.0, 278_000.0, 619_000.0)  # RD New over the Dutch land
CHUNK = 500_000
TARGET_S = 2.0
TABLE = "bench_bag_pand"


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _chunks(n: int, seed: int = 21):
    """Synthetic panden in Hilbert order, CHUNK at a time."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(LAND[0], LAND[2], n)
    y = rng.uniform(LAND[1], LAND[3], n)
    order = np.argsort(bagstore.hilbert_index(x, y))
    x, y = x[order], y[order]
    for start in range(0, n, CHUNK):
        cx, cy = x[start : start + CHUNK], y[start : start + CHUNK]
        m = len(cx)
        w, h = rng.uniform(6, 40, m), rng.uniform(6, 40, m)
        geom = shapely.box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
        ids = pd.Series(np.arange(start, start + m)).astype(str).str.zfill(10)
        year = pd.array(rng.integers(1900, 2025, m), dtype="Int64")
        yield gpd.GeoDataFrame(
            {
                "pand_id": ("999910" + ids).to_numpy(),
                "construction_year": year,
                "pand_use": np.full(m, "industriefunctie", dtype=object),
                "footprint_m2": (w * h).round(1),
            },
            geometry=geom,
            crs=RD,
        )


def _outlines(seed: int = 5) -> list[tuple[str, object]]:
    parks = [
        (p.parent.name, gpd.read_file(p).to_crs(RD).union_all())
        for p in sorted((ROOT / "data" / "demo").glob("*/boundary.geojson"))
    ]
    rng = np.random.default_rng(seed)
    for k in range(10 - len(parks)):
        x = rng.uniform(LAND[0] + 1_000, LAND[2] - 2_000)
        y = rng.uniform(LAND[1] + 1_000, LAND[3] - 2_000)
        parks.append((f"vierkant {k + 1} (1 km²)", shapely.box(x, y, x + 1e3, y + 1e3)))
    return parks


def _naive(path: Path, area) -> int:
    """Full scan of the bbox columns, filtered with numpy."""
    x0, y0, x1, y1 = shapely.bounds(area)
    box = pq.read_table(path, columns=["bbox"]).column("bbox").combine_chunks()
    near = (
        (box.field("xmin").to_numpy() <= x1)
        & (box.field("xmax").to_numpy() >= x0)
        & (box.field("ymin").to_numpy() <= y1)
        & (box.field("ymax").to_numpy() >= y0)
    )
    return int(near.sum())


def _load_postgis(url: str, path: Path):
    """Load the store into PostGIS; returns the engine (prints time, size)."""
    engine = bagstore_postgis.connect(database.database_url(url))
    t = time.perf_counter()
    bagstore_postgis.load(engine, [path], table=TABLE)
    load_s = time.perf_counter() - t
    with engine.connect() as connection:
        table_mb, index_mb = (
            connection.scalar(sa.text(f"SELECT pg_{kind}_size('{TABLE}')")) / 1e6
            for kind in ("table", "indexes")
        )
    print(
        f"PostGIS {database.shown_url(str(engine.url))}: loaded in {load_s:.1f} s, "
        f"table {table_mb:.0f} MB + GiST index {index_mb:.0f} MB"
    )
    return engine


def main(n: int, url: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bag_nl.parquet"
        t = time.perf_counter()
        written = bagstore.write_store(_chunks(n), path)
        build_s = time.perf_counter() - t
        groups = pq.ParquetFile(path).metadata.num_row_groups
        print(
            f"store: {written:,} synthetic panden, built in {build_s:.1f} s, "
            f"{path.stat().st_size / 1e6:.0f} MB, {groups} row groups of "
            f"{bagstore.ROW_GROUP_ROWS} rows; max RSS {_max_rss_mb():.0f} MB"
        )
        engine = _load_postgis(url, path) if url else None
        cut_s, naive_s, postgis_s = [], [], []
        print(
            f"{'park':<28}{'panden':>8}{'groups':>8}{'cut s':>8}{'naive s':>9}"
            + (f"{'PostGIS s':>11}" if engine else "")
        )
        for name, area in _outlines():
            t = time.perf_counter()
            got = bagstore.cut(path, area)
            cut_s.append(time.perf_counter() - t)
            t = time.perf_counter()
            _naive(path, area)
            naive_s.append(time.perf_counter() - t)
            read = len(bagstore.candidate_row_groups(path, shapely.bounds(area)))
            row = (
                f"{name:<28}{len(got):>8}{read:>8}{cut_s[-1]:>8.3f}{naive_s[-1]:>9.3f}"
            )
            if engine:
                t = time.perf_counter()
                shared = bagstore_postgis.cut(engine, area, table=TABLE)
                postgis_s.append(time.perf_counter() - t)
                if list(shared["pand_id"]) != list(got["pand_id"]):
                    raise SystemExit(f"{name}: PostGIS and GeoParquet cuts differ")
                row += f"{postgis_s[-1]:>11.3f}"
            print(row)
        med, worst = statistics.median(cut_s), max(cut_s)
        print(
            f"cut: median {med:.3f} s, max {worst:.3f} s (target < {TARGET_S} s); "
            f"naive full bbox scan: median {statistics.median(naive_s):.3f} s "
            f"({statistics.median(naive_s) / med:.0f}× slower); "
            f"max RSS {_max_rss_mb():.0f} MB"
        )
        if engine:
            with engine.begin() as connection:
                connection.execute(sa.text(f"DROP TABLE {TABLE}"))
            engine.dispose()
            print(
                f"PostGIS cut: median {statistics.median(postgis_s):.3f} s, "
                f"max {max(postgis_s):.3f} s; same ids as the GeoParquet cut"
            )
            worst = max(worst, *postgis_s)
        if worst >= TARGET_S:
            raise SystemExit(f"cut took {worst:.2f} s, over the {TARGET_S} s target")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n_panden", nargs="?", type=int, default=5_000_000)
    parser.add_argument(
        "--postgis",
        default=os.environ.get("TEST_DATABASE_URL"),
        help="PostgreSQL URL with PostGIS (default TEST_DATABASE_URL)",
    )
    args = parser.parse_args()
    main(args.n_panden, args.postgis)
