"""Queries on users, API tokens and keys, and page sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Row, case, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.auth.models import ApiToken, ApiTokenCampaign, FailedAttempt, Role, User, WebSession
from app.core.security import hash_password, new_token, token_digest


def user_for_token(db: Session, token: str) -> User | None:
    """The active account of a live token: not revoked, not expired."""
    row = db.execute(
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == token_digest(token),
            *_live(datetime.now(UTC)),
            User.is_active.is_(True),
        )
    ).scalar_one_or_none()
    return row


def live_token_row(db: Session, token: str) -> Row[int, datetime | None, int, Role] | None:
    """``(token id, last use, user id, role)`` of a live token of an active account, as
    one plain row (the same conditions as :func:`user_for_token`)."""
    return db.execute(
        select(ApiToken.id, ApiToken.last_used_at, User.id, User.role)
        .join(User, User.id == ApiToken.user_id)
        .where(
            ApiToken.token_hash == token_digest(token),
            *_live(datetime.now(UTC)),
            User.is_active.is_(True),
        )
    ).one_or_none()


def get_user(db: Session, username: str) -> User | None:
    return db.execute(select(User).where(User.username == username)).scalar_one_or_none()


def create_user(
    db: Session,
    *,
    username: str,
    role: Role,
    full_name: str | None = None,
    password: str | None = None,
) -> User:
    user = User(
        username=username,
        role=role,
        full_name=full_name,
        password_hash=hash_password(password) if password else None,
    )
    db.add(user)
    db.flush()
    return user


def issue_token(
    db: Session, user: User, name: str = "default", *, expires_at: datetime | None = None
) -> str:
    """Create a token for ``user`` and return it; only its digest is stored."""
    token = new_token()
    db.add(
        ApiToken(user_id=user.id, name=name, token_hash=token_digest(token), expires_at=expires_at)
    )
    db.flush()
    return token


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
    """Which of ``ids`` are campaigns, asked of the table the scope's foreign key
    refers to (so this domain, below campaigns, never imports them)."""
    (key,) = ApiTokenCampaign.__table__.c.campaign_id.foreign_keys
    campaign_id = key.column
    return set(db.execute(select(campaign_id).where(campaign_id.in_(ids))).scalars())


def get_token(db: Session, token_id: int) -> ApiToken | None:
    return db.get(ApiToken, token_id)


def tokens(db: Session, username: str | None = None) -> list[tuple[ApiToken, User]]:
    """Every token (of one account), oldest first."""
    query = select(ApiToken, User).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id)
    if username is not None:
        query = query.where(User.username == username)
    return [(row[0], row[1]) for row in db.execute(query).all()]


def list_users(db: Session) -> list[User]:
    return list(db.execute(select(User).order_by(User.username)).scalars())


def active_admins(db: Session) -> int:
    return db.execute(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.ADMIN, User.is_active.is_(True))
    ).scalar_one()


def session_counts(db: Session, now: datetime, user_id: int | None = None) -> dict[int, int]:
    """Unexpired page sessions per account (of one account)."""
    query = (
        select(WebSession.user_id, func.count())
        .where(WebSession.expires_at > now)
        .group_by(WebSession.user_id)
    )
    if user_id is not None:
        query = query.where(WebSession.user_id == user_id)
    return {row[0]: row[1] for row in db.execute(query)}


def _live(now: datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        ApiToken.revoked_at.is_(None),
        or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now),
    )


def live_token_counts(db: Session, now: datetime, user_id: int | None = None) -> dict[int, int]:
    """Unrevoked, unexpired tokens per account (of one account)."""
    query = select(ApiToken.user_id, func.count()).where(*_live(now)).group_by(ApiToken.user_id)
    if user_id is not None:
        query = query.where(ApiToken.user_id == user_id)
    return {row[0]: row[1] for row in db.execute(query)}


def revoke_tokens_of(db: Session, user_id: int, now: datetime) -> int:
    """Revoke every live token of an account; how many there were."""
    result = db.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, *_live(now))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def touch_token(db: Session, token_id: int, now: datetime, every: timedelta) -> None:
    """Note that a token was used at ``now``, at most once per ``every`` (one write a
    while, not one per request)."""
    db.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token_id,
            or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - every),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )


def delete_sessions_of(db: Session, user_id: int) -> int:
    """End every page session of an account; how many there were."""
    result = db.execute(delete(WebSession).where(WebSession.user_id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)


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


def _live_session(token_hash: str, now: datetime) -> tuple[ColumnElement[bool], ...]:
    """The unexpired session ``token_hash`` of an active user (with ``user`` joined)."""
    return (
        WebSession.token_hash == token_hash,
        WebSession.expires_at > now,
        User.is_active.is_(True),
    )


def session_with_user(
    db: Session, token_hash: str, now: datetime
) -> tuple[WebSession, User] | None:
    """The unexpired session of an active user."""
    row = db.execute(
        select(WebSession, User)
        .join(User, User.id == WebSession.user_id)
        .where(*_live_session(token_hash, now))
    ).one_or_none()
    if row is None:
        return None
    return row[0], row[1]


def session_row(db: Session, token_hash: str, now: datetime) -> Row[int, Role, str] | None:
    """``(user id, role, CSRF token)`` of the unexpired session of an active user, as one
    plain row (the same conditions as :func:`session_with_user`)."""
    return db.execute(
        select(User.id, User.role, WebSession.csrf_token)
        .join(User, User.id == WebSession.user_id)
        .where(*_live_session(token_hash, now))
    ).one_or_none()


def delete_session(db: Session, token_hash: str) -> None:
    db.execute(delete(WebSession).where(WebSession.token_hash == token_hash))


def delete_expired(db: Session, now: datetime) -> None:
    db.execute(delete(WebSession).where(WebSession.expires_at <= now))


def failed_attempts(db: Session, keys: list[tuple[str, str]]) -> list[FailedAttempt]:
    """The counts of these (kind, key hash) pairs that exist."""
    if not keys:
        return []
    rows = db.execute(
        select(FailedAttempt).where(
            FailedAttempt.kind.in_({k for k, _ in keys}),
            FailedAttempt.key_hash.in_({h for _, h in keys}),
        )
    ).scalars()
    wanted = set(keys)
    return [row for row in rows if (row.kind, row.key_hash) in wanted]


def add_failure(
    db: Session, kind: str, key_hash: str, now: datetime, fresh_after: datetime
) -> None:
    """One more failure, atomically (concurrent workers never lose one); a count whose
    last failure is older than ``fresh_after`` starts again from one."""
    insert = postgresql_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(FailedAttempt).values(
        kind=kind, key_hash=key_hash, failures=1, last_failed_at=now
    )
    db.execute(
        statement.on_conflict_do_update(
            index_elements=[FailedAttempt.kind, FailedAttempt.key_hash],
            set_={
                "failures": case(
                    (FailedAttempt.last_failed_at < fresh_after, 1),
                    else_=FailedAttempt.failures + 1,
                ),
                "last_failed_at": now,
            },
        )
    )


def clear_failures(db: Session, kind: str, key_hash: str) -> None:
    db.execute(
        delete(FailedAttempt).where(FailedAttempt.kind == kind, FailedAttempt.key_hash == key_hash)
    )


def forget_failures(db: Session, kind: str, before: datetime) -> None:
    db.execute(
        delete(FailedAttempt).where(
            FailedAttempt.kind == kind, FailedAttempt.last_failed_at < before
        )
    )
