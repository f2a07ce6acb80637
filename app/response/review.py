"""Staff review of stored responses (the review states of ODK Central) and staff edits.

A response arrives ``received``; a reviewer marks it ``approved``, ``has_issues`` or
``rejected`` (a comment is required to reject). Rejected responses are left out of the
results, which say how many. Every decision is kept (:class:`ResponseReview`).

Staff may correct an answer with a reason: the answer changes, the change is kept as
an :class:`AnswerEdit` (who, when, old → new), and the response's payload digest stays
that of the response as it arrived, so the original answers can always be rebuilt and a
replay from the phone is still recognised.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from analysis.answer_file import cell_value
from app.audit.service import record_event
from app.auth.models import User
from app.campaign.scope import campaign_in_scope
from app.core.errors import ForbiddenError, NotFoundError, UnprocessableError
from app.questionnaire.service import parsed
from app.response import repository
from app.response.models import Answer, AnswerEdit, Response, ResponseReview, ReviewState
from app.response.service import answer_field
from questionnaires import check_answers


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a response's history: a review decision or an edited answer."""

    at: datetime
    who: str | None
    kind: str
    """``review`` or ``edit``."""
    state: ReviewState | None
    comment: str | None
    item_code: str | None
    old_value: Any
    new_value: Any


def _response(db: Session, response_id: int, actor: User | None) -> Response:
    response = db.get(Response, response_id)
    if response is None:
        raise NotFoundError(error="response_id_not_found", response_id=response_id)
    scope = campaign_in_scope(db, response.campaign_id, actor)
    unit_id = response.unit_id
    if unit_id is None and response.respondent_id is not None:
        unit_id = repository.respondent_unit(db, response.respondent_id)
    if not scope.sees_unit(unit_id):
        raise ForbiddenError(error="response_not_in_scope", response_id=response_id)
    return response


def get_in_scope(db: Session, response_id: int, *, actor: User | None) -> Response:
    """The response, if the actor may see it (its campaign and unit are in their scope)."""
    return _response(db, response_id, actor)


def review(
    db: Session,
    response_id: int,
    state: ReviewState,
    comment: str | None,
    *,
    actor: User | None,
) -> ReviewState:
    """Give a response a review state; rejecting needs a comment saying why."""
    response = _response(db, response_id, actor)
    comment = (comment or "").strip() or None
    if state is ReviewState.REJECTED and comment is None:
        raise UnprocessableError(error="reject_needs_comment")
    old = response.review_state
    response.review_state = state
    db.add(
        ResponseReview(
            response_id=response.id,
            state=state,
            comment=comment,
            reviewed_by_id=actor.id if actor else None,
        )
    )
    record_event(
        db,
        actor=actor,
        action="response.review",
        entity_type="response",
        entity_id=response.id,
        payload={"from": old.value, "to": state.value, "comment": comment},
    )
    db.commit()
    return state


def edit_answer(
    db: Session,
    response_id: int,
    item_code: str,
    text: str,
    reason: str,
    *,
    actor: User | None,
) -> None:
    """Correct one answer of a response, typed as in an answer file (a code, a number,
    ``na``, codes separated by ``;``; empty removes it), keeping the old value, who and
    why; the answers must still pass every check of the questionnaire."""
    response = _response(db, response_id, actor)
    reason = reason.strip()
    if not reason:
        raise UnprocessableError(error="edit_needs_reason")
    form = parsed(response.questionnaire_version)
    item = form.item_map().get(item_code)
    if item is None:
        raise UnprocessableError(error="edit_unknown_item", item=item_code)
    value = cell_value(item.type, text.strip())
    stored = {a.item_code: a for a in response.answers}
    answers = {code: a.value for code, a in stored.items()}
    old = answers.get(item_code)
    if value is None:
        answers.pop(item_code, None)
    else:
        answers[item_code] = value
    check = check_answers(
        parsed(response.questionnaire_version),
        answers,
        complete=response.status.value == "complete",
    )
    if not check.ok:
        raise UnprocessableError(
            error="edit_invalid_answers",
            count=len(check.problems),
            fields=[answer_field(p) for p in check.problems],
        )
    checked = dict(check.answers)
    new = checked.get(item_code)
    if new == old:
        return
    if item_code in stored and new is None:
        response.answers.remove(stored[item_code])
    elif item_code in stored:
        stored[item_code].value = new
    else:
        response.answers.append(Answer(item_code=item_code, value=new))
    db.add(
        AnswerEdit(
            response_id=response.id,
            item_code=item_code,
            old_value=old,
            new_value=new,
            reason=reason,
            edited_by_id=actor.id if actor else None,
        )
    )
    record_event(
        db,
        actor=actor,
        action="response.edit",
        entity_type="response",
        entity_id=response.id,
        payload={"item": item_code, "from": old, "to": new, "reason": reason},
    )
    db.commit()


def history(db: Session, response_id: int, *, actor: User | None) -> list[HistoryEntry]:
    """Review decisions and edited answers of a response, oldest first."""
    _response(db, response_id, actor)
    entries = [
        HistoryEntry(row.created_at, who, "review", row.state, row.comment, None, None, None)
        for row, who in repository.reviews(db, response_id)
    ] + [
        HistoryEntry(
            row.created_at,
            who,
            "edit",
            None,
            row.reason,
            row.item_code,
            row.old_value,
            row.new_value,
        )
        for row, who in repository.edits(db, response_id)
    ]
    return sorted(entries, key=lambda e: e.at)


def original_answers(db: Session, response_id: int, *, actor: User | None) -> dict[str, Any]:
    """The answers as the response arrived, rebuilt from today's and the edits."""
    response = _response(db, response_id, actor)
    answers = {a.item_code: a.value for a in response.answers}
    first: dict[str, Any] = {}
    for row, _ in repository.edits(db, response_id):
        first.setdefault(row.item_code, row.old_value)
    for code, value in first.items():
        if value is None:
            answers.pop(code, None)
        else:
            answers[code] = value
    return answers
