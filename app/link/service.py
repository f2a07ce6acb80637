"""Personal links: issuing, revoking, opening, saving answers as the citizen goes,
and printing the letters.

A link stands for one sampled respondent. Its page shows the questionnaire and
nothing about the person; answers are saved as a partial response (mode
``self``) whose ``client_id`` belongs to the link, through the same
:mod:`app.response.service` as every other channel, and the page resumes where
the citizen stopped. Once the respondent has a complete response from any
channel (mixed mode: first completed wins), the link answers that the survey is
complete and refuses further submissions. An unknown, expired or revoked link,
or one whose campaign is no longer in fieldwork, gets the same answer: not found.

Links are issued, revoked and their letters printed only while the campaign is in
fieldwork (409 ``campaign_not_in_fieldwork`` otherwise), so that no letter points
to a link that does not work yet or any more. A letter carries the issuing agency,
the document ordering the survey and the hotline from the campaign's settings;
letters are refused while one of them is not set.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import segno
from sqlalchemy.orm import Session

from analysis.disposition import Outcome
from app.audit.service import record_event
from app.auth.models import User
from app.campaign.models import Campaign, CampaignStatus
from app.campaign.service import get as get_campaign
from app.campaign.service import require_fieldwork
from app.core.errors import ConflictError, NotFoundError
from app.link import repository, tokens
from app.link.models import RespondentLink
from app.link.schemas import (
    CitizenAnswers,
    CitizenPage,
    CitizenSaved,
    IssueResult,
    Letter,
    LetterBatch,
)
from app.questionnaire.service import parsed
from app.response import repository as response_repository
from app.response import service as response_service
from app.response.models import ResponseMode, ResponseStatus
from app.response.schemas import ResponseSubmit, ResponseUpdate
from app.sample.models import SampledRespondent
from app.unit import repository as unit_repository

VIETNAM = timezone(timedelta(hours=7), "ICT")
"""Links expire at the end of the chosen day, Vietnam time (UTC+7)."""


class LinkUnavailableError(NotFoundError):
    """Unknown, expired or revoked link, or campaign not in fieldwork: all alike."""

    error = "link_unavailable"


LETTER_SETTINGS = {
    "issuing_agency": "cơ quan phát hành",
    "document_number": "số văn bản",
    "document_date": "ngày văn bản",
    "hotline": "số điện thoại đường dây nóng",
}
"""The campaign settings every letter prints, with their Vietnamese names."""


def _find(db: Session, secret_key: str, credential: str) -> tuple[RespondentLink, int]:
    now = datetime.now(UTC)
    code = tokens.normalize_code(credential) if len(credential) <= 20 else None
    if code is not None:
        link = repository.live_link(db, now, code_hash=tokens.code_hash(secret_key, code))
    else:
        link = repository.live_link(db, now, token_hash=tokens.token_hash(credential))
    if link is None:
        raise LinkUnavailableError()
    _, campaign = repository.respondent_and_campaign(db, link.respondent_id)
    if campaign.status is not CampaignStatus.FIELDWORK:
        raise LinkUnavailableError()
    return link, campaign.id


def _answered(db: Session, respondent: SampledRespondent) -> bool:
    return respondent.outcome is Outcome.COMPLETED or repository.has_complete_response(
        db, respondent.id
    )


def open_link(db: Session, secret_key: str, credential: str) -> CitizenPage:
    """What the citizen's page shows: the form with saved answers, or completion."""
    link, campaign_id = _find(db, secret_key, credential)
    respondent, campaign = repository.respondent_and_campaign(db, link.respondent_id)
    if _answered(db, respondent):
        return CitizenPage(state="answered", campaign_name=campaign.name, hotline=campaign.hotline)
    saved = response_repository.get_by_client_id(db, campaign_id, link.response_client_id)
    return CitizenPage(
        state="form",
        campaign_name=campaign.name,
        hotline=campaign.hotline,
        questionnaire=parsed(campaign.questionnaire_version),
        answers={a.item_code: a.value for a in saved.answers} if saved else {},
        screen=link.screen if saved else None,
    )


def save_answers(
    db: Session, secret_key: str, credential: str, data: CitizenAnswers
) -> CitizenSaved:
    """Save the citizen's answers so far (partial) and the screen they are on, or
    submit them (complete)."""
    link, campaign_id = _find(db, secret_key, credential)
    respondent, _ = repository.respondent_and_campaign(db, link.respondent_id)
    if _answered(db, respondent):
        raise ConflictError(error="respondent_already_answered")
    status = ResponseStatus.COMPLETE if data.complete else ResponseStatus.PARTIAL
    client_id = link.response_client_id
    if response_repository.get_by_client_id(db, campaign_id, client_id) is None:
        stored = response_service.submit(
            db,
            campaign_id,
            ResponseSubmit(
                client_id=client_id,
                mode=ResponseMode.SELF,
                status=status,
                answers=data.answers,
                respondent_id=respondent.id,
            ),
        ).response
    else:
        stored = response_service.update(
            db, campaign_id, client_id, ResponseUpdate(status=status, answers=data.answers)
        )
    if data.screen is not None and link.screen != data.screen:
        link.screen = data.screen
        db.commit()
    return CitizenSaved(status=stored.status, saved_at=stored.updated_at)


def _end_of_day(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=VIETNAM).astimezone(UTC)


