"""Fieldwork progress of a campaign per unit: respondents, personal links, complete
responses by mode."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from app.campaign import service as campaign_service
from app.fieldwork import repository
from app.fieldwork.schemas import CampaignOverview, UnitProgress
from app.unit import repository as unit_repository

NO_UNIT = "(chưa rõ đơn vị)"


@dataclass
class _Tally:
    respondents: set[int] = field(default_factory=set)
    links: set[int] = field(default_factory=set)
    completed: set[int] = field(default_factory=set)
    by_mode: Counter[str] = field(default_factory=Counter)


def campaign_overview(db: Session, campaign_id: int) -> CampaignOverview:
    """Per unit: respondents, active links, complete responses (by mode)."""
    campaign = campaign_service.get_read(db, campaign_id)
    rows = repository.link_counts(db, campaign_id)
    units = unit_repository.units_by_id(db, {r.unit_id for r in rows if r.unit_id is not None})
    tallies: dict[int | None, _Tally] = defaultdict(_Tally)
    for row in rows:
        tally = tallies[row.unit_id]
        tally.respondents.add(row.id)
        if row.link_id is not None:
            tally.links.add(row.id)
        if row.mode is not None:
            tally.completed.add(row.id)
            tally.by_mode[row.mode.value] += 1
    progress = [
        UnitProgress(
            unit_id=unit_id,
            unit_name=units[unit_id].name if unit_id in units else NO_UNIT,
            respondents=len(tally.respondents),
            links=len(tally.links),
            completed=len(tally.completed),
            by_mode=dict(tally.by_mode),
        )
        for unit_id, tally in tallies.items()
    ]
    return CampaignOverview(campaign=campaign, units=sorted(progress, key=lambda u: u.unit_name))
