"""Fieldwork: contact attempts (once per phone-made client_id) and the queue of items
surveyors hand over to the supervisors.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
RESULTS = (
    "not_at_home",
    "no_answer",
    "call_back",
    "refused",
    "wrong_address",
    "number_not_in_service",
    "moved",
    "ineligible",
)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _created_at() -> sa.Column[object]:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )


def _foreign_key(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "contact_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("reported_by_id", sa.Integer(), nullable=True),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("result", _enum("contact_attempt_result", *RESULTS), nullable=False),
        sa.Column("callback_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("payload_sha256", sa.String(length=64), nullable=False),
        _created_at(),
        _foreign_key("contact_attempt", "reported_by_id", "user", "SET NULL"),
        _foreign_key("contact_attempt", "respondent_id", "sampled_respondent", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_attempt")),
        sa.UniqueConstraint("client_id", name=op.f("uq_contact_attempt_client_id")),
    )
    with op.batch_alter_table("contact_attempt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contact_attempt_respondent_id"), ["respondent_id"], unique=False
        )

    op.create_table(
        "handover",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("kind", _enum("handover_kind", "response", "outcome", "attempt"), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("handed_over_by_id", sa.Integer(), nullable=True),
        sa.Column("body", JSON, nullable=False),
        sa.Column("error", JSON, nullable=False),
        sa.Column("payload_sha256", sa.String(length=64), nullable=False),
        sa.Column(
            "status", _enum("handover_status", "open", "accepted", "discarded"), nullable=False
        ),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("response_id", sa.Integer(), nullable=True),
        _created_at(),
        _foreign_key("handover", "campaign_id", "campaign", "CASCADE"),
        _foreign_key("handover", "handed_over_by_id", "user", "SET NULL"),
        _foreign_key("handover", "resolved_by_id", "user", "SET NULL"),
        _foreign_key("handover", "respondent_id", "sampled_respondent", "CASCADE"),
        _foreign_key("handover", "response_id", "response", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover")),
        sa.UniqueConstraint("client_id", name=op.f("uq_handover_client_id")),
    )
    with op.batch_alter_table("handover", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handover_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_handover_respondent_id"), ["respondent_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("handover", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handover_respondent_id"))
        batch_op.drop_index(batch_op.f("ix_handover_campaign_id"))
    op.drop_table("handover")
    with op.batch_alter_table("contact_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_attempt_respondent_id"))
    op.drop_table("contact_attempt")
