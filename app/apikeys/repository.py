"""Queries on API keys and the campaigns they may read."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.repository import user_for_token
from app.core.security import token_digest
from app.models import ApiToken, ApiTokenCampaign, Campaign, User


def token_with_user(db: Session, token: str) -> tuple[ApiToken, User] | None:
    """The live token and its active account, or ``None``."""
    user = user_for_token(db, token)
    if user is None:
        return None
    api_token = db.execute(
        select(ApiToken).where(ApiToken.token_hash == token_digest(token))
    ).scalar_one()
    return api_token, user


def scope(db: Session, token_id: int) -> list[int]:
    return list(
        db.execute(
            select(ApiTokenCampaign.campaign_id)
            .where(ApiTokenCampaign.api_token_id == token_id)
            .order_by(ApiTokenCampaign.campaign_id)
        ).scalars()
    )


def existing_campaign_ids(db: Session, ids: list[int]) -> set[int]:
    return set(db.execute(select(Campaign.id).where(Campaign.id.in_(ids))).scalars())


def get_token(db: Session, token_id: int) -> ApiToken | None:
    return db.get(ApiToken, token_id)


def api_client_tokens(db: Session) -> list[tuple[ApiToken, User]]:
    rows = db.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.id.in_(select(ApiTokenCampaign.api_token_id)))
        .order_by(ApiToken.id)
    ).all()
    return [(row[0], row[1]) for row in rows]


def add_scope(db: Session, token_id: int, campaign_ids: list[int]) -> None:
    db.add_all(ApiTokenCampaign(api_token_id=token_id, campaign_id=c) for c in campaign_ids)
    db.flush()
