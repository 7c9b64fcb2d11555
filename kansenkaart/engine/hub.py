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
    The sum of the members' own peaks of use (:func:`default_limit_kw`, what
    their current connections carry today) times a share: on a congested grid
    (Capaciteitskaart afname status ≥ 2) the grid operator gives no room
    beyond that, and a group contract (groepstransportovereenkomst, Liander
    "Transportovereenkomst voor groepen (Groeps-TO)") that asks less frees
    room for growth. Default share ``hub_group_limit_share``; the user sets
    another on the page.
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
Money
    The grid operator bills a grootverbruik connection per kW: the contracted
    transport capacity (kW contract, €/kW/jaar) and the highest take-up of
    each month (kW max, €/kW/maand), Tarievencode Elektriciteit
    (:func:`grid_cost_eur_yr`). A group contract billed as one connection
    pays for the group's peaks instead of the sum of the members' own
    (:func:`sharing_savings_eur_yr`); a battery lowers the group's peaks
    further. Avoided grid reinforcement is not priced: on a full grid it
    cannot be bought (wachtrij).

Everything is indicative ("indicatief"): standard profiles, not measured
behaviour of these companies, and tariffs of one grid operator.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kansenkaart.core import fmt
from kansenkaart.core.assumptions import Assumptions
from kansenkaart.core.model import Analysis
from kansenkaart.core.quarters import MODEL_YEAR
from kansenkaart.engine.profiles import (
    BASIS_MEASURED,
    BASIS_STANDARD,
    DT_H,
    Profiles,
    building_profiles,
)

DISPATCH_RULE = (
    "Ontladen zodra de groep meer afneemt dan de grens, tot het vermogen van de "
    "batterij. Laden zodra er ruimte is onder de grens: eerst met zonnestroom "
    "die anders wordt teruggeleverd, dan uit het net tot de grens. De batterij "
    "begint vol; bij het laden gaat het rendementsverlies af."
)
"""The battery's dispatch rule in Dutch, shown on screen."""
N_CANDIDATES = 40
"""Battery sizes tried between zero and the size that covers every quarter hour."""
HUB_MEASURES = ("energy_hub", "collectieve_batterij")
"""Measures whose groups share a connection (:func:`group_summaries`)."""
MONTH_START = (
    pd.date_range(f"{MODEL_YEAR}-01-01", periods=12, freq="MS").day_of_year.to_numpy()
    - 1
) * 96
"""Quarter hour at which each month of the model year starts."""


def net_kw(use_kw: np.ndarray, pv_kw: np.ndarray) -> np.ndarray:
    """Net take-up per building and quarter hour (kW; negative: feed-in)."""
    return np.asarray(use_kw, np.float64) - np.asarray(pv_kw, np.float64)


def default_limit_kw(use_kw: np.ndarray) -> float:
    """Sum of the members' own peaks of use (kW): their connections today."""
    return float(np.asarray(use_kw, np.float64).max(axis=1).sum())


def monthly_peaks_kw(net: np.ndarray) -> np.ndarray:
    """Highest take-up per calendar month (kW; feed-in counts as none).

    Parameters
    ----------
    net : ndarray, shape (..., N_QUARTERS)

    Returns
    -------
    ndarray, shape (..., 12)
        Fewer months for a series shorter than a year.
    """
    take = np.clip(np.asarray(net, np.float64), 0, None)
    starts = MONTH_START[take.shape[-1] > MONTH_START]  # a shorter test "year"
    return np.maximum.reduceat(take, starts, axis=-1)


def grid_cost_eur_yr(contract_kw, month_peaks_kw, a: Assumptions):
    """Yearly transport cost of the power-dependent tariff parts (€/jaar).

    ``contract_kw × grid_kw_contract_eur_per_kw_yr + Σ_month kWmax ×
    grid_kw_max_eur_per_kw_month`` (the kW contract and kW max tariff carriers
    of the Tarievencode Elektriciteit for grootverbruik); the fixed and
    per-kWh parts do not change with the peaks and are left out.
    """
    monthly = np.asarray(month_peaks_kw, np.float64).sum(axis=-1)
    return (
        np.asarray(contract_kw, np.float64) * a.grid_kw_contract_eur_per_kw_yr.value
        + monthly * a.grid_kw_max_eur_per_kw_month.value
    )


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


