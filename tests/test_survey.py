import pandas as pd

from kansenkaart.core.address import address_key
from kansenkaart.io.survey import link_survey


def test_postcode_and_house_number_forms_agree():
    keys = address_key(
        pd.Series(["9301 ZZ", "9301zz", " 9301 zz ", "9301ZZ", "93011ZZ"]),
        pd.Series(["12a", "12 A", "12-A", "012A", "12a"]),
    )
    assert keys.iloc[:4].tolist() == ["9301ZZ|12A"] * 4
    assert pd.isna(keys.iloc[4])  # not a postcode


def test_link_survey_prefers_known_id_then_address_and_reports_the_rest():
    buildings = pd.DataFrame(
        {
            "building_id": ["b1", "b2"],
            "postcode": ["9301 AA", "9301 AB"],
            "house_number": ["1", "2b"],
        }
    )
    survey = pd.DataFrame(
        {
            "building_id": ["b1", None, None],
            "postcode": ["9999 XX", "9301ab", "9301 AC"],
            "house_number": ["1", "2 B", "3"],
        }
    )
    linked, warnings = link_survey(buildings, survey, "enquete.xlsx")
    assert linked["building_id"].tolist()[:2] == ["b1", "b2"]
    assert pd.isna(linked["building_id"].iloc[2])
    assert warnings == [
        "enquete.xlsx: 1 van 3 enquêterijen niet gekoppeld aan een gebouw (rijen 4). "
        "Controleer postcode en huisnummer of vul building_id (BAG pand-id) in."
    ]
    assert survey["building_id"].isna().sum() == 2  # input untouched
