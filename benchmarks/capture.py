"""Capture throughput: concurrent phones syncing complete national-2024 interviews.

N clients on loopback post complete interviews of the national 2024 form to the
surveyors' sync endpoint (``POST /s/api/responses``: session cookie, CSRF token,
assignment check, full validation, client_id idempotency, first-completed-wins,
outcome update with audit event) served by uvicorn on PostgreSQL. A share of the
requests replays an interview already sent, as a phone does when it never got the
answer. In the same run, on the same server process (same uvicorn, same
PostgreSQL, same connection pool and worker threads), the same bodies are posted
to bare FastAPI endpoints that skip everything but storage:

- ``bare: parse only``: parse the JSON body, answer; no database;
- ``bare: parse + 1 insert``: parse it and insert it as one JSON row (the least a
  capture endpoint must do; the target's reference);
- ``bare: same rows``: parse it and insert what capture stores (a response row
  and one row per answer) with two plain SQL statements.

Reported per endpoint: throughput, p50/p99 latency, the server's CPU time per
request, errors; for capture also duplicates (stored rows minus distinct
client_ids accepted). The target is at least 40% of the bare insert endpoint's
throughput, 0 errors and 0 duplicates.

Run it by hand (it is not a test)::

    .venv/bin/python benchmarks/capture.py                 # starts a throw-away PostgreSQL
    .venv/bin/python benchmarks/capture.py --clients 64 --requests 4000
    .venv/bin/python benchmarks/capture.py --postgres-url postgresql+psycopg://u:p@host/postgres

The throw-away server is the test suite's (``tests/support/postgres.py``: fsync
and synchronous commit off), so absolute figures are optimistic for a production
disk; the ratio compares endpoints under identical conditions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI, Request
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# tests.api.factories imports starlette's TestClient, which warns about httpx.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from app.core.db import create_db_engine, make_sessionmaker  # noqa: E402
from app.core.deps import DatabaseDep  # noqa: E402
from app.core.migrate import upgrade  # noqa: E402
from app.main import create_app  # noqa: E402
from app.response.models import Response  # noqa: E402
from app.unit.models import Unit, UnitKind  # noqa: E402
from benchmarks.common import random_answers  # noqa: E402
from questionnaires import bundled_path, load_questionnaire_file  # noqa: E402
from tests.api.factories import add_respondents  # noqa: E402
from tests.support.accounts import add_surveyor  # noqa: E402
from tests.support.campaigns import campaign_in_fieldwork  # noqa: E402
from tests.support.postgres import PostgresServer  # noqa: E402

SURVEYOR = ("bench-dtv", "mat-khau-benchmark")
SECRET = "benchmark-secret-key-not-for-production"


def bench_app() -> FastAPI:
    """The service as deployed, plus the bare endpoints to compare with."""
    app = create_app()

    def insert(db: Session, body: dict[str, Any]) -> None:
        db.execute(
            text("INSERT INTO bench_bare (body) VALUES (CAST(:body AS jsonb))"),
            {"body": json.dumps(body, ensure_ascii=False)},
        )
        db.commit()

    @app.post("/bench/insert", status_code=201)
    async def bare_insert(body: dict[str, Any], db: DatabaseDep) -> dict[str, bool]:
        await db.run(insert, body)
        return {"stored": True}

    def insert_rows(db: Session, body: dict[str, Any]) -> None:
        response_id = db.execute(
            text(
                "INSERT INTO response (campaign_id, questionnaire_version_id, mode, client_id, "
                "status, payload_sha256) SELECT id, questionnaire_version_id, 'interview', "
                ":client_id, 'complete', '' FROM campaign LIMIT 1 RETURNING id"
            ),
            {"client_id": uuid.uuid4()},
        ).scalar_one()
        db.execute(
            text(
                "INSERT INTO answer (response_id, item_code, value) "
                "SELECT :id, key, value FROM jsonb_each(CAST(:answers AS jsonb))"
            ),
            {"id": response_id, "answers": json.dumps(body["answers"])},
        )
        db.commit()

    @app.post("/bench/rows", status_code=201)
    async def bare_rows(body: dict[str, Any], db: DatabaseDep) -> dict[str, bool]:
        await db.run(insert_rows, body)
        return {"stored": True}

    @app.post("/bench/echo")
    async def bare_echo(request: Request) -> dict[str, int]:
        return {"answers": len((await request.json())["answers"])}

    return app


def prepare(url: str, respondents: int) -> tuple[int, list[int]]:
    """Migrate and load: the national 2024 form, a campaign in fieldwork, a sample of
    ``respondents`` people assigned to one surveyor. Returns (campaign id, respondent ids)."""
    engine = create_db_engine(url)
    with engine.begin() as connection:
        upgrade(connection)
        connection.execute(
            text("CREATE TABLE bench_bare (id bigserial PRIMARY KEY, body jsonb NOT NULL)")
        )
    with make_sessionmaker(engine)() as db:
        db.add(Unit(code="st", name="Tỉnh Sóc Trăng", kind=UnitKind.PROVINCE))
        db.flush()
        campaign_id = campaign_in_fieldwork(db, "Benchmark")
        ids = add_respondents(db, campaign_id, respondents)
        add_surveyor(db, ids, username=SURVEYOR[0], password=SURVEYOR[1])
    engine.dispose()
    return campaign_id, ids


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
    return (utime + stime + cutime + cstime) / os.sysconf("SC_CLK_TCK")


@contextmanager
def uvicorn_server(url: str, workers: int) -> Iterator[tuple[str, int]]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "SIPAS_DATABASE_URL": url,
        "SIPAS_ENVIRONMENT": "test",
        "SIPAS_SECRET_KEY": SECRET,
        "SIPAS_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "benchmarks.capture:bench_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.1)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


@dataclass
class Phase:
    name: str
    server_cpu: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    seconds: float = 0.0
    accepted: set[str] = field(default_factory=set)

    @property
    def done(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.done / self.seconds

    def line(self) -> str:
        ordered = sorted(self.latencies)
        p50 = statistics.median(ordered) * 1000
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000
        return (
            f"{self.name:<28} {self.done:>6} req in {self.seconds:6.2f} s  "
            f"{self.throughput:8.1f} req/s  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  "
            f"server CPU {self.server_cpu / max(self.done, 1) * 1000:5.1f} ms/req  "
            f"errors {self.errors}  statuses {dict(sorted(self.statuses.items()))}"
        )


class Connection:
    """A keep-alive HTTP/1.1 connection that posts pre-encoded JSON bodies.

    Hand-written on asyncio streams so that the load generator costs far less CPU
    than the server it measures (an httpx client on this machine could not keep
    even the bare endpoint busy).
    """

    def __init__(self, host: str, port: int, headers: dict[str, str]) -> None:
        self.host, self.port = host, port
        self.extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            f"{self.extra}\r\n"
        )
        self.writer.write(head.encode() + body)
        status = int((await self.reader.readline()).split()[1])
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        await self.reader.readexactly(length)
        return status

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()


async def run_phase(
    base: str,
    name: str,
    path: str,
    bodies: list[tuple[str, bytes]],
    *,
    clients: int,
    max_seconds: float,
    headers: dict[str, str],
    ok: frozenset[int],
) -> Phase:
    """Post every body once, from ``clients`` connections, within ``max_seconds``."""
    phase = Phase(name)
    host, port = base.removeprefix("http://").split(":")
    pending = list(reversed(bodies))
    start = time.perf_counter()
    deadline = start + max_seconds

    async def client() -> None:
        connection = Connection(host, int(port), headers)
        try:
            while pending and time.perf_counter() < deadline:
                client_id, body = pending.pop()
                sent = time.perf_counter()
                try:
                    status = await connection.post(path, body)
                except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                    phase.errors += 1
                    await connection.close()
                    connection = Connection(host, int(port), headers)
                    continue
                phase.latencies.append(time.perf_counter() - sent)
                phase.statuses[status] = phase.statuses.get(status, 0) + 1
                if status not in ok:
                    phase.errors += 1
                else:
                    phase.accepted.add(client_id)
        finally:
            await connection.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    phase.seconds = time.perf_counter() - start
    return phase


def log_in(base: str) -> tuple[str, str]:
    """Log the benchmark's surveyor in; return the Cookie header value and CSRF token."""
    with httpx.Client(base_url=base) as http:
        page = http.get("/s/login")
        nonce = re.search(r'name="login_csrf" value="([^"]+)"', page.text)
        assert nonce is not None
        done = http.post(
            "/s/login",
            data={"username": SURVEYOR[0], "password": SURVEYOR[1], "login_csrf": nonce.group(1)},
        )
        assert done.status_code in (200, 303), done.text
        csrf = http.get("/s/api/session").json()["csrf_token"]
        return f"sipas_session={http.cookies['sipas_session']}", csrf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients")
    parser.add_argument("--requests", type=int, default=2000, help="requests per endpoint")
    parser.add_argument("--max-seconds", type=float, default=60, help="time limit per endpoint")
    parser.add_argument("--replays", type=float, default=0.1, help="share of replayed requests")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--postgres-url", help="an existing server's maintenance database")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    server = None if args.postgres_url else PostgresServer.start()
    admin_url = args.postgres_url or server.url()  # type: ignore[union-attr]
    name = f"sipas_bench_{os.getpid()}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        rng = random.Random(args.seed)
        form = load_questionnaire_file(bundled_path("national-2024"))
        fresh = args.requests - int(args.requests * args.replays)
        _, respondent_ids = prepare(url, fresh)
        interviews: list[dict[str, Any]] = [
            {
                "client_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "respondent_id": respondent,
                "answers": random_answers(form, rng),
                "started_at": "2024-10-01T08:00:00+07:00",
            }
            for respondent in respondent_ids
        ]
        replays = [rng.choice(interviews) for _ in range(args.requests - fresh)]
        bodies = [(b["client_id"], json.dumps(b).encode()) for b in interviews + replays]
        rng.shuffle(bodies)
        print(
            f"{args.requests} requests per endpoint ({len(replays)} replays in capture), "
            f"{args.clients} clients, uvicorn workers {args.workers}, "
            f"{sum(len(b['answers']) for b in interviews) / len(interviews):.1f} answers and "
            f"{sum(len(b) for _, b in bodies) / len(bodies):.0f} bytes per interview, "
            f"PostgreSQL {'given' if args.postgres_url else 'throw-away'}"
        )
        with uvicorn_server(url, args.workers) as (base, pid):
            cookie, csrf = log_in(base)
            common: dict[str, Any] = {
                "clients": args.clients,
                "max_seconds": args.max_seconds,
                "headers": {"Cookie": cookie, "X-CSRF-Token": csrf},
            }
            phases = [
                ("warm-up", "/bench/echo", bodies[: 4 * args.clients], 200),
                ("bare: parse only", "/bench/echo", bodies, 200),
                ("bare: parse + 1 insert", "/bench/insert", bodies, 201),
                ("bare: same rows", "/bench/rows", bodies, 201),
                ("capture /s/api/responses", "/s/api/responses", bodies, 201),
            ]
            results = []
            for name, path, batch, status in phases:
                before = cpu_seconds(pid)
                phase = asyncio.run(
                    run_phase(base, name, path, batch, ok=frozenset({status, 200}), **common)
                )
                phase.server_cpu = cpu_seconds(pid) - before
                results.append(phase)
        _, echo, bare, rows, capture = results
        engine = create_db_engine(url)
        with engine.connect() as connection:
            captured = Response.respondent_id.isnot(None)  # the bare rows have none
            stored = connection.execute(
                select(func.count()).select_from(Response).where(captured)
            ).scalar_one()
            distinct = connection.execute(
                select(func.count(func.distinct(Response.client_id))).where(captured)
            ).scalar_one()
        engine.dispose()
        for phase in (echo, bare, rows, capture):
            print(phase.line())
        duplicates = stored - len(capture.accepted)
        print(
            f"capture: {stored} responses stored, {distinct} distinct client_ids, "
            f"{len(capture.accepted)} accepted; duplicates {duplicates}"
        )
        ratio = capture.throughput / bare.throughput
        print(
            f"capture / bare insert throughput: {ratio:.0%} (target >= 40%); "
            f"capture / bare same rows: {capture.throughput / rows.throughput:.0%}; "
            f"capture / parse-only: {capture.throughput / echo.throughput:.0%}"
        )
        ok = ratio >= 0.4 and capture.errors == 0 and duplicates == 0 and stored == distinct
        print("target met" if ok else "TARGET NOT MET")
    finally:
        admin.dispose()
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
