"""Kleinverbruik per postcode range: reading and apportioning by hand."""

import csv
from pathlib import Path

import pandas as pd
import pytest

import kansenkaart as kk
from kansenkaart.io import importer
from kansenkaart.io.kleinverbruik import apportion, read_kleinverbruik, terrain_notes
from tests.fixtures.importer.bag_fixture import write_gpkg

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


# ------------------------------------------------- real published samples

REAL = Path(__file__).parent / "fixtures" / "real" / "kleinverbruik"
REAL_FILES = {
    # file: (encoding, separator) as published, see tests/fixtures/real/README.md
    "liander_2009_tab.csv": ("cp1252", "\t"),
    "liander_2010_puntkomma.csv": ("cp1252", ";"),
    "liander_2026_sja.csv": ("utf-8", "\t"),
    "westland_2011_tab.csv": ("utf-8", "\t"),
    "westland_2024_tab.csv": ("utf-8", "\t"),
}


def _text_rows(name: str) -> list[dict[str, str]]:
    """The file's rows parsed with the standard library alone."""
    encoding, sep = REAL_FILES[name]
    with open(REAL / name, encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh, delimiter=sep))


def _dutch(text: str) -> float:
    return float(text.replace(",", "."))


@pytest.mark.parametrize("name", sorted(REAL_FILES))
def test_every_row_of_a_real_file_loads_with_the_numbers_of_its_text(name):
    rows = _text_rows(name)
    kv = read_kleinverbruik(REAL / name)
    assert kv.problems == ()
    assert len(kv.ranges) == len(rows)
    first = next(k for k in ("POSTCODE_VAN", "POSTCODE") if k in rows[0])
    count = next(k for k in rows[0] if k.lower().replace("_", " ").startswith("aan"))
    average = next(k for k in ("SJV", "SJA_GEMIDDELD") if k in rows[0])
    expected = [
        (r[first], r["PRODUCTSOORT"], _dutch(r[count]), _dutch(r[average]))
        for r in rows
    ]
    products = {"elec": "ELK", "gas": "GAS"}
    got = [
        (r.postcode_from, products[r.product], r.connections, r.average)
        for r in kv.ranges.itertuples()
    ]
    assert got == expected


def test_liander_2009_old_headers_tab_and_windows_1252():
    kv = read_kleinverbruik(REAL / "liander_2009_tab.csv")
    r = kv.ranges.set_index(["postcode_from", "product"])
    # "De Ruyterkade 1011AB ... ELK KVB 23 100 78,26 100 43 3x25 14761"
    assert r.loc[("1011AB", "elec"), "connections"] == 23
    assert r.loc[("1011AB", "elec"), "average"] == 14761
    # "%Leveringsrichting" 99,91 is a fraction 0.9991 of connections with net take-off
    assert r.loc[("9873TJ", "elec"), "delivery_share"] == pytest.approx(0.9991)
    assert r.loc[("1104DN", "elec"), "street"] == "´s Gravendijkdreef 1 BA"
    assert "'SJV' als SJV_GEMIDDELD" in kv.notes[1]
    assert "postcodes 1000 AA–9999 QQ" in kv.notes[0]


def test_liander_2010_semicolon_gives_its_own_year():
    y2009 = read_kleinverbruik(REAL / "liander_2009_tab.csv").ranges
    y2010 = read_kleinverbruik(REAL / "liander_2010_puntkomma.csv").ranges
    pick = (y2009["postcode_from"] == "1011AC") & (y2009["product"] == "elec")
    assert y2009.loc[pick, "average"].item() == 12139  # 2009 file: 12139
    pick = (y2010["postcode_from"] == "1011AC") & (y2010["product"] == "elec")
    assert y2010.loc[pick, "average"].item() == 12576  # 2010 file: 12576


def test_liander_2026_average_times_connections_is_the_published_total():
    kv = read_kleinverbruik(REAL / "liander_2026_sja.csv")
    totals = [int(r["SJA_TOTAAL"]) for r in _text_rows("liander_2026_sja.csv")]
    product = kv.ranges["average"] * kv.ranges["connections"]
    # SJA_GEMIDDELD is rounded to 2 decimals: within 0,005 per connection
    assert (abs(product - totals) <= 0.005 * kv.ranges["connections"]).all()
    first = kv.ranges.iloc[0]
    assert (first["postcode_from"], first["postcode_to"]) == ("1011AA", "1011AB")
    assert first["average"] == pytest.approx(7686.75)  # "7686,75"
    assert pd.isna(first["delivery_share"])  # not published from 2026


