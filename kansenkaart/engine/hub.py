"""Energy hub / group contract in quarter hours: does the shared connection fit?

For a group of buildings (a collective group of :mod:`kansenkaart.engine.groups`,
its ``member_ids``) with quarter-hour profiles (:mod:`kansenkaart.engine.profiles`,
mean kW per quarter hour, shape buildings × :data:`~profiles.N_QUARTERS`):

Sharing gain
    The sum of the members' own peaks of net take-up (use minus own solar,
    never below zero) minus the peak of the group's combined net take-up. It
    is never negative (the peak of a sum is at most the sum of the peaks) and
    zero for one building.
Capacity limit
    Default: the sum of the members' own peaks of use
    (:func:`default_limit_kw`): what their current connections carry today.
    On a congested grid (Capaciteitskaart afname status ≥ 1) the grid
    operator gives no room beyond that, so a group contract starts there.
    The user can set another limit.
Solar within the group
    Self-consumption per member (``min(use, solar)`` per quarter hour) versus
    within the group (``min(group use, group solar)``); what remains is
    fed in.
Battery
    Dispatch rule (:data:`DISPATCH_RULE`): discharge whenever the group takes
    more than the limit, up to the battery's power; charge whenever there is
    room under the limit (first the solar surplus, then from the grid up to
    the limit), up to the battery's power, losing
    ``1 - battery_roundtrip_efficiency`` on charging; the battery starts full.
    :func:`size_battery` finds the smallest battery (kWh, kW) that keeps the
    group within the limit in the chosen share of the quarter hours.

Everything is indicative ("indicatief"): standard profiles, not measured
behaviour of these companies.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kansenkaart.core.assumptions import Assumptions
from kansenkaart.engine.profiles import DT_H

DISPATCH_RULE = (
    "Ontladen zodra de groep meer afneemt dan de grens, tot het vermogen van de "
    "batterij. Laden zodra er ruimte is onder de grens: eerst met zonnestroom "
    "die anders wordt teruggeleverd, dan uit het net tot de grens. De batterij "
    "begint vol; bij het laden gaat het rendementsverlies af."
)
"""The battery's dispatch rule in Dutch, shown on screen."""
N_CANDIDATES = 40
"""Battery sizes tried between zero and the size that covers every quarter hour."""


def net_kw(use_kw: np.ndarray, pv_kw: np.ndarray) -> np.ndarray:
    """Net take-up per building and quarter hour (kW; negative: feed-in)."""
    return np.asarray(use_kw, np.float64) - np.asarray(pv_kw, np.float64)


def default_limit_kw(use_kw: np.ndarray) -> float:
    """Sum of the members' own peaks of use (kW): their connections today."""
    return float(np.asarray(use_kw, np.float64).max(axis=1).sum())


@dataclass(frozen=True)
class Balance:
    """Quarter-hour figures of one group (energies in kWh/yr, powers in kW)."""

    n_buildings: int
    sum_of_peaks_kw: float
    group_peak_kw: float
    sharing_gain_kw: float
    limit_kw: float
    hours_above_limit: float
    use_kwh: float
    pv_kwh: float
    self_use_individual_kwh: float
    self_use_group_kwh: float
    feed_in_kwh: float

    @property
    def self_use_gain_kwh(self) -> float:
        """Solar used within the group that the members alone would feed in."""
        return self.self_use_group_kwh - self.self_use_individual_kwh


def balance(use_kw: np.ndarray, pv_kw: np.ndarray, limit_kw: float) -> Balance:
    """Sharing gain, hours above the limit and solar of one group.

    Parameters
    ----------
    use_kw, pv_kw : ndarray, shape (N, T)
        Members' use and solar, mean kW per quarter hour.
    limit_kw : float
        Capacity limit of the group's take-up, kW.
    """
    use = np.asarray(use_kw, np.float64)
    pv = np.asarray(pv_kw, np.float64)
    net = use - pv
    own_peaks = np.clip(net, 0, None).max(axis=1)
    group_use = use.sum(axis=0)
    group_pv = pv.sum(axis=0)
    group_net = group_use - group_pv
    group_peak = float(max(group_net.max(), 0.0))
    return Balance(
        n_buildings=len(use),
        sum_of_peaks_kw=float(own_peaks.sum()),
        group_peak_kw=group_peak,
        sharing_gain_kw=float(max(own_peaks.sum() - group_peak, 0.0)),
        limit_kw=float(limit_kw),
        hours_above_limit=float((group_net > limit_kw).sum() * DT_H),
        use_kwh=float(group_use.sum() * DT_H),
        pv_kwh=float(group_pv.sum() * DT_H),
        self_use_individual_kwh=float(np.minimum(use, pv).sum() * DT_H),
        self_use_group_kwh=float(np.minimum(group_use, group_pv).sum() * DT_H),
        feed_in_kwh=float(np.clip(-group_net, 0, None).sum() * DT_H),
    )


def _flows(group_net: np.ndarray, limit_kw: float, power_kw: float, eff: float):
    """Energy the battery must give and may take per quarter hour (kWh)."""
    need = np.clip(group_net - limit_kw, 0, power_kw) * DT_H
    room = np.clip(limit_kw - group_net, 0, power_kw) * DT_H * eff
    return need, room


