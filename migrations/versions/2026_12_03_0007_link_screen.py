"""The screen of the form a citizen's personal link resumes on.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("respondent_link") as batch:
        batch.add_column(sa.Column("screen", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("respondent_link") as batch:
        batch.drop_column("screen")
