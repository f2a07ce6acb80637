"""Survey campaigns: one survey of one scope in one year."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from analysis.estimation import LonelyPsu
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
DEFAULT_MIN_INTERVIEW_MINUTES = 5


class UnsampledResponses(StrEnum):
    """What results do with responses of no sampled respondent when a campaign has both."""

    EXCLUDE = "exclude"
    """Analyse the sampled respondents' responses with their design; count the others."""
    INCLUDE = "include"
    """Analyse every response, without design weights."""


CAMPAIGN_TRANSITIONS: dict[CampaignStatus, frozenset[CampaignStatus]] = {
    CampaignStatus.DRAFT: frozenset({CampaignStatus.FIELDWORK}),
    CampaignStatus.FIELDWORK: frozenset({CampaignStatus.CLOSED}),
    CampaignStatus.CLOSED: frozenset({CampaignStatus.FIELDWORK, CampaignStatus.PUBLISHED}),
    CampaignStatus.PUBLISHED: frozenset(),
}
"""Allowed status changes: fieldwork may be reopened until results are published."""

CAMPAIGN_STATUS_LABELS: dict[CampaignStatus, str] = {
    CampaignStatus.DRAFT: "bản nháp",
    CampaignStatus.FIELDWORK: "đang khảo sát",
    CampaignStatus.CLOSED: "đã kết thúc",
    CampaignStatus.PUBLISHED: "đã công bố",
}
"""The Vietnamese name of each status, for messages and pages."""


def status_labels(statuses: frozenset[CampaignStatus] | set[CampaignStatus]) -> str:
    """``«đã kết thúc», «đã công bố»``, or ``không có`` when there is none."""
    names = [f"«{CAMPAIGN_STATUS_LABELS[s]}»" for s in CampaignStatus if s in statuses]
    return ", ".join(names) or "không có"


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
    lonely_psu: Mapped[LonelyPsu] = mapped_column(
        enum_column(LonelyPsu, "campaign_lonely_psu"),
        default=LonelyPsu.FAIL,
        server_default=LonelyPsu.FAIL.value,
    )
    """What a stratum with a single primary sampling unit adds to the variance."""
    unsampled_responses: Mapped[UnsampledResponses] = mapped_column(
        enum_column(UnsampledResponses, "campaign_unsampled_responses"),
        default=UnsampledResponses.EXCLUDE,
        server_default=UnsampledResponses.EXCLUDE.value,
    )
    """Results of a campaign mixing sampled and unsampled responses."""
    min_interview_minutes: Mapped[int] = mapped_column(
        default=DEFAULT_MIN_INTERVIEW_MINUTES, server_default=str(DEFAULT_MIN_INTERVIEW_MINUTES)
    )
    """Review flags interviews shorter than this, and one surveyor's interviews closer."""

    scope_unit: Mapped[Unit] = relationship()
    questionnaire_version: Mapped[QuestionnaireVersion] = relationship()


class SupervisorCampaign(Base):
    """A supervisor (post office or Fatherland Front lead) follows this campaign."""

    __tablename__ = "supervisor_campaign"
    __table_args__ = (UniqueConstraint("user_id", "campaign_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )


class SupervisorUnit(Base):
    """A supervisor sees respondents of this unit (and the units under it), with their
    personal data."""

    __tablename__ = "supervisor_unit"
    __table_args__ = (UniqueConstraint("user_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
