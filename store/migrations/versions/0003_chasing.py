"""chase send log

Revision ID: 0003_chasing
Revises: 0001_core
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_chasing"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chase_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("recipient_id", sa.Integer(), nullable=True),
        sa.Column("recipient", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("instance", sa.String(length=100), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["action_owners.id"],
            name=op.f("fk_chase_sends_owner_id_action_owners"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"],
            name=op.f("fk_chase_sends_meeting_id_meetings"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"], ["members.id"],
            name=op.f("fk_chase_sends_recipient_id_members"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chase_sends")),
        sa.UniqueConstraint("key", name=op.f("uq_chase_sends_key")),
    )
    with op.batch_alter_table("chase_sends", schema=None) as batch_op:
        batch_op.create_index("ix_chase_sends_owner", ["owner_id"], unique=False)
        batch_op.create_index("ix_chase_sends_status", ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("chase_sends", schema=None) as batch_op:
        batch_op.drop_index("ix_chase_sends_status")
        batch_op.drop_index("ix_chase_sends_owner")
    op.drop_table("chase_sends")
