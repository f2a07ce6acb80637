"""Former assignments: who held a respondent before staff moved the respondent to
another surveyor (their phone may still hand over work made offline).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "former_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sampled_respondent_id", sa.Integer(), nullable=False),
        sa.Column("surveyor_id", sa.Integer(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "ended_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("ended_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["sampled_respondent_id"],
            ["sampled_respondent.id"],
            name=op.f("fk_former_assignment_sampled_respondent_id_sampled_respondent"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["surveyor_id"],
            ["surveyor.id"],
            name=op.f("fk_former_assignment_surveyor_id_surveyor"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["ended_by_id"],
            ["user.id"],
            name=op.f("fk_former_assignment_ended_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_former_assignment")),
    )
    with op.batch_alter_table("former_assignment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_former_assignment_sampled_respondent_id"),
            ["sampled_respondent_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_former_assignment_surveyor_id"), ["surveyor_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("former_assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_former_assignment_surveyor_id"))
        batch_op.drop_index(batch_op.f("ix_former_assignment_sampled_respondent_id"))
    op.drop_table("former_assignment")
