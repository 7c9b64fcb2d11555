"""Folium maps of a terrain: the current situation and the opportunities.

Design (DESIGN.md sections 2, 6 and 7):

- Geometry stays in RD New until :func:`prepare`, which simplifies every
  building within 0.5 m, reprojects to WGS84 and stores the outlines once as
  compact integer deltas (1e-5 degree, about 1 m). A small script in the map
  decodes them; every building layer (a theme, the opportunities, a group
  outline) then sends only one class number per building, so a map carries
  the buildings once however many layers it has.
- One Leaflet layer per theme, drawn on a canvas (``prefer_canvas``), never a
  folium object per building.
- Every text that reaches HTML is escaped here (:func:`escape`); folium does
  not escape GeoJson tooltips or popups. Braces are escaped too: folium
  renders the script of every element a second time as a Jinja template, so
  a company called ``{{ 7*7 }}`` would otherwise be evaluated on the server.
- Leaflet itself is inlined (from the ``django-js-lib-leaflet`` package) so
  that a map works without internet; only the background tiles need it.
- The page keeps one stable base map per terrain (:func:`base_map`) and swaps
  only the building layers (:func:`building_group`), so changing a filter
  does not rebuild the map.

This module never imports streamlit.
"""

from __future__ import annotations

import base64
import functools
import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template

from kansenkaart.core import fmt
from kansenkaart.core.assumptions import Assumptions
from kansenkaart.core.geo import RD, to_wgs84
from kansenkaart.core.model import Analysis
from kansenkaart.engine import coupling
from kansenkaart.engine.grid import STATUS_LABELS
from kansenkaart.views import colors, legend
from kansenkaart.views.legend import LayerSpec

SIMPLIFY_M = 0.5
"""Tolerance (m) for simplifying building outlines before drawing."""
SCALE = 100_000
"""Coordinates are sent as integers of 1e-5 degree (about 1.1 m north, 0.7 m
east in Drenthe)."""
HULL_BUFFER_M = 8.0
"""Margin (m) around a group of collective participants."""
MAX_OUTLINED = 2
"""Participants are outlined per collective measure when at most this many
collective measures are chosen; more outlines on the same roofs hide each
other."""
OFFLINE_NOTE = (
    "De gebouwen, bronnen en legenda werken ook zonder internet; de "
    "achtergrondkaart (PDOK of OpenStreetMap) heeft internet nodig."
)
BASEMAPS = (
    (
        "Achtergrondkaart grijs (PDOK)",
        "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857/"
        "{z}/{x}/{y}.png",
        'Kaart &copy; <a href="https://www.kadaster.nl">Kadaster</a> / PDOK',
    ),
    (
        "Achtergrondkaart (PDOK)",
        "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/"
        "EPSG:3857/{z}/{x}/{y}.png",
        'Kaart &copy; <a href="https://www.kadaster.nl">Kadaster</a> / PDOK',
    ),
    (
        "Luchtfoto (PDOK)",
        "https://service.pdok.nl/hwh/luchtfotorgb/wmts/v1_0/Actueel_orthoHR/"
        "EPSG:3857/{z}/{x}/{y}.jpeg",
        "Luchtfoto &copy; Beeldmateriaal Nederland / PDOK",
    ),
    (
        "OpenStreetMap",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">'
        "OpenStreetMap</a>-bijdragers",
    ),
)
"""Background maps (name, tile URL in web mercator, attribution); the first
is shown when a map opens."""
_BUILDINGS = "b"
"""Key of the building data in the map's script."""

# --- JavaScript ----------------------------------------------------------

