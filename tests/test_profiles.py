"""Quarter-hour profiles: NEDU standard profiles and pvlib solar (engine.profiles)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kansenkaart.core.assumptions import DEFAULT
from kansenkaart.core.errors import DataError
from kansenkaart.engine import profiles

REAL = Path(__file__).resolve().parent / "fixtures" / "real" / "profiles"


def test_standard_profiles_sum_to_one_as_published():
    table = profiles.standard_profiles()
    assert table.shape == (profiles.N_QUARTERS, len(profiles.CATEGORIES))
    # 35,040 values published with 8 decimals: rounding allows 1.8e-4.
    assert np.allclose(table.sum(), 1.0, atol=35_040 * 0.5e-8)
    assert (table.to_numpy() > 0).all()


def test_runtime_profile_equals_the_real_sample():
    sample = pd.read_csv(REAL / "nedu_2015_E3A_week1.csv")["E3A"].to_numpy()
    assert np.array_equal(profiles.standard_profiles()["E3A"].to_numpy()[:672], sample)


def test_profiles_follow_the_2015_calendar():
    # 1 January 2015 was a Thursday (holiday), 3-4 January a weekend: the
    # daily use of a business profile is lower on those days than on Friday 2nd.
    daily = profiles.standard_profiles()["E3A"].to_numpy().reshape(365, 96).sum(1)
    assert daily[1] > daily[0] and daily[1] > daily[2] and daily[1] > daily[3]


def test_category_follows_the_connection():
    conn = pd.Series(["kleinverbruik", "grootverbruik", None, "grootverbruik"])
    kwh = pd.Series([20_000, 150_000, 10_000, 600_000])
    kw = pd.Series([None, 100, None, 100])
    assert list(profiles.category(conn)) == ["E2A", "E3A", "E3A", "E3A"]
    # 1,500 h -> E3A, 6,000 h -> E3D (NEDU bedrijfstijd classes)
    assert list(profiles.category(conn, kwh, kw)) == ["E2A", "E3A", "E3A", "E3D"]


def test_use_profile_sums_to_the_yearly_use():
    use = profiles.electricity_kw([100_000.0, 0.0], ["E3A", "E2A"])
    assert use.shape == (2, profiles.N_QUARTERS)
    assert use[0].sum() * profiles.DT_H == pytest.approx(100_000, rel=2e-4)
    assert use[1].sum() == 0


def test_pvlib_yield_agrees_with_the_project_figure():
    # 1 kWp south 35 deg with KNMI 1997 radiation. Margin 10 %: yearly
    # irradiation in the Netherlands varies about +-7 % between years
    # (KNMI), and the model has no temperature derating.
    kwp_yield = profiles.pv_kw_per_kwp(35.0, 180.0).sum() * profiles.DT_H
    assert kwp_yield == pytest.approx(DEFAULT.yield_kwh_per_kwp.value, rel=0.10)


def test_solar_is_zero_at_night_and_peaks_in_summer():
    pv = profiles.pv_kw_per_kwp(35.0, 180.0).reshape(365, 96)
    assert pv[:, : 4 * 4].max() == 0  # 00:00-04:00 CET
    assert pv[150:200].sum() > 3 * pv[:50].sum()  # June vs January


def test_knmi_reader_reads_the_published_layout():
    text = (
        "# BRON: KNMI\n# STN,YYYYMMDD,   HH,    T,    Q\n#\n"
        "  280,20150621,   12,  182,  306\n"
        "  280,20150621,   13,  190,  288\n"
    )
    weather = profiles.read_knmi_hourly(text)
    assert weather["ghi_w_m2"].iloc[0] == pytest.approx(306e4 / 3600)
    assert weather.index[0] == pd.Timestamp("2015-06-21 12:00", tz="UTC")


def test_knmi_reader_names_a_missing_radiation_column():
    with pytest.raises(DataError, match="Q"):
        profiles.read_knmi_hourly("# STN,YYYYMMDD,   HH,    T\n  280,20150101,1,5\n")
