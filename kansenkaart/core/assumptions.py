"""Every constant of the engine, with its unit and source (DESIGN.md section 5).

An :class:`Assumption` is one number with a Dutch name, a unit, a source and a
flag saying whether it is *indicatief* (an order of magnitude, not a sourced
figure). An :class:`Assumptions` set bundles all of them; the topic modules
take one as their last argument and read ``a.<key>.value``.

Two sets ship:

``DEFAULT``
    Current practice: 435 Wp panels of 1.72 × 1.13 m, 55 % of a flat roof.
``LEIDRAAD``
    The assumptions implied by the solar table of the Leidraad Drenthe
    (pilot Noordenveld): ~310 Wp per panel and ~0.25 panels per m² of flat
    roof. With it the model reproduces that table (see ``tests/test_solar.py``).

Override values with :meth:`Assumptions.replace`::

    from kansenkaart.core.assumptions import DEFAULT
    mine = DEFAULT.replace(panel_wp=400, co2_elec_kg_per_kwh=0.33)

and show a set on a page with :func:`table`.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from kansenkaart.core import fmt


@dataclass(frozen=True)
class Assumption:
    """One constant of the model.

    Parameters
    ----------
    value : float
        The number, in ``unit``.
    unit : str
        Unit of ``value`` (``Wp``, ``kWh/kWp/jaar``, ``-`` for a fraction).
    name : str
        Dutch name for the assumptions page.
    source : str
        Where the number comes from, in Dutch.
    indicative : bool
        True for an order of magnitude without a firm source ("indicatief").
    """

    value: float
    unit: str
    name: str
    source: str
    indicative: bool = False


def _a(value, unit, name, source, indicative=False) -> Assumption:
    return Assumption(float(value), unit, name, source, indicative)


_CBS_KENTALLEN = (
    "CBS StatLine 83374NED, Energiekentallen utiliteitsbouw dienstensector "
    "(2012), oppervlakteklasse 1.000–2.500 m²"
)


@dataclass(frozen=True)
class Assumptions:
    """A complete set of model constants; see the module docstring.

    Every field except ``label`` is an :class:`Assumption`. Iterating yields
    ``(key, Assumption)`` pairs in field order.
    """

    label: str
    # --- zon op dak -------------------------------------------------------
    panel_wp: Assumption
    panel_length_m: Assumption
    panel_width_m: Assumption
    flat_usable_fraction: Assumption
    pitched_south_fraction: Assumption
    roof_pitch_deg: Assumption
    pitched_coverage_fraction: Assumption
    yield_kwh_per_kwp: Assumption
    pv_cost_low_eur_per_wp: Assumption
    pv_cost_high_eur_per_wp: Assumption
    pv_min_kwp: Assumption
    sde_min_kwp: Assumption
    eia_pv_max_kwp: Assumption
    eia_min_invest_eur: Assumption
    isde_heat_pump_max_kw: Assumption
    elec_price_small_eur_per_kwh: Assumption
    elec_price_large_eur_per_kwh: Assumption
    feed_in_eur_per_kwh: Assumption
    kleinverbruik_max_kw: Assumption
    pv_self_use_max_fraction: Assumption
    pv_daytime_demand_share: Assumption
    pv_feed_in_congested_status: Assumption
    pv_max_payback_yr: Assumption
    gas_price_eur_per_m3: Assumption
    # --- energie en CO2 ---------------------------------------------------
    gas_kwh_per_m3: Assumption
    co2_gas_kg_per_m3: Assumption
    co2_elec_kg_per_kwh: Assumption
    boiler_efficiency: Assumption
    elec_kwh_m2_kantoor: Assumption
    gas_m3_m2_kantoor: Assumption
    elec_kwh_m2_winkel: Assumption
    gas_m3_m2_winkel: Assumption
    elec_kwh_m2_hal: Assumption
    gas_m3_m2_hal: Assumption
    elec_kwh_m2_autobedrijf: Assumption
    gas_m3_m2_autobedrijf: Assumption
    # --- verplichtingen ---------------------------------------------------
    besparingsplicht_kwh: Assumption
    besparingsplicht_gas_m3: Assumption
    onderzoeksplicht_kwh: Assumption
    onderzoeksplicht_gas_m3: Assumption
    label_c_min_office_share: Assumption
    label_c_min_office_m2: Assumption
    # --- maatregelen ------------------------------------------------------
    led_lighting_share: Assumption
    led_saving_fraction: Assumption
    led_min_saving_kwh: Assumption
    led_cost_eur_per_m2: Assumption
    insulation_before_year: Assumption
    insulation_gas_saving_fraction: Assumption
    insulation_cost_eur_per_m2: Assumption
    heat_pump_scop: Assumption
    heat_pump_full_load_hours: Assumption
    heat_pump_cost_eur_per_kw: Assumption
    collective_discount: Assumption
    collective_min_companies: Assumption
    # --- koppelkansen en net ----------------------------------------------
    coupling_radius_rwzi_m: Assumption
    coupling_radius_restwarmte_m: Assumption
    coupling_radius_luchthaven_m: Assumption
    coupling_radius_other_m: Assumption
    coupling_ref_heat_kwh: Assumption
    coupling_ref_elec_kwh: Assumption
    hub_neighbour_m: Assumption
    hub_max_companies: Assumption
    hub_min_elec_kwh: Assumption
    warmtenet_min_heat_kwh: Assumption
    battery_cost_eur_per_kwh: Assumption
    battery_roundtrip_efficiency: Assumption
    grid_kw_contract_eur_per_kw_yr: Assumption
    grid_kw_max_eur_per_kw_month: Assumption
    hub_group_limit_share: Assumption
    # --- kopgroep en privacy ----------------------------------------------
    kopgroep_share: Assumption
    kopgroep_weight_kopgroep: Assumption
    kopgroep_weight_interest: Assumption
    kopgroep_weight_group: Assumption
    kopgroep_weight_willingness: Assumption
    kopgroep_weight_potential: Assumption
    privacy_min_connections: Assumption
    privacy_dominance_share: Assumption

    def __iter__(self) -> Iterator[tuple[str, Assumption]]:
        for f in dataclasses.fields(self):
            if f.name != "label":
                yield f.name, getattr(self, f.name)

    def replace(self, label: str | None = None, **changes) -> Assumptions:
        """A copy with some values changed.

        Parameters
        ----------
        label : str, optional
            Name of the new set; default ``"<label> (aangepast)"``.
        **changes : float or Assumption
            A number keeps the name and unit and records the change in the
            source; an :class:`Assumption` replaces the entry as a whole.

        Returns
        -------
        Assumptions

        Raises
        ------
        KeyError
            For a key that is no assumption.
        ValueError
            For a value that is not a finite number.
        """
        keys = dict(self)
        new = {}
        for key, value in changes.items():
            if key not in keys:
                raise KeyError(f"onbekende aanname '{key}'")
            if isinstance(value, Assumption):
                new[key] = value
                continue
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise ValueError(f"aanname '{key}' moet een getal zijn, niet {value!r}")
            if not math.isfinite(value):
                raise ValueError(f"aanname '{key}' moet een eindig getal zijn")
            old = keys[key]
            new[key] = dataclasses.replace(
                old,
                value=float(value),
                source=f"aangepast (was {fmt.number(old.value, 2)} {old.unit}; "
                f"{old.source})",
            )
        return dataclasses.replace(
            self, label=label or f"{self.label} (aangepast)", **new
        )


def table(a: Assumptions) -> pd.DataFrame:
    """The set as a table for the assumptions page.

    Parameters
    ----------
    a : Assumptions

    Returns
    -------
    DataFrame
        Columns ``sleutel`` (key), ``aanname`` (Dutch name), ``waarde``
        (float), ``eenheid``, ``bron`` and ``indicatief`` (bool), one row per
        assumption in field order.
    """
    return pd.DataFrame(
        [
            {
                "sleutel": key,
                "aanname": item.name,
                "waarde": item.value,
                "eenheid": item.unit,
                "bron": item.source,
                "indicatief": item.indicative,
            }
            for key, item in a
        ]
    )


DEFAULT = Assumptions(
    label="Standaard",
    panel_wp=_a(
        435,
        "Wp",
        "Piekvermogen per zonnepaneel",
        "Datasheets gangbare zakelijke panelen 2024–2025 (430–440 Wp)",
    ),
    panel_length_m=_a(
        1.72, "m", "Lengte zonnepaneel", "Datasheets panelen van 430–440 Wp"
    ),
    panel_width_m=_a(
        1.13, "m", "Breedte zonnepaneel", "Datasheets panelen van 430–440 Wp"
    ),
    flat_usable_fraction=_a(
        0.55,
        "-",
        "Bruikbaar deel van een plat dak",
        "RVO / marktpraktijk: 50–60 % van een plat dak (randzone, looppaden, "
        "rijafstand)",
        True,
    ),
    pitched_south_fraction=_a(
        0.5,
        "-",
        "Zuidgericht deel van een schuin dak",
        "Aanname: de zuidhelft van een zadeldak (DESIGN.md §5)",
    ),
    roof_pitch_deg=_a(
        30,
        "graden",
        "Dakhelling van een schuin dak",
        "Aanname: gangbare helling; dakvlak = grondvlak / cos(helling)",
        True,
    ),
    pitched_coverage_fraction=_a(
        0.8,
        "-",
        "Met panelen te bedekken deel van een schuin dakvlak",
        "Marktpraktijk: randafstanden en obstakels, ca. 20 % van het dakvlak",
        True,
    ),
    yield_kwh_per_kwp=_a(
        875,
        "kWh/kWp/jaar",
        "Jaaropbrengst zonnepanelen",
        "CBS / PVGIS: Nederlands gemiddelde; Hoogeveen 839–892 kWh/kWp",
    ),
    pv_cost_low_eur_per_wp=_a(
        0.85,
        "€/Wp",
        "Investering zon op bedrijfsdak (laag)",
        "Marktrange zakelijke dakinstallaties, excl. btw",
        True,
    ),
    pv_cost_high_eur_per_wp=_a(
        1.30,
        "€/Wp",
        "Investering zon op bedrijfsdak (hoog)",
        "Marktrange zakelijke dakinstallaties, excl. btw",
        True,
    ),
    pv_min_kwp=_a(
        5,
        "kWp",
        "Kleinste dakinstallatie die als kans telt",
        "Aanname: circa 12 panelen; kleiner is zelden een zakelijke business case",
        True,
    ),
    sde_min_kwp=_a(
        15,
        "kWp",
        "Ondergrens SDE++ voor zon op dak",
        "RVO SDE++: vanaf 15 kWp op een aansluiting groter dan 3×80 A",
    ),
    eia_pv_max_kwp=_a(
        55,
        "kWp",
        "EIA zon: grootste vermogen op een kleinverbruikaansluiting",
        "RVO, Energielijst 2024, code 251102 'Zonnepanelen voor "
        "elektriciteitsopwekking': alleen via een aansluiting van ten hoogste "
        "3×80 A (grotere gaan via SDE++), vanaf 2024 tot 55 kW (Duurzaam "
        "Gebouwd, 'EIA in 2024', januari 2024)",
    ),
    eia_min_invest_eur=_a(
        2_500,
        "€",
        "EIA: kleinste investering per bedrijfsmiddel",
        "RVO, Energie-investeringsaftrek (EIA) 2025: minimaal € 2.500 per "
        "bedrijfsmiddel op de Energielijst; aftrek 40 % van de investering",
    ),
    isde_heat_pump_max_kw=_a(
        70,
        "kW",
        "ISDE zakelijk: grootste warmtepomp",
        "RVO, ISDE voorwaarden zakelijke gebruikers: lucht-water- of "
        "bodemwarmtepomp van ten hoogste 70 kW, niet samen met EIA voor dezelfde "
        "investering; RVO Milieu- en Energielijst 2024 'Warmtepomp "
        "(luchtgerelateerd)' (EIA) kent ook warmtepompen boven 70 kW",
    ),
    elec_price_small_eur_per_kwh=_a(
        0.25,
        "€/kWh",
        "Stroomprijs kleinverbruik (incl. energiebelasting, excl. btw)",
        "Indicatief prijsniveau 2024: leveringstarief plus energiebelasting; "
        "vervang door uw contractprijs",
        True,
    ),
    elec_price_large_eur_per_kwh=_a(
        0.15,
        "€/kWh",
        "Stroomprijs grootverbruik (incl. energiebelasting, excl. btw)",
        "Indicatief prijsniveau 2024: lagere schijven energiebelasting; "
        "vervang door uw contractprijs",
        True,
    ),
    feed_in_eur_per_kwh=_a(
        0.05,
        "€/kWh",
        "Vergoeding voor teruggeleverde stroom (na aftrek van terugleverkosten)",
        "Indicatief: terugleververgoeding energieleveranciers 2024–2025 (€ 0,02–"
        "0,18 per kWh, waarvan terugleverkosten tot € 0,115 per kWh afgaan). Na "
        "het einde van de salderingsregeling op 1 januari 2027 (Kamerstuk 36 611, "
        "aangenomen juni 2025) krijgt alle teruglevering deze vergoeding",
        True,
    ),
    kleinverbruik_max_kw=_a(
        55.2,
        "kW",
        "Grootste zonvermogen op een kleinverbruikaansluiting",
        "Kleinverbruik is tot en met 3×80 A (netbeheerders, Netcode): 3 × 80 A × "
        "230 V = 55,2 kVA. Aanname: piekvermogen (kWp) niet groter dan het "
        "aansluitvermogen; groepszekeringen (factor 1,6) kunnen het verder "
        "beperken",
    ),
    pv_self_use_max_fraction=_a(
        0.7,
        "-",
        "Zon: grootste deel van de opwek dat direct zelf wordt verbruikt",
        "Indicatief: een bedrijf dat op werkdagen draait, gebruikt de opwek van "
        "weekenden en feestdagen (ca. 2/7) niet zelf",
        True,
    ),
    pv_daytime_demand_share=_a(
        0.35,
        "-",
        "Zon: grootste deel van het stroomverbruik dat zon direct kan dekken",
        "Indicatief: ook met veel panelen dekt zon alleen verbruik op zonnige "
        "uren, vooral in het zomerhalfjaar; voor bedrijven met dagverbruik "
        "ca. 30–40 % van het jaarverbruik",
        True,
    ),
    pv_feed_in_congested_status=_a(
        2,
        "status 0–3",
        "Netcongestie invoeding vanaf deze status (grootverbruik)",
        "Capaciteitskaart netbeheerders: 2 = in onderzoek / wachtrij, 3 = "
        "tekort; een grootverbruiker moet voor teruglevering transportcapaciteit "
        "aanvragen, een kleinverbruiker mag altijd terugleveren (Zakelijk "
        "Energieloket)",
    ),
    pv_max_payback_yr=_a(
        15,
        "jaar",
        "Zon: langste terugverdientijd die als kans telt",
        "Aanname: panelen gaan ca. 25 jaar mee; boven 15 jaar is er zelden een "
        "zakelijke business case",
        True,
    ),
    gas_price_eur_per_m3=_a(
        1.00,
        "€/m³",
        "Gasprijs (incl. energiebelasting, excl. btw)",
        "Indicatief prijsniveau 2024; vervang door uw contractprijs",
        True,
    ),
    gas_kwh_per_m3=_a(
        8.79,
        "kWh/m³",
        "Energie-inhoud aardgas",
        "31,65 MJ/m³ (onderwaarde, Groningen-kwaliteit) / 3,6 MJ/kWh",
    ),
    co2_gas_kg_per_m3=_a(
        1.78, "kg/m³", "CO2-uitstoot aardgas", "CO2emissiefactoren.nl, aardgas"
    ),
    co2_elec_kg_per_kwh=_a(
        0.48,
        "kg/kWh",
        "CO2-uitstoot elektriciteit (grijze stroom)",
        "ISSO 82-conventie voor grijze stroom; instelbaar",
    ),
    boiler_efficiency=_a(
        0.9,
        "-",
        "Rendement gasketel (warmte per m³ gas)",
        "HR-ketel op onderwaarde",
        True,
    ),
    elec_kwh_m2_kantoor=_a(
        66.3,
        "kWh/m²/jaar",
        "Stroomverbruik per m² kantoor",
        f"{_CBS_KENTALLEN}, kantoor overig",
    ),
    gas_m3_m2_kantoor=_a(
        10.9,
        "m³/m²/jaar",
        "Gasverbruik per m² kantoor",
        f"{_CBS_KENTALLEN}, kantoor overig",
    ),
    elec_kwh_m2_winkel=_a(
        76.1,
        "kWh/m²/jaar",
        "Stroomverbruik per m² winkel",
        f"{_CBS_KENTALLEN}, detailhandel zonder koeling",
    ),
    gas_m3_m2_winkel=_a(
        6.9,
        "m³/m²/jaar",
        "Gasverbruik per m² winkel",
        f"{_CBS_KENTALLEN}, detailhandel zonder koeling",
    ),
    elec_kwh_m2_hal=_a(
        47.3,
        "kWh/m²/jaar",
        "Stroomverbruik per m² bedrijfshal (ook industrie en overig)",
        f"{_CBS_KENTALLEN}, groothandel zonder koeling; voor industrie en overige "
        "sectoren een benadering zonder procesenergie",
        True,
    ),
    gas_m3_m2_hal=_a(
        7.3,
        "m³/m²/jaar",
        "Gasverbruik per m² bedrijfshal (ook industrie en overig)",
        f"{_CBS_KENTALLEN}, groothandel zonder koeling; voor industrie en overige "
        "sectoren een benadering zonder procesenergie",
        True,
    ),
    elec_kwh_m2_autobedrijf=_a(
        46.9,
        "kWh/m²/jaar",
        "Stroomverbruik per m² autobedrijf",
        f"{_CBS_KENTALLEN}, autobedrijven",
    ),
    gas_m3_m2_autobedrijf=_a(
        8.5,
        "m³/m²/jaar",
        "Gasverbruik per m² autobedrijf",
        f"{_CBS_KENTALLEN}, autobedrijven",
    ),
    besparingsplicht_kwh=_a(
        50_000,
        "kWh/jaar",
        "Grens energiebesparingsplicht (elektriciteit)",
        "Activiteitenbesluit art. 2.15, sinds 2024 Bal/Bbl: vanaf 50.000 kWh",
    ),
    besparingsplicht_gas_m3=_a(
        25_000,
        "m³/jaar",
        "Grens energiebesparingsplicht (aardgas-equivalent)",
        "Activiteitenbesluit art. 2.15, sinds 2024 Bal/Bbl: vanaf 25.000 m³",
    ),
    onderzoeksplicht_kwh=_a(
        10_000_000,
        "kWh/jaar",
        "Grens onderzoeksplicht (elektriciteit)",
        "Bal / Infomil 'zeer groot gebruik': vanaf 10 miljoen kWh",
    ),
    onderzoeksplicht_gas_m3=_a(
        170_000,
        "m³/jaar",
        "Grens onderzoeksplicht (aardgas-equivalent)",
        "Bal / Infomil 'zeer groot gebruik': vanaf 170.000 m³",
    ),
    label_c_min_office_share=_a(
        0.5,
        "-",
        "Label C: kleinste kantooraandeel van het pand",
        "Bouwbesluit 2012 art. 5.11 (nu Bbl); RVO: kantoorfunctie ≥ 50 %",
    ),
    label_c_min_office_m2=_a(
        100,
        "m²",
        "Label C: kleinste kantooroppervlak",
        "Bouwbesluit 2012 art. 5.11 (nu Bbl); RVO: uitgezonderd onder 100 m²",
    ),
    led_lighting_share=_a(
        0.20,
        "-",
        "Aandeel verlichting in het stroomverbruik",
        "Indicatief: verlichting is in kantoren en hallen vaak 15–25 % van het "
        "stroomverbruik",
        True,
    ),
    led_saving_fraction=_a(
        0.5,
        "-",
        "Besparing LED op verlichting",
        "Indicatief: LED verbruikt ca. de helft van TL/halogeen",
        True,
    ),
    led_min_saving_kwh=_a(
        1_000,
        "kWh/jaar",
        "Kleinste LED-besparing die als kans telt",
        "Aanname (Kansenkaart)",
        True,
    ),
    led_cost_eur_per_m2=_a(
        12,
        "€/m² vloer",
        "Investering LED-verlichting",
        "Indicatief: armaturen en montage",
        True,
    ),
    insulation_before_year=_a(
        1992,
        "bouwjaar",
        "Isolatie: panden gebouwd vóór dit jaar",
        "Bouwbesluit 1992: eerste landelijke isolatie-eisen voor utiliteitsbouw",
        True,
    ),
    insulation_gas_saving_fraction=_a(
        0.25,
        "-",
        "Gasbesparing door isolatie en kierdichting",
        "Indicatief: dak-, gevelisolatie en kierdichting bij slecht geïsoleerde panden",
        True,
    ),
    insulation_cost_eur_per_m2=_a(
        60,
        "€/m² dak",
        "Investering dakisolatie",
        "Indicatief: marktprijzen dakisolatie bedrijfspanden",
        True,
    ),
    heat_pump_scop=_a(
        3.5,
        "-",
        "Seizoensrendement warmtepomp (SCOP)",
        "Indicatief: lucht-water warmtepomp in een goed geïsoleerd pand",
        True,
    ),
    heat_pump_full_load_hours=_a(
        1_500,
        "uur/jaar",
        "Vollasturen verwarming",
        "Indicatief: utiliteitsbouw met kantoortijden",
        True,
    ),
    heat_pump_cost_eur_per_kw=_a(
        1_500,
        "€/kW",
        "Investering warmtepomp per kW warmtevermogen",
        "Indicatief: marktprijzen inclusief installatie",
        True,
    ),
    collective_discount=_a(
        0.10,
        "-",
        "Prijsvoordeel collectieve inkoop zonnepanelen",
        "Indicatief; Leidraad pilot Noordenveld en De Punt: collectieve inkoop "
        "met een Programma van Eisen",
        True,
    ),
    collective_min_companies=_a(
        3,
        "bedrijven",
        "Kleinste groep voor een collectieve maatregel",
        "Aanname (Kansenkaart)",
        True,
    ),
    coupling_radius_rwzi_m=_a(
        1_500,
        "m",
        "Straal koppelkans RWZI (warmte uit afvalwater)",
        "Aanname: warmtetransport over korte afstand; instelbaar",
        True,
    ),
    coupling_radius_restwarmte_m=_a(
        1_500,
        "m",
        "Straal koppelkans restwarmte",
        "Aanname: warmtetransport over korte afstand; instelbaar",
        True,
    ),
    coupling_radius_luchthaven_m=_a(
        2_500,
        "m",
        "Straal koppelkans luchthaven",
        "Aanname; Leidraad pilot De Punt: Groningen Airport Eelde net buiten het "
        "terrein",
        True,
    ),
    coupling_radius_other_m=_a(
        1_000,
        "m",
        "Straal koppelkans overige bronnen (biogas, zonneveld, wind)",
        "Aanname (Kansenkaart)",
        True,
    ),
    coupling_ref_heat_kwh=_a(
        100_000,
        "kWh/jaar",
        "Warmtevraag voor een halve vraagfactor in de koppelscore",
        "Aanname: gelijk aan de kleinste warmtevraag voor een warmtenet "
        "(ca. 12.600 m³ gas): wie net genoeg vraagt, krijgt de halve factor",
        True,
    ),
    coupling_ref_elec_kwh=_a(
        50_000,
        "kWh/jaar",
        "Stroomvraag voor een halve vraagfactor in de koppelscore",
        "Aanname: de grens van de energiebesparingsplicht, gelijk aan de "
        "kleinste stroomvraag voor een energy hub",
        True,
    ),
    hub_min_elec_kwh=_a(
        50_000,
        "kWh/jaar",
        "Energy hub: kleinste stroomvraag om mee te doen (of zon vanaf de SDE++-grens)",
        "Aanname: de grens van de energiebesparingsplicht; kleinere gebruikers "
        "veranderen weinig aan de netbelasting",
        True,
    ),
    battery_cost_eur_per_kwh=_a(
        450,
        "€/kWh",
        "Investering collectieve batterij (per kWh opslag, incl. omvormer en "
        "installatie)",
        "Indicatief: marktprijzen 2024 voor batterijsystemen bij bedrijven van "
        "ca. 300–600 € per kWh, excl. btw; vervang door een offerte",
        True,
    ),
    battery_roundtrip_efficiency=_a(
        0.9,
        "-",
        "Rendement van laden en ontladen samen (batterij)",
        "Indicatief: lithium-ion systemen halen ca. 85–95 % heen en terug",
        True,
    ),
    grid_kw_contract_eur_per_kw_yr=_a(
        29.4355,
        "€/kW/jaar",
        "Transporttarief per kW gecontracteerd transportvermogen (kW contract)",
        "Westland Infra Netbeheer, transporttarieven elektriciteit, categorie "
        "MS/LS, kW contract € 29,4355 per kW per jaar, prijspeil 1 januari 2022, "
        "excl. btw (westlandinfra.nl, 'Bekijk de huidige tarieven'). Een "
        "tariefblad 2025/2026 van Enexis, Liander of Stedin was niet in de "
        "gebruikte bronnen; vervang door het tariefblad van uw netbeheerder",
        True,
    ),
    grid_kw_max_eur_per_kw_month=_a(
        1.8101,
        "€/kW/maand",
        "Transporttarief per kW hoogste afname in de maand (kW max)",
        "Westland Infra Netbeheer, transporttarieven elektriciteit, categorie "
        "MS/LS, kW max € 1,8101 per kW per maand, prijspeil 1 januari 2022, "
        "excl. btw (westlandinfra.nl, 'Bekijk de huidige tarieven'); vervang "
        "door het tariefblad van uw netbeheerder",
        True,
    ),
    hub_group_limit_share=_a(
        0.9,
        "-",
        "Groepscontract: grens als deel van de som van de eigen pieken",
        "Aanname (Kansenkaart): op een vol net vraagt de groep in een "
        "groepstransportovereenkomst (Liander, 'Transportovereenkomst voor "
        "groepen (Groeps-TO)') 10 % minder transportvermogen dan de leden nu "
        "los benutten, om ruimte te maken voor groei; de netbeheerder bepaalt "
        "het groepsvermogen. Instelbaar op de pagina Energiehub",
        True,
    ),
    warmtenet_min_heat_kwh=_a(
        100_000,
        "kWh/jaar",
        "Warmtenet: kleinste warmtevraag om aan te sluiten",
        "Aanname: ca. 12.600 m³ gas; daaronder weegt een aansluiting op een "
        "warmtenet zelden op tegen de kosten (pilot De Punt: mkb met geringe "
        "warmtevraag)",
        True,
    ),
    hub_neighbour_m=_a(
        100,
        "m",
        "Afstand tot buren voor een energy hub",
        "Aanname: buren op hetzelfde bedrijventerrein, binnen een kavel of straat",
        True,
    ),
    hub_max_companies=_a(
        12,
        "bedrijven",
        "Grootste groep voor een energy hub of collectieve batterij",
        "Aanname (Kansenkaart): een groep die samen afspraken over netcapaciteit "
        "en opslag maakt, blijft overzichtelijk; grotere buurten worden in "
        "aaneengesloten delen gesplitst",
        True,
    ),
    kopgroep_share=_a(
        0.2,
        "-",
        "Aandeel bedrijven in de kopgroep",
        "Leidraad, pilot Noordenveld: circa 30 van de 150 bedrijven",
    ),
    kopgroep_weight_kopgroep=_a(
        3,
        "punten",
        "Kopgroep: gewicht 'wil in de kopgroep'",
        "Eigen weging (Kansenkaart), naar de kopgroepselectie in de Leidraad",
        True,
    ),
    kopgroep_weight_interest=_a(
        2,
        "punten",
        "Kopgroep: gewicht interesse in maatregelen",
        "Eigen weging (Kansenkaart)",
        True,
    ),
    kopgroep_weight_group=_a(
        2,
        "punten",
        "Kopgroep: gewicht interesse in een eigen collectieve groep",
        "Eigen weging (Kansenkaart): wie de maatregel wil van een groep waarin "
        "het bedrijf zit, kan die groep trekken (Leidraad stap 3 en 4)",
        True,
    ),
    kopgroep_weight_willingness=_a(
        2,
        "punten",
        "Kopgroep: gewicht bereidheid collectieve actie",
        "Eigen weging (Kansenkaart)",
        True,
    ),
    kopgroep_weight_potential=_a(
        3,
        "punten",
        "Kopgroep: gewicht potentie (zon en verbruik)",
        "Eigen weging (Kansenkaart), naar de data-analyse in de Leidraad",
        True,
    ),
    privacy_min_connections=_a(
        10,
        "aansluitingen",
        "Kleinste groep voor getoonde totalen",
        "Klimaatmonitor-praktijk: geen totalen over minder dan 10 aansluitingen; "
        "minimale celgrootte (threshold rule) van de statistische "
        "geheimhouding van CBS en Eurostat (Handbook on Statistical Disclosure "
        "Control, Hundepool e.a., ESSnet SDC, hfdst. 4 Magnitude tabular "
        "data, par. 4.2)",
    ),
    privacy_dominance_share=_a(
        0.5,
        "-",
        "Grootste aandeel van één bedrijf in een getoond totaal",
        "(n,k)-dominantieregel met n = 1, k = 50 % van de statistische "
        "geheimhouding van CBS en Eurostat (Handbook on Statistical Disclosure "
        "Control, Hundepool e.a., ESSnet SDC, hfdst. 4 Magnitude tabular "
        "data, par. 4.2): een totaal dat voor meer dan "
        "de helft uit één bedrijf bestaat, wordt niet getoond",
    ),
)

LEIDRAAD = DEFAULT.replace(
    label="Leidraad Drenthe (pilot Noordenveld)",
    panel_wp=_a(
        310,
        "Wp",
        "Piekvermogen per zonnepaneel",
        "Leidraad Drenthe, tabel pilot Noordenveld: 32 kWp / 103 panelen ≈ 310 Wp",
    ),
    panel_length_m=_a(
        1.65,
        "m",
        "Lengte zonnepaneel",
        "Gangbaar 60-cels paneel van ca. 310 Wp (1,65 × 0,99 m)",
    ),
    panel_width_m=_a(
        0.99,
        "m",
        "Breedte zonnepaneel",
        "Gangbaar 60-cels paneel van ca. 310 Wp (1,65 × 0,99 m)",
    ),
    flat_usable_fraction=_a(
        0.41,
        "-",
        "Bruikbaar deel van een plat dak",
        "Afgeleid uit de Leidraad-tabel: ca. 0,25 panelen per m² dak × 1,63 m² "
        "per paneel",
    ),
)

SETS = {"standaard": DEFAULT, "leidraad": LEIDRAAD}
"""The shipped sets by key, for a settings page."""

ADJUSTABLE = (
    "panel_wp",
    "yield_kwh_per_kwp",
    "flat_usable_fraction",
    "pv_cost_low_eur_per_wp",
    "pv_cost_high_eur_per_wp",
    "elec_price_small_eur_per_kwh",
    "elec_price_large_eur_per_kwh",
    "gas_price_eur_per_m3",
    "co2_elec_kg_per_kwh",
    "co2_gas_kg_per_m3",
    "coupling_radius_rwzi_m",
    "coupling_radius_luchthaven_m",
)
"""The main assumptions users change on the settings page (issue 5)."""

INPUT_RANGES = {
    # panels sold today have 300–700 Wp (the sets: 310 and 435 Wp)
    "panel_wp": (100.0, 1000.0),
    # the Netherlands 800–1.000 kWh/kWp; 1.500 is southern Spain
    "yield_kwh_per_kwp": (500.0, 1500.0),
    "flat_usable_fraction": (0.0, 1.0),
    # the sets: 0,85–1,30 €/Wp; small roofs cost up to about 2 €/Wp
    "pv_cost_low_eur_per_wp": (0.0, 5.0),
    "pv_cost_high_eur_per_wp": (0.0, 5.0),
    # the sets: 0,15 and 0,25 €/kWh; contracts of the 2022 crisis about 1 €/kWh
    "elec_price_small_eur_per_kwh": (0.0, 5.0),
    "elec_price_large_eur_per_kwh": (0.0, 5.0),
    # the set: 1 €/m³; the 2022 crisis about 3–4 €/m³
    "gas_price_eur_per_m3": (0.0, 10.0),
    # the set: 0,48 kg/kWh; a coal plant about 1 kg/kWh
    "co2_elec_kg_per_kwh": (0.0, 2.0),
    # the set: 1,78 kg/m³ (Groningen gas)
    "co2_gas_kg_per_m3": (0.0, 5.0),
    # a radius of 0 m would make every distance decay 0/0; 100 m is a site
    "coupling_radius_rwzi_m": (100.0, 20_000.0),
    "coupling_radius_luchthaven_m": (100.0, 20_000.0),
}
"""Allowed range of each :data:`ADJUSTABLE` assumption as typed on *Aannames*,
in its unit (both ends included). Wide bounds that catch a typing slip (a
decimal comma read as a thousands dot, a factor 100 off), not a judgement of
the value; a value outside them is refused with a Dutch message."""
