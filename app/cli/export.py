"""``sipas export responses``: a campaign's respondent-level data as CSV, XLSX, SPSS or
Stata, with the same columns, filters and labels as the API's export."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from app.cli.common import run_service
from app.response.export import KEPT_STATES, ExportFilters, export_responses
from app.response.export_files import ExportFormat
from app.response.models import ResponseStatus, ReviewState

export_cli = typer.Typer(help="Respondent-level data for SPSS, Stata, R.", no_args_is_help=True)

_DAY = ["%Y-%m-%d"]


@export_cli.command("responses")
def responses(
    campaign: Annotated[int, typer.Option(help="campaign id")],
    out: Annotated[Path, typer.Option(help="the file: .csv, .xlsx, .sav or .dta")],
    file_format: Annotated[
        ExportFormat | None,
        typer.Option("--format", help="csv, xlsx, sav or dta (default: from --out)"),
    ] = None,
    unit: Annotated[str | None, typer.Option(help="only this unit's responses (code)")] = None,
    review_state: Annotated[
        list[ReviewState] | None,
        typer.Option(help="review states to export; repeat (default: all but rejected)"),
    ] = None,
    status: Annotated[ResponseStatus | None, typer.Option(help="complete or partial")] = None,
    date_from: Annotated[datetime | None, typer.Option(formats=_DAY, help="received from")] = None,
    date_to: Annotated[datetime | None, typer.Option(formats=_DAY, help="received until")] = None,
    include_personal: Annotated[
        bool, typer.Option("--include-personal", help="add names, phones and addresses")
    ] = False,
) -> None:
    """Write one row per response, one column per item code, with the design columns
    and Vietnamese labels (see README: respondent-level export)."""
    chosen = file_format or ExportFormat(out.suffix.lower().lstrip("."))
    filters = ExportFilters(
        unit=unit,
        review_states=frozenset(review_state or ()) or KEPT_STATES,
        status=status,
        date_from=date_from.date() if date_from else None,
        date_to=date_to.date() if date_to else None,
        include_personal=include_personal,
    )
    exported = run_service(export_responses, campaign, filters, chosen, out, reader=None)
    typer.echo(f"{out}: {exported.rows} phiếu")
