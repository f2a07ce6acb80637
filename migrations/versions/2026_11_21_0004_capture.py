"""Capture: page sessions, citizens' personal links, surveyors' outcome reports, and at
most one complete response per sampled respondent.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 23:22:00.543005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OUTCOMES = (
    "pending",
    "completed",
    "partial",
    "refused",
    "not_reachable",
    "ineligible",
    "moved",
    "replaced",
)


def _created_at() -> sa.Column[object]:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "web_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_web_session_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_web_session_token_hash")),
    )
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_web_session_user_id"), ["user_id"], unique=False)

    op.create_table(
        "outcome_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("reported_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                *OUTCOMES,
                name="outcome_report_outcome",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("payload_sha256", sa.String(length=64), nullable=False),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["reported_by_id"],
            ["user.id"],
            name=op.f("fk_outcome_report_reported_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["sampled_respondent.id"],
            name=op.f("fk_outcome_report_respondent_id_sampled_respondent"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_report")),
        sa.UniqueConstraint("client_id", name=op.f("uq_outcome_report_client_id")),
    )
    with op.batch_alter_table("outcome_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outcome_report_respondent_id"), ["respondent_id"], unique=False
        )

    op.create_table(
        "respondent_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("response_client_id", sa.Uuid(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user.id"],
            name=op.f("fk_respondent_link_created_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["sampled_respondent.id"],
            name=op.f("fk_respondent_link_respondent_id_sampled_respondent"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_respondent_link")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_respondent_link_code_hash")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_respondent_link_token_hash")),
    )
    with op.batch_alter_table("respondent_link", schema=None) as batch_op:
        batch_op.create_index(
            "ix_respondent_link_one_active",
            ["respondent_id"],
            unique=True,
            sqlite_where=sa.text("revoked_at IS NULL"),
            postgresql_where=sa.text("revoked_at IS NULL"),
        )
        batch_op.create_index(
            batch_op.f("ix_respondent_link_respondent_id"), ["respondent_id"], unique=False
        )

    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.create_index(
            "ix_response_one_complete_per_respondent",
            ["respondent_id"],
            unique=True,
            sqlite_where=sa.text("status = 'complete'"),
            postgresql_where=sa.text("status = 'complete'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_index("ix_response_one_complete_per_respondent")

    with op.batch_alter_table("respondent_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_respondent_link_respondent_id"))
        batch_op.drop_index("ix_respondent_link_one_active")
    op.drop_table("respondent_link")

    with op.batch_alter_table("outcome_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcome_report_respondent_id"))
    op.drop_table("outcome_report")

    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_session_user_id"))
    op.drop_table("web_session")
