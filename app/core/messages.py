"""The one catalogue of user-facing messages: Vietnamese, with full diacritics.

Every refusal the service gives carries a code (``error`` in the JSON body, e.g.
``campaign_not_in_fieldwork``); its ``detail`` is this catalogue's sentence for that
code, filled in with the error's parameters. Pages and the command line show the
same sentence, so no English reaches a user. Codes are English identifiers for
programs; the sentences are for people and say what to do next.

``tests/unit/test_messages.py`` renders every code.
"""

from __future__ import annotations

from string import Formatter

MESSAGES: dict[str, str] = {
    # Generic codes, used when a refusal has no more specific one.
    "bad_request": "Yêu cầu không hợp lệ.",
    "not_found": "Không tìm thấy dữ liệu được yêu cầu.",
    "conflict": "Không thực hiện được vì dữ liệu đã thay đổi; xin tải lại trang và thử lại.",
    "validation_error": "Dữ liệu gửi lên chưa hợp lệ: {problems}",
    "unauthorized": "Cần đăng nhập hoặc gửi mã truy cập (API token) hợp lệ.",
    "forbidden": "Tài khoản của bạn không có quyền thực hiện thao tác này.",
    "method_not_allowed": "Thao tác này không được hỗ trợ tại địa chỉ này.",
    # Jobs (long work run by workers).
    "job_not_found": "Không có công việc số {job_id}.",
    "job_failed": "Công việc số {job_id} gặp lỗi ngoài dự kiến và đã dừng; xin báo quản trị viên.",
    "job_abandoned": (
        "Công việc đã bị dừng giữa chừng {attempts} lần (máy chạy công việc ngừng hoạt động) "
        "nên không chạy lại nữa; xin gửi lại yêu cầu."
    ),
    "job_output_not_ready": (
        "Công việc số {job_id} chưa xong hoặc không tạo ra tệp; xin chờ rồi thử lại."
    ),
    # Campaigns
    "campaign_published": (
        "Chiến dịch số {campaign_id} đã công bố kết quả nên không thể thay đổi nữa."
    ),
}
"""Code → sentence. A sentence may name parameters in braces (``{campaign_id}``)."""


def message(code: str, **params: object) -> str:
    """The sentence for ``code`` with ``params`` filled in.

    Raises ``KeyError`` for a code the catalogue lacks: a refusal without a Vietnamese
    sentence is a defect, caught by the catalogue test.
    """
    return MESSAGES[code].format(**params)


def parameters(code: str) -> set[str]:
    """The parameter names the sentence of ``code`` uses."""
    return {name for _, name, _, _ in Formatter().parse(MESSAGES[code]) if name}
