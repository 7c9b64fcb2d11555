"""The BAG store in PostGIS: same cut as the GeoParquet store, Dutch errors.

Needs a PostgreSQL server with PostGIS: set ``TEST_DATABASE_URL`` to a
database where schemas may be created and the ``postgis`` extension is
enabled (``.ci/run`` installs ``postgresql-<major>-postgis-3``, starts the
server and runs ``CREATE EXTENSION postgis`` as superuser). The tests work
in a fresh schema (``search_path`` = that schema, then ``public`` where
PostGIS lives), dropped afterwards. Without the variable the server tests
skip and say why; the URL checks run always.
"""

from __future__ import annotations

import glob
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
import sqlalchemy as sa

from kansenkaart.core.errors import DataError
from kansenkaart.core.geo import RD
from kansenkaart.io import bagstore
from kansenkaart.io import bagstore_postgis as postgis
from kansenkaart.io.bag import read_bag
from kansenkaart.records import database
from tests.postgres import SERVER, schema_url
from tests.test_bagstore import DEMO, REAL, brute_force, generated_panden

N = 5_000
needs_server = pytest.mark.skipif(
    not SERVER,
    reason="PostGIS-tests: set TEST_DATABASE_URL (e.g. postgresql://user:pw@"
    "127.0.0.1/db) to a database with the postgis extension where schemas may "
    "be created; .ci/run does so.",
)


@pytest.fixture(scope="module")
def url():
    """A URL whose search_path is a fresh schema, then public (PostGIS)."""
    with schema_url("bagstore", "public") as fresh:
        yield fresh


