"""Solar on the roof: roof → panels → kWp → kWh/yr → savings, payback, CO2.

All functions are vectorised over pandas Series with nullable dtypes and keep
their index; a missing input gives a missing output. Constants come from an
:class:`~kansenkaart.core.assumptions.Assumptions` set (DESIGN.md section 5).

The chain, per building:

1. roof area ``A`` (m²): ``footprint_m2``, else the area of the RD geometry;
2. usable area: flat ``A · f_flat``; pitched ``A · f_south / cos(pitch) ·
   f_cover`` (the south half of the sloped surface, minus edges);
3. panels on the roof ``floor(usable / (l · w))``, minus the panels already
   there (``ceil(kWp_existing · 1000 / Wp)``);
4. kWp ``= panels · Wp / 1000``; kWh/yr ``= kWp · yield``;
5. investment ``kWp · 1000 · (€/Wp low, high)``; savings: self-used kWh at
   the connection's price, the rest at the feed-in price; simple payback =
   mean investment / savings.

With the ``LEIDRAAD`` assumptions this reproduces the Leidraad table
(410 m² → 103 panels → 32 kWp, 755 → 189 → 58, 345 → 97 → 30) within 5 %.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kansenkaart.core.assumptions import Assumptions

_EPS = 1e-9  # guards floor/ceil against binary rounding (116.0 stored as 115.99…)


def roof_area(footprint_m2: pd.Series, geometry_area_m2: pd.Series) -> pd.Series:
    """Roof area: the footprint where given, else the geometry's area.

    Parameters
    ----------
    footprint_m2 : Series of float
        ``footprint_m2`` of the buildings table (m²), may be missing.
    geometry_area_m2 : Series of float
        Area of the building polygon in EPSG:28992 (m²); 0 for a point.

    Returns
    -------
    Series (Float64), m²; missing where neither is known (or the geometry
    has no area).
    """
    geom = pd.Series(geometry_area_m2, index=footprint_m2.index, dtype="Float64")
    return footprint_m2.astype("Float64").fillna(geom.where(geom > 0))


def usable_roof_area(
    roof_area_m2: pd.Series, roof_type: pd.Series, a: Assumptions
) -> pd.Series:
    """Roof area that can carry panels.

    A flat roof keeps ``flat_usable_fraction`` of its area (edge zone, walkways,
    row spacing; RVO / market practice 50–60 %). A pitched roof carries panels
    on its south half only; its sloped surface is the footprint divided by
    ``cos(roof_pitch_deg)``, of which ``pitched_coverage_fraction`` can be
    covered. A missing roof type is computed as flat: most halls on business
    parks have flat roofs (see ``roof_type_assumed`` in :func:`potential`).

    Parameters
    ----------
    roof_area_m2 : Series of float
        Horizontal roof area (m²).
    roof_type : Series of str
        ``flat``, ``pitched`` or missing.
    a : Assumptions

    Returns
    -------
    Series (Float64), m².
    """
    flat = roof_area_m2 * a.flat_usable_fraction.value
    pitched = (
        roof_area_m2
        * a.pitched_south_fraction.value
        / np.cos(np.radians(a.roof_pitch_deg.value))
        * a.pitched_coverage_fraction.value
    )
    is_pitched = roof_type.astype("string").eq("pitched")
    return flat.mask(is_pitched.to_numpy(dtype=bool, na_value=False), pitched)


def panel_area_m2(a: Assumptions) -> float:
    """Area of one panel (m²): length × width."""
    return a.panel_length_m.value * a.panel_width_m.value


def panel_count(usable_m2: pd.Series, a: Assumptions) -> pd.Series:
    """Whole panels that fit on the usable area: ``floor(usable / panel area)``.

    Returns
    -------
    Series (Int64), panels.
    """
    return np.floor(usable_m2 / panel_area_m2(a) + _EPS).astype("Int64")


def panels_for_kwp(kwp: pd.Series, a: Assumptions) -> pd.Series:
    """Panels an installed capacity occupies: ``ceil(kWp · 1000 / Wp)``.

    Returns
    -------
    Series (Int64), panels.
    """
    return np.ceil(kwp.astype("Float64") * 1000 / a.panel_wp.value - _EPS).astype(
        "Int64"
    )


def kwp(panels: pd.Series, a: Assumptions) -> pd.Series:
    """Peak capacity of ``panels`` panels (kWp): ``panels · Wp / 1000``."""
    return (panels.astype("Float64") * a.panel_wp.value / 1000).astype("Float64")


def annual_yield(kwp_: pd.Series, a: Assumptions) -> pd.Series:
    """Yearly generation (kWh/yr): ``kWp · yield_kwh_per_kwp`` (CBS/PVGIS)."""
    return (kwp_ * a.yield_kwh_per_kwp.value).astype("Float64")


def investment(kwp_: pd.Series, a: Assumptions) -> tuple[pd.Series, pd.Series]:
    """Investment range (€, excl. btw): ``kWp · 1000 · €/Wp`` low and high."""
    low = kwp_ * 1000 * a.pv_cost_low_eur_per_wp.value
    high = kwp_ * 1000 * a.pv_cost_high_eur_per_wp.value
    return low.astype("Float64"), high.astype("Float64")


def electricity_price(grid_connection: pd.Series, a: Assumptions) -> pd.Series:
    """Electricity price (€/kWh) that fits the connection.

    ``kleinverbruik`` (≤ 3×80 A) pays the small-user price, ``grootverbruik``
    the large-user price. An unknown connection gets the lower large-user
    price, so the payback is never shorter than the data support.

    Returns
    -------
    Series (Float64), €/kWh.
    """
    small = grid_connection.astype("string").eq("kleinverbruik")
    return pd.Series(
        np.where(
            small.to_numpy(dtype=bool, na_value=False),
            a.elec_price_small_eur_per_kwh.value,
            a.elec_price_large_eur_per_kwh.value,
        ),
        index=grid_connection.index,
        dtype="Float64",
    )


def yearly_savings(
    generation_kwh: pd.Series,
    elec_demand_kwh: pd.Series,
    price_eur_per_kwh: pd.Series,
    a: Assumptions,
) -> pd.Series:
    """Yearly savings (€/yr) of new generation.

    Generation up to the yearly electricity demand is taken as used on site
    and valued at ``price_eur_per_kwh``; the surplus is fed in at
    ``feed_in_eur_per_kwh``. A yearly balance overstates self-use where
    generation and demand do not coincide (nights, winter), so treat the
    result as an upper bound.

    Returns
    -------
    Series (Float64), €/yr; missing where generation or demand is missing.
    """
    own = np.minimum(generation_kwh, elec_demand_kwh.clip(lower=0))
    surplus = generation_kwh - own
    return (own * price_eur_per_kwh + surplus * a.feed_in_eur_per_kwh.value).astype(
        "Float64"
    )


def simple_payback(invest_eur: pd.Series, savings_eur_yr: pd.Series) -> pd.Series:
    """Simple payback (years): investment / yearly savings; missing if no saving."""
    return (invest_eur / savings_eur_yr.where(savings_eur_yr > 0)).astype("Float64")


def sde_eligible(
    kwp_: pd.Series, grid_connection: pd.Series, a: Assumptions
) -> pd.Series:
    """SDE++ eligibility: ≥ ``sde_min_kwp`` on a grootverbruik connection (RVO).

    Returns
    -------
    Series (boolean): False for a small installation or a kleinverbruik
    connection, missing when the connection (or the capacity) is unknown and
    the other condition holds.
    """
    large = grid_connection.astype("string").eq("grootverbruik").astype("boolean")
    return (kwp_ >= a.sde_min_kwp.value) & large


def potential(
    buildings: pd.DataFrame,
    geometry_area_m2: pd.Series,
    elec_demand_kwh: pd.Series,
    a: Assumptions,
) -> pd.DataFrame:
    """All solar columns for a buildings table.

    Parameters
    ----------
    buildings : DataFrame
        Schema BUILDINGS (``footprint_m2``, ``roof_type``, ``pv_kwp_existing``,
        ``grid_connection``); not modified.
    geometry_area_m2 : Series of float
        Polygon area in EPSG:28992 (m²), used where ``footprint_m2`` is missing.
    elec_demand_kwh : Series of float
        Yearly electricity demand (kWh/yr), measured or estimated.
    a : Assumptions

    Returns
    -------
    DataFrame
        ``roof_area_m2``, ``roof_type_assumed`` (roof type missing, computed as
        flat), ``usable_roof_m2``, ``pv_panels_roof`` (panels on the whole
        roof), ``pv_panels`` (new panels beside the existing ones),
        ``pv_kwp_potential``, ``pv_kwh_yr_potential``, ``pv_kwh_yr_existing``,
        ``pv_invest_eur_low``, ``pv_invest_eur_high``, ``pv_savings_eur_yr``,
        ``pv_payback_yr``, ``pv_co2_avoided_kg_yr``, ``pv_share_of_demand``
        (new generation / electricity demand, may exceed 1) and
        ``sde_eligible``. The potential treats an unknown existing capacity as
        none, so it is the most the roof can add.
    """
    area = roof_area(buildings["footprint_m2"], geometry_area_m2)
    usable = usable_roof_area(area, buildings["roof_type"], a)
    on_roof = panel_count(usable, a)
    existing_kwp = buildings["pv_kwp_existing"].astype("Float64")
    taken = panels_for_kwp(existing_kwp.fillna(0), a)
    panels = (on_roof - taken).clip(lower=0)
    new_kwp = kwp(panels, a)
    generation = annual_yield(new_kwp, a)
    low, high = investment(new_kwp, a)
    price = electricity_price(buildings["grid_connection"], a)
    savings = yearly_savings(generation, elec_demand_kwh, price, a)
    demand = elec_demand_kwh.astype("Float64")
    return pd.DataFrame(
        {
            "roof_area_m2": area,
            "roof_type_assumed": buildings["roof_type"].isna().astype("boolean"),
            "usable_roof_m2": usable,
            "pv_panels_roof": on_roof,
            "pv_panels": panels,
            "pv_kwp_potential": new_kwp,
            "pv_kwh_yr_potential": generation,
            "pv_kwh_yr_existing": annual_yield(existing_kwp, a),
            "pv_invest_eur_low": low,
            "pv_invest_eur_high": high,
            "pv_savings_eur_yr": savings,
            "pv_payback_yr": simple_payback((low + high) / 2, savings),
            "pv_co2_avoided_kg_yr": (generation * a.co2_elec_kg_per_kwh.value).astype(
                "Float64"
            ),
            "pv_share_of_demand": (generation / demand.where(demand > 0)).astype(
                "Float64"
            ),
            "sde_eligible": sde_eligible(new_kwp, buildings["grid_connection"], a),
        },
        index=buildings.index,
    )
