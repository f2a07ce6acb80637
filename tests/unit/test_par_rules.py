"""Rules of the PAR table beyond what seed 001 shows: Vietnamese number style, band
ranges of every bundled scheme, ties, unscored units and year on year."""

from __future__ import annotations

from decimal import Decimal

import pytest

from analysis import bundled_scheme, vn
from analysis.par import ParUnit, UnitGroup, competition_ranks, par_table
from analysis.par_text import (
    band_range,
    means_sentence,
    response_rate_sentence,
    spread_sentence,
    survey_sentence,
    year_on_year_sentence,
)


def test_vietnamese_number_style() -> None:
    assert vn.number(1889) == "1.889"
    assert vn.number(605297062) == "605.297.062"
    assert vn.percent(84.805) == "84,81%"
    assert vn.percent(Decimal("15.3")) == "15,30%"
    assert vn.percent(-1.905) == "-1,91%"
    assert vn.points(51.34) == "51,34"
    assert vn.points(Decimal("94")) == "94,00"
    assert vn.bound(Decimal("80")) == "80%"
    assert vn.bound(Decimal("87.50")) == "87,5%"
    assert vn.count(4) == "04"
    assert vn.count(29) == "29"


@pytest.mark.parametrize(
    ("text", "value"),
    [("51,34", "51.34"), ("51.34", "51.34"), (" 94 ", "94"), ("1.889,5", "1889.5"),
     ("1,889.5", "1889.5"), ("1.889", "1.889"), ("0,5", "0.5")],
)  # fmt: skip
def test_numbers_typed_either_way(text: str, value: str) -> None:
    assert vn.parse_decimal(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", "1,889", "12,5,3", "5%"])
def test_what_is_not_a_number(text: str) -> None:
    with pytest.raises(ValueError, match="không phải là một số"):
        vn.parse_decimal(text)


def test_band_ranges_in_words() -> None:
    soc_trang = bundled_scheme("soc-trang-unit")
    assert [band_range(soc_trang, b) for b in soc_trang.bands] == [
        "trên 90%",
        "từ 80% đến 90%",
        "từ 65% đến dưới 80%",
        "từ 50% đến dưới 65%",
        "dưới 50%",
    ]
    an_giang = bundled_scheme("an-giang-unit")
    assert [band_range(an_giang, b) for b in an_giang.bands] == [
        "từ 90% trở lên",
        "từ 80% đến dưới 90%",
        "dưới 80%",
    ]


def test_ties_share_a_rank() -> None:
    values = [Decimal("91.30"), None, Decimal("91.30"), Decimal("73.91")]
    assert competition_ranks(values) == [1, None, 1, 3]


def unit(code: str, group: UnitGroup, sipas: float | None, self_points: str = "50") -> ParUnit:
    return ParUnit(
        code=code,
        name=f"Đơn vị {code}",
        group=group,
        standard_max=Decimal(100),
        self_assessment=Decimal(self_points),
        civil_servant_survey=Decimal(20),
        sipas_points=sipas,
    )


def test_unscored_units_stay_in_the_table_without_figures() -> None:
    table = par_table(
        [unit("a", UnitGroup.DEPARTMENT, 10.0), unit("b", UnitGroup.DEPARTMENT, None)],
        bundled_scheme("soc-trang-unit"),
    )
    a, b = table.rows
    assert (a.percent, a.rank_in_group, a.band and a.band.code) == (80.0, 1, "2")
    assert (b.total, b.percent, b.rank_in_group, b.band) == (None, None, None, None)
    summary = table.overall
    assert summary.mean_percent == 80.0
    assert spread_sentence(summary) == "Các đơn vị cùng đạt Chỉ số CCHC 80,00%."


def test_ties_are_named_together() -> None:
    table = par_table(
        [unit(c, UnitGroup.PUBLIC_SERVICE_UNIT, s) for c, s in [("a", 10), ("b", 10), ("c", 5)]],
        bundled_scheme("soc-trang-unit"),
    )
    sentence = spread_sentence(table.overall)
    assert sentence is not None
    assert sentence.startswith("Đạt kết quả Chỉ số CCHC cao nhất là Đơn vị a và Đơn vị b với")
    assert [r.rank_in_group for r in table.rows] == [1, 1, 3]


def test_year_on_year() -> None:
    scheme = bundled_scheme("soc-trang-unit")
    before = par_table(
        [
            unit("a", UnitGroup.DEPARTMENT, 10.0),
            unit("b", UnitGroup.DEPARTMENT, 10.0),
            unit("c", UnitGroup.LOCAL, 10.0),
            unit("gone", UnitGroup.LOCAL, 10.0),
        ],
        scheme,
    )
    now = par_table(
        [
            unit("a", UnitGroup.DEPARTMENT, 8.0),  # 80 → 78
            unit("b", UnitGroup.DEPARTMENT, 10.001),  # + 0.001: shown as no change
            unit("c", UnitGroup.LOCAL, 5.0),  # 80 → 75
            unit("new", UnitGroup.LOCAL, 10.0),
        ],
        scheme,
        previous=before,
    )
    rows = {r.unit.code: r for r in now.rows}
    assert rows["a"].change == pytest.approx(-2.0)
    assert rows["a"].lower_than_previous
    assert not rows["b"].lower_than_previous
    assert rows["new"].previous_percent is None
    assert rows["new"].change is None
    assert (now.overall.lower_than_previous, now.overall.compared) == (2, 3)
    assert now.overall.mean_change == pytest.approx((78 + 80.001 + 75 + 80) / 4 - 80)
    assert year_on_year_sentence(now, 2024, 2023) == (
        "02/03 đơn vị có tỷ lệ chỉ số CCHC năm 2024 thấp hơn năm 2023, trong đó có 01/02 sở "
        "ngành và 01/01 đơn vị cấp huyện, cấp xã."
    )
    means = means_sentence(now, 2024, 2023)
    assert means is not None
    assert means.startswith(
        "Giá trị trung bình Chỉ số CCHC năm 2024 của 04 đơn vị (trung bình cộng tỷ lệ của các "
        "đơn vị) đạt 78,25%, giảm 1,75% so với năm 2023. Trong đó, nhóm sở ngành cao nhất "
        "(79,00%); nhóm đơn vị cấp huyện, cấp xã thấp nhất (77,50%)."
    )


def test_survey_sentences() -> None:
    assert survey_sentence(["Bưu điện tỉnh", "Hội Cựu chiến binh tỉnh"], 1889, 40, 2023) == (
        "Sở Nội vụ phối hợp với Bưu điện tỉnh và Hội Cựu chiến binh tỉnh tổ chức khảo sát sự "
        "hài lòng của cá nhân, tổ chức đối với sự phục vụ hành chính (Chỉ số SIPAS), lấy ý kiến "
        "đối với 1.889 người đã tham gia giải quyết thủ tục hành chính (TTHC) tại 40 cơ quan, "
        "đơn vị trên địa bàn tỉnh trong năm 2023."
    )
    assert response_rate_sentence(700, 671, 671 / 700) == (
        "Trong 700 người được chọn khảo sát, 671 người đã trả lời đầy đủ phiếu khảo sát; tỷ lệ "
        "phản hồi (AAPOR RR3) đạt 95,86%."
    )
    assert response_rate_sentence(0, 0, None) is None
