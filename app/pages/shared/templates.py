"""The Jinja2 environment of the pages, and versioned URLs of the static files.

:data:`ASSET_VERSION` is a digest of every static file: it is appended to asset
URLs and built into the service worker, so a changed file reaches phones at the
next visit instead of being served from an old cache.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from analysis import vn
from analysis.contact import ATTEMPT_LABELS
from analysis.disposition import OUTCOME_LABELS, Disposition
from app.core.errors import AppError
from app.core.models import as_utc
from app.link.service import VIETNAM
from app.response.models import MODE_LABELS
from questionnaires import language_name

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
TEMPLATE_DIR = HERE / "templates"


def _asset_version() -> str:
    digest = hashlib.sha256()
    for path in sorted(STATIC_DIR.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(STATIC_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


ASSET_VERSION = _asset_version()


def asset(path: str) -> str:
    """URL of a static file, versioned by the content of all static files."""
    return f"/static/{path}?v={ASSET_VERSION}"


def vn_date(value: date | datetime | None) -> str:
    """``dd/mm/yyyy``, the way dates are written in Vietnam."""
    return value.strftime("%d/%m/%Y") if value else ""


def vn_datetime(value: datetime | None) -> str:
    """``HH:MM dd/mm/yyyy`` in Vietnam's time (UTC+7) for a stored moment."""
    return as_utc(value).astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y") if value else ""


templates = Jinja2Templates(directory=TEMPLATE_DIR)
templates.env.globals["asset"] = asset
templates.env.globals["OUTCOME_LABELS"] = OUTCOME_LABELS
templates.env.globals["ATTEMPT_LABELS"] = ATTEMPT_LABELS
templates.env.globals["DISPOSITIONS"] = list(Disposition)
templates.env.globals["MODE_LABELS"] = MODE_LABELS
templates.env.filters["vn_date"] = vn_date
templates.env.filters["language_name"] = language_name
templates.env.filters["vn_datetime"] = vn_datetime
templates.env.filters["vn_decimal"] = lambda v: "" if v is None else vn.number(v, 2)


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """A page: never stored by HTTP caches, never framed, scripts from this site only.

    (The surveyors' service worker keeps its own copies in the Cache API, which
    ``no-store`` does not affect.)
    """
    response = templates.TemplateResponse(request, name, context or {}, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


ERROR_TITLES = {
    401: "Cần đăng nhập",
    403: "Không có quyền",
    404: "Không tìm thấy",
    409: "Không thực hiện được vì dữ liệu đã thay đổi",
    413: "Dữ liệu quá lớn",
    422: "Dữ liệu chưa hợp lệ",
    429: "Xin thử lại sau ít phút",
    500: "Máy chủ gặp lỗi",
}


def error_html(status: int, _code: str, detail: str) -> bytes:
    """The page a browser gets for a refusal made before any page's code ran (the edge
    checks, an unexpected failure): the Vietnamese sentence and a way back."""
    page = templates.env.get_template("message.html").render(
        title=ERROR_TITLES.get(status, "Không thực hiện được"), message=detail, back="/"
    )
    return page.encode("utf-8")


def error_page(request: Request, exc: AppError, *, back: str, **context: Any) -> HTMLResponse:
    """A page explaining a refused action in Vietnamese, with the technical detail."""
    return render(
        request,
        "message.html",
        {
            "title": ERROR_TITLES.get(exc.status_code, "Không thực hiện được"),
            "message": "Thao tác không thực hiện được. Nếu cần, xin báo quản trị viên "
            "kèm chi tiết dưới đây.",
            "detail": exc.detail,
            "back": back,
            **context,
        },
        status_code=exc.status_code,
    )
