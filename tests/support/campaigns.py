"""A campaign in fieldwork on a bundled questionnaire, built through the services
(for browser tests and benchmarks)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.campaign import service as campaign_service
from app.campaign.models import CampaignStatus
from app.campaign.schemas import CampaignCreate
from app.questionnaire import service as questionnaire_service
from questionnaires import bundled_path


def campaign_in_fieldwork(
    db: Session, name: str, *, scope_unit_code: str = "st", form: str = "national-2024"
) -> int:
    """Publish the bundled ``form``, open a campaign on it for fieldwork; its id."""
    draft = questionnaire_service.create_draft(db, bundled_path(form).read_bytes(), actor=None)
    questionnaire_service.publish(db, draft.code, draft.version, actor=None)
    campaign = campaign_service.create(
        db,
        CampaignCreate(
            name=name,
            year=2024,
            scope_unit_code=scope_unit_code,
            questionnaire_code=draft.code,
            questionnaire_version=draft.version,
            weight_scheme="national-province",
        ),
        actor=None,
    )
    campaign_service.change_status(db, campaign.id, CampaignStatus.FIELDWORK, actor=None)
    return campaign.id
