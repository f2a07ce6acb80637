"""What the benchmarks share: a throw-away PostgreSQL, fresh databases, child processes
that report their own time, CPU and peak memory, and the machine's load."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import random

    from questionnaires import Questionnaire

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


@contextmanager
def postgres(admin_url: str | None = None) -> Iterator[str]:
    """The maintenance URL of a given server, or of a throw-away one (the test suite's:
    fsync and synchronous commit off, so absolute figures are optimistic)."""
    if admin_url is not None:
        yield admin_url
        return
    from tests.support.postgres import PostgresServer

    server = PostgresServer.start()
    try:
        yield server.url()
    finally:
        server.stop()


def create_database(admin_url: str, name: str) -> str:
    """A new empty database on the server of ``admin_url``; its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def migrate_and_load_demo(url: str) -> int:
    """Migrate and load the demo (40 units, the national form, a campaign); its id."""
    from sqlalchemy import select

    from app.campaign.models import Campaign
    from app.core.db import create_db_engine, make_sessionmaker
    from app.core.migrate import upgrade
    from app.demo import CAMPAIGN_NAME, load_demo

    engine = create_db_engine(url)
    with engine.begin() as connection:
        upgrade(connection)
    with make_sessionmaker(engine)() as db:
        load_demo(db)
        campaign_id = int(
            db.execute(select(Campaign.id).where(Campaign.name == CAMPAIGN_NAME)).scalar_one()
        )
    engine.dispose()
    return campaign_id


def measured(function: Callable[[], dict[str, Any]]) -> None:
    """Run ``function`` in this (child) process and print its figures as one JSON line:
    wall seconds, CPU seconds and peak RSS, with what it returned."""
    start, cpu = time.perf_counter(), time.process_time()
    figures = function()
    figures.update(
        seconds=time.perf_counter() - start,
        cpu_seconds=time.process_time() - cpu,
        peak_rss_mb=peak_rss_mb(),
    )
    print(json.dumps(figures))


def peak_rss_mb() -> float:
    """This process's peak resident memory since it started its program.

    ``VmHWM`` belongs to the address space, which ``exec`` replaces; ``ru_maxrss`` would
    keep the size of the parent that forked the child."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(script: Path, *args: str) -> dict[str, Any]:
    """Run ``script _child args...`` in a fresh interpreter; the JSON it printed last."""
    output = subprocess.run(
        [sys.executable, str(script), *args],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
    return (utime + stime + cutime + cstime) / os.sysconf("SC_CLK_TCK")


def random_answers(form: Questionnaire, rng: random.Random) -> dict[str, Any]:
    """A complete, valid response: every item shown by the earlier answers is answered."""
    from questionnaires.answers import is_visible

    answers: dict[str, Any] = {}
    visible: set[str] = set()
    for item in form.items():
        if not is_visible(item, answers, visible):
            continue
        visible.add(item.code)
        codes = [o.code for o in form.options_of(item)]
        kind = item.type.value
        if kind in ("likert5", "expectation3"):
            answers[item.code] = int(rng.choice(codes))
        elif kind == "single_choice":
            answers[item.code] = rng.choice(codes)
        elif kind == "multiple_choice":
            answers[item.code] = sorted(
                rng.sample(codes, rng.randint(1, min(3, len(codes)))), key=codes.index
            )
        elif kind == "number":
            answers[item.code] = rng.randint(int(item.min or 0), int(item.max or 100))
        elif item.is_required:
            answers[item.code] = "Ý kiến của người dân."
    return answers
