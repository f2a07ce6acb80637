"""``sipas cases``, ``sipas frame`` and ``sipas sample``: case lists, frames, draws, fieldwork.

Each command runs the same service function as the API, on the database of
``SIPAS_DATABASE_URL``, except ``sipas sample draw --frame FILE``, which needs no
database at all.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

from analysis.disposition import Outcome
from app.cli.common import run_service as _run
from app.core.errors import AppError

cases_cli = typer.Typer(help="Case lists (hồ sơ TTHC).", no_args_is_help=True)
frame_cli = typer.Typer(help="Sampling frames.", no_args_is_help=True)
sample_cli = typer.Typer(help="Draws, verification and fieldwork lists.", no_args_is_help=True)
surveyor_cli = typer.Typer(help="Surveyors (điều tra viên).", no_args_is_help=True)
FileArg = Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)]


def _json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def _progress() -> Progress:
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        transient=True,
    )


@cases_cli.command("import")
def cases_import(
    file: FileArg,
    campaign: Annotated[int, typer.Option(help="campaign id")],
    mapping: Annotated[
        Path | None, typer.Option(exists=True, dir_okay=False, help="header → field (YAML)")
    ] = None,
) -> None:
    """Import a case list (CSV UTF-8/UTF-16 or XLSX); report every rejected row."""
    from app.case import service

    mapping_text = mapping.read_text(encoding="utf-8") if mapping else None
    with _progress() as bar, file.open("rb") as stream:
        task = bar.add_task(f"importing {file.name}", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        result = _run(
            service.import_case_list,
            campaign,
            stream,
            file.name,
            mapping=mapping_text,
            actor=None,
            progress=advance,
        )
    typer.echo(f"danh sách hồ sơ {result.case_list.id}: {result.message}")
    for rejection in result.rejections:
        column = f", cột {rejection.column}" if rejection.column else ""
        typer.echo(f"  dòng {rejection.row}{column}: {rejection.reason}")
    if result.rejections_total > len(result.rejections):
        typer.echo(
            f"  ... và {result.rejections_total - len(result.rejections)} dòng nữa: "
            f"GET /api/v1/case-lists/{result.case_list.id}/rejections"
        )


@frame_cli.command("build")
def frame_build(
    campaign: Annotated[int, typer.Option(help="campaign id")],
    returned_from: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"])] = None,
    returned_to: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"])] = None,
    unit: Annotated[list[str] | None, typer.Option(help="unit code to include; repeat")] = None,
    cross_with: Annotated[str | None, typer.Option(help="channel or field")] = None,
    require_phone: bool = False,
) -> None:
    """Build a sampling frame from the campaign's case lists and print its digest."""
    from app.sample import service
    from app.sample.schemas import FrameCreate

    data = _frame_create(FrameCreate, returned_from, returned_to, unit, cross_with, require_phone)
    frame = _run(service.create_frame, campaign, data, actor=None)
    typer.echo(
        f"frame {frame.id}: {frame.member_count} people in {len(frame.strata)} strata, "
        f"{frame.excluded_count} cases excluded {frame.exclusion_counts}"
    )
    typer.echo(f"frame digest {frame.digest}")


def _frame_create(
    model: Any,
    returned_from: datetime | None,
    returned_to: datetime | None,
    unit: list[str] | None,
    cross_with: str | None,
    require_phone: bool,
) -> Any:
    try:
        return model(
            returned_from=returned_from.date() if returned_from else None,
            returned_to=returned_to.date() if returned_to else None,
            unit_codes=unit or None,
            cross_with=cross_with,
            require_phone=require_phone,
        )
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc


