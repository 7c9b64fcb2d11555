"""The disclosure attacks of issue 19 (P1–P5), each performed on the demo data.

Every test first shows that the private fact is there to be found (in the
beheerder's view), then performs the attack on what leaves that view and
asserts it yields nothing. The expectations follow from the rules in
docs/PRIVACY.md, not from the code's output: a company without consent is
shown the same whatever its private data are; two public totals never differ
by one company; a total is never mostly one company.
"""

import dataclasses
import io
import itertools

import numpy as np
import pandas as pd
import pypdf
import pytest

import kansenkaart as kk
from kansenkaart.core import schema
from kansenkaart.core.assumptions import DEFAULT
from kansenkaart.engine import privacy
from kansenkaart.engine.opportunities import opportunity_list
from kansenkaart.views import (
    export,
    facts,
    kansenkaart_pdf,
    legend,
    projector,
    ranking,
    selection,
)

OPENBAAR = privacy.OPENBAAR
ENERGY = ["elec_kwh_yr", "elec_kwh_yr_est", "gas_m3_yr", "demand_kwh_yr", "co2_kg_yr"]


@pytest.fixture(scope="module")
def punt_terrain():
    return kk.load_terrain("demo:de-punt")


@pytest.fixture(scope="module")
def punt(punt_terrain):
    return kk.analyse(punt_terrain)


@pytest.fixture(scope="module")
def bitseveld():
    return kk.analyse(kk.load_terrain("demo:bitseveld-westerd"))


def _ids(frame) -> set[str]:
    return set(frame["building_id"].astype(str))


def _hidden_ids(analysis) -> set[str]:
    b = analysis.buildings
    return set(b.loc[~privacy.consented(b), "building_id"].astype(str))


# --- P1: Mijn pand shows any company's figures to anyone ---------------------


def test_p1_a_viewer_sees_private_figures_only_of_the_own_or_a_consenting_building(
    punt,
):
    b = punt.buildings
    measured = b["elec_kwh_yr"].notna().to_numpy(bool)
    secret = b[measured & ~privacy.consented(b)].iloc[0]
    other = b[b["building_id"] != secret["building_id"]].iloc[0]
    target = b["building_id"] == secret["building_id"]
    assert pd.notna(secret["elec_kwh_yr"])  # the figure the attacker wants

    for role, own in [
        (privacy.PUBLIEK, None),
        (privacy.BEGELEIDER, None),
        (privacy.ONDERNEMER, other["building_id"]),  # somebody else's link
        (privacy.ONDERNEMER, None),  # a link without a building
    ]:
        access = privacy.building_access(role, secret["building_id"], False, own)
        assert not access.figures, role
        seen = privacy.for_viewer(b, role, own)[target].iloc[0]
        for column in ENERGY:
            assert pd.isna(seen[column]), (role, column)
        assert "eml_maatregelen" not in seen["measures"]

    for role, own in [
        (privacy.BEHEERDER, None),
        (privacy.ONDERNEMER, secret["building_id"]),
    ]:
        assert privacy.building_access(role, secret["building_id"], False, own).figures
        seen = privacy.for_viewer(b, role, own)[target].iloc[0]
        assert seen["elec_kwh_yr"] == secret["elec_kwh_yr"]


def test_p1_an_ondernemer_link_opens_no_other_company(punt):
    b = punt.buildings
    own = str(b["building_id"].iloc[0])
    seen = privacy.for_viewer(b, privacy.ONDERNEMER, own)
    open_rows = ~seen[privacy.HIDDEN_COLUMN].to_numpy(dtype=bool)
    # open: the own building and companies that consented, nobody else
    allowed = privacy.consented(b) | (b["building_id"].astype(str) == own).to_numpy()
    assert (open_rows <= allowed).all()
    assert open_rows[0]


def test_p1_an_unknown_role_is_refused_in_dutch():
    with pytest.raises(ValueError, match="onbekende rol 'hacker'"):
        privacy.building_access("hacker", "1", True)


