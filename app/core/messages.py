"""The one catalogue of user-facing messages: Vietnamese, with full diacritics.

Every refusal the service gives carries a code (``error`` in the JSON body, e.g.
``campaign_not_in_fieldwork``); its ``detail`` is this catalogue's sentence for that
code, filled in with the error's parameters. Field-level problems (``fields``),
request validation, case-import row reasons and answer checks take their sentences
from here too. Pages and the command line show the same sentences, so no English
reaches a user. Codes are English identifiers for programs; the sentences are for
people and say what to do next.

``tests/unit/test_messages.py`` renders every code and checks that every code used
in ``app/`` is here and every entry here is used.
"""

from __future__ import annotations

from string import Formatter

MESSAGES: dict[str, str] = {
    # Generic codes, used when a refusal has no more specific one.
    "bad_request": "Yêu cầu không hợp lệ.",
    "not_found": "Không tìm thấy địa chỉ hoặc dữ liệu được yêu cầu; xin kiểm tra lại đường dẫn.",
    "conflict": "Không thực hiện được vì dữ liệu đã thay đổi; xin tải lại trang và thử lại.",
    "validation_error": "Dữ liệu gửi lên chưa hợp lệ: {problems}",
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
    "http_error": "Yêu cầu không thực hiện được (mã HTTP {status}); xin thử lại.",
    # Request fields (pydantic error types; app/core/validation.py maps them here).
    "input_missing": "Thiếu trường «{field}»: trường này bắt buộc.",
    "input_invalid": "Giá trị của trường «{field}» không hợp lệ; xin kiểm tra lại.",
    "input_text": "Trường «{field}» phải là chữ (chuỗi ký tự).",
    "input_too_short": "Trường «{field}» phải có ít nhất {min_length} ký tự.",
    "input_too_long": "Trường «{field}» dài quá {max_length} ký tự.",
    "input_pattern": "Trường «{field}» có ký tự không được phép; xin xem lại định dạng.",
    "input_integer": "Trường «{field}» phải là số nguyên.",
    "input_number": "Trường «{field}» phải là một số.",
    "input_boolean": "Trường «{field}» phải là đúng hoặc sai (true/false).",
    "input_choice": "Trường «{field}» phải là một trong các giá trị: {expected}.",
    "input_uuid": "Trường «{field}» phải là một mã UUID "
    "(ví dụ 123e4567-e89b-12d3-a456-426614174000).",
    "input_date": "Trường «{field}» phải là ngày theo dạng yyyy-mm-dd.",
    "input_datetime": "Trường «{field}» phải là ngày giờ theo dạng yyyy-mm-ddThh:mm:ss.",
    "input_greater_than": "Trường «{field}» phải lớn hơn {gt}.",
    "input_at_least": "Trường «{field}» phải từ {ge} trở lên.",
    "input_less_than": "Trường «{field}» phải nhỏ hơn {lt}.",
    "input_at_most": "Trường «{field}» không được lớn hơn {le}.",
    "input_few_items": "Trường «{field}» phải có ít nhất {min_length} phần tử.",
    "input_many_items": "Trường «{field}» có nhiều nhất {max_length} phần tử.",
    "input_list": "Trường «{field}» phải là một danh sách.",
    "input_object": "Trường «{field}» phải là một đối tượng JSON (cặp tên: giá trị).",
    "input_extra": "Trường «{field}» không được chấp nhận; xin bỏ trường này.",
    "input_json": "Nội dung gửi lên không phải JSON hợp lệ (lỗi ở {field}); xin kiểm tra lại.",
    "period_reversed": "Ngày bắt đầu ở sau ngày kết thúc; xin đổi lại thứ tự hai ngày.",
    "seed_not_a_number": "Hạt giống (seed) phải là số nguyên không âm, nhỏ hơn 2^256.",
    "design_twice": "Xin gửi thiết kế mẫu ở đúng một dạng: design (JSON) hoặc design_yaml.",
    "login_needs_both": "Tên đăng nhập và mật khẩu phải có cả hai, hoặc bỏ trống cả hai.",
    # Accounts, tokens, keys, page sessions.
    "unauthorized": "Cần đăng nhập hoặc gửi mã truy cập trong tiêu đề "
    "«Authorization: Bearer <mã>».",
    "token_invalid": "Mã truy cập không đúng, đã bị thu hồi, hoặc tài khoản đã bị khóa; "
    "xin dùng mã khác hoặc hỏi quản trị viên.",
    "forbidden": "Tài khoản của bạn không có quyền thực hiện thao tác này; "
    "xin hỏi quản trị viên nếu cần quyền này.",
    "login_required": "Phiên đăng nhập đã hết hạn hoặc không còn; xin đăng nhập lại.",
    "csrf_failed": "Biểu mẫu đã cũ (thiếu mã bảo vệ hoặc mã không đúng); "
    "xin tải lại trang rồi thử lại.",
    "campaign_not_in_scope": "Khóa API này không được đọc kết quả của đợt khảo sát "
    "{campaign_id}; xin dùng khóa được cấp cho đợt này.",
    "account_not_api_client": "Tài khoản {name} là tài khoản {role}; khóa API chỉ dành cho "
    "tài khoản api_client. Xin chọn tên khác.",
    "api_key_not_found": "Không có khóa API số {key_id}; xin kiểm tra lại số.",
    "too_many_attempts": "Có quá nhiều lần thử không hợp lệ; xin đợi khoảng {minutes} phút "
    "rồi thử lại.",
    # Units.
    "unit_not_found": "Không có đơn vị mã {code}; xin kiểm tra lại mã đơn vị.",
    "unit_exists": "Đã có đơn vị mã {code}; xin dùng mã khác.",
    "parent_unit_not_found": "Chưa có đơn vị cấp trên mã {code}; xin tạo đơn vị đó trước.",
    "parent_unit_missing": "Đơn vị cấp trên {code} chưa có và cũng không có trong tệp này.",
    "parent_cycle": "Đơn vị {code} nằm trong một vòng lặp đơn vị cấp trên "
    "(đơn vị là cấp trên của chính nó).",
    "unit_code_repeated": "Mã đơn vị {code} đã có ở dòng {row}.",
    "unit_exists_different": "Đơn vị {code} đã có với thông tin khác; "
    "xin dùng mã khác hoặc sửa cho khớp.",
    "row_cell_count": "Dòng có {cells} ô, còn dòng tiêu đề có {header} ô.",
    "unit_columns": "Các cột của tệp đơn vị: {expected}.",
    "columns_unknown": "Cột không nhận ra: {columns}.",
    "columns_missing": "Thiếu cột: {columns}.",
    "invalid_rows": "Tệp đơn vị có {count} lỗi; chưa nhập gì. "
    "Xin sửa các dòng được liệt kê rồi gửi lại.",
    # Uploaded files.
    "empty_file": "Tệp không có dòng dữ liệu nào; xin kiểm tra lại tệp "
    "(cần một dòng tiêu đề và các dòng dữ liệu).",
    "bad_encoding": "Tệp không phải văn bản UTF-8 hoặc UTF-16 (có byte không đọc được ở dòng "
    "{line}); xin lưu lại dạng «CSV UTF-8» rồi tải lên lại.",
    "undecodable_bytes": "Có byte không đọc được trong mã UTF-8 hoặc UTF-16; "
    "xin lưu lại tệp dạng «CSV UTF-8».",
    "bad_file": "Tệp {filename} có vẻ là bảng tính Excel (XLSX) nhưng không đọc được; "
    "xin lưu lại từ Excel, hoặc xuất ra dạng CSV UTF-8.",
    # Questionnaires.
    "invalid_questionnaire": "Tệp bảng hỏi có {count} lỗi; chưa lưu gì. "
    "Xin sửa các lỗi được liệt kê rồi gửi lại.",
    "questionnaire_not_found": "Không có bảng hỏi mã {code}; xin kiểm tra lại mã.",
    "questionnaire_version_not_found": "Bảng hỏi {code} không có phiên bản {version}.",
    "questionnaire_version_unknown": "Không có phiên bản {version} của bảng hỏi {code}; "
    "xin tải bảng hỏi lên và công bố trước.",
    "draft_exists": "Bảng hỏi {code} đã có bản nháp (phiên bản {version}); xin sửa bản nháp "
    "đó (PUT /api/v1/questionnaires/{code}/versions/{version}) hoặc công bố nó trước.",
    "published_is_immutable": "Phiên bản {version} của bảng hỏi {code} đã công bố nên không "
    "sửa được nữa; xin tải lên một phiên bản mới.",
    "questionnaire_code_mismatch": "Tệp này là của bảng hỏi {found}, không phải {code}; "
    "xin gửi đúng tệp.",
    "version_is_draft": "Phiên bản {version} của bảng hỏi {code} còn là bản nháp; xin công bố "
    "bảng hỏi trước khi dùng cho đợt khảo sát.",
    # Problems in a questionnaire file: Problem.code of questionnaires/problems.py (its
    # shape errors are pydantic error types, rendered by app/core/validation.py).
    "questionnaire_valid": "Bảng hỏi «{code}» ({edition}) hợp lệ: {items} câu hỏi, {criteria} "
    "tiêu chí trong {subindices} chỉ số thành phần.",
    "questionnaire_not_utf8": "Tệp không phải văn bản UTF-8 (byte thứ {byte} không đọc được); "
    "xin lưu lại tệp dạng UTF-8.",
    "questionnaire_bad_yaml": "Tệp không phải YAML hợp lệ: lỗi ở dòng {line}, cột {column}; "
    "xin kiểm tra thụt lề, dấu hai chấm và dấu ngoặc ở chỗ đó.",
    "questionnaire_bad_yaml_somewhere": "Tệp không phải YAML hợp lệ; xin kiểm tra thụt lề, "
    "dấu hai chấm và dấu ngoặc.",
    "questionnaire_not_a_mapping": "Tệp bảng hỏi phải là một bảng các trường (code, title, "
    "edition, blocks…), không phải tệp trống hay một danh sách.",
    "questionnaire_options_needed": "Câu hỏi kiểu {type} cần có danh sách phương án (options).",
    "questionnaire_options_not_allowed": "Câu hỏi kiểu {type} không có phương án; xin bỏ "
    "trường options.",
    "questionnaire_min_max_number_only": "min và max chỉ dùng cho câu hỏi kiểu number.",
    "questionnaire_min_above_max": "Giá trị min lớn hơn max; xin đổi lại.",
    "questionnaire_criterion_not_likert5": "Chỉ câu hỏi kiểu likert5 mới là tiêu chí của một "
    "chỉ số thành phần (subindex).",
    "questionnaire_allow_na_scale_only": "allow_na chỉ dùng cho câu hỏi kiểu likert5 và "
    "expectation3.",
    "questionnaire_language_code": "«{value}» không phải mã ngôn ngữ (ví dụ vi, en, km).",
    "questionnaire_text_shape": "Nội dung chữ phải là một chuỗi, hoặc một bảng mã ngôn ngữ: "
    "nội dung.",
    "questionnaire_text_not_string": "Nội dung tiếng «{language}» phải là chuỗi ký tự (đặt trong "
    "dấu ngoặc kép: YAML đọc Yes, No, On, Off thành đúng/sai).",
    "questionnaire_text_empty_in": "Nội dung tiếng «{language}» đang để trống.",
    "questionnaire_text_no_default": "Thiếu nội dung bằng ngôn ngữ mặc định «{language}».",
    "questionnaire_text_empty": "Nội dung này không được để trống.",
    "questionnaire_subindex_twice": "Chỉ số thành phần «{code}» được khai báo hai lần.",
    "questionnaire_half_unknown": "Nửa «{half}» chưa được khai báo trong halves.",
    "questionnaire_option_code_twice": "Mã phương án «{code}» bị dùng hai lần.",
    "questionnaire_block_code_twice": "Mã phần «{code}» bị dùng hai lần.",
    "questionnaire_item_code_twice": "Mã câu hỏi «{code}» bị dùng hai lần.",
    "questionnaire_option_set_unknown": "Bộ phương án «{name}» chưa được khai báo trong "
    "option_sets.",
    "questionnaire_subindex_unknown": "Chỉ số thành phần «{subindex}» chưa được khai báo trong "
    "subindices.",
    "questionnaire_criterion_without_subindex": "Tiêu chí «{item}» chưa gắn với chỉ số thành "
    "phần nào (subindex).",
    "questionnaire_criterion_number_twice": "Số thứ tự tiêu chí {number} đã dùng cho «{other}».",
    "questionnaire_condition_on_itself": "Câu «{item}» có điều kiện hiển thị dựa vào chính nó.",
    "questionnaire_condition_on_later": "Điều kiện hiển thị dựa vào câu «{target}», là câu đứng "
    "sau câu «{item}»; điều kiện chỉ được dựa vào câu đứng trước.",
    "questionnaire_condition_on_unknown": "Điều kiện hiển thị dựa vào câu «{target}», là câu "
    "không có trong bảng hỏi.",
    "questionnaire_condition_value": "«{value}» không phải câu trả lời có thể có của câu "
    "«{target}».",
    "questionnaire_subindex_without_criteria": "Chỉ số thành phần «{code}» chưa có tiêu chí nào.",
    "questionnaire_default_language_unlisted": "Ngôn ngữ mặc định «{language}» chưa có trong "
    "danh sách languages.",
    "questionnaire_language_unlisted": "Ngôn ngữ «{language}» chưa có trong danh sách languages.",
    # XLSForm in and out: XLSFormProblem.reason of questionnaires/xlsform/.
    "invalid_xlsform": "Tệp XLSForm có {count} lỗi; chưa lưu gì. Xin sửa các lỗi được liệt kê "
    "(theo trang tính và dòng) rồi gửi lại.",
    "xlsform_not_exportable": "Bảng hỏi này có {count} chỗ không ghi được ra XLSForm; "
    "xin sửa bảng hỏi theo các lỗi được liệt kê.",
    "xlsform_where_cell": "Trang tính «{sheet}», dòng {row}, cột «{column}»",
    "xlsform_where_row": "Trang tính «{sheet}», dòng {row}",
    "xlsform_where_sheet": "Trang tính «{sheet}»",
    "xlsform_unreadable": "Tệp không phải bảng tính Excel (.xlsx) đọc được; xin lưu lại dạng "
    "«Excel Workbook (.xlsx)» rồi gửi lại.",
    "xlsform_too_large": "Bảng tính giải nén ra quá {limit_mb} MB, quá lớn đối với một bảng hỏi; "
    "xin xóa các trang tính và dòng thừa rồi gửi lại.",
    "xlsform_missing_sheet": "Thiếu trang tính «{sheet}»; một XLSForm cần các trang survey, "
    "choices và settings.",
    "xlsform_missing_setting": "Thiếu giá trị «{column}» trên trang settings (form_id là mã "
    "bảng hỏi, form_title là tiêu đề, version là năm hoặc lần ban hành).",
    "xlsform_extra_settings_row": "Trang settings chỉ có một dòng giá trị; xin xóa dòng này.",
    "xlsform_missing_value": "Dòng này thiếu giá trị ở cột «{column}».",
    "xlsform_cell_without_header": "Có giá trị ở cột thứ {number} nhưng cột này không có tên ở "
    "dòng tiêu đề; xin đặt tên cột hoặc xóa giá trị.",
    "xlsform_language_without_code": "Cột «{column}» không ghi mã ngôn ngữ; xin viết theo mẫu "
    "«label::Tiếng Việt (vi)» hoặc «label::English (en)».",
    "xlsform_unsupported_column": "Cột «{column}» không có trong bảng hỏi của hệ thống nên "
    "không chuyển được; xin xóa giá trị ở cột này (hệ thống không bỏ qua dữ liệu mà không báo).",
    "xlsform_unsupported_type": "Kiểu câu hỏi «{type}» không được hỗ trợ (chỉ nhận select_one, "
    "select_multiple, integer, decimal, text, note ở đầu nhóm, begin group và end group; "
    "không nhận nhóm lặp, calculate hay các trường siêu dữ liệu).",
    "xlsform_type_mismatch": "sipas_type «{declared}» không hợp với kiểu «{type}»; thang likert5 "
    "và expectation3 phải là select_one.",
    "xlsform_unknown_list": "Danh sách lựa chọn «{list}» không có trên trang choices.",
    "xlsform_bad_scale": "Danh sách «{list}» của thang {kind} phải gồm đúng các lựa chọn 1 đến "
    "{size} (có thể thêm «na» ở cuối).",
    "xlsform_scale_mismatch": "Danh sách «{list}» ghi nhãn thang {kind} khác với danh sách trước "
    "đó; mọi câu cùng thang phải dùng cùng nhãn.",
    "xlsform_nested_group": "Nhóm «{name}» nằm trong một nhóm khác; bảng hỏi không có nhóm lồng "
    "nhau, xin tách thành các nhóm liền nhau.",
    "xlsform_unmatched_end": "Dòng «end group» này không có «begin group» tương ứng.",
    "xlsform_unclosed_group": "Nhóm «{name}» chưa có dòng «end group».",
    "xlsform_stray_note": "Ghi chú (note) chỉ được đặt ở dòng đầu tiên của một nhóm, làm lời "
    "giới thiệu của phần đó.",
    "xlsform_not_a_number": "Cột «{column}» phải là số nguyên, không phải «{value}».",
    "xlsform_bad_required": "Cột required phải là yes hoặc no, không phải «{value}».",
    "xlsform_unsupported_constraint": "Điều kiện ràng buộc «{constraint}» không được hỗ trợ "
    "(chỉ nhận «. >= số», «. <= số» cho câu số, «string-length(.) <= số» cho câu chữ, "
    "«count-selected(.) <= số» cho câu chọn nhiều).",
    "xlsform_unsupported_relevant": "Điều kiện hiển thị «{expression}» không chuyển được "
    "(chỉ nhận phép so sánh bằng «=» với một giá trị, nối bằng or trên cùng một câu; "
    "hàm selected() cho câu chọn nhiều; and giữa các câu).",
    "xlsform_invalid_name": "Mã «{name}» không dùng được làm tên trong XLSForm (cần bắt đầu "
    "bằng chữ cái hoặc dấu gạch dưới, sau đó chỉ gồm chữ, số, «_», «.», «-»); xin đổi mã.",
    "xlsform_reserved_list": "Bộ lựa chọn «{name}» trùng tên danh sách của thang đo cố định; "
    "xin đổi tên bộ lựa chọn.",
    "xlsform_unquotable_value": "Điều kiện hiển thị của câu {item} có giá trị chứa cả dấu ' và "
    'dấu "; XLSForm không ghi được giá trị như vậy.',
    # Campaigns.
    "campaign_not_found": "Không có đợt khảo sát số {campaign_id}; xin kiểm tra lại số.",
    "unknown_weight_scheme": "Không có bộ trọng số «{scheme}»; các bộ có sẵn: {known}.",
    "transition_not_allowed": "Đợt khảo sát {campaign_id} đang ở trạng thái «{old}», không "
    "chuyển sang «{new}» được; bước tiếp theo được phép: {allowed}.",
    "publish_with_results": "Xin công bố đợt khảo sát {campaign_id} bằng lệnh công bố "
    "(POST /api/v1/campaigns/{campaign_id}/publish), lệnh này chốt kết quả trước.",
    "campaign_published": "Chiến dịch số {campaign_id} đã công bố kết quả nên không thể thay "
    "đổi nữa.",
    "campaign_not_in_fieldwork": "Đợt khảo sát {campaign_id} đang ở trạng thái «{status}»: "
    "việc khảo sát (nhận phiếu, ghi kết quả và lần liên hệ, giao người cần khảo sát, dùng người "
    "dự phòng, tạo hay thu hồi đường link, in thư mời) chỉ làm được khi đợt đang khảo sát.",
    # Case lists.
    "case_list_not_found": "Không có danh sách hồ sơ số {case_list_id}; xin kiểm tra lại số.",
    "case_list_not_stored": "Không lưu được danh sách hồ sơ vì lỗi cơ sở dữ liệu; chưa lưu gì. "
    "Xin thử lại; nếu vẫn lỗi, xin báo quản trị viên.",
    "no_usable_rows": "Không dòng nào của danh sách hồ sơ dùng được: cả {count} dòng đều bị "
    "từ chối; chưa nhập gì. Xin sửa theo lý do của từng dòng rồi gửi lại.",
    "bad_header": "Dòng tiêu đề (dòng {row}) của tệp chưa đúng: {problems} {hint}",
    "case_headers": "Các tiêu đề được nhận ra gồm Mã hồ sơ, Tên thủ tục, Mã TTHC, Lĩnh vực, "
    "Cơ quan / Đơn vị giải quyết, Họ tên, Số điện thoại, Địa chỉ, Ngày tiếp nhận, Ngày trả kết "
    "quả, Hình thức nộp; với tiêu đề khác, xin gửi kèm tệp ánh xạ cột.",
    "header_no_unit": "Không có cột đơn vị giải quyết (Cơ quan / Đơn vị giải quyết).",
    "header_doubled": "Hai cột cùng là {field}: cột {first} và cột {second}.",
    "mapping_not_yaml": "Tệp ánh xạ cột không phải YAML hay JSON hợp lệ; xin kiểm tra lại "
    "(dòng {line}).",
    "mapping_not_a_mapping": "Tệp ánh xạ cột phải gán mỗi tiêu đề cho một trường hồ sơ hoặc null.",
    "mapping_unknown_fields": "Tệp ánh xạ cột có trường không biết: {names}; "
    "các trường là {known}.",
    "case_import_done": "Đã nhập {accepted} trong {rows} dòng; {rejected} dòng bị từ chối.",
    "case_import_repeated": "Tệp này (SHA-256 {sha}…) đã được nhập thành danh sách hồ sơ số "
    "{case_list_id} lúc {when}; không có gì thay đổi.",
    "case_header_row": "Dòng tiêu đề là dòng {row}; các dòng phía trên được bỏ qua.",
    "case_columns_ignored": "Không nhập {count} cột không nhận ra: {columns}.",
    "case_code_missing": "Thiếu mã hồ sơ.",
    "case_code_repeated": "Mã hồ sơ «{value}» đã có ở dòng {row}; mỗi hồ sơ chỉ ghi một lần.",
    "case_name_missing": "Thiếu họ tên người nộp hồ sơ.",
    "case_too_long": "Dài quá {limit} ký tự; xin rút gọn.",
    "case_phone_invalid": "Số điện thoại «{value}» không phải số Việt Nam "
    "(di động 0[35789]xxxxxxxx hoặc cố định 02xxxxxxxxx).",
    "case_date_invalid": "Ngày «{value}» không hợp lệ: xin ghi theo dạng dd/mm/yyyy hoặc "
    "yyyy-mm-dd, và là ngày có thật.",
    "case_channel_unknown": "Hình thức nộp «{value}» không phải trực tiếp, trực tuyến "
    "hay bưu chính.",
    "case_unit_unknown": "«{value}» không phải mã hay tên của đơn vị nào trong đợt khảo sát này.",
    "case_unit_ambiguous": "Tên đơn vị «{value}» trùng với nhiều đơn vị; xin ghi mã đơn vị.",
    "case_unit_missing": "Thiếu đơn vị giải quyết.",
    "case_returned_before_received": "Ngày trả kết quả ở trước ngày tiếp nhận.",
    # Frames, draws, samples.
    "case_lists_not_in_campaign": "Danh sách hồ sơ {case_list_ids} không thuộc đợt khảo sát "
    "{campaign_id}; xin chọn danh sách của đợt này.",
    "no_cases": "Đợt khảo sát {campaign_id} chưa có danh sách hồ sơ; xin nhập danh sách hồ sơ "
    "trước.",
    "empty_frame": "Không hồ sơ nào thỏa các quy tắc lập dàn mẫu nên dàn mẫu sẽ trống "
    "({exclusions}); xin nới điều kiện (khoảng ngày, đơn vị) rồi lập lại.",
    "frame_not_found": "Không có dàn mẫu số {frame_id}; xin kiểm tra lại số.",
    "no_frame": "Đợt khảo sát {campaign_id} chưa có dàn mẫu; xin lập dàn mẫu trước "
    "(sipas frame build --campaign {campaign_id}, hoặc "
    "POST /api/v1/campaigns/{campaign_id}/frames).",
    "bad_design": "Thiết kế mẫu chưa dùng được ({count} lỗi): {problems}. "
    "Xin sửa theo hướng dẫn trong sampling/DESIGN.md.",
    "commitment_not_found": "Không có cam kết hạt giống số {commitment_id} trong đợt khảo sát này.",
    "commitment_used": "Cam kết hạt giống {commitment_id} đã được dùng cho lần rút mẫu "
    "{sample_id}; xin công bố một cam kết mới.",
    "seed_mismatch": "Hạt giống (seed) không khớp với cam kết đã công bố (SHA-256 của các chữ "
    "số); xin kiểm tra lại hạt giống.",
    "frame_changed": "Danh sách hồ sơ đã thay đổi kể từ khi lập dàn mẫu {frame_id} "
    "(mã băm {old}… nay là {new}…); xin lập dàn mẫu mới rồi rút mẫu từ đó.",
    "sample_not_found": "Không có mẫu số {sample_id}; xin kiểm tra lại số.",
    "respondent_not_found": "Không có người được chọn số {respondent_id}; xin kiểm tra lại số.",
    "not_verifiable": "Mẫu {sample_id} không được rút từ một dàn mẫu đã lưu nên không chạy "
    "lại để kiểm tra ở đây được.",
    # Responses.
    "invalid_answers": "Có {count} câu trả lời chưa được chấp nhận; chưa lưu gì. "
    "Xin sửa các câu được đánh dấu rồi gửi lại.",
    "client_id_conflict": "Đã lưu một bản khác có cùng mã gửi (client_id) {client_id}; "
    "xin xử lý xung đột thay vì gửi lại.",
    "respondent_already_answered": "Người này đã trả lời khảo sát (phiếu hoàn chỉnh đầu tiên "
    "được tính); phiếu này không được lưu.",
    "respondent_not_in_campaign": "Người được chọn số {respondent_id} không thuộc mẫu nào của "
    "đợt khảo sát {campaign_id}; xin kiểm tra lại số.",
    "response_not_found": "Đợt khảo sát {campaign_id} không có phiếu nào có mã gửi "
    "(client_id) {client_id}.",
    # Answer checks: AnswerProblem.reason of questionnaires/answers.py.
    "unknown_item": "Câu {item} không có trong bảng hỏi này.",
    "missing_required": "Câu {item} bắt buộc phải trả lời.",
    "hidden_item": "Câu {item} không được trả lời vì điều kiện để hiện câu này không thỏa.",
    "scale_type": "Câu {item}: xin chọn một mức từ 1 đến {top}.",
    "scale_range": "Câu {item}: {value} không nằm trong thang 1–{top}.",
    "option_type": "Câu {item}: xin chọn một phương án.",
    "option_unknown": "Câu {item}: «{value}» không phải phương án của câu này ({options}).",
    "options_type": "Câu {item}: xin chọn các phương án trong danh sách.",
    "options_repeated": "Câu {item}: một phương án được chọn hai lần.",
    "options_too_many": "Câu {item}: chỉ chọn nhiều nhất {max_selected} phương án.",
    "number_type": "Câu {item}: xin nhập một số.",
    "number_whole": "Câu {item}: xin nhập số nguyên.",
    "number_range": "Câu {item}: {value} nằm ngoài khoảng cho phép ({allowed}).",
    "text_type": "Câu {item}: xin nhập câu trả lời bằng chữ.",
    "text_too_long": "Câu {item}: dài quá {max_length} ký tự; xin rút gọn.",
    # Fieldwork.
    "respondents_not_found": "Không có người được chọn số {respondent_ids}; xin kiểm tra lại.",
    "surveyor_not_found": "Không có điều tra viên số {surveyor_id}; xin kiểm tra lại số.",
    "reassign_settled": "Không giao lại được: người được chọn số {respondent_ids} đã hoàn thành "
    "hoặc đã được người dự phòng thay thế. Xin bỏ chọn những người đó rồi giao lại; chưa có gì "
    "thay đổi.",
    "reassign_unused_reserve": "Không giao lại được: người số {respondent_ids} là người dự phòng "
    "chưa được dùng. Người dự phòng chỉ được giao khi thay cho một người; chưa có gì thay đổi.",
    "release_needs_confirmation": "Xin đánh dấu ô xác nhận: thay người bằng người dự phòng "
    "không hoàn tác được.",
    "reassign_needs_choice": "Xin chọn ít nhất một người được chọn và một điều tra viên nhận.",
    "username_taken": "Tên đăng nhập {username} đã có người dùng; xin chọn tên khác.",
    "surveyor_form_invalid": "Tên đăng nhập gồm 3–100 chữ không dấu, số, dấu chấm, gạch; "
    "mật khẩu ít nhất 10 ký tự; họ tên không được để trống.",
    "not_a_surveyor": "Tài khoản này chưa gắn với một điều tra viên; xin hỏi quản trị viên.",
    "no_interviews_here": "Bạn không có người cần khảo sát nào trong đợt khảo sát {campaign_id}.",
    "not_assigned": "Người được chọn số {respondent_id} không được giao cho bạn.",
    "replaced_by_hand": "Kết quả «Đã được thay thế» chỉ có khi giải phóng người dự phòng cho "
    "người này; xin dùng thao tác giải phóng người dự phòng.",
    "outcome_final": "Người được chọn số {respondent_id} đã có kết quả «{outcome}», là kết quả "
    "cuối cùng nên không đổi được. Nếu đã ghi nhầm, xin báo giám sát viên để sửa.",
    "completed_by_hand": "Kết quả «Đã hoàn thành» chỉ có khi người được chọn đã có phiếu trả lời "
    "hoàn chỉnh; không ghi được bằng tay.",
    "outcome_replaced": "Người được chọn số {respondent_id} đã được người dự phòng thay thế; "
    "kết quả này không sửa được.",
    "outcome_unchanged": "Người được chọn số {respondent_id} đang có kết quả «{outcome}»; "
    "không có gì để sửa.",
    "outcome_completed_needs_response": "Người được chọn số {respondent_id} chưa có phiếu trả "
    "lời hoàn chỉnh nên không ghi được «Đã hoàn thành».",
    "outcome_has_response": "Người được chọn số {respondent_id} đã có phiếu trả lời hoàn chỉnh "
    "và phiếu đó được tính; kết quả «Đã hoàn thành» không sửa được.",
    "reason_required": "Cần ghi lý do (ít nhất 3 ký tự).",
    "callback_needs_time": "Hẹn gọi lại, gặp lại cần có thời gian hẹn.",
    "reserve_needs_attempts": "Chưa dùng được người dự phòng: người được chọn số {respondent_id} "
    "mới được liên hệ {attempts} lần, cần ít nhất {required} lần (hoặc một lần liên hệ cho thấy "
    "sai địa chỉ, sai số điện thoại hay người đó đã chuyển đi).",
    "handover_too_large": "Mục chuyển cho giám sát viên quá lớn ({size_kb} KB, tối đa "
    "{limit_kb} KB).",
    "handover_respondent_mismatch": "Nội dung mục chuyển cho giám sát viên thuộc về một người "
    "được chọn khác.",
    "handover_not_found": "Không có mục chuyển cho giám sát viên số {handover_id}; xin kiểm tra "
    "lại số.",
    "handover_resolved": "Mục số {handover_id} đã được xử lý rồi.",
    "handover_not_a_response": "Mục số {handover_id} không phải phiếu phỏng vấn nên không nhận "
    "làm phiếu trả lời được; hãy sửa kết quả tiếp cận nếu cần, rồi loại bỏ mục này.",
    "handover_unreadable": "Mục số {handover_id} không đọc được thành phiếu phỏng vấn; hãy loại "
    "bỏ mục này.",
    "not_in_field": "Người số {respondent_id} là người dự phòng chưa được giải phóng; chỉ thay "
    "được người đang được khảo sát.",
    "not_replaceable": "Người được chọn số {respondent_id} đang «{outcome}»; người dự phòng chỉ "
    "thay người có kết quả {allowed}. Xin ghi kết quả đó trước.",
    "no_reserve_left": "Tầng mẫu {stratum} của mẫu {sample_id} đã hết người dự phòng.",
    "already_replaced": "Người được chọn số {respondent_id} vừa được thay bởi một yêu cầu khác; "
    "xin tải lại trang.",
    # Personal links.
    "link_unavailable": "Đường link hoặc mã này không còn hiệu lực: có thể bị gõ sai, đã hết hạn, "
    "đã được thay bằng đường link khác, hoặc đợt khảo sát đã kết thúc.",
    "no_active_link": "Người được chọn số {respondent_id} không có đường link nào đang hiệu lực.",
    "letter_settings_missing": "Chưa in được thư mời: đợt khảo sát {campaign_id} còn thiếu "
    "{missing}. Xin bổ sung ở bước «Thiết lập» của đợt khảo sát rồi in lại.",
    # Results.
    "results_frozen": "Đợt khảo sát {campaign_id} đã công bố: kết quả đã được chốt nên không "
    "tính lại.",
    "results_not_computed": "Đợt khảo sát {campaign_id} chưa có kết quả; xin tính kết quả "
    "trước (POST /api/v1/campaigns/{campaign_id}/results).",
    "unknown_unit": "Đợt khảo sát {campaign_id} không có kết quả cho đơn vị {unit}.",
    # Respondent-level export (app/response/export.py).
    "export_personal_for_admins": "Chỉ quản trị viên (Sở Nội vụ) được xuất dữ liệu kèm họ tên, "
    "số điện thoại và địa chỉ người trả lời; xin bỏ tùy chọn include_personal để xuất dữ "
    "liệu không có thông tin cá nhân.",
    "export_unknown_unit": "Không có đơn vị mã {unit}; xin kiểm tra lại mã đơn vị trong bộ lọc.",
    "export_bad_dates": "Ngày bắt đầu ({first}) sau ngày kết thúc ({last}) của bộ lọc; xin "
    "đổi lại khoảng ngày.",
    # Staff console
    "campaign_not_given": (
        "Tài khoản của bạn không được giao đợt khảo sát số {campaign_id}; "
        "xin quản trị viên giao đợt này nếu bạn cần theo dõi."
    ),
    "response_id_not_found": "Không có phiếu trả lời số {response_id}.",
    "publish_needs_confirmation": (
        "Hãy đánh dấu ô xác nhận trước khi công bố: kết quả sẽ được khóa lại."
    ),
    "assign_needs_sample": "Chưa rút mẫu nên chưa có ai để giao; hãy rút mẫu ở trang Chọn mẫu.",
    "assign_needs_surveyors": "Hãy chọn ít nhất một điều tra viên để giao.",
    "respondent_not_in_scope": (
        "Người được chọn số {respondent_id} thuộc đơn vị không được giao cho tài khoản của bạn."
    ),
    "response_not_in_scope": (
        "Phiếu trả lời số {response_id} thuộc đơn vị không được giao cho tài khoản của bạn."
    ),
    "reject_needs_comment": "Muốn loại phiếu thì phải ghi rõ lý do trong ô nhận xét.",
    "edit_unknown_item": "Bộ câu hỏi của phiếu này không có câu «{item}».",
    "edit_needs_reason": "Sửa câu trả lời thì phải ghi lý do sửa.",
    "edit_invalid_answers": (
        "Không lưu được: sau khi sửa, phiếu có {count} câu trả lời không hợp lệ (xem chi tiết)."
    ),
    "bad_size_input": "Không tính được cỡ mẫu: {problem}.",
    "bad_design_plan": "Không phân bổ được mẫu theo thiết kế này: {problem}.",
    "campaign_not_draft": (
        "Đợt khảo sát số {campaign_id} đang ở trạng thái «{status}»: tên, năm, phạm vi, "
        "bộ câu hỏi và cách tính điểm chỉ sửa được khi đợt còn là dự thảo."
    ),
    "configuration_for_admins": (
        "Chỉ quản trị viên (Sở Nội vụ) được thay đổi cấu hình, chọn mẫu và công bố; "
        "giám sát viên theo dõi tiến độ và duyệt dữ liệu."
    ),
    "supervisor_not_found": "Không có tài khoản giám sát viên số {user_id}.",
    "lonely_psu": "Tầng «{stratum}» chỉ có một đơn vị mẫu cấp một nên không ước lượng được "
    "sai số; xin chọn cách xử lý tầng một đơn vị (lonely_psu: certainty, average hoặc "
    "adjust) trong thiết lập của đợt khảo sát rồi tính lại kết quả.",
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
    # Accounts and API tokens (app.auth.service).
    "user_not_found": "Không có tài khoản «{username}».",
    "user_disabled": "Tài khoản «{username}» đang bị khóa; xin mở khóa trước "
    "(sipas user enable {username}).",
    "token_not_found": "Không có mã truy cập (API token) số {token_id}.",
    "account_not_found": "Không có tài khoản số {user_id}; xin quay lại danh sách tài khoản.",
    "username_invalid": "Tên đăng nhập gồm 3–100 chữ không dấu, số, dấu chấm, gạch dưới "
    "hoặc gạch ngang; xin nhập lại.",
    "password_too_short": "Mật khẩu cần ít nhất {min_length} ký tự; xin nhập mật khẩu dài hơn "
    "hoặc để trống để hệ thống tạo mật khẩu ngẫu nhiên.",
    "role_not_offered": "Ở đây chỉ tạo tài khoản quản trị viên hoặc giám sát viên; điều tra "
    "viên được tạo ở trang Điều tra viên, khóa API ở trang Khóa API.",
    "role_not_changeable": "Vai trò của tài khoản «{username}» không đổi được: chỉ đổi qua lại "
    "giữa quản trị viên và giám sát viên.",
    "cannot_disable_self": "Bạn không thể tự khóa tài khoản của chính mình; xin nhờ một quản "
    "trị viên khác làm việc này.",
    "cannot_change_own_role": "Bạn không thể tự đổi vai trò của chính mình; xin nhờ một quản "
    "trị viên khác làm việc này.",
    "last_admin": "«{username}» là quản trị viên cuối cùng còn hoạt động nên không thể khóa "
    "hay đổi vai trò; xin tạo hoặc mở khóa một quản trị viên khác trước.",
    "unit_id_not_found": "Không có đơn vị số {unit_id}; xin tải lại trang và chọn lại.",
    "api_key_form_invalid": "Tên khóa gồm chữ thường không dấu, số, dấu chấm, gạch (ví dụ "
    "par-scoring-snv); chọn ít nhất một đợt khảo sát; số ngày hiệu lực từ 1 đến 3650 (để trống: "
    "không hết hạn).",
    "access_for_admins": "Chỉ quản trị viên Sở Nội vụ quản lý tài khoản, phạm vi giám sát và "
    "khóa API; xin liên hệ quản trị viên nếu cần thay đổi.",
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


def message(code: str, /, **params: object) -> str:
    """The sentence for ``code`` with ``params`` filled in.

    Raises ``KeyError`` for a code the catalogue lacks: a refusal without a Vietnamese
    sentence is a defect, caught by the catalogue test.
    """
    return MESSAGES[code].format(**params)


def parameters(code: str) -> set[str]:
    """The parameter names the sentence of ``code`` uses."""
    return {name for _, name, _, _ in Formatter().parse(MESSAGES[code]) if name}
