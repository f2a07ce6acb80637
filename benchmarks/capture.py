"""Capture: concurrent phones syncing complete national-2024 interviews, and the API.

N clients on loopback post complete interviews of the national 2024 form to the
surveyors' sync endpoint (``POST /s/api/responses``: session cookie, CSRF token,
assignment check, full validation, client_id idempotency, first-completed-wins,
outcome update with audit event) and to the JSON API (``POST /campaigns/{id}/responses``
with an admin's token), served by uvicorn on PostgreSQL. A share of the requests
replays an interview already sent, as a phone does when it never got the answer. On
the same server process, the same bodies go to bare FastAPI endpoints:

- ``bare: parse only``: parse the JSON body, answer; no database;
- ``bare: same rows``: parse it and insert what capture stores (a response row and one
  row per answer) with two plain SQL statements: the baseline.

The endpoints take turns in ``--rounds`` rounds (ABAB), so drifting load on a shared
machine falls on all of them alike. Reported per endpoint: the server process's CPU
time per request (from ``/proc``; the measure that does not depend on other work on the
machine), throughput, p50/p99 latency, errors; and duplicates (stored rows minus
distinct client_ids accepted). Goal: capture and API at least 50% of the baseline's
capacity (its CPU per request over theirs), 0 errors, 0 duplicates.

Run it by hand (it is not a test)::

    .venv/bin/python benchmarks/capture.py                 # starts a throw-away PostgreSQL
    .venv/bin/python benchmarks/capture.py --clients 64 --requests 4000 --rounds 6
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

from app.auth import repository as auth_repository  # noqa: E402
from app.auth.models import Role  # noqa: E402
from app.core.db import create_db_engine, make_sessionmaker  # noqa: E402
from app.core.deps import DatabaseDep  # noqa: E402
from app.core.migrate import upgrade  # noqa: E402
from app.main import create_app  # noqa: E402
from app.response.models import Response  # noqa: E402
from app.unit.models import Unit, UnitKind  # noqa: E402
from benchmarks.common import cpu_seconds, load_average, random_answers  # noqa: E402
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


def prepare(url: str, respondents: int) -> tuple[int, list[int], str]:
    """Migrate and load: the national 2024 form, a campaign in fieldwork, a sample of
    ``respondents`` people assigned to one surveyor, an admin's API token. Returns
    (campaign id, respondent ids, token)."""
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
        admin = auth_repository.create_user(db, username="bench-admin", role=Role.ADMIN)
        token = auth_repository.issue_token(db, admin)
        db.commit()
    engine.dispose()
    return campaign_id, ids, token


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
        deadline = time.monotonic() + 180
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

    def add(self, other: Phase) -> None:
        self.server_cpu += other.server_cpu
        self.latencies += other.latencies
        for status, count in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + count
        self.errors += other.errors
        self.seconds += other.seconds
        self.accepted |= other.accepted

    @property
    def cpu_per_request(self) -> float:
        return self.server_cpu / max(self.done, 1)

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


def _interviews(
    form: Any, rng: random.Random, respondents: list[int], replays: float
) -> list[tuple[str, dict[str, Any]]]:
    """One complete interview per respondent, plus ``replays`` of them sent again."""
    interviews: list[dict[str, Any]] = [
        {
            "client_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "respondent_id": respondent,
            "answers": random_answers(form, rng),
            "started_at": "2024-10-01T08:00:00+07:00",
        }
        for respondent in respondents
    ]
    again = [rng.choice(interviews) for _ in range(int(len(interviews) * replays))]
    bodies = [(str(b["client_id"]), b) for b in interviews + again]
    rng.shuffle(bodies)
    return bodies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients")
    parser.add_argument("--requests", type=int, default=2000, help="requests per endpoint")
    parser.add_argument("--rounds", type=int, default=4, help="interleaved rounds (ABAB)")
    parser.add_argument("--max-seconds", type=float, default=60, help="time limit per phase")
    parser.add_argument("--replays", type=float, default=0.1, help="share of replayed requests")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--postgres-url", help="an existing server's maintenance database")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON last")
    args = parser.parse_args()
    figures = run(args)
    if args.json:
        print(json.dumps(figures))


def run(args: argparse.Namespace) -> dict[str, Any]:
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
        campaign_id, respondent_ids, token = prepare(url, 2 * fresh)
        synced = _interviews(form, rng, respondent_ids[:fresh], args.replays)
        posted = [
            (client_id, {**body, "mode": "interview", "status": "complete"})
            for client_id, body in _interviews(form, rng, respondent_ids[fresh:], args.replays)
        ]
        encoded = {
            "sync": [(c, json.dumps(b).encode()) for c, b in synced],
            "api": [(c, json.dumps(b).encode()) for c, b in posted],
        }
        print(
            f"{len(synced)} requests per endpoint ({len(synced) - fresh} replays in capture), "
            f"{args.clients} clients, uvicorn workers {args.workers}, {args.rounds} interleaved "
            f"rounds, {sum(len(b['answers']) for _, b in synced) / len(synced):.1f} answers and "
            f"{sum(len(b) for _, b in encoded['sync']) / len(synced):.0f} bytes per interview, "
            f"PostgreSQL {'given' if args.postgres_url else 'throw-away'}, "
            f"load average at start {load_average()}"
        )
        with uvicorn_server(url, args.workers) as (base, pid):
            cookie, csrf = log_in(base)
            page = {"Cookie": cookie, "X-CSRF-Token": csrf}
            bearer = {"Authorization": f"Bearer {token}"}
            api_path = f"/api/v1/campaigns/{campaign_id}/responses"
            endpoints = [
                ("bare: parse only", "/bench/echo", "sync", page, 200),
                ("bare: same rows", "/bench/rows", "sync", page, 201),
                ("capture /s/api/responses", "/s/api/responses", "sync", page, 201),
                ("API POST /responses", api_path, "api", bearer, 201),
            ]
            warm = encoded["sync"][: 4 * args.clients]
            asyncio.run(
                run_phase(base, "warm-up", "/bench/echo", warm, clients=args.clients,
                          max_seconds=args.max_seconds, headers=page, ok=frozenset({200}))
            )  # fmt: skip
            totals = {name: Phase(name) for name, *_ in endpoints}
            rounds: dict[str, list[float]] = {name: [] for name, *_ in endpoints}
            for index in range(args.rounds):  # ABAB: every endpoint in every round
                for name, path, kind, headers, status in endpoints:
                    batch = encoded[kind][index :: args.rounds]
                    before = cpu_seconds(pid)
                    phase = asyncio.run(
                        run_phase(base, name, path, batch, clients=args.clients,
                                  max_seconds=args.max_seconds, headers=headers,
                                  ok=frozenset({status, 200}))
                    )  # fmt: skip
                    phase.server_cpu = cpu_seconds(pid) - before
                    rounds[name].append(phase.cpu_per_request)
                    totals[name].add(phase)
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
        for phase in totals.values():
            print(phase.line())
        accepted = len(totals["capture /s/api/responses"].accepted) + len(
            totals["API POST /responses"].accepted
        )
        duplicates = stored - accepted
        print(
            f"stored {stored} responses, {distinct} distinct client_ids, {accepted} accepted; "
            f"duplicates {duplicates}; load average at end {load_average()}"
        )
        bare = totals["bare: same rows"]
        figures: dict[str, Any] = {"duplicates": duplicates, "rounds": rounds}
        for name in ("capture /s/api/responses", "API POST /responses"):
            phase = totals[name]
            per_round = [
                b / c for b, c in zip(rounds["bare: same rows"], rounds[name], strict=True)
            ]
            ratio = bare.cpu_per_request / phase.cpu_per_request
            print(
                f"{name}: server CPU per request {phase.cpu_per_request * 1000:.2f} ms against "
                f"{bare.cpu_per_request * 1000:.2f} ms for the bare endpoint storing the same rows"
                f": {ratio:.0%} of its capacity (rounds min {min(per_round):.0%}, median "
                f"{statistics.median(per_round):.0%}); throughput {phase.throughput:.0f} against "
                f"{bare.throughput:.0f} req/s; errors {phase.errors}"
            )
            figures[name] = {
                "cpu_ms": phase.cpu_per_request * 1000,
                "bare_cpu_ms": bare.cpu_per_request * 1000,
                "ratio": ratio,
                "ratio_min": min(per_round),
                "ratio_median": statistics.median(per_round),
                "errors": phase.errors,
                "throughput": phase.throughput,
                "bare_throughput": bare.throughput,
            }
        figures["parse_only_cpu_ms"] = totals["bare: parse only"].cpu_per_request * 1000
        return figures
    finally:
        admin.dispose()
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
