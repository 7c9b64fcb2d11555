"""Monitoring readings per measure; the change log becomes append-only.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

The database refuses UPDATE, DELETE (and on PostgreSQL TRUNCATE) of
``change_log`` with triggers, so not even a bug in the app can rewrite history.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "het wijzigingslog kan alleen worden aangevuld"

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER change_log_no_{event.lower()} BEFORE {event} ON change_log
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
    for event in ("UPDATE", "DELETE")
]
POSTGRESQL_TRIGGERS = [
    f"""CREATE FUNCTION change_log_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$""",
    """CREATE TRIGGER change_log_no_change BEFORE UPDATE OR DELETE ON change_log
    FOR EACH ROW EXECUTE FUNCTION change_log_append_only()""",
    """CREATE TRIGGER change_log_no_truncate BEFORE TRUNCATE ON change_log
    FOR EACH STATEMENT EXECUTE FUNCTION change_log_append_only()""",
]


def upgrade() -> None:
    op.create_table(
        "monitoring_readings",
        sa.Column("measure_id", sa.String(length=60), nullable=False),
        sa.Column("measured_on", sa.Date(), nullable=False),
        sa.Column("kwp_realised", sa.Float(), nullable=True),
        sa.Column("n_companies", sa.Integer(), nullable=True),
        sa.Column("co2_avoided_kg_yr", sa.Float(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("terrain_id", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_readings")),
        sa.UniqueConstraint(
            "terrain_id",
            "measure_id",
            "measured_on",
            name=op.f("uq_monitoring_readings"),
        ),
    )
    for statement in _triggers():
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER change_log_no_update")
        op.execute("DROP TRIGGER change_log_no_delete")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER change_log_no_truncate ON change_log")
        op.execute("DROP TRIGGER change_log_no_change ON change_log")
        op.execute("DROP FUNCTION change_log_append_only()")
    op.drop_table("monitoring_readings")


def _triggers() -> list[str]:
    """The append-only triggers for this database (none for other dialects)."""
    return {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS}.get(
        op.get_bind().dialect.name, []
    )
