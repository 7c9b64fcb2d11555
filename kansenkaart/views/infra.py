"""Grid capacity and pMIEK infrastructure projects for the Netcapaciteit page.

Builds on :mod:`kansenkaart.engine.grid` (statuses, clusters, traffic light) and adds
what a user needs to read them:

- the Capaciteitskaart status of afname and invoeding in Dutch and in its
  familiar colour (:data:`kansenkaart.views.colors.GRID_STATUS`), the capacity areas
  as a map layer and the buildings coloured by their area's status;
- what a status means for the terrain's opportunities, linked to the measures
  of :data:`kansenkaart.engine.measures.CATALOGUE`;
- the pMIEK projects filtered per energy cluster and municipality, with the
  traffic light and why it is what it is, and the projectfiche of one project
  in the format of the Uitvoeringsagenda;
- imports of a capacity-map export (GeoJSON) and a project list (CSV/XLSX),
  validated with the readers of :mod:`kansenkaart.io.readers`.

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
- Provincie Drenthe, *Uitvoeringsagenda pMIEK* (2025), seed
  ``004_d152812a7379867c.txt``: project phases (§2.1, Figuur 2, lines
  ~170-230), the traffic light (§4.2, Figuur 8, lines 760-777) and the
  projectfiche formats (Bijlage, lines 846-975).

This module never imports streamlit.
"""

from __future__ import annotations

import dataclasses
import io
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from kansenkaart.core import fmt
from kansenkaart.core import schema as sch
from kansenkaart.core.errors import DataError
from kansenkaart.core.geo import to_wgs84
from kansenkaart.core.model import Analysis
from kansenkaart.engine import grid, measures
from kansenkaart.io import readers as kkio
from kansenkaart.views import colors, legend
from kansenkaart.views.legend import LayerSpec
from kansenkaart.views.maps import escape

# --- capacity statuses ------------------------------------------------------

DIRECTIONS = {
    "afname": "Afname (stroom gebruiken)",
    "invoeding": "Invoeding (stroom terugleveren)",
}
"""The two layers of the Capaciteitskaart, with Dutch labels."""

COLOUR_NAMES = {0: "groen", 1: "geel", 2: "oranje", 3: "rood"}
"""Dutch colour name per status, so the map can be read without colour."""

NO_AREA = "onbekend (buiten de capaciteitsgebieden)"


def _status_int(status) -> int | None:
    """The status as int 0–3, or None when missing or outside 0–3."""
    if status is None or (pd.api.types.is_scalar(status) and pd.isna(status)):
        return None
    value = int(status)
    return value if value in grid.STATUS_LABELS else None


