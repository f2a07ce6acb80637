"""The dashboard's counts, made by the database for the people alone in their slot and
person by person for chains of released reserves, equal the counts of every person
listed one by one (analysis.disposition), per unit, per surveyor and within a
supervisor's units; medians, last syncs and daily completes equal those of the
responses read one by one."""

from __future__ import annotations

import statistics
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.disposition import FieldCase, Outcome, count_by_group
from app.auth.models import User
from app.campaign.models import Campaign
from app.campaign.scope import set_supervisor_scope
from app.fieldwork.dashboard import VIETNAM, dashboard
from app.fieldwork.models import Assignment, Surveyor
from app.link.models import RespondentLink
from app.response.models import Response, ResponseMode, ResponseStatus
from app.sample.models import Sample, SampledRespondent
from app.unit.models import Unit
from tests.api.sampling_data import case_lines, csv_bytes, frame_and_draw, setup, upload

NOW = datetime(2024, 3, 20, 16, 30, tzinfo=UTC)


def _people(db: Session, campaign_id: int) -> list[SampledRespondent]:
    return list(
        db.execute(
            select(SampledRespondent)
            .join(Sample, Sample.id == SampledRespondent.sample_id)
            .where(Sample.campaign_id == campaign_id)
            .order_by(SampledRespondent.id)
        ).scalars()
    )


def _fieldwork(db: Session, campaign_id: int) -> list[SampledRespondent]:
    """Varied fieldwork: outcomes, two chains of released reserves, three surveyors and
    unassigned people, complete responses in every mode over several days, a partial
    response, a response of nobody sampled, active and revoked links."""
    people = _people(db, campaign_id)
    main = [p for p in people if not p.is_reserve]
    reserves = [p for p in people if p.is_reserve]
    assert len(main) >= 12
    assert len(reserves) >= 3
    surveyors = [Surveyor(full_name=name) for name in ("Bùi Thị An", "Cao Văn Bình", "Đỗ Chi")]
    db.add_all(surveyors)
    db.flush()
    for index, person in enumerate(people[:-3]):
        db.add(Assignment(sampled_respondent_id=person.id, surveyor_id=surveyors[index % 3].id))
    outcomes = [Outcome.REFUSED, Outcome.NOT_REACHABLE, Outcome.INELIGIBLE, Outcome.MOVED]
    for person, outcome in zip(main[8:], outcomes, strict=False):
        person.outcome = outcome
    # A refusal replaced by a reserve who was replaced in turn; a non-contact replaced.
    main[8].outcome = Outcome.REPLACED
    reserves[0].replaces_id, reserves[0].outcome = main[8].id, Outcome.REPLACED
    reserves[1].replaces_id, reserves[1].outcome = reserves[0].id, Outcome.COMPLETED
    main[9].outcome = Outcome.REPLACED
    reserves[2].replaces_id = main[9].id
    db.flush()
    modes = list(ResponseMode)
    campaign = db.get(Campaign, campaign_id)
    assert campaign is not None
    version = campaign.questionnaire_version_id
    completed = [*main[:7], reserves[1]]
    for index, person in enumerate(completed):
        person.outcome = Outcome.COMPLETED
        submitted = NOW - timedelta(hours=9 * index, seconds=7 * index)
        db.add(
            Response(
                campaign_id=campaign_id,
                questionnaire_version_id=version,
                respondent_id=person.id,
                unit_id=person.unit_id,
                client_id=uuid.uuid4(),
                payload_sha256="0" * 64,
                mode=modes[index % len(modes)],
                status=ResponseStatus.COMPLETE,
                started_at=submitted - timedelta(minutes=11 + 3 * index, seconds=index),
                submitted_at=submitted,
                created_at=submitted + timedelta(minutes=index),
            )
        )
    others: list[tuple[SampledRespondent | None, ResponseStatus]] = [
        (main[7], ResponseStatus.PARTIAL),
        (None, ResponseStatus.COMPLETE),
    ]
    for who, status in others:
        db.add(
            Response(
                campaign_id=campaign_id,
                questionnaire_version_id=version,
                respondent_id=who.id if who else None,
                client_id=uuid.uuid4(),
                payload_sha256="0" * 64,
                mode=ResponseMode.SELF,
                status=status,
                started_at=NOW - timedelta(minutes=40),
                submitted_at=NOW - timedelta(minutes=2),
                created_at=NOW,
            )
        )
    for index, person in enumerate(main[:5]):
        db.add(
            RespondentLink(
                respondent_id=person.id,
                nonce=f"n{index}",
                token_hash=f"t{index}",
                code_hash=f"c{index}",
                response_client_id=uuid.uuid4(),
                expires_at=NOW + timedelta(days=30),
                revoked_at=NOW if index == 4 else None,
            )
        )
    db.commit()
    return _people(db, campaign_id)


