"""Backups of the database while the service runs, and restoring them.

* SQLite: the online backup API of SQLite (``sqlite3.Connection.backup``) copies a
  consistent snapshot, including what is still in the write-ahead log (a plain copy
  of the ``.db`` file misses it), while other connections keep reading and writing.
  Restoring copies the backup into the live database the same way, under SQLite's
  own locks.
* PostgreSQL: ``pg_dump --format=custom`` (a consistent snapshot taken in one
  transaction, without blocking writers) and ``pg_restore --clean --if-exists
  --single-transaction`` (all or nothing). The client programs are found on ``PATH``
  or in ``/usr/lib/postgresql/*/bin``; the password travels in ``PGPASSWORD``, never
  on the command line.

Personal links are derived from ``SIPAS_SECRET_KEY``: keep the key with the backups,
or letters already sent open nothing after a restore.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url


class BackupError(Exception):
    """A backup or restore that did not happen; the message says why (no secrets)."""


def find_pg_bindir() -> Path:
    """The folder of PostgreSQL's client and server programs (newest version first)."""
    on_path = shutil.which("pg_ctl") or shutil.which("pg_dump")
    if on_path:
        return Path(os.path.realpath(on_path)).parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_dump"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if candidates:
        return Path(candidates[-1]).parent
    raise BackupError(
        "PostgreSQL's programs are not installed (no pg_dump on PATH or in "
        "/usr/lib/postgresql/*/bin); install the postgresql-client package."
    )


def _sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(url.database)


def _copy_sqlite(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target, timeout=30) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment carrying it."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(program: str, *args: str, env: dict[str, str]) -> None:
    result = subprocess.run(
        [str(find_pg_bindir() / program), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed ({result.returncode}): {result.stderr.strip()}")


def backup(database_url: str, path: Path) -> None:
    """Write a backup of the database to ``path`` (SQLite file or pg_dump custom format)."""
    url = make_url(database_url)
    path.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        _copy_sqlite(_sqlite_file(url), path)
        return
    dsn, env = _libpq(url)
    _run("pg_dump", "--format=custom", f"--file={path}", f"--dbname={dsn}", env=env)


def restore(database_url: str, path: Path) -> None:
    """Replace the database's content with the backup at ``path``, all or nothing."""
    if not path.is_file():
        raise BackupError(f"there is no backup file {path}")
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        check = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            sound = check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        except sqlite3.DatabaseError:
            sound = False
        finally:
            check.close()
        if not sound:
            raise BackupError(f"{path} is not a sound SQLite database")
        _copy_sqlite(path, _sqlite_file(url))
        return
    dsn, env = _libpq(url)
    _run(
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        f"--dbname={dsn}",
        str(path),
        env=env,
    )
