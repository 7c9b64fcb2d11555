"""EP-online labels: formats, newest label per object, label per pand."""

import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import kansenkaart as kk
from kansenkaart.io.bag import read_bag
from kansenkaart.io.eponline import (
    labels_per_pand,
    newest_labels,
    parse_dates,
    preamble_lines,
    read_ep_online,
)
from kansenkaart.io.readers import MAX_ZIP_MEMBERS
from tests.fixtures.importer.bag_fixture import pand_id, vbo_id, write_gpkg

FIXTURES = Path(__file__).parent / "fixtures" / "importer"
CURRENT = FIXTURES / "ep_online.csv"
PEILDATUM = date(2024, 5, 1)  # "Peildatum;01-05-2024" in the fixture
OLD = FIXTURES / "ep_online_oud.csv"


@pytest.fixture
def bag(tmp_path):
    return read_bag([write_gpkg(tmp_path / "bag.gpkg")])


def test_current_format_with_bom_and_preamble():
    assert CURRENT.read_bytes()[:3] == b"\xef\xbb\xbf"
    ep = read_ep_online(CURRENT)
    assert len(ep.labels) == 6  # 8 registrations, 2 unusable
    first = ep.labels.iloc[0]
    assert first["vbo_id"] == vbo_id(1)
    assert first["pand_ids"] == pand_id(1)
    assert first["registered"] == pd.Timestamp("2015-03-12")
    assert first["energy_label"] == "D"
    assert "na 2 inleidende regels" in ep.notes[0]


def test_unusable_rows_are_reported_with_file_row_and_column():
    problems = read_ep_online(CURRENT).problems
    # Line 1-2 preamble, line 3 header: the 7th and 8th registration are on
    # lines 10 and 11.
    assert [(p.row, p.column) for p in problems] == [
        (10, "Energieklasse"),
        (11, "Registratiedatum"),
    ]
    assert "'X' is geen energieklasse" in problems[0].message
    assert "'morgen' is geen datum" in problems[1].message


def test_old_pand_columns_give_the_same_registrations():
    new = read_ep_online(CURRENT).labels.iloc[:5]
    old = read_ep_online(OLD).labels
    columns = ["vbo_id", "pand_ids", "postcode", "house_number", "registered"]
    pd.testing.assert_frame_equal(old[columns], new[columns])
    assert old["energy_label"].tolist() == ["D", "B", "G", "C", "A"]


def test_zip_with_the_csv_inside(tmp_path):
    path = tmp_path / "v20240501_v2_csv.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(CURRENT, "v20240501_v2.csv")
    ep = read_ep_online(path)
    assert ep.file == "v20240501_v2_csv.zip/v20240501_v2.csv"
    assert len(ep.labels) == 6


def test_zip_without_csv_is_refused(tmp_path):
    path = tmp_path / "ep.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("labels.xml", "<xml/>")
    with pytest.raises(kk.DataError, match="geen CSV"):
        read_ep_online(path)


def test_zip_with_too_many_members_is_refused_before_extracting(tmp_path):
    path = tmp_path / "ep.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(MAX_ZIP_MEMBERS + 1):
            archive.writestr(f"deel{i}.csv", "x")
    with pytest.raises(kk.DataError, match=f"bevat {MAX_ZIP_MEMBERS + 1} bestanden"):
        read_ep_online(path)


def test_zip_member_above_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("kansenkaart.io.readers.MAX_FILE_BYTES", 500)
    path = tmp_path / "ep.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ep.csv", "Registratiedatum;Energieklasse\n" * 100)
    assert path.stat().st_size < 500  # small packed, large unpacked
    with pytest.raises(kk.DataError, match="uitgepakt groter dan"):
        read_ep_online(path)


def test_file_above_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("kansenkaart.io.readers.MAX_FILE_BYTES", 100)
    with pytest.raises(kk.DataError, match="de grens is 0 MB"):
        read_ep_online(CURRENT)


