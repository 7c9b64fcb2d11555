"""The output-column contract (kansenkaart/core/columns.py) and its docs hold."""

from __future__ import annotations

import dataclasses
import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import kansenkaart as kk
from kansenkaart.core import columns as cc
from kansenkaart.core import schema
from kansenkaart.core.assumptions import DEFAULT

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "COLUMNS.md"
REGENERATE = "python -m kansenkaart.core.columns > docs/COLUMNS.md"
UPDATE = "update COLUMNS in kansenkaart/core/columns.py, then " + REGENERATE


def _measure_ids() -> list[str]:
    from kansenkaart.engine import measures

    return [m.id for m in measures.CATALOGUE]


@pytest.fixture(scope="module", params=kk.list_demo_terrains())
def analysed(request):
    terrain = kk.load_terrain(f"demo:{request.param}")
    return terrain, kk.analyse(terrain).buildings


# --- every demo terrain keeps the contract ------------------------------------


def test_demo_input_is_the_buildings_schema(analysed):
    terrain, _ = analysed
    assert list(terrain.buildings.columns) == list(cc.INPUT_COLUMNS)


def test_analyse_gives_the_inputs_then_exactly_the_contract_columns(analysed):
    _, out = analysed
    expected = cc.expected_columns()
    added = [c for c in out.columns if c not in expected]
    removed = [c for c in expected if c not in out.columns]
    assert added == [], f"analyse makes columns not in the contract: {added}; {UPDATE}"
    assert removed == [], f"contract columns analyse no longer makes: {removed}"
    assert list(out.columns) == expected, "column order differs from the contract"


def test_every_computed_column_has_the_contract_dtype(analysed):
    _, out = analysed
    wrong = {
        c.name: f"{out[c.name].dtype} (contract: {c.dtype})"
        for c in cc.COLUMNS
        if str(out[c.name].dtype) != c.dtype
    }
    assert wrong == {}, UPDATE


def test_categorical_columns_hold_only_the_contract_values(analysed):
    _, out = analysed
    wrong = {}
    for column in (c for c in cc.COLUMNS if c.values):
        present = set(out[column.name].dropna().tolist())
        if present - set(column.values):
            wrong[column.name] = sorted(map(str, present - set(column.values)))
    assert wrong == {}, UPDATE


def test_measures_is_a_list_of_catalogue_ids_and_n_measures_counts_it(analysed):
    _, out = analysed
    assert all(isinstance(v, list) for v in out["measures"])
    used = {m for ids in out["measures"] for m in ids}
    assert used <= set(_measure_ids())
    lengths = out["measures"].map(len).astype("Int64")
    assert lengths.tolist() == out["n_measures"].tolist()


def test_check_finds_nothing_wrong_with_a_demo_terrain(analysed):
    _, out = analysed
    assert cc.check(out, allowed={"measures": _measure_ids()}) == []


def test_a_terrain_with_only_buildings_keeps_the_contract(csv_terrain):
    # no survey, sources or grid: the all-missing branches must keep the dtypes
    terrain = kk.load_terrain(csv_terrain)
    out = kk.analyse(terrain).buildings
    assert cc.check(out, terrain.buildings.columns) == []


def test_extra_input_columns_pass_through_and_computed_names_replace_inputs():
    terrain = kk.load_terrain("demo:de-punt")
    extra = terrain.buildings.assign(note="x", measures="stale", n_measures=-1)
    out = kk.analyse(dataclasses.replace(terrain, buildings=extra)).buildings
    expected = [c for c in extra.columns if c not in ("measures", "n_measures")]
    assert list(out.columns) == expected + list(cc.NAMES)
    assert (out["note"] == "x").all()
    assert cc.check(out, extra.columns) == []


# --- the check itself -------------------------------------------------------


def _fabricated() -> pd.DataFrame:
    """Two rows that keep the contract, made from the contract alone."""
    frame = {"building_id": pd.Series(["1", "2"], dtype="string")}
    for column in cc.COLUMNS:
        if column.dtype == "object":
            frame[column.name] = pd.Series([["led"], []], dtype=object)
        else:
            value = column.values[0] if column.values else pd.NA
            frame[column.name] = pd.Series([value, pd.NA], dtype=column.dtype)
    return pd.DataFrame(frame)


def _check(frame: pd.DataFrame) -> list[str]:
    return cc.check(frame, input_columns=("building_id",))


def test_the_check_accepts_the_fabricated_frame():
    assert _check(_fabricated()) == []


def test_the_check_reports_an_extra_column_by_name():
    assert _check(_fabricated().assign(surprise=1.0)) == [
        "column 'surprise' is not in the contract"
    ]


def test_the_check_reports_a_missing_column_by_name():
    assert _check(_fabricated().drop(columns="pv_panels")) == [
        "column 'pv_panels' is missing"
    ]


