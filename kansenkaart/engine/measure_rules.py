"""The rules of the measure catalogue: which buildings a measure fits, and why.

Every measure of :data:`kansenkaart.engine.measures.CATALOGUE` carries two
functions from here:

``<measure>_relevant(df, a) -> BooleanArray``
    Which buildings of an analysed terrain it applies to: True (*ja*), False
    (*nee*) or NA (*mogelijk (gegevens ontbreken)*: the rule holds on the
    known data, but data it needs are missing, e.g. no energy label).
    Collective measures look at the whole terrain (e.g. at least
    ``collective_min_companies`` companies with a suitable roof), so pass the
    whole terrain. The data used, the threshold and its source are in the
    measure's ``rule`` text in the catalogue.
``<measure>_detail(rows, a, count, wording=True) -> DataFrame``
    For the selected rows: a Dutch ``reason`` a person understands, and where
    the model can say it the figures of :data:`DETAIL_COLUMNS`. ``count`` is
    the number of buildings on the terrain with the measure (for "samen met
    12 andere bedrijven"). A reason of a *mogelijk* building starts with
    ``Mogelijk (gegevens ontbreken: …)``. With ``wording=False`` only the
    figures are computed (``reason`` and ``subsidy`` NA), for sums that
    never show a text.

A company that answered "nee" to a collective measure in the survey is no
candidate for it: taking part is voluntary.

All figures are indicative; the source of every constant is in
:mod:`kansenkaart.core.assumptions`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from kansenkaart.core import fmt, texts
from kansenkaart.core.assumptions import Assumptions
from kansenkaart.core.schema import ENERGY_LABELS
from kansenkaart.core.values import mask
from kansenkaart.engine.energy import gas_kwh
from kansenkaart.engine.obligations import LABELS_C_OR_BETTER
from kansenkaart.engine.solar import (
    SALDERING_END,
    electricity_price,
    sde_eligible,
    simple_payback,
)

DETAIL_COLUMNS = (
    "reason",
    "kwp",
    "elec_kwh_yr",
    "gas_m3_yr",
    "kwh_yr",
    "co2_kg_yr",
    "savings_eur_yr",
    "invest_eur",
    "payback_yr",
    "subsidy",
    "basis",
)
"""Columns of a measure's detail frame (NA where the model cannot say):

- ``reason``: Dutch, why the measure fits this building;
- ``kwp``: solar power (kWp);
- ``elec_kwh_yr``: electricity generated or saved (kWh/yr; negative is extra
  use, e.g. a heat pump);
- ``gas_m3_yr``: natural gas saved or replaced (m³/yr);
- ``kwh_yr``: both as energy (kWh/yr): ``elec_kwh_yr + gas_m3_yr ·
  gas_kwh_per_m3``, or the heat a heat network delivers; the unit the group
  and terrain totals add up;
- ``co2_kg_yr``: CO₂ avoided (kg/yr);
- ``savings_eur_yr``: lower energy bill (€/yr, before subsidy);
- ``invest_eur``: investment (€, excl. btw);
- ``payback_yr``: simple payback ``invest_eur / savings_eur_yr`` (years; NA
  without a positive saving);
- ``subsidy``: Dutch, the scheme(s) that fit this building (EIA, ISDE,
  SDE++), "" if none;
- ``basis``: the source of the energy use the figures rest on (``gemeten``,
  ``enquête`` or ``geschat``; :mod:`kansenkaart.engine.energy`).
"""

_NUMBERS = DETAIL_COLUMNS[1:-2]
_TEXTS = DETAIL_COLUMNS[-2:]

# --- schemes (RVO; thresholds and sources in core.assumptions) -------------

SDE_PV = "SDE++ (zon vanaf {sde_min_kwp} kWp op een grootverbruikaansluiting)"
EIA_PV = (
    "EIA (Energielijst: zonnepanelen op een kleinverbruikaansluiting, tot "
    "{eia_pv_max_kwp} kWp)"
)
EIA_LED = "EIA (Energielijst: LED-verlichtingssysteem in een bestaand bedrijfsgebouw)"
EIA_INSULATION = (
    "EIA (isolatie van een bestaand bedrijfsgebouw; controleer de eisen op de "
    "Energielijst)"
)
ISDE_HEAT_PUMP = "ISDE zakelijk (warmtepomp tot {isde_heat_pump_max_kw} kW)"
EIA_OR_ISDE = " of EIA (Energielijst: warmtepomp), niet allebei"
EIA_HEAT_PUMP = "EIA (Energielijst: warmtepomp boven {isde_heat_pump_max_kw} kW)"
SDE_COOPERATIE = (
    "SDE++ voor de installatie van de coöperatie (vanaf {sde_min_kwp} kWp op een "
    "grootverbruikaansluiting)"
)
ISDE_HEAT_NETWORK = "ISDE zakelijk (aansluiting op een warmtenet)"
"""Scheme texts of the ``subsidy`` column; ``{key}`` is an assumption value.

