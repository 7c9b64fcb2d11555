"""Folium maps of a terrain: the current situation and the opportunities.

Design (DESIGN.md sections 2, 6 and 7):

- Geometry stays in RD New until :func:`~kansenkaart.views.mapdata.prepare`,
  which stores the simplified outlines once as compact integer deltas. A small
  script in the map decodes them; every building layer (a theme, the
  opportunities, a group outline) then sends only one class number per
  building, so a map carries the buildings once however many layers it has.
- One Leaflet layer per theme, drawn on a canvas (``prefer_canvas``), never a
  folium object per building.
- Every text that reaches HTML is escaped (:func:`~kansenkaart.views.leaflet.escape`),
  braces included; Leaflet is inlined so a map works offline
  (:mod:`kansenkaart.views.leaflet`).
- The page keeps one stable base map per terrain (:func:`base_map`) and swaps
  only the building layers (:func:`building_group`), so changing a filter
  does not rebuild the map.
- The detail panel of a clicked building is :func:`facts_table` (the facts of
  :func:`kansenkaart.views.facts.building_facts`) and
  :func:`building_opportunities`.

The prepared data live in :mod:`kansenkaart.views.mapdata`, the Leaflet
plumbing in :mod:`kansenkaart.views.leaflet`; both are re-exported here.
This module never imports streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from kansenkaart.core import fmt
from kansenkaart.core.geo import RD
from kansenkaart.core.model import Analysis
from kansenkaart.engine import groups as engine_groups
from kansenkaart.views import colors, impact, legend
from kansenkaart.views.leaflet import (
    LIBRARY_JS,
    Script,
    control,
    escape,
    fullscreen,
    js,
    use_assets,
)
from kansenkaart.views.legend import LayerSpec
from kansenkaart.views.mapdata import (
    MapData,
    geojson,
    prepare,
    tip,
)

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
        Script(f"kkLayer({js(layer_options(spec, key))}).addTo({{parent}});").add_to(
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


def filled_geojson(
    data: dict, name: str | None = None, opacity: float = 0.15, weight: float = 2
) -> folium.GeoJson:
    """Areas filled in each feature's ``colour``, with its escaped ``tip``."""
    return folium.GeoJson(
        data,
        name=name,
        style_function=lambda f: {
            "fillColor": f["properties"]["colour"],
            "fillOpacity": opacity,
            "color": f["properties"]["colour"],
            "weight": weight,
        },
        tooltip=folium.GeoJsonTooltip(["tip"], labels=False),
    )


def _grid_layer(data: dict) -> folium.GeoJson:
    return filled_geojson(data, "Netcapaciteit invoeding (Capaciteitskaart)")


def _source_layer(data: MapData) -> folium.FeatureGroup:
    """Coupling sources with their reach rings."""
    group = folium.FeatureGroup(name="Koppelbronnen en bereik")
    if data.rings:
        _outline_geojson(data.rings, "Bereik").add_to(group)
    if data.source_areas:
        filled_geojson(data.source_areas, opacity=0.6).add_to(group)
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
    use_assets(m, inline_assets)
    for i, (name, url, attr) in enumerate(BASEMAPS):
        folium.TileLayer(
            url,
            attr=attr,
            name=name,
            max_native_zoom=19,
            max_zoom=21,
            show=i == 0,
        ).add_to(m)
    Script(LIBRARY_JS).add_to(m)
    Script(f"kkData[{js(_BUILDINGS)}] = kkDecode({data.buildings_js});").add_to(m)
    fullscreen().add_to(m)
    Script("L.control.scale({imperial: false, maxWidth: 160}).addTo({map});").add_to(m)
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


def _finish(
    m: folium.Map,
    title: str,
    sections: Sequence[tuple[str, pd.DataFrame, str]],
) -> folium.Map:
    """Add legend, title with the offline note, and the layer control."""
    control("bottomright", _legend_html(sections), "kk-box kk-legend").add_to(m)
    note = f"<b>{escape(title)}</b><br>{escape(OFFLINE_NOTE)}"
    control("bottomleft", note, "kk-box kk-title").add_to(m)
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


