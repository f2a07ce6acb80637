"""The sentences of the PAR report, written from the figures of :mod:`analysis.par`.

Each function takes the same objects the report's tables are built from and formats
every number with :mod:`analysis.vn`, so a figure in the text is the figure in its
table (never typed twice). The wording follows the Sóc Trăng 2023 report of the Sở
Nội vụ (seed ``001``): band counts (lines 52, 62, 83, 97), the highest, the lowest and
the gap (same lines), group averages (line 113), bands over all units (line 117),
units lower than the year before (line 677) and the survey (line 37).
"""

from __future__ import annotations

from collections.abc import Sequence

from analysis import vn
from analysis.par import GroupSummary, ParRow, ParTable, UnitGroup
from analysis.schemes import Band, WeightScheme

GROUP_PHRASES: dict[UnitGroup, str] = {
    UnitGroup.DEPARTMENT: "sở ngành",
    UnitGroup.LOCAL: "UBND cấp huyện, cấp xã",
    UnitGroup.PUBLIC_SERVICE_UNIT: "các đơn vị sự nghiệp công lập tỉnh",
    UnitGroup.CENTRAL_AGENCY: "các cơ quan Trung ương đặt tại tỉnh",
}
"""«Đối với …:» at the head of each group's paragraph."""

INDEX = "chỉ số CCHC"


