"""The five steps of the Leidraad Drenthe and where the app supports each."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    """One Leidraad step: number, Dutch title, what happens, and app pages."""

    number: int
    title: str
    summary: str
    pages: tuple[str, ...]


STEPS = (
    Step(
        1,
        "Globale verkenning",
        "Begrenzing van het terrein kiezen, organiserend vermogen en "
        "stakeholders in beeld (gemeente, provincie, ondernemersvereniging, "
        "parkmanagement).",
        ("home.py", "beginsituatie.py"),
    ),
    Step(
        2,
        "Beginsituatie in kaart",
        "Terrein, gebouwen, energielabels, verbruik, netcapaciteit en een "
        "enquête onder de bedrijven.",
        (
            "beginsituatie.py",
            "huidige_situatie.py",
            "netcapaciteit.py",
            "data_laden.py",
        ),
    ),
    Step(
        3,
        "Samen kansen identificeren",
        "Individuele en collectieve kansen op een kansenkaart, met de ambitie "
        "energieneutraal in 2035; een kopgroep van koplopers.",
        ("kansenkaart.py", "mijn_pand.py", "energiebalans.py", "kansenlijsten.py"),
    ),
    Step(
        4,
        "Projecten uitwerken en samenwerken",
        "Werkgroepen per maatregel en een uitvoeringsplan.",
        ("werksessie.py", "werkgroepen.py"),
    ),
    Step(
        5,
        "Uitvoering en monitoring",
        "Maatregelen uitvoeren en de voortgang volgen.",
        ("werkgroepen.py",),
    ),
)
