"""Results of a campaign whose answers came through the API: compute, serve, freeze, export."""

from __future__ import annotations

import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.auth.service import Reader
from app.response.models import Answer, Response
from app.result import service as result_service
from app.sample.models import SampledRespondent
from tests.api.factories import add_respondents, create_campaign, response_body, setup_campaign

PHONE = "0912000001"
NAME = "Nguyễn Văn Riêng Tư"


def add_unit(client: TestClient, headers: dict[str, str], code: str, name: str) -> None:
    body = {"code": code, "name": name, "kind": "department", "parent_code": "st"}
    response = client.post("/api/v1/units", json=body, headers=headers)
    assert response.status_code == 201, response.text


def submit(
    client: TestClient,
    headers: dict[str, str],
    campaign_id: int,
    answers: dict[str, Any],
    **extra: Any,
) -> None:
    response = client.post(
        f"/api/v1/campaigns/{campaign_id}/responses",
        json=response_body(answers, **extra),
        headers=headers,
    )
    assert response.status_code == 201, response.text


@pytest.fixture
def campaign(client: TestClient, admin_headers: dict[str, str]) -> int:
    """Twelve complete answer sets at unit 'tp' and three at 'ct', plus one partial.

    Counted by hand — S24 at tp: 9 of 12 satisfied (4 or 5) = 75%; at ct: 1 of 3; overall
    10 of 15 = 66.67%. S37 (feedback filed by 4 people at tp: 5, 5, 4, 2) = 75%, a small
    cell.
    """
    campaign_id = setup_campaign(client, admin_headers)
    add_unit(client, admin_headers, "tp", "Sở Tư pháp")
    add_unit(client, admin_headers, "ct", "Sở Công Thương")
    scores = [5, 5, 5, 4, 4, 4, 4, 4, 4, 3, 2, 1]
    feedback = {0: 5, 1: 5, 2: 4, 10: 2}
    for i, score in enumerate(scores):
        answers: dict[str, Any] = {"S24": score, "FEEDBACK": "2", "R_SEX": "1" if i % 2 else "2"}
        if i in feedback:
            answers.update(FEEDBACK="1", S37=feedback[i])
        if i == 0:
            answers["NOTE"] = f"Gọi tôi: {NAME}, {PHONE}"
        submit(client, admin_headers, campaign_id, answers, unit_code="tp")
    for score in (5, 3, 2):
        submit(
            client,
            admin_headers,
            campaign_id,
            {"S24": score, "FEEDBACK": "2", "R_SEX": "1"},
            unit_code="ct",
        )
    submit(client, admin_headers, campaign_id, {"S24": 1}, unit_code="ct", status="partial")
    return campaign_id


