"""Personal links, consent, audit log and the local account.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

``access_links`` holds the SHA-256 of each company's link token (never the
token), with its building, expiry and revocation; ``consents`` every consent
given or withdrawn; ``audit_log`` who did what and when; ``local_accounts``
the Argon2 hash of the local beheerder. The database refuses UPDATE and
DELETE (and on PostgreSQL TRUNCATE) of ``consents`` and ``audit_log``, as it
does for ``change_log`` (revision 0002).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = ("consents", "audit_log")
MESSAGE = "deze tabel kan alleen worden aangevuld"


def _sqlite_triggers(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table}
        BEGIN SELECT RAISE(ABORT, '{table}: {MESSAGE}'); END"""
        for event in ("UPDATE", "DELETE")
    ]


def _postgresql_triggers(table: str) -> list[str]:
    return [
        f"""CREATE FUNCTION {table}_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{table}: {MESSAGE}'; END $$""",
        f"""CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {table}_append_only()""",
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()""",
    ]


def upgrade() -> None:
    op.create_table(
        "access_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("terrain_key", sa.String(length=100), nullable=False),
        sa.Column("building_id", sa.String(length=60), nullable=False),
        sa.Column("company", sa.String(length=200), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_by", sa.String(length=100), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_access_links")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("terrain_key", sa.String(length=100), nullable=True),
        sa.Column("building_id", sa.String(length=60), nullable=True),
        sa.Column("detail", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("terrain_key", sa.String(length=100), nullable=False),
        sa.Column("building_id", sa.String(length=60), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("given", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consents_terrain_key_building_id"),
            ["terrain_key", "building_id"],
            unique=False,
        )
    op.create_table(
        "local_accounts",
        sa.Column("user_name", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_name", name=op.f("pk_local_accounts")),
    )
    make = {"sqlite": _sqlite_triggers, "postgresql": _postgresql_triggers}.get(
        op.get_bind().dialect.name
    )
    for table in APPEND_ONLY if make else ():
        for statement in make(table):
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in APPEND_ONLY:
        if dialect == "sqlite":
            op.execute(f"DROP TRIGGER {table}_no_update")
            op.execute(f"DROP TRIGGER {table}_no_delete")
        elif dialect == "postgresql":
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
            op.execute(f"DROP TRIGGER {table}_no_change ON {table}")
            op.execute(f"DROP FUNCTION {table}_append_only()")
    op.drop_table("local_accounts")
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consents_terrain_key_building_id"))
    op.drop_table("consents")
    op.drop_table("audit_log")
    op.drop_table("access_links")
