"""Reference data of the Uitvoeringsagenda pMIEK (provincie Drenthe, 2025).

The energy clusters A–D of Drenthe and their municipalities, and the fields
of the projectfiche (Bijlage) that an imported project list may hold. The
loader (:mod:`kansenkaart.io`), the engine (:mod:`kansenkaart.engine.grid`)
and the views (:mod:`kansenkaart.views.pmiek_projects`) share them.
"""

from __future__ import annotations

import dataclasses

from kansenkaart.core import schema as sch

SOURCE_DOCUMENT = "Uitvoeringsagenda pMIEK"
SOURCE_PUBLISHER = "Provincie Drenthe"
SOURCE_DATE = "6 mei 2025"
"""Date on the cover of the Uitvoeringsagenda (seed ``004_d152812a7379867c.txt``,
line 11)."""
SOURCE_URL = (
    "https://www.provincie.drenthe.nl/onderwerpen/natuur-milieu/energietransitie/"
    "drents-actieprogramma-netcongestie/pmiek/"
)
"""The province's pMIEK page, as the Uitvoeringsagenda itself links it (seed
line 132)."""


def source_citation(section: str) -> str:
    """The source of a project of the Uitvoeringsagenda, as shown under "Bron".

    Document, publisher, date, the section (e.g. ``"§2.2 Projectenoverzicht"``)
    and the link; ``data/pmiek_projects.csv`` carries it in ``source_note``.
    """
    return (
        f"{SOURCE_DOCUMENT} ({SOURCE_PUBLISHER}, {SOURCE_DATE}), {section}. "
        f"{SOURCE_URL}"
    )


CLUSTER_MUNICIPALITIES = {
    "A": ("Tynaarlo", "Assen", "Noordenveld", "Midden-Drenthe"),
    "B": ("Borger-Odoorn", "Aa en Hunze"),
    "C": ("Emmen", "Coevorden"),
    "D": ("Meppel", "Hoogeveen", "De Wolden", "Westerveld"),
}
"""pMIEK energy clusters of Drenthe and their municipalities."""

_MUNICIPALITY_CLUSTER = {
    m.lower(): cluster for cluster, ms in CLUSTER_MUNICIPALITIES.items() for m in ms
}


def cluster_of(municipality: str | None) -> str | None:
    """Energy cluster (A–D) of a Drenthe municipality; None when not in Drenthe."""
    if not municipality:
        return None
    return _MUNICIPALITY_CLUSTER.get(str(municipality).strip().lower())


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
