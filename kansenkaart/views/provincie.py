"""The province overview: key figures per park, on one map and in one table.

Leidraad step 1 (*verkennen*) starts with the parks of a province: where is
the most solar potential, where are the companies with an
energiebesparingsplicht, where is the grid full, where are the workgroups
already at work? :func:`park_figures` turns one analysed park into one row of
key figures (computed once per park, see :mod:`kansenkaart.io.provincie`);
:func:`workgroup_progress` reads the follow-up from the werksessie records;
:func:`shown` applies the disclosure rules of ``docs/PRIVACY.md`` for every
viewer but the beheerder; :func:`indicator_spec`, :func:`overview_table` and
:func:`overview_map` show the rows.

This module never imports streamlit.
"""

from __future__ import annotations

import itertools

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from kansenkaart.core import fmt, texts
from kansenkaart.core.assumptions import Assumptions
from kansenkaart.core.geo import RD, netherlands_rd
from kansenkaart.core.model import Analysis
from kansenkaart.core.values import mask
from kansenkaart.engine import privacy, solar
from kansenkaart.engine.summary import key_figures
from kansenkaart.records.models import STATUSES
from kansenkaart.views import colors, legend, maps
from kansenkaart.views.leaflet import use_assets
from kansenkaart.views.legend import LayerSpec
from kansenkaart.views.mapdata import geojson, tip

INDICATORS = {
    "kwp": "Zonpotentieel (kWp)",
    "eml": "Bedrijven met energiebesparingsplicht (EML)",
    "afname": "Netcapaciteit afname",
    "invoeding": "Netcapaciteit invoeding",
    "voortgang": "Voortgang werkgroepen",
}
"""The indicators a park can be coloured by (Dutch names)."""
FIGURES = (
    "n_buildings",
    "n_companies",
    "kwp_potential",
    "kwp_public",
    "eml_companies",
    "afname_status",
    "invoeding_status",
)
"""The key figures of :func:`park_figures`, in the order of the shipped file."""
NOTHING_RECORDED = "nog niets vastgelegd"
"""Progress of a park without werksessie records."""
PROGRESS_COLOURS = ("#e6e6e6", "#c6dbef", "#6baed6", "#3182bd", "#08519c", "#08306b")
"""Nothing recorded (light grey), then the statuses idee … gerealiseerd in
ever darker blue (ColorBrewer Blues)."""
KWP_EDGES = (500.0, 2_000.0, 5_000.0, 10_000.0)
"""Class edges (kWp) of the solar potential of a park."""
EML_EDGES = (1, 10, 25, 50)
"""Class edges (companies) of the companies with an energiebesparingsplicht."""
SYNTHETIC_NOTE = (
    "**Synthetische demodata.** De demoprovincie is verzonnen om de werkwijze "
    "te laten zien: de 30 terreinen 'Fictief terrein …' en de vier "
    "pilotterreinen, hun ligging, gebouwen, bedrijven en cijfers bestaan niet "
    "echt."
)


def synthetic_note(rows: pd.DataFrame, demo_province: bool) -> str | None:
    """What on the overview is made up (Dutch), or None when nothing is.

    ``rows``: the parks shown, with ``is_demo``; ``demo_province``: the set is
    the demo province (:data:`SYNTHETIC_NOTE`). A mixed set names how many of
    its parks are demo terrains, so that a gemeente's own terrain beside them
    is not called fictitious.
    """
    if demo_province:
        return SYNTHETIC_NOTE
    made_up = int(rows["is_demo"].astype(bool).sum()) if len(rows) else 0
    if not made_up:
        return None
    which = (
        "Alle terreinen hier zijn"
        if made_up == len(rows)
        else f"{made_up} van de {len(rows)} terreinen hier zijn"
    )
    return (
        f"**Synthetische demodata.** {which} demoterreinen ('— demo' in de "
        "keuzelijst links): hun gebouwen, bedrijven en cijfers zijn verzonnen "
        "om de werkwijze te laten zien."
    )


# --- one park -----------------------------------------------------------------


def _worst(values: pd.Series):
    """Highest Capaciteitskaart status (0–3) of the values; NA when none."""
    known = values.dropna()
    return int(known.max()) if len(known) else pd.NA


