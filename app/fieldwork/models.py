"""Surveyors, their assignments, and the outcomes their phones report.

- :class:`Surveyor`: an interviewer, with or without a log-in.
- :class:`Assignment`: which surveyor interviews which sampled respondent.
- :class:`OutcomeReport`: an outcome sent by a surveyor's phone, stored once per
  phone-made ``client_id`` so that a replayed sync never records it twice.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column

from analysis.disposition import Outcome
from app.core.db import Base
from app.core.models import CreatedAtMixin, enum_column


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


class OutcomeReport(CreatedAtMixin, Base):
    """One outcome as a surveyor's phone sent it (replays answer with the stored one)."""

    __tablename__ = "outcome_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    respondent_id: Mapped[int] = mapped_column(
        ForeignKey("sampled_respondent.id", ondelete="CASCADE"), index=True
    )
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome, "outcome_report_outcome"))
    note: Mapped[str | None] = mapped_column(Text)
    payload_sha256: Mapped[str] = mapped_column(String(64))
