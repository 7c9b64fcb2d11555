"""The measure catalogue and the rules that select measures, with Dutch reasons."""

from __future__ import annotations

import pandas as pd
import pytest
import shapely

import kansenkaart as kk
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


def _status(t, measure_id, a=DEFAULT):
    """The rule's verdict per building: ja / mogelijk / nee (before groups)."""
    analysed = analyse(t, a).buildings
    status = measures.relevance_status(analysed, a)[measure_id]
    return ["mogelijk" if pd.isna(v) else "ja" if v else "nee" for v in status]


def _reasons(t, measure_id, a=DEFAULT):
    """The rule's reasons for the buildings it selects (before groups)."""
    analysed = analyse(t, a).buildings
    m = measures.BY_ID[measure_id]
    rows = pd.DataFrame(analysed[m.relevant(analysed, a)])
    return m.detail(rows, a, len(rows))


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
    t = terrain(
        [
            {
                "footprint_m2": 755,
                "roof_type": "flat",
                "pv_kwp_existing": 0,
                "grid_connection": "grootverbruik",
                "elec_kwh_yr": 1_000_000,
                **MEASURED,
            }
        ]
    )
    row = _rows(t, "zon_eigen_dak", LEIDRAAD).iloc[0]
    assert row["reason"].startswith(
        "Plat dak van 755 m² zonder zonnepanelen: advies ruim 58 kWp (189 panelen"
    )
    assert "begrensd door dak" in row["reason"]
    assert "1 januari 2027" in row["reason"]
    assert row["kwp"] == pytest.approx(189 * 0.31)
    assert row["invest_eur"] == pytest.approx(189 * 310 * (0.85 + 1.30) / 2)


def test_solar_with_unknown_data_is_mogelijk_not_ja():
    t = terrain([{"footprint_m2": 755, "roof_type": "flat"}])
    assert _status(t, "zon_eigen_dak") == ["mogelijk"]
    reason = _rows(t, "zon_eigen_dak").iloc[0]["reason"]
    assert reason.startswith(
        "Mogelijk (gegevens ontbreken: bestaande zonnepanelen onbekend, "
        "netaansluiting onbekend, stroomverbruik onbekend). Plat dak"
    )


def test_small_shop_solar_advice_stays_within_its_connection():
    # 3×80 A × 230 V = 55.2 kVA; 435 Wp panels: floor(55,200 / 435) = 126
    # panels = 54.81 kWp, although the 2,000 m² roof carries 565 panels
    # (2,000 × 0.55 / 1.9436 m² = 565.9).
    shop = {
        "footprint_m2": 2_000,
        "roof_type": "flat",
        "pv_kwp_existing": 0,
        "grid_connection": "kleinverbruik",
        "elec_kwh_yr": 60_000,
        **MEASURED,
    }
    t = terrain([shop, {**shop, "pv_kwp_existing": 40.0}])
    analysed = analyse(t).buildings
    assert analysed["pv_kwp_roof"].iloc[0] == pytest.approx(565 * 0.435)
    assert analysed["pv_panels"].tolist() == [126, 34]  # 15.2 kW left: 34 panels
    assert analysed["pv_limit"].tolist() == ["begrensd door aansluiting"] * 2
    total = analysed["pv_kwp_potential"] + analysed["pv_kwp_existing"]
    assert (total <= 55.2).all()
    reason = _rows(t, "zon_eigen_dak").iloc[0]["reason"]
    assert "Begrensd door aansluiting" in reason and "55 kW" in reason


