"""Ophalen bij PDOK: paging, limits, offline errors, and the *Data laden* page.

Every test replays recorded or constructed responses through an injected
opener; none touches the network. Provenance of the recorded pages:
``tests/fixtures/real/README.md``, section "PDOK BAG".
"""

import json
import urllib.error
import urllib.parse
from pathlib import Path

import geopandas as gpd
import pytest
from streamlit.testing.v1 import AppTest

from kansenkaart.core.errors import DataError
from kansenkaart.io import pdok
from kansenkaart.io.bag import read_bag

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "tests" / "fixtures" / "real" / "pdok"
PAND_PAGE = (REAL / "wfs_pand_hark15.json").read_bytes()
VBO_PAGE = (REAL / "wfs_verblijfsobject_hark15.json").read_bytes()
OGC_PAND = json.loads((REAL / "ogc_pand_0394100003049202.json").read_text())
EMPTY = b'{"type": "FeatureCollection", "features": []}'
# Test-made terrain around the recorded pand Hark 15, 's-Hertogenbosch (RD New).
BOUNDARY = json.dumps(
    {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Hark (test)"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [151100, 415700],
                            [151200, 415700],
                            [151200, 415800],
                            [151100, 415800],
                            [151100, 415700],
                        ]
                    ],
                },
            }
        ],
    }
).encode()


class Recorded:
    """Opener replaying pages: ``route(query) -> bytes``; remembers the URLs."""

    def __init__(self, route):
        self.route = route
        self.urls: list[str] = []

    def __call__(self, url: str, timeout_s: float) -> bytes:
        self.urls.append(url)
        return self.route(_query(url))

    def queries(self) -> list[dict[str, str]]:
        return [_query(u) for u in self.urls]


def _query(url: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


def _wfs(query: dict[str, str]) -> bytes:
    """The recorded WFS pages: page 1 of each type, then an empty page."""
    if query.get("startIndex", "0") != "0":
        return EMPTY
    return PAND_PAGE if query["typeNames"] == "bag:pand" else VBO_PAGE


def _read(fetched: pdok.Fetched, tmp_path: Path):
    paths = []
    for name, data in fetched.files:
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    return read_bag(paths)


# --------------------------------------------------------------------- library


def test_wfs_pages_through_start_index_and_read_bag_links_the_address(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(pdok, "PAGE_SIZE", 1)
    opener = Recorded(_wfs)
    fetched = pdok.fetch_bbox(
        (151100.0, 415700.0, 151200.0, 415800.0), opener=opener, request="de test"
    )
    pand_pages = [q for q in opener.queries() if q["typeNames"] == "bag:pand"]
    # A full page (1 of 1 asked) means: ask the next one, from index 1.
    assert [q["startIndex"] for q in pand_pages] == ["0", "1"]
    assert {q["count"] for q in pand_pages} == {"1"}
    assert pand_pages[0]["bbox"] == (
        "151100.000,415700.000,151200.000,415800.000,urn:ogc:def:crs:EPSG::28992"
    )
    assert pand_pages[0]["srsName"] == "EPSG:28992"
    assert (fetched.panden, fetched.verblijfsobjecten) == (1, 1)
    assert [name for name, _ in fetched.files] == [pdok.PAND_FILE, pdok.VBO_FILE]
    bag = _read(fetched, tmp_path)
    # The recorded WFS pages: pand 796100000431787 (bouwjaar 2010) holds
    # verblijfsobject 796010000431789, Hark 15, 5236PD 's-Hertogenbosch.
    assert bag.panden["pand_id"].tolist() == ["0796100000431787"]
    assert bag.panden["construction_year"].tolist() == [2010]
    vbo = bag.vbo.iloc[0]
    assert (vbo["vbo_id"], vbo["pand_id"]) == ("0796010000431789", "0796100000431787")
    assert (vbo["postcode"], vbo["house_number"], vbo["street"]) == (
        "5236PD",
        "15",
        "Hark",
    )
    assert bool(vbo["in_terrain"])


def test_features_are_kept_as_pdok_published_them():
    fetched = pdok.fetch_bbox((0.0, 0.0, 1.0, 1.0), opener=Recorded(_wfs))
    written = json.loads(dict(fetched.files)[pdok.PAND_FILE])
    recorded = json.loads(PAND_PAGE)
    assert written["features"] == recorded["features"]
    assert written["crs"] == recorded["crs"]


def test_progress_rises_to_one_with_dutch_text():
    calls = []
    pdok.fetch_bbox(
        (0.0, 0.0, 1.0, 1.0),
        opener=Recorded(_wfs),
        progress=lambda fraction, text: calls.append((fraction, text)),
    )
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions)
    assert 0 < fractions[0] < 0.5 <= fractions[1] < 1 == fractions[-1]
    assert calls[0][1] == "1 panden opgehaald bij PDOK…"
    assert calls[-1][1].startswith("Opgehaald bij PDOK voor het terrein: 1 panden")


def test_more_features_than_the_maximum_stops_with_a_dutch_message():
    # Constructed: the recorded pand twice, as a page of two features.
    page = json.loads(PAND_PAGE)
    page["features"] *= 2
    opener = Recorded(lambda q: json.dumps(page).encode())
    with pytest.raises(DataError) as caught:
        pdok.fetch_bbox((0.0, 0.0, 1.0, 1.0), opener=opener, max_features=1)
    message = str(caught.value)
    assert "PDOK heeft meer dan 1 panden voor dit gebied" in message
    assert "kies een kleinere terreingrens" in message
    # Never more than one feature past the maximum is asked for.
    assert [q["count"] for q in opener.queries()] == ["2"]


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            urllib.error.URLError(OSError("Name or service not known")),
            "geen verbinding",
        ),
        (TimeoutError("timed out"), "niet binnen 30 seconden"),
        (urllib.error.URLError(TimeoutError("timed out")), "niet binnen 30 seconden"),
        (
            urllib.error.HTTPError(pdok.WFS_URL, 503, "Service Unavailable", {}, None),
            "foutmelding (HTTP 503)",
        ),
    ],
)
def test_network_failures_become_dutch_errors(error, expected):
    def offline(url, timeout_s):
        raise error

    with pytest.raises(DataError) as caught:
        pdok.fetch_bbox((0.0, 0.0, 1.0, 1.0), opener=offline)
    message = str(caught.value)
    assert expected in message
    assert "PDOK BAG-WFS (bag:pand)" in message
    assert "laad de bestanden zelf" in message


