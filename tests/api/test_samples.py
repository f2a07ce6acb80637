"""Frames, draws, verification, commit–reveal, reserves, assignment and lists."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.auth import repository as auth_repository
from app.auth.models import Role
from app.case.models import Case
from app.sample.models import Sample, SampledRespondent
from tests.api.conftest import make_token
from tests.api.sampling_data import DESIGN, case_lines, csv_bytes, frame_and_draw, setup, upload
from tests.support.pages import log_in


def _respondents(
    client: TestClient, headers: dict[str, str], sample_id: int
) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/samples/{sample_id}/respondents", headers=headers)
    assert response.status_code == 200
    return list(response.json())


def test_frame_counts_each_person_once_per_stratum_and_keeps_exclusions(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    campaign_id = setup(client, admin_headers)
    lines = case_lines(5)
    lines += [
        # the first person of Sở Tư pháp again, with another case: a duplicate
        "90,HS90,Cấp bản sao,Hộ tịch,Sở Tư pháp,Nguyễn Văn 0,0900000000,Ấp 0,"
        "01/03/2024,02/03/2024,Trực tiếp",
        # no phone and no address: no contact
        "91,HS91,Cấp bản sao,Hộ tịch,Sở Tư pháp,Người không địa chỉ,,,01/03/2024,02/03/2024,",
        # returned in 2023: outside the window
        "92,HS92,Cấp bản sao,Hộ tịch,Sở Tư pháp,Lê C,0912999999,Ấp 1,01/12/2023,20/12/2023,",
    ]
    assert upload(client, admin_headers, campaign_id, csv_bytes(lines)).status_code == 200
    built = client.post(
        f"/api/v1/campaigns/{campaign_id}/frames",
        json={
            "returned_from": "2024-01-01",
            "returned_to": "2024-12-31",
            "unit_codes": ["st-tu-phap", "st-xay-dung"],
        },
        headers=admin_headers,
    )
    assert built.status_code == 201, built.text
    frame = built.json()
    assert frame["strata"] == {"st-tu-phap": 5, "st-xay-dung": 5}
    assert frame["exclusion_counts"] == {
        "duplicate": 1,
        "excluded_unit": 5,
        "no_contact": 1,
        "outside_window": 1,
    }
    exclusions = client.get(
        f"/api/v1/frames/{frame['id']}/exclusions", headers=admin_headers
    ).json()
    duplicate = next(e for e in exclusions if e["reason"] == "duplicate")
    assert duplicate["row_number"] == 17
    assert duplicate["duplicate_of_case_id"] is not None

    crossed = client.post(
        f"/api/v1/campaigns/{campaign_id}/frames",
        json={"cross_with": "channel", "unit_codes": ["st-tu-phap"]},
        headers=admin_headers,
    ).json()
    assert crossed["strata"] == {
        "st-tu-phap/-": 1,  # the 2023 case has no channel; no window in this frame
        "st-tu-phap/direct": 2,
        "st-tu-phap/online": 2,
        "st-tu-phap/postal": 1,
    }


def test_same_seed_same_sample_other_seed_other_sample_append_only(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup(client, admin_headers)
    upload(client, admin_headers, campaign_id, csv_bytes(case_lines(20)))
    frame, first = frame_and_draw(client, admin_headers, campaign_id, seed=7)
    again = client.post(
        f"/api/v1/frames/{frame['id']}/samples",
        json={"design": DESIGN, "seed": "7"},
        headers=admin_headers,
    ).json()
    other = client.post(
        f"/api/v1/frames/{frame['id']}/samples",
        json={"design": DESIGN, "seed": 8},
        headers=admin_headers,
    ).json()
    assert again["id"] != first["id"]
    assert again["sample_digest"] == first["sample_digest"]
    assert other["sample_digest"] != first["sample_digest"]
    assert db.execute(select(func.count()).select_from(Sample)).scalar_one() == 3
    assert first["algorithm_version"] == "sipas-sampling/1 numpy-PCG64"
    assert first["sample_size"] == 12
    assert {k: v["sample"] for k, v in first["strata"].items()} == {
        "st-my-tu": 4,
        "st-tu-phap": 4,
        "st-xay-dung": 4,
    }
    assert all(v["reserves"] == 2 and v["frame"] == 20 for v in first["strata"].values())

    rows = _respondents(client, admin_headers, first["id"])
    in_sample = [r for r in rows if not r["is_reserve"]]
    weights: dict[str, float] = {}
    for row in in_sample:
        weights[row["stratum"]] = weights.get(row["stratum"], 0) + row["design_weight"]
    assert weights == {"st-my-tu": 20.0, "st-tu-phap": 20.0, "st-xay-dung": 20.0}
    assert all(r["inclusion_probability"] == 0.2 for r in in_sample)
    assert all(r["phone"] and r["full_name"] for r in rows)
    same = _respondents(client, admin_headers, again["id"])
    assert [(r["case_id"], r["draw_order"]) for r in rows] == [
        (r["case_id"], r["draw_order"]) for r in same
    ]


def test_verify_matches_until_a_case_of_the_frame_changes(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup(client, admin_headers)
    upload(client, admin_headers, campaign_id, csv_bytes(case_lines(10)))
    frame, sample = frame_and_draw(client, admin_headers, campaign_id)
    verified = client.post(f"/api/v1/samples/{sample['id']}/verify", headers=admin_headers)
    assert verified.status_code == 200
    assert verified.json()["match"] is True, verified.json()
    assert verified.json()["frame_digest_now"] == frame["digest"]

    db.execute(update(Case).where(Case.case_code == "HS00003").values(phone="0987654321"))
    db.commit()
    changed = client.post(f"/api/v1/samples/{sample['id']}/verify", headers=admin_headers).json()
    assert changed["match"] is False
    assert changed["frame_digest_now"] != frame["digest"]
    assert "cases of the frame changed" in changed["detail"]

    refused = client.post(
        f"/api/v1/frames/{frame['id']}/samples",
        json={"design": DESIGN, "seed": 1},
        headers=admin_headers,
    )
    assert refused.status_code == 409
    assert refused.json()["error"] == "frame_changed"


def test_verify_notices_tampered_stored_rows(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup(client, admin_headers)
    upload(client, admin_headers, campaign_id, csv_bytes(case_lines(10)))
    _frame, sample = frame_and_draw(client, admin_headers, campaign_id)
    first, second = db.execute(
        select(SampledRespondent)
        .where(SampledRespondent.sample_id == sample["id"])
        .order_by(SampledRespondent.id)
        .limit(2)
    ).scalars()
    first_case, second_case = first.case_id, second.case_id
    first.case_id, second.case_id = second_case, first_case
    db.commit()
    result = client.post(f"/api/v1/samples/{sample['id']}/verify", headers=admin_headers).json()
    assert result["match"] is False
    assert result["stored_rows_match"] is False
    assert "2 stored respondent row(s) differ" in result["detail"]


def test_commit_reveal(client: TestClient, admin_headers: dict[str, str]) -> None:
    campaign_id = setup(client, admin_headers)
    upload(client, admin_headers, campaign_id, csv_bytes(case_lines(10)))
    frame = client.post(
        f"/api/v1/campaigns/{campaign_id}/frames", json={}, headers=admin_headers
    ).json()
    seed = "982451653"
    commitment = client.post(
        f"/api/v1/campaigns/{campaign_id}/seed-commitments",
        json={"seed_sha256": hashlib.sha256(seed.encode()).hexdigest(), "note": "họp 15/3"},
        headers=admin_headers,
    ).json()
    wrong = client.post(
        f"/api/v1/frames/{frame['id']}/samples",
        json={"design": DESIGN, "seed": 1, "commitment_id": commitment["id"]},
        headers=admin_headers,
    )
    assert wrong.status_code == 422
    assert wrong.json()["error"] == "seed_mismatch"
    drawn = client.post(
        f"/api/v1/frames/{frame['id']}/samples",
        json={"design": DESIGN, "seed": seed, "commitment_id": commitment["id"]},
        headers=admin_headers,
    )
    assert drawn.status_code == 201
    assert drawn.json()["seed_commitment"] == commitment["seed_sha256"]
    reused = client.post(
        f"/api/v1/frames/{frame['id']}/samples",
        json={"design": DESIGN, "seed": seed, "commitment_id": commitment["id"]},
        headers=admin_headers,
    )
    assert reused.status_code == 409
    listed = client.get(
        f"/api/v1/campaigns/{campaign_id}/seed-commitments", headers=admin_headers
    ).json()
    assert listed[0]["sample_id"] == drawn.json()["id"]


def test_bad_design_is_refused_with_every_problem(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    campaign_id = setup(client, admin_headers)
    upload(client, admin_headers, campaign_id, csv_bytes(case_lines(5)))
    frame = client.post(
        f"/api/v1/campaigns/{campaign_id}/frames", json={}, headers=admin_headers
    ).json()
    response = client.post(
        f"/api/v1/frames/{frame['id']}/samples",
        json={
            "design_yaml": "allocation: {method: magic, n: -1}\nreserves: {ratio: x}\n",
            "seed": 1,
        },
        headers=admin_headers,
    )
    assert response.status_code == 422
    messages = [f["message"] for f in response.json()["fields"]]
    assert any(m.startswith("allocation.method") for m in messages)
    assert any(m.startswith("reserves.ratio") for m in messages)
    too_big = client.post(
        f"/api/v1/frames/{frame['id']}/samples",
        json={"design": {"allocation": {"n": 1000}}, "seed": 1},
        headers=admin_headers,
    )
    assert too_big.status_code == 422
    assert "outside [0, 15]" in too_big.json()["detail"]


def test_refusal_is_replaced_by_the_next_reserve_of_its_stratum(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup(client, admin_headers)
    upload(client, admin_headers, campaign_id, csv_bytes(case_lines(20)))
    _frame, sample = frame_and_draw(client, admin_headers, campaign_id)
    rows = _respondents(client, admin_headers, sample["id"])
    stratum = [r for r in rows if r["stratum"] == "st-tu-phap"]
    refusing = next(r for r in stratum if not r["is_reserve"])
    reserves = sorted((r for r in stratum if r["is_reserve"]), key=lambda r: r["draw_order"])
    assert len(reserves) == 2

    early = client.post(
        f"/api/v1/respondents/{refusing['id']}/release-reserve", json={}, headers=admin_headers
    )
    assert early.status_code == 409  # still pending: record the refusal first
    outcome = client.post(
        f"/api/v1/respondents/{refusing['id']}/outcome",
        json={"outcome": "refused", "note": "không muốn trả lời"},
        headers=admin_headers,
    )
    assert outcome.status_code == 200
    released = client.post(
        f"/api/v1/respondents/{refusing['id']}/release-reserve",
        json={"note": "thay bằng dự phòng"},
        headers=admin_headers,
    )
    assert released.status_code == 200, released.text
    body = released.json()
    assert body["replaced"]["outcome"] == "replaced"
    assert body["reserve"]["id"] == reserves[0]["id"]
    assert body["reserve"]["replaces_id"] == refusing["id"]
    assert body["reserve"]["stratum"] == "st-tu-phap"
    event = db.execute(
        select(AuditEvent).where(AuditEvent.action == "respondent.replaced")
    ).scalar_one()
    assert event.payload["reserve_id"] == reserves[0]["id"]

    twice = client.post(
        f"/api/v1/respondents/{refusing['id']}/release-reserve", json={}, headers=admin_headers
    )
    assert twice.status_code == 409

    others = [r for r in stratum if not r["is_reserve"] and r["id"] != refusing["id"]]
    for person in others[:2]:
        client.post(
            f"/api/v1/respondents/{person['id']}/outcome",
            json={"outcome": "moved"},
            headers=admin_headers,
        )
    second = client.post(
        f"/api/v1/respondents/{others[0]['id']}/release-reserve", json={}, headers=admin_headers
    ).json()
    assert second["reserve"]["id"] == reserves[1]["id"]
    exhausted = client.post(
        f"/api/v1/respondents/{others[1]['id']}/release-reserve", json={}, headers=admin_headers
    )
    assert exhausted.status_code == 409
    assert exhausted.json()["error"] == "no_reserve_left"


def test_assignment_is_balanced_and_lists_export(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup(client, admin_headers)
    upload(client, admin_headers, campaign_id, csv_bytes(case_lines(20)))
    _frame, sample = frame_and_draw(client, admin_headers, campaign_id)
    surveyors = [
        client.post(
            "/api/v1/surveyors",
            json={"full_name": name, "organisation": "Bưu điện tỉnh", "unit_code": unit},
            headers=admin_headers,
        ).json()
        for name, unit in (("Trần Thị Thu", "st-tu-phap"), ("Lê Văn Hai", None))
    ]
    ids = [s["id"] for s in surveyors]
    summary = client.post(
        f"/api/v1/samples/{sample['id']}/assignments",
        json={"surveyor_ids": ids, "group_by": "none"},
        headers=admin_headers,
    ).json()
    assert summary["assigned"] == 12
    assert sorted(summary["loads"].values()) == [6, 6]

    rows = _respondents(client, admin_headers, sample["id"])
    person = next(r for r in rows if not r["is_reserve"])
    moved = client.post(
        "/api/v1/assignments/reassign",
        json={"respondent_ids": [person["id"]], "surveyor_id": ids[0]},
        headers=admin_headers,
    ).json()
    assert sorted(moved["loads"].values()) in ([5, 7], [6, 6])

    base = f"/api/v1/samples/{sample['id']}/surveyors/{ids[0]}/list"
    as_csv = client.get(f"{base}.csv", headers=admin_headers)
    assert as_csv.status_code == 200
    text = as_csv.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("STT,Mã người được chọn,Đơn vị")
    assert len(text.splitlines()) == 1 + moved["loads"][str(ids[0])]
    as_xlsx = client.get(f"{base}.xlsx", headers=admin_headers)
    sheet = load_workbook(io.BytesIO(as_xlsx.content), read_only=True).worksheets[0]
    assert sum(1 for _ in sheet.iter_rows()) == 1 + moved["loads"][str(ids[0])]
    assert client.get(f"{base}.pdf", headers=admin_headers).status_code == 422
    auth_repository.create_user(
        db, username="quantri", role=Role.ADMIN, password="mat-khau-quan-tri-vien"
    )
    db.commit()
    log_in(client, "staff", "quantri", "mat-khau-quan-tri-vien")
    page = client.get(f"/staff/samples/{sample['id']}/surveyors/{ids[0]}/list")
    assert page.status_code == 200, page.text
    assert "DANH SÁCH NGƯỜI DÂN ĐƯỢC CHỌN KHẢO SÁT" in page.text
    assert "Trần Thị Thu" in page.text

    grouped = frame_and_draw(client, admin_headers, campaign_id, seed=99)[1]
    by_unit = client.post(
        f"/api/v1/samples/{grouped['id']}/assignments",
        json={"surveyor_ids": ids, "group_by": "unit"},
        headers=admin_headers,
    ).json()
    # three units of four: Sở Tư pháp goes to the surveyor based there, the other two
    # units to whoever has least work then
    assert sorted(by_unit["loads"].values()) == [4, 8]
    rows = _respondents(client, admin_headers, grouped["id"])
    tu_phap = {r["id"] for r in rows if r["stratum"] == "st-tu-phap" and not r["is_reserve"]}
    listed = client.get(
        f"/api/v1/samples/{grouped['id']}/surveyors/{ids[0]}/list.csv", headers=admin_headers
    ).content.decode("utf-8-sig")
    listed_ids = {int(line.split(",")[1]) for line in listed.splitlines()[1:]}
    assert tu_phap <= listed_ids


def test_area_design_communes_then_hamlets(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    """Two stages over the communes and hamlets of the case list, reserves per hamlet."""
    campaign_id = setup(client, admin_headers)
    lines = ["Mã hồ sơ,Đơn vị,Họ tên,Số điện thoại,Xã/Phường,Ấp/Khóm,Ngày trả kết quả"]
    number = 0
    for commune in ("Mỹ Hương", "Mỹ Tú", "Long Hưng", "Hưng Phú"):
        for hamlet in ("Ấp 1", "Ấp 2", "Ấp 3"):
            for _ in range(6):
                number += 1
                lines.append(
                    f"A{number},st-my-tu,Người {number},09{number:08d},{commune},{hamlet},"
                    "05/03/2024"
                )
    assert upload(client, admin_headers, campaign_id, "\n".join(lines).encode()).status_code == 200
    design = {
        "stages": [
            {"level": "commune", "method": "pps_systematic", "count": 2},
            {"level": "hamlet", "method": "srs", "count": 2},
            {"method": "srs", "count": 3},
        ],
        "reserves": {"count": 1},
    }
    _frame, sample = frame_and_draw(client, admin_headers, campaign_id, design=design)
    assert sample["sample_size"] == 12
    assert sample["reserve_count"] == 4
    rows = _respondents(client, admin_headers, sample["id"])
    chosen = [r for r in rows if not r["is_reserve"]]
    assert len({r["cluster"] for r in chosen}) == 4
    # the primary sampling unit is the commune: the first part of each hamlet's path
    assert len({r["psu"] for r in chosen}) == 2
    assert all(r["cluster"].startswith(r["psu"]) for r in chosen)
    # π = (2 · 18/72) · (2/3) · (3/6) = 1/6 for every household: weights sum to 72
    assert sum(r["design_weight"] for r in chosen) == pytest.approx(72.0)
    assert all(len(r["stage_probabilities"]) == 3 for r in chosen)

    refusing = chosen[0]
    client.post(
        f"/api/v1/respondents/{refusing['id']}/outcome",
        json={"outcome": "refused"},
        headers=admin_headers,
    )
    released = client.post(
        f"/api/v1/respondents/{refusing['id']}/release-reserve", json={}, headers=admin_headers
    ).json()
    assert released["reserve"]["cluster"] == refusing["cluster"]
    verified = client.post(f"/api/v1/samples/{sample['id']}/verify", headers=admin_headers)
    assert verified.json()["match"] is True


def test_sampling_is_for_admins_only(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup(client, admin_headers)
    token = make_token(db, "dtv", Role.SURVEYOR)
    headers = {"Authorization": f"Bearer {token}"}
    assert upload(client, headers, campaign_id, csv_bytes(case_lines(2))).status_code == 403
    for url in (
        f"/api/v1/campaigns/{campaign_id}/frames",
        "/api/v1/frames/1/samples",
        "/api/v1/samples/1/verify",
        "/api/v1/samples/1/assignments",
        "/api/v1/respondents/1/release-reserve",
    ):
        assert client.post(url, json={}, headers=headers).status_code == 403, url
    assert client.get("/api/v1/samples/1/respondents", headers=headers).status_code == 403
