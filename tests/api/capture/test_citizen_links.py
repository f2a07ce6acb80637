"""Citizens' personal links: hashed, rate-limited, resumable, one complete response
per person whatever the channel (mixed mode), and never in the logs."""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, timedelta

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from analysis.disposition import Outcome
from app.campaign.models import Campaign, CampaignStatus
from app.link.models import RespondentLink
from app.response.models import Response, ResponseMode, ResponseStatus
from app.sample.models import SampledRespondent
from tests.api.capture.conftest import ADMIN_PASSWORD, CaptureWorld
from tests.api.factories import VALID_ANSWERS
from tests.support.accounts import SURVEYOR_PASSWORD
from tests.support.pages import log_in
from tests.support.server import running_server

TOKEN_IN_LETTER = re.compile(r'<span class="url">https?://[^<]+/r/([A-Za-z0-9_\-]{32})</span>')
CODE_IN_LETTER = re.compile(r'<strong class="code">([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})</strong>')


def issue_and_print(client: TestClient, world: CaptureWorld) -> dict[int, tuple[str, str]]:
    """Issue links as an administrator; read them off the letters: {respondent: (token, code)}."""
    csrf = log_in(client, "staff", "quantri", ADMIN_PASSWORD)
    issued = client.post(
        f"/staff/campaigns/{world.campaign_id}/links",
        data={"csrf_token": csrf, "expires_on": (date.today() + timedelta(days=30)).isoformat()},
        follow_redirects=False,
    )
    assert issued.status_code == 303
    assert "issued=5" in issued.headers["location"]
    letters = client.get(f"/staff/campaigns/{world.campaign_id}/letters?unit={world.unit_id}")
    assert letters.status_code == 200
    found: dict[int, tuple[str, str]] = {}
    for article in letters.text.split('<article class="letter"')[1:]:
        respondent = int(article.split('data-respondent="')[1].split('"')[0])
        token = TOKEN_IN_LETTER.search(article)
        code = CODE_IN_LETTER.search(article)
        assert token is not None
        assert code is not None
        assert "<svg" in article, "every letter carries its QR code"
        found[respondent] = (token.group(1), code.group(1))
    client.cookies.clear()
    return found


def test_links_are_stored_hashed_and_pages_show_no_personal_data(
    client: TestClient, world: CaptureWorld, db: Session
) -> None:
    links = issue_and_print(client, world)
    assert set(links) == set(world.respondents)
    stored = db.execute(select(RespondentLink)).scalars().all()
    columns = " ".join(
        f"{r.nonce} {r.token_hash} {r.code_hash} {r.response_client_id}" for r in stored
    )
    for token, code in links.values():
        assert token not in columns
        assert code.replace("-", "") not in columns

    token, _ = links[world.respondents[0]]
    page = client.get(f"/r/{token}")
    assert page.status_code == 200
    assert 'id="survey"' in page.text
    assert token not in page.text
    for number in range(1, 6):
        assert f"Người dân {number}" not in page.text
        assert f"09120000{number:02d}" not in page.text
    assert "Khóm 3" not in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"
    campaign_page = log_in(client, "staff", "quantri", ADMIN_PASSWORD)
    assert campaign_page
    overview = client.get(f"/staff/campaigns/{world.campaign_id}").text
    assert all(token not in overview for token, _ in links.values())


def test_answers_are_saved_as_the_citizen_goes_and_submitted_once(
    client: TestClient, world: CaptureWorld, db: Session
) -> None:
    respondent = world.respondents[4]
    token, _ = issue_and_print(client, world)[respondent]
    url = f"/r/{token}/answers"
    partial = client.put(url, json={"answers": {"S24": 3}})
    assert (partial.status_code, partial.json()["status"]) == (200, "partial")
    more = client.put(url, json={"answers": {"S24": 3, "FEEDBACK": "2"}})
    assert more.status_code == 200
    resumed = client.get(f"/r/{token}")
    assert '{"FEEDBACK": "2", "S24": 3}' in resumed.text
    hidden = client.put(url, json={"answers": {"S24": 3, "FEEDBACK": "2", "S37": 4}})
    assert hidden.status_code == 422
    assert hidden.json()["fields"][0]["code"] == "hidden_item"
    incomplete = client.put(url, json={"answers": {"S24": 3}, "complete": True})
    assert incomplete.status_code == 422

    final = {"S24": 3, "FEEDBACK": "2", "R_SEX": "1"}
    done = client.put(url, json={"answers": final, "complete": True})
    assert (done.status_code, done.json()["status"]) == (200, "complete")
    assert "Khảo sát đã hoàn thành" in client.get(f"/r/{token}").text
    second = client.put(url, json={"answers": final, "complete": True})
    assert (second.status_code, second.json()["error"]) == (409, "respondent_already_answered")

    response = db.execute(select(Response)).scalar_one()
    assert (response.mode, response.status) == (ResponseMode.SELF, ResponseStatus.COMPLETE)
    assert {a.item_code: a.value for a in response.answers} == final
    assert db.get_one(SampledRespondent, respondent).outcome is Outcome.COMPLETED


def _unavailable_body(client: TestClient, path: str) -> tuple[int, str]:
    page = client.get(path)
    return page.status_code, page.text


