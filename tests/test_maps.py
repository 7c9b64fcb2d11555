"""Maps and legends: layers, label colours, hand-counted legends, escaping, privacy.

The fixture is a hand-made terrain of six buildings in a row (40 × 20 m, 60 m
apart) near De Punt; every expected count below is counted by hand from the
table in :func:`analysed`.
"""

from __future__ import annotations

import json
import re

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import kansenkaart as kk
from kansenkaart.core.assumptions import DEFAULT
from kansenkaart.core.model import Analysis, Terrain
from kansenkaart.views import facts, leaflet, legend, mapdata, maps

XSS = "<img src=x onerror=alert(1)>"
X0, Y0 = 234_000.0, 569_000.0
OWNERSHIP = (
    "huurder",
    "eigenaar-gebruiker",
    "belegger",
    "onbekend",
    "huurder",
    "huurder",
)

# Colours printed on the RVO / EP-online energy label for A–G (sample label
# "energielabel-voorbeeld-woningen.pdf"; sRGB of the EU label scale CMYK).
RVO_LABEL_COLOURS = {
    "A": "#009037",
    "B": "#55ab26",
    "C": "#c8d100",
    "D": "#ffec00",
    "E": "#faba00",
    "F": "#eb6909",
    "G": "#e2001a",
}


def _box(i: int) -> shapely.Polygon:
    x = X0 + 60 * i
    return shapely.box(x, Y0, x + 40, Y0 + 20)


@pytest.fixture
def analysed() -> gpd.GeoDataFrame:
    """Six analysed buildings; columns as ``kk.analyse`` produces them."""
    return gpd.GeoDataFrame(
        {
            "building_id": [f"09991000000000{i:02d}" for i in range(6)],
            "address": [f"Teststraat {i + 1}, De Punt" for i in range(6)],
            "company": [XSS, "Bakker B.V.", None, "Visser", "Smit", "Mulder"],
            "energy_label": pd.array(["A", "C", "C", None, "G", "A+"], "string"),
            "construction_year": pd.array(
                [1960, 1980, 2000, None, 2022, 1970], "Int64"
            ),
            "ownership": pd.array(OWNERSHIP, "string"),
            "floor_area_m2": pd.array([400, 1000, 500, 2000, 0, 300], "Float64"),
            "demand_kwh_yr": pd.array(
                [40_000, 200_000, None, 2_000_000, 100_000, 60_000], "Float64"
            ),
            "demand_source": pd.array(
                ["gemeten", "geschat", None, "enquête", "geschat", "gemeten"], "string"
            ),
            "besparingsplicht": pd.array(
                [False, True, None, True, False, False], "boolean"
            ),
            "onderzoeksplicht": pd.array(
                [False, False, None, True, False, False], "boolean"
            ),
            "pv_kwp_existing": pd.array([0, 20, None, 150, 5, 0], "Float64"),
            "pv_kwp_potential": pd.array([10, 60, 30, 300, None, 12], "Float64"),
            "pv_panels": pd.array([23, 138, 69, 690, None, 28], "Int64"),
            "pv_kwh_yr_potential": pd.array(
                [8750, 52500, 26250, 262500, None, 10500], "Float64"
            ),
            "grid_invoeding_status": pd.array([0, 0, 0, 3, 3, None], "Int64"),
            "consent_werksessie": pd.array(
                [True, False, None, False, False, False], "boolean"
            ),
            "measures": [
                ["zon_eigen_dak", "led", "collectieve_inkoop_zon"],
                ["zon_eigen_dak", "energy_hub"],
                [],
                ["led", "collectieve_inkoop_zon", "energy_hub"],
                ["collectieve_inkoop_zon"],
                [],
            ],
            "n_measures": pd.array([3, 2, 0, 3, 1, None], "Int64"),
            "hub_cluster": pd.array([None, 1, None, 1, None, None], "Int64"),
        },
        geometry=[_box(i) for i in range(6)],
        crs="EPSG:28992",
    )


