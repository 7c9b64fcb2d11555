"""The rules of the measure catalogue: which buildings a measure fits, and why.

Every measure of :data:`kansenkaart.engine.measures.CATALOGUE` carries two
functions from here:

``<measure>_relevant(df, a) -> ndarray of bool``
    Which buildings of an analysed terrain it applies to. Collective measures
    look at the whole terrain (e.g. at least ``collective_min_companies``
    companies with a suitable roof), so pass the whole terrain.
``<measure>_detail(rows, a, count) -> DataFrame``
    For the selected rows: a Dutch ``reason`` a person understands, and where
    the model can say it the figures of :data:`DETAIL_COLUMNS`. ``count`` is
    the number of buildings on the terrain with the measure (for "samen met
    12 andere bedrijven").

All figures are indicative; the source of every constant is in
:mod:`kansenkaart.core.assumptions`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kansenkaart.core import fmt, texts
from kansenkaart.core.assumptions import Assumptions
from kansenkaart.engine.energy import gas_kwh
from kansenkaart.engine.obligations import LABELS_C_OR_BETTER
from kansenkaart.engine.solar import electricity_price, simple_payback

DETAIL_COLUMNS = ("reason", "kwp", "kwh_yr", "co2_kg_yr", "invest_eur", "payback_yr")
"""Columns of a measure's detail frame: the Dutch ``reason``, then ``kwp``,
``kwh_yr`` (generated or saved, kWh/yr; gas in kWh-equivalent), ``co2_kg_yr``
(avoided), ``invest_eur`` and ``payback_yr`` (NA where the model cannot say)."""

# --- helpers -------------------------------------------------------------


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
    estimated = rows[source].astype("string").eq(texts.ESTIMATED)
    return _where(rows, estimated, f" ({texts.ESTIMATED})")


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
    year = rows["construction_year"].astype("string").fillna(texts.UNKNOWN)
    return ("label " + _label(rows)).fillna("bouwjaar " + year + " zonder energielabel")


def _status(values: pd.Series) -> pd.Series:
    """Capacity status in Dutch words (``beperkte capaciteit``)."""
    return texts.grid_words(values)


def _uses_gas(df: pd.DataFrame) -> np.ndarray:
    return _mask(df["gas_m3_yr_est"] > 0)


def _enough(base: np.ndarray, a: Assumptions) -> np.ndarray:
    """``base``, but only if enough companies share it for a collective."""
    return base & (base.sum() >= a.collective_min_companies.value)


def _others(count: int) -> str:
    return f"{count - 1} {'ander bedrijf' if count == 2 else 'andere bedrijven'}"


# --- individual measures ---------------------------------------------------


def zon_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
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


def zon_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
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


def led_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return _mask(_led_saving_kwh(df, a) >= a.led_min_saving_kwh.value)


def led_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
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


def isolatie_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return _uses_gas(df) & _poorly_insulated(df, a)


def isolatie_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
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


def warmtepomp_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return _uses_gas(df) & _well_insulated(df, a)


def warmtepomp_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
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


def scan_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    estimated = df["demand_source"].astype("string").eq(texts.ESTIMATED)
    return _mask(estimated) & ~_mask(df["onderzoeksplicht"])


def scan_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
    reason = (
        "Uw energieverbruik is geschat (ca. "
        + _approx(rows["demand_kwh_yr"] / 1000, 1, "MWh")
        + " per jaar). Een MKB-energiescan, aangeboden via de provincie Drenthe, "
        "geeft de echte cijfers en een lijst maatregelen met kosten."
    )
    return _frame(rows, reason)


def label_c_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return _mask(df["label_c_required"]) & ~_mask(df["label_c_ok"])


def label_c_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
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


def eml_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return _mask(df["besparingsplicht"])


def eml_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
    basis = rows["besparingsplicht_basis"].astype("string")
    reason = (
        _where(
            rows,
            basis.eq(texts.ESTIMATED),
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


def inkoop_zon_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return _enough(zon_relevant(df, a), a)


def inkoop_zon_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
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


def inkoop_stroom_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return _enough(_mask(df["elec_kwh_yr_est"] > 0), a)


def inkoop_stroom_detail(
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


def cooperatie_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return zon_relevant(df, a) & _mask(_surplus_kwh(df) > 0)


def cooperatie_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
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


def hub_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    # Small users change little in a congested grid; large users and large
    # roofs are the ones a hub is built around.
    large_user = _mask(df["elec_kwh_yr_est"] >= a.hub_min_elec_kwh.value)
    return _mask(df["hub_cluster_size"] >= a.collective_min_companies.value) & (
        large_user | _substantial_solar(df, a)
    )


def hub_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
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


def batterij_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return (
        _mask(df["hub_cluster_size"] >= 2)
        & _mask(df["grid_invoeding_status"] >= 1)
        & _substantial_solar(df, a)
    )


def batterij_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
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


def warmtenet_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return _mask(df["heat_source_in_range"]) & _mask(
        df["heat_demand_kwh_yr"] >= a.warmtenet_min_heat_kwh.value
    )


def warmtenet_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
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


def luchthaven_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return _mask(df["airport_in_range"])


def luchthaven_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
    reason = (
        rows["airport_name"].astype("string")
        + " ligt op "
        + fmt.numbers(rows["airport_m"] / 1000, 1, "km")
        + ". Verken met de luchthaven koppelkansen, zoals gezamenlijke opwek, "
        "opslag of laadinfrastructuur (Leidraad, pilot De Punt)."
    )
    return _frame(rows, reason)


def kennis_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return _enough(np.ones(len(df), dtype=bool), a)


def kennis_detail(rows: pd.DataFrame, a: Assumptions, count: int) -> pd.DataFrame:
    reason = pd.Series(
        f"Deel kennis met {_others(count)} op het terrein: sessies over de "
        "energietransitie, georganiseerd met en door ondernemers.",
        index=rows.index,
    )
    return _frame(rows, reason)
