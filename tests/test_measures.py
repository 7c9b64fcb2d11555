"""The measure catalogue and the rules that select measures, with Dutch reasons."""

from __future__ import annotations

import pandas as pd
import pytest
import shapely

from kansenkaart.core import schema as sch
from kansenkaart.core.assumptions import DEFAULT, LEIDRAAD
from kansenkaart.engine import measures
from kansenkaart.engine.opportunities import analyse, opportunity_list
from tests.engine_fixtures import X0, Y0, rect, terrain

INDIVIDUAL = [
    "zon_eigen_dak",
    "led",
    "isolatie",
    "warmtepomp",
    "mkb_energiescan",
    "label_c",
    "eml_maatregelen",
]
COLLECTIVE = [
    "collectieve_inkoop_zon",
    "collectieve_inkoop_stroom_led",
    "energiecooperatie",
    "energy_hub",
    "collectieve_batterij",
    "warmtenet_rwzi",
    "koppelkansen_luchthaven",
    "kennisdelen",
]
MEASURED = {"elec_source": "gemeten", "gas_source": "gemeten"}


def _rows(t, measure_id, a=DEFAULT):
    listed = opportunity_list(analyse(t, a))
    return listed[listed["measure_id"] == measure_id].set_index("building_id")


def _has(t, measure_id, a=DEFAULT):
    return [measure_id in ids for ids in analyse(t, a).buildings["measures"]]


# --- the catalogue as data -------------------------------------------------


def test_catalogue_ids_and_scopes():
    assert [m.id for m in measures.CATALOGUE] == INDIVIDUAL + COLLECTIVE
    assert {m.id for m in measures.CATALOGUE if m.scope == "individual"} == set(
        INDIVIDUAL
    )
    assert measures.BY_ID["energy_hub"].scope == "collective"


def test_every_survey_measure_is_in_the_catalogue():
    assert set(sch.SURVEY_MEASURES) <= set(measures.BY_ID)
    assert measures.BY_ID["led"].survey_column == "interest_led"
    assert measures.BY_ID["label_c"].survey_column is None


def test_every_measure_is_described_in_dutch_and_has_a_leidraad_step():
    for m in measures.CATALOGUE:
        for text in (
            m.name,
            m.explanation,
            m.who,
            m.rule,
            m.savings,
            m.cost,
            m.payback,
        ):
            assert text.strip(), m.id
        assert m.leidraad_step in (3, 4), m.id


def test_texts_follow_the_assumptions():
    zon = measures.BY_ID["zon_eigen_dak"]
    assert "minstens 5 kWp" in zon.text("rule", DEFAULT)
    assert "minstens 10 kWp" in zon.text("rule", DEFAULT.replace(pv_min_kwp=10))
    assert "€ 0,85–1,30 per Wp" in zon.text("cost", DEFAULT)
    warmtenet = measures.BY_ID["warmtenet_rwzi"]
    assert "binnen 1.500 m" in warmtenet.text("rule", DEFAULT)
    assert "vóór 1992" in measures.BY_ID["isolatie"].text("rule", DEFAULT)


def test_catalogue_table():
    table = measures.catalogue_table(DEFAULT)
    assert len(table) == len(measures.CATALOGUE)
    assert table.loc[0, "schaal"] == "individueel"
    assert "SDE++" in table.loc[0, "financiering"]


# --- individual measures ---------------------------------------------------


def test_solar_reason_reads_like_the_leidraad():
    t = terrain([{"footprint_m2": 755, "roof_type": "flat", "pv_kwp_existing": 0}])
    row = _rows(t, "zon_eigen_dak", LEIDRAAD).iloc[0]
    assert row["reason"].startswith(
        "Plat dak van 755 m² zonder zonnepanelen: ruim 58 kWp mogelijk (189 panelen"
    )
    assert row["kwp"] == pytest.approx(189 * 0.31)
    assert row["invest_eur"] == pytest.approx(189 * 310 * (0.85 + 1.30) / 2)


