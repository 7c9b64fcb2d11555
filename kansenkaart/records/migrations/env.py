"""Alembic environment of the werksessie store (see kansenkaart.records.store).

Run through :func:`kansenkaart.records.database.migrate` (the app does so on first use)
or ``python -m kansenkaart db upgrade``; both pass an open connection in
``config.attributes["connection"]``. Without one, the URL comes from
``sqlalchemy.url`` or :func:`kansenkaart.records.database.database_url`.
"""

from alembic import context

from kansenkaart.records import database, models

config = context.config


def run() -> None:
    """Run the migrations on the connection given, or on a new engine."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = database.make_engine(config.get_main_option("sqlalchemy.url"))
    try:
        with engine.execution_options(sqlite_begin="IMMEDIATE").begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=models.Base.metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