def test_only_additional_panels_save_when_existing_ones_cover_own_use():
    # Logistiek Jansen (demo De Punt): 25,044 kWh use, 28.5 kWp existing
    # (24,937 kWh) on kleinverbruik. Own use is capped at 35 % of the use,
    # 8,765 kWh, which the existing panels already reach (70 % of 24,937 =
    # 17,456 ≥ 8,765): every new kWh is fed in at €0.05.
    t = terrain(
        [
            {
                "footprint_m2": 2_000,
                "roof_type": "flat",
                "pv_kwp_existing": 28.5,
                "grid_connection": "kleinverbruik",
                "elec_kwh_yr": 25_044,
                **MEASURED,
            }
        ]
    )
    row = analyse(t).buildings.iloc[0]
    new_kwh = row["pv_kwh_yr_potential"]
    assert row["pv_savings_eur_yr"] == pytest.approx(new_kwh * 0.05)
    assert row["pv_self_use_share"] == pytest.approx(0.0)
    assert row["pv_payback_yr"] > 15
    assert _status(t, "zon_eigen_dak") == ["nee"]


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
                "energy_label": "D",
            }
        ]
    )
    row = _rows(t, "led").iloc[0]
    assert row["kwh_yr"] == pytest.approx(10_000)
    assert row["co2_kg_yr"] == pytest.approx(4_800)
    assert row["invest_eur"] == pytest.approx(12_000)
    assert row["payback_yr"] == pytest.approx(4.8)
    assert "10.000 kWh per jaar" in row["reason"]


def test_led_only_where_not_yet_done_by_label_or_survey():
    use = {"elec_kwh_yr": 100_000, **MEASURED, "floor_area_m2": 1_000}
    t = terrain(
        [
            {**use, "energy_label": "D"},
            {**use, "energy_label": "A+"},  # label A+: lighting counted, done
            use,  # no label, no survey
            use,  # no label, survey: interested
            {**use, "energy_label": "D"},  # survey "nee": has it or wants none
        ],
        survey=[
            {"building_id": "0000000000000004", "interest_led": "ja"},
            {"building_id": "0000000000000005", "interest_led": "nee"},
        ],
    )
    assert _status(t, "led") == ["ja", "nee", "mogelijk", "ja", "nee"]
    reasons = _rows(t, "led")["reason"]
    assert reasons.loc["0000000000000003"].startswith(
        "Mogelijk (gegevens ontbreken: geen energielabel en geen enquête)."
    )
    assert not reasons.loc["0000000000000001"].startswith("Mogelijk")


def test_small_electricity_use_gets_no_led_advice():
    t = terrain([{"elec_kwh_yr": 5_000, "floor_area_m2": 100}])  # saves 500 kWh
    assert _has(t, "led") == [False]


@pytest.mark.parametrize(
    ("building", "isolatie", "warmtepomp"),
    [
        ({"energy_label": "E"}, "ja", "nee"),
        ({"energy_label": "B"}, "nee", "ja"),
        ({"construction_year": 1980}, "mogelijk", "nee"),  # no label, before 1992
        ({"construction_year": 2005}, "nee", "mogelijk"),
        ({}, "mogelijk", "mogelijk"),  # neither label nor year: data missing
        ({"energy_label": "E", "gas_m3_yr": 0}, "nee", "nee"),  # no gas
    ],
)
def test_insulate_first_then_heat_pump(building, isolatie, warmtepomp):
    t = terrain([{"gas_m3_yr": 10_000, **building}])
    assert (_status(t, "isolatie"), _status(t, "warmtepomp")) == (
        [isolatie],
        [warmtepomp],
    )
    ids = analyse(t).buildings["measures"].iloc[0]
    assert ("isolatie" in ids) == (isolatie != "nee")


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


BIG = {
    "footprint_m2": 500,
    "roof_type": "flat",
    "pv_kwp_existing": 0,
    "elec_kwh_yr": 100_000,
    **MEASURED,
}


def test_collective_solar_purchase_needs_three_companies():
    roof = {**BIG, "grid_connection": "grootverbruik"}
    tiny = {"footprint_m2": 5}  # one panel: below the 5 kWp of a real opportunity
    assert _status(terrain([roof, roof, tiny]), "collectieve_inkoop_zon") == [
        "nee",
        "nee",
        "nee",
    ]
    survey = [
        {"building_id": "0000000000000004", "interest_collectieve_inkoop_zon": "nee"}
    ]
    t = terrain([roof, roof, roof, roof], survey=survey)
    # The fourth said "nee" in the survey: taking part is voluntary.
    assert _status(t, "collectieve_inkoop_zon") == ["ja", "ja", "ja", "nee"]
    row = _reasons(t, "collectieve_inkoop_zon").iloc[0]
    assert "samen met 2 andere bedrijven" in row["reason"].lower()
    solo = _rows(t, "zon_eigen_dak").iloc[0]
    assert row["invest_eur"] == pytest.approx(solo["invest_eur"] * 0.9)


