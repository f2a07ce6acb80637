"""Stored campaign results and the campaigns an API key may read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, JSONType


class CampaignResult(Base):
    """The computed results of one campaign, with everything that produced them.

    ``content`` is the full result (small cells included, for staff and audit);
    ``public_content`` withholds small cells and is what the API and exports serve.
    Neither ever holds respondent-level data. ``frozen`` is set when the campaign is
    published; a frozen result is never recomputed. ``document`` is ``public_content``
    rendered once as the API serves it.
    """

    __tablename__ = "campaign_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), unique=True
    )
    questionnaire_version_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_version.id", ondelete="RESTRICT")
    )
    method_version: Mapped[str] = mapped_column(String(32))
    weight_scheme: Mapped[str] = mapped_column(String(64))
    weight_scheme_version: Mapped[str] = mapped_column(String(32))
    responses_used: Mapped[int]
    content: Mapped[dict[str, Any]] = mapped_column(JSONType)
    public_content: Mapped[dict[str, Any]] = mapped_column(JSONType)
    content_sha256: Mapped[str] = mapped_column(String(64))
    document: Mapped[str | None] = mapped_column(Text)
    """The served results document (``ResultsRead`` as compact JSON) without the fields
    of the campaign that may change after computing (id, name, year, status); made when
    the results are computed, served as stored."""
    frozen: Mapped[bool] = mapped_column(default=False)
    computed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    computed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
