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
    # Campaigns
    "campaign_published": (
        "Chiến dịch số {campaign_id} đã công bố kết quả nên không thể thay đổi nữa."
    ),
    # What an API key may read (app.auth.dependencies.Visible).
    "campaign_not_in_scope": "Khóa API này không được đọc dữ liệu của chiến dịch số {campaign_id}.",
    "unit_not_found": "Không có đơn vị mã «{unit}».",
    "questionnaire_not_found": "Không có phiếu khảo sát mã «{questionnaire}».",
    "questionnaire_version_not_found": "Phiếu khảo sát «{questionnaire}» không có phiên bản "
    "{version}.",
    # Accounts and API tokens (app.auth.service).
    "user_not_found": "Không có tài khoản «{username}».",
    "user_disabled": "Tài khoản «{username}» đang bị khóa; xin mở khóa trước "
    "(sipas user enable {username}).",
    "token_not_found": "Không có mã truy cập (API token) số {token_id}.",
    # Limits on guessing (app.auth.throttle).
    "too_many_attempts": "Có quá nhiều lần thử sai; xin đợi khoảng {minutes} phút rồi thử lại.",
    # Refusals at the edge, before any endpoint runs (app.core.edge, app.core.failsafe).
    "internal_error": "Máy chủ gặp lỗi ngoài dự kiến nên chưa thực hiện được yêu cầu; "
    "dữ liệu đã lưu không bị ảnh hưởng. Xin thử lại sau ít phút; nếu vẫn lỗi, xin báo "
    "quản trị viên.",
    "control_characters": "Dữ liệu gửi lên có ký tự điều khiển (ví dụ ký tự NUL) không "
    "được phép; xin xóa chúng ở các trường được nêu rồi gửi lại.",
    "control_character_field": "Trường {field} có ký tự điều khiển không được phép.",
    "number_out_of_range": "Có số vượt quá giới hạn cho phép; xin kiểm tra các trường được nêu.",
    "number_out_of_range_field": "Trường {field} có số vượt quá giới hạn cho phép.",
    "body_too_large": "Dữ liệu gửi lên quá lớn (tối đa {limit_mb} MB); xin gửi tệp hoặc "
    "nội dung nhỏ hơn.",
    "invalid_value": "Có giá trị không lưu được (số quá lớn, chuỗi quá dài hoặc ký tự "
    "không hợp lệ); xin kiểm tra dữ liệu rồi gửi lại.",
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
