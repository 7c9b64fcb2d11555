import pandas as pd
import pytest

from kansenkaart.core import schema as sch
from kansenkaart.core.errors import DataError


def _raw(**cols):
    return pd.DataFrame({k: pd.Series(v, dtype="object") for k, v in cols.items()})


def test_parse_number_reads_dutch_and_english_notation():
    values = pd.Series(["1.234,5", "1234,5", "1234.5", "12", "", "abc", None])
    parsed = sch.parse_number(values)
    assert parsed.iloc[:4].tolist() == [1234.5, 1234.5, 1234.5, 12.0]
    assert parsed.iloc[4:].isna().all()


def test_missing_required_column_names_it_and_suggests_the_close_header():
    raw = _raw(buildingid_nr=["0106100000000001"], adres=["Weg 1"])
    with pytest.raises(DataError) as err:
        sch.validate(raw, sch.BUILDINGS, "gebouwen.csv")
    message = str(err.value)
    assert "gebouwen.csv" in message
    assert "'building_id'" in message
    assert "hernoem kolom 'buildingid_nr'" in message


def test_dutch_headers_and_value_aliases_are_accepted():
    raw = _raw(
        identificatie=["106100000000001"],  # Excel dropped the leading zero
        bouwjaar=["1985"],
        daktype=["plat"],
        eigendom=["Huur"],
        energielabel=["c"],
        monument=["nee"],
    )
    out = sch.validate(raw, sch.BUILDINGS, "x.csv")
    row = out.iloc[0]
    assert row["building_id"] == "0106100000000001"
    assert row["construction_year"] == 1985
    assert row["roof_type"] == "flat"
    assert row["ownership"] == "huurder"
    assert row["energy_label"] == "C"
    assert not row["is_monument"]
    assert pd.isna(row["elec_kwh_yr"])  # absent optional column stays unknown


def test_bad_values_are_reported_with_row_column_and_fix():
    raw = _raw(
        building_id=["1", "2", "3"],
        construction_year=["1990", "negentig", "3020"],
        energy_label=["B", "H", None],
    )
    with pytest.raises(DataError) as err:
        sch.validate(raw, sch.BUILDINGS, "panden.xlsx")
    problems = {(p.row, p.column) for p in err.value.problems}
    # Header is line 1, so the second data row is row 3.
    assert (3, "construction_year") in problems
    assert (4, "construction_year") in problems
    assert (3, "energy_label") in problems
    assert "kies uit: A+++++" in str(err.value)


def test_duplicate_ids_are_refused():
    raw = _raw(building_id=["1", "2", "1"])
    with pytest.raises(DataError, match="komt vaker voor") as err:
        sch.validate(raw, sch.BUILDINGS, "b.csv")
    assert err.value.problems[0].row == 4


def test_empty_table_is_refused():
    with pytest.raises(DataError, match="geen rijen"):
        sch.validate(_raw(building_id=[]), sch.BUILDINGS, "b.csv")


def test_unknown_columns_are_kept_and_input_not_mutated():
    raw = _raw(building_id=["1"], eigen_notitie=["let op"])
    before = raw.copy()
    out = sch.validate(raw, sch.BUILDINGS, "b.csv")
    assert out.loc[0, "eigen_notitie"] == "let op"
    pd.testing.assert_frame_equal(raw, before)


def test_dates_accept_iso_dutch_and_year():
    raw = _raw(name=["a", "b", "c"], ibn_planned=["2031-07-01", "01-07-2031", "2031"])
    out = sch.validate(raw, sch.PROJECTS, "p.csv")
    assert out["ibn_planned"].dt.year.tolist() == [2031, 2031, 2031]
    assert out["ibn_planned"].dt.month.tolist() == [7, 7, 1]


def test_every_schema_column_has_a_dutch_label_and_known_dtype():
    for table in sch.ALL:
        for col in table.columns:
            assert col.label and "_" not in col.label, col.name
            assert col.dtype in {
                "id",
                "text",
                "int",
                "float",
                "category",
                "bool",
                "date",
            }
            if col.dtype == "category":
                assert col.allowed


def test_dutch_headers_use_label_and_unit():
    table = pd.DataFrame({"floor_area_m2": [1.0], "geometry": [None]})
    out = sch.dutch_headers(table, sch.BUILDINGS)
    assert list(out.columns) == ["gebruiksoppervlakte (m²)"]


def test_range_and_number_messages_read_well():
    raw = _raw(area_id=["a"], afname_status=["4"], invoeding_status=["drie"])
    with pytest.raises(DataError) as err:
        sch.validate(raw, sch.GRID, "net.geojson", row_offset=1)
    text = str(err.value)
    assert "ligt buiten het bereik 0–3." in text
    assert "'drie' is geen getal. Oplossing: vul een getal in of laat" in text


def test_suggestion_skips_columns_that_are_already_used():
    raw = _raw(area_id=["a"], afname_status=["1"])
    with pytest.raises(DataError) as err:
        sch.validate(raw, sch.GRID, "net.geojson")
    assert "hernoem" not in str(err.value)
    assert "voeg een kolom 'invoeding_status' toe" in str(err.value)


def test_bare_year_upper_bound_means_end_of_that_year():
    raw = _raw(name=["a"], ibn_lower=["2031"], ibn_upper=["2033"])
    out = sch.validate(raw, sch.PROJECTS, "p.csv")
    assert str(out.loc[0, "ibn_lower"].date()) == "2031-01-01"
    assert str(out.loc[0, "ibn_upper"].date()) == "2033-12-31"
