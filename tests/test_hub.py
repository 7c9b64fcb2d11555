"""Energy hub in quarter hours: sharing gain, limit, solar, battery (engine.hub)."""

import numpy as np
import pytest

from kansenkaart.core.assumptions import DEFAULT
from kansenkaart.engine import hub

T = 8  # a tiny "year" of eight quarter hours


def _four():
    """Four buildings with hand-made profiles (kW per quarter hour)."""
    use = np.array(
        [
            [10, 10, 40, 10, 10, 10, 10, 10],  # peak at t=2
            [10, 10, 10, 10, 40, 10, 10, 10],  # peak at t=4
            [20, 20, 20, 20, 20, 20, 20, 20],  # flat
            [0, 0, 0, 0, 0, 0, 0, 0],  # only solar
        ],
        float,
    )
    pv = np.zeros_like(use)
    pv[3] = [0, 0, 0, 30, 30, 30, 0, 0]
    return use, pv


def test_four_building_case_by_hand():
    use, pv = _four()
    b = hub.balance(use, pv, limit_kw=60)
    # own net peaks 40 + 40 + 20 + 0 = 100; group net per step:
    # [40, 40, 70, 10, 40, 10, 40, 40] -> peak 70, gain 30
    assert b.sum_of_peaks_kw == 100
    assert b.group_peak_kw == 70
    assert b.sharing_gain_kw == 30
    assert b.hours_above_limit == 0.25  # one quarter hour above 60 kW
    # solar: alone building 4 uses none of its 90 kW*step; in the group all
    # of it (group use 40 >= 30 in steps 3-5): 3 x 30 kW x 0.25 h = 22.5 kWh
    assert b.self_use_individual_kwh == 0
    assert b.self_use_group_kwh == 22.5
    assert b.feed_in_kwh == 0
    assert b.use_kwh == (use.sum() * 0.25)


def test_sharing_gain_is_zero_for_one_building():
    use, pv = _four()
    for k in range(4):
        assert hub.balance(use[[k]], pv[[k]], 100).sharing_gain_kw == 0


def test_sharing_gain_is_never_negative():
    rng = np.random.default_rng(7)
    for _ in range(50):
        use = rng.uniform(0, 50, (5, T))
        pv = rng.uniform(0, 50, (5, T))
        assert hub.balance(use, pv, 100).sharing_gain_kw >= 0


def test_default_limit_is_the_sum_of_own_peaks_of_use():
    use, _ = _four()
    assert hub.default_limit_kw(use) == 40 + 40 + 20 + 0


def test_battery_for_all_by_hand():
    # limit 50: excess 20 kW at t=2 (5 kWh) and 10 kW at t=3 (2.5 kWh);
    # room before: 10 kW -> 2.5 kWh per step (x0.9 after losses). Starting
    # full, the battery must hold 7.5 kWh minus nothing recharged in between.
    net = np.array([40, 40, 70, 60, 40, 40, 40, 40], float)
    energy, power = hub.battery_for_all(net, 50, eff=0.9)
    assert power == 20
    assert energy == pytest.approx(7.5)
    run = hub.simulate(net, 50, np.array([7.5, 7.4, 5.0]), power, 0.9)
    assert list(run["hours_above"]) == [0.0, 0.25, 0.25]


def test_battery_recharges_between_peaks():
    # two excesses of 5 kWh each with 4 quarter hours of 10 kW room between:
    # 4 x 2.5 x 0.9 = 9 kWh recharge, so 5 kWh is enough for both.
    net = np.array([70, 40, 40, 40, 40, 70, 40, 40], float)
    energy, _ = hub.battery_for_all(net, 50, eff=0.9)
    assert energy == pytest.approx(5.0)


def test_size_battery_meets_the_chosen_share():
    net = np.array([70, 40, 40, 40, 40, 70, 40, 40], float)
    full = hub.size_battery(net, 50, 1.0, DEFAULT)
    assert full.hours_above_before == 0.5 and full.hours_above_after == 0
    assert full.energy_kwh == pytest.approx(5.0)
    assert full.invest_eur == pytest.approx(
        5.0 * DEFAULT.battery_cost_eur_per_kwh.value
    )
    # 7 of 8 quarter hours within the limit is already met -> no battery
    assert hub.size_battery(net, 50, 6 / 8, DEFAULT).energy_kwh == 0


