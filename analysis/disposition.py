"""Fieldwork outcomes of sampled people (spec §6) and their Vietnamese names.

An outcome is what happened to one sampled person: it starts ``pending`` when the
person is drawn and ends as one of the final states. The enum lives in this pure
package because the draw (which creates people as ``pending``), fieldwork (which
changes outcomes) and the non-response adjustment of the weights all read it.
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """Fieldwork outcome of a sampled person (kết quả tiếp cận người được chọn)."""

    PENDING = "pending"
    COMPLETED = "completed"
    PARTIAL = "partial"
    REFUSED = "refused"
    NOT_REACHABLE = "not_reachable"
    INELIGIBLE = "ineligible"
    MOVED = "moved"
    REPLACED = "replaced"

    @property
    def label(self) -> str:
        """The Vietnamese name surveyors and staff see."""
        return OUTCOME_LABELS[self]


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.PENDING: "Chưa khảo sát",
    Outcome.COMPLETED: "Đã hoàn thành",
    Outcome.PARTIAL: "Trả lời một phần",
    Outcome.REFUSED: "Từ chối",
    Outcome.NOT_REACHABLE: "Không liên lạc được",
    Outcome.INELIGIBLE: "Không thuộc đối tượng",
    Outcome.MOVED: "Đã chuyển đi",
    Outcome.REPLACED: "Đã được thay thế",
}
"""The one Vietnamese wording of each outcome (pages, lists, exports)."""
