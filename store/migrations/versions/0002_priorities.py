"""priority register: priorities, their lead and supporting subgroups, and the register version

Revision ID: 0002_priorities
Revises: 0001_core
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_priorities"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "priorities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("acronyms", sa.JSON(), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("period", sa.String(length=40), nullable=True),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("scores", sa.JSON(), nullable=True),
        sa.Column("risk_total", sa.Integer(), nullable=True),
        sa.Column("stated_total", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_priorities")),
        sa.UniqueConstraint("name", name=op.f("uq_priorities_name")),
    )
    with op.batch_alter_table("priorities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_priorities_risk_total"), ["risk_total"], unique=False)

    op.create_table(
        "priority_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("priority_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["priority_id"],
            ["priorities.id"],
            name=op.f("fk_priority_groups_priority_id_priorities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_priority_groups_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_priority_groups")),
        sa.UniqueConstraint(
            "priority_id", "group_id", name=op.f("uq_priority_groups_priority_id")
        ),
    )
    with op.batch_alter_table("priority_groups", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_priority_groups_priority_id"), ["priority_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_priority_groups_group_id"), ["group_id"], unique=False)

    op.create_table(
        "priority_register",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_priority_register")),
    )
    op.execute(
        sa.text(
            "INSERT INTO priority_register (id, version, updated_at)"
            " VALUES (1, 0, CURRENT_TIMESTAMP)"
        )
    )


def downgrade() -> None:
    op.drop_table("priority_register")
    with op.batch_alter_table("priority_groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_priority_groups_group_id"))
        batch_op.drop_index(batch_op.f("ix_priority_groups_priority_id"))
    op.drop_table("priority_groups")
    with op.batch_alter_table("priorities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_priorities_risk_total"))
    op.drop_table("priorities")
