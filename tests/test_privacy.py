"""The openbaar (werksessie) rules of kansenkaart.engine.privacy.

``tiny_terrain`` is also used by the export tests: three companies, one with a
malicious name that consented, one that refused and has measured use, one
without survey answer.
"""

import numpy as np
import pandas as pd
import pytest

import kansenkaart as kk
from kansenkaart.core.assumptions import DEFAULT
from kansenkaart.engine import privacy
from kansenkaart.engine.opportunities import opportunity_list
from tests.engine_fixtures import terrain

MALICIOUS = '=HYPERLINK("http://x","klik")'
SECRET_COMPANY = "<script>alert(1)</script> Geheim B.V."
SECRET_ELEC_KWH = 123457.0
SECRET_GAS_M3 = 31234.0
# How the reasons quote them (rounded to 100 kWh and 10 m³, Dutch digits).
SECRET_TEXTS = ("123.457", "123457", "123.500", "31.234", "31234", "31.230")


def tiny_terrain(meta: dict | None = None) -> kk.Terrain:
    """Three buildings: consent + malicious name; refused + measured; no answer."""
    rows = [
        {
            "company": MALICIOUS,
            "elec_kwh_yr": 81234.0,
            "elec_source": "gemeten",
            "floor_area_m2": 800.0,
            "ownership": "eigenaar-gebruiker",
            "energy_label": "B",
        },
        {
            "company": SECRET_COMPANY,
            "address": "Geheimweg 2\x07",
            "elec_kwh_yr": SECRET_ELEC_KWH,
            "elec_source": "gemeten",
            "gas_m3_yr": SECRET_GAS_M3,
            "gas_source": "gemeten",
            "floor_area_m2": 900.0,
            "ownership": "huurder",
            "energy_label": "E",
        },
        {"company": "Zonder Enquête", "floor_area_m2": 300.0},
    ]
    survey = [
        {
            "building_id": "0000000000000001",
            "consent_werksessie": True,
            "interest_led": "ja",
            "kopgroep_interest": "ja",
        },
        {
            "building_id": "0000000000000002",
            "consent_werksessie": False,
            "interest_led": "ja",
            "interest_zon_eigen_dak": "misschien",
            "planned_investments": "zonnepanelen 2026",
        },
    ]
    return terrain(rows, survey=survey, meta=meta)


@pytest.fixture(scope="module")
def analysis():
    return kk.analyse(tiny_terrain())


@pytest.fixture(scope="module")
def analysed(analysis):
    return analysis.buildings


@pytest.fixture(scope="module")
def demo_analysed():
    return kk.analyse(kk.load_terrain("demo:de-punt")).buildings


def test_missing_consent_counts_as_no(analysed):
    assert privacy.consented(analysed).tolist() == [True, False, False]
    assert privacy.hidden_rows(analysed, "openbaar").tolist() == [False, True, True]
    assert not privacy.hidden_rows(analysed, "intern").any()


def test_intern_shows_everything_and_marks_nothing(analysed):
    out = privacy.redact_buildings(analysed, "intern")
    assert out["elec_kwh_yr"][1] == SECRET_ELEC_KWH
    assert "eml_maatregelen" in out["measures"][1]
    assert not out[privacy.HIDDEN_COLUMN].any()


def test_openbaar_blanks_energy_figures_of_companies_without_consent(analysed):
    before = analysed.copy()
    out = privacy.redact_buildings(analysed, "openbaar")
    pd.testing.assert_frame_equal(analysed, before)  # input untouched
    private = [
        "elec_kwh_yr",
        "gas_m3_yr",
        "elec_kwh_yr_est",
        "gas_m3_yr_est",
        "demand_kwh_yr",
        "heat_demand_kwh_yr",
        "co2_kg_yr",
        "besparingsplicht",
        "informatieplicht",
        "interest_led",
        "interest_zon_eigen_dak",
        "planned_investments",
        "kopgroep_score",
        "kopgroep_selected",
    ]
    for column in private:
        assert pd.isna(out[column][1]), column
        assert pd.isna(out[column][2]), column
    # the consenting company keeps its figures
    assert out["elec_kwh_yr"][0] == 81234.0
    assert out["interest_led"][0] == "ja"
    # public facts stay for everybody
    assert out["company"][1] == SECRET_COMPANY
    assert out["energy_label"][1] == "E"
    assert out["pv_kwp_roof"][1] == analysed["pv_kwp_roof"][1]
    # the solar advice may follow use: without assumptions it is not shown
    assert pd.isna(out["pv_kwp_potential"][1])
    assert out[privacy.HIDDEN_COLUMN].tolist() == [False, True, True]


def test_the_obligation_measure_is_taken_out_for_companies_without_consent(analysed):
    assert "eml_maatregelen" in analysed["measures"][1]  # use ≥ 50,000 kWh
    out = privacy.redact_buildings(analysed, "openbaar")
    assert "eml_maatregelen" not in out["measures"][1]
    assert "eml_maatregelen" in out["measures"][0]  # consented
    shown = out["measures"][1]
    assert out["n_measures"][1] == len(shown)
    assert set(shown) <= privacy.PUBLIC_RULE_MEASURES | set(privacy.POSSIBLE_HINTS)