def test_a_page_that_is_no_geojson_is_refused():
    with pytest.raises(DataError, match="geen GeoJSON-FeatureCollection"):
        pdok.fetch_bbox((0.0, 0.0, 1.0, 1.0), opener=Recorded(lambda q: b"<html/>"))


def test_ogc_api_follows_the_next_link_and_asks_rd_bbox(tmp_path):
    # Constructed pages (OGC API - Features envelope) around the real feature.
    next_url = f"{pdok.OGC_URL}/collections/pand/items?cursor=Fjol%7C2XCYlA&f=json"
    pages = {
        "": {
            "type": "FeatureCollection",
            "features": [OGC_PAND],
            "links": [{"rel": "next", "href": next_url}],
            "numberReturned": 1,
        },
        "Fjol|2XCYlA": {"type": "FeatureCollection", "features": [], "links": []},
    }
    opener = Recorded(lambda q: json.dumps(pages[q.get("cursor", "")]).encode())
    fetched = pdok.fetch_bbox(
        (103500.0, 478000.0, 104500.0, 479000.0), source="ogc", opener=opener
    )
    first = opener.queries()[0]
    assert opener.urls[0].startswith(f"{pdok.OGC_URL}/collections/pand/items?")
    assert first["bbox"] == "103500.000,478000.000,104500.000,479000.000"
    assert first["bbox-crs"] == "http://www.opengis.net/def/crs/EPSG/0/28992"
    assert first["limit"] == "1000"
    assert opener.urls[1] == next_url
    assert opener.urls[2].startswith(f"{pdok.OGC_URL}/collections/verblijfsobject/")
    written = json.loads(dict(fetched.files)[pdok.PAND_FILE])
    assert "links" not in written and "numberReturned" not in written
    assert written["features"] == [OGC_PAND]
    path = tmp_path / pdok.PAND_FILE
    path.write_bytes(dict(fetched.files)[pdok.PAND_FILE])
    panden = gpd.read_file(path)
    assert panden["identificatie"].tolist() == ["0394100003049202"]
    # CRS84 as published: lon/lat of Hoofddorp (Haarlemmermeer, gemeente 0394).
    lon, lat = panden.geometry.iloc[0].centroid.coords[0]
    assert 4.69 < lon < 4.70 and 52.31 < lat < 52.32


def test_ogc_files_are_read_by_read_bag_through_pand_href(tmp_path):
    # Constructed verblijfsobject in the PDOK v2 schema (``pand.href`` list, no
    # pand-identificatie), with the feature id the real pand links to; its
    # identificatie and address are made up for the test.
    vbo = {
        "type": "Feature",
        "id": OGC_PAND["properties"]["verblijfsobject.href"][0].rsplit("/", 1)[1],
        "properties": {
            "identificatie": "0394010003049203",
            "huisnummer": 1,
            "huisletter": None,
            "toevoeging": None,
            "postcode": "2132AA",
            "openbare_ruimte_naam": "Teststraat",
            "woonplaats_naam": "Hoofddorp",
            "oppervlakte": 500,
            "gebruiksdoel": "industriefunctie",
            "status": "Verblijfsobject gevormd",
            "pand.href": [f"{pdok.OGC_URL}/collections/pand/items/{OGC_PAND['id']}"],
        },
        "geometry": {"type": "Point", "coordinates": [4.698, 52.3169]},
    }

    def route(url, timeout_s):
        features = [OGC_PAND] if "/collections/pand/" in url else [vbo]
        page = {"type": "FeatureCollection", "features": features, "links": []}
        return json.dumps(page).encode()

    fetched = pdok.fetch_bbox((0.0, 0.0, 1.0, 1.0), source="ogc", opener=route)
    bag = _read(fetched, tmp_path)
    assert bag.panden["pand_id"].tolist() == ["0394100003049202"]
    assert bag.panden["construction_year"].tolist() == [2024]
    assert bag.vbo[["vbo_id", "pand_id"]].values.tolist() == [
        ["0394010003049203", "0394100003049202"]
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9301AA-9301ZZ", ("9301AA", "9301ZZ")),
        (" 9301 aa – 9301 zz ", ("9301AA", "9301ZZ")),
        ("9301", ("9301AA", "9301ZZ")),
        ("9301-9302", ("9301AA", "9302ZZ")),
        ("5236PD", ("5236PD", "5236PD")),
    ],
)
def test_postcode_ranges_as_people_type_them(text, expected):
    assert pdok.parse_postcode_range(text) == expected


