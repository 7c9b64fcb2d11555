"""Legal energy obligations of companies and office buildings.

- *Energiebesparingsplicht* (Activiteitenbesluit art. 2.15, since 2024 Bal/Bbl):
  from 50,000 kWh electricity or 25,000 m³ gas(-equivalent) a year, take every
  measure that pays back within 5 years; the *informatieplicht* (report every
  4 years) applies to the same companies.
- *Onderzoeksplicht* (Bal, "zeer groot gebruik"): from 10 million kWh or
  170,000 m³ a year, an energy audit every 4 years.
- *Label C kantoren* (Bouwbesluit 2012 art. 5.11, now Bbl): since 2023 an
  office building needs label C or better, unless its office part is under
  50 % of the floor area or under 100 m², or it is a monument.

Three-valued logic (pandas ``boolean``): a rule that cannot be decided from
the data gives NA ("onbekend"), never a guessed False. ``True | NA`` is True
(one known carrier over the threshold suffices); ``False | NA`` is NA.

Estimated demand counts: a company whose *estimated* use crosses a threshold
is marked, and ``besparingsplicht_basis`` says on what the verdict rests
(``gemeten``, ``enquête`` or ``geschat``), so the map can show "vermoedelijk".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kansenkaart.core import texts
from kansenkaart.core.assumptions import Assumptions
from kansenkaart.core.schema import ENERGY_LABELS
from kansenkaart.core.values import per_value

LABELS_C_OR_BETTER = ENERGY_LABELS[: ENERGY_LABELS.index("C") + 1]
_RANK = texts.BASIS_RANK
_NAMES = {rank: name for name, rank in _RANK.items()}


def over_threshold(
    elec_kwh: pd.Series, gas_m3: pd.Series, kwh_limit: float, m3_limit: float
) -> pd.Series:
    """Whether electricity ≥ ``kwh_limit`` or gas ≥ ``m3_limit`` (Kleene OR).

    Returns
    -------
    Series (boolean): True when either known carrier is at or over its limit,
    False when both are known and under, NA otherwise.
    """
    return (elec_kwh >= kwh_limit).astype("boolean") | (gas_m3 >= m3_limit).astype(
        "boolean"
    )


def besparingsplicht(
    elec_kwh: pd.Series, gas_m3: pd.Series, a: Assumptions
) -> pd.Series:
    """Energiebesparingsplicht: ≥ 50,000 kWh or ≥ 25,000 m³ gas-eq per year."""
    return over_threshold(
        elec_kwh, gas_m3, a.besparingsplicht_kwh.value, a.besparingsplicht_gas_m3.value
    )


def onderzoeksplicht(
    elec_kwh: pd.Series, gas_m3: pd.Series, a: Assumptions
) -> pd.Series:
    """Onderzoeksplicht: ≥ 10 million kWh or ≥ 170,000 m³ gas-eq per year."""
    return over_threshold(
        elec_kwh, gas_m3, a.onderzoeksplicht_kwh.value, a.onderzoeksplicht_gas_m3.value
    )


def verdict_basis(
    verdict: pd.Series,
    elec_kwh: pd.Series,
    elec_source: pd.Series,
    gas_m3: pd.Series,
    gas_source: pd.Series,
    kwh_limit: float,
    m3_limit: float,
) -> pd.Series:
    """On which data a threshold verdict rests.

    A True verdict rests on the most reliable carrier that crosses its limit
    (one is enough); a False verdict needs both carriers, so it rests on the
    less reliable of the two. Order: ``gemeten`` > ``enquête`` > ``geschat``.

    Returns
    -------
    Series (string): ``gemeten``, ``enquête``, ``geschat``; NA with the verdict.
    """
    elec_rank = per_value(elec_source, _RANK)
    gas_rank = per_value(gas_source, _RANK)
    elec_hit = (elec_kwh >= kwh_limit).to_numpy(dtype=bool, na_value=False)
    gas_hit = (gas_m3 >= m3_limit).to_numpy(dtype=bool, na_value=False)
    if_true = np.fmax(
        np.where(elec_hit, elec_rank, np.nan), np.where(gas_hit, gas_rank, np.nan)
    )
    if_false = np.minimum(elec_rank, gas_rank)
    is_true = verdict.to_numpy(dtype=bool, na_value=False)
    rank = np.where(
        verdict.notna().to_numpy(), np.where(is_true, if_true, if_false), np.nan
    )
    return pd.Series(per_value(rank, _NAMES, None), index=verdict.index, dtype="string")


def has_office_function(building_use: pd.Series) -> pd.Series:
    """Whether BAG ``kantoorfunctie`` is among the building's uses (NA if unknown)."""
    return (
        building_use.astype("string").str.contains("kantoorfunctie").astype("boolean")
    )