def test_unknown_expired_revoked_and_closed_links_look_alike(
    client: TestClient, world: CaptureWorld, db: Session
) -> None:
    links = issue_and_print(client, world)
    expired, revoked, closed = (links[r][0] for r in world.respondents[:3])
    unknown = _unavailable_body(client, "/r/" + "A" * 32)
    assert unknown[0] == 404
    assert "không còn hiệu lực" in unknown[1]

    db.execute(
        update(RespondentLink)
        .where(RespondentLink.respondent_id == world.respondents[0])
        .values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
    )
    db.execute(
        update(RespondentLink)
        .where(RespondentLink.respondent_id == world.respondents[1])
        .values(revoked_at=datetime.now(UTC))
    )
    db.commit()
    assert _unavailable_body(client, f"/r/{expired}") == unknown
    assert _unavailable_body(client, f"/r/{revoked}") == unknown
    assert client.put(f"/r/{expired}/answers", json={"answers": {}}).status_code == 404

    db.execute(
        update(Campaign)
        .where(Campaign.id == world.campaign_id)
        .values(status=CampaignStatus.CLOSED)
    )
    db.commit()
    assert _unavailable_body(client, f"/r/{closed}") == _unavailable_body(client, "/r/" + "A" * 32)


def test_guessing_links_is_rate_limited(
    client: TestClient, world: CaptureWorld, api: FastAPI
) -> None:
    token, _ = issue_and_print(client, world)[world.respondents[0]]
    for attempt in range(20):
        assert client.get(f"/r/guess{attempt:027d}").status_code == 404
    assert client.get(f"/r/{token}").status_code == 429
    assert client.put(f"/r/{token}/answers", json={"answers": {}}).status_code == 429


def test_the_typed_code_opens_the_same_form(client: TestClient, world: CaptureWorld) -> None:
    token, code = issue_and_print(client, world)[world.respondents[0]]
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    opened = client.post("/r", data={"code": typed}, follow_redirects=False)
    assert (opened.status_code, opened.headers["location"]) == (303, f"/r/{code}")
    assert client.put(f"/r/{code}/answers", json={"answers": {"S24": 5}}).status_code == 200
    assert '"S24": 5' in client.get(f"/r/{token}").text
    assert client.post("/r", data={"code": "12345"}).status_code == 422


def test_first_completed_response_wins_across_channels(
    client: TestClient, world: CaptureWorld, db: Session
) -> None:
    links = issue_and_print(client, world)
    first, second = world.respondents[:2]

    # The citizen starts online, then the surveyor completes the interview: the link
    # now says the survey is answered and refuses the citizen's submission.
    client.put(f"/r/{links[first][0]}/answers", json={"answers": {"S24": 2}})
    client.cookies.clear()
    csrf = log_in(client, "s", "dtv1", SURVEYOR_PASSWORD)
    interview = {"client_id": "0b6f1f1e-7c1a-4f0e-9a53-2f5f0c1d2e3f", "respondent_id": first}
    stored = client.post(
        "/s/api/responses",
        json={**interview, "answers": VALID_ANSWERS},
        headers={"X-CSRF-Token": csrf},
    )
    assert stored.status_code == 201
    assert "Người này đã trả lời khảo sát (phỏng vấn)" in client.get("/s/").text
    client.cookies.clear()
    assert "Khảo sát đã hoàn thành" in client.get(f"/r/{links[first][0]}").text
    late = client.put(
        f"/r/{links[first][0]}/answers", json={"answers": VALID_ANSWERS, "complete": True}
    )
    assert late.status_code == 409

    # The citizen completes first: the surveyor's interview and a paper form are refused.
    done = client.put(
        f"/r/{links[second][0]}/answers", json={"answers": VALID_ANSWERS, "complete": True}
    )
    assert done.status_code == 200
    csrf = log_in(client, "s", "dtv1", SURVEYOR_PASSWORD)
    refused = client.post(
        "/s/api/responses",
        json={
            "client_id": "5d0a4c1e-1b2c-4d3e-8f9a-0b1c2d3e4f5a",
            "respondent_id": second,
            "answers": VALID_ANSWERS,
        },
        headers={"X-CSRF-Token": csrf},
    )
    assert (refused.status_code, refused.json()["error"]) == (409, "respondent_already_answered")
    assert "Người này đã trả lời khảo sát (tự trả lời qua đường link)" in client.get("/s/").text

    complete = db.execute(
        select(Response.respondent_id, Response.mode).where(
            Response.status == ResponseStatus.COMPLETE
        )
    ).all()
    assert sorted(complete) == [(first, ResponseMode.INTERVIEW), (second, ResponseMode.SELF)]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def test_token_never_reaches_the_access_log(
    api: FastAPI, client: TestClient, world: CaptureWorld
) -> None:
    token, code = issue_and_print(client, world)[world.respondents[0]]
    access = logging.getLogger("uvicorn.access")
    collect = _Collect()
    with running_server(api, log_level="info") as base_url:
        access.addHandler(collect)
        try:
            httpx.get(f"{base_url}/r/{token}")
            httpx.put(f"{base_url}/r/{token}/answers", json={"answers": {"S24": 4}})
            httpx.get(f"{base_url}/r/{code}")
        finally:
            access.removeHandler(collect)
    assert len(collect.lines) == 3
    assert all("/r/[redacted]" in line for line in collect.lines)
    assert not any(token in line or code in line for line in collect.lines)
