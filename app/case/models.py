"""Case lists (hồ sơ TTHC): who completed which procedure (TTHC) at which unit.

Contact details (name, phone, address) live here and in
:class:`app.sample.models.SampledRespondent`, never in responses.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, JSONType
from app.core.models import CreatedAtMixin, enum_column


class Channel(StrEnum):
    """How the case was submitted (hình thức nộp)."""

    DIRECT = "direct"
    ONLINE = "online"
    POSTAL = "postal"


class CaseFrame(CreatedAtMixin, Base):
    """One imported case-list file of a campaign; the same file (SHA-256) imports once."""

    __tablename__ = "case_frame"
    __table_args__ = (UniqueConstraint("campaign_id", "file_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64))
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    accepted_count: Mapped[int] = mapped_column(Integer, default=0)
    rejected_count: Mapped[int] = mapped_column(Integer, default=0)
    column_mapping: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    """File header → case field (``null``: ignored), as used for this import."""


class Case(Base):
    """One case (hồ sơ) of a procedure (thủ tục hành chính, TTHC)."""

    __tablename__ = "case"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_frame_id: Mapped[int] = mapped_column(
        ForeignKey("case_frame.id", ondelete="CASCADE"), index=True
    )
    row_number: Mapped[int]
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit.id", ondelete="RESTRICT"), index=True
    )
    case_code: Mapped[str | None] = mapped_column(String(128))
    procedure_code: Mapped[str | None] = mapped_column(String(128))
    procedure_name: Mapped[str | None] = mapped_column(String(1000))
    field: Mapped[str | None] = mapped_column(String(500))
    received_on: Mapped[date | None] = mapped_column(Date)
    returned_on: Mapped[date | None] = mapped_column(Date)
    channel: Mapped[Channel | None] = mapped_column(enum_column(Channel, "case_channel"))
    applicant_name: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(String(1000))
    commune: Mapped[str | None] = mapped_column(String(255))
    hamlet: Mapped[str | None] = mapped_column(String(255))


class CaseRejection(Base):
    """A row of an imported case list that was not stored, and why."""

    __tablename__ = "case_rejection"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_frame_id: Mapped[int] = mapped_column(
        ForeignKey("case_frame.id", ondelete="CASCADE"), index=True
    )
    row_number: Mapped[int]
    column: Mapped[str | None] = mapped_column(String(255))
    value: Mapped[str | None] = mapped_column(String(500))
    reason: Mapped[str] = mapped_column(Text)
