"""Benchmark: energy hub in quarter hours (engine.profiles + engine.hub).

Builds use and solar profiles for N buildings (NEDU standard profiles, pvlib
solar) and computes the group balance and the battery for 99 % of the year.
Targets (issue 20): one group of 50 buildings for a year under 1 s, a terrain
of 200 buildings under 5 s. Compares the vectorised balance with a naive
per-quarter-hour Python loop over the same numbers (a subset of the year,
scaled) and prints the memory of the profile arrays.

Run: ``.venv/bin/python benchmarks/bench_hub.py``
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kansenkaart.core.assumptions import DEFAULT
from kansenkaart.engine import hub, profiles


def _buildings(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "building_id": [f"b{k}" for k in range(n)],
            "elec_kwh_yr_est": rng.uniform(20_000, 600_000, n),
            "grid_connection": rng.choice(["kleinverbruik", "grootverbruik"], n),
            "pv_kwp_existing": rng.choice([0.0, 50.0, 150.0], n),
        }
    )


def _naive_balance(use: np.ndarray, pv: np.ndarray, limit: float, steps: int):
    """Per-quarter-hour loop in plain Python (the baseline)."""
    n = len(use)
    own_peak = [0.0] * n
    group_peak = above = self_group = 0.0
    for t in range(steps):
        g_use = g_pv = 0.0
        for i in range(n):
            u, p = float(use[i, t]), float(pv[i, t])
            own_peak[i] = max(own_peak[i], u - p)
            g_use += u
            g_pv += p
        group_peak = max(group_peak, g_use - g_pv)
        above += (g_use - g_pv) > limit
        self_group += min(g_use, g_pv)
    return sum(own_peak) - group_peak, above, self_group


def run(n: int) -> float:
    """Seconds for profiles + balance + battery of one group of ``n``."""
    start = time.perf_counter()
    p = profiles.building_profiles(_buildings(n))
    limit = 0.8 * hub.default_limit_kw(p.use_kw)
    hub.balance(p.use_kw, p.pv_kw, limit)
    net = (p.use_kw - p.pv_kw).sum(axis=0)
    hub.size_battery(net, limit, 0.99, DEFAULT)
    return time.perf_counter() - start


def run_terrain(terrain_id: str) -> None:
    """Seconds for the figures of every hub and battery group of a demo terrain
    (what the wall, the exports and the fiche show; cached once per terrain)."""
    import kansenkaart as kk

    analysis = kk.analyse(kk.load_terrain(terrain_id), DEFAULT)
    start = time.perf_counter()
    p = profiles.building_profiles(analysis.buildings)
    made = time.perf_counter()
    table = hub.group_summaries(analysis, p)
    done = time.perf_counter()
    print(
        f"{terrain_id}: {len(p.ids)} gebouwen, {len(table)} groepen: profielen "
        f"{made - start:.2f} s, groepscijfers (balans, batterij tot 0 uur, geld) "
        f"{done - made:.2f} s"
    )


def main() -> None:
    profiles.pv_kw_per_kwp(35.0, 180.0)  # weather file and pvlib, once per process
    profiles.standard_profiles()
    run_terrain("demo:peelerpark-messchenveld")
    for n, target in ((50, 1.0), (200, 5.0)):
        seconds = min(run(n) for _ in range(3))
        mb = 2 * n * profiles.N_QUARTERS * 4 / 1e6
        print(
            f"{n:4d} gebouwen: {seconds:.2f} s (doel < {target:.0f} s), "
            f"profielen {mb:.0f} MB (float32, gebruik + zon)"
        )
    p = profiles.building_profiles(_buildings(50))
    limit = 0.8 * hub.default_limit_kw(p.use_kw)
    steps = 96 * 7  # one week; the loop over a whole year takes minutes
    start = time.perf_counter()
    _naive_balance(p.use_kw, p.pv_kw, limit, steps)
    naive = (time.perf_counter() - start) * profiles.N_QUARTERS / steps
    start = time.perf_counter()
    hub.balance(p.use_kw, p.pv_kw, limit)
    fast = time.perf_counter() - start
    print(
        f"balans 50 gebouwen × jaar: numpy {fast * 1000:.0f} ms, Python-lus "
        f"{naive:.1f} s (geschat uit één week), {naive / fast:.0f}× sneller"
    )


if __name__ == "__main__":
    main()
