"""Deterministic synthetic demo terrains (DESIGN.md section 4.8).

No real Drenthe building data may be shipped, so the four pilot terrains of the
Leidraad are generated here, from the recipes in
:mod:`kansenkaart.io.demo_specs`: buildings are rectangles on plots along
streets inside a terrain polygon placed at roughly the real location of the
pilot, with plausible but *fictitious* companies, labels, consumption and
survey answers.
Only the pMIEK projects (``data/pmiek_projects.csv``) are real, transcribed from
the Uitvoeringsagenda pMIEK.

Everything is drawn from one seeded :class:`numpy.random.Generator`, so the same
seed gives byte-identical files. Regenerate with::

    python -m kansenkaart demo --all -o data/demo
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from kansenkaart.core import texts
from kansenkaart.core.geo import RD
from kansenkaart.core.paths import data_dir
from kansenkaart.core.schema import ENERGY_LABELS, SURVEY_MEASURES
from kansenkaart.io.demo_specs import PILOTS, AreaSpec, TerrainSpec, synthetic_spec

DATA_DIR = data_dir()
PMIEK_CSV = DATA_DIR / "pmiek_projects.csv"
DEMO_NOTE = (
    "Fictieve demodata: gebouwen, bedrijven, verbruik en enquête zijn verzonnen "
    "(kansenkaart.demo). Alleen de pMIEK-projecten komen uit de Uitvoeringsagenda "
    "pMIEK van de provincie Drenthe."
)
_TO_RD = Transformer.from_crs("EPSG:4326", RD, always_xy=True)

# (SBI code, sector, BAG use, elec kWh/m², gas m³/m², office share of floor area).
# Intensities are rough orders of magnitude for synthetic data only; the engine
# has its own sourced estimates in assumptions.py.
SECTORS = (
    ("2562", "Metaalbewerking", "industriefunctie", 75.0, 9.0, 0.10),
    ("4120", "Bouw", "industriefunctie", 35.0, 8.0, 0.15),
    (
        "4520",
        "Autoreparatie en -handel",
        "industriefunctie,winkelfunctie",
        55.0,
        11.0,
        0.15,
    ),
    ("4690", "Groothandel", "industriefunctie", 40.0, 6.0, 0.10),
    ("4941", "Transport en logistiek", "industriefunctie", 30.0, 5.0, 0.08),
    ("1071", "Voedingsmiddelenindustrie", "industriefunctie", 160.0, 16.0, 0.08),
    ("6920", "Zakelijke dienstverlening", "kantoorfunctie", 95.0, 10.0, 0.95),
    ("4752", "Bouwmarkt en detailhandel", "winkelfunctie", 110.0, 9.0, 0.10),
    ("9313", "Sportschool", "sportfunctie", 120.0, 14.0, 0.05),
    ("3312", "Reparatie machines", "industriefunctie,kantoorfunctie", 60.0, 9.0, 0.55),
)
_SECTOR_P = np.array([0.14, 0.12, 0.11, 0.12, 0.12, 0.05, 0.12, 0.08, 0.04, 0.10])
_SURNAMES = (
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "Bos",
    "Vos",
    "Dijkstra",
    "Hoekstra",
    "Kuipers",
    "Boer",
    "Huisman",
    "Postma",
    "Veenstra",
    "Schuurman",
    "Wiersma",
    "Brouwer",
    "Kramer",
)
_SUFFIX = {
    "Metaalbewerking": ("Metaal", "Staalbouw", "Constructie"),
    "Bouw": ("Bouw", "Aannemers", "Installatietechniek"),
    "Autoreparatie en -handel": ("Auto's", "Garage", "Bandenservice"),
    "Groothandel": ("Groothandel", "Trading", "Distributie"),
    "Transport en logistiek": ("Transport", "Logistiek", "Koeriers"),
    "Voedingsmiddelenindustrie": ("Bakkerij", "Food", "Vleeswaren"),
    "Zakelijke dienstverlening": ("Advies", "Accountants", "ICT"),
    "Bouwmarkt en detailhandel": ("Bouwmarkt", "Tegelhandel", "Keukens"),
    "Sportschool": ("Sportcentrum", "Fitness", "Padel"),
    "Reparatie machines": ("Machinebouw", "Techniek", "Hydrauliek"),
}
_PLOT_WIDTHS = (28, 34, 40, 48, 60, 75, 95)
_PLOT_P = (0.12, 0.18, 0.2, 0.18, 0.14, 0.1, 0.08)
_ROLES = ("eigenaar/directeur", "bedrijfsleider", "facilitair manager", "huurder")


def _layout(
    area: AreaSpec,
    n: int,
    rng: np.random.Generator,
    first_plot=None,
    plot_p: tuple[float, ...] | None = None,
):
    """Plots along straight streets; returns local building rectangles.

    Each street has a row of plots on its south and on its north side; a
    building is set back from its plot's edges, so buildings never overlap.
    Plot widths are drawn from ``_PLOT_WIDTHS`` with the chances ``plot_p``
    (default ``_PLOT_P``).

    Returns
    -------
    corners : ndarray (n, 4, 2)
        Building corners in local metres (before rotation).
    street, number : ndarray
        Street index and house number (odd south, even north) per building.
    extent : tuple
        (xmin, ymin, xmax, ymax) around all buildings, local metres.
    """
    street_w, max_depth = 16.0, 85.0
    boxes, streets, numbers = [], [], []
    y_street, street = 0.0, 0
    while len(boxes) < n:
        for side in (0, 1):
            depth = float(rng.uniform(45.0, max_depth))
            x, k = 0.0, 0
            while len(boxes) < n:
                if first_plot is not None and not boxes:
                    bw, bd = first_plot
                    pw = bw + 16.0
                else:
                    pw = float(rng.choice(_PLOT_WIDTHS, p=plot_p or _PLOT_P))
                    bw = pw - float(rng.uniform(6.0, 12.0))
                    bd = depth * float(rng.uniform(0.45, 0.8))
                if x + pw > area.width_m and k > 0:
                    break
                front = float(rng.uniform(6.0, 12.0))
                x0 = x + (pw - bw) / 2
                if side == 0:
                    y0, y1 = y_street - front - bd, y_street - front
                else:
                    y0 = y_street + street_w + front
                    y1 = y0 + bd
                boxes.append((x0, y0, x0 + bw, y1))
                streets.append(street)
                numbers.append(2 * k + 1 + side)
                x += pw
                k += 1
        y_street += street_w + 2 * max_depth + 8.0
        street += 1
    b = np.array(boxes)
    corners = np.stack([b[:, [0, 1]], b[:, [2, 1]], b[:, [2, 3]], b[:, [0, 3]]], axis=1)
    margin = 25.0
    extent = (
        float(b[:, 0].min()) - margin,
        float(b[:, 1].min()) - margin,
        float(b[:, 2].max()) + margin,
        float(b[:, 3].max()) + margin,
    )
    return corners, np.array(streets), np.array(numbers), extent


def _place(area: AreaSpec, local: np.ndarray, extent) -> np.ndarray:
    """Rotate local coordinates about the extent centre and move to the RD site."""
    cx = (extent[0] + extent[2]) / 2
    cy = (extent[1] + extent[3]) / 2
    angle = np.radians(area.rotation_deg)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    x0, y0 = _TO_RD.transform(area.lon, area.lat)
    return (local - [cx, cy]) @ rot.T + [x0, y0]


def _rect(extent) -> np.ndarray:
    x0, y0, x1, y1 = extent
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])


def _postcode(area: AreaSpec, street: np.ndarray) -> np.ndarray:
    letters = [a + b for a in "ABCDEGHJKLMNPRST" for b in "ABCDEGHJKLMNPRSTVWXZ"]
    offset = sum(map(ord, area.name)) % 200
    return np.array([f"{area.postcode4} {letters[offset + s * 3]}" for s in street])


def _labels(years: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Energy labels that get better with construction year (EP-online-like)."""
    # Index into ENERGY_LABELS: 0 = A+++++ ... 11 = G.
    centre = np.interp(
        years, [1960, 1980, 2000, 2012, 2022], [10.5, 9.0, 7.0, 4.5, 2.0]
    )
    idx = np.clip(np.rint(centre + rng.normal(0, 1.3, len(years))), 0, 11).astype(int)
    return np.asarray(ENERGY_LABELS)[idx]


