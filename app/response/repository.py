"""Queries on responses."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Row, case, insert, select, text, type_coerce
from sqlalchemy.orm import Session, joinedload, selectinload

from analysis.disposition import Outcome
from app.auth.models import User
from app.core.hashing import canonical_json
from app.questionnaire.models import QuestionnaireVersion
from app.response.models import (
    Answer,
    AnswerEdit,
    Response,
    ResponseMode,
    ResponseReview,
    ResponseStatus,
    ReviewState,
)
from app.sample.models import Sample, SampledRespondent, SamplingFrame


def get_by_client_id(db: Session, campaign_id: int, client_id: uuid.UUID) -> Response | None:
    return db.execute(
        select(Response)
        .options(
            selectinload(Response.answers),
            # A response is read with its version's code and number, not the whole form.
            joinedload(Response.questionnaire_version)
            .defer(QuestionnaireVersion.content)
            .joinedload(QuestionnaireVersion.questionnaire),
        )
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
        .options(selectinload(Response.answers))
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


def design_rows(db: Session, campaign_id: int) -> Iterator[Any]:
    """Everyone drawn for the campaign, reserves included, ordered by stratum, streamed:
    the design of each (stratum, PSU, probabilities, weight), its outcome, whom a
    released reserve replaced, and whether a complete response of it is stored.

    A complete response rejected in review does not count: its person is taken as
    after a partial interview (an eligible non-respondent)."""

    def stored(*states: ReviewState) -> Any:
        return (
            select(Response.id)
            .where(
                Response.respondent_id == SampledRespondent.id,
                Response.status == ResponseStatus.COMPLETE,
                Response.review_state.in_(states),
            )
            .exists()
        )

    complete = stored(ReviewState.RECEIVED, ReviewState.APPROVED, ReviewState.HAS_ISSUES)
    outcome = type_coerce(
        case(
            (stored(ReviewState.REJECTED), Outcome.PARTIAL.value), else_=SampledRespondent.outcome
        ),
        SampledRespondent.outcome.type,
    )
    query = (
        select(
            SampledRespondent.id,
            SampledRespondent.stratum,
            SampledRespondent.psu,
            SampledRespondent.inclusion_probability,
            SampledRespondent.design_weight,
            SampledRespondent.stage_probabilities,
            outcome.label("outcome"),
            SampledRespondent.is_reserve,
            SampledRespondent.replaces_id,
            complete.label("complete"),
        )
        .join(Sample, Sample.id == SampledRespondent.sample_id)
        .where(Sample.campaign_id == campaign_id)
        .order_by(SampledRespondent.stratum, SampledRespondent.id)
        .execution_options(yield_per=5000)
    )
    yield from db.execute(query)


def frame_sizes(db: Session, campaign_id: int) -> dict[str, int]:
    """:math:`N_h` of every stratum of the frames the campaign's samples were drawn from."""
    sizes: dict[str, int] = {}
    frames = db.execute(
        select(SamplingFrame.strata)
        .join(Sample, Sample.sampling_frame_id == SamplingFrame.id)
        .where(Sample.campaign_id == campaign_id)
        .order_by(Sample.id)
    ).scalars()
    for strata in frames:
        sizes.update({str(name): int(size) for name, size in (strata or {}).items()})
    return sizes


def respondent_unit(db: Session, respondent_id: int) -> int | None:
    return db.execute(
        select(SampledRespondent.unit_id).where(SampledRespondent.id == respondent_id)
    ).scalar_one_or_none()


def reviews(db: Session, response_id: int) -> list[tuple[ResponseReview, str | None]]:
    """Review decisions on a response with the reviewer's account name, oldest first."""
    rows = db.execute(
        select(ResponseReview, User.username)
        .outerjoin(User, User.id == ResponseReview.reviewed_by_id)
        .where(ResponseReview.response_id == response_id)
        .order_by(ResponseReview.id)
    ).all()
    return [(row[0], row[1]) for row in rows]


def edits(db: Session, response_id: int) -> list[tuple[AnswerEdit, str | None]]:
    """Staff edits of a response's answers with the editor's account name, oldest first."""
    rows = db.execute(
        select(AnswerEdit, User.username)
        .outerjoin(User, User.id == AnswerEdit.edited_by_id)
        .where(AnswerEdit.response_id == response_id)
        .order_by(AnswerEdit.id)
    ).all()
    return [(row[0], row[1]) for row in rows]