# --- P2: the openbaar export filtered on the EML obligation ---------------------


@pytest.mark.parametrize(
    "filters",
    [
        selection.Filters(measures=("eml_maatregelen",)),
        selection.Filters(obligations=("besparingsplicht",)),
    ],
    ids=["maatregel-eml", "besparingsplicht"],
)
def test_p2_a_filter_on_the_obligation_lists_no_company_without_consent(punt, filters):
    intern = selection.select(punt, filters, privacy.INTERN)
    hidden = _hidden_ids(punt)
    assert _ids(intern.buildings) & hidden  # the attack finds them in intern

    public = selection.select(punt, filters, OPENBAAR)
    assert not _ids(public.buildings) & hidden
    assert not _ids(public.opportunities) & hidden
    written = export.to_csv(public).decode("utf-8-sig", errors="replace")
    names = punt.buildings.set_index(punt.buildings["building_id"].astype(str))
    for building_id in hidden & _ids(intern.buildings):
        assert str(names.loc[building_id, "company"]) not in written


def _with_private_data(terrain, building_id: str, elec_kwh, gas_m3, answer):
    """``terrain`` with one company's measured use and survey answers changed."""
    b = terrain.buildings.copy()
    row = b["building_id"].astype(str) == building_id
    b.loc[row, "elec_kwh_yr"] = elec_kwh
    b.loc[row, "elec_source"] = "gemeten"
    b.loc[row, "gas_m3_yr"] = gas_m3
    b.loc[row, "gas_source"] = "gemeten"
    survey = terrain.survey.copy()
    mine = survey["building_id"].astype(str) == building_id
    for column in [c for c in survey.columns if c.startswith("interest_")]:
        survey[column] = survey[column].astype("string")
        survey.loc[mine, column] = answer
    return dataclasses.replace(terrain, buildings=b, survey=survey)


@pytest.fixture(scope="module")
def punt_secret(punt, punt_terrain):
    """One company without consent, in reach of the RWZI and the airport,
    analysed twice: tiny use and a "nee" answer, then huge use and "ja"."""
    b = punt.buildings
    near = (
        b["heat_source_in_range"].astype("boolean").fillna(False).to_numpy(bool)
        & b["airport_in_range"].astype("boolean").fillna(False).to_numpy(bool)
        & ~privacy.consented(b)
    )
    building_id = str(b.loc[near, "building_id"].iloc[0])
    low = kk.analyse(_with_private_data(punt_terrain, building_id, 1_000, 0, "nee"))
    high = kk.analyse(
        _with_private_data(punt_terrain, building_id, 20_000_000, 400_000, "ja")
    )
    return building_id, low, high


def _row(analysis, building_id: str) -> int:
    ids = analysis.buildings["building_id"].astype(str).tolist()
    return ids.index(building_id)


def test_p2_who_an_openbaar_measure_filter_lists_does_not_depend_on_private_data(
    punt_secret,
):
    building_id, low, high = punt_secret
    for m in privacy.measures.CATALOGUE:
        chosen = selection.Filters(measures=(m.id,))
        listed = [
            building_id in _ids(selection.select(a, chosen, OPENBAAR).buildings)
            for a in (low, high)
        ]
        assert listed[0] == listed[1], m.id


# --- P3: differencing totals of user-chosen filters -------------------------------


