"""Campaigns: create, list, get, and status changes along allowed transitions only."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.factories import create_campaign, create_province, upload_form


def test_campaign_lifecycle(client: TestClient, admin_headers: dict[str, str]) -> None:
    create_province(client, admin_headers)
    upload_form(client, admin_headers)
    campaign_id = create_campaign(client, admin_headers, fieldwork=False)
    got = client.get(f"/api/v1/campaigns/{campaign_id}", headers=admin_headers).json()
    assert got["status"] == "draft"
    assert got["allowed_next"] == ["fieldwork"]
    assert got["scope_unit_code"] == "st"
    assert (got["questionnaire_code"], got["questionnaire_version"]) == ("small", 1)
    assert got["weight_scheme"] == "national-province"

    def move(status: str) -> int:
        return int(
            client.post(
                f"/api/v1/campaigns/{campaign_id}/status",
                json={"status": status},
                headers=admin_headers,
            ).status_code
        )

    assert move("published") == 409
    assert move("closed") == 409
    assert move("fieldwork") == 200
    assert move("draft") == 409
    assert move("closed") == 200
    assert move("fieldwork") == 200  # reopened
    assert move("closed") == 200
    refused = client.post(
        f"/api/v1/campaigns/{campaign_id}/status",
        json={"status": "published"},
        headers=admin_headers,
    )
    assert refused.status_code == 409
    assert refused.json()["error"] == "publish_with_results"
    published = client.post(f"/api/v1/campaigns/{campaign_id}/publish", headers=admin_headers)
    assert published.status_code == 200, published.text
    assert published.json()["status"] == "published"
    for status in ("draft", "fieldwork", "closed", "published"):
        assert move(status) == 409
    listing = client.get("/api/v1/campaigns", params={"year": 2024}, headers=admin_headers)
    assert [c["status"] for c in listing.json()] == ["published"]
    assert (
        client.get("/api/v1/campaigns", params={"year": 2023}, headers=admin_headers).json() == []
    )


def test_unknown_references_are_named(client: TestClient, admin_headers: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/campaigns",
        json={
            "name": "x",
            "year": 2024,
            "scope_unit_code": "nowhere",
            "questionnaire_code": "none",
            "questionnaire_version": 1,
        },
        headers=admin_headers,
    )
    assert response.status_code == 422
    assert {f["path"] for f in response.json()["fields"]} == {
        "scope_unit_code",
        "questionnaire_version",
    }
    scheme = client.post(
        "/api/v1/campaigns",
        json={
            "name": "x",
            "year": 2024,
            "scope_unit_code": "nowhere",
            "questionnaire_code": "none",
            "questionnaire_version": 1,
            "weight_scheme": "made-up",
        },
        headers=admin_headers,
    )
    assert "weight_scheme" in {f["path"] for f in scheme.json()["fields"]}
    assert "national-province" in scheme.json()["detail"]
    assert client.get("/api/v1/campaigns/999", headers=admin_headers).status_code == 404


def test_campaign_settings_are_kept_and_frozen_at_publication(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    create_province(client, admin_headers)
    upload_form(client, admin_headers)
    campaign_id = create_campaign(client, admin_headers, fieldwork=False)
    url = f"/api/v1/campaigns/{campaign_id}/settings"
    assert client.get(f"/api/v1/campaigns/{campaign_id}", headers=admin_headers).json()[
        "settings"
    ] == {
        "issuing_agency": None,
        "document_number": None,
        "document_date": None,
        "hotline": None,
        "attempts_before_reserve": 3,
        "lonely_psu": "fail",
        "unsampled_responses": "exclude",
        "min_interview_minutes": 5,
    }
    settings = {
        "issuing_agency": "Sở Nội vụ tỉnh Sóc Trăng",
        "document_number": "123/KH-SNV",
        "document_date": "2024-08-01",
        "hotline": "0299 3822 123",
        "attempts_before_reserve": 4,
        "lonely_psu": "adjust",
        "unsampled_responses": "include",
        "min_interview_minutes": 8,
    }
    changed = client.put(url, json=settings, headers=admin_headers)
    assert changed.status_code == 200, changed.text
    assert changed.json()["settings"] == settings
    bad = client.put(url, json={**settings, "hotline": "gọi tôi"}, headers=admin_headers)
    assert bad.status_code == 422
    for status in ("fieldwork", "closed"):
        client.post(
            f"/api/v1/campaigns/{campaign_id}/status",
            json={"status": status},
            headers=admin_headers,
        )
    assert client.post(f"/api/v1/campaigns/{campaign_id}/publish", headers=admin_headers).is_success
    late = client.put(url, json=settings, headers=admin_headers)
    assert late.status_code == 409
    assert late.json()["error"] == "campaign_published"
