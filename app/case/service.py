"""Importing a case list into a campaign, row by row, all or nothing.

Each row is cleaned (NFC text, national phone form, dates) and either stored
or reported with its row number, column and reason. Rows are streamed from the
file and written in batches, so a file of a million rows never sits in memory.
The whole import is one transaction: if it fails (no usable row, a database
error) nothing of it is stored. The same file (SHA-256) imports once per
campaign; sending it again changes nothing and says so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from typing import IO, Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit.service import record_event
from app.auth.models import User
from app.campaign import service as campaign_service
from app.case import columns, reader, repository
from app.case.models import CaseFrame
from app.case.schemas import CaseImportResult, CaseListRead, IgnoredColumn, Rejection
from app.core.errors import ConflictError, NotFoundError, UnprocessableError
from app.core.messages import message
from app.unit.models import Unit
from sampling.contacts import coerce_date, fold, normalize_phone, normalize_text, parse_channel

logger = logging.getLogger(__name__)

BATCH_ROWS = 10_000
REPORTED_REJECTIONS = 200
MAX_LENGTH = {
    "case_code": 128,
    "procedure_code": 128,
    "procedure_name": 1000,
    "field": 500,
    "applicant_name": 255,
    "address": 1000,
    "commune": 255,
    "hamlet": 255,
}
_AMBIGUOUS = -1


def read(frame: CaseFrame) -> CaseListRead:
    return CaseListRead.model_validate(frame, from_attributes=True)


class UnitMatcher:
    """Finds the unit of a row by code or by name (NFC, without case or diacritics),
    among the units of the campaign's scope."""

    def __init__(self, units: list[Unit], scope_id: int) -> None:
        children: dict[int | None, list[Unit]] = {}
        for unit in units:
            children.setdefault(unit.parent_id, []).append(unit)
        scope = [u for u in units if u.id == scope_id]
        in_scope: list[Unit] = []
        while scope:
            unit = scope.pop()
            in_scope.append(unit)
            scope.extend(children.get(unit.id, []))
        self._by_code = {fold(u.code): u.id for u in in_scope}
        self._by_name: dict[str, int] = {}
        for unit in in_scope:
            name = fold(unit.name)
            self._by_name[name] = _AMBIGUOUS if name in self._by_name else unit.id
        self._cache: dict[str, tuple[int | None, str | None]] = {}

    def match(self, raw: str) -> tuple[int | None, str | None]:
        """The unit id, or ``None`` and the reason there is none."""
        found = self._cache.get(raw)
        if found is not None:
            return found
        key = fold(raw)
        unit_id = self._by_code.get(key)
        if unit_id is None:
            unit_id = self._by_name.get(key)
        result: tuple[int | None, str | None]
        if unit_id is None:
            result = (None, message("case_unit_unknown", value=raw))
        elif unit_id == _AMBIGUOUS:
            result = (None, message("case_unit_ambiguous", value=raw))
        else:
            result = (unit_id, None)
        self._cache[raw] = result
        return result


class UnitsAsWritten:
    """For files sampled without a database: the unit is the text of the cell."""

    def match(self, raw: str) -> tuple[str | None, str | None]:
        return raw, None


REQUIRED_CELLS = {
    "unit": "case_unit_missing",
    "case_code": "case_code_missing",
    "applicant_name": "case_name_missing",
}
"""Cells a row must fill, with the reason when one is empty: the unit always; the case
code and the applicant's name when the file has their column."""

Problem = tuple[str | None, str | None, str]
"""(column, value shown, reason) of one problem in one row."""

UNIQUE_FIELDS = frozenset({"case_code", "applicant_name", "phone", "address"})
"""Fields whose values rarely repeat; the others are cleaned once per distinct value."""
_CACHE_LIMIT = 100_000