@pytest.fixture
def terrain(analysed) -> Terrain:
    """Boundary, two sources and two grid areas around the six buildings.

    The RWZI (reach 1,500 m) lies 1,450 m west of building 0 and the biogas
    plant (reach 1,000 m, "other") 950 m east of building 5, so exactly
    buildings 0 and 5 are within reach.
    """
    sources = gpd.GeoDataFrame(
        {
            "source_id": ["s1", "s2"],
            "kind": ["rwzi", "biogas"],
            "name": [f"RWZI {XSS}", "Biogas"],
            "heat_mwh_yr": [9000.0, None],
            "power_kw": [None, None],
            "gas_m3_yr": [None, 100_000.0],
            "description": ["", ""],
        },
        geometry=[
            shapely.Point(X0 - 1450, Y0 + 10),
            shapely.Point(X0 + 340 + 950, Y0 + 10),
        ],
        crs="EPSG:28992",
    )
    grid = gpd.GeoDataFrame(
        {
            "area_id": ["w", "o"],
            "name": ["west", "oost"],
            "afname_status": [1, 2],
            "invoeding_status": [0, 3],
            "station": ["Station", "Station"],
            "netbeheerder": ["Enexis", "Enexis"],
        },
        geometry=[
            shapely.box(X0 - 20, Y0 - 20, X0 + 170, Y0 + 40),
            shapely.box(X0 + 170, Y0 - 20, X0 + 360, Y0 + 40),
        ],
        crs="EPSG:28992",
    )
    boundary = gpd.GeoDataFrame(
        {"name": [f"<b>{XSS}</b>"]},
        geometry=[shapely.box(X0 - 20, Y0 - 20, X0 + 360, Y0 + 40)],
        crs="EPSG:28992",
    )
    return Terrain(
        id="test",
        name="Testterrein",
        buildings=analysed,
        survey=pd.DataFrame(columns=["building_id", "consent_werksessie"]),
        sources=sources,
        grid=grid,
        projects=pd.DataFrame(),
        boundary=boundary,
    )


@pytest.fixture
def analysis(terrain, analysed) -> Analysis:
    """The six buildings as an analysis of ``terrain`` with the default set."""
    return Analysis(terrain=terrain, assumptions=DEFAULT, buildings=analysed)


def counts(spec: legend.LayerSpec) -> dict[str, int]:
    table = legend.legend_table(spec)
    return dict(zip(table["klasse"], table["aantal"], strict=True))


def kk_layers(element) -> dict[str, dict]:
    """Options of every building layer in a folium map or group, by key."""
    found = {}
    html = element.get_root().render() if isinstance(element, folium.Map) else ""
    if not html:
        folium.Map().add_child(element)
        html = element.get_root().render()
    for match in re.finditer(r"kkLayer\((\{.*?\})\)\.addTo", html):
        options = json.loads(match.group(1))
        found[options["k"]] = options
    return found


def fill_of(options: dict, position: int) -> str:
    return options["s"][options["c"][position]][0]


# --- legend counts (hand counts) --------------------------------------------


def test_energy_label_legend_counts(analysed):
    assert counts(legend.theme_spec(analysed, "energy_label")) == {
        "A+": 1,
        "A": 1,
        "C": 2,
        "G": 1,
        "onbekend": 1,
    }


def test_construction_year_legend_counts(analysed):
    assert counts(legend.theme_spec(analysed, "construction_year")) == {
        "vóór 1965": 1,
        "1965–1974": 1,
        "1975–1991": 1,
        "1992–2011": 1,
        "2021 of later": 1,
        "onbekend": 1,
    }


def test_energy_total_counts_and_estimates(analysed):
    assert counts(legend.theme_spec(analysed, "energy_total")) == {
        "minder dan 50 MWh": 1,
        "50–150 MWh": 2,
        "150–500 MWh": 1,
        "1.500 MWh of meer": 1,
        "onbekend": 1,
        legend.ESTIMATED_LABEL: 2,
    }


def test_energy_intensity_counts_unknown_floor_area_as_unknown(analysed):
    # 100, 200, –, 1000, (floor area 0), 200 kWh/m²; building 4 is estimated
    # but unknown, so only building 1 counts as an estimate.
    assert counts(legend.theme_spec(analysed, "energy_intensity")) == {
        "100–200 kWh/m²": 1,
        "200–350 kWh/m²": 2,
        "600 kWh/m² of meer": 1,
        "onbekend": 2,
        legend.ESTIMATED_LABEL: 1,
    }


