"""The measure catalogue of Leidraad step 3, with the rules that select them.

:data:`CATALOGUE` lists every individual and collective measure as data: id,
Dutch name and explanation, scope, whether it touches the building (then a
tenant goes through the verhuurder), who can take it, the rule that makes it
relevant (in Dutch), indicative savings / cost / payback, the Leidraad step
where a werkgroep picks it up, and financing hints.

Each measure also carries two functions:

``relevant(df, a) -> ndarray of bool``
    Which buildings of an analysed terrain it applies to. Collective measures
    look at the whole terrain (e.g. at least ``collective_min_companies``
    companies with a suitable roof), so pass the whole terrain.
``detail(rows, a, count) -> DataFrame``
    For the selected rows: a Dutch ``reason`` a person understands, and where
    the model can say it ``kwp``, ``kwh_yr`` (generated or saved, kWh/yr;
    gas in kWh-equivalent), ``co2_kg_yr`` (avoided), ``invest_eur`` and
    ``payback_yr``. ``count`` is the number of buildings on the terrain with
    the measure (for "samen met 12 andere bedrijven").

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
from kansenkaart.engine.energy import gas_kwh
from kansenkaart.engine.grid import STATUS_LABELS
from kansenkaart.engine.obligations import LABELS_C_OR_BETTER
from kansenkaart.engine.solar import electricity_price, simple_payback

INDIVIDUAL = "individual"
COLLECTIVE = "collective"
SCOPE_LABELS = {INDIVIDUAL: "individueel", COLLECTIVE: "collectief"}
DETAIL_COLUMNS = ("reason", "kwp", "kwh_yr", "co2_kg_yr", "invest_eur", "payback_yr")

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
    relevant: Callable[[pd.DataFrame, Assumptions], np.ndarray] = field(
        repr=False, compare=False
    )
    detail: Callable[[pd.DataFrame, Assumptions, int], pd.DataFrame] = field(
        repr=False, compare=False
    )

    def text(self, field_name: str, a: Assumptions) -> str:
        """A text field (``rule``, ``savings``, ``cost``) with the numbers of ``a``.

        The catalogue writes numbers as ``{assumption_key}`` placeholders, so
        the texts follow the assumptions a user sets.
        """
        return getattr(self, field_name).format_map(
            {key: _Number(item.value) for key, item in a}
        )

    @property
    def survey_column(self) -> str | None:
        """Survey interest column for this measure, if the survey asks about it."""
        return f"interest_{self.id}" if self.id in SURVEY_MEASURES else None


# --- helpers -------------------------------------------------------------


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


def _approx(values: pd.Series, step: float, unit: str) -> pd.Series:
    """Rounded to a multiple of ``step`` for "ca." figures: ``12.300 kWh``."""
    rounded = np.round(values.astype("Float64") / step) * step
    return fmt.numbers(rounded, 0, unit)


def _mask(values) -> np.ndarray:
    """Nullable booleans as a plain mask: NA counts as not selected."""
    return pd.array(values, dtype="boolean").to_numpy(dtype=bool, na_value=False)


def _where(rows: pd.DataFrame, condition, yes, no="") -> pd.Series:
    """Text per row: ``yes`` where ``condition`` holds, else ``no``.

    ``yes`` and ``no`` are plain strings or string Series on ``rows.index``.
    """

    def values(x):
        return x.to_numpy(dtype=object) if isinstance(x, pd.Series) else x

    return pd.Series(
        np.where(_mask(condition), values(yes), values(no)),
        index=rows.index,
        dtype="string",
    )


def _frame(rows: pd.DataFrame, reason: pd.Series, **numbers) -> pd.DataFrame:
    """Detail frame for ``rows``: the reason plus the given numeric columns."""
    out = pd.DataFrame({"reason": reason.astype("string")}, index=rows.index)
    for name in DETAIL_COLUMNS[1:]:
        value = numbers.get(name)
        out[name] = (
            pd.Series(pd.NA, index=rows.index, dtype="Float64")
            if value is None
            else value.astype("Float64")
        )
    return out


def _estimated(rows: pd.DataFrame, source: str) -> pd.Series:
    """`` (geschat)`` after a figure that is an estimate."""
    return _where(rows, rows[source].astype("string").eq("geschat"), " (geschat)")


def _label(df: pd.DataFrame) -> pd.Series:
    return df["energy_label"].astype("string")


def _poorly_insulated(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    """Label D–G, or no label and built before ``insulation_before_year``."""
    label = _label(df)
    poor = label.notna() & ~label.isin(LABELS_C_OR_BETTER)
    old = label.isna() & (df["construction_year"] < a.insulation_before_year.value)
    return _mask(poor) | _mask(old)


def _well_insulated(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    """Label C or better, or no label and built from ``insulation_before_year``."""
    label = _label(df)
    young = label.isna() & (df["construction_year"] >= a.insulation_before_year.value)
    return _mask(label.isin(LABELS_C_OR_BETTER)) | _mask(young)


def _label_or_year(rows: pd.DataFrame) -> pd.Series:
    """Text such as ``label E`` or ``bouwjaar 1978 zonder energielabel``."""
    year = rows["construction_year"].astype("string").fillna("onbekend")
    return ("label " + _label(rows)).fillna("bouwjaar " + year + " zonder energielabel")


def _status(values: pd.Series) -> pd.Series:
    """Capacity status in Dutch words (``beperkte capaciteit``)."""
    words = values.astype("Int64").map(STATUS_LABELS, na_action="ignore")
    return words.astype("string").fillna("onbekend")


def _uses_gas(df: pd.DataFrame) -> np.ndarray:
    return _mask(df["gas_m3_yr_est"] > 0)


def _enough(base: np.ndarray, a: Assumptions) -> np.ndarray:
    """``base``, but only if enough companies share it for a collective."""
    return base & (base.sum() >= a.collective_min_companies.value)


def _others(count: int) -> str:
    return f"{count - 1} {'ander bedrijf' if count == 2 else 'andere bedrijven'}"


# --- individual measures ---------------------------------------------------


def _zon_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return _mask(df["pv_kwp_potential"] >= a.pv_min_kwp.value)


def _zon_reason(rows: pd.DataFrame) -> pd.Series:
    """Reason such as: Plat dak van 755 m² zonder zonnepanelen: ruim 58 kWp …"""
    roof = _where(
        rows,
        rows["roof_type"].astype("string").eq("pitched"),
        "Schuin dak",
        "Plat dak",
    ).mask(_mask(rows["roof_type_assumed"]), "Dak (type onbekend, als plat gerekend)")
    existing = rows["pv_kwp_existing"]
    state = _where(
        rows,
        existing > 0,
        "met al " + fmt.numbers(existing, 0, "kWp") + " zon",
        "zonder zonnepanelen",
    ).mask(existing.isna().to_numpy(), "(bestaande panelen onbekend)")
    payback = rows["pv_payback_yr"]
    return (
        roof
        + " van "
        + fmt.numbers(rows["roof_area_m2"], 0, "m²")
        + " "
        + state
        + ": ruim "
        + fmt.numbers(np.floor(rows["pv_kwp_potential"]), 0, "kWp")
        + " mogelijk ("
        + fmt.numbers(rows["pv_panels"])
        + " panelen, ca. "
        + _approx(rows["pv_kwh_yr_potential"], 100, "kWh")
        + " per jaar)."
        + _where(
            rows,
            payback.notna(),
            " Terugverdientijd ca. " + fmt.numbers(payback, 0) + " jaar.",
        )
        + _where(rows, rows["sde_eligible"], " Komt in aanmerking voor SDE++.")
    )


def _zon_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
    return _frame(
        rows,
        _zon_reason(rows),
        kwp=rows["pv_kwp_potential"],
        kwh_yr=rows["pv_kwh_yr_potential"],
        co2_kg_yr=rows["pv_co2_avoided_kg_yr"],
        invest_eur=(rows["pv_invest_eur_low"] + rows["pv_invest_eur_high"]) / 2,
        payback_yr=rows["pv_payback_yr"],
    )


def _led_saving_kwh(df: pd.DataFrame, a: Assumptions) -> pd.Series:
    """LED saving (kWh/yr) = demand · lighting share · LED saving fraction."""
    return (
        df["elec_kwh_yr_est"] * a.led_lighting_share.value * a.led_saving_fraction.value
    )


def _led_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return _mask(_led_saving_kwh(df, a) >= a.led_min_saving_kwh.value)


def _led_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
    saving = _led_saving_kwh(rows, a)
    invest = rows["floor_area_m2"] * a.led_cost_eur_per_m2.value
    price = electricity_price(rows["grid_connection"], a)
    reason = (
        "Verlichting is naar schatting "
        + fmt.percent(a.led_lighting_share.value)
        + " van uw stroomverbruik van "
        + _approx(rows["elec_kwh_yr_est"], 100, "kWh")
        + _estimated(rows, "elec_source_used")
        + "; LED bespaart daar ca. "
        + fmt.percent(a.led_saving_fraction.value)
        + " van: "
        + _approx(saving, 100, "kWh")
        + " per jaar, als u nog geen LED hebt."
    )
    return _frame(
        rows,
        reason,
        kwh_yr=saving,
        co2_kg_yr=saving * a.co2_elec_kg_per_kwh.value,
        invest_eur=invest,
        payback_yr=simple_payback(invest, saving * price),
    )


def _isolatie_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return _uses_gas(df) & _poorly_insulated(df, a)


def _isolatie_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
    saving_m3 = rows["gas_m3_yr_est"] * a.insulation_gas_saving_fraction.value
    invest = rows["roof_area_m2"] * a.insulation_cost_eur_per_m2.value
    reason = (
        "Pand met "
        + _label_or_year(rows)
        + " en "
        + _approx(rows["gas_m3_yr_est"], 10, "m³")
        + _estimated(rows, "gas_source_used")
        + " gas per jaar: isolatie en kierdichting besparen ca. "
        + _approx(saving_m3, 10, "m³")
        + " gas per jaar."
    )
    return _frame(
        rows,
        reason,
        kwh_yr=gas_kwh(saving_m3, a),
        co2_kg_yr=saving_m3 * a.co2_gas_kg_per_m3.value,
        invest_eur=invest,
        payback_yr=simple_payback(invest, saving_m3 * a.gas_price_eur_per_m3.value),
    )


def _warmtepomp_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return _uses_gas(df) & _well_insulated(df, a)


def _warmtepomp_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
    gas = rows["gas_m3_yr_est"]
    heat = rows["heat_demand_kwh_yr"]
    elec = heat / a.heat_pump_scop.value
    invest = (
        heat / a.heat_pump_full_load_hours.value * a.heat_pump_cost_eur_per_kw.value
    )
    price = electricity_price(rows["grid_connection"], a)
    saving_eur = gas * a.gas_price_eur_per_m3.value - elec * price
    congested = rows["grid_afname_status"] >= 2
    reason = (
        "Pand met "
        + _label_or_year(rows)
        + " en "
        + _approx(gas, 10, "m³")
        + _estimated(rows, "gas_source_used")
        + " gas per jaar: een warmtepomp kan de gasketel vervangen, voor ca. "
        + _approx(elec, 100, "kWh")
        + " stroom per jaar extra."
        + _where(
            rows,
            congested,
            " Let op: het net is vol voor afname ("
            + _status(rows["grid_afname_status"])
            + "); overleg eerst met de netbeheerder.",
        )
    )
    return _frame(
        rows,
        reason,
        kwh_yr=gas_kwh(gas, a) - elec,
        co2_kg_yr=gas * a.co2_gas_kg_per_m3.value - elec * a.co2_elec_kg_per_kwh.value,
        invest_eur=invest,
        payback_yr=simple_payback(invest, saving_eur),
    )


def _scan_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    estimated = df["demand_source"].astype("string").eq("geschat")
    return _mask(estimated) & ~_mask(df["onderzoeksplicht"])


def _scan_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
    reason = (
        "Uw energieverbruik is geschat (ca. "
        + _approx(rows["demand_kwh_yr"] / 1000, 1, "MWh")
        + " per jaar). Een MKB-energiescan, aangeboden via de provincie Drenthe, "
        "geeft de echte cijfers en een lijst maatregelen met kosten."
    )
    return _frame(rows, reason)


def _label_c_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return _mask(df["label_c_required"]) & ~_mask(df["label_c_ok"])


def _label_c_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
    label = _where(
        rows,
        _label(rows).notna(),
        "met label " + _label(rows).fillna(""),
        "zonder geregistreerd energielabel",
    )
    reason = (
        "Kantoorpand (kantoorfunctie ≥ "
        + fmt.percent(a.label_c_min_office_share.value)
        + " en ≥ "
        + fmt.number(a.label_c_min_office_m2.value, 0, "m²")
        + ") "
        + label
        + ": sinds 1 januari 2023 is label C of beter verplicht, anders mag het "
        "niet meer als kantoor worden gebruikt."
    )
    return _frame(rows, reason)


def _eml_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return _mask(df["besparingsplicht"])


def _eml_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
    basis = rows["besparingsplicht_basis"].astype("string")
    reason = (
        _where(
            rows,
            basis.eq("geschat"),
            "Vermoedelijk (op basis van geschat verbruik): uw verbruik van ",
            "Uw verbruik van ",
        )
        + _approx(rows["elec_kwh_yr_est"], 100, "kWh")
        + " stroom en "
        + _approx(rows["gas_m3_yr_est"], 10, "m³")
        + " gas per jaar valt onder de energiebesparingsplicht (vanaf "
        + fmt.number(a.besparingsplicht_kwh.value, 0, "kWh")
        + " of "
        + fmt.number(a.besparingsplicht_gas_m3.value, 0, "m³")
        + "). Neem alle maatregelen van de Erkende Maatregelenlijst met een "
        "terugverdientijd van 5 jaar of minder en rapporteer elke 4 jaar "
        "(informatieplicht)."
        + _where(
            rows,
            rows["onderzoeksplicht"],
            " Ook de onderzoeksplicht geldt: laat elke 4 jaar een energie-audit doen.",
        )
    )
    return _frame(rows, reason)


# --- collective measures ---------------------------------------------------


def _inkoop_zon_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return _enough(_zon_relevant(df, a), a)


def _inkoop_zon_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
    invest = (
        (rows["pv_invest_eur_low"] + rows["pv_invest_eur_high"])
        / 2
        * (1 - a.collective_discount.value)
    )
    reason = pd.Series(
        f"Koop samen met {_others(count)} met een geschikt dak zonnepanelen in, "
        "met één Programma van Eisen: naar schatting "
        f"{fmt.percent(a.collective_discount.value)} goedkoper en minder zorgen "
        "over de keuze van installateur.",
        index=rows.index,
    )
    return _frame(
        rows,
        reason,
        kwp=rows["pv_kwp_potential"],
        kwh_yr=rows["pv_kwh_yr_potential"],
        co2_kg_yr=rows["pv_co2_avoided_kg_yr"],
        invest_eur=invest,
        payback_yr=simple_payback(invest, rows["pv_savings_eur_yr"]),
    )


def _inkoop_stroom_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return _enough(_mask(df["elec_kwh_yr_est"] > 0), a)


def _inkoop_stroom_detail(
    rows: pd.DataFrame, a: Assumptions, count: int
) -> pd.DataFrame:
    reason = pd.Series(
        f"Bundel met {_others(count)} op het terrein de inkoop van groene stroom "
        "en LED-verlichting: een betere prijs en één aanspreekpunt.",
        index=rows.index,
    )
    return _frame(rows, reason)


def _surplus_kwh(df: pd.DataFrame) -> pd.Series:
    """Yearly generation (existing + potential) beyond own electricity demand."""
    generation = df["pv_kwh_yr_potential"] + df["pv_kwh_yr_existing"].fillna(0)
    return generation - df["elec_kwh_yr_est"]


def _cooperatie_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return _zon_relevant(df, a) & _mask(_surplus_kwh(df) > 0)


def _cooperatie_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
    surplus = _surplus_kwh(rows)
    reason = (
        "Uw dak kan ca. "
        + _approx(surplus, 100, "kWh")
        + " per jaar meer opwekken dan u zelf verbruikt: deel het overschot met "
        "andere bedrijven via een energiecoöperatie."
    )
    return _frame(rows, reason, kwh_yr=surplus)


def _substantial_solar(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    """Existing plus potential solar reaches the SDE++ size."""
    total = df["pv_kwp_existing"].fillna(0) + df["pv_kwp_potential"].fillna(0)
    return _mask(total >= a.sde_min_kwp.value)


def _hub_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    # Small users change little in a congested grid; large users and large
    # roofs are the ones a hub is built around.
    large_user = _mask(df["elec_kwh_yr_est"] >= a.hub_min_elec_kwh.value)
    return _mask(df["hub_cluster_size"] >= a.collective_min_companies.value) & (
        large_user | _substantial_solar(df, a)
    )


def _hub_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
    reason = (
        "Het net is hier krap (afname: "
        + _status(rows["grid_afname_status"])
        + ", invoeding: "
        + _status(rows["grid_invoeding_status"])
        + "). Samen met "
        + fmt.numbers(rows["hub_cluster_size"] - 1)
        + " buren (panden minder dan "
        + fmt.number(a.hub_neighbour_m.value, 0, "m")
        + " van elkaar) kunt u een energy hub vormen: stroom onderling "
        "uitwisselen en de netcapaciteit samen beter benutten."
    )
    return _frame(rows, reason)


def _batterij_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return (
        _mask(df["hub_cluster_size"] >= 2)
        & _mask(df["grid_invoeding_status"] >= 1)
        & _substantial_solar(df, a)
    )


def _batterij_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
    reason = (
        "Teruglevering is hier beperkt (invoeding: "
        + _status(rows["grid_invoeding_status"])
        + "). Een gedeelde batterij met "
        + fmt.numbers(rows["hub_cluster_size"] - 1)
        + " buren (panden minder dan "
        + fmt.number(a.hub_neighbour_m.value, 0, "m")
        + " van elkaar) vangt zonnestroom op die het net niet kan opnemen en levert "
        "die later terug aan de bedrijven."
    )
    return _frame(rows, reason)


def _warmtenet_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return _mask(df["heat_source_in_range"]) & _mask(
        df["heat_demand_kwh_yr"] >= a.warmtenet_min_heat_kwh.value
    )


def _warmtenet_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
    reason = (
        rows["heat_source_name"].astype("string")
        + " ligt op "
        + _approx(rows["heat_source_m"], 10, "m")
        + "; uw warmtevraag is ca. "
        + _approx(rows["heat_demand_kwh_yr"] / 1000, 1, "MWh")
        + _estimated(rows, "gas_source_used")
        + " per jaar. Verken samen met de buren een warmtenet met warmte uit "
        "afvalwater of restwarmte van deze bron."
    )
    return _frame(rows, reason, kwh_yr=rows["heat_demand_kwh_yr"])


def _luchthaven_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return _mask(df["airport_in_range"])


def _luchthaven_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
    reason = (
        rows["airport_name"].astype("string")
        + " ligt op "
        + fmt.numbers(rows["airport_m"] / 1000, 1, "km")
        + ". Verken met de luchthaven koppelkansen, zoals gezamenlijke opwek, "
        "opslag of laadinfrastructuur (Leidraad, pilot De Punt)."
    )
    return _frame(rows, reason)


def _kennis_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return _enough(np.ones(len(df), dtype=bool), a)


def _kennis_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
    reason = pd.Series(
        f"Deel kennis met {_others(count)} op het terrein: sessies over de "
        "energietransitie, georganiseerd met en door ondernemers.",
        index=rows.index,
    )
    return _frame(rows, reason)


CATALOGUE: tuple[Measure, ...] = (
    Measure(
        id="zon_eigen_dak",
        name="Zonnepanelen op eigen dak",
        explanation="Zonnepanelen op het eigen bedrijfsdak: eigen stroom, "
        "lagere energierekening en minder CO2.",
        scope=INDIVIDUAL,
        building_measure=True,
        who="Eigenaar-gebruiker; een huurder via de verhuurder (pandeigenaar).",
        rule="Het dak biedt na aftrek van bestaande panelen ruimte voor minstens "
        "{pv_min_kwp} kWp.",
        savings="Ca. {yield_kwh_per_kwp} kWh per kWp per jaar; eigen verbruik "
        "bespaart het meest.",
        cost="Ca. € {pv_cost_low_eur_per_wp:2}–{pv_cost_high_eur_per_wp:2} per Wp "
        "voor een bedrijfsdak (excl. btw).",
        payback="Meestal 5–12 jaar; korter bij veel eigen verbruik overdag.",
        leidraad_step=4,
        financing=(_SDE, _EIA, _FONDS),
        relevant=_zon_relevant,
        detail=_zon_detail,
    ),
    Measure(
        id="led",
        name="LED-verlichting",
        explanation="Vervang TL- en halogeenverlichting door LED, eventueel met "
        "aanwezigheids- en daglichtsturing.",
        scope=INDIVIDUAL,
        building_measure=False,
        who="De gebruiker van het pand (eigenaar of huurder).",
        rule="De geschatte LED-besparing is minstens {led_min_saving_kwh} kWh per "
        "jaar.",
        savings="Ca. {led_saving_fraction:%} van het stroomverbruik voor verlichting.",
        cost="Ca. € {led_cost_eur_per_m2} per m² vloer (indicatief).",
        payback="Vaak 2–5 jaar; staat op de Erkende Maatregelenlijst.",
        leidraad_step=4,
        financing=(_EIA, _FONDS),
        relevant=_led_relevant,
        detail=_led_detail,
    ),
    Measure(
        id="isolatie",
        name="Isolatie en kierdichting",
        explanation="Isoleer dak, gevel en vloer en dicht kieren: minder "
        "warmteverlies en een beter binnenklimaat.",
        scope=INDIVIDUAL,
        building_measure=True,
        who="Eigenaar-gebruiker; een huurder via de verhuurder (pandeigenaar).",
        rule="Het pand gebruikt gas en heeft label D of slechter, of zonder label "
        "een bouwjaar vóór {insulation_before_year:year}.",
        savings="Ca. {insulation_gas_saving_fraction:%} van het gasverbruik "
        "(indicatief).",
        cost="Ca. € {insulation_cost_eur_per_m2} per m² dak voor dakisolatie "
        "(indicatief).",
        payback="Sterk wisselend; kierdichting en dakisolatie zijn vaak binnen 5–10 "
        "jaar terugverdiend.",
        leidraad_step=4,
        financing=(_EIA, _FONDS),
        relevant=_isolatie_relevant,
        detail=_isolatie_detail,
    ),
    Measure(
        id="warmtepomp",
        name="Warmtepomp",
        explanation="Vervang de gasketel door een (hybride) warmtepomp: van het "
        "gas af met minder CO2.",
        scope=INDIVIDUAL,
        building_measure=True,
        who="Eigenaar-gebruiker; een huurder via de verhuurder (pandeigenaar).",
        rule="Het pand gebruikt gas en is redelijk geïsoleerd: label C of beter, "
        "of zonder label gebouwd vanaf {insulation_before_year:year}.",
        savings="Geen gasverbruik meer; ca. een derde van de warmte als extra stroom.",
        cost="Ca. € {heat_pump_cost_eur_per_kw} per kW warmtevermogen (indicatief).",
        payback="Afhankelijk van gas- en stroomprijs; vaak 8–15 jaar.",
        leidraad_step=4,
        financing=(_EIA, _SDE_HEAT, _FONDS),
        relevant=_warmtepomp_relevant,
        detail=_warmtepomp_detail,
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
        relevant=_scan_relevant,
        detail=_scan_detail,
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
        relevant=_label_c_relevant,
        detail=_label_c_detail,
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
        rule="Verbruik vanaf {besparingsplicht_kwh} kWh stroom of "
        "{besparingsplicht_gas_m3} m³ gas per jaar (gemeten of geschat).",
        savings="Alle maatregelen die zich binnen 5 jaar terugverdienen.",
        cost="Per maatregel; zie de Erkende Maatregelenlijst.",
        payback="5 jaar of minder (wettelijke eis).",
        leidraad_step=4,
        financing=(_EIA, _FONDS),
        relevant=_eml_relevant,
        detail=_eml_detail,
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
        rule="Minstens {collective_min_companies} bedrijven op het terrein hebben "
        "een geschikt dak.",
        savings="Als zon op eigen dak, tegen een lagere prijs.",
        cost="Indicatief {collective_discount:%} onder de prijs bij losse inkoop.",
        payback="Korter dan bij losse inkoop.",
        leidraad_step=4,
        financing=(_SDE, _FONDS),
        relevant=_inkoop_zon_relevant,
        detail=_inkoop_zon_detail,
    ),
    Measure(
        id="collectieve_inkoop_stroom_led",
        name="Collectieve inkoop groene stroom en LED",
        explanation="Samen groene stroom en LED-verlichting inkopen (Leidraad, "
        "pilot Hoogeveen).",
        scope=COLLECTIVE,
        building_measure=False,
        who="Iedere ondernemer, eigenaar of huurder.",
        rule="Minstens {collective_min_companies} bedrijven op het terrein "
        "gebruiken stroom.",
        savings="Betere inkoopprijs; groene stroom.",
        cost="Geen investering voor de stroominkoop; LED zie LED-verlichting.",
        payback="Direct voordeel bij de inkoop.",
        leidraad_step=4,
        financing=(_EIA,),
        relevant=_inkoop_stroom_relevant,
        detail=_inkoop_stroom_detail,
    ),
    Measure(
        id="energiecooperatie",
        name="Energiecoöperatie",
        explanation="Bedrijven organiseren samen opwek en levering van duurzame "
        "energie in een coöperatie (Leidraad, pilot Hoogeveen).",
        scope=COLLECTIVE,
        building_measure=False,
        who="Iedere ondernemer; daken kunnen ook door de coöperatie worden gehuurd.",
        rule="Het dak kan meer opwekken dan het bedrijf zelf verbruikt.",
        savings="Het overschot blijft op het terrein in plaats van goedkoop "
        "terug te leveren.",
        cost="Oprichting en organisatie; investering in opwek.",
        payback="Afhankelijk van de businesscase van de coöperatie.",
        leidraad_step=4,
        financing=(_SDE, _FONDS),
        relevant=_cooperatie_relevant,
        detail=_cooperatie_detail,
    ),
    Measure(
        id="energy_hub",
        name="Gezamenlijk energienetwerk (energy hub)",
        explanation="Bedrijven wisselen duurzaam opgewekte stroom onderling uit "
        "en delen netcapaciteit (Leidraad, pilot Noordenveld).",
        scope=COLLECTIVE,
        building_measure=False,
        who="Buren op het terrein, eigenaar of huurder.",
        rule="Het net is krap (afname of invoeding minstens 'beperkt'), "
        "minstens {collective_min_companies} bedrijven liggen binnen "
        "{hub_neighbour_m} m van elkaar en het bedrijf verbruikt minstens "
        "{hub_min_elec_kwh} kWh per jaar of kan minstens {sde_min_kwp} kWp zon "
        "hebben.",
        savings="Minder netkosten en minder wachten op netcapaciteit.",
        cost="Verkenning, organisatie en eventueel gezamenlijke infrastructuur.",
        payback="Afhankelijk van de businesscase.",
        leidraad_step=4,
        financing=(_FONDS,),
        relevant=_hub_relevant,
        detail=_hub_detail,
    ),
    Measure(
        id="collectieve_batterij",
        name="Collectieve batterij",
        explanation="Een gedeelde batterij slaat zonnestroom op die het net niet "
        "kan opnemen en vlakt pieken af.",
        scope=COLLECTIVE,
        building_measure=False,
        who="Buren op het terrein met zonnepanelen, eigenaar of huurder.",
        rule="Teruglevering is beperkt (invoeding minstens 'beperkt'), het bedrijf "
        "heeft of krijgt minstens {sde_min_kwp} kWp zonnepanelen en heeft buren "
        "binnen {hub_neighbour_m} m.",
        savings="Meer eigen zonnestroom benut; minder netbelasting.",
        cost="Indicatief enkele honderden euro's per kWh opslag.",
        payback="Afhankelijk van de businesscase en nettarieven.",
        leidraad_step=4,
        financing=(_FONDS,),
        relevant=_batterij_relevant,
        detail=_batterij_detail,
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
        "{coupling_radius_other_m} m) en het pand vraagt minstens "
        "{warmtenet_min_heat_kwh} kWh warmte per jaar.",
        savings="Gas voor verwarming vervangen door duurzame warmte.",
        cost="Hoge startinvestering in bron en leidingen; samen met waterschap en "
        "gemeente.",
        payback="Lang; vraagt een collectieve businesscase.",
        leidraad_step=4,
        financing=(_SDE_HEAT, _FONDS),
        relevant=_warmtenet_relevant,
        detail=_warmtenet_detail,
    ),
    Measure(
        id="koppelkansen_luchthaven",
        name="Koppelkansen met de luchthaven",
        explanation="Samen met een nabije luchthaven kansen verkennen, zoals in "
        "de pilot De Punt met Groningen Airport Eelde.",
        scope=COLLECTIVE,
        building_measure=False,
        who="Alle bedrijven op het terrein.",
        rule="Een luchthaven ligt binnen {coupling_radius_luchthaven_m} m.",
        savings="Afhankelijk van de kans.",
        cost="Verkenning.",
        payback="Niet bekend.",
        leidraad_step=4,
        financing=(),
        relevant=_luchthaven_relevant,
        detail=_luchthaven_detail,
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
        relevant=_kennis_relevant,
        detail=_kennis_detail,
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
            }
            for m in CATALOGUE
        ]
    )


def relevance(df: pd.DataFrame, a: Assumptions) -> pd.DataFrame:
    """Which measures apply to which building.

    Parameters
    ----------
    df : DataFrame
        An analysed terrain (all computed columns except ``measures``).
    a : Assumptions

    Returns
    -------
    DataFrame of bool, index of ``df``, one column per measure id.
    """
    return pd.DataFrame({m.id: m.relevant(df, a) for m in CATALOGUE}, index=df.index)
