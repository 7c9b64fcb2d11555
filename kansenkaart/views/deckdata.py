"""Binary columnar building data for the WebGL map (deck.gl) of large terrains.

The folium maps (:mod:`kansenkaart.views.maps`) send every building outline
as JavaScript text and let Leaflet draw each one as an SVG/canvas path; past
some ten thousand buildings the page takes many seconds to open and to redraw
(issue 21). The WebGL map sends the same buildings as typed arrays that the
browser hands to the GPU without parsing:

- :func:`geometry` (once per terrain): the outlines simplified within
  :data:`~kansenkaart.views.mapdata.SIMPLIFY_M` and reprojected to WGS84 like
  the folium maps, as float32 longitude/latitude offsets from one origin
  (float32 keeps about 1 cm at these offsets, where absolute degrees would
  keep only about 0,5 m), the triangles of every polygon (earcut, holes
  included), and the start of every polygon and ring in the vertex array;
- :func:`layer` (per theme or filter): one int16 class code per building
  from a :class:`~kansenkaart.views.legend.LayerSpec` and the colours of its
  classes, so the map and :func:`~kansenkaart.views.legend.legend_table` read
  the same spec and can never disagree;
- texts (addresses, companies, tooltip values) as one UTF-8 block with
  offsets (:func:`text_column`); the browser puts them into the page with
  ``textContent``, never as HTML.

The privacy rules are not repeated here: the page passes the same redacted
frames and specs it gives the folium maps (``legend.theme_spec`` with the
hidden mask, ``state.ranking_spec``, ``privacy.with_public_measures``,
``mapdata.with_public_solar``).

This module never imports streamlit.
"""

from __future__ import annotations

import functools
import gzip
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import geopandas as gpd
import mapbox_earcut
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely
from matplotlib.colors import to_rgba_array

from kansenkaart.core.geo import RD, to_wgs84
from kansenkaart.views import colors, legend, mapdata
from kansenkaart.views.legend import LayerSpec

WEBGL_FROM_BUILDINGS = 20_000
"""Terrains with at least this many buildings open in the WebGL map.

Measured with ``benchmarks/bench_map_browser.py`` (Kansenkaart page,
headless chromium with WebGL on SwiftShader, this project's shared 2-CPU
machine, 1 December 2026): at 5.000 buildings folium is a little faster
(first paint 2,75 s against 2,94 s, longest frame 117 against 217 ms); at
10.000 they are even (5,1 against 4,9 s); from 20.000 on the WebGL map wins
(3,1 against 4,9 s, longest frame 67 against 350 ms; at 100.000 6,6 against
14,1 s and 252 against 956 MB of JavaScript heap). Below it folium stays: it
offers a choice of background maps and is the map of the offline download.
Both draw an estimate lighter with a dashed outline (the WebGL map from zoom
15, where it draws outlines)."""
MAP_KINDS = {
    "auto": "Automatisch",
    "standaard": "Standaard",
    "snel": "Snel (WebGL, voor grote terreinen)",
}
"""The map choice of the map pages: automatic picks ``snel`` from
:data:`WEBGL_FROM_BUILDINGS` buildings on."""
BASEMAP = {
    "url": "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/"
    "EPSG:3857/{z}/{x}/{y}.png",
    "attribution": "Kaart © Kadaster / PDOK",
}
"""Background of the WebGL map: the grey PDOK map of the folium maps (needs
internet; without it the buildings are drawn on a plain background)."""
TOGGLE_LABELS = {
    "grid": "Netcapaciteit invoeding (Capaciteitskaart)",
    "sources": "Koppelbronnen en bereik",
    "zoom": "Zoom in om de omlijningen (bereik, groepen) te zien.",
}
"""Names of the switchable overlays, as in the folium layer control, and the
hint shown while too many outlines are in view to draw them fluently."""
ESTIMATED_ALPHA = 0.4
"""Fill opacity of an estimated value relative to a known one (as the folium
maps: lighter)."""
FILL_ALPHA = 0.85
"""Fill opacity of a building (as the folium maps)."""
_BREAK = re.compile(r"<br\s*/?>")
_BOLD = re.compile(r"</?b>")