def compute(client: TestClient, headers: dict[str, str], campaign_id: int) -> dict[str, Any]:
    response = client.post(f"/api/v1/campaigns/{campaign_id}/results", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def api_key(
    client: TestClient, headers: dict[str, str], name: str, campaigns: list[int]
) -> dict[str, Any]:
    response = client.post(
        "/api/v1/api-keys", json={"name": name, "campaign_ids": campaigns}, headers=headers
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_results_document_from_api_answers(
    client: TestClient, admin_headers: dict[str, str], campaign: int
) -> None:
    summary = compute(client, admin_headers, campaign)
    assert summary["responses_used"] == 15  # the partial response does not count
    key = api_key(client, admin_headers, "par-scoring", [campaign])
    response = client.get(
        f"/api/v1/campaigns/{campaign}/results",
        headers={"Authorization": f"Bearer {key['token']}"},
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["criteria"]["S24"]["rate"] == pytest.approx(100 * 10 / 15)
    assert data["criteria"]["S24"]["n"] == 15
    assert data["criteria"]["S37"] == {
        "rate": None,
        "n": 4,
        "ci": [None, None],
        "se": None,
        "n_effective": None,
        "design_effect": None,
        "small": True,
        "number": 37,
    }  # 75% on 4 answers, withheld: n < 10
    assert data["subindices"]["E"]["rate"] == pytest.approx(100 * 10 / 15)
    assert data["subindices"]["E"]["name"] == "Tiếp cận dịch vụ"
    assert data["units"]["tp"]["criteria"]["S24"]["rate"] == pytest.approx(75.0)
    assert data["units"]["tp"]["name"] == "Sở Tư pháp"
    assert data["units"]["ct"]["sipas"]["small"] is True
    assert data["units"]["ct"]["sipas"]["rate"] is None  # withheld: n = 3 < 10
    assert data["units"]["ct"]["sipas"]["n"] == 3
    low, high = data["criteria"]["S24"]["ci"]
    assert low < data["criteria"]["S24"]["rate"] < high
    assert data["design"]["interval"] == "wilson"
    assert data["versions"] == {
        "method": "1.0",
        "questionnaire_code": "small",
        "questionnaire_version": 1,
        "questionnaire_edition": "2024",
        "weight_scheme": "national-province",
        "weight_scheme_version": "2024.1",
    }
    components = {c["code"]: c for c in data["par_points"]["components"]}
    assert components["access"]["points"] == pytest.approx(1.5 * 100 * 10 / 15 / 100)
    assert components["procedures"]["points"] is None  # the small form has no G criteria
    assert data["status"] == "fieldwork"
    assert data["frozen"] is False
    assert response.headers["ETag"].startswith('"')


def test_results_hold_no_personal_data(
    client: TestClient, admin_headers: dict[str, str], campaign: int, db: Session
) -> None:
    ids = add_respondents(db, campaign, 2)
    assert ids
    compute(client, admin_headers, campaign)
    text = client.get(f"/api/v1/campaigns/{campaign}/results", headers=admin_headers).text
    for private in (PHONE, NAME, "Người dân 1", "0912000002", "Gọi tôi", "client_id"):
        assert private not in text


def test_unit_and_scheme_selection(
    client: TestClient, admin_headers: dict[str, str], campaign: int
) -> None:
    compute(client, admin_headers, campaign)
    url = f"/api/v1/campaigns/{campaign}/results"
    one = client.get(url, params={"unit": "tp"}, headers=admin_headers).json()
    assert list(one["units"]) == ["tp"]
    other = client.get(url, params={"scheme": "an-giang-unit"}, headers=admin_headers).json()
    overall = other["sipas"]["rate"]
    assert other["par_points"]["total"] == pytest.approx(32 * overall / 100)
    assert other["units"]["tp"]["par_points"]["total"] == pytest.approx(
        32 * other["units"]["tp"]["sipas"]["rate"] / 100
    )
    assert other["versions"]["weight_scheme"] == "an-giang-unit"
    missing = client.get(url, params={"unit": "nowhere"}, headers=admin_headers)
    assert missing.status_code == 404
    unknown = client.get(url, params={"scheme": "made-up"}, headers=admin_headers)
    assert unknown.status_code == 422
    assert "national-province" in unknown.json()["detail"]


def test_keys_are_scoped_read_only_and_revocable(
    client: TestClient, admin_headers: dict[str, str], campaign: int
) -> None:
    other = create_campaign(client, admin_headers)
    compute(client, admin_headers, campaign)
    compute(client, admin_headers, other)
    key = api_key(client, admin_headers, "scorer", [campaign])
    auth = {"Authorization": f"Bearer {key['token']}"}
    assert client.get(f"/api/v1/campaigns/{campaign}/results", headers=auth).status_code == 200
    refused = client.get(f"/api/v1/campaigns/{other}/results", headers=auth)
    assert refused.status_code == 403
    assert refused.json()["error"] == "campaign_not_in_scope"
    assert client.get(f"/api/v1/campaigns/{campaign}/results").status_code == 401
    bad = {"Authorization": "Bearer sipas_not-a-token"}
    assert client.get(f"/api/v1/campaigns/{campaign}/results", headers=bad).status_code == 401
    # read-only: a key cannot compute, list responses or make keys
    assert client.post(f"/api/v1/campaigns/{campaign}/results", headers=auth).status_code == 403
    assert client.get(f"/api/v1/campaigns/{campaign}/responses", headers=auth).status_code == 403
    made = client.post(
        "/api/v1/api-keys", json={"name": "x", "campaign_ids": [campaign]}, headers=auth
    )
    assert made.status_code == 403
    listed = client.get("/api/v1/api-keys", headers=admin_headers).json()
    assert [(k["name"], k["campaign_ids"]) for k in listed] == [("scorer", [campaign])]
    revoked = client.delete(f"/api/v1/api-keys/{key['id']}", headers=admin_headers)
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert client.get(f"/api/v1/campaigns/{campaign}/results", headers=auth).status_code == 401
    unknown = client.post(
        "/api/v1/api-keys", json={"name": "y", "campaign_ids": [999]}, headers=admin_headers
    )
    assert unknown.status_code == 422


def test_etag_and_deterministic_recompute(
    client: TestClient, admin_headers: dict[str, str], campaign: int
) -> None:
    first = compute(client, admin_headers, campaign)
    second = compute(client, admin_headers, campaign)
    assert first["etag"] == second["etag"]  # same answers, same content
    url = f"/api/v1/campaigns/{campaign}/results"
    response = client.get(url, headers=admin_headers)
    etag = response.headers["ETag"]
    cached = client.get(url, headers={**admin_headers, "If-None-Match": etag})
    assert cached.status_code == 304
    assert client.get(url, headers={**admin_headers, "If-None-Match": '"x"'}).status_code == 200


def test_not_computed_yet(client: TestClient, admin_headers: dict[str, str], campaign: int) -> None:
    response = client.get(f"/api/v1/campaigns/{campaign}/results", headers=admin_headers)
    assert response.status_code == 404
    assert response.json()["error"] == "results_not_computed"


def test_publishing_freezes_results(
    client: TestClient, admin_headers: dict[str, str], campaign: int
) -> None:
    status_url = f"/api/v1/campaigns/{campaign}/status"
    closed = client.post(status_url, json={"status": "closed"}, headers=admin_headers)
    assert closed.status_code == 200, closed.text
    published = client.post(f"/api/v1/campaigns/{campaign}/publish", headers=admin_headers)
    assert published.status_code == 200, published.text
    data = client.get(f"/api/v1/campaigns/{campaign}/results", headers=admin_headers).json()
    assert data["frozen"] is True
    assert data["status"] == "published"
    assert data["criteria"]["S24"]["n"] == 15
    again = client.post(f"/api/v1/campaigns/{campaign}/results", headers=admin_headers)
    assert again.status_code == 409
    assert again.json()["error"] == "results_frozen"


def test_weighted_campaign_uses_the_design(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup_campaign(client, admin_headers)
    ids = add_respondents(db, campaign_id, 12)  # two do not respond
    scores = (5, 5, 4, 4, 4, 2, 2, 1, 1, 3)
    for respondent_id, score in zip(ids[:10], scores, strict=True):
        answers = {"S24": score, "FEEDBACK": "2", "R_SEX": "1"}
        submit(client, admin_headers, campaign_id, answers, respondent_id=respondent_id)
    compute(client, admin_headers, campaign_id)
    data = client.get(f"/api/v1/campaigns/{campaign_id}/results", headers=admin_headers).json()
    assert data["design"]["weighted"] is True
    assert data["design"]["interval"] == "taylor_logit_t"
    assert data["design"]["degrees_of_freedom"] == 9
    assert data["criteria"]["S24"]["rate"] == pytest.approx(50.0)
    # one stratum, equal weights, f = 0.5: V = (1 − f) · p(1 − p) / (n − 1)
    assert data["criteria"]["S24"]["se"] == pytest.approx(100 * (0.5 * 0.25 / 9) ** 0.5)


def test_exports(client: TestClient, admin_headers: dict[str, str], campaign: int) -> None:
    compute(client, admin_headers, campaign)
    base = f"/api/v1/campaigns/{campaign}/results"
    csv = client.get(f"{base}/criteria.csv", headers=admin_headers)
    assert csv.status_code == 200
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "STT,Mã,Chỉ số thành phần / tiêu chí,2024"
    # SIPAS = mean of the criteria: (66.67 + 75) / 2
    assert lines[1] == ",SIPAS,Chỉ số hài lòng chung (SIPAS),70.83"
    assert lines[2] == "E,E,Tiếp cận dịch vụ,66.67"
    assert any(line.startswith("24,S24,") and line.endswith(",66.67") for line in lines)
    units = client.get(f"{base}/units.xlsx", headers=admin_headers)
    sheet = load_workbook(io.BytesIO(units.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("STT", "Mã đơn vị", "Đơn vị", "Số phiếu", "Chỉ số SIPAS (%)")
    assert rows[1][:4] == (1, "tp", "Sở Tư pháp", 12)
    assert rows[2][1:5] == ("ct", "Sở Công Thương", 3, None)  # withheld
    png = client.get(f"{base}/charts/subindices.png", headers=admin_headers)
    assert png.content.startswith(b"\x89PNG")
    svg = client.get(f"{base}/charts/year-on-year.svg", headers=admin_headers)
    assert b"<svg" in svg.content
    assert svg.headers["content-type"] == "image/svg+xml"


def test_area_sample_clusters_are_the_primary_sampling_units(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    """Respondents of an area draw carry their first-stage cluster (commune), and the
    design-based estimate groups by it: degrees of freedom = PSUs − strata."""
    campaign_id = setup_campaign(client, admin_headers)
    ids = add_respondents(db, campaign_id, 12)
    communes = ["xã A"] * 4 + ["xã B"] * 4 + ["xã C"] * 4
    for respondent_id, commune in zip(ids, communes, strict=True):
        row = db.get(SampledRespondent, respondent_id)
        assert row is not None
        row.psu = commune
        row.cluster = f"{commune}/ấp 1"
    db.commit()
    for respondent_id, score in zip(ids, (5, 4, 4, 1, 5, 5, 4, 4, 2, 1, 1, 3), strict=True):
        answers = {"S24": score, "FEEDBACK": "2", "R_SEX": "1"}
        submit(client, admin_headers, campaign_id, answers, respondent_id=respondent_id)
    compute(client, admin_headers, campaign_id)
    data = client.get(f"/api/v1/campaigns/{campaign_id}/results", headers=admin_headers).json()
    assert data["design"]["psus"] == 3
    assert data["design"]["degrees_of_freedom"] == 2
    assert data["criteria"]["S24"]["rate"] == pytest.approx(100 * 7 / 12)


def test_results_are_computed_from_plain_rows(
    client: TestClient, admin_headers: dict[str, str], campaign: int, api: Any
) -> None:
    """No ORM object of a response or an answer is loaded, and the number of statements
    does not grow with the number of responses."""
    loaded: list[object] = []
    statements: list[str] = []

    def on_load(target: object, _context: object) -> None:
        loaded.append(target)

    def on_execute(*args: Any) -> None:
        statements.append(args[2])

    engine = api.state.engine
    event.listen(Answer, "load", on_load)
    event.listen(Response, "load", on_load)
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        compute(client, admin_headers, campaign)
        first = len(statements)
        for score in (5, 4, 1, 2, 3, 5, 5, 4):
            submit(
                client,
                admin_headers,
                campaign,
                {"S24": score, "FEEDBACK": "2", "R_SEX": "2"},
                unit_code="ct",
            )
        statements.clear()
        assert compute(client, admin_headers, campaign)["responses_used"] == 23
    finally:
        event.remove(Answer, "load", on_load)
        event.remove(Response, "load", on_load)
        event.remove(engine, "before_cursor_execute", on_execute)
    assert len(statements) == first
    assert loaded == []


def test_the_stored_document_is_served_and_revalidated_without_rebuilding(
    client: TestClient,
    admin_headers: dict[str, str],
    campaign: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compute(client, admin_headers, campaign)
    url = f"/api/v1/campaigns/{campaign}/results"
    built = client.get(url, params={"unit": "tp"}, headers=admin_headers)
    assert built.status_code == 200

    def never(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("the document was rebuilt")

    with monkeypatch.context() as patch:
        patch.setattr(result_service, "_document", never)
        stored = client.get(url, headers=admin_headers)
        assert stored.status_code == 200
        etag = stored.headers["ETag"]
        assert client.get(url, headers={**admin_headers, "If-None-Match": etag}).status_code == 304
        unit_tag = built.headers["ETag"]
        revalidated = client.get(
            url, params={"unit": "tp"}, headers={**admin_headers, "If-None-Match": unit_tag}
        )
        assert revalidated.status_code == 304
    # The stored document is the one the service would build, campaign fields included.
    rebuilt = client.get(url, params={"scheme": "national-province"}, headers=admin_headers)
    assert rebuilt.status_code == 200
    document = stored.json()
    assert document["campaign_id"] == campaign
    assert document["status"] == "fieldwork"
    assert document["criteria"] == rebuilt.json()["criteria"]
    assert document["units"]["tp"]["criteria"] == built.json()["units"]["tp"]["criteria"]
    # A change to the campaign's own fields changes the ETag without recomputing.
    closed = client.post(
        f"/api/v1/campaigns/{campaign}/status", json={"status": "closed"}, headers=admin_headers
    )
    assert closed.status_code == 200
    after = client.get(url, headers={**admin_headers, "If-None-Match": etag})
    assert after.status_code == 200
    assert after.json()["status"] == "closed"
    assert after.headers["ETag"] != etag


def test_the_staff_document_is_built_once_per_etag(
    client: TestClient,
    admin_headers: dict[str, str],
    campaign: int,
    db: Session,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compute(client, admin_headers, campaign)
    reader = Reader(0, Role.ADMIN, frozenset())
    first, _ = result_service.staff_results(db, campaign, reader)

    def never(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("the document was rebuilt")

    with monkeypatch.context() as patch:
        patch.setattr(result_service, "_document", never)
        again, units = result_service.staff_results(db, campaign, reader)
    assert again.etag == first.etag
    assert again.body == first.body
    assert [row[1] for row in units.rows] == ["tp", "ct"]
    # A change of the campaign's fields, or another scheme, names another document.
    closed = client.post(
        f"/api/v1/campaigns/{campaign}/status", json={"status": "closed"}, headers=admin_headers
    )
    assert closed.status_code == 200
    db.rollback()  # a new transaction sees the change
    fresh, _ = result_service.staff_results(db, campaign, reader)
    assert fresh.etag != first.etag
    assert fresh.body["status"] == "closed"
    assert first.body["status"] == "fieldwork"
    other, _ = result_service.staff_results(db, campaign, reader, scheme="soc-trang-unit")
    assert other.etag != fresh.etag
    assert other.body["versions"]["weight_scheme"] == "soc-trang-unit"
