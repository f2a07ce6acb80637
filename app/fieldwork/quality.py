"""Quality flags of a campaign's responses (:mod:`analysis.quality`) for review: on the
rows of the review table, on one response, and per surveyor.

Phone numbers are compared as digests here and never leave this module; the flags name
other responses by number only.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from analysis.quality import (
    Flag,
    Interview,
    SurveyorDifference,
    flag_interviews,
    surveyors_differing,
)
from app.auth.models import User
from app.campaign import service as campaign_service
from app.campaign.scope import campaign_in_scope
from app.fieldwork import repository
from app.questionnaire.service import parsed


def _criteria_blocks(db: Session, campaign_id: int) -> dict[str, str]:
    """Block code of every rated criterion of the campaign's questionnaire."""
    form = parsed(campaign_service.get(db, campaign_id).questionnaire_version)
    criteria = {item.code for item in form.criteria()}
    return {
        item.code: block.code
        for block in form.blocks
        for item in block.items
        if item.code in criteria
    }


def _key(phone: str | None) -> str | None:
    return hashlib.sha256(phone.encode()).hexdigest() if phone else None


def _interviews(
    db: Session, campaign_id: int, rows: list[Any], blocks_of: dict[str, str], with_answers: bool
) -> list[Interview]:
    answers: dict[int, dict[str, dict[str, Any]]] = defaultdict(lambda: defaultdict(dict))
    if with_answers and rows:
        found = repository.answers_of(db, [r.id for r in rows], blocks_of)
        for response_id, code, value in found:
            answers[response_id][blocks_of[code]][code] = value
    return [
        Interview(
            response_id=row.id,
            surveyor=row.surveyor_id,
            unit=row.unit_code,
            started_at=row.started_at,
            submitted_at=row.submitted_at,
            contact_key=_key(row.phone),
            blocks={block: dict(items) for block, items in answers[row.id].items()},
        )
        for row in rows
    ]


def response_flags(
    db: Session, campaign_id: int, response_ids: Iterable[int], *, actor: User | None
) -> dict[int, list[Flag]]:
    """The flags of the given responses: each checked with its own answers, against the
    other interviews of its surveyor and the other responses of its phone number."""
    campaign_in_scope(db, campaign_id, actor)
    wanted = set(response_ids)
    if not wanted:
        return {}
    threshold = campaign_service.get(db, campaign_id).min_interview_minutes
    own = repository.quality_rows(db, campaign_id, response_ids=wanted)
    if not own:
        return {}
    gap = timedelta(minutes=threshold)
    windows = [
        (r.surveyor_id, r.submitted_at - gap, r.submitted_at + gap)
        for r in own
        if r.surveyor_id is not None and r.submitted_at is not None
    ]
    phones = {r.phone for r in own if r.phone}
    related = (
        repository.quality_rows(db, campaign_id, windows=windows, phones=phones)
        if windows or phones
        else []
    )
    blocks_of = _criteria_blocks(db, campaign_id)
    checked = _interviews(db, campaign_id, own, blocks_of, with_answers=True)
    others = _interviews(
        db, campaign_id, [r for r in related if r.id not in wanted], blocks_of, with_answers=False
    )
    flags: dict[int, list[Flag]] = defaultdict(list)
    for flag in flag_interviews([*checked, *others], threshold):
        if flag.response_id in wanted:
            flags[flag.response_id].append(flag)
    return dict(flags)


@dataclass(frozen=True)
class SurveyorQuality:
    """Per surveyor: flags on their responses by kind, and whether their respondents'
    satisfaction differs from the other surveyors of a unit (with the test's figures)."""

    surveyor_id: int
    name: str
    responses: int
    flags: dict[str, int]
    differences: list[SurveyorDifference]


def surveyor_quality(db: Session, campaign_id: int, *, actor: User | None) -> list[SurveyorQuality]:
    """Flags of every complete response of the campaign, summed per surveyor, and the
    two-proportion test of each surveyor against the unit's other surveyors."""
    scope = campaign_in_scope(db, campaign_id, actor)
    threshold = campaign_service.get(db, campaign_id).min_interview_minutes
    rows = repository.quality_rows(db, campaign_id)
    interviews = _interviews(db, campaign_id, rows, _criteria_blocks(db, campaign_id), True)
    flags = flag_interviews(interviews, threshold)
    surveyor_of = {i.response_id: i.surveyor for i in interviews}
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for flag in flags:
        surveyor = surveyor_of.get(flag.response_id)
        if surveyor is not None:
            counts[surveyor][flag.code] += 1
    responses: dict[int, int] = defaultdict(int)
    for interview in interviews:
        if interview.surveyor is not None:
            responses[interview.surveyor] += 1
    differences: dict[int, list[SurveyorDifference]] = defaultdict(list)
    for difference in surveyors_differing(interviews):
        differences[difference.surveyor].append(difference)
    names = dict(repository.campaign_surveyors(db, campaign_id))
    units_of = repository.surveyor_units(db, campaign_id)
    return [
        SurveyorQuality(
            surveyor_id=surveyor,
            name=names.get(surveyor, str(surveyor)),
            responses=responses[surveyor],
            flags=dict(counts[surveyor]),
            differences=differences[surveyor],
        )
        for surveyor in sorted(responses, key=lambda s: names.get(s, ""))
        if scope.unit_ids is None or units_of.get(surveyor, set()) & scope.unit_ids
    ]