def test_p3_two_label_filters_never_give_one_companys_figure(bitseveld):
    b = bitseveld.buildings
    labels = b["energy_label"].astype("string").fillna(schema.ENERGY_LABELS[-1])
    rare = [lab for lab in schema.ENERGY_LABELS if 0 < (labels == lab).sum() < 10]
    assert rare  # a label held by fewer than ten companies: the attack's lever
    base = ("A", "B", "C", "D")
    for extra in rare:
        pair = [base, (*base, extra)] if extra not in base else [base[1:], base]
        totals = [
            selection.select(bitseveld, selection.Filters(labels=p), OPENBAAR)
            .totals.set_index("measure_id")
            .reindex([m.id for m in privacy.measures.CATALOGUE])
            for p in pair
        ]
        for figure in selection.FIGURES:
            both = totals[0][figure].notna() & totals[1][figure].notna()
            assert not both.any(), (extra, figure)
    # the attack does work in the beheerder view, so the test can fail
    intern = [
        selection.select(bitseveld, selection.Filters(labels=p), privacy.INTERN)
        for p in ([*base], [*base, *rare])
    ]
    assert len(intern[0].buildings) < len(intern[1].buildings)


def test_p3_a_labels_minus_a_gives_no_suppressed_total(bitseveld):
    a_or_better = schema.ENERGY_LABELS[: schema.ENERGY_LABELS.index("A") + 1]
    for labels in (a_or_better, ("A",)):
        sel = selection.select(bitseveld, selection.Filters(labels=labels), OPENBAAR)
        assert sel.totals[list(selection.FIGURES)].isna().all().all()


def test_p3_public_totals_are_the_whole_terrains_per_measure(bitseveld):
    full = opportunity_list(bitseveld)
    everything = selection.select(bitseveld, variant=OPENBAAR).totals
    one = selection.select(
        bitseveld, selection.Filters(measures=("led",)), OPENBAAR
    ).totals
    assert one["measure_id"].tolist() == ["led"]
    led = everything.set_index("measure_id").loc["led"]
    assert one.iloc[0]["kwh_yr"] == led["kwh_yr"]
    assert one.iloc[0]["n_companies"] == (full["measure_id"] == "led").sum()


def test_p3_a_shown_total_has_two_significant_digits(bitseveld):
    totals = selection.select(bitseveld, variant=OPENBAAR).totals
    values = totals[list(selection.FIGURES)].to_numpy(dtype=float, na_value=np.nan)
    shown = values[np.isfinite(values) & (values != 0)]
    assert len(shown)
    magnitude = 10.0 ** (np.floor(np.log10(np.abs(shown))) - 1)
    assert np.allclose(shown / magnitude, np.round(shown / magnitude))


def test_p3_a_total_that_is_mostly_one_company_is_not_shown():
    # Twelve companies, one of them 20 times the others: 20 / (20 + 11) > 50 %.
    rows = pd.DataFrame(
        {
            "building_id": [f"b{i}" for i in range(12)],
            "measure_id": "led",
            "kwp": pd.array([pd.NA] * 12, dtype="Float64"),
            "kwh_yr": [20_000.0] + [1_000.0] * 11,
            "co2_kg_yr": [100.0] * 12,
            "invest_eur": [1_000.0] * 12,
        }
    )
    totals = selection.measure_summary(rows, DEFAULT, OPENBAAR).iloc[0]
    assert pd.isna(totals["kwh_yr"])  # ≈ the large company's own figure
    assert totals["co2_kg_yr"] == 1_200.0  # evenly spread: shown
    assert "meer dan de helft" in totals["note"]
    intern = selection.measure_summary(rows, DEFAULT, privacy.INTERN).iloc[0]
    assert intern["kwh_yr"] == 31_000.0


# --- P4 / P5: measures from a private threshold on the wall, panel, downloads ----


def test_p4_p5_the_attack_works_in_the_beheerder_view(punt_secret):
    building_id, low, high = punt_secret
    lists = [a.buildings["measures"].iloc[_row(a, building_id)] for a in (low, high)]
    # the EML obligation (use ≥ 50.000 kWh) and the heat network (heat demand)
    for measure_id in ("eml_maatregelen", "warmtenet_rwzi"):
        assert (measure_id in lists[0]) != (measure_id in lists[1]), measure_id


