"""Import of a real-format terrain: joins, report figures, bad input, saving.

Expected values are worked out by hand in tests/fixtures/importer/README.md.
"""

import csv
import io
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

import kansenkaart as kk
from kansenkaart.cli import main
from kansenkaart.core.address import normalise_house_number
from kansenkaart.core.schema import BOUNDARY
from kansenkaart.io import importer
from kansenkaart.io.readers import read_csv_text, read_layer
from tests.fixtures.importer.bag_fixture import pand_id, write_gpkg

FIXTURES = Path(__file__).parent / "fixtures" / "importer"
ADDRESSES = FIXTURES / "adressenlijst.csv"
BOUNDARY_FILE = FIXTURES / "terreingrens.geojson"


@pytest.fixture(scope="module")
def bag(tmp_path_factory) -> Path:
    return write_gpkg(tmp_path_factory.mktemp("bag") / "bag.gpkg")


@pytest.fixture(scope="module")
def full(bag) -> importer.ImportResult:
    """Every input of the fixture terrain (shared: tests only read it)."""
    return importer.import_terrain(
        ADDRESSES,
        [bag],
        ep_online=FIXTURES / "ep_online.csv",
        survey=FIXTURES / "enquete.csv",
        kleinverbruik=FIXTURES / "kleinverbruik_enexis.csv",
        boundary=BOUNDARY_FILE,
        today=pd.Timestamp("2024-05-01").date(),
    )


def _address_rows() -> list[list[str]]:
    text = ADDRESSES.read_bytes().decode("cp1252")
    return [line.split(";") for line in text.strip().splitlines()]


def _figure(result, role: str) -> str:
    return result.report.section(role).figures[0].text


# ------------------------------------------------------------------ report


def test_report_gives_the_match_figures(full):
    texts = [f.text for f in full.report.figures]
    assert texts == [
        "5 van 8 adressen gekoppeld aan een BAG-pand",
        "3 van 6 panden met een energielabel",
        "4 van 6 panden met een geschat elektriciteitsverbruik",
        "3 van 6 panden met een geschat gasverbruik",
        "2 van 3 enquêteantwoorden gekoppeld aan een pand",
    ]
    assert [s.title for s in full.report.sections] == [
        "Terreingrens",
        "Adressenlijst",
        "BAG",
        "EP-online",
        "Kleinverbruik",
        "Enquête",
    ]


def test_report_names_rows_to_fix(full):
    section = full.report.section("addresses")
    problems = {(p.row, p.column): p for p in section.problems}
    assert "dubbel" in problems[(9, None)].message  # row 9 repeats row 2
    assert "zonder huisletter of toevoeging" in problems[(10, "huisnummer")].message
    unmatched = section.unmatched
    assert unmatched["rij"].tolist() == [6, 7, 8]
    assert unmatched["bedrijfsnaam"].tolist() == [
        "Buiten BV",
        "Onbekend Adres BV",
        "Foute Postcode",
    ]
    assert unmatched["reden"].tolist() == [
        "het pand ligt buiten de terreingrens",
        "adres niet gevonden in het BAG-bestand",
        "postcode is ongeldig (verwacht 1234 AB)",
    ]
    assert unmatched["oplossing"].notna().all()
    text = full.report.to_text()
    assert "5 van 8 adressen gekoppeld aan een BAG-pand" in text
    assert "niet_gekoppeld_adressenlijst.csv" in text
    assert "postcodereeks" in text and "geen gemeten verbruik" in text


def test_unmatched_rows_download_as_csv_for_dutch_excel(full):
    data = importer.excel_csv(full.report.section("addresses").unmatched)
    assert data.startswith(b"\xef\xbb\xbf")
    header = data.decode("utf-8-sig").splitlines()[0]
    assert header.split(";")[:3] == ["rij", "bedrijfsnaam", "postcode"]
    risky = pd.DataFrame({"bedrijf": ["=HYPERLINK(1)", "-2", "Gewoon"]})
    lines = importer.excel_csv(risky).decode("utf-8-sig").splitlines()
    assert lines[1:] == ["'=HYPERLINK(1)", "'-2", "Gewoon"]


# ------------------------------------------------------------------- joins


def test_several_companies_in_one_pand_are_all_kept(full):
    b = full.buildings.set_index("building_id")
    assert b.loc[pand_id(1), "company"] == "Bakker Metaal BV; Visser Advies"
    assert b.loc[pand_id(1), "n_companies"] == 2
    assert b.loc[pand_id(1), "kvk_number"] == "01234567; 87654321"  # zero back
    assert b.loc[pand_id(1), "address"] == (
        "Industrieweg 1, Roden; Industrieweg 1A, Roden"
    )
    assert b.loc[pand_id(3), "company"] == "Mulder Techniek; Kramer Opslag"
    assert b.loc[pand_id(2), "company"] == "Café Één"  # cp1252 read right


