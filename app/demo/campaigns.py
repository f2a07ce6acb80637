"""The one way the demo makes a campaign: its bundled questionnaire published, the
campaign found by name or created, and moved into fieldwork."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.campaign import service as campaign_service
from app.campaign.models import Campaign, CampaignStatus
from app.campaign.schemas import CampaignCreate, CampaignRead, CampaignSettings
from app.questionnaire import service as questionnaire_service

DEMO_SETTINGS = CampaignSettings(
    issuing_agency="Sở Nội vụ tỉnh Sóc Trăng",
    document_number="DEMO-01/KH-SNV",
    document_date=date(2024, 8, 1),
    hotline="0299 3822 000",
)
"""Made-up settings for the demo's letters (the document number says it is a demo)."""


def campaign_in_fieldwork(
    db: Session, *, name: str, questionnaire: str, weight_scheme: str
) -> CampaignRead:
    """The 2024 Sóc Trăng campaign called ``name``, in fieldwork (idempotent)."""
    number = questionnaire_service.publish_bundled(db, questionnaire, actor=None)
    existing = db.execute(select(Campaign.id).where(Campaign.name == name)).scalar()
    campaign = (
        campaign_service.get_read(db, existing)
        if existing
        else campaign_service.create(
            db,
            CampaignCreate(
                name=name,
                year=2024,
                scope_unit_code="st",
                questionnaire_code=questionnaire,
                questionnaire_version=number,
                weight_scheme=weight_scheme,
            ),
            actor=None,
        )
    )
    if campaign.status is CampaignStatus.DRAFT:
        campaign_service.change_settings(db, campaign.id, DEMO_SETTINGS, actor=None)
        campaign = campaign_service.change_status(
            db, campaign.id, CampaignStatus.FIELDWORK, actor=None
        )
    return campaign