def test_broken_zip_and_renamed_excel_are_refused(tmp_path):
    broken = tmp_path / "ep.zip"
    broken.write_bytes(b"geen zip")
    with pytest.raises(kk.DataError, match="geen geldig zipbestand"):
        read_ep_online(broken)
    renamed = tmp_path / "ep.csv"
    renamed.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    with pytest.raises(kk.DataError, match="geen tekstbestand"):
        read_ep_online(renamed)


def test_file_without_label_columns_names_them(tmp_path):
    path = tmp_path / "ep.csv"
    path.write_text("Postcode;Huisnummer\n9301ZZ;1\n", encoding="utf-8")
    with pytest.raises(kk.DataError) as err:
        read_ep_online(path)
    assert {p.column for p in err.value.problems} == {
        "Registratiedatum",
        "Energieklasse",
    }


def test_preamble_detection_and_date_formats():
    assert preamble_lines("a\nb\nRegistratiedatum;Energieklasse\n") == 2
    assert preamble_lines("Pand_registratiedatum;Pand_energieklasse\n") == 0
    assert preamble_lines("x;y\n1;2\n") == 0
    dates = parse_dates(
        pd.Series(["20230514", "2023-05-14", "14-05-2023", "14/05/2023 10:00", "x"])
    )
    assert dates.iloc[:4].tolist() == [pd.Timestamp("2023-05-14")] * 4
    assert pd.isna(dates.iloc[4])


def test_newest_label_per_object_by_registration_date():
    labels = pd.DataFrame(
        {
            "registered": pd.to_datetime(
                ["2021-01-01", "2015-01-01", "2023-06-01", "2019-01-01"]
            ),
            "energy_label": ["B", "E", "A", "C"],
        }
    )
    key = pd.Series(["x", "x", "y", "x"])
    newest = newest_labels(labels, key).set_index("key")["energy_label"]
    assert newest.to_dict() == {"x": "B", "y": "A"}
    assert labels["energy_label"].tolist() == ["B", "E", "A", "C"]  # not modified


def test_pand_gets_the_worst_current_label_of_its_objects(bag):
    labels, n_objects = labels_per_pand(
        read_ep_online(CURRENT).labels,
        bag.vbo,
        bag.panden["pand_id"],
        reference_date=PEILDATUM,
    )
    by_pand = labels.set_index("pand_id")
    # Pand 1: object 1 D (2015) -> B (2022); object 1A G (2019): worst is G.
    assert by_pand.loc[pand_id(1), "energy_label"] == "G"
    assert by_pand.loc[pand_id(1), "energy_label_date"] == pd.Timestamp("2019-01-01")
    assert by_pand.loc[pand_id(2), "energy_label"] == "C"  # by postcode + number
    assert by_pand.loc[pand_id(5), "energy_label"] == "A"  # by BAGPandIDs only
    assert by_pand.loc[pand_id(6), "energy_label"] == "A++"  # no boundary here
    assert len(by_pand) == 4
    assert n_objects == 5


def test_labels_of_panden_off_the_terrain_are_left_out(bag):
    terrain = pd.Series([pand_id(1), pand_id(2)])
    labels, n_objects = labels_per_pand(
        read_ep_online(CURRENT).labels, bag.vbo, terrain, reference_date=PEILDATUM
    )
    assert sorted(labels["pand_id"]) == [pand_id(1), pand_id(2)]
    assert n_objects == 3  # objects 1, 1A and 3


HEADER = (
    "Registratiedatum;Opnamedatum;GeldigTot;Postcode;Huisnummer;Huisletter;"
    "Huisnummertoevoeging;BAGVerblijfsobjectID;BAGPandIDs;Gebouwklasse;"
    "Energieklasse\n"
)
"""Column names of the current download (RVO EP-online 'Energielabels',
PascalCase with ``GeldigTot``); the rows below are made up for the rules."""