_LIBRARY_JS = """
window.kkData = window.kkData || {};
window.kkLayers = window.kkLayers || {};
window.kkDecode = window.kkDecode || function (d) {
  function ring(r) {
    var x = d.o[0] + r[0], y = d.o[1] + r[1], out = [[x / 1e5, y / 1e5]];
    for (var k = 2; k < r.length; k += 2) {
      x += r[k]; y += r[k + 1]; out.push([x / 1e5, y / 1e5]);
    }
    out.push(out[0]);
    return out;
  }
  return {a: d.a, n: d.n, f: d.g.map(function (parts, i) {
    return {type: "Feature", properties: {i: i}, geometry: {
      type: "MultiPolygon",
      coordinates: parts.map(function (p) { return p.map(ring); })}};
  })};
};
window.kkLayer = window.kkLayer || function (o) {
  var d = kkData[o.d], c = o.c, est = {};
  o.e.forEach(function (i) { est[i] = true; });
  var layer = L.geoJSON(d.f, {
    filter: function (f) { return c[f.properties.i] >= 0; },
    style: function (f) {
      var i = f.properties.i, s = o.s[c[i]];
      return {fillColor: s[0], fillOpacity: est[i] ? s[1] * 0.4 : s[1],
              fill: s[1] > 0, color: s[2], weight: s[3], opacity: 1,
              dashArray: est[i] ? "5 4" : s[4]};
    },
    onEachFeature: function (f, l) {
      l.bindTooltip(function () {
        var i = f.properties.i, h = "<b>" + (d.a[i] || "") + "</b>";
        if (d.n[i]) { h += "<br>" + d.n[i]; }
        return h + "<br>" + o.t + ": " + (o.v ? o.v[i] : o.l[c[i]]);
      }, {sticky: true, className: "kk-tooltip"});
    }
  });
  layer.kkCodes = c;
  kkLayers[o.k] = layer;
  return layer;
};
"""

_CSS = """
<style>
.kk-tooltip { font-size: 15px; line-height: 1.35; }
.kk-box { background: rgba(255,255,255,0.95); padding: 8px 12px; border-radius: 6px;
  box-shadow: 0 1px 5px rgba(0,0,0,0.4); font: 15px/1.35 sans-serif; }
.kk-legend { max-height: 60vh; overflow-y: auto; }
.kk-legend h4 { margin: 6px 0 4px; font-size: 16px; }
.kk-legend table { border-collapse: collapse; }
.kk-legend td { padding: 1px 6px 1px 0; vertical-align: middle; }
.kk-legend .sw { display: inline-block; width: 18px; height: 14px;
  border: 1px solid #3c3c3c; }
.kk-legend .n { text-align: right; color: #444; }
.kk-legend .note { max-width: 260px; font-size: 13px; color: #444; }
.kk-title { max-width: 340px; }
a.kk-fullscreen { font-size: 18px; font-weight: bold; }
</style>
"""


def escape(text: str) -> str:
    """Text for HTML: ``html.escape`` plus braces as character references.

    Folium renders each element's script output once more as a Jinja
    template; ``{{`` or ``{%`` in user data would be evaluated there.
    """
    return html.escape(text).replace("{", "&#123;").replace("}", "&#125;")


def _js(value) -> str:
    """``value`` as a JavaScript literal, safe inside <script> and from Jinja.

    ``<``, ``>`` and ``&`` become ``\\u`` escapes (no ``</script>``); a ``{``
    that would open a Jinja tag (``{{``, ``{%``, ``{#``) can only occur
    inside a string and becomes ``\\u007b``.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return re.sub(r"\{(?=[{%#])", r"\\u007b", text)


class _Raw(Element):
    """Text put in the page as it is, without folium's second Jinja pass."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class _Script(MacroElement):
    """A piece of JavaScript run where the element sits in the map.

    ``{map}`` and ``{parent}`` in the code are replaced by the JavaScript
    names of the map and of the parent element at render time. Unlike other
    folium elements the output is not compiled as a Jinja template again,
    which keeps large building data fast and user text inert. The template
    macros remain for ``streamlit_folium``, which renders them directly.
    """

    _template = Template(
        "{% macro header(this, kwargs) %}{{ this.css }}{% endmacro %}"
        "{% macro script(this, kwargs) %}{{ this.code() }}{% endmacro %}"
    )

    def __init__(self, code: str, css: str = ""):
        super().__init__()
        self._name = "KansenkaartScript"
        self._code = code
        self.css = css

    def code(self) -> str:
        parent = self._parent
        root = parent
        while not isinstance(root, folium.Map) and root is not None:
            root = root._parent
        names = {
            "{parent}": parent.get_name(),
            "{map}": root.get_name() if root is not None else parent.get_name(),
        }
        return re.sub(r"\{parent\}|\{map\}", lambda m: names[m.group()], self._code)

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        if self.css:
            figure.header.add_child(_Raw(self.css), name=self.get_name())
        figure.script.add_child(_Raw(self.code()), name=self.get_name())


