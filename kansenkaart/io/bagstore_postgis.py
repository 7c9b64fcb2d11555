"""National BAG store in PostGIS: the shared variant of :mod:`.bagstore`.

For a multi-user deployment the panden live in one PostgreSQL table with the
PostGIS extension (the werksessie records already use PostgreSQL), with the
same columns and the same cut as the GeoParquet store:

- table :data:`TABLE` (``bag_pand``): ``store_row`` (bigint, the row's place
  in Hilbert order), ``pand_id`` (text), ``construction_year`` (smallint),
  ``pand_use`` (text), ``footprint_m2`` (double precision) and ``geometry``
  (``geometry(Geometry, 28992)``) with a GiST index; the table comment holds
  the extent and the number of panden as JSON;
- :func:`load` fills it from a GeoParquet store or an LVBAG extract, in
  batches through ``COPY``, into a new table that replaces the old one in
  the same transaction (users keep cutting from the old table meanwhile; a
  failed load leaves it untouched);
- :func:`cut` keeps the rows whose bbox overlaps the outline (``&&``, the
  GiST index) and that ``ST_Intersects`` it (GEOS, as ``shapely.intersects``
  in :func:`.bagstore.cut`), in store order, so both stores give the same
  frame for the same outline.

The caller passes an SQLAlchemy URL with the psycopg driver
(``postgresql+psycopg://…``; ``kansenkaart.records.database.database_url``
turns ``postgresql://…`` into one). Faults are Dutch :class:`DataError` s
that name the database without its password.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import shapely
from psycopg import sql
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from kansenkaart.core.errors import DataError, known_fault
from kansenkaart.io.bagstore import (
    COLUMNS,
    arrow_chunk,
    check_inside,
    open_store,
    outline_area,
    panden_frame,
)

TABLE = "bag_pand"
"""Default table name of the store."""
BATCH_ROWS = 50_000
"""Rows per COPY batch: bounds the memory of a national load."""
SRID = 28992
"""RD New."""
_NAME = re.compile(r"[a-z_][a-z0-9_]{0,40}")
_LOAD = "python -m kansenkaart bagstore bouw --postgis <URL> <opslag.parquet>"
_FAULTS = (
    (
        ("password authentication failed", "authentication failed"),
        "aanmelden bij de database is mislukt (gebruiker of wachtwoord klopt niet).",
        "controleer gebruiker en wachtwoord in de database-URL.",
    ),
    (
        ("does not exist",),
        "de database of de gebruiker bestaat niet op deze server.",
        "controleer de databasenaam en de gebruiker in de database-URL.",
    ),
    (
        (
            "connection refused",
            "could not connect",
            "connection failed",
            "timeout",
            "could not translate host name",
            "name or service not known",
        ),
        "de databaseserver is niet bereikbaar.",
        "controleer host en poort in de database-URL en of de server draait.",
    ),
    (
        ("permission denied", "must be owner"),
        "deze databasegebruiker heeft geen rechten op de BAG-tabel.",
        "vraag de beheerder van de database om rechten (CREATE op het schema om "
        "te laden, SELECT op de tabel om te knippen).",
    ),
)


def connect(url: str) -> Engine:
    """An engine for a PostgreSQL URL; Dutch DataError when it is not one.

    Parameters
    ----------
    url : str
        SQLAlchemy URL, e.g. ``postgresql+psycopg://user:pw@host:5432/db``.
    """
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port not a number
        raise DataError.single(
            "database-URL",
            "de database-URL is ongeldig.",
            "gebruik de vorm postgresql://gebruiker:wachtwoord@host:5432/database.",
        ) from exc
    if parsed.get_backend_name() != "postgresql":
        raise DataError.single(
            parsed.render_as_string(hide_password=True),
            "de BAG-opslag in een database vraagt PostgreSQL met PostGIS; deze URL "
            f"is voor '{parsed.get_backend_name()}'.",
            "gebruik een URL die begint met postgresql://, of gebruik de "
            "GeoParquet-opslag (zonder --postgis).",
        )
    return create_engine(parsed, pool_pre_ping=True)


def _name(engine: Engine, table: str) -> str:
    return f"{engine.url.render_as_string(hide_password=True)} (tabel {table})"


@contextmanager
def _database_errors(engine: Engine, table: str) -> Iterator[None]:
    """Turn a database fault into a Dutch DataError without the password."""
    try:
        yield
    except DBAPIError as exc:
        reason = str(getattr(exc, "orig", exc)).lower()
        message, fix = known_fault(
            reason,
            _FAULTS,
            (
                f"de database gaf een fout ({type(exc.orig or exc).__name__}).",
                "probeer het opnieuw; blijft de fout, meld die dan aan de beheerder.",
            ),
        )
        raise DataError.single(_name(engine, table), message, fix) from exc


def _check_table_name(table: str) -> None:
    if not _NAME.fullmatch(table):
        raise DataError.single(
            table,
            "de tabelnaam mag alleen kleine letters, cijfers en _ bevatten "
            "(hoogstens 41 tekens, niet beginnend met een cijfer).",
            f"kies bijvoorbeeld '{TABLE}'.",
        )


def _require_postgis(connection: Connection, name: str, create: bool) -> None:
    """Dutch DataError when the database has no PostGIS extension.

    With ``create`` the extension is created when the server has it and the
    user may (in a savepoint, so a refusal leaves the transaction usable).
    """
    if connection.scalar(
        text("SELECT extversion FROM pg_extension WHERE extname = 'postgis'")
    ):
        return
    available = connection.scalar(
        text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")
    )
    if available and create:
        try:
            with connection.begin_nested():
                connection.execute(text("CREATE EXTENSION postgis"))
            return
        except DBAPIError:
            pass  # not allowed: say how below
    major = int(connection.scalar(text("SHOW server_version_num"))) // 10_000
    enable = (
        "als superuser in deze database uit: CREATE EXTENSION postgis; "
        f"(bijvoorbeeld: sudo -u postgres psql -d {connection.engine.url.database} "
        "-c 'CREATE EXTENSION postgis')."
    )
    if not available:
        raise DataError.single(
            name,
            f"de PostGIS-extensie is niet geïnstalleerd op de databaseserver "
            f"(PostgreSQL {major}).",
            f"installeer PostGIS op de server (Debian/Ubuntu: apt-get install "
            f"postgresql-{major}-postgis-3; anders zie "
            "https://postgis.net/documentation/getting_started/); voer daarna "
            f"{enable}",
        )
    raise DataError.single(
        name,
        "de PostGIS-extensie is niet ingeschakeld in deze database, en deze "
        "gebruiker mag dat niet doen.",
        f"PostGIS is op de server geïnstalleerd; voer {enable}",
    )


def _batches(sources: list[Path], batch_rows: int) -> Iterator[pa.RecordBatch]:
    """Store-schema batches in Hilbert order from a store or an LVBAG extract."""
    if len(sources) == 1 and sources[0].suffix.lower() == ".parquet":
        handle, _ = open_store(sources[0])
        yield from handle.iter_batches(batch_size=batch_rows)
        return
    from kansenkaart.io.bag import read_bag

    yield from arrow_chunk(read_bag(sources).panden).to_batches(batch_rows)


def _copy_batch(cursor, table: str, batch: pa.RecordBatch, first_row: int):
    """COPY one batch into ``table``; returns the batch's extent (m)."""
    wkb = batch.column("geometry").to_numpy(zero_copy_only=False)
    geom = shapely.set_srid(shapely.from_wkb(wkb), SRID)
    ewkb = shapely.to_wkb(geom, hex=True, include_srid=True)
    columns = [batch.column(name).to_pylist() for name in COLUMNS]
    rows = range(first_row, first_row + batch.num_rows)
    with cursor.copy(
        f"COPY {table} (store_row, pand_id, construction_year, pand_use, "
        "footprint_m2, geometry) FROM STDIN"
    ) as copy:
        for row in zip(rows, *columns, ewkb, strict=True):
            copy.write_row(row)
    return shapely.total_bounds(geom)