def sharing_savings_eur_yr(use_kw: np.ndarray, pv_kw: np.ndarray, a: Assumptions):
    """What a group contract saves on the power tariffs (€/jaar, indicative).

    Each member alone contracts its own peak of net take-up and pays its own
    kW max per month; billed as one connection, the group contracts its
    combined peak and pays its combined monthly peaks
    (:func:`grid_cost_eur_yr`). Never negative: per month and over the year
    the peak of the sum is at most the sum of the peaks.
    """
    net = net_kw(use_kw, pv_kw)
    own = grid_cost_eur_yr(
        np.clip(net, 0, None).max(axis=1), monthly_peaks_kw(net), a
    ).sum()
    group = net.sum(axis=0)
    shared = grid_cost_eur_yr(max(group.max(), 0.0), monthly_peaks_kw(group), a)
    return float(max(own - shared, 0.0))


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

    The quarter hours where the battery would act come in runs of
    discharging and of charging (idle quarter hours change nothing). Within
    a run the state of charge follows a cumulative sum clipped at empty or
    full, so each run is one vectorised step over all sizes: discharging
    gives ``clip(soc - needed before, 0, need)``, charging fills
    ``min(cumulative room, cap - soc)``.

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
    dict of ndarray
        Shape (K,): ``hours_above`` (h/yr with take-up still above the
        limit), ``from_solar_kwh`` (charged from solar surplus, kWh/yr, after
        losses), ``discharged_kwh`` (kWh/yr), ``peak_kw`` (highest take-up
        with the battery, kW); shape (K, 12): ``month_peaks_kw``.
    """
    net = np.asarray(group_net, np.float64)
    need, room = _flows(net, limit_kw, power_kw, eff)
    surplus = np.clip(-net, 0, power_kw) * DT_H * eff
    cap = np.asarray(energy_kwh, np.float64)
    soc = cap.copy()
    short = np.zeros_like(cap)
    solar = np.zeros_like(cap)
    out = np.zeros_like(cap)
    after = np.repeat(net[None, :], len(cap), axis=0)
    active = np.flatnonzero((need > 0) | (room > 0))
    giving = need[active] > 0
    cuts = np.flatnonzero(np.diff(giving.astype(np.int8))) + 1
    for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, len(active)], strict=True):
        steps = active[lo:hi]
        if giving[lo]:
            n = need[steps]
            before = np.cumsum(n) - n
            give = np.clip(soc[:, None] - before[None, :], 0, n[None, :])
            short += (give < n[None, :] - 1e-9).sum(axis=1)
            out += give.sum(axis=1)
            soc = soc - give.sum(axis=1)
            after[:, steps] -= give / DT_H
        else:
            filled = np.minimum(np.cumsum(room[steps])[None, :], (cap - soc)[:, None])
            take = np.diff(filled, axis=1, prepend=0.0)
            solar += np.minimum(take, surplus[steps][None, :]).sum(axis=1)
            soc = soc + filled[:, -1]
            after[:, steps] += take / (DT_H * eff)
    return {
        "hours_above": short * DT_H,
        "from_solar_kwh": solar,
        "discharged_kwh": out,
        "peak_kw": np.clip(after, 0, None).max(axis=1),
        "month_peaks_kw": monthly_peaks_kw(after),
    }


@dataclass(frozen=True)
class Battery:
    """Smallest battery for the chosen share, and its money (indicative).

    ``grid_savings_eur_yr``: the lower power tariffs of the group's lower
    peaks (:func:`grid_cost_eur_yr`, contract at the peak before and after);
    ``solar_savings_eur_yr``: solar surplus stored instead of fed in.
    """

    energy_kwh: float
    power_kw: float
    share_target: float
    hours_above_before: float
    hours_above_after: float
    peak_before_kw: float
    peak_after_kw: float
    invest_eur: float
    grid_savings_eur_yr: float
    solar_savings_eur_yr: float

    @property
    def savings_eur_yr(self) -> float:
        """Yearly savings: power tariffs plus stored solar (€/jaar)."""
        return self.grid_savings_eur_yr + self.solar_savings_eur_yr

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
    ``battery_cost_eur_per_kwh`` × kWh; yearly savings: the power tariffs of
    the group contract before minus after (:func:`grid_cost_eur_yr` with the
    contract at the peak and the monthly peaks), plus solar surplus stored
    instead of fed in, valued at ``elec_price_large_eur_per_kwh`` minus
    ``feed_in_eur_per_kwh``.
    """
    net = np.asarray(group_net, np.float64)
    eff = a.battery_roundtrip_efficiency.value
    before = float((net > limit_kw).sum() * DT_H)
    peak = float(max(net.max(), 0.0))
    allowed_h = (1.0 - share) * len(net) * DT_H
    full_kwh, power = battery_for_all(net, limit_kw, eff)
    if before <= allowed_h or power == 0.0:
        return Battery(0.0, 0.0, share, before, before, peak, peak, 0.0, 0.0, 0.0)
    sizes = np.linspace(0.0, full_kwh, N_CANDIDATES + 1)[1:]
    run = simulate(net, limit_kw, sizes, power, eff)
    ok = np.flatnonzero(run["hours_above"] <= allowed_h + 1e-9)
    k = int(ok[0]) if len(ok) else len(sizes) - 1
    value = a.elec_price_large_eur_per_kwh.value - a.feed_in_eur_per_kwh.value
    cost_before = grid_cost_eur_yr(peak, monthly_peaks_kw(net), a)
    cost_after = grid_cost_eur_yr(run["peak_kw"][k], run["month_peaks_kw"][k], a)
    return Battery(
        energy_kwh=float(sizes[k]),
        power_kw=power,
        share_target=share,
        hours_above_before=before,
        hours_above_after=float(run["hours_above"][k]),
        peak_before_kw=peak,
        peak_after_kw=float(run["peak_kw"][k]),
        invest_eur=float(sizes[k] * a.battery_cost_eur_per_kwh.value),
        grid_savings_eur_yr=float(cost_before - cost_after),
        solar_savings_eur_yr=float(run["from_solar_kwh"][k] * value),
    )


