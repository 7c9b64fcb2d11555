"""Benchmark: importing a large terrain from real-format files (issue 8).

Generates, in a temporary folder, a bag-light GeoPackage with 20,000 panden
(and about 24,000 verblijfsobjecten), an EP-online export of 100,000
registrations (UTF-8 BOM, two preamble lines, ``;``, decimal comma), an
address list of 8,000 companies and a kleinverbruik file, then times:

- reading EP-online and reading the BAG, each with its peak memory;
- the newest label per object, vectorised (sort + drop_duplicates) against a
  naive row-wise loop over the same registrations;
- address matching, vectorised against a naive per-row DataFrame filter
  (timed on a sample and scaled to all rows);
- the whole import and writing the terrain zip.

Peak memory is the rise of the resident set during each step, run in a
forked child process (Linux; the tracemalloc peak elsewhere); the maximum
resident set of the benchmark itself is printed at the end.

Run: ``.venv/bin/python benchmarks/bench_import.py [n_panden] [n_labels]``
"""

from __future__ import annotations

import gc
import multiprocessing
import resource
import sys
import tempfile
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kansenkaart.io import importer
from kansenkaart.io.bag import match_addresses, read_bag
from kansenkaart.io.eponline import newest_labels, read_ep_online

X0, Y0 = 233_000.0, 556_000.0  # RD New, Assen
LABELS = np.array(["A++", "A+", "A", "B", "C", "D", "E", "F", "G"])
NAIVE_SAMPLE = 300


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as fh:
        line = next(line for line in fh if line.startswith(field))
    return int(line.split()[1])


def _run(func, args, kwargs):
    """In a fresh child: reset the peak resident set, run, report the rise."""
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")
    base = _status_kb("VmRSS")
    start = time.perf_counter()
    result = func(*args, **kwargs)
    elapsed = time.perf_counter() - start
    return result, elapsed, (_status_kb("VmHWM") - base) / 1024


def _run_traced(func, args, kwargs):
    """Fallback without /proc: tracemalloc peak (slows pandas down a lot)."""
    tracemalloc.start()
    start = time.perf_counter()
    result = func(*args, **kwargs)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 1024**2
    tracemalloc.stop()
    return result, elapsed, peak


def measure(label: str, func, *args, **kwargs):
    """Run ``func`` once; print wall time and peak memory; return the result.

    On Linux the step runs in a forked child process whose peak resident set
    (``VmHWM``) is reset first, so the figure is the memory the step itself
    needs, not hidden by memory the benchmark freed before. Elsewhere it is
    the tracemalloc peak.
    """
    if Path("/proc/self/clear_refs").exists():
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            result, elapsed, peak = pool.submit(_run, func, args, kwargs).result()
        kind = "RSS"
    else:
        result, elapsed, peak = _run_traced(func, args, kwargs)
        kind = "tracemalloc"
    print(f"{label:<52} {elapsed:7.2f} s   piek +{peak:6.0f} MB ({kind})")
    return result, elapsed


def size_mb(path: Path) -> float:
    return path.stat().st_size / 1024**2


def timed(func, *args, **kwargs):
    start = time.perf_counter()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - start


