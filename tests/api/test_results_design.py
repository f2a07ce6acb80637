"""Results of stored draws keep their design: a released reserve's slot, census strata,
the fpc from the frame sizes, strata with one PSU, and campaigns mixing sampled and
unsampled responses. Each expected figure is counted by hand in the test."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.sample.models import Sample, SampledRespondent, SamplingFrame
from tests.api.factories import add_respondents, response_body, setup_campaign

SATISFIED = {"S24": 5, "FEEDBACK": "2", "R_SEX": "1"}
NOT_SATISFIED = {"S24": 2, "FEEDBACK": "2", "R_SEX": "1"}


def answer(client: TestClient, headers: dict[str, str], campaign_id: int, **extra: Any) -> None:
    answers = extra.pop("answers", SATISFIED)
    stored = client.post(
        f"/api/v1/campaigns/{campaign_id}/responses",
        json=response_body(answers, **extra),
        headers=headers,
    )
    assert stored.status_code == 201, stored.text


def results(client: TestClient, headers: dict[str, str], campaign_id: int) -> dict[str, Any]:
    computed = client.post(f"/api/v1/campaigns/{campaign_id}/results", headers=headers)
    assert computed.status_code == 200, computed.text
    return dict(client.get(f"/api/v1/campaigns/{campaign_id}/results", headers=headers).json())


def set_rows(db: Session, ids: list[int], **values: Any) -> None:
    for respondent_id in ids:
        row = db.get(SampledRespondent, respondent_id)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)
    db.commit()


def settings(client: TestClient, headers: dict[str, str], campaign_id: int, **values: Any) -> None:
    changed = client.put(f"/api/v1/campaigns/{campaign_id}/settings", json=values, headers=headers)
    assert changed.status_code == 200, changed.text


def test_a_released_reserve_keeps_its_slot_in_the_published_weighting(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    """Ten drawn (d = 2): 8 answer, 1 refused, 1 replaced by a reserve still pending.
    RR1 = 8/10 and the respondents' weights add up to 20 (before: 8/9 and 18)."""
    campaign_id = setup_campaign(client, admin_headers)
    ids = add_respondents(db, campaign_id, 11)
    for respondent_id in ids[:8]:
        answer(client, admin_headers, campaign_id, respondent_id=respondent_id)
    set_rows(db, [ids[8]], outcome="refused")
    set_rows(db, [ids[9]], outcome="replaced")
    set_rows(db, [ids[10]], is_reserve=True, replaces_id=ids[9])
    data = results(client, admin_headers, campaign_id)
    assert data["weighting"]["response_rates"] == {"st": 0.8}
    assert data["weighting"]["nonresponse_factors"]["st"] * 2 * 8 == pytest.approx(20.0)