def test_pand_without_company_or_address_stays_as_unknown(full):
    b = full.buildings.set_index("building_id")
    assert len(b) == 6
    assert (
        pd.isna(b.loc[pand_id(4), "company"]) and b.loc[pand_id(4), "n_companies"] == 0
    )
    assert pd.isna(b.loc[pand_id(4), "address"])  # a shed without address
    assert pd.isna(b.loc[pand_id(5), "company"])
    assert b.loc[pand_id(5), "address"] == "Ambachtsweg 2, Roden"  # from BAG
    assert "op de kaart met bedrijf 'onbekend'" in " ".join(
        full.report.section("bag").notes
    )
    assert "Panden zonder bedrijf uit de adressenlijst: 3" in " ".join(
        full.report.section("bag").notes
    )


def test_bag_figures_per_pand(full):
    b = full.buildings.set_index("building_id")
    assert b.loc[pand_id(1), "floor_area_m2"] == 750.0  # 600 + 150
    assert b.loc[pand_id(1), "office_area_m2"] == 150.0  # object 1A only
    assert pd.isna(b.loc[pand_id(2), "office_area_m2"])  # mixed use, not split
    assert b.loc[pand_id(5), "office_area_m2"] == 0.0
    assert b.loc[pand_id(1), "building_use"] == "industriefunctie,kantoorfunctie"
    assert b.loc[pand_id(1), "footprint_m2"] == 800.0
    assert pd.isna(b.loc[pand_id(2), "construction_year"])


def test_labels_and_kleinverbruik_land_on_the_panden(full):
    b = full.buildings.set_index("building_id")
    assert b["energy_label"].fillna("-").tolist() == ["G", "C", "-", "-", "A", "-"]
    assert b["elec_kwh_yr"].fillna(-1).tolist() == [16800, 8400, 8400, -1, 5200, -1]
    assert b["gas_m3_yr"].fillna(-1).tolist() == [4301, 2150, 2150, -1, -1, -1]
    assert b["elec_source"].fillna("-").tolist() == [
        "geschat",
        "geschat",
        "geschat",
        "-",
        "geschat",
        "-",
    ]
    assert b.loc[pand_id(1), "consumption_basis"] == "postcodegemiddelde kleinverbruik"


def test_survey_mapped_and_linked_to_panden(full):
    survey = full.survey
    assert survey["building_id"].tolist()[:2] == [pand_id(1), pand_id(1)]
    assert pd.isna(survey["building_id"].iloc[2])
    assert survey["interest_zon_eigen_dak"].tolist() == ["ja", "misschien", "nee"]
    assert survey["collective_willingness"].tolist() == [4, 3, 1]
    assert survey["consent_werksessie"].tolist() == [True, False, False]
    unmatched = full.report.section("survey").unmatched
    assert unmatched["Bedrijfsnaam"].tolist() == ["Niet Hier BV"]


def test_survey_from_excel_is_mapped_the_same(tmp_path, bag, full):
    path = tmp_path / "enquete.xlsx"
    pd.read_csv(FIXTURES / "enquete.csv", sep=";", dtype=str).to_excel(
        path, index=False
    )
    result = importer.import_terrain(ADDRESSES, [bag], survey=path)
    pd.testing.assert_frame_equal(result.survey, full.survey)


def test_suggest_mapping_matches_differently_named_headers():
    headers = pd.read_csv(FIXTURES / "enquete.csv", sep=";", nrows=0).columns
    assert importer.suggest_mapping([*headers, "Opmerkingen"]) == {
        "Bedrijfsnaam": "company",
        "Postcode": "postcode",
        "Huisnr.": "house_number",
        "Rol": "respondent_role",
        "Interesse zonnepanelen eigen dak": "interest_zon_eigen_dak",
        "Interesse LED": "interest_led",
        "Bereidheid collectief (1-5)": "collective_willingness",
        "Toestemming tonen werksessie": "consent_werksessie",
        "Opmerkingen": None,
    }


def test_a_mapping_chosen_by_hand_overrides_the_suggestion(bag):
    mapping = importer.suggest_mapping(
        list(pd.read_csv(FIXTURES / "enquete.csv", sep=";", nrows=0).columns)
    )
    mapping["Interesse LED"] = None
    mapping["Interesse zonnepanelen eigen dak"] = "interest_warmtepomp"
    result = importer.import_terrain(
        ADDRESSES, [bag], survey=FIXTURES / "enquete.csv", survey_mapping=mapping
    )
    assert result.survey["interest_led"].isna().all()
    assert result.survey["interest_warmtepomp"].tolist() == ["ja", "misschien", "nee"]


