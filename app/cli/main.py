"""The ``sipas`` command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.engine import make_url

from app.auth.models import Role
from app.cli.access import token_cli, user_disable, user_enable, user_reset_password
from app.cli.analysis import analyze
from app.cli.export import export_cli
from app.cli.questionnaire import from_xlsform_command, to_xlsform_command
from app.cli.report import report
from app.cli.sampling import cases_cli, frame_cli, sample_cli, surveyor_cli
from app.cli.serve import serve
from app.core.config import get_settings
from app.core.db import create_db_engine, make_sessionmaker, session_scope

cli = typer.Typer(help="SIPAS survey platform.", no_args_is_help=True)
db_cli = typer.Typer(help="Database.", no_args_is_help=True)
user_cli = typer.Typer(help="Accounts and API tokens.", no_args_is_help=True)
questionnaire_cli = typer.Typer(help="Questionnaire files.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(user_cli, name="user")
cli.add_typer(token_cli, name="token")
user_cli.command("disable")(user_disable)
user_cli.command("enable")(user_enable)
user_cli.command("reset-password")(user_reset_password)
cli.add_typer(questionnaire_cli, name="questionnaire")
questionnaire_cli.command("to-xlsform")(to_xlsform_command)
questionnaire_cli.command("from-xlsform")(from_xlsform_command)
cli.command("analyze")(analyze)
cli.command("serve")(serve)
cli.command("report")(report)
cli.add_typer(cases_cli, name="cases")
cli.add_typer(frame_cli, name="frame")
cli.add_typer(sample_cli, name="sample")
cli.add_typer(surveyor_cli, name="surveyor")
cli.add_typer(export_cli, name="export")


@db_cli.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply the migrations to the database of SIPAS_DATABASE_URL."""
    from app.core.migrate import upgrade

    settings = get_settings()
    engine = create_db_engine(settings.database_url)
    with engine.begin() as connection:
        upgrade(connection, revision)
    engine.dispose()
    typer.echo(f"database at {engine.url.render_as_string(hide_password=True)} is at {revision}")


@db_cli.command("backup")
def db_backup(path: Path) -> None:
    """Back up the database of SIPAS_DATABASE_URL to PATH while the service runs (SQLite:
    online backup; PostgreSQL: pg_dump custom format). Keep SIPAS_SECRET_KEY with it."""
    from app.core.backup import BackupError, backup

    try:
        backup(get_settings().database_url, path)
    except BackupError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    typer.echo(f"backup written to {path} ({path.stat().st_size} bytes)")


@db_cli.command("restore")
def db_restore(
    path: Path,
    yes: Annotated[bool, typer.Option("--yes", help="do not ask for confirmation")] = False,
) -> None:
    """Replace the database's content with the backup at PATH (all or nothing)."""
    from app.core.backup import BackupError, restore

    url = get_settings().database_url
    shown = make_url(url).render_as_string(hide_password=True)
    if not yes and not typer.confirm(f"Replace everything in {shown} with {path}?"):
        raise typer.Exit(code=1)
    try:
        restore(url, path)
    except BackupError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    typer.echo(f"restored {shown} from {path}")


@cli.command()
def demo() -> None:
    """Load the demo data: the 40 Sóc Trăng units, the national 2024 questionnaire,
    one campaign in fieldwork, and an admin account whose token is printed once.
    Development only: it sets the demo accounts' passwords."""
    from app.core.config import Environment
    from app.demo import load_demo

    settings = get_settings()
    if settings.environment is not Environment.DEVELOPMENT:
        typer.echo(
            f"error: sipas demo loads demo accounts with printed passwords; it runs only "
            f"with SIPAS_ENVIRONMENT=development (this is {settings.environment.value})",
            err=True,
        )
        raise typer.Exit(code=1)
    engine = create_db_engine(settings.database_url)
    with session_scope(make_sessionmaker(engine)) as db:
        summary = load_demo(db)
    engine.dispose()
    for line in summary:
        typer.echo(line)


@cli.command()
def worker(
    once: Annotated[bool, typer.Option(help="stop when no job is left")] = False,
    poll: Annotated[float, typer.Option(help="seconds between looks at the queue")] = 1.0,
) -> None:
    """Run queued jobs (case-list imports, results, exports, letters) until stopped. Start one
    or more on any machine that reaches the database; a job left by a stopped worker
    is taken up again once its lease runs out."""
    import signal
    import threading

    import app.main  # noqa: F401 - registers every domain's jobs
    from app.job.worker import run_worker

    settings = get_settings()
    engine = create_db_engine(settings.database_url)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    typer.echo("worker started; Ctrl-C or SIGTERM stops it after the current job")
    try:
        count = run_worker(
            make_sessionmaker(engine),
            secret_key=settings.secret_key,
            stop=stop,
            poll_seconds=poll,
            once=once,
        )
    except KeyboardInterrupt:
        count = None
    engine.dispose()
    typer.echo(f"worker stopped{'' if count is None else f' after {count} job(s)'}")


@user_cli.command("create")
def user_create(
    username: str,
    role: Annotated[
        Role, typer.Option(help="admin, supervisor, surveyor or api_client")
    ] = Role.ADMIN,
    full_name: Annotated[str | None, typer.Option()] = None,
    password: Annotated[
        str | None, typer.Option(help="for accounts that log in to the pages")
    ] = None,
    token_name: str = "cli",
    expires_in_days: Annotated[
        int | None, typer.Option(help="the token stops working after this many days")
    ] = None,
) -> None:
    """Create an account and print a new API token for it (shown only once)."""
    from app.auth import accounts, repository
    from app.auth.service import expiry

    settings = get_settings()
    engine = create_db_engine(settings.database_url)
    with session_scope(make_sessionmaker(engine)) as db:
        if repository.get_user(db, username) is not None:
            typer.echo(f"error: user {username!r} already exists", err=True)
            raise typer.Exit(code=1)
        user = accounts.create_account(
            db, username, role, full_name=full_name, password=password, actor=None, via="cli"
        )
        token = repository.issue_token(db, user, token_name, expires_at=expiry(expires_in_days))
    engine.dispose()
    typer.echo(f"created {role.value} {username!r}; API token (keep it secret, shown once):")
    typer.echo(token)


@questionnaire_cli.command("validate")
def questionnaire_validate(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
) -> None:
    """Check a questionnaire file; list every problem with its path in the file."""
    from app.core.messages import message
    from app.questionnaire.problems import line
    from questionnaires import QuestionnaireError, load_questionnaire_file

    try:
        form = load_questionnaire_file(file)
    except QuestionnaireError as exc:
        typer.echo(f"{file}: {len(exc.problems)} lỗi", err=True)
        for problem in exc.problems:
            typer.echo(f"  {line(problem)}", err=True)
        raise typer.Exit(code=1) from exc
    criteria = form.criteria_by_subindex()
    summary = message(
        "questionnaire_valid",
        code=form.code,
        edition=form.edition,
        items=len(form.items()),
        criteria=len(form.criteria()),
        subindices=len(criteria),
    )
    typer.echo(f"{file}: {summary}")


def main() -> None:
    cli()