def status_text(status) -> str:
    """Dutch text of a Capaciteitskaart status: ``"3 · tekort (rood)"``.

    Parameters
    ----------
    status : int, float, pd.NA or None
        0–3 (DESIGN.md §4.4).

    Returns
    -------
    str
        Number, meaning (:data:`kansenkaart.engine.grid.STATUS_LABELS`) and colour
        name; :data:`NO_AREA` when missing.
    """
    value = _status_int(status)
    if value is None:
        return NO_AREA
    return f"{value} · {grid.STATUS_LABELS[value]} ({COLOUR_NAMES[value]})"


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
    codes = status.fillna(len(grid.STATUS_LABELS)).to_numpy(int)
    return LayerSpec(
        f"Netcapaciteit {direction}",
        (*(status_text(s) for s in grid.STATUS_LABELS), NO_AREA),
        (*(status_colour(s) for s in grid.STATUS_LABELS), colors.UNKNOWN),
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
    n_areas = [int((area_status == s).sum()) for s in grid.STATUS_LABELS]
    table = pd.DataFrame(
        {
            "kleur": spec.colours,
            "klasse": spec.labels,
            "aantal": buildings,
            "gebieden": [*n_areas, int(area_status.isna().sum())],
        }
    )
    unknown = table.index == len(grid.STATUS_LABELS)
    return table[~unknown | (table["aantal"] > 0)].reset_index(drop=True)


def area_tooltips(areas: pd.DataFrame) -> list[str]:
    """Escaped tooltip HTML per capacity area: name, both statuses, station."""
    tips = []
    for name, afname, invoeding, station, operator in zip(
        areas["name"].astype("string").fillna(areas["area_id"].astype("string")),
        areas["afname_status"].astype("Int64"),
        areas["invoeding_status"].astype("Int64"),
        areas["station"].astype("string").fillna("onbekend"),
        areas["netbeheerder"].astype("string").fillna("onbekend"),
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


# --- pMIEK projects -----------------------------------------------------------

PHASES = {
    "verkenning": (
        "Verkenningsfase",
        "nog geen oplossingsrichting, nog geen keuze voor modaliteit of "
        "energiedrager, mogelijk nog geen locatie",
    ),
    "planuitwerking": (
        "Planuitwerkfase",
        "er is een voorkeursalternatief en een locatie, nog geen projectbesluit",
    ),
    "project": (
        "Projectfase",
        "er is een voorkeursalternatief, nog geen technische uitwerking",
    ),
    "realisatie": (
        "Realisatiefase",
        "partijen hebben een final investment decision genomen",
    ),
}
"""Dutch name and characteristics (*kenmerken*) of the four pMIEK phases
(Uitvoeringsagenda pMIEK §2.1, Figuur 2; seed lines ~176-230)."""

TRAFFIC_LIGHT_COLOURS = {
    grid.OP_PLANNING: colors.GRID_STATUS[0],
    grid.RISICO: colors.GRID_STATUS[2],
    grid.VERTRAAGD: colors.GRID_STATUS[3],
    grid.ONBEKEND: colors.UNKNOWN,
}
"""Green, orange, red as in the seed's *legenda stoplicht* (Figuur 8); the
same hues as the Capaciteitskaart so the page has one palette. Grey when the
dates do not decide it."""

TRAFFIC_LIGHT_HELP = (
    "Stoplicht volgens de Uitvoeringsagenda pMIEK (figuur 8): op planning als de "
    "geplande inbedrijfname (IBN) op of vóór de ondergrens ligt, risico op "
    "vertraging tussen onder- en bovengrens, vertraagd na de bovengrens. "
    "Onbekend als de data het niet bepalen (geen geplande IBN, of een grens "
    "ontbreekt). Een los jaartal geldt als 1 januari; een bovengrens als "
    "jaartal als 31 december."
)
PROVINCEWIDE = "provinciebreed"


def _split(value) -> list[str]:
    """The items of a ``;``-separated text (municipalities, parties)."""
    if value is None or pd.isna(value):
        return []
    return [item.strip() for item in str(value).split(";") if item.strip()]


def _municipalities(projects: pd.DataFrame) -> list[list[str]]:
    """The ``;``-separated municipalities of each project."""
    return [_split(text) for text in projects["municipality"]]


def _clusters(cluster, municipalities: Sequence[str]) -> tuple[str, ...]:
    """Own cluster plus the clusters of the named municipalities, sorted."""
    own = "" if cluster is None or pd.isna(cluster) else str(cluster)
    found = {grid.cluster_of(m) for m in municipalities} | {own}
    return tuple(sorted(c for c in found if c))


def project_clusters(projects: pd.DataFrame) -> pd.Series:
    """Energy clusters each project belongs to (sorted tuple; empty: provincewide).

    A project belongs to its own ``cluster`` and to the cluster of every
    municipality it names (:func:`kansenkaart.engine.grid.cluster_of`), so a project
    spanning clusters (restwarmte Attero: Assen, Midden-Drenthe, Hoogeveen) is
    in A and D, as :func:`kansenkaart.engine.grid.cluster_projects` treats it.
    """
    found = [
        _clusters(cluster, names)
        for cluster, names in zip(
            projects["cluster"], _municipalities(projects), strict=True
        )
    ]
    return pd.Series(found, index=projects.index, dtype=object)


def filter_projects(
    projects: pd.DataFrame,
    clusters: Sequence[str] = (),
    municipalities: Sequence[str] = (),
    *,
    provincewide: bool = True,
) -> pd.DataFrame:
    """Projects of the chosen clusters and municipalities, with their traffic light.

    Parameters
    ----------
    projects : DataFrame
        Schema PROJECTS; not modified.
    clusters : sequence of str
        ``A``–``D``; empty keeps every cluster.
    municipalities : sequence of str
        Keep projects naming one of these municipalities; empty keeps all.
    provincewide : bool
        Also keep projects without cluster or municipality (province-wide
        verkenningen such as groen gas or a regional heat company).

    Returns
    -------
    DataFrame
        The kept rows plus ``clusters`` (tuple), ``traffic_light`` and
        ``traffic_light_reason`` (Dutch).
    """
    in_clusters = project_clusters(projects)
    names = _municipalities(projects)
    wide = np.array([not c and not m for c, m in zip(in_clusters, names, strict=True)])
    wanted_c, wanted_m = set(clusters), {m.lower() for m in municipalities}
    keep = np.array(
        [
            (not wanted_c or bool(wanted_c.intersection(c)))
            and (not wanted_m or bool(wanted_m.intersection(n.lower() for n in ns)))
            for c, ns in zip(in_clusters, names, strict=True)
        ],
        dtype=bool,
    )
    keep = np.where(wide, provincewide, keep)
    out = projects.loc[keep].copy()
    out["clusters"] = in_clusters[keep]
    out["traffic_light"] = grid.traffic_lights(
        out["ibn_planned"], out["ibn_lower"], out["ibn_upper"]
    )
    out["traffic_light_reason"] = traffic_light_reasons(
        out["ibn_planned"], out["ibn_lower"], out["ibn_upper"]
    )
    return out


def date_text(value) -> str:
    """A date as ``dd-mm-jjjj``; ``onbekend`` when missing."""
    stamp = pd.to_datetime(value, errors="coerce")
    return fmt.UNKNOWN if pd.isna(stamp) else stamp.strftime("%d-%m-%Y")


def traffic_light_reasons(
    ibn_planned: pd.Series, ibn_lower: pd.Series, ibn_upper: pd.Series
) -> pd.Series:
    """Why each project has its traffic light, in Dutch.

    The light itself comes from :func:`kansenkaart.engine.grid.traffic_lights`; this
    adds the dates that decided it or which date is missing.

    Returns
    -------
    Series (string)
    """
    lights = grid.traffic_lights(ibn_planned, ibn_lower, ibn_upper)
    reasons = []
    for light, planned, lower, upper in zip(
        lights, ibn_planned, ibn_lower, ibn_upper, strict=True
    ):
        p, lo, up = date_text(planned), date_text(lower), date_text(upper)
        if light == grid.OP_PLANNING:
            text = f"Geplande IBN {p} ligt op of vóór de ondergrens {lo}."
        elif light == grid.RISICO:
            text = f"Geplande IBN {p} ligt tussen ondergrens {lo} en bovengrens {up}."
        elif light == grid.VERTRAAGD:
            text = f"Geplande IBN {p} ligt na de bovengrens {up}."
        elif p == fmt.UNKNOWN:
            text = "Er is geen geplande IBN-datum"
            text += " en geen onder- of bovengrens." if lo == up == fmt.UNKNOWN else "."
        elif lo != fmt.UNKNOWN:
            text = f"Geplande IBN {p} ligt na ondergrens {lo}; de bovengrens ontbreekt."
        elif up != fmt.UNKNOWN:
            text = (
                f"Geplande IBN {p} ligt vóór bovengrens {up}; de ondergrens ontbreekt."
            )
        else:
            text = f"Geplande IBN {p}, maar onder- en bovengrens ontbreken."
        reasons.append(text)
    return pd.Series(reasons, index=lights.index, dtype="string")


def phase_label(phase) -> str:
    """Dutch name of a phase (``Verkenningsfase``); ``onbekend`` when missing."""
    if phase is None or pd.isna(phase) or phase not in PHASES:
        return fmt.UNKNOWN
    return PHASES[phase][0]


def _parties(value) -> str:
    """``;``-separated parties as a Dutch list; ``onbekend`` when empty."""
    return ", ".join(_split(value)) or fmt.UNKNOWN


def project_table(projects: pd.DataFrame) -> pd.DataFrame:
    """The filtered projects as a Dutch table for the page.

    Parameters
    ----------
    projects : DataFrame
        Output of :func:`filter_projects`; not modified.

    Returns
    -------
    DataFrame
        Dutch headers, traffic light and planning first; dates stay datetimes
        (:data:`DATE_COLUMNS`, the page formats them); text is plain
        (Streamlit tables do not render HTML); missing values stay missing.
    """
    return pd.DataFrame(
        {
            "stoplicht": projects["traffic_light"].astype("string"),
            "project": projects["name"].astype("string"),
            "fase": projects["phase"].map(phase_label),
            "geplande IBN": projects["ibn_planned"],
            "IBN ondergrens": projects["ibn_lower"],
            "IBN bovengrens": projects["ibn_upper"],
            "toelichting stoplicht": projects["traffic_light_reason"],
            "cluster": projects["clusters"].map(", ".join).replace("", PROVINCEWIDE),
            "gemeente": projects["municipality"]
            .map(lambda m: ", ".join(_split(m)) or pd.NA)
            .astype("string"),
            "locatie": projects["location"].astype("string"),
            "soort infrastructuur": projects["infra_type"].astype("string"),
            "bevoegd gezag": projects["competent_authority"].astype("string"),
            "betrokken partijen": projects["parties"].map(_parties),
            "omschrijving": projects["description"].astype("string"),
        }
    ).reset_index(drop=True)


DATE_COLUMNS = ("IBN ondergrens", "IBN bovengrens", "geplande IBN")
"""Date columns of :func:`project_table`."""


def _text_colour(background: str) -> str:
    """Black or white, whichever reads best on ``background`` (WCAG luminance)."""
    red, green, blue = (int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        for c in (red, green, blue)
    ]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if luminance > 0.179 else "#ffffff"


def traffic_light_css(light) -> str:
    """CSS of a table cell showing a traffic light in its colour."""
    background = TRAFFIC_LIGHT_COLOURS.get(light, colors.UNKNOWN)
    return f"background-color: {background}; color: {_text_colour(background)}"


def styled_projects(table: pd.DataFrame):
    """:func:`project_table` for display: the traffic light in its colour.

    Returns a pandas ``Styler``; black or white text, whichever reads best.
    """
    return table.style.map(traffic_light_css, subset=["stoplicht"])


def project_labels(projects: pd.DataFrame) -> list[str]:
    """Labels for a project picker: number (as on the timeline), name, light.

    Parameters
    ----------
    projects : DataFrame
        Output of :func:`filter_projects`; the numbers follow its row order.
    """
    return [
        f"{pos}. {name} — {light}"
        for pos, (name, light) in enumerate(
            zip(projects["name"], projects["traffic_light"], strict=True), start=1
        )
    ]


# --- projectfiche ---------------------------------------------------------------

FICHE = sch.Schema(
    "projectfiche",
    "projectfiche",
    (
        sch.Column(
            "selection_reason",
            "text",
            "rede opname/afweging",
            aliases=("rede opname/afweging", "rede opname", "afweging"),
        ),
        sch.Column(
            "infra_description",
            "text",
            "type infrastructuur (omschrijving)",
            aliases=("type infrastructuur", "omschrijving infrastructuur"),
        ),
        sch.Column(
            "in_pmiek_2",
            "text",
            "wel of niet pMIEK 2.0",
            aliases=("wel of niet pMIEK 2.0", "pMIEK 2.0"),
        ),
        sch.Column(
            "investment_plans",
            "text",
            "investeringsplannen",
            aliases=("investeringsplannen", "IP wel of niet", "investeringsplan"),
        ),
        sch.Column(
            "dependencies_infra",
            "text",
            "afhankelijkheden van ander infrastructuurproject",
            aliases=("afhankelijkheden van ander infrastructuurproject",),
        ),
        sch.Column(
            "dependencies_sector",
            "text",
            "afhankelijkheden van sectorale gebiedsontwikkelingen",
            aliases=("afhankelijkheden van sectorale gebiedsontwikkelingen",),
        ),
        sch.Column(
            "dependencies_external",
            "text",
            "afhankelijkheden buiten provincie",
            aliases=("afhankelijkheden buiten provincie",),
        ),
        sch.Column(
            "agreements",
            "text",
            "uitvoeringsafspraken",
            aliases=("uitvoeringsafspraken",),
        ),
        sch.Column(
            "executing_party",
            "text",
            "uitvoerende partij",
            aliases=("uitvoerende partij", "uitvoerende organisatie"),
        ),
        sch.Column(
            "research_question",
            "text",
            "onderzoeksvraag",
            aliases=("onderzoeksvraag",),
        ),
    ),
)
"""Fields of the projectfiche (Uitvoeringsagenda pMIEK, Bijlage) that schema
PROJECTS does not hold; imported as optional text columns."""

_FICHE_NAMES = {
    "phase": ("projectfase",),
    "infra_type": ("drager", "energiedrager"),
}
"""Fiche headings accepted for columns of schema PROJECTS."""

PROJECT_IMPORT = dataclasses.replace(
    sch.PROJECTS,
    columns=tuple(
        dataclasses.replace(
            c, aliases=(*c.aliases, c.label, *_FICHE_NAMES.get(c.name, ()))
        )
        for c in (*sch.PROJECTS.columns, *FICHE.columns)
    ),
)
"""Schema PROJECTS plus the projectfiche fields, for imported project lists."""


def _field(project: pd.Series, name: str) -> str:
    value = project.get(name)
    if value is None or pd.isna(value) or not str(value).strip():
        return "niet ingevuld"
    return str(value)


def planning_text(project: pd.Series) -> str:
    """Planning of a project in Dutch: IBN range, planned IBN and traffic light."""
    lower, upper = project.get("ibn_lower"), project.get("ibn_upper")
    parts = [
        f"IBN tussen {date_text(lower)} en {date_text(upper)}"
        if pd.notna(lower) or pd.notna(upper)
        else "geen IBN-bandbreedte bekend",
        f"geplande IBN: {date_text(project.get('ibn_planned'))}",
    ]
    light = grid.traffic_light(project.get("ibn_planned"), lower, upper)
    return "; ".join(parts) + f". Stoplicht: {light}."


def is_exploration(project: pd.Series) -> bool:
    """The project is in the verkenningsfase: it gets the verkenning fiche."""
    phase = project.get("phase")
    return phase is not None and pd.notna(phase) and phase == "verkenning"


def project_sheet(project: pd.Series) -> pd.DataFrame:
    """The projectfiche of one project in the seed's format.

    Projects in the verkenningsfase get the format *Projectfiches – projecten
    in verkenningsfase*, the others *Projectfiches – concrete projecten*
    (Uitvoeringsagenda pMIEK, Bijlage, seed lines 850-975). Fields the data
    do not hold say ``niet ingevuld``. The energy cluster, traffic light and
    source (when known) follow the fiche's fields.

    Parameters
    ----------
    project : Series
        One row of a projects table (schema PROJECTS, optionally the
        :data:`FICHE` columns); not modified.

    Returns
    -------
    DataFrame
        ``veld`` and ``waarde`` (plain text).
    """
    location = _field(project, "location")
    municipality = project.get("municipality")
    if _split(municipality):
        location += f" (gemeente {', '.join(_split(municipality))})"
    infra = _field(project, "infra_type")
    if pd.notna(project.get("infra_description")):
        infra = f"{infra}: {project['infra_description']}"
    phase = phase_label(project.get("phase"))
    if phase != fmt.UNKNOWN:
        phase += f" ({PHASES[project['phase']][1]})"
    parties = _parties(project.get("parties"))
    common = {
        "Projectnaam": _field(project, "name"),
        "Omschrijving": _field(project, "description"),
        "Locatie": location,
        "Type infrastructuur": infra,
        "Planning": planning_text(project),
        "Betrokken partijen": parties,
        "Uitvoeringsafspraken": _field(project, "agreements"),
    }
    if is_exploration(project):
        dependencies = [
            project.get(c)
            for c in (
                "dependencies_infra",
                "dependencies_sector",
                "dependencies_external",
            )
        ]
        known = [str(d) for d in dependencies if d is not None and pd.notna(d)]
        fields = {
            "Projectnaam": common["Projectnaam"],
            "Planning": common["Planning"],
            "Uitvoerende partij": _field(project, "executing_party"),
            "Locatie": location,
            "Type infrastructuur": infra,
            "Omschrijving": common["Omschrijving"],
            "Onderzoeksvraag": _field(project, "research_question"),
            "IP wel of niet": _field(project, "investment_plans"),
            "Afhankelijkheden (andere infra, sectorale ontwikkelingen, buiten "
            "provincie)": "; ".join(known) if known else "niet ingevuld",
            "Uitvoeringsafspraken": common["Uitvoeringsafspraken"],
            "Betrokken partijen": parties,
        }
    else:
        fields = {
            "Projectnaam": common["Projectnaam"],
            "Omschrijving": common["Omschrijving"],
            "Rede opname/afweging": _field(project, "selection_reason"),
            "Locatie": location,
            "Type infrastructuur": infra,
            "Bevoegd gezag": _field(project, "competent_authority"),
            "Wel of niet pMIEK 2.0": _field(project, "in_pmiek_2"),
            "Planning": common["Planning"],
            "Betrokken partijen": parties,
            "Investeringsplannen": _field(project, "investment_plans"),
            "Projectfase": phase,
            "Afhankelijkheden van ander infrastructuurproject": _field(
                project, "dependencies_infra"
            ),
            "Afhankelijkheden van sectorale gebiedsontwikkelingen": _field(
                project, "dependencies_sector"
            ),
            "Afhankelijkheden buiten provincie": _field(
                project, "dependencies_external"
            ),
            "Uitvoeringsafspraken": common["Uitvoeringsafspraken"],
        }
    clusters = _clusters(project.get("cluster"), _split(municipality))
    fields["Energiecluster"] = ", ".join(clusters) or PROVINCEWIDE
    if pd.notna(project.get("source_note")):
        fields["Bron"] = str(project["source_note"])
    return pd.DataFrame({"veld": list(fields), "waarde": list(fields.values())})


# --- imports --------------------------------------------------------------------

GRID_SUFFIXES = (".geojson", ".json", ".gpkg")
PROJECT_SUFFIXES = (".csv", ".xlsx")


def _upload_path(folder: Path, name: str, suffixes: tuple[str, ...]) -> Path:
    """Where to write an upload: its own file name, refused for other types."""
    file = Path(name).name or "upload"
    if Path(file).suffix.lower() not in suffixes:
        raise DataError.single(
            file,
            f"bestandstype '{Path(file).suffix or 'zonder extensie'}' wordt hier "
            "niet gelezen.",
            f"kies een bestand met extensie {', '.join(suffixes)}.",
        )
    return folder / file


def read_capacity_map(data: bytes, name: str) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Read and validate an uploaded capacity-map export (schema GRID).

    Parameters
    ----------
    data : bytes
        The file's content (GeoJSON or GeoPackage).
    name : str
        The file's name as the user knows it (for messages and the type).

    Returns
    -------
    GeoDataFrame in EPSG:28992 (WGS84 input is reprojected), list of str
    Dutch warnings.

    Raises
    ------
    DataError
        Wrong file type, unreadable file, missing columns, statuses outside
        0–3, coordinates outside the Netherlands (Dutch message).
    """
    with tempfile.TemporaryDirectory(prefix="kansenkaart-") as tmp:
        path = _upload_path(Path(tmp), name, GRID_SUFFIXES)
        path.write_bytes(data)
        return kkio.read_layer(path, sch.GRID)


def read_project_list(data: bytes, name: str) -> pd.DataFrame:
    """Read and validate an uploaded project list with the projectfiche fields.

    Parameters
    ----------
    data : bytes
        CSV (``;`` or ``,``) or XLSX.
    name : str
        The file's name as the user knows it.

    Returns
    -------
    DataFrame
        Schema :data:`PROJECT_IMPORT` (PROJECTS plus the fiche fields).

    Raises
    ------
    DataError
        Wrong file type, missing ``name`` column, unknown phase, cluster or
        infrastructure type, unreadable dates (Dutch message).
    """
    with tempfile.TemporaryDirectory(prefix="kansenkaart-") as tmp:
        path = _upload_path(Path(tmp), name, PROJECT_SUFFIXES)
        path.write_bytes(data)
        raw = kkio.read_table(path)
    return sch.validate(raw, PROJECT_IMPORT, Path(name).name)


def project_template() -> bytes:
    """A project list to fill in (CSV, ``;``, UTF-8 with BOM for Excel).

    The header has every column of :data:`PROJECT_IMPORT` by its Dutch label
    (accepted on import); one example row shows the values the schema accepts.
    """
    example = {
        "project_id": "voorbeeld-station",
        "name": "Verzwaring station (voorbeeld)",
        "municipality": "Assen",
        "infra_type": "elektriciteit",
        "cluster": "A",
        "phase": "planuitwerking",
        "ibn_lower": "2030",
        "ibn_upper": "2032",
        "ibn_planned": "2031-07-01",
    }
    columns = PROJECT_IMPORT.columns
    row = [example.get(c.name, "") for c in columns]
    buffer = io.StringIO()
    pd.DataFrame([row], columns=[c.label for c in columns]).to_csv(
        buffer, sep=";", index=False
    )
    return buffer.getvalue().encode("utf-8-sig")