def test_terrain_name_and_cluster_from_the_ibis_boundary(full):
    assert full.meta["name"] == "Bitseveld (testterrein)"
    assert full.meta["id"] == "bitseveld-testterrein"
    assert full.meta["demo"] is False
    assert full.meta["imported"] == "2024-05-01"
    assert full.boundary["ibis_id"].tolist() == ["1699TEST"]


def test_given_name_and_municipality_win(bag):
    result = importer.import_terrain(
        ADDRESSES, [bag], name="Westerd", municipality="Noordenveld"
    )
    assert (result.meta["name"], result.meta["cluster"]) == ("Westerd", "A")
    assert result.boundary is None
    # Without a boundary the pand outside it comes along: 6 of 8 then.
    assert _figure(result, "addresses") == "6 van 8 adressen gekoppeld aan een BAG-pand"


# ------------------------------------------------------- address list formats


def test_excel_address_list_gives_the_same_links(tmp_path, bag, full):
    rows = _address_rows()
    table = pd.DataFrame(rows[1:], columns=rows[0])
    table["kvk"] = pd.to_numeric(table["kvk"])  # Excel drops the leading zero
    path = tmp_path / "adressen.xlsx"
    table.to_excel(path, index=False)
    result = importer.import_terrain(path, [bag], boundary=BOUNDARY_FILE)
    assert _figure(result, "addresses") == _figure(full, "addresses")
    pd.testing.assert_series_equal(
        result.buildings["company"], full.buildings["company"]
    )
    assert result.buildings["kvk_number"].iloc[0] == "01234567; 87654321"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_comma_separated_list_in_any_encoding(tmp_path, bag, encoding, full):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(_address_rows())
    path = tmp_path / "adressen.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    result = importer.import_terrain(path, [bag], boundary=BOUNDARY_FILE)
    assert _figure(result, "addresses") == "5 van 8 adressen gekoppeld aan een BAG-pand"
    assert "Café Één" in set(result.buildings["company"].dropna())


def test_separate_street_letter_and_addition_columns(tmp_path, bag):
    path = tmp_path / "adressen.csv"
    path.write_text(
        "Bedrijf;Straat;Huisnummer;Huisletter;Toevoeging;Plaats\n"
        "Visser Advies;Industrieweg;1;a;;Roden\n"
        "Mulder Techniek;Industrieweg;5;;2;Roden\n",
        encoding="utf-8",
    )
    result = importer.import_terrain(path, [bag], boundary=BOUNDARY_FILE)
    assert _figure(result, "addresses") == "2 van 2 adressen gekoppeld aan een BAG-pand"
    companies = result.buildings.set_index("building_id")["company"]
    assert companies[pand_id(1)] == "Visser Advies"
    assert companies[pand_id(3)] == "Mulder Techniek"


def test_bag_ids_in_the_list_link_directly(tmp_path, bag):
    path = tmp_path / "adressen.csv"
    path.write_text(
        "bedrijf;bag_pand_id;verblijfsobject_id\n"
        f"Loods BV;{pand_id(4)};\n"
        "Kantoor BV;;150010000000004\n"  # leading zero lost in Excel
        "Fout BV;0150100000009999;\n",
        encoding="utf-8",
    )
    result = importer.import_terrain(path, [bag], boundary=BOUNDARY_FILE)
    companies = result.buildings.set_index("building_id")["company"]
    assert companies[pand_id(4)] == "Loods BV"
    assert companies[pand_id(3)] == "Kantoor BV"
    unmatched = result.report.section("addresses").unmatched
    assert unmatched["reden"].tolist() == ["BAG-id niet gevonden in het BAG-bestand"]


def test_boundary_in_wgs84_gives_the_same_terrain(tmp_path, bag, full):
    wgs84 = tmp_path / "grens.geojson"
    gpd.read_file(BOUNDARY_FILE).to_crs("EPSG:4326").to_file(wgs84, driver="GeoJSON")
    result = importer.import_terrain(ADDRESSES, [bag], boundary=wgs84)
    assert sorted(result.buildings["building_id"]) == sorted(
        full.buildings["building_id"]
    )


