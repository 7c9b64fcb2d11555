"""What the maps of one terrain draw that does not change with a filter.

:func:`prepare` simplifies every building within 0.5 m, reprojects to WGS84
and stores the outlines once as compact integer deltas (1e-5 degree, about
1 m; :func:`encode_outlines`), with the escaped addresses and companies. It
adds the terrain boundary, the grid-capacity areas and the coupling sources
with their reach as GeoJSON with escaped tooltips, and the legend counts that
do not depend on a filter. Geometry stays in RD New until here.

This module never imports streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from kansenkaart.core import fmt, texts
from kansenkaart.core.assumptions import Assumptions
from kansenkaart.core.geo import RD, to_wgs84
from kansenkaart.core.model import Analysis
from kansenkaart.engine import coupling, privacy
from kansenkaart.views import colors, legend
from kansenkaart.views.leaflet import escape, js
from kansenkaart.views.legend import LayerSpec

SIMPLIFY_M = 0.5
"""Tolerance (m) for simplifying building outlines before drawing."""
SCALE = 100_000
"""Coordinates are sent as integers of 1e-5 degree (about 1.1 m north, 0.7 m
east in Drenthe)."""


@dataclass(frozen=True, eq=False)
class MapData:
    """Everything of a terrain the maps draw that does not change with a filter.

    Build it once per terrain with :func:`prepare`; it is read-only.

    Attributes
    ----------
    buildings_js : str
        Compact building outlines, addresses and companies (escaped), as a
        JavaScript literal.
    n_buildings : int
    bounds : list
        ``[[south, west], [north, east]]`` around buildings and boundary.
    centers : ndarray (n, 2)
        Latitude, longitude of every building's centre (for search).
    boundary, grid, rings, source_areas : dict or None
        GeoJSON (WGS84) of the terrain boundary, the grid-capacity areas, the
        reach rings of the coupling sources and sources that are areas.
    source_points : list of dict
        Point sources: ``lat``, ``lon``, ``colour``, ``tooltip`` (escaped).
    reach : LayerSpec
        Outline of the buildings within reach of a coupling source.
    solar : LayerSpec
        Solar potential per roof.
    grid_counts : DataFrame
        Legend of the grid areas: buildings per feed-in status.
    reach_counts : DataFrame
        Legend of the sources: buildings within reach per source.
    """

    buildings_js: str
    n_buildings: int
    bounds: list
    centers: np.ndarray
    boundary: dict | None
    grid: dict | None
    rings: dict | None
    source_areas: dict | None
    source_points: list
    reach: LayerSpec
    solar: LayerSpec
    grid_counts: pd.DataFrame
    reach_counts: pd.DataFrame


def with_public_solar(
    data: MapData, buildings: pd.DataFrame, hidden: np.ndarray, a: Assumptions
) -> MapData:
    """``data`` whose solar layer shows the public advice for ``hidden`` rows
    (:func:`kansenkaart.engine.privacy.with_public_solar`, rule R9): the
    prepared layer is sized to each company's own use."""
    if not np.asarray(hidden, dtype=bool).any():
        return data
    public = privacy.with_public_solar(buildings, hidden, a)
    return replace(data, solar=legend.solar_potential(public))


def _text(values: pd.Series) -> list[str]:
    """Escaped text per row; empty where missing."""
    return [escape(str(v)) for v in values.to_numpy(dtype=object, na_value="")]


def encode_outlines(geometry: gpd.GeoSeries) -> dict:
    """Building outlines as integer deltas of 1e-5 degree.

    Parameters
    ----------
    geometry : GeoSeries
        Polygons in EPSG:4326.

    Returns
    -------
    dict
        ``o``: origin ``[x, y]``; ``g``: per building a list of polygons, each
        a list of rings, each ring ``[x0, y0, dx1, dy1, ...]`` with the first
        point relative to the origin and the closing point left out.
    """
    parts, part_of = shapely.get_parts(geometry.to_numpy(), return_index=True)
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    coords, point_of = shapely.get_coordinates(rings, return_index=True)
    q = np.rint(coords * SCALE).astype(np.int64)
    origin = q.min(axis=0) if len(q) else np.zeros(2, dtype=np.int64)
    same_ring_as_next = np.r_[point_of[1:] == point_of[:-1], False]
    same_ring_as_previous = np.r_[False, point_of[1:] == point_of[:-1]]
    repeated = np.r_[False, np.all(q[1:] == q[:-1], axis=1)] & same_ring_as_previous
    keep = same_ring_as_next & ~repeated  # drop closing and repeated points
    q, point_of = q[keep], point_of[keep]
    first = np.r_[True, point_of[1:] != point_of[:-1]]
    delta = np.diff(q, axis=0, prepend=q[:1])
    delta[first] = q[first] - origin
    flat = delta.ravel().tolist()
    bounds = 2 * np.r_[np.flatnonzero(first), len(q)]
    ring_ids = point_of[first]
    out: list[list[list[list[int]]]] = [[] for _ in range(len(geometry))]
    last_part = -1
    for ring, start, end in zip(ring_ids, bounds[:-1], bounds[1:], strict=True):
        part = ring_of[ring]
        if part != last_part:
            out[part_of[part]].append([])
            last_part = part
        out[part_of[part]][-1].append(flat[start:end])
    return {"o": origin.tolist(), "g": out}


