"""Questionnaires: upload a draft, publish, and published versions never change."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.questionnaire import service as questionnaire_service
from questionnaires import bundled_path, load_questionnaire_file
from tests.api.factories import (
    SMALL_FORM,
    VALID_ANSWERS,
    create_campaign,
    create_province,
    response_body,
    upload_form,
)

YAML = {"Content-Type": "application/yaml"}


def test_national_2024_has_39_criteria_in_9_subindices(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    upload_form(client, admin_headers, bundled_path("national-2024").read_text("utf-8"))
    body = client.get("/api/v1/questionnaires/national-2024", headers=admin_headers).json()
    assert body["status"] == "published"
    assert body["criteria_count"] == 39
    counts = {s["code"]: len(s["criteria"]) for s in body["subindices"]}
    assert counts == {"A": 2, "B": 2, "C": 9, "D": 10, "E": 3, "G": 4, "H": 3, "I": 3, "K": 3}
    h = next(s for s in body["subindices"] if s["code"] == "H")
    assert h["name"] == "Công chức trực tiếp giải quyết công việc"
    assert h["criteria"][0] == {
        "code": "S31",
        "number": 31,
        "text": "Công chức ở Bộ phận Một cửa có thái độ giao tiếp lịch sự, tôn trọng người dân.",
    }
    # The English translation travels with the stored form; the Vietnamese is the authority.
    assert body["languages"] == ["vi", "en"]
    assert body["content"]["subindices"][6]["name"] == {
        "vi": "Công chức trực tiếp giải quyết công việc",
        "en": "Civil servants who handle the matter directly",
    }
    listing = client.get("/api/v1/questionnaires", headers=admin_headers).json()
    assert listing[0]["title"].startswith("Phiếu khảo sát sự hài lòng")


def test_a_changed_bundled_form_becomes_the_next_version(db: Session) -> None:
    """A deployment that stored national-2024 before the English translation gets the
    translated file as a new version; the published one it had is left as it was."""
    vietnamese_only = load_questionnaire_file(bundled_path("national-2024")).localized("vi")
    old = vietnamese_only.model_dump(mode="json", by_alias=True, exclude_none=True)
    first = questionnaire_service.create_draft(db, json.dumps(old).encode(), actor=None)
    questionnaire_service.publish(db, "national-2024", first.version, actor=None)

    assert questionnaire_service.publish_bundled(db, "national-2024", actor=None) == 2
    assert questionnaire_service.publish_bundled(db, "national-2024", actor=None) == 2
    assert questionnaire_service.get_parsed(db, "national-2024", 2).offered_languages() == [
        "vi",
        "en",
    ]
    kept = questionnaire_service.get_version_read(db, "national-2024", 1)
    assert kept.content == old
    assert kept.languages == ["vi"]


def test_malformed_upload_lists_every_problem(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    bad = (
        SMALL_FORM.replace("code: R_SEX", "code: S24")
        .replace("show_if: {item: FEEDBACK", "show_if: {item: NOWHERE")
        .replace("type: text,", "type: essay,")
        .replace("edition:", "colour: red\nedition:")
    )
    response = client.post(
        "/api/v1/questionnaires", content=bad.encode(), headers={**admin_headers, **YAML}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_questionnaire"
    assert body["detail"].startswith("Tệp bảng hỏi có 4 lỗi; chưa lưu gì.")
    found = {f["path"]: (f["code"], f["message"]) for f in body["fields"]}
    assert found == {
        "blocks[0].items[2].show_if.item": (
            "questionnaire_condition_on_unknown",
            "Điều kiện hiển thị dựa vào câu «NOWHERE», là câu không có trong bảng hỏi.",
        ),
        "blocks[1].items[0].code": (
            "questionnaire_item_code_twice",
            "Mã câu hỏi «S24» bị dùng hai lần.",
        ),
        "blocks[1].items[1].type": (
            "enum",
            "Trường «type» phải là một trong các giá trị: 'likert5', 'single_choice', "
            "'multiple_choice', 'expectation3', 'number' hoặc 'text'.",
        ),
        "colour": ("extra_forbidden", "Trường «colour» không được chấp nhận; xin bỏ trường này."),
    }
    assert client.get("/api/v1/questionnaires", headers=admin_headers).json() == []


def test_publishing_freezes_a_version(client: TestClient, admin_headers: dict[str, str]) -> None:
    draft = upload_form(client, admin_headers, publish=False)
    assert draft["status"] == "draft"
    # A draft can change...
    changed = SMALL_FORM.replace("Phiếu thử nghiệm", "Phiếu thử nghiệm (sửa)")
    put = client.put(
        "/api/v1/questionnaires/small/versions/1",
        content=changed.encode(),
        headers={**admin_headers, **YAML},
    )
    assert put.status_code == 200
    assert put.json()["title"] == "Phiếu thử nghiệm (sửa)"
    # ...but not a second draft at once.
    second = client.post(
        "/api/v1/questionnaires", content=SMALL_FORM.encode(), headers={**admin_headers, **YAML}
    )
    assert second.status_code == 409

    published = client.post(
        "/api/v1/questionnaires/small/versions/1/publish", headers=admin_headers
    )
    assert published.status_code == 200
    digest = published.json()["content_sha256"]
    path = "/api/v1/questionnaires/small/versions/1"
    for refused in [
        client.put(path, content=SMALL_FORM.encode(), headers={**admin_headers, **YAML}),
        client.post(f"{path}/publish", headers=admin_headers),
        client.delete(path, headers=admin_headers),
    ]:
        assert refused.status_code == 409, refused.text
    after = client.get("/api/v1/questionnaires/small/versions/1", headers=admin_headers).json()
    assert after["content_sha256"] == digest
    assert after["title"] == "Phiếu thử nghiệm (sửa)"


def test_responses_keep_their_version(client: TestClient, admin_headers: dict[str, str]) -> None:
    create_province(client, admin_headers)
    upload_form(client, admin_headers)
    campaign_id = create_campaign(client, admin_headers)
    stored = client.post(
        f"/api/v1/campaigns/{campaign_id}/responses", json=response_body(), headers=admin_headers
    )
    assert stored.status_code == 201
    # A new version of the same questionnaire does not move the stored response.
    v2 = upload_form(client, admin_headers, SMALL_FORM.replace("Phiếu thử nghiệm", "Bản 2"))
    assert v2["version"] == 2
    client_id = stored.json()["client_id"]
    again = client.get(
        f"/api/v1/campaigns/{campaign_id}/responses/{client_id}", headers=admin_headers
    ).json()
    assert (again["questionnaire_code"], again["questionnaire_version"]) == ("small", 1)
    assert again["answers"] == VALID_ANSWERS
    latest = client.get("/api/v1/questionnaires/small", headers=admin_headers).json()
    assert latest["version"] == 2
    listing = client.get("/api/v1/questionnaires", headers=admin_headers).json()
    assert [v["version"] for v in listing[0]["versions"]] == [1, 2]


def test_campaign_needs_a_published_version(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    create_province(client, admin_headers)
    upload_form(client, admin_headers, publish=False)
    response = client.post(
        "/api/v1/campaigns",
        json={
            "name": "x",
            "year": 2024,
            "scope_unit_code": "st",
            "questionnaire_code": "small",
            "questionnaire_version": 1,
        },
        headers=admin_headers,
    )
    assert response.status_code == 409
    assert response.json()["error"] == "version_is_draft"
    assert "xin công bố bảng hỏi" in response.json()["detail"]
