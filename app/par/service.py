"""PAR components per unit and campaign, and the PAR table built from them.

A unit's row holds what the survey does not measure (standard maximum, appraised
self-assessment, civil-servant survey points) and its group. Its SIPAS points come from
the campaign's results under the campaign's weight scheme; a scheme without point
components (``soc-trang-unit``: the province does not publish how it converts rates)
takes them from the file instead. The rules are :mod:`analysis.par`'s.

An import is all or nothing: every problem is reported with its row and column and
nothing is stored until the whole file is right; a unit already in the table is
updated, the others are kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import IO, Any, Literal

from sqlalchemy.orm import Session

from analysis.par import ParRow, ParTable, ParUnit, par_table
from analysis.schemes import WeightScheme
from app.audit.service import record_event
from app.auth.models import User
from app.auth.service import Reader
from app.campaign import service as campaign_service
from app.campaign.models import Campaign
from app.case import reader
from app.case.service import UnitMatcher, blank_row
from app.core.errors import AppError, NotFoundError, UnprocessableError
from app.core.messages import message
from app.par import columns, exports, repository
from app.par.models import ParComponent
from app.par.schemas import (
    ParComponentRead,
    ParComponentWrite,
    ParGroupRead,
    ParImportResult,
    ParRowRead,
    ParTableRead,
)
from app.result import exports as result_exports
from app.result import service as result_service

Source = Literal["results", "file"]


def sipas_source(scheme: WeightScheme) -> Source:
    """Where a campaign's SIPAS points come from: its results, or the PAR file."""
    return "results" if scheme.components else "file"


def scheme_of(campaign: Campaign) -> WeightScheme:
    """The campaign's weight scheme (422 if unknown)."""
    return result_service.scheme_for(campaign.weight_scheme)


def _problem(row: int, column: str | None, value: str | None, reason: str) -> dict[str, Any]:
    where = f"row {row}" + (f", column {column}" if column else "")
    return {"path": where, "row": row, "column_name": column, "value": value, "message": reason}


def import_components(
    db: Session, campaign_id: int, stream: IO[bytes], filename: str, *, actor: User | None
) -> ParImportResult:
    """Import a CSV/XLSX of PAR components (see :mod:`app.par.columns`).

    Raises
    ------
    UnprocessableError
        ``par_header`` (columns), ``par_rows_rejected`` (every bad row in ``fields``),
        ``par_file_empty``; nothing is stored.
    """
    campaign = campaign_service.get(db, campaign_id)
    scheme = scheme_of(campaign)
    from_file = sipas_source(scheme) == "file"
    table = reader.open_table(stream, filename, columns.header_score)
    positions = columns.resolve_header(table.header, sipas_from_file=from_file, scheme=scheme.code)
    all_units = repository.units(db)
    kinds = {u.id: u.kind.value for u in all_units}
    matcher = UnitMatcher(all_units, campaign.scope_unit_id)
    unit_column = table.header[positions["unit"]]
    accepted: dict[int, tuple[int, ParComponentWrite]] = {}
    problems: list[dict[str, Any]] = []
    rows = 0
    for number, cells in _rows(table.rows):
        rows += 1
        parsed, found = columns.parse_row(cells, table.header, positions)
        unit_id, reason = _unit(matcher, parsed.unit, accepted) if parsed.unit else (None, None)
        if reason is not None:
            found.append((unit_column, parsed.unit, reason))
        if unit_id is None or found:
            problems += [_problem(number, c, v, r) for c, v, r in found]
            continue
        group = parsed.group or columns.group_of_kind(kinds[unit_id])
        if group is None:
            problems.append(_problem(number, None, None, message("par_group_needed")))
            continue
        accepted[unit_id] = (number, ParComponentWrite(group=group, **parsed.points))
    if problems:
        raise UnprocessableError(
            error="par_rows_rejected",
            count=len({p["row"] for p in problems}),
            fields=problems,
        )
    if not accepted:
        raise UnprocessableError(error="par_file_empty")
    created = updated = 0
    for unit_id, (_, data) in accepted.items():
        existing = repository.component(db, campaign_id, unit_id)
        created += existing is None
        updated += existing is not None
        _store(db, existing or ParComponent(campaign_id=campaign_id, unit_id=unit_id), data, actor)
    record_event(
        db,
        actor=actor,
        action="par.import",
        entity_type="campaign",
        entity_id=campaign_id,
        payload={"filename": filename, "rows": rows, "created": created, "updated": updated},
    )
    db.commit()
    return ParImportResult(
        rows=rows,
        created=created,
        updated=updated,
        message=f"Đã nhập điểm của {rows} đơn vị: {created} đơn vị mới, {updated} đơn vị cập nhật.",
    )


