"""AAPOR dispositions, counts and response rates of sampled people, counted by hand."""

from __future__ import annotations

import pytest

from analysis.disposition import (
    Disposition,
    FieldCase,
    Outcome,
    count_by_group,
    count_dispositions,
    disposition,
)


def test_every_outcome_has_one_disposition() -> None:
    pairs = (
        "pending unknown, completed complete, partial partial, refused refusal, "
        "not_reachable non_contact, moved non_contact, replaced other, ineligible ineligible"
    )
    for pair in pairs.split(", "):
        outcome, expected = pair.split()
        assert disposition(Outcome(outcome)) is Disposition(expected)
    assert {disposition(o) for o in Outcome} == set(Disposition)
    assert disposition("pending", complete_response=True) is Disposition.COMPLETE
    assert disposition("pending", partial_response=True) is Disposition.PARTIAL
    assert disposition("refused", partial_response=True) is Disposition.REFUSAL


def test_rr1_and_rr3_equal_a_hand_count() -> None:
    """Twenty slots counted by hand: I = 10 (8 completed, 1 pending with a stored
    complete response, 1 substitute who completed), P = 2, R = 3 (2 refused, 1 replaced
    person whose reserve refused: the slot counts once, as the reserve's refusal),
    NC = 2 (not reachable, moved), O = 0, U = 2 (pending), NE = 1.

    RR1 = 10 / (10 + 2 + 3 + 2 + 0 + 2) = 10 / 19.
    e = 17 / (17 + 1) = 17 / 18; RR3 = 10 / (17 + 2 × 17/18).
    """
    outcomes = (
        ["completed"] * 8
        + ["partial"] * 2
        + ["refused"] * 2
        + ["not_reachable", "moved", "ineligible", "pending", "pending"]
    )
    people = [FieldCase(i, o) for i, o in enumerate(outcomes)]
    # a person with a complete response whose outcome was never updated
    people.append(FieldCase(100, "pending", complete_response=True))
    # replaced by a reserve who refused: one slot, a refusal
    people.append(FieldCase(101, "replaced"))
    people.append(FieldCase(102, "refused", reserve=True, replaces=101))
    # replaced by a reserve who completed: one slot, complete (by a substitute)
    people.append(FieldCase(103, "replaced"))
    people.append(FieldCase(104, "completed", reserve=True, replaces=103))
    # unreleased reserves count nowhere
    people += [FieldCase(200 + i, "pending", reserve=True) for i in range(5)]
    counts = count_dispositions(people)
    assert counts.sampled == 20
    assert counts.reserves_released == 2
    assert counts.in_field == 22
    assert counts.substituted == 2
    assert counts.completes_by_substitutes == 1
    assert dict(counts.dispositions) == {
        Disposition.COMPLETE: 10,
        Disposition.PARTIAL: 2,
        Disposition.REFUSAL: 3,
        Disposition.NON_CONTACT: 2,
        Disposition.OTHER: 0,
        Disposition.UNKNOWN: 2,
        Disposition.INELIGIBLE: 1,
    }
    assert counts.rr1 == pytest.approx(10 / 19)
    e = 17 / 18
    assert counts.eligibility_rate == pytest.approx(e)
    assert counts.rr3 == pytest.approx(10 / (17 + e * 2))


def test_a_chain_of_replacements_is_one_slot() -> None:
    people = [
        FieldCase(1, "replaced"),
        FieldCase(2, "replaced", reserve=True, replaces=1),
        FieldCase(3, "completed", reserve=True, replaces=2),
    ]
    counts = count_dispositions(people)
    assert counts.sampled == 1
    assert counts.complete == 1
    assert counts.rr1 == 1.0


def test_counts_per_group_and_in_total() -> None:
    people = [
        FieldCase(1, "completed", group="u1"),
        FieldCase(2, "refused", group="u1"),
        FieldCase(3, "pending", reserve=True, group="u1"),
        FieldCase(4, "ineligible", group="u2"),
    ]
    counts = count_by_group(people)
    assert counts.total.sampled == 3
    assert counts.groups["u1"].rr1 == 0.5
    assert counts.groups["u2"].rr1 is None
    assert counts.groups["u2"].rr3 is None


def test_two_reserves_for_one_person_are_refused() -> None:
    people = [
        FieldCase(1, "replaced"),
        FieldCase(2, "pending", reserve=True, replaces=1),
        FieldCase(3, "pending", reserve=True, replaces=1),
    ]
    with pytest.raises(ValueError, match="two reserves replace the same person 1"):
        count_dispositions(people)
