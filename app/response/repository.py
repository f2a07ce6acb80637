"""Queries on responses."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Row, insert, select, text
from sqlalchemy.orm import Session, joinedload, selectinload

from app.core.hashing import canonical_json
from app.questionnaire.models import QuestionnaireVersion
from app.response.models import Answer, Response, ResponseMode, ResponseStatus
from app.sample.models import Sample, SampledRespondent

_READ_OPTIONS = (
    selectinload(Response.answers),
    joinedload(Response.unit),
    # A response is read with its version's code and number, not the whole form.
    joinedload(Response.questionnaire_version)
    .defer(QuestionnaireVersion.content)
    .joinedload(QuestionnaireVersion.questionnaire),
)
"""What :func:`app.response.service.read` needs, loaded with the response."""


def get_by_client_id(db: Session, campaign_id: int, client_id: uuid.UUID) -> Response | None:
    return db.execute(
        select(Response)
        .options(*_READ_OPTIONS)
        .where(Response.campaign_id == campaign_id, Response.client_id == client_id)
    ).scalar_one_or_none()


def list_responses(
    db: Session,
    campaign_id: int,
    *,
    status: ResponseStatus | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Response]:
    query = (
        select(Response)
        .options(*_READ_OPTIONS)
        .where(Response.campaign_id == campaign_id)
        .order_by(Response.id)
        .limit(limit)
        .offset(offset)
    )
    if status is not None:
        query = query.where(Response.status == status)
    return list(db.execute(query).scalars())


def complete_response_of(db: Session, respondent_id: int) -> Row[uuid.UUID, ResponseMode] | None:
    """``(client_id, mode)`` of the respondent's complete response, if any (at most one)."""
    return db.execute(
        select(Response.client_id, Response.mode).where(
            Response.respondent_id == respondent_id, Response.status == ResponseStatus.COMPLETE
        )
    ).one_or_none()


_INSERT_FROM_JSONB = text(
    "INSERT INTO answer (response_id, item_code, value) "
    "SELECT :response_id, item.key, item.value FROM jsonb_each(CAST(:answers AS jsonb)) AS item"
)


def insert_answers(db: Session, response_id: int, answers: dict[str, Any]) -> None:
    """Store the answers of a new response: on PostgreSQL one statement that expands the
    JSON object server-side, elsewhere one multi-row insert."""
    if not answers:
        return
    if db.get_bind().dialect.name == "postgresql":
        db.execute(
            _INSERT_FROM_JSONB, {"response_id": response_id, "answers": canonical_json(answers)}
        )
        return
    db.execute(
        insert(Answer),
        [{"response_id": response_id, "item_code": c, "value": v} for c, v in answers.items()],
    )


def respondent_in_campaign(
    db: Session, campaign_id: int, respondent_id: int
) -> SampledRespondent | None:
    """The respondent, if drawn in a sample of the campaign (from the session's
    identity map when the caller has loaded it already)."""
    respondent = db.get(SampledRespondent, respondent_id)
    if respondent is None:
        return None
    sample = db.get(Sample, respondent.sample_id)
    return respondent if sample is not None and sample.campaign_id == campaign_id else None
