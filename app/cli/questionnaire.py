"""``sipas questionnaire to-xlsform`` and ``from-xlsform``: questionnaire files as XLSForm
spreadsheets (ODK, KoboToolbox) and back, without the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.questionnaire.problems import line
from app.questionnaire.xlsform import field
from questionnaires import QuestionnaireError, load_questionnaire_file
from questionnaires.dump import dump_questionnaire
from questionnaires.xlsform import XLSFormError, from_xlsform, to_xlsform

Existing = Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)]


def _refuse(file: Path, problems: list[str]) -> typer.Exit:
    typer.echo(f"{file}: {len(problems)} lỗi", err=True)
    for entry in problems:
        typer.echo(f"  {entry}", err=True)
    return typer.Exit(code=1)


def _xlsform_lines(exc: XLSFormError) -> list[str]:
    lines = []
    for problem in exc.problems:
        entry = field(problem)
        lines.append(f"{entry['path']}: {entry['message']}" if entry["path"] else entry["message"])
    return lines


def to_xlsform_command(
    file: Existing,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="default: FILE with .xlsx")
    ] = None,
) -> None:
    """Write a questionnaire file (YAML) as an XLSForm (.xlsx) for ODK or KoboToolbox."""
    target = out or file.with_suffix(".xlsx")
    try:
        data = to_xlsform(load_questionnaire_file(file))
    except QuestionnaireError as exc:
        raise _refuse(file, [line(p) for p in exc.problems]) from exc
    except XLSFormError as exc:
        raise _refuse(file, _xlsform_lines(exc)) from exc
    target.write_bytes(data)
    typer.echo(f"{file} → {target} ({len(data)} bytes)")


def from_xlsform_command(
    file: Existing,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="default: FILE with .yaml")
    ] = None,
) -> None:
    """Read an XLSForm (.xlsx) into a questionnaire file (YAML); anything a questionnaire
    cannot hold is listed by sheet and row, and nothing is written."""
    target = out or file.with_suffix(".yaml")
    try:
        form = from_xlsform(file.read_bytes())
    except XLSFormError as exc:
        raise _refuse(file, _xlsform_lines(exc)) from exc
    target.write_text(dump_questionnaire(form), encoding="utf-8")
    typer.echo(f"{file} → {target}: {form.code!r} ({form.edition}), {len(form.items())} items")