def test_ownership_obligation_and_solar_counts(analysed):
    assert counts(legend.theme_spec(analysed, "ownership")) == {
        "eigenaar-gebruiker": 1,
        "huurder": 3,
        "belegger": 1,
        "onbekend": 1,
    }
    assert counts(legend.theme_spec(analysed, "obligations")) == {
        "onderzoeksplicht (en besparingsplicht)": 1,
        "energiebesparingsplicht": 1,
        "geen besparingsplicht": 3,
        "onbekend": 1,
    }
    assert counts(legend.theme_spec(analysed, "solar_existing")) == {
        "geen zonnepanelen": 2,
        "minder dan 15 kWp": 1,
        "15–100 kWp": 1,
        "100 kWp of meer": 1,
        "onbekend": 1,
    }


def test_theme_without_data_is_unknown_with_a_dutch_note(analysed):
    empty = analysed.drop(columns=["demand_kwh_yr", "demand_source"])
    spec = legend.theme_spec(empty, "energy_total")
    assert counts(spec) == {"onbekend": 6}
    assert "geen gegevens" in spec.note
    assert set(spec.values) == {"onbekend"}


def test_every_theme_has_a_dutch_name():
    assert legend.theme_names() == {
        "energy_label": "Energielabel",
        "construction_year": "Bouwjaar",
        "energy_total": "Energiegebruik (totaal)",
        "energy_intensity": "Energiegebruik per m²",
        "ownership": "Eigendom",
        "obligations": "Energiebesparingsplicht",
        "solar_existing": "Bestaande zonnepanelen",
    }


# --- colours ------------------------------------------------------------------


def test_label_colours_follow_the_rvo_label(analysis, analysed):
    layer = kk_layers(maps.current_state_map(analysis, "energy_label"))["thema"]
    labels = analysed["energy_label"].tolist()
    for position, label in enumerate(labels):
        if label in RVO_LABEL_COLOURS:
            assert fill_of(layer, position) == RVO_LABEL_COLOURS[label]
    assert fill_of(layer, 3) == "#b4b4b4"  # no label: grey


def test_a_plus_classes_are_darker_greens_than_a():
    def rgb(hex_colour):
        return [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]

    greens = [legend.colors.ENERGY_LABEL[k] for k in ("A+++++", "A++++", "A+++")]
    greens += [legend.colors.ENERGY_LABEL[k] for k in ("A++", "A+", "A")]
    brightness = [sum(rgb(c)) for c in greens]
    assert brightness == sorted(brightness)
    assert all(g > r and g > b for r, g, b in map(rgb, greens))


def test_grid_areas_use_capaciteitskaart_colours(analysis, analysed, terrain):
    data = mapdata.prepare(analysis)
    colours = [f["properties"]["colour"] for f in data.grid["features"]]
    assert colours == ["#2e9e44", "#d7263d"]  # status 0 green, 3 red


# --- map structure --------------------------------------------------------


def test_current_state_map_has_basemaps_buildings_and_controls(
    analysis, analysed, terrain
):
    m = maps.current_state_map(analysis, "construction_year")
    children = list(m._children.values())
    tiles = [c for c in children if isinstance(c, folium.TileLayer)]
    assert [t.layer_name for t in tiles] == [name for name, _, _ in maps.BASEMAPS]
    assert any("service.pdok.nl/hwh/luchtfotorgb" in t.tiles for t in tiles)
    assert sum(t.show for t in tiles) == 1
    groups = [c for c in children if isinstance(c, folium.FeatureGroup)]
    assert [g.layer_name for g in groups] == ["Gebouwen: Bouwjaar"]
    assert any(isinstance(c, folium.LayerControl) for c in children)
    assert m.options["prefer_canvas"] is True
    layer = kk_layers(m)["thema"]
    assert len(layer["c"]) == 6
    html = maps.to_html(m)
    assert "Terreingrens" in html and "L.control.scale" in html


def test_building_outlines_round_trip_within_a_metre(analysed):
    wgs = analysed.to_crs("EPSG:4326").geometry
    encoded = mapdata.encode_outlines(wgs)
    x0, y0 = encoded["o"]
    for geom, parts in zip(wgs, encoded["g"], strict=True):
        (ring,) = parts[0]
        xs = np.cumsum([x0 + ring[0], *ring[2::2]]) / mapdata.SCALE
        ys = np.cumsum([y0 + ring[1], *ring[3::2]]) / mapdata.SCALE
        expected = np.asarray(geom.exterior.coords)[:-1]
        assert len(xs) == 4
        assert np.abs(xs - expected[:, 0]).max() < 1e-5
        assert np.abs(ys - expected[:, 1]).max() < 1e-5