def office_area(
    building_use: pd.Series, office_area_m2: pd.Series, floor_area_m2: pd.Series
) -> pd.Series:
    """Office floor area (m²): given, or the whole floor area of a pure office.

    Returns
    -------
    Series (Float64); 0 without an office function, NA when a mixed building
    has no office area.
    """
    uses = building_use.astype("string").str.strip()
    pure = uses.eq("kantoorfunctie").to_numpy(dtype=bool, na_value=False)
    area = office_area_m2.astype("Float64").mask(
        pure & office_area_m2.isna().to_numpy(), floor_area_m2.astype("Float64")
    )
    no_office = (~has_office_function(building_use)).to_numpy(bool, na_value=False)
    return area.mask(no_office, 0.0)


def label_c_required(
    building_use: pd.Series,
    office_area_m2: pd.Series,
    floor_area_m2: pd.Series,
    is_monument: pd.Series,
    a: Assumptions,
) -> pd.Series:
    """Whether the label C obligation for offices applies.

    Applies to a building with a ``kantoorfunctie`` whose office area is at
    least ``label_c_min_office_m2`` (100 m²) and at least
    ``label_c_min_office_share`` (50 %) of the floor area, unless it is a
    monument. A missing ``is_monument`` is read as "no monument": monuments
    are rare on business parks and the flag is seldom filled, so reading NA
    as unknown would hide the obligation everywhere. The other exemptions
    (demolition within 2 years, expropriation, no climate control, payback
    > 10 yr) are not in the data and must be checked per building.

    Returns
    -------
    Series (boolean); NA where the uses or areas needed are unknown.
    """
    area = office_area(building_use, office_area_m2, floor_area_m2)
    share = area / floor_area_m2.astype("Float64").where(floor_area_m2 > 0)
    monument = is_monument.astype("boolean").fillna(False)
    return (
        has_office_function(building_use)
        & (area >= a.label_c_min_office_m2.value)
        & (share >= a.label_c_min_office_share.value)
        & ~monument
    )


def label_c_or_better(energy_label: pd.Series) -> pd.Series:
    """Whether the registered label is C or better (NA without a label)."""
    label = energy_label.astype("string")
    return label.isin(LABELS_C_OR_BETTER).astype("boolean").where(label.notna())


def obligations(
    buildings: pd.DataFrame, demand: pd.DataFrame, a: Assumptions
) -> pd.DataFrame:
    """All obligation columns.

    Parameters
    ----------
    buildings : DataFrame
        Schema BUILDINGS; not modified.
    demand : DataFrame
        Output of :func:`kansenkaart.engine.energy.demand` (same index).
    a : Assumptions

    Returns
    -------
    DataFrame
        ``besparingsplicht``, ``besparingsplicht_basis``, ``informatieplicht``
        (same companies as the besparingsplicht), ``onderzoeksplicht``,
        ``label_c_required``, ``label_c_ok`` (label C or better registered).
    """
    elec, gas = demand["elec_kwh_yr_est"], demand["gas_m3_yr_est"]
    plicht = besparingsplicht(elec, gas, a)
    return pd.DataFrame(
        {
            "besparingsplicht": plicht,
            "besparingsplicht_basis": verdict_basis(
                plicht,
                elec,
                demand["elec_source_used"],
                gas,
                demand["gas_source_used"],
                a.besparingsplicht_kwh.value,
                a.besparingsplicht_gas_m3.value,
            ),
            "informatieplicht": plicht.copy(),
            "onderzoeksplicht": onderzoeksplicht(elec, gas, a),
            "label_c_required": label_c_required(
                buildings["building_use"],
                buildings["office_area_m2"],
                buildings["floor_area_m2"],
                buildings["is_monument"],
                a,
            ),
            "label_c_ok": label_c_or_better(buildings["energy_label"]),
        },
        index=buildings.index,
    )
