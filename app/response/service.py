"""Accepting responses: validate every answer, store once per ``client_id``.

Replays are safe because ``(campaign_id, client_id)`` is a unique constraint
in the database: of many concurrent submissions exactly one insert succeeds,
and every other one finds the stored response and compares payload digests
(identical → 200 with the stored response, different → 409).

A sampled respondent reached through several channels (mixed mode: a surveyor's
interview, the personal link, a paper form) keeps the first response completed:
a later complete response for the same person answers 409
``respondent_already_answered``, guaranteed by a partial unique index on
``response(respondent_id) WHERE status = 'complete'``. Completing a response
marks the respondent's fieldwork outcome ``completed``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from analysis.disposition import Outcome
from app.audit.service import record_event
from app.auth.models import Role, User
from app.auth.service import token_user, token_user_id
from app.campaign.models import CAMPAIGN_STATUS_LABELS, Campaign, CampaignStatus
from app.campaign.service import get as get_campaign
from app.core.errors import ConflictError, NotFoundError, UnprocessableError, invalid, problem
from app.core.hashing import sha256_json
from app.core.messages import message
from app.questionnaire.service import cached, parsed
from app.response import repository
from app.response.models import Answer, Response, ResponseStatus
from app.response.repository import Target
from app.response.schemas import ResponseRead, ResponseSubmit, ResponseUpdate
from app.sample.models import SampledRespondent
from app.sample.service import get_respondent
from app.unit import repository as unit_repository
from app.unit import service as unit_service
from questionnaires import AnswerProblem, Questionnaire, check_answers


@dataclass(frozen=True)
class Submission:
    response: ResponseRead
    created: bool


def read(response: Response) -> ResponseRead:
    version = response.questionnaire_version
    return _read_parts(
        response,
        version.questionnaire.code,
        version.version,
        response.unit.code if response.unit else None,
        {a.item_code: a.value for a in response.answers},
    )


def answer_field(found: AnswerProblem) -> dict[str, Any]:
    """One refused answer as a field of the error, with its Vietnamese sentence."""
    return {
        "path": f"answers.{found.item}",
        "item": found.item,
        "code": found.code,
        "message": message(found.reason, item=found.item, **dict(found.params)),
    }


def _validated(
    campaign: Campaign, answers: dict[str, Any], status: ResponseStatus
) -> dict[str, Any]:
    return _checked(parsed(campaign.questionnaire_version), answers, status)


def _checked(
    form: Questionnaire, answers: dict[str, Any], status: ResponseStatus
) -> dict[str, Any]:
    """The answers as stored, or 422 listing every problem."""
    check = check_answers(form, answers, complete=status is ResponseStatus.COMPLETE)
    if not check.ok:
        raise UnprocessableError(
            error="invalid_answers",
            count=len(check.problems),
            fields=[answer_field(p) for p in check.problems],
        )
    return dict(check.answers)


def _payload_digest(
    *,
    mode: str,
    status: str,
    answers: dict[str, Any],
    respondent_id: int | None,
    unit_id: int | None,
) -> str:
    return sha256_json(
        {
            "mode": mode,
            "status": status,
            "answers": answers,
            "respondent_id": respondent_id,
            "unit_id": unit_id,
        }
    )


def _replay(existing: Response, digest: str) -> Submission:
    """The stored response if the payload is the same, else a conflict."""
    if existing.payload_sha256 != digest:
        raise ConflictError(error="client_id_conflict", client_id=existing.client_id)
    return Submission(read(existing), created=False)


def _require_fieldwork(campaign: Campaign) -> None:
    if campaign.status is not CampaignStatus.FIELDWORK:
        raise ConflictError(
            error="campaign_not_in_fieldwork",
            campaign_id=campaign.id,
            status=CAMPAIGN_STATUS_LABELS[campaign.status],
        )


def _refuse_if_answered(db: Session, respondent_id: int, client_id: uuid.UUID) -> None:
    """409 if another complete response of this respondent is stored."""
    other = repository.complete_response_of(db, respondent_id)
    if other is not None and other.client_id != client_id:
        raise ConflictError(error="respondent_already_answered")


def _completes(outcome: Outcome | None, complete: bool) -> Outcome | None:
    """The respondent's outcome a complete response changes to ``completed`` (None: no
    change; ``outcome`` None: no respondent).

    A complete response is what completes a respondent (fieldwork's own changes never
    set it), unless a reserve has replaced them or they are completed already."""
    if outcome is None or not complete:
        return None
    if outcome in (Outcome.COMPLETED, Outcome.REPLACED):
        return None
    return outcome


def _mark_completed(db: Session, respondent: SampledRespondent, actor: User | None) -> None:
    """Set the respondent's outcome to completed (see :func:`_completes`), with its
    audit event, in the session."""
    old = _completes(respondent.outcome, True)
    if old is None:
        return
    respondent.outcome = Outcome.COMPLETED
    record_event(
        db,
        actor=actor,
        action="respondent.outcome",
        entity_type="sampled_respondent",
        entity_id=respondent.id,
        payload={"from": old.value, "to": Outcome.COMPLETED.value, "note": None},
    )


def _new_response(
    campaign_id: int,
    version_id: int,
    data: ResponseSubmit,
    answers: dict[str, Any],
    unit_id: int | None,
) -> Response:
    """The response to store (not yet in the session), with its payload's digest."""
    now = datetime.now(UTC)
    return Response(
        campaign_id=campaign_id,
        questionnaire_version_id=version_id,
        respondent_id=data.respondent_id,
        unit_id=unit_id,
        mode=data.mode,
        client_id=data.client_id,
        status=data.status,
        payload_sha256=_payload_digest(
            mode=data.mode.value,
            status=data.status.value,
            answers=answers,
            respondent_id=data.respondent_id,
            unit_id=unit_id,
        ),
        started_at=data.started_at,
        submitted_at=now if data.status is ResponseStatus.COMPLETE else None,
        created_at=now,
        updated_at=now,
    )