# --- Leaflet inlined ------------------------------------------------------


@functools.cache
def _leaflet_assets() -> tuple[str, str] | None:
    """Leaflet's script and stylesheet as data URIs, or None when not installed.

    The stylesheet's images (layer-control icon, markers) are inlined too.
    """
    try:
        folder = resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet"
        script = (folder / "leaflet.js").read_bytes()
        css = (folder / "leaflet.css").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return None

    def inline(match: re.Match) -> str:
        data = (folder / "images" / match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode()})"

    css = re.sub(r"url\(images/([\w.-]+\.png)\)", inline, css)
    return (
        "data:text/javascript;base64," + base64.b64encode(script).decode(),
        "data:text/css;base64," + base64.b64encode(css.encode()).decode(),
    )


def _use_assets(m: folium.Map, inline: bool) -> None:
    """Load only Leaflet: inlined (offline) or from folium's CDN."""
    js = dict(folium.Map.default_js)["leaflet"]
    css = dict(folium.Map.default_css)["leaflet_css"]
    assets = _leaflet_assets() if inline else None
    if assets is not None:
        js, css = assets
    m.default_js = [("leaflet", js)]
    m.default_css = [("leaflet_css", css)]


# --- prepared data --------------------------------------------------------


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


def _geojson(gdf: gpd.GeoDataFrame, tooltips: Sequence[str], **props) -> dict | None:
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


