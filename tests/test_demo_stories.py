"""The pilot stories of ``data/README.md``, checked against the demo data.

Each demo terrain tells a different situation a facilitator can tell (issue 17,
deliverable 9; the pilots of the Leidraad energietransitie op
bedrijventerreinen Drenthe). Every test checks the claim that makes a story
(the terrain differs from the other three in that respect) on the analysed
demo terrain, recomputes the figures the README quotes and looks for them in
that terrain's section, so the text cannot drift from the data.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import kansenkaart as kk
from kansenkaart.core import fmt, texts
from kansenkaart.core.paths import data_dir
from kansenkaart.core.values import mask
from kansenkaart.engine import groups as engine_groups
from kansenkaart.engine import privacy
from kansenkaart.views import legend, ranking

README = data_dir() / "README.md"
PILOTS = (
    "peelerpark-messchenveld",
    "de-punt",
    "bitseveld-westerd",
    "de-wieken",
)


@pytest.fixture(scope="module")
def demo():
    return {tid: kk.analyse(kk.load_terrain(f"demo:{tid}")) for tid in PILOTS}


@pytest.fixture(scope="module")
def story():
    """Section text of each pilot story: a ``###`` heading naming the id."""
    text = README.read_text(encoding="utf-8")
    sections = re.split(r"^##+ ", text, flags=re.MULTILINE)[1:]
    out = {}
    for section in sections:
        heading = section.splitlines()[0]
        ids = [tid for tid in PILOTS if f"`{tid}`" in heading]
        if ids:
            out[ids[0]] = " ".join(section.split())
    return out


def _says(story: dict, tid: str, *figures: str) -> None:
    for figure in figures:
        assert figure in story[tid], f"{tid}: README zegt niet '{figure}'"


def _of(analysis, measure_id: str) -> pd.DataFrame:
    return engine_groups.of_measure(analysis.groups, measure_id)


def _members(analysis, measure_id: str) -> set:
    return {m for ids in _of(analysis, measure_id)["member_ids"] for m in ids}


def _small(b: pd.DataFrame) -> np.ndarray:
    return mask(b["grid_connection"].astype("string").eq("kleinverbruik"))


def _gas_per_m2(b: pd.DataFrame) -> float:
    """Median gas use per m² floor of the buildings with a known use (m³/m²)."""
    known = b["gas_m3_yr"].notna().to_numpy()
    return float((b["gas_m3_yr"][known] / b["floor_area_m2"][known]).median())


def _consented_yes(analysis, group: pd.Series) -> int:
    """Members of a group who answered "ja" and consented (public variant)."""
    table = engine_groups.group_interest(
        pd.DataFrame([group]), analysis.buildings, privacy.OPENBAAR
    )
    return int(table["n_interest_yes"].iloc[0])


def test_every_pilot_has_a_story_and_says_it_is_fictitious(story):
    assert set(story) == set(PILOTS)
    for tid, text in story.items():
        assert "fictie" in text, tid
        assert "Werksessie" in text and "Kansenkaart" in text, tid


def test_peelerpark_grid_is_full_both_ways_with_hubs_and_batteries(demo, story):
    tid = "peelerpark-messchenveld"
    analysis = demo[tid]
    b = analysis.buildings
    n = len(b)
    # Capaciteitskaart 2 (wachtrij) or 3 (tekort) in both directions for all.
    assert (b["grid_afname_status"] >= 2).all()
    assert (b["grid_invoeding_status"] >= 2).all()
    # ... and the only terrain where taking more power is not possible.
    for other in set(PILOTS) - {tid}:
        assert (demo[other].buildings["grid_afname_status"] < 2).all(), other
    hubs = _of(analysis, "energy_hub")
    batteries = _of(analysis, "collectieve_batterij")
    assert len(hubs) >= 10 and len(batteries) >= 5
    hub_share = len(_members(analysis, "energy_hub")) / n
    assert hub_share > 0.4
    largest = hubs.iloc[0]  # groups are numbered by size
    assert largest["n_companies"] == hubs["n_companies"].max()
    feed_in_limited = int(b["pv_limit"].astype("string").eq(texts.PV_LIMIT_GRID).sum())
    assert feed_in_limited > n / 3
    challenge = ranking.challenges(b)["netcongestie"]
    assert mask(challenge).all()
    _says(
        story,
        tid,
        f"alle {n} gebouwen",
        f"{len(hubs)} energy-hubgroepen",
        f"{len(_members(analysis, 'energy_hub'))} bedrijven",
        f"{len(batteries)} groepen voor een collectieve batterij",
        f"{largest['n_companies']} bedrijven",
        fmt.number(largest["kwp"], 0, "kWp"),
        fmt.number(largest["mwh_yr"], 0, "MWh"),
        f"{feed_in_limited} bedrijven",
    )


