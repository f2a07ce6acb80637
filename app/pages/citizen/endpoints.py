"""The citizens' pages: ``/r`` (type the code from the letter) and ``/r/<token>``.

The token is the citizen's credential: it is never written to the logs (see
:mod:`app.pages.shared.redact`), never sent to another site (``Referrer-Policy:
no-referrer``) and never put into the page itself; the page's script derives the
save URL from its own address. Failed look-ups count against the client's address
(:data:`app.auth.throttle.LINK_ADDRESS`, shared by every worker).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from app.auth import throttle
from app.campaign import service as campaign_service
from app.core.deps import Database, DatabaseDep
from app.core.messages import message
from app.link import service, tokens
from app.link.schemas import CitizenAnswers, CitizenSaved
from app.pages.shared.forms import form_view
from app.pages.shared.ratelimit import client_address
from app.pages.shared.templates import render

router = APIRouter(prefix="/r", tags=["citizen links"])


def _guesses(request: Request) -> list[throttle.Key]:
    return [(throttle.LINK_ADDRESS, client_address(request))]


async def _count_failure(request: Request, db: Database) -> None:
    def count(session: Session) -> None:
        throttle.failed(session, _guesses(request))
        session.commit()

    await db.run(count)


def _secret(request: Request) -> str:
    return str(request.app.state.settings.secret_key)


def _message(request: Request, title: str, message: str, status_code: int) -> Response:
    return render(
        request,
        "citizen/message.html",
        {"title": title, "message": message},
        status_code=status_code,
    )


def _too_many(request: Request) -> Response:
    return _message(
        request,
        "Xin thử lại sau ít phút",
        "Có quá nhiều lần mở đường link không hợp lệ từ máy của ông/bà. "
        "Xin đợi ít phút rồi thử lại.",
        429,
    )


async def _unavailable(request: Request, db: Database, credential: str) -> Response:
    """The same page for every credential that opens nothing, with a form to type the
    code again (holding what was typed, if it was a code) and the hotlines of the
    campaigns in fieldwork: nothing on it depends on whose link it was."""
    code = tokens.normalize_code(credential) if len(credential) <= 20 else None
    hotlines = await db.run(campaign_service.fieldwork_hotlines)
    return render(
        request,
        "citizen/code.html",
        {
            "unavailable": message("link_unavailable"),
            "hotlines": hotlines,
            "code": tokens.format_code(code) if code else "",
        },
        status_code=404,
    )


@router.get("", include_in_schema=False)
async def enter_code(request: Request) -> Response:
    """For people without a smartphone: type the code printed on the letter."""
    return render(request, "citizen/code.html")


@router.post("", include_in_schema=False)
async def open_code(request: Request, code: Annotated[str, Form()]) -> Response:
    normalized = tokens.normalize_code(code)
    if normalized is None:
        return render(
            request,
            "citizen/code.html",
            {
                "error": "Mã gồm 12 chữ và số, ví dụ ABCD-2345-EFGH. Xin kiểm tra lại.",
                "code": code,
            },
            status_code=422,
        )
    return RedirectResponse(f"/r/{tokens.format_code(normalized)}", status_code=303)


@router.get("/{credential}", include_in_schema=False)
async def citizen_page(request: Request, credential: str, db: DatabaseDep) -> Response:
    """The questionnaire, resumed where the citizen stopped; or that it is complete."""
    try:
        await db.run(throttle.check, _guesses(request))
    except throttle.TooManyAttemptsError:
        return _too_many(request)
    try:
        page = await db.run(service.open_link, _secret(request), credential)
    except service.LinkUnavailableError:
        await _count_failure(request, db)
        return await _unavailable(request, db, credential)
    if page.state == "answered":
        return render(
            request,
            "citizen/message.html",
            {
                "title": "Khảo sát đã hoàn thành",
                "message": "Khảo sát này đã được trả lời. Xin chân thành cảm ơn ông/bà "
                "đã dành thời gian đóng góp ý kiến!",
                "campaign_name": page.campaign_name,
                "done": True,
            },
        )
    assert page.questionnaire is not None
    return render(
        request,
        "citizen/form.html",
        {"page": page, "form": form_view(page.questionnaire), "answers": page.answers},
    )


@router.put("/{credential}/answers")
async def save_answers(
    request: Request, credential: str, data: CitizenAnswers, db: DatabaseDep
) -> CitizenSaved:
    """Save the answers so far (``complete: false``) or submit them (``complete: true``):
    404 unknown/expired link, 409 already answered, 422 answers refused."""
    await db.run(throttle.check, _guesses(request))
    try:
        return await db.run(service.save_answers, _secret(request), credential, data)
    except service.LinkUnavailableError:
        await _count_failure(request, db)
        raise