def postcode(i: np.ndarray) -> np.ndarray:
    """Postcodes 9400AA, 9400AB, ... (one per 8 objects)."""
    letters = np.array(list("ABCDEGHJKLMNPRSTVWXZ"))
    block = i // 8
    return np.char.add(
        np.char.add((9400 + block // 400).astype(str), letters[(block // 20) % 20]),
        letters[block % 20],
    )


def write_inputs(folder: Path, n_panden: int, n_labels: int, seed: int = 8):
    """All input files; returns their paths."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n_panden)))
    col, row = np.arange(n_panden) % side, np.arange(n_panden) // side
    width, depth = rng.uniform(15, 70, n_panden), rng.uniform(15, 50, n_panden)
    x, y = X0 + col * 90.0, Y0 + row * 70.0
    pand_ids = np.char.add(
        "03440100", np.char.zfill(np.arange(n_panden).astype(str), 8)
    )
    gpd.GeoDataFrame(
        {
            "identificatie": pand_ids,
            "bouwjaar": rng.integers(1950, 2024, n_panden),
            "status": "Pand in gebruik",
            "gebruiksdoel": "industriefunctie",
        },
        geometry=shapely.box(x, y, x + width, y + depth),
        crs="EPSG:28992",
    ).to_file(folder / "bag.gpkg", layer="pand", driver="GPKG")
    # 0, 1 or 2 objects per pand (10 % / 70 % / 20 %).
    per_pand = rng.choice([0, 1, 2], n_panden, p=[0.1, 0.7, 0.2])
    owner = np.repeat(np.arange(n_panden), per_pand)
    n_vbo = len(owner)
    seq = np.arange(n_vbo)
    vbo_ids = np.char.add("03440000", np.char.zfill(seq.astype(str), 8))
    codes = postcode(seq)
    numbers = seq % 8 * 2 + 1
    gpd.GeoDataFrame(
        {
            "identificatie": vbo_ids,
            "oppervlakte": np.rint(width[owner] * depth[owner] * 0.9),
            "gebruiksdoel": rng.choice(
                [
                    "industriefunctie",
                    "kantoorfunctie",
                    "industriefunctie,kantoorfunctie",
                ],
                n_vbo,
            ),
            "openbare_ruimte_naam": np.char.add("Straat ", (seq // 8 % 50).astype(str)),
            "huisnummer": numbers,
            "huisletter": None,
            "toevoeging": None,
            "postcode": codes,
            "woonplaats_naam": "Assen",
            "pand_identificatie": pand_ids[owner],
        },
        geometry=shapely.points(x[owner] + 5, y[owner] + 5),
        crs="EPSG:28992",
    ).to_file(folder / "bag.gpkg", layer="verblijfsobject", driver="GPKG")

    pick = rng.integers(0, n_vbo, n_labels)
    elsewhere = rng.random(n_labels) < 0.5  # half of a national file is elsewhere
    dates = pd.Timestamp("2010-01-01") + pd.to_timedelta(
        rng.integers(0, 5000, n_labels), unit="D"
    )
    ep = pd.DataFrame(
        {
            "Opnamedatum": dates.strftime("%Y%m%d"),
            "Registratiedatum": dates.strftime("%Y%m%d"),
            "Postcode": np.where(elsewhere, "1011AB", codes[pick]),
            "Huisnummer": np.where(
                elsewhere, rng.integers(1, 999, n_labels), numbers[pick]
            ),
            "Huisletter": "",
            "Huisnummertoevoeging": "",
            "BAGVerblijfsobjectID": np.where(
                elsewhere, "0363010000000001", vbo_ids[pick]
            ),
            "BAGPandIDs": np.where(
                elsewhere, "0363100000000001", pand_ids[owner[pick]]
            ),
            "Gebouwklasse": "U",
            "Energieklasse": rng.choice(LABELS, n_labels),
            "EnergieIndex": np.char.replace(
                np.round(rng.uniform(0.5, 3, n_labels), 2).astype(str), ".", ","
            ),
            "Gebruiksoppervlakte": np.char.replace(
                np.round(rng.uniform(50, 5000, n_labels), 1).astype(str), ".", ","
            ),
        }
    )
    with open(folder / "ep_online.csv", "w", encoding="utf-8-sig", newline="") as fh:
        fh.write('"Peildatum;01-05-2024"\n"Bron: EP-online"\n')
        ep.to_csv(fh, sep=";", index=False)

    companies = rng.choice(n_vbo, min(8000, n_vbo), replace=False)
    pd.DataFrame(
        {
            "bedrijfsnaam": [f"Bedrijf {i}" for i in range(len(companies))],
            "postcode": codes[companies],
            "huisnummer": numbers[companies],
            "kvk": rng.integers(10**7, 10**8, len(companies)),
        }
    ).to_csv(folder / "adressen.csv", sep=";", index=False)

    unique_codes = np.unique(codes)
    kv = pd.DataFrame(
        {
            "NETBEHEERDER": "Enexis B.V.",
            "STRAATNAAM": "",
            "POSTCODE_VAN": np.repeat(unique_codes, 2),
            "POSTCODE_TOT": np.repeat(unique_codes, 2),
            "PRODUCTSOORT": np.tile(["ELK", "GAS"], len(unique_codes)),
            "AANSLUITINGEN_AANTAL": 12,
            "SJV_GEMIDDELD": np.round(rng.uniform(2000, 20000, 2 * len(unique_codes))),
        }
    )
    kv.to_csv(folder / "kleinverbruik.csv", sep=";", index=False)
    box = shapely.box(X0 - 10, Y0 - 10, X0 + side * 90.0, Y0 + side * 70.0)
    gpd.GeoDataFrame(
        {"name": ["Benchmarkterrein"]}, geometry=[box], crs="EPSG:28992"
    ).to_file(folder / "grens.geojson", driver="GeoJSON")
    return n_vbo


def naive_newest(labels: pd.DataFrame) -> dict:
    """Row-wise: keep the latest registration per object in a dict."""
    newest: dict = {}
    for record in labels.to_dict("records"):
        key = record["vbo_id"]
        if key is None or key is pd.NA:
            continue
        if key not in newest or record["registered"] >= newest[key]["registered"]:
            newest[key] = record
    return newest


def naive_match(vbo: pd.DataFrame, addresses: pd.DataFrame) -> list:
    """Per address, filter the object table on postcode and house number."""
    found = []
    for pc, number in zip(addresses["postcode"], addresses["huisnummer"], strict=True):
        hit = vbo[(vbo["postcode"] == pc) & (vbo["number_key"] == str(number))]
        found.append(hit["vbo_id"].iloc[0] if len(hit) else None)
    return found


def main(n_panden: int = 20_000, n_labels: int = 100_000) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        n_vbo = write_inputs(folder, n_panden, n_labels)
        print(
            f"Invoer gemaakt in {time.perf_counter() - start:.1f} s: {n_panden} "
            f"panden, {n_vbo} verblijfsobjecten, {n_labels} EP-online-registraties "
            f"(EP-bestand {size_mb(folder / 'ep_online.csv'):.1f} MB, "
            f"BAG {size_mb(folder / 'bag.gpkg'):.1f} MB)\n"
        )
        ep, _ = measure("EP-online lezen (100.000 registraties)", read_ep_online,
                        folder / "ep_online.csv")  # fmt: skip
        boundary = gpd.read_file(folder / "grens.geojson")
        bag, _ = measure("BAG lezen en knippen (GeoPackage)", read_bag,
                         [folder / "bag.gpkg"], boundary)  # fmt: skip

        key = ep.labels["vbo_id"]
        fast, t_fast = timed(newest_labels, ep.labels, key)
        slow, t_slow = timed(naive_newest, ep.labels)
        assert len(fast) == len(slow)
        print(
            f"{'nieuwste label per object, gevectoriseerd':<52} {t_fast:7.2f} s\n"
            f"{'nieuwste label per object, naïef per rij':<52} {t_slow:7.2f} s"
            f"   verhouding {t_slow / t_fast:5.0f}×"
        )

        addresses = pd.read_csv(folder / "adressen.csv", sep=";", dtype=str)
        _, t_match = timed(
            match_addresses, bag.vbo, addresses["postcode"], addresses["huisnummer"]
        )
        sample = addresses.iloc[:NAIVE_SAMPLE]
        _, t_naive = timed(naive_match, bag.vbo, sample)
        t_naive_all = t_naive * len(addresses) / len(sample)
        print(
            f"{f'adressen koppelen ({len(addresses)}), gevectoriseerd':<52} "
            f"{t_match:7.2f} s\n"
            f"{'adressen koppelen, naïef filter per rij (geschat)':<52} "
            f"{t_naive_all:7.2f} s   verhouding {t_naive_all / t_match:5.0f}×"
        )

        result, _ = measure(
            "hele import (alle bestanden)",
            importer.import_terrain,
            folder / "adressen.csv",
            [folder / "bag.gpkg"],
            ep_online=folder / "ep_online.csv",
            kleinverbruik=folder / "kleinverbruik.csv",
            boundary=folder / "grens.geojson",
        )
        data, _ = measure("terrein-zip schrijven en controleren", importer.terrain_zip,
                          result)  # fmt: skip
        print()
        for figure in result.report.figures:
            print(f"  {figure.text}")
        print(f"  terrein-zip: {len(data) / 1024**2:.1f} MB")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nMaximaal geheugen van het proces (ru_maxrss): {rss:.0f} MB")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