@sample_cli.command("draw")
def sample_draw(
    design: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="design YAML")],
    seed: Annotated[str, typer.Option(help="a non-negative whole number")],
    campaign: Annotated[int | None, typer.Option(help="campaign id (database mode)")] = None,
    frame_id: Annotated[
        int | None, typer.Option(help="frame to draw from; default: latest")
    ] = None,
    commitment: Annotated[int | None, typer.Option(help="seed commitment id")] = None,
    frame: Annotated[
        Path | None,
        typer.Option(exists=True, dir_okay=False, help="file mode: a case list, no database"),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="file mode: the sample CSV to write")] = None,
    mapping: Annotated[Path | None, typer.Option(exists=True, dir_okay=False)] = None,
    returned_from: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"])] = None,
    returned_to: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"])] = None,
    unit: Annotated[list[str] | None, typer.Option(help="file mode: unit to include")] = None,
    cross_with: Annotated[str | None, typer.Option(help="file mode: channel or field")] = None,
    require_phone: bool = False,
) -> None:
    """Draw a sample: from a campaign's frame (stored, auditable), or, with --frame and
    --out, from a case-list file into a CSV without any server."""
    if frame is not None:
        if out is None:
            typer.echo("error: --frame needs --out FILE for the sample", err=True)
            raise typer.Exit(code=1)
        _draw_file(
            frame, design, seed, out, mapping, returned_from, returned_to, unit, cross_with,
            require_phone,
        )  # fmt: skip
        return
    if campaign is None and frame_id is None:
        typer.echo("error: give --campaign (or --frame-id), or --frame FILE --out FILE", err=True)
        raise typer.Exit(code=1)
    from app.sample import service
    from app.sample.schemas import DrawRequest

    request = DrawRequest(
        design_yaml=design.read_text(encoding="utf-8"), seed=seed, commitment_id=commitment
    )
    chosen = frame_id if frame_id is not None else _run(service.latest_frame_id, campaign)
    sample = _run(service.draw_sample, chosen, request, actor=None)
    typer.echo(
        f"sample {sample.id} from frame {chosen}: {sample.sample_size} selected, "
        f"{sample.reserve_count} reserves in {len(sample.strata)} strata"
    )
    typer.echo(f"seed {sample.seed}  algorithm {sample.algorithm_version}")
    typer.echo(f"frame digest  {sample.frame_digest}")
    typer.echo(f"sample digest {sample.sample_digest}")


