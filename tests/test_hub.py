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
