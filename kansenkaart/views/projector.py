"""The werksessie on the wall: prepared views in projector colours.

Leidraad step 3 ends in a werksessie where a facilitator shows the
kansenkaart on the wall. :data:`VIEWS` is the sequence of prepared views and
:func:`view_layers` gives the building layers and legend of a view (high
contrast for a projector, company energy figures hidden without consent);
:func:`legend_strip` draws the legend as one wide strip above the map and
:func:`source_framing` zooms so the coupling sources are on the wall too.

The records of the session (interest, workgroups, statuses) are in
:mod:`kansenkaart.records.werksessie`. This module never imports streamlit.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import shapely

from kansenkaart.core import fmt, texts
from kansenkaart.core.assumptions import Assumptions
from kansenkaart.core.model import Analysis
from kansenkaart.engine import coupling, measures, privacy
from kansenkaart.views import colors, legend, mapdata, ranking
from kansenkaart.views.legend import LayerSpec

# --- the prepared views ----------------------------------------------------------


@dataclass(frozen=True)
class View:
    """One prepared view of the werksessie.

    Attributes
    ----------
    id : str
    title : str
        Dutch heading on the wall.
    kind : {"current", "opportunity", "balance"}
        Map of the current situation, map of opportunities (with coupling
        sources), or the energy balance chart without a map.
    story : str
        One Dutch sentence the facilitator can tell with it.
    theme : str, optional
        Current-state theme (:data:`kansenkaart.views.legend.THEMES`).
    measures : tuple of str
        Measures shown (opportunity views) and proposed for recording
        interest; the first is the default.
    layer : {"count", "each", "solar"}
        Opportunity views: buildings coloured by how many of the measures
        apply, by which of them applies (one colour each), or by solar
        potential per roof.
    sources : bool
        Add the legend of the coupling sources and their reach rings.
    """

    id: str
    title: str
    kind: str
    story: str
    theme: str | None = None
    measures: tuple[str, ...] = ()
    layer: str = "count"
    sources: bool = False


VIEWS: tuple[View, ...] = (
    View(
        "huidige_situatie",
        "Huidige situatie",
        "current",
        "Zo gebruiken de bedrijven nu energie. Cijfers van bedrijven die geen "
        "toestemming gaven, tonen we niet.",
        theme="energy_total",
        measures=("mkb_energiescan",),
    ),
    View(
        "zon_op_dak",
        "Zon op dak",
        "opportunity",
        "Zoveel zonnepanelen passen er op elk dak. Wie doet mee met de "
        "collectieve inkoop?",
        measures=("collectieve_inkoop_zon", "zon_eigen_dak"),
        layer="solar",
    ),
    View(
        "koppelkansen",
        "Koppelkansen RWZI en luchthaven",
        "opportunity",
        "Warmte van de waterzuivering en samenwerking met de luchthaven: "
        "deze panden liggen binnen bereik.",
        measures=("warmtenet_rwzi", "koppelkansen_luchthaven"),
        layer="each",
        sources=True,
    ),
    View(
        "collectief",
        "Collectieve maatregelen",
        "opportunity",
        "Samen inkopen, samen een energienetwerk of batterij: hoe donkerder, "
        "hoe meer collectieve kansen een pand heeft.",
        measures=tuple(
            m.id for m in measures.CATALOGUE if m.scope == measures.COLLECTIVE
        ),
    ),
    View(
        "energieneutraal",
        "Energieneutraal 2035",
        "balance",
        "Wekt het terrein in 2035 evenveel energie op als het gebruikt?",
        measures=("energiecooperatie",),
    ),
)
"""The views in the order the facilitator steps through them."""
VIEW_IDS = [v.id for v in VIEWS]

PROJECTOR_SEQUENTIAL = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")
"""Viridis in five steps: light to dark with large luminance steps, readable
on a washed-out projector and for colour-blind viewers."""
PROJECTOR_NONE = "#f0f0f0"
"""Fill of "geen kans" on the wall: nearly white with the dark outline."""
PROJECTOR_CATEGORIES = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00")
"""Okabe–Ito colours: distinct for colour-blind viewers and on a projector."""
INTEREST_COLOURS = ("#00c853", "#ff6d00")
"""Outline of companies with interest "ja" (green) and "misschien" (orange)."""
_PALETTES = (colors.SEQUENTIAL, colors.SOLAR, colors.COUNT[1:], ranking.KANS_COLOURS)


def next_view(view_id: str, step: int = 1) -> str:
    """The view ``step`` places on (or back), staying within the sequence."""
    index = VIEW_IDS.index(view_id) + step
    return VIEW_IDS[min(max(index, 0), len(VIEW_IDS) - 1)]


def high_contrast(spec: LayerSpec) -> LayerSpec:
    """``spec`` in projector colours: :data:`PROJECTOR_SEQUENTIAL` for amounts.

    The light sequential palettes of the screen maps (energy use, solar
    potential, number of opportunities) are swapped class by class, so the
    order stays; "geen kans" becomes :data:`PROJECTOR_NONE`. Categorical
    palettes (energy labels, measures) are already saturated and stay.
    """
    swap = {colors.COUNT[0]: PROJECTOR_NONE}
    for palette in _PALETTES:
        swap.update(zip(palette, PROJECTOR_SEQUENTIAL, strict=False))
    return replace(spec, colours=tuple(swap.get(c, c) for c in spec.colours))


def interest_spec(
    a: pd.DataFrame, interests: pd.DataFrame, measure_id: str | None
) -> LayerSpec:
    """Outline of the companies that said "ja" or "misschien" to a measure.

    Parameters
    ----------
    a : DataFrame
        Analysed buildings (``building_id``).
    interests : DataFrame
        ``Store.table("interest", …)``: ``building_id``, ``measure_id``,
        ``level``.
    measure_id : str or None
        None draws nothing.
    """
    rows = interests[interests["measure_id"] == measure_id]
    level = dict(zip(rows["building_id"], rows["level"], strict=True))
    ids = a["building_id"].astype(str)
    codes = np.array(
        [{texts.YES: 0, texts.MAYBE: 1}.get(level.get(i), -1) for i in ids],
        dtype=int,
    )
    name = measures.BY_ID[measure_id].name if measure_id in measures.BY_ID else ""
    return LayerSpec(
        f"Interesse in {name}",
        ("interesse: ja", "interesse: misschien"),
        INTEREST_COLOURS,
        codes,
        estimated=np.zeros(len(a), dtype=bool),
        outline=True,
        weight=4,
        dash=None,
    )


Section = tuple[str, pd.DataFrame, str]


def each_measure_spec(a: pd.DataFrame, chosen: Sequence) -> LayerSpec:
    """Buildings coloured by which of the ``chosen`` measures apply.

    One colour per measure (:data:`PROJECTOR_CATEGORIES`) for buildings where
    only that one applies, one more colour where several apply. Clearer on a
    wall than a count when two or three measures are compared (RWZI-warmte
    or luchthaven). Buildings not analysed are ``onbekend``.
    """
    if not 1 <= len(chosen) < len(PROJECTOR_CATEGORIES):
        raise ValueError(
            f"1 to {len(PROJECTOR_CATEGORIES) - 1} measures, not {len(chosen)}"
        )
    has = np.column_stack([legend.has_measure(a, m.id) for m in chosen])
    n = has.sum(axis=1)
    codes = np.where(
        n == 0, 0, np.where(n == 1, 1 + has.argmax(axis=1), 1 + len(chosen))
    )
    known = legend.numbers(legend.column(a, "n_measures", "Int64")).notna().to_numpy()
    labels = (
        "geen van deze kansen",
        *(f"alleen {m.name}" for m in chosen),
        "beide" if len(chosen) == 2 else "meer dan één",
    )
    return LayerSpec(
        "Kansen",
        (*labels, legend.UNKNOWN_LABEL),
        (PROJECTOR_NONE, *PROJECTOR_CATEGORIES[: len(chosen) + 1], colors.UNKNOWN),
        np.where(known, codes, len(labels)),
        estimated=np.zeros(len(a), dtype=bool),
    )


def view_layers(
    a: pd.DataFrame,
    view: View,
    *,
    hidden: np.ndarray,
    sources: pd.DataFrame | None = None,
    assumptions: Assumptions | None = None,
) -> tuple[list[tuple[str, LayerSpec]], list[Section]]:
    """The building layer of a map view and its legend sections.

    Parameters
    ----------
    a : DataFrame
        Analysed buildings; not modified.
    view : View
        A map view (``kind`` "current" or "opportunity").
    hidden : ndarray of bool
        Buildings whose energy figures are hidden
        (:func:`kansenkaart.views.legend.hidden_mask`); their opportunities
        are those the public may see
        (:func:`kansenkaart.engine.privacy.public_measures`).
    sources : DataFrame, optional
        ``MapData.reach_counts``: legend of the coupling sources, shown in
        views with ``sources``.
    assumptions : Assumptions, optional
        For the solar view: the ``hidden`` buildings show the solar advice
        from public data (:func:`kansenkaart.engine.privacy.with_public_solar`);
        without them they read ``niet getoond`` there.

    Returns
    -------
    layers : list of (key, LayerSpec)
        For :func:`kansenkaart.views.maps.building_group`; keys as in the other
        map pages (``thema``, ``zon``, ``kansen``).
    sections : list of (title, legend table, note)
    """
    a = privacy.with_public_measures(a, hidden)
    if view.kind == "current":
        key, spec = "thema", legend.theme_spec(a, view.theme, hidden)
    elif view.layer == "solar" and assumptions is not None:
        key = "zon"
        spec = legend.solar_potential(privacy.with_public_solar(a, hidden, assumptions))
    elif view.layer == "solar":
        key, spec = "zon", legend.hide(legend.solar_potential(a), hidden)
    elif view.layer == "each":
        key = "kansen"
        spec = each_measure_spec(a, legend.selected_measures("all", view.measures))
    else:
        key = "kansen"
        spec = legend.opportunity_spec(
            a, legend.selected_measures("all", view.measures)
        )
    spec = high_contrast(spec)
    sections = [(spec.title, legend.legend_table(spec), spec.note)]
    if view.sources and sources is not None and not sources.empty:
        sections.append(("Koppelbronnen (panden binnen de ring)", sources, ""))
    return [(key, spec)], sections


FALLBACKS: dict[str, tuple[str, ...]] = {
    "huidige_situatie": ("theme:energy_label", "theme:construction_year"),
    "zon_op_dak": ("ranking:grootste_kans", "ranking:co2"),
    "koppelkansen": ("ranking:koppelscore", "ranking:groepen"),
    "collectief": ("ranking:groepen", "ranking:grootste_kans"),
}
"""Per map view the next most informative layers (``theme:`` a current-state
theme, ``ranking:`` a ranking of :mod:`kansenkaart.views.ranking`), tried in
order when the view itself would be one colour or empty."""
_NOT_A_CLASS = (legend.UNKNOWN_LABEL, legend.HIDDEN_LABEL)


def uninformative(spec: LayerSpec) -> str:
    """Why ``spec`` tells nothing on a wall ('' when it does).

    A layer tells nothing when, leaving out ``onbekend`` and ``niet
    getoond``, its buildings fall in fewer than two classes: one colour, or
    no building with a value at all.
    """
    table = legend.legend_table(spec)
    table = table[table["kleur"].ne("") & ~table["klasse"].isin(_NOT_A_CLASS)]
    if table.empty:
        return "geen enkel pand heeft hier een waarde"
    if len(table) == 1:
        label, n = table.iloc[0][["klasse", "aantal"]]
        return f"alle {fmt.number(n)} panden met een waarde vallen in '{label}'"
    return ""


def _fallback_spec(
    analysis: Analysis, opportunities: pd.DataFrame, choice: str, hidden
) -> LayerSpec:
    kind, _, name = choice.partition(":")
    if kind == "theme":
        return legend.theme_spec(analysis.buildings, name, hidden)
    return ranking.ranking_spec(analysis, name, opportunities, hidden)


def adapted_layers(
    analysis: Analysis,
    opportunities: pd.DataFrame,
    view: View,
    *,
    hidden: np.ndarray,
    sources: pd.DataFrame | None = None,
) -> tuple[list[tuple[str, LayerSpec]], list[Section], str]:
    """:func:`view_layers`, replaced when the view would tell nothing here.

    A view that would be one colour or empty on this terrain (all buildings
    of De Punt inside the RWZI ring, no koppelkansen on Peelerpark) gives way
    to the first informative layer of :data:`FALLBACKS`, in projector
    colours.

    Returns
    -------
    layers, sections
        As :func:`view_layers`.
    note : str
        Dutch: why the view was replaced and by what; '' when it was not.
    """
    layers, sections = view_layers(
        analysis.buildings,
        view,
        hidden=hidden,
        sources=sources,
        assumptions=analysis.assumptions,
    )
    why = uninformative(layers[0][1])
    if not why:
        return layers, sections, ""
    if view.id == "koppelkansen":
        # Name what is missing (no heat source or airport), not only the colour.
        missing = coupling.coupling_note(
            analysis.terrain.sources, analysis.buildings["coupling_score"]
        )
        why = f"{why}. {missing.rstrip('.')}" if missing else why
    for choice in FALLBACKS.get(view.id, ()):
        spec = high_contrast(_fallback_spec(analysis, opportunities, choice, hidden))
        if not uninformative(spec):
            note = (
                f"'{view.title}' zou op dit terrein niets laten zien: {why}. "
                f"Daarom tonen we hier '{spec.title}'."
            )
            extra = sections[1:]
            return (
                [(layers[0][0], spec)],
                [(spec.title, legend.legend_table(spec), spec.note), *extra],
                note,
            )
    return layers, sections, f"'{view.title}' laat op dit terrein weinig zien: {why}."


def source_framing(
    data: mapdata.MapData, width_px: int = 1200, height_px: int = 620
) -> tuple[list[float], float]:
    """Centre and zoom that show the terrain together with its coupling sources.

    The map pages zoom to the buildings; a source just outside the terrain
    (Groningen Airport Eelde next to De Punt) would then be off the wall.

    Parameters
    ----------
    data : MapData
        :func:`kansenkaart.views.maps.prepare` of the terrain.
    width_px, height_px : int
        Map size to fit in (px); a wider map only adds margin.

    Returns
    -------
    centre : [lat, lon]
    zoom : float
        Web-Mercator zoom in steps of 0.25 (the maps' ``zoom_snap``), at
        most 18.
    """
    (south, west), (north, east) = data.bounds
    boxes = [(west, south, east, north)]
    boxes += [(p["lon"], p["lat"], p["lon"], p["lat"]) for p in data.source_points]
    for feature in (data.source_areas or {}).get("features", []):
        boxes.append(shapely.geometry.shape(feature["geometry"]).bounds)
    west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
    east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)

    def mercator(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    span_x = max(east - west, 1e-6) / 360
    span_y = max(mercator(north) - mercator(south), 1e-6) / (2 * math.pi)
    zoom = min(math.log2(width_px / 256 / span_x), math.log2(height_px / 256 / span_y))
    zoom = min(math.floor((zoom - 0.25) * 4) / 4, 18.0)  # a little margin
    return [(south + north) / 2, (west + east) / 2], zoom


def legend_strip(sections: Sequence[Section], intro: str = "") -> str:
    """The legend as one wide strip of large colour chips (HTML, text escaped).

    Made for a projector: one line per section above the map, so the legend
    never covers buildings and stays readable from the back of the room.
    ``intro`` is an optional first line in italics (the view's story).
    """
    parts = (
        [f'<div style="margin-bottom:6px"><i>{html.escape(intro)}</i></div>']
        if intro
        else []
    )
    for title, table, note in sections:
        chips = "".join(
            '<span style="display:inline-flex;align-items:center;margin:0 22px 6px 0;'
            'white-space:nowrap">'
            + (
                f'<span style="display:inline-block;width:34px;height:24px;'
                f"margin-right:8px;border:2px solid #222;"
                f'background:{html.escape(colour)}"></span>'
                if colour
                else '<span style="display:inline-block;width:34px;height:24px;'
                'margin-right:8px;border:2px dashed #222"></span>'
            )
            + f"{html.escape(str(label))}&nbsp;<b>({html.escape(fmt.number(n))})</b>"
            "</span>"
            for colour, label, n in table[["kleur", "klasse", "aantal"]].itertuples(
                index=False
            )
        )
        note_html = (
            f'<div style="font-size:0.8em;color:#333">{html.escape(note)}</div>'
            if note
            else ""
        )
        parts.append(
            '<div style="margin-bottom:6px">'
            f'<b style="margin-right:18px">{html.escape(title)}:</b>{chips}'
            f"{note_html}</div>"
        )
    return (
        '<div class="ws-legend" style="font-size:22px;line-height:1.4;color:#111">'
        + "".join(parts)
        + "</div>"
    )