def park_figures(analysis: Analysis) -> dict:
    """Key figures of one analysed park: one row of the province overview.

    Parameters
    ----------
    analysis : Analysis
        The park analysed with ``analysis.assumptions``.

    Returns
    -------
    dict
        ``n_buildings`` (buildings, BAG) and ``n_companies`` (buildings with
        a company name) as in :func:`kansenkaart.engine.summary.key_figures`;
        ``kwp_potential`` (kWp): the sum of the advised new panels
        ``pv_kwp_potential`` (private: on a congested grid it follows a
        company's use, docs/PRIVACY.md R9); ``kwp_public`` (kWp): the same sum
        of the advice from public data alone
        (:func:`kansenkaart.engine.solar.public_advice`); ``eml_companies``:
        buildings with an energiebesparingsplicht (``besparingsplicht``:
        electricity ≥ 50.000 kWh or gas ≥ 25.000 m³ a year, Activiteitenbesluit
        art. 2.15; the Erkende Maatregelenlijst applies), undecidable ones
        not counted; ``afname_status`` and ``invoeding_status``: the worst
        Capaciteitskaart status (0–3) of a building on the park, NA when no
        building lies in a capacity area.
    """
    b = analysis.buildings
    figures = {f.label: f.value for f in key_figures(analysis.terrain)}
    public = solar.public_advice(b, analysis.assumptions)
    return {
        "n_buildings": int(figures["Gebouwen"]),
        "n_companies": int(figures["Bedrijven"]),
        "kwp_potential": float(b["pv_kwp_potential"].sum(skipna=True)),
        "kwp_public": float(public["pv_kwp_potential"].sum(skipna=True)),
        "eml_companies": int(mask(b["besparingsplicht"]).sum()),
        "afname_status": _worst(b["grid_afname_status"]),
        "invoeding_status": _worst(b["grid_invoeding_status"]),
    }


def park_outline(terrain) -> shapely.Geometry:
    """The shape of a park on the overview (RD New): its boundary areas, or
    the hull around its buildings (50 m margin) when it has none."""
    if len(terrain.boundary):
        return terrain.boundary.geometry.union_all()
    return terrain.buildings.geometry.union_all().convex_hull.buffer(50.0)


def workgroup_progress(plans: pd.DataFrame) -> tuple[int, int]:
    """How far the follow-up of a park is (Leidraad steps 4–5).

    Parameters
    ----------
    plans : DataFrame
        The park's uitvoeringsplannen (``Store.table("plan", terrain id)``:
        ``measure_id``, ``status``, …).

    Returns
    -------
    (int, int)
        The furthest status any measure reached, as its position in
        :data:`kansenkaart.records.models.STATUSES` (0 idee … 4 gerealiseerd;
        -1 without a plan), and the number of measures past *idee* (a
        werkgroep with a trekker is at work on them).
    """
    ranks = plans["status"].map({s: i for i, s in enumerate(STATUSES)}).dropna()
    if ranks.empty:
        return -1, 0
    return int(ranks.max()), int((ranks > 0).sum())


# --- as shown -----------------------------------------------------------------


def shown(rows: pd.DataFrame, variant: str, assumptions: Assumptions) -> pd.DataFrame:
    """The figures a viewer may see: ``kwp`` and ``eml`` added to ``rows``.

    The beheerder (``intern``) sees ``kwp_potential`` and ``eml_companies``.
    Everybody else (``openbaar``) sees the solar potential from public data
    (``kwp_public``, R9) and both figures only for parks with at least
    :func:`~kansenkaart.engine.privacy.min_group` companies (R5), rounded to
    two significant digits (R7); the count of companies with an obligation,
    a private criterion, likewise only from that number on. ``note`` says in
    Dutch why a figure is missing. ``rows`` is not modified.
    """
    out = rows.copy()
    if privacy.check_variant(variant) == privacy.INTERN:
        out["kwp"] = out["kwp_potential"].astype("Float64")
        out["eml"] = out["eml_companies"].astype("Int64")
        out["note"] = ""
        return out
    limit = privacy.min_group(assumptions)
    large = out["n_companies"].to_numpy(int) >= limit
    kwp = pd.Series(privacy.round_significant(out["kwp_public"]), index=out.index)
    out["kwp"] = kwp.where(large)
    eml = out["eml_companies"].astype("Int64")
    out["eml"] = eml.where(large & (eml >= limit).to_numpy(bool, na_value=False))
    out["note"] = np.where(
        ~large,
        f"cijfers niet getoond: minder dan {limit} bedrijven",
        np.where(
            out["eml"].isna(),
            f"aantal met besparingsplicht niet getoond: minder dan {limit}",
            "",
        ),
    )
    return out