def join(names: Sequence[str]) -> str:
    """«A», «A và B», «A, B và C»."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} và {names[-1]}"


def band_name(band: Band) -> str:
    """The band as a sentence names it: «Nhóm 2» → «nhóm 2»."""
    return band.label[:1].lower() + band.label[1:]


def band_range(scheme: WeightScheme, band: Band) -> str:
    """The range of a band in words, from the scheme's floors.

    Sóc Trăng (seed 001, lines 52–97, 121): «trên 90%», «từ 80% đến 90%», «từ 65% đến
    dưới 80%», «từ 50% đến dưới 65%», «dưới 50%».
    """
    position = scheme.bands.index(band)
    above = scheme.bands[position - 1] if position > 0 else None
    lower = f"{'từ' if band.inclusive else 'trên'} {vn.bound(band.min)}"
    if above is None:
        return lower + (" trở lên" if band.inclusive else "")
    upper = f"{'dưới ' if above.inclusive else ''}{vn.bound(above.min)}"
    if band.min == 0 and band.inclusive:
        return f"dưới {vn.bound(above.min)}" if above.inclusive else f"đến {upper}"
    return f"{lower} đến {upper}"


def band_sentence(summary: GroupSummary, scheme: WeightScheme) -> str | None:
    """«Kết quả có 02 đơn vị được xếp nhóm 2 (có kết quả chỉ số CCHC đạt từ 80% đến
    90%) và 09 đơn vị xếp nhóm 3 (…).» ``None`` when the scheme has no bands."""
    if not scheme.bands:
        return None
    if not summary.band_counts:
        return "Chưa có đơn vị nào đủ số liệu để xếp nhóm."
    parts = [
        f"{vn.count(n)} đơn vị {'được ' if i == 0 else ''}xếp {band_name(band)} "
        f"(có kết quả {INDEX} đạt {band_range(scheme, band)})"
        for i, (band, n) in enumerate(summary.band_counts)
    ]
    return f"Kết quả có {join(parts)}."


def _names(rows: Sequence[ParRow]) -> str:
    return join([r.unit.name for r in rows])


def spread_sentence(summary: GroupSummary) -> str | None:
    """«Đạt kết quả Chỉ số CCHC cao nhất là … với tỷ lệ 84,81%, thấp nhất là … với tỷ
    lệ 58,89%, khoảng cách chênh lệch giữa đơn vị cao nhất và thấp nhất là 25,92%.»"""
    spread = summary.spread
    if spread is None:
        return None
    if spread.gap == 0:
        return f"Các đơn vị cùng đạt Chỉ số CCHC {vn.percent(spread.highest_percent)}."
    return (
        f"Đạt kết quả Chỉ số CCHC cao nhất là {_names(spread.highest)} với tỷ lệ "
        f"{vn.percent(spread.highest_percent)}, thấp nhất là {_names(spread.lowest)} với tỷ "
        f"lệ {vn.percent(spread.lowest_percent)}, khoảng cách chênh lệch giữa đơn vị cao "
        f"nhất và thấp nhất là {vn.percent(spread.gap)}."
    )


def group_opening(summary: GroupSummary) -> str:
    """«Đối với sở ngành: tỉnh thực hiện đánh giá, xếp loại đối với 19 đơn vị.»"""
    assert summary.group is not None
    scored = len(summary.scored)
    total = len(summary.rows)
    counted = vn.count(total) if scored == total else f"{vn.count(scored)}/{vn.count(total)}"
    return (
        f"Đối với {GROUP_PHRASES[summary.group]}: tỉnh thực hiện đánh giá, xếp loại đối với "
        f"{counted} đơn vị."
    )


def _change(value: float, previous_year: int) -> str:
    shown = vn.percent(abs(value))
    if vn.percent(value) == vn.percent(0):
        return f"bằng năm {previous_year}"
    return f"{'tăng' if value > 0 else 'giảm'} {shown} so với năm {previous_year}"


def means_sentence(table: ParTable, year: int, previous_year: int | None) -> str | None:
    """The mean over all units, its change, and the groups ranked by their means
    (each the mean of the units' percentages, seed 001 line 113)."""
    overall = table.overall.mean_percent
    if overall is None:
        return None
    change = table.overall.mean_change
    text = (
        f"Giá trị trung bình Chỉ số CCHC năm {year} của {vn.count(len(table.overall.scored))} "
        f"đơn vị (trung bình cộng tỷ lệ của các đơn vị) đạt {vn.percent(overall)}"
    )
    if change is not None and previous_year is not None:
        text += f", {_change(change, previous_year)}"
    ranked = sorted(
        (g for g in table.groups if g.mean_percent is not None),
        key=lambda g: -(g.mean_percent or 0),
    )
    if len(ranked) < 2:
        return text + "."
    places = []
    for position, group in enumerate(ranked, start=1):
        assert group.group is not None
        assert group.mean_percent is not None
        where = (
            "cao nhất"
            if position == 1
            else "thấp nhất"
            if position == len(ranked)
            else f"xếp thứ {position}"
        )
        places.append(f"nhóm {group.group.noun} {where} ({vn.percent(group.mean_percent)})")
    return f"{text}. Trong đó, {'; '.join(places)}."


def overall_band_sentence(table: ParTable, year: int) -> str | None:
    """«Kết quả chỉ số CCHC năm 2023 của các cơ quan, đơn vị được xếp vào 04 nhóm:
    trong đó có 01 đơn vị (Công an tỉnh) xếp ở nhóm 1, 09 đơn vị xếp ở nhóm 2, …»"""
    counts = table.overall.band_counts
    if not counts:
        return None
    parts = []
    for band, n in counts:
        named = ""
        if n == 1:
            only = next(r for r in table.rows if r.band == band)
            named = f" ({only.unit.name})"
        parts.append(f"{vn.count(n)} đơn vị{named} xếp ở {band_name(band)}")
    return (
        f"Kết quả {INDEX} năm {year} của các cơ quan, đơn vị được xếp vào "
        f"{vn.count(len(counts))} nhóm: trong đó có {join(parts)}."
    )


def year_on_year_sentence(table: ParTable, year: int, previous_year: int) -> str | None:
    """«22/40 đơn vị có tỷ lệ chỉ số CCHC năm 2023 thấp hơn năm 2022, trong đó có 09/19
    sở ngành, …» over the units scored in both years."""
    overall = table.overall
    if overall.compared == 0:
        return None
    text = (
        f"{vn.count(overall.lower_than_previous)}/{vn.count(overall.compared)} đơn vị có tỷ lệ "
        f"{INDEX} năm {year} thấp hơn năm {previous_year}"
    )
    parts = [
        f"{vn.count(g.lower_than_previous)}/{vn.count(g.compared)} {g.group.noun}"
        for g in table.groups
        if g.group is not None and g.compared
    ]
    return f"{text}, trong đó có {join(parts)}." if len(parts) > 1 else f"{text}."


def survey_sentence(partners: Sequence[str], people: int, units: int, year: int) -> str:
    """«Sở Nội vụ phối hợp với Bưu điện tỉnh, … tổ chức khảo sát, lấy ý kiến đối với
    1.889 người đã tham gia giải quyết thủ tục hành chính (TTHC) tại 40 cơ quan, đơn
    vị …» (seed 001, line 37)."""
    who = f"phối hợp với {join(list(partners))} " if partners else ""
    return (
        f"Sở Nội vụ {who}tổ chức khảo sát sự hài lòng của cá nhân, tổ chức đối với sự phục vụ "
        f"hành chính (Chỉ số SIPAS), lấy ý kiến đối với {vn.number(people)} người đã tham gia "
        f"giải quyết thủ tục hành chính (TTHC) tại {vn.count(units)} cơ quan, đơn vị trên địa "
        f"bàn tỉnh trong năm {year}."
    )


def response_rate_sentence(sampled: int, complete: int, rate: float | None) -> str | None:
    """«Trong … người được chọn khảo sát, … người đã trả lời đầy đủ phiếu khảo sát; tỷ lệ
    phản hồi đạt …» (spec §6: completed over eligible sampled; ``rate`` is AAPOR RR3 of
    :mod:`analysis.disposition`, which is that once no one is pending)."""
    if sampled == 0 or rate is None:
        return None
    return (
        f"Trong {vn.number(sampled)} người được chọn khảo sát, {vn.number(complete)} người đã "
        f"trả lời đầy đủ phiếu khảo sát; tỷ lệ phản hồi (AAPOR RR3) đạt {vn.percent(rate * 100)}."
    )