def geojson(gdf: gpd.GeoDataFrame, tooltips: Sequence[str], **props) -> dict | None:
    """GeoJSON (WGS84) with an escaped ``tip`` and extra properties per feature."""
    if gdf is None or gdf.empty:
        return None
    shapes = to_wgs84(gdf.set_crs(RD, allow_override=gdf.crs is None))
    features = []
    for pos, geom in enumerate(shapes.geometry):
        if geom is None or geom.is_empty:
            continue
        properties = {"tip": tooltips[pos]}
        properties.update({k: v[pos] for k, v in props.items()})
        features.append(
            {
                "type": "Feature",
                "properties": properties,
                "geometry": shapely.geometry.mapping(shapely.set_precision(geom, 1e-5)),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def tip(*lines: str) -> str:
    """Tooltip HTML: the first line bold, every line escaped."""
    first, *rest = [escape(line) for line in lines if line]
    return "<br>".join([f"<b>{first}</b>", *rest])


def _supply(row: pd.Series) -> str:
    """Dutch description of what a source supplies."""
    parts = []
    if pd.notna(row.get("heat_mwh_yr")) and row.get("heat_mwh_yr"):
        parts.append(f"warmte {fmt.number(row['heat_mwh_yr'], 0, 'MWh/jaar')}")
    if pd.notna(row.get("gas_m3_yr")) and row.get("gas_m3_yr"):
        parts.append(f"groen gas {fmt.number(row['gas_m3_yr'], 0, 'm³/jaar')}")
    if pd.notna(row.get("power_kw")) and row.get("power_kw"):
        parts.append(f"vermogen {fmt.number(row['power_kw'], 0, 'kW')}")
    return "aanbod: " + ", ".join(parts) if parts else ""


def _sources(
    buildings: gpd.GeoDataFrame, sources: gpd.GeoDataFrame, a: Assumptions
) -> tuple[dict | None, dict | None, list, LayerSpec, pd.DataFrame]:
    """Reach rings, area sources, point sources and buildings within reach."""
    n = len(buildings)
    none = LayerSpec(
        "Binnen bereik van een koppelbron",
        ("binnen bereik van een koppelbron",),
        (colors.REACH,),
        np.full(n, -1),
        estimated=np.zeros(n, dtype=bool),
        outline=True,
    )
    empty = pd.DataFrame(columns=["kleur", "klasse", "aantal"])
    if sources is None or sources.empty:
        return None, None, [], none, empty
    radius = coupling.radius_m(sources["kind"], a)
    distance = coupling.distance_matrix(buildings, sources).to_numpy(float)
    within = distance <= radius[np.newaxis, :]
    kinds = sources["kind"].astype("string").fillna("overig")
    colour = [colors.SOURCE_KIND.get(k, colors.SOURCE_KIND["overig"]) for k in kinds]
    names = sources["name"].astype("string").fillna("")
    ring_tips = [
        tip(f"Bereik {name}", f"{fmt.number(r, 0, 'm')} rond de bron")
        for name, r in zip(names, radius, strict=True)
    ]
    rings = gpd.GeoDataFrame(geometry=sources.geometry.buffer(radius), crs=RD)
    source_tips = [
        tip(
            name,
            f"soort: {kind}",
            _supply(row),
            f"{int(within[:, j].sum())} panden binnen {fmt.number(radius[j], 0, 'm')}",
        )
        for j, (name, kind, (_, row)) in enumerate(
            zip(names, kinds, sources.iterrows(), strict=True)
        )
    ]
    is_point = sources.geom_type.isin(["Point", "MultiPoint"]).to_numpy()
    points = []
    centres = to_wgs84(
        gpd.GeoDataFrame(geometry=sources.geometry[is_point].centroid, crs=RD)
    ).geometry
    for j, centre in zip(np.flatnonzero(is_point), centres, strict=True):
        points.append(
            {
                "lat": centre.y,
                "lon": centre.x,
                "colour": colour[j],
                "tooltip": source_tips[j],
            }
        )
    areas = sources[~is_point]
    area_tips = [t for t, p in zip(source_tips, is_point, strict=True) if not p]
    area_colours = [c for c, p in zip(colour, is_point, strict=True) if not p]
    reach = LayerSpec(
        none.title,
        none.labels,
        none.colours,
        np.where(within.any(axis=1), 0, -1),
        estimated=np.zeros(n, dtype=bool),
        outline=True,
        weight=2,
        dash=None,
    )
    counts = pd.DataFrame(
        {
            "kleur": colour,
            "klasse": [
                f"binnen {fmt.number(r, 0, 'm')} van {name}"
                for name, r in zip(names, radius, strict=True)
            ],
            "aantal": within.sum(axis=0),
        }
    )
    return (
        geojson(rings, ring_tips, colour=colour),
        geojson(areas, area_tips, colour=area_colours),
        points,
        reach,
        counts,
    )


def _grid(grid: gpd.GeoDataFrame, a: pd.DataFrame) -> tuple[dict | None, pd.DataFrame]:
    """Grid-capacity areas (feed-in status) and buildings per status."""
    if grid is None or grid.empty:
        return None, pd.DataFrame(columns=["kleur", "klasse", "aantal"])
    status = grid["invoeding_status"].astype("Int64")
    tips = [
        tip(
            f"Netcapaciteit {name}",
            f"invoeding: {texts.grid_status(inv)}",
            f"afname: {texts.grid_status(afn)}",
            f"{station} ({beheerder})",
        )
        for name, inv, afn, station, beheerder in zip(
            grid["name"].astype("string").fillna(""),
            status.fillna(-1).astype(int),
            grid["afname_status"].astype("Int64").fillna(-1).astype(int),
            grid["station"].astype("string").fillna("station onbekend"),
            grid["netbeheerder"].astype("string").fillna("netbeheerder onbekend"),
            strict=True,
        )
    ]
    colour = [colors.GRID_STATUS.get(s, colors.UNKNOWN) for s in status.fillna(-1)]
    building_status = legend.numbers(legend.column(a, "grid_invoeding_status", "Int64"))
    counts = pd.DataFrame(
        {
            "kleur": [*colors.GRID_STATUS.values(), colors.UNKNOWN],
            "klasse": [*texts.GRID_STATUS_TEXTS.values(), texts.UNKNOWN],
            "aantal": [
                *(int((building_status == k).sum()) for k in texts.GRID_STATUS),
                int(building_status.isna().sum()),
            ],
        }
    )
    return geojson(grid, tips, colour=colour), counts[counts["aantal"] > 0]


def prepare(analysis: Analysis) -> MapData:
    """Everything the maps of one terrain need, computed once.

    Parameters
    ----------
    analysis : Analysis
        Its buildings (EPSG:28992; not modified), its terrain for the
        boundary, coupling sources and grid areas, and its assumptions for
        the reach of the sources.

    Returns
    -------
    MapData
    """
    a, terrain, used = analysis.buildings, analysis.terrain, analysis.assumptions
    rd = gpd.GeoDataFrame(geometry=a.geometry.to_numpy(), crs=a.crs or RD)
    simple = rd.set_geometry(shapely.simplify(rd.geometry.to_numpy(), SIMPLIFY_M))
    wgs = to_wgs84(simple)
    payload = encode_outlines(wgs.geometry)
    payload["a"] = _text(legend.column(a, "address", "string"))
    payload["n"] = _text(legend.column(a, "company", "string"))
    centres = shapely.centroid(wgs.geometry.to_numpy())  # ~1 m off: fine to zoom
    boundary = terrain.boundary if terrain is not None else None
    boxes = [wgs.total_bounds]
    if boundary is not None and not boundary.empty:
        boxes.append(to_wgs84(boundary).total_bounds)
    box = np.vstack(boxes)
    rings, areas, points, reach, reach_counts = _sources(
        rd, terrain.sources if terrain is not None else None, used
    )
    grid, grid_counts = _grid(terrain.grid if terrain is not None else None, a)
    names = boundary["name"] if boundary is not None else pd.Series(dtype="string")
    return MapData(
        buildings_js=js(payload),
        n_buildings=len(a),
        bounds=[
            [float(box[:, 1].min()), float(box[:, 0].min())],
            [float(box[:, 3].max()), float(box[:, 2].max())],
        ],
        centers=np.column_stack([shapely.get_y(centres), shapely.get_x(centres)]),
        boundary=geojson(
            boundary,
            [tip("Terreingrens", n) for n in names.astype("string").fillna("")],
        ),
        grid=grid,
        rings=rings,
        source_areas=areas,
        source_points=points,
        reach=reach,
        solar=legend.solar_potential(a),
        grid_counts=grid_counts,
        reach_counts=reach_counts,
    )
