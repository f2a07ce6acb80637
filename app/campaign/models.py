"""Survey campaigns: one survey of one scope in one year."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base
from app.core.models import TimestampMixin, enum_column
from app.questionnaire.models import QuestionnaireVersion
from app.unit.models import Unit


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    FIELDWORK = "fieldwork"
    CLOSED = "closed"
    PUBLISHED = "published"


DEFAULT_ATTEMPTS_BEFORE_RESERVE = 3

CAMPAIGN_TRANSITIONS: dict[CampaignStatus, frozenset[CampaignStatus]] = {
    CampaignStatus.DRAFT: frozenset({CampaignStatus.FIELDWORK}),
    CampaignStatus.FIELDWORK: frozenset({CampaignStatus.CLOSED}),
    CampaignStatus.CLOSED: frozenset({CampaignStatus.FIELDWORK, CampaignStatus.PUBLISHED}),
    CampaignStatus.PUBLISHED: frozenset(),
}
"""Allowed status changes: fieldwork may be reopened until results are published."""


class Campaign(TimestampMixin, Base):
    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    year: Mapped[int]
    scope_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    questionnaire_version_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_version.id", ondelete="RESTRICT")
    )
    weight_scheme: Mapped[str] = mapped_column(String(64))
    status: Mapped[CampaignStatus] = mapped_column(
        enum_column(CampaignStatus, "campaign_status"), default=CampaignStatus.DRAFT
    )
    issuing_agency: Mapped[str | None] = mapped_column(String(255))
    """Who runs the survey and signs the letters (cơ quan phát hành), e.g. Sở Nội vụ."""
    document_number: Mapped[str | None] = mapped_column(String(100))
    """Number of the official document that orders the survey (số văn bản)."""
    document_date: Mapped[date | None] = mapped_column(Date)
    hotline: Mapped[str | None] = mapped_column(String(32))
    """The phone number letters give for questions (đường dây nóng)."""
    attempts_before_reserve: Mapped[int] = mapped_column(
        default=DEFAULT_ATTEMPTS_BEFORE_RESERVE,
        server_default=str(DEFAULT_ATTEMPTS_BEFORE_RESERVE),
    )
    """Contact attempts a surveyor makes before a reserve may replace a non-contact."""

    scope_unit: Mapped[Unit] = relationship()
    questionnaire_version: Mapped[QuestionnaireVersion] = relationship()