def test_p4_p5_the_wall_shows_a_company_without_consent_the_same_whatever_its_use(
    punt_secret,
):
    building_id, low, high = punt_secret
    for view in projector.VIEWS:
        if view.kind == "balance":
            continue
        codes = []
        for a in (low, high):
            hidden = ~privacy.consented(a.buildings)
            layers, _ = projector.view_layers(a.buildings, view, hidden=hidden)
            codes.append(layers[0][1].codes[_row(a, building_id)])
        assert codes[0] == codes[1], view.id


def test_p4_p5_panel_list_and_downloads_do_not_change_with_private_data(punt_secret):
    building_id, low, high = punt_secret
    seen = []
    for a in (low, high):
        shown = privacy.redact_buildings(a.buildings, OPENBAAR)
        row = shown.iloc[_row(a, building_id)]
        sel = selection.select(a, variant=OPENBAAR)
        mine = sel.opportunities[sel.opportunities["building_id"] == building_id]
        panel = facts.facts_table(a, building_id, hidden=True)
        seen.append(
            (
                row["measures"],
                mine[["measure_id", "reason"]].to_dict("records"),
                panel.to_dict("records"),
            )
        )
        assert not {"eml_maatregelen"} & set(row["measures"])
    assert seen[0] == seen[1]


def test_p4_p5_a_threshold_measure_is_only_ever_mogelijk_without_consent(punt):
    sel = selection.select(punt, variant=OPENBAAR)
    rows = sel.opportunities[sel.opportunities[privacy.HIDDEN_COLUMN].astype(bool)]
    assert len(rows)
    for measure_id, reason in rows[["measure_id", "reason"]].itertuples(index=False):
        if measure_id in privacy.PUBLIC_RULE_MEASURES:
            continue
        assert measure_id in privacy.POSSIBLE_HINTS
        assert reason.startswith("Mogelijk"), measure_id


def test_the_public_part_of_a_rule_holds_wherever_the_engine_lists_the_measure(
    bitseveld, punt
):
    # A hint must be a necessary condition: else "mogelijk" would hide a
    # company the engine lists, and listing it there would tell why.
    for analysis in (bitseveld, punt):
        b = analysis.buildings
        for measure_id, hint in privacy.POSSIBLE_HINTS.items():
            listed = b["measures"].map(lambda ids, m=measure_id: m in ids)
            assert (listed.to_numpy(bool) <= hint(b)).all(), measure_id


def test_every_measure_is_public_hinted_or_private_exactly_once():
    groups = [
        privacy.PUBLIC_RULE_MEASURES,
        set(privacy.POSSIBLE_HINTS),
        privacy.PRIVATE_MEASURES,
    ]
    for left, right in itertools.combinations(groups, 2):
        assert not set(left) & set(right)
    assert set().union(*groups) == {m.id for m in privacy.measures.CATALOGUE}
    assert "eml_maatregelen" in privacy.PRIVATE_MEASURES


# --- P6: collective groups name their members ---------------------------------


def _group_sheet(analysis, variant):
    return export.group_frame(selection.select(analysis, variant=variant))


def _companies(analysis, ids) -> set[str]:
    b = analysis.buildings.set_index(analysis.buildings["building_id"].astype(str))
    return {str(b.loc[str(i), "company"]) for i in ids}


def test_p6_the_groups_sheet_names_only_companies_that_consented(punt):
    hidden = _hidden_ids(punt)
    intern = _group_sheet(punt, privacy.INTERN)
    named = {str(i) for ids in intern["member_ids"] for i in ids}
    assert named & hidden  # the beheerder's sheet names them: the attack's target

    public = _group_sheet(punt, OPENBAAR)
    shown = {str(i) for ids in public["member_ids"] for i in ids}
    assert shown and not shown & hidden
    text = " ".join(public["members_text"])
    agreed = _companies(punt, set(punt.buildings["building_id"].astype(str)) - hidden)
    for company in _companies(punt, hidden):
        if not any(company in other for other in agreed):
            assert company not in text