Sources: RVO SDE++ (zon ≥ 15 kWp, > 3×80 A); RVO Energielijst 2024 (code
251102 zon op ≤ 3×80 A tot 55 kW, 'LED-verlichtingssysteem [W]' in bestaande
bedrijfsgebouwen, 'Warmtepomp (luchtgerelateerd) [W]' ≤ en > 70 kW); RVO EIA
2025 (minimaal € 2.500 per bedrijfsmiddel); RVO ISDE voorwaarden zakelijke
gebruikers (warmtepomp ≤ 70 kW, aansluiting op een warmtenet; niet samen met
EIA). ISDE does not cover solar panels.
"""

# --- helpers -------------------------------------------------------------


def _approx(values: pd.Series, step: float, unit: str) -> pd.Series:
    """Rounded to a multiple of ``step`` for "ca." figures: ``12.300 kWh``."""
    rounded = np.round(values.astype("Float64") / step) * step
    return fmt.numbers(rounded, 0, unit)


def _where(rows: pd.DataFrame, condition, yes, no="") -> pd.Series:
    """Text per row: ``yes`` where ``condition`` holds, else ``no``.

    ``yes`` and ``no`` are plain strings or string Series on ``rows.index``.
    """

    def values(x):  # object arrays: a long text is not copied into every row
        if isinstance(x, pd.Series):
            return x.to_numpy(dtype=object)
        return np.array(x, dtype=object)

    return pd.Series(
        np.where(mask(condition), values(yes), values(no)),
        index=rows.index,
        dtype="string",
    )


def _frame(
    rows: pd.DataFrame,
    reason: Callable[[], pd.Series],
    a: Assumptions | None = None,
    wording: bool = True,
    **values,
) -> pd.DataFrame:
    """Detail frame for ``rows``: the reason plus the given figures.

    ``values`` are columns of :data:`DETAIL_COLUMNS` as Series on
    ``rows.index``. Without ``kwh_yr`` it is ``elec_kwh_yr + gas_m3_yr ·
    gas_kwh_per_m3`` (needs ``a``); ``payback_yr`` is always ``invest_eur /
    savings_eur_yr``; ``subsidy`` is "" when not given. ``reason`` and
    ``subsidy`` are functions without arguments that word the texts: they
    run only with ``wording`` (without, both columns are NA: for sums that
    read the figures only, such as the group table).
    """
    index = rows.index
    unworded = pd.Series(pd.NA, index=index, dtype="string")
    unknown = pd.Series(pd.NA, index=index, dtype="Float64")
    out = {"reason": reason().astype("string") if wording else unworded}
    for name in _NUMBERS:
        value = values.get(name)
        out[name] = unknown if value is None else value.astype("Float64")
    if values.get("kwh_yr") is None and a is not None:
        out["kwh_yr"] = _energy_kwh(out["elec_kwh_yr"], out["gas_m3_yr"], a)
    out["payback_yr"] = simple_payback(out["invest_eur"], out["savings_eur_yr"])
    subsidy, basis = values.get("subsidy"), values.get("basis")
    if not wording:
        out["subsidy"] = unworded
    elif subsidy is None:
        out["subsidy"] = pd.Series("", index=index, dtype="string")
    else:
        out["subsidy"] = subsidy().astype("string").fillna("")
    out["basis"] = unworded if basis is None else basis.astype("string")
    return pd.DataFrame(out, index=index)  # one frame: no column added one by one


def _energy_kwh(elec_kwh: pd.Series, gas_m3: pd.Series, a: Assumptions) -> pd.Series:
    """Electricity plus gas as energy (kWh/yr); NA where both are missing."""
    total = elec_kwh.fillna(0) + gas_kwh(gas_m3.fillna(0), a)
    return total.mask(elec_kwh.isna() & gas_m3.isna()).astype("Float64")


def _scheme(template: str, a: Assumptions) -> str:
    """A scheme text with the assumption values filled in (``{sde_min_kwp}``)."""
    return template.format_map({key: fmt.number(item.value, 0) for key, item in a})


def _select(rows: pd.DataFrame, choices: list[tuple[np.ndarray, str]]) -> pd.Series:
    """Per row the text of the first condition that holds, else ""."""
    conditions = [condition for condition, _ in choices]
    chosen = np.select(conditions, np.arange(1, len(choices) + 1), default=0)
    options = np.array(["", *(text for _, text in choices)], dtype=object)
    return pd.Series(options[chosen], index=rows.index, dtype="string")


def _pv_subsidy(
    rows: pd.DataFrame, kwp: pd.Series, invest: pd.Series, a: Assumptions
) -> pd.Series:
    """Scheme for solar panels of ``kwp`` on this building's connection.

    SDE++ from ``sde_min_kwp`` on a grootverbruik connection
    (:func:`kansenkaart.engine.solar.sde_eligible`); EIA (Energielijst code
    251102) on a kleinverbruik connection up to ``eia_pv_max_kwp`` and from
    ``eia_min_invest_eur``. With an unknown connection the ones that fit
    either connection, after ``Aansluiting onbekend:``.
    """
    connection = rows["grid_connection"].astype("string")
    unknown = mask(connection.isna())
    sde = _candidate(sde_eligible(kwp, connection, a)) & mask(kwp.notna())
    eia = (
        (mask(connection.eq("kleinverbruik")) | unknown)
        & mask(kwp <= a.eia_pv_max_kwp.value)
        & mask(invest >= a.eia_min_invest_eur.value)
    )
    sde_text, eia_text = _scheme(SDE_PV, a), _scheme(EIA_PV, a)
    chosen = _select(
        rows,
        [(sde & eia, f"{sde_text} of {eia_text}"), (sde, sde_text), (eia, eia_text)],
    )
    return _where(rows, unknown & (sde | eia), "Aansluiting onbekend: ") + chosen


def _eia(
    rows: pd.DataFrame, invest: pd.Series, template: str, a: Assumptions
) -> pd.Series:
    """EIA text where the investment reaches ``eia_min_invest_eur``."""
    return _where(rows, invest >= a.eia_min_invest_eur.value, _scheme(template, a))


def _estimated(rows: pd.DataFrame, source: str) -> pd.Series:
    """`` (geschat)`` after a figure that is an estimate."""
    estimated = rows[source].astype("string").eq(texts.ESTIMATED)
    return _where(rows, estimated, f" ({texts.ESTIMATED})")


def _label(df: pd.DataFrame) -> pd.Series:
    return df["energy_label"].astype("string")


def _poorly_insulated(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    """Label D–G, or no label and not known to be built from
    ``insulation_before_year``."""
    label = _label(df)
    poor = label.notna() & ~label.isin(LABELS_C_OR_BETTER)
    young = mask(df["construction_year"] >= a.insulation_before_year.value)
    return mask(poor) | (mask(label.isna()) & ~young)


def _well_insulated(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    """Label C or better, or no label and not known to be built before
    ``insulation_before_year``."""
    label = _label(df)
    old = mask(df["construction_year"] < a.insulation_before_year.value)
    return mask(label.isin(LABELS_C_OR_BETTER)) | (mask(label.isna()) & ~old)


def _label_or_year(rows: pd.DataFrame) -> pd.Series:
    """Text such as ``label E`` or ``bouwjaar 1978 zonder energielabel``."""
    year = rows["construction_year"].astype("string").fillna(texts.UNKNOWN)
    return ("label " + _label(rows)).fillna("bouwjaar " + year + " zonder energielabel")


def _status(values: pd.Series) -> pd.Series:
    """Capacity status in Dutch words (``beperkte capaciteit``)."""
    return texts.grid_words(values)


def _uses_gas(df: pd.DataFrame) -> np.ndarray:
    return mask(df["gas_m3_yr_est"] > 0)


def _others(count: int) -> str:
    return f"{count - 1} {'ander bedrijf' if count == 2 else 'andere bedrijven'}"


_LABELS_A_OR_BETTER = ENERGY_LABELS[: ENERGY_LABELS.index("A") + 1]


def _decide(base, missing) -> pd.arrays.BooleanArray:
    """Three-valued relevance: *ja*, *nee* or *mogelijk* (NA).

    ``base`` is the rule evaluated on the known data (missing inputs filled
    in the way that keeps the measure, e.g. unknown existing panels as none);
    where it holds but ``missing`` says data were missing, the answer is NA.
    """
    holds, unknown = mask(base), mask(missing)
    out = pd.array(holds, dtype="boolean")
    out[holds & unknown] = pd.NA
    return out


def _candidate(status) -> np.ndarray:
    """*ja* or *mogelijk*: the buildings a measure is listed for."""
    return pd.array(status, dtype="boolean").to_numpy(dtype=bool, na_value=True)


def _possibly(rows: pd.DataFrame, status, what: pd.Series | str) -> pd.Series:
    """Reason prefix ``Mogelijk (gegevens ontbreken: …). `` for NA rows."""
    unknown = pd.isna(pd.array(status, dtype="boolean"))
    opening = texts.POSSIBLE.capitalize().removesuffix(")")
    return _where(rows, unknown, opening + ": " + what + "). ")


def _missing_text(rows: pd.DataFrame, parts: dict[str, str]) -> pd.Series:
    """What is missing, in Dutch: ``parts`` maps a column to its phrase.

    The phrases of the missing columns, joined by ", " ("" when none is
    missing); each combination of missing columns is worded once.
    """
    combination = np.zeros(len(rows), dtype=np.int64)
    for bit, column in enumerate(parts):
        combination |= rows[column].isna().to_numpy(dtype=np.int64) << bit
    phrases = list(parts.values())
    table = [
        ", ".join(p for bit, p in enumerate(phrases) if k >> bit & 1)
        for k in range(2 ** len(phrases))
    ]
    return pd.Series(
        np.array(table, dtype=object)[combination], index=rows.index, dtype="string"
    )


def _not_declined(df: pd.DataFrame, measure_id: str) -> np.ndarray:
    """The survey did not answer "nee" to this measure (or did not ask)."""
    column = f"interest_{measure_id}"
    if column not in df.columns:
        return np.ones(len(df), dtype=bool)
    return ~mask(df[column].astype("string").eq(texts.NO))


def _collective(status, a: Assumptions) -> pd.arrays.BooleanArray:
    """``status`` where at least ``collective_min_companies`` are candidates."""
    status = pd.array(status, dtype="boolean")
    if _candidate(status).sum() >= a.collective_min_companies.value:
        return status
    return pd.array(np.zeros(len(status), dtype=bool), dtype="boolean")


# --- individual measures ---------------------------------------------------


_ZON_MISSING = {
    "pv_kwp_existing": "bestaande zonnepanelen onbekend",
    "grid_connection": "netaansluiting onbekend",
    "elec_kwh_yr_est": "stroomverbruik onbekend",
}
"""The data zon op eigen dak needs, with the phrase when it is missing."""


def _zon_missing(df: pd.DataFrame) -> pd.Series:
    return _missing_text(df, _ZON_MISSING)


ZON_WHY = (
    "Zonnepanelen passen op bijna elk bedrijfsdak zonder panelen; het verschil "
    "zit in de grootte, wat het advies begrenst en de terugverdientijd."
)
"""Why zon op eigen dak may apply to most buildings (shown in every reason)."""


def zon_relevant(df: pd.DataFrame, a: Assumptions) -> pd.arrays.BooleanArray:
    # Without a demand there is no saving to count, and without the connection
    # neither the cap nor the price is known: the payback does not decide.
    payback = df["pv_payback_yr"]
    undecided = mask(payback.isna()) | mask(df["grid_connection"].isna())
    base = mask(df["pv_kwp_potential"] >= a.pv_min_kwp.value) & (
        mask(payback <= a.pv_max_payback_yr.value) | undecided
    )
    unknown = np.logical_or.reduce([df[c].isna().to_numpy() for c in _ZON_MISSING])
    return _decide(base, unknown)


def _zon_limit(rows: pd.DataFrame, a: Assumptions) -> pd.Series:
    """Sentence on what limits the advice (connection, grid) and the roof left."""
    limit = rows["pv_limit"].astype("string")
    roof = "het dak biedt ruimte voor " + fmt.numbers(
        np.floor(rows["pv_kwp_roof"]), 0, "kWp"
    )
    connection = _where(
        rows,
        limit.eq(texts.PV_LIMIT_CONNECTION),
        " Begrensd door aansluiting: "
        + roof
        + ", maar een kleinverbruikaansluiting (tot 3×80 A) neemt samen met "
        "bestaande panelen ca. "
        + fmt.number(a.kleinverbruik_max_kw.value, 0, "kW")
        + " op.",
    )
    grid = _where(
        rows,
        limit.eq(texts.PV_LIMIT_GRID),
        " Netcongestie invoeding ("
        + _status(rows["grid_invoeding_status"])
        + "): het advies is afgestemd op uw eigen verbruik; "
        + roof
        + ". Overweeg een batterij of een collectief (energy hub) om meer van "
        "het dak te benutten.",
    )
    return connection + grid


def _zon_reason(rows: pd.DataFrame, a: Assumptions) -> pd.Series:
    """Reason such as: Plat dak van 755 m² zonder zonnepanelen: ruim 58 kWp …"""
    roof = _where(
        rows,
        rows["roof_type"].astype("string").eq("pitched"),
        "Schuin dak",
        "Plat dak",
    ).mask(mask(rows["roof_type_assumed"]), "Dak (type onbekend, als plat gerekend)")
    existing = rows["pv_kwp_existing"]
    state = _where(
        rows,
        existing > 0,
        "met al " + fmt.numbers(existing, 0, "kWp") + " zon",
        "zonder zonnepanelen",
    ).mask(existing.isna().to_numpy(), "(bestaande panelen onbekend)")
    payback = rows["pv_payback_yr"]
    return (
        _possibly(rows, zon_relevant(rows, a), _zon_missing(rows))
        + roof
        + " van "
        + fmt.numbers(rows["roof_area_m2"], 0, "m²")
        + " "
        + state
        + ": advies ruim "
        + fmt.numbers(np.floor(rows["pv_kwp_potential"]), 0, "kWp")
        + " ("
        + fmt.numbers(rows["pv_panels"])
        + " panelen, ca. "
        + _approx(rows["pv_kwh_yr_potential"], 100, "kWh")
        + " per jaar; "
        + rows["pv_limit"].astype("string").fillna(texts.UNKNOWN)
        + ")."
        + _zon_limit(rows, a)
        + " U gebruikt naar schatting "
        + fmt.numbers(rows["pv_self_use_share"] * 100, 0, "%")
        + " zelf; na het einde van de salderingsregeling op "
        + SALDERING_END
        + " levert de rest alleen de terugleververgoeding op: ca. € "
        + _approx(rows["pv_savings_eur_yr"], 10, "")
        + " per jaar."
        + _where(
            rows,
            payback.notna(),
            " Terugverdientijd ca. " + fmt.numbers(payback, 0) + " jaar.",
        )
        + _where(rows, rows["sde_eligible"], " Komt in aanmerking voor SDE++.")
        + " "
        + ZON_WHY
    )


def _pv_frame(
    rows: pd.DataFrame,
    reason: Callable[[], pd.Series],
    invest: pd.Series,
    a: Assumptions,
    wording: bool = True,
) -> pd.DataFrame:
    """Figures of the advised panels: generation, savings after saldering
    (``pv_savings_eur_yr``), the scheme for this connection; the savings rest
    on the electricity use (``elec_source_used``)."""
    kwp = rows["pv_kwp_potential"]
    return _frame(
        rows,
        reason,
        a,
        wording=wording,
        kwp=kwp,
        elec_kwh_yr=rows["pv_kwh_yr_potential"],
        co2_kg_yr=rows["pv_co2_avoided_kg_yr"],
        savings_eur_yr=rows["pv_savings_eur_yr"],
        invest_eur=invest,
        subsidy=lambda: _pv_subsidy(rows, kwp, invest, a),
        basis=rows["elec_source_used"],
    )


def zon_detail(
    rows: pd.DataFrame, a: Assumptions, count: int, wording: bool = True
) -> pd.DataFrame:
    invest = (rows["pv_invest_eur_low"] + rows["pv_invest_eur_high"]) / 2
    return _pv_frame(rows, lambda: _zon_reason(rows, a), invest, a, wording)


def _led_saving_kwh(df: pd.DataFrame, a: Assumptions) -> pd.Series:
    """LED saving (kWh/yr) = demand · lighting share · LED saving fraction."""
    return (
        df["elec_kwh_yr_est"] * a.led_lighting_share.value * a.led_saving_fraction.value
    )


def _led_known_open(df: pd.DataFrame) -> np.ndarray:
    """The data say LED is not done yet: a label worse than A, or the survey
    shows interest (ja / misschien) or plans LED."""
    interest = df["interest_led"].astype("string").isin([texts.YES, texts.MAYBE])
    planned = df["planned_investments"].astype("string").str.contains("led", case=False)
    return mask(_label(df).notna()) | mask(interest) | mask(planned)


def led_relevant(df: pd.DataFrame, a: Assumptions) -> pd.arrays.BooleanArray:
    # Label A or better: the label's calculation (NTA 8800) counts lighting in
    # utility buildings, so efficient lighting is taken as done; a survey "nee"
    # to LED is read as done or not wanted.
    done = mask(_label(df).isin(_LABELS_A_OR_BETTER)) | ~_not_declined(df, "led")
    enough = mask(_led_saving_kwh(df, a) >= a.led_min_saving_kwh.value)
    return _decide(enough & ~done, ~_led_known_open(df))


def led_detail(
    rows: pd.DataFrame, a: Assumptions, count: int, wording: bool = True
) -> pd.DataFrame:
    saving = _led_saving_kwh(rows, a)
    invest = rows["floor_area_m2"] * a.led_cost_eur_per_m2.value
    price = electricity_price(rows["grid_connection"], a)

    def reason() -> pd.Series:
        return (
            _possibly(rows, led_relevant(rows, a), "geen energielabel en geen enquête")
            + "Verlichting is naar schatting "
            + fmt.percent(a.led_lighting_share.value)
            + " van uw stroomverbruik van "
            + _approx(rows["elec_kwh_yr_est"], 100, "kWh")
            + _estimated(rows, "elec_source_used")
            + "; LED bespaart daar ca. "
            + fmt.percent(a.led_saving_fraction.value)
            + " van: "
            + _approx(saving, 100, "kWh")
            + " per jaar, als u nog geen LED hebt"
            + _where(
                rows,
                _label(rows).notna(),
                " (energielabel " + _label(rows).fillna("") + ": niet A of beter)",
            )
            + "."
        )

    return _frame(
        rows,
        reason,
        a,
        wording=wording,
        elec_kwh_yr=saving,
        co2_kg_yr=saving * a.co2_elec_kg_per_kwh.value,
        savings_eur_yr=saving * price,
        invest_eur=invest,
        subsidy=lambda: _eia(rows, invest, EIA_LED, a),
        basis=rows["elec_source_used"],
    )


def isolatie_relevant(df: pd.DataFrame, a: Assumptions) -> pd.arrays.BooleanArray:
    return _decide(_uses_gas(df) & _poorly_insulated(df, a), _label(df).isna())


def isolatie_detail(
    rows: pd.DataFrame, a: Assumptions, count: int, wording: bool = True
) -> pd.DataFrame:
    saving_m3 = rows["gas_m3_yr_est"] * a.insulation_gas_saving_fraction.value
    invest = rows["roof_area_m2"] * a.insulation_cost_eur_per_m2.value

    def reason() -> pd.Series:
        return (
            _possibly(rows, isolatie_relevant(rows, a), "geen energielabel")
            + "Pand met "
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
        a,
        wording=wording,
        gas_m3_yr=saving_m3,
        co2_kg_yr=saving_m3 * a.co2_gas_kg_per_m3.value,
        savings_eur_yr=saving_m3 * a.gas_price_eur_per_m3.value,
        invest_eur=invest,
        subsidy=lambda: _eia(rows, invest, EIA_INSULATION, a),
        basis=rows["gas_source_used"],
    )


def warmtepomp_relevant(df: pd.DataFrame, a: Assumptions) -> pd.arrays.BooleanArray:
    return _decide(_uses_gas(df) & _well_insulated(df, a), _label(df).isna())


def warmtepomp_detail(
    rows: pd.DataFrame, a: Assumptions, count: int, wording: bool = True
) -> pd.DataFrame:
    gas = rows["gas_m3_yr_est"]
    heat = rows["heat_demand_kwh_yr"]
    elec = heat / a.heat_pump_scop.value
    power_kw = heat / a.heat_pump_full_load_hours.value
    invest = power_kw * a.heat_pump_cost_eur_per_kw.value
    price = electricity_price(rows["grid_connection"], a)
    saving_eur = gas * a.gas_price_eur_per_m3.value - elec * price
    congested = rows["grid_afname_status"] >= 2

    def reason() -> pd.Series:
        return (
            _possibly(rows, warmtepomp_relevant(rows, a), "geen energielabel")
            + "Pand met "
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
        a,
        wording=wording,
        elec_kwh_yr=-elec,
        gas_m3_yr=gas,
        co2_kg_yr=gas * a.co2_gas_kg_per_m3.value - elec * a.co2_elec_kg_per_kwh.value,
        savings_eur_yr=saving_eur,
        invest_eur=invest,
        subsidy=lambda: _heat_pump_subsidy(rows, power_kw, invest, a),
        # The extra electricity follows from the heat, i.e. from the gas use.
        basis=rows["gas_source_used"],
    )


def _heat_pump_subsidy(
    rows: pd.DataFrame, power_kw: pd.Series, invest: pd.Series, a: Assumptions
) -> pd.Series:
    """ISDE zakelijk up to ``isde_heat_pump_max_kw`` (or EIA, not both); EIA
    above it, from ``eia_min_invest_eur``."""
    small = mask(power_kw <= a.isde_heat_pump_max_kw.value)
    eia = mask(invest >= a.eia_min_invest_eur.value)
    isde_text = _scheme(ISDE_HEAT_PUMP, a)
    return _select(
        rows,
        [
            (small & eia, isde_text + EIA_OR_ISDE),
            (small, isde_text),
            (eia, _scheme(EIA_HEAT_PUMP, a)),
        ],
    )


def scan_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    estimated = df["demand_source"].astype("string").eq(texts.ESTIMATED)
    return mask(estimated) & ~mask(df["onderzoeksplicht"])


def scan_detail(
    rows: pd.DataFrame, a: Assumptions, count: int, wording: bool = True
) -> pd.DataFrame:
    def reason() -> pd.Series:
        return (
            "Uw energieverbruik is geschat (ca. "
            + _approx(rows["demand_kwh_yr"] / 1000, 1, "MWh")
            + " per jaar). Een MKB-energiescan, aangeboden via de provincie Drenthe, "
            "geeft de echte cijfers en een lijst maatregelen met kosten."
        )

    return _frame(rows, reason, wording=wording)


def label_c_relevant(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    return mask(df["label_c_required"]) & ~mask(df["label_c_ok"])


def label_c_detail(
    rows: pd.DataFrame, a: Assumptions, count: int, wording: bool = True
) -> pd.DataFrame:
    label = _where(
        rows,
        _label(rows).notna(),
        "met label " + _label(rows).fillna(""),
        "zonder geregistreerd energielabel",
    )

    def reason() -> pd.Series:
        return (
            "Kantoorpand (kantoorfunctie ≥ "
            + fmt.percent(a.label_c_min_office_share.value)
            + " en ≥ "
            + fmt.number(a.label_c_min_office_m2.value, 0, "m²")
            + ") "
            + label
            + ": sinds 1 januari 2023 is label C of beter verplicht, anders mag het "
            "niet meer als kantoor worden gebruikt."
        )

    return _frame(rows, reason, wording=wording)


EML_WHY = (
    "Dit is een wettelijke plicht: hij geldt voor elk bedrijf boven de grens, "
    "ook als dat de meeste bedrijven op het terrein zijn."
)
"""Why the EML measures may apply to most buildings (shown in every reason)."""


def eml_relevant(df: pd.DataFrame, a: Assumptions) -> pd.arrays.BooleanArray:
    # An undecidable obligation (no demand at all) is shown as "onbekend" with
    # the obligations, not as a measure for every building without data.
    return pd.array(mask(df["besparingsplicht"]), dtype="boolean")


def eml_detail(
    rows: pd.DataFrame, a: Assumptions, count: int, wording: bool = True
) -> pd.DataFrame:
    basis = rows["besparingsplicht_basis"].astype("string")

    def reason() -> pd.Series:
        return (
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
                " Ook de onderzoeksplicht geldt: laat elke 4 jaar een "
                "energie-audit doen.",
            )
            + " "
            + EML_WHY
        )

    return _frame(rows, reason, wording=wording)


# --- collective measures ---------------------------------------------------


def inkoop_zon_relevant(df: pd.DataFrame, a: Assumptions) -> pd.arrays.BooleanArray:
    zon = zon_relevant(df, a)
    return _collective(zon & _not_declined(df, "collectieve_inkoop_zon"), a)


def inkoop_zon_detail(
    rows: pd.DataFrame, a: Assumptions, count: int, wording: bool = True
) -> pd.DataFrame:
    invest = (
        (rows["pv_invest_eur_low"] + rows["pv_invest_eur_high"])
        / 2
        * (1 - a.collective_discount.value)
    )

    def reason() -> pd.Series:
        return _possibly(rows, zon_relevant(rows, a), _zon_missing(rows)) + (
            f"Koop samen met {_others(count)} met een geschikt dak zonnepanelen in, "
            "met één Programma van Eisen: naar schatting "
            f"{fmt.percent(a.collective_discount.value)} goedkoper en minder zorgen "
            "over de keuze van installateur."
        )

    return _pv_frame(rows, reason, invest, a, wording)


def _small_connection(df: pd.DataFrame) -> pd.arrays.BooleanArray:
    return pd.array(df["grid_connection"].astype("string").eq("kleinverbruik"))


def inkoop_stroom_relevant(df: pd.DataFrame, a: Assumptions) -> pd.arrays.BooleanArray:
    # A kleinverbruiker buys at the retail price and gains most from a bundled
    # contract; a grootverbruiker already buys on its own contract.
    return _collective(_small_connection(df), a)


def inkoop_stroom_detail(
    rows: pd.DataFrame, a: Assumptions, count: int, wording: bool = True
) -> pd.DataFrame:
    def reason() -> pd.Series:
        return _possibly(rows, _small_connection(rows), "netaansluiting onbekend") + (
            "Als kleinverbruiker betaalt u de kleinverbruikprijs (ca. € "
            f"{fmt.number(a.elec_price_small_eur_per_kwh.value, 2)} per kWh). Bundel "
            f"met {_others(count)} op het terrein de inkoop van groene stroom en "
            "LED-verlichting: een betere prijs en één aanspreekpunt."
        )

    return _frame(rows, reason, wording=wording)


def _roof_left_kwp(df: pd.DataFrame) -> pd.Series:
    """kWp the roof can carry beyond the advice (limited by connection or grid)."""
    return df["pv_kwp_roof"] - df["pv_kwp_potential"]


def cooperatie_relevant(df: pd.DataFrame, a: Assumptions) -> pd.arrays.BooleanArray:
    # The roof left beyond the owner's own advice reaches the SDE++ size, so a
    # coöperatie can rent it (Leidraad, pilot Hoogeveen).
    base = mask(_roof_left_kwp(df) >= a.sde_min_kwp.value) & _not_declined(
        df, "energiecooperatie"
    )
    return _decide(base, df["pv_kwp_existing"].isna())


def cooperatie_detail(
    rows: pd.DataFrame, a: Assumptions, count: int, wording: bool = True
) -> pd.DataFrame:
    left = _roof_left_kwp(rows)

    def reason() -> pd.Series:
        return (
            _possibly(
                rows, cooperatie_relevant(rows, a), "bestaande zonnepanelen onbekend"
            )
            + "Uw dak kan ca. "
            + fmt.numbers(np.floor(left), 0, "kWp")
            + " meer dragen dan het advies voor uw eigen bedrijf ("
            + rows["pv_limit"].astype("string").fillna(texts.UNKNOWN)
            + "): stel dat dak beschikbaar voor een energiecoöperatie, die de "
            "stroom met andere bedrijven deelt."
        )

    # The coöperatie's yield does not rest on this company's use: no basis.
    return _frame(
        rows,
        reason,
        a,
        wording=wording,
        kwp=left,
        elec_kwh_yr=left * a.yield_kwh_per_kwp.value,
        subsidy=lambda: _where(
            rows, left >= a.sde_min_kwp.value, _scheme(SDE_COOPERATIE, a)
        ),
    )


def _substantial_solar(df: pd.DataFrame, a: Assumptions) -> np.ndarray:
    """Existing plus potential solar reaches the SDE++ size."""
    total = df["pv_kwp_existing"].fillna(0) + df["pv_kwp_potential"].fillna(0)
    return mask(total >= a.sde_min_kwp.value)


def _large_connection(df: pd.DataFrame) -> pd.arrays.BooleanArray:
    return pd.array(df["grid_connection"].astype("string").eq("grootverbruik"))


def hub_relevant(df: pd.DataFrame, a: Assumptions) -> pd.arrays.BooleanArray:
    # The Capaciteitskaart binds grootverbruik (> 3×80 A) only: a kleinverbruiker
    # may always take and feed in. Small users change little in a congested
    # grid; large users and large roofs are the ones a hub is built around.
    large_user = mask(df["elec_kwh_yr_est"] >= a.hub_min_elec_kwh.value)
    base = (
        mask(df["hub_cluster_size"] >= a.collective_min_companies.value)
        & (large_user | _substantial_solar(df, a))
        & _not_declined(df, "energy_hub")
    )
    return _large_connection(df) & base


def hub_detail(
    rows: pd.DataFrame, a: Assumptions, count: int, wording: bool = True
) -> pd.DataFrame:
    def reason() -> pd.Series:
        return (
            _possibly(rows, _large_connection(rows), "netaansluiting onbekend")
            + "Het net is hier krap voor grootverbruikers (afname: "
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

    return _frame(rows, reason, wording=wording)


_LIMITED = (texts.PV_LIMIT_CONNECTION, texts.PV_LIMIT_GRID)


def batterij_relevant(df: pd.DataFrame, a: Assumptions) -> pd.arrays.BooleanArray:
    # Solar held back by the connection or feed-in congestion, roof left to
    # fill, enough own use to take the stored power back, and neighbours.
    limited = mask(df["pv_limit"].astype("string").isin(_LIMITED))
    base = (
        limited
        & mask(_roof_left_kwp(df) >= a.sde_min_kwp.value)
        & mask(df["elec_kwh_yr_est"] >= a.hub_min_elec_kwh.value)
        & mask(df["hub_cluster_size"] >= 2)
        & _not_declined(df, "collectieve_batterij")
    )
    return pd.array(base, dtype="boolean")


def batterij_detail(
    rows: pd.DataFrame, a: Assumptions, count: int, wording: bool = True
) -> pd.DataFrame:
    def reason() -> pd.Series:
        return (
            "Uw zonnepanelen zijn "
            + rows["pv_limit"].astype("string").fillna(texts.UNKNOWN)
            + " (invoeding: "
            + _status(rows["grid_invoeding_status"])
            + "), terwijl het dak nog ca. "
            + fmt.numbers(np.floor(_roof_left_kwp(rows)), 0, "kWp")
            + " kan dragen. Een gedeelde batterij met "
            + fmt.numbers(rows["hub_cluster_size"] - 1)
            + " buren (panden minder dan "
            + fmt.number(a.hub_neighbour_m.value, 0, "m")
            + " van elkaar) vangt zonnestroom op die het net niet kan opnemen en "
            "levert die later aan de bedrijven."
        )

    return _frame(rows, reason, wording=wording)


def warmtenet_relevant(df: pd.DataFrame, a: Assumptions) -> pd.arrays.BooleanArray:
    base = (
        mask(df["heat_source_in_range"])
        & mask(df["heat_demand_kwh_yr"] >= a.warmtenet_min_heat_kwh.value)
        & _not_declined(df, "warmtenet_rwzi")
    )
    return pd.array(base, dtype="boolean")


def warmtenet_detail(
    rows: pd.DataFrame, a: Assumptions, count: int, wording: bool = True
) -> pd.DataFrame:
    def reason() -> pd.Series:
        return (
            rows["heat_source_name"].astype("string")
            + " ligt op "
            + _approx(rows["heat_source_m"], 10, "m")
            + "; uw warmtevraag is ca. "
            + _approx(rows["heat_demand_kwh_yr"] / 1000, 1, "MWh")
            + _estimated(rows, "gas_source_used")
            + " per jaar. Verken samen met de buren een warmtenet met warmte uit "
            "afvalwater of restwarmte van deze bron."
        )

    # The network replaces the gas; its CO₂ and price depend on the source.
    return _frame(
        rows,
        reason,
        a,
        wording=wording,
        gas_m3_yr=rows["gas_m3_yr_est"],
        kwh_yr=rows["heat_demand_kwh_yr"],
        subsidy=lambda: pd.Series(_scheme(ISDE_HEAT_NETWORK, a), index=rows.index),
        basis=rows["gas_source_used"],
    )


def luchthaven_relevant(df: pd.DataFrame, a: Assumptions) -> pd.arrays.BooleanArray:
    # The Leidraad's airport chances (pilot De Punt) are electricity ones:
    # shared generation, storage, charging; they need a real electricity user.
    base = mask(df["airport_in_range"]) & mask(
        df["elec_kwh_yr_est"] >= a.coupling_ref_elec_kwh.value
    )
    return pd.array(base, dtype="boolean")


def luchthaven_detail(
    rows: pd.DataFrame, a: Assumptions, count: int, wording: bool = True
) -> pd.DataFrame:
    def reason() -> pd.Series:
        return (
            rows["airport_name"].astype("string")
            + " ligt op "
            + fmt.numbers(rows["airport_m"] / 1000, 1, "km")
            + " en uw bedrijf gebruikt ca. "
            + _approx(rows["elec_kwh_yr_est"] / 1000, 1, "MWh")
            + _estimated(rows, "elec_source_used")
            + " stroom per jaar. Verken met de luchthaven koppelkansen, zoals "
            "gezamenlijke opwek, opslag of laadinfrastructuur (Leidraad, pilot De "
            "Punt)."
        )

    return _frame(rows, reason, wording=wording)


KENNIS_WHY = (
    "Kennisdelen staat open voor alle bedrijven op het terrein, daarom geldt "
    "het voor iedereen."
)
"""Why kennisdelen applies to every building (shown in every reason)."""


def kennis_relevant(df: pd.DataFrame, a: Assumptions) -> pd.arrays.BooleanArray:
    return _collective(np.ones(len(df), dtype=bool), a)


def kennis_detail(
    rows: pd.DataFrame, a: Assumptions, count: int, wording: bool = True
) -> pd.DataFrame:
    def reason() -> pd.Series:
        return pd.Series(
            f"Deel kennis met {_others(count)} op het terrein: sessies over de "
            f"energietransitie, georganiseerd met en door ondernemers. {KENNIS_WHY}",
            index=rows.index,
        )

    return _frame(rows, reason, wording=wording)