def test_tenants_building_measures_go_through_the_verhuurder():
    t = terrain(
        [
            {"footprint_m2": 500, "ownership": "huurder", "elec_kwh_yr": 100_000},
            {"footprint_m2": 500, "ownership": "eigenaar-gebruiker"},
            {"footprint_m2": 500, "ownership": "onbekend"},
            {"footprint_m2": 500, "ownership": "belegger"},
        ]
    )
    listed = opportunity_list(analyse(t))
    zon = listed[listed["measure_id"] == "zon_eigen_dak"]
    assert zon["via_verhuurder"].tolist() == [True, False, pd.NA, True]
    assert zon["reason"].iloc[0].endswith("Dit loopt via de verhuurder (pandeigenaar).")
    assert "Bent u huurder" in zon["reason"].iloc[2]
    led = listed[listed["measure_id"] == "led"]
    assert led["via_verhuurder"].tolist() == [False]
    assert "verhuurder" not in led["reason"].iloc[0]


def test_led_by_hand():
    # 100,000 kWh × 20 % lighting × 50 % saving = 10,000 kWh/yr;
    # 1,000 m² × €12 = €12,000; payback 12,000 / (10,000 × €0.25) = 4.8 yr.
    t = terrain(
        [
            {
                "elec_kwh_yr": 100_000,
                "elec_source": "gemeten",
                "floor_area_m2": 1_000,
                "grid_connection": "kleinverbruik",
            }
        ]
    )
    row = _rows(t, "led").iloc[0]
    assert row["kwh_yr"] == pytest.approx(10_000)
    assert row["co2_kg_yr"] == pytest.approx(4_800)
    assert row["invest_eur"] == pytest.approx(12_000)
    assert row["payback_yr"] == pytest.approx(4.8)
    assert "10.000 kWh per jaar" in row["reason"]


def test_small_electricity_use_gets_no_led_advice():
    t = terrain([{"elec_kwh_yr": 5_000, "floor_area_m2": 100}])  # saves 500 kWh
    assert _has(t, "led") == [False]


@pytest.mark.parametrize(
    ("building", "isolatie", "warmtepomp"),
    [
        ({"energy_label": "E"}, True, False),
        ({"energy_label": "B"}, False, True),
        ({"construction_year": 1980}, True, False),  # no label, before 1992
        ({"construction_year": 2005}, False, True),
        ({}, False, False),  # neither label nor year: no advice either way
        ({"energy_label": "E", "gas_m3_yr": 0}, False, False),  # no gas
    ],
)
def test_insulate_first_then_heat_pump(building, isolatie, warmtepomp):
    t = terrain([{"gas_m3_yr": 10_000, **building}])
    analysed = analyse(t).buildings
    ids = analysed["measures"].iloc[0]
    assert ("isolatie" in ids, "warmtepomp" in ids) == (isolatie, warmtepomp)


def test_isolatie_by_hand():
    # 10,000 m³ × 25 % = 2,500 m³; roof 20 × 20 = 400 m² × €60 = €24,000;
    # payback 24,000 / (2,500 × €1.00) = 9.6 yr.
    t = terrain([{"gas_m3_yr": 10_000, "gas_source": "gemeten", "energy_label": "E"}])
    row = _rows(t, "isolatie").iloc[0]
    assert row["kwh_yr"] == pytest.approx(2_500 * 8.79)
    assert row["co2_kg_yr"] == pytest.approx(2_500 * 1.78)
    assert row["invest_eur"] == pytest.approx(24_000)
    assert row["payback_yr"] == pytest.approx(9.6)
    assert row["reason"].startswith("Pand met label E en 10.000 m³ gas per jaar")


def test_heat_pump_by_hand():
    heat = 10_000 * 8.79 * 0.9  # 79,110 kWh heat from the boiler
    elec = heat / 3.5
    invest = heat / 1_500 * 1_500
    saving_eur = 10_000 * 1.00 - elec * 0.25
    t = terrain(
        [
            {
                "gas_m3_yr": 10_000,
                "energy_label": "B",
                "grid_connection": "kleinverbruik",
            }
        ]
    )
    row = _rows(t, "warmtepomp").iloc[0]
    assert row["invest_eur"] == pytest.approx(invest)
    assert row["payback_yr"] == pytest.approx(invest / saving_eur)
    assert row["kwh_yr"] == pytest.approx(10_000 * 8.79 - elec)
    assert row["co2_kg_yr"] == pytest.approx(10_000 * 1.78 - elec * 0.48)