def _hidden_label(assumptions: Assumptions) -> str:
    return f"{texts.HIDDEN} (minder dan {privacy.min_group(assumptions)} bedrijven)"


def _binned(title, values, edges, labels, palette, hidden, hidden_label):
    amounts = pd.array(values, dtype="Float64")
    known = ~pd.isna(amounts)
    codes = np.digitize(np.nan_to_num(amounts.to_numpy(float, na_value=0.0)), edges)
    # Hidden parks get a class of their own before "onbekend".
    codes = np.where(hidden, len(labels), codes)
    return legend.with_unknown(
        title,
        (*labels, hidden_label),
        (*palette, colors.HIDDEN),
        codes,
        known | hidden,
        estimated=np.zeros(len(codes), dtype=bool),
    )


def indicator_spec(
    rows: pd.DataFrame, indicator: str, assumptions: Assumptions
) -> LayerSpec:
    """Class and colour of every park for ``indicator`` (:data:`INDICATORS`).

    ``rows`` as returned by :func:`shown` plus ``progress`` (the status
    position of :func:`workgroup_progress`; NA when the records could not be
    read).
    """
    title = INDICATORS[indicator]
    hidden = (rows["note"] != "").to_numpy() if indicator in ("kwp", "eml") else None
    if indicator == "kwp":
        edges = [fmt.number(e) for e in KWP_EDGES]
        labels = (
            f"minder dan {edges[0]} kWp",
            *(f"{a}–{b} kWp" for a, b in itertools.pairwise(edges)),
            f"{edges[-1]} kWp of meer",
        )
        hidden = hidden & rows["kwp"].isna().to_numpy()
        return _binned(
            title,
            rows["kwp"],
            KWP_EDGES,
            labels,
            colors.SOLAR,
            hidden,
            _hidden_label(assumptions),
        )
    if indicator == "eml":
        labels = ("geen", "1–9 bedrijven", "10–24 bedrijven", "25–49 bedrijven")
        hidden = hidden & rows["eml"].isna().to_numpy()
        return _binned(
            title,
            rows["eml"],
            EML_EDGES,
            (*labels, "50 bedrijven of meer"),
            colors.COUNT,
            hidden,
            f"{texts.HIDDEN} (minder dan {privacy.min_group(assumptions)})",
        )
    if indicator in ("afname", "invoeding"):
        status = pd.array(rows[f"{indicator}_status"], dtype="Int64")
        known = ~pd.isna(status)
        return legend.with_unknown(
            title,
            tuple(texts.grid_status(s) for s in texts.GRID_STATUS),
            tuple(colors.GRID_STATUS.values()),
            status.to_numpy(int, na_value=0),
            known,
            estimated=np.zeros(len(status), dtype=bool),
        )
    progress = pd.array(rows["progress"], dtype="Int64")
    return legend.with_unknown(
        title,
        (NOTHING_RECORDED, *STATUSES),
        PROGRESS_COLOURS,
        progress.to_numpy(int, na_value=-1) + 1,  # -1 (nothing) is class 0
        ~pd.isna(progress),
        estimated=np.zeros(len(progress), dtype=bool),
    )


def _value(rows: pd.DataFrame, indicator: str) -> list[str]:
    """Per park the indicator as text (Dutch), for the tooltip and table."""
    if indicator == "kwp":
        return [fmt.number(v, 0, "kWp") if pd.notna(v) else "" for v in rows["kwp"]]
    if indicator == "eml":
        return [fmt.number(v) if pd.notna(v) else "" for v in rows["eml"]]
    if indicator in ("afname", "invoeding"):
        return [texts.grid_status(s) for s in rows[f"{indicator}_status"]]
    return progress_texts(rows)


def progress_texts(rows: pd.DataFrame) -> list[str]:
    """``besluit (2 maatregelen verder dan idee)`` per park."""
    out = []
    for rank, n in zip(rows["progress"], rows["n_workgroups"], strict=True):
        if pd.isna(rank):  # the records could not be read
            out.append(texts.UNKNOWN)
        elif rank < 0:
            out.append(NOTHING_RECORDED)
        else:
            what = "maatregel" if n == 1 else "maatregelen"
            out.append(f"{STATUSES[rank]} ({n} {what} verder dan idee)")
    return out