def test_a_census_stratum_computes_and_adds_no_variance(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    """Stratum a: a census of 4 (probability 1), 2 satisfied; stratum b: 6 of 12 drawn
    (d = 2), 3 satisfied. p = (2 + 2·3) / (4 + 2·6) = 1/2. Only b varies: z_i =
    2(y_i − 1/2)/16 = ±1/16, V = (1 − 1/2) · 6/5 · 6/256 = 9/640 (before: 500, fraction
    1 refused)."""
    campaign_id = setup_campaign(client, admin_headers)
    census = add_respondents(db, campaign_id, 4, stratum="a")
    drawn = add_respondents(db, campaign_id, 6, stratum="b")
    set_rows(db, census, inclusion_probability=1.0, design_weight=1.0)
    for i, respondent_id in enumerate(census + drawn):
        satisfied = i in (0, 1) or i in (4, 5, 6)
        answers = SATISFIED if satisfied else NOT_SATISFIED
        answer(client, admin_headers, campaign_id, respondent_id=respondent_id, answers=answers)
    data = results(client, admin_headers, campaign_id)
    assert data["weighting"]["sampling_fractions"] == {"a": 1.0, "b": 0.5}
    assert data["criteria"]["S24"]["rate"] == pytest.approx(50.0)
    assert data["criteria"]["S24"]["se"] == pytest.approx(100 * (9 / 640) ** 0.5)


def test_the_fpc_comes_from_the_frame_sizes_of_the_draw(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    """Twelve drawn from a frame of 48: f = 12/48 = 1/4 (the rows' own probabilities
    say 1/2). Ten answer, five satisfied: V = (1 − 1/4) · p(1 − p)/(n − 1) = 0.75/36."""
    campaign_id = setup_campaign(client, admin_headers)
    ids = add_respondents(db, campaign_id, 12)
    sample = db.get(Sample, db.get(SampledRespondent, ids[0]).sample_id)  # type: ignore[union-attr]
    assert sample is not None
    frame = SamplingFrame(
        campaign_id=campaign_id,
        rules={},
        digest="0" * 64,
        member_count=48,
        excluded_count=0,
        strata={"st": 48},
        exclusion_counts={},
    )
    db.add(frame)
    db.flush()
    sample.sampling_frame_id = frame.id
    db.commit()
    for i, respondent_id in enumerate(ids[:10]):
        answers = SATISFIED if i < 5 else NOT_SATISFIED
        answer(client, admin_headers, campaign_id, respondent_id=respondent_id, answers=answers)
    data = results(client, admin_headers, campaign_id)
    assert data["weighting"]["sampling_fractions"] == {"st": 0.25}
    assert data["criteria"]["S24"]["se"] == pytest.approx(100 * (0.75 * 0.25 / 9) ** 0.5)


def test_a_stratum_with_one_psu_is_refused_naming_it_until_a_rule_is_set(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    campaign_id = setup_campaign(client, admin_headers)
    many = add_respondents(db, campaign_id, 3, stratum="Sở Tư pháp")
    (alone,) = add_respondents(db, campaign_id, 1, stratum="Công an tỉnh")
    for respondent_id in [*many, alone]:
        answer(client, admin_headers, campaign_id, respondent_id=respondent_id)
    refused = client.post(f"/api/v1/campaigns/{campaign_id}/results", headers=admin_headers)
    assert refused.status_code == 409
    assert refused.json()["error"] == "lonely_psu"
    assert "Tầng «Công an tỉnh» chỉ có một đơn vị mẫu" in refused.json()["detail"]
    settings(client, admin_headers, campaign_id, lonely_psu="certainty")
    assert results(client, admin_headers, campaign_id)["design"]["lonely_psu"] == "certainty"


def test_a_mixed_campaign_analyses_the_sampled_responses_with_their_design_and_says_so(
    client: TestClient, admin_headers: dict[str, str], db: Session
) -> None:
    """Ten sampled (d = 2, seven satisfied) and four unsampled (not satisfied): by
    default 7/10 with the design, the four only counted; with ``include``, every response
    without weights, 7/14 (before: the whole campaign silently unweighted)."""
    campaign_id = setup_campaign(client, admin_headers)
    ids = add_respondents(db, campaign_id, 10)
    for i, respondent_id in enumerate(ids):
        answers = SATISFIED if i < 7 else NOT_SATISFIED
        answer(client, admin_headers, campaign_id, respondent_id=respondent_id, answers=answers)
    for _ in range(4):
        answer(client, admin_headers, campaign_id, answers=NOT_SATISFIED)
    data = results(client, admin_headers, campaign_id)
    assert data["responses"] == {
        "sampled": 10,
        "unsampled": 4,
        "mixed": True,
        "analysed": "sampled",
        "setting": "exclude",
    }
    assert data["design"]["weighted"] is True
    assert data["criteria"]["S24"]["rate"] == pytest.approx(70.0)
    assert data["criteria"]["S24"]["n"] == 10
    settings(client, admin_headers, campaign_id, unsampled_responses="include")
    data = results(client, admin_headers, campaign_id)
    assert data["responses"]["analysed"] == "all"
    assert data["design"]["weighted"] is False
    assert data["criteria"]["S24"]["rate"] == pytest.approx(50.0)
    assert data["criteria"]["S24"]["n"] == 14
