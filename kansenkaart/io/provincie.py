"""A demo province: 30 fictitious business parks in Drenthe, made on demand.

The province overview (page *Provincie-overzicht*, issue 21) shows every park
of a province on one map. So that it can be seen without setup, the demo has
a province set: the four pilot terrains of ``data/demo/`` plus the 30
**fictitious** parks of :data:`PARKS`, each a
:class:`~kansenkaart.io.demo_specs.TerrainSpec` with its own seed and size mix
for the generator of :mod:`kansenkaart.io.demo`, placed beside a real town of
Drenthe (municipality and pMIEK energy cluster of that town, DESIGN.md
section 4.5). Their names say they are fictitious ("Fictief terrein …").

The parks are not written into the repository: :func:`load_park` generates one
from its spec when it is opened (deterministic, about half a second). Only
their key figures are shipped, in :data:`OVERVIEW_FILE`, made by::

    python -m kansenkaart provincie -o data/provincie

(:mod:`kansenkaart.cli`; ``tests/test_provincie.py`` checks that regenerating
gives the same figures).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np

from kansenkaart.core.errors import DataError
from kansenkaart.core.model import Terrain
from kansenkaart.core.paths import data_dir
from kansenkaart.io.demo_specs import PILOT_IDS, AreaSpec, TerrainSpec

PROVINCE = "Drenthe"
OVERVIEW_FILE = data_dir() / "provincie" / "drenthe.geojson"
"""Key figures and outline of every park of the demo province (RD New)."""
PARK_PREFIX = "fictief-"
"""Start of the id of every generated park."""

# Town beside which a park lies: (town, municipality, lat, lon, postcode4,
# netbeheerder). Town centres from the topographic map (approximate); the
# park is placed 0.8–1.8 km from it. Rendo serves the south-west of Drenthe,
# Enexis the rest. None of the pilot terrains' towns is used again.
_TOWNS = (
    ("Emmen", "Emmen", 52.785, 6.897, "7812", "Enexis"),
    ("Klazienaveen", "Emmen", 52.726, 6.990, "7891", "Enexis"),
    ("Nieuw-Amsterdam", "Emmen", 52.715, 6.857, "7833", "Enexis"),
    ("Schoonebeek", "Emmen", 52.662, 6.884, "7761", "Enexis"),
    ("Emmer-Compascuum", "Emmen", 52.811, 7.047, "7881", "Enexis"),
    ("Erica", "Emmen", 52.721, 6.932, "7887", "Enexis"),
    ("Coevorden", "Coevorden", 52.661, 6.741, "7741", "Enexis"),
    ("Dalen", "Coevorden", 52.700, 6.757, "7751", "Enexis"),
    ("Sleen", "Coevorden", 52.771, 6.803, "7841", "Enexis"),
    ("Borger", "Borger-Odoorn", 52.925, 6.793, "9531", "Enexis"),
    ("Odoorn", "Borger-Odoorn", 52.851, 6.852, "7873", "Enexis"),
    ("Exloo", "Borger-Odoorn", 52.882, 6.865, "7875", "Enexis"),
    ("Nieuw-Buinen", "Borger-Odoorn", 52.963, 6.951, "9521", "Enexis"),
    ("Gieten", "Aa en Hunze", 53.005, 6.762, "9461", "Enexis"),
    ("Annen", "Aa en Hunze", 53.057, 6.719, "9468", "Enexis"),
    ("Rolde", "Aa en Hunze", 52.983, 6.647, "9451", "Enexis"),
    ("Zuidlaren", "Tynaarlo", 53.094, 6.682, "9471", "Enexis"),
    ("Vries", "Tynaarlo", 53.075, 6.578, "9481", "Enexis"),
    ("Norg", "Noordenveld", 53.068, 6.458, "9331", "Enexis"),
    ("Beilen", "Midden-Drenthe", 52.862, 6.513, "9411", "Enexis"),
    ("Westerbork", "Midden-Drenthe", 52.849, 6.607, "9431", "Enexis"),
    ("Smilde", "Midden-Drenthe", 52.955, 6.451, "9422", "Enexis"),
    ("Hollandscheveld", "Hoogeveen", 52.700, 6.540, "7913", "Rendo"),
    ("Pesse", "Hoogeveen", 52.776, 6.451, "7933", "Rendo"),
    ("Meppel", "Meppel", 52.696, 6.194, "7941", "Rendo"),
    ("Nijeveen", "Meppel", 52.735, 6.168, "7948", "Rendo"),
    ("Zuidwolde", "De Wolden", 52.671, 6.428, "7921", "Rendo"),
    ("Ruinen", "De Wolden", 52.763, 6.356, "7963", "Rendo"),
    ("Havelte", "Westerveld", 52.771, 6.241, "7971", "Rendo"),
    ("Dwingeloo", "Westerveld", 52.834, 6.369, "7991", "Rendo"),
)
_CLUSTER = {
    **dict.fromkeys(("Tynaarlo", "Assen", "Noordenveld", "Midden-Drenthe"), "A"),
    **dict.fromkeys(("Borger-Odoorn", "Aa en Hunze"), "B"),
    **dict.fromkeys(("Emmen", "Coevorden"), "C"),
    **dict.fromkeys(("Meppel", "Hoogeveen", "De Wolden", "Westerveld"), "D"),
}
"""pMIEK energy cluster per municipality (DESIGN.md section 4.5)."""
_SIDES = ("Noord", "Oost", "Zuid", "West")
_STREETS = (
    "Industrieweg",
    "Ambachtsweg",
    "Nijverheidsweg",
    "Handelsweg",
    "Transportweg",
    "Edisonstraat",
    "Bedrijvenweg",
    "Kanaalweg",
    "Zuivelweg",
    "Turfweg",
    "Smederij",
    "Energieweg",
)
_SIZE_MIXES = (
    (0.3, 0.3, 0.2, 0.1, 0.05, 0.03, 0.02),  # small firms on small plots
    None,  # the mixed default of kansenkaart.io.demo
    (0.05, 0.08, 0.12, 0.2, 0.2, 0.2, 0.15),  # large halls, logistics
)
_SOURCE_NAMES = {"restwarmte": "Restwarmte", "rwzi": "RWZI", "zonneveld": "Zonneveld"}
FIRST_SEED = 2101
"""Seed of the first park; park ``k`` has ``FIRST_SEED + k``."""


def _slug(text: str) -> str:
    return text.lower().replace(" ", "-")


def park_spec(k: int) -> TerrainSpec:
    """Recipe of fictitious park ``k`` (0–29) of :data:`PARKS`.

    Its size (15–220 buildings), plot-size mix, building years, use, grid
    statuses and side of town all follow from its seed, so each park differs.
    """
    town, municipality, lat, lon, postcode4, netbeheerder = _TOWNS[k]
    seed = FIRST_SEED + k
    rng = np.random.default_rng(seed)
    side = int(rng.integers(len(_SIDES)))
    distance_m = float(rng.uniform(800.0, 1800.0))
    # Metres to degrees at 52.8° N: 111.2 km per degree of latitude, 67.2 km
    # per degree of longitude.
    d_north = {0: 1.0, 2: -1.0}.get(side, 0.0) * distance_m / 111_200.0
    d_east = {1: 1.0, 3: -1.0}.get(side, 0.0) * distance_m / 67_200.0
    n_buildings = int(rng.choice([20, 45, 80, 130, 200], p=[0.2, 0.3, 0.25, 0.15, 0.1]))
    n_buildings += int(rng.integers(0, 20))
    streets = tuple(rng.choice(_STREETS, size=int(rng.integers(2, 6)), replace=False))
    afname = int(rng.choice(4, p=[0.35, 0.35, 0.2, 0.1]))
    invoeding = int(min(3, afname + rng.choice(3, p=[0.3, 0.4, 0.3])))
    start = int(rng.integers(1955, 1990))
    name = f"{town}-{_SIDES[side]}"
    return TerrainSpec(
        id=PARK_PREFIX + _slug(name),
        name=f"Fictief terrein {name}",
        municipality=municipality,
        cluster=_CLUSTER[municipality],
        netbeheerder=netbeheerder,
        areas=(
            AreaSpec(
                f"Fictief terrein {name}",
                round(lat + d_north, 4),
                round(lon + d_east, 4),
                n_buildings,
                streets,
                postcode4,
                town,
                width_m=float(np.clip(np.sqrt(n_buildings) * 70.0, 300.0, 950.0)),
                rotation_deg=float(rng.integers(-25, 26)),
                afname_status=afname,
                invoeding_status=invoeding,
            ),
        ),
        year_range=(start, 2024),
        year_mode=int(rng.integers(start + 5, 2015)),
        use_factor=round(float(rng.uniform(0.8, 1.4)), 2),
        max_floors=int(rng.choice([1, 2, 3])),
        plot_p=_SIZE_MIXES[int(rng.integers(len(_SIZE_MIXES)))],
        seed=seed,
        notes=(
            f"Fictief bedrijventerrein bij {town} voor het provincie-overzicht; "
            "het terrein en alle gegevens zijn verzonnen."
        ),
        sources=(_source(rng, name),),
    )


def _source(rng: np.random.Generator, name: str) -> dict:
    """One fictitious coupling source beside the park (a terrain needs one)."""
    kind = str(rng.choice(["restwarmte", "rwzi", "zonneveld"]))
    offset = (float(rng.uniform(-400.0, 400.0)), float(rng.uniform(-400.0, 400.0)))
    figures = (
        {"power_kw": float(rng.integers(2, 15)) * 1000.0}
        if kind == "zonneveld"
        else {"heat_mwh_yr": float(rng.integers(10, 120)) * 100.0}
    )
    return {
        "kind": kind,
        "name": f"{_SOURCE_NAMES[kind]} {name} (fictief)",
        "at_area": 0,
        "offset_m": offset,
        "description": "Fictieve bron bij een fictief terrein.",
        **figures,
    }


PARKS: tuple[TerrainSpec, ...] = tuple(park_spec(k) for k in range(len(_TOWNS)))
"""The 30 fictitious parks of the demo province."""
PARK_IDS = tuple(spec.id for spec in PARKS)
SET_IDS = PILOT_IDS + PARK_IDS
"""Every terrain of the demo province: the four pilots, then the parks."""


def park(park_id: str) -> TerrainSpec:
    """The recipe of a generated park; a Dutch DataError for an unknown id."""
    for spec in PARKS:
        if spec.id == park_id:
            return spec
    raise DataError.single(
        "terrein",
        f"'{park_id[:40]}' is geen terrein van de demoprovincie.",
        "open een terrein vanuit het Provincie-overzicht.",
    )


def load_park(park_id: str) -> Terrain:
    """A terrain of the demo province: a pilot from ``data/demo/``, or a park
    generated from its recipe, through the same files and validation as
    every terrain (:func:`kansenkaart.io.demo.spec_terrain`)."""
    from kansenkaart.io.demo import spec_terrain
    from kansenkaart.io.readers import load_terrain

    if park_id in PILOT_IDS:
        return load_terrain(f"demo:{park_id}")
    return spec_terrain(park(park_id))


def write_overview(table: gpd.GeoDataFrame, path: Path = OVERVIEW_FILE) -> Path:
    """Write the key figures per park (one row each, outline in RD New, 1 cm)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    table.to_file(path, driver="GeoJSON", COORDINATE_PRECISION=2, WRITE_BBOX="NO")
    return path


def read_overview(path: Path = OVERVIEW_FILE) -> gpd.GeoDataFrame:
    """The shipped key figures per park (see :data:`OVERVIEW_FILE`)."""
    try:
        return gpd.read_file(path)
    except Exception as exc:  # any read failure means the same to the user
        raise DataError.single(
            path.name,
            f"het provincie-overzicht kan niet worden gelezen ({exc}).",
            "maak het opnieuw met 'python -m kansenkaart provincie -o data/provincie'.",
        ) from exc