def test_de_punt_heat_users_beside_the_rwzi_lead_and_the_airport_is_near(demo, story):
    tid = "de-punt"
    analysis = demo[tid]
    b = analysis.buildings
    sources = analysis.terrain.sources
    heat = _of(analysis, "warmtenet_rwzi")
    (group,) = heat.itertuples(index=False)  # one RWZI, one group
    top = b.sort_values("coupling_score", ascending=False).head(3)
    # The top 3 of the koppelscore are members of the RWZI heat network ...
    assert set(top["building_id"]) <= set(group.member_ids)
    # ... led by the one large firm of the pilot (5,000 m², Leidraad).
    assert top["floor_area_m2"].iloc[0] == b["floor_area_m2"].max()
    supply = float(sources.loc[sources["kind"] == "rwzi", "heat_mwh_yr"].iloc[0])
    assert group.mwh_yr < supply
    # Groningen Airport Eelde is within reach of every building.
    airport = _of(analysis, "koppelkansen_luchthaven").iloc[0]
    assert b["airport_in_range"].all()
    furthest_km = float(b["airport_m"].max()) / 1000
    # The grid has room: the only terrain without netcongestie.
    assert not mask(ranking.challenges(b)["netcongestie"]).any()
    _says(
        story,
        tid,
        *top["company"],
        f"{group.n_companies} bedrijven",
        fmt.number(group.mwh_yr, 0, "MWh"),
        fmt.number(supply, 0, "MWh"),
        fmt.number(np.ceil(furthest_km * 10) / 10, 1, "km"),
        f"{airport['n_companies']} bedrijven",
    )


def test_bitseveld_has_most_small_firms_and_collective_purchase_groups(demo, story):
    tid = "bitseveld-westerd"
    analysis = demo[tid]
    b = analysis.buildings
    n = len(b)
    share = {t: _small(demo[t].buildings).mean() for t in PILOTS}
    assert max(share, key=share.get) == tid
    in_purchase = {
        t: len(_members(demo[t], "collectieve_inkoop_stroom_led")) / len(a.buildings)
        for t, a in demo.items()
    }
    assert max(in_purchase, key=in_purchase.get) == tid
    zon = _of(analysis, "collectieve_inkoop_zon")
    stroom = _of(analysis, "collectieve_inkoop_stroom_led")
    assert zon["n_companies"].sum() >= 100
    # A small firm's own roof is limited by its connection: the lever is
    # buying together, not one large roof.
    capped = int(b["pv_limit"].astype("string").eq(texts.PV_LIMIT_CONNECTION).sum())
    assert capped > n / 2
    yes = sum(_consented_yes(analysis, g) for _, g in zon.iterrows())
    assert yes > 0
    _says(
        story,
        tid,
        f"{int(_small(b).sum())} van de {n}",
        f"{capped} bedrijven",
        f"{int(zon['n_companies'].sum())} bedrijven",
        fmt.number(zon["kwp"].sum(), 0, "kWp"),
        f"{int(stroom['n_companies'].sum())} kleinverbruikers",
        f"{yes} bedrijven",
    )


def test_de_wieken_is_old_uses_most_gas_and_has_the_obligations(demo, story):
    tid = "de-wieken"
    analysis = demo[tid]
    b = analysis.buildings
    n = len(b)
    gas = {t: _gas_per_m2(demo[t].buildings) for t in PILOTS}
    assert max(gas, key=gas.get) == tid
    year = {t: demo[t].buildings["construction_year"].median() for t in PILOTS}
    assert min(year, key=year.get) == tid
    obliged = {t: mask(demo[t].buildings["besparingsplicht"]).mean() for t in PILOTS}
    assert max(obliged, key=obliged.get) == tid
    required = mask(b["label_c_required"])
    meets = mask(b["label_c_ok"])
    assert required.sum() >= 10 and not (required & meets).any()
    no_label = int((required & b["energy_label"].isna().to_numpy()).sum())
    (group,) = _of(analysis, "warmtenet_rwzi").itertuples(index=False)
    others = max(
        _of(demo[t], "warmtenet_rwzi")["n_companies"].sum() for t in set(PILOTS) - {tid}
    )
    assert group.n_companies > others
    _says(
        story,
        tid,
        f"bouwjaar {int(year[tid])}",
        f"{int((b['construction_year'] < 1980).sum())} van de {n} panden",
        fmt.number(gas[tid], 1, "m³"),
        f"{int(mask(b['besparingsplicht']).sum())} van de {n}",
        f"{int(required.sum())} kantoren",
        f"{no_label} zonder geregistreerd label, {int(required.sum()) - no_label} met",
        f"{group.n_companies} bedrijven",
        fmt.number(group.mwh_yr, 0, "MWh"),
    )


@pytest.mark.parametrize("tid", PILOTS)
def test_no_ranking_class_holds_more_than_60_percent_of_a_demo_terrain(demo, tid):
    # Issue 17: "no map class holds more than 60 % of the buildings", on the
    # demo data without exception (tests/test_ranking.py allows a class the
    # legend explains, for terrains where values really coincide).
    analysis = demo[tid]
    opportunities = kk.opportunity_list(analysis)
    n = len(analysis.buildings)
    for ranking_id in ranking.RANKINGS:
        counts = legend.legend_table(
            ranking.ranking_spec(analysis, ranking_id, opportunities)
        )["aantal"]
        assert counts.sum() == n, ranking_id
        assert counts.max() <= ranking.MAX_SHARE * n, (ranking_id, counts.tolist())