@dataclass(frozen=True, eq=False)
class DeckGeometry:
    """Building outlines of one terrain as typed arrays (read-only).

    Attributes
    ----------
    origin : tuple of float
        Longitude, latitude (degrees, WGS84) that :attr:`positions` are offsets from.
    bounds : list
        ``[[west, south], [east, north]]`` of the buildings (degrees).
    positions : ndarray of float32, shape (m, 2)
        Every vertex as (longitude, latitude) minus :attr:`origin`; rings are
        not closed (the first vertex is not repeated).
    polygon_starts : ndarray of uint32, shape (p + 1,)
        First vertex of every polygon (its outer ring, then its holes), and
        the number of vertices at the end.
    polygon_building : ndarray of uint32, shape (p,)
        Row position of the building a polygon belongs to (a multipolygon
        gives several).
    indices : ndarray of uint32
        Triangles (three vertex numbers each, into :attr:`positions`),
        polygon by polygon.
    triangle_counts : ndarray of uint32, shape (p,)
        Number of triangles of every polygon.
    ring_starts : ndarray of uint32, shape (r + 1,)
        First vertex of every ring, and the number of vertices at the end.
    ring_building : ndarray of uint32, shape (r,)
        Row position of the building a ring belongs to.
    n_buildings : int
    addresses, companies : bytes
        :func:`text_column` of the addresses and company names (plain text).
    """

    origin: tuple[float, float]
    bounds: list
    positions: np.ndarray
    polygon_starts: np.ndarray
    polygon_building: np.ndarray
    indices: np.ndarray
    triangle_counts: np.ndarray
    ring_starts: np.ndarray
    ring_building: np.ndarray
    n_buildings: int
    addresses: bytes
    companies: bytes

    @functools.cached_property
    def arrays(self) -> dict[str, bytes]:
        """The arrays as the map reads them: little-endian bytes by name.

        Packed for size (computed once): ``positions`` float32 pairs,
        ``ring_starts`` uint32; ``triangles`` the triangle corners relative
        to their polygon's first vertex in the smallest unsigned type that
        holds them (1, 2 or 4 bytes: its length over three times the number
        of triangles) with ``triangle_counts`` (uint32, per polygon);
        ``polygon_starts`` only when a polygon has holes (else it equals
        ``ring_starts``), ``polygon_building`` and ``ring_building`` only
        when a building has several polygons (else polygon ``i`` is
        building ``i``); ``addresses.gz`` and ``companies.gz`` the text
        columns gzipped (the browser unpacks them after the first paint).
        """
        local = self.indices.astype(np.int64) - np.repeat(
            self.polygon_starts[:-1].astype(np.int64), 3 * self.triangle_counts
        )
        width = _width(int(local.max()) if len(local) else 0)
        out = {
            "positions": self.positions.astype("<f4").tobytes(),
            "ring_starts": self.ring_starts.astype("<u4").tobytes(),
            "triangles": local.astype(f"<u{width}").tobytes(),
            "triangle_counts": self.triangle_counts.astype("<u4").tobytes(),
            "addresses.gz": _gzip(self.addresses),
            "companies.gz": _gzip(self.companies),
        }
        if len(self.polygon_starts) != len(self.ring_starts):
            out["polygon_starts"] = self.polygon_starts.astype("<u4").tobytes()
            out["ring_building"] = self.ring_building.astype("<u4").tobytes()
        if not np.array_equal(self.polygon_building, np.arange(self.n_buildings)):
            out["polygon_building"] = self.polygon_building.astype("<u4").tobytes()
            out["ring_building"] = self.ring_building.astype("<u4").tobytes()
        return out


def _width(largest: int) -> int:
    """Bytes of the smallest unsigned integer type that holds ``largest``."""
    return 1 if largest < 2**8 else 2 if largest < 2**16 else 4


