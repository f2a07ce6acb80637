"""What every staff page shares: the area, rendering a page with the session, refusals
shown as a page, and the campaign tabs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from analysis import vn
from analysis.rounding import PERCENT_PLACES
from analysis.schemes import bundled_codes, bundled_scheme
from app.auth.dependencies import STAFF_LOGIN
from app.auth.models import STAFF_ROLES, Role
from app.auth.schemas import PageSession
from app.campaign.models import CAMPAIGN_STATUS_LABELS
from app.core.errors import AppError, ForbiddenError
from app.pages.shared import login as web_login
from app.pages.shared.templates import error_page, render, templates

AREA = web_login.Area(
    title="Quản trị khảo sát SIPAS",
    login_path=STAFF_LOGIN,
    logout_path="/staff/logout",
    home_path="/staff/",
    roles=STAFF_ROLES,
)

STATUS_LABELS = {
    status.value: label.capitalize() for status, label in CAMPAIGN_STATUS_LABELS.items()
}
"""The campaign statuses' one wording, capitalised for headings and badges."""
ROLE_LABELS = {
    Role.ADMIN.value: "quản trị viên",
    Role.SUPERVISOR.value: "giám sát viên",
    Role.SURVEYOR.value: "điều tra viên",
    Role.API_CLIENT.value: "dịch vụ dùng khóa API",
}
UNIT_KINDS = {
    "province": "tỉnh, thành phố",
    "department": "sở, ban, ngành",
    "district": "huyện, thị xã, thành phố thuộc tỉnh",
    "commune": "xã, phường, thị trấn",
    "hamlet": "ấp, khóm, thôn",
    "central_agency": "cơ quan trung ương đóng tại tỉnh",
    "public_service_unit": "đơn vị sự nghiệp",
}


def vn_fixed(value: float | Decimal | None, places: int = 1) -> str:
    """A figure with ``places`` decimals the Vietnamese way (:func:`analysis.vn.number`)."""
    return "—" if value is None else vn.number(value, places)


def vn_cell(value: object) -> str:
    """A cell of a report table: numbers the Vietnamese way with their own decimals."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return vn.number(value, max(-int(value.as_tuple().exponent), 0))
    return str(value)


def vn_rate(value: float | None) -> str:
    """A rate with its percent sign (81,62%), or a dash."""
    return "—" if value is None else vn.percent(value)


def vn_percent(value: float | None) -> str:
    """A rate rounded half-up to 2 decimals, with a decimal comma (81,62)."""
    return "—" if value is None else vn.number(value, PERCENT_PLACES)


def answer_text(value: object) -> str:
    """An answer as typed in an answer file: several choices joined by ``;``."""
    if value is None:
        return ""
    return "; ".join(map(str, value)) if isinstance(value, list) else str(value)


templates.env.filters.update(
    vn_percent=vn_percent,
    vn_rate=vn_rate,
    vn_fixed=vn_fixed,
    vn_cell=vn_cell,
    answer_text=answer_text,
)
templates.env.globals.update(
    STATUS_LABELS=STATUS_LABELS,
    UNIT_KINDS=UNIT_KINDS,
    ROLE_LABELS=ROLE_LABELS,
    SCHEME_LABELS={code: bundled_scheme(code).title for code in bundled_codes()},
)

CAMPAIGN_TABS = (
    ("setup", "Thiết lập"),
    ("sample", "Chọn mẫu"),
    ("fieldwork", "Triển khai"),
    ("dashboard", "Tiến độ"),
    ("review", "Duyệt dữ liệu"),
    ("results", "Kết quả"),
)
"""The steps of a campaign, in the order they are done; each is ``/staff/campaigns/{id}/<tab>``
(``fieldwork`` is the campaign's own page)."""


def page(
    request: Request, name: str, session: PageSession, *, status_code: int = 200, **context: Any
) -> Response:
    return render(
        request,
        name,
        {"session": session, "area": AREA, "tabs": CAMPAIGN_TABS, **context},
        status_code=status_code,
    )


def failed(
    request: Request, session: PageSession, exc: AppError, back: str | None = None
) -> Response:
    return error_page(request, exc, back=back or AREA.home_path, session=session)


def require_admin(session: PageSession) -> None:
    """Configuration, draws and publishing are for administrators (Sở Nội vụ)."""
    if session.role is not Role.ADMIN:
        raise ForbiddenError(error="configuration_for_admins")


def redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=303)
