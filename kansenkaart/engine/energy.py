"""Energy demand, CO2 and the energy-neutral balance of a terrain.

Demand is measured where the buildings table has it (``elec_kwh_yr``,
``gas_m3_yr`` with their ``*_source``); otherwise it is estimated as floor
area × intensity per building category (*indicatief*). The intensities are
CBS *Energiekentallen utiliteitsbouw dienstensector* (StatLine 83374NED, 2012,
class 1.000–2.500 m²). CBS has no figure for industry, so industrial and
other halls use the wholesale-hall figure: it misses process energy and
underestimates heavy users. Estimates are flagged ``geschat``.

Conversions (DESIGN.md section 5): gas 8.79 kWh/m³ (31.65 MJ/m³ lower heating
value), CO2 1.78 kg/m³ gas and 0.48 kg/kWh grey electricity (a setting).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from kansenkaart.core import fmt, texts
from kansenkaart.core.assumptions import Assumptions
from kansenkaart.core.columns import DEMAND_CATEGORIES
from kansenkaart.core.values import per_value

# Sector text (KvK/adressenlijst, free text) → category; first match wins.
_SECTOR_PATTERNS = (
    (
        "autobedrijf",
        r"autobedrijf|autoreparatie|autohandel|autoschade|garage|motorvoertuig|"
        r"\bauto\b",
    ),
    ("winkel", r"detailhandel|winkel|bouwmarkt|supermarkt"),
    (
        "kantoor",
        r"dienstverlening|kantoor|advies|administratie|\bict\b|software|"
        r"automatisering",
    ),
)
# First BAG gebruiksdoel → category when the sector says nothing.
_USE_CATEGORY = {
    "kantoorfunctie": "kantoor",
    "winkelfunctie": "winkel",
    "industriefunctie": "hal",
}
_SOURCE_RANK = texts.BASIS_RANK


def demand_category(sector: pd.Series, building_use: pd.Series) -> pd.Series:
    """Intensity category of each building.

    The free-text ``sector`` is matched first (e.g. "Autoreparatie" →
    ``autobedrijf``, "Zakelijke dienstverlening" → ``kantoor``); otherwise the
    first BAG ``building_use`` decides; anything else is a ``hal``.

    Returns
    -------
    Series (string), one of :data:`~kansenkaart.core.columns.DEMAND_CATEGORIES`.
    """
    both = pd.DataFrame(
        {"sector": sector.astype("string"), "use": building_use.astype("string")}
    )
    code = both.groupby(["sector", "use"], dropna=False, sort=False).ngroup()
    if len(both) and code.max() + 1 < len(both):  # match each distinct pair once
        first = np.unique(code.to_numpy(), return_index=True)[1]
        distinct = both.iloc[first]
        once = demand_category(distinct["sector"], distinct["use"]).to_numpy()
        return pd.Series(once[code.to_numpy()], index=sector.index, dtype="string")
    text = sector.astype("string").str.lower()
    out = pd.Series(pd.NA, index=sector.index, dtype="string")
    for category, pattern in _SECTOR_PATTERNS:
        hit = text.str.contains(pattern, regex=True).to_numpy(bool, na_value=False)
        out = out.mask(hit & out.isna().to_numpy(), category)
    first_use = building_use.astype("string").str.split(",").str[0].str.strip()
    out = out.fillna(first_use.map(_USE_CATEGORY).astype("string"))
    return out.fillna("hal")


def estimate_demand(
    floor_area_m2: pd.Series,
    office_area_m2: pd.Series,
    category: pd.Series,
    a: Assumptions,
) -> tuple[pd.Series, pd.Series]:
    """Yearly demand from floor area × intensity (indicatief).

    The office part (``office_area_m2``, capped at the floor area) uses the
    office intensity, the rest that of ``category``:
    ``E = A_office · e_kantoor + (A − A_office) · e_category``.

    Parameters
    ----------
    floor_area_m2, office_area_m2 : Series of float
        Gebruiksoppervlakte and its office part (m²); a missing office area
        counts as none.
    category : Series of str
        From :func:`demand_category`.
    a : Assumptions

    Returns
    -------
    elec_kwh_yr, gas_m3_yr : Series (Float64); missing without floor area.
    """
    elec_i, gas_i = (
        pd.Series(
            per_value(
                category,
                {c: getattr(a, f"{name}_{c}").value for c in DEMAND_CATEGORIES},
            ),
            index=category.index,
            dtype="Float64",
        )
        for name in ("elec_kwh_m2", "gas_m3_m2")
    )
    floor = floor_area_m2.astype("Float64")
    office = np.minimum(office_area_m2.astype("Float64").fillna(0), floor)
    rest = floor - office
    elec = office * a.elec_kwh_m2_kantoor.value + rest * elec_i
    gas = office * a.gas_m3_m2_kantoor.value + rest * gas_i
    return elec.astype("Float64"), gas.astype("Float64")


def gas_kwh(gas_m3: pd.Series, a: Assumptions) -> pd.Series:
    """Gas in kWh-equivalent (lower heating value): ``m³ · 8.79``."""
    return (gas_m3 * a.gas_kwh_per_m3.value).astype("Float64")


def heat_demand_kwh(gas_m3: pd.Series, a: Assumptions) -> pd.Series:
    """Useful heat (kWh/yr) delivered by the gas: ``m³ · 8.79 · η_boiler``."""
    return (gas_kwh(gas_m3, a) * a.boiler_efficiency.value).astype("Float64")


def co2_kg(elec_kwh: pd.Series, gas_m3: pd.Series, a: Assumptions) -> pd.Series:
    """Yearly CO2 (kg): ``kWh · 0.48 + m³ · 1.78`` (ISSO 82 / CO2emissiefactoren)."""
    return (
        elec_kwh * a.co2_elec_kg_per_kwh.value + gas_m3 * a.co2_gas_kg_per_m3.value
    ).astype("Float64")


def _used(measured: pd.Series, source: pd.Series, estimate: pd.Series):
    """Measured value where present, else the estimate, with its source."""
    known = measured.notna().to_numpy()
    value = measured.astype("Float64").fillna(estimate)
    given = source.astype("string").fillna(texts.MEASURED)
    used_source = given.where(known, texts.ESTIMATED).where(value.notna())
    return value, used_source.astype("string")


def demand(buildings: pd.DataFrame, a: Assumptions) -> pd.DataFrame:
    """Demand columns for a buildings table.

    A value in ``elec_kwh_yr`` / ``gas_m3_yr`` without a ``*_source`` is taken
    as ``gemeten``; a ``*_source`` of ``geschat`` in the input is kept.

    Parameters
    ----------
    buildings : DataFrame
        Schema BUILDINGS; not modified.
    a : Assumptions

    Returns
    -------
    DataFrame
        ``demand_category``; ``elec_kwh_yr_est`` (kWh/yr) and
        ``elec_source_used``; ``gas_m3_yr_est`` (m³/yr) and
        ``gas_source_used``; ``demand_kwh_yr`` (electricity + gas as
        kWh-equivalent); ``demand_source`` (``geschat`` when any part is
        estimated, else ``enquête`` when any part comes from the survey, else
        ``gemeten``); ``heat_demand_kwh_yr``; ``co2_kg_yr`` (kg/yr). Missing
        where neither a measurement nor a floor area is known.
    """
    category = demand_category(buildings["sector"], buildings["building_use"])
    elec_est, gas_est = estimate_demand(
        buildings["floor_area_m2"], buildings["office_area_m2"], category, a
    )
    elec, elec_src = _used(buildings["elec_kwh_yr"], buildings["elec_source"], elec_est)
    gas, gas_src = _used(buildings["gas_m3_yr"], buildings["gas_source"], gas_est)
    total = (elec + gas_kwh(gas, a)).astype("Float64")
    weakest = np.minimum(
        per_value(elec_src, _SOURCE_RANK), per_value(gas_src, _SOURCE_RANK)
    )
    names = {rank: name for name, rank in _SOURCE_RANK.items()}
    return pd.DataFrame(
        {
            "demand_category": category,
            "elec_kwh_yr_est": elec,
            "elec_source_used": elec_src,
            "gas_m3_yr_est": gas,
            "gas_source_used": gas_src,
            "demand_kwh_yr": total,
            "demand_source": pd.Series(
                per_value(weakest, names, None), index=buildings.index, dtype="string"
            ),
            "heat_demand_kwh_yr": heat_demand_kwh(gas, a),
            "co2_kg_yr": co2_kg(elec, gas, a),
        },
        index=buildings.index,
    )


@dataclass(frozen=True)
class EnergyBalance:
    """Yearly energy balance of a terrain toward *energieneutraal 2035*.

    Energy-neutral (Leidraad, EBD35): the terrain generates at least its own
    yearly demand, electricity plus gas as kWh-equivalent.

    Attributes
    ----------
    n_buildings, n_demand_known, n_demand_estimated : int
        Buildings; with a demand figure; of which (partly) estimated.
    demand_kwh_yr : float
        Total demand of the buildings with a figure (kWh/yr).
    elec_kwh_yr, gas_m3_yr : float
        Its electricity (kWh/yr) and gas (m³/yr) parts.
    generation_kwh_yr_present : float
        Existing rooftop solar (kWh/yr); roofs with unknown panels count as 0.
    generation_kwh_yr_potential : float
        What the remaining roof space adds (kWh/yr).
    gap_kwh_yr_present : float
        Demand − present generation (kWh/yr); negative is a surplus.
    gap_kwh_yr_after_roofs : float
        Demand − present − potential generation (kWh/yr).
    share_present, share_with_roofs : float
        Generation / demand now and with all roofs full (0–1+).
    kwp_needed : float
        Extra solar capacity that would close the present gap (kWp).
    kwp_needed_beyond_roofs : float
        Capacity still missing with all roofs full (kWp; e.g. a solar field).
    yield_kwh_per_kwp : float
        Specific yield used for the kWp figures (kWh/kWp/yr).
    """

    n_buildings: int
    n_demand_known: int
    n_demand_estimated: int
    demand_kwh_yr: float
    elec_kwh_yr: float
    gas_m3_yr: float
    generation_kwh_yr_present: float
    generation_kwh_yr_potential: float
    gap_kwh_yr_present: float
    gap_kwh_yr_after_roofs: float
    share_present: float
    share_with_roofs: float
    kwp_needed: float
    kwp_needed_beyond_roofs: float
    yield_kwh_per_kwp: float

    @property
    def energy_neutral_on_roofs(self) -> bool:
        """True when full roofs would generate at least the yearly demand."""
        return self.gap_kwh_yr_after_roofs <= 0

    def as_dict(self) -> dict:
        """The figures as a plain dict (with ``sentences``)."""
        return {**asdict(self), "sentences": self.sentences()}

    def sentences(self) -> list[str]:
        """The balance in plain Dutch, one finding per sentence."""
        if not self.n_demand_known:
            return [
                "Van geen enkel pand is het verbruik bekend of te schatten; de "
                "energiebalans kan nog niet worden opgemaakt."
            ]
        out = [
            f"Het verbruik van de {_panden(self.n_demand_known)} met een "
            f"verbruikscijfer is samen {_gwh(self.demand_kwh_yr)} per jaar "
            f"({_gwh(self.elec_kwh_yr)} stroom en "
            f"{fmt.number(self.gas_m3_yr, 0)} m³ gas).",
            "De zonnepanelen op de daken wekken nu "
            f"{_gwh(self.generation_kwh_yr_present)} op: "
            f"{fmt.percent(self.share_present)} van het verbruik.",
            f"Met alle geschikte daken vol komt er "
            f"{_gwh(self.generation_kwh_yr_potential)} bij: samen "
            f"{fmt.percent(self.share_with_roofs)} van het verbruik.",
        ]
        if self.gap_kwh_yr_present <= 0:
            out.append("Het terrein wekt nu al meer op dan het verbruikt.")
        else:
            out.append(
                f"Voor energieneutraal in 2035 is nog {_mwp(self.kwp_needed)} zon "
                "nodig."
            )
            out.append(
                "Dat past op de daken van het terrein."
                if self.energy_neutral_on_roofs
                else "Ook met alle daken vol blijft "
                f"{_mwp(self.kwp_needed_beyond_roofs)} nodig, bijvoorbeeld een "
                "zonneveld, wind of besparing."
            )
        if self.n_demand_estimated:
            out.append(
                f"Let op: bij {_panden(self.n_demand_estimated)} is het verbruik "
                "(deels) geschat; de cijfers zijn indicatief."
            )
        missing = self.n_buildings - self.n_demand_known
        if missing:
            out.append(f"Van {_panden(missing)} is het verbruik onbekend.")
        return out


def _panden(n: int) -> str:
    return f"{n} pand" if n == 1 else f"{n} panden"


_gwh = fmt.energy
"""Energy in the unit a reader grasps: kWh, MWh or GWh (fmt's scaling)."""
_mwp = fmt.power
"""Capacity in kWp, or MWp from 1.000 kWp on (fmt's scaling)."""


def balance(
    demand_kwh_yr: pd.Series,
    demand_source: pd.Series,
    elec_kwh_yr: pd.Series,
    gas_m3_yr: pd.Series,
    generation_kwh_yr_present: pd.Series,
    generation_kwh_yr_potential: pd.Series,
    a: Assumptions,
) -> EnergyBalance:
    """Sum the buildings into an :class:`EnergyBalance`.

    Demand sums skip buildings without a figure (they are counted apart);
    generation of roofs with unknown existing panels counts as 0.

    Parameters
    ----------
    demand_kwh_yr, demand_source, elec_kwh_yr, gas_m3_yr : Series
        Per-building demand (kWh/yr, source, kWh/yr, m³/yr), see :func:`demand`.
    generation_kwh_yr_present, generation_kwh_yr_potential : Series of float
        Per-building existing and potential solar generation (kWh/yr).
    a : Assumptions

    Returns
    -------
    EnergyBalance
    """
    known = demand_kwh_yr.notna().to_numpy()
    total = float(demand_kwh_yr.sum(skipna=True))
    present = float(generation_kwh_yr_present.sum(skipna=True))
    potential = float(generation_kwh_yr_potential.sum(skipna=True))
    specific = a.yield_kwh_per_kwp.value
    gap_now = total - present
    gap_roofs = gap_now - potential
    return EnergyBalance(
        n_buildings=len(demand_kwh_yr),
        n_demand_known=int(known.sum()),
        n_demand_estimated=int(
            (demand_source.astype("string") == texts.ESTIMATED).sum()
        ),
        demand_kwh_yr=total,
        elec_kwh_yr=float(elec_kwh_yr[known].sum(skipna=True)),
        gas_m3_yr=float(gas_m3_yr[known].sum(skipna=True)),
        generation_kwh_yr_present=present,
        generation_kwh_yr_potential=potential,
        gap_kwh_yr_present=gap_now,
        gap_kwh_yr_after_roofs=gap_roofs,
        share_present=present / total if total else float("nan"),
        share_with_roofs=(present + potential) / total if total else float("nan"),
        kwp_needed=max(gap_now, 0.0) / specific,
        kwp_needed_beyond_roofs=max(gap_roofs, 0.0) / specific,
        yield_kwh_per_kwp=specific,
    )