def test_drawn_boundary_without_attributes_gets_the_terrain_name(tmp_path, bag):
    drawn = tmp_path / "getekend.geojson"
    gpd.read_file(BOUNDARY_FILE)[["geometry"]].to_file(drawn, driver="GeoJSON")
    result = importer.import_terrain(ADDRESSES, [bag], boundary=drawn, name="Westerd")
    assert result.boundary["name"].tolist() == ["Westerd"]
    assert len(result.buildings) == 6


# --------------------------------------------------------------- bad input


def test_empty_address_list_is_refused(tmp_path, bag):
    path = tmp_path / "adressen.csv"
    path.write_bytes(b"")
    with pytest.raises(kk.DataError, match="leeg"):
        importer.import_terrain(path, [bag])


def test_wrong_file_types_renamed_are_recognised(tmp_path, bag):
    renamed_excel = tmp_path / "adressen.csv"
    renamed_excel.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    with pytest.raises(kk.DataError, match="geen tekstbestand"):
        importer.import_terrain(renamed_excel, [bag])
    renamed_csv = tmp_path / "adressen.xlsx"
    renamed_csv.write_bytes(ADDRESSES.read_bytes())
    with pytest.raises(kk.DataError, match="geen geldig Excel-bestand"):
        importer.import_terrain(renamed_csv, [bag])


def test_mixed_separators_name_the_row(tmp_path, bag):
    path = tmp_path / "adressen.csv"
    path.write_text(
        "bedrijf;postcode;huisnummer\nA;9301ZZ;1\nB,9301ZZ;3;x;y\n", encoding="utf-8"
    )
    with pytest.raises(kk.DataError, match="rij 3 heeft 4 velden"):
        importer.import_terrain(path, [bag])


def test_missing_company_column_suggests_the_header(tmp_path, bag):
    path = tmp_path / "adressen.csv"
    path.write_text("Bedrijf_nm;postcode;huisnummer\nA;9301ZZ;1\n", encoding="utf-8")
    with pytest.raises(kk.DataError) as err:
        importer.import_terrain(path, [bag])
    (problem,) = err.value.problems
    assert problem.message == "de kolom 'bedrijf' ontbreekt."
    assert problem.fix == "hernoem kolom 'bedrijf_nm' naar 'bedrijf'."


def test_list_without_address_columns_is_refused(tmp_path, bag):
    path = tmp_path / "adressen.csv"
    path.write_text("bedrijf;plaats\nA;Roden\n", encoding="utf-8")
    with pytest.raises(kk.DataError, match="er is geen adres"):
        importer.import_terrain(path, [bag])


def test_every_unusable_file_is_named_at_once(tmp_path, bag):
    addresses = tmp_path / "adressen.csv"
    addresses.write_bytes(b"")
    kleinverbruik = tmp_path / "kv.csv"
    kleinverbruik.write_text("POSTCODE_VAN;POSTCODE_TOT\n9301AA;9301AB\n")
    with pytest.raises(kk.DataError) as err:
        importer.import_terrain(addresses, [bag], kleinverbruik=kleinverbruik)
    files = {p.file for p in err.value.problems}
    assert files == {"adressen.csv", "kv.csv"}


def test_invalid_survey_answer_is_reported_with_row(tmp_path, bag):
    survey = tmp_path / "enquete.csv"
    survey.write_text(
        "bedrijf;postcode;huisnummer;bereidheid_collectief\nA;9301ZZ;1;7\n",
        encoding="utf-8",
    )
    result = importer.import_terrain(ADDRESSES, [bag], survey=survey)
    problem = result.report.section("survey").problems[0]
    assert (problem.file, problem.row, problem.column) == (
        "enquete.csv",
        2,
        "bereidheid_collectief",
    )
    assert pd.isna(result.survey["collective_willingness"].iloc[0])


# ----------------------------------------------------------------- saving


def test_written_folder_loads_as_a_terrain(tmp_path, full):
    folder = importer.write_terrain(full, tmp_path / "terrein")
    assert {p.name for p in folder.iterdir()} == {
        "buildings.geojson",
        "boundary.geojson",
        "survey.csv",
        "projects.csv",
        "terrain.json",
        "importverslag.txt",
        "niet_gekoppeld_adressenlijst.csv",
        "niet_gekoppeld_enquete.csv",
    }
    terrain = kk.load_terrain(folder)
    assert terrain.name == "Bitseveld (testterrein)"
    assert not terrain.is_demo
    assert len(terrain.buildings) == 6
    assert terrain.buildings["energy_label"].notna().sum() == 3
    assert terrain.survey["building_id"].notna().sum() == 2
    assert terrain.cluster == "A" and len(terrain.projects) > 0
    assert "5 van 8" in (folder / "importverslag.txt").read_text(encoding="utf-8")


