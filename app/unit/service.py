"""Business rules for units: parents must exist, codes are unique, imports are all-or-nothing."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.audit.service import record_event
from app.auth.models import User
from app.core.errors import ConflictError, NotFoundError, UnprocessableError, invalid, problem
from app.core.messages import message
from app.core.textfile import decode_upload
from app.core.validation import field_message
from app.unit import repository
from app.unit.models import Unit, UnitKind
from app.unit.schemas import UnitChoice, UnitCreate, UnitImportResult, UnitNode, UnitRead

IMPORT_COLUMNS = ("code", "name", "kind", "parent_code", "valid_from", "valid_to")
REQUIRED_COLUMNS = ("code", "name", "kind")


def to_read(unit: Unit, codes: dict[int, str]) -> UnitRead:
    return UnitRead(
        id=unit.id,
        code=unit.code,
        name=unit.name,
        kind=unit.kind,
        parent_code=codes.get(unit.parent_id) if unit.parent_id else None,
        valid_from=unit.valid_from,
        valid_to=unit.valid_to,
    )


def by_code(db: Session, code: str, *, path: str) -> Unit:
    """The unit with this code, or 422 naming the field ``path`` that gave it."""
    unit = repository.get_by_code(db, code)
    if unit is None:
        raise invalid([problem(path, "unit_not_found", code=code)])
    return unit


def get(db: Session, code: str) -> UnitRead:
    unit = repository.get_by_code(db, code)
    if unit is None:
        raise NotFoundError(error="unit_not_found", code=code)
    return to_read(unit, repository.codes_by_id(db))


def create(db: Session, data: UnitCreate, *, actor: User | None) -> UnitRead:
    if repository.get_by_code(db, data.code) is not None:
        raise ConflictError(error="unit_exists", code=data.code)
    parent = None
    if data.parent_code is not None:
        parent = repository.get_by_code(db, data.parent_code)
        if parent is None:
            raise invalid([problem("parent_code", "parent_unit_not_found", code=data.parent_code)])
    unit = _new_unit(data, parent)
    db.add(unit)
    db.flush()
    record_event(
        db,
        actor=actor,
        action="unit.create",
        entity_type="unit",
        entity_id=unit.id,
        payload=data.model_dump(mode="json"),
    )
    db.commit()
    return to_read(unit, repository.codes_by_id(db))


def _new_unit(data: UnitCreate, parent: Unit | None) -> Unit:
    return Unit(
        code=data.code,
        name=data.name,
        kind=data.kind,
        parent_id=parent.id if parent else None,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
    )


def tree(
    db: Session, *, valid_on: date | None = None, only: frozenset[int] | None = None
) -> list[UnitNode]:
    """All units (or those of ``only``) as a forest of roots, children sorted by code."""
    units = [
        u for u in repository.list_units(db, valid_on=valid_on) if only is None or u.id in only
    ]
    codes = repository.codes_by_id(db)
    nodes = {u.id: UnitNode(**to_read(u, codes).model_dump()) for u in units}
    roots: list[UnitNode] = []
    for unit in units:
        parent = nodes.get(unit.parent_id) if unit.parent_id else None
        (parent.children if parent else roots).append(nodes[unit.id])
    return roots


def choices(db: Session, *, roots: list[str], valid_on: date) -> list[UnitChoice]:
    """The units under ``roots`` (codes; roots included) that exist on ``valid_on``,
    each tree in order with children by name, to be chosen by name. Below the top
    two levels a name carries its parent's, as «Phường 1» recurs in many districts."""
    units = repository.list_units(db, valid_on=valid_on)
    by_id = {u.id: u for u in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in sorted(units, key=lambda u: u.name):
        children.setdefault(unit.parent_id, []).append(unit)
    found: list[UnitChoice] = []
    seen: set[int] = set()
    stack = [(u, 0) for u in reversed(units) if u.code in roots]
    while stack:
        unit, depth = stack.pop()
        if unit.id in seen:
            continue
        seen.add(unit.id)
        parent = by_id.get(unit.parent_id) if unit.parent_id else None
        label = f"{unit.name} ({parent.name})" if depth >= 2 and parent else unit.name
        found.append(UnitChoice(id=unit.id, code=unit.code, label=label))
        stack.extend((child, depth + 1) for child in reversed(children.get(unit.id, [])))
    return found


def flat(
    db: Session,
    *,
    kind: UnitKind | None,
    valid_on: date | None,
    only: frozenset[int] | None = None,
) -> list[UnitRead]:
    codes = repository.codes_by_id(db)
    return [
        to_read(u, codes)
        for u in repository.list_units(db, kind=kind, valid_on=valid_on)
        if only is None or u.id in only
    ]


def import_csv(db: Session, data: bytes, *, actor: User | None) -> UnitImportResult:
    """Import units from CSV (columns: code, name, kind, parent_code, valid_from, valid_to).

    Parents may come later in the file than their children. Every bad row is
    reported with its row and column; if any row is bad nothing is stored.
    A row identical to a stored unit is left as it is.
    """
    rows = list(csv.reader(io.StringIO(decode_upload(data), newline="")))
    if not rows:
        raise UnprocessableError(error="empty_file")
    header = [h.strip().lower() for h in rows[0]]
    unknown = [h for h in header if h not in IMPORT_COLUMNS]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if unknown or missing:
        parts = []
        if unknown:
            parts.append(message("columns_unknown", columns=", ".join(map(repr, unknown))))
        if missing:
            parts.append(message("columns_missing", columns=", ".join(map(repr, missing))))
        raise UnprocessableError(
            error="bad_header",
            row=1,
            problems=" ".join(parts),
            hint=message("unit_columns", expected=", ".join(IMPORT_COLUMNS)),
            fields=[{"path": "dòng 1", "row": 1, "message": " ".join(parts)}],
        )

    problems: list[dict[str, Any]] = []
    parsed: list[tuple[int, UnitCreate]] = []
    for row_number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                _problem(
                    row_number,
                    None,
                    None,
                    message("row_cell_count", cells=len(row), header=len(header)),
                )
            )
            continue
        values = {h: (cell.strip() or None) for h, cell in zip(header, row, strict=True)}
        try:
            parsed.append((row_number, UnitCreate.model_validate(values)))
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                column = str(err["loc"][0]) if err["loc"] else None
                col_no = header.index(column) + 1 if column in header else None
                problems.append(
                    _problem(row_number, col_no, column, field_message(err, column or ""))
                )

    seen: dict[str, int] = {}
    for row_number, unit in parsed:
        if unit.code in seen:
            problems.append(
                _problem(
                    row_number,
                    header.index("code") + 1,
                    "code",
                    message("unit_code_repeated", code=unit.code, row=seen[unit.code]),
                )
            )
        seen.setdefault(unit.code, row_number)

    stored = repository.by_codes(
        db, [u.code for _, u in parsed] + [u.parent_code for _, u in parsed if u.parent_code]
    )
    in_file = {u.code for _, u in parsed}
    codes = repository.codes_by_id(db)
    to_create: list[tuple[int, UnitCreate]] = []
    unchanged = 0
    for row_number, unit in parsed:
        existing = stored.get(unit.code)
        if existing is not None:
            if to_read(existing, codes).model_dump(exclude={"id"}) == unit.model_dump():
                unchanged += 1
            else:
                problems.append(
                    _problem(
                        row_number,
                        header.index("code") + 1,
                        "code",
                        message("unit_exists_different", code=unit.code),
                    )
                )
            continue
        if unit.parent_code and unit.parent_code not in in_file | set(stored):
            col = header.index("parent_code") + 1
            problems.append(
                _problem(
                    row_number,
                    col,
                    "parent_code",
                    message("parent_unit_missing", code=unit.parent_code),
                )
            )
            continue
        to_create.append((row_number, unit))

    ordered = _parents_first(to_create, problems, header)
    if problems:
        problems.sort(key=lambda p: (p["row"], p["column"] or 0))
        raise UnprocessableError(error="invalid_rows", count=len(problems), fields=problems)

    created: list[Unit] = []
    for unit_data in ordered:
        parent = stored.get(unit_data.parent_code) if unit_data.parent_code else None
        new_unit = _new_unit(unit_data, parent)
        db.add(new_unit)
        db.flush()
        stored[new_unit.code] = new_unit
        created.append(new_unit)
    record_event(
        db,
        actor=actor,
        action="unit.import",
        entity_type="unit",
        payload={"created": len(created), "unchanged": unchanged},
    )
    db.commit()
    codes = repository.codes_by_id(db)
    return UnitImportResult(
        created=len(created), unchanged=unchanged, units=[to_read(u, codes) for u in created]
    )


def _parents_first(
    rows: list[tuple[int, UnitCreate]], problems: list[dict[str, Any]], header: list[str]
) -> list[UnitCreate]:
    """Order new units so that each comes after its parent; report cycles."""
    pending = {u.code: (n, u) for n, u in rows}
    ordered: list[UnitCreate] = []
    while pending:
        ready = [
            code
            for code, (_, u) in pending.items()
            if u.parent_code is None or u.parent_code not in pending
        ]
        if not ready:
            col = header.index("parent_code") + 1
            for code, (row_number, _) in sorted(pending.items(), key=lambda kv: kv[1][0]):
                problems.append(
                    _problem(row_number, col, "parent_code", message("parent_cycle", code=code))
                )
            break
        for code in ready:
            ordered.append(pending.pop(code)[1])
    return ordered


def _problem(row: int, column: int | None, name: str | None, message: str) -> dict[str, Any]:
    where = f"dòng {row}" + (f", cột {column} ({name})" if column else "")
    return {"path": where, "row": row, "column": column, "column_name": name, "message": message}
