"""Case lists made for the sampling tests, and helpers to import and draw them."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient

from tests.api.factories import setup_campaign

UNITS = (
    ("st-tu-phap", "Sở Tư pháp"),
    ("st-xay-dung", "Sở Xây dựng"),
    ("st-my-tu", "UBND huyện Mỹ Tú"),
)
HEADER = (
    "STT,Mã hồ sơ,Tên thủ tục,Lĩnh vực,Cơ quan giải quyết,Họ tên,Số điện thoại,Địa chỉ,"
    "Ngày tiếp nhận,Ngày trả kết quả,Hình thức nộp"
)
CHANNELS = ("Trực tiếp", "Trực tuyến", "Bưu chính")

DESIGN = {
    "name": "test",
    "allocation": {"method": "proportional", "n": 12, "minimum": 2},
    "reserves": {"ratio": 0.5},
}


def case_lines(per_unit: int = 20, units: tuple[tuple[str, str], ...] = UNITS) -> list[str]:
    """``per_unit`` people per unit with distinct phones, returned in March 2024."""
    lines = []
    number = 0
    for index, (_code, name) in enumerate(units):
        for person in range(per_unit):
            number += 1
            phone = f"09{index}{person:07d}"
            lines.append(
                f"{number},HS{number:05d},Đăng ký khai sinh,Hộ tịch,{name},"
                f"Nguyễn Văn {person},{phone},Ấp {person % 4} xã Mỹ Hương,"
                f"01/03/2024,{(person % 28) + 1:02d}/03/2024,{CHANNELS[person % 3]}"
            )
    return lines


def csv_bytes(lines: list[str]) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode("utf-8")


def create_units(
    client: TestClient, headers: dict[str, str], units: tuple[tuple[str, str], ...] = UNITS
) -> None:
    for code, name in units:
        response = client.post(
            "/api/v1/units",
            json={"code": code, "name": name, "kind": "department", "parent_code": "st"},
            headers=headers,
        )
        assert response.status_code == 201, response.text


def setup(client: TestClient, headers: dict[str, str]) -> int:
    """A campaign in fieldwork over a province with three units."""
    campaign_id = setup_campaign(client, headers)
    create_units(client, headers)
    return campaign_id


def upload(
    client: TestClient,
    headers: dict[str, str],
    campaign_id: int,
    data: bytes,
    filename: str = "cases.csv",
    mapping: bytes | None = None,
) -> httpx.Response:
    files: dict[str, Any] = {"file": (filename, data, "application/octet-stream")}
    if mapping is not None:
        files["mapping"] = ("mapping.yaml", mapping, "application/yaml")
    response: httpx.Response = client.post(
        f"/api/v1/campaigns/{campaign_id}/case-lists", files=files, headers=headers
    )
    return response


def frame_and_draw(
    client: TestClient,
    headers: dict[str, str],
    campaign_id: int,
    *,
    seed: int = 20240315,
    design: dict[str, Any] | None = None,
    frame: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    built = client.post(
        f"/api/v1/campaigns/{campaign_id}/frames", json=frame or {}, headers=headers
    )
    assert built.status_code == 201, built.text
    drawn = client.post(
        f"/api/v1/frames/{built.json()['id']}/samples",
        json={"design": design or DESIGN, "seed": seed},
        headers=headers,
    )
    assert drawn.status_code == 201, drawn.text
    return built.json(), drawn.json()
