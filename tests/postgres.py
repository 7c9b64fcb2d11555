"""A fresh PostgreSQL schema per test module or test, for the tests that run
against the server in ``TEST_DATABASE_URL`` (``.ci/run`` starts one)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from kansenkaart.records import database

SERVER = os.environ.get("TEST_DATABASE_URL")


@contextmanager
def schema_url(prefix: str, search_path_after: str = "") -> Iterator[str]:
    """A URL whose search_path is a new schema (then ``search_path_after``,
    e.g. ``public`` for PostGIS), dropped with everything in it afterwards."""
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    search_path = ",".join(filter(None, [schema, search_path_after]))
    admin = sa.create_engine(database.database_url(SERVER))
    with admin.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        yield (
            sa.make_url(database.database_url(SERVER))
            .update_query_dict({"options": f"-csearch_path={search_path}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
