"""The live fieldwork dashboard of a campaign: the AAPOR counts and response rates per
unit (:func:`app.fieldwork.progress.campaign_progress`) and per surveyor (the same
counting rules of :mod:`analysis.disposition`), the median interview length, each
surveyor's last sync, and complete responses per day.

A supervisor given units sees those units only (and no campaign total).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy.orm import Session

from analysis.disposition import DispositionCounts, FieldCase, count_by_group
from app.auth.models import User
from app.campaign.scope import campaign_in_scope
from app.fieldwork import repository
from app.fieldwork.progress import CampaignProgress, UnitProgress, campaign_progress

VIETNAM = timezone(timedelta(hours=7), "ICT")
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


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def dashboard(db: Session, campaign_id: int, *, actor: User | None) -> Dashboard:
    scope = campaign_in_scope(db, campaign_id, actor)
    progress = campaign_progress(db, campaign_id)
    rows = [r for r in repository.fieldwork_rows(db, campaign_id) if scope.sees_unit(r.unit_id)]
    surveyor_of = repository.surveyor_by_respondent(db, campaign_id)
    cases = [
        FieldCase(
            key=row.id,
            outcome=row.outcome,
            reserve=row.is_reserve,
            replaces=row.replaces_id,
            complete_response=row.mode is not None,
            partial_response=bool(row.has_partial),
            group=surveyor_of.get(row.id),
        )
        for row in rows
    ]
    by_surveyor = count_by_group(cases).groups
    visible = {row.id for row in rows}
    minutes: dict[int | None, list[float]] = defaultdict(list)
    last: dict[int | None, datetime] = {}
    daily: Counter[date] = Counter()
    for item in repository.response_times(db, campaign_id):
        if item.respondent_id is not None and item.respondent_id not in visible:
            continue
        if item.respondent_id is None and scope.unit_ids is not None:
            continue
        surveyor = surveyor_of.get(item.respondent_id) if item.respondent_id else None
        if item.complete and item.started_at and item.submitted_at:
            minutes[surveyor].append((item.submitted_at - item.started_at).total_seconds() / 60)
        if item.complete and item.submitted_at:
            daily[item.submitted_at.astimezone(VIETNAM).date()] += 1
        if surveyor is not None:
            last[surveyor] = max(last.get(surveyor, item.received_at), item.received_at)
    for surveyor, reported in repository.last_outcome_reports(db, campaign_id).items():
        last[surveyor] = max(last.get(surveyor, reported), reported)
    names = dict(repository.campaign_surveyors(db, campaign_id))
    surveyors = [
        SurveyorProgress(
            surveyor_id=key if isinstance(key, int) else None,
            name=names.get(key, "(chưa giao)") if isinstance(key, int) else "(chưa giao)",
            counts=counts,
            median_minutes=_median(minutes.get(key if isinstance(key, int) else None, [])),
            last_sync=last.get(key if isinstance(key, int) else None),
        )
        for key, counts in by_surveyor.items()
    ]
    return Dashboard(
        progress=progress,
        total=progress.total if scope.unit_ids is None else None,
        units=[u for u in progress.units if scope.sees_unit(u.unit_id)],
        surveyors=sorted(surveyors, key=lambda s: (s.surveyor_id is None, s.name)),
        median_minutes=_median([m for values in minutes.values() for m in values]),
        daily=sorted(daily.items()),
    )
