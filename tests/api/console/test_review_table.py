"""The review table's filters and pages: a response without a unit of its own is found
under its respondent's unit, the surveyor filter follows assignments, a supervisor's
units bound the table, and pages of a bounded size cover the newest first, with the
count of every match."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.campaign.models import Campaign
from app.campaign.scope import set_supervisor_scope
from app.fieldwork import review
from app.fieldwork.models import Assignment, Surveyor
from app.response.models import Response, ResponseMode, ResponseStatus, ReviewState
from app.sample.models import SampledRespondent
from app.unit.models import Unit, UnitKind
from tests.api.factories import add_respondents, setup_campaign


def _world(db: Session, campaign_id: int) -> tuple[list[int], list[int], int]:
    """Two units; 12 respondents alternating between them, the first six assigned to one
    surveyor; a complete response each, every third one without a unit of its own and
    every fourth approved. Its unit ids, response ids (oldest first) and surveyor id."""
    province = db.execute(select(Unit).where(Unit.code == "st")).scalar_one()
    units = [
        Unit(code=f"st-{i}", name=f"Đơn vị {i}", kind=UnitKind.DEPARTMENT, parent_id=province.id)
        for i in (1, 2)
    ]
    surveyor = Surveyor(full_name="Phan Văn Khảo")
    db.add_all([*units, surveyor])
    db.flush()
    people = [db.get(SampledRespondent, i) for i in add_respondents(db, campaign_id, 12)]
    campaign = db.get(Campaign, campaign_id)
    assert campaign is not None
    responses = []
    for index, person in enumerate(people):
        assert person is not None
        person.unit_id = units[index % 2].id
        if index < 6:
            db.add(Assignment(sampled_respondent_id=person.id, surveyor_id=surveyor.id))
        response = Response(
            campaign_id=campaign_id,
            questionnaire_version_id=campaign.questionnaire_version_id,
            respondent_id=person.id,
            unit_id=None if index % 3 == 0 else person.unit_id,
            mode=ResponseMode.INTERVIEW,
            client_id=uuid.uuid4(),
            status=ResponseStatus.COMPLETE,
            payload_sha256="0" * 64,
            review_state=ReviewState.APPROVED if index % 4 == 0 else ReviewState.RECEIVED,
        )
        db.add(response)
        db.flush()
        responses.append(response.id)
    db.commit()
    return [u.id for u in units], responses, surveyor.id


def _ids(page: review.ReviewPage) -> list[int]:
    return [row.id for row in page.rows]


def test_filters_find_responses_by_their_respondents_unit_and_surveyor(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup_campaign(client, admin_headers)
    units, responses, surveyor = _world(db, campaign_id)

    first = review.review_table(db, campaign_id, review.ReviewFilters(unit_id=units[0]), actor=None)
    expected = [r for i, r in enumerate(responses) if i % 2 == 0][::-1]
    assert _ids(first) == expected  # indexes 0 and 6 have no unit of their own
    assert first.total == 6
    assert {row.unit_name for row in first.rows} == {"Đơn vị 1"}

    approved = review.review_table(
        db,
        campaign_id,
        review.ReviewFilters(unit_id=units[0], review_state=ReviewState.APPROVED),
        actor=None,
    )
    assert _ids(approved) == [responses[8], responses[4], responses[0]]
    assert approved.total == 3

    by_surveyor = review.review_table(
        db, campaign_id, review.ReviewFilters(surveyor_id=surveyor), actor=None
    )
    assert _ids(by_surveyor) == responses[:6][::-1]
    assert {row.surveyor_name for row in by_surveyor.rows} == {"Phan Văn Khảo"}
    assert by_surveyor.surveyors == [(surveyor, "Phan Văn Khảo")]
    assert [name for _, name in by_surveyor.units] == ["Đơn vị 1", "Đơn vị 2"]


def test_supervisor_sees_the_responses_of_their_units_only(
    client: TestClient, admin_headers: dict[str, str], db: Session, supervisor_id: int
) -> None:
    campaign_id = setup_campaign(client, admin_headers)
    units, responses, _ = _world(db, campaign_id)
    set_supervisor_scope(
        db, supervisor_id, campaign_ids=[campaign_id], unit_ids=[units[1]], actor=None
    )
    db.commit()
    table = review.review_table(
        db, campaign_id, review.ReviewFilters(), actor=db.get(User, supervisor_id)
    )
    assert _ids(table) == [r for i, r in enumerate(responses) if i % 2 == 1][::-1]
    assert [name for _, name in table.units] == ["Đơn vị 2"]


def test_pages_are_bounded_newest_first_and_counted(
    client: TestClient, admin_headers: dict[str, str], db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    campaign_id = setup_campaign(client, admin_headers)
    _, responses, _ = _world(db, campaign_id)
    monkeypatch.setattr(review, "PAGE_SIZE", 5)
    newest_first = responses[::-1]
    pages = [
        review.review_table(db, campaign_id, review.ReviewFilters(), offset=offset, actor=None)
        for offset in (0, 5, 10, 15)
    ]
    assert [_ids(page) for page in pages] == [
        newest_first[:5],
        newest_first[5:10],
        newest_first[10:],
        [],
    ]
    assert {page.total for page in pages} == {12}
    assert {page.page_size for page in pages} == {5}
