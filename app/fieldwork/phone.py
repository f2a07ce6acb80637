"""The surveyors' app: their assigned respondents, interviews, outcomes and contact
attempts.

The sync endpoints authenticate inside the same database session as their work
(:func:`app.auth.sessions.authenticate`), so a synced item costs one transaction.
Interviews go through :func:`app.response.service.submit` (the same validation and
``client_id`` idempotency as the API) and outcomes through
:func:`app.fieldwork.service.apply_outcome`. An outcome is stored once per
phone-made ``client_id`` (:class:`app.fieldwork.models.OutcomeReport`), and so is an
attempt (:mod:`app.fieldwork.attempts`): a replay with the same content answers with
the stored one, even after fieldwork closed; a different one 409. A surveyor
sees and changes only the respondents assigned to them.

Their list shows first the people who asked to be contacted again, by the time they
gave (:func:`analysis.contact.pending_callback`), then the others by unit and draw.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from analysis.contact import Attempt, pending_callback
from analysis.disposition import Outcome
from app.audit.service import record_event
from app.auth.models import SURVEYOR_ROLES
from app.auth.schemas import Credentials, PageSession
from app.auth.sessions import authenticate, authenticated_id
from app.campaign.schemas import CampaignRead
from app.campaign.service import require_fieldwork, with_questionnaire
from app.core.errors import ForbiddenError, NotFoundError, UnprocessableError
from app.core.hashing import canonical_json, sha256_json
from app.core.models import as_utc
from app.fieldwork import attempts, handover, once, repository
from app.fieldwork.models import ContactAttempt, Handover, OutcomeReport
from app.fieldwork.once import Stored
from app.fieldwork.schemas import (
    AssignmentView,
    AttemptRead,
    AttemptSubmit,
    CampaignView,
    ConflictReport,
    HandoverRead,
    InterviewSubmit,
    OfflineUrls,
    OutcomeChange,
    OutcomeReportRead,
    OutcomeSubmit,
    SurveyorHome,
)
from app.fieldwork.service import apply_outcome
from app.response import service as response_service
from app.response.models import ResponseMode, ResponseStatus
from app.response.schemas import ResponseSubmit
from questionnaires import Questionnaire


def _view(row: Any, tried: list[ContactAttempt]) -> AssignmentView:
    respondent = row[0]
    callback = None
    if respondent.outcome is Outcome.PENDING:
        callback = pending_callback(
            [
                Attempt(
                    as_utc(a.attempted_at),
                    a.result,
                    as_utc(a.callback_at) if a.callback_at else None,
                )
                for a in tried
            ]
        )
    return AssignmentView(
        respondent_id=respondent.id,
        campaign_id=row.campaign_id,
        full_name=respondent.full_name,
        phone=respondent.phone,
        address=respondent.address,
        unit_id=respondent.unit_id,
        unit_name=row.unit_name,
        outcome=respondent.outcome,
        outcome_note=respondent.outcome_note,
        answered_mode=row.answered_mode,
        procedure_name=row.procedure_name,
        returned_on=row.returned_on,
        attempts=len(tried),
        last_attempt=tried[-1].result if tried else None,
        callback_at=callback,
    )


def _callbacks_first(view: AssignmentView) -> tuple[bool, datetime]:
    """Call-backs first, earliest first; the others keep their order (a stable sort)."""
    if view.callback_at is None:
        return (True, datetime.min.replace(tzinfo=UTC))
    return (False, view.callback_at)


def home(db: Session, session: PageSession) -> SurveyorHome:
    surveyor = repository.surveyor_of_user(db, session.user_id)
    if surveyor is None:
        raise ForbiddenError(error="not_a_surveyor")
    rows = repository.assignments(db, session.user_id)
    tried: dict[int, list[ContactAttempt]] = defaultdict(list)
    for attempt in repository.attempts(db, [row[0].id for row in rows]):
        tried[attempt.respondent_id].append(attempt)
    campaigns = {row.campaign_id: row.campaign_name for row in rows}
    units = {row[0].unit_id: row.unit_name for row in rows if row[0].unit_id is not None}
    views = [_view(row, tried[row[0].id]) for row in rows]
    return SurveyorHome(
        surveyor_name=surveyor.full_name,
        campaigns=[CampaignView(id=i, name=n) for i, n in sorted(campaigns.items())],
        units=sorted(units.items(), key=lambda pair: pair[1] or ""),
        assignments=sorted(views, key=_callbacks_first),
    )


def offline_urls(db: Session, session: PageSession) -> OfflineUrls:
    """The pages a phone keeps for working offline: the list and each campaign's form."""
    rows = repository.assignments(db, session.user_id)
    campaigns = sorted({row.campaign_id for row in rows})
    return OfflineUrls(urls=["/s/", *[f"/s/interview/{c}" for c in campaigns]])


def interview_form(
    db: Session, session: PageSession, campaign_id: int
) -> tuple[CampaignRead, Questionnaire]:
    """The campaign of an interview page and its questionnaire, if the surveyor has
    respondents in it."""
    if not repository.has_assignment_in(db, session.user_id, campaign_id):
        raise NotFoundError(error="no_interviews_here", campaign_id=campaign_id)
    return with_questionnaire(db, campaign_id)


def _assigned(db: Session, session: PageSession, respondent_id: int) -> repository.Assigned:
    found = repository.assigned_respondent(db, session.user_id, respondent_id)
    if found is None:
        raise ForbiddenError(error="not_assigned", respondent_id=respondent_id)
    return found


