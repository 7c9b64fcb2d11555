"""Werksessie logic: prepared views, status workflow, follow-up and monitoring.

Leidraad step 3 ends in a werksessie where a facilitator shows the
kansenkaart on the wall and the entrepreneurs say what they want to join;
step 4 forms a werkgroep per measure with an uitvoeringsplan and
intentieverklaringen; step 5 monitors the result. This module holds the pure
parts of the pages *Werksessie* and *Werkgroepen & voortgang*:

- :data:`VIEWS`, the sequence of prepared views, and :func:`view_layers`,
  the building layers and legend of a view (high contrast for a projector,
  company energy figures hidden without consent);
- the status workflow (:func:`allowed_statuses`, :func:`missing_for`);
- tables for the pages (:func:`measure_overview`, :func:`participants`,
  :func:`change_log_table`, :func:`monitoring_table`);
- form bookkeeping for optimistic locking (:func:`open_form`,
  :func:`form_values`, :func:`forget_form`), working on any mutable mapping
  such as Streamlit's session state.

The records themselves live in :mod:`kansenkaart.records.store`. This module never
imports streamlit.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import shapely

from kansenkaart.core import fmt
from kansenkaart.core.errors import DataError
from kansenkaart.engine import measures
from kansenkaart.records import store
from kansenkaart.views import colors, legend, maps
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
_PALETTES = (colors.SEQUENTIAL, colors.SOLAR, colors.COUNT[1:])


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
        [{"ja": 0, "misschien": 1}.get(level.get(i), -1) for i in ids], dtype=int
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
        (:func:`kansenkaart.views.legend.hidden_mask`).
    sources : DataFrame, optional
        ``MapData.reach_counts``: legend of the coupling sources, shown in
        views with ``sources``.

    Returns
    -------
    layers : list of (key, LayerSpec)
        For :func:`kansenkaart.views.maps.building_group`; keys as in the other
        map pages (``thema``, ``zon``, ``kansen``).
    sections : list of (title, legend table, note)
    """
    if view.kind == "current":
        key, spec = "thema", legend.theme_spec(a, view.theme, hidden)
    elif view.layer == "solar":
        key, spec = "zon", legend.solar_potential(a)
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