def _cell_text(raw: Any) -> str:
    """A cell as text; Excel numbers lose a ``.0`` (codes and phones typed as numbers)."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


class RowParser:
    """Turns one row's cells into a case row or a list of problems.

    Each field has one cleaning function; fields with few distinct values (units,
    procedures, dates, channels) are cleaned once per distinct value.
    """

    def __init__(
        self, header: list[str], positions: Mapping[str, int], units: UnitMatcher | UnitsAsWritten
    ) -> None:
        self._header = header
        self._units = units
        self._plan = [
            (field, index, header[index], self._cleaner(field), field not in UNIQUE_FIELDS)
            for field, index in sorted(positions.items(), key=lambda kv: kv[1])
        ]
        self._caches: dict[str, dict[Any, Any]] = {field: {} for field in positions}
        self._required = [
            (field, header[positions[field]] if field in positions else None, message(reason))
            for field, reason in REQUIRED_CELLS.items()
            if field == "unit" or field in positions
        ]
        self._returned_column = (
            header[positions["returned_on"]] if "returned_on" in positions else None
        )

    def _cleaner(self, field: str) -> Callable[[Any], Any]:
        if field == "unit":
            return self._unit
        if field == "phone":
            return _phone
        if field in ("received_on", "returned_on"):
            return _date
        if field == "channel":
            return _channel
        limit = MAX_LENGTH[field]

        def text(raw: Any) -> str | None:
            value = normalize_text(_cell_text(raw))
            if value is not None and len(value) > limit:
                raise ValueError(message("case_too_long", limit=limit))
            return value

        return text

    def _unit(self, raw: Any) -> Any:
        text = normalize_text(_cell_text(raw))
        if text is None:
            return None
        found, problem = self._units.match(text)
        if problem is not None:
            raise ValueError(problem)
        return found

    def parse(self, number: int, cells: list[Any]) -> tuple[dict[str, Any] | None, list[Problem]]:
        """The row's values by field, or ``None`` and every problem of the row."""
        problems: list[Problem] = []
        try:
            joined = "".join(cells)
        except TypeError:  # XLSX cells: numbers and dates, always valid text
            joined = ""
        check_bytes = not joined.isascii() and reader.undecodable(joined)
        values: dict[str, Any] = {}
        width = len(cells)
        for field, index, column, clean, cached in self._plan:
            if index >= width:
                continue
            raw = cells[index]
            if raw is None or raw == "":
                continue
            if check_bytes and isinstance(raw, str) and reader.undecodable(raw):
                problems.append((column, _shown(raw), message("undecodable_bytes")))
                continue
            try:
                if cached:
                    cache = self._caches[field]
                    result = cache.get(raw, _MISSING)
                    if result is _MISSING:
                        try:
                            result = clean(raw)
                        except ValueError as exc:
                            result = exc
                        if len(cache) < _CACHE_LIMIT:
                            cache[raw] = result
                    if isinstance(result, ValueError):
                        raise result
                else:
                    result = clean(raw)
            except ValueError as exc:
                problems.append((column, _shown(_cell_text(raw)), str(exc)))
                continue
            if result is not None:
                values[field] = result
        for field, where, reason in self._required:
            if field not in values and not any(p[0] == where for p in problems):
                problems.append((where, None, reason))
        received, returned = values.get("received_on"), values.get("returned_on")
        if received and returned and returned < received:
            problems.append(
                (self._returned_column, str(returned), message("case_returned_before_received"))
            )
        return (None, problems) if problems else (values, [])


_MISSING = object()


def _phone(raw: Any) -> str:
    text = _cell_text(raw)
    try:
        return normalize_phone(text)
    except ValueError:
        raise ValueError(message("case_phone_invalid", value=text)) from None


def _date(raw: Any) -> Any:
    try:
        return coerce_date(raw.strip() if isinstance(raw, str) else raw)
    except ValueError:
        raise ValueError(message("case_date_invalid", value=_cell_text(raw))) from None


def _channel(raw: Any) -> str:
    text = _cell_text(raw)
    try:
        return parse_channel(text).value
    except ValueError:
        raise ValueError(message("case_channel_unknown", value=text)) from None


def _shown(value: str) -> str:
    cleaned = value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return cleaned if len(cleaned) <= 200 else cleaned[:197] + "..."


