"""Queries on responses."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import (
    Row,
    Select,
    Text,
    case,
    cast,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    type_coerce,
)
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from analysis.disposition import Outcome
from app.auth.models import User
from app.campaign.models import Campaign, CampaignStatus
from app.core.hashing import canonical_json
from app.questionnaire.models import Questionnaire, QuestionnaireVersion
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
from app.unit.models import Unit

STREAM_ROWS = 2000
"""Rows fetched at a time when streaming responses (a server-side cursor on PostgreSQL)."""

QueryT = TypeVar("QueryT", bound=Select[*tuple[Any, ...]])

RESPONSE_UNIT = func.coalesce(Response.unit_id, SampledRespondent.unit_id)
"""A response's unit: its own, or its sampled respondent's (with that table joined)."""

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


def insert_answers(db: Session, response_id: int, answers: dict[str, Any]) -> None:
    """Store the answers of a new response in one multi-row insert (SQLite; PostgreSQL
    stores them with the response in :func:`store_new`)."""
    if answers:
        db.execute(
            insert(Answer),
            [{"response_id": response_id, "item_code": c, "value": v} for c, v in answers.items()],
        )


_STORE_NEW = text(
    """
    WITH new_response AS (
        INSERT INTO response (
            campaign_id, questionnaire_version_id, respondent_id, unit_id, mode, client_id,
            status, payload_sha256, started_at, submitted_at, created_at, updated_at
        )
        VALUES (
            :campaign_id, :questionnaire_version_id, :respondent_id, :unit_id, :mode,
            :client_id, :status, :payload_sha256, :started_at, :submitted_at, :now, :now
        )
        ON CONFLICT DO NOTHING
        RETURNING id
    ),
    answers AS (
        INSERT INTO answer (response_id, item_code, value)
        SELECT new_response.id, item.key, item.value
        FROM new_response, jsonb_each(CAST(:answers AS jsonb)) AS item
    ),
    completed AS (
        UPDATE sampled_respondent SET outcome = 'completed', updated_at = :now
        FROM new_response
        WHERE CAST(:complete_from AS text) IS NOT NULL
          AND sampled_respondent.id = :respondent_id
          AND sampled_respondent.outcome = CAST(:complete_from AS text)
        RETURNING sampled_respondent.id
    ),
    event AS (
        INSERT INTO audit_event (actor_user_id, action, entity_type, entity_id, payload)
        SELECT :actor_id, 'respondent.outcome', 'sampled_respondent', CAST(completed.id AS text),
               jsonb_build_object('from', CAST(:complete_from AS text), 'to', 'completed',
                                  'note', NULL)
        FROM completed
    )
    SELECT id FROM new_response
    """
)


def store_new(
    db: Session,
    response: Response,
    answers: dict[str, Any],
    *,
    complete_from: str | None,
    actor_id: int | None,
) -> int | None:
    """PostgreSQL: store a new response, its answers and, with ``complete_from`` (the
    respondent's outcome it completes), the outcome change and its audit event, in one
    statement. The id, or ``None`` when a unique index refused the response (a replay,
    or a second complete response of the respondent): nothing was stored then."""
    return db.execute(
        _STORE_NEW,
        {
            "campaign_id": response.campaign_id,
            "questionnaire_version_id": response.questionnaire_version_id,
            "respondent_id": response.respondent_id,
            "unit_id": response.unit_id,
            "mode": response.mode.value,
            "client_id": response.client_id,
            "status": response.status.value,
            "payload_sha256": response.payload_sha256,
            "started_at": response.started_at,
            "submitted_at": response.submitted_at,
            "now": response.created_at,
            "answers": canonical_json(answers),
            "complete_from": complete_from,
            "actor_id": actor_id,
        },
    ).scalar_one_or_none()


def campaign_for_submission(db: Session, campaign_id: int) -> Campaign | None:
    """The campaign with its questionnaire version's code and number (the form itself is
    parsed once per version and cached); from the session when it is there already."""
    return db.get(
        Campaign,
        campaign_id,
        options=[
            joinedload(Campaign.questionnaire_version)
            .defer(QuestionnaireVersion.content)
            .joinedload(QuestionnaireVersion.questionnaire)
        ],
    )


@dataclass(frozen=True)
class Target:
    """What storing a new response needs of its campaign, form version and respondent,
    as plain values read in one Core statement (no ORM objects)."""

    campaign_id: int
    campaign_status: CampaignStatus
    version_id: int
    version_sha256: str
    version: int
    questionnaire_code: str
    respondent_id: int | None
    respondent_unit_id: int | None
    respondent_outcome: Outcome | None
    respondent_unit_code: str | None


_CAMPAIGN_COLUMNS = (
    Campaign.id,
    Campaign.status,
    QuestionnaireVersion.id,
    QuestionnaireVersion.content_sha256,
    QuestionnaireVersion.version,
    Questionnaire.code,
)


def target_query() -> Select[*tuple[Any, ...]]:
    """The :class:`Target` of a sampled respondent (callers add their conditions)."""
    return (
        select(
            *_CAMPAIGN_COLUMNS,
            SampledRespondent.id,
            SampledRespondent.unit_id,
            SampledRespondent.outcome,
            Unit.code,
        )
        .select_from(SampledRespondent)
        .join(Sample, Sample.id == SampledRespondent.sample_id)
        .join(Campaign, Campaign.id == Sample.campaign_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Campaign.questionnaire_version_id)
        .join(Questionnaire, Questionnaire.id == QuestionnaireVersion.questionnaire_id)
        .outerjoin(Unit, Unit.id == SampledRespondent.unit_id)
    )


def target_of(db: Session, query: Select[*tuple[Any, ...]]) -> Target | None:
    row = db.execute(query).one_or_none()
    return None if row is None else Target(*row)


def submission_target(db: Session, campaign_id: int, respondent_id: int | None) -> Target | None:
    """The :class:`Target` of a campaign and, when given, a respondent drawn in one of
    its samples; ``None`` if either is not there."""
    if respondent_id is not None:
        return target_of(
            db,
            target_query().where(SampledRespondent.id == respondent_id, Campaign.id == campaign_id),
        )
    none = literal(None)
    return target_of(
        db,
        select(*_CAMPAIGN_COLUMNS, none, none, none, none)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Campaign.questionnaire_version_id)
        .join(Questionnaire, Questionnaire.id == QuestionnaireVersion.questionnaire_id)
        .where(Campaign.id == campaign_id),
    )


def respondent_in_campaign(
    db: Session, campaign_id: int, respondent_id: int
) -> SampledRespondent | None:
    """The respondent, if drawn in a sample of the campaign: from the session's identity
    map when the caller has loaded it and its sample already (the phones' sync), else
    in one query."""
    respondent = db.identity_map.get(Session.identity_key(SampledRespondent, respondent_id))
    if isinstance(respondent, SampledRespondent):
        sample = db.identity_map.get(Session.identity_key(Sample, respondent.sample_id))
        if isinstance(sample, Sample):
            return respondent if sample.campaign_id == campaign_id else None
    return db.execute(
        select(SampledRespondent)
        .join(Sample, Sample.id == SampledRespondent.sample_id)
        .where(SampledRespondent.id == respondent_id, Sample.campaign_id == campaign_id)
    ).scalar_one_or_none()


def _stored_complete(*states: ReviewState) -> Any:
    """Whether a complete response of the sampled respondent in one of ``states`` is
    stored (correlated with the respondent only, so a query of responses may use it)."""
    stored = aliased(Response)
    return (
        select(stored.id)
        .where(
            stored.respondent_id == SampledRespondent.id,
            stored.status == ResponseStatus.COMPLETE,
            stored.review_state.in_(states),
        )
        .correlate(SampledRespondent)
        .exists()
    )


def _design_columns() -> tuple[Any, ...]:
    """A sampled respondent's design (stratum, PSU, probabilities, weight), its outcome
    and whether a complete response of it counts (see :func:`design_rows`)."""
    complete = _stored_complete(ReviewState.RECEIVED, ReviewState.APPROVED, ReviewState.HAS_ISSUES)
    outcome = type_coerce(
        case(
            (_stored_complete(ReviewState.REJECTED), Outcome.PARTIAL.value),
            else_=SampledRespondent.outcome,
        ),
        SampledRespondent.outcome.type,
    )
    return (
        SampledRespondent.stratum,
        SampledRespondent.psu,
        SampledRespondent.inclusion_probability,
        SampledRespondent.design_weight,
        outcome.label("outcome"),
        complete.label("complete"),
    )


def design_rows(db: Session, campaign_id: int) -> Iterator[Any]:
    """Everyone drawn for the campaign, reserves included, ordered by stratum, streamed:
    the design of each (stratum, PSU, probabilities, weight), its outcome, whom a
    released reserve replaced, and whether a complete response of it is stored.

    A complete response rejected in review does not count: its person is taken as
    after a partial interview (an eligible non-respondent)."""
    query = (
        select(
            SampledRespondent.id,
            SampledRespondent.stage_probabilities,
            SampledRespondent.is_reserve,
            SampledRespondent.replaces_id,
            *_design_columns(),
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


def answers_object(db: Session) -> Any:
    """A response's answers as one JSON object (text), aggregated by the database: a
    scalar subquery correlated with :class:`Response`."""
    if db.get_bind().dialect.name == "postgresql":
        aggregate: Any = func.coalesce(
            cast(func.jsonb_object_agg(Answer.item_code, Answer.value), Text), "{}"
        )
    else:
        aggregate = func.coalesce(
            func.json_group_object(Answer.item_code, func.json(Answer.value)), "{}"
        )
    return select(aggregate).where(Answer.response_id == Response.id).scalar_subquery()


def received_between(query: QueryT, first: date | None, last: date | None) -> QueryT:
    """Only responses received on the days from ``first`` to ``last`` (UTC), either open."""
    if first is not None:
        query = query.where(Response.created_at >= datetime.combine(first, time(), tzinfo=UTC))
    if last is not None:
        end = datetime.combine(last + timedelta(days=1), time(), tzinfo=UTC)
        query = query.where(Response.created_at < end)
    return query


def export_query(
    db: Session, campaign_id: int, criteria: dict[str, Any], *, personal: bool
) -> Select[Any]:
    """The campaign's responses matching ``criteria`` (``unit_id``, ``units``,
    ``review_states``, ``status``, ``mode``, ``date_from``, ``date_to``) as plain rows:
    the response, its unit, its sampled respondent's design and disposition columns
    (:func:`_design_columns`; empty for a response of no one drawn), the answers as one
    JSON object and, with ``personal``, the respondent's name, phone and address; in
    response order."""
    columns: list[Any] = [
        Response.id,
        Response.questionnaire_version_id,
        RESPONSE_UNIT.label("unit_id"),
        Response.mode,
        Response.status,
        Response.review_state,
        Response.created_at,
        *_design_columns(),
        answers_object(db).label("answers"),
    ]
    if personal:
        columns += [SampledRespondent.full_name, SampledRespondent.phone, SampledRespondent.address]
    query = (
        select(*columns)
        .outerjoin(SampledRespondent, SampledRespondent.id == Response.respondent_id)
        .where(
            Response.campaign_id == campaign_id,
            Response.review_state.in_(sorted(criteria["review_states"])),
        )
    )
    if criteria.get("status") is not None:
        query = query.where(Response.status == criteria["status"])
    if criteria.get("mode") is not None:
        query = query.where(Response.mode == criteria["mode"])
    unit = RESPONSE_UNIT
    if criteria.get("unit_id") is not None:
        query = query.where(unit == criteria["unit_id"])
    if criteria.get("units") is not None:
        query = query.where(unit.in_(sorted(criteria["units"])))
    query = received_between(query, criteria.get("date_from"), criteria.get("date_to"))
    return query.order_by(Response.id)


def export_rows(
    db: Session, campaign_id: int, criteria: dict[str, Any], *, personal: bool
) -> Iterator[Any]:
    """The rows of :func:`export_query`, streamed in chunks of :data:`STREAM_ROWS`."""
    query = export_query(db, campaign_id, criteria, personal=personal)
    yield from db.execute(query, execution_options={"yield_per": STREAM_ROWS})


def campaign_version_ids(db: Session, campaign_id: int) -> list[int]:
    """The questionnaire versions of the campaign's responses, oldest first."""
    return list(
        db.execute(
            select(Response.questionnaire_version_id)
            .where(Response.campaign_id == campaign_id)
            .distinct()
            .order_by(Response.questionnaire_version_id)
        ).scalars()
    )


def campaign_unit_ids(db: Session, campaign_id: int) -> set[int]:
    """Units of the campaign's sampled respondents and responses (each unit probed
    through the indexes on the units of respondents and responses)."""
    sampled = (
        select(SampledRespondent.id)
        .where(
            SampledRespondent.unit_id == Unit.id,
            SampledRespondent.sample_id.in_(
                select(Sample.id).where(Sample.campaign_id == campaign_id)
            ),
        )
        .exists()
    )
    answered = (
        select(Response.id)
        .where(Response.unit_id == Unit.id, Response.campaign_id == campaign_id)
        .exists()
    )
    return set(db.execute(select(Unit.id).where(or_(sampled, answered))).scalars())
