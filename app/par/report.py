"""The annual report draft of the Sở Nội vụ, as blocks that Word and PDF both render.

Its outline follows the Sóc Trăng 2023 report (seed ``001``): the survey (who, how
many, with which partners, the response rate), then per unit group the sentences and
the table «Điểm chuẩn tối đa · Điểm tự đánh giá · Khảo sát CBCCVC · Chỉ số Sipas · Tổng
điểm · Chỉ số CCHC», the averages, the bands over all units and the year-on-year
counts, then SIPAS by sub-index and unit and the lowest-rated criteria of each unit
(what to improve), with charts. Every number is formatted by :mod:`analysis.vn` from
the one :class:`analysis.par.ParTable` and the stored results: the sentences
(:mod:`analysis.par_text`) and the tables read the same objects.

It is a draft an officer edits: the conclusions and recommendations are left to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from analysis import par_text, vn
from analysis.par import GroupSummary, ParTable
from app.auth.service import Reader
from app.campaign.models import Campaign
from app.core.errors import ConflictError, NotFoundError
from app.fieldwork.progress import campaign_progress
from app.par import charts, repository
from app.par import service as par_service
from app.questionnaire.service import parsed
from app.result import service as result_service
from questionnaires import Questionnaire

WITHHELD = "–"
MODES = {"interview": "phỏng vấn", "self": "tự trả lời qua đường link", "paper": "phiếu giấy"}
"""How each collection mode is named in the report's sentence."""
LOWEST_CRITERIA = 3
"""How many of each unit's lowest-rated criteria the report lists."""


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Figure:
    caption: str
    png: bytes


Block = Heading | Paragraph | Table | Figure


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    blocks: list[Block]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


def _pct(value: float | None) -> str:
    return WITHHELD if value is None else vn.percent(value)


def _pts(value: Any) -> str:
    return WITHHELD if value is None else vn.points(value)


def group_table(summary: GroupSummary, year: int, previous_year: int | None) -> Table:
    """A group's table in the report's layout, ranked, with its «TRUNG BÌNH» row."""
    assert summary.group is not None
    header = [
        "STT", "Đơn vị", "Điểm chuẩn tối đa", "Điểm tự đánh giá", "Khảo sát CBCCVC",
        "Chỉ số Sipas", "Tổng điểm đạt được", f"Chỉ số CCHC {year}", "Xếp loại",
    ]  # fmt: skip
    if previous_year is not None:
        header += [f"Chỉ số CCHC {previous_year}", "Tăng/giảm"]
    rows = []
    for row in summary.rows:
        unit = row.unit
        line = [
            "" if row.rank_in_group is None else str(row.rank_in_group), unit.name,
            _pts(unit.standard_max), _pts(unit.self_assessment), _pts(unit.civil_servant_survey),
            _pts(unit.sipas_points), _pts(row.total), _pct(row.percent),
            row.band.label if row.band else "",
        ]  # fmt: skip
        if previous_year is not None:
            line += [_pct(row.previous_percent), _pct(row.change)]
        rows.append(line)
    average = ["", "TRUNG BÌNH", "", "", "", "", "", _pct(summary.mean_percent), ""]
    rows.append(average + (["", ""] if previous_year is not None else []))
    return Table(f"Chỉ số CCHC năm {year}: {summary.group.label}", header, rows)


def _par_section(table: ParTable, campaign: Campaign, before: Campaign | None) -> list[Block]:
    year, previous_year = campaign.year, before.year if before else None
    scheme = par_service.scheme_of(campaign)
    blocks: list[Block] = [
        Heading("II. KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"),
        Paragraph(
            "Chỉ số CCHC của mỗi cơ quan, đơn vị = (Điểm tự đánh giá đã thẩm định + Điểm "
            "khảo sát cán bộ, công chức, viên chức + Điểm Chỉ số Sipas) / Điểm chuẩn tối đa "
            "× 100%. Giá trị trung bình của mỗi nhóm là trung bình cộng tỷ lệ của các đơn vị "
            "trong nhóm."
        ),
    ]
    for summary in table.groups:
        sentences = [
            par_text.group_opening(summary),
            par_text.band_sentence(summary, scheme),
            par_text.spread_sentence(summary),
        ]
        blocks.append(Paragraph(" ".join(s for s in sentences if s)))
        blocks.append(group_table(summary, year, previous_year))
    for sentence in (
        par_text.means_sentence(table, year, previous_year),
        par_text.overall_band_sentence(table, year),
        par_text.year_on_year_sentence(table, year, previous_year) if previous_year else None,
    ):
        if sentence:
            blocks.append(Paragraph(sentence))
    blocks.append(Figure(f"Chỉ số CCHC năm {year} của các cơ quan, đơn vị", charts.par(table)))
    return blocks


