"""The surveyors' app: their assigned respondents, interviews and outcomes.

The sync endpoints authenticate inside the same database session as their work
(:func:`app.auth.sessions.authenticate`), so a synced item costs one transaction.
Interviews go through :func:`app.response.service.submit` (the same validation and
``client_id`` idempotency as the API) and outcomes through
:func:`app.fieldwork.service.apply_outcome`. An outcome is stored once per
phone-made ``client_id`` (:class:`app.fieldwork.models.OutcomeReport`): a replay with the
same content answers with the stored report, a different one 409. A surveyor
sees and changes only the respondents assigned to them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from analysis.disposition import Outcome
from app.audit.service import record_event
from app.auth.models import SURVEYOR_ROLES
from app.auth.schemas import Credentials, PageSession
from app.auth.sessions import authenticate
from app.campaign.models import CAMPAIGN_STATUS_LABELS, CampaignStatus
from app.campaign.schemas import CampaignRead
from app.campaign.service import with_questionnaire
from app.core.errors import ConflictError, ForbiddenError, NotFoundError
from app.core.hashing import sha256_json
from app.fieldwork import repository
from app.fieldwork.models import OutcomeReport
from app.fieldwork.schemas import (
    AssignmentView,
    CampaignView,
    ConflictReport,
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


def home(db: Session, session: PageSession) -> SurveyorHome:
    surveyor = repository.surveyor_of_user(db, session.user_id)
    if surveyor is None:
        raise ForbiddenError(error="not_a_surveyor")
    rows = repository.assignments(db, session.user_id)
    campaigns = {row.campaign_id: row.campaign_name for row in rows}
    units = {row[0].unit_id: row.unit_name for row in rows if row[0].unit_id is not None}
    return SurveyorHome(
        surveyor_name=surveyor.full_name,
        campaigns=[CampaignView(id=i, name=n) for i, n in sorted(campaigns.items())],
        units=sorted(units.items(), key=lambda pair: pair[1] or ""),
        assignments=[
            AssignmentView(
                respondent_id=row[0].id,
                campaign_id=row.campaign_id,
                full_name=row[0].full_name,
                phone=row[0].phone,
                address=row[0].address,
                unit_id=row[0].unit_id,
                unit_name=row.unit_name,
                outcome=row[0].outcome,
                outcome_note=row[0].outcome_note,
                answered_mode=row.answered_mode,
            )
            for row in rows
        ],
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
    """Store a completed interview (mode ``interview``) of an assigned respondent."""
    login = authenticate(db, credentials, SURVEYOR_ROLES)
    assigned = _assigned(db, login, data.respondent_id)
    return response_service.submit(
        db,
        assigned.campaign.id,
        ResponseSubmit(
            client_id=data.client_id,
            mode=ResponseMode.INTERVIEW,
            status=ResponseStatus.COMPLETE,
            answers=data.answers,
            respondent_id=data.respondent_id,
            started_at=data.started_at,
        ),
        actor=login.user,
    )


@dataclass(frozen=True)
class OutcomeResult:
    report: OutcomeReportRead
    created: bool


def _read_report(report: OutcomeReport) -> OutcomeReportRead:
    return OutcomeReportRead.model_validate(report, from_attributes=True)


def _replay(report: OutcomeReport, digest: str) -> OutcomeResult:
    if report.payload_sha256 != digest:
        raise ConflictError(error="client_id_conflict", client_id=report.client_id)
    return OutcomeResult(_read_report(report), created=False)


def report_outcome(db: Session, credentials: Credentials, data: OutcomeSubmit) -> OutcomeResult:
    """Record an outcome once per ``client_id``, through the fieldwork rules."""
    login = authenticate(db, credentials, SURVEYOR_ROLES)
    session = login
    digest = sha256_json(
        {"respondent_id": data.respondent_id, "outcome": data.outcome, "note": data.note}
    )
    existing = repository.outcome_report(db, data.client_id)
    if existing is not None:
        return _replay(existing, digest)
    assigned = _assigned(db, session, data.respondent_id)
    respondent, campaign = assigned.respondent, assigned.campaign
    if campaign.status is not CampaignStatus.FIELDWORK:
        raise ConflictError(
            error="campaign_not_in_fieldwork",
            campaign_id=campaign.id,
            status=CAMPAIGN_STATUS_LABELS[campaign.status],
        )
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
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        existing = repository.outcome_report(db, data.client_id)
        if existing is None:
            raise
        return _replay(existing, digest)
    return OutcomeResult(_read_report(report), created=True)


def hand_over_conflict(db: Session, credentials: Credentials, data: ConflictReport) -> None:
    """Keep, in the audit trail, something the server refused and the surveyor dropped."""
    login = authenticate(db, credentials, SURVEYOR_ROLES)
    record_event(
        db,
        actor=login.user,
        action="capture.conflict_handed_over",
        entity_type="sampled_respondent",
        entity_id=data.respondent_id,
        payload=data.model_dump(mode="json"),
    )
    db.commit()