def test_heat_pump_warns_about_a_full_grid():
    grid = [
        {
            "area_id": "vol",
            "afname_status": 2,
            "invoeding_status": 0,
            "geometry": rect(X0 - 50, Y0 - 50, 200, 200),
        }
    ]
    t = terrain([{"gas_m3_yr": 10_000, "energy_label": "B"}], grid=grid)
    assert (
        "overleg eerst met de netbeheerder" in _rows(t, "warmtepomp").iloc[0]["reason"]
    )


def test_eml_for_measured_and_estimated_besparingsplicht():
    t = terrain(
        [
            {"elec_kwh_yr": 80_000, "gas_m3_yr": 1_000, **MEASURED},
            {"floor_area_m2": 5_000, "building_use": "kantoorfunctie"},
            {"elec_kwh_yr": 20_000_000, "gas_m3_yr": 0, **MEASURED},
            {"elec_kwh_yr": 1_000, "gas_m3_yr": 100, **MEASURED},
        ]
    )
    rows = _rows(t, "eml_maatregelen")
    assert len(rows) == 3
    reasons = rows["reason"].tolist()
    assert reasons[0].startswith("Uw verbruik van 80.000 kWh stroom")
    assert reasons[1].startswith("Vermoedelijk (op basis van geschat verbruik)")
    assert "onderzoeksplicht" in reasons[2] and "onderzoeksplicht" not in reasons[0]


def test_energy_scan_where_the_use_is_estimated():
    t = terrain(
        [
            {"floor_area_m2": 500},
            {"elec_kwh_yr": 10_000, "gas_m3_yr": 1_000, **MEASURED},
            {},  # nothing known: no figure to check either
        ]
    )
    assert _has(t, "mkb_energiescan") == [True, False, False]


def test_label_c_for_an_office_without_label_c():
    office = {"building_use": "kantoorfunctie", "floor_area_m2": 500}
    t = terrain(
        [
            {**office, "ownership": "huurder"},
            {**office, "energy_label": "B"},
            {**office, "energy_label": "E"},
            {"building_use": "industriefunctie", "floor_area_m2": 500},
        ]
    )
    assert _has(t, "label_c") == [True, False, True, False]
    row = _rows(t, "label_c").iloc[0]
    assert "zonder geregistreerd energielabel" in row["reason"]
    assert bool(row["via_verhuurder"])


# --- collective measures ---------------------------------------------------


def test_collective_solar_purchase_needs_three_companies():
    roof = {"footprint_m2": 500, "roof_type": "flat"}
    tiny = {"footprint_m2": 5}  # one panel: below the 5 kWp of a real opportunity
    assert _has(terrain([roof, roof, tiny]), "collectieve_inkoop_zon") == [
        False,
        False,
        False,
    ]
    t = terrain([roof, roof, roof])
    assert _has(t, "collectieve_inkoop_zon") == [True, True, True]
    row = _rows(t, "collectieve_inkoop_zon").iloc[0]
    assert "samen met 2 andere bedrijven" in row["reason"].lower()
    solo = _rows(t, "zon_eigen_dak").iloc[0]
    assert row["invest_eur"] == pytest.approx(solo["invest_eur"] * 0.9)


def test_energy_cooperative_for_a_roof_that_outproduces_its_user():
    t = terrain(
        [
            {"footprint_m2": 2_000, "elec_kwh_yr": 10_000, **MEASURED},
            {"footprint_m2": 100, "elec_kwh_yr": 1_000_000, **MEASURED},
        ]
    )
    assert _has(t, "energiecooperatie") == [True, False]


