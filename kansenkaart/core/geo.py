"""Coordinate reference systems and geometry checks.

Everything is stored and computed in RD New (EPSG:28992, metres); WGS84 is
only used at the map boundary (:func:`to_wgs84`).
"""

from __future__ import annotations

import functools
import json

import geopandas as gpd
import numpy as np
import shapely

from kansenkaart.core.errors import DataError, Problem
from kansenkaart.core.paths import data_dir

RD = "EPSG:28992"
WGS84 = "EPSG:4326"
# Extent of RD New over the Netherlands (Kadaster); lon/lat box of NL with margin.
RD_BOUNDS = (-7_000.0, 289_000.0, 300_000.0, 629_000.0)
NL_LONLAT_BOUNDS = (2.5, 50.5, 7.5, 54.0)
GRID_M = 0.01
"""Coordinate grid of terrain files (m): they are written with 2 decimals (cm)."""
# Reference places to say where refused coordinates lie: (name, country,
# longitude °E, latitude °N) of the city centre, rounded to 0.01° (coordinates
# as listed on Wikipedia / GeoNames).
PLACES = (
    ("Amsterdam", "Nederland", 4.90, 52.37),
    ("Rotterdam", "Nederland", 4.48, 51.92),
    ("Den Haag", "Nederland", 4.30, 52.08),
    ("Utrecht", "Nederland", 5.12, 52.09),
    ("Groningen", "Nederland", 6.57, 53.22),
    ("Zwolle", "Nederland", 6.09, 52.51),
    ("Arnhem", "Nederland", 5.91, 51.98),
    ("Eindhoven", "Nederland", 5.47, 51.44),
    ("Maastricht", "Nederland", 5.69, 50.85),
    ("Middelburg", "Nederland", 3.61, 51.50),
    ("Brussel", "België", 4.35, 50.85),
    ("Antwerpen", "België", 4.40, 51.22),
    ("Gent", "België", 3.72, 51.05),
    ("Luik", "België", 5.57, 50.63),
    ("Namen", "België", 4.87, 50.47),
    ("Charleroi", "België", 4.44, 50.41),
    ("Aken", "Duitsland", 6.08, 50.78),
    ("Keulen", "Duitsland", 6.96, 50.94),
    ("Düsseldorf", "Duitsland", 6.78, 51.23),
    ("Münster", "Duitsland", 7.63, 51.96),
    ("Emden", "Duitsland", 7.21, 53.37),
    ("Lille", "Frankrijk", 3.06, 50.63),
    ("Parijs", "Frankrijk", 2.35, 48.86),
    ("Londen", "Verenigd Koninkrijk", -0.13, 51.51),
    ("Luxemburg", "Luxemburg", 6.13, 49.61),
)
NL_OUTLINE = data_dir() / "netherlands.geojson"
"""Outline of the European Netherlands (lon/lat): the Geofabrik extract
boundary of OpenStreetMap (© OpenStreetMap contributors, ODbL), 468 points as
published in conveyal/gtfs-lib ``Geometries.getNetherlands``; it follows the
land border and takes in the coastal sea (see ``data/README.md``)."""
NL_MARGIN_M = 1_000.0
"""Tolerance around :data:`NL_OUTLINE` (m) for a terrain on the border:
Aken and Emden, the nearest foreign towns, lie 3.6 and 4.2 km outside it."""
NEAR_KM = 60.0
"""Within this distance (km) a point is "bij" the nearest reference place."""
EARTH_RADIUS_KM = 6371.0


def lonlat(x: float, y: float, crs=None) -> tuple[float, float] | None:
    """Longitude and latitude (°) of one coordinate pair, or None if unknown.

    Without a CRS, numbers within ±180/±90 are taken as lon/lat and larger
    ones as RD New metres (the two systems Dutch files use).
    """
    if crs is None or (gpd.GeoSeries(crs=crs).crs.is_geographic and abs(x) > 180):
        crs = WGS84 if abs(x) <= 180 and abs(y) <= 90 else RD
    point = gpd.GeoSeries([shapely.Point(x, y)], crs=crs).to_crs(WGS84).iloc[0]
    if point.is_empty or not np.isfinite([point.x, point.y]).all():
        return None
    return point.x, point.y