def _campaign(db: Session, campaign_id: int) -> Campaign:
    campaign = repository.campaign_for_submission(db, campaign_id)
    if campaign is None:
        return get_campaign(db, campaign_id)  # its 404
    return campaign


def submit(
    db: Session, campaign_id: int, data: ResponseSubmit, *, actor: User | None = None
) -> Submission:
    """Store a new response, or answer a replay: the one write path of the API, the
    surveyors' phones and the citizens' links.

    The common case (a new response) costs the campaign (from the session when the
    caller has it), the respondent (likewise) and one write: on PostgreSQL a single
    statement stores the response, its answers, the respondent's outcome and its audit
    event. Replays and second complete responses are caught by the database's unique
    indexes, not by a look-up first, and are then told apart by the same code on every
    backend."""
    campaign = _campaign(db, campaign_id)
    answers = _validated(campaign, data.answers, data.status)
    unit_id = None
    if data.unit_code is not None:
        unit_id = unit_service.by_code(db, data.unit_code, path="unit_code").id
    respondent = None
    if data.respondent_id is not None:
        respondent = repository.respondent_in_campaign(db, campaign_id, data.respondent_id)
        if respondent is None:
            raise invalid(
                [
                    problem(
                        "respondent_id",
                        "respondent_not_in_campaign",
                        respondent_id=data.respondent_id,
                        campaign_id=campaign_id,
                    )
                ]
            )
        unit_id = unit_id if unit_id is not None else respondent.unit_id
    response = _new_response(campaign_id, campaign.questionnaire_version_id, data, answers, unit_id)
    digest = response.payload_sha256
    if campaign.status is not CampaignStatus.FIELDWORK:
        # A replay of what was stored during fieldwork is still answered.
        existing = repository.get_by_client_id(db, campaign_id, data.client_id)
        if existing is not None:
            return _replay(existing, digest)
        _require_fieldwork(campaign)
    complete = data.status is ResponseStatus.COMPLETE
    if not _store(db, response, answers, respondent, complete, actor):
        existing = repository.get_by_client_id(db, campaign_id, data.client_id)
        if existing is not None:
            return _replay(existing, digest)
        if data.respondent_id is not None and complete:
            _refuse_if_answered(db, data.respondent_id, data.client_id)
        raise ConflictError(error="conflict")
    unit_code = None
    if unit_id is not None:
        unit_code = data.unit_code or unit_repository.code_of(db, unit_id)
    return Submission(
        _read_parts(
            response,
            campaign.questionnaire_version.questionnaire.code,
            campaign.questionnaire_version.version,
            unit_code,
            answers,
        ),
        created=True,
    )


def submit_with_token(
    db: Session, token: str, campaign_id: int, data: ResponseSubmit
) -> Submission:
    """:func:`submit` for an administrator's API token, checked first in the same
    session (one database session per request, as the phones' sync); the common case
    from plain rows (:func:`submit_new`)."""
    actor_id = token_user_id(db, token, frozenset({Role.ADMIN}))

    def with_orm() -> Submission:
        return submit(db, campaign_id, data, actor=token_user(db, token))

    target = repository.submission_target(db, campaign_id, data.respondent_id)
    if target is None:
        return with_orm()
    return submit_new(db, target, data, actor_id=actor_id, otherwise=with_orm)


def submit_new(
    db: Session,
    target: Target,
    data: ResponseSubmit,
    *,
    actor_id: int,
    otherwise: Callable[[], Submission],
) -> Submission:
    """:func:`submit`'s common case from plain values read in one Core statement (the
    API's and the phones' submissions): a new response, during fieldwork, on
    PostgreSQL, of a version whose form is parsed already, without a unit code. Anything
    else, and a response the database's unique indexes refuse (a replay, a second
    complete response), is answered by ``otherwise`` (:func:`submit` with ORM objects),
    so replays, conflicts and errors are answered by the one code that knows them."""
    form = cached(target.version_id, target.version_sha256)
    if (
        form is None
        or target.campaign_status is not CampaignStatus.FIELDWORK
        or data.unit_code is not None
        or db.get_bind().dialect.name != "postgresql"
    ):
        return otherwise()
    answers = _checked(form, data.answers, data.status)
    response = _new_response(
        target.campaign_id, target.version_id, data, answers, target.respondent_unit_id
    )
    completes = _completes(target.respondent_outcome, data.status is ResponseStatus.COMPLETE)
    stored = repository.store_new(
        db,
        response,
        answers,
        complete_from=completes.value if completes is not None else None,
        actor_id=actor_id,
    )
    if stored is None:
        db.rollback()
        return otherwise()
    response.id = stored
    db.commit()
    read = _read_parts(
        response, target.questionnaire_code, target.version, target.respondent_unit_code, answers
    )
    return Submission(read, created=True)