def _congested(afname, invoeding):
    return [
        {
            "area_id": "net",
            "afname_status": afname,
            "invoeding_status": invoeding,
            "geometry": rect(X0 - 50, Y0 - 50, 1_000, 200),
        }
    ]


def test_energy_hub_and_battery_where_the_grid_is_congested():
    # Three 20 m squares 80 m apart (100 m pitch): one cluster of neighbours.
    roof = {"footprint_m2": 400, "roof_type": "flat"}
    t = terrain([roof, roof, roof], grid=_congested(1, 2))
    assert _has(t, "energy_hub") == [True, True, True]
    assert _has(t, "collectieve_batterij") == [True, True, True]
    hub = _rows(t, "energy_hub").iloc[0]["reason"]
    assert "Samen met 2 buren" in hub and "beperkte capaciteit" in hub
    # A 40 m² shed (≈ 5 kWp, small use) is no hub partner; its neighbours are.
    shed = {"footprint_m2": 40, "roof_type": "flat", "elec_kwh_yr": 8_000, **MEASURED}
    mixed = terrain([roof, roof, roof, shed], grid=_congested(1, 2))
    assert _has(mixed, "energy_hub") == [True, True, True, False]
    assert _has(mixed, "collectieve_batterij") == [True, True, True, False]
    free = terrain([roof, roof, roof], grid=_congested(0, 0))
    assert _has(free, "energy_hub") == [False, False, False]
    # Only afname congested: a hub helps, a battery for solar peaks does not.
    assert _has(
        terrain([roof, roof, roof], grid=_congested(2, 0)), "collectieve_batterij"
    ) == [
        False,
        False,
        False,
    ]


def test_heat_network_near_an_rwzi():
    rwzi = {
        "source_id": "rwzi",
        "kind": "rwzi",
        "name": "RWZI De Punt",
        "geometry": shapely.Point(X0 + 1_020, Y0 + 10),
    }
    t = terrain(
        [
            # Heat 15,000 m³ × 8.79 kWh/m³ × 0.9 ≈ 119,000 kWh ≥ 100,000 kWh.
            {"gas_m3_yr": 15_000, "geometry": rect(X0, Y0, 20, 20)},  # 1,000 m
            {"gas_m3_yr": 15_000, "geometry": rect(X0 - 1_000, Y0, 20, 20)},  # 2 km
            {"gas_m3_yr": 0, "geometry": rect(X0 + 500, Y0, 20, 20)},  # no heat use
            # 5,000 m³ ≈ 40,000 kWh heat: too small for a heat-network link.
            {"gas_m3_yr": 5_000, "geometry": rect(X0 + 300, Y0, 20, 20)},
        ],
        sources=[rwzi],
    )
    assert _has(t, "warmtenet_rwzi") == [True, False, False, False]
    assert (
        _rows(t, "warmtenet_rwzi")
        .iloc[0]["reason"]
        .startswith("RWZI De Punt ligt op 1.000 m")
    )


def test_airport_coupling_within_its_radius():
    airport = {
        "source_id": "gae",
        "kind": "luchthaven",
        "name": "Groningen Airport Eelde",
        "geometry": shapely.Point(X0 + 2_000, Y0),
    }
    t = terrain([{}, {"geometry": rect(X0 - 3_000, Y0, 20, 20)}], sources=[airport])
    assert _has(t, "koppelkansen_luchthaven") == [True, False]
    reason = _rows(t, "koppelkansen_luchthaven").iloc[0]["reason"]
    assert reason.startswith("Groningen Airport Eelde ligt op 2,0 km")


def test_knowledge_sharing_for_everyone_on_a_terrain_with_companies():
    assert _has(terrain([{}, {}, {}]), "kennisdelen") == [True, True, True]
    assert _has(terrain([{}]), "kennisdelen") == [False]


def test_solar_reason_says_what_was_assumed():
    t = terrain([{"footprint_m2": 500}])
    reason = _rows(t, "zon_eigen_dak").iloc[0]["reason"]
    assert reason.startswith(
        "Dak (type onbekend, als plat gerekend) van 500 m² (bestaande panelen onbekend)"
    )
