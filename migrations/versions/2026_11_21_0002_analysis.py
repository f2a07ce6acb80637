"""Analysis: stored campaign results and campaign-scoped API keys.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 23:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "campaign_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_version_id", sa.Integer(), nullable=False),
        sa.Column("method_version", sa.String(length=32), nullable=False),
        sa.Column("weight_scheme", sa.String(length=64), nullable=False),
        sa.Column("weight_scheme_version", sa.String(length=32), nullable=False),
        sa.Column("responses_used", sa.Integer(), nullable=False),
        sa.Column("content", JSON, nullable=False),
        sa.Column("public_content", JSON, nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("frozen", sa.Boolean(), nullable=False),
        sa.Column(
            "computed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("computed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
            name=op.f("fk_campaign_result_campaign_id_campaign"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["computed_by_id"],
            ["user.id"],
            name=op.f("fk_campaign_result_computed_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["questionnaire_version_id"],
            ["questionnaire_version.id"],
            name=op.f("fk_campaign_result_questionnaire_version_id_questionnaire_version"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_result")),
        sa.UniqueConstraint("campaign_id", name=op.f("uq_campaign_result_campaign_id")),
    )
    op.create_table(
        "api_token_campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("api_token_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["api_token_id"],
            ["api_token.id"],
            name=op.f("fk_api_token_campaign_api_token_id_api_token"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
            name=op.f("fk_api_token_campaign_campaign_id_campaign"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token_campaign")),
        sa.UniqueConstraint(
            "api_token_id",
            "campaign_id",
            name=op.f("uq_api_token_campaign_api_token_id_campaign_id"),
        ),
    )
    with op.batch_alter_table("api_token_campaign", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_api_token_campaign_api_token_id"), ["api_token_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_api_token_campaign_campaign_id"), ["campaign_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("api_token_campaign", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_campaign_campaign_id"))
        batch_op.drop_index(batch_op.f("ix_api_token_campaign_api_token_id"))
    op.drop_table("api_token_campaign")
    op.drop_table("campaign_result")