def test_collective_power_and_led_purchase_for_kleinverbruikers():
    small = {"grid_connection": "kleinverbruik"}
    t = terrain([small, small, small, {"grid_connection": "grootverbruik"}, {}])
    assert _status(t, "collectieve_inkoop_stroom_led") == [
        "ja",
        "ja",
        "ja",
        "nee",
        "mogelijk",
    ]


def test_energy_cooperative_for_roof_left_beyond_the_own_advice():
    # A kleinverbruik roof of 2,000 m² carries 565 panels (245.8 kWp); the
    # connection takes 54.8 kWp: 191 kWp left for a cooperative (≥ 15 kWp).
    # A 100 m² roof: 28 panels (12.2 kWp), nothing left.
    t = terrain(
        [
            {**BIG, "footprint_m2": 2_000, "grid_connection": "kleinverbruik"},
            {**BIG, "footprint_m2": 100, "grid_connection": "kleinverbruik"},
        ]
    )
    assert _status(t, "energiecooperatie") == ["ja", "nee"]
    row = _reasons(t, "energiecooperatie").iloc[0]
    assert row["kwp"] == pytest.approx((565 - 126) * 0.435)
    assert "begrensd door aansluiting" in row["reason"]


def _congested(afname, invoeding):
    return [
        {
            "area_id": "net",
            "afname_status": afname,
            "invoeding_status": invoeding,
            "geometry": rect(X0 - 50, Y0 - 50, 1_000, 200),
        }
    ]


def test_energy_hub_for_grootverbruikers_where_the_grid_is_congested():
    # Three 20 m squares 80 m apart (100 m pitch): one cluster of neighbours.
    large = {**BIG, "grid_connection": "grootverbruik"}
    small = {**BIG, "grid_connection": "kleinverbruik"}
    t = terrain([large, large, large, small, {**BIG}], grid=_congested(1, 2))
    # Kleinverbruikers may always take and feed in; unknown connection: mogelijk.
    assert _status(t, "energy_hub") == ["ja", "ja", "ja", "nee", "mogelijk"]
    hub = _reasons(t, "energy_hub")["reason"]
    assert "Samen met 4 buren" in hub.iloc[0] and "beperkte capaciteit" in hub.iloc[0]
    assert hub.iloc[-1].startswith("Mogelijk (gegevens ontbreken: netaansluiting")
    free = terrain([large, large, large], grid=_congested(0, 0))
    assert _status(free, "energy_hub") == ["nee", "nee", "nee"]