def test_opportunity_map_has_grid_sources_reach_and_solar(analysis, analysed, terrain):
    m = maps.opportunity_map(analysis)
    names = [getattr(c, "layer_name", None) for c in m._children.values()]
    for name in (
        "Netcapaciteit invoeding (Capaciteitskaart)",
        "Zonnepotentieel per dak (kWp)",
        "Koppelbronnen en bereik",
        "Panden binnen bereik van een bron",
        "Gebouwen: kansen",
    ):
        assert name in names
    layers = kk_layers(m)
    reach = [i for i, c in enumerate(layers["bereik"]["c"]) if c >= 0]
    assert reach == [0, 5]
    assert counts(legend.solar_potential(analysed)) == {
        "minder dan 15 kWp": 2,
        "15–50 kWp": 1,
        "50–100 kWp": 1,
        "250 kWp of meer": 1,
        "onbekend": 1,
    }


def test_reach_and_grid_legends_count_buildings(analysis, analysed, terrain):
    data = mapdata.prepare(analysis)
    assert data.reach_counts["aantal"].tolist() == [1, 1]
    assert data.reach_counts["klasse"].iloc[0].startswith("binnen 1.500 m van RWZI")
    grid = data.grid_counts
    assert dict(zip(grid["klasse"], grid["aantal"], strict=True)) == {
        "0 · capaciteit beschikbaar (groen)": 3,
        "3 · tekort (rood)": 2,
        "onbekend": 1,
    }


# --- opportunities filter ---------------------------------------------------


def test_filter_individual_vs_collective_changes_the_highlight(analysed):
    individual, _ = maps.opportunity_group(
        analysed, "individual", ["zon_eigen_dak", "led"]
    )
    collective, _ = maps.opportunity_group(
        analysed, "collective", ["collectieve_inkoop_zon", "energy_hub"]
    )
    # per building: individual 2,1,0,1,0,? and collective 1,1,0,2,1,?
    assert kk_layers(individual)["kansen"]["c"] == [2, 1, 0, 1, 0, 3]
    assert kk_layers(collective)["kansen"]["c"] == [1, 1, 0, 2, 1, 3]


def test_collective_participants_are_outlined_and_grouped(analysed):
    group, sections = maps.opportunity_group(analysed, "collective", ["energy_hub"])
    layers = kk_layers(group)
    outline = layers["groep:energy_hub"]
    assert [i for i, c in enumerate(outline["c"]) if c >= 0] == [1, 3]
    assert outline["s"][0][1] == 0  # no fill: the building below stays clickable
    titles = [title for title, _, _ in sections]
    assert "Deelnemers collectieve maatregel (omlijnd)" in titles
    html = group.get_root().render()
    assert "2 bedrijven op de kaart" in html  # one envelope for hub cluster 1


def test_two_outlined_measures_give_stylable_legends():
    # Two outline tables used to be concatenated with a duplicate index, which
    # pandas' Styler (used by the page) refuses. On De Punt both apply.
    de_punt = kk.analyse(kk.load_terrain("demo:de-punt"))
    _, sections = maps.opportunity_group(
        de_punt.buildings, "collective", ["energy_hub", "collectieve_batterij"]
    )
    assert len(sections[-1][1]) == 2
    for _, table, _ in sections:
        assert table.index.is_unique
        legend.styled(table).to_html()


def test_single_measure_colours_its_buildings(analysed):
    chosen = legend.selected_measures("individual", ["led"])
    assert counts(legend.opportunity_spec(analysed, chosen)) == {
        "geen kans": 3,
        "kans: LED-verlichting": 2,
        "onbekend": 1,
    }


def test_count_classes_split_many_measures_in_four():
    assert legend.count_classes(3) == ([1, 2, 3], [1, 2, 3])
    assert legend.count_classes(16) == ([1, 5, 9, 13], [4, 8, 12, 16])


def test_unknown_scope_is_refused(analysed):
    with pytest.raises(ValueError, match="onbekende schaal"):
        maps.opportunity_group(analysed, "alles")


# --- security and privacy ---------------------------------------------------


def test_company_names_and_source_names_are_escaped(analysis, analysed, terrain):
    for m in (
        maps.current_state_map(analysis),
        maps.opportunity_map(analysis),
    ):
        html = maps.to_html(m)
        assert XSS not in html
        assert "<b><img" not in html
    data = mapdata.prepare(analysis)
    payload = json.loads(data.buildings_js)
    assert payload["n"][0] == "&lt;img src=x onerror=alert(1)&gt;"
    tip = data.boundary["features"][0]["properties"]["tip"]
    escaped = "&lt;b&gt;&lt;img src=x onerror=alert(1)&gt;&lt;/b&gt;"
    assert tip == f"<b>Terreingrens</b><br>{escaped}"
    assert "RWZI &lt;img" in json.dumps(data.rings)


