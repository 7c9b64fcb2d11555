"""Ranking themes of the kansenkaart: classes that split the terrain, hand counts.

Expected numbers are counted by hand from the small tables below; the demo
terrains check the rule of issue 17 (no class holds more than 60 % of the
buildings, or the legend says why) and that every legend counts every
building once.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import kansenkaart as kk
from kansenkaart.core.assumptions import DEFAULT
from kansenkaart.views import legend, projector, ranking

DEMOS = kk.list_demo_terrains()


@pytest.fixture(scope="module", params=DEMOS)
def demo(request):
    analysis = kk.analyse(kk.load_terrain(f"demo:{request.param}"))
    return analysis, kk.opportunity_list(analysis)


# --- classes -------------------------------------------------------------------


def test_quantile_edges_split_1_to_100_in_five_classes_of_20():
    values = np.arange(1, 101, dtype=float)
    edges = ranking.quantile_edges(values)
    # Quantiles 20.8, 40.6, 60.4, 80.2 rounded to two digits.
    assert edges.tolist() == [21.0, 41.0, 60.0, 80.0]
    counts = np.bincount(np.digitize(values, edges))
    assert counts.tolist() == [20, 20, 19, 20, 21]


def test_a_large_group_of_lowest_values_forms_its_own_class():
    # 70 buildings without a source (score 0) and 30 with 1 … 30.
    values = np.r_[np.zeros(70), np.arange(1, 31)].astype(float)
    edges = ranking.quantile_edges(values)
    assert edges[0] == 1.0
    codes = np.digitize(values, edges)
    assert (codes == 0).sum() == 70
    assert len(np.unique(codes)) >= 2


def test_one_value_gives_one_class():
    assert len(ranking.quantile_edges([5.0, 5.0, 5.0])) == 0


def test_share_over_60_percent_is_explained_in_the_legend():
    values = pd.Series([0.0] * 7 + [1.0, 2.0, 3.0], dtype="Float64")
    spec = ranking.amount_spec("Test", values, "Uitleg.")
    table = legend.legend_table(spec)
    assert table["aantal"].max() == 7
    assert "70 %" in spec.note and "kan niet" in spec.note
    assert spec.note.startswith("Uitleg.")


def test_edges_are_written_the_dutch_way():
    assert ranking.edge_text(1234.0) == "1.234"
    assert ranking.edge_text(9.2) == "9,2"
    assert ranking.edge_text(0.35) == "0,35"


def test_payback_colours_run_the_other_way():
    values = pd.Series(np.arange(1.0, 11.0), dtype="Float64")
    short = ranking.amount_spec("T", values, "", higher_is_better=False)
    high = ranking.amount_spec("T", values, "")
    assert short.colours[0] == ranking.KANS_COLOURS[-1]
    assert high.colours[0] == ranking.KANS_COLOURS[0]


def test_unknown_values_are_onbekend_not_a_class():
    values = pd.Series([1.0, 2.0, None, 4.0, 5.0], dtype="Float64")
    table = legend.legend_table(ranking.amount_spec("T", values, ""))
    assert table.set_index("klasse").loc[legend.UNKNOWN_LABEL, "aantal"] == 1
    assert table["aantal"].sum() == 5


# --- per-building figures ------------------------------------------------------


def _analysis(buildings: pd.DataFrame, groups=None) -> kk.Analysis:
    """An analysis of hand-made buildings (the themes read no terrain)."""
    return kk.Analysis(
        terrain=None, assumptions=DEFAULT, buildings=buildings, groups=groups
    )


def test_building_impact_sums_individual_measures_and_derives_payback():
    buildings = pd.DataFrame({"building_id": ["a", "b", "c"]})
    rows = pd.DataFrame(
        {
            "building_id": ["a", "a", "a", "b"],
            "scope": ["individual", "individual", "collective", "individual"],
            "co2_kg_yr": [1000.0, 500.0, 1000.0, None],
            "invest_eur": [1000.0, 3000.0, 9999.0, None],
            "savings_eur_yr": [200.0, 300.0, 9999.0, None],
        }
    )
    impact = ranking.building_impact(_analysis(buildings), rows)
    # a: 200 + 300 = 500 €/yr; 4000 € / 500 = 8 years; the collective row
    # (the same panels bought together) is not counted.
    assert impact.loc[0, "savings_eur_yr"] == 500
    assert impact.loc[0, "co2_kg_yr"] == 1500
    assert impact.loc[0, "payback_yr"] == 8
    assert impact.loc[1].isna().all()
    assert impact.loc[2].isna().all()


def test_chance_score_puts_the_best_building_on_top():
    impact = pd.DataFrame(
        {
            "co2_kg_yr": [3000.0, 1000.0, 2000.0],
            "savings_eur_yr": [900.0, 100.0, 500.0],
            "payback_yr": [4.0, 20.0, 9.0],
        }
    )
    score = ranking.chance_score(impact)
    assert score.tolist() == [1.0, pytest.approx(1 / 3), pytest.approx(2 / 3)]


# --- challenges ----------------------------------------------------------------


def test_challenges_from_hand_made_buildings():
    a = pd.DataFrame(
        {
            "grid_afname_status": pd.array([2, 1, None, 0], dtype="Int64"),
            "grid_invoeding_status": pd.array([0, 1, 3, None], dtype="Int64"),
            "ownership": pd.array(
                ["huurder", "eigenaar-gebruiker", None, "belegger"], "string"
            ),
            "label_c_required": pd.array([True, True, False, None], "boolean"),
            "label_c_ok": pd.array([None, True, None, None], "boolean"),
            "is_monument": pd.array([False, True, None, False], "boolean"),
            "demand_source": pd.array(
                ["geschat", "gemeten", "enquête", None], "string"
            ),
        }
    )
    table = ranking.challenges(a)
    assert table["netcongestie"].tolist() == [True, False, True, False]
    assert table["huurder"].tolist() == [True, False, pd.NA, True]
    # Label C required without a registered label C counts; not required no.
    assert table["label_c"].tolist() == [True, False, False, pd.NA]
    assert table["monument"].tolist() == [False, True, pd.NA, False]
    assert table["gegevens"].tolist() == [True, False, False, True]
    spec = ranking.challenges_spec(a)
    # Counts per building: 4, 1, 1, 2 (unknown counts as no).
    assert spec.codes.tolist() == [4, 1, 1, 2]


# --- groups ----------------------------------------------------------------------


def test_groups_theme_says_there_are_no_groups_yet():
    buildings = pd.DataFrame({"building_id": ["a", "b"]})
    spec = ranking.groups_spec(_analysis(buildings))
    assert spec.labels == (ranking.NO_GROUP,)
    assert "Nog geen groepen" in spec.note


def test_groups_theme_counts_memberships():
    buildings = pd.DataFrame({"building_id": ["a", "b", "c", "d"]})
    groups = pd.DataFrame(
        {
            "group_id": ["g1", "g2", "g3", "g4"],
            "measure_id": [
                "collectieve_inkoop_zon",
                "energy_hub",
                "energy_hub",
                "kennisdelen",
            ],
            "member_ids": [("a", "b"), ("a", "c"), ("a",), ("a", "b", "c", "d")],
        }
    )
    spec = ranking.groups_spec(_analysis(buildings, groups))
    # Kennisdelen is one group of the whole terrain: it does not count.
    assert spec.codes.tolist() == [3, 1, 1, 0]
    assert "3 collectieve groepen" in spec.note


# --- the demo terrains ---------------------------------------------------------


@pytest.mark.parametrize("ranking_id", list(ranking.RANKINGS))
def test_no_class_holds_more_than_60_percent_or_the_legend_says_why(demo, ranking_id):
    analysis, opportunities = demo
    spec = ranking.ranking_spec(analysis, ranking_id, opportunities)
    table = legend.legend_table(spec)
    n = len(analysis.buildings)
    assert table["aantal"].sum() == n
    share = table["aantal"].max() / n
    explained = "kan niet" in spec.note or "Nog geen groepen" in spec.note
    assert share <= ranking.MAX_SHARE or explained, (ranking_id, table)
    assert spec.note, "every ranking has a one-line explanation"


def test_presentation_mode_hides_figures_and_private_challenges(demo):
    analysis, opportunities = demo
    a = analysis.buildings
    hidden = np.ones(len(a), dtype=bool)
    co2 = ranking.ranking_spec(analysis, "co2", opportunities, hidden)
    assert (co2.codes == len(co2.labels) - 1).all()
    assert co2.labels[-1] == legend.HIDDEN_LABEL
    # Public challenges (grid, ownership, label C, monument) stay on the map;
    # "gegevens ontbreken" tells whether a company answered: not counted.
    shown = ranking.ranking_spec(analysis, "uitdagingen", opportunities, hidden)
    public = ranking.challenges(a).drop(columns="gegevens").fillna(False)
    assert shown.codes.tolist() == np.minimum(public.sum(axis=1), 4).tolist()
    gegevens = ranking.challenge_spec(a, "gegevens", hidden)
    assert set(gegevens.codes) == {len(gegevens.labels) - 1}


# --- werksessie views that adapt ---------------------------------------------


def test_one_colour_or_empty_layers_are_uninformative():
    def spec(codes, labels=("a", "b", legend.UNKNOWN_LABEL)):
        return legend.LayerSpec(
            "T",
            labels,
            ("#111111", "#222222", "#333333"),
            np.array(codes),
            estimated=np.zeros(len(codes), dtype=bool),
        )

    assert projector.uninformative(spec([0, 0, 0])) == (
        "alle 3 panden met een waarde vallen in 'a'"
    )
    assert projector.uninformative(spec([2, 2])) == (
        "geen enkel pand heeft hier een waarde"
    )
    assert projector.uninformative(spec([0, 1, 2])) == ""


def test_a_one_colour_coupling_view_gives_way_to_the_koppelscore(demo):
    analysis, opportunities = demo
    a = analysis.buildings.copy()
    # As on De Punt before issue 17: every building inside both rings.
    both = ["warmtenet_rwzi", "koppelkansen_luchthaven"]
    a["measures"] = [list(dict.fromkeys([*ids, *both])) for ids in a["measures"]]
    view = {v.id: v for v in projector.VIEWS}["koppelkansen"]
    hidden = np.zeros(len(a), dtype=bool)
    layers, _, note = projector.adapted_layers(
        dataclasses.replace(analysis, buildings=a), opportunities, view, hidden=hidden
    )
    ((key, spec),) = layers
    assert key == "kansen"
    assert spec.title == "Koppelscore"
    assert "zou op dit terrein niets laten zien" in note and "'beide'" in note
    assert not projector.uninformative(spec)


def test_every_wall_view_of_the_demo_terrains_shows_something(demo):
    analysis, opportunities = demo
    hidden = legend.hidden_mask(analysis.buildings, True, analysis.terrain.survey)
    for view in projector.VIEWS:
        if view.kind == "balance":
            continue
        layers, _, note = projector.adapted_layers(
            analysis, opportunities, view, hidden=hidden
        )
        assert not projector.uninformative(layers[0][1]) or note, view.id


def test_peelerpark_coupling_view_says_what_is_missing():
    analysis = kk.analyse(kk.load_terrain("demo:peelerpark-messchenveld"))
    view = {v.id: v for v in projector.VIEWS}["koppelkansen"]
    hidden = np.zeros(len(analysis.buildings), dtype=bool)
    layers, _, note = projector.adapted_layers(
        analysis, kk.opportunity_list(analysis), view, hidden=hidden
    )
    # No RWZI, restwarmte or airport there: the wall says so, not only "one colour".
    assert "Geen warmtebron" in note and "zonneveld" in note
    assert layers[0][1].title == "Koppelscore"
