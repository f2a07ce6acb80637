"""Contact attempts: AAPOR codes, Vietnamese names, call-backs and the reserve rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from analysis.contact import (
    ATTEMPT_LABELS,
    Attempt,
    AttemptResult,
    may_release_reserve,
    pending_callback,
)
from analysis.disposition import Disposition, Outcome

T0 = datetime(2024, 10, 1, 1, 0, tzinfo=UTC)


def test_every_result_has_a_vietnamese_name_and_an_aapor_code() -> None:
    assert set(ATTEMPT_LABELS) == set(AttemptResult)
    assert len(set(ATTEMPT_LABELS.values())) == len(AttemptResult)
    # AAPOR Standard Definitions (2023), Tables 1-2: the codes of the categories they name.
    prefixes = {
        Disposition.REFUSAL: "2.1",
        Disposition.NON_CONTACT: "2.2",
        Disposition.INELIGIBLE: "4.",
    }
    for result in AttemptResult:
        disposition = result.disposition
        assert disposition.code.startswith(prefixes[disposition.group]), result
    assert AttemptResult.REFUSED.disposition.code == "2.112"
    assert AttemptResult.NOT_AT_HOME.disposition.code == "2.25"
    assert AttemptResult.INELIGIBLE.disposition.group is Disposition.INELIGIBLE
    assert AttemptResult.CALL_BACK.label == "Hẹn gọi lại, gặp lại"


@pytest.mark.parametrize(
    ("result", "outcome"),
    [
        (AttemptResult.REFUSED, Outcome.REFUSED),
        (AttemptResult.MOVED, Outcome.MOVED),
        (AttemptResult.INELIGIBLE, Outcome.INELIGIBLE),
        (AttemptResult.NO_ANSWER, None),
        (AttemptResult.CALL_BACK, None),
    ],
)
def test_a_result_settles_an_outcome_or_leaves_the_person_to_try_again(
    result: AttemptResult, outcome: Outcome | None
) -> None:
    assert result.outcome is outcome


def test_the_latest_attempt_decides_the_call_back() -> None:
    later = T0 + timedelta(days=2)
    call = Attempt(T0, AttemptResult.CALL_BACK, later)
    assert pending_callback([]) is None
    assert pending_callback([call]) == later
    assert (
        pending_callback([Attempt(T0 - timedelta(hours=1), AttemptResult.NO_ANSWER), call]) == later
    )
    # An attempt made afterwards (at the agreed time or not) ends the appointment,
    # whatever the order the attempts are listed in.
    assert (
        pending_callback([Attempt(T0 + timedelta(days=1), AttemptResult.NO_ANSWER), call]) is None
    )


@pytest.mark.parametrize(
    ("outcome", "attempts", "allowed"),
    [
        (Outcome.REFUSED, [], True),
        (Outcome.MOVED, [], True),
        (Outcome.NOT_REACHABLE, [AttemptResult.NO_ANSWER] * 2, False),
        (Outcome.NOT_REACHABLE, [AttemptResult.NO_ANSWER] * 3, True),
        (Outcome.NOT_REACHABLE, [AttemptResult.WRONG_ADDRESS], True),
        (Outcome.NOT_REACHABLE, [AttemptResult.NUMBER_NOT_IN_SERVICE], True),
        (Outcome.PENDING, [AttemptResult.NO_ANSWER] * 5, False),
        (Outcome.INELIGIBLE, [], False),
        (Outcome.COMPLETED, [], False),
    ],
)
def test_a_reserve_replaces_a_person_not_reached_only_after_enough_attempts(
    outcome: Outcome, attempts: list[AttemptResult], allowed: bool
) -> None:
    assert may_release_reserve(outcome, attempts, required=3) is allowed
