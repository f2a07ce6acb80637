"""Citizens' personal links issued through the service, as the letters would print them."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.link import service as link_service
from app.link import tokens
from app.link.models import RespondentLink


def citizen_token(db: Session, secret: str, campaign_id: int, respondent_id: int) -> str:
    """Issue the campaign's links (those not issued yet); the token of one respondent."""
    link_service.issue_links(
        db,
        secret,
        campaign_id,
        unit_id=None,
        expires_on=date.today() + timedelta(days=30),
        actor=None,
    )
    link = db.execute(
        select(RespondentLink).where(RespondentLink.respondent_id == respondent_id)
    ).scalar_one()
    return tokens.link_token(secret, link.nonce)
