import pytest

from kansenkaart.core.errors import DataError, Problem


def test_message_names_file_row_column_and_fix():
    err = DataError.single("b.csv", "waarde ontbreekt.", "vul hem in.", 3, "bouwjaar")
    assert str(err) == (
        "bestand 'b.csv', rij 3, kolom 'bouwjaar': waarde ontbreekt. "
        "Oplossing: vul hem in."
    )
    assert isinstance(err, ValueError)


def test_long_lists_are_cut_with_a_count():
    err = DataError([Problem("b.csv", f"fout {i}.") for i in range(25)])
    lines = str(err).splitlines()
    assert len(lines) == DataError.MAX_LISTED + 1
    assert lines[-1] == "... en nog 5 vergelijkbare problemen."
    assert len(err.problems) == 25


def test_needs_a_problem():
    with pytest.raises(ValueError):
        DataError([])