def _rows(rows: Iterator[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
    return ((n, cells) for n, cells in rows if not blank_row(cells))


def _unit(
    matcher: UnitMatcher, raw: str, accepted: dict[int, tuple[int, ParComponentWrite]]
) -> tuple[int | None, str | None]:
    unit_id, _ = matcher.match(raw)
    if unit_id is None:
        return None, message("par_unit_unknown", unit=raw)
    if unit_id in accepted:
        return None, message("par_unit_twice", row=accepted[unit_id][0])
    return unit_id, None


def _store(db: Session, row: ParComponent, data: ParComponentWrite, actor: User | None) -> None:
    row.unit_group = data.group
    row.standard_max = data.standard_max
    row.self_assessment = data.self_assessment
    row.civil_servant_survey = data.civil_servant_survey
    row.sipas_points = data.sipas_points
    row.updated_by_id = actor.id if actor else None
    repository.save(db, row)


def _read_component(row: ParComponent) -> ParComponentRead:
    return ParComponentRead(
        unit_code=row.unit.code,
        unit_name=row.unit.name,
        group=row.unit_group,
        standard_max=row.standard_max,
        self_assessment=row.self_assessment,
        civil_servant_survey=row.civil_servant_survey,
        sipas_points=row.sipas_points,
    )


def list_components(db: Session, campaign_id: int) -> list[ParComponentRead]:
    campaign_service.get(db, campaign_id)
    return [_read_component(r) for r in repository.components(db, campaign_id)]


def _unit_in_scope(db: Session, campaign: Campaign, code: str) -> int:
    unit_id, _ = UnitMatcher(repository.units(db), campaign.scope_unit_id).match(code)
    if unit_id is None:
        raise NotFoundError(error="par_unit_not_found", campaign_id=campaign.id, unit=code)
    return unit_id


def save_component(
    db: Session, campaign_id: int, unit_code: str, data: ParComponentWrite, *, actor: User | None
) -> ParComponentRead:
    """Set one unit's components (created if the unit had none)."""
    campaign = campaign_service.get(db, campaign_id)
    scheme = scheme_of(campaign)
    if sipas_source(scheme) == "results":
        data = data.model_copy(update={"sipas_points": None})
    elif data.sipas_points is None:
        raise UnprocessableError(error="par_sipas_points_needed", scheme=scheme.code)
    parts = data.self_assessment + data.civil_servant_survey + (data.sipas_points or Decimal(0))
    if parts > data.standard_max:
        problem = message("par_total_above_max", total=parts)
        raise UnprocessableError(
            error="validation_error",
            problems=problem,
            fields=[{"path": "standard_max", "message": problem}],
        )
    unit_id = _unit_in_scope(db, campaign, unit_code)
    row = repository.component(db, campaign_id, unit_id)
    _store(db, row or ParComponent(campaign_id=campaign_id, unit_id=unit_id), data, actor)
    record_event(
        db,
        actor=actor,
        action="par.save",
        entity_type="campaign",
        entity_id=campaign_id,
        payload={"unit": unit_code, **data.model_dump(mode="json")},
    )
    db.commit()
    saved = repository.component(db, campaign_id, unit_id)
    assert saved is not None
    return _read_component(saved)


def delete_component(db: Session, campaign_id: int, unit_code: str, *, actor: User | None) -> None:
    campaign = campaign_service.get(db, campaign_id)
    unit_id = _unit_in_scope(db, campaign, unit_code)
    row = repository.component(db, campaign_id, unit_id)
    if row is None:
        raise NotFoundError(error="par_unit_not_found", campaign_id=campaign_id, unit=unit_code)
    repository.delete(db, row)
    record_event(
        db,
        actor=actor,
        action="par.delete",
        entity_type="campaign",
        entity_id=campaign_id,
        payload={"unit": unit_code},
    )
    db.commit()


def _units(db: Session, campaign: Campaign, reader_: Reader) -> list[ParUnit]:
    scheme = scheme_of(campaign)
    rows = repository.components(db, campaign.id)
    results: dict[str, Any] = {}
    if sipas_source(scheme) == "results" and rows:
        _, stored = result_service.stored(db, campaign.id, reader_)
        results = stored.public_content["units"]

    def points(row: ParComponent) -> float | Decimal | None:
        if sipas_source(scheme) == "file":
            return row.sipas_points
        found = (results.get(row.unit.code) or {}).get("par_points") or {}
        total = found.get("total")
        return None if total is None else float(total)

    return [
        ParUnit(
            code=row.unit.code,
            name=row.unit.name,
            group=row.unit_group,
            standard_max=row.standard_max,
            self_assessment=row.self_assessment,
            civil_servant_survey=row.civil_servant_survey,
            sipas_points=points(row),
        )
        for row in rows
    ]


def _previous(
    db: Session, campaign: Campaign, reader_: Reader, previous_id: int | None
) -> tuple[Campaign, ParTable] | None:
    """The previous campaign's table: the one asked for, or else the latest earlier
    campaign of the same scope with PAR components that the reader may read."""
    if previous_id is not None:
        reader_.check(previous_id)
        before = campaign_service.get(db, previous_id)
        return before, par_table(_units(db, before, reader_), scheme_of(before))
    found = repository.previous_campaign(db, campaign)
    if found is None:
        return None
    try:
        reader_.check(found.id)
        return found, par_table(_units(db, found, reader_), scheme_of(found))
    except AppError:  # not readable with this key, or no results yet: no comparison
        return None


def build(
    db: Session, campaign_id: int, reader_: Reader, *, previous: int | None = None
) -> tuple[Campaign, ParTable, Campaign | None]:
    """The campaign, its PAR table and the campaign it is compared with."""
    reader_.check(campaign_id)
    campaign = campaign_service.get(db, campaign_id)
    before = _previous(db, campaign, reader_, previous)
    table = par_table(
        _units(db, campaign, reader_),
        scheme_of(campaign),
        previous=before[1] if before else None,
    )
    return campaign, table, before[0] if before else None


def _row(row: ParRow, source: Source) -> ParRowRead:
    unit = row.unit
    return ParRowRead(
        unit_code=unit.code,
        unit_name=unit.name,
        group=unit.group,
        standard_max=float(unit.standard_max),
        self_assessment=float(unit.self_assessment),
        civil_servant_survey=float(unit.civil_servant_survey),
        sipas_points=None if unit.sipas_points is None else float(unit.sipas_points),
        sipas_points_source=source,
        total=row.total,
        percent=row.percent,
        rank_in_group=row.rank_in_group,
        rank_overall=row.rank_overall,
        band=row.band.code if row.band else None,
        band_label=row.band.label if row.band else None,
        previous_percent=row.previous_percent,
        change=row.change,
    )


def _group(summary: Any) -> ParGroupRead:
    spread = summary.spread
    return ParGroupRead(
        group=summary.group,
        label=summary.group.label if summary.group else "Tất cả cơ quan, đơn vị",
        units=len(summary.rows),
        scored=len(summary.scored),
        mean_percent=summary.mean_percent,
        pooled_percent=summary.pooled_percent,
        band_counts={band.code: n for band, n in summary.band_counts},
        highest=[r.unit.code for r in spread.highest] if spread else [],
        lowest=[r.unit.code for r in spread.lowest] if spread else [],
        gap=float(spread.gap) if spread else None,
        previous_mean_percent=summary.previous_mean_percent,
        mean_change=summary.mean_change,
        compared=summary.compared,
        lower_than_previous=summary.lower_than_previous,
    )


def read_table(campaign: Campaign, table: ParTable, before: Campaign | None) -> ParTableRead:
    source = sipas_source(scheme_of(campaign))
    return ParTableRead(
        campaign_id=campaign.id,
        campaign_name=campaign.name,
        year=campaign.year,
        weight_scheme=table.scheme,
        weight_scheme_version=table.scheme_version,
        previous_campaign_id=before.id if before else None,
        previous_year=before.year if before else None,
        rows=[_row(r, source) for r in table.rows],
        groups=[_group(g) for g in table.groups],
        overall=_group(table.overall),
    )


def table(
    db: Session, campaign_id: int, reader_: Reader, *, previous: int | None = None
) -> ParTableRead:
    """The PAR table of a campaign for the API (scoped keys as for results)."""
    return read_table(*build(db, campaign_id, reader_, previous=previous))


def export(
    db: Session, campaign_id: int, reader_: Reader, *, file_format: str, previous: int | None
) -> bytes:
    campaign, built, before = build(db, campaign_id, reader_, previous=previous)
    sheet = exports.par_sheet(built, campaign.year, before.year if before else None)
    return result_exports.to_csv(sheet) if file_format == "csv" else result_exports.to_xlsx(sheet)


def takes_sipas_from_file(db: Session, campaign_id: int) -> bool:
    """True when the campaign's units need their SIPAS points typed in."""
    return sipas_source(scheme_of(campaign_service.get(db, campaign_id))) == "file"
