"""Staff pages of fieldwork: correcting an outcome from the campaign page."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.disposition import Outcome
from app.audit.models import AuditEvent
from app.auth.models import User
from app.campaign.scope import set_supervisor_scope
from app.sample.models import SampledRespondent
from tests.api.capture.conftest import SUPERVISOR_PASSWORD, CaptureWorld
from tests.support.pages import log_in


def test_a_supervisor_corrects_an_outcome_on_the_campaign_page(
    client: TestClient, world: CaptureWorld, db: Session
) -> None:
    """Issue 8 (2a): staff had no way to undo an outcome set by mistake."""
    mistaken = world.respondents[0]
    db.get_one(SampledRespondent, mistaken).outcome = Outcome.MOVED
    db.commit()
    giamsat = db.execute(select(User).where(User.username == "giamsat")).scalar_one()
    set_supervisor_scope(
        db, giamsat.id, campaign_ids=[world.campaign_id], unit_ids=[world.unit_id], actor=None
    )
    csrf = log_in(client, "staff", "giamsat", SUPERVISOR_PASSWORD)
    url = f"/staff/campaigns/{world.campaign_id}/outcome-corrections"
    page = client.get(f"/staff/campaigns/{world.campaign_id}").text
    assert page.count(f'action="{url}"') == 1
    assert "Sửa kết quả tiếp cận" in page.split("</title>")[1]
    assert "Sửa kết quả" not in page.split("</title>")[0]
    form = {"csrf_token": csrf, "respondent_id": str(mistaken), "outcome": "pending"}

    no_reason = client.post(url, data=form)
    assert no_reason.status_code == 422
    assert "Cần ghi lý do" in no_reason.text
    done = client.post(
        url, data={**form, "reason": "Nhầm người: người này chưa chuyển đi"}, follow_redirects=False
    )
    assert done.status_code == 303
    assert done.headers["location"].endswith(f"?corrected={mistaken}#outcome-correction")
    shown = client.get(done.headers["location"]).text
    assert f"Đã sửa kết quả tiếp cận của người được chọn số {mistaken}" in shown
    db.expire_all()
    assert db.get_one(SampledRespondent, mistaken).outcome is Outcome.PENDING
    event = db.execute(
        select(AuditEvent).where(AuditEvent.action == "respondent.outcome_corrected")
    ).scalar_one()
    assert event.payload["reason"] == "Nhầm người: người này chưa chuyển đi"

    other = client.post(
        f"/staff/campaigns/{world.campaign_id + 1}/outcome-corrections",
        data={**form, "outcome": "refused", "reason": "Sai đợt khảo sát"},
    )
    assert other.status_code == 404
    assert "không thuộc mẫu nào của đợt khảo sát" in other.text

    # Outside the supervisor's units: refused, nothing changed.
    db.get_one(SampledRespondent, world.respondents[1]).unit_id = None
    db.commit()
    outside = client.post(
        url, data={**form, "respondent_id": str(world.respondents[1]), "reason": "Ngoài đơn vị"}
    )
    assert outside.status_code == 403
    assert "không được giao cho tài khoản của bạn" in outside.text
