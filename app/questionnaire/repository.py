"""Queries on questionnaires and their versions."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.questionnaire.models import Questionnaire, QuestionnaireVersion, VersionStatus


def get_questionnaire(db: Session, code: str) -> Questionnaire | None:
    return db.execute(select(Questionnaire).where(Questionnaire.code == code)).scalar_one_or_none()


def list_questionnaires(db: Session) -> list[Questionnaire]:
    return list(
        db.execute(
            select(Questionnaire)
            .options(selectinload(Questionnaire.versions))
            .order_by(Questionnaire.code)
        ).scalars()
    )


def get_version(db: Session, code: str, version: int) -> QuestionnaireVersion | None:
    return db.execute(
        select(QuestionnaireVersion)
        .join(Questionnaire)
        .where(Questionnaire.code == code, QuestionnaireVersion.version == version)
    ).scalar_one_or_none()


def latest_version(db: Session, code: str) -> QuestionnaireVersion | None:
    """The newest published version, or the newest draft if none is published."""
    return db.execute(
        select(QuestionnaireVersion)
        .join(Questionnaire)
        .where(Questionnaire.code == code)
        .order_by(
            (QuestionnaireVersion.status == VersionStatus.PUBLISHED).desc(),
            QuestionnaireVersion.version.desc(),
        )
        .limit(1)
    ).scalar_one_or_none()


def draft_of(db: Session, questionnaire: Questionnaire) -> QuestionnaireVersion | None:
    return db.execute(
        select(QuestionnaireVersion).where(
            QuestionnaireVersion.questionnaire_id == questionnaire.id,
            QuestionnaireVersion.status == VersionStatus.DRAFT,
        )
    ).scalar_one_or_none()


def next_version_number(db: Session, questionnaire: Questionnaire) -> int:
    current = db.execute(
        select(func.max(QuestionnaireVersion.version)).where(
            QuestionnaireVersion.questionnaire_id == questionnaire.id
        )
    ).scalar_one()
    return (current or 0) + 1