def source_framing(
    data: maps.MapData, width_px: int = 1200, height_px: int = 620
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


# --- status workflow ------------------------------------------------------------

STATUS_HELP = {
    "idee": "Kans gezien in de werksessie.",
    "onderzoek": "De werkgroep zoekt haalbaarheid, kosten en financiering uit.",
    "besluit": "Het uitvoeringsplan ligt er; de bedrijven besluiten en tekenen.",
    "uitvoering": "De maatregel wordt uitgevoerd.",
    "gerealiseerd": "Klaar; de resultaten worden gemonitord.",
}
"""What each status means (Dutch, Leidraad steps 3–5)."""
REQUIRED_FOR = {
    "onderzoek": ("trekker",),
    "besluit": ("trekker", "goal", "approach", "costs", "financing"),
    "uitvoering": (
        "trekker",
        "goal",
        "approach",
        "costs",
        "financing",
        "planning",
        "responsible",
    ),
}
"""Fields that must be filled before a measure may get a status (and later
ones): a werkgroep needs a trekker, a decision needs the uitvoeringsplan."""
REQUIRED_FOR["gerealiseerd"] = REQUIRED_FOR["uitvoering"]
_LABELS = {f.name: f.label for e in ("plan", "workgroup") for f in store.fields(e)}


def allowed_statuses(current: str | None) -> list[str]:
    """Statuses a measure may get next: any earlier one, itself, or one step on.

    Skipping ahead (idee straight to uitvoering) is not offered: each step
    of the Leidraad produces something the next one needs.
    """
    position = store.STATUSES.index(current) if current in store.STATUSES else 0
    return list(store.STATUSES[: position + 2])


def missing_for(status: str, values: Mapping) -> list[str]:
    """Dutch names of the fields still empty that ``status`` requires.

    Parameters
    ----------
    status : str
        One of :data:`kansenkaart.records.store.STATUSES`.
    values : mapping
        Plan and werkgroep values (``trekker``, ``goal``, …).
    """
    return [
        _LABELS[name]
        for name in REQUIRED_FOR.get(status, ())
        if not str(values.get(name) or "").strip()
    ]


def check_status(current: str | None, new: str, values: Mapping) -> list[str]:
    """Dutch reasons why a measure cannot move from ``current`` to ``new``.

    Empty when the move is allowed (:func:`allowed_statuses`) and every
    field ``new`` needs is filled (:func:`missing_for`).
    """
    problems = []
    if new not in allowed_statuses(current):
        problems.append(
            f"Van '{current or store.STATUSES[0]}' kan een maatregel niet direct "
            f"naar '{new}': zet de stappen één voor één."
        )
    missing = missing_for(new, values)
    if missing:
        problems.append(f"Voor status '{new}' ontbreekt nog: {', '.join(missing)}.")
    return problems


# --- tables for the pages ------------------------------------------------------------


def _latest(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    return frame.drop_duplicates(by, keep="last").set_index(by)


def measure_overview(
    totals: pd.DataFrame,
    plans: pd.DataFrame,
    workgroups: pd.DataFrame,
    interests: pd.DataFrame,
    actions: pd.DataFrame,
) -> pd.DataFrame:
    """Per measure the state of its follow-up, for the workgroups page.

    Measures are listed when they apply on the terrain or have records.

    Parameters
    ----------
    totals : DataFrame
        :func:`kansenkaart.engine.opportunities.measure_totals` (``measure_id``,
        ``n_companies``, ``kwp``).
    plans, workgroups, interests, actions : DataFrame
        ``Store.table`` of each entity for the terrain.

    Returns
    -------
    DataFrame
        ``measure_id``, ``maatregel``, ``schaal``, ``status``, ``trekker``,
        ``interesse ja``, ``misschien``, ``intentieverklaringen``,
        ``open vervolgstappen``, ``eerstvolgende datum`` (date or NaT),
        ``kansen op terrein``.
    """
    plan = _latest(plans, "measure_id")
    group = _latest(workgroups, "measure_id")
    level = interests.groupby(["measure_id", "level"]).size()
    signed = interests[interests["intent_signed"].fillna(False).astype(bool)]
    signed = signed.groupby("measure_id").size()
    open_actions = actions[~actions["done"].fillna(False).astype(bool)]
    due = pd.to_datetime(open_actions["due_on"]).groupby(open_actions["measure_id"])
    counts = totals.set_index("measure_id")["n_companies"]
    recorded = (
        set(plans["measure_id"])
        | set(workgroups["measure_id"])
        | set(interests["measure_id"])
    )
    rows = []
    for m in measures.CATALOGUE:
        n = int(counts.get(m.id, 0) or 0)
        if not n and m.id not in recorded:
            continue
        rows.append(
            {
                "measure_id": m.id,
                "maatregel": m.name,
                "schaal": measures.SCOPE_LABELS[m.scope],
                "status": plan["status"].get(m.id, store.STATUSES[0]),
                "trekker": group["trekker"].get(m.id) or "",
                "interesse ja": int(level.get((m.id, "ja"), 0)),
                "misschien": int(level.get((m.id, "misschien"), 0)),
                "intentieverklaringen": int(signed.get(m.id, 0)),
                "open vervolgstappen": int((open_actions["measure_id"] == m.id).sum()),
                "eerstvolgende datum": due.min().get(m.id, pd.NaT),
                "kansen op terrein": n,
            }
        )
    return pd.DataFrame(rows)


def participants(
    a: pd.DataFrame, interests: pd.DataFrame, measure_id: str
) -> pd.DataFrame:
    """Companies with recorded interest in a measure ("ja" first).

    Returns
    -------
    DataFrame
        ``building_id``, ``bedrijf``, ``adres``, ``interesse``,
        ``toelichting``, ``intentieverklaring`` (bool), ``getekend op``,
        ``version``, ``vastgelegd door``, ``wanneer`` (Dutch time text).
    """
    rows = interests[interests["measure_id"] == measure_id]
    rows = rows[rows["level"] != "nee"]
    names = a.set_index(a["building_id"].astype(str))
    company = legend.column(names, "company", "string").astype("string")
    address = legend.column(names, "address", "string").astype("string")
    out = pd.DataFrame(
        {
            "building_id": rows["building_id"],
            "bedrijf": rows["building_id"].map(company).fillna(""),
            "adres": rows["building_id"].map(address).fillna(""),
            "interesse": rows["level"],
            "toelichting": rows["note"].fillna(""),
            "intentieverklaring": rows["intent_signed"].fillna(False).astype(bool),
            "getekend op": rows["intent_signed_on"],
            "version": rows["version"],
            "vastgelegd door": rows["updated_by"],
            "wanneer": rows["updated_at"].map(store.when_text),
        }
    )
    order = out["interesse"].map({"ja": 0, "misschien": 1})
    return out.assign(_o=order).sort_values(["_o", "bedrijf"]).drop(columns="_o")


def _describe(entity: str, values: Mapping | None) -> str:
    """Values of a change-log line as ``Status: besluit; Trekker: Anna``."""
    if not values:
        return ""
    by_name = {f.name: f for f in store.fields(entity)}
    return "; ".join(
        f"{by_name[k].label}: {store.display(by_name[k], v)}"
        for k, v in values.items()
        if k in by_name and v not in (None, "", [])
    )


def _key_text(entity: str, key: Mapping, names: Mapping[str, str]) -> str:
    parts = []
    for name, value in key.items():
        if name == "building_id":
            parts.append(names.get(value, f"pand {value}"))
        elif name == "measure_id":
            parts.append(
                measures.BY_ID[value].name if value in measures.BY_ID else value
            )
        elif name == "measured_on":
            day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
            parts.append(day.strftime("%d-%m-%Y"))
    return ", ".join(parts)


def change_log_table(changes: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """The change log for reading: ``wanneer``, ``wie``, ``wat``, ``actie``, ...

    Parameters
    ----------
    changes : DataFrame
        ``Store.changes``.
    names : mapping
        Building id -> "address — company" (e.g.
        :func:`kansenkaart.views.maps.search_options`).

    Returns
    -------
    DataFrame
        ``wanneer``, ``wie``, ``onderdeel``, ``waarvan``, ``actie``,
        ``versie``, ``nieuwe waarden``, ``vorige waarden`` (Dutch text).
    """
    return pd.DataFrame(
        {
            "wanneer": changes["at"].map(store.when_text),
            "wie": changes["user_name"],
            "onderdeel": changes["entity"].map(lambda e: store.ENTITIES[e].label),
            "waarvan": [
                _key_text(e, k, names)
                for e, k in zip(changes["entity"], changes["record_key"], strict=True)
            ],
            "actie": changes["action"].map(store.ACTIONS),
            "versie": changes["version"].astype("Int64"),
            "nieuwe waarden": [
                _describe(e, v)
                for e, v in zip(changes["entity"], changes["after"], strict=True)
            ],
            "vorige waarden": [
                _describe(e, v)
                for e, v in zip(changes["entity"], changes["before"], strict=True)
            ],
        }
    )


def import_changes_table(
    changed: Sequence[tuple[str, Mapping]], names: Mapping[str, str]
) -> pd.DataFrame:
    """What an import creates or changes: ``onderdeel``, ``waarvan``.

    Parameters
    ----------
    changed : sequence of (entity, key)
        ``ImportResult.changed_records``.
    names : mapping
        Building id -> "address — company".
    """
    return pd.DataFrame(
        {
            "onderdeel": [store.ENTITIES[e].label for e, _ in changed],
            "waarvan": [_key_text(e, key, names) for e, key in changed],
        }
    )


def monitoring_table(readings: pd.DataFrame, measure_id: str) -> pd.DataFrame:
    """Monitoring readings of one measure, oldest first, CO2 in tonnes.

    Returns
    -------
    DataFrame
        ``measured_on`` (date), ``kwp_realised``, ``n_companies``,
        ``co2_avoided_t_yr``, ``note``, ``version``, ``updated_by``.
    """
    rows = readings[readings["measure_id"] == measure_id].sort_values("measured_on")
    return pd.DataFrame(
        {
            "measured_on": rows["measured_on"],
            "kwp_realised": rows["kwp_realised"].astype("Float64"),
            "n_companies": rows["n_companies"].astype("Int64"),
            "co2_avoided_t_yr": rows["co2_avoided_kg_yr"].astype("Float64") / 1000,
            "note": rows["note"],
            "version": rows["version"],
            "updated_by": rows["updated_by"],
        }
    ).reset_index(drop=True)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def markdown_text(text) -> str:
    """User text made literal inside Streamlit markdown (labels, captions).

    Every markdown character gets a backslash, so a company called
    ``**[klik](http://x)**`` is shown as typed, never as a link or bold.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def problem_text(problem) -> str:
    """A refused save for the page: Dutch, markdown-safe, one paragraph each.

    ``problem`` is a :class:`~kansenkaart.records.store.ConflictError`, a
    :class:`~kansenkaart.DataError` (its messages and fixes, without the
    file name a form does not have) or a plain Dutch text.
    """
    if isinstance(problem, DataError):
        lines = [" ".join(filter(None, (p.message, p.fix))) for p in problem.problems]
    else:
        lines = [str(problem)]
    return "\n\n".join(markdown_text(line) for line in lines)


# --- forms and optimistic locking ----------------------------------------------------

USER_KEY = "ws_user_name"
"""Session key of the user's name, asked once per browser session."""


def clean_user_name(text: str | None) -> str | None:
    """The name as stored with every change, or None when it is unusable."""
    name = " ".join((text or "").split())
    return name if 2 <= len(name) <= 100 else None


def form_key(entity: str, terrain_id: str, key: Mapping) -> str:
    """Prefix of the session keys of the form that edits one record."""
    return "|".join(["ws", entity, terrain_id, *(str(v) for v in key.values())])


def widget_key(form: str, name: str) -> str:
    """Session key of the widget for field ``name`` of a form."""
    return f"{form}|{name}"


def _to_widget(f: store.Field, value):
    if f.kind == "names":
        return "\n".join(value or [])
    if f.kind in ("text", "long_text"):
        return value or ""
    if f.kind == "bool":
        return bool(value)
    return value


def _from_widget(f: store.Field, value):
    if f.kind == "names":
        return [line.strip() for line in (value or "").splitlines() if line.strip()]
    if f.kind in ("text", "long_text"):
        return (value or "").strip() or None
    return value


def _editable(entity: str, names: Sequence[str] | None) -> list[store.Field]:
    return [
        f
        for f in store.fields(entity)
        if not f.key and (names is None or f.name in names)
    ]


def open_form(
    state: MutableMapping,
    form: str,
    entity: str,
    record: store.Snapshot | None,
    defaults: Mapping | None = None,
) -> int:
    """Fill a form's widgets from the record; return the version it is based on.

    The first time (or after :func:`forget_form`) the widgets get the stored
    values, or ``defaults`` for a new record. Later runs keep what the user
    typed; only a form the user has not touched follows a newer stored
    version, so a change by someone else never silently replaces typing and
    typing never silently replaces their change (the save names the base
    version and meets a :class:`~kansenkaart.records.store.ConflictError`).

    Parameters
    ----------
    state : mutable mapping
        Streamlit's ``st.session_state`` (or a dict in tests).
    form : str
        :func:`form_key` of the record.
    entity : str
    record : Snapshot or None
        The record as stored now.
    defaults : mapping, optional
        Values of a new record.

    Returns
    -------
    int
        The base version (0 for a new record) to pass as ``expected_version``.
    """
    base_key = widget_key(form, "_base")
    base = state.get(base_key)
    fields = _editable(entity, None)
    stored = record.values if record is not None else dict(defaults or {})
    version = record.version if record is not None else 0
    untouched = base is not None and all(
        state.get(widget_key(form, f.name)) == _to_widget(f, base["values"].get(f.name))
        for f in fields
    )
    if base is None or (untouched and base["version"] != version):
        for f in fields:
            state[widget_key(form, f.name)] = _to_widget(f, stored.get(f.name))
        state[base_key] = {"version": version, "values": dict(stored)}
    return state[base_key]["version"]


def form_values(
    state: Mapping, form: str, entity: str, names: Sequence[str] | None = None
) -> dict:
    """The values typed in a form, converted for :meth:`Store.save`."""
    return {
        f.name: _from_widget(f, state.get(widget_key(form, f.name)))
        for f in _editable(entity, names)
        if widget_key(form, f.name) in state
    }


def form_saved(state: MutableMapping, form: str, record: store.Snapshot) -> None:
    """After a save: the form is now based on the stored record."""
    state[widget_key(form, "_base")] = {
        "version": record.version,
        "values": dict(record.values),
    }


def forget_form(state: MutableMapping, form: str) -> None:
    """Drop what was typed in a form, so it reloads the stored record."""
    for key in [k for k in state if isinstance(k, str) and k.startswith(form + "|")]:
        del state[key]