def group_outlines(a: gpd.GeoDataFrame, measure_id: str) -> dict | None:
    """GeoJSON (WGS84) of one outline per group of a collective measure.

    The outline is the convex hull of the group's members with a margin of
    :data:`HULL_BUFFER_M`, computed in RD New and reprojected at the map
    boundary; its tooltip names the group and the number of companies drawn
    (in a public view only those that consented: see
    :func:`kansenkaart.engine.privacy.with_public_measures`).
    Groups come from ``collective_groups`` (:func:`legend.groups`); None when
    no building takes part.
    """
    measure = legend.measures.BY_ID[measure_id]
    keys = legend.groups(a, measure)
    taking_part = keys.notna().to_numpy()
    grouped = engine_groups.COLUMN in a.columns or measure_id in legend.GROUP_COLUMNS
    if not taking_part.any() or not grouped:
        return None
    frame = gpd.GeoDataFrame(
        {"group": keys[taking_part].astype(str).to_numpy()},
        geometry=a.geometry.to_numpy()[taking_part],
        crs=a.crs or RD,
    )
    hulls = frame.dissolve("group").convex_hull.buffer(HULL_BUFFER_M)
    sizes = frame.groupby("group").size()
    tips = [
        tip(
            f"{measure.name} – groep {str(g).rsplit('-', 1)[-1]}",
            f"{fmt.number(sizes[g])} bedrijven op de kaart",
        )
        for g in hulls.index
    ]
    colour = legend.measure_colour(measure_id)
    return geojson(
        gpd.GeoDataFrame(geometry=hulls.to_numpy(), crs=frame.crs),
        tips,
        colour=[colour] * len(hulls),
    )


def opportunity_group(
    a: gpd.GeoDataFrame,
    scope: str = "all",
    measures: Sequence[str] | None = None,
) -> tuple[folium.FeatureGroup, list[tuple[str, pd.DataFrame, str]]]:
    """The building layers of the opportunity map for a filter, and their
    legend, as a folium group (see :func:`opportunity_layers`)."""
    layers, envelopes, sections = opportunity_layers(a, scope, measures)
    group = building_group(layers, "Gebouwen: kansen", extra=envelope_layers(envelopes))
    return group, sections


def envelope_layers(envelopes: Sequence[tuple[str, dict]]) -> list[folium.GeoJson]:
    """The group envelopes of :func:`opportunity_layers` as folium layers."""
    return [_outline_geojson(hulls, name) for name, hulls in envelopes]


def opportunity_layers(
    a: gpd.GeoDataFrame,
    scope: str = "all",
    measures: Sequence[str] | None = None,
) -> tuple[
    list[tuple[str, LayerSpec]],
    list[tuple[str, dict]],
    list[tuple[str, pd.DataFrame, str]],
]:
    """The building layers of the opportunity map for a filter, and their legend.

    Buildings are filled by the number of their opportunities among the
    chosen measures. The participants of each chosen collective measure are
    outlined in the measure's colour and each of its groups (the rows of
    ``Analysis.groups``) gets one envelope (:func:`group_outlines`).

    Parameters
    ----------
    a : GeoDataFrame
        Analysed buildings; not modified.
    scope : {"all", "individual", "collective"}
    measures : sequence of str, optional
        Measure ids to keep; ``None`` keeps all measures of ``scope``.

    Returns
    -------
    list of (key, LayerSpec)
        The fill by number of opportunities and the participant outlines,
        bottom to top (a page adds its selection, :func:`selection_spec`).
    list of (name, GeoJSON)
        One envelope per group (:func:`group_outlines`), per outlined measure.
    list of (title, legend table, note)
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
        hulls = group_outlines(a, measure.id)
        if hulls:
            envelopes.append((measure.name, hulls))
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
    return layers, envelopes, sections


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


def clicked_position(returned: dict | None) -> int | None:
    """Row position of the building clicked on a map (``st_folium`` output)."""
    feature = (returned or {}).get("last_active_drawing") or {}
    position = (feature.get("properties") or {}).get("i")
    return int(position) if isinstance(position, int | float) else None


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
        Leave out the reasons and the impact (they quote the company's energy
        figures).

    Returns
    -------
    DataFrame
        ``maatregel``, ``schaal``, ``toelichting`` and ``effect`` (plain text;
        the impact on this building, :func:`kansenkaart.views.impact.summary`:
        energy, CO₂, energy costs, scheme, basis, investment, payback).
    """
    rows = olist[olist["building_id"].astype(str) == str(building_id)]
    if measures is not None:
        rows = rows[rows["measure_id"].isin(list(measures))]
    reason = rows["reason"].astype("string")
    effect = pd.Series(
        [impact.summary(r) for r in rows.to_dict("records")],
        index=rows.index,
        dtype="string",
    )
    if hidden:
        reason = pd.Series(legend.HIDDEN_VALUE, index=rows.index, dtype="string")
        effect = reason
    return pd.DataFrame(
        {
            "maatregel": rows["measure_name"].astype("string"),
            "schaal": rows["scope"].map(legend.measures.SCOPE_LABELS).astype("string"),
            "toelichting": reason,
            "effect": effect,
        }
    ).reset_index(drop=True)
