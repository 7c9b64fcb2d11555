"""*Mijn pand*: one building in plain Dutch, the content of the page and its PDF.

:func:`building_overview` gathers what an entrepreneur wants to know about
their own building from an analysed terrain: the known facts and where each
comes from (:func:`kansenkaart.views.facts.building_facts`, the same facts as
the map's detail panel), the solar potential, the obligations and what they
mean in practice, the individual measures ranked by payback (with the
engine's reasons and their impact: energy, CO₂, € per year, the scheme that
fits and the basis of the figures), the collective initiatives on the
terrain with the number of interested companies (only from :func:`privacy.min_group
<kansenkaart.engine.privacy.min_group>` companies on), a message to the
verhuurder for a tenant, and next steps. The page shows it and
:func:`kansenkaart.views.report_pdf.building_report` prints it on one A4 page.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kansenkaart.core import fmt, texts
from kansenkaart.core.assumptions import Assumptions
from kansenkaart.core.model import Analysis
from kansenkaart.core.texts import NO, PROBABLY_YES, UNKNOWN, YES, missing
from kansenkaart.engine import measures, privacy, whatif
from kansenkaart.engine.opportunities import opportunity_list
from kansenkaart.views import impact
from kansenkaart.views.facts import OVERVIEW, Fact, building_facts, pick

DEMO_NOTE = (
    "Demodata – fictief: dit pand, dit bedrijf en alle cijfers zijn verzonnen om "
    "de werkwijze te laten zien."
)
INTEREST_NOTE = (
    "Aantallen onder de {limit} bedrijven noemen we niet en namen nooit, voor de "
    "privacy."
)
"""Shown once under the collective initiatives (``{limit}``: privacy minimum)."""
NOT_APPLICABLE = "n.v.t."
"""Payback of a measure that saves nothing in money."""


# --- the overview -------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A key figure: name, formatted number, unit and a short explanation."""

    label: str
    value: str
    unit: str = ""
    note: str = ""

    @property
    def heading(self) -> str:
        """Name with unit: ``Vermogen (kWp)``."""
        return f"{self.label} ({self.unit})" if self.unit else self.label

    @property
    def text(self) -> str:
        """Value with unit: ``39,6 kWp``, ``€ 6.741``; ``onbekend`` alone."""
        if self.value == UNKNOWN or not self.unit:
            return self.value
        return f"€ {self.value}" if self.unit == "€" else f"{self.value} {self.unit}"


@dataclass(frozen=True)
class Obligation:
    """A legal obligation: ``ja``, ``waarschijnlijk ja``, ``nee`` or ``onbekend``."""

    name: str
    status: str
    meaning: str


@dataclass(frozen=True)
class MeasureLine:
    """One opportunity of the building, as shown to the entrepreneur.

    ``via_verhuurder`` is True when it goes through the verhuurder, None when
    that is unknown (unknown ownership). ``yearly`` is the electricity and
    gas per year and ``impact`` every known impact phrase (energy, CO₂,
    energy costs, the scheme that fits this building, the basis of the
    figures); ``per_year`` the yearly figures as short cells and
    ``scheme_note`` the scheme and basis in a few words (the PDF), all from
    :mod:`kansenkaart.views.impact`.
    """

    measure_id: str
    name: str
    reason: str
    who: str
    payback: str
    invest: str
    yearly: str
    via_verhuurder: bool | None
    interest: str = ""
    impact: tuple[str, ...] = ()
    per_year: tuple[str, ...] = ()
    scheme_note: str = ""


