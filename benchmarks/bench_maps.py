"""Benchmark: map payload and build time against a naive ``gdf.explore()``.

For synthetic terrains of 1,000 / 10,000 / 20,000 buildings it builds, in the
same run, a naive ``buildings.explore()`` and ``maps.current_state_map`` of
the same buildings, serialises both to HTML and prints bytes per building and
build+serialise time with their ratios. Both load Leaflet from the CDN here,
so the comparison is of the maps themselves; the inlined Leaflet the app uses
offline adds a constant that is printed separately.

It then times a filter change on a 2,000-building terrain the way the app
does it: build the opportunity layers for the new filter, build the stable
base map and serialise both as ``streamlit_folium.st_folium`` does.

Targets (DESIGN.md section 7): at most 150 bytes per building and at most 1/4
of the naive payload; build+serialise at most 1/5 of the naive time at 10,000
buildings; a filter change on 2,000 buildings under 0.5 s.

Last, for the same terrains, the binary data of the WebGL map
(``views/deckdata.py``: geometry once per terrain plus one theme layer) in
bytes per building and seconds, next to the folium map of the same theme.

Run: ``.venv/bin/python benchmarks/bench_maps.py``
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import folium

import kansenkaart as kk
from kansenkaart.core import fmt
from kansenkaart.io import demo, demo_specs
from kansenkaart.views import deckdata, leaflet, legend, mapdata, maps

SIZES = (1_000, 10_000, 20_000)
FILTER_SIZE = 2_000


def synthetic(n: int, folder: Path) -> tuple[kk.Terrain, kk.Analysis]:
    """A loaded and analysed synthetic terrain of ``n`` buildings."""
    path = demo.write_terrain(
        demo.generate_terrain(demo_specs.synthetic_spec(n)), folder
    )
    terrain = kk.load_terrain(path)
    return terrain, kk.analyse(terrain)


def naive_map(buildings) -> str:
    """HTML of ``buildings.explore()``, or of what it does when it cannot run.

    ``explore`` needs matplotlib and mapclassify, which the app does not
    install; without them this builds the same map by hand: every column in
    a GeoJson layer with a tooltip of all columns on an OpenStreetMap map.
    """
    try:
        return buildings.explore().get_root().render()
    except ImportError:
        pass
    wgs = buildings.to_crs("EPSG:4326")
    fields = [c for c in wgs.columns if c != "geometry"]
    m = folium.Map(tiles="OpenStreetMap")
    folium.GeoJson(
        wgs.to_json(default=str),
        name="gebouwen",
        tooltip=folium.GeoJsonTooltip(fields),
    ).add_to(m)
    m.fit_bounds([wgs.total_bounds[[1, 0]].tolist(), wgs.total_bounds[[3, 2]].tolist()])
    return m.get_root().render()


def timed(build, repeat: int) -> tuple[float, str]:
    """Best time (s) of ``repeat`` runs of ``build() -> html`` and the HTML."""
    times, html = [], ""
    for _ in range(repeat):
        start = time.perf_counter()
        html = build()
        times.append(time.perf_counter() - start)
    return min(times), html


def compare(n: int, folder: Path) -> dict:
    terrain, analysed = synthetic(n, folder / f"t{n}")
    repeat = 3 if n <= 10_000 else 2
    naive_s, naive_html = timed(lambda: naive_map(terrain.buildings), repeat)
    ours_s, ours_html = timed(
        lambda: maps.to_html(
            maps.current_state_map(analysed, "energy_label", inline_assets=False)
        ),
        repeat,
    )
    return {
        "n": n,
        "naive_b": len(naive_html.encode()) / n,
        "ours_b": len(ours_html.encode()) / n,
        "naive_s": naive_s,
        "ours_s": ours_s,
    }


def webgl(n: int, folder: Path) -> dict:
    """Bytes per building and seconds of the WebGL map data (theme energy label)."""
    _, analysed = synthetic(n, folder / f"t{n}")
    a = analysed.buildings
    start = time.perf_counter()
    geom = deckdata.geometry(a)
    meta, arrays = deckdata.view(
        geom,
        [("thema", legend.theme_spec(a, "energy_label"))],
        deckdata.overlays(mapdata.prepare(analysed)),
    )
    seconds = time.perf_counter() - start
    size = sum(len(v) for v in arrays.values()) + len(leaflet.js(meta))
    return {"n": n, "b": size / n, "s": seconds}


def filter_change(folder: Path) -> dict:
    """Seconds for one filter change on ``FILTER_SIZE`` buildings (median of 5)."""
    from streamlit_folium import _get_feature_group_string, _get_map_string

    _, analysed = synthetic(FILTER_SIZE, folder / "filter")
    data = mapdata.prepare(analysed)  # cached per terrain in the app
    filters = [
        ("individual", None),
        ("collective", None),
        ("all", None),
        ("collective", ["energy_hub"]),
        ("individual", ["zon_eigen_dak", "led"]),
    ]
    library, total = [], []
    for scope, measures in filters:
        start = time.perf_counter()
        group, _ = maps.opportunity_group(analysed.buildings, scope, measures)
        base = maps.base_map(data, "opportunity")
        library.append(time.perf_counter() - start)
        base.get_root().render()
        _get_map_string(base)
        _get_feature_group_string(group, base)
        total.append(time.perf_counter() - start)
    return {
        "library_s": statistics.median(library),
        "total_s": statistics.median(total),
        "base_kb": len(data.buildings_js) / 1024,
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        try:
            import mapclassify  # noqa: F401

            baseline = "gdf.explore()"
        except ImportError:
            baseline = "folium.GeoJson met alle kolommen (zoals explore)"
        print(f"Kaartgrootte en bouwtijd: naïef = {baseline}, tegen maps.py")
        print(
            f"{'panden':>8} {'naïef B/pand':>13} {'maps B/pand':>12} {'verhouding':>10}"
            f" {'naïef s':>8} {'maps s':>7} {'verhouding':>10}"
        )
        for n in SIZES:
            r = compare(n, folder)
            print(
                f"{fmt.number(r['n']):>8} {r['naive_b']:>13.0f} {r['ours_b']:>12.0f} "
                f"{r['ours_b'] / r['naive_b']:>10.2f} {r['naive_s']:>8.2f} "
                f"{r['ours_s']:>7.2f} {r['ours_s'] / r['naive_s']:>10.2f}"
            )
        print(
            "Doel: ≤ 150 B/pand en ≤ 0,25 van naïef; tijd ≤ 0,20 van naïef bij 10.000."
        )
        assets = leaflet.leaflet_assets()
        if assets:
            extra = sum(len(a) for a in assets) / 1024
            print(f"Leaflet inline (offline), vast per kaart: {extra:.0f} kB")
        print("WebGL-kaart (views/deckdata.py), zelfde terreinen, thema energielabel:")
        print(f"{'panden':>8} {'B/pand':>7} {'s':>6}")
        for n in SIZES:
            w = webgl(n, folder)
            print(f"{fmt.number(w['n']):>8} {w['b']:>7.0f} {w['s']:>6.2f}")
        f = filter_change(folder)
        print(
            f"Filterwissel op {fmt.number(FILTER_SIZE)} panden: {f['library_s']:.3f} s "
            f"bibliotheek, {f['total_s']:.3f} s inclusief serialiseren zoals "
            f"st_folium (doel < 0,5 s); gebouwgegevens in de basiskaart "
            f"{f['base_kb']:.0f} kB."
        )


if __name__ == "__main__":
    main()
