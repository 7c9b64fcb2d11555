"""Energy hub per group on the congested demo terrain, and where the figures go:
the werksessie wall, the Energiehub sheet of the Kansenlijsten export and the
workgroup fiche, under the disclosure rules (docs/PRIVACY.md)."""

import io

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

import kansenkaart as kk
from appui import state
from kansenkaart.core.assumptions import DEFAULT
from kansenkaart.engine import hub, privacy, profiles
from kansenkaart.records import forms
from kansenkaart.views import export, hubfigures, selection
from tests.test_map_pages import open_page

TERRAIN = "demo:peelerpark-messchenveld"


@pytest.fixture(scope="module")
def analysis():
    return kk.analyse(kk.load_terrain(TERRAIN), DEFAULT)


@pytest.fixture(scope="module")
def prof(analysis):
    return profiles.building_profiles(analysis.buildings)


@pytest.fixture(scope="module")
def summaries(analysis, prof):
    return hub.group_summaries(analysis, prof)


def _plain_hours_after(net, limit, cap, power, eff=0.9):
    """Quarter hours above the limit with a battery, step by step (hours)."""
    soc, short = cap, 0
    for x in net:
        if x > limit:
            need = min(x - limit, power) * 0.25
            give = min(soc, need)
            soc -= give
            short += give < need - 1e-9
        elif x < limit:
            soc += min(cap - soc, min(limit - x, power) * 0.25 * eff)
    return short * 0.25


def test_demo_terrain_is_congested_for_take_up(analysis):
    status = analysis.buildings["grid_afname_status"].astype(float)
    assert (status >= 2).all()
    assert hub.has_groups(analysis)


def test_a_group_shows_gain_hours_and_a_battery_to_zero_with_its_basis(
    analysis, prof, summaries
):
    row = summaries.sort_values("sharing_gain_kw", ascending=False).iloc[0]
    at = hub.members(prof.ids, row["member_ids"])
    use = prof.use_kw[at].astype(float)
    net = use - prof.pv_kw[at].astype(float)
    group = net.sum(axis=0)
    # sharing gain: own peaks of net take-up minus the group's peak
    gain = np.clip(net, 0, None).max(axis=1).sum() - max(group.max(), 0)
    assert gain > 0
    assert row["sharing_gain_kw"] == pytest.approx(gain, rel=1e-6)
    # limit: the assumption's share of the members' own peaks of use
    limit = 0.9 * use.max(axis=1).sum()
    assert DEFAULT.hub_group_limit_share.value == 0.9
    assert row["limit_kw"] == pytest.approx(limit, rel=1e-6)
    hours = (group > limit).sum() * 0.25
    assert hours > 0
    assert row["hours_above_limit"] == pytest.approx(hours)
    # the battery brings the hours to zero, a slightly smaller one does not
    cap, power = row["battery_kwh"], row["battery_kw"]
    assert power == pytest.approx((group - limit).max(), rel=1e-6)
    assert _plain_hours_after(group, limit, cap, power) == 0
    assert row["hours_above_after"] == 0
    assert _plain_hours_after(group, limit, 0.97 * cap, power) > 0
    assert row["battery_invest_eur"] == pytest.approx(cap * 450)
    assert row["battery_savings_eur_yr"] > 0 and row["battery_payback_yr"] > 0
    # the basis of every figure
    basis = row["hub_basis"]
    for words in ("Indicatief", "standaardprofiel", "NEDU", "KNMI", "Grens: 90 %"):
        assert words in basis
    assert "kW contract" in basis and "Ontladen zodra" in basis


def test_battery_meets_a_chosen_share(analysis, prof):
    share = hub.group_summaries(analysis, prof, share=0.99)
    allowed = 0.01 * 8760
    assert (share["hours_above_after"] <= allowed + 1e-9).all()
    assert (share["hours_above_limit"] > allowed).any()


def _all_consent(buildings, member_ids):
    out = buildings.copy()
    out["consent_werksessie"] = out["consent_werksessie"].mask(
        out["building_id"].astype(str).isin(member_ids), True
    )
    return out


def test_wall_shows_no_group_profile_without_consent(analysis, summaries):
    b = analysis.buildings
    rows = hubfigures.redacted(summaries, b, privacy.OPENBAAR, DEFAULT)
    agreed = set(b.loc[privacy.consented(b), "building_id"].astype(str))
    for _, row in rows.iterrows():
        if not hubfigures.shown(row):
            continue
        members = summaries.set_index("group_id").loc[row["group_id"], "member_ids"]
        large = len(members) >= privacy.min_group(DEFAULT)
        assert large or set(map(str, members)) <= agreed
    table = hubfigures.wall_table(rows)
    # hub groups have at most 12 members: none reaches 10 with consent here
    assert table.empty or (table["Deelwinst piek"] == privacy.HIDDEN_TEXT).all()


