"""*Mijn pand*: one building in plain Dutch, on the page and as a one-page PDF.

:func:`building_overview` gathers what an entrepreneur wants to know about
their own building from an analysed terrain: the known facts and where each
comes from, the solar potential, the obligations and what they mean in
practice, the individual measures ranked by payback (with the engine's
reasons), the collective initiatives on the terrain with the number of
interested companies (only from :func:`privacy.min_group
<kansenkaart.engine.privacy.min_group>` companies on), a message to the
verhuurder for a tenant, and next steps. The page shows it and
:func:`building_report` prints it on one A4 page with the building's outline.

The PDF uses the PDF core fonts (Helvetica, WinAnsi encoding), so it needs
no font files and works offline; :func:`pdf_text` brings any text within
that character set (ë, é, ï, €, ² stay; CO₂ becomes CO2, emoji and control
characters go). Text is never read as markup.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from kansenkaart.core import fmt
from kansenkaart.core.assumptions import Assumptions
from kansenkaart.core.model import Analysis
from kansenkaart.engine import measures, privacy, whatif
from kansenkaart.engine.grid import STATUS_LABELS
from kansenkaart.engine.opportunities import opportunity_list

YES, NO = "ja", "nee"
PROBABLY_YES = "waarschijnlijk ja"
OWN_INPUT = "eigen opgave"
"""Source shown for a figure the entrepreneur corrected."""
DEMO_NOTE = (
    "Demodata – fictief: dit pand, dit bedrijf en alle cijfers zijn verzonnen om "
    "de werkwijze te laten zien."
)
INTEREST_NOTE = (
    "Aantallen onder de {limit} bedrijven noemen we niet en namen nooit, voor de "
    "privacy."
)
"""Shown once under the collective initiatives (``{limit}``: privacy minimum)."""
MAX_MEASURES_PDF = 6
MAX_COLLECTIVE_PDF = 5
MIN_COLLECTIVE_PDF = 1
"""Collective initiatives the PDF always has room for (when there are any)."""
_OWNERSHIP = {
    "eigenaar-gebruiker": "eigenaar-gebruiker (u bent eigenaar)",
    "huurder": "huurder",
    "belegger": "eigendom van een belegger (u huurt)",
    "onbekend": fmt.UNKNOWN,
}
_ROOF = {"flat": "plat", "pitched": "schuin"}
_CONNECTION = {
    "kleinverbruik": "kleinverbruik (tot 3×80 A)",
    "grootverbruik": "grootverbruik (groter dan 3×80 A)",
}


# --- the overview -------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """A known fact: Dutch name, formatted value and its source."""

    label: str
    value: str
    source: str


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
        if self.value == fmt.UNKNOWN or not self.unit:
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
    that is unknown (unknown ownership).
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


def _missing(value) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _true(value) -> bool:
    """A nullable boolean that is known and True."""
    return not _missing(value) and bool(value)


def _text(value, default: str = fmt.UNKNOWN) -> str:
    return default if _missing(value) else str(value)


def euro(value) -> str:
    """``€ 12.345`` (Dutch thousands separator); ``onbekend`` when missing."""
    return fmt.UNKNOWN if _missing(value) else "€ " + fmt.number(value, 0)


def _div(value, by: float):
    return None if _missing(value) else float(value) / by


def _verdict(value, basis=None) -> str:
    """Three-valued verdict: ja, waarschijnlijk ja (estimated), nee, onbekend."""
    if _missing(value):
        return fmt.UNKNOWN
    if bool(value):
        return PROBABLY_YES if basis == "geschat" else YES
    return NO


def _source(name: str, corrected: tuple[str, ...], default: str) -> str:
    return OWN_INPUT if name in corrected else default


def _facts(row: pd.Series, corrected: tuple[str, ...]) -> tuple[Fact, ...]:
    roof = _ROOF.get(_text(row.get("roof_type"), ""), fmt.UNKNOWN)
    roof_source = "3D BAG"
    if _true(row.get("roof_type_assumed")):
        roof, roof_source = "onbekend, gerekend als plat", "aanname"
    existing = row.get("pv_kwp_existing")
    return (
        Fact("Adres", _text(row.get("address")), "BAG / adressenlijst gemeente"),
        Fact("Bedrijf", _text(row.get("company")), "KvK / adressenlijst gemeente"),
        Fact("Sector", _text(row.get("sector")), "KvK / adressenlijst gemeente"),
        Fact("Gebruiksdoel", _text(row.get("building_use")), "BAG"),
        Fact("Bouwjaar", _text(row.get("construction_year")), "BAG"),
        Fact(
            "Gebruiksoppervlakte", fmt.number(row.get("floor_area_m2"), 0, "m²"), "BAG"
        ),
        Fact(
            "Dakoppervlak",
            fmt.number(row.get("roof_area_m2"), 0, "m²"),
            "BAG (pandcontour)",
        ),
        Fact("Daktype", roof, roof_source),
        Fact(
            "Energielabel",
            _text(row.get("energy_label")),
            _source("energy_label", corrected, "EP-online"),
        ),
        Fact(
            "Eigendom",
            _OWNERSHIP.get(_text(row.get("ownership")), fmt.UNKNOWN),
            _source("ownership", corrected, "enquête / gemeente"),
        ),
        Fact(
            "Netaansluiting",
            _CONNECTION.get(_text(row.get("grid_connection")), fmt.UNKNOWN),
            "netbeheerder",
        ),
        Fact(
            "Stroomverbruik",
            fmt.number(row.get("elec_kwh_yr_est"), 0, "kWh per jaar"),
            _source("elec_kwh_yr", corrected, _text(row.get("elec_source_used"), "-")),
        ),
        Fact(
            "Gasverbruik",
            fmt.number(row.get("gas_m3_yr_est"), 0, "m³ per jaar"),
            _source("gas_m3_yr", corrected, _text(row.get("gas_source_used"), "-")),
        ),
        Fact(
            "CO₂-uitstoot",
            fmt.number(_div(row.get("co2_kg_yr"), 1000), 1, "ton per jaar"),
            f"berekend uit het verbruik ({_text(row.get('demand_source'), '-')})",
        ),
        Fact(
            "Bestaande zonnepanelen",
            fmt.number(existing, 1, "kWp")
            if not _missing(existing)
            else "onbekend (gerekend als geen)",
            _source("pv_kwp_existing", corrected, "enquête / zon-op-dak-monitor"),
        ),
        Fact(
            "Netcapaciteit",
            f"afname: {_status(row.get('grid_afname_status'))}; "
            f"teruglevering: {_status(row.get('grid_invoeding_status'))}",
            "Capaciteitskaart netbeheerder",
        ),
    )


def _status(value) -> str:
    return fmt.UNKNOWN if _missing(value) else STATUS_LABELS.get(int(value), "?")


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
            fmt.UNKNOWN
            if _missing(low)
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
    if not _missing(panels) and int(panels) == 0:
        notes.append("Op uw dak is geen ruimte (meer) voor extra zonnepanelen.")
    share = row.get("pv_share_of_demand")
    if not _missing(share) and share > 0:
        notes.append(
            f"Dat is {fmt.percent(share)} van uw stroomverbruik"
            + (
                " (geschat)."
                if _text(row.get("elec_source_used")) == "geschat"
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
    plicht = _verdict(row.get("besparingsplicht"), row.get("besparingsplicht_basis"))
    besparing = {
        YES: f"Uw verbruik valt onder de plicht ({limits}). U moet alle "
        "energiebesparende maatregelen nemen die zich in 5 jaar of minder "
        "terugverdienen (Erkende Maatregelenlijst). De omgevingsdienst houdt "
        "toezicht.",
        NO: f"Uw verbruik ligt onder de grenzen ({limits}). Besparen loont "
        "natuurlijk nog steeds.",
        fmt.UNKNOWN: f"Uw verbruik is niet bekend. De plicht geldt {limits}; "
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
        fmt.UNKNOWN: "Geldt als de energiebesparingsplicht voor u geldt.",
    }
    info[PROBABLY_YES] = info[YES]
    out = [
        Obligation("Energiebesparingsplicht", plicht, besparing[plicht]),
        Obligation("Informatieplicht", plicht, info[plicht]),
    ]
    research = _verdict(row.get("onderzoeksplicht"))
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
    required = _verdict(row.get("label_c_required"))
    name = "Label C voor kantoren"
    if required == fmt.UNKNOWN:
        return Obligation(
            name,
            fmt.UNKNOWN,
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
    if not _missing(row.get("label_c_ok")) and bool(row.get("label_c_ok")):
        return Obligation(
            name,
            "ja, u voldoet",
            f"Uw kantoor heeft label {label}: dat is C of beter, zoals verplicht.",
        )
    having = f"label {label}" if not _missing(label) else "geen geregistreerd label"
    return Obligation(
        name,
        "ja, nog niet voldaan",
        f"Uw pand is (grotendeels) kantoor en heeft {having}. Sinds 1 januari "
        "2023 moet een kantoor label C of beter hebben; anders mag het niet meer "
        "als kantoor worden gebruikt.",
    )


def _first_sentences(text: str, n: int = 1) -> str:
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
    count = int(analysed[column].astype("string").eq("ja").sum())
    limit = privacy.min_group(a)
    if count >= limit:
        return f"{count} bedrijven hebben in de enquête interesse getoond."
    return f"Minder dan {limit} bedrijven hebben in de enquête interesse getoond."


def _line(row: pd.Series, analysed: pd.DataFrame, a: Assumptions) -> MeasureLine:
    m = measures.BY_ID[row["measure_id"]]
    yearly = ""
    if not _missing(row["kwh_yr"]):
        yearly = fmt.number(row["kwh_yr"], 0, "kWh per jaar")
    via = row["via_verhuurder"]
    return MeasureLine(
        measure_id=m.id,
        name=m.name,
        reason=str(row["reason"]),
        who=m.who,
        payback=(
            "n.v.t."
            if _missing(row["payback_yr"])
            else "ca. " + fmt.number(row["payback_yr"], 0, "jaar")
        ),
        invest="" if _missing(row["invest_eur"]) else euro(row["invest_eur"]),
        yearly=yearly,
        via_verhuurder=None if _missing(via) else bool(via),
        interest=interest_text(analysed, m.id, a)
        if m.scope == measures.COLLECTIVE
        else "",
    )


def _owner_bullet(line: MeasureLine, row: pd.Series) -> str:
    if line.measure_id in ("zon_eigen_dak", "collectieve_inkoop_zon"):
        return (
            f"{line.name}: ruimte voor ca. {fmt.number(row.get('pv_panels'))} "
            f"panelen ({fmt.number(row.get('pv_kwp_potential'), 0, 'kWp')}), ca. "
            f"{fmt.number(row.get('pv_kwh_yr_potential'), 0, 'kWh')} stroom per jaar."
        )
    return f"{line.name}{': ' + line.yearly + ' besparing' if line.yearly else ''}."


def landlord_message(
    lines: list[MeasureLine], row: pd.Series, terrain_name: str
) -> str:
    """A ready-to-copy Dutch message from a tenant to the verhuurder."""
    bullets = "\n".join(f"- {_owner_bullet(line, row)}" for line in lines)
    company = _text(row.get("company"), "")
    return (
        "Beste verhuurder,\n\n"
        f"Wij huren het pand aan {_text(row.get('address'), 'uw adres')}. Met de "
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
    if _text(row.get("demand_source")) != "gemeten":
        steps.append(
            "Zoek uw verbruik op in de jaarafrekening en geef het door, of vraag "
            "een MKB-energiescan aan: dan worden de cijfers nauwkeuriger."
        )
    if _verdict(row.get("besparingsplicht")) == YES:
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
        f"de gemeente {municipality}"
        if municipality != fmt.UNKNOWN
        else ("de gemeente")
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
    municipality = terrain.municipality or fmt.UNKNOWN
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
        company=_text(row.get("company"), ""),
        address=_text(row.get("address")),
        terrain_name=terrain_name,
        municipality=municipality,
        is_demo=is_demo,
        date=date,
        facts=_facts(row, corrected),
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


# --- PDF ------------------------------------------------------------------------

_ENCODING = "cp1252"
"""The PDF core fonts' WinAnsi encoding, as Python names it."""
_REPLACE = {
    "≥": "minimaal",
    "≤": "maximaal",
    "→": "->",
    "←": "<-",
    "✓": "v",
    "\t": " ",
    "\u00a0": " ",
}
PAGE_W, PAGE_H, MARGIN = 210.0, 297.0, 12.0
_GREEN = (31, 95, 63)
_LIGHT_GREEN = (221, 236, 226)
_GREY = (110, 110, 110)
_LIGHT_GREY = (225, 225, 225)
_RED = (156, 0, 6)
_LIGHT_RED = (253, 231, 233)
_PAPER = (248, 248, 248)


