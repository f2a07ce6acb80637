"""Fieldwork progress of a campaign: AAPOR counts and response rates per unit.

:func:`campaign_progress` is the one place the app counts sampled people: the staff
campaign page, ``GET /api/v1/campaigns/{id}/progress`` and any dashboard call it. The
counting rules (who is in the field, how a released reserve takes the slot of the
person it replaced, RR1 and RR3) are those of :mod:`analysis.disposition`, which the
non-response adjustment of the results uses too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy.orm import Session

from analysis.disposition import (
    DispositionCounts,
    FieldCase,
    LoneCases,
    count_by_group,
    disposition,
)
from app.campaign import service as campaign_service
from app.campaign.schemas import CampaignRead
from app.fieldwork import repository
from app.fieldwork.schemas import CountsRead, ProgressRead, UnitProgressRead
from app.unit import repository as unit_repository

NO_UNIT = "(chưa rõ đơn vị)"


@dataclass(frozen=True)
class UnitProgress:
    """One unit's counts, its active personal links and complete responses by mode.

    ``links`` and ``by_mode`` count people in the field (the main sample and released
    reserves); ``counts`` holds the AAPOR dispositions and rates of the unit's slots.
    """

    unit_id: int | None
    unit_code: str | None
    unit_name: str
    counts: DispositionCounts
    links: int
    by_mode: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Tally:
    """The people of a campaign as :func:`app.fieldwork.repository.fieldwork_tally`
    reads them: those alone in their slot counted by kind, the others listed."""

    lone: list[Any]
    others: list[Any]


@dataclass(frozen=True)
class CampaignProgress:
    """A campaign's progress: the totals and each unit, units sorted by name."""

    campaign: CampaignRead
    total: DispositionCounts
    units: list[UnitProgress]


def field_cases(
    tally: Tally, group: Callable[[Any], Hashable]
) -> tuple[list[FieldCase], list[LoneCases]]:
    """The campaign's people of :func:`app.fieldwork.repository.fieldwork_tally` as
    :func:`analysis.disposition.count_by_group` counts them, grouped by ``group(row)``."""
    cases = [
        FieldCase(
            key=row.id,
            outcome=row.outcome,
            reserve=row.is_reserve,
            replaces=row.replaces_id,
            complete_response=row.mode is not None,
            partial_response=bool(row.has_partial),
            group=group(row),
        )
        for row in tally.others
    ]
    lone = [
        LoneCases(
            disposition(
                row.outcome,
                complete_response=row.mode is not None,
                partial_response=bool(row.has_partial),
            ),
            row.count,
            reserve=row.is_reserve,
            group=group(row),
        )
        for row in tally.lone
    ]
    return cases, lone


def campaign_progress(
    db: Session, campaign_id: int, tally: Tally | None = None
) -> CampaignProgress:
    """Counts and AAPOR response rates of a campaign, in total and per unit.

    The people alone in their slot are counted by the database and the chains of
    replacements resolved person by person (``tally``, read here if not given);
    unreleased reserves are left out (:func:`analysis.disposition.count_dispositions`),
    so "sampled" is the size of the main sample (plus reserves whose replaced person
    is not in the unit).
    """
    campaign = campaign_service.get_read(db, campaign_id)
    if tally is None:
        tally = Tally(*repository.fieldwork_tally(db, campaign_id))
    cases, lone = field_cases(tally, lambda row: row.unit_id)
    counted = count_by_group(cases, lone)
    links: Counter[int | None] = Counter()
    modes: dict[int | None, Counter[str]] = {}
    fielded = [(row, 1) for row, case in zip(tally.others, cases, strict=True) if case.in_field]
    fielded += [
        (row, row.count) for row, kind in zip(tally.lone, lone, strict=True) if kind.in_field
    ]
    for row, count in fielded:
        links[row.unit_id] += count if row.has_link else 0
        if row.mode is not None:
            modes.setdefault(row.unit_id, Counter())[row.mode.value] += count
    unit_ids = {r.unit_id for r in [*tally.others, *tally.lone] if r.unit_id is not None}
    units = unit_repository.units_by_id(db, unit_ids)
    by_unit = cast(dict[int | None, DispositionCounts], counted.groups)
    progress = [
        UnitProgress(
            unit_id=unit_id,
            unit_code=units[unit_id].code if unit_id in units else None,
            unit_name=units[unit_id].name if unit_id in units else NO_UNIT,
            counts=counts,
            links=links[unit_id],
            by_mode=dict(modes.get(unit_id, {})),
        )
        for unit_id, counts in by_unit.items()
    ]
    return CampaignProgress(
        campaign=campaign,
        total=counted.total,
        units=sorted(progress, key=lambda u: u.unit_name),
    )


def progress_read(db: Session, campaign_id: int) -> ProgressRead:
    """:func:`campaign_progress` as the API serves it."""
    progress = campaign_progress(db, campaign_id)
    return ProgressRead(
        campaign_id=progress.campaign.id,
        total=CountsRead.of(progress.total),
        units=[
            UnitProgressRead(
                unit_code=unit.unit_code,
                unit_name=unit.unit_name,
                counts=CountsRead.of(unit.counts),
                links=unit.links,
                by_mode=unit.by_mode,
            )
            for unit in progress.units
        ],
    )