def _draw_file(
    frame: Path,
    design_path: Path,
    seed: str,
    out: Path,
    mapping: Path | None,
    returned_from: datetime | None,
    returned_to: datetime | None,
    unit: list[str] | None,
    cross_with: str | None,
    require_phone: bool,
) -> None:
    from app.sample.filemode import draw_from_file, write_sample
    from sampling import DesignError, FrameRules, load_design

    try:
        design = load_design(design_path.read_text(encoding="utf-8"))
        rules = FrameRules(
            returned_from=_day(returned_from),
            returned_to=_day(returned_to),
            units=frozenset(unit) if unit else None,
            cross_with=cross_with,
            require_phone=require_phone,
        )
        number = int(seed)
        if number < 0:
            raise ValueError("the seed must not be negative")
    except DesignError as exc:
        typer.echo(f"error: {design_path}: {len(exc.problems)} problem(s)", err=True)
        for problem in exc.problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(code=1) from exc
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    with _progress() as bar:
        task = bar.add_task(f"reading {frame.name}", total=None)
        try:
            drawn, data = draw_from_file(
                frame,
                design,
                number,
                rules,
                mapping=mapping.read_text(encoding="utf-8") if mapping else None,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        except (AppError, ValueError) as exc:
            typer.echo(f"error: {getattr(exc, 'detail', exc)}", err=True)
            raise typer.Exit(code=1) from exc
    write_sample(out, drawn, data)
    result = drawn.result
    typer.echo(
        f"{frame.name}: {drawn.rows} rows, {len(drawn.rejections)} problem(s) in rejected rows; "
        f"frame of {len(drawn.frame.members)} people in {len(drawn.frame.strata)} strata"
    )
    for rejection in drawn.rejections[:20]:
        typer.echo(f"  row {rejection.row}, {rejection.column}: {rejection.reason}")
    typer.echo(f"wrote {out}: {len(result.sample())} selected, {len(result.reserves())} reserves")
    typer.echo(f"seed {result.seed}  algorithm {result.algorithm_version}")
    typer.echo(f"frame digest  {result.frame_digest}")
    typer.echo(f"sample digest {result.digest}")


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


@sample_cli.command("verify")
def sample_verify(sample_id: int) -> None:
    """Re-run a stored draw; exit 0 on a match, 1 on a mismatch."""
    from app.sample import service

    result = _run(service.verify_sample, sample_id, actor=None)
    typer.echo(("MATCH " if result.match else "MISMATCH ") + result.detail)
    typer.echo(f"frame digest  stored {result.frame_digest_stored}")
    typer.echo(f"              now    {result.frame_digest_now}")
    typer.echo(f"sample digest stored {result.sample_digest_stored}")
    typer.echo(f"              now    {result.sample_digest_now}")
    if not result.match:
        raise typer.Exit(code=1)


@sample_cli.command("commit")
def sample_commit(
    campaign: Annotated[int, typer.Option(help="campaign id")],
    seed: Annotated[str | None, typer.Option(help="hashed here; not stored")] = None,
    seed_sha256: Annotated[str | None, typer.Option(help="or the hash itself")] = None,
    note: str | None = None,
) -> None:
    """Publish the SHA-256 of a seed before drawing with it (commit–reveal)."""
    from app.sample import service
    from app.sample.schemas import CommitmentCreate

    if (seed is None) == (seed_sha256 is None):
        typer.echo("error: give --seed or --seed-sha256", err=True)
        raise typer.Exit(code=1)
    digest = seed_sha256 or service.seed_sha256(str(seed))
    commitment = _run(
        service.create_commitment,
        campaign,
        CommitmentCreate(seed_sha256=digest, note=note),
        actor=None,
    )
    typer.echo(f"commitment {commitment.id}: sha256 {commitment.seed_sha256}")


@sample_cli.command("assign")
def sample_assign(
    sample_id: int,
    surveyor: Annotated[list[int], typer.Option(help="surveyor id; repeat")],
    group_by: Annotated[str, typer.Option(help="unit, commune or none")] = "unit",
) -> None:
    """Assign the sample's unassigned respondents to surveyors, balancing workloads."""
    from app.fieldwork import assignment as service
    from app.fieldwork.schemas import AssignRequest

    try:
        request = AssignRequest.model_validate({"surveyor_ids": surveyor, "group_by": group_by})
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    summary = _run(service.assign_sample, sample_id, request, actor=None)
    typer.echo(f"assigned {summary.assigned}; loads per surveyor: {summary.loads}")


@sample_cli.command("export")
def sample_export(
    sample_id: int,
    surveyor: Annotated[int, typer.Option(help="surveyor id")],
    out: Annotated[Path, typer.Option(help="file to write: .csv, .xlsx or .html")],
) -> None:
    """Write a surveyor's list as CSV, XLSX or a printable HTML page."""
    from app.fieldwork import assignment as service
    from app.fieldwork import exports
    from app.pages.staff.lists import printable_list

    reader, rows = _run(service.surveyor_list, sample_id, surveyor)
    suffix = out.suffix.lower()
    if suffix == ".csv":
        out.write_bytes(exports.to_csv(rows))
    elif suffix == ".xlsx":
        out.write_bytes(exports.to_xlsx(rows, f"Mau {sample_id}"))
    elif suffix in (".html", ".htm"):
        out.write_text(printable_list(reader, sample_id, rows), encoding="utf-8")
    else:
        typer.echo("error: --out must end in .csv, .xlsx or .html", err=True)
        raise typer.Exit(code=1)
    typer.echo(f"wrote {out}: {len(rows)} respondents of {reader.full_name}")


@sample_cli.command("outcome")
def sample_outcome(
    respondent_id: int,
    outcome: Annotated[Outcome, typer.Argument(help="refused, not_reachable, ineligible, moved")],
    note: str | None = None,
) -> None:
    """Record a respondent's fieldwork outcome."""
    from app.fieldwork import service
    from app.fieldwork.schemas import OutcomeChange

    result = _run(
        service.record_outcome, respondent_id, OutcomeChange(outcome=outcome, note=note), actor=None
    )
    typer.echo(f"respondent {result.id}: {result.outcome.value}")


@sample_cli.command("release")
def sample_release(respondent_id: int, note: str | None = None) -> None:
    """Replace a refusal by the next reserve of its stratum, in draw order."""
    from app.fieldwork import service

    result = _run(service.release_reserve, respondent_id, note, actor=None)
    typer.echo(
        f"respondent {result.replaced.id} replaced by reserve {result.reserve.id} "
        f"(stratum {result.reserve.stratum}, draw order {result.reserve.draw_order})"
    )


@surveyor_cli.command("create")
def surveyor_create(
    full_name: str,
    unit: Annotated[str | None, typer.Option(help="code of the unit the surveyor covers")] = None,
    organisation: Annotated[str | None, typer.Option(help="e.g. Bưu điện tỉnh")] = None,
    phone: str | None = None,
) -> None:
    """Register a surveyor and print the id to use with ``sipas sample assign``."""
    from app.fieldwork import surveyors as service
    from app.fieldwork.schemas import SurveyorCreate

    created = _run(
        service.create_surveyor,
        SurveyorCreate(full_name=full_name, unit_code=unit, organisation=organisation, phone=phone),
        actor=None,
    )
    typer.echo(f"surveyor {created.id}: {created.full_name}")


@surveyor_cli.command("list")
def surveyor_list() -> None:
    """List the surveyors."""
    from app.fieldwork import surveyors as service

    for surveyor in _run(service.list_surveyors):
        where = f" ({surveyor.unit_code})" if surveyor.unit_code else ""
        typer.echo(f"{surveyor.id}\t{surveyor.full_name}{where}\t{surveyor.organisation or ''}")


@sample_cli.command("show")
def sample_show(sample_id: int) -> None:
    """Print a stored draw as JSON."""
    from app.sample import service

    _json(_run(service.get_sample_read, sample_id).model_dump(mode="json"))
