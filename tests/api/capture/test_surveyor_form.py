"""The staff form that adds a surveyor: the unit is chosen by name, and a refusal keeps
what was typed (issue 8, 2h)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.fieldwork.models import Surveyor
from app.unit.models import Unit, UnitKind
from tests.api.capture.conftest import ADMIN_PASSWORD, NEW_SURVEYOR, CaptureWorld
from tests.support.pages import log_in


def test_the_surveyor_form_offers_the_units_of_the_campaign_scope_by_name(
    client: TestClient, world: CaptureWorld, db: Session
) -> None:
    hamlet = Unit(code="st-p1-k3", name="Khóm 3", kind=UnitKind.HAMLET, parent_id=world.unit_id)
    elsewhere = Unit(code="ct", name="Thành phố Cần Thơ", kind=UnitKind.PROVINCE)
    db.add_all([hamlet, elsewhere])
    db.commit()
    log_in(client, "staff", "quantri", ADMIN_PASSWORD)
    page = client.get("/staff/surveyors").text
    form = page.split('<form method="post" action="/staff/surveyors">')[1].split("</form>")[0]
    assert '<input name="unit_code"' not in form, "no code to type"
    options = form.split('<select name="unit_code">')[1].split("</select>")[0]
    assert [line.strip() for line in options.strip().splitlines()] == [
        '<option value="">Không gắn với đơn vị nào</option>',
        '<option value="st">Tỉnh Sóc Trăng</option>',
        '<option value="st-p1">Phường 1</option>',
        '<option value="st-p1-k3">Khóm 3 (Phường 1)</option>',
    ]


def test_a_refused_surveyor_keeps_what_was_typed(
    client: TestClient, world: CaptureWorld, db: Session
) -> None:
    csrf = log_in(client, "staff", "quantri", ADMIN_PASSWORD)
    form = {"csrf_token": csrf, **NEW_SURVEYOR, "username": "dtv1"}
    taken = client.post("/staff/surveyors", data=form)
    assert taken.status_code == 422
    assert "đã có người dùng" in taken.text
    for name in ("full_name", "username", "phone", "organisation"):
        assert f'name="{name}"' in taken.text
        assert f'value="{form[name]}"' in taken.text
    assert '<option value="st-p1" selected>Phường 1</option>' in taken.text
    assert "mat-khau-moi-3" not in taken.text, "a password is never written into a page"

    created = client.post(
        "/staff/surveyors", data=dict(form, username="buudien.dtv3"), follow_redirects=False
    )
    assert created.status_code == 303
    surveyor = db.execute(select(Surveyor).where(Surveyor.full_name == "Đặng Thị Ba")).scalar_one()
    assert surveyor.unit_id == world.unit_id