def load(
    engine: Engine,
    sources: Iterable[Path],
    table: str = TABLE,
    batch_rows: int = BATCH_ROWS,
) -> int:
    """Load panden into the PostGIS table ``table`` (replaced when it exists).

    Parameters
    ----------
    engine : Engine
        PostgreSQL database (see :func:`connect`); PostGIS is enabled when
        the server has it and the user may.
    sources : iterable of Path
        One GeoParquet store (``.parquet``, :func:`.bagstore.write_store`),
        or LVBAG files read with :func:`kansenkaart.io.bag.read_bag`.
    table : str
        Table name (lower case, digits, ``_``).
    batch_rows : int
        Rows per COPY batch.

    Returns
    -------
    int
        Number of panden in the table.
    """
    _check_table_name(table)
    sources = [Path(p) for p in sources]
    name = _name(engine, table)
    new = f"{table}_nieuw"
    extent = np.array([np.inf, np.inf, -np.inf, -np.inf])
    total = 0
    with _database_errors(engine, table), engine.begin() as connection:
        _require_postgis(connection, name, create=True)
        connection.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
        connection.execute(text(f"DROP TABLE IF EXISTS {new}"))
        connection.execute(
            text(
                f"CREATE TABLE {new} (store_row bigint NOT NULL, "
                "pand_id text NOT NULL, construction_year smallint, "
                "pand_use text, footprint_m2 double precision, "
                f"geometry geometry(Geometry, {SRID}) NOT NULL)"
            )
        )
        cursor = connection.connection.driver_connection.cursor()
        for batch in _batches(sources, batch_rows):
            bounds = _copy_batch(cursor, new, batch, total)
            extent = np.r_[
                np.minimum(extent[:2], bounds[:2]), np.maximum(extent[2:], bounds[2:])
            ]
            total += batch.num_rows
        cursor.close()
        connection.execute(
            text(f"CREATE INDEX {new}_geometry ON {new} USING GIST (geometry)")
        )
        connection.execute(text(f"ANALYZE {new}"))
        comment = json.dumps(
            {"kansenkaart": "bagstore", "panden": total, "extent": extent.tolist()}
        )
        literal = sql.Literal(comment).as_string(
            connection.connection.driver_connection
        )
        connection.exec_driver_sql(f"COMMENT ON TABLE {new} IS {literal}")
        connection.execute(text(f"DROP TABLE IF EXISTS {table}"))
        connection.execute(text(f"ALTER TABLE {new} RENAME TO {table}"))
        connection.execute(
            text(f"ALTER INDEX {new}_geometry RENAME TO {table}_geometry")
        )
    return total


