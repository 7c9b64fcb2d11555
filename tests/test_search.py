"""Search for a building: typos, postcode formats, house-number letters, companies."""

import pandas as pd
import pytest

import kansenkaart as kk
from kansenkaart.engine import search

BUILDINGS = pd.DataFrame(
    {
        "building_id": ["A3", "A5", "A12", "A12A", "V3", "E8"],
        "address": [
            "Industrieweg 3, Roden",
            "Industrieweg 5, Roden",
            "Industrieweg 12, Roden",
            "Industrieweg 12A, Roden",
            "Vennweg 3, De Punt",
            "Esweg 8, Peize",
        ],
        "postcode": ["9301 ZZ", "9301 ZZ", "9301 ZZ", "9301ZZ", "9495 BE", "9321 AB"],
        "house_number": ["3", "5", "12", "12 a", "3", "8"],
        "company": [
            "Bakker Metaal",
            "Visser Transport",
            "Café Één",
            "De Vries ICT",
            "Garage Postma",
            "Smit & Zonen <BV>",
        ],
    }
).astype("string")


@pytest.fixture(scope="module")
def index():
    return search.build_index(BUILDINGS)


def best(index, query):
    return search.search(index, query).best


@pytest.mark.parametrize(
    ("query", "text", "postcode", "house_number"),
    [
        ("Industrieweg 12 a, 9301 zz", "Industrieweg", "9301ZZ", "12A"),
        ("9301ZZ 12-A", "", "9301ZZ", "12A"),
        ("9301 zz 12", "", "9301ZZ", "12"),
        ("Industrieweg 3 Roden", "Industrieweg Roden", "", "3"),
        ("bakker metaal", "bakker metaal", "", ""),
        ("Industrieweg 007", "Industrieweg", "", "7"),
    ],
)
def test_query_is_split_into_text_postcode_and_number(
    query, text, postcode, house_number
):
    assert search.parse_query(query) == search.Query(text, postcode, house_number)


@pytest.mark.parametrize(
    "query",
    ["Industreweg 3", "industrieweg 3", "Industriewg 3 roden", "INDUSTRIEWEG 3"],
)
def test_street_typos_find_the_building(index, query):
    assert best(index, query) == "A3"


@pytest.mark.parametrize(
    "query",
    ["9301 ZZ 12a", "9301zz 12 A", "9301ZZ 12-A", " 9301 zz  12A ", "12a 9301ZZ"],
)
def test_postcode_and_house_letter_in_any_format(index, query):
    assert best(index, query) == "A12A"


def test_house_number_without_letter_is_not_the_one_with_letter(index):
    assert best(index, "9301 ZZ 12") == "A12"
    assert best(index, "Industrieweg 12") == "A12"


def test_the_same_number_on_another_street_loses_to_the_right_street(index):
    result = search.search(index, "Vennweg 3")
    assert result.best == "V3"
    assert result.matches["building_id"].iloc[0] == "V3"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bakker metaal", "A3"),
        ("BAKKER METAAL", "A3"),
        ("Bakker Metal", "A3"),
        ("cafe een", "A12"),
        ("CAFÉ ÉÉN", "A12"),
        ("smit & zonen", "E8"),
        ("garage postma", "V3"),
    ],
)
def test_company_names_case_and_accent_insensitive(index, query, expected):
    assert best(index, query) == expected


def test_a_street_alone_lists_its_buildings_in_number_order(index):
    result = search.search(index, "Industrieweg")
    assert result.found and not result.confident and result.best is None
    assert result.matches["building_id"].head(4).tolist() == ["A3", "A5", "A12", "A12A"]
    assert "Kies het uwe" in result.message


def test_unknown_address_gets_a_dutch_message_with_the_nearest_matches(index):
    result = search.search(index, "Nietbestaandeweg 99")
    assert not result.found and result.best is None
    assert len(result.matches) == search.NEAREST
    assert result.message.startswith("Geen pand gevonden bij 'Nietbestaandeweg 99'.")
    assert "Bedoelt u" in result.message
    assert "bijvoorbeeld 9301 ZZ 3" in result.message  # an address of this terrain
    for label in result.matches["label"]:
        assert label in result.message


def test_unknown_house_number_on_a_known_street_names_the_number(index):
    result = search.search(index, "Industrieweg 99")
    assert result.found and not result.confident
    assert "huisnummer 99" in result.message
    assert "Industrieweg" in result.message


def test_wrong_postcode_is_not_taken_without_asking(index):
    assert best(index, "9301 ZY 12a") is None


def test_empty_query_finds_nothing_and_says_nothing(index):
    for query in ("", "   ", ",,"):
        result = search.search(index, query)
        assert result.matches.empty and result.message == "" and result.best is None


def test_labels_and_limit(index):
    result = search.search(index, "Industrieweg", limit=2)
    assert len(result.matches) == 2
    assert result.matches["label"].iloc[0] == "Industrieweg 3, Roden — Bakker Metaal"
    assert result.matches["score"].between(0, 100).all()


def test_search_options_name_address_and_company():
    table = pd.DataFrame(
        {
            "building_id": ["1", "2", "3"],
            "address": ["Teststraat 2, De Punt", "Teststraat 3, De Punt", pd.NA],
            "company": ["Bakker B.V.", pd.NA, ""],
        }
    ).astype("string")
    assert search.search_options(table) == {
        "1": "Teststraat 2, De Punt — Bakker B.V.",
        "2": "Teststraat 3, De Punt",
        "3": "pand 3",
    }
    bare = table[["building_id"]]
    assert search.search_options(bare) == {"1": "pand 1", "2": "pand 2", "3": "pand 3"}


def test_missing_house_number_is_read_from_the_address():
    table = BUILDINGS.assign(house_number=pd.array([pd.NA] * 6, dtype="string"))
    index = search.build_index(table)
    assert list(index.house_number) == ["3", "5", "12", "12A", "3", "8"]
    assert search.search(index, "9301 ZZ 12a").best == "A12A"


def test_two_buildings_at_one_address_are_both_offered():
    table = pd.concat([BUILDINGS, BUILDINGS.head(1).assign(building_id="A3-bis")])
    result = search.search(search.build_index(table), "Industrieweg 3")
    assert result.best is None
    assert set(result.matches["building_id"].head(2)) == {"A3", "A3-bis"}


def test_input_is_not_modified():
    before = BUILDINGS.copy()
    search.search(search.build_index(BUILDINGS), "Industreweg 3")
    pd.testing.assert_frame_equal(BUILDINGS, before)


def test_every_demo_building_is_found_by_postcode_and_number():
    buildings = kk.load_terrain("demo:de-wieken").buildings
    index = search.build_index(buildings)
    for row in buildings.itertuples():
        query = f"{row.postcode.replace(' ', '').lower()} {row.house_number}"
        assert search.search(index, query).best == row.building_id, query