def issue_links(
    db: Session,
    secret_key: str,
    campaign_id: int,
    *,
    unit_id: int | None,
    expires_on: date,
    actor: User | None,
) -> IssueResult:
    """Give a link to every respondent to contact (of a unit) who has none.

    A respondent whose link was revoked gets a new one that continues the same
    response (its ``client_id`` and screen are kept), so saved answers are not lost.
    Only while the campaign is in fieldwork.
    """
    campaign = get_campaign(db, campaign_id)
    require_fieldwork(campaign)
    created = already = 0
    for respondent, active in repository.to_contact(db, campaign.id, unit_id):
        if active is not None:
            already += 1
            continue
        previous = repository.latest_link(db, respondent.id)
        nonce = tokens.new_nonce()
        db.add(
            RespondentLink(
                respondent_id=respondent.id,
                nonce=nonce,
                token_hash=tokens.token_hash(tokens.link_token(secret_key, nonce)),
                code_hash=tokens.code_hash(secret_key, tokens.short_code(secret_key, nonce)),
                response_client_id=previous.response_client_id if previous else uuid.uuid4(),
                screen=previous.screen if previous else None,
                expires_at=_end_of_day(expires_on),
                created_by_id=actor.id if actor else None,
            )
        )
        created += 1
    record_event(
        db,
        actor=actor,
        action="links.issue",
        entity_type="campaign",
        entity_id=campaign.id,
        payload={"unit_id": unit_id, "expires_on": expires_on.isoformat(), "created": created},
    )
    db.commit()
    return IssueResult(created=created, already=already)


def revoke_link(db: Session, campaign_id: int, respondent_id: int, *, actor: User | None) -> None:
    """Revoke the active link of a respondent of this campaign (in fieldwork)."""
    campaign = get_campaign(db, campaign_id)
    if repository.campaign_id_of(db, respondent_id) != campaign.id:
        raise NotFoundError(
            error="respondent_not_in_campaign", respondent_id=respondent_id, campaign_id=campaign.id
        )
    require_fieldwork(campaign)
    link = repository.active_link(db, respondent_id)
    if link is None:
        raise NotFoundError(error="no_active_link", respondent_id=respondent_id)
    link.revoked_at = datetime.now(UTC)
    record_event(
        db,
        actor=actor,
        action="links.revoke",
        entity_type="sampled_respondent",
        entity_id=respondent_id,
    )
    db.commit()


def _letter_settings(campaign: Campaign) -> dict[str, Any]:
    """The settings letters print; 409 naming those not set."""
    values = {name: getattr(campaign, name) for name in LETTER_SETTINGS}
    missing = [label for name, label in LETTER_SETTINGS.items() if not values[name]]
    if missing:
        raise ConflictError(
            error="letter_settings_missing", campaign_id=campaign.id, missing=", ".join(missing)
        )
    return values


def check_letters(db: Session, campaign_id: int) -> tuple[Campaign, dict[str, Any]]:
    """The campaign and what its letters print, if they may be printed now (in
    fieldwork, every setting set); 409 otherwise."""
    campaign = get_campaign(db, campaign_id)
    require_fieldwork(campaign)
    return campaign, _letter_settings(campaign)


LETTERS_PER_REPORT = 50
"""Letters made between two progress reports of :func:`letters`."""


def letters(
    db: Session,
    secret_key: str,
    base_url: str,
    campaign_id: int,
    unit_id: int | None,
    *,
    progress: Callable[[int, int | None], None] | None = None,
) -> LetterBatch:
    """The letters of a unit (or of the whole campaign) for respondents with a link;
    ``progress(done, total)`` is told every :data:`LETTERS_PER_REPORT` letters."""
    campaign, settings = check_letters(db, campaign_id)
    rows = repository.to_contact(db, campaign.id, unit_id)
    units = unit_repository.units_by_id(db, {r.unit_id for r, _ in rows if r.unit_id is not None})
    batch: list[Letter] = []
    expiries = set()
    total = sum(1 for _, link in rows if link is not None)
    for respondent, link in rows:
        if link is None:
            continue
        if progress is not None and len(batch) % LETTERS_PER_REPORT == 0:
            progress(len(batch), total)
        url = f"{base_url.rstrip('/')}/r/{tokens.link_token(secret_key, link.nonce)}"
        qr = segno.make(url, error="m", micro=False)
        unit = units.get(respondent.unit_id) if respondent.unit_id is not None else None
        expiries.add(link.expires_at)
        batch.append(
            Letter(
                respondent_id=respondent.id,
                full_name=respondent.full_name,
                address=respondent.address,
                unit_name=unit.name if unit else None,
                url=url,
                code=tokens.format_code(tokens.short_code(secret_key, link.nonce)),
                qr_svg=qr.svg_inline(
                    border=2, omitsize=True, title="Mã QR của đường link khảo sát"
                ),
            )
        )
    if progress is not None:
        progress(len(batch), total)
    unit_name = None
    if unit_id is not None:
        unit_name = unit_repository.units_by_id(db, {unit_id}).get(unit_id, None)
    latest = max(expiries) if expiries else None
    return LetterBatch(
        campaign_id=campaign.id,
        campaign_name=campaign.name,
        year=campaign.year,
        **settings,
        unit_name=unit_name.name if unit_name else None,
        expires_on=_local_day(latest) if latest else None,
        letters=batch,
        without_link=sum(1 for _, link in rows if link is None),
    )


def _local_day(moment: datetime) -> date:
    if moment.tzinfo is None:  # SQLite returns naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VIETNAM).date()
