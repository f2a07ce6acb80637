"""Questionnaires and their immutable published versions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, JSONType
from app.core.models import CreatedAtMixin, enum_column


class VersionStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Questionnaire(CreatedAtMixin, Base):
    __tablename__ = "questionnaire"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(500))

    versions: Mapped[list[QuestionnaireVersion]] = relationship(
        back_populates="questionnaire", order_by="QuestionnaireVersion.version"
    )


class QuestionnaireVersion(CreatedAtMixin, Base):
    """One version of a questionnaire; its content is the validated file as JSON.

    A published version never changes: responses point at it for ever.
    """

    __tablename__ = "questionnaire_version"
    __table_args__ = (UniqueConstraint("questionnaire_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int]
    status: Mapped[VersionStatus] = mapped_column(
        enum_column(VersionStatus, "questionnaire_version_status"), default=VersionStatus.DRAFT
    )
    content: Mapped[dict[str, Any]] = mapped_column(JSONType)
    content_sha256: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="versions")