def test_wall_is_the_same_whatever_a_member_without_consent_uses(
    analysis, prof, summaries
):
    b = analysis.buildings
    agreed = set(b.loc[privacy.consented(b), "building_id"].astype(str))
    row = summaries.iloc[0]
    outsider = next(m for m in row["member_ids"] if str(m) not in agreed)
    k = prof.ids.index(str(outsider))
    use = prof.use_kw.copy()
    use[k] *= 20
    bigger = profiles.Profiles(
        prof.ids, use, prof.pv_kw, prof.categories, prof.basis, prof.bases
    )
    other = hub.group_summaries(analysis, bigger)
    assert other.iloc[0]["group_peak_kw"] > row["group_peak_kw"]  # it changed
    before, after = (
        hubfigures.wall_table(hubfigures.redacted(f, b, privacy.OPENBAAR, DEFAULT))
        for f in (summaries, other)
    )
    pd.testing.assert_frame_equal(before, after)


def test_a_group_whose_members_all_consented_shows_rounded_figures(analysis, summaries):
    row = summaries.iloc[0]
    b = _all_consent(analysis.buildings, set(map(str, row["member_ids"])))
    rows = hubfigures.redacted(summaries, b, privacy.OPENBAAR, DEFAULT)
    mine = rows[rows["group_id"] == row["group_id"]].iloc[0]
    assert hubfigures.shown(mine) and mine["note"] == hubfigures.CONSENT_NOTE
    # rounded to two significant digits (R7)
    peak = row["group_peak_kw"]
    digits = 10 ** (np.floor(np.log10(peak)) - 1)
    assert mine["group_peak_kw"] == pytest.approx(round(peak / digits) * digits)
    assert "× standaardprofiel" not in mine["hub_basis"]  # no member count
    lines = hubfigures.fiche_lines(mine)
    assert lines[0].startswith("Deelwinst piek")
    assert "Indicatief" in lines[-1]


def _sheet(sel):
    wb = load_workbook(io.BytesIO(export.to_xlsx(sel)), read_only=True)
    rows = list(wb["Energiehub"].iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_export_has_an_energiehub_sheet_with_units(analysis, summaries):
    intern = selection.select(analysis, None, privacy.INTERN, hub=summaries)
    header, rows = _sheet(intern)
    for title in (
        "Deelwinst piek (kW)",
        "Uren boven de grens (uur/jaar)",
        "Batterij opslag (kWh)",
        "Besparing batterij (€/jaar)",
        "Terugverdientijd batterij (jaar)",
    ):
        assert title in header
    assert len(rows) == len(summaries)
    column = header.index("Deelwinst piek (kW)")
    assert sorted(r[column] for r in rows) == pytest.approx(
        sorted(summaries["sharing_gain_kw"].astype(float))
    )
    # openbaar: no figure of a group without consent of all its members
    public = selection.select(analysis, None, privacy.OPENBAAR, hub=summaries)
    _, rows = _sheet(public)
    assert all(r[column] is None for r in rows)


def _open(page: str, **state) -> AppTest:
    return open_page(page, TERRAIN, **state)


def test_wall_collective_view_hides_hub_figures_in_presentation_mode():
    at = _open("4_werksessie.py", ws_view="collectief")
    texts = " ".join(m.value for m in at.markdown)
    assert "Energiehub en batterij per groep (indicatief)" in texts
    # groups with a consenting member are named, their figures are not shown
    (wall,) = [t for t in at.table if "Deelwinst piek" in t.value.columns]
    figures = wall.value.drop(columns="Opmerking")
    assert (figures == privacy.HIDDEN_TEXT).all().all()
    assert wall.value["Opmerking"].str.contains("niet getoond").all()
    at.toggle(key=state.WS_PRIVATE_KEY).set_value(False).run()
    (table,) = [t for t in at.table if "Deelwinst piek" in t.value.columns]
    assert (table.value["Deelwinst piek"] != privacy.HIDDEN_TEXT).all()
    assert any("Indicatief" in c.value for c in at.caption)


def test_workgroup_fiche_of_a_hub_group_says_why_figures_are_not_shown():
    at = _open(
        "4_werkgroepen.py",
        wg_measure="energy_hub",
        wg_tab="Groepen",  # only the open tab is built
        **{forms.USER_KEY: "Anna"},
    )
    texts = " ".join(m.value for m in at.markdown)
    assert "Energiehub (indicatief)" in texts
    hidden = [c.value for c in at.caption if "Energiehubcijfers" in c.value]
    assert hidden and all("niet getoond" in c for c in hidden)
    assert not any("Deelwinst piek" in m.value for m in at.markdown)