def test_p6_a_group_over_a_private_threshold_does_not_count_or_show_it(punt_secret):
    building_id, low, high = punt_secret
    # the attack: with high use the company joins the heat network group
    member = [
        any(
            building_id in ids
            for ids in a.groups.loc[
                a.groups["measure_id"] == "warmtenet_rwzi", "member_ids"
            ]
        )
        for a in (low, high)
    ]
    assert member == [False, True]
    seen = []
    for a in (low, high):
        sheet = _group_sheet(a, OPENBAAR)
        private = ~sheet["measure_id"].map(privacy.public_membership).astype(bool)
        assert sheet.loc[private, "n_companies"].isna().all()
        assert sheet.loc[private, privacy.OTHERS_COLUMN].isna().all()
        hidden = ~privacy.consented(a.buildings)
        wall = ranking.ranking_spec(a, "groepen", opportunity_list(a), hidden)
        outlined = legend.groups(
            privacy.with_public_measures(a.buildings, hidden),
            privacy.measures.BY_ID["warmtenet_rwzi"],
        )
        seen.append(
            (
                sheet[["name", "members_text", "n_companies"]].to_dict("records"),
                wall.codes[_row(a, building_id)],
                outlined.iloc[_row(a, building_id)],
            )
        )
    assert seen[0][:2] == seen[1][:2]
    assert pd.isna(seen[0][2]) and pd.isna(seen[1][2])


def test_p6_a_group_with_public_membership_counts_its_other_members(punt):
    b = punt.buildings
    agreed = set(b.loc[privacy.consented(b), "building_id"].astype(str))
    sheet = _group_sheet(punt, OPENBAAR).set_index("group_id")
    intern = _group_sheet(punt, privacy.INTERN).set_index("group_id")
    row = sheet.loc["kennisdelen-1"]
    members = intern.loc["kennisdelen-1", "member_ids"]
    others = sum(str(m) not in agreed for m in members)
    assert others > 0
    assert row[privacy.OTHERS_COLUMN] == others
    assert row["n_companies"] == len(members)
    assert row["members_text"].endswith(f" en {others} andere bedrijven")


def test_p6_group_figures_follow_the_rules_for_totals():
    # measure "led": a group of 12 of which one company is 20 times the
    # others, and a group of 3; measure "zon": one group of 12, even.
    groups = pd.DataFrame(
        {
            "group_id": ["led-1", "led-2", "zon-1"],
            "measure_id": ["collectieve_inkoop_stroom_led"] * 2 + ["energiecooperatie"],
            "member_ids": [
                tuple(f"a{i}" for i in range(12)),
                ("b0", "b1", "b2"),
                tuple(f"c{i}" for i in range(12)),
            ],
            "n_companies": pd.array([12, 3, 12], dtype="Int64"),
            "mwh_yr": pd.array([31.0, 3.0, 12.0], dtype="Float64"),
            "co2_t_yr": pd.array([12.0, 3.0, 12.0], dtype="Float64"),
            "share_mwh_yr": pd.array([20 / 31, 1 / 3, 1 / 12], dtype="Float64"),
            "share_co2_t_yr": pd.array([1 / 12, 1 / 3, 1 / 12], dtype="Float64"),
        }
    )
    ids = [i for m in groups["member_ids"] for i in m]
    buildings = pd.DataFrame(
        {"building_id": ids, "consent_werksessie": pd.array([False] * len(ids))}
    )
    out = privacy.redact_groups(
        groups, ["mwh_yr", "co2_t_yr"], buildings, OPENBAAR, DEFAULT
    ).set_index("group_id")
    assert pd.isna(out.loc["led-1", "mwh_yr"])  # 20/31 > 50 %: ≈ one company
    # led-2 has 3 members: its CO₂ is hidden, and so is led-1's, since the
    # terrain's LED total minus led-1 would give it
    assert pd.isna(out.loc["led-1", "co2_t_yr"])
    assert "led-2" in out.index and pd.isna(out.loc["led-2", "co2_t_yr"])
    assert out.loc["zon-1", "mwh_yr"] == 12.0  # rounded, 2 digits: 12
    # a private-membership group without a named member is listed only when
    # its figures are shown
    assert "zon-1" in out.index
    assert pd.isna(out.loc["zon-1", "n_companies"])


