"""Sampling: case-list rejections, sampling frames and exclusions, seed commitments,
frame link on draws, clusters on respondents, commune/hamlet on cases.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 23:22:56.504136
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sampling_frame",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column(
            "rules",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("member_count", sa.Integer(), nullable=False),
        sa.Column("excluded_count", sa.Integer(), nullable=False),
        sa.Column(
            "strata",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "exclusion_counts",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
            name=op.f("fk_sampling_frame_campaign_id_campaign"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user.id"],
            name=op.f("fk_sampling_frame_created_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sampling_frame")),
    )
    with op.batch_alter_table("sampling_frame", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sampling_frame_campaign_id"), ["campaign_id"], unique=False
        )

    op.create_table(
        "case_rejection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_frame_id", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(length=255), nullable=True),
        sa.Column("value", sa.String(length=500), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_frame_id"],
            ["case_frame.id"],
            name=op.f("fk_case_rejection_case_frame_id_case_frame"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_rejection")),
    )
    with op.batch_alter_table("case_rejection", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_rejection_case_frame_id"), ["case_frame_id"], unique=False
        )

    op.create_table(
        "frame_exclusion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sampling_frame_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "reason",
            sa.Enum(
                "excluded_unit",
                "outside_window",
                "no_contact",
                "duplicate",
                name="frame_exclusion_reason",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("duplicate_of_case_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case.id"],
            name=op.f("fk_frame_exclusion_case_id_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["duplicate_of_case_id"],
            ["case.id"],
            name=op.f("fk_frame_exclusion_duplicate_of_case_id_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sampling_frame_id"],
            ["sampling_frame.id"],
            name=op.f("fk_frame_exclusion_sampling_frame_id_sampling_frame"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_frame_exclusion")),
    )
    with op.batch_alter_table("frame_exclusion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_frame_exclusion_sampling_frame_id"), ["sampling_frame_id"], unique=False
        )

    op.create_table(
        "seed_commitment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("seed_sha256", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("sample_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
            name=op.f("fk_seed_commitment_campaign_id_campaign"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user.id"],
            name=op.f("fk_seed_commitment_created_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["sample_id"],
            ["sample.id"],
            name=op.f("fk_seed_commitment_sample_id_sample"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seed_commitment")),
        sa.UniqueConstraint("sample_id", name=op.f("uq_seed_commitment_sample_id")),
    )
    with op.batch_alter_table("seed_commitment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_seed_commitment_campaign_id"), ["campaign_id"], unique=False
        )

    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("commune", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("hamlet", sa.String(length=255), nullable=True))

    with op.batch_alter_table("case_frame", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "column_mapping",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )

    with op.batch_alter_table("sample", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sampling_frame_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_sample_sampling_frame_id"), ["sampling_frame_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_sample_sampling_frame_id_sampling_frame"),
            "sampling_frame",
            ["sampling_frame_id"],
            ["id"],
            ondelete="RESTRICT",
        )

    with op.batch_alter_table("sampled_respondent", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cluster", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("psu", sa.String(length=500), nullable=True))
        batch_op.add_column(
            sa.Column(
                "stage_probabilities",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_sampled_respondent_replaces_id"), ["replaces_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("sampled_respondent", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_sampled_respondent_replaces_id"), type_="unique")
        batch_op.drop_column("stage_probabilities")
        batch_op.drop_column("psu")
        batch_op.drop_column("cluster")

    with op.batch_alter_table("sample", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_sample_sampling_frame_id_sampling_frame"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_sample_sampling_frame_id"))
        batch_op.drop_column("sampling_frame_id")

    with op.batch_alter_table("case_frame", schema=None) as batch_op:
        batch_op.drop_column("column_mapping")

    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.drop_column("hamlet")
        batch_op.drop_column("commune")

    with op.batch_alter_table("seed_commitment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seed_commitment_campaign_id"))

    op.drop_table("seed_commitment")
    with op.batch_alter_table("frame_exclusion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_frame_exclusion_sampling_frame_id"))

    op.drop_table("frame_exclusion")
    with op.batch_alter_table("case_rejection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_rejection_case_frame_id"))

    op.drop_table("case_rejection")
    with op.batch_alter_table("sampling_frame", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sampling_frame_campaign_id"))

    op.drop_table("sampling_frame")