def test_westland_percentages_are_read_as_fractions():
    y2011 = read_kleinverbruik(REAL / "westland_2011_tab.csv")
    y2024 = read_kleinverbruik(REAL / "westland_2024_tab.csv")
    assert y2011.operators == ("8716878999996",)  # NETBEHEERDER is an EAN code
    assert y2011.ranges.loc[0, "delivery_share"] == pytest.approx(0.9655)  # 96,55
    assert y2024.ranges.loc[0, "delivery_share"] == pytest.approx(0.5714)  # 57,14
    assert y2024.ranges.loc[0, "average"] == 5187  # OOSTEINDE 2291AA–2291AE ELK


def _liander_2010_lines() -> list[str]:
    return (REAL / "liander_2010_puntkomma.csv").read_text("cp1252").splitlines()


def test_bom_quotes_comma_and_xlsx_give_the_same_ranges(tmp_path):
    """The real 2010 rows written as Liander's description v1.2 specifies
    (UTF-8 with BOM, text quoted), as comma CSV and as XLSX."""
    lines = _liander_2010_lines()
    rows = list(csv.reader(lines, delimiter=";"))
    quoted = tmp_path / "bom_quotes.csv"
    with open(quoted, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, delimiter="\t", quoting=csv.QUOTE_NONNUMERIC).writerows(rows)
    comma = tmp_path / "komma.csv"
    with open(comma, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=",").writerows(rows)
    xlsx = tmp_path / "kleinverbruik.xlsx"
    pd.DataFrame(rows[1:], columns=rows[0]).to_excel(xlsx, index=False)
    assert quoted.read_bytes()[:4] == b'\xef\xbb\xbf"'
    assert '"46,67"' in comma.read_text()  # decimal comma quoted in a comma CSV
    expected = read_kleinverbruik(REAL / "liander_2010_puntkomma.csv").ranges
    for variant in (quoted, comma, xlsx):
        kv = read_kleinverbruik(variant)
        assert kv.problems == ()
        pd.testing.assert_frame_equal(kv.ranges, expected)


def test_bad_rows_are_reported_and_the_rest_loads(tmp_path):
    lines = _liander_2010_lines()
    fields = [line.split(";") for line in lines]
    fields[2][16] = ""  # SJV of row 3 emptied
    fields[4][4] = "1011 A"  # POSTCODE_VAN of row 5 cut short
    fields[6][4], fields[6][5] = "1011AZ", "1011AA"  # row 7 reversed
    fields[8].append("extra")  # row 9 has one field too many
    path = tmp_path / "liander_2010_bewerkt.csv"
    path.write_text("\n".join(";".join(f) for f in fields) + "\n", encoding="cp1252")
    kv = read_kleinverbruik(path)
    assert len(kv.ranges) == len(lines) - 1 - 4
    where = {(p.row, p.column) for p in kv.problems}
    assert where == {(3, "SJV"), (5, "POSTCODE_VAN"), (7, "POSTCODE_TOT"), (9, None)}
    by_row = {p.row: p for p in kv.problems}
    assert (
        by_row[3].message
        == "(leeg) is geen jaarverbruik (een getal van 0 of meer); rij overgeslagen."
    )
    assert by_row[5].message.startswith("'1011 A' is geen postcode")
    assert "'1011AA' ligt vóór POSTCODE_VAN" in by_row[7].message
    assert "21 velden, de kopregel 20" in by_row[9].message
    assert all(p.file == path.name and p.fix for p in kv.problems)
    # every other row keeps its own values, also after the skipped line 9
    kept = [f for row, f in enumerate(fields[1:], 2) if row not in {3, 5, 7, 9}]
    assert kv.ranges["postcode_from"].tolist() == [f[4] for f in kept]
    assert kv.ranges["average"].tolist() == [float(f[16]) for f in kept]


def test_unknown_header_names_the_real_column_to_map(tmp_path):
    lines = (REAL / "westland_2011_tab.csv").read_text().splitlines()
    path = tmp_path / "westland.csv"
    path.write_text(
        "\n".join(
            [lines[0].replace("Aantal aansluitingen", "Aantal aansl."), *lines[1:]]
        )
    )
    with pytest.raises(kk.DataError) as err:
        read_kleinverbruik(path)
    (problem,) = err.value.problems
    assert problem.column == "AANSLUITINGEN_AANTAL"
    assert problem.fix == "hernoem kolom 'Aantal aansl.' naar 'AANSLUITINGEN_AANTAL'."


