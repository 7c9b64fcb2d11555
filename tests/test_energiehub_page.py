"""AppTest of the energiehub page on a demo terrain with grid congestion."""

import kansenkaart as kk
from kansenkaart.core.assumptions import DEFAULT
from kansenkaart.engine import privacy
from tests.test_app import run_page


def test_group_shows_gain_hours_and_a_battery_with_its_basis():
    at = run_page("3_energiehub.py", "demo:de-punt")
    assert not at.exception, [e.value for e in at.exception]
    at.radio[0].set_value("intern").run()
    at.slider[0].set_value(80).run()
    metrics = {m.label: m.value for m in at.metric}
    assert {"Deelwinst piek", "Uren boven de grens"} <= set(metrics)
    assert metrics["Uren boven de grens"] != "0 uur"
    text = " ".join(m.value for m in at.markdown)
    assert "Kleinste batterij" in text and "kWh" in text
    captions = " ".join(c.value for c in at.caption)
    assert "Indicatief" in captions and "NEDU" in captions and "Ontladen" in captions
    assert len(at.get("plotly_chart")) == 3


def test_public_view_hides_a_small_group_without_consent():
    at = run_page("3_energiehub.py", "demo:de-punt")
    at.radio[0].set_value("openbaar").run()
    hidden = any("niet getoond" in w.value for w in at.info)
    # the first group of the list (the largest), under 10 companies: shown
    # only when every member consented (survey toestemming_werksessie), as
    # privacy.py rules
    result = kk.analyse(kk.load_terrain("demo:de-punt"), DEFAULT)
    hubs = result.groups[
        result.groups["measure_id"].isin(["energy_hub", "collectieve_batterij"])
    ]
    first = hubs.loc[hubs["n_companies"].idxmax()]
    rows = result.buildings[
        result.buildings["building_id"].astype(str).isin(first["member_ids"])
    ]
    assert len(rows) < privacy.min_group(DEFAULT)
    assert hidden == (not privacy.consented(rows).all())
    assert len(at.get("plotly_chart")) == (0 if hidden else 3)