@dataclass(frozen=True)
class BuildingOverview:
    """Everything *Mijn pand* shows of one building (all text Dutch).

    Attributes
    ----------
    building_id, company, address : str
    terrain_name, municipality : str
        ``onbekend`` without a terrain.
    is_demo : bool
        The data are fictitious demo data.
    date : date
    facts : tuple of Fact
    solar : tuple of Figure
    solar_notes : tuple of str
    obligations : tuple of Obligation
    measures : tuple of MeasureLine
        Individual measures, shortest payback first (unknown payback last).
    collective : tuple of MeasureLine
        Collective initiatives the building can join, with ``interest``.
    owner_measures : tuple of str
        Names of the measures that go through the verhuurder.
    landlord_message : str
        A ready-to-copy message to the verhuurder ("" when not a tenant).
    next_steps : tuple of str
    sources : tuple of str
        Data sources, assumptions and date, for the footer.
    """

    building_id: str
    company: str
    address: str
    terrain_name: str
    municipality: str
    is_demo: bool
    date: dt.date
    facts: tuple[Fact, ...]
    solar: tuple[Figure, ...]
    solar_notes: tuple[str, ...]
    obligations: tuple[Obligation, ...]
    measures: tuple[MeasureLine, ...]
    collective: tuple[MeasureLine, ...]
    owner_measures: tuple[str, ...]
    landlord_message: str
    next_steps: tuple[str, ...]
    sources: tuple[str, ...]

    @property
    def tenant(self) -> bool:
        """Some measures go through the verhuurder."""
        return bool(self.owner_measures)


def _true(value) -> bool:
    """A nullable boolean that is known and True."""
    return not missing(value) and bool(value)


def _div(value, by: float):
    return None if missing(value) else float(value) / by


def _solar(row: pd.Series, a: Assumptions) -> tuple[tuple[Figure, ...], tuple]:
    panels = row.get("pv_panels")
    low, high = row.get("pv_invest_eur_low"), row.get("pv_invest_eur_high")
    figures = (
        Figure("Extra zonnepanelen", fmt.number(panels, 0)),
        Figure(
            "Vermogen",
            fmt.number(row.get("pv_kwp_potential"), 1),
            "kWp",
            f"{fmt.number(a.panel_wp.value, 0, 'Wp')} per paneel",
        ),
        Figure(
            "Opwek per jaar",
            fmt.number(row.get("pv_kwh_yr_potential"), 0),
            "kWh",
            f"{fmt.number(a.yield_kwh_per_kwp.value, 0)} kWh per kWp per jaar",
        ),
        Figure(
            "Besparing per jaar",
            fmt.number(row.get("pv_savings_eur_yr"), 0),
            "€",
            "tegen uw stroomprijs en terugleverprijs",
        ),
        Figure(
            "Investering",
            UNKNOWN
            if missing(low)
            else f"{fmt.number(low, 0)} – {fmt.number(high, 0)}",
            "€",
            "excl. btw, indicatief",
        ),
        Figure(
            "Terugverdientijd",
            fmt.number(row.get("pv_payback_yr"), 1),
            "jaar",
            "gemiddelde investering / besparing per jaar",
        ),
        Figure(
            "CO₂ vermeden per jaar",
            fmt.number(_div(row.get("pv_co2_avoided_kg_yr"), 1000), 1),
            "ton",
            f"{fmt.number(a.co2_elec_kg_per_kwh.value, 2)} kg CO₂ per kWh",
        ),
    )
    notes = []
    if not missing(panels) and int(panels) == 0:
        notes.append("Op uw dak is geen ruimte (meer) voor extra zonnepanelen.")
    share = row.get("pv_share_of_demand")
    if not missing(share) and share > 0:
        notes.append(
            f"Dat is {fmt.percent(share)} van uw stroomverbruik"
            + (
                f" ({texts.ESTIMATED})."
                if texts.text(row.get("elec_source_used")) == texts.ESTIMATED
                else "."
            )
        )
    if _true(row.get("sde_eligible")):
        notes.append("Uw installatie komt in aanmerking voor SDE++-subsidie.")
    return figures, tuple(notes)