def _store(
    db: Session,
    response: Response,
    answers: dict[str, Any],
    respondent: SampledRespondent | None,
    complete: bool,
    actor: User | None,
) -> bool:
    """Write a new response and commit; False (nothing stored) when a unique index
    refused it."""
    if db.get_bind().dialect.name == "postgresql":
        completes = _completes(respondent.outcome if respondent else None, complete)
        stored = repository.store_new(
            db,
            response,
            answers,
            complete_from=completes.value if completes is not None else None,
            actor_id=actor.id if actor else None,
        )
        if stored is None:
            db.rollback()
            return False
        response.id = stored
        db.commit()
        if completes is not None and respondent is not None:
            db.expire(respondent)
        return True
    db.add(response)
    if respondent is not None and complete:
        _mark_completed(db, respondent, actor)
    try:
        db.flush()
        # The answers go in as one multi-row INSERT, without an ORM object each.
        repository.insert_answers(db, response.id, answers)
        db.commit()
    except IntegrityError:
        db.rollback()
        return False
    return True


def _read_parts(
    response: Response,
    questionnaire_code: str,
    version: int,
    unit_code: str | None,
    answers: dict[str, Any],
) -> ResponseRead:
    """The read model of a response; a new one is read from what was just stored."""
    return ResponseRead(
        id=response.id,
        campaign_id=response.campaign_id,
        client_id=response.client_id,
        questionnaire_code=questionnaire_code,
        questionnaire_version=version,
        mode=response.mode,
        status=response.status,
        respondent_id=response.respondent_id,
        unit_code=unit_code,
        answers=answers,
        started_at=response.started_at,
        submitted_at=response.submitted_at,
        created_at=response.created_at,
        updated_at=response.updated_at,
    )


def _get(db: Session, campaign_id: int, client_id: uuid.UUID) -> Response:
    response = repository.get_by_client_id(db, campaign_id, client_id)
    if response is None:
        raise NotFoundError(
            error="response_not_found", campaign_id=campaign_id, client_id=client_id
        )
    return response


def get(db: Session, campaign_id: int, client_id: uuid.UUID) -> ResponseRead:
    return read(_get(db, campaign_id, client_id))


def list_read(
    db: Session, campaign_id: int, *, status: ResponseStatus | None, limit: int, offset: int
) -> list[ResponseRead]:
    get_campaign(db, campaign_id)
    rows = repository.list_responses(db, campaign_id, status=status, limit=limit, offset=offset)
    return [read(r) for r in rows]


def update(
    db: Session,
    campaign_id: int,
    client_id: uuid.UUID,
    data: ResponseUpdate,
    *,
    actor: User | None = None,
) -> ResponseRead:
    """Replace the answers of a partial response (answers saved as the respondent goes).

    A complete response is final: the same answers again answer 200, other answers 409.
    """
    response = _get(db, campaign_id, client_id)
    campaign = _campaign(db, campaign_id)
    answers = _validated(campaign, data.answers, data.status)
    digest = _payload_digest(
        mode=response.mode.value,
        status=data.status.value,
        answers=answers,
        respondent_id=response.respondent_id,
        unit_id=response.unit_id,
    )
    if response.status is ResponseStatus.COMPLETE:
        return _replay(response, digest).response
    _require_fieldwork(campaign)
    complete = data.status is ResponseStatus.COMPLETE
    respondent_id = response.respondent_id
    if respondent_id is not None and complete:
        _refuse_if_answered(db, respondent_id, client_id)
    _replace_answers(response, answers)
    response.status = data.status
    response.payload_sha256 = digest
    if complete:
        response.submitted_at = datetime.now(UTC)
        if respondent_id is not None:
            _mark_completed(db, get_respondent(db, respondent_id), actor)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        if respondent_id is not None and complete:
            _refuse_if_answered(db, respondent_id, client_id)
        raise
    return get(db, campaign_id, client_id)


def _replace_answers(response: Response, answers: dict[str, Any]) -> None:
    """Change answers in place (keeping rows of unchanged items), drop removed ones."""
    stored = {answer.item_code: answer for answer in response.answers}
    for code, answer in stored.items():
        if code not in answers:
            response.answers.remove(answer)
        elif answer.value != answers[code]:
            answer.value = answers[code]
    response.answers.extend(
        Answer(item_code=code, value=value) for code, value in answers.items() if code not in stored
    )
