"""The measure catalogue of Leidraad step 3, with the rules that select them.

:data:`CATALOGUE` lists every individual and collective measure as data: id,
Dutch name and explanation, scope, whether it touches the building (then a
tenant goes through the verhuurder), who can take it, the rule that makes it
relevant (in Dutch), indicative savings / cost / payback, the Leidraad step
where a werkgroep picks it up, and financing hints.

Each measure also carries two functions, written in
:mod:`kansenkaart.engine.measure_rules`:

``status(df, a) -> BooleanArray``
    Which buildings of an analysed terrain it applies to: True (*ja*), False
    (*nee*) or NA (*mogelijk (gegevens ontbreken)*). Collective measures
    look at the whole terrain (e.g. at least ``collective_min_companies``
    companies with a suitable roof), so pass the whole terrain.
    :meth:`Measure.relevant` gives the buildings it is listed for (*ja* or
    *mogelijk*) as a plain bool array.
``detail(rows, a, count, wording=True) -> DataFrame``
    For the selected rows: a Dutch ``reason`` a person understands and the
    impact on that building where the model can say it: electricity (kWh/yr)
    and gas (m³/yr) saved or generated, CO₂, € per year, investment, simple
    payback, the scheme that fits the building (EIA, ISDE, SDE++) and the
    basis of the figures (gemeten / enquête / geschat)
    (:data:`kansenkaart.engine.measure_rules.DETAIL_COLUMNS`). ``count`` is
    the number of buildings on the terrain with the measure (for "samen met
    12 andere bedrijven"). ``wording=False`` gives the figures only (the
    texts NA), for sums such as the group table.

``Measure.financing`` lists the schemes that can apply to the measure in
general; the ``subsidy`` of a detail row is the one that fits the building.

All figures are indicative; the source of every constant is in
:mod:`kansenkaart.core.assumptions`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kansenkaart.core import fmt
from kansenkaart.core.assumptions import Assumptions
from kansenkaart.core.schema import SURVEY_MEASURES
from kansenkaart.engine import measure_rules as rules

INDIVIDUAL = "individual"
COLLECTIVE = "collective"
SCOPE_LABELS = {INDIVIDUAL: "individueel", COLLECTIVE: "collectief"}

_SDE = "SDE++ (RVO): zon vanaf 15 kWp op een grootverbruikaansluiting"
_SDE_HEAT = "SDE++ (RVO): o.a. aquathermie, restwarmte en grote warmtepompen"
_EIA = "EIA, energie-investeringsaftrek (RVO): controleer de Energielijst"
_FONDS = "Energiefonds Drenthe: financiering voor verduurzaming"


@dataclass(frozen=True)
class Measure:
    """One measure of the catalogue; see the module docstring."""

    id: str
    name: str
    explanation: str
    scope: str
    building_measure: bool
    who: str
    rule: str
    savings: str
    cost: str
    payback: str
    leidraad_step: int
    financing: tuple[str, ...]
    status: Callable[[pd.DataFrame, Assumptions], pd.arrays.BooleanArray] = field(
        repr=False, compare=False
    )
    detail: Callable[..., pd.DataFrame] = field(repr=False, compare=False)
    broad: str = ""
    """Why the measure may apply to most buildings of a terrain (Dutch); every
    reason of the measure says it. Empty for a measure that discriminates."""

    def text(self, field_name: str, a: Assumptions) -> str:
        """A text field (``rule``, ``savings``, ``cost``) with the numbers of ``a``.

        The catalogue writes numbers as ``{assumption_key}`` placeholders, so
        the texts follow the assumptions a user sets.
        """
        return getattr(self, field_name).format_map(
            {key: _Number(item.value) for key, item in a}
        )

    def relevant(self, df: pd.DataFrame, a: Assumptions) -> np.ndarray:
        """Buildings the measure is listed for: *ja* or *mogelijk* (bool)."""
        return pd.array(self.status(df, a), dtype="boolean").to_numpy(
            dtype=bool, na_value=True
        )

    @property
    def survey_column(self) -> str | None:
        """Survey interest column for this measure, if the survey asks about it."""
        return f"interest_{self.id}" if self.id in SURVEY_MEASURES else None


# --- texts -----------------------------------------------------------------


class _Number:
    """An assumption value in a catalogue text: ``{x}``, ``{x:%}``, ``{x:2}``."""

    def __init__(self, value: float):
        self.value = value

    def __format__(self, spec: str) -> str:
        if spec == "%":
            return fmt.percent(self.value)
        if spec == "year":
            return str(int(self.value))
        return fmt.number(self.value, int(spec) if spec else 0)


# --- the catalogue ---------------------------------------------------------


CATALOGUE: tuple[Measure, ...] = (
    Measure(
        id="zon_eigen_dak",
        name="Zonnepanelen op eigen dak",
        explanation="Zonnepanelen op het eigen bedrijfsdak: eigen stroom, "
        "lagere energierekening en minder CO2.",
        scope=INDIVIDUAL,
        building_measure=True,
        who="Eigenaar-gebruiker; een huurder via de verhuurder (pandeigenaar).",
        rule="Het advies (dak na aftrek van bestaande panelen; bij kleinverbruik "
        "samen met bestaande panelen hooguit {kleinverbruik_max_kw:1} kW, want de "
        "aansluiting is tot 3×80 A; bij grootverbruik met invoedingsstatus "
        "{pv_feed_in_congested_status} of hoger op de Capaciteitskaart afgestemd "
        "op eigen verbruik) is minstens {pv_min_kwp} kWp en verdient zich binnen "
        "{pv_max_payback_yr} jaar terug, gerekend na het einde van de "
        "salderingsregeling op 1 januari 2027: alleen zelf verbruikte stroom "
        "bespaart de stroomprijs. Bestaande panelen of aansluiting onbekend: "
        "mogelijk.",
        savings="Ca. {yield_kwh_per_kwp} kWh per kWp per jaar; eigen verbruik "
        "bespaart de stroomprijs, teruglevering vanaf 2027 alleen € "
        "{feed_in_eur_per_kwh:2} per kWh.",
        cost="Ca. € {pv_cost_low_eur_per_wp:2}–{pv_cost_high_eur_per_wp:2} per Wp "
        "voor een bedrijfsdak (excl. btw).",
        payback="Meestal 5–12 jaar; korter bij veel eigen verbruik overdag.",
        leidraad_step=4,
        financing=(_SDE, _EIA, _FONDS),
        status=rules.zon_relevant,
        detail=rules.zon_detail,
        broad=rules.ZON_WHY,
    ),
    Measure(
        id="led",
        name="LED-verlichting",
        explanation="Vervang TL- en halogeenverlichting door LED, eventueel met "
        "aanwezigheids- en daglichtsturing.",
        scope=INDIVIDUAL,
        building_measure=False,
        who="De gebruiker van het pand (eigenaar of huurder).",
        rule="De geschatte LED-besparing (stroomverbruik × {led_lighting_share:%} "
        "verlichting × {led_saving_fraction:%}) is minstens {led_min_saving_kwh} "
        "kWh per jaar, het energielabel is niet A of beter (dan telt zuinige "
        "verlichting al mee, NTA 8800) en het bedrijf zei in de enquête geen "
        "'nee' tegen LED (vaak: heeft het al). Zonder label, zonder interesse of "
        "plan in de enquête: mogelijk.",
        savings="Ca. {led_saving_fraction:%} van het stroomverbruik voor verlichting.",
        cost="Ca. € {led_cost_eur_per_m2} per m² vloer (indicatief).",
        payback="Vaak 2–5 jaar; staat op de Erkende Maatregelenlijst.",
        leidraad_step=4,
        financing=(_EIA, _FONDS),
        status=rules.led_relevant,
        detail=rules.led_detail,
    ),
    Measure(
        id="isolatie",
        name="Isolatie en kierdichting",
        explanation="Isoleer dak, gevel en vloer en dicht kieren: minder "
        "warmteverlies en een beter binnenklimaat.",
        scope=INDIVIDUAL,
        building_measure=True,
        who="Eigenaar-gebruiker; een huurder via de verhuurder (pandeigenaar).",
        rule="Het pand gebruikt gas en heeft label D of slechter (EP-online). "
        "Zonder label: mogelijk bij een bouwjaar vóór "
        "{insulation_before_year:year} (Bouwbesluit 1992) of een onbekend bouwjaar.",
        savings="Ca. {insulation_gas_saving_fraction:%} van het gasverbruik "
        "(indicatief).",
        cost="Ca. € {insulation_cost_eur_per_m2} per m² dak voor dakisolatie "
        "(indicatief).",
        payback="Sterk wisselend; kierdichting en dakisolatie zijn vaak binnen 5–10 "
        "jaar terugverdiend.",
        leidraad_step=4,
        financing=(_EIA, _FONDS),
        status=rules.isolatie_relevant,
        detail=rules.isolatie_detail,
    ),
    Measure(
        id="warmtepomp",
        name="Warmtepomp",
        explanation="Vervang de gasketel door een (hybride) warmtepomp: van het "
        "gas af met minder CO2.",
        scope=INDIVIDUAL,
        building_measure=True,
        who="Eigenaar-gebruiker; een huurder via de verhuurder (pandeigenaar).",
        rule="Het pand gebruikt gas en is redelijk geïsoleerd: label C of beter "
        "(EP-online). Zonder label: mogelijk bij een bouwjaar vanaf "
        "{insulation_before_year:year} of een onbekend bouwjaar.",
        savings="Geen gasverbruik meer; ca. een derde van de warmte als extra stroom.",
        cost="Ca. € {heat_pump_cost_eur_per_kw} per kW warmtevermogen (indicatief).",
        payback="Afhankelijk van gas- en stroomprijs; vaak 8–15 jaar.",
        leidraad_step=4,
        financing=(_EIA, _SDE_HEAT, _FONDS),
        status=rules.warmtepomp_relevant,
        detail=rules.warmtepomp_detail,
    ),
    Measure(
        id="mkb_energiescan",
        name="MKB-energiescan",
        explanation="Een adviseur brengt uw verbruik en de besparingsmaatregelen "
        "met kosten en terugverdientijd in kaart.",
        scope=INDIVIDUAL,
        building_measure=False,
        who="Iedere ondernemer (mkb), eigenaar of huurder.",
        rule="Het verbruik van het bedrijf is (deels) geschat.",
        savings="Inzicht: de scan zelf bespaart niets, de maatregelen wel.",
        cost="Aangeboden via de provincie Drenthe.",
        payback="Niet van toepassing.",
        leidraad_step=3,
        financing=("MKB-energiescan via de provincie Drenthe",),
        status=rules.scan_relevant,
        detail=rules.scan_detail,
    ),
    Measure(
        id="label_c",
        name="Energielabel C voor kantoor",
        explanation="Sinds 2023 moet een kantoorgebouw minimaal label C hebben; "
        "anders mag het niet meer als kantoor worden gebruikt.",
        scope=INDIVIDUAL,
        building_measure=True,
        who="De eigenaar van het pand; een huurder via de verhuurder.",
        rule="Het pand valt onder de label C-plicht voor kantoren en heeft geen "
        "geregistreerd label C of beter.",
        savings="Afhankelijk van de maatregelen die tot label C leiden.",
        cost="Label aanvragen plus de maatregelen (isolatie, installaties).",
        payback="Maatregelen tot 10 jaar terugverdientijd zijn verplicht.",
        leidraad_step=4,
        financing=(_EIA, _FONDS),
        status=rules.label_c_relevant,
        detail=rules.label_c_detail,
    ),
    Measure(
        id="eml_maatregelen",
        name="Maatregelen energiebesparingsplicht (EML)",
        explanation="Wie onder de energiebesparingsplicht valt, neemt alle "
        "maatregelen met een terugverdientijd van 5 jaar of minder (Erkende "
        "Maatregelenlijst) en rapporteert elke 4 jaar.",
        scope=INDIVIDUAL,
        building_measure=False,
        who="De drijver van het bedrijf (eigenaar of huurder).",
        rule="Alleen voor bedrijven met energiebesparingsplicht: verbruik vanaf "
        "{besparingsplicht_kwh} kWh stroom of {besparingsplicht_gas_m3} m³ gas "
        "per jaar (gemeten of geschat; Bal/Bbl).",
        savings="Alle maatregelen die zich binnen 5 jaar terugverdienen.",
        cost="Per maatregel; zie de Erkende Maatregelenlijst.",
        payback="5 jaar of minder (wettelijke eis).",
        leidraad_step=4,
        financing=(_EIA, _FONDS),
        status=rules.eml_relevant,
        detail=rules.eml_detail,
        broad=rules.EML_WHY,
    ),
    Measure(
        id="collectieve_inkoop_zon",
        name="Collectieve inkoop zonnepanelen",
        explanation="Bedrijven kopen samen zonnepanelen in met één Programma van "
        "Eisen voor panelen en installatie (Leidraad, pilots Noordenveld en "
        "De Punt).",
        scope=COLLECTIVE,
        building_measure=True,
        who="Bedrijven met een geschikt dak; huurders via hun verhuurder.",
        rule="Zon op eigen dak past (ja of mogelijk), het bedrijf zei in de "
        "enquête geen 'nee' tegen collectieve inkoop en minstens "
        "{collective_min_companies} bedrijven op het terrein doen mee.",
        savings="Als zon op eigen dak, tegen een lagere prijs.",
        cost="Indicatief {collective_discount:%} onder de prijs bij losse inkoop.",
        payback="Korter dan bij losse inkoop.",
        leidraad_step=4,
        financing=(_SDE, _FONDS),
        status=rules.inkoop_zon_relevant,
        detail=rules.inkoop_zon_detail,
    ),
    Measure(
        id="collectieve_inkoop_stroom_led",
        name="Collectieve inkoop groene stroom en LED",
        explanation="Samen groene stroom en LED-verlichting inkopen (Leidraad, "
        "pilot Hoogeveen).",
        scope=COLLECTIVE,
        building_measure=False,
        who="Iedere ondernemer, eigenaar of huurder.",
        rule="Het bedrijf heeft een kleinverbruikaansluiting (tot 3×80 A; koopt "
        "tegen de kleinverbruikprijs, een grootverbruiker koopt al op eigen "
        "contract in; onbekend: mogelijk) en minstens "
        "{collective_min_companies} bedrijven op het terrein doen mee.",
        savings="Betere inkoopprijs; groene stroom.",
        cost="Geen investering voor de stroominkoop; LED zie LED-verlichting.",
        payback="Direct voordeel bij de inkoop.",
        leidraad_step=4,
        financing=(_EIA,),
        status=rules.inkoop_stroom_relevant,
        detail=rules.inkoop_stroom_detail,
    ),
    Measure(
        id="energiecooperatie",
        name="Energiecoöperatie",
        explanation="Bedrijven organiseren samen opwek en levering van duurzame "
        "energie in een coöperatie (Leidraad, pilot Hoogeveen).",
        scope=COLLECTIVE,
        building_measure=False,
        who="Iedere ondernemer; daken kunnen ook door de coöperatie worden gehuurd.",
        rule="Het dak draagt minstens {sde_min_kwp} kWp (de SDE++-grens) meer dan "
        "het zonadvies voor het eigen bedrijf (begrensd door aansluiting of "
        "netcongestie) en het bedrijf zei in de enquête geen 'nee'.",
        savings="Het overschot blijft op het terrein in plaats van goedkoop "
        "terug te leveren.",
        cost="Oprichting en organisatie; investering in opwek.",
        payback="Afhankelijk van de businesscase van de coöperatie.",
        leidraad_step=4,
        financing=(_SDE, _FONDS),
        status=rules.cooperatie_relevant,
        detail=rules.cooperatie_detail,
    ),
    Measure(
        id="energy_hub",
        name="Gezamenlijk energienetwerk (energy hub)",
        explanation="Bedrijven wisselen duurzaam opgewekte stroom onderling uit "
        "en delen netcapaciteit (Leidraad, pilot Noordenveld).",
        scope=COLLECTIVE,
        building_measure=False,
        who="Buren op het terrein, eigenaar of huurder.",
        rule="Grootverbruikaansluiting (de Capaciteitskaart geldt boven 3×80 A; "
        "onbekend: mogelijk), het net is krap (afname of invoeding minstens "
        "'beperkt'), minstens {collective_min_companies} bedrijven liggen binnen "
        "{hub_neighbour_m} m van elkaar, het bedrijf verbruikt minstens "
        "{hub_min_elec_kwh} kWh per jaar of kan minstens {sde_min_kwp} kWp zon "
        "hebben, en zei in de enquête geen 'nee'.",
        savings="Minder netkosten en minder wachten op netcapaciteit.",
        cost="Verkenning, organisatie en eventueel gezamenlijke infrastructuur.",
        payback="Afhankelijk van de businesscase.",
        leidraad_step=4,
        financing=(_FONDS,),
        status=rules.hub_relevant,
        detail=rules.hub_detail,
    ),
    Measure(
        id="collectieve_batterij",
        name="Collectieve batterij",
        explanation="Een gedeelde batterij slaat zonnestroom op die het net niet "
        "kan opnemen en vlakt pieken af.",
        scope=COLLECTIVE,
        building_measure=False,
        who="Buren op het terrein met zonnepanelen, eigenaar of huurder.",
        rule="Het zonadvies is begrensd door de aansluiting of door netcongestie "
        "invoeding terwijl het dak nog minstens {sde_min_kwp} kWp kan dragen, het "
        "bedrijf verbruikt minstens {hub_min_elec_kwh} kWh per jaar (om de "
        "opgeslagen stroom te gebruiken), heeft buren binnen {hub_neighbour_m} m "
        "en zei in de enquête geen 'nee'.",
        savings="Meer eigen zonnestroom benut; minder netbelasting.",
        cost="Indicatief enkele honderden euro's per kWh opslag.",
        payback="Afhankelijk van de businesscase en nettarieven.",
        leidraad_step=4,
        financing=(_FONDS,),
        status=rules.batterij_relevant,
        detail=rules.batterij_detail,
    ),
    Measure(
        id="warmtenet_rwzi",
        name="Warmtenet met restwarmte (RWZI)",
        explanation="Warmte uit afvalwater van de rioolwaterzuivering (of andere "
        "restwarmte) via een warmtenet naar de bedrijven (Leidraad, pilot De "
        "Punt).",
        scope=COLLECTIVE,
        building_measure=True,
        who="Bedrijven met warmtevraag; huurders via hun verhuurder.",
        rule="Een RWZI of restwarmtebron ligt binnen {coupling_radius_rwzi_m} m "
        "(restwarmte {coupling_radius_restwarmte_m} m, biogas "
        "{coupling_radius_other_m} m), het pand vraagt minstens "
        "{warmtenet_min_heat_kwh} kWh warmte per jaar en het bedrijf zei in de "
        "enquête geen 'nee'.",
        savings="Gas voor verwarming vervangen door duurzame warmte.",
        cost="Hoge startinvestering in bron en leidingen; samen met waterschap en "
        "gemeente.",
        payback="Lang; vraagt een collectieve businesscase.",
        leidraad_step=4,
        financing=(_SDE_HEAT, _FONDS),
        status=rules.warmtenet_relevant,
        detail=rules.warmtenet_detail,
    ),
    Measure(
        id="koppelkansen_luchthaven",
        name="Koppelkansen met de luchthaven",
        explanation="Samen met een nabije luchthaven kansen verkennen, zoals in "
        "de pilot De Punt met Groningen Airport Eelde.",
        scope=COLLECTIVE,
        building_measure=False,
        who="Alle bedrijven op het terrein.",
        rule="Een luchthaven ligt binnen {coupling_radius_luchthaven_m} m en het "
        "bedrijf gebruikt minstens {coupling_ref_elec_kwh} kWh stroom per jaar "
        "(de koppelkansen uit de Leidraad gaan over stroom: opwek, opslag, "
        "laden).",
        savings="Afhankelijk van de kans.",
        cost="Verkenning.",
        payback="Niet bekend.",
        leidraad_step=4,
        financing=(),
        status=rules.luchthaven_relevant,
        detail=rules.luchthaven_detail,
    ),
    Measure(
        id="kennisdelen",
        name="Kennisdelen",
        explanation="Sessies over de energietransitie op het bedrijventerrein, "
        "met en door ondernemers (Leidraad, pilot Noordenveld).",
        scope=COLLECTIVE,
        building_measure=False,
        who="Alle ondernemers op het terrein.",
        rule="Altijd, als er minstens {collective_min_companies} bedrijven op het "
        "terrein zijn: iedereen kan meedoen.",
        savings="Kennis en samenwerking; de basis voor de andere maatregelen.",
        cost="Tijd.",
        payback="Niet van toepassing.",
        leidraad_step=4,
        financing=(),
        status=rules.kennis_relevant,
        detail=rules.kennis_detail,
        broad=rules.KENNIS_WHY,
    ),
)
"""All measures, individual first, in the order they are shown."""

BY_ID = {m.id: m for m in CATALOGUE}
"""The catalogue by measure id."""


def catalogue_table(a: Assumptions) -> pd.DataFrame:
    """The catalogue as a table (Dutch headers) for a page or an export."""
    return pd.DataFrame(
        [
            {
                "id": m.id,
                "maatregel": m.name,
                "toelichting": m.explanation,
                "schaal": SCOPE_LABELS[m.scope],
                "wie": m.who,
                "wanneer relevant": m.text("rule", a),
                "besparing": m.text("savings", a),
                "kosten": m.text("cost", a),
                "terugverdientijd": m.payback,
                "Leidraad-stap": m.leidraad_step,
                "financiering": "; ".join(m.financing),
                "waarom breed": m.broad,
            }
            for m in CATALOGUE
        ]
    )


def relevance_status(df: pd.DataFrame, a: Assumptions) -> pd.DataFrame:
    """Per building and measure: True (*ja*), False (*nee*) or NA (*mogelijk*).

    Parameters
    ----------
    df : DataFrame
        An analysed terrain (all computed columns except ``measures``).
    a : Assumptions

    Returns
    -------
    DataFrame of boolean (nullable), index of ``df``, one column per measure.
    """
    return pd.DataFrame(
        {m.id: pd.array(m.status(df, a), dtype="boolean") for m in CATALOGUE},
        index=df.index,
    )


def relevance(df: pd.DataFrame, a: Assumptions) -> pd.DataFrame:
    """Which measures are listed for which building: *ja* or *mogelijk*.

    See :func:`relevance_status`.

    Returns
    -------
    DataFrame of bool, index of ``df``, one column per measure id.
    """
    return relevance_status(df, a).fillna(True).astype(bool)