def _survey_section(db: Session, campaign: Campaign, results: dict[str, Any]) -> list[Block]:
    units = [code for code, unit in results["units"].items() if unit["respondents"]]
    people = int(results["respondents"])
    blocks: list[Block] = [
        Heading("I. CÔNG TÁC KHẢO SÁT"),
        Paragraph(
            par_text.survey_sentence(
                repository.partners(db, campaign.id), people, len(units), campaign.year
            )
        ),
    ]
    counts = campaign_progress(db, campaign.id).total
    rate = par_text.response_rate_sentence(counts.sampled, counts.complete, counts.rr3)
    modes = repository.complete_by_mode(db, campaign.id)
    by_mode = ", ".join(
        f"{MODES.get(mode, mode)} {vn.number(n)} phiếu" for mode, n in sorted(modes.items()) if n
    )
    for sentence in (rate, f"Phiếu hợp lệ theo hình thức thu thập: {by_mode}." if modes else None):
        if sentence:
            blocks.append(Paragraph(sentence))
    return blocks


def _sipas_section(form: Questionnaire, results: dict[str, Any], year: int) -> list[Block]:
    subindices = results["subindices"]
    blocks: list[Block] = [
        Heading("III. CHỈ SỐ HÀI LÒNG (SIPAS)"),
        Paragraph(
            f"Chỉ số SIPAS năm {year} (trung bình tỷ lệ hài lòng của tất cả tiêu chí) đạt "
            f"{_pct(results['sipas']['rate'])}, trên {vn.number(results['respondents'])} phiếu."
        ),
        Table(
            "Chỉ số SIPAS theo chỉ số thành phần",
            ["Mã", "Chỉ số thành phần", "Tỷ lệ hài lòng", "Số người trả lời"],
            [
                [code, cell["name"], _pct(cell["rate"]), vn.number(cell["n"])]
                for code, cell in subindices.items()
            ]
            + [
                [
                    "",
                    "Chỉ số SIPAS",
                    _pct(results["sipas"]["rate"]),
                    vn.number(results["sipas"]["n"]),
                ]
            ],
        ),
        Table(
            "Chỉ số SIPAS theo đơn vị và chỉ số thành phần",
            ["Đơn vị", "Số phiếu", *subindices, "SIPAS"],
            [
                [
                    unit.get("name") or code,
                    vn.number(unit["respondents"]),
                    *(_pct(unit["subindices"].get(s, {}).get("rate")) for s in subindices),
                    _pct(unit["sipas"]["rate"]),
                ]
                for code, unit in results["units"].items()
            ],
        ),
        Figure("Chỉ số thành phần theo đơn vị", charts.subindices(results)),
        Heading("Những tiêu chí cần cải thiện", level=2),
        Paragraph(
            f"Mỗi đơn vị: {LOWEST_CRITERIA} tiêu chí có tỷ lệ hài lòng thấp nhất (không kể "
            f"nhóm dưới {results['min_cell']} người trả lời, không công bố số liệu)."
        ),
        Table(
            "Tiêu chí có tỷ lệ hài lòng thấp nhất",
            ["Đơn vị", "Tiêu chí", "Tỷ lệ hài lòng"],
            _lowest(form, results),
        ),
    ]
    return blocks


def _lowest(form: Questionnaire, results: dict[str, Any]) -> list[list[str]]:
    texts = {item.code: item for item in form.criteria()}
    rows = []
    for code, unit in results["units"].items():
        rated = [(c["rate"], k) for k, c in unit["criteria"].items() if c["rate"] is not None]
        for rate, item_code in sorted(rated)[:LOWEST_CRITERIA]:
            item = texts[item_code]
            label = f"{item.number}. {item.text.strip()}" if item.number else item.text.strip()
            rows.append([unit.get("name") or code, label, vn.percent(rate)])
    return rows


def build_report(db: Session, campaign_id: int, reader: Reader) -> Report:
    """The report of a campaign with PAR components and computed results."""
    campaign, table, before = par_service.build(db, campaign_id, reader)
    if not table.rows:
        raise ConflictError(error="par_no_components", campaign_id=campaign_id)
    try:
        _, stored = result_service.stored(db, campaign_id, reader)
    except NotFoundError as exc:
        raise ConflictError(error="report_needs_results", campaign_id=campaign_id) from exc
    results = stored.public_content
    form = parsed(campaign.questionnaire_version)
    state = "kết quả đã công bố" if stored.frozen else "kết quả chưa công bố"
    return Report(
        title=(
            "BÁO CÁO Kết quả Chỉ số cải cách hành chính của các cơ quan, đơn vị "
            f"năm {campaign.year}"
        ),
        subtitle=(
            f"Dự thảo do hệ thống SIPAS lập ngày {date.today():%d/%m/%Y} từ đợt khảo sát "
            f"«{campaign.name}» ({state}); cán bộ Sở Nội vụ biên tập trước khi ban hành."
        ),
        blocks=[
            *_survey_section(db, campaign, results),
            *_par_section(table, campaign, before),
            *_sipas_section(form, results, campaign.year),
            Heading("IV. KẾT LUẬN, KIẾN NGHỊ"),
            Paragraph("(Phần này do Sở Nội vụ biên soạn.)"),
        ],
    )
