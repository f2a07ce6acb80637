"""When links and letters may be made, what letters carry, and what a citizen sees when a
link or a typed code opens nothing (issue 8: 2c, 2d, 2e, 2f)."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import ConflictError
from app.link import service as link_service
from app.link.models import RespondentLink
from tests.api.capture.conftest import (
    ADMIN_PASSWORD,
    LETTER_SETTINGS,
    SUPERVISOR_PASSWORD,
    CaptureWorld,
)
from tests.api.capture.test_citizen_links import TOKEN_IN_LETTER, issue_and_print
from tests.api.factories import add_respondents, create_campaign
from tests.support.pages import log_in

SECRET = "test-secret-key-not-for-production"


def _expires() -> str:
    return (date.today() + timedelta(days=30)).isoformat()


def _move(client: TestClient, headers: dict[str, str], campaign_id: int, status: str) -> None:
    moved = client.post(
        f"/api/v1/campaigns/{campaign_id}/status", json={"status": status}, headers=headers
    )
    assert moved.status_code == 200, moved.text


def _revoke(client: TestClient, csrf: str, campaign_id: int, respondent: int) -> httpx.Response:
    response: httpx.Response = client.post(
        f"/staff/campaigns/{campaign_id}/links/revoke",
        data={"csrf_token": csrf, "respondent_id": str(respondent)},
        follow_redirects=False,
    )
    return response


def _links(db: Session) -> list[RespondentLink]:
    db.expire_all()
    return list(db.execute(select(RespondentLink)).scalars())


def test_links_are_not_issued_for_a_draft_closed_or_published_campaign(
    client: TestClient, world: CaptureWorld, admin_headers: dict[str, str], db: Session
) -> None:
    draft = create_campaign(client, admin_headers, fieldwork=False)
    add_respondents(db, draft, 2)
    csrf = log_in(client, "staff", "quantri", ADMIN_PASSWORD)
    refused = client.post(
        f"/staff/campaigns/{draft}/links", data={"csrf_token": csrf, "expires_on": _expires()}
    )
    assert refused.status_code == 409
    assert "đang ở trạng thái «bản nháp»" in refused.text
    assert "tạo hay thu hồi đường link" in refused.text

    _move(client, admin_headers, world.campaign_id, "closed")
    closed = client.post(
        f"/staff/campaigns/{world.campaign_id}/links",
        data={"csrf_token": csrf, "expires_on": _expires()},
    )
    assert closed.status_code == 409
    assert "«đã kết thúc»" in closed.text
    published = client.post(f"/api/v1/campaigns/{world.campaign_id}/publish", headers=admin_headers)
    assert published.status_code == 200, published.text
    with pytest.raises(ConflictError) as refusal:
        link_service.issue_links(
            db, SECRET, world.campaign_id, unit_id=None, expires_on=date.today(), actor=None
        )
    assert refusal.value.error == "campaign_not_in_fieldwork"
    assert _links(db) == []


def test_links_are_neither_revoked_nor_printed_after_closing_or_publishing(
    client: TestClient, world: CaptureWorld, admin_headers: dict[str, str], db: Session
) -> None:
    issue_and_print(client, world)
    _move(client, admin_headers, world.campaign_id, "closed")
    csrf = log_in(client, "staff", "quantri", ADMIN_PASSWORD)
    assert _revoke(client, csrf, world.campaign_id, world.respondents[0]).status_code == 409
    letters = client.get(f"/staff/campaigns/{world.campaign_id}/letters")
    assert letters.status_code == 409
    assert 'class="letter"' not in letters.text
    published = client.post(f"/api/v1/campaigns/{world.campaign_id}/publish", headers=admin_headers)
    assert published.status_code == 200, published.text
    for action in (
        lambda: link_service.revoke_link(db, world.campaign_id, world.respondents[0], actor=None),
        lambda: link_service.letters(db, SECRET, "http://x", world.campaign_id, None),
    ):
        with pytest.raises(ConflictError) as refusal:
            action()
        assert refusal.value.error == "campaign_not_in_fieldwork"
    assert all(link.revoked_at is None for link in _links(db))


def test_a_link_is_revoked_only_through_its_own_campaign(
    client: TestClient, world: CaptureWorld, admin_headers: dict[str, str], db: Session
) -> None:
    issue_and_print(client, world)
    other = create_campaign(client, admin_headers)
    csrf = log_in(client, "staff", "giamsat", SUPERVISOR_PASSWORD)
    respondent = world.respondents[0]
    through_other = _revoke(client, csrf, other, respondent)
    assert through_other.status_code == 404
    assert f"không thuộc mẫu nào của đợt khảo sát {other}" in through_other.text
    assert all(link.revoked_at is None for link in _links(db))
    assert _revoke(client, csrf, world.campaign_id, respondent).status_code == 303
    again = _revoke(client, csrf, world.campaign_id, respondent)
    assert again.status_code == 404
    assert "không có đường link nào đang hiệu lực" in again.text


def test_letters_carry_the_agency_document_and_hotline_of_the_campaign(
    client: TestClient, world: CaptureWorld
) -> None:
    issue_and_print(client, world)
    log_in(client, "staff", "quantri", ADMIN_PASSWORD)
    page = client.get(f"/staff/campaigns/{world.campaign_id}/letters").text
    letters = page.split('<article class="letter"')[1:]
    assert len(letters) == len(world.respondents)
    for letter in letters:
        assert "SỞ NỘI VỤ TỈNH SÓC TRĂNG" in letter
        assert "125/KH-SNV" in letter
        assert "01/08/2024" in letter
        assert '<strong class="hotline">0299 3822 123</strong>' in letter


@pytest.mark.parametrize(
    ("setting", "named"),
    [
        ("hotline", "số điện thoại đường dây nóng"),
        ("issuing_agency", "cơ quan phát hành"),
        ("document_number", "số văn bản"),
        ("document_date", "ngày văn bản"),
    ],
)
def test_letters_are_refused_naming_the_missing_setting(
    client: TestClient,
    world: CaptureWorld,
    admin_headers: dict[str, str],
    setting: str,
    named: str,
) -> None:
    changed = client.put(
        f"/api/v1/campaigns/{world.campaign_id}/settings",
        json={**LETTER_SETTINGS, setting: None},
        headers=admin_headers,
    )
    assert changed.status_code == 200, changed.text
    csrf = log_in(client, "staff", "quantri", ADMIN_PASSWORD)
    issued = client.post(
        f"/staff/campaigns/{world.campaign_id}/links",
        data={"csrf_token": csrf, "expires_on": _expires()},
        follow_redirects=False,
    )
    assert issued.status_code == 303
    letters = client.get(f"/staff/campaigns/{world.campaign_id}/letters")
    assert letters.status_code == 409
    assert f"còn thiếu {named}." in letters.text
    assert f'<a href="/staff/campaigns/{world.campaign_id}/setup">' in letters.text
    assert 'class="letter"' not in letters.text


def test_the_unavailable_page_gives_the_hotline_of_the_campaign_in_fieldwork(
    client: TestClient, world: CaptureWorld, admin_headers: dict[str, str]
) -> None:
    page = client.get("/r/" + "A" * 32)
    assert page.status_code == 404
    assert "<strong>0299 3822 123</strong>" in page.text
    _move(client, admin_headers, world.campaign_id, "closed")
    closed = client.get("/r/" + "A" * 32)
    assert "0299 3822 123" not in closed.text
    assert "đường dây nóng ghi trên thư mời" in closed.text


def test_a_mistyped_code_keeps_a_form_to_type_it_again(
    client: TestClient, world: CaptureWorld
) -> None:
    token, code = issue_and_print(client, world)[world.respondents[0]]
    wrong = ("B" if code[0] != "B" else "C") + code[1:]
    opened = client.post("/r", data={"code": wrong}, follow_redirects=True)
    assert opened.status_code == 404
    assert '<form method="post" action="/r">' in opened.text
    assert f'name="code" value="{wrong}"' in opened.text
    retyped = client.post("/r", data={"code": code}, follow_redirects=True)
    assert retyped.status_code == 200
    assert 'id="survey"' in retyped.text

    malformed = client.post("/r", data={"code": "ABCD-2345-EFG"})
    assert malformed.status_code == 422
    assert 'name="code" value="ABCD-2345-EFG"' in malformed.text
    # The retype form keeps the rate limit: wrong codes still count.
    for _ in range(20):
        client.get(f"/r/{wrong}")
    assert client.post("/r", data={"code": code}, follow_redirects=True).status_code == 429
    assert client.get(f"/r/{token}").status_code == 429


def test_the_link_reopens_on_the_screen_the_citizen_left(
    client: TestClient, world: CaptureWorld, db: Session
) -> None:
    respondent = world.respondents[0]
    token, _ = issue_and_print(client, world)[respondent]
    assert db.execute(select(RespondentLink.screen)).scalars().all() == [None] * 5
    opened = client.get(f"/r/{token}")
    assert 'data-screen=""' in opened.text
    saved = client.put(f"/r/{token}/answers", json={"answers": {"S24": 3}, "screen": 1})
    assert saved.status_code == 200
    assert 'data-screen="1"' in client.get(f"/r/{token}").text
    assert client.put(f"/r/{token}/answers", json={"answers": {}, "screen": -1}).status_code == 422

    # A reissued link (lost letter) continues on the same screen with the same answers.
    csrf = log_in(client, "staff", "quantri", ADMIN_PASSWORD)
    assert _revoke(client, csrf, world.campaign_id, respondent).status_code == 303
    client.cookies.clear()
    fresh = issue_and_print_one(client, world, respondent)
    page = client.get(f"/r/{fresh}").text
    assert 'data-screen="1"' in page
    assert '{"S24": 3}' in page


def issue_and_print_one(client: TestClient, world: CaptureWorld, respondent: int) -> str:
    csrf = log_in(client, "staff", "quantri", ADMIN_PASSWORD)
    issued = client.post(
        f"/staff/campaigns/{world.campaign_id}/links",
        data={"csrf_token": csrf, "expires_on": _expires()},
        follow_redirects=False,
    )
    assert "issued=1" in issued.headers["location"]
    letters = client.get(f"/staff/campaigns/{world.campaign_id}/letters").text
    article = letters.split(f'data-respondent="{respondent}"')[1].split("</article>")[0]
    client.cookies.clear()
    token = TOKEN_IN_LETTER.search(article)
    assert token is not None
    return token.group(1)
