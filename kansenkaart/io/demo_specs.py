"""Recipes of the demo terrains: the four Leidraad pilots and synthetic ones.

A :class:`TerrainSpec` says where a demo terrain lies, how many buildings each
of its areas (:class:`AreaSpec`) has along which streets, its building years,
plot sizes, grid statuses and coupling sources;
:func:`kansenkaart.io.demo.generate_terrain` turns it into fictitious tables
with a fixed seed. :data:`PILOTS` are the four pilot terrains at roughly their
real location (DESIGN.md section 4.8), each set up to tell a different pilot
story (``data/README.md``, checked by ``tests/test_demo_stories.py``):

- ``peelerpark-messchenveld``: the grid is full in both directions (afname and
  invoeding status 2–3): energy hubs and collective batteries;
- ``de-punt``: one large firm beside the RWZI, Groningen Airport Eelde just
  outside; the grid still has some room (afname 0, invoeding 1);
- ``bitseveld-westerd``: many small firms on small plots (mostly
  kleinverbruik): collective purchase of solar, green power and LED;
- ``de-wieken``: old buildings with high use, an RWZI for a heat network and
  the label C and energiebesparingsplicht obligations.

:func:`synthetic_spec` makes a terrain of any size for scale tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class AreaSpec:
    """One contiguous part of a terrain (a bedrijventerrein or part of it)."""

    name: str
    lat: float
    lon: float
    n_buildings: int
    streets: tuple[str, ...]
    postcode4: str
    town: str
    width_m: float = 700.0
    rotation_deg: float = 0.0
    afname_status: int = 1
    """Capaciteitskaart status 0–3 of the west half; the east half of every
    second area is one worse (at most 3)."""
    invoeding_status: int = 3


@dataclass(frozen=True)
class TerrainSpec:
    """Recipe of a demo terrain."""

    id: str
    name: str
    municipality: str
    cluster: str
    netbeheerder: str
    areas: tuple[AreaSpec, ...]
    year_range: tuple[int, int]
    year_mode: int
    use_factor: float = 1.0
    max_floors: int = 3
    plot_p: tuple[float, ...] | None = None
    """Size mix: chance of each plot width of ``kansenkaart.io.demo`` (28 to
    95 m); None for the default mix of a mixed terrain."""
    seed: int = 0
    notes: str = ""
    sources: tuple[dict, ...] = field(default_factory=tuple)
    anchor_firm: dict | None = None


PILOTS = (
    TerrainSpec(
        id="bitseveld-westerd",
        name="Bitseveld (Roden) en Westerd (Peize)",
        municipality="Noordenveld",
        cluster="A",
        netbeheerder="Enexis",
        areas=(
            AreaSpec(
                "Bitseveld",
                53.1335,
                6.4420,
                96,
                (
                    "Industrieweg",
                    "Ambachtsweg",
                    "Nijverheidsweg",
                    "Handelsweg",
                    "Energieweg",
                ),
                "9301",
                "Roden",
                width_m=760,
                rotation_deg=8,
                afname_status=1,
                invoeding_status=2,
            ),
            AreaSpec(
                "Westerd",
                53.1440,
                6.4990,
                56,
                ("Westerdweg", "Esweg", "Molenweg"),
                "9321",
                "Peize",
                width_m=520,
                rotation_deg=-12,
                afname_status=0,
                invoeding_status=1,
            ),
        ),
        year_range=(1968, 2023),
        year_mode=1992,
        # Many small firms in single-storey halls on small plots: most are on
        # a kleinverbruik connection (collective purchase is the lever).
        max_floors=1,
        plot_p=(0.3, 0.3, 0.2, 0.1, 0.05, 0.03, 0.02),
        seed=1101,
        notes="Pilot Noordenveld: circa 150 ondernemers, kopgroep van circa 30.",
        sources=(
            {
                "kind": "restwarmte",
                "name": "Restwarmte bakkerij Bitseveld (fictief)",
                "at_area": 0,
                "offset_m": (120.0, 60.0),
                "heat_mwh_yr": 1800.0,
                "description": "Fictieve restwarmtebron (koelinstallaties en ovens).",
            },
        ),
    ),
    TerrainSpec(
        id="de-punt",
        name="De Punt (Tynaarlo)",
        municipality="Tynaarlo",
        cluster="A",
        netbeheerder="Enexis",
        areas=(
            AreaSpec(
                "De Punt",
                53.1075,
                6.5745,
                35,
                ("Vennweg", "Punterweg"),
                "9495",
                "De Punt",
                width_m=420,
                rotation_deg=15,
                afname_status=0,
                invoeding_status=1,
            ),
        ),
        year_range=(1975, 2015),
        year_mode=1990,
        max_floors=1,  # one large firm, the rest small MKB (Leidraad)
        seed=1202,
        notes=(
            "Pilot Tynaarlo: circa 35 ondernemers; koppelkansen met de naastgelegen "
            "RWZI en met Groningen Airport Eelde net buiten het terrein."
        ),
        anchor_firm={
            "company": "Bloemen Distributiecentrum Noord (fictief)",
            "sbi_code": "4622",
            "sector": "Groothandel bloemen en planten",
            "building_use": "industriefunctie,kantoorfunctie",
            "width_m": 110.0,
            "depth_m": 48.0,
            "floors": 1,
            "pv_kwp_existing": 480.0,
        },
        sources=(
            {
                "kind": "rwzi",
                "name": "RWZI bij De Punt (fictieve gegevens)",
                "at_area": 0,
                "offset_m": None,  # placed beside the anchor firm
                "heat_mwh_yr": 9000.0,
                "gas_m3_yr": 220000.0,
                "description": (
                    "Rioolwaterzuivering naast het terrein: thermische energie uit "
                    "afvalwater (TEA) of groen gas. Aanbod fictief."
                ),
            },
            {
                "kind": "luchthaven",
                "name": "Groningen Airport Eelde",
                "lonlat": (6.5794, 53.1197),
                "power_kw": 0.0,
                "description": (
                    "Luchthaven net buiten het pilotgebied; betrokken bij gesprekken "
                    "over koppelkansen (Leidraad, pilot Tynaarlo)."
                ),
            },
        ),
    ),
    TerrainSpec(
        id="peelerpark-messchenveld",
        name="Peelerpark en Messchenveld (Assen)",
        municipality="Assen",
        cluster="A",
        netbeheerder="Enexis",
        areas=(
            AreaSpec(
                "Peelerpark",
                53.0175,
                6.5835,
                118,
                ("Zeilmakersweg", "Kanaalweg", "Lloydsweg", "Dokweg"),
                "9403",
                "Assen",
                width_m=820,
                rotation_deg=-5,
                afname_status=2,
                invoeding_status=3,
            ),
            AreaSpec(
                "Messchenveld",
                53.0105,
                6.5525,
                92,
                ("Messchenweg", "Industrieweg", "Vaart Noord"),
                "9405",
                "Assen",
                width_m=700,
                rotation_deg=20,
                afname_status=2,
                invoeding_status=3,
            ),
        ),
        year_range=(1970, 2024),
        year_mode=1998,
        seed=1303,
        notes=(
            "Pilot Assen: twee gemengde bedrijventerreinen in het noorden van "
            "Assen; het net is vol voor afname en invoeding."
        ),
        sources=(
            {
                "kind": "zonneveld",
                "name": "Zonneveld Assen-Noord (fictief)",
                "at_area": 0,
                "offset_m": (0.0, -320.0),
                "power_kw": 12000.0,
                "description": "Fictief zonneveld naast het terrein (cable pooling).",
            },
        ),
    ),
    TerrainSpec(
        id="de-wieken",
        name="De Wieken, deelgebied (Hoogeveen)",
        municipality="Hoogeveen",
        cluster="D",
        netbeheerder="Rendo",
        areas=(
            AreaSpec(
                "De Wieken (deelgebied)",
                52.7355,
                6.4990,
                84,
                ("Wieken Noord", "Molenwiek", "Zeilwiek", "Ambachtstraat"),
                "7903",
                "Hoogeveen",
                width_m=640,
                rotation_deg=-3,
                afname_status=1,
                invoeding_status=2,
            ),
        ),
        year_range=(1958, 2010),
        year_mode=1975,
        use_factor=1.45,
        seed=1404,
        notes="Pilot Hoogeveen: deelgebied met veelal oude bouw en hoog verbruik.",
        sources=(
            {
                "kind": "rwzi",
                "name": "RWZI Hoogeveen (fictieve gegevens)",
                "at_area": 0,
                "offset_m": (420.0, -260.0),
                "heat_mwh_yr": 14000.0,
                "description": "Rioolwaterzuivering ten zuidoosten; aanbod fictief.",
            },
        ),
    ),
)
PILOT_IDS = tuple(spec.id for spec in PILOTS)


def pilot_spec(terrain_id: str) -> TerrainSpec:
    """The recipe of one of the four pilot terrains."""
    for spec in PILOTS:
        if spec.id == terrain_id:
            return spec
    raise KeyError(terrain_id)


def synthetic_spec(n_buildings: int, seed: int = 7) -> TerrainSpec:
    """A terrain of any size for scale tests, north of Assen (fictitious)."""
    width = float(np.clip(np.sqrt(n_buildings) * 60.0, 500.0, 12_000.0))
    return TerrainSpec(
        id=f"synthetisch-{n_buildings}",
        name=f"Synthetisch terrein ({n_buildings} gebouwen)",
        municipality="Assen",
        cluster="A",
        netbeheerder="Enexis",
        areas=(
            AreaSpec(
                "Synthetisch",
                53.02,
                6.57,
                n_buildings,
                tuple(f"Teststraat {k}" for k in range(1, 41)),
                "9400",
                "Assen",
                width_m=width,
            ),
        ),
        year_range=(1960, 2024),
        year_mode=1990,
        seed=seed,
        notes="Synthetisch terrein voor schaaltests; alle gegevens zijn fictief.",
        sources=(
            {
                "kind": "rwzi",
                "name": "RWZI (fictief)",
                "at_area": 0,
                "offset_m": (0.0, 0.0),
                "heat_mwh_yr": 10000.0,
                "description": "Fictieve bron midden in het synthetische terrein.",
            },
        ),
    )
