"""The questionnaires shipped in ``questionnaires/data``: they load and say what the spec says."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from questionnaires import (
    BUNDLED_DIR,
    ItemType,
    Questionnaire,
    ScoringRule,
    bundled_path,
    load_questionnaire_file,
)
from questionnaires.schema import BlockKind

BUNDLED_FILES = sorted(BUNDLED_DIR.glob("*.yaml"))

SUBINDEX_NAMES = {
    "A": "Trách nhiệm giải trình của chính quyền về chính sách",
    "B": "Sự tham gia của người dân vào xây dựng, tổ chức thực hiện chính sách",
    "C": "Chất lượng tổ chức thực hiện chính sách",
    "D": "Kết quả, tác động của chính sách",
    "E": "Tiếp cận dịch vụ",
    "G": "Thủ tục hành chính",
    "H": "Công chức trực tiếp giải quyết công việc",
    "I": "Kết quả dịch vụ",
    "K": "Tiếp nhận, xử lý phản ánh, kiến nghị",
}
COUNTS_2024 = {"A": 2, "B": 2, "C": 9, "D": 10, "E": 3, "G": 4, "H": 3, "I": 3, "K": 3}
COUNTS_2022 = {"A": 2, "B": 2, "C": 8, "D": 2, "E": 4, "G": 4, "H": 5, "I": 3, "K": 3}
SERVICE = ("E", "G", "H", "I", "K")

# Exact 2024 wording from the spec appendix (a sample across all nine sub-indices).
TEXTS_2024 = {
    "S01": (
        "Chính quyền cung cấp, giải thích thông tin chính sách theo nhiều hình thức, "
        "dễ tìm, dễ thấy."
    ),
    "S04": (
        "Chính quyền tổ chức nhiều hình thức để người dân dễ dàng phản hồi ý kiến đánh giá "
        "tình hình triển khai và kết quả, tác động của chính sách ở địa phương."
    ),
    "S05": "Chính quyền tổ chức thực hiện tốt chính sách phát triển kinh tế ở địa phương.",
    "S06": "Chính quyền tổ chức thực hiện tốt chính sách khám, chữa bệnh ở địa phương.",
    "S08": "Chính quyền tổ chức thực hiện tốt chính sách trật tự, an toàn xã hội ở địa phương.",
    "S13": "Chính quyền tổ chức thực hiện tốt chính sách cải cách hành chính ở địa phương.",
    "S15": "Kinh tế - xã hội của địa phương tốt hơn.",
    "S23": ("Cán bộ, công chức, viên chức ở địa phương có năng lực và thực thi công vụ tốt hơn."),
    "S24": "Bộ phận Một cửa có biển hiệu, hướng dẫn rõ ràng, dễ tìm, dễ thấy.",
    "S29": "Công chức yêu cầu người dân đóng phí, lệ phí thủ tục hành chính đúng quy định.",
    "S31": "Công chức ở Bộ phận Một cửa có thái độ giao tiếp lịch sự, tôn trọng người dân.",
    "S32": (
        "Công chức ở Bộ phận Một cửa hướng dẫn hồ sơ dễ hiểu, đầy đủ, giúp người dân có thể "
        "hoàn thiện hồ sơ sau một lần hướng dẫn."
    ),
    "S36": "Kết quả giải quyết thủ tục hành chính đảm bảo tính công bằng.",
    "S39": "Bộ phận Một cửa thông báo kết quả xử lý phản ánh, kiến nghị cho người dân kịp thời.",
}

# Common words as they look when the diacritics are lost (as in the OCR seeds).
STRIPPED_WORDS = re.compile(
    r"\b(chinh sach|chinh quyen|nguoi dan|hanh chinh|cong chuc|thu tuc|dia phuong|"
    r"hai long|ket qua|phan anh|kien nghi|giai quyet|mot cua|ong/ba)\b",
    re.IGNORECASE,
)


def _has_vietnamese_marks(text: str) -> bool:
    decomposed = unicodedata.normalize("NFD", text)
    return "đ" in text.lower() or any(unicodedata.combining(ch) for ch in decomposed)


def _user_facing_texts(q: Questionnaire) -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = [("title", q.title)]
    texts += [(f"half {h.code}", h.name) for h in q.halves]
    texts += [(f"sub-index {s.code}", s.name) for s in q.subindices]
    for block in q.blocks:
        texts.append((f"block {block.code}", block.title))
        if block.intro:
            texts.append((f"block {block.code} intro", block.intro))
        for item in block.items:
            texts.append((item.code, item.text))
            if item.help:
                texts.append((f"{item.code} help", item.help))
            if item.type in (ItemType.SINGLE_CHOICE, ItemType.MULTIPLE_CHOICE):
                texts += [(f"{item.code} option {o.code}", o.label) for o in q.options_of(item)]
    return texts


@pytest.fixture(scope="module")
def national_2024() -> Questionnaire:
    return load_questionnaire_file(bundled_path("national-2024"))


@pytest.fixture(scope="module")
def national_2022() -> Questionnaire:
    return load_questionnaire_file(bundled_path("national-2022"))


@pytest.fixture(scope="module")
def unit_service() -> Questionnaire:
    return load_questionnaire_file(bundled_path("unit-service"))


# ---------------------------------------------------------------- every bundled file


def test_bundled_dir_is_next_to_the_package() -> None:
    package_dir = Path(__file__).resolve().parents[2] / "questionnaires"
    assert BUNDLED_DIR.resolve() == package_dir / "data"
    assert {p.stem for p in BUNDLED_FILES} >= {"national-2024", "national-2022", "unit-service"}


@pytest.mark.parametrize("path", BUNDLED_FILES, ids=lambda p: p.stem)
def test_every_bundled_file_loads(path: Path) -> None:
    q = load_questionnaire_file(path)
    assert q.code == path.stem
    assert q.language == "vi"
    assert q.scoring.rule is ScoringRule.TOP_TWO_BOX
    assert q.criteria(), "a SIPAS form has at least one criterion"


@pytest.mark.parametrize("path", BUNDLED_FILES, ids=lambda p: p.stem)
def test_every_bundled_text_has_full_diacritics(path: Path) -> None:
    q = load_questionnaire_file(path)
    for where, text in _user_facing_texts(q):
        assert text == unicodedata.normalize("NFC", text), f"{where} is not NFC"
        assert not STRIPPED_WORDS.search(text), f"{where} has lost its diacritics: {text!r}"
    for item in q.items():
        assert _has_vietnamese_marks(item.text), f"{item.code}: {item.text!r}"
    for subindex in q.subindices:
        assert subindex.name == SUBINDEX_NAMES[subindex.code]


@pytest.mark.parametrize("path", BUNDLED_FILES, ids=lambda p: p.stem)
def test_codes_are_stable_uppercase_ascii(path: Path) -> None:
    q = load_questionnaire_file(path)
    for item in q.items():
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", item.code), item.code


def test_shared_item_codes_mean_the_same_in_every_file() -> None:
    """A code used by several files must name the same question (same type and Vietnamese
    text; one file may be translated and another not)."""
    seen: dict[str, tuple[str, ItemType, str]] = {}
    for path in BUNDLED_FILES:
        for item in load_questionnaire_file(path).items():
            if item.code in seen:
                first, item_type, text = seen[item.code]
                assert (item.type, str(item.text)) == (item_type, text), (
                    f"{item.code} differs between {first} and {path.stem}"
                )
            else:
                seen[item.code] = (path.stem, item.type, str(item.text))


# ------------------------------------------------------------------------ national-2024


def test_national_2024_header(national_2024: Questionnaire) -> None:
    q = national_2024
    assert q.code == "national-2024"
    assert q.edition == "2024"
    assert [(h.code, h.name) for h in q.halves] == [
        ("policy", "Việc xây dựng, tổ chức thực hiện chính sách"),
        ("service", "Việc cung ứng dịch vụ hành chính công"),
    ]
    assert [b.code for b in q.blocks] == [
        "perception",
        "policy",
        "service",
        "expectations",
        "profile",
    ]
    assert [b.kind for b in q.blocks] == [
        BlockKind.PERCEPTION,
        BlockKind.SATISFACTION,
        BlockKind.SATISFACTION,
        BlockKind.EXPECTATIONS,
        BlockKind.PROFILE,
    ]


def test_national_2024_has_39_criteria(national_2024: Questionnaire) -> None:
    criteria = national_2024.criteria()
    assert len(criteria) == 39
    assert [c.number for c in criteria] == list(range(1, 40))
    assert [c.code for c in criteria] == [f"S{n:02d}" for n in range(1, 40)]
    counts = {code: len(items) for code, items in national_2024.criteria_by_subindex().items()}
    assert counts == COUNTS_2024
    assert list(counts) == list(COUNTS_2024)  # sub-indices in the spec's order
    assert all(c.type is ItemType.LIKERT5 and c.allow_na for c in criteria)


def test_national_2024_halves(national_2024: Questionnaire) -> None:
    by_half: dict[str, list[str]] = {}
    for subindex in national_2024.subindices:
        by_half.setdefault(subindex.half, []).append(subindex.code)
    assert by_half == {"policy": ["A", "B", "C", "D"], "service": ["E", "G", "H", "I", "K"]}
    blocks = {b.code: b for b in national_2024.blocks}
    assert {i.subindex for i in blocks["policy"].items if i.is_criterion} == set("ABCD")
    assert {i.subindex for i in blocks["service"].items if i.is_criterion} == set(SERVICE)


@pytest.mark.parametrize(("code", "text"), TEXTS_2024.items())
def test_national_2024_exact_criterion_texts(
    national_2024: Questionnaire, code: str, text: str
) -> None:
    assert national_2024.item_map()[code].text == text


def test_national_2024_implementation_criteria_follow_the_pattern(
    national_2024: Questionnaire,
) -> None:
    c_items = national_2024.criteria_by_subindex()["C"]
    for item in c_items:
        assert item.text.startswith("Chính quyền tổ chức thực hiện tốt chính sách ")
        assert item.text.endswith(" ở địa phương.")


def test_national_2024_service_gates(national_2024: Questionnaire) -> None:
    items = national_2024.item_map()
    gate = items["GATE_TTHC"]
    assert gate.type is ItemType.SINGLE_CHOICE
    assert [o.code for o in national_2024.options_of(gate)] == ["1", "2"]
    for n in range(24, 37):
        conditions = items[f"S{n}"].conditions
        assert [(c.item, c.values) for c in conditions] == [("GATE_TTHC", ["1"])]
    feedback_gate = items["GATE_PAKN"]
    assert [(c.item, c.values) for c in feedback_gate.conditions] == [("GATE_TTHC", ["1"])]
    for n in range(37, 40):
        conditions = items[f"S{n}"].conditions
        assert [(c.item, c.values) for c in conditions] == [("GATE_PAKN", ["1"])]
    assert not any(
        c.conditions for c in national_2024.criteria() if c.subindex in {"A", "B", "C", "D"}
    )


def test_national_2024_perception_block(national_2024: Questionnaire) -> None:
    q = national_2024
    block = next(b for b in q.blocks if b.code == "perception")
    items = {i.code: i for i in block.items}
    interest = [items[f"P{n:02d}"] for n in range(1, 10)]
    for item in interest:
        labels = [o.label for o in q.options_of(item)]
        assert labels == ["Không quan tâm", "Quan tâm một chút", "Rất quan tâm"]
    channels = items["P10"]
    assert channels.type is ItemType.MULTIPLE_CHOICE
    channel_codes = [o.code for o in q.options_of(channels)]
    assert len(channel_codes) == 7
    # one suitability question per channel, each shown only if that channel was used
    followers = [i for i in block.items if any(c.item == "P10" for c in i.conditions)]
    assert [c.values for i in followers for c in i.conditions] == [[c] for c in channel_codes]
    harassment = [o.label for o in q.options_of(items["P19"])]
    assert harassment[0].startswith("Không có")
    assert harassment[1].startswith("Có một số")
    assert harassment[2].startswith("Có nhiều")
    assert not any(i.is_criterion for i in block.items)


def test_national_2024_expectations_and_profile(national_2024: Questionnaire) -> None:
    q = national_2024
    items = q.item_map()
    expectations = [items[f"X{n:02d}"] for n in range(1, 11)]
    assert all(i.type is ItemType.EXPECTATION3 and i.is_required for i in expectations)
    assert expectations[0].text == (
        "Nâng cao tính công khai, minh bạch trong cung cấp thông tin cho người dân."
    )
    other = items["X_OTHER"]
    assert (other.type, other.text, other.is_required) == (ItemType.TEXT, "Ý kiến khác", False)
    assert [o.label for o in q.options_of(items["R_SEX"])] == ["Nam", "Nữ"]
    assert [o.label for o in q.options_of(items["R_AGE"])] == [
        "18–25",
        "26–34",
        "35–49",
        "50–60",
        "Trên 60",
    ]
    assert [o.label for o in q.options_of(items["R_ETHNIC"])] == ["Kinh", "Dân tộc khác"]
    assert [o.label for o in q.options_of(items["R_AREA"])] == ["Thành thị", "Nông thôn"]
    assert {"R_EDU", "R_JOB"} <= items.keys()


# ------------------------------------------------------------------------- unit-service


def test_unit_service_is_the_service_half_of_national_2024(
    unit_service: Questionnaire, national_2024: Questionnaire
) -> None:
    criteria = unit_service.criteria()
    assert len(criteria) == 16
    assert [c.code for c in criteria] == [f"S{n}" for n in range(24, 40)]
    assert [c.number for c in criteria] == list(range(24, 40))
    assert [s.code for s in unit_service.subindices] == list(SERVICE)
    assert [h.code for h in unit_service.halves] == ["service"]
    counts = {code: len(items) for code, items in unit_service.criteria_by_subindex().items()}
    assert counts == {code: COUNTS_2024[code] for code in SERVICE}
    national = national_2024.item_map()
    for item in criteria:
        assert (str(item.text), item.subindex, item.number, item.allow_na) == (
            str(national[item.code].text),
            national[item.code].subindex,
            national[item.code].number,
            national[item.code].allow_na,
        )


def test_unit_service_gates_only_feedback(unit_service: Questionnaire) -> None:
    items = unit_service.item_map()
    assert "GATE_TTHC" not in items
    assert all(not items[f"S{n}"].conditions for n in range(24, 37))
    assert not items["GATE_PAKN"].conditions
    for n in range(37, 40):
        assert [(c.item, c.values) for c in items[f"S{n}"].conditions] == [("GATE_PAKN", ["1"])]


def test_unit_service_optional_expectations_and_case_profile(unit_service: Questionnaire) -> None:
    items = unit_service.item_map()
    expectations = [items[f"X{n:02d}"] for n in range(1, 11)]
    assert all(i.type is ItemType.EXPECTATION3 and not i.is_required for i in expectations)
    for code, text in [
        ("R_PROCEDURE", "Thủ tục hành chính ông/bà đã thực hiện"),
        ("R_UNIT", "Cơ quan, đơn vị giải quyết"),
    ]:
        assert (items[code].type, items[code].text, items[code].is_required) == (
            ItemType.TEXT,
            text,
            False,
        )
    assert {"R_SEX", "R_AGE", "R_AREA"} <= items.keys()


# ------------------------------------------------------------------------ national-2022


def test_national_2022_has_33_criteria(national_2022: Questionnaire) -> None:
    q = national_2022
    criteria = q.criteria()
    assert len(criteria) == 33
    assert [c.number for c in criteria] == list(range(1, 34))
    counts = {code: len(items) for code, items in q.criteria_by_subindex().items()}
    assert counts == COUNTS_2022
    assert Counter(s.half for s in q.subindices) == {"policy": 4, "service": 5}
    assert "DỰNG LẠI" in (q.description or "")


def test_national_2022_codes_do_not_reuse_2024_criteria(
    national_2022: Questionnaire, national_2024: Questionnaire
) -> None:
    codes_2022 = {c.code for c in national_2022.criteria()}
    assert codes_2022 == {f"T{n:02d}" for n in range(1, 34)}
    assert not codes_2022 & national_2024.item_map().keys()


def test_national_2022_policy_criteria_follow_the_pattern(national_2022: Questionnaire) -> None:
    for item in national_2022.criteria_by_subindex()["C"]:
        assert item.text.startswith("Chính sách về ")
        assert item.text.endswith(" phù hợp.")