def test_user_text_is_never_evaluated_as_a_template(analysis, analysed, terrain):
    # folium renders element scripts a second time as Jinja templates
    tricky = analysed.assign(company=["X{{ 7*7 }}X", "{% if 1 %}Y{% endif %}"] * 3)
    html = maps.to_html(maps.current_state_map(analysis.with_buildings(tricky)))
    assert "X49X" not in html
    payload = json.loads(mapdata.prepare(analysis.with_buildings(tricky)).buildings_js)
    assert payload["n"][:2] == [
        "X&#123;&#123; 7*7 &#125;&#125;X",
        "&#123;% if 1 %&#125;Y&#123;% endif %&#125;",
    ]
    assert leaflet.js("a{{b}}{%c") == '"a\\u007b{b}}\\u007b%c"'


def test_presentation_mode_hides_energy_without_consent(analysis, analysed):
    hidden = legend.hidden_mask(analysed, private=True)
    assert hidden.tolist() == [False, True, True, True, True, True]
    spec = legend.theme_spec(analysed, "energy_total", hidden)
    assert counts(spec) == {"minder dan 50 MWh": 1, legend.HIDDEN_LABEL: 5}
    assert spec.values[3] == "niet getoond"
    public = maps.to_html(maps.current_state_map(analysis, "energy_total"))
    private = maps.to_html(
        maps.current_state_map(analysis, "energy_total", private=True)
    )
    assert "2.000 MWh per jaar" in public
    assert "2.000 MWh per jaar" not in private
    # the energy label is public (EP-online): not hidden
    label = legend.theme_spec(analysed, "energy_label", hidden)
    assert legend.HIDDEN_LABEL not in counts(label)


def test_consent_from_the_survey_when_the_analysis_lacks_it(analysed):
    survey = pd.DataFrame(
        {
            "building_id": ["0999100000000003", None],
            "consent_werksessie": pd.array([True, True], "boolean"),
        }
    )
    plain = analysed.drop(columns="consent_werksessie")
    hidden = legend.hidden_mask(plain, True, survey)
    assert hidden.tolist() == [True, True, True, False, True, True]


def test_building_facts_in_dutch_and_hidden_when_asked(analysed):
    shown = facts.facts_table(analysed, 3).set_index("gegeven")["waarde"]
    assert shown["Adres"] == "Teststraat 4, De Punt"
    # 2.000.000 kWh: from 1.000 MWh on in GWh with one decimal (fmt.energy)
    assert shown["Energiegebruik"] == "2,0 GWh per jaar (enquête)"
    assert shown["Energielabel"] == "onbekend"
    assert shown["Onderzoeksplicht"] == "ja"
    assert shown["Netcapaciteit invoeding"] == "3 · tekort (rood)"
    hidden = facts.facts_table(analysed, 3, hidden=True).set_index("gegeven")
    assert hidden.loc["Energiegebruik", "waarde"] == "niet getoond"
    assert hidden.loc["Energielabel", "waarde"] == "onbekend"


def test_maps_work_offline_with_leaflet_inlined(analysis, analysed):
    html = maps.to_html(maps.current_state_map(analysis))
    assert re.search(r'<script[^>]+src="https?:', html) is None
    assert re.search(r'<link[^>]+href="https?:', html) is None
    assert "data:text/javascript;base64," in html
    cdn = maps.to_html(maps.current_state_map(analysis, inline_assets=False))
    assert "cdn.jsdelivr.net/npm/leaflet" in cdn
    assert "jquery" not in cdn and "bootstrap" not in cdn


def test_inputs_are_not_modified(analysis, analysed, terrain):
    before = analysed.copy()
    maps.current_state_map(analysis, "energy_total", private=True)
    maps.opportunity_map(analysis, "collective")
    pd.testing.assert_frame_equal(analysed, before)


# --- search and clicks -----------------------------------------------------------


def test_click_parsing():
    clicked = {"last_active_drawing": {"properties": {"i": 4}}}
    assert maps.clicked_position(clicked) == 4
    assert maps.clicked_position({"last_active_drawing": None}) is None
    assert maps.clicked_position(None) is None
