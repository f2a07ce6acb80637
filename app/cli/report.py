"""``sipas report``: the annual PAR report draft of a campaign, as Word, PDF or HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.auth.models import Role
from app.auth.service import Reader
from app.cli.common import run_service as _run
from app.par.download import report_file

FORMATS = {".docx": "docx", ".pdf": "pdf", ".html": "html"}
COMMAND_LINE = Reader(user_id=0, role=Role.ADMIN, campaign_ids=frozenset())
"""The command line runs with the database's own rights: it reads every campaign."""


def report(
    campaign: Annotated[int, typer.Option(help="campaign id")],
    out: Annotated[Path, typer.Option(help="report.docx, report.pdf or report.html")],
) -> None:
    """Write the report draft of a campaign (PAR tables, sentences, SIPAS, charts)."""
    file_format = FORMATS.get(out.suffix.lower())
    if file_format is None:
        typer.echo("error: --out must end in .docx, .pdf or .html", err=True)
        raise typer.Exit(code=2)
    content = _run(report_file, campaign, COMMAND_LINE, file_format=file_format)
    out.write_bytes(content)
    typer.echo(f"{out}: {len(content):,} bytes")
