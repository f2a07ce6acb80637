"""Drawn samples, the sampled respondents, surveyors and their assignments."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Float, ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, JSONType
from app.models.base import CreatedAtMixin, TimestampMixin, enum_column


class Outcome(StrEnum):
    """Fieldwork outcome of a sampled person (spec §6)."""

    PENDING = "pending"
    COMPLETED = "completed"
    PARTIAL = "partial"
    REFUSED = "refused"
    NOT_REACHABLE = "not_reachable"
    INELIGIBLE = "ineligible"
    MOVED = "moved"
    REPLACED = "replaced"


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


class Surveyor(CreatedAtMixin, Base):
    """An interviewer (điều tra viên): postal worker, Fatherland Front or veterans' member."""

    __tablename__ = "surveyor"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), unique=True
    )
    full_name: Mapped[str] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(32))
    organisation: Mapped[str | None] = mapped_column(String(255))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))


class Assignment(Base):
    """Which surveyor interviews which sampled respondent (one surveyor at a time)."""

    __tablename__ = "assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    sampled_respondent_id: Mapped[int] = mapped_column(
        ForeignKey("sampled_respondent.id", ondelete="CASCADE"), unique=True
    )
    surveyor_id: Mapped[int] = mapped_column(
        ForeignKey("surveyor.id", ondelete="RESTRICT"), index=True
    )
    assigned_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