def _obligations(row: pd.Series, a: Assumptions) -> tuple[Obligation, ...]:
    kwh = fmt.number(a.besparingsplicht_kwh.value, 0, "kWh")
    m3 = fmt.number(a.besparingsplicht_gas_m3.value, 0, "m³")
    limits = f"vanaf {kwh} stroom of {m3} gas per jaar"
    plicht = texts.verdict(
        row.get("besparingsplicht"), row.get("besparingsplicht_basis")
    )
    besparing = {
        YES: f"Uw verbruik valt onder de plicht ({limits}). U moet alle "
        "energiebesparende maatregelen nemen die zich in 5 jaar of minder "
        "terugverdienen (Erkende Maatregelenlijst). De omgevingsdienst houdt "
        "toezicht.",
        NO: f"Uw verbruik ligt onder de grenzen ({limits}). Besparen loont "
        "natuurlijk nog steeds.",
        UNKNOWN: f"Uw verbruik is niet bekend. De plicht geldt {limits}; "
        "kijk op uw jaarafrekening.",
    }
    besparing[PROBABLY_YES] = (
        besparing[YES] + " Dit is berekend met een geschat verbruik: controleer "
        "het met uw jaarafrekening."
    )
    info = {
        YES: "Elke 4 jaar meldt u via het eLoket van RVO welke maatregelen u "
        "hebt genomen.",
        NO: "Geldt alleen voor bedrijven met de energiebesparingsplicht.",
        UNKNOWN: "Geldt als de energiebesparingsplicht voor u geldt.",
    }
    info[PROBABLY_YES] = info[YES]
    out = [
        Obligation("Energiebesparingsplicht", plicht, besparing[plicht]),
        Obligation("Informatieplicht", plicht, info[plicht]),
    ]
    research = texts.verdict(row.get("onderzoeksplicht"))
    if research != NO:
        out.append(
            Obligation(
                "Onderzoeksplicht",
                research,
                "Bij zeer groot verbruik (vanaf "
                f"{fmt.number(a.onderzoeksplicht_kwh.value, 0, 'kWh')} of "
                f"{fmt.number(a.onderzoeksplicht_gas_m3.value, 0, 'm³')} gas per "
                "jaar) laat u elke 4 jaar een energie-audit doen.",
            )
        )
    out.append(_label_c(row, a))
    return tuple(out)


def _label_c(row: pd.Series, a: Assumptions) -> Obligation:
    share = fmt.percent(a.label_c_min_office_share.value)
    area = fmt.number(a.label_c_min_office_m2.value, 0, "m²")
    required = texts.verdict(row.get("label_c_required"))
    name = "Label C voor kantoren"
    if required == UNKNOWN:
        return Obligation(
            name,
            UNKNOWN,
            "Niet bekend hoeveel van uw pand kantoor is. De plicht geldt als het "
            f"kantoordeel minstens {share} van het pand en minstens {area} is.",
        )
    if required == NO:
        return Obligation(
            name,
            NO,
            "Uw pand valt er niet onder: geen kantoor, of het kantoordeel is "
            f"kleiner dan {share} of {area}.",
        )
    label = row.get("energy_label")
    if not missing(row.get("label_c_ok")) and bool(row.get("label_c_ok")):
        return Obligation(
            name,
            "ja, u voldoet",
            f"Uw kantoor heeft label {label}: dat is C of beter, zoals verplicht.",
        )
    having = f"label {label}" if not missing(label) else "geen geregistreerd label"
    return Obligation(
        name,
        "ja, nog niet voldaan",
        f"Uw pand is (grotendeels) kantoor en heeft {having}. Sinds 1 januari "
        "2023 moet een kantoor label C of beter hebben; anders mag het niet meer "
        "als kantoor worden gebruikt.",
    )


