# ruff: noqa: E501 - one table row a line, as in the report
"""Seed 001 (Sóc Trăng, «Báo cáo kết quả Chỉ số CCHC năm 2023», Sở Nội vụ, 3/2024):
the PAR tables of section II.1, transcribed by hand with the seed's line numbers.

Only what the report prints is here. The departments' table is not in the report (only
its sentence, line 52), so their figures are not either: :data:`DEPARTMENTS_SENTENCE`
keeps what that sentence says. The OCR lost some diacritics: line 72 reads «Thanh Trì»
for UBND huyện Thạnh Trị (line 161 has the name right); names are written correctly
here. Unit codes are those of the demo's units (``app/demo/soc_trang_2023_units.csv``).

Columns: (seed line, unit code, unit name, standard maximum, appraised
self-assessment, civil-servant survey, SIPAS points, published total, published PAR %).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from analysis.par import ParUnit, UnitGroup


@dataclass(frozen=True)
class SeedUnit:
    """A table row: the unit's components as the platform takes them, and the report's
    own total and percentage."""

    line: int
    unit: ParUnit
    published_total: Decimal
    published_percent: Decimal

    @property
    def code(self) -> str:
        return self.unit.code

    @property
    def group(self) -> UnitGroup:
        return self.unit.group


def _rows(group: UnitGroup, rows: list[tuple[str, ...]]) -> list[SeedUnit]:
    found = []
    for line, code, name, *figures in rows:
        maximum, appraised, survey, sipas, total, shown = (Decimal(f) for f in figures)
        unit = ParUnit(code, name, group, maximum, appraised, survey, sipas)
        found.append(SeedUnit(int(line), unit, total, shown))
    return found


DISTRICTS = _rows(
    UnitGroup.LOCAL,
    [  # lines 64-78: «Đối với UBND cấp huyện»
        ("67", "st-my-xuyen", "UBND huyện Mỹ Xuyên", "94.00", "51.34", "13.13", "14.34", "78.81", "83.84"),
        ("68", "st-long-phu", "UBND huyện Long Phú", "95.00", "51.31", "13.46", "14.27", "79.04", "83.20"),
        ("69", "st-nga-nam", "UBND thị xã Ngã Năm", "95.50", "47.80", "13.63", "14.57", "76.01", "79.59"),
        ("70", "st-chau-thanh", "UBND huyện Châu Thành", "95.00", "46.15", "14.86", "13.29", "74.30", "78.21"),
        ("71", "st-ke-sach", "UBND huyện Kế Sách", "94.75", "46.23", "13.83", "13.92", "73.98", "78.08"),
        ("72", "st-thanh-tri", "UBND huyện Thạnh Trị", "95.25", "45.31", "13.78", "14.62", "73.71", "77.38"),
        ("73", "st-cu-lao-dung", "UBND huyện Cù Lao Dung", "96.00", "47.35", "13.55", "13.33", "74.24", "77.33"),
        ("74", "st-my-tu", "UBND huyện Mỹ Tú", "95.25", "46.33", "12.89", "13.87", "73.09", "76.74"),
        ("75", "st-tp-soc-trang", "UBND thành phố Sóc Trăng", "95.25", "45.61", "13.34", "11.95", "70.91", "74.44"),
        ("76", "st-tran-de", "UBND huyện Trần Đề", "94.75", "39.76", "13.56", "13.00", "66.31", "69.99"),
        ("77", "st-vinh-chau", "UBND thị xã Vĩnh Châu", "96.00", "39.86", "12.84", "13.59", "66.29", "69.06"),
    ],
)  # fmt: skip

PUBLIC_SERVICE_UNITS = _rows(
    UnitGroup.PUBLIC_SERVICE_UNIT,
    [  # lines 85-92: «Đối với các đơn vị sự nghiệp công lập tỉnh»
        ("88", "st-bqlda-2", "Ban Quản lý Dự án 2", "92.00", "44.86", "21.67", "14.50", "81.02", "88.07"),
        ("89", "st-cd-nghe", "Trường Cao đẳng Nghề Sóc Trăng", "95.00", "37.39", "19.90", "14.34", "71.63", "75.40"),
        ("90", "st-bqlda-1", "Ban Quản lý Dự án 1", "92.00", "30.86", "19.75", "14.50", "65.11", "70.77"),
        ("91", "st-cd-cong-dong", "Trường Cao đẳng Cộng đồng Sóc Trăng", "95.00", "34.07", "18.18", "14.76", "67.01", "70.54"),
    ],
)  # fmt: skip

CENTRAL_AGENCIES = _rows(
    UnitGroup.CENTRAL_AGENCY,
    [  # lines 100-109: «Đối với các cơ quan Trung ương đặt tại tỉnh»
        ("103", "st-cong-an", "Công an tỉnh", "98.00", "37.25", "35.42", "15.59", "88.26", "90.06"),
        ("104", "st-bhxh", "Bảo hiểm xã hội", "99.00", "38.24", "34.37", "15.81", "88.41", "89.31"),
        ("105", "st-cuc-thue", "Cục Thuế tỉnh", "97.00", "34.97", "34.40", "15.78", "85.15", "87.79"),
        ("106", "st-nhnn", "Ngân hàng Nhà nước Chi nhánh tỉnh Sóc Trăng", "98.00", "27.85", "34.61", "15.83", "78.29", "79.89"),
        ("107", "st-kho-bac", "Kho bạc Nhà nước", "97.00", "22.70", "35.28", "15.61", "73.59", "75.87"),
        ("108", "st-hai-quan", "Chi cục Hải quan", "94.00", "20.36", "34.06", "15.86", "70.27", "74.76"),
    ],
)  # fmt: skip

UNITS = DISTRICTS + PUBLIC_SERVICE_UNITS + CENTRAL_AGENCIES

TABLE_MEANS = {  # the «TRUNG BÌNH» rows
    UnitGroup.LOCAL: Decimal("77.08"),  # line 78
    UnitGroup.PUBLIC_SERVICE_UNIT: Decimal("76.20"),  # line 92
    UnitGroup.CENTRAL_AGENCY: Decimal("82.94"),  # line 109
}
TEXT_MEANS = {  # line 113: the same averages as the text gives them
    UnitGroup.LOCAL: Decimal("77.08"),
    UnitGroup.PUBLIC_SERVICE_UNIT: Decimal("76.20"),
    UnitGroup.CENTRAL_AGENCY: Decimal("82.95"),
    UnitGroup.DEPARTMENT: Decimal("76.37"),
}


@dataclass(frozen=True)
class SpreadSentence:
    """What a group's sentence says: band counts, highest, lowest and their gap."""

    line: int
    band_counts: dict[str, int]
    highest: str
    highest_percent: Decimal
    lowest: str
    lowest_percent: Decimal
    gap: Decimal


