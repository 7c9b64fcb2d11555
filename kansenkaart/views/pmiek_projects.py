"""The pMIEK infrastructure projects for the Netcapaciteit page.

Builds on :mod:`kansenkaart.engine.grid` (traffic light, cluster projects)
and :mod:`kansenkaart.core.pmiek` (energy clusters, projectfiche fields): the
projects filtered per energy cluster and municipality, with the traffic light
and why it is what it is, and the projectfiche of one project in the format
of the Uitvoeringsagenda. Uploaded project lists are read by
:mod:`kansenkaart.io.infra_files`.

Sources
-------
- Provincie Drenthe, *Uitvoeringsagenda pMIEK* (2025), seed
  ``004_d152812a7379867c.txt``: project phases (§2.1, Figuur 2, lines
  ~170-230), the traffic light (§4.2, Figuur 8, lines 760-777) and the
  projectfiche formats (Bijlage, lines 846-975).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kansenkaart.core import pmiek, texts
from kansenkaart.engine import grid
from kansenkaart.engine.grid_context import name_key
from kansenkaart.views import colors

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
DATE_UNKNOWN = "datum onbekend"
"""Shown for a missing IBN date, in tables, the fiche and on the timeline (a
project without a date is never placed on a year)."""


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
    found = {pmiek.cluster_of(m) for m in municipalities} | {own}
    return tuple(sorted(c for c in found if c))


def project_clusters(projects: pd.DataFrame) -> pd.Series:
    """Energy clusters each project belongs to (sorted tuple; empty: provincewide).

    A project belongs to its own ``cluster`` and to the cluster of every
    municipality it names (:func:`kansenkaart.core.pmiek.cluster_of`), so a project
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
    """A date as ``dd-mm-jjjj``; :data:`DATE_UNKNOWN` when missing."""
    stamp = pd.to_datetime(value, errors="coerce")
    return DATE_UNKNOWN if pd.isna(stamp) else stamp.strftime("%d-%m-%Y")


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
        elif p == DATE_UNKNOWN:
            text = "Er is geen geplande IBN-datum"
            text += (
                " en geen onder- of bovengrens." if lo == up == DATE_UNKNOWN else "."
            )
        elif lo != DATE_UNKNOWN:
            text = f"Geplande IBN {p} ligt na ondergrens {lo}; de bovengrens ontbreekt."
        elif up != DATE_UNKNOWN:
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
        return texts.UNKNOWN
    return PHASES[phase][0]


def _parties(value) -> str:
    """``;``-separated parties as a Dutch list; ``onbekend`` when empty."""
    return ", ".join(_split(value)) or texts.UNKNOWN


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
        (:data:`DATE_COLUMNS`, the page formats them and shows a missing date
        as :data:`DATE_UNKNOWN`); text is plain (Streamlit tables do not
        render HTML) and missing text says ``onbekend``.
    """
    table = pd.DataFrame(
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
    text = table.columns.difference(DATE_COLUMNS)
    table[text] = table[text].fillna(texts.UNKNOWN)
    return table


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
        :data:`~kansenkaart.core.pmiek.FICHE` columns); not modified.

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
    if phase != texts.UNKNOWN:
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


# --- planned works of the Capaciteitskaart linked to pMIEK projects ----------------

WORK_LINK_RULE = (
    "Een werk van de netbeheerder en een pMIEK-project gelden als hetzelfde "
    "project als de hele naam van het werk (minstens twee woorden) in de naam of "
    "locatie van het pMIEK-project staat, of de hele projectnaam in de naam van "
    "het werk; hoofdletters, leestekens en ij/y tellen niet mee. Een plaatsnaam "
    "alleen is niet genoeg: 'Zeyerveen 220 kV plaatsen en vervangen "
    "transformatoren' (TenneT) is een ander project dan 'Nieuwbouw station Assen "
    "Zeijerveen'."
)


def _contains(long: str, short: str) -> bool:
    """``short`` occurs as whole words in ``long`` (both name keys)."""
    return len(short.split()) >= 2 and f" {short} " in f" {long} "


def linked_projects(work_names: pd.Series, projects: pd.DataFrame) -> pd.Series:
    """The pMIEK projects that are the same project as each work.

    The rule is :data:`WORK_LINK_RULE`.

    Parameters
    ----------
    work_names : Series of str
        ``project_name`` of the planned works (Capaciteitskaart data product).
    projects : DataFrame
        Schema PROJECTS (``name``, ``location``); not modified.

    Returns
    -------
    Series (string)
        The names of the linked pMIEK projects, ``; ``-separated; NA when none.
    """
    keys = [
        (name, name_key(name), name_key(location))
        for name, location in zip(projects["name"], projects["location"], strict=True)
    ]
    linked = []
    for work in work_names:
        w = name_key(work)
        names = [
            str(name)
            for name, n, loc in keys
            if _contains(n, w) or _contains(loc, w) or _contains(w, n)
        ]
        linked.append("; ".join(names) if names else pd.NA)
    return pd.Series(linked, index=work_names.index, dtype="string")