def first_sentences(text: str, n: int = 1) -> str:
    """The first ``n`` sentences of a reason."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z])", str(text).strip())
    return " ".join(parts[:n])


def interest_text(analysed: pd.DataFrame, measure_id: str, a: Assumptions) -> str:
    """How many companies said *ja* to a measure in the survey (Dutch).

    A count below ``privacy_min_connections`` is not given (it could point
    at a company); no names are ever given. "" when the survey does not ask
    about the measure.
    """
    column = measures.BY_ID[measure_id].survey_column
    answered = analysed.get("survey_answered")
    if column is None or column not in analysed.columns:
        return ""
    if answered is None or not answered.fillna(False).astype(bool).any():
        return "Nog geen enquêteantwoorden op dit terrein."
    count = int(analysed[column].astype("string").eq(YES).sum())
    limit = privacy.min_group(a)
    if count >= limit:
        return f"{count} bedrijven hebben in de enquête interesse getoond."
    return f"Minder dan {limit} bedrijven hebben in de enquête interesse getoond."


def _line(row: pd.Series, analysed: pd.DataFrame, a: Assumptions) -> MeasureLine:
    m = measures.BY_ID[row["measure_id"]]
    via = row["via_verhuurder"]
    return MeasureLine(
        measure_id=m.id,
        name=m.name,
        reason=str(row["reason"]),
        who=m.who,
        payback=(
            NOT_APPLICABLE
            if missing(row["payback_yr"])
            else "ca. " + fmt.number(row["payback_yr"], 0, "jaar")
        ),
        invest="" if missing(row["invest_eur"]) else fmt.euro(row["invest_eur"]),
        yearly=impact.energy_text(row),
        via_verhuurder=None if missing(via) else bool(via),
        interest=interest_text(analysed, m.id, a)
        if m.scope == measures.COLLECTIVE
        else "",
        impact=impact.phrases(row),
        per_year=impact.yearly_figures(row),
        scheme_note=impact.scheme_and_basis(row),
    )


def _owner_bullet(line: MeasureLine, row: pd.Series) -> str:
    if line.measure_id in ("zon_eigen_dak", "collectieve_inkoop_zon"):
        return (
            f"{line.name}: ruimte voor ca. {fmt.number(row.get('pv_panels'))} "
            f"panelen ({fmt.number(row.get('pv_kwp_potential'), 0, 'kWp')}), ca. "
            f"{fmt.number(row.get('pv_kwh_yr_potential'), 0, 'kWh')} stroom per jaar."
        )
    return f"{line.name}{': ' + line.yearly if line.yearly else ''}."


def landlord_message(
    lines: list[MeasureLine], row: pd.Series, terrain_name: str
) -> str:
    """A ready-to-copy Dutch message from a tenant to the verhuurder."""
    bullets = "\n".join(f"- {_owner_bullet(line, row)}" for line in lines)
    company = texts.text(row.get("company"), "")
    return (
        "Beste verhuurder,\n\n"
        f"Wij huren het pand aan {texts.text(row.get('address'), 'uw adres')}. Met de "
        f"Kansenkaart van bedrijventerrein {terrain_name} hebben wij bekeken wat "
        "ons pand kan bijdragen aan de energietransitie. Deze kansen gaan over het "
        "pand zelf en kunnen wij daarom niet zonder u oppakken:\n"
        f"{bullets}\n\n"
        "Wij bespreken graag met u hoe we dit samen aanpakken, bijvoorbeeld met "
        "afspraken over investering en besparing (een 'green lease') of door mee "
        "te doen aan de collectieve inkoop op het terrein. Kunnen we hiervoor een "
        "afspraak maken?\n\n"
        "Met vriendelijke groet,\n\n" + (company or "[uw naam en bedrijf]")
    )


def _next_steps(
    row: pd.Series,
    lines: list[MeasureLine],
    tenant: bool,
    municipality: str,
) -> tuple[str, ...]:
    ids = {line.measure_id for line in lines}
    steps = []
    if texts.text(row.get("demand_source")) != texts.MEASURED:
        steps.append(
            "Zoek uw verbruik op in de jaarafrekening en geef het door, of vraag "
            "een MKB-energiescan aan: dan worden de cijfers nauwkeuriger."
        )
    if texts.verdict(row.get("besparingsplicht")) == YES:
        steps.append(
            "Ga na welke maatregelen van de Erkende Maatregelenlijst u al hebt "
            "genomen en meld ze via het eLoket van RVO (informatieplicht)."
        )
    if "label_c" in ids:
        steps.append(
            "Vraag een energielabel aan bij een erkend adviseur en plan de "
            "maatregelen voor label C."
        )
    if tenant:
        steps.append(
            "Bespreek de maatregelen aan het pand met uw verhuurder; een "
            "voorbeeldbericht staat op de pagina Mijn pand."
        )
    elif "zon_eigen_dak" in ids:
        steps.append(
            "Vraag offertes aan voor zonnepanelen, of doe mee met de collectieve "
            "inkoop op het terrein."
        )
    where = (
        f"de gemeente {municipality}" if municipality != UNKNOWN else ("de gemeente")
    )
    steps.append(
        "Doe mee aan de werksessie op het terrein en sluit aan bij een werkgroep "
        f"voor de collectieve kansen; {where} organiseert ze."
    )
    return tuple(steps)


def _by_payback(rows: pd.DataFrame) -> pd.DataFrame:
    order = rows["payback_yr"].astype("Float64").fillna(np.inf)
    return rows.assign(_order=order.to_numpy(float)).sort_values(
        "_order", kind="stable"
    )


def building_overview(
    analysis: Analysis,
    building_id: str,
    opportunities: pd.DataFrame | None = None,
    today: dt.date | None = None,
) -> BuildingOverview:
    """One building in plain Dutch, for *Mijn pand* and its PDF.

    Parameters
    ----------
    analysis : Analysis
        The whole analysed terrain (:func:`kansenkaart.analyse` or
        :func:`kansenkaart.engine.whatif.apply`); not modified. Its terrain
        gives the name, municipality and whether it is demo data.
    building_id : str
    opportunities : DataFrame, optional
        ``opportunity_list(analysis)`` when already computed.
    today : date, optional
        Date of the overview; default today.

    Returns
    -------
    BuildingOverview

    Raises
    ------
    KeyError
        When the building is not in ``analysed``.
    """
    analysed, terrain, a = analysis.buildings, analysis.terrain, analysis.assumptions
    at = whatif.position(analysed, building_id)
    row = analysed.iloc[at]
    olist = opportunity_list(analysis) if opportunities is None else opportunities
    mine = olist[olist["building_id"].astype(str) == str(building_id)]
    individual = [
        _line(r, analysed, a)
        for _, r in _by_payback(mine[mine["scope"] == measures.INDIVIDUAL]).iterrows()
    ]
    collective = [
        _line(r, analysed, a)
        for _, r in mine[mine["scope"] == measures.COLLECTIVE].iterrows()
    ]
    owner = [line for line in individual + collective if line.via_verhuurder]
    terrain_name = terrain.name
    municipality = terrain.municipality or UNKNOWN
    is_demo = terrain.is_demo
    date = today or dt.date.today()
    figures, notes = _solar(row, a)
    corrected = whatif.corrected_fields(analysis, building_id)
    sources = [
        "Bronnen: BAG (adres, bouwjaar, oppervlakte, pandcontour), EP-online "
        "(energielabel), enquête onder ondernemers, netbeheerder (aansluiting, "
        "netcapaciteit), KvK/adressenlijst van de gemeente."
        + (
            " Door u aangepaste gegevens staan als 'eigen opgave'." if corrected else ""
        ),
        f"Berekend met de aannames '{a.label}' van de Kansenkaart; alle cijfers "
        "zijn indicatief, bedragen excl. btw.",
        f"Opgesteld op {date.day}-{date.month}-{date.year} voor bedrijventerrein "
        f"{terrain_name}.",
    ]
    if is_demo:
        sources.insert(0, DEMO_NOTE)
    return BuildingOverview(
        building_id=str(building_id),
        company=texts.text(row.get("company"), ""),
        address=texts.text(row.get("address")),
        terrain_name=terrain_name,
        municipality=municipality,
        is_demo=is_demo,
        date=date,
        facts=pick(building_facts(row, corrected=corrected), OVERVIEW),
        solar=figures,
        solar_notes=notes,
        obligations=_obligations(row, a),
        measures=tuple(individual),
        collective=tuple(collective),
        owner_measures=tuple(line.name for line in owner),
        landlord_message=landlord_message(owner, row, terrain_name) if owner else "",
        next_steps=_next_steps(row, individual, bool(owner), municipality),
        sources=tuple(sources),
    )