def _cases(
    db: Session, people: list[SampledRespondent], group: Callable[[SampledRespondent], Any]
) -> list[FieldCase]:
    complete = {
        r.respondent_id
        for r in db.execute(
            select(Response).where(Response.status == ResponseStatus.COMPLETE)
        ).scalars()
    }
    partial = {
        r.respondent_id
        for r in db.execute(
            select(Response).where(Response.status == ResponseStatus.PARTIAL)
        ).scalars()
    }
    return [
        FieldCase(
            key=p.id,
            outcome=p.outcome,
            reserve=p.is_reserve,
            replaces=p.replaces_id,
            complete_response=p.id in complete,
            partial_response=p.id in partial,
            group=group(p),
        )
        for p in people
    ]


@pytest.mark.parametrize("supervised", [False, True], ids=["admin", "supervisor"])
def test_dashboard_counts_equal_counting_everyone(
    client: TestClient,
    admin_headers: dict[str, str],
    db: Session,
    supervisor_id: int,
    supervised: bool,
) -> None:
    campaign_id = setup(client, admin_headers)
    upload(client, admin_headers, campaign_id, csv_bytes(case_lines(per_unit=8)))
    frame_and_draw(client, admin_headers, campaign_id)
    people = _fieldwork(db, campaign_id)
    actor = None
    seen = people
    if supervised:
        unit_id = db.execute(select(Unit.id).where(Unit.code == "st-tu-phap")).scalar_one()
        set_supervisor_scope(
            db, supervisor_id, campaign_ids=[campaign_id], unit_ids=[unit_id], actor=None
        )
        db.commit()
        actor = db.get(User, supervisor_id)
        seen = [p for p in people if p.unit_id == unit_id]

    board = dashboard(db, campaign_id, actor=actor)

    by_unit = count_by_group(_cases(db, people, lambda p: p.unit_id))
    assert board.progress.total == by_unit.total
    assert {u.unit_id: u.counts for u in board.progress.units} == dict(by_unit.groups)
    assert (board.total is None) == supervised
    unit_of = {p.id: p.unit_id for p in people}
    links = Counter(
        unit_of[link.respondent_id]
        for link in db.execute(select(RespondentLink)).scalars()
        if link.revoked_at is None
    )
    assert sum(links.values()) == 4
    assert {u.unit_id: u.links for u in board.progress.units if u.links} == dict(links)
    modes = Counter(
        (r.unit_id, r.mode.value)
        for r in db.execute(
            select(Response).where(
                Response.status == ResponseStatus.COMPLETE, Response.respondent_id.is_not(None)
            )
        ).scalars()
    )
    assert {
        (u.unit_id, mode): n for u in board.progress.units for mode, n in u.by_mode.items()
    } == dict(modes)
    assignment: dict[int | None, int] = {
        row.sampled_respondent_id: row.surveyor_id
        for row in db.execute(select(Assignment)).scalars()
    }
    by_surveyor = count_by_group(_cases(db, seen, lambda p: assignment.get(p.id)))
    assert {s.surveyor_id: s.counts for s in board.surveyors} == dict(by_surveyor.groups)
    assert supervised or board.surveyors[-1].surveyor_id is None  # unassigned come last

    responses = list(
        db.execute(select(Response).where(Response.campaign_id == campaign_id)).scalars()
    )
    seen_ids = {p.id for p in seen}
    visible = [
        r
        for r in responses
        if (r.respondent_id in seen_ids) or (r.respondent_id is None and not supervised)
    ]
    timed = [r for r in visible if r.status is ResponseStatus.COMPLETE]
    minutes = {
        r.id: (r.submitted_at - r.started_at).total_seconds() / 60  # type: ignore[operator]
        for r in timed
    }
    assert board.median_minutes == pytest.approx(statistics.median(minutes.values()), abs=1e-6)
    for surveyor in board.surveyors:
        own = [
            minutes[r.id] for r in timed if assignment.get(r.respondent_id) == surveyor.surveyor_id
        ]
        expected = statistics.median(own) if own else None
        assert surveyor.median_minutes == pytest.approx(expected, abs=1e-6)
        received = [
            r.created_at
            for r in visible
            if surveyor.surveyor_id is not None
            and assignment.get(r.respondent_id) == surveyor.surveyor_id
        ]
        assert surveyor.last_sync == (max(received) if received else None)
    daily = Counter(r.submitted_at.astimezone(VIETNAM).date() for r in timed)  # type: ignore[union-attr]
    assert board.daily == sorted(daily.items())
    assert len(board.daily) > 1
