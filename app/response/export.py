"""Respondent-level data of a campaign: one row per response, one column per item code,
with the design columns that reproduce the results in SPSS Complex Samples, Stata
``svy`` or R ``survey``.

Columns, in this order (names are stable; labels Vietnamese):

* the response: ``ma_phieu``, ``ma_don_vi``, ``ten_don_vi``, ``phien_ban`` (the
  questionnaire version it was given on), ``hinh_thuc``, ``trang_thai``, ``duyet``
  (review state), ``ngay_nhan`` (received, UTC);
* the design of its sampled respondent (:mod:`app.response.design`, the one module the
  results take it from): ``tang`` (stratum), ``cum`` (PSU), ``xac_suat_chon``
  (inclusion probability), ``trong_so_thiet_ke`` (design weight), ``trong_so`` (the
  non-response-adjusted weight the results use, on the complete response that counts
  and nowhere else), ``ty_le_chon_tang`` (the stratum's sampling fraction, for the
  finite-population correction), ``ket_qua_tiep_can`` (AAPOR disposition); empty for a
  response of no one drawn;
* one column per item code of every questionnaire version of the campaign
  (:func:`questionnaires.codebook.item_columns`), whatever the filters;
* with ``include_personal`` (administrators only): ``ho_ten``, ``dien_thoai``,
  ``dia_chi``.

Rows are read in chunks as plain rows (never ORM objects), answers aggregated by the
database, and written one at a time (:mod:`app.response.export_files`), so CSV and XLSX
take memory flat in the number of rows; SPSS and Stata files are written by pyreadstat
from one data frame of the whole export.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from analysis.disposition import AAPOR_CODES, DISPOSITION_LABELS, Disposition
from app.audit.service import record_event
from app.auth.models import Role, User
from app.auth.service import Reader
from app.campaign.models import Campaign
from app.campaign.scope import campaign_in_scope
from app.campaign.service import get as get_campaign
from app.core.errors import ForbiddenError, NotFoundError, UnprocessableError
from app.questionnaire.models import QuestionnaireVersion
from app.questionnaire.service import parsed
from app.response import repository
from app.response.design import CampaignDesign, campaign_design
from app.response.export_files import ExportFormat, write
from app.response.models import (
    MODE_LABELS,
    REVIEW_LABELS,
    STATUS_LABELS,
    ResponseMode,
    ResponseStatus,
    ReviewState,
)
from app.unit import repository as unit_repository
from questionnaires.codebook import Column, Kind, cell, item_columns

KEPT_STATES = frozenset({ReviewState.RECEIVED, ReviewState.APPROVED, ReviewState.HAS_ISSUES})
"""Review states exported unless the filter names others: rejected responses are left
out, as they are of the results."""


@dataclass(frozen=True)
class ExportFilters:
    """Which responses to export. ``unit``: a unit code, or ``unit_id`` (the response's
    unit, or its respondent's); dates are the days the responses were received (UTC)."""

    unit: str | None = None
    unit_id: int | None = None
    review_states: frozenset[ReviewState] = KEPT_STATES
    status: ResponseStatus | None = None
    mode: ResponseMode | None = None
    date_from: date | None = None
    date_to: date | None = None
    include_personal: bool = False


def _coded(labels: dict[Any, str]) -> tuple[dict[Any, int], dict[int, str]]:
    """Integer codes 1, 2, … for an enum's members, and their labels."""
    codes = {member: number for number, member in enumerate(labels, start=1)}
    return codes, {codes[member]: label for member, label in labels.items()}


MODE_CODES, _MODE_LABELS = _coded(MODE_LABELS)
STATUS_CODES, _STATUS_LABELS = _coded(STATUS_LABELS)
REVIEW_CODES, _REVIEW_LABELS = _coded(REVIEW_LABELS)
DISPOSITION_CODES, _DISPOSITION_LABELS = _coded(
    {d: f"{DISPOSITION_LABELS[d]} (AAPOR {AAPOR_CODES[d]})" for d in Disposition}
)

RESPONSE_COLUMNS = (
    Column("ma_phieu", "Mã phiếu trả lời", Kind.INTEGER),
    Column("ma_don_vi", "Mã đơn vị", Kind.TEXT),
    Column("ten_don_vi", "Tên đơn vị", Kind.TEXT),
    Column("phien_ban", "Phiên bản bộ câu hỏi", Kind.INTEGER),
    Column("hinh_thuc", "Hình thức thu thập", Kind.INTEGER, _MODE_LABELS),
    Column("trang_thai", "Tình trạng phiếu", Kind.INTEGER, _STATUS_LABELS),
    Column("duyet", "Trạng thái duyệt", Kind.INTEGER, _REVIEW_LABELS),
    Column("ngay_nhan", "Thời điểm nhận phiếu (UTC)", Kind.MOMENT),
)
DESIGN_COLUMNS = (
    Column("tang", "Tầng mẫu", Kind.TEXT),
    Column("cum", "Cụm, đơn vị mẫu cấp một (PSU)", Kind.TEXT),
    Column("xac_suat_chon", "Xác suất chọn", Kind.NUMBER),
    Column("trong_so_thiet_ke", "Trọng số thiết kế (1 / xác suất chọn)", Kind.NUMBER),
    Column("trong_so", "Trọng số đã hiệu chỉnh không trả lời, dùng tính kết quả", Kind.NUMBER),
    Column("ty_le_chon_tang", "Tỷ lệ chọn mẫu của tầng (hiệu chỉnh tổng thể hữu hạn)", Kind.NUMBER),
    Column("ket_qua_tiep_can", "Kết quả tiếp cận (mã AAPOR)", Kind.INTEGER, _DISPOSITION_LABELS),
)
PERSONAL_COLUMNS = (
    Column("ho_ten", "Họ tên người trả lời", Kind.TEXT),
    Column("dien_thoai", "Số điện thoại", Kind.TEXT),
    Column("dia_chi", "Địa chỉ", Kind.TEXT),
)


@dataclass(frozen=True)
class Exported:
    """What an export wrote: how many responses, and the file's suggested name."""

    rows: int
    filename: str


def _allowed_units(
    db: Session, campaign_id: int, reader: Reader | None, filters: ExportFilters
) -> frozenset[int] | None:
    """The units whose responses the reader may export (``None``: all), once the
    campaign is known and in the reader's reach: an administrator (or the command line,
    ``reader=None``) everything, with personal data if asked; a supervisor the campaigns
    and units given to them, never personal data; an API key its campaigns, never
    personal data."""
    if reader is None:
        get_campaign(db, campaign_id)
        return None
    reader.check(campaign_id)
    if filters.include_personal and reader.role is not Role.ADMIN:
        raise ForbiddenError(error="export_personal_for_admins")
    if reader.role is Role.API_CLIENT:
        get_campaign(db, campaign_id)
        return None
    return campaign_in_scope(db, campaign_id, db.get(User, reader.user_id)).unit_ids


def _versions(db: Session, campaign: Campaign) -> list[QuestionnaireVersion]:
    """The campaign's questionnaire version first, then those of its responses."""
    ids = [campaign.questionnaire_version_id]
    ids += [i for i in repository.campaign_version_ids(db, campaign.id) if i not in ids]
    return [db.get_one(QuestionnaireVersion, version_id) for version_id in ids]


def _criteria(db: Session, filters: ExportFilters, units: frozenset[int] | None) -> dict[str, Any]:
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise UnprocessableError(
            error="export_bad_dates", first=filters.date_from, last=filters.date_to
        )
    unit_id = filters.unit_id
    if filters.unit is not None:
        unit = unit_repository.get_by_code(db, filters.unit)
        if unit is None:
            raise NotFoundError(error="export_unknown_unit", unit=filters.unit)
        unit_id = unit.id
    return {
        "unit_id": unit_id,
        "units": units,
        "review_states": filters.review_states,
        "status": filters.status,
        "mode": filters.mode,
        "date_from": filters.date_from,
        "date_to": filters.date_to,
    }


def _design_cells(row: Any, design: CampaignDesign) -> list[Any]:
    """The design columns of a response's row (empty for a response of no one drawn).
    The adjusted weight is the complete response's that the results count, only."""
    if row.stratum is None:
        return [None] * len(DESIGN_COLUMNS)
    person = design.person(row)
    counted = row.status is ResponseStatus.COMPLETE and row.review_state is not (
        ReviewState.REJECTED
    )
    stratum = design.strata.get(person.stratum)
    return [
        person.stratum,
        person.psu,
        person.inclusion_probability,
        person.design_weight,
        person.weight if counted else None,
        stratum.sampling_fraction if stratum is not None else None,
        DISPOSITION_CODES[person.disposition],
    ]


def _rows(
    db: Session,
    campaign_id: int,
    criteria: dict[str, Any],
    items: list[Column],
    personal: bool,
) -> Iterator[list[Any]]:
    design = campaign_design(db, campaign_id)
    versions = {v.id: v.version for v in _versions(db, get_campaign(db, campaign_id))}
    units = unit_repository.units_by_id(db, repository.campaign_unit_ids(db, campaign_id))
    for row in repository.export_rows(db, campaign_id, criteria, personal=personal):
        unit = units.get(row.unit_id) if row.unit_id is not None else None
        answers = json.loads(row.answers)
        cells = [
            row.id,
            unit.code if unit else None,
            unit.name if unit else None,
            versions.get(row.questionnaire_version_id),
            MODE_CODES[ResponseMode(row.mode)],
            STATUS_CODES[ResponseStatus(row.status)],
            REVIEW_CODES[ReviewState(row.review_state)],
            row.created_at,
            *_design_cells(row, design),
            *(cell(column, answers.get(column.code)) for column in items),
        ]
        if personal:
            cells += [row.full_name, row.phone, row.address]
        yield cells


def export_responses(
    db: Session,
    campaign_id: int,
    filters: ExportFilters,
    file_format: ExportFormat,
    path: Path,
    *,
    reader: Reader | None,
) -> Exported:
    """Write the campaign's responses matching ``filters`` to ``path`` as ``file_format``.

    ``reader``: the API caller (``None`` for the command line). Personal data needs an
    administrator who asks for it (403 otherwise); exporting it is audited."""
    units = _allowed_units(db, campaign_id, reader, filters)
    criteria = _criteria(db, filters, units)
    campaign = get_campaign(db, campaign_id)
    forms = [parsed(version).localized("vi") for version in _versions(db, campaign)]
    items = item_columns(forms)
    columns = [*RESPONSE_COLUMNS, *DESIGN_COLUMNS, *items]
    if filters.include_personal:
        columns += PERSONAL_COLUMNS
    title = f"{campaign.name} ({campaign.year})"
    rows = write(
        file_format,
        columns,
        _rows(db, campaign_id, criteria, items, filters.include_personal),
        path,
        title=title,
    )
    if filters.include_personal:
        actor = db.get(User, reader.user_id) if reader is not None else None
        record_event(
            db,
            actor=actor,
            action="responses.export_personal",
            entity_type="campaign",
            entity_id=campaign_id,
            payload={"rows": rows, "format": file_format.value},
        )
        db.commit()
    return Exported(rows, f"sipas-{campaign_id}-responses.{file_format.value}")
