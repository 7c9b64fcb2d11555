"""AppTest: help where the user is (issue 18, item 7).

Every page starts with one sentence saying what it is for and which step of
the Leidraad it serves; an empty state says what to do next.
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from appui import shell
from kansenkaart.core.leidraad import STEPS
from tests.conftest import zip_folder
from tests.test_app import APP, run_page


@pytest.mark.parametrize("entry", shell.PAGES, ids=lambda e: e.file.removesuffix(".py"))
def test_page_starts_with_its_intro_sentence(entry):
    at = run_page(entry.file)
    assert not at.exception, [e.value for e in at.exception]
    first = at.main.markdown[0].value  # before any other text of the page
    assert first == entry.intro
    # One sentence, naming the Leidraad and the steps of the page's menu entry.
    assert first.endswith(".") and not re.search(r"[.!?] [A-Z]", first[:-1])
    assert "Leidraad" in first
    for number in entry.steps:
        title = STEPS[number - 1].title.lower()
        assert str(number) in first and title in first, (number, first)


def test_intro_names_one_step_or_several():
    by_file = {e.file: e.intro for e in shell.PAGES}
    assert by_file["3_kansenkaart.py"].endswith(
        ": Leidraad-stap 3 (samen kansen identificeren)."
    )
    assert by_file["4_werkgroepen.py"].endswith(
        ": Leidraad-stappen 4 en 5 (projecten uitwerken en samenwerken; "
        "uitvoering en monitoring)."
    )


def test_terrain_without_survey_says_where_to_load_it(demo_copy, tmp_path):
    (demo_copy / "survey.csv").unlink()
    data = zip_folder(demo_copy, tmp_path / "zonder-enquete.zip").read_bytes()
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.file_uploader(key="terrain_upload").upload(
        "zonder-enquete.zip", data, "application/zip"
    ).run()
    assert at.session_state["terrain_key"].startswith("upload:")
    at.switch_page("pages/1_beginsituatie.py").run()
    assert not at.exception, [e.value for e in at.exception]
    at.session_state["bs_tab"] = "Enquête"  # only the open tab is built
    at.run()
    told = [i.value for i in at.info if i.value.startswith("Nog geen enquête")]
    assert told == [
        "Nog geen enquête geladen — ga naar **Data laden** en voeg de "
        "enquête-export toe."
    ]
