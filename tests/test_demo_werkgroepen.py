"""AppTest: *Werkgroepen* shows the demo survey's interest per collective group.

Issue 17: "Werkgroepen shows non-zero interest counts from the demo survey"
(per measure in ``tests/test_werksessie_pages.py``; here per group, on the
terrain whose story is collective purchase). The expected counts are taken
from the demo survey rows themselves: members of the group who answered
"ja" and consented to be shown.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import kansenkaart as kk
from kansenkaart.engine import groups
from kansenkaart.records import database, forms

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TERRAIN = "bitseveld-westerd"
MEASURE = "collectieve_inkoop_zon"


@pytest.fixture
def page(tmp_path, monkeypatch) -> AppTest:
    monkeypatch.setenv(database.ENV_URL, f"sqlite:///{tmp_path / 'wg.sqlite'}")
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["terrain_key"] = f"demo:{TERRAIN}"
    at.session_state[forms.USER_KEY] = "Anna"
    at.session_state["wg_measure"] = MEASURE
    at.session_state["wg_tab"] = "Groepen"  # only the open tab is built
    at.run()
    at.switch_page("pages/4_werkgroepen.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_each_purchase_group_shows_its_consented_yes_answers(page):
    analysis = kk.analyse(kk.load_terrain(f"demo:{TERRAIN}"))
    b = analysis.buildings.set_index("building_id")
    said_yes = b[f"interest_{MEASURE}"].astype("string").eq("ja").fillna(False)
    consented = b["consent_werksessie"].astype("boolean").fillna(False)
    shown = [re.sub(r"\\(.)", r"\1", m.value) for m in page.markdown]
    expected = []
    for g in groups.of_measure(analysis.groups, MEASURE).itertuples():
        members = list(g.member_ids)
        yes = int((said_yes[members] & consented[members]).sum())
        expected.append(yes)
        heading = next(i for i, text in enumerate(shown) if g.name in text)
        assert f"Enquête: **{yes}** ja" in " ".join(shown[heading : heading + 4])
    assert len(expected) == 2  # one purchase group per deelgebied
    assert all(n > 0 for n in expected)
