import pandas as pd

from kansenkaart.core import schema
from kansenkaart.engine import quality


def test_completeness_counts_filled_cells():
    table = pd.DataFrame(
        {"building_id": ["1", "2", "3", "4"], "energy_label": ["A", None, "C", None]}
    )
    out = quality.completeness(table, schema.BUILDINGS).set_index("Gegeven")
    assert out.loc["energielabel", "Ingevuld"] == 2
    assert out.loc["energielabel", "Ingevuld (%)"] == 50.0
    assert out.loc["BAG-pand-id", "Ingevuld (%)"] == 100.0
    assert out.loc["bouwjaar", "Ingevuld"] == 0  # column absent


def test_survey_interest_gives_only_totals():
    survey = pd.DataFrame(
        {f"interest_{m}": [None, None, None] for m in schema.SURVEY_MEASURES}
    )
    survey["interest_led"] = ["ja", "ja", "nee"]
    survey["company"] = ["A", "B", "C"]
    out = quality.survey_interest(survey).set_index("Maatregel")
    assert out.loc["led"].to_dict() == {"ja": 2, "misschien": 0, "nee": 1}
    assert "company" not in out.columns
