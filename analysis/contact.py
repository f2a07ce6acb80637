"""Contact attempts with sampled people, their AAPOR disposition codes, call-backs and
when a reserve may replace someone.

A surveyor records every attempt to reach a sampled person (lần liên hệ): when it
happened and its result. The results are those of a survey of named people drawn from
case lists and reached by telephone or at home, each mapped to the final disposition
code it gives a case whose last attempt it is, in the scheme of the AAPOR Standard
Definitions [1]_, with its disposition group (:class:`analysis.disposition.Disposition`,
the groups the counts and response rates use).

People in the frame completed an administrative procedure in the survey window, so
their eligibility is known when they are drawn. Failing to reach them is therefore a
non-contact (category NC, code 2.20 where no more specific code fits) and not one of
the "unknown eligibility" codes 3.xx that the telephone table gives to numbers whose
household is unknown (3.13 no answer) or the "not eligible" codes 4.3x for
non-working numbers: in a random-digit-dial survey the number is the sampled unit,
here the person is.

References
----------
.. [1] The American Association for Public Opinion Research (2023). *Standard
   Definitions: Final Dispositions of Case Codes and Outcome Rates for Surveys*,
   10th edition. Table 1 (telephone surveys) and Table 2 (in-person household
   surveys): 2.112 known-respondent refusal, 2.20 non-contact, 2.21 respondent never
   available, 2.25 respondent away/unavailable, 4.10 out of sample.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from analysis.disposition import Disposition, Outcome


@dataclass(frozen=True)
class AaporDisposition:
    """One AAPOR final disposition code, e.g. ``2.112`` known-respondent refusal."""

    code: str
    name: str
    group: Disposition


class AttemptResult(StrEnum):
    """What happened at one contact attempt (kết quả lần liên hệ)."""

    NOT_AT_HOME = "not_at_home"
    NO_ANSWER = "no_answer"
    CALL_BACK = "call_back"
    REFUSED = "refused"
    WRONG_ADDRESS = "wrong_address"
    NUMBER_NOT_IN_SERVICE = "number_not_in_service"
    MOVED = "moved"
    INELIGIBLE = "ineligible"

    @property
    def label(self) -> str:
        """The Vietnamese name surveyors and staff see."""
        return ATTEMPT_LABELS[self]

    @property
    def disposition(self) -> AaporDisposition:
        """The AAPOR final disposition of a case whose last attempt this is."""
        return AAPOR_DISPOSITIONS[self]

    @property
    def outcome(self) -> Outcome | None:
        """The outcome this result settles, if any (a refusal, a move, not eligible);
        the others leave the person to be tried again."""
        return SETTLES.get(self)


ATTEMPT_LABELS: dict[AttemptResult, str] = {
    AttemptResult.NOT_AT_HOME: "Không gặp, không có ở nhà",
    AttemptResult.NO_ANSWER: "Gọi không ai nghe máy",
    AttemptResult.CALL_BACK: "Hẹn gọi lại, gặp lại",
    AttemptResult.REFUSED: "Từ chối",
    AttemptResult.WRONG_ADDRESS: "Sai địa chỉ, không tìm được nhà",
    AttemptResult.NUMBER_NOT_IN_SERVICE: "Số điện thoại sai hoặc đã ngừng hoạt động",
    AttemptResult.MOVED: "Đã chuyển đi nơi khác",
    AttemptResult.INELIGIBLE: "Không thuộc đối tượng khảo sát",
}
"""The one Vietnamese wording of each attempt result (phone, staff pages)."""

_NON_CONTACT = AaporDisposition("2.20", "Non-contact", Disposition.NON_CONTACT)

AAPOR_DISPOSITIONS: dict[AttemptResult, AaporDisposition] = {
    AttemptResult.NOT_AT_HOME: AaporDisposition(
        "2.25", "Respondent away/unavailable", Disposition.NON_CONTACT
    ),
    AttemptResult.NO_ANSWER: _NON_CONTACT,
    AttemptResult.CALL_BACK: AaporDisposition(
        "2.21", "Respondent never available", Disposition.NON_CONTACT
    ),
    AttemptResult.REFUSED: AaporDisposition(
        "2.112", "Known-respondent refusal", Disposition.REFUSAL
    ),
    AttemptResult.WRONG_ADDRESS: _NON_CONTACT,
    AttemptResult.NUMBER_NOT_IN_SERVICE: _NON_CONTACT,
    AttemptResult.MOVED: _NON_CONTACT,
    AttemptResult.INELIGIBLE: AaporDisposition("4.10", "Out of sample", Disposition.INELIGIBLE),
}
"""Attempt result → AAPOR final disposition code [1]_ (see the module's notes on why a
person not reached is a non-contact here)."""

SETTLES: dict[AttemptResult, Outcome] = {
    AttemptResult.REFUSED: Outcome.REFUSED,
    AttemptResult.MOVED: Outcome.MOVED,
    AttemptResult.INELIGIBLE: Outcome.INELIGIBLE,
}

FINAL_NON_CONTACT = frozenset(
    {AttemptResult.WRONG_ADDRESS, AttemptResult.NUMBER_NOT_IN_SERVICE, AttemptResult.MOVED}
)
"""Results after which trying again is pointless: the contact details lead nowhere."""


@dataclass(frozen=True)
class Attempt:
    """One recorded attempt: when it happened, its result, and for a call-back the time
    the person asked to be contacted again."""

    at: datetime
    result: AttemptResult
    callback_at: datetime | None = None


def pending_callback(attempts: Sequence[Attempt]) -> datetime | None:
    """The call-back time the person asked for at their latest attempt, if any.

    A later attempt (made at the agreed time or otherwise) replaces the appointment;
    attempts are ordered by when they happened, ties by their order in ``attempts``.
    """
    if not attempts:
        return None
    latest = max(enumerate(attempts), key=lambda pair: (pair[1].at, pair[0]))[1]
    return latest.callback_at if latest.result is AttemptResult.CALL_BACK else None


def may_release_reserve(
    outcome: Outcome, attempts: Sequence[AttemptResult], *, required: int
) -> bool:
    """Whether a reserve may now take the place of a person with this ``outcome``.

    A refusal (spec §5: reserves replace refusals in draw order) and a move are final.
    A person not reached is replaced only after ``required`` attempts (the campaign's
    ``attempts_before_reserve``), or sooner when an attempt found their contact details
    lead nowhere (:data:`FINAL_NON_CONTACT`). Any other outcome is never replaced.

    Examples
    --------
    >>> may_release_reserve(Outcome.NOT_REACHABLE, [AttemptResult.NO_ANSWER], required=3)
    False
    >>> may_release_reserve(Outcome.NOT_REACHABLE, [AttemptResult.MOVED], required=3)
    True
    """
    if outcome in (Outcome.REFUSED, Outcome.MOVED):
        return True
    if outcome is not Outcome.NOT_REACHABLE:
        return False
    return len(attempts) >= required or any(a in FINAL_NON_CONTACT for a in attempts)