def test_members_in_profile_order():
    assert list(hub.members(("a", "b", "c"), ("c", "a", "x"))) == [2, 0]


# --- money: power tariffs of a group contract (indicative) --------------------

N_Q = 365 * 96  # a whole model year, so every calendar month has its peak


def test_tariffs_are_the_published_figures():
    # Westland Infra Netbeheer, transporttarieven elektriciteit MS/LS,
    # prijspeil 1 januari 2022: kW contract 29,4355 €/kW/jaar, kW max
    # 1,8101 €/kW/maand (the source named in the assumption)
    assert DEFAULT.grid_kw_contract_eur_per_kw_yr.value == 29.4355
    assert DEFAULT.grid_kw_max_eur_per_kw_month.value == 1.8101
    assert "Westland Infra" in DEFAULT.grid_kw_contract_eur_per_kw_yr.source
    assert DEFAULT.grid_kw_contract_eur_per_kw_yr.indicative


def test_sharing_savings_by_hand():
    # two buildings of 10 kW with a 40 kW spike each, in different quarter
    # hours of January: own peaks 50 + 50, together 60; in the other eleven
    # months 10 + 10 alone and 20 together.
    use = np.full((2, N_Q), 10.0)
    use[0, 0] += 40
    use[1, 1] += 40
    saving = hub.sharing_savings_eur_yr(use, np.zeros_like(use), DEFAULT)
    expected = (100 - 60) * 29.4355 + (100 - 60) * 1.8101  # contract + Jan kW max
    assert saving == pytest.approx(expected)
    assert hub.sharing_savings_eur_yr(use[:1], np.zeros((1, N_Q)), DEFAULT) == 0


def test_battery_grid_savings_by_hand():
    # 40 kW all year with a 70 kW quarter hour in January and in March; limit
    # 50 kW: a 20 kW battery of 5 kWh (20 kW x 0.25 h) takes both spikes and
    # recharges at 10 kW, so January and March peak at 50 kW, the contract
    # drops from 70 to 50 kW.
    net = np.full(N_Q, 40.0)
    net[10] = 70
    march = int(hub.MONTH_START[2]) + 10
    net[march] = 70
    battery = hub.size_battery(net, 50, 1.0, DEFAULT)
    assert (battery.energy_kwh, battery.power_kw) == (pytest.approx(5.0), 20)
    assert battery.hours_above_after == 0
    assert (battery.peak_before_kw, battery.peak_after_kw) == (70, 50)
    grid = 20 * 29.4355 + (20 + 20) * 1.8101
    assert battery.grid_savings_eur_yr == pytest.approx(grid)
    assert battery.solar_savings_eur_yr == 0  # no solar surplus to store
    assert battery.payback_yr == pytest.approx(5.0 * 450 / grid)


def _plain_dispatch(net, limit, cap, power, eff):
    """The dispatch rule quarter hour by quarter hour (the reference)."""
    soc, short, solar, out, peak = cap, 0, 0.0, 0.0, 0.0
    for x in net:
        after = x
        if x > limit:
            need = min(x - limit, power) * 0.25
            give = min(soc, need)
            soc -= give
            out += give
            short += give < need - 1e-9
            after = x - give / 0.25
        elif x < limit:
            room = min(limit - x, power) * 0.25 * eff
            take = min(cap - soc, room)
            solar += min(take, min(max(-x, 0), power) * 0.25 * eff)
            soc += take
            after = x + take / (0.25 * eff)
        peak = max(peak, after)
    return short * 0.25, solar, out, peak


def test_vectorised_dispatch_matches_the_plain_rule():
    rng = np.random.default_rng(3)
    net = rng.normal(30, 25, 3000)  # take-up and feed-in, spikes above 60
    sizes = np.array([0.5, 3.0, 12.0, 40.0])
    run = hub.simulate(net, 60, sizes, 35, 0.9)
    for k, cap in enumerate(sizes):
        hours, solar, out, peak = _plain_dispatch(net, 60, cap, 35, 0.9)
        assert run["hours_above"][k] == pytest.approx(hours)
        assert run["from_solar_kwh"][k] == pytest.approx(solar)
        assert run["discharged_kwh"][k] == pytest.approx(out)
        assert run["peak_kw"][k] == pytest.approx(peak)
