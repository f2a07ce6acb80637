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
    "publish_needs_confirmation": (
        "Hãy đánh dấu ô xác nhận trước khi công bố: kết quả sẽ được khóa lại."
    ),
    # Fieldwork
    "assign_needs_sample": "Chưa rút mẫu nên chưa có ai để giao; hãy rút mẫu ở trang Chọn mẫu.",
    "assign_needs_surveyors": "Hãy chọn ít nhất một điều tra viên để giao.",
    # Review of responses
    "response_not_found": "Không có phiếu trả lời số {response_id}.",
    "response_not_in_scope": (
        "Phiếu trả lời số {response_id} thuộc đơn vị không được giao cho tài khoản của bạn."
    ),
    "reject_needs_comment": "Muốn loại phiếu thì phải ghi rõ lý do trong ô nhận xét.",
    "edit_unknown_item": "Bộ câu hỏi của phiếu này không có câu «{item}».",
    "edit_needs_reason": "Sửa câu trả lời thì phải ghi lý do sửa.",
    "edit_invalid_answers": (
        "Không lưu được: sau khi sửa, phiếu có {count} câu trả lời không hợp lệ (xem chi tiết)."
    ),
    # Sampling
    "bad_size_input": "Không tính được cỡ mẫu: {problem}.",
    "bad_design_plan": "Không phân bổ được mẫu theo thiết kế này: {problem}.",
    # Campaigns
    "campaign_not_draft": (
        "Đợt khảo sát số {campaign_id} đang ở trạng thái «{status}»: tên, năm, phạm vi, "
        "bộ câu hỏi và cách tính điểm chỉ sửa được khi đợt còn là dự thảo."
    ),
    "campaign_not_found": "Không có đợt khảo sát số {campaign_id}.",
    "campaign_not_in_scope": (
        "Tài khoản của bạn không được giao đợt khảo sát số {campaign_id}; "
        "xin quản trị viên giao đợt này nếu bạn cần theo dõi."
    ),
    "configuration_for_admins": (
        "Chỉ quản trị viên (Sở Nội vụ) được thay đổi cấu hình, chọn mẫu và công bố; "
        "giám sát viên theo dõi tiến độ và duyệt dữ liệu."
    ),
    "supervisor_not_found": "Không có tài khoản giám sát viên số {user_id}.",
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
