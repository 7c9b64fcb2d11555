"""The assumption sets: values from DESIGN.md section 5, overriding, the table."""

from __future__ import annotations

import dataclasses
import math

import pytest

from kansenkaart.core.assumptions import DEFAULT, LEIDRAAD, Assumption, table


def test_default_values_are_those_of_the_design():
    assert DEFAULT.panel_wp.value == 435
    assert (DEFAULT.panel_length_m.value, DEFAULT.panel_width_m.value) == (1.72, 1.13)
    assert 0.5 <= DEFAULT.flat_usable_fraction.value <= 0.6
    assert DEFAULT.pitched_south_fraction.value == 0.5
    assert DEFAULT.yield_kwh_per_kwp.value == 875
    assert DEFAULT.sde_min_kwp.value == 15
    assert DEFAULT.gas_kwh_per_m3.value == pytest.approx(31.65 / 3.6, abs=0.01)
    assert DEFAULT.co2_gas_kg_per_m3.value == 1.78
    assert DEFAULT.co2_elec_kg_per_kwh.value == 0.48
    assert DEFAULT.besparingsplicht_kwh.value == 50_000
    assert DEFAULT.besparingsplicht_gas_m3.value == 25_000
    assert DEFAULT.onderzoeksplicht_kwh.value == 10_000_000
    assert DEFAULT.onderzoeksplicht_gas_m3.value == 170_000
    assert DEFAULT.coupling_radius_rwzi_m.value == 1_500
    assert DEFAULT.privacy_min_connections.value == 10


def test_every_assumption_has_a_dutch_name_unit_and_source():
    for key, item in DEFAULT:
        assert math.isfinite(item.value), key
        assert item.name and item.unit and item.source, key


def test_leidraad_set_matches_the_leidraad_table():
    # Leidraad table: 32 kWp / 103 panels and 58 / 189 → about 310 Wp per panel.
    assert LEIDRAAD.panel_wp.value == pytest.approx(32_000 / 103, rel=0.01)
    # 103 panels on 410 m² and 189 on 755 m² → about 0.25 panels per m² of roof.
    per_m2 = LEIDRAAD.flat_usable_fraction.value / (
        LEIDRAAD.panel_length_m.value * LEIDRAAD.panel_width_m.value
    )
    assert per_m2 == pytest.approx(0.25, rel=0.02)


def test_leidraad_differs_from_default_only_in_the_panel_and_flat_roof():
    changed = {key for key, item in LEIDRAAD if item != getattr(DEFAULT, key)}
    assert changed == {
        "panel_wp",
        "panel_length_m",
        "panel_width_m",
        "flat_usable_fraction",
    }


def test_replace_changes_a_value_and_keeps_the_original():
    mine = DEFAULT.replace(panel_wp=400)
    assert mine.panel_wp.value == 400.0
    assert mine.panel_wp.unit == "Wp"
    assert "aangepast" in mine.panel_wp.source
    assert "435" in mine.panel_wp.source
    assert DEFAULT.panel_wp.value == 435
    assert mine.label == "Standaard (aangepast)"
    assert mine.yield_kwh_per_kwp == DEFAULT.yield_kwh_per_kwp


def test_replace_takes_a_whole_assumption_and_a_label():
    item = Assumption(0.3, "kg/kWh", "CO2 stroom", "eigen mix")
    mine = DEFAULT.replace(label="Groene stroom", co2_elec_kg_per_kwh=item)
    assert mine.co2_elec_kg_per_kwh is item
    assert mine.label == "Groene stroom"


def test_replace_refuses_unknown_keys_and_non_numbers():
    with pytest.raises(KeyError, match="onbekende aanname"):
        DEFAULT.replace(panel_watt=400)
    for bad in ("400", True, float("nan"), None):
        with pytest.raises(ValueError, match="getal"):
            DEFAULT.replace(panel_wp=bad)


def test_sets_are_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT.panel_wp = DEFAULT.yield_kwh_per_kwp


def test_table_lists_every_assumption_in_dutch():
    t = table(DEFAULT)
    assert list(t.columns) == [
        "sleutel",
        "aanname",
        "waarde",
        "eenheid",
        "bron",
        "indicatief",
    ]
    assert len(t) == len(list(DEFAULT))
    row = t.set_index("sleutel").loc["panel_wp"]
    assert row["aanname"] == "Piekvermogen per zonnepaneel"
    assert row["waarde"] == 435
    assert t["indicatief"].any() and not t["indicatief"].all()


def test_adjustable_keys_exist_in_every_set():
    from kansenkaart.core.assumptions import ADJUSTABLE, SETS

    for a in SETS.values():
        keys = dict(a)
        assert all(k in keys for k in ADJUSTABLE)
