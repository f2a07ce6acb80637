"""``sipas analyze``: results from answers collected elsewhere (a CSV), without a database."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from analysis import SchemeError, analyse, bundled_scheme, load_scheme, result_dict, tabulate
from analysis.answer_file import AnswerFileError, Columns, read_answer_file
from analysis.estimation import LonelyPsu
from analysis.rounding import percent
from analysis.schemes import WeightScheme
from app.questionnaire.problems import line
from questionnaires import (
    Questionnaire,
    QuestionnaireError,
    bundled_path,
    load_questionnaire_file,
)


class OutputFormat(StrEnum):
    JSON = "json"
    TEXT = "text"


def _questionnaire(name: str) -> Questionnaire:
    path = Path(name)
    if not path.is_file():
        try:
            path = bundled_path(name)
        except FileNotFoundError as exc:
            raise typer.BadParameter(str(exc), param_hint="--questionnaire") from exc
    try:
        return load_questionnaire_file(path)
    except QuestionnaireError as exc:
        listed = "".join(f"\n  - {line(p)}" for p in exc.problems)
        raise typer.BadParameter(
            f"{path.name}: {len(exc.problems)} lỗi{listed}", param_hint="--questionnaire"
        ) from exc


def _scheme(name: str | None) -> WeightScheme | None:
    if name is None:
        return None
    path = Path(name)
    try:
        if path.is_file():
            return load_scheme(path.read_text(encoding="utf-8"), source=path.name)
        return bundled_scheme(name)
    except SchemeError as exc:
        raise typer.BadParameter(str(exc), param_hint="--scheme") from exc


def analyze(
    questionnaire: Annotated[
        str, typer.Option(help="Bundled questionnaire code (national-2024) or a YAML file.")
    ],
    answers: Annotated[
        Path,
        typer.Option(
            exists=True,
            dir_okay=False,
            readable=True,
            help="CSV: one row per respondent, one column per item code.",
        ),
    ],
    weights: Annotated[
        str | None, typer.Option(help="Column with design weights (design-based intervals).")
    ] = None,
    unit_column: Annotated[
        str | None, typer.Option(help="Column with the unit code: adds per-unit results.")
    ] = None,
    stratum_column: Annotated[str | None, typer.Option(help="Column with the stratum.")] = None,
    psu_column: Annotated[
        str | None, typer.Option(help="Column with the cluster of area samples.")
    ] = None,
    population_column: Annotated[
        str | None,
        typer.Option(
            help="Column with the population size of the row's stratum (PSUs in the "
            "population with --psu-column, people otherwise): finite-population correction."
        ),
    ] = None,
    lonely_psu: Annotated[
        LonelyPsu,
        typer.Option(
            help="A stratum with one PSU: fail (default), certainty, average or adjust "
            "(R survey's rules)."
        ),
    ] = LonelyPsu.FAIL,
    scheme: Annotated[
        str | None,
        typer.Option(help="Weight scheme code (national-province, an-giang-unit) or YAML file."),
    ] = None,
    min_cell: Annotated[int, typer.Option(min=1, help="Cells below this n are flagged.")] = 10,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.JSON,
) -> None:
    """Compute SIPAS results from a CSV of answers; rates in percent at full precision.

    Strata or clusters without weights mean weights of 1: the design is always used."""
    form = _questionnaire(questionnaire)
    chosen = _scheme(scheme)
    columns = Columns(
        weight=weights,
        unit=unit_column,
        stratum=stratum_column,
        psu=psu_column,
        population=population_column,
    )
    try:
        text = answers.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        typer.echo(f"{answers}: not UTF-8 text (byte {exc.start}); save it as CSV UTF-8", err=True)
        raise typer.Exit(code=1) from exc
    try:
        respondents = read_answer_file(text, form, columns, source=answers.name)
    except AnswerFileError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(code=1) from exc
    try:
        table = tabulate(form, respondents, lonely_psu=lonely_psu)
    except ValueError as exc:
        typer.echo(f"{answers}: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    result = analyse(form, table, scheme=chosen, min_cell=min_cell)
    data = result_dict(result)
    if output is OutputFormat.JSON:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    typer.echo(_text_summary(data))


def _shown(rate: float | None) -> str:
    return "—" if rate is None else f"{percent(rate)}%"


def _text_summary(data: dict[str, object]) -> str:
    sipas = data["sipas"]
    assert isinstance(sipas, dict)
    lines = [f"SIPAS {_shown(sipas['rate'])} (n = {sipas['n']})"]
    for group in ("halves", "subindices"):
        cells = data[group]
        assert isinstance(cells, dict)
        lines.extend(f"  {code}: {_shown(c['rate'])} (n = {c['n']})" for code, c in cells.items())
    return "\n".join(lines)