def _gzip(data: bytes) -> bytes:
    """gzip without a time stamp: the same data give the same bytes, so the
    map's digest of its layers stays the same over reruns (a new digest
    recoloured the whole map, 250 ms at 100.000 buildings)."""
    return gzip.compress(data, 6, mtime=0)


def text_column(values: Sequence[str]) -> bytes:
    """Texts as one block: count, offsets and UTF-8 (an Arrow-style string column).

    Layout (little-endian): uint32 ``n``; ``n + 1`` uint32 byte offsets into
    the UTF-8 data, the first 0; the UTF-8 data. Text ``i`` is
    ``data[offsets[i]:offsets[i + 1]]``.
    """
    # Arrow lays a string column out this way: its buffers are the block
    # (ten times faster than encoding text by text at 100.000 buildings).
    column = pa.array(list(values), type=pa.string(), from_pandas=True)
    column = column.fill_null("")  # a missing text (None, NaN, NA) is empty
    _, offsets, data = column.buffers()
    n = len(column)
    head = np.array([n], dtype="<u4").tobytes()
    ends = np.frombuffer(offsets, "<i4", n + 1).astype("<u4")
    text = data.to_pybytes()[: ends[-1]] if data is not None else b""
    return head + ends.tobytes() + text


def read_text_column(block: bytes) -> list[str]:
    """The texts of a :func:`text_column` block (what the browser decodes)."""
    n = int(np.frombuffer(block, "<u4", 1)[0])
    offsets = np.frombuffer(block, "<u4", n + 1, 4)
    data = block[4 * (n + 2) :]
    return [data[a:b].decode("utf-8") for a, b in pairwise(offsets.tolist())]


def _plain(values: pd.Series) -> list[str]:
    """Plain text per row; empty where missing."""
    return [str(v) for v in values.to_numpy(dtype=object, na_value="")]


