"""Dashboard snapshots: a campaign's dashboard figures per scope, served while fresh and
refreshed by a job when stale.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dashboard_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("scope_key", sa.String(length=64), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refresh_queued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("figures", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
            name=op.f("fk_dashboard_snapshot_campaign_id_campaign"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_snapshot")),
        sa.UniqueConstraint(
            "campaign_id", "scope_key", name=op.f("uq_dashboard_snapshot_campaign_id_scope_key")
        ),
    )


def downgrade() -> None:
    op.drop_table("dashboard_snapshot")
