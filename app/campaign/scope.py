"""What a staff account may see and do: administrators everything; a supervisor only the
campaigns they are given, within them the respondents of their units (with personal
data), and no configuration.

A supervisor without units sees every unit of their campaigns but no personal data.
Services take the acting account (``actor``; ``None`` is the command line, which may do
everything) and ask :func:`scope_of` before they read or change anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.audit.service import record_event
from app.auth.models import Role, User
from app.campaign import repository
from app.core.errors import ForbiddenError, NotFoundError, invalid, problem


@dataclass(frozen=True)
class Scope:
    """An account's reach. ``None`` means everything."""

    campaign_ids: frozenset[int] | None
    unit_ids: frozenset[int] | None
    """Units whose respondents the account sees (with the units under them)."""
    personal_unit_ids: frozenset[int] | None
    """Units whose respondents' names, phones and addresses the account sees."""
    configures: bool

    def check_campaign(self, campaign_id: int) -> None:
        if self.campaign_ids is not None and campaign_id not in self.campaign_ids:
            raise ForbiddenError(error="campaign_not_given", campaign_id=campaign_id)

    def sees_campaign(self, campaign_id: int) -> bool:
        return self.campaign_ids is None or campaign_id in self.campaign_ids

    def sees_unit(self, unit_id: int | None) -> bool:
        return self.unit_ids is None or unit_id in self.unit_ids

    def sees_personal(self, unit_id: int | None) -> bool:
        return self.personal_unit_ids is None or unit_id in self.personal_unit_ids

    def check_configure(self) -> None:
        if not self.configures:
            raise ForbiddenError(error="configuration_for_admins")


EVERYTHING = Scope(campaign_ids=None, unit_ids=None, personal_unit_ids=None, configures=True)


def scope_of(db: Session, actor: User | None) -> Scope:
    """The scope of ``actor``: everything for administrators and the command line."""
    if actor is None or actor.role is Role.ADMIN:
        return EVERYTHING
    if actor.role is not Role.SUPERVISOR:
        return Scope(frozenset(), frozenset(), frozenset(), configures=False)
    campaigns = frozenset(repository.supervised_campaigns(db, actor.id))
    given = repository.supervised_units(db, actor.id)
    if not given:
        return Scope(campaigns, None, frozenset(), configures=False)
    units = frozenset(repository.units_under(db, given))
    return Scope(campaigns, units, units, configures=False)


def require_admin(db: Session, actor: User | None) -> None:
    """Refuse a configuration change to anyone but an administrator."""
    scope_of(db, actor).check_configure()


def campaign_in_scope(db: Session, campaign_id: int, actor: User | None) -> Scope:
    """The actor's scope, once the campaign is known to exist and to be in it."""
    if repository.get(db, campaign_id) is None:
        raise NotFoundError(error="campaign_not_found", campaign_id=campaign_id)
    scope = scope_of(db, actor)
    scope.check_campaign(campaign_id)
    return scope


@dataclass(frozen=True)
class SupervisorScope:
    """The campaigns and units given to one supervisor."""

    user_id: int
    campaign_ids: list[int]
    unit_ids: list[int]


def supervisor_scope(db: Session, user_id: int) -> SupervisorScope:
    return SupervisorScope(
        user_id,
        sorted(repository.supervised_campaigns(db, user_id)),
        sorted(repository.supervised_units(db, user_id)),
    )


def set_supervisor_scope(
    db: Session,
    user_id: int,
    *,
    campaign_ids: Iterable[int],
    unit_ids: Iterable[int],
    actor: User | None,
) -> SupervisorScope:
    """Give a supervisor exactly these campaigns and units (administrators only)."""
    require_admin(db, actor)
    user = db.get(User, user_id)
    if user is None or user.role is not Role.SUPERVISOR:
        raise NotFoundError(error="supervisor_not_found", user_id=user_id)
    campaigns, units = sorted(set(campaign_ids)), sorted(set(unit_ids))
    known_campaigns, known_units = repository.known_ids(db, campaigns, units)
    unknown = [
        problem("campaign_ids", "campaign_not_found", campaign_id=c)
        for c in campaigns
        if c not in known_campaigns
    ] + [problem("unit_ids", "unit_id_not_found", unit_id=u) for u in units if u not in known_units]
    if unknown:
        raise invalid(unknown)
    repository.replace_supervision(db, user_id, campaigns, units)
    record_event(
        db,
        actor=actor,
        action="supervisor.scope",
        entity_type="user",
        entity_id=user_id,
        payload={"campaign_ids": campaigns, "unit_ids": units},
    )
    db.commit()
    return supervisor_scope(db, user_id)
