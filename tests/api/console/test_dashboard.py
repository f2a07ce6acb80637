"""The live dashboard: counts and AAPOR rates per unit and per surveyor (the counting
rules of analysis.disposition), median interview length, last sync, daily completes,
and the live fragment the page fetches without reloading."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from analysis.disposition import Outcome
from app.fieldwork.models import Assignment, DashboardSnapshot, Surveyor
from app.sample.models import SampledRespondent
from tests.api.console.conftest import Staff
from tests.api.factories import response_body
from tests.api.sampling_data import case_lines, csv_bytes, frame_and_draw, setup, upload


def test_dashboard_counts_per_unit_and_surveyor(
    admin: Staff, client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup(client, admin_headers)
    page = f"/staff/campaigns/{campaign_id}/dashboard"
    assert "Chưa có ai trong mẫu" in admin.client.get(page).text
    upload(client, admin_headers, campaign_id, csv_bytes(case_lines(per_unit=6)))
    frame_and_draw(client, admin_headers, campaign_id)
    people = list(
        db.execute(
            select(SampledRespondent)
            .where(SampledRespondent.is_reserve.is_(False))
            .order_by(SampledRespondent.id)
        ).scalars()
    )
    surveyor = Surveyor(full_name="Lê Văn Khảo")
    db.add(surveyor)
    db.flush()
    db.add_all(Assignment(sampled_respondent_id=p.id, surveyor_id=surveyor.id) for p in people)
    people[2].outcome = Outcome.REFUSED
    db.commit()
    started = datetime.now(UTC) - timedelta(minutes=20)
    for person in people[:2]:
        stored = client.post(
            f"/api/v1/campaigns/{campaign_id}/responses",
            json=response_body(respondent_id=person.id, started_at=started.isoformat()),
            headers=admin_headers,
        )
        assert stored.status_code == 201, stored.text

    db.execute(delete(DashboardSnapshot))  # counted again, not the empty campaign's snapshot
    db.commit()
    board = admin.client.get(page)
    assert board.status_code == 200
    assert re.search(r'id="completes">2<', board.text)
    sampled = len(people)
    assert f'id="rr1">{200 / sampled:.1f}%'.replace(".", ",") in board.text
    row = re.search(r"<tr><td>Lê Văn Khảo</td>.*?</tr>", board.text, re.S)
    assert row is not None
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row.group(0))
    assert cells[3] == "2"  # complete
    assert cells[5] == "1"  # refusal
    assert cells[-2] == "20"  # median interview length in minutes
    assert re.fullmatch(r"\d\d/\d\d \d\d:\d\d", cells[-1])  # last sync
    assert "<svg" in board.text
    assert "js/dashboard.js" in board.text

    live = admin.client.get(page, params={"fragment": "1"})
    assert live.status_code == 200
    assert "<html" not in live.text
    assert re.search(r'id="completes">2<', live.text)