def submit_interview(
    db: Session, credentials: Credentials, data: InterviewSubmit
) -> response_service.Submission:
    """Store a completed interview (mode ``interview``) of an assigned respondent: the
    common case from two plain rows (the log-in, the assignment), anything else through
    the ORM objects (:func:`app.response.service.submit_new`)."""
    submission = ResponseSubmit(
        client_id=data.client_id,
        mode=ResponseMode.INTERVIEW,
        status=ResponseStatus.COMPLETE,
        answers=data.answers,
        respondent_id=data.respondent_id,
        started_at=data.started_at,
    )

    def with_orm() -> response_service.Submission:
        login = authenticate(db, credentials, SURVEYOR_ROLES)
        assigned = _assigned(db, login, data.respondent_id)
        return response_service.submit(db, assigned.campaign.id, submission, actor=login.user)

    user_id = authenticated_id(db, credentials, SURVEYOR_ROLES)
    target = repository.assigned_target(db, user_id, data.respondent_id)
    if target is None:
        return with_orm()
    return response_service.submit_new(db, target, submission, actor_id=user_id, otherwise=with_orm)


def _read_report(report: OutcomeReport) -> OutcomeReportRead:
    return OutcomeReportRead.model_validate(report, from_attributes=True)


def report_outcome(
    db: Session, credentials: Credentials, data: OutcomeSubmit
) -> Stored[OutcomeReportRead]:
    """Record an outcome once per ``client_id``, through the fieldwork rules."""
    login = authenticate(db, credentials, SURVEYOR_ROLES)
    session = login
    digest = sha256_json(
        {"respondent_id": data.respondent_id, "outcome": data.outcome, "note": data.note}
    )
    assigned = _assigned(db, session, data.respondent_id)
    existing = repository.outcome_report(db, data.client_id)
    if existing is not None:
        return once.replay(existing, digest, _read_report)
    respondent, campaign = assigned.respondent, assigned.campaign
    require_fieldwork(campaign)
    outcome = Outcome(data.outcome)
    change = OutcomeChange(outcome=outcome, note=data.note)
    apply_outcome(db, respondent, change, actor=login.user)
    report = OutcomeReport(
        client_id=data.client_id,
        respondent_id=respondent.id,
        reported_by_id=session.user_id,
        outcome=outcome,
        note=data.note,
        payload_sha256=digest,
    )
    db.add(report)
    find = partial(repository.outcome_report, db, data.client_id)
    return once.commit(db, report, digest, find, _read_report)


def record_attempt(
    db: Session, credentials: Credentials, data: AttemptSubmit
) -> Stored[AttemptRead]:
    """Record a contact attempt once per ``client_id``, for an assigned respondent."""
    login = authenticate(db, credentials, SURVEYOR_ROLES)
    assigned = _assigned(db, login, data.respondent_id)
    existing = repository.contact_attempt(db, data.client_id)
    if existing is not None:
        return once.replay(existing, attempts.digest(data.respondent_id, data), attempts.read)
    return attempts.store(db, assigned.respondent, assigned.campaign, data, actor=login.user)


MAX_HANDOVER_BYTES = 64 * 1024
"""Largest item a phone may hand over (body and refusal as JSON): an interview of the
national form takes a few kilobytes, free-text answers included."""


def _check_handover(data: ConflictReport) -> str:
    """The item's digest, after checking its size and that it is about its respondent."""
    size = len(canonical_json({"body": data.body, "error": data.error}).encode("utf-8"))
    if size > MAX_HANDOVER_BYTES:
        raise UnprocessableError(
            error="handover_too_large",
            size_kb=-(-size // 1024),
            limit_kb=MAX_HANDOVER_BYTES // 1024,
        )
    if data.body.get("respondent_id", data.respondent_id) != data.respondent_id:
        raise UnprocessableError(
            error="handover_respondent_mismatch",
            fields=[{"path": "body.respondent_id", "message": "differs from respondent_id"}],
        )
    return sha256_json(data.model_dump(mode="json"))


def _held(db: Session, session: PageSession, respondent_id: int) -> int:
    """The campaign of a respondent assigned to this surveyor now or before staff moved
    the respondent to another surveyor (whose phone may hold work made offline)."""
    assigned = repository.assigned_respondent(db, session.user_id, respondent_id)
    if assigned is not None:
        return assigned.campaign.id
    former = repository.formerly_held(db, session.user_id, respondent_id)
    if former is None:
        raise ForbiddenError(error="not_assigned", respondent_id=respondent_id)
    return former.id


def hand_over(db: Session, credentials: Credentials, data: ConflictReport) -> Stored[HandoverRead]:
    """Queue an item the server refused for the supervisors (once per ``client_id``), for a
    respondent assigned to this surveyor, or assigned before staff moved the respondent
    to someone else (:func:`app.fieldwork.assignment.reassign`), with an audit event."""
    login = authenticate(db, credentials, SURVEYOR_ROLES)
    digest = _check_handover(data)
    read = partial(_read_handover, db)
    campaign_id = _held(db, login, data.respondent_id)
    existing = repository.handover_by_client_id(db, data.client_id)
    if existing is not None:
        return once.replay(existing, digest, read)
    item = Handover(
        client_id=data.client_id,
        kind=data.kind,
        respondent_id=data.respondent_id,
        campaign_id=campaign_id,
        handed_over_by_id=login.user_id,
        body=data.body,
        error=data.error,
        payload_sha256=digest,
    )
    db.add(item)
    db.flush()
    record_event(
        db,
        actor=login.user,
        action="capture.conflict_handed_over",
        entity_type="sampled_respondent",
        entity_id=data.respondent_id,
        payload={"handover_id": item.id, "kind": data.kind.value, "error": data.error},
    )
    find = partial(repository.handover_by_client_id, db, data.client_id)
    return once.commit(db, item, digest, find, read)


def _read_handover(db: Session, item: Handover) -> HandoverRead:
    return handover.get(db, item.id)