def test_terrain_zip_loads_from_bytes_and_can_be_analysed(full):
    terrain = kk.load_terrain(importer.terrain_zip(full))
    assert terrain.id == "bitseveld-testterrein"
    analysed = kk.analyse(terrain).buildings
    assert len(analysed) == 6
    sources = analysed.set_index("building_id")["demand_source"]
    assert sources[pand_id(1)] == "geschat"  # a postcode average, never measured


def test_existing_folder_is_not_overwritten_without_asking(tmp_path, full):
    folder = tmp_path / "terrein"
    folder.mkdir()
    (folder / "buildings.geojson").write_text("oud")
    with pytest.raises(kk.DataError, match="bestaat al"):
        importer.write_terrain(full, folder)
    assert (folder / "buildings.geojson").read_text() == "oud"
    importer.write_terrain(full, folder, overwrite=True)
    assert len(kk.load_terrain(folder).buildings) == 6


def test_failed_import_leaves_the_previous_terrain_untouched(tmp_path, bag, full):
    target = tmp_path / "terrein.zip"
    importer.save_terrain(full, target)
    before = target.read_bytes()
    broken = tmp_path / "adressen.csv"
    broken.write_bytes(b"")
    code = main(
        ["import", "--addresses", str(broken), "--bag", str(bag), "-o", str(target)]
    )
    assert code == 1
    assert target.read_bytes() == before


def test_cli_import_writes_a_zip_and_prints_the_report(tmp_path, bag, capsys):
    target = tmp_path / "uit" / "bitseveld.zip"
    code = main(
        [
            "import",
            "--addresses",
            str(ADDRESSES),
            "--bag",
            str(bag),
            "--ep-online",
            str(FIXTURES / "ep_online.csv"),
            "--kleinverbruik",
            str(FIXTURES / "kleinverbruik_komma.csv"),
            "--boundary",
            str(BOUNDARY_FILE),
            "-o",
            str(target),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "5 van 8 adressen gekoppeld aan een BAG-pand" in out
    assert "Terrein geschreven" in out
    assert len(kk.load_terrain(target).buildings) == 6
    assert main(["import", "--addresses", str(ADDRESSES), "--bag", str(bag), "-o",
                 str(target)]) == 1  # fmt: skip
    assert "bestaat al" in capsys.readouterr().err


def test_uploads_need_addresses_and_bag_and_get_safe_names(bag):
    with pytest.raises(kk.DataError, match="Adressenlijst en BAG"):
        importer.import_uploads({"survey": [("e.csv", b"x")]})
    result = importer.import_uploads(
        {
            "addresses": [("../../adressen lijst.csv", ADDRESSES.read_bytes())],
            "bag": [("bag.gpkg", bag.read_bytes())],
        }
    )
    assert result.report.section("addresses").file == "adressen_lijst.csv"


def test_file_columns_for_the_mapping_step():
    data = (FIXTURES / "enquete.csv").read_bytes()
    assert importer.file_columns("enquete.csv", data)[:3] == [
        "Bedrijfsnaam",
        "Postcode",
        "Huisnr.",
    ]


# ----------------------------------------------- small shared extensions


def test_read_csv_text_skips_preamble_and_counts_it_in_rows():
    text = "Peildatum 2024\nBron\na;b\n1;2\n3;4;5;6\n"
    with pytest.raises(kk.DataError, match="rij 5 heeft 4 velden") as err:
        read_csv_text(text, "ep.csv", skip_lines=2)
    assert err.value.problems[0].row == 5
    table = read_csv_text("x\na;b\n1;2\n", "ep.csv", skip_lines=1)
    assert table.to_dict("list") == {"a": ["1"], "b": ["2"]}


def test_read_layer_fills_a_missing_column_from_defaults(tmp_path):
    drawn = tmp_path / "grens.geojson"
    drawn.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [[[6.44, 53.13], [6.45, 53.13],
                                             [6.45, 53.14], [6.44, 53.13]]],
                        },
                    }
                ],
            }
        )
    )  # fmt: skip
    layer, _ = read_layer(drawn, BOUNDARY, {"name": "Getekend"})
    assert layer["name"].tolist() == ["Getekend"]
    named, _ = read_layer(BOUNDARY_FILE, BOUNDARY, {"name": "Getekend"})
    assert named["name"].tolist() == ["Bitseveld (testterrein)"]


def test_house_number_additions_with_separators_agree():
    numbers = normalise_house_number(pd.Series(["12A-1", "12 a 1", "12a1", "5-2"]))
    assert numbers.tolist() == ["12A1", "12A1", "12A1", "52"]
