"""Staff console: the interview length review flags, supervisors' campaigns and units, review states of responses with
their history, and staff edits of answers that keep the original.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
REVIEW_STATES = ("received", "approved", "has_issues", "rejected")


def _created_at() -> sa.Column[object]:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )


def _user(column: str, table: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["user.id"], name=op.f(f"fk_{table}_{column}_user"), ondelete=ondelete
    )


def _scope_table(name: str, column: str, target: str) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(column, sa.Integer(), nullable=False),
        _user("user_id", name, "CASCADE"),
        sa.ForeignKeyConstraint(
            [column],
            [f"{target}.id"],
            name=op.f(f"fk_{name}_{column}_{target}"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("user_id", column, name=op.f(f"uq_{name}_user_id_{column}")),
    )
    op.create_index(op.f(f"ix_{name}_user_id"), name, ["user_id"])
    op.create_index(op.f(f"ix_{name}_{column}"), name, [column])


def _response_table(name: str, *columns: sa.Column[object] | sa.ForeignKeyConstraint) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        *columns,
        _created_at(),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["response.id"],
            name=op.f(f"fk_{name}_response_id_response"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )
    op.create_index(op.f(f"ix_{name}_response_id"), name, ["response_id"])


def upgrade() -> None:
    op.add_column(
        "campaign",
        sa.Column("min_interview_minutes", sa.Integer(), server_default="5", nullable=False),
    )
    _scope_table("supervisor_campaign", "campaign_id", "campaign")
    _scope_table("supervisor_unit", "unit_id", "unit")
    # A plain ADD COLUMN keeps the response table (and its partial unique index) as it
    # is on SQLite; PostgreSQL also gets the CHECK constraint the model declares.
    op.add_column(
        "response",
        sa.Column("review_state", sa.String(32), server_default="received", nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.create_check_constraint(
            op.f("ck_response_response_state_review"),
            "response",
            sa.column("review_state").in_(REVIEW_STATES),
        )
    _response_table(
        "response_review",
        sa.Column(
            "state",
            sa.Enum(
                *REVIEW_STATES,
                name="response_review_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        _user("reviewed_by_id", "response_review", "SET NULL"),
    )
    _response_table(
        "answer_edit",
        sa.Column("item_code", sa.String(64), nullable=False),
        sa.Column("old_value", JSON, nullable=True),
        sa.Column("new_value", JSON, nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("edited_by_id", sa.Integer(), nullable=True),
        _user("edited_by_id", "answer_edit", "SET NULL"),
    )


def downgrade() -> None:
    op.drop_table("answer_edit")
    op.drop_table("response_review")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(op.f("ck_response_response_state_review"), "response", type_="check")
    op.drop_column("response", "review_state")
    op.drop_table("supervisor_unit")
    op.drop_table("supervisor_campaign")
    op.drop_column("campaign", "min_interview_minutes")
