"""PAR components: each unit's standard maximum, appraised self-assessment, civil-servant
survey points and group per campaign (the other parts of its PAR index).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUPS = ("department", "local", "public_service_unit", "central_agency")


def _points(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.Numeric(precision=12, scale=6), nullable=nullable)


def _timestamp(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "par_component",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "unit_group",
            sa.Enum(
                *GROUPS,
                name="par_unit_group",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        _points("standard_max"),
        _points("self_assessment"),
        _points("civil_servant_survey"),
        _points("sipas_points", nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        _timestamp("updated_at"),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
            name=op.f("fk_par_component_campaign_id_campaign"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_par_component_unit_id_unit"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user.id"],
            name=op.f("fk_par_component_updated_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_par_component")),
        sa.UniqueConstraint(
            "campaign_id", "unit_id", name=op.f("uq_par_component_campaign_id_unit_id")
        ),
    )
    with op.batch_alter_table("par_component", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_par_component_unit_id"), ["unit_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("par_component", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_par_component_unit_id"))
    op.drop_table("par_component")
