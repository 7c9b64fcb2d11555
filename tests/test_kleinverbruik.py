"""Kleinverbruik per postcode range: reading and apportioning by hand."""

from pathlib import Path

import pandas as pd
import pytest

import kansenkaart as kk
from kansenkaart.io.kleinverbruik import apportion, read_kleinverbruik

FIXTURES = Path(__file__).parent / "fixtures" / "importer"


def _vbo(rows: list[tuple[str, str, str, str | None]]) -> pd.DataFrame:
    """Objects as (vbo_id, pand_id, postcode, street)."""
    return pd.DataFrame(rows, columns=["vbo_id", "pand_id", "postcode", "street"])


def _ranges(rows: list[tuple]) -> pd.DataFrame:
    """Ranges as (from, to, product, connections, average, street)."""
    return pd.DataFrame(
        rows,
        columns=[
            "postcode_from",
            "postcode_to",
            "product",
            "connections",
            "average",
            "street",
        ],
    )


def test_enexis_file_with_semicolons_and_decimal_comma():
    kv = read_kleinverbruik(FIXTURES / "kleinverbruik_enexis.csv")
    assert kv.operators == ("Enexis B.V.",)
    assert len(kv.ranges) == 4  # the WARMTE row is skipped
    gas = kv.ranges[kv.ranges["product"] == "gas"].iloc[0]
    assert gas["average"] == pytest.approx(2150.4)
    assert (gas["postcode_from"], gas["postcode_to"]) == ("9301ZZ", "9301ZZ")
    (problem,) = kv.problems
    assert (problem.row, problem.column) == (6, "PRODUCTSOORT")
    assert "'WARMTE'" in problem.message


def test_comma_file_with_sja_reads_the_same():
    enexis = read_kleinverbruik(FIXTURES / "kleinverbruik_enexis.csv").ranges
    comma = read_kleinverbruik(FIXTURES / "kleinverbruik_komma.csv").ranges
    columns = ["postcode_from", "postcode_to", "product", "connections", "average"]
    pd.testing.assert_frame_equal(comma[columns], enexis[columns])


def test_missing_average_column_is_named(tmp_path):
    path = tmp_path / "kv.csv"
    path.write_text(
        "POSTCODE_VAN;POSTCODE_TOT;PRODUCTSOORT;AANSLUITINGEN_AANTAL\n"
        "9301AA;9301AB;ELK;12\n"
    )
    with pytest.raises(kk.DataError) as err:
        read_kleinverbruik(path)
    assert err.value.problems[0].column == "SJV_GEMIDDELD"


def test_rows_without_connections_are_skipped(tmp_path):
    path = tmp_path / "kv.csv"
    path.write_text(
        "POSTCODE_VAN;POSTCODE_TOT;PRODUCTSOORT;AANSLUITINGEN_AANTAL;SJV_GEMIDDELD\n"
        "9301AA;9301AB;ELK;0;1000\n"
        "9301AA;9301AB;GAS;10;onbekend\n"
        "9301AA;9301AB;GAS;10;1500\n"
    )
    kv = read_kleinverbruik(path)
    assert kv.ranges["average"].tolist() == [1500.0]
    assert [p.row for p in kv.problems] == [2, 3]


def test_each_object_counts_as_one_connection_of_its_range():
    vbo = _vbo(
        [
            ("a", "P1", "9301ZZ", "Industrieweg"),
            ("b", "P1", "9301ZZ", "Industrieweg"),
            ("c", "P2", "9301ZX", "Ambachtsweg"),
            ("d", "P3", "1234AB", "Elders"),
        ]
    )
    ranges = _ranges(
        [
            ("9301ZZ", "9301ZZ", "elec", 12, 8400.0, "Industrieweg"),
            ("9301ZZ", "9301ZZ", "gas", 10, 2150.4, "Industrieweg"),
            ("9301ZX", "9301ZX", "elec", 15, 5200.0, "Ambachtsweg"),
            # Another street whose range also holds both postcodes.
            ("9301ZA", "9301ZZ", "elec", 20, 3000.0, "Nijverheidsweg"),
        ]
    )
    use = apportion(ranges, vbo).set_index("pand_id")
    assert use.loc["P1", "elec_kwh_yr"] == 16800  # 2 × 8.400, own street only
    assert use.loc["P1", "gas_m3_yr"] == 4301  # 2 × 2.150,4 = 4.300,8
    assert use.loc["P2", "elec_kwh_yr"] == 5200
    assert pd.isna(use.loc["P2", "gas_m3_yr"])
    assert "P3" not in use.index  # no range holds 1234AB


def test_ranges_of_other_streets_are_weighted_by_connections():
    vbo = _vbo([("a", "P1", "9301ZZ", None)])
    ranges = _ranges(
        [
            ("9301ZZ", "9301ZZ", "elec", 12, 8400.0, "Industrieweg"),
            ("9301ZA", "9301ZZ", "elec", 20, 3000.0, "Nijverheidsweg"),
        ]
    )
    use = apportion(ranges, vbo).set_index("pand_id")
    # (8.400 × 12 + 3.000 × 20) / 32 = 160.800 / 32 = 5.025
    assert use.loc["P1", "elec_kwh_yr"] == 5025


def test_object_in_two_panden_is_split_between_them():
    vbo = _vbo(
        [
            ("a", "P1", "9301ZZ", "Industrieweg"),
            ("a", "P2", "9301ZZ", "Industrieweg"),
            ("b", "P2", "9301ZZ", "Industrieweg"),
        ]
    )
    ranges = _ranges([("9301ZZ", "9301ZZ", "elec", 12, 8400.0, "Industrieweg")])
    use = apportion(ranges, vbo).set_index("pand_id")
    assert use.loc["P1", "elec_kwh_yr"] == 4200  # half of object a
    assert use.loc["P2", "elec_kwh_yr"] == 12600  # half of a + all of b


def test_range_crossing_a_four_digit_boundary():
    vbo = _vbo([("a", "P1", "9302AB", None)])
    ranges = _ranges([("9301ZA", "9302AC", "elec", 30, 4000.0, None)])
    assert apportion(ranges, vbo)["elec_kwh_yr"].tolist() == [4000]