def _ep(tmp_path, rows: list[str], name="ep.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return read_ep_online(path)


def test_an_expired_label_does_not_count_and_the_valid_older_one_does(tmp_path, bag):
    ep = _ep(
        tmp_path,
        [
            # object 1: B registered 2012, valid until 2022 -> expired in 2024;
            "20120101;20111201;20220101;9301ZZ;1;;;0150010000000001;;U;B",
            # object 1A: F (2016, no GeldigTot -> 2026) still valid.
            "20160301;20160201;;9301ZZ;1;A;;0150010000000002;;U;F",
            # object 3 (pand 2): label registered after the peildatum.
            "20250101;20241201;20350101;9301ZZ;3;;;;;U;A",
        ],
    )
    assert ep.labels["valid_until"].tolist()[:2] == [
        pd.Timestamp("2022-01-01"),
        pd.Timestamp("2026-03-01"),  # registration + 10 years
    ]
    labels, n_objects = labels_per_pand(
        ep.labels, bag.vbo, bag.panden["pand_id"], reference_date=PEILDATUM
    )
    assert labels.set_index("pand_id")["energy_label"].to_dict() == {pand_id(1): "F"}
    assert n_objects == 1
    later, _ = labels_per_pand(
        ep.labels, bag.vbo, bag.panden["pand_id"], reference_date=date(2026, 6, 1)
    )
    assert later.set_index("pand_id")["energy_label"].to_dict() == {pand_id(2): "A"}


def test_old_files_give_the_validity_in_meting_geldig_tot():
    labels = read_ep_online(OLD).labels
    assert labels["valid_until"].iloc[0] == pd.Timestamp("2025-03-12")


def test_prefixed_ids_and_lists_of_panden(tmp_path, bag):
    ep = _ep(
        tmp_path,
        [
            "20230101;;;;;;;NL.IMBAG.Verblijfsobject.0150010000000006;;U;D",
            '20230101;;;;;;;;"[NL.IMBAG.Pand.0150100000000005, 150100000000003]";U;E',
        ],
    )
    assert ep.labels["vbo_id"].iloc[0] == vbo_id(6)
    assert ep.labels["pand_ids"].iloc[1] == f"{pand_id(5)},{pand_id(3)}"
    labels, _ = labels_per_pand(
        ep.labels, bag.vbo, bag.panden["pand_id"], reference_date=PEILDATUM
    )
    by_pand = labels.set_index("pand_id")["energy_label"]
    assert by_pand[pand_id(3)] == "E"
    assert by_pand[pand_id(5)] == "E"


def test_xlsx_download_with_title_rows(tmp_path):
    rows = [
        ["Peildatum", "01-05-2024", None],
        [None, None, None],
        ["Registratiedatum", "Energieklasse", "BAGVerblijfsobjectID"],
        ["20220601", "B", "0150010000000001"],
        ["20190101", "X", "0150010000000002"],
    ]
    path = tmp_path / "ep.xlsx"
    pd.DataFrame(rows).to_excel(path, header=False, index=False)
    ep = read_ep_online(path)
    assert ep.labels["energy_label"].tolist() == ["B"]
    [problem] = ep.problems
    assert (problem.row, problem.column) == (5, "Energieklasse")
    assert problem.file == "ep.xlsx"


def test_import_report_states_the_rule_and_the_peildatum(tmp_path):
    from kansenkaart.io.eponline import PAND_RULE
    from kansenkaart.io.importer import import_terrain

    result = import_terrain(
        FIXTURES / "adressenlijst.csv",
        [write_gpkg(tmp_path / "bag.gpkg")],
        ep_online=CURRENT,
        today=PEILDATUM,
    )
    notes = result.report.section("ep_online").notes
    assert PAND_RULE in notes
    assert "slechtste geldige label" in PAND_RULE
    assert any(n.startswith("Peildatum 01-05-2024: 0 registraties") for n in notes)
