"""Survey exports as the Leidraad asks them: Microsoft Forms, Google Forms,
SurveyMonkey and Excel (kansenkaart.io.survey.read_survey).

The fixtures in tests/fixtures/survey/ are our own answers written in the
header layouts of real exports (sources in tests/fixtures/survey/README.md);
every expected value below is read off those files, not off the code.
"""

from pathlib import Path

import pandas as pd
import pytest

from kansenkaart.core import schema as sch
from kansenkaart.io import importer
from kansenkaart.io.readers import read_table
from kansenkaart.io.survey import (
    CHOSEN_REASON,
    METADATA_REASON,
    OPTION_REASON,
    UNKNOWN_REASON,
    read_survey,
    suggest_mapping,
)
from tests.fixtures.importer.bag_fixture import write_gpkg
from tests.test_data_laden import _button, _fill, _page, _upload

ROOT = Path(__file__).resolve().parents[1]
SURVEYS = ROOT / "tests" / "fixtures" / "survey"
MS_GAS = "Wat was het gasverbruik van uw bedrijf in het afgelopen jaar (m³)?"
MS_UNUSED = {
    "ID": METADATA_REASON,
    "Begintijd": METADATA_REASON,
    "Tijd van voltooien": METADATA_REASON,
    "E-mail": METADATA_REASON,
    "Naam": METADATA_REASON,
    "Tijd van laatste wijziging": METADATA_REASON,
    "Hoeveel medewerkers heeft uw bedrijf?": UNKNOWN_REASON,
    "Opmerkingen": UNKNOWN_REASON,
}


@pytest.fixture(scope="module")
def ms():
    return read_survey(SURVEYS / "microsoft_forms.xlsx")


def test_microsoft_forms_export_gives_consent_kopgroep_and_interest(ms):
    t = ms.table
    assert ms.layout == "Microsoft Forms"
    assert t["company"].tolist() == [
        "Bakkerij Van Dijk",
        "Garage Hoving",
        "Drukkerij Eelde",
    ]
    # "Ja" / blank / "Weet ik nog niet": only the clear yes is consent.
    assert t["consent_werksessie"].tolist() == [True, False, False]
    assert t["kopgroep_interest"].tolist() == ["ja", "misschien", "nee"]
    # "Zonnepanelen op eigen dak;LED-verlichting;" (Forms' multiple answers).
    assert t.loc[0, "interest_zon_eigen_dak"] == "ja"
    assert t.loc[0, "interest_led"] == "ja"
    assert pd.isna(t.loc[0, "interest_warmtepomp"])  # not ticked: no answer
    assert t.loc[
        1, ["interest_warmtepomp", "interest_collectieve_batterij"]
    ].tolist() == [
        "ja",
        "ja",
    ]
    # "Geen van deze;": nee to every measure.
    assert set(t.loc[2, [f"interest_{m}" for m in sch.SURVEY_MEASURES]]) == {"nee"}
    assert t["collective_willingness"].tolist() == [4, 3, 2]
    assert t["ownership"].tolist() == ["eigenaar-gebruiker", "huurder", "huurder"]
    assert t["row"].tolist() == [2, 3, 4]


def test_microsoft_forms_export_lists_every_unused_column_with_its_reason(ms):
    assert {c.header: c.reason for c in ms.unused} == MS_UNUSED
    assert (
        "Kolom 'Hoeveel medewerkers heeft uw bedrijf?' niet gebruikt: vraag niet "
        "herkend." in ms.unused_notes()
    )
    assert ms.notes[0] == (
        "Herkend als export van Microsoft Forms: 12 kolommen gebruikt, 8 niet gebruikt."
    )


def test_dutch_numbers_and_excel_number_cells(ms):
    # 12500 is an Excel number cell, "1.234,5" and "4.200"/"3.000" are text.
    assert ms.table["elec_kwh_yr"].tolist()[:2] == [12500.0, 1234.5]
    assert ms.table["gas_m3_yr"].iloc[[0, 2]].tolist() == [4200.0, 3000.0]


def test_bad_numbers_are_reported_with_row_and_column(ms):
    gas = [p for p in ms.problems if p.column == MS_GAS]
    assert [(p.file, p.row) for p in gas] == [("microsoft_forms.xlsx", 3)]
    assert "'veel' is geen getal" in gas[0].message
    assert "m³" in gas[0].message and gas[0].fix
    assert pd.isna(ms.table.loc[1, "gas_m3_yr"])


