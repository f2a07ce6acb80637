"""Assignment by unit: a surveyor based in a unit gets that unit's respondents, and no
other unit while a surveyor based in none of them can take it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.factories import setup_campaign
from tests.api.sampling_data import case_lines, create_units, csv_bytes, frame_and_draw, upload

UNITS = (
    ("st-my-xuyen", "UBND huyện Mỹ Xuyên"),
    ("st-tu-phap", "Sở Tư pháp"),
    ("st-cong-an", "Công an tỉnh"),
    ("st-ke-sach", "UBND huyện Kế Sách"),
)
COUNTS = {"st-my-xuyen": 2, "st-tu-phap": 10, "st-cong-an": 4, "st-ke-sach": 4}


def test_a_unit_surveyor_is_given_only_their_unit_while_another_surveyor_is_free(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    """Issue 8 (2k): a surveyor of Mỹ Xuyên was given Công an tỉnh and Kế Sách."""
    campaign_id = setup_campaign(client, admin_headers)
    create_units(client, admin_headers, UNITS)
    upload(client, admin_headers, campaign_id, csv_bytes(case_lines(12, UNITS)))
    design = {"name": "by-unit", "allocation": {"method": "fixed", "counts": COUNTS}}
    _frame, sample = frame_and_draw(client, admin_headers, campaign_id, design=design)
    surveyors = [
        client.post(
            "/api/v1/surveyors",
            json={"full_name": name, "organisation": "Bưu điện tỉnh", "unit_code": unit},
            headers=admin_headers,
        ).json()["id"]
        for name, unit in (("Trần Thị Thu", "st-my-xuyen"), ("Lê Văn Hai", None))
    ]
    assigned = client.post(
        f"/api/v1/samples/{sample['id']}/assignments",
        json={"surveyor_ids": surveyors, "group_by": "unit"},
        headers=admin_headers,
    )
    assert assigned.status_code == 200, assigned.text
    units_of = {}
    for surveyor_id in surveyors:
        listed = client.get(
            f"/api/v1/samples/{sample['id']}/surveyors/{surveyor_id}/list.csv",
            headers=admin_headers,
        ).content.decode("utf-8-sig")
        units_of[surveyor_id] = {line.split(",")[2] for line in listed.splitlines()[1:]}
    my_xuyen, free = surveyors
    assert units_of[my_xuyen] == {"UBND huyện Mỹ Xuyên"}
    assert units_of[free] == {"Sở Tư pháp", "Công an tỉnh", "UBND huyện Kế Sách"}
    assert assigned.json()["loads"] == {str(my_xuyen): 2, str(free): 18}