def members(profile_ids, member_ids) -> np.ndarray:
    """Row positions in a profile set of a group's ``member_ids`` (in order)."""
    where = {str(b): k for k, b in enumerate(profile_ids)}
    return np.array([where[str(m)] for m in member_ids if str(m) in where], int)


# --- per group of a terrain ---------------------------------------------------

HUB_FIGURES = (
    "sum_of_peaks_kw",
    "group_peak_kw",
    "sharing_gain_kw",
    "limit_kw",
    "hours_above_limit",
    "self_use_gain_kwh",
    "feed_in_kwh",
    "battery_kwh",
    "battery_kw",
    "hours_above_after",
    "peak_after_kw",
    "battery_invest_eur",
    "sharing_savings_eur_yr",
    "battery_savings_eur_yr",
    "battery_payback_yr",
)
"""The figures of :func:`group_summaries` (a group's profile in numbers:
shown outside the beheerder view only under the disclosure rules)."""


def method_text(profile_basis: str, a: Assumptions, limit_share, share) -> str:
    """The Dutch basis shared by every group's hub figures: "indicatief", the
    profiles, the limit, the battery target and rule, and the money."""
    return (
        f"Indicatief. {profile_basis} Grens: {fmt.percent(limit_share)} van de "
        "som van de eigen pieken van verbruik. Batterij: de kleinste die de "
        f"groep in {fmt.percent(share)} van de kwartieren binnen de grens houdt "
        f"({DISPATCH_RULE}) Geld: {fmt.euro(a.battery_cost_eur_per_kwh.value)} "
        "per kWh opslag; transporttarief "
        f"{fmt.number(a.grid_kw_contract_eur_per_kw_yr.value, 2)} €/kW/jaar "
        f"(kW contract) en {fmt.number(a.grid_kw_max_eur_per_kw_month.value, 2)} "
        "€/kW/maand (kW max), aangenomen dat het groepscontract als één "
        "aansluiting wordt afgerekend; vermeden netverzwaring niet in euro's."
    )