def test_blank_or_unclear_consent_is_no_consent(ms, tmp_path):
    unclear = [p for p in ms.problems if p.row == 4 and "toestemming" in p.message]
    assert unclear and unclear[0].message.startswith("'Weet ik nog niet'")
    assert "ja" in unclear[0].fix
    path = tmp_path / "enquete.csv"
    path.write_text(
        "Postcode;Huisnummer;Mag uw bedrijf getoond worden in de werksessie "
        "(toestemming)?\n9482 WA;3;\n9482 WB;4;misschien\n9482 WC;5;Nee\n",
        encoding="utf-8",
    )
    assert read_survey(path).table["consent_werksessie"].tolist() == [
        False,
        False,
        False,
    ]


def test_no_consent_question_means_no_consent_for_anyone(tmp_path):
    path = tmp_path / "enquete.csv"
    path.write_text("Postcode;Huisnummer;kopgroep\n9482 WA;3;ja\n", encoding="utf-8")
    read = read_survey(path)
    assert not read.table["consent_werksessie"].fillna(False).any()
    assert any("niemand heeft toestemming" in n for n in read.notes)


def test_google_forms_checkbox_list_grid_and_consent_checkbox():
    read = read_survey(SURVEYS / "google_forms.csv")
    t = read.table
    assert read.layout == "Google Forms"
    # "Zonnepanelen op eigen dak, LED-verlichting, Laadpalen" in one cell.
    assert t.loc[0, ["interest_zon_eigen_dak", "interest_led"]].tolist() == ["ja", "ja"]
    assert t.loc[1, "interest_isolatie"] == "ja"
    # Grid "Interesse per maatregel [...]": one column per measure.
    assert t["interest_warmtenet_rwzi"].tolist() == ["ja", "nee"]
    assert t["interest_energiecooperatie"].tolist() == ["misschien", "misschien"]
    # A ticked consent box repeats its sentence; an empty one is no consent.
    assert t["consent_werksessie"].tolist() == [True, False]
    assert t["elec_kwh_yr"].tolist() == [12500.0, 8250.5]
    assert t["ownership"].tolist() == ["eigenaar-gebruiker", "huurder"]
    assert any("'Laadpalen' (1×)" in n for n in read.notes)


def test_a_misspelled_header_still_matches():
    # The Google fixture asks "Wilt u deelnemen aan de kopgoep?" (sic).
    read = read_survey(SURVEYS / "google_forms.csv")
    used = {c.header: c.meaning for c in read.columns}
    assert used["Wilt u deelnemen aan de kopgoep?"] == "kopgroep_interest"
    assert read.table["kopgroep_interest"].tolist() == ["ja", "nee"]
    assert suggest_mapping(
        ["Toestemmnig om de gegevens te tonen", "Elektriciteitsverbuik (kWh)"]
    ) == {
        "Toestemmnig om de gegevens te tonen": "consent_werksessie",
        "Elektriciteitsverbuik (kWh)": "elec_kwh_yr",
    }


def test_surveymonkey_two_header_rows():
    read = read_survey(SURVEYS / "surveymonkey.xlsx")
    t = read.table
    assert read.layout == "SurveyMonkey"
    assert t["row"].tolist() == [3, 4]  # data start under the second header row
    assert t["company"].tolist() == ["Bakkerij Van Dijk", "Garage Hoving"]
    # Row 2 names the option of each checkbox column.
    assert t.loc[0, ["interest_zon_eigen_dak", "interest_warmtepomp"]].tolist() == [
        "ja",
        "ja",
    ]
    assert pd.isna(t.loc[0, "interest_led"])
    assert set(t.loc[1, [f"interest_{m}" for m in sch.SURVEY_MEASURES]]) == {"nee"}
    assert t["kopgroep_interest"].tolist() == ["ja", "nee"]
    assert t["consent_werksessie"].tolist() == [True, False]
    assert t["gas_m3_yr"].tolist() == [4200.0, 1234.5]
    unused = {c.header: c.reason for c in read.unused}
    other = "Voor welke maatregelen heeft u interesse? – Anders (graag specificeren)"
    assert unused[other] == OPTION_REASON
    assert unused["Respondent ID"] == METADATA_REASON
    assert len(unused) == 10  # nine metadata columns and the "Anders" option