def import_case_list(
    db: Session,
    campaign_id: int,
    stream: IO[bytes],
    filename: str,
    *,
    mapping: str | bytes | None = None,
    actor: User | None,
    progress: reader.Progress | None = None,
) -> CaseImportResult:
    """Import ``stream`` (CSV or XLSX) as a case list of the campaign.

    Raises
    ------
    UnprocessableError
        Unknown or missing columns, a bad mapping, an empty file, or a file in
        which no row is usable (every rejected row is listed).
    """
    campaign = campaign_service.get(db, campaign_id)
    digest = reader.file_sha256(stream)
    existing = repository.find_import(db, campaign_id, digest)
    if existing is not None:
        return _already(db, existing)
    explicit = columns.parse_mapping(mapping)
    table = reader.open_table(stream, filename, columns.header_score(explicit), progress)
    positions, ignored = columns.resolve_header(table.header, explicit, row=table.header_row)
    parser = RowParser(
        table.header, positions, UnitMatcher(repository.all_units(db), campaign.scope_unit_id)
    )
    frame = CaseFrame(
        campaign_id=campaign_id,
        filename=filename[:255],
        file_sha256=digest,
        row_count=0,
        accepted_count=0,
        rejected_count=0,
        column_mapping=columns.describe(table.header, positions),
    )
    try:
        db.add(frame)
        db.flush()
        counts, first = _store_rows(db, frame.id, table.rows, parser)
        frame.row_count, frame.accepted_count, frame.rejected_count = counts
        if "case_code" in positions and _reject_repeated_codes(
            db, frame, table.header[positions["case_code"]]
        ):
            first = _first_rejections(db, frame.id)
        if frame.row_count == 0:
            raise UnprocessableError(error="empty_file")
        if frame.accepted_count == 0:
            raise UnprocessableError(
                error="no_usable_rows",
                count=frame.row_count,
                fields=[_field(r) for r in first],
            )
        record_event(
            db,
            actor=actor,
            action="cases.import",
            entity_type="case_frame",
            entity_id=frame.id,
            payload={
                "campaign_id": campaign_id,
                "filename": filename,
                "sha256": digest,
                "rows": frame.row_count,
                "accepted": frame.accepted_count,
                "rejected": frame.rejected_count,
            },
        )
        db.commit()
    except IntegrityError as exc:
        db.rollback()
        existing = repository.find_import(db, campaign_id, digest)
        if existing is not None:  # the same file, imported meanwhile by someone else
            return _already(db, existing)
        logger.exception("case list %s of campaign %s not stored", filename, campaign_id)
        raise ConflictError(error="case_list_not_stored") from exc
    except BaseException:
        db.rollback()
        raise
    return CaseImportResult(
        case_list=read(frame),
        already_imported=False,
        message=_summary(frame, table.header_row, ignored),
        rejections=first,
        rejections_total=repository.count_rejections(db, frame.id),
        header_row=table.header_row,
        ignored_columns=ignored,
    )


def _summary(frame: CaseFrame, header_row: int, ignored: list[IgnoredColumn]) -> str:
    """What the import did, in one paragraph: counts, where the header was, what was
    left out."""
    sentences = [
        message(
            "case_import_done",
            accepted=frame.accepted_count,
            rows=frame.row_count,
            rejected=frame.rejected_count,
        )
    ]
    if header_row > 1:
        sentences.append(message("case_header_row", row=header_row))
    if ignored:
        names = ", ".join(f"«{c.header}» (cột {c.letter})" for c in ignored)
        sentences.append(message("case_columns_ignored", count=len(ignored), columns=names))
    return " ".join(sentences)


