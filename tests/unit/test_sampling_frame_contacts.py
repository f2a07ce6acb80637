"""Cleaning case-list fields, building frames, balancing workloads."""

from __future__ import annotations

from datetime import date

import pytest

from sampling import (
    CaseRecord,
    ExclusionReason,
    FrameRules,
    balance_groups,
    build_frame,
    normalize_phone,
    parse_channel,
    parse_date,
    person_key,
)
from sampling.contacts import fold, normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("+84 912.345.678", "0912345678"),
        ("84912345678", "0912345678"),
        ("912345678", "0912345678"),  # Excel dropped the leading zero
        ("(0299) 3822 123", "02993822123"),  # Sóc Trăng landline
        ("01689123456", "0389123456"),  # 2018 conversion: 0168 → 038
        ("0123-456-7890", "0834567890"),  # 0123 → 083
    ],
)
def test_phone_numbers_are_normalised(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "0112345678", "+1 202 555 0100", "09123abc78", ""])
def test_bad_phone_numbers_are_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="phone"):
        normalize_phone(raw)


def test_dates_channels_and_text() -> None:
    assert parse_date("05/03/2024") == date(2024, 3, 5)
    assert parse_date("5/3/2024") == date(2024, 3, 5)
    assert parse_date("2024-03-05") == date(2024, 3, 5)
    assert parse_date("05-03-2024 14:30") == date(2024, 3, 5)
    with pytest.raises(ValueError, match="does not exist"):
        parse_date("30/02/2024")
    with pytest.raises(ValueError, match="dd/mm/yyyy"):
        parse_date("March 5")
    assert parse_channel("Trực tiếp").value == "direct"
    assert parse_channel("TRUC TUYEN").value == "online"
    assert parse_channel("Dịch vụ bưu chính công ích").value == "postal"
    with pytest.raises(ValueError, match="channel"):
        parse_channel("fax")
    decomposed = "Nguye\u0302\u0303n  Va\u0306n   A "
    assert normalize_text(decomposed) == "Nguyễn Văn A"
    assert fold("ĐƯỜNG Số 1") == "duong so 1"


def test_person_key() -> None:
    assert person_key("0912345678", "A", "B") == "tel:0912345678"
    assert person_key(None, "Nguyễn Văn A", "Ấp 1") == person_key(None, "NGUYEN VAN A", "ap 1")
    assert person_key(None, "Nguyễn Văn A", None) is None


def _case(ref: int, unit: str, **fields: object) -> CaseRecord:
    values: dict[str, object] = {
        "returned_on": date(2024, 3, 1),
        "phone": f"09120000{ref:02d}",
        "name": f"Người {ref}",
        "address": "Ấp 1",
    }
    values.update(fields)
    return CaseRecord(ref=ref, order=(1, ref), unit=unit, **values)  # type: ignore[arg-type]


def test_frame_rules_and_exclusions() -> None:
    cases = [
        _case(1, "u1"),
        _case(2, "u1", phone="0912000001"),  # same person as case 1
        _case(3, "u2", phone="0912000001"),  # same person, another stratum: counts again
        _case(4, "u1", returned_on=date(2023, 12, 31)),
        _case(5, "u1", returned_on=None),
        _case(6, "u1", phone=None, address=None),
        _case(7, "u1", phone=None),  # name + address is enough without require_phone
        _case(8, "u3"),
    ]
    rules = FrameRules(
        returned_from=date(2024, 1, 1),
        returned_to=date(2024, 12, 31),
        units=frozenset({"u1", "u2"}),
    )
    frame = build_frame(cases, rules)
    reasons = {e.case_ref: e.reason for e in frame.exclusions}
    assert reasons == {
        2: ExclusionReason.DUPLICATE,
        4: ExclusionReason.OUTSIDE_WINDOW,
        5: ExclusionReason.OUTSIDE_WINDOW,
        6: ExclusionReason.NO_CONTACT,
        8: ExclusionReason.EXCLUDED_UNIT,
    }
    assert next(e for e in frame.exclusions if e.case_ref == 2).duplicate_of == 1
    assert frame.sizes == {"u1": 2, "u2": 1}
    assert frame.members[("u1", "tel:0912000001")].case_count == 2

    phones_only = build_frame(cases, FrameRules(require_phone=True))
    assert {e.case_ref for e in phones_only.exclusions if e.reason == "no_contact"} == {6, 7}

    changed = [*cases[:-1], _case(8, "u3", address="Ấp 2")]
    assert build_frame(changed, rules).digest == frame.digest  # u3 is not in the frame
    moved = [_case(1, "u1", address="Ấp 9"), *cases[1:]]
    assert build_frame(moved, rules).digest != frame.digest


def test_balance_groups() -> None:
    plan = balance_groups({"a": 10, "b": 7, "c": 5, "d": 3, "e": 2}, [1, 2])
    loads = {1: 0, 2: 0}
    for group, worker in plan.items():
        loads[worker] += {"a": 10, "b": 7, "c": 5, "d": 3, "e": 2}[group]
    assert sorted(loads.values()) == [13, 14]
    with pytest.raises(ValueError, match="worker"):
        balance_groups({"x": 1}, [])


def test_a_surveyor_tied_to_a_unit_gets_no_other_unit_while_someone_is_untied() -> None:
    """Issue 8 (2k): a surveyor of Mỹ Xuyên was given Công an tỉnh and Kế Sách."""
    sizes = {"my-xuyen": 2, "tu-phap": 10, "cong-an": 4, "ke-sach": 4}
    plan = balance_groups(sizes, [1, 2], preferred={"my-xuyen": [1]})
    assert plan == {"my-xuyen": 1, "tu-phap": 2, "cong-an": 2, "ke-sach": 2}
    # Every worker tied: the groups of nobody's unit are balanced across all of them.
    both = balance_groups(sizes, [1, 2], preferred={"my-xuyen": [1], "tu-phap": [2]})
    assert both == {"my-xuyen": 1, "tu-phap": 2, "cong-an": 1, "ke-sach": 1}
    # Two surveyors of one unit share it, least loaded first.
    shared = balance_groups(
        {"a": 4, "b": 4, "c": 4}, [1, 2, 3], current={1: 3}, preferred={"a": [1, 2]}
    )
    assert shared == {"a": 2, "b": 3, "c": 3}