def test_duplicate_and_unrelated_columns_are_listed_with_the_reason(tmp_path):
    path = tmp_path / "enquete.xlsx"
    pd.DataFrame(
        {
            "postcode": ["9482 WA"],
            "huisnummer": ["3"],
            "toestemming": ["ja"],
            "Geeft u toestemming voor de werksessie?": ["nee"],
            "Favoriete kleur": ["blauw"],
        }
    ).to_excel(path, index=False)
    read = read_survey(path)
    unused = {c.header: c.reason for c in read.unused}
    assert unused == {
        "Geeft u toestemming voor de werksessie?": "dubbel: al gebruikt voor "
        "'toestemming tonen in werksessie' (kolom 'toestemming')",
        "Favoriete kleur": UNKNOWN_REASON,
    }
    assert read.table["consent_werksessie"].tolist() == [True]


def test_a_changed_suggestion_overrides_the_recognition(ms):
    mapping = suggest_mapping(list(read_table(SURVEYS / "microsoft_forms.xlsx")))
    mapping["Voor welke maatregelen heeft u interesse?"] = None
    mapping["Opmerkingen"] = "planned_investments"
    read = read_survey(SURVEYS / "microsoft_forms.xlsx", mapping)
    reasons = {c.header: c.reason for c in read.unused}
    assert reasons["Voor welke maatregelen heeft u interesse?"] == CHOSEN_REASON
    assert read.table["interest_led"].isna().all()
    # The plans question comes first, so the chosen second one is a duplicate.
    assert reasons["Opmerkingen"].startswith("dubbel: al gebruikt voor")
    assert read.table["planned_investments"].iloc[0] == "Zonnepanelen in 2025"


def test_excel_with_our_own_column_names_reads_as_the_schema():
    path = ROOT / "data" / "demo" / "de-punt" / "survey.csv"
    read = read_survey(path)
    assert read.layout == "Excel" and not read.unused and not read.problems
    names = [c.name for c in sch.SURVEY.columns]
    expected = sch.validate(read_table(path), sch.SURVEY, path.name)[names]
    pd.testing.assert_frame_equal(read.table[names], expected.reset_index(drop=True))


# -------------------------------------------------------- import and the page


@pytest.fixture(scope="module")
def bag_bytes(tmp_path_factory) -> bytes:
    return write_gpkg(tmp_path_factory.mktemp("bag") / "bag.gpkg").read_bytes()


def test_the_import_report_lists_unused_columns_and_unreadable_answers(bag_bytes):
    result = importer.import_uploads(
        {
            "addresses": [
                (
                    "adressenlijst.csv",
                    (ROOT / "tests/fixtures/importer/adressenlijst.csv").read_bytes(),
                )
            ],
            "bag": [("bag.gpkg", bag_bytes)],
            "survey": [
                ("antwoorden.xlsx", (SURVEYS / "microsoft_forms.xlsx").read_bytes())
            ],
        }
    )
    section = result.report.section("survey")
    for header, reason in MS_UNUSED.items():
        assert f"Kolom '{header}' niet gebruikt: {reason}." in section.notes
    assert (section.problems[0].row, section.problems[0].column) == (3, MS_GAS)
    text = result.report.to_text()
    assert "Kolom 'Begintijd' niet gebruikt: metadata van het formulier." in text
    assert result.survey["kopgroep_interest"].tolist() == ["ja", "misschien", "nee"]


def test_data_laden_shows_the_unused_columns_and_the_unreadable_answers(bag_bytes):
    at = _page()
    _fill(at, bag_bytes)
    data = (SURVEYS / "microsoft_forms.xlsx").read_bytes()
    _upload(at, "import_survey", "antwoorden.xlsx", data)
    at.run()
    _button(at, "Terrein opbouwen").click().run()
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(m.value for m in at.markdown)
    assert "Kolom 'Opmerkingen' niet gebruikt: vraag niet herkend." in shown
    assert "Herkend als export van Microsoft Forms" in shown
    problems = next(
        df.value
        for df in at.dataframe
        if "Probleem" in df.value.columns and MS_GAS in df.value["Kolom"].tolist()
    )
    row = problems[problems["Kolom"] == MS_GAS].iloc[0]
    assert row["Rij"] == 3 and "'veel' is geen getal" in row["Probleem"]
