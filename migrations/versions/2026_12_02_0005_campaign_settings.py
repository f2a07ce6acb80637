"""Campaign settings used by letters and fieldwork: issuing agency, document number and
date, hotline, contact attempts before a reserve.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("campaign") as batch:
        batch.add_column(sa.Column("issuing_agency", sa.String(255), nullable=True))
        batch.add_column(sa.Column("document_number", sa.String(100), nullable=True))
        batch.add_column(sa.Column("document_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("hotline", sa.String(32), nullable=True))
        batch.add_column(
            sa.Column("attempts_before_reserve", sa.Integer(), server_default="3", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("campaign") as batch:
        for column in (
            "attempts_before_reserve",
            "hotline",
            "document_date",
            "document_number",
            "issuing_agency",
        ):
            batch.drop_column(column)