def pdf_text(text, max_chars: int | None = None) -> str:
    """Text the PDF core fonts can show.

    Unicode is composed (NFC); characters outside WinAnsi (cp1252) are
    replaced by a plain equivalent (≥ → "minimaal", CO₂ → CO2, ő → o) or
    dropped (emoji, control characters); runs of spaces collapse. Newlines
    stay. ``max_chars`` cuts long text with an ellipsis.
    """
    text = unicodedata.normalize("NFC", str(text))
    out = []
    for char in text:
        char = _REPLACE.get(char, char)
        if char == "\n":
            out.append(char)
            continue
        if len(char) == 1 and unicodedata.category(char)[0] == "C":
            continue
        try:
            char.encode(_ENCODING)
            out.append(char)
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", char)
            out.append(
                "".join(
                    c
                    for c in plain
                    if not unicodedata.combining(c) and c.isprintable() and _fits(c)
                )
            )
    clean = "\n".join(" ".join(line.split()) for line in "".join(out).split("\n"))
    if max_chars is not None and len(clean) > max_chars:
        clean = clean[: max_chars - 1].rstrip() + "…"
    return clean


def _fits(char: str) -> bool:
    try:
        char.encode(_ENCODING)
    except UnicodeEncodeError:
        return False
    return True


_HEADING_H = 2 + 5.5 + 1.2
"""Height (mm) of a section heading."""