def place_name(lon: float, lat: float) -> str:
    """Where a lon/lat point lies, in Dutch: "bij Brussel (België)".

    The nearest place of :data:`PLACES` (great-circle distance, spherical
    earth of radius 6371 km); beyond :data:`NEAR_KM` the distance is named.
    """
    lon1, lat1 = np.radians([lon, lat])
    table = np.radians([(p[2], p[3]) for p in PLACES])
    dlon, dlat = table[:, 0] - lon1, table[:, 1] - lat1
    h = (
        np.sin(dlat / 2) ** 2
        + np.cos(lat1) * np.cos(table[:, 1]) * np.sin(dlon / 2) ** 2
    )
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(h))
    name, country, _, _ = PLACES[int(np.argmin(km))]
    if km.min() <= NEAR_KM:
        return f"bij {name} ({country})"
    return f"ongeveer {km.min():.0f} km van {name} ({country})"


def where(x: float, y: float, crs=None) -> str:
    """Dutch phrase for where a coordinate lies ("bij Brussel (België)")."""
    point = lonlat(x, y, crs)
    return "ver buiten Nederland" if point is None else place_name(*point)


def _within(bounds: np.ndarray, box: tuple[float, float, float, float]) -> bool:
    minx, miny, maxx, maxy = bounds
    return minx >= box[0] and miny >= box[1] and maxx <= box[2] and maxy <= box[3]


@functools.cache
def netherlands_rd() -> shapely.Geometry:
    """:data:`NL_OUTLINE` in RD New, widened by :data:`NL_MARGIN_M` (prepared)."""
    doc = json.loads(NL_OUTLINE.read_text(encoding="utf-8"))
    outline = shapely.geometry.shape(doc["features"][0]["geometry"])
    area = gpd.GeoSeries([outline], crs=WGS84).to_crs(RD).iloc[0].buffer(NL_MARGIN_M)
    shapely.prepare(area)
    return area


def outside_netherlands(gdf: gpd.GeoDataFrame) -> np.ndarray:
    """Per row of an RD New layer: True when it lies outside the Netherlands.

    A row is judged by the middle of its bounding box against
    :func:`netherlands_rd`; rows without geometry are not outside.
    """
    bounds = gdf.geometry.bounds.to_numpy()
    x = (bounds[:, 0] + bounds[:, 2]) / 2
    y = (bounds[:, 1] + bounds[:, 3]) / 2
    known = np.isfinite(x) & np.isfinite(y)
    inside = np.ones(len(gdf), dtype=bool)
    inside[known] = shapely.contains_xy(netherlands_rd(), x[known], y[known])
    return ~inside


