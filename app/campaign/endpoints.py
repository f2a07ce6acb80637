"""HTTP endpoints for campaigns."""

from __future__ import annotations

from fastapi import APIRouter, status

from app.auth.dependencies import AdminUser, Visible
from app.campaign import service
from app.campaign.schemas import CampaignCreate, CampaignRead, CampaignSettings, StatusChange
from app.core.deps import DatabaseDep
from app.core.errors import ForbiddenError

router = APIRouter(prefix="/campaigns", tags=["campaigns"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_campaign(data: CampaignCreate, db: DatabaseDep, user: AdminUser) -> CampaignRead:
    """Create a campaign (status draft) on a published questionnaire version."""
    return await db.run(service.create, data, actor=user)


@router.get("")
async def list_campaigns(
    db: DatabaseDep, visible: Visible, year: int | None = None
) -> list[CampaignRead]:
    """Every campaign; for an API key, the campaigns it was given."""
    campaigns = await db.run(service.list_read, year=year)
    return [c for c in campaigns if visible is None or c.id in visible.campaign_ids]


@router.get("/{campaign_id}")
async def get_campaign(campaign_id: int, db: DatabaseDep, visible: Visible) -> CampaignRead:
    if visible is not None and campaign_id not in visible.campaign_ids:
        raise ForbiddenError(error="campaign_not_in_scope", campaign_id=campaign_id)
    return await db.run(service.get_read, campaign_id)


@router.post("/{campaign_id}/status")
async def change_status(
    campaign_id: int, data: StatusChange, db: DatabaseDep, user: AdminUser
) -> CampaignRead:
    """Move the campaign along draft → fieldwork → closed → published
    (closed may reopen to fieldwork). Any other change answers 409."""
    return await db.run(service.change_status, campaign_id, data.status, actor=user)


@router.put("/{campaign_id}/settings")
async def change_settings(
    campaign_id: int, data: CampaignSettings, db: DatabaseDep, user: AdminUser
) -> CampaignRead:
    """Set what letters and fieldwork take from the campaign (agency, document, hotline,
    attempts before a reserve); refused once the campaign is published."""
    return await db.run(service.change_settings, campaign_id, data, actor=user)