class _Page:
    """One A4 page written top-down; nothing is drawn below ``bottom``."""

    def __init__(self, bottom: float):
        pdf = FPDF(orientation="P", unit="mm", format="A4")
        pdf.core_fonts_encoding = _ENCODING
        pdf.set_auto_page_break(False)
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.add_page()
        self.pdf = pdf
        self.bottom = bottom

    @property
    def width(self) -> float:
        return PAGE_W - 2 * MARGIN

    def font(self, size: float, style: str = "", colour=(0, 0, 0)) -> None:
        self.pdf.set_font("helvetica", style, size)
        self.pdf.set_text_color(*colour)

    def fit(self, text: str, width: float) -> str:
        """``text`` cut with an ellipsis to one line of ``width`` mm (current font)."""
        text = pdf_text(text)
        if self.pdf.get_string_width(text) <= width:
            return text
        while text and self.pdf.get_string_width(text + "…") > width:
            text = text[:-1]
        return text.rstrip() + "…"

    def room(self, needed: float) -> bool:
        return self.pdf.get_y() + needed <= self.bottom

    def row_height(self, cells, line_h: float = 3.5, gap: float = 1.0) -> float:
        """Height (mm) of :meth:`row` with these cells."""
        heights = []
        for width, text, size, style, _ in cells:
            self.font(size, style)
            lines = self.pdf.multi_cell(
                width - 1.5, line_h, pdf_text(text), dry_run=True, output="LINES"
            )
            heights.append(len(lines) * line_h)
        return max(heights) + gap

    def row(
        self, cells, line_h: float = 3.5, gap: float = 1.0, keep: float = 0.0
    ) -> bool:
        """Table row of wrapped cells ``(width, text, size, style, colour)``.

        False, and nothing drawn, when the row and ``keep`` mm below it do not
        fit above ``bottom``.
        """
        height = self.row_height(cells, line_h, gap)
        if not self.room(height + keep):
            return False
        y, x = self.pdf.get_y(), MARGIN
        for width, text, size, style, colour in cells:
            self.font(size, style, colour)
            self.pdf.set_xy(x, y)
            self.pdf.multi_cell(width - 1.5, line_h, pdf_text(text), align="L")
            x += width
        self.pdf.set_y(y + height)
        return True

    def text(
        self,
        text: str,
        size: float = 8.0,
        style: str = "",
        colour=(0, 0, 0),
        line_h: float = 3.6,
    ) -> bool:
        """A wrapped paragraph over the full width; False when it does not fit."""
        return self.row([(self.width + 1.5, text, size, style, colour)], line_h, 0.4)

    def text_height(self, text: str, size: float = 8.0, line_h: float = 3.6) -> float:
        """Height (mm) of :meth:`text`."""
        return self.row_height([(self.width + 1.5, text, size, "", None)], line_h, 0.4)

    def heading(self, title: str) -> bool:
        if not self.room(_HEADING_H + 4):
            return False
        self.pdf.ln(2)
        self.font(11, "B", _GREEN)
        self.pdf.cell(0, 5.5, pdf_text(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.set_draw_color(*_GREEN)
        self.pdf.set_line_width(0.3)
        y = self.pdf.get_y()
        self.pdf.line(MARGIN, y, PAGE_W - MARGIN, y)
        self.pdf.ln(1.2)
        return True

    def more(self, shown: int, total: int, what: str) -> None:
        if shown < total:
            self.text(
                f"... en nog {total - shown} {what}: zie de pagina Mijn pand.",
                7,
                "I",
                _GREY,
            )


def _nice_length(metres: float) -> float:
    """A round scale-bar length (1, 2, 5 × 10^k m) at most ``metres``."""
    power = 10 ** np.floor(np.log10(max(metres, 1)))
    return max(s * power for s in (1, 2, 5) if s * power <= max(metres, 1))


def _draw_outline(
    page: _Page,
    analysed: pd.DataFrame,
    at: int,
    box_mm: tuple[float, float, float, float],
) -> None:
    """The building (green) among its neighbours (grey), north up, with scale.

    ``box_mm`` is ``(x, y, w, h)`` on the page; the geometry is RD New (m).
    """
    pdf = page.pdf
    x, y, w, h = box_mm
    pdf.set_draw_color(*_GREY)
    pdf.set_line_width(0.2)
    pdf.set_fill_color(*_PAPER)
    pdf.rect(x, y, w, h, style="DF")
    geometry = analysed.geometry
    shape = geometry.iloc[at]
    if shape is None or shape.is_empty:
        page.font(8, "I", _GREY)
        pdf.set_xy(x, y + h / 2 - 2)
        pdf.cell(w, 4, "Geen pandcontour bekend", align="C")
        return
    minx, miny, maxx, maxy = shape.bounds
    margin = max(0.35 * max(maxx - minx, maxy - miny), 15.0)
    box = (minx - margin, miny - margin, maxx + margin, maxy + margin)
    pad = 3.0
    scale = min((w - 2 * pad) / (box[2] - box[0]), (h - 2 * pad) / (box[3] - box[1]))
    ox = x + (w - (box[2] - box[0]) * scale) / 2
    oy = y + (h - (box[3] - box[1]) * scale) / 2

    def points(ring) -> list[tuple[float, float]]:
        return [
            (ox + (px - box[0]) * scale, oy + (box[3] - py) * scale)
            for px, py in np.asarray(ring.coords)[:, :2]
        ]

    def draw(geom, fill, line, width) -> None:
        pdf.set_draw_color(*line)
        pdf.set_line_width(width)
        for part in getattr(geom, "geoms", [geom]):
            if part.geom_type != "Polygon" or part.is_empty:
                continue
            pdf.set_fill_color(*fill)
            pdf.polygon(points(part.exterior), style="DF")
            pdf.set_fill_color(*_PAPER)
            for hole in part.interiors:
                pdf.polygon(points(hole), style="DF")

    for pos in geometry.sindex.query(shapely.box(*box)):
        other = geometry.iloc[pos]
        if pos != at and other is not None:
            clipped = shapely.clip_by_rect(other, *box)
            if not clipped.is_empty:
                draw(clipped, _LIGHT_GREY, (160, 160, 160), 0.15)
    draw(shape, (76, 153, 106), _GREEN, 0.5)
    metres = _nice_length((box[2] - box[0]) / 4)
    bar, bx, by = metres * scale, x + 3, y + h - 4
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.5)
    pdf.line(bx, by, bx + bar, by)
    page.font(6.5)
    pdf.set_xy(bx, by - 3.4)
    pdf.cell(bar, 3, f"{fmt.number(metres, 0)} m", align="C")
    nx, ny = x + w - 6, y + 3
    pdf.set_fill_color(0, 0, 0)
    pdf.polygon([(nx, ny), (nx - 1.6, ny + 4), (nx + 1.6, ny + 4)], style="F")
    page.font(6.5, "B")
    pdf.set_xy(nx - 2, ny + 4.2)
    pdf.cell(4, 3, "N", align="C")


def _header(page: _Page, o: BuildingOverview) -> None:
    pdf = page.pdf
    page.font(17, "B", _GREEN)
    pdf.set_xy(MARGIN, MARGIN)
    pdf.cell(120, 8, "Mijn kansenoverzicht")
    page.font(8, "", _GREY)
    for i, line in enumerate((_dutch_date(o.date), "Kansenkaart bedrijventerreinen")):
        pdf.set_xy(PAGE_W - MARGIN - 60, MARGIN + 1 + 4 * i)
        pdf.cell(60, 4, line, align="R")
    pdf.set_y(MARGIN + 10)
    page.font(12.5, "B")
    pdf.cell(0, 6, page.fit(o.company or o.address, page.width))
    pdf.ln(6)
    page.font(9, "", _GREY)
    pdf.cell(0, 4.5, page.fit(f"{o.address} · bedrijventerrein {o.terrain_name}", 186))
    pdf.ln(5.5)
    if o.is_demo:
        y = pdf.get_y()
        pdf.set_fill_color(*_LIGHT_RED)
        pdf.set_draw_color(*_RED)
        pdf.rect(MARGIN, y, page.width, 7, style="DF")
        page.font(8.5, "B", _RED)
        pdf.set_xy(MARGIN + 2, y + 1.5)
        pdf.cell(page.width - 4, 4, page.fit(DEMO_NOTE, page.width - 4))
        pdf.set_y(y + 8)


_FACT_H = 4.3
"""Row height (mm) of the facts beside the outline."""
_OUTLINE_H = 46.0
"""Height (mm) of the outline drawing."""
_PDF_FACTS = (
    ("Bouwjaar", "Bouwjaar"),
    ("Gebruiksoppervlakte", "Oppervlakte"),
    ("Dakoppervlak", "Dakoppervlak"),
    ("Energielabel", "Energielabel"),
    ("Eigendom", "Eigendom"),
    ("Stroomverbruik", "Stroomverbruik"),
    ("Gasverbruik", "Gasverbruik"),
    ("Bestaande zonnepanelen", "Zonnepanelen nu"),
    ("Netaansluiting", "Netaansluiting"),
)
"""Facts on the PDF: label in the overview -> shorter label on paper."""


def _facts_block(page: _Page, o: BuildingOverview, x: float, w: float) -> None:
    pdf = page.pdf
    by_label = {f.label: f for f in o.facts}
    page.font(10, "B", _GREEN)
    pdf.set_x(x)
    pdf.cell(w, 5, "Wat we weten van uw pand", new_x=XPos.LEFT, new_y=YPos.NEXT)
    label_w, source_w = 26.0, 32.0
    value_w = w - label_w - source_w
    for name, short in _PDF_FACTS:
        fact = by_label[name]
        pdf.set_x(x)
        page.font(7.8, "B")
        pdf.cell(label_w, _FACT_H, short)
        page.font(7.8)
        pdf.cell(value_w, _FACT_H, page.fit(fact.value, value_w - 1))
        page.font(6.8, "I", _GREY)
        pdf.cell(source_w, _FACT_H, page.fit(fact.source, source_w), align="R")
        pdf.ln(_FACT_H)


def _figures_block(page: _Page, o: BuildingOverview) -> None:
    pdf = page.pdf
    per_row, gap, box_h = 4, 1.5, 12.0
    box_w = (page.width - gap * (per_row - 1)) / per_row
    top = pdf.get_y()
    for i, figure in enumerate(o.solar):
        x = MARGIN + (i % per_row) * (box_w + gap)
        y = top + (i // per_row) * (box_h + gap)
        pdf.set_fill_color(*_LIGHT_GREEN)
        pdf.set_draw_color(*_LIGHT_GREEN)
        pdf.rect(x, y, box_w, box_h, style="DF")
        for size, style, colour, dy, text in (
            (7, "", _GREY, 1.2, figure.label),
            (10.5, "B", (0, 0, 0), 4.4, figure.text),
            (6, "", _GREY, 8.4, figure.note),
        ):
            page.font(size, style, colour)
            pdf.set_xy(x + 2, y + dy)
            pdf.cell(box_w - 4, 3.5, page.fit(text, box_w - 4))
    rows = -(-len(o.solar) // per_row)
    pdf.set_y(top + rows * (box_h + gap))
    if o.solar_notes:
        page.text(" ".join(o.solar_notes))


_NAME_W = 46.0


def _obligations_block(page: _Page, o: BuildingOverview) -> None:
    for item in o.obligations:
        if not page.row(
            [
                (_NAME_W, f"{item.name}: {item.status}", 8, "B", (0, 0, 0)),
                (page.width - _NAME_W + 1.5, item.meaning, 8, "", (0, 0, 0)),
            ],
            line_h=3.6,
        ):
            return


def _measures_block(page: _Page, o: BuildingOverview) -> None:
    widths = (_NAME_W, 24.0, 20.0)
    rest = page.width - sum(widths) + 1.5
    titles = ("Maatregel", "Terugverdientijd", "Investering", "Waarom voor u")
    page.row(
        [(w, t, 7, "B", _GREY) for w, t in zip((*widths, rest), titles, strict=True)]
    )
    shown, black = 0, (0, 0, 0)
    more_h = page.text_height("...", 7)
    for n, line in enumerate(o.measures[:MAX_MEASURES_PDF], start=1):
        name = line.name + (" (via verhuurder)" if line.via_verhuurder else "")
        if not page.row(
            [
                (widths[0], name, 7.5, "B", black),
                (widths[1], line.payback, 7.5, "", black),
                (widths[2], line.invest or "-", 7.5, "", black),
                (rest, _first_sentences(line.reason), 7.5, "", black),
            ],
            keep=more_h if n < len(o.measures) else 0.0,
        ):
            break
        shown += 1
    page.more(shown, len(o.measures), "maatregel(en)")
    if not o.measures:
        page.text("Geen individuele maatregelen gevonden voor dit pand.")


def _collective_cells(page: _Page, line: MeasureLine) -> list:
    detail = line.interest or _first_sentences(line.reason)
    return [
        (_NAME_W, line.name, 8, "B", (0, 0, 0)),
        (page.width - _NAME_W + 1.5, detail, 8, "", (0, 0, 0)),
    ]


def _collective_reserve(page: _Page, o: BuildingOverview) -> float:
    """Height (mm) kept free for the first collective initiatives."""
    rows = o.collective[:MIN_COLLECTIVE_PDF]
    return (
        _HEADING_H
        + sum(page.row_height(_collective_cells(page, line), 3.6) for line in rows)
        + 2 * page.text_height(INTEREST_NOTE, 7)
    )


def _collective_block(page: _Page, o: BuildingOverview, a: Assumptions) -> None:
    shown, more_h = 0, page.text_height("...", 7)
    for n, line in enumerate(o.collective[:MAX_COLLECTIVE_PDF], start=1):
        keep = more_h if n < len(o.collective) else 0.0
        if not page.row(_collective_cells(page, line), line_h=3.6, keep=keep):
            break
        shown += 1
    page.more(shown, len(o.collective), "initiatief(en)")
    if o.collective:
        page.text(INTEREST_NOTE.format(limit=privacy.min_group(a)), 7, "I", _GREY)
    else:
        page.text("Geen collectieve initiatieven gevonden voor dit pand.")


def _footer(page: _Page, o: BuildingOverview, top: float) -> None:
    pdf = page.pdf
    pdf.set_draw_color(*_GREY)
    pdf.set_line_width(0.2)
    pdf.line(MARGIN, top, PAGE_W - MARGIN, top)
    pdf.set_y(top + 1)
    page.bottom = PAGE_H - 5
    for i, line in enumerate(o.sources):
        demo = o.is_demo and i == 0
        page.text(line, 6.8, "B" if demo else "", _RED if demo else _GREY, 3.1)


def _dutch_date(date: dt.date) -> str:
    return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"


_MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def render_pdf(
    o: BuildingOverview, analysed: pd.DataFrame, at: int, a: Assumptions
) -> bytes:
    """The overview on one A4 page (see :func:`building_report`)."""
    footer_h = 3.1 * (len(o.sources) + 2) + 3
    footer_top = PAGE_H - 5 - footer_h
    page = _Page(bottom=footer_top - 2)
    pdf = page.pdf
    pdf.set_title(pdf_text(f"Mijn kansenoverzicht - {o.company or o.address}"))
    pdf.set_author("Kansenkaart bedrijventerreinen")
    pdf.set_creation_date(
        dt.datetime(o.date.year, o.date.month, o.date.day, tzinfo=dt.UTC)
    )
    _header(page, o)
    top = pdf.get_y() + 2
    _draw_outline(page, analysed, at, (MARGIN, top, 64, _OUTLINE_H))
    pdf.set_y(top)
    _facts_block(page, o, MARGIN + 68, page.width - 68)
    pdf.set_y(max(pdf.get_y(), top + _OUTLINE_H) + 1)
    if page.heading("Zon op uw dak"):
        _figures_block(page, o)
    # Fill top-down, but keep room for the first collective initiatives and
    # for every next step, whatever the measures take.
    steps = [f"{i}. {step}" for i, step in enumerate(o.next_steps, start=1)]
    steps_top = footer_top - 2 - _HEADING_H - sum(map(page.text_height, steps))
    page.bottom = steps_top - _collective_reserve(page, o)
    if page.heading("Verplichtingen"):
        _obligations_block(page, o)
    if page.heading("Maatregelen voor uw pand, kortste terugverdientijd eerst"):
        _measures_block(page, o)
    page.bottom = steps_top
    if page.heading("Samen met andere bedrijven op het terrein"):
        _collective_block(page, o, a)
    page.bottom = footer_top - 2
    if page.heading("Volgende stappen"):
        for step in steps:
            if not page.text(step):
                break
    _footer(page, o, footer_top)
    return bytes(pdf.output())


def building_report(
    analysis: Analysis,
    building_id: str,
    *,
    opportunities: pd.DataFrame | None = None,
    today: dt.date | None = None,
) -> bytes:
    """*Mijn kansenoverzicht*: a one-page A4 PDF for one building.

    The building's outline drawn among its neighbours (north up, with a
    scale bar), the key facts with their sources, the solar figures, the
    obligations, the measures ranked by payback, the collective initiatives,
    next steps, the date and the data sources; demo data is marked as
    fictitious. Content that does not fit is left out with a pointer to the
    app, so the report is always one page.

    Parameters
    ----------
    analysis : Analysis
        The whole analysed terrain (:func:`kansenkaart.analyse`, or
        :func:`kansenkaart.engine.whatif.apply` to print the entrepreneur's what-if);
        not modified. Its terrain gives the name, municipality and demo notice.
    building_id : str
    opportunities : DataFrame, optional
        ``opportunity_list(analysis)`` when already computed.
    today : date, optional
        Date printed; default today.

    Returns
    -------
    bytes
        The PDF file.

    Raises
    ------
    KeyError
        When the building is not in ``analysed``.
    """
    overview = building_overview(analysis, building_id, opportunities, today)
    analysed = analysis.buildings
    return render_pdf(
        overview,
        analysed,
        whatif.position(analysed, building_id),
        analysis.assumptions,
    )
