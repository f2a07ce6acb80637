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
    "campaign_not_in_fieldwork": (
        "Đợt khảo sát số {campaign_id} không trong thời gian khảo sát (chưa bắt đầu, đã đóng "
        "hoặc đã công bố); việc này chỉ làm được khi đợt đang khảo sát."
    ),
    # Fieldwork: outcomes and their corrections
    "outcome_completed_by_response": (
        "Kết quả «Đã hoàn thành» chỉ có khi người được chọn đã có phiếu trả lời hoàn chỉnh; "
        "không ghi được bằng tay."
    ),
    "outcome_replaced_by_release": (
        "Kết quả «Đã được thay thế» chỉ có khi dùng người dự phòng thay cho người này; "
        "không ghi được bằng tay."
    ),
    "outcome_final": (
        "Người được chọn số {respondent_id} đã có kết quả «{outcome}», không thay đổi được "
        "nữa. Nếu đã ghi nhầm, xin báo giám sát viên để sửa."
    ),
    "outcome_replaced": (
        "Người được chọn số {respondent_id} đã được người dự phòng thay thế; kết quả này "
        "không sửa được."
    ),
    "outcome_unchanged": (
        "Người được chọn số {respondent_id} đang có kết quả «{outcome}»; không có gì để sửa."
    ),
    "outcome_completed_needs_response": (
        "Người được chọn số {respondent_id} chưa có phiếu trả lời hoàn chỉnh nên không ghi "
        "được «Đã hoàn thành»."
    ),
    "outcome_has_response": (
        "Người được chọn số {respondent_id} đã có phiếu trả lời hoàn chỉnh và phiếu đó được "
        "tính; kết quả «Đã hoàn thành» không sửa được."
    ),
    "reason_required": "Cần ghi lý do (ít nhất 3 ký tự).",
    "respondent_not_in_campaign": (
        "Đợt khảo sát số {campaign_id} không có người được chọn số {respondent_id}."
    ),
    # Fieldwork: contact attempts, reserves, the surveyors' phones
    "callback_needs_time": "Hẹn gọi lại, gặp lại cần có thời gian hẹn.",
    "reserve_needs_attempts": (
        "Chưa dùng được người dự phòng: người được chọn số {respondent_id} mới được liên hệ "
        "{attempts} lần, cần ít nhất {required} lần (hoặc một lần liên hệ cho thấy sai địa "
        "chỉ, sai số điện thoại hay người đó đã chuyển đi)."
    ),
    "not_assigned": "Người được chọn số {respondent_id} không được giao cho bạn.",
    "client_id_conflict": (
        "Một mục khác đã được lưu với cùng mã {client_id}; mục này không được lưu."
    ),
    # Fieldwork: the hand-over queue
    "handover_too_large": (
        "Mục chuyển cho giám sát viên quá lớn ({size_kb} KB, tối đa {limit_kb} KB)."
    ),
    "handover_respondent_mismatch": (
        "Nội dung mục chuyển cho giám sát viên thuộc về một người được chọn khác."
    ),
    "handover_not_found": "Không có mục chuyển cho giám sát viên số {handover_id}.",
    "handover_resolved": "Mục số {handover_id} đã được xử lý rồi.",
    "handover_not_a_response": (
        "Mục số {handover_id} không phải phiếu phỏng vấn nên không nhận làm phiếu trả lời "
        "được; hãy sửa kết quả tiếp cận nếu cần, rồi loại bỏ mục này."
    ),
    "handover_unreadable": (
        "Mục số {handover_id} không đọc được thành phiếu phỏng vấn; hãy loại bỏ mục này."
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
