"""Campaign settings of the analysis: the rule for strata with one PSU and what results do
with responses of no sampled respondent.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    with op.batch_alter_table("campaign") as batch:
        batch.add_column(
            sa.Column(
                "lonely_psu",
                _enum("campaign_lonely_psu", "fail", "certainty", "average", "adjust"),
                server_default="fail",
                nullable=False,
            )
        )
        batch.add_column(
            sa.Column(
                "unsampled_responses",
                _enum("campaign_unsampled_responses", "exclude", "include"),
                server_default="exclude",
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("campaign") as batch:
        for name in ("unsampled_responses", "lonely_psu"):
            batch.drop_constraint(batch.f(f"ck_campaign_campaign_{name}"), type_="check")
            batch.drop_column(name)
