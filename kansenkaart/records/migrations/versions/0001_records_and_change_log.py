"""Werksessie records (interest, workgroup, plan, note, action) and change log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def record_columns() -> list[sa.Column]:
    """Columns every record table has: id, terrain, version and who/when."""
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("terrain_id", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def create_record_table(name: str, key: Sequence[str], *columns: sa.Column) -> None:
    """A record table with its columns, primary key and unique key."""
    op.create_table(
        name,
        *columns,
        *record_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("terrain_id", *key, name=op.f(f"uq_{name}")),
    )


def upgrade() -> None:
    create_record_table(
        "interests",
        ["building_id", "measure_id"],
        sa.Column("building_id", sa.String(length=60), nullable=False),
        sa.Column("measure_id", sa.String(length=60), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("intent_signed", sa.Boolean(), nullable=True),
        sa.Column("intent_signed_on", sa.Date(), nullable=True),
    )
    create_record_table(
        "workgroups",
        ["measure_id"],
        sa.Column("measure_id", sa.String(length=60), nullable=False),
        sa.Column("trekker", sa.String(length=200), nullable=True),
        sa.Column("members", sa.JSON(), nullable=True),
    )
    create_record_table(
        "plans",
        ["measure_id"],
        sa.Column("measure_id", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("goal", sa.Text(), nullable=True),
        sa.Column("approach", sa.Text(), nullable=True),
        sa.Column("costs", sa.Text(), nullable=True),
        sa.Column("financing", sa.Text(), nullable=True),
        sa.Column("planning", sa.Text(), nullable=True),
        sa.Column("responsible", sa.String(length=200), nullable=True),
    )
    create_record_table(
        "building_notes",
        ["building_id"],
        sa.Column("building_id", sa.String(length=60), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
    )
    create_record_table(
        "actions",
        ["uid"],
        sa.Column("uid", sa.String(length=60), nullable=False),
        sa.Column("measure_id", sa.String(length=60), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=True),
    )
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.String(length=100), nullable=False),
        sa.Column("terrain_id", sa.String(length=100), nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("record_key", sa.JSON(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
    )
    op.create_index(
        op.f("ix_change_log_terrain_id_id"), "change_log", ["terrain_id", "id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_change_log_terrain_id_id"), table_name="change_log")
    for name in (
        "change_log",
        "actions",
        "building_notes",
        "plans",
        "workgroups",
        "interests",
    ):
        op.drop_table(name)
