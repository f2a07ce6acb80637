"""Quality flags of interviews (analysis/quality.py), each with the figures of its why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from scipy import stats

from analysis.quality import (
    Interview,
    close_together,
    flag_interviews,
    mostly_no_opinion,
    shared_contacts,
    short_interview,
    straight_lined,
    surveyors_differing,
    two_proportion_test,
)

T0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


def _at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_short_interview_uses_the_threshold() -> None:
    quick = Interview(1, started_at=_at(0), submitted_at=_at(3))
    flag = short_interview(quick, 5)
    assert flag is not None
    assert flag.details == {"minutes": 3.0, "threshold": 5}
    assert short_interview(Interview(2, started_at=_at(0), submitted_at=_at(12)), 5) is None
    assert short_interview(Interview(3), 5) is None


def test_straight_lining_needs_one_answer_to_a_whole_block() -> None:
    same = Interview(1, blocks={"service": {f"S{i}": 4 for i in range(6)}})
    varied = Interview(2, blocks={"service": {**{f"S{i}": 4 for i in range(5)}, "S9": 5}})
    short_block = Interview(3, blocks={"service": {f"S{i}": 4 for i in range(3)}})
    flag = straight_lined(same)
    assert flag is not None
    assert flag.details == {"block": "service", "answer": 4, "count": 6}
    assert straight_lined(varied) is None
    assert straight_lined(short_block) is None


def test_mostly_no_opinion() -> None:
    mostly = Interview(1, blocks={"b": {"a": "na", "b": "na", "c": 4}})
    half = Interview(2, blocks={"b": {"a": "na", "b": 4}})
    flag = mostly_no_opinion(mostly)
    assert flag is not None
    assert flag.details == {"no_opinion": 2, "answered": 3}
    assert mostly_no_opinion(half) is None


def test_close_together_and_shared_contacts_name_each_other() -> None:
    done = [
        Interview(1, surveyor=7, submitted_at=_at(0), contact_key="k1"),
        Interview(2, surveyor=7, submitted_at=_at(2), contact_key="k1"),
        Interview(3, surveyor=7, submitted_at=_at(40), contact_key="k2"),
        Interview(4, surveyor=8, submitted_at=_at(1)),
    ]
    close = {(f.response_id, f.details["other"]) for f in close_together(done, 5)}
    assert close == {(1, 2), (2, 1)}
    shared = {f.response_id: f.details["others"] for f in shared_contacts(done)}
    assert shared == {1: [2], 2: [1]}
    codes = sorted((f.response_id, f.code) for f in flag_interviews(done, 5))
    assert codes == [
        (1, "close_together"),
        (1, "shared_contact"),
        (2, "close_together"),
        (2, "shared_contact"),
    ]


def test_two_proportion_test_matches_the_chi_square_test() -> None:
    # The pooled two-proportion z-test is the 2×2 chi-square test without continuity
    # correction: z² = χ² and the same p-value (Agresti 2013, §2.4).
    z, p = two_proportion_test(45, 50, 30, 50)
    chi2, p_chi2, _, _ = stats.chi2_contingency([[45, 5], [30, 20]], correction=False)
    assert z**2 == pytest.approx(chi2, rel=1e-12)
    assert p == pytest.approx(p_chi2, rel=1e-9)


def test_a_surveyor_differing_from_unit_peers_is_found() -> None:
    def people(surveyor: int, satisfied: int, total: int, start: int) -> list[Interview]:
        return [
            Interview(
                start + i,
                surveyor=surveyor,
                unit="u1",
                blocks={"b": {"a": 5 if i < satisfied else 1, "b": 5 if i < satisfied else 2}},
            )
            for i in range(total)
        ]

    peers = people(2, 13, 30, 100) + people(3, 14, 30, 200) + people(4, 14, 30, 300)
    found = surveyors_differing(people(1, 29, 30, 0) + peers)
    assert [(d.surveyor, d.satisfied, d.n, d.others_satisfied, d.others_n) for d in found] == [
        (1, 29, 30, 41, 90)
    ]
    assert found[0].p_value < 0.01
    assert surveyors_differing(peers) == []
