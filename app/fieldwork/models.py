"""Surveyors, their assignments, and the outcomes their phones report.

- :class:`Surveyor`: an interviewer, with or without a log-in.
- :class:`Assignment`: which surveyor interviews which sampled respondent.
- :class:`FormerAssignment`: who held a respondent before staff moved them to another
  surveyor (that surveyor's phone may still hold work for the person).
- :class:`OutcomeReport`: an outcome sent by a surveyor's phone, stored once per
  phone-made ``client_id`` so that a replayed sync never records it twice.
- :class:`ContactAttempt`: one attempt to reach a sampled person, also once per
  ``client_id``.
- :class:`Handover`: something the server refused that a surveyor handed over to the
  supervisors, queued until staff accept it as a response or discard it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, ForeignKey, String, Text, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column

from analysis.contact import AttemptResult
from analysis.disposition import Outcome
from app.core.db import Base, JSONType
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


class FormerAssignment(Base):
    """A surveyor who held a respondent until staff moved the respondent to another
    surveyor. Their phone may still hold an interview, outcome or attempt for that
    person made offline; the server refuses it at sync (the person is no longer theirs),
    and this row lets them hand it over to the supervisors
    (:func:`app.fieldwork.phone.hand_over`) instead of keeping it on the phone forever."""

    __tablename__ = "former_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    sampled_respondent_id: Mapped[int] = mapped_column(
        ForeignKey("sampled_respondent.id", ondelete="CASCADE"), index=True
    )
    surveyor_id: Mapped[int] = mapped_column(
        ForeignKey("surveyor.id", ondelete="RESTRICT"), index=True
    )
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


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


class ContactAttempt(CreatedAtMixin, Base):
    """One attempt to reach a sampled person, as the surveyor's phone sent it (stored
    once per ``client_id``; replays answer with the stored one)."""

    __tablename__ = "contact_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    respondent_id: Mapped[int] = mapped_column(
        ForeignKey("sampled_respondent.id", ondelete="CASCADE"), index=True
    )
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    attempted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    result: Mapped[AttemptResult] = mapped_column(
        enum_column(AttemptResult, "contact_attempt_result")
    )
    callback_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """For a call-back: when the person asked to be contacted again."""
    note: Mapped[str | None] = mapped_column(Text)
    payload_sha256: Mapped[str] = mapped_column(String(64))


class HandoverKind(StrEnum):
    """What the phone had queued: an interview, an outcome or a contact attempt."""

    RESPONSE = "response"
    OUTCOME = "outcome"
    ATTEMPT = "attempt"


class HandoverStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DISCARDED = "discarded"


class Handover(CreatedAtMixin, Base):
    """An item a surveyor's phone could not sync (a refused interview, outcome or
    attempt), handed over to the supervisors with the server's refusal. Staff accept
    an interview as a response or discard the item with a reason."""

    __tablename__ = "handover"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    """The phone's ``client_id`` of the item: handing it over twice keeps one row."""
    kind: Mapped[HandoverKind] = mapped_column(enum_column(HandoverKind, "handover_kind"))
    respondent_id: Mapped[int] = mapped_column(
        ForeignKey("sampled_respondent.id", ondelete="CASCADE"), index=True
    )
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    handed_over_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    body: Mapped[dict[str, Any]] = mapped_column(JSONType)
    error: Mapped[dict[str, Any]] = mapped_column(JSONType)
    payload_sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[HandoverStatus] = mapped_column(
        enum_column(HandoverStatus, "handover_status"), default=HandoverStatus.OPEN
    )
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str | None] = mapped_column(Text)
    """Why staff discarded the item."""
    response_id: Mapped[int | None] = mapped_column(ForeignKey("response.id", ondelete="SET NULL"))
    """The response an accepted interview became."""
