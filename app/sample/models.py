"""Sampling frames built from case lists, their exclusions, seed commitments, draws and
the people they selected."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from analysis.disposition import Outcome
from app.core.db import Base, JSONType
from app.core.models import CreatedAtMixin, TimestampMixin, enum_column


class ExclusionReason(StrEnum):
    """Why a case is not in a frame (mirrors :class:`sampling.ExclusionReason`)."""

    EXCLUDED_UNIT = "excluded_unit"
    OUTSIDE_WINDOW = "outside_window"
    NO_CONTACT = "no_contact"
    DUPLICATE = "duplicate"


class SamplingFrame(CreatedAtMixin, Base):
    """The frame of a campaign's draw: the rules that made it and its digest.

    Members are not stored: they are rebuilt from the cases with ``rules``, and
    ``digest`` tells whether the rebuilt frame is still the one that was built.
    """

    __tablename__ = "sampling_frame"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="RESTRICT"), index=True
    )
    rules: Mapped[dict[str, Any]] = mapped_column(JSONType)
    digest: Mapped[str] = mapped_column(String(64))
    member_count: Mapped[int] = mapped_column(Integer)
    excluded_count: Mapped[int] = mapped_column(Integer)
    strata: Mapped[dict[str, int]] = mapped_column(JSONType)
    exclusion_counts: Mapped[dict[str, int]] = mapped_column(JSONType)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class FrameExclusion(Base):
    """A case left out of a frame, with the reason (and, for duplicates, the case kept)."""

    __tablename__ = "frame_exclusion"

    id: Mapped[int] = mapped_column(primary_key=True)
    sampling_frame_id: Mapped[int] = mapped_column(
        ForeignKey("sampling_frame.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"))
    reason: Mapped[ExclusionReason] = mapped_column(
        enum_column(ExclusionReason, "frame_exclusion_reason")
    )
    duplicate_of_case_id: Mapped[int | None] = mapped_column(
        ForeignKey("case.id", ondelete="CASCADE")
    )


class SeedCommitment(CreatedAtMixin, Base):
    """The SHA-256 of a seed, published before the draw (commit–reveal).

    The draw that reveals the seed links back here; a commitment serves one draw.
    """

    __tablename__ = "seed_commitment"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="RESTRICT"), index=True
    )
    seed_sha256: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    sample_id: Mapped[int | None] = mapped_column(
        ForeignKey("sample.id", ondelete="RESTRICT"), unique=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class Sample(CreatedAtMixin, Base):
    """One draw. Append-only: everything needed to re-run it is stored with it."""

    __tablename__ = "sample"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="RESTRICT"), index=True
    )
    frame_digest: Mapped[str] = mapped_column(String(64))
    design: Mapped[dict[str, Any]] = mapped_column(JSONType)
    seed: Mapped[str] = mapped_column(String(100))
    algorithm_version: Mapped[str] = mapped_column(String(64))
    sample_digest: Mapped[str] = mapped_column(String(64))
    seed_commitment: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    sampling_frame_id: Mapped[int | None] = mapped_column(
        ForeignKey("sampling_frame.id", ondelete="RESTRICT"), index=True
    )


class SampledRespondent(TimestampMixin, Base):
    """A selected (or reserve) person, with inclusion probability and design weight."""

    __tablename__ = "sampled_respondent"
    __table_args__ = (
        UniqueConstraint("sample_id", "stratum", "draw_order"),
        UniqueConstraint("replaces_id"),
        Index("ix_sampled_respondent_unit_id_sample_id", "unit_id", "sample_id"),
        Index("ix_sampled_respondent_phone", "phone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("sample.id", ondelete="RESTRICT"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="RESTRICT"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    stratum: Mapped[str] = mapped_column(String(255))
    draw_order: Mapped[int]
    is_reserve: Mapped[bool] = mapped_column(default=False)
    inclusion_probability: Mapped[float] = mapped_column(Float)
    design_weight: Mapped[float] = mapped_column(Float)
    outcome: Mapped[Outcome] = mapped_column(
        enum_column(Outcome, "respondent_outcome"), default=Outcome.PENDING
    )
    outcome_note: Mapped[str | None] = mapped_column(Text)
    replaces_id: Mapped[int | None] = mapped_column(
        ForeignKey("sampled_respondent.id", ondelete="RESTRICT")
    )
    full_name: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(String(1000))
    cluster: Mapped[str | None] = mapped_column(String(500))
    """The last cluster the respondent was reached through in a multi-stage draw
    (``commune`` or ``commune/hamlet``); reserves replace only within the same stratum
    and cluster."""
    psu: Mapped[str | None] = mapped_column(String(500))
    """The first-stage cluster (primary sampling unit) of a multi-stage draw: the
    cluster that variance estimation groups respondents by (ultimate clusters)."""
    stage_probabilities: Mapped[list[float] | None] = mapped_column(JSONType)