@pytest.fixture(scope="module")
def engine(url):
    engine = postgis.connect(url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def generated(tmp_path_factory, engine):
    """N generated panden in a GeoParquet store and in the PostGIS table."""
    centre = gpd.read_file(DEMO).to_crs(RD).union_all().centroid
    panden = generated_panden(N, (centre.x, centre.y), spread_m=3_000)
    path = tmp_path_factory.mktemp("store") / "bag.parquet"
    bagstore.write_store([panden], path, row_group_rows=512)
    # Small batches: the load crosses many COPY batches and store row groups.
    assert postgis.load(engine, [path], table="gegenereerd", batch_rows=700) == N
    return path, panden, centre


def assert_same_cut(got: gpd.GeoDataFrame, want: gpd.GeoDataFrame) -> None:
    """Same columns, dtypes, rows, order and (bit for bit) geometries."""
    pd.testing.assert_frame_equal(
        pd.DataFrame(got.drop(columns="geometry")),
        pd.DataFrame(want.drop(columns="geometry")),
    )
    assert got.crs == want.crs
    assert shapely.equals_exact(got.geometry.array, want.geometry.array, 0).all()


def _outlines(centre, panden: gpd.GeoDataFrame) -> dict[str, object]:
    x, y = centre.x, centre.y
    ring = shapely.Point(x + 1_000, y + 1_000).buffer(900)
    ring = ring.difference(shapely.Point(x + 1_000, y + 1_000).buffer(600))
    # A box that only touches one pand, at that pand's highest vertex.
    top = shapely.get_coordinates(panden.geometry.iloc[0])
    tx, ty = top[top[:, 1].argmax()]
    touching = shapely.box(tx - 50, ty, tx + 50, ty + 50)
    return {
        "demo terrain": gpd.read_file(DEMO),  # WGS84: reprojected by both
        "square 2 km": shapely.box(x - 2_500, y - 500, x - 500, y + 1_500),
        "ring": ring,
        "two parts": shapely.MultiPolygon(
            [shapely.box(x, y - 2_000, x + 700, y - 1_300), shapely.box(*ring.bounds)]
        ),
        "touching at a vertex": touching,
    }


@needs_server
def test_postgis_cut_equals_the_geoparquet_cut_and_brute_force(generated, engine):
    path, panden, centre = generated
    for name, outline in _outlines(centre, panden).items():
        got = postgis.cut(engine, outline, table="gegenereerd")
        want = bagstore.cut(path, outline)
        assert_same_cut(got, want)
        area = bagstore.outline_area(outline)
        if name != "demo terrain":  # in RD New already: exact brute force
            assert set(got["pand_id"]) == brute_force(panden, area), name
        assert len(got) >= (1 if name == "touching at a vertex" else 20), name
    assert panden["pand_id"].iloc[0] in set(
        postgis.cut(
            engine, _outlines(centre, panden)["touching at a vertex"], "gegenereerd"
        )["pand_id"]
    )


@needs_server
def test_the_cut_uses_the_gist_index(generated, engine):
    with engine.connect() as connection:
        plan = connection.execute(
            sa.text(
                "EXPLAIN SELECT pand_id FROM gegenereerd WHERE geometry && "
                "ST_MakeEnvelope(:x0, :y0, :x1, :y1, 28992)"
            ),
            {"x0": 0.0, "y0": 300_000.0, "x1": 1_000.0, "y1": 301_000.0},
        ).scalars()
        assert "gegenereerd_geometry" in "\n".join(plan)
        comment = connection.scalar(
            sa.text("SELECT obj_description('gegenereerd'::regclass, 'pg_class')")
        )
    assert f'"panden": {N}' in comment


@needs_server
@pytest.mark.parametrize("source", ["geopackage", "xml"])
def test_real_lvbag_loads_directly_and_cuts_like_the_store(source, engine, tmp_path):
    files = (
        [REAL / "lvbag_denhaag.gpkg"]
        if source == "geopackage"
        else [Path(p) for p in sorted(glob.glob(str(REAL / "lvbag_xml" / "*.xml")))]
    )
    store = tmp_path / "bag.parquet"
    n = bagstore.build_store(files, store)
    assert postgis.load(engine, files, table=f"lvbag_{source}") == n
    everything = read_bag(files).panden
    assert n == len(everything)
    if source == "geopackage":
        outline = gpd.read_file(REAL / "terreingrens_denhaag.geojson")
        area = outline.to_crs(RD).union_all()
    else:  # two panden in Doesburg: a box around both
        area = outline = shapely.box(*everything.total_bounds).buffer(5)
    got = postgis.cut(engine, outline, table=f"lvbag_{source}")
    assert_same_cut(got, bagstore.cut(store, outline))
    assert set(got["pand_id"]) == brute_force(everything, area)
    assert got["pand_id"].str.fullmatch(r"\d{16}").all()
    assert len(got) >= 2


@needs_server
def test_a_new_load_replaces_the_table_and_a_failed_one_keeps_it(engine, tmp_path):
    panden = generated_panden(300, (155_000.0, 463_000.0), seed=3, spread_m=500)
    path = tmp_path / "bag.parquet"
    bagstore.write_store([panden], path)
    assert postgis.load(engine, [path], table="vervang") == 300
    bagstore.write_store([panden.iloc[:120]], path)
    assert postgis.load(engine, [path], table="vervang") == 120
    everywhere = shapely.box(150_000, 458_000, 160_000, 468_000)
    assert len(postgis.cut(engine, everywhere, table="vervang")) == 120
    with pytest.raises(DataError, match="bestaat niet"):
        postgis.load(engine, [tmp_path / "weg.parquet"], table="vervang")
    assert len(postgis.cut(engine, everywhere, table="vervang")) == 120
    assert "vervang_nieuw" not in sa.inspect(engine).get_table_names()


@needs_server
def test_missing_or_foreign_table_is_a_dutch_data_error(engine):
    with pytest.raises(DataError, match="bestaat niet in deze database") as err:
        postgis.cut(engine, shapely.box(0, 300_000, 1, 300_001), table="nergens")
    assert "bagstore bouw --postgis" in str(err.value)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE vreemd (pand_id text)"))
    with pytest.raises(DataError, match="geen BAG-opslag van Kansenkaart"):
        postgis.cut(engine, shapely.box(0, 300_000, 1, 300_001), table="vreemd")
    with pytest.raises(DataError, match="tabelnaam"):
        postgis.cut(engine, shapely.box(0, 300_000, 1, 300_001), table="x; DROP")


@needs_server
def test_outline_outside_the_table_is_a_dutch_data_error(generated, engine):
    far = shapely.box(10_000, 300_000, 11_000, 301_000)  # Zeeuws-Vlaanderen
    with pytest.raises(DataError, match="buiten het gebied van de BAG-opslag"):
        postgis.cut(engine, far, table="gegenereerd")


def _with(url: str, **parts) -> str:
    return sa.make_url(url).set(**parts).render_as_string(hide_password=False)


@needs_server
def test_wrong_password_host_or_database_is_said_without_the_password():
    base = database.database_url(SERVER)
    cases = {
        "aanmelden bij de database is mislukt": _with(base, password="Geheim-x81"),
        "niet bereikbaar": _with(base, port=1, password="Geheim-x81"),
        "bestaat niet op deze server": _with(
            base, database="bestaat_niet_x", password=sa.make_url(base).password
        ),
    }
    for message, url in cases.items():
        with pytest.raises(DataError, match=message) as err:
            postgis.cut(postgis.connect(url), shapely.box(0, 300_000, 1, 300_001))
        assert "Geheim-x81" not in str(err.value)
        assert f":{sa.make_url(base).password}@" not in str(err.value)
        assert ":***@" in str(err.value)


@needs_server
def test_database_without_postgis_says_how_to_enable_it(tmp_path):
    # The server's maintenance database 'postgres' has no PostGIS, and the
    # test user is no superuser, so it may not enable it.
    engine = postgis.connect(_with(database.database_url(SERVER), database="postgres"))
    with engine.connect() as connection:
        assert not connection.scalar(
            sa.text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        )
        assert not connection.scalar(
            sa.text("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")
        )
    with pytest.raises(DataError, match="PostGIS-extensie is niet ingeschakeld") as err:
        postgis.cut(engine, shapely.box(0, 300_000, 1, 300_001))
    assert "CREATE EXTENSION postgis" in str(err.value)
    with pytest.raises(DataError, match="PostGIS-extensie is niet ingeschakeld"):
        postgis.load(engine, [REAL / "lvbag_denhaag.gpkg"])
    assert postgis.TABLE not in sa.inspect(engine).get_table_names()
    engine.dispose()


def test_connect_takes_only_a_postgresql_url():
    for wrong in ("geen url", "postgresql://a:Geheim-x81@host:poort/db"):
        with pytest.raises(DataError, match="database-URL is ongeldig") as err:
            postgis.connect(wrong)
        assert "Geheim-x81" not in str(err.value)
    with pytest.raises(DataError, match="vraagt PostgreSQL met PostGIS") as err:
        postgis.connect("sqlite:///bag.sqlite")
    assert "GeoParquet" in str(err.value)


@needs_server
def test_cli_loads_and_cuts_with_one_command_each(url, tmp_path, capsys):
    from kansenkaart.cli import main

    gpkg = REAL / "lvbag_denhaag.gpkg"
    boundary = REAL / "terreingrens_denhaag.geojson"
    out = tmp_path / "panden.gpkg"
    assert main(["bagstore", "bouw", "--postgis", url, str(gpkg)]) == 0
    assert "158 panden" in capsys.readouterr().out
    assert (
        main(["bagstore", "knip", "--postgis", url, str(boundary), "-o", str(out)]) == 0
    )
    store = tmp_path / "bag.parquet"
    bagstore.build_store([gpkg], store)
    want = bagstore.cut(store, gpd.read_file(boundary))
    assert list(gpd.read_file(out)["pand_id"]) == list(want["pand_id"])
    wrong = _with(url, password="Geheim-x81")
    assert main(["bagstore", "knip", "--postgis", wrong, str(boundary)]) == 1
    err = capsys.readouterr().err
    assert "aanmelden bij de database is mislukt" in err
    assert "Geheim-x81" not in err
