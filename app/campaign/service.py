"""Campaign rules: a published questionnaire version, and status changes along
:data:`app.campaign.models.CAMPAIGN_TRANSITIONS` only."""

from __future__ import annotations

from sqlalchemy.orm import Session

from analysis.schemes import bundled_codes
from app.audit.service import record_event
from app.auth.models import User
from app.campaign import repository
from app.campaign.models import CAMPAIGN_TRANSITIONS, Campaign, CampaignStatus
from app.campaign.schemas import CampaignCreate, CampaignRead, CampaignSettings
from app.core.errors import ConflictError, NotFoundError, UnprocessableError
from app.questionnaire import repository as questionnaire_repository
from app.questionnaire.models import VersionStatus
from app.questionnaire.service import parsed
from app.unit import repository as unit_repository
from questionnaires import Questionnaire


def read(campaign: Campaign) -> CampaignRead:
    version = campaign.questionnaire_version
    return CampaignRead(
        id=campaign.id,
        name=campaign.name,
        year=campaign.year,
        scope_unit_code=campaign.scope_unit.code,
        questionnaire_code=version.questionnaire.code,
        questionnaire_version=version.version,
        weight_scheme=campaign.weight_scheme,
        status=campaign.status,
        allowed_next=sorted(CAMPAIGN_TRANSITIONS[campaign.status]),
        settings=CampaignSettings.model_validate(campaign, from_attributes=True),
        created_at=campaign.created_at,
        updated_at=campaign.updated_at,
    )


def get(db: Session, campaign_id: int) -> Campaign:
    campaign = repository.get(db, campaign_id)
    if campaign is None:
        raise NotFoundError(f"There is no campaign {campaign_id}.")
    return campaign


def get_read(db: Session, campaign_id: int) -> CampaignRead:
    return read(get(db, campaign_id))


def with_questionnaire(db: Session, campaign_id: int) -> tuple[CampaignRead, Questionnaire]:
    """The campaign and the questionnaire its responses are given on."""
    campaign = get(db, campaign_id)
    return read(campaign), parsed(campaign.questionnaire_version)


def list_read(db: Session, *, year: int | None = None) -> list[CampaignRead]:
    return [read(c) for c in repository.list_campaigns(db, year=year)]


def create(db: Session, data: CampaignCreate, *, actor: User | None) -> CampaignRead:
    unit = unit_repository.get_by_code(db, data.scope_unit_code)
    version = questionnaire_repository.get_version(
        db, data.questionnaire_code, data.questionnaire_version
    )
    fields = []
    if unit is None:
        fields.append({"path": "scope_unit_code", "message": "unknown unit"})
    if version is None:
        fields.append({"path": "questionnaire_version", "message": "unknown questionnaire version"})
    if data.weight_scheme not in bundled_codes():
        fields.append(
            {
                "path": "weight_scheme",
                "message": f"unknown weight scheme; known: {', '.join(bundled_codes())}",
            }
        )
    if fields:
        raise UnprocessableError(
            "; ".join(f"{f['path']}: {f['message']}" for f in fields), fields=fields
        )
    assert unit is not None
    assert version is not None
    if version.status is not VersionStatus.PUBLISHED:
        raise ConflictError(
            f"Version {version.version} of {data.questionnaire_code!r} is a draft; "
            "publish it before a campaign uses it."
        )
    campaign = Campaign(
        name=data.name,
        year=data.year,
        scope_unit_id=unit.id,
        questionnaire_version_id=version.id,
        weight_scheme=data.weight_scheme,
        status=CampaignStatus.DRAFT,
    )
    db.add(campaign)
    db.flush()
    record_event(
        db,
        actor=actor,
        action="campaign.create",
        entity_type="campaign",
        entity_id=campaign.id,
        payload=data.model_dump(mode="json"),
    )
    db.commit()
    return get_read(db, campaign.id)


def change_settings(
    db: Session, campaign_id: int, data: CampaignSettings, *, actor: User | None
) -> CampaignRead:
    """Set the campaign's settings (refused once it is published)."""
    campaign = get(db, campaign_id)
    if campaign.status is CampaignStatus.PUBLISHED:
        raise ConflictError(error="campaign_published", campaign_id=campaign_id)
    old = CampaignSettings.model_validate(campaign, from_attributes=True)
    for name, value in data.model_dump().items():
        setattr(campaign, name, value)
    record_event(
        db,
        actor=actor,
        action="campaign.settings",
        entity_type="campaign",
        entity_id=campaign.id,
        payload={"from": old.model_dump(mode="json"), "to": data.model_dump(mode="json")},
    )
    db.commit()
    return get_read(db, campaign_id)


def _transition(
    db: Session, campaign: Campaign, new: CampaignStatus, *, actor: User | None
) -> None:
    old = campaign.status
    if new not in CAMPAIGN_TRANSITIONS[old]:
        allowed = ", ".join(sorted(CAMPAIGN_TRANSITIONS[old])) or "none"
        raise ConflictError(
            f"Campaign {campaign.id} cannot go from {old.value} to {new.value}; "
            f"allowed next: {allowed}.",
            error="transition_not_allowed",
        )
    campaign.status = new
    record_event(
        db,
        actor=actor,
        action="campaign.status",
        entity_type="campaign",
        entity_id=campaign.id,
        payload={"from": old.value, "to": new.value},
    )


def change_status(
    db: Session, campaign_id: int, new: CampaignStatus, *, actor: User | None
) -> CampaignRead:
    """Move a campaign along :data:`CAMPAIGN_TRANSITIONS`; publishing is
    :func:`app.result.service.publish`, which freezes the results first."""
    campaign = get(db, campaign_id)
    if new is CampaignStatus.PUBLISHED and new in CAMPAIGN_TRANSITIONS[campaign.status]:
        raise ConflictError(
            f"Publish campaign {campaign_id} with POST /campaigns/{campaign_id}/publish, "
            "which freezes its results.",
            error="publish_with_results",
        )
    _transition(db, campaign, new, actor=actor)
    db.commit()
    return get_read(db, campaign_id)


def mark_published(db: Session, campaign: Campaign, *, actor: User | None) -> None:
    """Set a closed campaign published, in the caller's transaction (the results'
    publish use case calls this once they are frozen)."""
    _transition(db, campaign, CampaignStatus.PUBLISHED, actor=actor)
