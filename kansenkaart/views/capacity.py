"""Grid capacity of the Capaciteitskaart for the Netcapaciteit page.

Builds on :mod:`kansenkaart.engine.grid` (statuses per area and building) and
adds what a user needs to read them:

- the Capaciteitskaart status of afname and invoeding in Dutch and in its
  familiar colour (:data:`kansenkaart.views.colors.GRID_STATUS`), the capacity areas
  as a map layer and the buildings coloured by their area's status;
- what a status means for the terrain's opportunities, linked to the measures
  of :data:`kansenkaart.engine.measures.CATALOGUE`.

- the energy areas of a Capaciteitskaart data product that cover the
  terrain (:mod:`kansenkaart.engine.grid_context`): the traffic light now,
  the capacity per year, the year the shortage is expected to be resolved and
  the planned works, linked to the pMIEK projects.

The pMIEK projects are in :mod:`kansenkaart.views.pmiek_projects`; uploads of a
capacity-map export or data product are read by :mod:`kansenkaart.io.infra_files`.

Sources
-------
- DESIGN.md §4.4: statuses 0 = capaciteit beschikbaar (groen), 1 = beperkt
  (geel), 2 = in onderzoek / wachtrij (oranje), 3 = tekort (rood), given per
  direction (afname = taking power, invoeding = feeding in).
- Netbeheer Nederland, *Capaciteitskaart* (two layers, afname and invoeding;
  the colours apply to grootverbruik, > 3×80 A: kleinverbruikers can in
  principle take and feed in everywhere) and the shared colour code of the
  netbeheerders (Liander, *Schaarsteniveaus elektriciteitsnet*: geel =
  schaarste dreigt, oranje = geen capaciteit, onderzoek naar
  congestiemanagement, rood = geen capaciteit, congestiemanagement biedt geen
  uitkomst).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from kansenkaart.core import texts
from kansenkaart.core.geo import to_wgs84
from kansenkaart.core.model import Analysis, CapacityProduct, GridContext
from kansenkaart.engine import grid_context, measures
from kansenkaart.views import colors, legend, pmiek_projects
from kansenkaart.views.legend import LayerSpec
from kansenkaart.views.maps import escape

# --- capacity statuses ------------------------------------------------------

DIRECTIONS = {
    "afname": "Afname (stroom gebruiken)",
    "invoeding": "Invoeding (stroom terugleveren)",
}
"""The two layers of the Capaciteitskaart, with Dutch labels."""

COLOUR_NAMES = texts.GRID_COLOURS
"""Dutch colour name per status, so the map can be read without colour."""

NO_AREA = texts.GRID_NO_AREA

_status_int = texts.grid_code
"""The status as int 0–3, or None when missing or outside 0–3."""


def status_text(status) -> str:
    """Dutch text of a Capaciteitskaart status: ``"3 · tekort (rood)"``.

    Parameters
    ----------
    status : int, float, pd.NA or None
        0–3 (DESIGN.md §4.4).

    Returns
    -------
    str
        Number, meaning (:data:`kansenkaart.core.texts.GRID_STATUS`) and colour
        name; :data:`NO_AREA` when missing.
    """
    return texts.grid_status(status, NO_AREA)


def status_colour(status) -> str:
    """Map colour of a status (:data:`~kansenkaart.views.colors.GRID_STATUS`); grey."""
    value = _status_int(status)
    return colors.UNKNOWN if value is None else colors.GRID_STATUS[value]


def _column(direction: str) -> str:
    if direction not in DIRECTIONS:
        raise ValueError(
            f"onbekende richting '{direction}'; kies uit {', '.join(DIRECTIONS)}"
        )
    return f"{direction}_status"


def building_status(a: pd.DataFrame, direction: str) -> pd.Series:
    """Status (Int64 0–3, NA outside every area) of each analysed building."""
    return legend.column(a, f"grid_{_column(direction)}", "Int64").astype("Int64")


def capacity_spec(a: pd.DataFrame, direction: str) -> LayerSpec:
    """Buildings coloured by the status of the area they lie in.

    Parameters
    ----------
    a : DataFrame
        Analysed buildings (``grid_afname_status``, ``grid_invoeding_status``);
        not modified.
    direction : {"afname", "invoeding"}

    Returns
    -------
    LayerSpec
        Classes 0–3 in the Capaciteitskaart colours, then ``onbekend``.
    """
    status = building_status(a, direction)
    codes = status.fillna(len(texts.GRID_STATUS)).to_numpy(int)
    return LayerSpec(
        f"Netcapaciteit {direction}",
        (*(status_text(s) for s in texts.GRID_STATUS), NO_AREA),
        (*(status_colour(s) for s in texts.GRID_STATUS), colors.UNKNOWN),
        codes,
        estimated=np.zeros(len(a), dtype=bool),
    )


def capacity_legend(
    a: pd.DataFrame, areas: pd.DataFrame, direction: str
) -> pd.DataFrame:
    """Legend of the capacity map: every status with its colour and counts.

    All four statuses are listed, also when absent, so the colour key is
    always complete; ``onbekend`` only when buildings lie outside every area.

    Returns
    -------
    DataFrame
        ``kleur``, ``klasse``, ``aantal`` (buildings) and ``gebieden``
        (capacity areas).
    """
    spec = capacity_spec(a, direction)
    buildings = np.bincount(spec.codes, minlength=len(spec.labels))
    area_status = areas[_column(direction)].astype("Int64")
    n_areas = [int((area_status == s).sum()) for s in texts.GRID_STATUS]
    table = pd.DataFrame(
        {
            "kleur": spec.colours,
            "klasse": spec.labels,
            "aantal": buildings,
            "gebieden": [*n_areas, int(area_status.isna().sum())],
        }
    )
    unknown = table.index == len(texts.GRID_STATUS)
    return table[~unknown | (table["aantal"] > 0)].reset_index(drop=True)


def area_tooltips(areas: pd.DataFrame) -> list[str]:
    """Escaped tooltip HTML per capacity area: name, both statuses, station."""
    tips = []
    for name, afname, invoeding, station, operator in zip(
        areas["name"].astype("string").fillna(areas["area_id"].astype("string")),
        areas["afname_status"].astype("Int64"),
        areas["invoeding_status"].astype("Int64"),
        areas["station"].astype("string").fillna(texts.UNKNOWN),
        areas["netbeheerder"].astype("string").fillna(texts.UNKNOWN),
        strict=True,
    ):
        lines = (
            f"afname: {status_text(afname)}",
            f"invoeding: {status_text(invoeding)}",
            f"station: {station}",
            f"netbeheerder: {operator}",
        )
        tips.append(
            f"<b>{escape(name)}</b><br>" + "<br>".join(escape(line) for line in lines)
        )
    return tips


def capacity_area_layer(areas: gpd.GeoDataFrame, direction: str) -> folium.FeatureGroup:
    """The capacity areas as a map layer, coloured by the status of ``direction``.

    Geometry is reprojected to WGS84 here, at the map boundary. Tooltips are
    escaped (folium does not escape GeoJson tooltips).

    Parameters
    ----------
    areas : GeoDataFrame
        Schema GRID, EPSG:28992; not modified.
    direction : {"afname", "invoeding"}
    """
    column = _column(direction)
    group = folium.FeatureGroup(name=f"Capaciteitsgebieden {direction}")
    shapes = areas[~(areas.geometry.isna() | areas.geometry.is_empty)]
    if shapes.empty:
        return group
    wgs = to_wgs84(shapes)
    layer = gpd.GeoDataFrame(
        {
            "tip": area_tooltips(shapes),
            "colour": [status_colour(s) for s in shapes[column].astype("Int64")],
        },
        geometry=wgs.geometry.to_numpy(),
        crs=wgs.crs,
    )
    folium.GeoJson(
        layer.__geo_interface__,
        style_function=lambda f: {
            "fillColor": f["properties"]["colour"],
            "fillOpacity": 0.35,
            "color": f["properties"]["colour"],
            "weight": 3,
        },
        tooltip=folium.GeoJsonTooltip(["tip"], labels=False),
    ).add_to(group)
    return group


# --- what a status means for the opportunities -------------------------------


@dataclass(frozen=True)
class Advice:
    """What a capacity status means on a business park.

    Attributes
    ----------
    meaning : str
        The status in plain Dutch.
    options : str
        What is still possible, in Dutch.
    measure_ids : tuple of str
        Measures of :data:`kansenkaart.engine.measures.CATALOGUE` that fit.
    """

    meaning: str
    options: str
    measure_ids: tuple[str, ...]


_SAVE = ("led", "isolatie")
ADVICE: dict[tuple[str, int], Advice] = {
    ("invoeding", 0): Advice(
        "Er is ruimte op het net om stroom terug te leveren.",
        "Zonnepanelen op het eigen dak kunnen volledig worden benut; grote daken "
        "(vanaf 15 kWp op een grootverbruikaansluiting) komen in aanmerking voor "
        "SDE++. Samen inkopen of een energiecoöperatie maakt het goedkoper.",
        ("zon_eigen_dak", "collectieve_inkoop_zon", "energiecooperatie"),
    ),
    ("invoeding", 1): Advice(
        "Er is nog beperkt ruimte om terug te leveren; schaarste dreigt en één "
        "grote aanvraag kan de rest opeisen.",
        "Vraag teruglevering voor grotere installaties tijdig aan en stem de "
        "installatie af op het eigen verbruik. Een collectieve batterij of een "
        "energy hub houdt zonnestroom op het terrein.",
        (
            "zon_eigen_dak",
            "collectieve_inkoop_zon",
            "collectieve_batterij",
            "energy_hub",
        ),
    ),
    ("invoeding", 2): Advice(
        "Er is geen ruimte om (meer) terug te leveren; nieuwe aanvragen komen in "
        "de wachtrij terwijl de netbeheerder onderzoekt of congestiemanagement "
        "ruimte geeft.",
        "Zon vooral voor eigen verbruik (met begrensde of zonder teruglevering), "
        "met opslag in een batterij, een gedeelde aansluiting met andere opwek "
        "(cable pooling) of een energy hub waarin bedrijven stroom uitwisselen.",
        ("zon_eigen_dak", "collectieve_batterij", "energy_hub"),
    ),
    ("invoeding", 3): Advice(
        "Er is een tekort: geen ruimte om (meer) terug te leveren, ook niet met "
        "congestiemanagement.",
        "Zon alleen voor eigen verbruik, met een batterij, cable pooling (opwek "
        "delen op één aansluiting) of een energy hub waarin bedrijven stroom "
        "onderling uitwisselen.",
        ("zon_eigen_dak", "collectieve_batterij", "energy_hub"),
    ),
    ("afname", 0): Advice(
        "Er is ruimte op het net om meer stroom af te nemen.",
        "Een warmtepomp, laadpalen of het elektrificeren van processen kan op het "
        "net; vraag een zwaardere aansluiting op tijd aan.",
        ("warmtepomp",),
    ),
    ("afname", 1): Advice(
        "Er is nog beperkt ruimte om meer af te nemen; schaarste dreigt.",
        "Vraag een zwaardere aansluiting voor warmtepomp of laadpalen tijdig aan. "
        "Eerst besparen (LED, isolatie) en slim laden verkleinen wat u nodig hebt.",
        ("warmtepomp", *_SAVE, "energy_hub"),
    ),
    ("afname", 2): Advice(
        "Er is geen ruimte om (meer) af te nemen; een nieuwe of zwaardere "
        "aansluiting komt in de wachtrij terwijl de netbeheerder congestiemanagement "
        "onderzoekt.",
        "Elektrificeren (warmtepomp, laadpalen) binnen de huidige aansluiting: eerst "
        "besparen, slim laden, pieken afvlakken met een batterij of samen de "
        "netcapaciteit delen in een energy hub (groepscontract).",
        (*_SAVE, "warmtepomp", "collectieve_batterij", "energy_hub"),
    ),
    ("afname", 3): Advice(
        "Er is een tekort: geen ruimte voor een nieuwe of zwaardere aansluiting.",
        "Alleen binnen het huidige vermogen elektrificeren: besparen, pieken "
        "afvlakken met een batterij en samen in een energy hub de netcapaciteit "
        "delen.",
        (*_SAVE, "collectieve_batterij", "energy_hub"),
    ),
}
"""Advice per (direction, status). Sources: the colour code of the
netbeheerders (module docstring) and the measure catalogue (energy hub:
Leidraad pilot Noordenveld; collectieve batterij)."""

SMALL_CONNECTIONS_NOTE = (
    "De Capaciteitskaart geldt voor grootverbruikaansluitingen (zwaarder dan "
    "3×80 A). Kleinverbruikers kunnen in principe overal stroom afnemen en "
    "terugleveren."
)


def capacity_advice(a: pd.DataFrame) -> pd.DataFrame:
    """What the capacity statuses on the terrain mean, per direction and status.

    One row per direction and status that occurs among the buildings, worst
    status first.

    Parameters
    ----------
    a : DataFrame
        Analysed buildings; not modified.

    Returns
    -------
    DataFrame
        ``direction``, ``status`` (Int64), ``status_text``, ``n_buildings``,
        ``n_large`` (of which grootverbruik), ``meaning``, ``options`` and
        ``measure_ids`` (tuple).
    """
    large = legend.column(a, "grid_connection", "string").astype("string")
    is_large = large.eq("grootverbruik").to_numpy(bool, na_value=False)
    rows = []
    for direction in DIRECTIONS:
        status = building_status(a, direction)
        for value in sorted(status.dropna().unique(), reverse=True):
            here = status.eq(value).to_numpy(bool, na_value=False)
            advice = ADVICE[(direction, int(value))]
            rows.append(
                {
                    "direction": direction,
                    "status": int(value),
                    "status_text": status_text(value),
                    "n_buildings": int(here.sum()),
                    "n_large": int((here & is_large).sum()),
                    "meaning": advice.meaning,
                    "options": advice.options,
                    "measure_ids": advice.measure_ids,
                }
            )
    out = pd.DataFrame(
        rows,
        columns=[
            "direction",
            "status",
            "status_text",
            "n_buildings",
            "n_large",
            "meaning",
            "options",
            "measure_ids",
        ],
    )
    return out.astype({"status": "Int64", "n_buildings": "Int64", "n_large": "Int64"})


def measure_counts(analysis: Analysis, measure_ids: Sequence[str]) -> pd.DataFrame:
    """The named measures and on how many buildings the engine found them.

    Parameters
    ----------
    analysis : Analysis
        Its buildings (column ``measures``; not modified) and the assumptions
        whose numbers the rules quote.
    measure_ids : sequence of str
        Ids of :data:`kansenkaart.engine.measures.CATALOGUE`.

    Returns
    -------
    DataFrame
        Dutch columns ``maatregel``, ``schaal``, ``panden met deze kans`` and
        ``wanneer relevant`` (the rule, with the numbers the analysis used).
    """
    a, used = analysis.buildings, analysis.assumptions
    chosen = [measures.BY_ID[m] for m in measure_ids]
    return pd.DataFrame(
        {
            "maatregel": [m.name for m in chosen],
            "schaal": [measures.SCOPE_LABELS[m.scope] for m in chosen],
            "panden met deze kans": [
                int(legend.has_measure(a, m.id).sum()) for m in chosen
            ],
            "wanneer relevant": [m.text("rule", used) for m in chosen],
        }
    ).astype({"panden met deze kans": "Int64"})


# --- the Capaciteitskaart data product ------------------------------------------------

AREA_TYPES = {
    "congestion_area": "congestiegebied (TenneT)",
    "energy_area": "voedingsgebied",
}
"""Dutch names of the ``EnergyAreaKind`` values (im-capaciteitskaart v1.3.0)."""
WORK_STATUS = {
    "scheduled": "gepland",
    "approved": "goedgekeurd",
    "inProgress": "in uitvoering",
    "completed": "afgerond",
    "cancelled": "geannuleerd",
}
"""Dutch names of the work statuses (``WorkStatusKind``; ``approved`` in
TenneT's 2.1 delivery)."""
NOT_IN_FILE = f"{texts.UNKNOWN} (niet in het bestand)"
_FIGURE_LABELS = {
    "available_capacity": "beschikbaar (MW)",
    "quoted_capacity": "gevraagd (MW)",
    "capacity_in_queue": "in wachtrij (MW)",
    "requests_in_queue": "aanvragen in wachtrij",
}
_DIRECTION_WORDS = {"demand": "afname", "generation": "invoeding"}


def _relief(year) -> str:
    """The year a shortage is expected to be resolved, or why it is missing."""
    return NOT_IN_FILE if texts.missing(year) else str(int(year))


def area_overview(context: GridContext) -> pd.DataFrame:
    """The chosen energy areas: traffic light now and the year of relief.

    Returns
    -------
    DataFrame
        Dutch columns ``energiegebied``, ``soort``, ``afname nu``,
        ``invoeding nu`` (:func:`kansenkaart.core.texts.grid_status` with the
        year it is of), ``afname: tekort opgelost in``, ``invoeding: tekort
        opgelost in`` and ``gevonden via``.
    """
    product = context.product
    now = grid_context.current_status(product)
    areas = product.areas.set_index("short_code")
    rows = []
    for code, reason in zip(
        context.areas["short_code"], context.areas["reason"], strict=True
    ):
        area, status = areas.loc[code], now.loc[code]
        row = {
            "energiegebied": code,
            "soort": AREA_TYPES.get(area["type"], texts.text(area["type"])),
        }
        for d, word in _DIRECTION_WORDS.items():
            light = texts.grid_status(status[f"{d}_status"], NOT_IN_FILE)
            if not texts.missing(status[f"{d}_year"]):
                light += f" ({status[f'{d}_year']})"
            row[f"{word} nu"] = light
        for d, word in _DIRECTION_WORDS.items():
            row[f"{word}: tekort opgelost in"] = _relief(area[f"{d}_alleviation_year"])
        row["gevonden via"] = reason
        rows.append(row)
    return pd.DataFrame(rows, dtype="string")


def capacity_by_year(product: CapacityProduct, short_code: str) -> pd.DataFrame:
    """Capacity per year of one energy area, as published (MW).

    Columns without any value in the file are left out.

    Returns
    -------
    DataFrame
        ``jaar`` and per direction *beschikbaar*, *gevraagd*, *in wachtrij*
        (MW, Float64) and *aanvragen in wachtrij*; empty when the file has no
        capacity for the area.
    """
    rows = product.capacity[product.capacity["short_code"] == short_code]
    table = pd.DataFrame({"jaar": rows["year"].astype("Int64")})
    for d, word in _DIRECTION_WORDS.items():
        for figure, label in _FIGURE_LABELS.items():
            table[f"{word} {label}"] = rows[f"{d}_{figure}"]
    table = table.dropna(axis="columns", how="all")
    return table.sort_values("jaar").reset_index(drop=True)


def capacity_caveats(product: CapacityProduct, short_code: str) -> list[str]:
    """The publisher's notes on the capacity rows of an area (each once)."""
    rows = product.capacity[product.capacity["short_code"] == short_code]
    return [str(t) for t in rows["description"].dropna().unique()]


def work_planning(work: pd.Series) -> str:
    """When a work is ready: ``2031–2033``, ``Q3 2026``, ``2027`` or a date."""
    start, end = work["start"], work["end"]
    if not texts.missing(start) and not texts.missing(end):
        return f"{str(start)[:4]}–{str(end)[:4]}"
    if not texts.missing(end):
        return f"gereed {pmiek_projects.date_text(end)}"
    if not texts.missing(work["year"]):
        quarter = work["quarter"]
        prefix = "" if texts.missing(quarter) else f"Q{int(quarter)} "
        return f"{prefix}{int(work['year'])}"
    return texts.UNKNOWN


def works_table(context: GridContext, projects: pd.DataFrame) -> pd.DataFrame:
    """The planned works of the chosen areas, linked to the pMIEK projects.

    Parameters
    ----------
    context : GridContext
    projects : DataFrame
        Schema PROJECTS; not modified. Linked by
        :func:`kansenkaart.views.pmiek_projects.linked_projects`.

    Returns
    -------
    DataFrame
        Dutch columns ``energiegebied``, ``werk``, ``status``, ``planning``,
        ``bron``, ``pMIEK-project`` (NA when no pMIEK project is the same).
    """
    works = context.product.works
    works = works[works["short_code"].isin(context.areas["short_code"])]
    return pd.DataFrame(
        {
            "energiegebied": works["short_code"],
            "werk": works["project_name"],
            "status": works["status_kind"].map(
                lambda s: WORK_STATUS.get(s, texts.text(s))
            ),
            "planning": [work_planning(w) for _, w in works.iterrows()],
            "bron": works["source"].fillna(works["description"]),
            "pMIEK-project": pmiek_projects.linked_projects(
                works["project_name"], projects
            ),
        },
        dtype="string",
    ).reset_index(drop=True)


def product_report(context: GridContext, projects: pd.DataFrame) -> str:
    """The data product and the areas covering a terrain as Dutch text (CLI).

    Parameters
    ----------
    context : GridContext
    projects : DataFrame
        Schema PROJECTS, for the links of the works; not modified.
    """
    product = context.product
    lines = [
        f"Capaciteitskaart – {product.name} ({product.publisher}, versie "
        f"{product.version}, bijgewerkt {pmiek_projects.date_text(product.updated)}): "
        f"{len(product.areas)} energiegebieden, {len(product.works)} geplande "
        "werkzaamheden.",
        context.note,
    ]
    works = works_table(context, projects)
    for row in area_overview(context).itertuples(index=False):
        area, kind, demand, generation, demand_year, generation_year, reason = row
        lines.append(
            f"- {area} ({kind}; {reason}): afname nu {demand}, invoeding nu "
            f"{generation}; tekort opgelost in: afname {demand_year}, invoeding "
            f"{generation_year}."
        )
        for _, work in works[works["energiegebied"] == area].iterrows():
            link = work["pMIEK-project"]
            link = "" if pd.isna(link) else f" = pMIEK: {link}"
            lines.append(
                f"    werk: {work['werk']} ({work['status']}, {work['planning']}){link}"
            )
    lines.extend(f"Let op: {w}" for w in product.warnings)
    return "\n".join(lines)