def _tip(*lines: str) -> str:
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
        _tip(f"Bereik {name}", f"{fmt.number(r, 0, 'm')} rond de bron")
        for name, r in zip(names, radius, strict=True)
    ]
    rings = gpd.GeoDataFrame(geometry=sources.geometry.buffer(radius), crs=RD)
    source_tips = [
        _tip(
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
        _geojson(rings, ring_tips, colour=colour),
        _geojson(areas, area_tips, colour=area_colours),
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
        _tip(
            f"Netcapaciteit {name}",
            f"invoeding: {STATUS_LABELS.get(inv, 'onbekend')}",
            f"afname: {STATUS_LABELS.get(afn, 'onbekend')}",
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
            "klasse": [*(f"{k} · {v}" for k, v in STATUS_LABELS.items()), "onbekend"],
            "aantal": [
                *(int((building_status == k).sum()) for k in STATUS_LABELS),
                int(building_status.isna().sum()),
            ],
        }
    )
    return _geojson(grid, tips, colour=colour), counts[counts["aantal"] > 0]


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
        buildings_js=_js(payload),
        n_buildings=len(a),
        bounds=[
            [float(box[:, 1].min()), float(box[:, 0].min())],
            [float(box[:, 3].max()), float(box[:, 2].max())],
        ],
        centers=np.column_stack([shapely.get_y(centres), shapely.get_x(centres)]),
        boundary=_geojson(
            boundary,
            [_tip("Terreingrens", n) for n in names.astype("string").fillna("")],
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


# --- layers -----------------------------------------------------------------


def _styles(spec: LayerSpec) -> list[list]:
    """Leaflet style per class: fill colour, fill opacity, line colour, width, dash."""
    if spec.outline:
        return [[c, 0, c, spec.weight, spec.dash] for c in spec.colours]
    return [[c, 0.85, colors.OUTLINE, 1, None] for c in spec.colours]


def layer_options(spec: LayerSpec, key: str) -> dict:
    """The data of one building layer as sent to the map (texts escaped)."""
    values = None
    if spec.values is not None:
        values = [escape(str(v)) for v in spec.values]
    return {
        "d": _BUILDINGS,
        "k": key,
        "t": escape(spec.title),
        "l": [escape(label) for label in spec.labels],
        "s": _styles(spec),
        "c": np.asarray(spec.codes, dtype=int).tolist(),
        "v": values,
        "e": np.flatnonzero(spec.estimated).tolist(),
    }


def building_group(
    layers: Sequence[tuple[str, LayerSpec]],
    name: str,
    *,
    show: bool = True,
    extra: Sequence[folium.Element] = (),
) -> folium.FeatureGroup:
    """A feature group with building layers (one Leaflet layer per spec).

    Parameters
    ----------
    layers : sequence of (key, LayerSpec)
        ``key`` names the layer in ``window.kkLayers`` of the map.
    name : str
        Dutch name in the layer control.
    show : bool
        Visible when the map opens.
    extra : sequence of folium elements
        Added first, so drawn below the buildings (e.g. group outlines).
    """
    group = folium.FeatureGroup(name=name, show=show)
    for element in extra:
        element.add_to(group)
    for key, spec in layers:
        _Script(f"kkLayer({_js(layer_options(spec, key))}).addTo({{parent}});").add_to(
            group
        )
    return group


def reach_group(data: MapData) -> folium.FeatureGroup:
    """Outline of the buildings within reach of a source, drawn above the fill."""
    return building_group([("bereik", data.reach)], "Panden binnen bereik van een bron")


def selection_spec(n_buildings: int, position: int | None) -> LayerSpec:
    """Thick black outline around the selected building (none when None)."""
    codes = np.full(n_buildings, -1)
    if position is not None:
        codes[position] = 0
    return LayerSpec(
        "Gekozen pand",
        ("gekozen pand",),
        (colors.SELECTED,),
        codes,
        estimated=np.zeros(n_buildings, dtype=bool),
        outline=True,
        weight=5,
        dash=None,
    )


def _outline_geojson(data: dict, name: str) -> folium.GeoJson:
    """Non-filled GeoJson (rings, boundary) with escaped tooltips."""
    return folium.GeoJson(
        data,
        name=name,
        style_function=lambda f: {
            "color": f["properties"].get("colour", colors.BOUNDARY),
            "weight": 3,
            "dashArray": "10 6",
            "fill": False,
        },
        tooltip=folium.GeoJsonTooltip(["tip"], labels=False),
    )


def _grid_layer(data: dict) -> folium.GeoJson:
    return folium.GeoJson(
        data,
        name="Netcapaciteit invoeding (Capaciteitskaart)",
        style_function=lambda f: {
            "fillColor": f["properties"]["colour"],
            "fillOpacity": 0.15,
            "color": f["properties"]["colour"],
            "weight": 2,
        },
        tooltip=folium.GeoJsonTooltip(["tip"], labels=False),
    )


def _source_layer(data: MapData) -> folium.FeatureGroup:
    """Coupling sources with their reach rings."""
    group = folium.FeatureGroup(name="Koppelbronnen en bereik")
    if data.rings:
        _outline_geojson(data.rings, "Bereik").add_to(group)
    if data.source_areas:
        folium.GeoJson(
            data.source_areas,
            style_function=lambda f: {
                "fillColor": f["properties"]["colour"],
                "fillOpacity": 0.6,
                "color": f["properties"]["colour"],
                "weight": 2,
            },
            tooltip=folium.GeoJsonTooltip(["tip"], labels=False),
        ).add_to(group)
    for point in data.source_points:
        folium.CircleMarker(
            [point["lat"], point["lon"]],
            radius=10,
            color="#ffffff",
            weight=2,
            fill=True,
            fill_color=point["colour"],
            fill_opacity=1,
            tooltip=folium.Tooltip(point["tooltip"]),
        ).add_to(group)
    return group


def _fullscreen() -> _Script:
    return _Script(
        """
(function (map) {
  var ICON = '<svg viewBox="0 0 16 16" width="16" height="16" style="margin-top:7px">'
    + '<path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5" fill="none" '
    + 'stroke="#333" stroke-width="2"/></svg>';
  var control = L.control({position: "topleft"});
  control.onAdd = function () {
    var bar = L.DomUtil.create("div", "leaflet-bar");
    var link = L.DomUtil.create("a", "kk-fullscreen", bar);
    link.href = "#"; link.title = "Volledig scherm"; link.innerHTML = ICON;
    link.setAttribute("role", "button");
    L.DomEvent.on(link, "click", function (e) {
      L.DomEvent.preventDefault(e);
      var el = map.getContainer();
      if (document.fullscreenElement) { document.exitFullscreen(); }
      else if (el.requestFullscreen) { el.requestFullscreen(); }
    });
    document.addEventListener("fullscreenchange", function () {
      map.invalidateSize();
    });
    return bar;
  };
  control.addTo(map);
})({map});
""",
        css=_CSS,
    )


def base_map(
    data: MapData,
    kind: str = "current",
    *,
    inline_assets: bool = True,
) -> folium.Map:
    """The stable part of a map: background, boundary, controls, buildings.

    Parameters
    ----------
    data : MapData
        From :func:`prepare`.
    kind : {"current", "opportunity"}
        The opportunity map adds grid areas, coupling sources with their
        reach and the solar potential layer (add :func:`reach_group` after
        the building layers).
    inline_assets : bool
        Inline Leaflet so the map works offline (default); False loads it
        from folium's CDN (smaller HTML).

    Returns
    -------
    folium.Map
        The building outlines are in the map's script, but no building layer
        is drawn yet: add one from :func:`building_group`.
    """
    if kind not in ("current", "opportunity"):
        raise ValueError(f"onbekende kaartsoort '{kind}'")
    m = folium.Map(
        tiles=None,
        prefer_canvas=True,
        max_zoom=21,
        zoom_start=15,
        zoom_snap=0.25,
        location=np.mean(data.bounds, axis=0).tolist(),
    )
    _use_assets(m, inline_assets)
    for i, (name, url, attr) in enumerate(BASEMAPS):
        folium.TileLayer(
            url,
            attr=attr,
            name=name,
            max_native_zoom=19,
            max_zoom=21,
            show=i == 0,
        ).add_to(m)
    _Script(_LIBRARY_JS).add_to(m)
    _Script(f"kkData[{_js(_BUILDINGS)}] = kkDecode({data.buildings_js});").add_to(m)
    _fullscreen().add_to(m)
    _Script("L.control.scale({imperial: false, maxWidth: 160}).addTo({map});").add_to(m)
    if kind == "opportunity":
        if data.grid:
            _grid_layer(data.grid).add_to(m)
        building_group(
            [("zon", data.solar)], "Zonnepotentieel per dak (kWp)", show=False
        ).add_to(m)
        _source_layer(data).add_to(m)
    if data.boundary:
        _outline_geojson(data.boundary, "Terreingrens").add_to(m)
    m.fit_bounds(data.bounds)
    return m


def _legend_html(sections: Sequence[tuple[str, pd.DataFrame, str]]) -> str:
    """Legend box with a table per section (all text escaped)."""
    parts = []
    for title, table, note in sections:
        rows = "".join(
            "<tr><td>"
            + (
                f'<span class="sw" style="background:{escape(c)}"></span>'
                if c
                else '<span class="sw" style="border-style:dashed"></span>'
            )
            + f"</td><td>{escape(str(k))}</td>"
            f'<td class="n">{escape(fmt.number(n))}</td></tr>'
            for c, k, n in table[["kleur", "klasse", "aantal"]].itertuples(index=False)
        )
        parts.append(f"<h4>{escape(title)}</h4><table>{rows}</table>")
        if note:
            parts.append(f'<div class="note">{escape(note)}</div>')
    return "".join(parts)


def _control(position: str, html_text: str, css_class: str) -> _Script:
    """A fixed box on the map with the given (already escaped) HTML."""
    return _Script(
        f"""
(function (map) {{
  var box = L.control({{position: {_js(position)}}});
  box.onAdd = function () {{
    var div = L.DomUtil.create("div", {_js(css_class)});
    div.innerHTML = {_js(html_text)};
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
  }};
  box.addTo(map);
}})({{map}});
"""
    )


def _finish(
    m: folium.Map,
    title: str,
    sections: Sequence[tuple[str, pd.DataFrame, str]],
) -> folium.Map:
    """Add legend, title with the offline note, and the layer control."""
    _control("bottomright", _legend_html(sections), "kk-box kk-legend").add_to(m)
    note = f"<b>{escape(title)}</b><br>{escape(OFFLINE_NOTE)}"
    _control("bottomleft", note, "kk-box kk-title").add_to(m)
    layer_control().add_to(m)
    return m


def current_state_map(
    analysis: Analysis,
    theme: str = "energy_label",
    *,
    private: bool = False,
    inline_assets: bool = True,
) -> folium.Map:
    """Map of the current situation: buildings coloured by ``theme``.

    Parameters
    ----------
    analysis : Analysis
        ``kk.analyse``; its buildings (EPSG:28992, not modified) and the
        terrain's boundary; the survey gives consent when the buildings lack
        ``consent_werksessie``.
    theme : str
        Key of :data:`kansenkaart.views.legend.THEMES` (``energy_label``,
        ``construction_year``, ``energy_total``, ``energy_intensity``,
        ``ownership``, ``obligations``, ``solar_existing``).
    private : bool
        Presentation mode: energy figures of companies without consent are
        not shown.
    inline_assets : bool
        See :func:`base_map`.

    Returns
    -------
    folium.Map
        With one building layer, a legend with counts and a layer control.
    """
    a, terrain = analysis.buildings, analysis.terrain
    spec = legend.theme_spec(a, theme, legend.hidden_mask(a, private, terrain.survey))
    m = base_map(prepare(analysis), inline_assets=inline_assets)
    building_group([("thema", spec)], f"Gebouwen: {spec.title}").add_to(m)
    name = terrain.name
    return _finish(
        m,
        f"Huidige situatie – {spec.title}" + (f" · {name}" if name else ""),
        [(spec.title, legend.legend_table(spec), spec.note)],
    )


def _hulls(a: gpd.GeoDataFrame, measure) -> dict | None:
    """GeoJSON of the envelope of each group of participants of ``measure``."""
    keys = legend.groups(a, measure)
    taking_part = keys.notna().to_numpy()
    if not taking_part.any() or measure.id not in legend.GROUP_COLUMNS:
        return None
    frame = gpd.GeoDataFrame(
        {"group": keys[taking_part].to_numpy()},
        geometry=a.geometry.to_numpy()[taking_part],
        crs=a.crs or RD,
    )
    hulls = frame.dissolve("group").convex_hull.buffer(HULL_BUFFER_M)
    sizes = frame.groupby("group").size()
    tips = [
        _tip(measure.name, f"groep van {fmt.number(sizes[g])} bedrijven")
        for g in hulls.index
    ]
    colour = legend.measure_colour(measure.id)
    return _geojson(
        gpd.GeoDataFrame(geometry=hulls.to_numpy(), crs=frame.crs),
        tips,
        colour=[colour] * len(hulls),
    )


def opportunity_group(
    a: gpd.GeoDataFrame,
    scope: str = "all",
    measures: Sequence[str] | None = None,
    *,
    selected: int | None = None,
) -> tuple[folium.FeatureGroup, list[tuple[str, pd.DataFrame, str]]]:
    """The building layers of the opportunity map for a filter, and their legend.

    Buildings are filled by the number of their opportunities among the
    chosen measures. The participants of each chosen collective measure are
    outlined in the measure's colour; where they form neighbour groups
    (energy hub, shared battery) each group gets an envelope.

    Parameters
    ----------
    a : GeoDataFrame
        Analysed buildings; not modified.
    scope : {"all", "individual", "collective"}
    measures : sequence of str, optional
        Measure ids to keep; ``None`` keeps all measures of ``scope``.
    selected : int, optional
        Row position of a building to outline (search, click).

    Returns
    -------
    folium.FeatureGroup, list of (title, legend table, note)
    """
    chosen = legend.selected_measures(scope, measures)
    spec = legend.opportunity_spec(a, chosen)
    collective = [m for m in chosen if m.scope == legend.measures.COLLECTIVE]
    outlined = collective if len(collective) <= MAX_OUTLINED else []
    layers = [("kansen", spec)]
    envelopes = []
    outline_rows = []
    for measure in outlined:
        outline = legend.participants_spec(a, measure)
        layers.append((f"groep:{measure.id}", outline))
        outline_rows.append(legend.legend_table(outline))
        hulls = _hulls(a, measure)
        if hulls:
            envelopes.append(_outline_geojson(hulls, measure.name))
    layers.append(("selectie", selection_spec(len(a), selected)))
    note = spec.note
    if not chosen:
        note = "Geen maatregelen in deze selectie: kies een of meer maatregelen."
    elif len(collective) > MAX_OUTLINED:
        note = (
            f"Kies hoogstens {MAX_OUTLINED} collectieve maatregelen om hun "
            "deelnemers als groep te omlijnen."
        )
    title = f"{spec.title} ({legend.SCOPE_NAMES[scope]})"
    sections = [(title, legend.legend_table(spec), note)]
    if outline_rows:
        sections.append(
            (
                "Deelnemers collectieve maatregel (omlijnd)",
                pd.concat(outline_rows, ignore_index=True),
                "",
            )
        )
    group = building_group(layers, "Gebouwen: kansen", extra=envelopes)
    return group, sections


def opportunity_map(
    analysis: Analysis,
    scope: str = "all",
    measures: Sequence[str] | None = None,
    *,
    inline_assets: bool = True,
) -> folium.Map:
    """Map of the opportunities: measures, solar potential, sources, grid.

    Parameters
    ----------
    analysis : Analysis
        ``kk.analyse``: its buildings (EPSG:28992, not modified); its terrain
        adds the boundary, the coupling sources with their reach rings and
        the grid-capacity areas.
    scope : {"all", "individual", "collective"}
        Individual measures, collective measures or both.
    measures : sequence of str, optional
        Measure ids to show; ``None`` shows every measure of ``scope``.
    inline_assets : bool
        See :func:`base_map`.

    Returns
    -------
    folium.Map
    """
    a, terrain = analysis.buildings, analysis.terrain
    data = prepare(analysis)
    m = base_map(data, "opportunity", inline_assets=inline_assets)
    group, sections = opportunity_group(a, scope, measures)
    group.add_to(m)
    reach_group(data).add_to(m)
    sections = [*sections, *static_sections(data)]
    name = terrain.name
    return _finish(m, "Kansenkaart" + (f" · {name}" if name else ""), sections)


def static_sections(data: MapData) -> list[tuple[str, pd.DataFrame, str]]:
    """Legend sections of the opportunity map that do not depend on a filter."""
    sections = []
    if not data.reach_counts.empty:
        sections.append(("Koppelbronnen (panden binnen bereik)", data.reach_counts, ""))
    if not data.grid_counts.empty:
        sections.append(("Netcapaciteit invoeding (panden)", data.grid_counts, ""))
    return sections


def layer_control() -> folium.LayerControl:
    """The layer control of the maps (background and layers, folded)."""
    return folium.LayerControl(collapsed=True)


def to_html(m: folium.Map) -> str:
    """The map as a standalone HTML page (works offline when Leaflet is inlined)."""
    return m.get_root().render()


# --- search and detail -------------------------------------------------------


def search_options(a: pd.DataFrame) -> dict[str, str]:
    """Building id -> "address — company" for a search box (plain text)."""
    address = legend.column(a, "address", "string").astype("string").fillna("")
    company = legend.column(a, "company", "string").astype("string").fillna("")
    text = (address + " — " + company).str.strip(" —")
    text = text.where(text != "", "pand " + a["building_id"].astype("string"))
    return dict(zip(a["building_id"].astype(str), text, strict=True))


def clicked_position(returned: dict | None) -> int | None:
    """Row position of the building clicked on a map (``st_folium`` output)."""
    feature = (returned or {}).get("last_active_drawing") or {}
    position = (feature.get("properties") or {}).get("i")
    return int(position) if isinstance(position, int | float) else None


def _yes_no(value) -> str:
    if value is None or pd.isna(value):
        return fmt.UNKNOWN
    return "ja" if bool(value) else "nee"


def _with_source(value: str, source) -> str:
    return value if source is None or pd.isna(source) else f"{value} ({source})"


def building_facts(
    a: pd.DataFrame, position: int, *, hidden: bool = False
) -> pd.DataFrame:
    """Facts of one building for the detail panel: ``gegeven``, ``waarde``.

    Parameters
    ----------
    a : DataFrame
        Analysed buildings.
    position : int
        Row position of the building.
    hidden : bool
        Hide the company's energy figures (presentation mode without consent).

    Returns
    -------
    DataFrame
        Dutch names and formatted values (plain text; ``onbekend`` where
        missing).
    """
    row = a.iloc[position]

    def get(name):
        return row[name] if name in row.index else None

    def energy(text: str) -> str:
        return legend.HIDDEN_VALUE if hidden else text

    grid_in, grid_out = get("grid_invoeding_status"), get("grid_afname_status")
    facts = [
        ("Adres", get("address")),
        ("Bedrijf", get("company")),
        ("Sector", get("sector")),
        ("Gebruiksdoel (BAG)", get("building_use")),
        ("Bouwjaar", get("construction_year")),
        ("Gebruiksoppervlakte", fmt.number(get("floor_area_m2"), 0, "m²")),
        ("Energielabel", get("energy_label")),
        ("Eigendom", get("ownership")),
        ("Netaansluiting", get("grid_connection")),
        (
            "Energiegebruik",
            energy(
                _with_source(
                    fmt.number(_div(get("demand_kwh_yr"), 1000), 0, "MWh per jaar"),
                    get("demand_source"),
                )
            ),
        ),
        (
            "Elektriciteit",
            energy(
                _with_source(
                    fmt.number(get("elec_kwh_yr"), 0, "kWh per jaar"),
                    get("elec_source"),
                )
            ),
        ),
        (
            "Gas",
            energy(
                _with_source(
                    fmt.number(get("gas_m3_yr"), 0, "m³ per jaar"), get("gas_source")
                )
            ),
        ),
        (
            "CO₂-uitstoot",
            energy(fmt.number(_div(get("co2_kg_yr"), 1000), 0, "ton per jaar")),
        ),
        ("Energiebesparingsplicht", energy(_yes_no(get("besparingsplicht")))),
        ("Onderzoeksplicht", energy(_yes_no(get("onderzoeksplicht")))),
        ("Label C-plicht kantoor", _yes_no(get("label_c_required"))),
        ("Bestaande zonnepanelen", fmt.number(get("pv_kwp_existing"), 0, "kWp")),
        ("Zonnepotentieel", fmt.number(get("pv_kwp_potential"), 0, "kWp")),
        ("Panelen mogelijk", fmt.number(get("pv_panels"))),
        ("Opbrengst zon", fmt.number(get("pv_kwh_yr_potential"), 0, "kWh per jaar")),
        ("Netcapaciteit invoeding", _status(grid_in)),
        ("Netcapaciteit afname", _status(grid_out)),
        ("Dichtstbijzijnde koppelbron", _source_text(row)),
    ]
    return pd.DataFrame(
        {
            "gegeven": [name for name, _ in facts],
            "waarde": [
                fmt.UNKNOWN
                if v is None or (not isinstance(v, str) and pd.isna(v))
                else str(v)
                for _, v in facts
            ],
        }
    )


def _div(value, by: float):
    return None if value is None or pd.isna(value) else float(value) / by


def _status(value) -> str:
    """Capaciteitskaart status as ``2 · in onderzoek / wachtrij``."""
    if value is None or pd.isna(value):
        return fmt.UNKNOWN
    return f"{int(value)} · {STATUS_LABELS.get(int(value), fmt.UNKNOWN)}"


def _source_text(row: pd.Series) -> str:
    name = row.get("heat_source_name") if "heat_source_name" in row.index else None
    if name is None or pd.isna(name):
        name = row.get("nearest_source_id")
    distance = row.get("nearest_source_m")
    if name is None or pd.isna(name):
        return fmt.UNKNOWN
    return f"{name} ({fmt.number(distance, 0, 'm')})"


def building_opportunities(
    olist: pd.DataFrame,
    building_id: str,
    measures: Sequence[str] | None = None,
    *,
    hidden: bool = False,
) -> pd.DataFrame:
    """Opportunities of one building for the detail panel.

    Parameters
    ----------
    olist : DataFrame
        ``kk.opportunity_list`` of the whole terrain.
    building_id : str
    measures : sequence of str, optional
        Measure ids in the current filter; ``None`` keeps all.
    hidden : bool
        Leave out the reasons (they quote the company's energy figures).

    Returns
    -------
    DataFrame
        ``maatregel``, ``schaal`` and ``toelichting`` (plain text).
    """
    rows = olist[olist["building_id"].astype(str) == str(building_id)]
    if measures is not None:
        rows = rows[rows["measure_id"].isin(list(measures))]
    reason = rows["reason"].astype("string")
    if hidden:
        reason = pd.Series(legend.HIDDEN_VALUE, index=rows.index, dtype="string")
    return pd.DataFrame(
        {
            "maatregel": rows["measure_name"].astype("string"),
            "schaal": rows["scope"].map(legend.measures.SCOPE_LABELS).astype("string"),
            "toelichting": reason,
        }
    ).reset_index(drop=True)