def _reject_repeated_codes(db: Session, frame: CaseFrame, column: str) -> int:
    """Move every stored row whose case code an earlier row of the file already has to
    the rejections (the database finds them, so memory stays flat); how many moved."""
    moved = 0
    writer = repository.rejection_writer(db)
    for batch in repository.repeated_codes(db, frame.id, BATCH_ROWS):
        writer.add_all(
            [
                (
                    frame.id,
                    row,
                    column,
                    code,
                    message("case_code_repeated", value=code, row=first_row),
                )
                for _, row, code, first_row in batch
            ]
        )
        repository.delete_cases(db, [case_id for case_id, _, _, _ in batch])
        moved += len(batch)
    frame.accepted_count -= moved
    frame.rejected_count += moved
    return moved


def _first_rejections(db: Session, frame_id: int) -> list[Rejection]:
    return [_rejection(r) for r in repository.rejections(db, frame_id, limit=REPORTED_REJECTIONS)]


def _store_rows(
    db: Session, frame_id: int, rows: Iterator[tuple[int, list[Any]]], parser: RowParser
) -> tuple[tuple[int, int, int], list[Rejection]]:
    """Clean and store every row; rejections wait in batches so that the case rows can
    stream through one COPY (the server stores while the next rows are cleaned)."""
    rejected: list[tuple[Any, ...]] = []
    first: list[Rejection] = []
    total = accepted = bad = 0
    with repository.CaseWriter(db) as cases:
        for number, cells in rows:
            if blank_row(cells):
                continue
            total += 1
            values, problems = parser.parse(number, cells)
            if values is None:
                bad += 1
                for column, value, reason in problems:
                    rejected.append((frame_id, number, column, value, reason))
                    if len(first) < REPORTED_REJECTIONS:
                        first.append(
                            Rejection(row=number, column=column, value=value, reason=reason)
                        )
                if len(rejected) >= BATCH_ROWS:
                    cases.pause()
                    repository.rejection_writer(db).add_all(rejected)
                    rejected = []
                continue
            accepted += 1
            get = values.get
            cases.add(
                (
                    frame_id,
                    number,
                    values["unit"],
                    get("case_code"),
                    get("procedure_code"),
                    get("procedure_name"),
                    get("field"),
                    get("received_on"),
                    get("returned_on"),
                    get("channel"),
                    get("applicant_name"),
                    get("phone"),
                    get("address"),
                    get("commune"),
                    get("hamlet"),
                )
            )
    repository.rejection_writer(db).add_all(rejected)
    return (total, accepted, bad), first


def blank_row(cells: list[Any]) -> bool:
    try:
        return not "".join(cells).strip()
    except TypeError:
        return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _field(rejection: Rejection) -> dict[str, Any]:
    where = f"dòng {rejection.row}" + (f", cột {rejection.column}" if rejection.column else "")
    return {
        "path": where,
        "row": rejection.row,
        "column_name": rejection.column,
        "value": rejection.value,
        "message": rejection.reason,
    }


def _already(db: Session, frame: CaseFrame) -> CaseImportResult:
    first = _first_rejections(db, frame.id)
    return CaseImportResult(
        case_list=read(frame),
        already_imported=True,
        message=message(
            "case_import_repeated",
            sha=frame.file_sha256[:12],
            case_list_id=frame.id,
            when=f"{frame.created_at:%H:%M %d/%m/%Y}",
        ),
        rejections=first,
        rejections_total=repository.count_rejections(db, frame.id),
    )


def _rejection(row: Any) -> Rejection:
    return Rejection(row=row.row_number, column=row.column, value=row.value, reason=row.reason)


def get_case_list(db: Session, case_list_id: int) -> CaseFrame:
    frame = repository.get_import(db, case_list_id)
    if frame is None:
        raise NotFoundError(error="case_list_not_found", case_list_id=case_list_id)
    return frame


def list_case_lists(db: Session, campaign_id: int) -> list[CaseListRead]:
    campaign_service.get(db, campaign_id)
    return [read(f) for f in repository.list_imports(db, campaign_id)]


def list_rejections(db: Session, case_list_id: int, offset: int, limit: int) -> list[Rejection]:
    get_case_list(db, case_list_id)
    return [
        _rejection(r) for r in repository.rejections(db, case_list_id, offset=offset, limit=limit)
    ]