@pytest.mark.parametrize("text", ["Roden", "9301ZZ-9301AA", "12-34-56"])
def test_a_bad_postcode_range_says_how_to_write_one(text):
    with pytest.raises(DataError, match="postcodereeks"):
        pdok.parse_postcode_range(text)


def test_postcode_range_filters_on_postcode_and_keeps_their_panden(tmp_path):
    opener = Recorded(_wfs)
    fetched = pdok.fetch_postcodes("5236PD", opener=opener)
    vbo_query, pand_query = opener.queries()
    assert vbo_query["typeNames"] == "bag:verblijfsobject"
    assert "bbox" not in vbo_query  # WFS 2.0: bbox and filter exclude each other
    assert "<fes:PropertyIsBetween>" in vbo_query["filter"]
    assert "<fes:Literal>5236PD</fes:Literal>" in vbo_query["filter"]
    # The panden are asked around the recorded point (151131.532, 415746.58) ± 1 m.
    assert pand_query["bbox"].startswith("151130.532,415745.580,151132.532,415747.580,")
    assert fetched.request == "postcodes 5236PD–5236PD"
    assert _read(fetched, tmp_path).panden["pand_id"].tolist() == ["0796100000431787"]


def test_an_empty_postcode_range_says_so():
    with pytest.raises(DataError, match="geen verblijfsobjecten met een postcode"):
        pdok.fetch_postcodes("1011AA-1011AB", opener=Recorded(lambda q: EMPTY))


def test_the_bbox_of_an_uploaded_boundary_is_in_rd():
    grens = ROOT / "tests" / "fixtures" / "importer" / "terreingrens.geojson"
    boundary = pdok.read_boundary("terreingrens.geojson", grens.read_bytes())
    # The corners written in that file.
    assert pdok.bbox_of(boundary) == (225600.0, 572400.0, 225900.0, 572550.0)


# ------------------------------------------------------------------------ page


def _page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["terrain_key"] = "demo:de-wieken"
    at.run()
    at.switch_page("pages/2_data_laden.py").run()
    return at


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _fill(at: AppTest) -> None:
    at.file_uploader(key="import_addresses").upload(
        "adressenlijst.csv",
        b"bedrijfsnaam;postcode;huisnummer\nHark Test;5236 PD;15\n",
        "text/csv",
    )
    at.file_uploader(key="import_boundary").upload(
        "grens.geojson", BOUNDARY, "application/geo+json"
    )
    at.run()


def test_page_builds_the_terrain_from_the_bag_fetched_at_pdok(monkeypatch):
    opener = Recorded(_wfs)
    monkeypatch.setattr(pdok, "open_url", opener)
    at = _page()
    _fill(at)
    assert _button(at, "Terrein opbouwen").disabled  # no BAG yet
    _button(at, "BAG ophalen bij PDOK").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert {q["typeNames"] for q in opener.queries()} == {
        "bag:pand",
        "bag:verblijfsobject",
    }
    assert at.success[0].value.startswith(
        "Opgehaald bij PDOK voor terreingrens 'grens.geojson': 1 panden en 1 "
        "verblijfsobjecten"
    )
    _button(at, "Terrein opbouwen").click().run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Adressen gekoppeld aan een BAG-pand"] == "1 van 1"
    headers = [s.value for s in at.subheader]
    assert f"BAG: {pdok.PAND_FILE} en {pdok.VBO_FILE}" in headers


def test_page_offline_says_so_in_dutch_and_keeps_working(monkeypatch):
    def offline(url, timeout_s):
        raise urllib.error.URLError(OSError("Name or service not known"))

    monkeypatch.setattr(pdok, "open_url", offline)
    at = _page()
    _fill(at)
    _button(at, "BAG ophalen bij PDOK").click().run()
    assert not at.exception, [e.value for e in at.exception]
    error = at.error[0].value
    assert "geen verbinding met PDOK" in error
    assert "laad de bestanden zelf" in error
    assert _button(at, "Terrein opbouwen").disabled
    assert "pdok_fetched" not in at.session_state
    assert at.title[0].value == "Data laden"