# --- P7: the solar advice follows own use -------------------------------------


@pytest.fixture(scope="module")
def bitseveld_terrain():
    return kk.load_terrain("demo:bitseveld-westerd")


def _grid_capped(analysis) -> str:
    """A company without consent whose advice is sized to its own use."""
    b = analysis.buildings
    capped = (
        (b["pv_kwp_potential"] < b["pv_kwp_roof"]).to_numpy(bool, na_value=False)
        & b["grid_connection"].eq("grootverbruik").to_numpy(bool, na_value=False)
        & ~privacy.consented(b)
    )
    return str(b.loc[capped, "building_id"].iloc[0])


def test_p7_the_public_solar_advice_is_the_roofs_room(bitseveld):
    building_id = _grid_capped(bitseveld)
    own = bitseveld.buildings.iloc[_row(bitseveld, building_id)]
    # the attack: the advice is smaller than the roof because of own use
    assert own["pv_kwp_potential"] < own["pv_kwp_roof"]
    a = bitseveld.assumptions
    kwp = own["pv_kwp_roof"]  # grootverbruik: no connection cap
    sel = selection.select(bitseveld, variant=OPENBAAR)
    row = sel.buildings.set_index("building_id").loc[building_id]
    assert row["pv_kwp_potential"] == pytest.approx(kwp)
    assert row["pv_kwh_yr_potential"] == pytest.approx(kwp * a.yield_kwh_per_kwp.value)
    low = kwp * 1000 * a.pv_cost_low_eur_per_wp.value
    assert row["pv_invest_eur_low"] == pytest.approx(low)
    assert row["pv_panels"] * a.panel_wp.value / 1000 == pytest.approx(kwp)
    for column in privacy.SOLAR_ADVICE:
        assert column not in privacy.PUBLIC_BUILDING_COLUMNS
    # the panel shows no advice for it, the wall shows the roof's class
    panel = facts.facts_table(bitseveld, building_id, hidden=True)
    solar = panel.set_index("gegeven").loc["Zonnepotentieel", "waarde"]
    assert solar == privacy.HIDDEN_TEXT
    view = next(v for v in projector.VIEWS if v.layer == "solar")
    hidden = ~privacy.consented(bitseveld.buildings)
    layers, _ = projector.view_layers(
        bitseveld.buildings, view, hidden=hidden, assumptions=a
    )
    spec = layers[0][1]
    edges = (15, 50, 100, 250)  # legend.solar_potential classes
    expected = int(np.searchsorted(edges, kwp, side="right"))
    assert spec.codes[_row(bitseveld, building_id)] == expected


def test_p7_the_public_solar_figures_do_not_change_with_use(
    bitseveld, bitseveld_terrain
):
    building_id = _grid_capped(bitseveld)
    seen = []
    for elec in (1_000, 20_000_000):
        a = kk.analyse(
            _with_private_data(bitseveld_terrain, building_id, elec, 0, "nee")
        )
        sel = selection.select(a, variant=OPENBAAR)
        row = sel.buildings.set_index("building_id").loc[building_id]
        seen.append([row[c] for c in privacy.SOLAR_ADVICE])
        seen[-1].append(row["pv_kwp_roof"])
    assert seen[0] == seen[1]


