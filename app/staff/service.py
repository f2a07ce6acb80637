"""Staff pages: surveyor accounts, campaign progress per unit, paper data entry.

Paper questionnaires go through :func:`app.response.service.submit` with mode
``paper``: the same validation, the same ``client_id`` idempotency, the same
first-completed-wins rule as the phone and the personal link.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from app.assignment.service import add_surveyor
from app.auth import repository as auth_repository
from app.campaign import service as campaign_service
from app.citizen import repository as citizen_repository
from app.citizen import service as citizen_service
from app.citizen.schemas import IssueResult
from app.core.errors import ConflictError
from app.models import ResponseMode, ResponseStatus, Role, User
from app.questionnaire.service import parsed
from app.response import service as response_service
from app.response.schemas import ResponseSubmit
from app.staff import repository
from app.staff.schemas import (
    CampaignOverview,
    PaperPage,
    PaperSubmit,
    SurveyorCreate,
    SurveyorRow,
    UnitProgress,
)
from app.web.forms import form_view
from app.web.schemas import PageSession

NO_UNIT = "(chưa rõ đơn vị)"


def list_surveyors(db: Session) -> list[SurveyorRow]:
    return [
        SurveyorRow(
            id=row[0].id,
            username=row.username,
            full_name=row[0].full_name,
            phone=row[0].phone,
            organisation=row[0].organisation,
            unit_name=row.unit_name,
            assigned=row.assigned or 0,
        )
        for row in repository.surveyors(db)
    ]


def _actor(db: Session, session: PageSession) -> User:
    return db.get_one(User, session.user_id)


def create_surveyor(db: Session, session: PageSession, data: SurveyorCreate) -> SurveyorRow:
    """A surveyor account (role surveyor, argon2 password) and its surveyor record."""
    if auth_repository.get_user(db, data.username) is not None:
        raise ConflictError(f"The username {data.username!r} is taken.", error="username_taken")
    user = auth_repository.create_user(
        db,
        username=data.username,
        role=Role.SURVEYOR,
        full_name=data.full_name,
        password=data.password,
    )
    surveyor = add_surveyor(
        db,
        full_name=data.full_name,
        phone=data.phone,
        organisation=data.organisation,
        unit_code=data.unit_code,
        actor=_actor(db, session),
        user=user,
    )
    db.commit()
    return next(row for row in list_surveyors(db) if row.id == surveyor.id)


@dataclass
class _Tally:
    respondents: set[int] = field(default_factory=set)
    links: set[int] = field(default_factory=set)
    completed: set[int] = field(default_factory=set)
    by_mode: Counter[str] = field(default_factory=Counter)


def campaign_overview(db: Session, campaign_id: int) -> CampaignOverview:
    """Per unit: respondents, active links, complete responses (by mode)."""
    campaign = campaign_service.get_read(db, campaign_id)
    rows = citizen_repository.link_counts(db, campaign_id)
    units = citizen_repository.units_by_id(db, {r.unit_id for r in rows if r.unit_id is not None})
    tallies: dict[int | None, _Tally] = defaultdict(_Tally)
    for row in rows:
        tally = tallies[row.unit_id]
        tally.respondents.add(row.id)
        if row.link_id is not None:
            tally.links.add(row.id)
        if row.mode is not None:
            tally.completed.add(row.id)
            tally.by_mode[row.mode.value] += 1
    progress = [
        UnitProgress(
            unit_id=unit_id,
            unit_name=units[unit_id].name if unit_id in units else NO_UNIT,
            respondents=len(tally.respondents),
            links=len(tally.links),
            completed=len(tally.completed),
            by_mode=dict(tally.by_mode),
        )
        for unit_id, tally in tallies.items()
    ]
    return CampaignOverview(campaign=campaign, units=sorted(progress, key=lambda u: u.unit_name))


def paper_page(db: Session, campaign_id: int) -> PaperPage:
    campaign = campaign_service.get(db, campaign_id)
    return PaperPage(
        campaign=campaign_service.read(campaign),
        form=form_view(parsed(campaign.questionnaire_version)),
    )


def submit_paper(
    db: Session, session: PageSession, campaign_id: int, data: PaperSubmit
) -> response_service.Submission:
    """Store a paper questionnaire typed in by staff (mode ``paper``)."""
    return response_service.submit(
        db,
        campaign_id,
        ResponseSubmit(
            client_id=data.client_id,
            mode=ResponseMode.PAPER,
            status=ResponseStatus.COMPLETE,
            answers=data.answers,
            respondent_id=data.respondent_id,
        ),
        actor=_actor(db, session),
    )


def issue_links(
    db: Session,
    session: PageSession,
    secret_key: str,
    campaign_id: int,
    *,
    unit_id: int | None,
    expires_on: date,
) -> IssueResult:
    return citizen_service.issue_links(
        db,
        secret_key,
        campaign_id,
        unit_id=unit_id,
        expires_on=expires_on,
        actor=_actor(db, session),
    )


def revoke_link(db: Session, session: PageSession, respondent_id: int) -> None:
    citizen_service.revoke_link(db, respondent_id, actor=_actor(db, session))
