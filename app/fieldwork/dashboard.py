"""The live fieldwork dashboard of a campaign: the AAPOR counts and response rates per
unit (:func:`app.fieldwork.progress.campaign_progress`) and per surveyor (the same
counting rules of :mod:`analysis.disposition`), the median interview length, each
surveyor's last sync, and complete responses per day.

A supervisor given units sees those units only (and no campaign total).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy.orm import Session

from analysis.disposition import DispositionCounts, count_by_group
from app.auth.models import User
from app.campaign.scope import campaign_in_scope
from app.fieldwork import repository
from app.fieldwork.progress import (
    CampaignProgress,
    Tally,
    UnitProgress,
    campaign_progress,
    field_cases,
)

UTC_OFFSET_HOURS = 7
VIETNAM = timezone(timedelta(hours=UTC_OFFSET_HOURS), "ICT")
"""Days of the daily completes are Vietnam days (UTC+7)."""


@dataclass(frozen=True)
class SurveyorProgress:
    surveyor_id: int | None
    name: str
    counts: DispositionCounts
    median_minutes: float | None
    last_sync: datetime | None
    """The latest response or outcome report received from this surveyor's respondents."""


@dataclass(frozen=True)
class Dashboard:
    progress: CampaignProgress
    total: DispositionCounts | None
    """``None`` for a supervisor who sees only some units."""
    units: list[UnitProgress]
    surveyors: list[SurveyorProgress]
    median_minutes: float | None
    daily: list[tuple[date, int]]


def dashboard(db: Session, campaign_id: int, *, actor: User | None) -> Dashboard:
    scope = campaign_in_scope(db, campaign_id, actor)
    tally = Tally(*repository.fieldwork_tally(db, campaign_id))
    progress = campaign_progress(db, campaign_id, tally)
    seen = Tally(
        lone=[row for row in tally.lone if scope.sees_unit(row.unit_id)],
        others=[row for row in tally.others if scope.sees_unit(row.unit_id)],
    )
    by_surveyor = count_by_group(*field_cases(seen, lambda row: row.surveyor_id)).groups
    times = repository.surveyor_times(db, campaign_id, scope.unit_ids)
    last = times.last_received
    for surveyor, reported in repository.last_outcome_reports(db, campaign_id).items():
        last[surveyor] = max(last.get(surveyor, reported), reported)
    names = dict(repository.campaign_surveyors(db, campaign_id))
    surveyors = [
        SurveyorProgress(
            surveyor_id=key if isinstance(key, int) else None,
            name=names.get(key, "(chưa giao)") if isinstance(key, int) else "(chưa giao)",
            counts=counts,
            median_minutes=times.medians.get(key if isinstance(key, int) else None),
            last_sync=last.get(key) if isinstance(key, int) else None,
        )
        for key, counts in by_surveyor.items()
    ]
    return Dashboard(
        progress=progress,
        total=progress.total if scope.unit_ids is None else None,
        units=[u for u in progress.units if scope.sees_unit(u.unit_id)],
        surveyors=sorted(surveyors, key=lambda s: (s.surveyor_id is None, s.name)),
        median_minutes=times.median_minutes,
        daily=repository.daily_completes(db, campaign_id, scope.unit_ids, UTC_OFFSET_HOURS),
    )
