"""The impact of a measure on one building, in Dutch words.

One row of :func:`kansenkaart.engine.opportunities.opportunity_list` carries
the figures of a measure for one building
(:data:`kansenkaart.engine.measure_rules.DETAIL_COLUMNS`): electricity and gas
saved or generated, CO₂, € per year, investment, payback, the scheme that
fits the building and the basis of the figures. The functions here word them
once, for *Mijn pand*, its PDF and the map's detail panel; the Kansenlijsten
exports write the numbers themselves (:data:`kansenkaart.views.tables.LIST_FIELDS`).
Every function returns "" for a figure the model cannot give.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np

from kansenkaart.core import fmt, texts
from kansenkaart.core.texts import missing

BASIS_WORDS = {
    texts.MEASURED: "gemeten verbruik",
    texts.SURVEY: "verbruik uit de enquête",
    texts.ESTIMATED: "geschat verbruik",
}
"""The basis of a figure in words (``basis`` column)."""


def _value(row: Mapping, name: str) -> float | None:
    value = row.get(name)
    return None if missing(value) else float(value)


def _kwh(value: float) -> str:
    return fmt.number(np.round(value / 100) * 100, 0, "kWh")


def _energy(row: Mapping) -> str:
    """``4.200 m³ gas minder en 11.500 kWh stroom extra``; "" without figures."""
    elec, gas = _value(row, "elec_kwh_yr"), _value(row, "gas_m3_yr")
    parts = []
    if gas:
        parts.append(fmt.number(np.round(gas / 10) * 10, 0, "m³") + " gas minder")
    if elec and elec > 0:
        done = "opgewekt" if _value(row, "kwp") else "bespaard"
        parts.append(f"{_kwh(elec)} stroom {done}")
    elif elec:
        parts.append(f"{_kwh(-elec)} stroom extra")
    return " en ".join(parts)


def energy_text(row: Mapping) -> str:
    """Electricity and gas of the measure per year.

    ``ca. 16.400 kWh stroom opgewekt per jaar`` (a solar measure: it has
    ``kwp``), ``ca. 4.200 m³ gas minder en 11.500 kWh stroom extra per jaar``
    (a heat pump). Rounded to 100 kWh and 10 m³: the figures are indicative.
    """
    energy = _energy(row)
    return f"ca. {energy} per jaar" if energy else ""


def _less(value: float) -> str:
    return "minder" if value >= 0 else "meer"


def co2_text(row: Mapping, per: str = " per jaar") -> str:
    """``5,9 t CO₂ minder per jaar`` (``meer`` when the measure adds CO₂)."""
    kg = _value(row, "co2_kg_yr")
    if not kg:
        return ""
    return fmt.co2(abs(kg), f" {_less(kg)}{per}")


def savings_text(row: Mapping, per: str = " per jaar") -> str:
    """Energy costs: ``€ 1.964 per jaar minder`` (``meer`` when they rise)."""
    eur = _value(row, "savings_eur_yr")
    if eur is None:
        return ""
    return f"{fmt.euro(abs(eur))}{per} {_less(eur)}"


def subsidy_text(row: Mapping) -> str:
    """The scheme that fits the building (``SDE++ (…)``), "" if none."""
    return texts.text(row.get("subsidy"), "")


def scheme_names(subsidy: str) -> str:
    """The scheme without its conditions: ``SDE++ of EIA``."""
    return re.sub(r" \([^)]*\)", "", subsidy)


def basis_text(row: Mapping) -> str:
    """``op basis van gemeten verbruik``; "" without a basis."""
    words = BASIS_WORDS.get(texts.text(row.get("basis"), ""))
    return f"op basis van {words}" if words else ""


def phrases(row: Mapping) -> tuple[str, ...]:
    """The known impact facts of a row as short phrases, each with a capital.

    ``("Ca. 16.400 kWh stroom opgewekt per jaar", "7,9 t CO₂ minder per
    jaar", "Energiekosten € 1.964 per jaar minder", "Regeling: SDE++ (…)",
    "Op basis van geschat verbruik")``.
    """
    savings, subsidy = savings_text(row), subsidy_text(row)
    parts = (
        energy_text(row),
        co2_text(row),
        f"energiekosten {savings}" if savings else "",
        f"regeling: {subsidy}" if subsidy else "",
        basis_text(row),
    )
    return tuple(p[:1].upper() + p[1:] for p in parts if p)


def summary(row: Mapping) -> str:
    """:func:`phrases` plus investment and payback in one line (a table cell):
    ``…; Investering € 20.108; Terugverdientijd ca. 10 jaar``."""
    invest, payback = _value(row, "invest_eur"), _value(row, "payback_yr")
    money = (
        f"Investering {fmt.euro(invest)}" if invest is not None else "",
        f"Terugverdientijd ca. {fmt.number(payback, 0, 'jaar')}"
        if payback is not None
        else "",
    )
    return "; ".join((*phrases(row), *(m for m in money if m)))


def yearly_figures(row: Mapping) -> tuple[str, ...]:
    """The yearly figures in a few words each, for a narrow table (the PDF).

    ``("€ 1.351", "5.400 kWh stroom bespaard", "2,6 t CO₂ minder")``: the
    lower energy costs (negative when they rise), electricity and gas
    (:func:`energy_text` without ``ca.`` and ``per jaar``) and CO₂.
    """
    eur = _value(row, "savings_eur_yr")
    cells = (
        fmt.euro(eur) if eur is not None else "",
        _energy(row),
        co2_text(row, ""),
    )
    return tuple(c for c in cells if c)


def scheme_and_basis(row: Mapping) -> str:
    """``Regeling: SDE++ of EIA · basis: gemeten`` (what is known, else "")."""
    subsidy, basis = subsidy_text(row), texts.text(row.get("basis"), "")
    parts = (
        f"Regeling: {scheme_names(subsidy)}" if subsidy else "",
        f"basis: {basis}" if basis else "",
    )
    text = " · ".join(p for p in parts if p)
    return text[:1].upper() + text[1:]
