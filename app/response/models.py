"""Responses and their answers. No contact details are ever stored here."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, UniqueConstraint, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, JSONType
from app.core.models import CreatedAtMixin, TimestampMixin, enum_column
from app.questionnaire.models import QuestionnaireVersion
from app.unit.models import Unit


class ResponseMode(StrEnum):
    INTERVIEW = "interview"
    SELF = "self"
    PAPER = "paper"


MODE_LABELS = {
    ResponseMode.INTERVIEW: "phỏng vấn",
    ResponseMode.SELF: "tự trả lời qua đường link",
    ResponseMode.PAPER: "phiếu giấy",
}
"""The one Vietnamese wording of each mode (pages, exports)."""


class ResponseStatus(StrEnum):
    PARTIAL = "partial"
    COMPLETE = "complete"


STATUS_LABELS = {ResponseStatus.COMPLETE: "đầy đủ", ResponseStatus.PARTIAL: "chưa xong"}


class ReviewState(StrEnum):
    """Where staff's review of a response stands (the review states of ODK Central)."""

    RECEIVED = "received"
    APPROVED = "approved"
    HAS_ISSUES = "has_issues"
    REJECTED = "rejected"


REVIEW_LABELS = {
    ReviewState.RECEIVED: "Mới nhận",
    ReviewState.APPROVED: "Đã duyệt",
    ReviewState.HAS_ISSUES: "Có vấn đề",
    ReviewState.REJECTED: "Bị loại",
}


class Response(TimestampMixin, Base):
    """One filled-in form. ``client_id`` (made by the client) is unique per campaign,
    so a replayed submission can never be stored twice; a sampled respondent has at
    most one complete response (the first one completed, whatever its mode)."""

    __tablename__ = "response"
    __table_args__ = (
        UniqueConstraint("campaign_id", "client_id"),
        Index("ix_response_campaign_id_unit_id", "campaign_id", "unit_id"),
        Index("ix_response_campaign_id_review_state", "campaign_id", "review_state"),
        Index("ix_response_campaign_id_submitted_at", "campaign_id", "submitted_at"),
        Index(
            "ix_response_partial_campaign_id",
            "campaign_id",
            sqlite_where=text("status = 'partial'"),
            postgresql_where=text("status = 'partial'"),
        ),
        Index(
            "ix_response_one_complete_per_respondent",
            "respondent_id",
            unique=True,
            sqlite_where=text("status = 'complete'"),
            postgresql_where=text("status = 'complete'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="RESTRICT"), index=True
    )
    questionnaire_version_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_version.id", ondelete="RESTRICT")
    )
    respondent_id: Mapped[int | None] = mapped_column(
        ForeignKey("sampled_respondent.id", ondelete="RESTRICT"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    mode: Mapped[ResponseMode] = mapped_column(enum_column(ResponseMode, "response_mode"))
    client_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    status: Mapped[ResponseStatus] = mapped_column(enum_column(ResponseStatus, "response_status"))
    payload_sha256: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    review_state: Mapped[ReviewState] = mapped_column(
        enum_column(ReviewState, "response_state_review"),
        default=ReviewState.RECEIVED,
        server_default=ReviewState.RECEIVED.value,
    )
    """Rejected responses are left out of the results (which say how many); each change
    is a :class:`ResponseReview`."""

    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="Answer.id"
    )
    # Lazy: a response row never drags its unit or its questionnaire's whole form along
    # (queries that read them say so with their own loader options).
    unit: Mapped[Unit | None] = relationship()
    questionnaire_version: Mapped[QuestionnaireVersion] = relationship()


class Answer(Base):
    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("response_id", "item_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    item_code: Mapped[str] = mapped_column(String(64))
    value: Mapped[Any] = mapped_column(JSONType)

    response: Mapped[Response] = relationship(back_populates="answers")


class ResponseReview(CreatedAtMixin, Base):
    """One review decision on a response: the state it was given, by whom, and why
    (a comment is required to reject). The newest is the response's ``review_state``."""

    __tablename__ = "response_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[ReviewState] = mapped_column(enum_column(ReviewState, "response_review_state"))
    comment: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class AnswerEdit(CreatedAtMixin, Base):
    """A change staff made to one answer of a stored response: the old and the new value,
    who and why. The first edit of an item keeps the value as the response arrived, so
    the original answers can always be rebuilt."""

    __tablename__ = "answer_edit"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    item_code: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[Any] = mapped_column(JSONType, nullable=True)
    new_value: Mapped[Any] = mapped_column(JSONType, nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