def _extent(connection: Connection, name: str, table: str) -> list[float]:
    """The table's extent from its comment; Dutch DataError when unusable."""
    exists, comment = connection.execute(
        text(
            "SELECT to_regclass(:t) IS NOT NULL, "
            "obj_description(to_regclass(:t), 'pg_class')"
        ),
        {"t": table},
    ).one()
    if not exists:
        _require_postgis(connection, name, create=False)
        raise DataError.single(
            name,
            "de BAG-tabel bestaat niet in deze database.",
            f"laad de BAG eerst met '{_LOAD}'.",
        )
    try:
        meta = json.loads(comment)
        assert meta["kansenkaart"] == "bagstore"
        return [float(v) for v in meta["extent"]]
    except (TypeError, ValueError, KeyError, AssertionError) as exc:
        raise DataError.single(
            name,
            "deze tabel is geen BAG-opslag van Kansenkaart (of het laden is "
            "niet afgemaakt).",
            f"laad de BAG opnieuw met '{_LOAD}', of kies een andere tabel.",
        ) from exc


def cut(engine: Engine, outline, table: str = TABLE):
    """The panden of the PostGIS store that intersect the outline.

    Same result as :func:`.bagstore.cut` on the store the table was loaded
    from: same columns and dtypes, same rows, same (Hilbert) order.

    Parameters
    ----------
    engine : Engine
        PostgreSQL database with the table (see :func:`connect`).
    outline : GeoDataFrame, GeoSeries or shapely geometry
        Park outline in EPSG:28992 (a GeoDataFrame/GeoSeries in another CRS
        is reprojected).
    table : str
        Table written by :func:`load`.

    Returns
    -------
    GeoDataFrame
        ``pand_id``, ``construction_year`` (Int64), ``pand_use``,
        ``footprint_m2`` and ``geometry``, EPSG:28992.

    Raises
    ------
    DataError
        Database unreachable, no PostGIS, no (loaded) table, or the outline
        outside the table's extent.
    """
    _check_table_name(table)
    name = _name(engine, table)
    area = outline_area(outline)
    with _database_errors(engine, table), engine.connect() as connection:
        check_inside(name, area, _extent(connection, name, table))
        rows = connection.execute(
            text(
                "SELECT pand_id, construction_year, pand_use, footprint_m2, "
                f"ST_AsBinary(geometry) FROM {table}, "
                f"(SELECT ST_GeomFromWKB(:outline, {SRID}) AS outline) AS o "
                "WHERE geometry && o.outline AND ST_Intersects(geometry, o.outline) "
                "ORDER BY store_row"
            ),
            {"outline": shapely.to_wkb(area)},
        ).all()
    frame = pd.DataFrame([row[:4] for row in rows], columns=list(COLUMNS))
    geometry = shapely.from_wkb(np.array([bytes(row[4]) for row in rows], dtype=object))
    return panden_frame(frame, geometry)
