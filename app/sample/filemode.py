"""Drawing from a case-list file without a server (``sipas sample draw --frame FILE``).

The file is read and cleaned exactly as an import would (same headers, phones,
dates, rejections); units are taken as written. The frame, the draw and the
digests are those of :mod:`sampling`, so a draw made here can be re-made on any
machine from the same file, design and seed.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.case import columns, reader
from app.case.schemas import Rejection
from app.case.service import RowParser, UnitsAsWritten, blank_row
from app.core.cells import csv_row
from app.core.messages import message
from sampling import CaseRecord, Design, DrawResult, FrameResult, FrameRules, build_frame, draw

OUTPUT_COLUMNS = (
    "stratum",
    "draw_order",
    "is_reserve",
    "row_number",
    "case_code",
    "unit",
    "applicant_name",
    "phone",
    "address",
    "commune",
    "hamlet",
    "cluster",
    "inclusion_probability",
    "design_weight",
    "stage_probabilities",
)


@dataclass(frozen=True)
class FileDraw:
    rows: int
    rejections: list[Rejection]
    frame: FrameResult
    result: DrawResult


def draw_from_file(
    path: Path,
    design: Design,
    seed: int,
    rules: FrameRules,
    *,
    mapping: str | None = None,
    progress: reader.Progress | None = None,
) -> tuple[FileDraw, dict[int, dict[str, Any]]]:
    """Read ``path``, build the frame with ``rules`` and draw; also return each
    frame member's case data by row number, for the output file."""
    with path.open("rb") as stream:
        explicit = columns.parse_mapping(mapping)
        table = reader.open_table(stream, path.name, columns.header_score(explicit), progress)
        positions, _ = columns.resolve_header(table.header, explicit, row=table.header_row)
        parser = RowParser(table.header, positions, UnitsAsWritten())
        code_column = table.header[positions["case_code"]] if "case_code" in positions else None
        records: list[CaseRecord] = []
        data: dict[int, dict[str, Any]] = {}
        rejections: list[Rejection] = []
        first_rows: dict[str, int] = {}
        rows = 0
        for number, cells in table.rows:
            if blank_row(cells):
                continue
            rows += 1
            values, problems = parser.parse(number, cells)
            code = values.get("case_code") if values is not None else None
            if code is not None and (first := first_rows.setdefault(code, number)) != number:
                reason = message("case_code_repeated", value=code, row=first)
                values, problems = None, [(code_column, code, reason)]
            if values is None:
                rejections.extend(
                    Rejection(row=number, column=c, value=v, reason=r) for c, v, r in problems
                )
                continue
            records.append(
                CaseRecord(
                    ref=number,
                    order=(0, number),
                    unit=values["unit"],
                    returned_on=values.get("returned_on"),
                    phone=values.get("phone"),
                    name=values.get("applicant_name"),
                    address=values.get("address"),
                    channel=values.get("channel"),
                    field=values.get("field"),
                    commune=values.get("commune"),
                    hamlet=values.get("hamlet"),
                )
            )
            data[number] = values
    frame = build_frame(records, rules)
    result = draw(frame.strata, design, seed, digest=frame.digest)
    return FileDraw(rows=rows, rejections=rejections, frame=frame, result=result), data


def write_sample(out: Path, drawn: FileDraw, data: dict[int, dict[str, Any]]) -> None:
    """The sample as CSV (UTF-8 with BOM for Excel), one line per selected unit."""
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(OUTPUT_COLUMNS)
        for unit in drawn.result.units:
            row = drawn.frame.members[(unit.stratum, unit.key)].case_ref
            values = data[row]
            writer.writerow(
                csv_row(
                    [
                        unit.stratum,
                        unit.draw_order,
                        "1" if unit.is_reserve else "0",
                        row,
                        values.get("case_code", ""),
                        values.get("unit", ""),
                        values.get("applicant_name", ""),
                        values.get("phone", ""),
                        values.get("address", ""),
                        values.get("commune", ""),
                        values.get("hamlet", ""),
                        unit.clusters[-1] if unit.clusters else "",
                        repr(unit.inclusion_probability),
                        repr(unit.design_weight),
                        ";".join(repr(p) for p in unit.stage_probabilities),
                    ]
                )
            )