def test_p7_the_wall_solar_layer_does_not_change_with_use(bitseveld, bitseveld_terrain):
    """The Kansenkaart page's solar layer in presentation mode (prepared map
    data, then :func:`mapdata.with_public_solar`) is the same at 1 MWh and
    20 GWh for a company without consent, while the beheerder's layer follows
    its use."""
    from kansenkaart.views import mapdata

    building_id = _grid_capped(bitseveld)
    wall, own = [], []
    for elec in (1_000, 20_000_000):
        a = kk.analyse(
            _with_private_data(bitseveld_terrain, building_id, elec, 0, "nee")
        )
        data = mapdata.prepare(a)
        row = (a.buildings["building_id"].astype(str) == building_id).to_numpy()
        own.append(np.asarray(data.solar.values, dtype=object)[row].tolist())
        hidden = ~privacy.consented(a.buildings)
        public = mapdata.with_public_solar(data, a.buildings, hidden, a.assumptions)
        wall.append(np.asarray(public.solar.values, dtype=object)[row].tolist())
    assert own[0] != own[1], "the prepared layer is sized to the company's use"
    assert wall[0] == wall[1]


# --- P8: dominance everywhere -------------------------------------------------


def test_p8_the_kansenkaart_pdf_hides_a_total_that_is_mostly_one_company(
    punt_secret,
):
    _, _, high = punt_secret  # one company with 20 GWh
    rows = opportunity_list(high)
    shares = privacy.largest_shares(rows, "measure_id", ["kwh_yr"])["kwh_yr"]
    counts = rows.groupby("measure_id")["building_id"].nunique()
    dominated = [
        m
        for m in shares.index
        if pd.notna(shares[m]) and shares[m] > 0.5 and counts[m] >= 10
    ]
    assert dominated  # the attack's lever: a total of ≥ 10 that is one company
    data = kansenkaart_pdf.kansenkaart_pdf(high, rows, opportunity="uitdagingen")
    pages = [
        " ".join(p.extract_text().split())
        for p in pypdf.PdfReader(io.BytesIO(data)).pages
    ]
    for measure_id in dominated:
        name = privacy.measures.BY_ID[measure_id].name
        page = next(p for p in pages if f"Kans: {name}" in p)
        assert "Energie: " not in page.split("Adres")[0], measure_id
        assert "meer dan de helft" in page


def test_p8_dominance_share_is_an_assumption():
    assert DEFAULT.privacy_dominance_share.value == 0.5
    rows = pd.DataFrame(
        {
            "building_id": [f"b{i}" for i in range(12)],
            "measure_id": "led",
            "kwp": pd.array([pd.NA] * 12, dtype="Float64"),
            "kwh_yr": [20_000.0] + [1_000.0] * 11,
            "co2_kg_yr": [100.0] * 12,
            "invest_eur": [1_000.0] * 12,
        }
    )
    lenient = DEFAULT.replace(privacy_dominance_share=0.7)  # 20/31 = 65 % < 70 %
    shown = selection.measure_summary(rows, lenient, OPENBAAR).iloc[0]
    assert shown["kwh_yr"] == 31_000.0


def test_p9_a_consent_withdrawn_on_mijn_pand_hides_the_company_again(punt):
    """A company that consented in the survey and withdraws on *Mijn pand* is
    shown as any company without consent; one that gives consent there is
    shown; unreadable records leave nobody shown (R1)."""
    b = punt.buildings
    yes = b.loc[privacy.consented(b), "building_id"].astype(str).iloc[0]
    no = b.loc[~privacy.consented(b), "building_id"].astype(str).iloc[0]
    assert b.loc[b["building_id"].astype(str) == yes, ENERGY].notna().any(axis=None)

    recorded = privacy.with_recorded_consent(b, {yes: False, no: True})
    public = privacy.redact_buildings(recorded, OPENBAAR).set_index("building_id")
    assert public.loc[yes, ENERGY].isna().all()
    original = b.set_index("building_id")
    assert public.loc[no, "elec_kwh_yr_est"] == original.loc[no, "elec_kwh_yr_est"]
    others = ~b["building_id"].astype(str).isin([yes, no])
    assert (
        privacy.consented(recorded[others.to_numpy()]).tolist()
        == privacy.consented(b[others]).tolist()
    )
    assert privacy.consented(b).sum() > 0, "the input is not changed"

    unreadable = privacy.with_recorded_consent(b, None)
    assert not privacy.consented(unreadable).any()
