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
    # PAR components and the PAR table (app/par).
    "par_header": (
        "Tiêu đề của tệp điểm Chỉ số CCHC chưa đúng: {problems}. Tệp cần các cột Đơn vị "
        "(mã hoặc tên), Điểm chuẩn tối đa, Điểm tự đánh giá, Khảo sát CBCCVC; có thể thêm "
        "cột Nhóm."
    ),
    "par_column_unknown": "cột «{column}» (cột {number}) không rõ là số liệu gì",
    "par_column_twice": "cột «{column}» (cột {number}) trùng với một cột trước",
    "par_column_missing": "thiếu cột «{column}»",
    "par_sipas_from_results": (
        "cột «{column}» không được nhập vì thang điểm {scheme} tính điểm Chỉ số SIPAS từ "
        "kết quả khảo sát; xin bỏ cột này"
    ),
    "par_rows_rejected": (
        "Chưa nhập tệp điểm Chỉ số CCHC vì {count} dòng có lỗi (xem dòng, cột và lý do bên "
        "dưới); chưa có số liệu nào được lưu."
    ),
    "par_file_empty": "Tệp điểm Chỉ số CCHC không có dòng số liệu nào.",
    "par_unit_missing": "thiếu tên hoặc mã đơn vị",
    "par_unit_unknown": (
        "không có đơn vị «{unit}» trong phạm vi của đợt khảo sát, hoặc tên này trùng với "
        "nhiều đơn vị (khi đó xin ghi mã đơn vị)"
    ),
    "par_unit_twice": "đơn vị này đã có ở dòng {row}",
    "par_group_unknown": (
        "nhóm «{value}» không rõ; ghi Sở ngành, Cấp huyện/cấp xã, Đơn vị sự nghiệp hoặc "
        "Cơ quan Trung ương"
    ),
    "par_group_needed": "đơn vị loại này không tự xếp được nhóm; xin ghi cột Nhóm",
    "par_value_missing": "thiếu số liệu",
    "par_value_out_of_range": "số liệu không hợp lệ (điểm không âm, điểm chuẩn từ trên 0 đến 100)",
    "par_total_above_max": "tổng điểm các phần ({total}) lớn hơn điểm chuẩn tối đa",
    "par_unit_not_found": "Đợt khảo sát {campaign_id} chưa có điểm Chỉ số CCHC của đơn vị {unit}.",
    "par_sipas_points_needed": (
        "Thang điểm {scheme} không quy đổi tỷ lệ hài lòng ra điểm: xin nhập điểm Chỉ số SIPAS "
        "của đơn vị."
    ),
    "par_no_components": (
        "Đợt khảo sát {campaign_id} chưa có điểm Chỉ số CCHC của đơn vị nào; xin nhập tệp "
        "điểm trước khi lập báo cáo."
    ),
    "report_needs_results": (
        "Đợt khảo sát {campaign_id} chưa có kết quả; xin tính kết quả trước khi lập báo cáo."
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