def _buildings(spec: TerrainSpec, rng: np.random.Generator):
    frames, boundaries, grids = [], [], []
    serial = 0
    for a_i, area in enumerate(spec.areas):
        anchor = spec.anchor_firm if a_i == 0 else None
        first = (anchor["width_m"], anchor["depth_m"]) if anchor else None
        corners, street, number, extent = _layout(
            area, area.n_buildings, rng, first_plot=first, plot_p=spec.plot_p
        )
        n = len(corners)
        placed = _place(area, corners.reshape(-1, 2), extent).reshape(n, 4, 2)
        ring = np.concatenate([placed, placed[:, :1]], axis=1).round(2)
        geoms = shapely.polygons(ring)
        hull = _place(area, _rect(extent), extent).round(2)
        boundary = shapely.Polygon(hull)
        boundaries.append((area, boundary, geoms))
        # Split the area in two capacity areas (west/east) with their statuses.
        xs = (extent[0] + extent[2]) / 2
        west = _rect((extent[0], extent[1], xs, extent[3]))
        east = _rect((xs, extent[1], extent[2], extent[3]))
        for half, bump in ((west, 0), (east, 1)):
            grids.append(
                (
                    area,
                    shapely.Polygon(_place(area, half, extent).round(2)),
                    min(3, area.afname_status + bump * (a_i % 2)),
                    area.invoeding_status,
                )
            )
        # BAG-like 16-digit ids with the non-existent gemeentecode 0999.
        bag = [f"099910{a_i:02d}{serial + i:08d}" for i in range(n)]
        serial += n
        frames.append(
            pd.DataFrame(
                {
                    "building_id": bag,
                    "street": np.asarray(area.streets)[street % len(area.streets)],
                    # A street name used again continues at the next hundred.
                    "house_number": (
                        number + 100 * (street // len(area.streets))
                    ).astype(str),
                    "postcode": _postcode(area, street % len(area.streets)),
                    "town": area.town,
                    "area": area.name,
                    "geometry": geoms,
                }
            )
        )
    table = pd.concat(frames, ignore_index=True)
    return table, boundaries, grids


def generate_terrain(spec: TerrainSpec) -> dict:
    """All tables of a demo terrain, generated from ``spec.seed``.

    Returns
    -------
    dict
        ``buildings``, ``sources``, ``grid``, ``boundary`` (GeoDataFrames in
        EPSG:28992), ``survey``, ``projects`` (DataFrames) and ``meta`` (dict).
    """
    rng = np.random.default_rng(spec.seed)
    table, boundaries, grids = _buildings(spec, rng)
    n = len(table)
    footprint = shapely.area(table["geometry"].to_numpy())

    sector_idx = rng.choice(len(SECTORS), size=n, p=_SECTOR_P)
    sbi, sector, use, elec_i, gas_i, office_share = (
        np.array([SECTORS[i][k] for i in sector_idx]) for k in range(6)
    )
    elec_i, gas_i, office_share = (
        elec_i.astype(float),
        gas_i.astype(float),
        office_share.astype(float),
    )
    lo, hi = spec.year_range
    years = np.clip(np.rint(rng.triangular(lo, spec.year_mode, hi, n)), lo, hi).astype(
        int
    )
    floors = np.minimum(rng.choice([1, 1, 1, 2, 2, 3], size=n), spec.max_floors)
    floor_area = np.rint(footprint * floors * 0.92)
    height = np.round(np.where(floors == 1, rng.uniform(5.5, 10.0, n), floors * 3.6), 1)
    roof = np.where(rng.random(n) < 0.68, "flat", "pitched")
    ownership = rng.choice(
        ["eigenaar-gebruiker", "huurder", "belegger", texts.UNKNOWN],
        size=n,
        p=[0.5, 0.3, 0.12, 0.08],
    )
    label_known = rng.random(n) < np.where(years < 1980, 0.3, 0.6) / (
        spec.use_factor**0.5
    )
    labels = np.where(label_known, _labels(years, rng), None)

    age_factor = np.interp(years, [1960, 1990, 2020], [1.35, 1.1, 0.8])
    spread = rng.lognormal(0.0, 0.35, n)
    elec = np.rint(floor_area * elec_i * spread * spec.use_factor / 10) * 10
    gas = np.rint(floor_area * gas_i * age_factor * spread * spec.use_factor / 10) * 10
    elec_known = rng.random(n) < 0.45
    gas_known = elec_known & (rng.random(n) < 0.85) | (rng.random(n) < 0.1)
    elec_src = np.where(rng.random(n) < 0.7, texts.MEASURED, texts.SURVEY)
    gas_src = np.where(rng.random(n) < 0.7, texts.MEASURED, texts.SURVEY)

    has_pv = rng.random(n) < (0.22 / spec.use_factor)
    pv = np.where(
        has_pv, np.round(footprint * 0.5 * 0.2 * rng.uniform(0.3, 0.9, n), 1), 0.0
    )
    pv_unknown = rng.random(n) < 0.1
    connection = np.where(
        (floor_area > 1800) | (elec > 120_000), "grootverbruik", "kleinverbruik"
    )
    connection_known = rng.random(n) < 0.93

    family = rng.choice(len(_SURNAMES), size=n)
    style = rng.integers(0, 3, size=n)
    company = [
        f"{_SURNAMES[f]} {_SUFFIX[sector[i]][style[i]]} B.V."
        if style[i] != 1
        else f"{_SUFFIX[sector[i]][style[i]]} {_SURNAMES[f].split()[-1]}"
        for i, f in enumerate(family)
    ]
    buildings = pd.DataFrame(
        {
            "building_id": table["building_id"],
            "address": table["street"]
            + " "
            + table["house_number"]
            + ", "
            + table["town"],
            "postcode": table["postcode"],
            "house_number": table["house_number"],
            "company": company,
            "sbi_code": sbi,
            "sector": sector,
            "building_use": use,
            "office_area_m2": np.rint(floor_area * office_share),
            "construction_year": years,
            "footprint_m2": np.round(footprint, 1),
            "floor_area_m2": floor_area,
            "height_m": height,
            "volume_m3": np.rint(footprint * height),
            "roof_type": roof,
            "ownership": ownership,
            "energy_label": labels,
            "elec_kwh_yr": np.where(elec_known, elec, np.nan),
            "elec_source": np.where(elec_known, elec_src, None),
            "gas_m3_yr": np.where(gas_known, gas, np.nan),
            "gas_source": np.where(gas_known, gas_src, None),
            "pv_kwp_existing": np.where(pv_unknown, np.nan, pv),
            "grid_connection": np.where(connection_known, connection, None),
            "is_monument": np.zeros(n, dtype=bool),
        }
    )
    if spec.anchor_firm:
        _apply_anchor(buildings, spec.anchor_firm)
    buildings = gpd.GeoDataFrame(buildings, geometry=table["geometry"].values, crs=RD)

    boundary = gpd.GeoDataFrame(
        {
            "name": [area.name for area, _, _ in boundaries],
            "municipality": spec.municipality,
            "cluster": spec.cluster,
            "ibis_id": [f"DEMO-{spec.id}-{i + 1}" for i in range(len(boundaries))],
            "ha_gross": [round(poly.area / 1e4, 1) for _, poly, _ in boundaries],
            "ha_net": [
                round(shapely.area(g).sum() * 2.2 / 1e4, 1) for _, _, g in boundaries
            ],
        },
        geometry=[poly for _, poly, _ in boundaries],
        crs=RD,
    )
    grid = gpd.GeoDataFrame(
        {
            "area_id": [f"{spec.id}-net-{i + 1}" for i in range(len(grids))],
            "name": [
                f"{a.name} {'west' if i % 2 == 0 else 'oost'}"
                for i, (a, *_) in enumerate(grids)
            ],
            "afname_status": [g[2] for g in grids],
            "invoeding_status": [g[3] for g in grids],
            "station": [f"Onderstation {a.town} (fictief)" for a, *_ in grids],
            "netbeheerder": spec.netbeheerder,
        },
        geometry=[g[1] for g in grids],
        crs=RD,
    )
    return {
        "buildings": buildings,
        "survey": _survey(buildings, rng),
        "sources": _sources(spec, buildings, boundaries),
        "grid": grid,
        "projects": pd.read_csv(PMIEK_CSV, dtype=str, keep_default_na=False),
        "boundary": boundary,
        "meta": {
            "id": spec.id,
            "name": spec.name,
            "municipality": spec.municipality,
            "cluster": spec.cluster,
            "notes": spec.notes,
            "demo": True,
            "seed": spec.seed,
            "disclaimer": DEMO_NOTE,
        },
    }


def _apply_anchor(buildings: pd.DataFrame, firm: dict) -> None:
    """The pilot's one large firm sits on the first plot (beside the source)."""
    floor = round(firm["width_m"] * firm["depth_m"] * firm["floors"] * 0.95)
    for key in ("company", "sbi_code", "sector", "building_use", "pv_kwp_existing"):
        buildings.loc[0, key] = firm[key]
    buildings.loc[0, "floor_area_m2"] = floor
    buildings.loc[0, "office_area_m2"] = round(floor * 0.08)
    buildings.loc[0, ["ownership", "grid_connection", "roof_type"]] = [
        "eigenaar-gebruiker",
        "grootverbruik",
        "flat",
    ]
    buildings.loc[0, ["elec_kwh_yr", "gas_m3_yr"]] = [floor * 95.0, floor * 7.0]
    buildings.loc[0, ["elec_source", "gas_source", "energy_label"]] = [
        texts.MEASURED,
        texts.MEASURED,
        "B",
    ]


def _survey(buildings: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """About half of the companies answered; consent is asked separately."""
    n = len(buildings)
    answered = np.flatnonzero(rng.random(n) < 0.5)
    m = len(answered)
    out = pd.DataFrame(
        {
            "postcode": buildings["postcode"].to_numpy()[answered],
            "huisnummer": buildings["house_number"].to_numpy()[answered],
            "bedrijf": buildings["company"].to_numpy()[answered],
            "rol": rng.choice(_ROLES, size=m, p=[0.55, 0.2, 0.1, 0.15]),
        }
    )
    eager = rng.random(m)
    for measure in SURVEY_MEASURES:
        p_yes = (
            0.45
            if measure in ("zon_eigen_dak", "led", "collectieve_inkoop_zon")
            else 0.2
        )
        u = rng.random(m) * (1.2 - 0.4 * eager)
        out[f"interest_{measure}"] = np.where(
            u < p_yes, texts.YES, np.where(u < p_yes + 0.3, texts.MAYBE, texts.NO)
        )
    out["bereidheid_collectief"] = np.clip(
        np.rint(1 + 4 * eager + rng.normal(0, 0.6, m)), 1, 5
    ).astype(int)
    out["geplande_investeringen"] = rng.choice(
        [
            "",
            "zonnepanelen",
            "LED-verlichting",
            "warmtepomp",
            "isolatie dak",
            "laadpalen",
        ],
        size=m,
    )
    out["kopgroep"] = np.where(
        eager > 0.7, texts.YES, np.where(eager > 0.4, texts.MAYBE, texts.NO)
    )
    out["toestemming_werksessie"] = np.where(rng.random(m) < 0.6, texts.YES, texts.NO)
    return out


def _sources(
    spec: TerrainSpec, buildings: gpd.GeoDataFrame, boundaries
) -> gpd.GeoDataFrame:
    rows, geoms = [], []
    for i, src in enumerate(spec.sources):
        if "lonlat" in src:
            geom = shapely.Point(_TO_RD.transform(*src["lonlat"]))
        elif src["offset_m"] is None:
            # Beside the anchor firm (building 0), outside the terrain edge.
            anchor = buildings.geometry.iloc[0]
            edge = boundaries[src["at_area"]][1]
            c = np.array(anchor.centroid.coords[0])
            away = c - np.array(edge.centroid.coords[0])
            away /= np.linalg.norm(away)
            centre = c + away * (edge.exterior.distance(anchor.centroid) + 90.0)
            geom = shapely.Point(centre).buffer(60.0, quad_segs=4)
        else:
            centre = np.array(boundaries[src["at_area"]][1].centroid.coords[0])
            geom = shapely.Point(centre + np.array(src["offset_m"]))
        rows.append(
            {
                "source_id": f"{spec.id}-bron-{i + 1}",
                "kind": src["kind"],
                "name": src["name"],
                "heat_mwh_yr": src.get("heat_mwh_yr"),
                "power_kw": src.get("power_kw"),
                "gas_m3_yr": src.get("gas_m3_yr"),
                "description": src["description"],
            }
        )
        geoms.append(shapely.set_precision(geom, 0.01))
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=RD)


def synthetic_terrain(n_buildings: int, seed: int = 7):
    """A loaded :class:`~kansenkaart.core.model.Terrain`, ``n_buildings`` (fictitious).

    Goes through the same files and validation as a real terrain, so scale
    tests and benchmarks measure what users get.
    """
    return spec_terrain(synthetic_spec(n_buildings, seed))


def spec_terrain(spec: TerrainSpec):
    """The terrain a recipe makes, loaded as a
    :class:`~kansenkaart.core.model.Terrain` through the files and validation
    of every terrain (:func:`write_terrain`, then the terrain reader)."""
    from kansenkaart.io.readers import read_terrain_folder

    with tempfile.TemporaryDirectory(prefix="kansenkaart-demo-") as tmp:
        folder = write_terrain(generate_terrain(spec), Path(tmp) / spec.id)
        return read_terrain_folder(folder)


def write_terrain(tables: dict, folder: Path) -> Path:
    """Write generated tables as a terrain folder that ``load_terrain`` reads."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("buildings", "sources", "grid", "boundary"):
        path = folder / f"{name}.geojson"
        path.unlink(missing_ok=True)
        tables[name].to_file(
            path, driver="GeoJSON", COORDINATE_PRECISION=2, WRITE_BBOX="NO"
        )
    # The survey as a gemeente would send it: Dutch headers, ';', for Excel.
    tables["survey"].to_csv(folder / "survey.csv", sep=";", index=False)
    tables["projects"].to_csv(folder / "projects.csv", index=False)
    (folder / "terrain.json").write_text(
        json.dumps(tables["meta"], ensure_ascii=False, indent=2, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    return folder


def write_all(target: Path) -> list[Path]:
    """Regenerate the four pilot terrains below ``target``."""
    return [write_terrain(generate_terrain(s), Path(target) / s.id) for s in PILOTS]


__all__ = [
    "DEMO_NOTE",
    "generate_terrain",
    "spec_terrain",
    "synthetic_terrain",
    "write_all",
    "write_terrain",
]