def test_the_check_reports_both_names_of_a_renamed_column():
    frame = _fabricated().rename(columns={"co2_kg_yr": "co2_kg"})
    assert _check(frame) == [
        "column 'co2_kg_yr' is missing",
        "column 'co2_kg' is not in the contract",
    ]


def test_the_check_reports_a_dtype_and_a_value_outside_the_contract():
    frame = _fabricated()
    frame["pv_panels"] = frame["pv_panels"].astype("Float64")
    frame["demand_source"] = pd.Series(["gemeten", "gegokt"], dtype="string")
    frame["grid_afname_status"] = pd.Series([0, 4], dtype="Int64")
    assert _check(frame) == [  # in contract order
        "column 'demand_source' holds gegokt: not allowed",
        "column 'pv_panels' is Float64, not Int64",
        "column 'grid_afname_status' holds 4: not allowed",
    ]


def test_the_check_reports_order_lists_and_unknown_measure_ids():
    frame = _fabricated()
    swapped = frame[["building_id", *reversed(cc.NAMES)]]
    assert _check(swapped) == [
        f"column '{cc.NAMES[-1]}' is at the place of '{cc.NAMES[0]}'"
    ]
    frame["measures"] = pd.Series([["led"], "led"], dtype=object)
    assert _check(frame) == ["column 'measures' does not hold a list in every row"]
    frame["measures"] = pd.Series([["led"], ["vliegende_auto"]], dtype=object)
    problems = cc.check(frame, ("building_id",), {"measures": _measure_ids()})
    assert problems == ["column 'measures' holds vliegende_auto: not allowed"]


# --- the contract is complete and points at things that exist ------------------


def test_every_column_is_described_once_with_a_known_dtype_and_producer():
    assert len(set(cc.NAMES)) == len(cc.NAMES)
    assert not set(cc.NAMES) & {c.name for c in schema.BUILDINGS.columns}
    dtypes = {"Float64", "Int64", "boolean", "string", "object"}
    for column in cc.COLUMNS:
        assert column.dtype in dtypes, column.name
        assert column.unit and column.meaning and "\n" not in column.meaning
        module, _, function = column.producer.rpartition(".")
        producer = getattr(importlib.import_module(f"kansenkaart.{module}"), function)
        assert callable(producer), column.producer


def test_every_demand_category_has_its_intensities():
    # The engine maps each category to elec_/gas_ intensities of the set.
    for category in cc.DEMAND_CATEGORIES:
        assert getattr(DEFAULT, f"elec_kwh_m2_{category}").value > 0
        assert getattr(DEFAULT, f"gas_m3_m2_{category}").value >= 0


def test_dutch_labels_are_referenced_where_they_live():
    module, _, name = cc.EXPORT.rpartition(".")  # the reference itself resolves
    fields = getattr(importlib.import_module(f"kansenkaart.{module}"), name)
    exported = {f.name for f in fields}
    for column in cc.COLUMNS:
        if column.label_ref == cc.EXPORT:
            assert column.name in exported, column.name
            assert not column.label, column.name
        elif column.label_ref == cc.SURVEY_REF:
            assert column.label == schema.SURVEY.column(column.name).label
        else:
            assert column.label_ref == "" and not column.label, column.name
            assert column.name not in exported, f"{column.name}: label in export"


def test_meanings_name_only_columns_and_settings_that_exist():
    known = set(cc.NAMES) | set(dict(DEFAULT)) | set(_measure_ids())
    known |= {c.name for table in schema.ALL for c in table.columns}
    for column in cc.COLUMNS:
        for word in re.findall(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+_?\*?", column.meaning):
            if word.endswith("*"):
                assert any(k.startswith(word[:-1]) for k in known), word
            else:
                assert word in known, f"{column.name}: '{word}' is no column/setting"


def test_privacy_lists_only_columns_that_exist():
    from kansenkaart.engine import privacy

    known = set(cc.expected_columns()) | {privacy.HIDDEN_COLUMN}
    assert sorted(privacy.PUBLIC_BUILDING_COLUMNS - known) == []


# --- the docs are generated from the contract --------------------------------


def test_docs_columns_md_is_the_generated_contract():
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else ""
    assert text == cc.contract_markdown(), f"docs/COLUMNS.md is stale: {REGENERATE}"
    assert f"## Computed columns ({len(cc.COLUMNS)})" in text
    assert all(f"| `{name}` |" in text for name in cc.NAMES)


def test_running_the_module_prints_the_markdown():
    result = subprocess.run(
        [sys.executable, "-m", "kansenkaart.core.columns"],
        cwd=ROOT,
        capture_output=True,
        check=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(ROOT)},
    )
    assert result.stdout.decode("utf-8") == cc.contract_markdown()


def test_the_analyse_docstring_names_every_computed_column():
    doc = kk.analyse.__doc__
    named = [c.name for c in cc.COLUMNS if c.label_ref != cc.SURVEY_REF]
    assert [n for n in named if f"``{n}``" not in doc] == []
    assert "SURVEY_COLUMNS" in doc  # the survey answers are named as a group
