"""Solar on the roof: roof → panels → kWp → kWh/yr → savings, payback, CO2.

All functions are vectorised over pandas Series with nullable dtypes and keep
their index; a missing input gives a missing output. Constants come from an
:class:`~kansenkaart.core.assumptions.Assumptions` set (DESIGN.md section 5).

The chain, per building:

1. roof area ``A`` (m²): the 3D BAG flat + sloped roof area, else
   ``footprint_m2``, else the area of the RD geometry (``roof_basis``);
2. usable area: flat ``A · f_flat``; pitched ``A · f_south / cos(pitch) ·
   f_cover`` (the south half of the sloped surface, minus edges); from the
   3D BAG ``A_flat · f_flat + A_sloped · f_south · f_cover``;
3. panels on the roof ``floor(usable / (l · w))``, minus the panels already
   there (``ceil(kWp_existing · 1000 / Wp)``);
4. the advice: those panels, capped by what the connection can take
   (kleinverbruik ≤ 3×80 A ≈ 55 kVA, existing panels included) and, for a
   grootverbruik connection where feed-in is congested, sized to own use
   (:func:`advised_panels`; the limiting factor in Dutch in ``pv_limit``);
5. kWp ``= panels · Wp / 1000``; kWh/yr ``= kWp · yield``;
6. investment ``kWp · 1000 · (€/Wp low, high)``; savings after the end of the
   salderingsregeling (1 January 2027): only the kWh used on site at the
   moment of generation save the connection's price, the rest earns the
   feed-in compensation; existing panels take their share of own use first
   (:func:`self_consumed`, :func:`yearly_savings`); simple payback = mean
   investment / savings.

With the ``LEIDRAAD`` assumptions this reproduces the Leidraad table
(410 m² → 103 panels → 32 kWp, 755 → 189 → 58, 345 → 97 → 30) within 5 %.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kansenkaart.core.assumptions import Assumptions
from kansenkaart.core.columns import ROOF_BASES
from kansenkaart.core.texts import (
    PV_LIMIT_CONNECTION,
    PV_LIMIT_FULL,
    PV_LIMIT_GRID,
    PV_LIMIT_ROOF,
)

ROOF_3DBAG, ROOF_FOOTPRINT, ROOF_POLYGON = ROOF_BASES
_EPS = 1e-9  # guards floor/ceil against binary rounding (116.0 stored as 115.99…)


def _optional(values: pd.Series | None, index: pd.Index) -> pd.Series:
    """A Float64 copy of ``values``, or an all-missing Series when it is None."""
    if values is None:
        return pd.Series(pd.NA, index=index, dtype="Float64")
    return pd.Series(values, index=index).astype("Float64")


def _bag3d_known(flat_m2: pd.Series, sloped_m2: pd.Series) -> pd.Series:
    """The 3D BAG gives this roof: a flat or a sloped area is known."""
    return (flat_m2.notna() | sloped_m2.notna()).astype(bool)


def roof_area(
    footprint_m2: pd.Series,
    geometry_area_m2: pd.Series,
    roof_flat_m2: pd.Series | None = None,
    roof_sloped_m2: pd.Series | None = None,
) -> pd.Series:
    """Roof area: the 3D BAG roof surface, else the footprint, else the polygon.

    Where the 3D BAG gives the roof (``b3_opp_dak_plat``,
    ``b3_opp_dak_schuin``; a missing one of the two counts as 0) the area is
    their sum: the flat parts plus the sloped planes as measured on the
    LoD2.2 model (3DBAG, *Data attributes*, https://docs.3dbag.nl). Else the
    footprint, else the area of the RD polygon.

    Parameters
    ----------
    footprint_m2 : Series of float
        ``footprint_m2`` of the buildings table (m²), may be missing.
    geometry_area_m2 : Series of float
        Area of the building polygon in EPSG:28992 (m²); 0 for a point.
    roof_flat_m2, roof_sloped_m2 : Series of float, optional
        3D BAG flat and sloped roof areas (m²).

    Returns
    -------
    Series (Float64), m²; missing where nothing is known (or the geometry
    has no area).
    """
    index = footprint_m2.index
    geom = pd.Series(geometry_area_m2, index=index, dtype="Float64")
    area = footprint_m2.astype("Float64").fillna(geom.where(geom > 0))
    flat = _optional(roof_flat_m2, index)
    sloped = _optional(roof_sloped_m2, index)
    bag3d = flat.fillna(0) + sloped.fillna(0)
    return bag3d.where(_bag3d_known(flat, sloped), area).astype("Float64")


def roof_basis(
    footprint_m2: pd.Series,
    geometry_area_m2: pd.Series,
    roof_flat_m2: pd.Series | None = None,
    roof_sloped_m2: pd.Series | None = None,
) -> pd.Series:
    """What the roof area rests on: one of :data:`ROOF_BASES` (as :func:`roof_area`).

    ``3D BAG`` where a 3D BAG roof area is known, else ``footprint``, else
    ``polygoon`` (the area of the map polygon); missing without any.
    """
    index = footprint_m2.index
    geom = pd.Series(geometry_area_m2, index=index, dtype="Float64")
    known = _bag3d_known(
        _optional(roof_flat_m2, index), _optional(roof_sloped_m2, index)
    )
    basis = pd.Series(pd.NA, index=index, dtype="string")
    basis = basis.mask((geom > 0).fillna(False).astype(bool), ROOF_POLYGON)
    basis = basis.mask(footprint_m2.notna().astype(bool), ROOF_FOOTPRINT)
    return basis.mask(known, ROOF_3DBAG)


def usable_roof_area(
    roof_area_m2: pd.Series,
    roof_type: pd.Series,
    a: Assumptions,
    roof_flat_m2: pd.Series | None = None,
    roof_sloped_m2: pd.Series | None = None,
) -> pd.Series:
    """Roof area that can carry panels.

    A flat roof keeps ``flat_usable_fraction`` of its area (edge zone, walkways,
    row spacing; RVO / market practice 50–60 %). A pitched roof carries panels
    on its south half only; its sloped surface is the footprint divided by
    ``cos(roof_pitch_deg)``, of which ``pitched_coverage_fraction`` can be
    covered. A missing roof type is computed as flat: most halls on business
    parks have flat roofs (see ``roof_type_assumed`` in :func:`potential`).

    Where the 3D BAG gives the roof, its published areas are used as they
    are: ``A_flat · f_flat + A_sloped · f_south · f_cover``. ``A_sloped``
    (``b3_opp_dak_schuin``) is already the surface of the sloped planes
    (3DBAG, *Data attributes*), so it is not divided by ``cos(pitch)`` again;
    the orientation of the planes is not published, so the south half
    (``pitched_south_fraction``) still applies. A missing one of the two
    areas counts as 0.

    Parameters
    ----------
    roof_area_m2 : Series of float
        Horizontal roof area (m²), used where the 3D BAG gives no roof.
    roof_type : Series of str
        ``flat``, ``pitched`` or missing.
    a : Assumptions
    roof_flat_m2, roof_sloped_m2 : Series of float, optional
        3D BAG flat and sloped roof areas (m²).

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
    usable = flat.mask(is_pitched.to_numpy(dtype=bool, na_value=False), pitched)
    index = roof_area_m2.index
    flat_3d = _optional(roof_flat_m2, index)
    sloped_3d = _optional(roof_sloped_m2, index)
    bag3d = (
        flat_3d.fillna(0) * a.flat_usable_fraction.value
        + sloped_3d.fillna(0)
        * a.pitched_south_fraction.value
        * a.pitched_coverage_fraction.value
    )
    known = _bag3d_known(flat_3d, sloped_3d)
    return bag3d.where(known, usable).astype("Float64")


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


SALDERING_END = "1 januari 2027"
"""End of the salderingsregeling (Wet beëindiging salderingsregeling,
Kamerstuk 36 611, adopted by the Eerste Kamer in June 2025)."""


def self_consumed(
    generation_kwh: pd.Series, elec_demand_kwh: pd.Series, a: Assumptions
) -> pd.Series:
    """Yearly kWh of generation used on site at the moment it is generated.

    ``min(f_gen · G, f_dem · D)``: at most ``pv_self_use_max_fraction`` of
    the generation ``G`` (weekends and holidays go to the grid) and at most
    ``pv_daytime_demand_share`` of the yearly demand ``D`` (only sunny hours
    can be covered). Both fractions are indicative.

    Returns
    -------
    Series (Float64), kWh/yr; missing where generation or demand is missing.
    """
    by_generation = generation_kwh.astype("Float64") * a.pv_self_use_max_fraction.value
    by_demand = (
        elec_demand_kwh.astype("Float64").clip(lower=0)
        * a.pv_daytime_demand_share.value
    )
    return np.minimum(by_generation, by_demand).astype("Float64")


def new_self_consumed(
    generation_kwh: pd.Series,
    existing_kwh: pd.Series,
    elec_demand_kwh: pd.Series,
    a: Assumptions,
) -> pd.Series:
    """Own use added by new panels beside existing ones (kWh/yr).

    The existing panels take their share first:
    ``S(G_existing + G_new) − S(G_existing)`` with ``S`` :func:`self_consumed`.
    A missing existing generation counts as none (an upper bound).
    """
    existing = existing_kwh.astype("Float64").fillna(0)
    total = self_consumed(existing + generation_kwh, elec_demand_kwh, a)
    return (total - self_consumed(existing, elec_demand_kwh, a)).astype("Float64")


def yearly_savings(
    generation_kwh: pd.Series,
    elec_demand_kwh: pd.Series,
    price_eur_per_kwh: pd.Series,
    a: Assumptions,
    *,
    existing_kwh: pd.Series,
) -> pd.Series:
    """Yearly savings (€/yr) of new generation after the end of saldering.

    From 1 January 2027 (Kamerstuk 36 611) kleinverbruikers can no longer net
    their feed-in against their use; grootverbruikers never could. So only
    the kWh used on site (:func:`new_self_consumed`, after the existing
    panels) save ``price_eur_per_kwh``; the rest earns
    ``feed_in_eur_per_kwh`` (net of feed-in costs). Panels bought now run
    20–25 years, almost all of them after 2027, so this is the yearly figure
    for the payback.

    Parameters
    ----------
    generation_kwh : Series of float
        Generation of the new panels (kWh/yr).
    elec_demand_kwh : Series of float
        Yearly electricity demand (kWh/yr).
    price_eur_per_kwh : Series of float
        :func:`electricity_price`.
    a : Assumptions
    existing_kwh : Series of float
        Generation of the panels already there (kWh/yr); missing counts as none.

    Returns
    -------
    Series (Float64), €/yr; missing where generation or demand is missing.
    """
    own = new_self_consumed(generation_kwh, existing_kwh, elec_demand_kwh, a)
    fed_in = generation_kwh - own
    return (own * price_eur_per_kwh + fed_in * a.feed_in_eur_per_kwh.value).astype(
        "Float64"
    )


def connection_room_kwp(
    grid_connection: pd.Series, existing_kwp: pd.Series, a: Assumptions
) -> pd.Series:
    """kWp a kleinverbruik connection can still take beside the existing panels.

    ``kleinverbruik_max_kw − existing kWp`` (at least 0) for ``kleinverbruik``
    (≤ 3×80 A, 55,2 kVA); missing (no cap from this rule) for grootverbruik or
    an unknown connection. A missing existing capacity counts as none.
    """
    small = grid_connection.astype("string").eq("kleinverbruik")
    room = (
        a.kleinverbruik_max_kw.value - existing_kwp.astype("Float64").fillna(0)
    ).clip(lower=0)
    return room.where(small.to_numpy(dtype=bool, na_value=False)).astype("Float64")


def own_use_kwp(
    elec_demand_kwh: pd.Series, existing_kwp: pd.Series, a: Assumptions
) -> pd.Series:
    """New kWp beyond which more panels add no own use (kWh/yr balance).

    Own use stops growing once ``f_gen · G = f_dem · D``
    (:func:`self_consumed`): total generation ``G* = f_dem · D / f_gen``, so
    ``G* / yield − existing kWp`` new kWp (at least 0).
    """
    total_kwh = (
        elec_demand_kwh.astype("Float64").clip(lower=0)
        * a.pv_daytime_demand_share.value
        / a.pv_self_use_max_fraction.value
    )
    new = total_kwh / a.yield_kwh_per_kwp.value - existing_kwp.astype("Float64").fillna(
        0
    )
    return new.clip(lower=0).astype("Float64")


def advised_panels(
    roof_panels: pd.Series,
    existing_kwp: pd.Series,
    grid_connection: pd.Series,
    invoeding_status: pd.Series,
    elec_demand_kwh: pd.Series,
    a: Assumptions,
) -> tuple[pd.Series, pd.Series]:
    """New panels to advise and what limits them.

    The new panels that fit on the roof (``roof_panels``), capped by

    - the connection: kleinverbruik (≤ 3×80 A) takes at most
      ``kleinverbruik_max_kw`` kWp including the existing panels
      (:func:`connection_room_kwp`);
    - the grid: a grootverbruik connection in an area whose feed-in status is
      at least ``pv_feed_in_congested_status`` (Capaciteitskaart) cannot count
      on feed-in capacity, so the advice is sized to own use
      (:func:`own_use_kwp`). Kleinverbruikers may always feed in.

    Parameters
    ----------
    roof_panels : Series of int
        New panels that fit beside the existing ones.
    existing_kwp : Series of float
        ``pv_kwp_existing`` (kWp); missing counts as none.
    grid_connection : Series of str
        ``kleinverbruik``, ``grootverbruik`` or missing (then no cap).
    invoeding_status : Series of int
        Feed-in status 0–3 of the building's capacity area; missing: no cap.
    elec_demand_kwh : Series of float
        Yearly electricity demand (kWh/yr).
    a : Assumptions

    Returns
    -------
    panels : Series (Int64)
        Advised new panels (never more than ``roof_panels``).
    limit : Series (string)
        One of :data:`kansenkaart.core.texts.PV_LIMITS`; missing where the
        roof is unknown.
    """
    wp = a.panel_wp.value
    connection = connection_room_kwp(grid_connection, existing_kwp, a)
    large = grid_connection.astype("string").eq("grootverbruik")
    congested = large & (invoeding_status >= a.pv_feed_in_congested_status.value)
    grid = own_use_kwp(elec_demand_kwh, existing_kwp, a).where(
        congested.to_numpy(dtype=bool, na_value=False)
    )
    roof = roof_panels.astype("Float64")
    caps = pd.DataFrame(
        {
            PV_LIMIT_ROOF: roof,
            PV_LIMIT_CONNECTION: np.floor(connection * 1000 / wp + _EPS),
            PV_LIMIT_GRID: np.floor(grid * 1000 / wp + _EPS),
        },
        index=roof_panels.index,
    ).astype("Float64")
    panels = caps.min(axis=1, skipna=True).where(roof.notna())
    binding = caps.astype("float64").fillna(np.inf).idxmin(axis=1)
    limit = binding.astype("string").where(roof.notna().to_numpy(dtype=bool))
    full = roof.eq(0).to_numpy(dtype=bool, na_value=False)
    limit = limit.mask(full, PV_LIMIT_FULL)
    return panels.astype("Int64"), limit


def public_advice(buildings: pd.DataFrame, a: Assumptions) -> pd.DataFrame:
    """The solar advice from public data alone (the roof and the connection).

    On a grootverbruik connection in a congested feed-in area
    :func:`advised_panels` sizes the advice to the company's own use, a
    private figure. This is the advice without that cap: the roof's room
    (``pv_kwp_roof``) capped by the connection only, and the figures that
    follow from it. Wherever the use cap does not bind it equals the engine's
    advice.

    Parameters
    ----------
    buildings : DataFrame
        Analysed buildings (``pv_kwp_roof``, ``pv_kwp_existing``,
        ``grid_connection``); not modified.
    a : Assumptions

    Returns
    -------
    DataFrame
        Index of ``buildings``: ``pv_panels``, ``pv_kwp_potential``,
        ``pv_kwh_yr_potential``, ``pv_invest_eur_low``,
        ``pv_invest_eur_high`` and ``sde_eligible``, as in :func:`potential`.
    """
    room = panels_for_kwp(buildings["pv_kwp_roof"], a)
    unknown = pd.Series(pd.NA, index=buildings.index, dtype="Float64")
    connection = buildings["grid_connection"]
    panels, _ = advised_panels(
        room,
        buildings["pv_kwp_existing"].astype("Float64"),
        connection,
        unknown.astype("Int64"),
        unknown,
        a,
    )
    new_kwp = kwp(panels, a)
    low, high = investment(new_kwp, a)
    return pd.DataFrame(
        {
            "pv_panels": panels,
            "pv_kwp_potential": new_kwp,
            "pv_kwh_yr_potential": annual_yield(new_kwp, a),
            "pv_invest_eur_low": low,
            "pv_invest_eur_high": high,
            "sde_eligible": sde_eligible(new_kwp, connection, a),
        },
        index=buildings.index,
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
    *,
    invoeding_status: pd.Series,
) -> pd.DataFrame:
    """All solar columns for a buildings table: the roof and the advice.

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
    invoeding_status : Series of int
        Feed-in status 0–3 of each building's capacity area (NA outside).

    Returns
    -------
    DataFrame
        ``roof_area_m2``, ``roof_basis`` (:func:`roof_basis`),
        ``roof_type_assumed`` (roof type missing, computed as flat),
        ``usable_roof_m2``, ``pv_panels_roof`` (panels on the whole roof),
        ``pv_kwp_roof`` (new kWp the roof can carry beside the existing
        panels), then the advice (:func:`advised_panels`): ``pv_panels``,
        ``pv_kwp_potential``, ``pv_limit``, ``pv_kwh_yr_potential``,
        ``pv_kwh_yr_existing``, ``pv_invest_eur_low``, ``pv_invest_eur_high``,
        ``pv_self_use_share`` (share of the new generation used on site),
        ``pv_savings_eur_yr`` (after 2027, :func:`yearly_savings`),
        ``pv_payback_yr``, ``pv_co2_avoided_kg_yr``, ``pv_share_of_demand``
        (new generation / electricity demand, may exceed 1) and
        ``sde_eligible``. An unknown existing capacity counts as none.
    """
    roof_3d = buildings.get("roof_flat_m2"), buildings.get("roof_sloped_m2")
    area = roof_area(buildings["footprint_m2"], geometry_area_m2, *roof_3d)
    usable = usable_roof_area(area, buildings["roof_type"], a, *roof_3d)
    on_roof = panel_count(usable, a)
    existing_kwp = buildings["pv_kwp_existing"].astype("Float64")
    taken = panels_for_kwp(existing_kwp.fillna(0), a)
    room = (on_roof - taken).clip(lower=0)
    connection = buildings["grid_connection"]
    panels, limit = advised_panels(
        room, existing_kwp, connection, invoeding_status, elec_demand_kwh, a
    )
    new_kwp = kwp(panels, a)
    generation = annual_yield(new_kwp, a)
    existing = annual_yield(existing_kwp, a)
    low, high = investment(new_kwp, a)
    price = electricity_price(connection, a)
    own = new_self_consumed(generation, existing, elec_demand_kwh, a)
    savings = yearly_savings(
        generation, elec_demand_kwh, price, a, existing_kwh=existing
    )
    demand = elec_demand_kwh.astype("Float64")
    return pd.DataFrame(
        {
            "roof_area_m2": area,
            "roof_basis": roof_basis(
                buildings["footprint_m2"], geometry_area_m2, *roof_3d
            ),
            "roof_type_assumed": buildings["roof_type"].isna().astype("boolean"),
            "usable_roof_m2": usable,
            "pv_panels_roof": on_roof,
            "pv_kwp_roof": kwp(room, a),
            "pv_panels": panels,
            "pv_kwp_potential": new_kwp,
            "pv_limit": limit,
            "pv_kwh_yr_potential": generation,
            "pv_kwh_yr_existing": existing,
            "pv_invest_eur_low": low,
            "pv_invest_eur_high": high,
            "pv_self_use_share": (own / generation.where(generation > 0)).astype(
                "Float64"
            ),
            "pv_savings_eur_yr": savings,
            "pv_payback_yr": simple_payback((low + high) / 2, savings),
            "pv_co2_avoided_kg_yr": (generation * a.co2_elec_kg_per_kwh.value).astype(
                "Float64"
            ),
            "pv_share_of_demand": (generation / demand.where(demand > 0)).astype(
                "Float64"
            ),
            "sde_eligible": sde_eligible(new_kwp, connection, a),
        },
        index=buildings.index,
    )
