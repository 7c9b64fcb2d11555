"""Solar potential: the Leidraad table, hand calculations and properties."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kansenkaart.core.assumptions import DEFAULT, LEIDRAAD
from kansenkaart.engine import solar


def _buildings(areas, roof_types, existing=None, connection=None):
    n = len(areas)
    return pd.DataFrame(
        {
            "footprint_m2": pd.array(areas, dtype="Float64"),
            "roof_type": pd.array(roof_types, dtype="string"),
            "pv_kwp_existing": pd.array(existing or [0.0] * n, dtype="Float64"),
            "grid_connection": pd.array(connection or [None] * n, dtype="string"),
        }
    )


def _potential(
    areas, roof_types, a=DEFAULT, existing=None, demand=None, conn=None, feed_in=None
):
    b = _buildings(areas, roof_types, existing, conn)
    demand = pd.Series(demand or [None] * len(areas), dtype="Float64")
    status = pd.Series(feed_in or [None] * len(areas), dtype="Int64")
    return solar.potential(
        b, pd.Series([0.0] * len(areas)), demand, a, invoeding_status=status
    )


# Leidraad Drenthe, pilot Noordenveld, table "Zonnepanelen potentie":
# Gebouwoppervlak (m²), potentie (aantal panelen), potentieel vermogen (kWp).
# Rows 1-2 imply 0.251 panels/m² on a flat roof; row 3 implies 0.281, which
# no single flat-roof density reproduces within 5 % of all three rows. The
# table does not name roof types; row 3 is tested as a pitched roof with the
# set's general pitched rule (south half, 30°, 80 % coverage). This is our
# reading of the table (a typo, 385 m², would explain it equally well).
LEIDRAAD_TABLE = [
    (410, "flat", 103, 32),
    (755, "flat", 189, 58),
    (345, "pitched", 97, 30),
]


@pytest.mark.parametrize(("area", "roof", "panels", "kwp"), LEIDRAAD_TABLE)
def test_leidraad_assumptions_reproduce_the_leidraad_table(area, roof, panels, kwp):
    out = _potential([area], [roof], LEIDRAAD).iloc[0]
    assert out["pv_panels"] == pytest.approx(panels, rel=0.05)
    assert out["pv_kwp_potential"] == pytest.approx(kwp, rel=0.05)


def test_a_single_flat_density_cannot_fit_all_three_leidraad_rows():
    densities = [panels / area for area, _, panels, _ in LEIDRAAD_TABLE]
    lowest, highest = min(densities), max(densities)
    # A density d fits all rows within 5 % only if 0.95·max ≤ d ≤ 1.05·min.
    assert 0.95 * highest > 1.05 * lowest


def test_default_flat_roof_by_hand():
    # 100 m² × 0.55 = 55 m²; panel 1.72 × 1.13 = 1.9436 m²; 55 / 1.9436 = 28.3
    out = _potential([100.0], ["flat"]).iloc[0]
    assert out["usable_roof_m2"] == pytest.approx(55.0)
    assert out["pv_panels"] == 28
    assert out["pv_kwp_potential"] == pytest.approx(28 * 0.435)
    assert out["pv_kwh_yr_potential"] == pytest.approx(28 * 0.435 * 875)


def test_default_pitched_roof_uses_the_south_half_of_the_slope():
    # 100 × 0.5 / cos(30°) × 0.8 = 46.19 m² → 46.19 / 1.9436 = 23.8 → 23 panels
    out = _potential([100.0], ["pitched"]).iloc[0]
    assert out["usable_roof_m2"] == pytest.approx(
        100 * 0.5 / math.cos(math.pi / 6) * 0.8
    )
    assert out["pv_panels"] == 23


def test_existing_panels_are_subtracted():
    # 28 panels fit; 5 kWp / 435 Wp = 11.5 → 12 panels already there.
    out = _potential([100.0], ["flat"], existing=[5.0]).iloc[0]
    assert out["pv_panels_roof"] == 28
    assert out["pv_panels"] == 16


def test_a_full_roof_has_no_potential_left():
    out = _potential([100.0], ["flat"], existing=[50.0]).iloc[0]
    assert out["pv_panels"] == 0
    assert out["pv_kwp_potential"] == 0


def test_unknown_roof_type_is_computed_as_flat_and_flagged():
    out = _potential([100.0, 100.0], [None, "flat"])
    assert out["pv_panels"].tolist() == [28, 28]
    assert out["roof_type_assumed"].tolist() == [True, False]


def test_unknown_existing_panels_count_as_none_for_the_potential():
    out = _potential([100.0], ["flat"], existing=[None]).iloc[0]
    assert out["pv_panels"] == 28
    assert pd.isna(out["pv_kwh_yr_existing"])


def test_roof_area_falls_back_to_the_geometry():
    area = solar.roof_area(
        pd.Series([None, 120.0], dtype="Float64"), pd.Series([400.0, 999.0])
    )
    assert area.tolist() == [400.0, 120.0]


def test_roof_area_is_missing_without_footprint_or_polygon():
    area = solar.roof_area(pd.Series([None], dtype="Float64"), pd.Series([0.0]))
    assert pd.isna(area.iloc[0])


def test_investment_range():
    low, high = solar.investment(pd.Series([10.0], dtype="Float64"), DEFAULT)
    assert (low.iloc[0], high.iloc[0]) == pytest.approx((8_500.0, 13_000.0))


def test_price_follows_the_connection_and_is_cautious_when_unknown():
    price = solar.electricity_price(
        pd.Series(["kleinverbruik", "grootverbruik", None], dtype="string"), DEFAULT
    )
    assert price.tolist() == [0.25, 0.15, 0.15]


def test_savings_after_2027_count_only_own_use_at_the_price():
    # Saldering ends 1 January 2027: own use S = min(70 % × G, 35 % × D).
    # 10,000 kWh new, 6,000 kWh demand: S = min(7,000, 2,100) = 2,100 kWh;
    # 2,100 × €0.25 + 7,900 × €0.05 = €525 + €395 = €920 (not €1,700 as
    # with yearly netting of 6,000 kWh).
    # 10,000 kWh new, 100,000 kWh demand: S = min(7,000, 35,000) = 7,000;
    # 7,000 × €0.25 + 3,000 × €0.05 = €1,900.
    savings = solar.yearly_savings(
        pd.Series([10_000.0, 10_000.0, 10_000.0], dtype="Float64"),
        pd.Series([6_000.0, 100_000.0, None], dtype="Float64"),
        pd.Series([0.25, 0.25, 0.25], dtype="Float64"),
        DEFAULT,
        existing_kwh=pd.Series([0.0, None, 0.0], dtype="Float64"),
    )
    assert savings.iloc[0] == pytest.approx(920.0)
    assert savings.iloc[1] == pytest.approx(1_900.0)
    assert pd.isna(savings.iloc[2])


def test_existing_panels_take_own_use_first():
    # Demand 100,000 kWh: own use is capped at 35,000 kWh. Existing panels
    # make 40,000 kWh: they use min(28,000, 35,000) = 28,000. With 10,000 new
    # kWh: min(35,000, 35,000) = 35,000, so the new panels add 7,000 kWh own
    # use: 7,000 × €0.15 + 3,000 × €0.05 = €1,200.
    own = solar.new_self_consumed(
        pd.Series([10_000.0]), pd.Series([40_000.0]), pd.Series([100_000.0]), DEFAULT
    )
    assert own.iloc[0] == pytest.approx(7_000.0)
    savings = solar.yearly_savings(
        pd.Series([10_000.0]),
        pd.Series([100_000.0]),
        pd.Series([0.15]),
        DEFAULT,
        existing_kwh=pd.Series([40_000.0]),
    )
    assert savings.iloc[0] == pytest.approx(1_200.0)


def test_kleinverbruik_advice_is_capped_by_the_connection():
    # 3×80 A × 230 V = 55.2 kW; 1,000 m² flat roof carries 282 panels
    # (550 / 1.9436 = 282.98), the connection floor(55,200 / 435) = 126.
    out = _potential(
        [1_000.0, 1_000.0, 1_000.0],
        ["flat"] * 3,
        existing=[0.0, 50.0, 60.0],
        demand=[50_000.0] * 3,
        conn=["kleinverbruik"] * 3,
    )
    assert out["pv_panels_roof"].tolist() == [282] * 3
    # 55.2 − 50 = 5.2 kW → 11 panels; 60 kWp existing: no room left.
    assert out["pv_panels"].tolist() == [126, 11, 0]
    assert out["pv_limit"].tolist() == ["begrensd door aansluiting"] * 3
    assert out["pv_kwp_roof"].iloc[0] == pytest.approx(282 * 0.435)


def test_grootverbruik_in_feed_in_congestion_is_sized_to_own_use():
    # Demand 100,000 kWh: own use stops growing at G = 35 % / 70 % × 100,000
    # = 50,000 kWh = 57.14 kWp → 131 panels of 435 Wp.
    out = _potential(
        [1_000.0, 1_000.0, 1_000.0],
        ["flat"] * 3,
        demand=[100_000.0] * 3,
        conn=["grootverbruik", "grootverbruik", "kleinverbruik"],
        feed_in=[3, 1, 3],
    )
    assert out["pv_panels"].iloc[0] == 131
    assert out["pv_limit"].iloc[0].startswith("netcongestie invoeding")
    assert "overweeg batterij of collectief" in out["pv_limit"].iloc[0]
    # Status 1 (beperkt) does not cap; a kleinverbruiker may always feed in.
    assert out["pv_panels"].iloc[1] == 282
    assert out["pv_limit"].iloc[1] == "begrensd door dak"
    assert out["pv_limit"].iloc[2] == "begrensd door aansluiting"


def test_unknown_connection_or_grid_does_not_cap_the_roof():
    out = _potential([1_000.0], ["flat"], demand=[100_000.0], feed_in=[3]).iloc[0]
    assert out["pv_panels"] == 282
    assert out["pv_limit"] == "begrensd door dak"


def test_simple_payback():
    payback = solar.simple_payback(
        pd.Series([17_000.0, 1_000.0], dtype="Float64"),
        pd.Series([1_700.0, 0.0], dtype="Float64"),
    )
    assert payback.iloc[0] == pytest.approx(10.0)
    assert pd.isna(payback.iloc[1])


def test_payback_uses_the_middle_of_the_investment_range():
    out = _potential([100.0], ["flat"], demand=[1e6], conn=["kleinverbruik"]).iloc[0]
    kwp = 28 * 0.435
    # Large demand: 70 % used on site at €0.25, 30 % fed in at €0.05.
    savings = kwp * 875 * (0.7 * 0.25 + 0.3 * 0.05)
    assert out["pv_self_use_share"] == pytest.approx(0.7)
    assert out["pv_payback_yr"] == pytest.approx(
        kwp * 1000 * (0.85 + 1.30) / 2 / savings
    )
    assert out["pv_share_of_demand"] == pytest.approx(kwp * 875 / 1e6)
    assert out["pv_co2_avoided_kg_yr"] == pytest.approx(kwp * 875 * 0.48)


def test_sde_eligibility_needs_15_kwp_on_grootverbruik():
    eligible = solar.sde_eligible(
        pd.Series([20.0, 20.0, 10.0, 20.0, 10.0], dtype="Float64"),
        pd.Series(
            ["grootverbruik", "kleinverbruik", "grootverbruik", None, None],
            dtype="string",
        ),
        DEFAULT,
    )
    assert eligible.tolist() == [True, False, False, pd.NA, False]


@given(
    st.floats(0, 50_000),
    st.floats(0, 50_000),
    st.sampled_from(["flat", "pitched", None]),
)
def test_more_roof_never_means_fewer_panels(a1, a2, roof):
    small, large = sorted([a1, a2])
    out = _potential([small, large], [roof, roof])
    assert out["pv_panels"].iloc[0] <= out["pv_panels"].iloc[1]


@given(st.floats(0, 50_000), st.sampled_from(["flat", "pitched"]))
def test_panels_fit_on_the_usable_area(area, roof):
    out = _potential([area], [roof]).iloc[0]
    assert out["pv_panels"] >= 0
    assert (
        out["pv_panels"] * solar.panel_area_m2(DEFAULT) <= out["usable_roof_m2"] + 1e-6
    )


@given(st.floats(0, 10_000), st.floats(0, 2_000), st.floats(0, 2_000))
def test_more_existing_panels_never_add_potential(area, e1, e2):
    less, more = sorted([e1, e2])
    out = _potential([area, area], ["flat", "flat"], existing=[less, more])
    assert out["pv_kwp_potential"].iloc[1] <= out["pv_kwp_potential"].iloc[0]


@given(
    st.floats(0, 20_000),
    st.floats(0, 300),
    st.floats(0, 2e6),
    st.sampled_from(["kleinverbruik", "grootverbruik", None]),
    st.sampled_from([0, 1, 2, 3, None]),
)
def test_the_advice_never_exceeds_the_roof_or_a_small_connection(
    area, existing, demand, conn, feed_in
):
    out = _potential(
        [area],
        ["flat"],
        existing=[existing],
        demand=[demand],
        conn=[conn],
        feed_in=[feed_in],
    ).iloc[0]
    assert 0 <= out["pv_kwp_potential"] <= out["pv_kwp_roof"] + 1e-9
    if conn == "kleinverbruik":
        assert out["pv_kwp_potential"] <= max(0.0, 55.2 - existing) + 1e-9