def test_file_of_another_kind_lists_its_headers(tmp_path):
    path = tmp_path / "grootverbruik.csv"
    path.write_text("POSTCODE;WTIJD;MJ\n2691PH;13-9-2017 16:00;30826\n")
    with pytest.raises(kk.DataError) as err:
        read_kleinverbruik(path)
    missing = {p.column: p.fix for p in err.value.problems}
    assert set(missing) == {
        "POSTCODE_TOT",
        "PRODUCTSOORT",
        "AANSLUITINGEN_AANTAL",
        "SJV_GEMIDDELD",
    }
    assert missing["SJV_GEMIDDELD"].startswith(
        "het bestand heeft de kolommen 'POSTCODE', 'WTIJD', 'MJ'; hernoem de kolom"
    )


# ------------------------------------------------------- terrain coverage


def test_file_of_another_region_says_so_in_one_line():
    kv = read_kleinverbruik(REAL / "liander_2009_tab.csv")
    notes = terrain_notes(kv, pd.Series(["9401AB", "9405ZZ", None]))
    assert notes == (
        "bestand 'liander_2009_tab.csv' dekt postcodes 1000 AA–9999 QQ; het terrein "
        "ligt in 9401–9405: geen overlap — kies het bestand van de netbeheerder van "
        "dit terrein.",
    )


def test_range_over_a_gap_counts_only_in_the_pc4_of_its_ends():
    """Liander 2009 'Zijl 4214LG–5301AA' (Vuren) does not reach Tilburg (5038)."""
    kv = read_kleinverbruik(REAL / "liander_2009_tab.csv")
    (line,) = terrain_notes(kv, pd.Series(["5038AB"]))
    assert "het terrein ligt in 5038: geen overlap" in line
    vbo = _vbo([("a", "P1", "4214LH", None), ("b", "P2", "5038AB", None)])
    use = apportion(kv.ranges, vbo).set_index("pand_id")
    assert use.loc["P1", "elec_kwh_yr"] == 10871  # Zijl ELK SJV 10871
    assert use.loc["P1", "gas_m3_yr"] == 3232  # Zijl GAS SJV 3232
    assert "P2" not in use.index


def test_netted_averages_are_noted_where_connections_feed_in():
    kv = read_kleinverbruik(REAL / "westland_2024_tab.csv")
    # 2291AB lies in OOSTEINDE 2291AA–2291AE: ELK %Leveringsrichting 57,14
    (note,) = terrain_notes(kv, pd.Series(["2291AB"]))
    assert note.startswith("In 1 van de 1 gebruikte postcodereeksen voor elektriciteit")
    assert "57 %" in note


def test_import_report_opens_with_the_no_overlap_line(tmp_path):
    bag = write_gpkg(tmp_path / "bag.gpkg")
    result = importer.import_terrain(
        FIXTURES / "adressenlijst.csv",
        [bag],
        kleinverbruik=REAL / "liander_2009_tab.csv",
        boundary=FIXTURES / "terreingrens.geojson",
    )
    section = result.report.section("kleinverbruik")
    assert section.notes[0].startswith(
        "bestand 'liander_2009_tab.csv' dekt postcodes 1000 AA–9999 QQ; het terrein "
        "ligt in 9301: geen overlap"
    )
    assert [f.matched for f in section.figures] == [0, 0]
    assert result.buildings["elec_kwh_yr"].isna().all()


def test_unreadable_percentage_is_reported_and_the_row_kept(tmp_path):
    lines = (REAL / "westland_2024_tab.csv").read_bytes().decode().split("\r\n")
    fields = lines[1].split("\t")
    assert fields[11] == "57,14"  # %Leveringsrichting of OOSTEINDE ELK
    fields[11] = "120"
    path = tmp_path / "westland_bewerkt.csv"
    path.write_text("\r\n".join([lines[0], "\t".join(fields), *lines[2:]]))
    kv = read_kleinverbruik(path)
    (problem,) = kv.problems
    assert (problem.row, problem.column) == (2, "%Leveringsrichting")
    assert problem.message.startswith("'120' is geen percentage van 0 tot 100")
    assert len(kv.ranges) == 30
    assert pd.isna(kv.ranges.loc[0, "delivery_share"])
    assert kv.ranges.loc[0, "average"] == 5187


def test_terrain_without_postcodes_is_told_what_is_missing():
    kv = read_kleinverbruik(REAL / "westland_2011_tab.csv")
    (line,) = terrain_notes(kv, pd.Series([None, None], dtype="string"))
    assert line == (
        "bestand 'westland_2011_tab.csv' dekt postcodes 2291 AA–2291 BT; de objecten "
        "op het terrein hebben geen postcode: geen overlap — lever de BAG met "
        "adressen (nummeraanduidingen) aan."
    )