def test_every_column_outside_the_public_list_is_blanked(demo_analysed):
    out = privacy.redact_buildings(demo_analysed, "openbaar")
    hidden = out[privacy.HIDDEN_COLUMN].to_numpy(dtype=bool)
    assert 0 < hidden.sum() < len(out)
    private = [c for c in out.columns if c not in privacy.PUBLIC_BUILDING_COLUMNS]
    assert "demand_kwh_yr" in private and "interest_led" in private
    assert out.loc[hidden, private].isna().all().all()
    public = out.loc[hidden, "pv_kwp_roof"]
    assert public.notna().all()
    # with the assumptions the solar advice is the roof's (see attacks)
    advised = privacy.redact_buildings(demo_analysed, "openbaar", assumptions=DEFAULT)
    assert advised.loc[hidden, "pv_kwp_potential"].notna().all()


def test_opportunities_of_companies_without_consent_lose_reason_and_figures(
    analysis, analysed
):
    full = opportunity_list(analysis)
    out = privacy.redact_opportunities(full, "openbaar", DEFAULT, buildings=analysed)
    secret = out[out["building_id"] == "0000000000000002"]
    assert "eml_maatregelen" not in set(secret["measure_id"])
    assert secret["reason"].str.contains("Algemene regel: ", regex=False).all()
    for text in SECRET_TEXTS:
        assert not secret["reason"].str.contains(text, regex=False).any()
    assert (
        secret[["kwh_yr", "co2_kg_yr", "invest_eur", "payback_yr"]].isna().all().all()
    )
    assert secret["interest"].isna().all()
    # a measure with a public part is only ever "mogelijk", without figure
    solar = secret[secret["measure_id"] == "zon_eigen_dak"]
    assert solar["reason"].iloc[0].startswith("Mogelijk (gegevens niet openbaar)")
    assert solar["kwp"].isna().all()
    mine = out[out["building_id"] == "0000000000000001"]
    original = full[full["building_id"] == "0000000000000001"]
    assert mine["reason"].tolist() == original["reason"].tolist()
    # without the buildings only the measures with a public rule stay
    bare = privacy.redact_opportunities(full, "openbaar", DEFAULT)
    other = bare[bare["building_id"] != "0000000000000001"]
    assert set(other["measure_id"]) <= privacy.PUBLIC_RULE_MEASURES


def test_a_selection_on_private_facts_keeps_only_consenting_companies(
    analysis, analysed
):
    full = opportunity_list(analysis)
    out = privacy.redact_opportunities(full, "openbaar", DEFAULT, disclosing=True)
    assert set(out["building_id"]) == {"0000000000000001"}
    buildings = privacy.redact_buildings(analysed, "openbaar", disclosing=True)
    assert buildings["building_id"].tolist() == ["0000000000000001"]
    # intern: a selection discloses nothing that staff may not see
    intern = privacy.redact_opportunities(full, "intern", DEFAULT, disclosing=True)
    assert len(intern) == len(full)


@pytest.mark.parametrize(
    ("used", "obligations", "expected"),
    [
        ({"measures", "scope", "labels", "ownership"}, (), False),
        ({"interest"}, (), True),
        ({"kopgroep_only"}, (), True),
        ({"obligations"}, ("label_c_required",), False),
        ({"obligations"}, ("label_c_required", "besparingsplicht"), True),
        ({"obligations", "measures"}, ("onderzoeksplicht",), True),
    ],
)
def test_which_selections_disclose_private_facts(used, obligations, expected):
    assert privacy.selection_discloses(used, obligations) is expected


def test_totals_need_ten_companies_in_the_public_variant():
    assert privacy.total_shown([9, 10, 25], "openbaar", DEFAULT).tolist() == [
        False,
        True,
        True,
    ]
    assert privacy.total_shown([1], "intern", DEFAULT).tolist() == [True]
    stricter = kk.analyse(tiny_terrain(), DEFAULT).assumptions.replace(
        privacy_min_connections=3
    )
    assert privacy.total_shown([2, 3], "openbaar", stricter).tolist() == [False, True]


def test_unknown_variant_is_refused_in_dutch():
    with pytest.raises(ValueError, match="onbekende variant 'geheim'"):
        privacy.hidden_rows(pd.DataFrame({"consent_werksessie": []}), "geheim")


def test_redaction_keeps_dtypes(analysed):
    out = privacy.redact_buildings(analysed, "openbaar")
    for column in analysed.columns:
        assert out[column].dtype == analysed[column].dtype, column
    assert isinstance(out, type(analysed))
    assert np.array_equal(out.geometry.area, analysed.geometry.area)


def test_small_totals_lose_their_figures_and_in_a_private_selection_the_count():
    totals = pd.DataFrame(
        {
            "n_companies": pd.array([3, 12], dtype="Int64"),
            "kwh_yr": pd.array([900.0, 5000.0], dtype="Float64"),
        }
    )
    public = privacy.redact_totals(totals, ["kwh_yr"], "openbaar", DEFAULT)
    assert public["kwh_yr"].isna().tolist() == [True, False]
    assert public["n_companies"].tolist() == [3, 12]
    assert public["note"][0] == "totalen niet getoond: minder dan 10 bedrijven"
    assert public["note"][1] == ""
    chosen = privacy.redact_totals(totals, ["kwh_yr"], "openbaar", DEFAULT, True)
    assert chosen["n_companies"].isna().tolist() == [True, False]
    intern = privacy.redact_totals(totals, ["kwh_yr"], "intern", DEFAULT, True)
    assert intern["kwh_yr"].tolist() == [900.0, 5000.0]
    assert totals.columns.tolist() == ["n_companies", "kwh_yr"]  # input untouched
