"""Coordinate reference systems and geometry checks.

Everything is stored and computed in RD New (EPSG:28992, metres); WGS84 is
only used at the map boundary (:func:`to_wgs84`).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from kansenkaart.core.errors import DataError, Problem

RD = "EPSG:28992"
WGS84 = "EPSG:4326"
# Extent of RD New over the Netherlands (Kadaster); lon/lat box of NL with margin.
RD_BOUNDS = (-7_000.0, 289_000.0, 300_000.0, 629_000.0)
NL_LONLAT_BOUNDS = (2.5, 50.5, 7.5, 54.0)


def _within(bounds: np.ndarray, box: tuple[float, float, float, float]) -> bool:
    minx, miny, maxx, maxy = bounds
    return minx >= box[0] and miny >= box[1] and maxx <= box[2] and maxy <= box[3]


def ensure_rd(gdf: gpd.GeoDataFrame, file: str) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Return the layer in RD New and the Dutch warnings about what was assumed.

    A declared CRS is trusted only when the coordinates fit it: a file that says
    WGS84 but holds RD metres (or the reverse) is refused, since converting it
    would silently put the buildings somewhere else.

    Parameters
    ----------
    gdf : GeoDataFrame
        Layer as read; not modified.
    file : str
        File name for messages.

    Returns
    -------
    GeoDataFrame in EPSG:28992, list of str warnings

    Raises
    ------
    DataError
        Coordinates that fit neither RD New nor WGS84 over the Netherlands, or
        that contradict the declared CRS.
    """
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
            "WGS84 in Nederland.",
            fix,
        )
    if crs.equals(gpd.GeoSeries(crs=RD).crs) or crs.to_epsg() == 28992:
        if not looks_rd:
            raise DataError.single(
                file,
                "het bestand zegt RD New (EPSG:28992), maar de coördinaten "
                f"({_fmt_bounds(bounds)}) liggen niet in Nederland in RD.",
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
            f"de coördinaten ({_fmt_bounds(bounds)}) liggen niet in Nederland.",
            fix,
        )
    converted = gdf.to_crs(RD)
    if not _within(np.asarray(converted.total_bounds), RD_BOUNDS):
        raise DataError.single(
            file,
            f"na omrekenen van {crs.name} naar RD New liggen de gegevens niet in "
            "Nederland.",
            fix,
        )
    if crs.to_epsg() != 4326:
        warnings.append(f"{file}: omgerekend van {crs.name} naar RD New.")
    return converted, warnings


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
