"""Campaign rules: a published questionnaire version, and status changes along
:data:`app.campaign.models.CAMPAIGN_TRANSITIONS` only."""

from __future__ import annotations

from sqlalchemy.orm import Session

from analysis.schemes import bundled_codes
from app.audit.service import record_event
from app.auth.models import User
from app.auth.schemas import Reach
from app.campaign import repository
from app.campaign.models import (
    CAMPAIGN_STATUS_LABELS,
    CAMPAIGN_TRANSITIONS,
    Campaign,
    CampaignStatus,
    status_labels,
)
from app.campaign.schemas import CampaignCreate, CampaignRead, CampaignSettings
from app.campaign.scope import campaign_in_scope, require_admin, scope_of
from app.core.errors import ConflictError, NotFoundError, invalid, problem
from app.questionnaire import repository as questionnaire_repository
from app.questionnaire.models import QuestionnaireVersion, VersionStatus
from app.questionnaire.service import parsed
from app.unit import repository as unit_repository
from app.unit.models import Unit
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
        raise NotFoundError(error="campaign_not_found", campaign_id=campaign_id)
    return campaign


def get_read(db: Session, campaign_id: int) -> CampaignRead:
    return read(get(db, campaign_id))


def get_read_in_scope(db: Session, campaign_id: int, *, actor: User | None) -> CampaignRead:
    """The campaign, if the actor may see it (403 for a supervisor not given it)."""
    campaign_in_scope(db, campaign_id, actor)
    return get_read(db, campaign_id)


def with_questionnaire(db: Session, campaign_id: int) -> tuple[CampaignRead, Questionnaire]:
    """The campaign and the questionnaire its responses are given on."""
    campaign = get(db, campaign_id)
    return read(campaign), parsed(campaign.questionnaire_version)


def require_fieldwork(campaign: Campaign) -> None:
    """409 ``campaign_not_in_fieldwork`` unless the campaign is in fieldwork."""
    if campaign.status is not CampaignStatus.FIELDWORK:
        raise ConflictError(
            error="campaign_not_in_fieldwork",
            campaign_id=campaign.id,
            status=CAMPAIGN_STATUS_LABELS[campaign.status],
        )


def fieldwork_hotlines(db: Session) -> list[str]:
    """The distinct hotlines of the campaigns in fieldwork, for pages that may not tell
    which campaign a visitor belongs to."""
    return repository.fieldwork_hotlines(db)


def list_read(
    db: Session, *, year: int | None = None, actor: User | None = None
) -> list[CampaignRead]:
    """Campaigns (of a year), only those in the actor's scope."""
    scope = scope_of(db, actor)
    return [read(c) for c in repository.list_campaigns(db, year=year) if scope.sees_campaign(c.id)]


def reach(db: Session, campaign_ids: frozenset[int]) -> Reach:
    """What an API key limited to ``campaign_ids`` may see: those campaigns, every unit
    within their scope units, and their questionnaire versions."""
    campaigns = [c for c in repository.list_campaigns(db) if c.id in campaign_ids]
    children: dict[int | None, list[int]] = {}
    for unit in unit_repository.list_units(db):
        children.setdefault(unit.parent_id, []).append(unit.id)
    units: set[int] = set()
    waiting = [c.scope_unit_id for c in campaigns]
    while waiting:
        unit_id = waiting.pop()
        if unit_id not in units:
            units.add(unit_id)
            waiting.extend(children.get(unit_id, []))
    return Reach(
        campaign_ids=frozenset(c.id for c in campaigns),
        unit_ids=frozenset(units),
        questionnaire_versions=frozenset(
            (c.questionnaire_version.questionnaire.code, c.questionnaire_version.version)
            for c in campaigns
        ),
    )


def _resolve(db: Session, data: CampaignCreate) -> tuple[Unit, QuestionnaireVersion]:
    """The scope unit and the published questionnaire version ``data`` names."""
    unit = unit_repository.get_by_code(db, data.scope_unit_code)
    version = questionnaire_repository.get_version(
        db, data.questionnaire_code, data.questionnaire_version
    )
    fields = []
    if unit is None:
        fields.append(problem("scope_unit_code", "unit_not_found", code=data.scope_unit_code))
    if version is None:
        fields.append(
            problem(
                "questionnaire_version",
                "questionnaire_version_unknown",
                code=data.questionnaire_code,
                version=data.questionnaire_version,
            )
        )
    if data.weight_scheme not in bundled_codes():
        fields.append(
            problem(
                "weight_scheme",
                "unknown_weight_scheme",
                scheme=data.weight_scheme,
                known=", ".join(bundled_codes()),
            )
        )
    if fields:
        raise invalid(fields)
    assert unit is not None
    assert version is not None
    if version.status is not VersionStatus.PUBLISHED:
        raise ConflictError(
            error="version_is_draft", version=version.version, code=data.questionnaire_code
        )
    return unit, version


def create(db: Session, data: CampaignCreate, *, actor: User | None) -> CampaignRead:
    unit, version = _resolve(db, data)
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


def update(
    db: Session, campaign_id: int, data: CampaignCreate, *, actor: User | None
) -> CampaignRead:
    """Change a draft campaign's name, year, scope, questionnaire or weight scheme; once
    fieldwork starts these stay as they are (answers are given on that version)."""
    require_admin(db, actor)
    campaign = get(db, campaign_id)
    if campaign.status is not CampaignStatus.DRAFT:
        raise ConflictError(
            error="campaign_not_draft", campaign_id=campaign_id, status=campaign.status.value
        )
    unit, version = _resolve(db, data)
    before = read(campaign).model_dump(mode="json", include=set(CampaignCreate.model_fields))
    campaign.name, campaign.year, campaign.weight_scheme = data.name, data.year, data.weight_scheme
    campaign.scope_unit_id, campaign.questionnaire_version_id = unit.id, version.id
    record_event(
        db,
        actor=actor,
        action="campaign.update",
        entity_type="campaign",
        entity_id=campaign_id,
        payload={"from": before, "to": data.model_dump(mode="json")},
    )
    db.commit()
    db.expire(campaign)
    return get_read(db, campaign_id)


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
        raise ConflictError(
            error="transition_not_allowed",
            campaign_id=campaign.id,
            old=CAMPAIGN_STATUS_LABELS[old],
            new=CAMPAIGN_STATUS_LABELS[new],
            allowed=status_labels(CAMPAIGN_TRANSITIONS[old]),
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
        raise ConflictError(error="publish_with_results", campaign_id=campaign_id)
    _transition(db, campaign, new, actor=actor)
    db.commit()
    return get_read(db, campaign_id)


def mark_published(db: Session, campaign: Campaign, *, actor: User | None) -> None:
    """Set a closed campaign published, in the caller's transaction (the results'
    publish use case calls this once they are frozen)."""
    _transition(db, campaign, CampaignStatus.PUBLISHED, actor=actor)