def overview_table(rows: pd.DataFrame, spec: LayerSpec) -> pd.DataFrame:
    """The table beside the map, one row per park, texts in Dutch.

    ``rows`` as for :func:`indicator_spec`; ``spec`` its result, whose class
    is the column after the name (:data:`SWATCH`: the colour on the map,
    filled in by :func:`styled_table`), then its label.
    """
    kwp = _value(rows, "kwp")
    eml = _value(rows, "eml")
    return pd.DataFrame(
        {
            "Terrein": rows["name"].to_numpy(),
            SWATCH: [spec.colours[c] for c in spec.codes],
            f"Kleur: {spec.title}": [spec.labels[c] for c in spec.codes],
            "Gemeente": rows["municipality"].to_numpy(),
            "Gebouwen": [fmt.number(v) for v in rows["n_buildings"]],
            "Bedrijven": [fmt.number(v) for v in rows["n_companies"]],
            "Zonpotentieel": [k or texts.HIDDEN for k in kwp],
            "Besparingsplicht (EML)": [e or texts.HIDDEN for e in eml],
            "Net afname": _value(rows, "afname"),
            "Net invoeding": _value(rows, "invoeding"),
            "Werkgroepen": progress_texts(rows),
            "Toelichting": rows["note"].to_numpy(),
        }
    )


SWATCH = "Kleur"
"""The column of :func:`overview_table` with each park's colour on the map."""


def styled_table(table: pd.DataFrame):
    """:func:`overview_table` for display: the :data:`SWATCH` column as a
    block of the park's colour (as the legend shows its classes), no index."""
    return (
        table.style.hide(axis="index")
        .format({SWATCH: lambda _: ""})
        .apply(lambda col: [f"background-color: {c}" for c in col], subset=[SWATCH])
    )


MARKER_RADIUS_PX = 8
"""Radius of the dot on each park: a park of 500 m is a few pixels wide at
the zoom that shows the whole province."""


def overview_map(
    rows: gpd.GeoDataFrame,
    indicator: str,
    spec: LayerSpec,
    *,
    inline_assets: bool = True,
) -> folium.Map:
    """Every park as its shape and a dot in its class colour, with a tooltip
    and the park's terrain key (``key``) in each feature's ``park`` (for a
    click).

    ``rows`` in RD New with the park outlines as geometry; ``spec`` from
    :func:`indicator_spec`. Leaflet is inlined (works offline) unless
    ``inline_assets`` is False; only the background map needs internet.
    """
    values = _value(rows, indicator)
    tips = [
        tip(name, f"{spec.title}: {value or spec.labels[code]}", "Klik om te openen")
        for name, value, code in zip(rows["name"], values, spec.codes, strict=True)
    ]
    props = {
        "colour": [spec.colours[c] for c in spec.codes],
        "park": [str(k) for k in rows["key"]],
    }
    centres = rows.set_geometry(rows.geometry.representative_point())
    m = folium.Map(tiles=None, zoom_snap=0.25)  # SVG: 2 shapes per park
    use_assets(m, inline_assets)
    name, url, attr = maps.BASEMAPS[0]
    folium.TileLayer(url, attr=attr, name=name, max_native_zoom=19).add_to(m)
    # The outline of the Netherlands: orientation without the background map.
    coast = gpd.GeoSeries([netherlands_rd().boundary], crs=RD).to_crs(4326)
    folium.GeoJson(
        shapely.geometry.mapping(shapely.set_precision(coast.iloc[0], 1e-4)),
        name="Nederland",
        interactive=False,
        style_function=lambda f: {"color": colors.OUTLINE, "weight": 1},
    ).add_to(m)
    maps.filled_geojson(geojson(rows, tips, **props), "Terreinen", 0.8, 2).add_to(m)
    folium.GeoJson(
        geojson(centres, tips, **props),
        name="Terreinen (stip)",
        marker=folium.CircleMarker(radius=MARKER_RADIUS_PX, fill=True),
        style_function=lambda f: {
            "fillColor": f["properties"]["colour"],
            "fillOpacity": 0.9,
            "color": colors.OUTLINE,
            "weight": 1,
        },
        tooltip=folium.GeoJsonTooltip(["tip"], labels=False),
    ).add_to(m)
    west, south, east, north = rows.to_crs(4326).total_bounds
    m.fit_bounds([[south, west], [north, east]])
    return m


def clicked_park(returned: dict | None) -> str | None:
    """Terrain key of the park clicked on the overview map (``st_folium``
    output)."""
    feature = (returned or {}).get("last_active_drawing") or {}
    park = (feature.get("properties") or {}).get("park")
    return park if isinstance(park, str) else None