def _triangles(
    coords: np.ndarray, ring_starts: np.ndarray, polygon_rings: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Earcut triangles of every polygon, as vertex numbers into ``coords``,
    and the number of triangles per polygon.

    ``polygon_rings`` holds the first ring of every polygon and the number of
    rings at the end; a polygon's rings are its outer ring then its holes.
    """
    out, counts = [], []
    for first, last in pairwise(polygon_rings.tolist()):
        start, stop = ring_starts[first], ring_starts[last]
        ends = (ring_starts[first + 1 : last + 1] - start).astype(np.uint32)
        local = mapbox_earcut.triangulate_float64(coords[start:stop], ends)
        out.append(local.astype(np.int64) + start)
        counts.append(len(local) // 3)
    if not out:
        return np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.uint32)
    return np.concatenate(out).astype(np.uint32), np.array(counts, dtype=np.uint32)


def geometry(buildings: gpd.GeoDataFrame) -> DeckGeometry:
    """The outlines, addresses and companies of ``buildings`` for the WebGL map.

    Parameters
    ----------
    buildings : GeoDataFrame
        Buildings in RD New (EPSG:28992; not modified), in row order; their
        ``address`` and ``company`` go into the tooltips.

    Returns
    -------
    DeckGeometry
        Buildings without geometry (empty after simplifying) have no polygon
        and are not drawn.
    """
    rd = gpd.GeoDataFrame(
        geometry=buildings.geometry.to_numpy(), crs=buildings.crs or RD
    )
    simple = rd.set_geometry(
        shapely.simplify(rd.geometry.to_numpy(), mapdata.SIMPLIFY_M)
    )
    shapes = to_wgs84(simple).geometry.to_numpy()
    parts, part_of = shapely.get_parts(shapes, return_index=True)
    drawn = ~shapely.is_empty(parts)
    parts, part_of = parts[drawn], part_of[drawn]
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    coords, point_of = shapely.get_coordinates(rings, return_index=True)
    closing = np.r_[point_of[1:] != point_of[:-1], True]  # last point of a ring
    coords, point_of = coords[~closing], point_of[~closing]
    ring_size = np.bincount(point_of, minlength=len(rings))
    ring_starts = np.r_[0, np.cumsum(ring_size)].astype(np.int64)
    polygon_rings = np.r_[0, np.cumsum(np.bincount(ring_of, minlength=len(parts)))]
    if len(coords):
        low, high = coords.min(axis=0), coords.max(axis=0)
    else:
        low = high = np.zeros(2)
    origin = (low + high) / 2
    a = buildings
    indices, triangle_counts = _triangles(coords, ring_starts, polygon_rings)
    return DeckGeometry(
        origin=(float(origin[0]), float(origin[1])),
        bounds=[[float(low[0]), float(low[1])], [float(high[0]), float(high[1])]],
        positions=(coords - origin).astype(np.float32),
        polygon_starts=ring_starts[polygon_rings].astype(np.uint32),
        polygon_building=part_of.astype(np.uint32),
        indices=indices,
        triangle_counts=triangle_counts,
        ring_starts=ring_starts.astype(np.uint32),
        ring_building=part_of[ring_of].astype(np.uint32),
        n_buildings=len(a),
        addresses=text_column(_plain(legend.column(a, "address", "string"))),
        companies=text_column(_plain(legend.column(a, "company", "string"))),
    )


def use_webgl(choice: str, n_buildings: int) -> bool:
    """Whether a map of ``n_buildings`` is drawn with WebGL for the user's
    ``choice`` (a key of :data:`MAP_KINDS`)."""
    if choice == "auto":
        return n_buildings >= WEBGL_FROM_BUILDINGS
    return choice == "snel"


def rgba(colours: Sequence[str], alpha: float = 1.0) -> list[list[int]]:
    """Hex colours as ``[r, g, b, a]`` of 0–255 (``alpha`` 0–1)."""
    if not len(colours):
        return []
    values = to_rgba_array(list(colours))
    values[:, 3] = alpha
    return np.rint(values * 255).astype(int).tolist()


def layer(key: str, spec: LayerSpec) -> tuple[dict, dict[str, bytes]]:
    """One building layer of the WebGL map from a spec.

    Parameters
    ----------
    key : str
        Name of the layer in the map (``thema``, ``kansen``, ``selectie``…).
    spec : LayerSpec
        Classes per building; the same spec the legend counts.

    Returns
    -------
    dict
        ``key``, ``title``, ``labels``, ``fill`` (RGBA per class; the fill
        of an outline layer is transparent), ``line`` (RGBA per class),
        ``width`` (px of the outline) and ``values`` (whether the tooltip
        shows a value per building rather than the class name).
    dict of bytes
        ``codes:<key>`` int16 class per building (-1: not drawn),
        ``estimated:<key>`` uint8 0/1 per building, and ``values:<key>.gz``
        (:func:`text_column`, gzipped) when the spec has values.
    """
    n_classes = len(spec.labels)
    if spec.outline:
        fill = [[0, 0, 0, 0]] * n_classes
        line = rgba(spec.colours)
        width = spec.weight
    else:
        fill = rgba(spec.colours, FILL_ALPHA)
        line = rgba([colors.OUTLINE] * n_classes)
        width = 1
    meta = {
        "key": key,
        "title": spec.title,
        "labels": list(spec.labels),
        "fill": fill,
        "line": line,
        "width": width,
        "outline": bool(spec.outline),
        "values": spec.values is not None,
    }
    codes = np.asarray(spec.codes, dtype=np.int64)
    estimated = np.zeros(len(codes), dtype=np.uint8)
    if len(spec.estimated):
        estimated = np.asarray(spec.estimated, dtype=bool).astype(np.uint8)
    arrays = {
        f"codes:{key}": codes.astype("<i2").tobytes(),
        f"estimated:{key}": estimated.tobytes(),
    }
    if spec.values is not None:
        arrays[f"values:{key}.gz"] = _gzip(text_column(spec.values))
    return meta, arrays


def tip_lines(tip: str) -> list[str]:
    """The plain lines of a tooltip made by :func:`kansenkaart.views.mapdata.tip`.

    ``tip`` escapes every line and joins them with ``<br>``, the first in
    ``<b>``; escaped text holds no ``<``, so splitting on the two tags and
    unescaping gives the lines back exactly. The map shows them with
    ``textContent``.
    """
    return [html.unescape(_BOLD.sub("", part)) for part in _BREAK.split(tip)]


def _areas(data: dict | None, fill: float, width: float, filled: bool) -> dict | None:
    """A GeoJSON of :mod:`mapdata` with plain tooltip lines and RGBA colours."""
    if not data:
        return None
    features = []
    for feature in data["features"]:
        properties = feature["properties"]
        colour = properties.get("colour", colors.BOUNDARY)
        features.append(
            {
                "type": "Feature",
                "geometry": feature["geometry"],
                "properties": {
                    "lines": tip_lines(properties["tip"]),
                    "fill": rgba([colour], fill)[0] if filled else [0, 0, 0, 0],
                    "line": rgba([colour])[0],
                },
            }
        )
    return {
        "geojson": {"type": "FeatureCollection", "features": features},
        "width": width,
    }


def overlays(
    data: mapdata.MapData, kind: str = "current", groups: Sequence[tuple] = ()
) -> dict:
    """Terrain boundary and, on the opportunity map, grid areas and sources.

    The same GeoJSON the folium maps draw (:func:`mapdata.prepare`, and the
    group envelopes of :func:`kansenkaart.views.maps.opportunity_layers` as
    ``groups``), with the tooltips as plain lines. Returns ``boundary``,
    ``grid``, ``rings``, ``source_areas`` (each None or
    ``{"geojson", "width"}``), ``groups`` (a list of those) and ``points``
    (``lon``, ``lat``, ``fill``, ``lines``).
    """
    opportunity = kind == "opportunity"
    (south, west), (north, east) = data.bounds
    return {
        "bounds": [[west, south], [east, north]],
        "boundary": _areas(data.boundary, 0, 3, filled=False),
        "grid": _areas(data.grid, 0.15, 2, filled=True) if opportunity else None,
        "rings": _areas(data.rings, 0, 3, filled=False) if opportunity else None,
        "source_areas": _areas(data.source_areas, 0.6, 2, filled=True)
        if opportunity
        else None,
        "groups": [_areas(hulls, 0, 3, filled=False) for _, hulls in groups],
        "points": [
            {
                "lon": p["lon"],
                "lat": p["lat"],
                "fill": rgba([p["colour"]])[0],
                "lines": tip_lines(p["tooltip"]),
            }
            for p in (data.source_points if opportunity else [])
        ],
    }


def view(
    geom: DeckGeometry,
    layers: Sequence[tuple[str, LayerSpec]],
    extra: dict,
    *,
    optional: Sequence[tuple[str, LayerSpec]] = (),
) -> tuple[dict, dict[str, bytes]]:
    """What the WebGL map of one view receives: JSON and typed arrays.

    Parameters
    ----------
    geom : DeckGeometry
        From :func:`geometry` (once per terrain).
    layers : sequence of (key, LayerSpec)
        The map draws every fill first, then every outline, each in this
        order (a theme, then outlines and the selection).
    extra : dict
        :func:`overlays`.
    optional : sequence of (key, LayerSpec)
        Layers the user switches on in the map (solar potential), off first.

    Returns
    -------
    dict
        ``origin``, ``bounds``, ``n``, ``layers`` (their :func:`layer` meta,
        ``optional`` marked ``"off": True``) and the overlays.
    dict of bytes
        The geometry (:meth:`DeckGeometry.arrays`) and every layer's arrays.
    """
    metas, arrays = [], dict(geom.arrays)
    for key, spec in [*layers, *optional]:
        meta, data = layer(key, spec)
        metas.append(meta | {"off": any(key == k for k, _ in optional)})
        arrays |= data
    meta = {
        "origin": list(geom.origin),
        "bounds": geom.bounds,
        "n": geom.n_buildings,
        "layers": metas,
        "estimated_alpha": ESTIMATED_ALPHA,
        "basemap": BASEMAP,
        "labels": TOGGLE_LABELS,
    }
    return meta | extra, arrays
