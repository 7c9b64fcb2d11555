"""Kopgroep ranking: survey interest in the company's own collective groups.

Hand-made rows; the expected scores are worked out by hand from the formula
in :mod:`kansenkaart.engine.kopgroep` with the default weights (kopgroep 3,
interest 2, own group 2, willingness 2, potential 3 points).
"""

from __future__ import annotations

import pandas as pd
import pytest

from kansenkaart.core.assumptions import DEFAULT
from kansenkaart.core.schema import SURVEY_MEASURES
from kansenkaart.engine import kopgroep, privacy

ZON_GROUP = "collectieve_inkoop_zon-1"
HEAT_GROUP = "warmtenet_rwzi-1"
GROUPS = pd.DataFrame(
    {
        "group_id": [ZON_GROUP, HEAT_GROUP, "kennisdelen-1"],
        "name": [
            "Collectieve inkoop zonnepanelen – groep 1 (Bitseveld)",
            "Warmtenet met restwarmte (RWZI) – groep 1 (RWZI)",
            "Kennisdelen – groep 1 (Bitseveld)",
        ],
    }
)


def _rows(*companies: dict) -> pd.DataFrame:
    """Analysed-like rows: no answers, equal potential, unless given."""
    base = {
        "building_id": "",
        "kopgroep_interest": pd.NA,
        **{f"interest_{m}": pd.NA for m in SURVEY_MEASURES},
        "collective_willingness": pd.NA,
        "survey_answered": True,
        "pv_kwp_potential": 50.0,
        "demand_kwh_yr": 100_000.0,
        "demand_source": "gemeten",
        "collective_groups": [],
        "consent_werksessie": True,
    }
    df = pd.DataFrame([{**base, **c} for c in companies])
    return df.astype(
        {
            "kopgroep_interest": "string",
            **{f"interest_{m}": "string" for m in SURVEY_MEASURES},
            "collective_willingness": "Int64",
            "pv_kwp_potential": "Float64",
            "demand_kwh_yr": "Float64",
            "consent_werksessie": "boolean",
        }
    )


def test_interest_in_an_own_group_counts_and_names_the_group():
    answer = {"kopgroep_interest": "ja", "interest_collectieve_inkoop_zon": "ja"}
    df = _rows(
        {"building_id": "a", **answer, "collective_groups": [ZON_GROUP]},
        {"building_id": "b", **answer},  # same answers, in no group
    )
    out = kopgroep.rank(df, DEFAULT, GROUPS)
    # Both: kopgroep ja 3 + interest 1/1 answered × 2 + potential 0.75 × 3
    # (two equal values: percentile rank 1.5 / 2); a adds its own group: 2.
    assert out["kopgroep_score"].tolist() == pytest.approx([9.25, 7.25])
    assert out["kopgroep_rank"].tolist() == [1, 2]
    assert (
        "interesse in groep Collectieve inkoop zonnepanelen – groep 1 (Bitseveld)"
        in out["kopgroep_reason"].iloc[0]
    )
    assert "interesse in groep" not in out["kopgroep_reason"].iloc[1]


def test_misschien_counts_half_and_says_so():
    df = _rows(
        {
            "building_id": "a",
            "interest_warmtenet_rwzi": "misschien",
            "collective_groups": [HEAT_GROUP],
        },
    )
    points, names = kopgroep.group_interest(df, GROUPS)
    assert points.tolist() == [0.5]
    assert names.iloc[0] == (
        "misschien interesse in groep Warmtenet met restwarmte (RWZI) – groep 1 (RWZI)"
    )


def test_the_best_answer_counts_and_only_those_groups_are_named():
    df = _rows(
        {
            "building_id": "a",
            "interest_collectieve_inkoop_zon": "nee",
            "interest_warmtenet_rwzi": "ja",
            "collective_groups": [ZON_GROUP, HEAT_GROUP, "kennisdelen-1"],
        },
        {
            "building_id": "b",
            "interest_collectieve_inkoop_zon": "ja",
            "interest_warmtenet_rwzi": "ja",
            "collective_groups": [ZON_GROUP, HEAT_GROUP],
        },
        # Kennisdelen is not asked in the survey: membership adds nothing.
        {"building_id": "c", "collective_groups": ["kennisdelen-1"]},
    )
    points, names = kopgroep.group_interest(df, GROUPS)
    assert points.tolist() == [1.0, 1.0, 0.0]
    assert names.iloc[0] == (
        "interesse in groep Warmtenet met restwarmte (RWZI) – groep 1 (RWZI)"
    )
    assert names.iloc[1].startswith("interesse in groepen Collectieve inkoop")
    assert "Warmtenet" in names.iloc[1]
    assert pd.isna(names.iloc[2])


def test_a_group_missing_from_the_table_is_named_by_its_id():
    df = _rows(
        {
            "building_id": "a",
            "interest_energy_hub": "ja",
            "collective_groups": ["energy_hub-3"],
        }
    )
    points, names = kopgroep.group_interest(df, None)
    assert points.tolist() == [1.0]
    assert names.iloc[0] == "interesse in groep energy_hub-3"


def test_the_public_variant_hides_the_reason_of_a_company_without_consent():
    answer = {
        "interest_collectieve_inkoop_zon": "ja",
        "collective_groups": [ZON_GROUP],
    }
    df = _rows(
        {"building_id": "a", **answer, "consent_werksessie": True},
        {"building_id": "b", **answer, "consent_werksessie": False},
    )
    ranked = pd.concat([df, kopgroep.rank(df, DEFAULT, GROUPS)], axis=1)
    shown = privacy.redact_buildings(ranked, privacy.OPENBAAR)
    assert "Collectieve inkoop zonnepanelen" in shown["kopgroep_reason"].iloc[0]
    assert pd.isna(shown["kopgroep_reason"].iloc[1])
    assert pd.isna(shown["kopgroep_score"].iloc[1])
    assert pd.isna(shown["interest_collectieve_inkoop_zon"].iloc[1])
