"""The five steps of the Leidraad Drenthe and where the app supports each."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    """One Leidraad step: number, Dutch title and what happens.

    Which pages support a step is the app's business (``appui.shell.PAGES``).
    """

    number: int
    title: str
    summary: str


STEPS = (
    Step(
        1,
        "Globale verkenning",
        "Begrenzing van het terrein kiezen, organiserend vermogen en "
        "stakeholders in beeld (gemeente, provincie, ondernemersvereniging, "
        "parkmanagement).",
    ),
    Step(
        2,
        "Beginsituatie in kaart",
        "Terrein, gebouwen, energielabels, verbruik, netcapaciteit en een "
        "enquête onder de bedrijven.",
    ),
    Step(
        3,
        "Samen kansen identificeren",
        "Individuele en collectieve kansen op een kansenkaart, met de ambitie "
        "energieneutraal in 2035; een kopgroep van koplopers.",
    ),
    Step(
        4,
        "Projecten uitwerken en samenwerken",
        "Werkgroepen per maatregel en een uitvoeringsplan.",
    ),
    Step(
        5,
        "Uitvoering en monitoring",
        "Maatregelen uitvoeren en de voortgang volgen.",
    ),
)
