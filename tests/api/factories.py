"""Building test data through the API itself."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.sample.models import Sample, SampledRespondent

SMALL_FORM = """
code: small
title: Phiếu thử nghiệm
edition: "2024"
halves:
  - {code: service, name: Việc cung ứng dịch vụ hành chính công}
subindices:
  - {code: E, name: Tiếp cận dịch vụ, half: service}
  - {code: K, name: "Tiếp nhận, xử lý phản ánh, kiến nghị", half: service}
option_sets:
  yes_no:
    - {code: "1", label: Có}
    - {code: "2", label: Không}
blocks:
  - code: service
    kind: satisfaction
    title: Mức độ hài lòng
    items:
      - {code: S24, number: 24, type: likert5, subindex: E,
         text: "Bộ phận Một cửa có biển hiệu, hướng dẫn rõ ràng, dễ tìm, dễ thấy."}
      - {code: FEEDBACK, type: single_choice, options: yes_no,
         text: "Ông/bà đã từng gửi phản ánh, kiến nghị chưa?"}
      - {code: S37, number: 37, type: likert5, subindex: K,
         text: "Bộ phận Một cửa bố trí hình thức tiếp nhận phản ánh, kiến nghị dễ dàng.",
         show_if: {item: FEEDBACK, in: ["1"]}}
  - code: profile
    kind: profile
    title: Thông tin người trả lời
    items:
      - code: R_SEX
        type: single_choice
        text: Giới tính
        options: [{code: "1", label: Nam}, {code: "2", label: Nữ}]
      - {code: NOTE, type: text, text: Ý kiến khác}
"""

VALID_ANSWERS: dict[str, Any] = {"S24": 4, "FEEDBACK": "1", "S37": 5, "R_SEX": "2"}


def create_province(client: TestClient, headers: dict[str, str], code: str = "st") -> None:
    response = client.post(
        "/api/v1/units",
        json={"code": code, "name": "Tỉnh Sóc Trăng", "kind": "province"},
        headers=headers,
    )
    assert response.status_code == 201, response.text


def upload_form(
    client: TestClient, headers: dict[str, str], text: str = SMALL_FORM, publish: bool = True
) -> dict[str, Any]:
    response = client.post(
        "/api/v1/questionnaires",
        content=text.encode(),
        headers={**headers, "Content-Type": "application/yaml"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    if publish:
        published = client.post(
            f"/api/v1/questionnaires/{body['code']}/versions/{body['version']}/publish",
            headers=headers,
        )
        assert published.status_code == 200, published.text
        body = published.json()
    return dict(body)


def create_campaign(
    client: TestClient,
    headers: dict[str, str],
    *,
    form_code: str = "small",
    version: int = 1,
    fieldwork: bool = True,
) -> int:
    response = client.post(
        "/api/v1/campaigns",
        json={
            "name": "Khảo sát thử",
            "year": 2024,
            "scope_unit_code": "st",
            "questionnaire_code": form_code,
            "questionnaire_version": version,
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    campaign_id = int(response.json()["id"])
    if fieldwork:
        moved = client.post(
            f"/api/v1/campaigns/{campaign_id}/status",
            json={"status": "fieldwork"},
            headers=headers,
        )
        assert moved.status_code == 200, moved.text
    return campaign_id


def setup_campaign(client: TestClient, headers: dict[str, str]) -> int:
    """Province + published small form + campaign in fieldwork."""
    create_province(client, headers)
    upload_form(client, headers)
    return create_campaign(client, headers)


def response_body(answers: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "client_id": str(uuid.uuid4()),
        "mode": "interview",
        "answers": VALID_ANSWERS if answers is None else answers,
        **extra,
    }


def add_respondents(db: Session, campaign_id: int, count: int, stratum: str = "st") -> list[int]:
    """A stored draw with ``count`` selected respondents (rows only, no sampling logic)."""
    sample = Sample(
        campaign_id=campaign_id,
        frame_digest="0" * 64,
        design={"test": True},
        seed="1",
        algorithm_version="test",
        sample_digest="0" * 64,
    )
    db.add(sample)
    db.flush()
    rows = [
        SampledRespondent(
            sample_id=sample.id,
            stratum=stratum,
            draw_order=i,
            is_reserve=False,
            inclusion_probability=0.5,
            design_weight=2.0,
            full_name=f"Người dân {i}",
            phone=f"09120000{i:02d}",
        )
        for i in range(1, count + 1)
    ]
    db.add_all(rows)
    db.commit()
    return [row.id for row in rows]
