"""Console indexes: the review table's filters and counts by unit and review state, the
units of a campaign's respondents, the dashboard's partial responses, and the quality
flags' look-ups of interviews by submission time and of respondents by phone.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_response_campaign_id_unit_id", "response", ["campaign_id", "unit_id"])
    op.create_index(
        "ix_response_campaign_id_review_state", "response", ["campaign_id", "review_state"]
    )
    op.create_index(
        "ix_response_campaign_id_submitted_at", "response", ["campaign_id", "submitted_at"]
    )
    op.create_index(
        "ix_response_partial_campaign_id",
        "response",
        ["campaign_id"],
        sqlite_where=sa.text("status = 'partial'"),
        postgresql_where=sa.text("status = 'partial'"),
    )
    op.create_index(
        "ix_sampled_respondent_unit_id_sample_id", "sampled_respondent", ["unit_id", "sample_id"]
    )
    op.create_index("ix_sampled_respondent_phone", "sampled_respondent", ["phone"])


def downgrade() -> None:
    op.drop_index("ix_sampled_respondent_phone", table_name="sampled_respondent")
    op.drop_index("ix_response_partial_campaign_id", table_name="response")
    op.drop_index("ix_response_campaign_id_submitted_at", table_name="response")
    op.drop_index("ix_sampled_respondent_unit_id_sample_id", table_name="sampled_respondent")
    op.drop_index("ix_response_campaign_id_review_state", table_name="response")
    op.drop_index("ix_response_campaign_id_unit_id", table_name="response")