def battery_for_all(
    group_net: np.ndarray, limit_kw: float, eff: float
) -> tuple[float, float]:
    """Battery (kWh, kW) that keeps the group within the limit all year.

    Power: the largest excess over the limit. Energy: the largest deficit of
    the dispatch rule with unlimited storage, ``D_t = max(0, D_{t-1} + need_t
    - room_t)`` (Lindley's recursion), computed in closed form
    ``D_t = C_t - min(0, min_{k<=t} C_k)`` with ``C`` the cumulative sum,
    so vectorised over the year.
    """
    net = np.asarray(group_net, np.float64)
    power = float(max((net - limit_kw).max(), 0.0))
    if power == 0.0:
        return 0.0, 0.0
    need, room = _flows(net, limit_kw, power, eff)
    c = np.cumsum(need - room)
    deficit = c - np.minimum(np.minimum.accumulate(c), 0.0)
    return float(deficit.max()), power


def simulate(
    group_net: np.ndarray,
    limit_kw: float,
    energy_kwh: np.ndarray,
    power_kw: float,
    eff: float,
) -> dict[str, np.ndarray]:
    """Run the dispatch rule for several battery sizes at once.

    Parameters
    ----------
    group_net : ndarray, shape (T,)
        Group take-up, kW (negative: feed-in).
    limit_kw : float
    energy_kwh : ndarray, shape (K,)
        Candidate capacities, kWh.
    power_kw : float
        Battery power (charge and discharge), kW.
    eff : float
        Round-trip efficiency (applied on charging).

    Returns
    -------
    dict of ndarray, shape (K,)
        ``hours_above`` (h/yr with take-up still above the limit),
        ``from_solar_kwh`` (charged from solar surplus, kWh/yr, after losses),
        ``discharged_kwh`` (kWh/yr).
    """
    net = np.asarray(group_net, np.float64)
    need, room = _flows(net, limit_kw, power_kw, eff)
    surplus = np.clip(-net, 0, power_kw) * DT_H * eff
    cap = np.asarray(energy_kwh, np.float64)
    soc = cap.copy()
    short = np.zeros_like(cap)
    solar = np.zeros_like(cap)
    out = np.zeros_like(cap)
    tol = 1e-9
    for t in np.flatnonzero((need > 0) | (room > 0)):  # idle steps change nothing
        if need[t] > 0:
            give = np.minimum(soc, need[t])
            soc -= give
            out += give
            short += give < need[t] - tol
        else:
            take = np.minimum(cap - soc, room[t])
            solar += np.minimum(take, surplus[t])
            soc += take
    return {
        "hours_above": short * DT_H,
        "from_solar_kwh": solar,
        "discharged_kwh": out,
    }


@dataclass(frozen=True)
class Battery:
    """Smallest battery for the chosen share, and its money (indicative)."""

    energy_kwh: float
    power_kw: float
    share_target: float
    hours_above_before: float
    hours_above_after: float
    invest_eur: float
    savings_eur_yr: float

    @property
    def payback_yr(self) -> float:
        """Simple payback (investment / yearly savings); inf without savings."""
        return (
            self.invest_eur / self.savings_eur_yr if self.savings_eur_yr > 0 else np.inf
        )


def size_battery(
    group_net: np.ndarray, limit_kw: float, share: float, a: Assumptions
) -> Battery:
    """Smallest battery keeping the group within the limit in ``share`` of the year.

    Tries :data:`N_CANDIDATES` capacities from zero to :func:`battery_for_all`
    (at its power) with :func:`simulate` and keeps the smallest whose quarter
    hours above the limit are at most ``(1 - share)`` of the year.

    Money (indicative, :mod:`kansenkaart.core.assumptions`): investment
    ``battery_cost_eur_per_kwh`` × kWh; yearly savings: solar surplus stored
    instead of fed in, valued at ``elec_price_large_eur_per_kwh`` minus
    ``feed_in_eur_per_kwh``. Avoided grid costs are not priced.
    """
    net = np.asarray(group_net, np.float64)
    eff = a.battery_roundtrip_efficiency.value
    before = float((net > limit_kw).sum() * DT_H)
    allowed_h = (1.0 - share) * len(net) * DT_H
    full_kwh, power = battery_for_all(net, limit_kw, eff)
    if before <= allowed_h or power == 0.0:
        return Battery(0.0, 0.0, share, before, before, 0.0, 0.0)
    sizes = np.linspace(0.0, full_kwh, N_CANDIDATES + 1)[1:]
    run = simulate(net, limit_kw, sizes, power, eff)
    ok = np.flatnonzero(run["hours_above"] <= allowed_h + 1e-9)
    k = int(ok[0]) if len(ok) else len(sizes) - 1
    value = a.elec_price_large_eur_per_kwh.value - a.feed_in_eur_per_kwh.value
    return Battery(
        energy_kwh=float(sizes[k]),
        power_kw=power,
        share_target=share,
        hours_above_before=before,
        hours_above_after=float(run["hours_above"][k]),
        invest_eur=float(sizes[k] * a.battery_cost_eur_per_kwh.value),
        savings_eur_yr=float(run["from_solar_kwh"][k] * value),
    )


def members(profile_ids, member_ids) -> np.ndarray:
    """Row positions in a profile set of a group's ``member_ids`` (in order)."""
    where = {str(b): k for k, b in enumerate(profile_ids)}
    return np.array([where[str(m)] for m in member_ids if str(m) in where], int)
