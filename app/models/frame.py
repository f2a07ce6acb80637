"""Sampling frames built from case lists, their exclusions, and seed commitments."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, JSONType
from app.models.base import CreatedAtMixin, enum_column


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