def test_battery_where_feed_in_congestion_holds_solar_back():
    # 2,000 m² roof: 245.8 kWp; own use of 100,000 kWh is met by 57 kWp
    # (35 % / 70 % × 100,000 kWh / 875): ~189 kWp of roof held back.
    large = {**BIG, "footprint_m2": 2_000, "grid_connection": "grootverbruik"}
    t = terrain([large, large, large], grid=_congested(1, 3))
    analysed = analyse(t).buildings
    assert analysed["pv_limit"].iloc[0].startswith("netcongestie invoeding")
    assert _status(t, "collectieve_batterij") == ["ja", "ja", "ja"]
    # Without feed-in congestion the roof is the limit: no battery needed.
    free = terrain([large, large, large], grid=_congested(2, 0))
    assert _status(free, "collectieve_batterij") == ["nee", "nee", "nee"]
    # A small user has too little own use to take the stored power back.
    little = {**large, "elec_kwh_yr": 20_000}
    assert _status(
        terrain([little, little], grid=_congested(1, 3)), "collectieve_batterij"
    ) == [
        "nee",
        "nee",
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
    user = {"elec_kwh_yr": 80_000, **MEASURED}
    t = terrain(
        [
            user,
            {**user, "geometry": rect(X0 - 3_000, Y0, 20, 20)},  # 5 km away
            {"elec_kwh_yr": 20_000, **MEASURED},  # too little electricity
        ],
        sources=[airport],
    )
    assert _status(t, "koppelkansen_luchthaven") == ["ja", "nee", "nee"]
    reason = _reasons(t, "koppelkansen_luchthaven").iloc[0]["reason"]
    assert reason.startswith(
        "Groningen Airport Eelde ligt op 2,0 km en uw bedrijf gebruikt ca. 80 MWh"
    )


def test_knowledge_sharing_for_everyone_on_a_terrain_with_companies():
    assert _status(terrain([{}, {}, {}]), "kennisdelen") == ["ja", "ja", "ja"]
    assert _status(terrain([{}]), "kennisdelen") == ["nee"]


def test_solar_reason_says_what_was_assumed():
    t = terrain([{"footprint_m2": 500}])
    reason = _rows(t, "zon_eigen_dak").iloc[0]["reason"]
    assert (
        "Dak (type onbekend, als plat gerekend) van 500 m² (bestaande panelen "
        "onbekend)" in reason
    )


# --- the demo terrains: measures that discriminate --------------------------


@pytest.fixture(scope="module", params=kk.list_demo_terrains())
def demo(request):
    return analyse(kk.load_terrain(f"demo:{request.param}"), DEFAULT)


def test_no_measure_says_ja_for_most_buildings_without_saying_why(demo):
    analysed, a = demo.buildings, demo.assumptions
    status = measures.relevance_status(analysed, a)
    for m in measures.CATALOGUE:
        share = status[m.id].fillna(False).astype(bool).mean()
        if share <= 0.8:
            continue
        assert m.broad, f"{m.id}: ja voor {share:.0%} zonder reden"
        rows = pd.DataFrame(analysed[m.relevant(analysed, a)])
        reasons = m.detail(rows, a, len(rows))["reason"]
        assert reasons.str.contains(m.broad, regex=False).all(), m.id


def test_mogelijk_buildings_say_that_data_are_missing(demo):
    analysed, a = demo.buildings, demo.assumptions
    status = measures.relevance_status(analysed, a)
    checked = 0
    for m in measures.CATALOGUE:
        unknown = status[m.id].isna().to_numpy()
        if not unknown.any():
            continue
        rows = pd.DataFrame(analysed[unknown])
        reasons = m.detail(rows, a, int(m.relevant(analysed, a).sum()))["reason"]
        assert reasons.str.startswith("Mogelijk (gegevens ontbreken: ").all(), m.id
        checked += 1
    assert checked >= 3  # LED, isolatie, warmtepomp at least (labels missing)


def test_no_kleinverbruik_solar_advice_beyond_the_connection(demo):
    b = demo.buildings
    small = (
        b["grid_connection"]
        .astype("string")
        .eq("kleinverbruik")
        .to_numpy(dtype=bool, na_value=False)
    )
    limit = DEFAULT.kleinverbruik_max_kw.value  # 3 × 80 A × 230 V
    room = (limit - b["pv_kwp_existing"].fillna(0)).clip(lower=0)
    assert small.any()
    # New advice never goes beyond what the connection takes beside the
    # existing panels (nothing where those already reach 55.2 kW).
    assert (b["pv_kwp_potential"][small] <= room[small] + 1e-9).all()
    assert (b["pv_kwp_potential"][small] > 0).any()


def test_detail_without_wording_gives_the_same_figures_and_no_texts(demo):
    # The group table sums the figures only (wording=False): per measure
    # the same numbers as the opportunity list, without reason or scheme.
    analysed, a = demo.buildings, demo.assumptions
    for m in measures.CATALOGUE:
        rows = pd.DataFrame(analysed[m.relevant(analysed, a)])
        full = m.detail(rows, a, len(rows))
        bare = m.detail(rows, a, len(rows), wording=False)
        assert list(bare.columns) == list(full.columns), m.id
        numbers = [c for c in full.columns if c not in ("reason", "subsidy")]
        pd.testing.assert_frame_equal(bare[numbers], full[numbers], check_exact=True)
        assert bare["reason"].isna().all() and bare["subsidy"].isna().all(), m.id
        assert len(rows) == 0 or full["reason"].notna().all(), m.id