def ensure_rd(
    gdf: gpd.GeoDataFrame, file: str, row_offset: int = 1
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Return the layer in RD New and the Dutch warnings about what was assumed.

    A declared CRS is trusted only when the coordinates fit it: a file that says
    WGS84 but holds RD metres (or the reverse) is refused, since converting it
    would silently put the buildings somewhere else. A layer with objects
    outside the Netherlands (:func:`outside_netherlands`; Brussel, Antwerpen
    and Emden lie inside the RD and lon/lat boxes) is refused, naming the
    place.

    Parameters
    ----------
    gdf : GeoDataFrame
        Layer as read; not modified.
    file : str
        File name for messages.
    row_offset : int
        Added to the 0-based position to give the row users see.

    Returns
    -------
    GeoDataFrame in EPSG:28992, list of str warnings

    Raises
    ------
    DataError
        Coordinates that fit neither RD New nor WGS84 over the Netherlands,
        that contradict the declared CRS, or that lie outside the Netherlands.
    """
    rd, warnings = _as_rd(gdf, file)
    outside = outside_netherlands(rd)
    if outside.any():
        first = int(np.flatnonzero(outside)[0])
        x0, y0, x1, y1 = rd.geometry.iloc[first].bounds
        raise DataError.single(
            file,
            f"{int(outside.sum())} van de {len(rd)} objecten liggen niet in "
            f"Nederland; het eerste (rij {first + row_offset}) ligt "
            f"{where((x0 + x1) / 2, (y0 + y1) / 2, RD)}.",
            "lever alleen gegevens van een terrein in Nederland aan, en controleer "
            "het coördinatenstelsel (RD New, EPSG:28992, of WGS84).",
            row=first + row_offset,
        )
    return rd, warnings


def _as_rd(gdf: gpd.GeoDataFrame, file: str) -> tuple[gpd.GeoDataFrame, list[str]]:
    """:func:`ensure_rd` without the check on the Netherlands."""
    warnings: list[str] = []
    present = gdf.geometry[~(gdf.geometry.isna() | gdf.geometry.is_empty)]
    if present.empty:
        return (gdf.set_crs(RD, allow_override=True), warnings)
    bounds = np.asarray(present.total_bounds)
    looks_rd = _within(bounds, RD_BOUNDS)
    looks_lonlat = _within(bounds, NL_LONLAT_BOUNDS)
    fix = (
        "sla het bestand op in RD New (EPSG:28992) of WGS84 (EPSG:4326) en "
        "controleer dat x/lengtegraad en y/breedtegraad niet verwisseld zijn."
    )
    crs = gdf.crs
    if crs is None:
        if looks_rd:
            warnings.append(
                f"{file}: geen coördinatenstelsel opgegeven; de coördinaten lijken "
                "RD New (EPSG:28992) en zijn zo gelezen."
            )
            return gdf.set_crs(RD), warnings
        if looks_lonlat:
            warnings.append(
                f"{file}: geen coördinatenstelsel opgegeven; de coördinaten lijken "
                "WGS84 (lengte/breedte) en zijn omgerekend naar RD New."
            )
            return gdf.set_crs(WGS84).to_crs(RD), warnings
        raise DataError.single(
            file,
            f"de coördinaten ({_fmt_bounds(bounds)}) passen niet bij RD New of "
            f"WGS84 in Nederland; ze liggen {_where_bounds(bounds, None)}.",
            fix,
        )
    if crs.equals(gpd.GeoSeries(crs=RD).crs) or crs.to_epsg() == 28992:
        if not looks_rd:
            raise DataError.single(
                file,
                "het bestand zegt RD New (EPSG:28992), maar de coördinaten "
                f"({_fmt_bounds(bounds)}) liggen niet in Nederland maar "
                f"{_where_bounds(bounds, RD)}.",
                fix,
            )
        return gdf.set_crs(RD, allow_override=True), warnings
    if crs.is_geographic and not looks_lonlat:
        if looks_rd and file.lower().endswith((".geojson", ".json")):
            # GeoJSON without a "crs" member is WGS84 by definition, so GDAL
            # reports EPSG:4326 for RD exports that simply lack the member.
            warnings.append(
                f"{file}: het bestand noemt lengte/breedtegraden (WGS84), maar "
                "de coördinaten zijn RD-meters; ze zijn als RD New (EPSG:28992) "
                "gelezen."
            )
            return gdf.set_crs(RD, allow_override=True), warnings
        if looks_rd:
            raise DataError.single(
                file,
                "het bestand zegt lengte/breedtegraden (WGS84), maar de "
                "coördinaten zijn RD-meters.",
                "sla het bestand op met coördinatenstelsel EPSG:28992 (RD New).",
            )
        raise DataError.single(
            file,
            f"de coördinaten ({_fmt_bounds(bounds)}) liggen niet in Nederland "
            f"maar {_where_bounds(bounds, crs)}.",
            fix,
        )
    converted = gdf.to_crs(RD)
    if not _within(np.asarray(converted.total_bounds), RD_BOUNDS):
        raise DataError.single(
            file,
            f"na omrekenen van {crs.name} naar RD New liggen de gegevens niet in "
            f"Nederland maar {_where_bounds(bounds, crs)}.",
            fix,
        )
    if crs.to_epsg() != 4326:
        warnings.append(f"{file}: omgerekend van {crs.name} naar RD New.")
    return converted, warnings


def _where_bounds(bounds: np.ndarray, crs) -> str:
    """:func:`where` for the middle of a bounding box (minx, miny, maxx, maxy)."""
    return where((bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, crs)


def _fmt_bounds(bounds: np.ndarray) -> str:
    return f"x {bounds[0]:.6g}–{bounds[2]:.6g}, y {bounds[1]:.6g}–{bounds[3]:.6g}"


def check_geometries(
    gdf: gpd.GeoDataFrame, kind: str, file: str, row_offset: int = 1
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Refuse missing or wrong geometries, repair invalid ones.

    Parameters
    ----------
    gdf : GeoDataFrame
        Not modified.
    kind : {"polygon", "point", "any"}
        Geometry the table needs.
    file : str
        File name for messages.
    row_offset : int
        Added to the 0-based position to give the row users see.

    Returns
    -------
    GeoDataFrame with valid geometries, list of str warnings

    Raises
    ------
    DataError
        Empty or missing geometries, or geometries of the wrong type.
    """
    geom = gdf.geometry
    problems: list[Problem] = []
    missing = (geom.isna() | geom.is_empty).to_numpy()
    for pos in np.flatnonzero(missing)[:5]:
        problems.append(
            Problem(
                file,
                "de geometrie ontbreekt of is leeg.",
                "teken de vorm opnieuw of verwijder de rij.",
                int(pos) + row_offset,
                "geometry",
            )
        )
    if missing.sum() > 5:
        problems.append(
            Problem(
                file,
                f"in totaal {int(missing.sum())} rijen zonder geometrie.",
                "teken de vormen opnieuw of verwijder de rijen.",
                column="geometry",
            )
        )
    if problems:
        raise DataError(problems)

    warnings: list[str] = []
    invalid = ~geom.is_valid.to_numpy()
    if invalid.any():
        repaired = geom.copy()
        repaired[invalid] = shapely.make_valid(geom[invalid].to_numpy())
        if kind == "polygon":
            repaired[invalid] = [_polygonal(g) for g in repaired[invalid]]
        gdf = gdf.set_geometry(repaired)
        warnings.append(
            f"{file}: {int(invalid.sum())} ongeldige geometrie(ën) automatisch "
            "gerepareerd (bijvoorbeeld een zelfdoorsnijdende rand)."
        )
        geom = gdf.geometry

    allowed = {
        "polygon": {"Polygon", "MultiPolygon"},
        "point": {"Point", "MultiPoint"},
    }.get(kind)
    if allowed:
        wrong = ~geom.geom_type.isin(allowed).to_numpy() | geom.is_empty.to_numpy()
        for pos in np.flatnonzero(wrong)[:5]:
            problems.append(
                Problem(
                    file,
                    f"geometrie is een {geom.iloc[pos].geom_type}, verwacht "
                    f"{'vlak (polygoon)' if kind == 'polygon' else 'punt'}.",
                    "lever de omtrek van het pand/gebied als polygoon aan."
                    if kind == "polygon"
                    else "lever een punt aan.",
                    int(pos) + row_offset,
                    "geometry",
                )
            )
        if problems:
            raise DataError(problems)
    return gdf, warnings


def _polygonal(geom):
    """Keep the polygonal part of a repaired geometry (make_valid may add lines)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [
        g
        for g in getattr(geom, "geoms", [])
        if g.geom_type in ("Polygon", "MultiPolygon")
    ]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def to_wgs84(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Reproject to WGS84 for web maps; the only place RD is left."""
    return gdf.to_crs(WGS84)