def group_summaries(
    analysis: Analysis,
    profiles: Profiles,
    limit_share: float | None = None,
    share: float = 1.0,
) -> pd.DataFrame:
    """The hub figures of every energy-hub and battery group of a terrain.

    Parameters
    ----------
    analysis : Analysis
        ``analysis.groups`` (groups of :data:`HUB_MEASURES`) and
        ``analysis.assumptions``; not modified.
    profiles : Profiles
        Of ``analysis.buildings``
        (:func:`kansenkaart.engine.profiles.building_profiles`).
    limit_share : float, optional
        Limit as a share of the sum of the members' own peaks of use
        (:func:`default_limit_kw`); default ``hub_group_limit_share``.
    share : float
        Share of the quarter hours the battery keeps within the limit.

    Returns
    -------
    DataFrame
        One row per group: ``group_id``, ``measure_id``, ``measure_name``,
        ``name``, ``member_ids``, ``n_companies``, :data:`HUB_FIGURES`
        (kW, h/jaar, kWh/jaar, kWh, €, €/jaar, jaar; payback NA without
        savings), ``n_measured`` (members with own meter data), ``hub_basis``
        (Dutch: the group's profiles and :func:`method_text`), ``hub_method``
        (:func:`method_text` alone) and ``share_<figure>``: the largest
        member's share of the group's use, for the dominance rule
        (:func:`kansenkaart.engine.privacy.redact_groups`).
    """
    a = analysis.assumptions
    limit_share = (
        a.hub_group_limit_share.value if limit_share is None else float(limit_share)
    )
    table = analysis.groups
    table = table[table["measure_id"].isin(HUB_MEASURES)].reset_index(drop=True)
    method = method_text(profiles.basis, a, limit_share, share)
    rows = []
    for group in table.itertuples(index=False):
        at = members(profiles.ids, group.member_ids)
        use, pv = profiles.use_kw[at], profiles.pv_kw[at]
        limit = limit_share * default_limit_kw(use)
        b = balance(use, pv, limit)
        battery = size_battery((use - pv).sum(axis=0), limit, share, a)
        own_kwh = use.sum(axis=1, dtype=np.float64)
        n_measured = sum(profiles.bases[k] == BASIS_MEASURED for k in at)
        rows.append(
            {
                "sum_of_peaks_kw": b.sum_of_peaks_kw,
                "group_peak_kw": b.group_peak_kw,
                "sharing_gain_kw": b.sharing_gain_kw,
                "limit_kw": b.limit_kw,
                "hours_above_limit": b.hours_above_limit,
                "self_use_gain_kwh": b.self_use_gain_kwh,
                "feed_in_kwh": b.feed_in_kwh,
                "battery_kwh": battery.energy_kwh,
                "battery_kw": battery.power_kw,
                "hours_above_after": battery.hours_above_after,
                "peak_after_kw": battery.peak_after_kw,
                "battery_invest_eur": battery.invest_eur,
                "sharing_savings_eur_yr": sharing_savings_eur_yr(use, pv, a),
                "battery_savings_eur_yr": battery.savings_eur_yr,
                "battery_payback_yr": battery.payback_yr
                if np.isfinite(battery.payback_yr)
                else np.nan,
                "n_measured": n_measured,
                "hub_basis": f"Profielen: {len(at) - n_measured} × "
                f"{BASIS_STANDARD}, {n_measured} × {BASIS_MEASURED}. {method}",
                "dominance": float(own_kwh.max() / own_kwh.sum())
                if own_kwh.sum() > 0
                else 0.0,
            }
        )
    figures = pd.DataFrame(
        rows, columns=[*HUB_FIGURES, "n_measured", "hub_basis", "dominance"]
    )
    out = table[
        ["group_id", "measure_id", "measure_name", "name", "member_ids", "n_companies"]
    ].copy()
    for name in HUB_FIGURES:
        out[name] = pd.array(figures[name].to_numpy(float), dtype="Float64")
    out["n_measured"] = pd.array(figures["n_measured"].to_numpy(int), dtype="Int64")
    out["hub_basis"] = pd.array(figures["hub_basis"], dtype="string")
    out["hub_method"] = pd.array([method] * len(out), dtype="string")
    share_column = pd.array(figures["dominance"].to_numpy(float), dtype="Float64")
    for name in HUB_FIGURES:
        out[f"share_{name}"] = share_column
    return out


def has_groups(analysis: Analysis) -> bool:
    """Whether the terrain has a group of :data:`HUB_MEASURES`."""
    return bool(analysis.groups["measure_id"].isin(HUB_MEASURES).any())


def terrain_summaries(analysis: Analysis) -> pd.DataFrame | None:
    """:func:`group_summaries` with the standard profiles of every building
    (no own meter data); None on a terrain without hub or battery groups."""
    if not has_groups(analysis):
        return None
    return group_summaries(analysis, building_profiles(analysis.buildings))