SENTENCES = {
    UnitGroup.DEPARTMENT: SpreadSentence(
        52, {"2": 4, "3": 14, "4": 1}, "Sở Tư pháp", Decimal("84.81"),
        "Văn phòng UBND tỉnh", Decimal("58.89"), Decimal("25.92"),
    ),
    # The published gap, 6,76%, contradicts the sentence's own figures (83,84 − 69,06 =
    # 14,78): an erratum of the report, kept here as printed.
    UnitGroup.LOCAL: SpreadSentence(
        62, {"2": 2, "3": 9}, "UBND huyện Mỹ Xuyên", Decimal("83.84"),
        "UBND thị xã Vĩnh Châu", Decimal("69.06"), Decimal("6.76"),
    ),
    # The sentence shortens «Trường Cao đẳng Cộng đồng Sóc Trăng» (line 91).
    UnitGroup.PUBLIC_SERVICE_UNIT: SpreadSentence(
        83, {"2": 1, "3": 3}, "Ban Quản lý Dự án 2", Decimal("88.07"),
        "Trường Cao đẳng Cộng đồng Sóc Trăng", Decimal("70.54"), Decimal("17.53"),
    ),
    UnitGroup.CENTRAL_AGENCY: SpreadSentence(
        97, {"1": 1, "2": 2, "3": 3}, "Công an tỉnh", Decimal("90.06"),
        "Chi cục Hải quan", Decimal("74.76"), Decimal("15.3"),
    ),
}  # fmt: skip
DEPARTMENTS_SENTENCE = SENTENCES[UnitGroup.DEPARTMENT]

ALL_UNITS_BANDS = {"1": 1, "2": 9, "3": 29, "4": 1}
"""Line 117: the 40 units by band (and footnote 3, line 121: none in group 5)."""

LOCAL_BAND_SENTENCE = (
    "Kết quả có 02 đơn vị được xếp nhóm 2 (có kết quả chỉ số CCHC đạt từ 80% đến 90%) và "
    "09 đơn vị xếp nhóm 3 (có kết quả chỉ số CCHC đạt từ 65% đến dưới 80%)."
)
"""Line 62, word for word."""
PUBLIC_SERVICE_BAND_SENTENCE = (
    "Kết quả có 01 đơn vị được xếp nhóm 2 (có kết quả chỉ số CCHC đạt từ 80% đến 90%) và "
    "03 đơn vị xếp nhóm 3 (có kết quả chỉ số CCHC đạt từ 65% đến dưới 80%)."
)
"""Line 83, word for word."""


def par_csv(units: list[SeedUnit], *, sipas: bool = True, group: bool = False) -> bytes:
    """The rows as a Sở Nội vụ would keep them: the report's headers, decimal commas,
    semicolons (Excel's CSV in a Vietnamese locale), computed columns included. Units
    are given by code: the demo names two of them with «tỉnh» added."""
    header = ["STT", "Mã đơn vị", "Điểm chuẩn tối đa", "Điểm tự đánh giá", "Khảo sát CBCC VC"]
    header += ["Chỉ số Sipas"] if sipas else []
    header += ["Tổng điểm đạt được", "Chỉ số CCHC 2023"] + (["Nhóm"] if group else [])
    lines = [";".join(header)]
    for number, seed in enumerate(units, start=1):
        unit = seed.unit
        figures = [unit.standard_max, unit.self_assessment, unit.civil_servant_survey]
        figures += [Decimal(str(unit.sipas_points))] if sipas else []
        cells = [str(number), unit.code, *(f"{f:.2f}".replace(".", ",") for f in figures)]
        cells += [f"{seed.published_total:.2f}".replace(".", ","), f"{seed.published_percent}%"]
        cells += [unit.group.label] if group else []
        lines.append(";".join(cells))
    return ("\n".join(lines) + "\n").encode("utf-8")
