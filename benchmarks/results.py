"""Computing and serving results at national scale (run by hand; prints its figures).

    .venv/bin/python benchmarks/results.py [--sizes 10000,100000] [--repeat 2]

For each size, a fresh PostgreSQL database holds the demo (40 Sóc Trăng units, the
national 2024 form) and that many complete responses spread over the 40 units (about
76 answers each, written with ``COPY``). Then, alternating (ABAB), each in a child
process so that its peak RSS is its own:

* ours: ``app.result.service.compute`` (plain rows streamed into the analysis, the
  results stored);
* baseline (same work without the service): psycopg reading the same answers as rows,
  grouped per response in Python, then ``analysis.tabulate`` and ``analysis.analyse``.

And, on the largest size, ``GET /results`` through the app (TestClient, in process):
the stored document (200) and a revalidation (304), against rebuilding the document
from the stored content and hashing it as the service did before (the baseline).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import (
    create_database,
    load_average,
    measured,
    migrate_and_load_demo,
    postgres,
    random_answers,
    run_child,
)

DISTINCT_FORMS = 2000
"""Distinct answer sets written (drawn at random for each response)."""


def _conninfo(url: str) -> str:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return f"host={parsed.host} port={parsed.port} user={parsed.username} dbname={parsed.database}"


def generate(url: str, campaign_id: int, count: int, seed: int = 2024) -> None:
    """``count`` complete responses of the campaign over its 40 units, with COPY."""
    import psycopg

    from questionnaires import bundled_path, load_questionnaire_file

    rng = random.Random(seed)
    form = load_questionnaire_file(bundled_path("national-2024"))
    forms = [random_answers(form, rng) for _ in range(DISTINCT_FORMS)]
    lines = [
        [f"\t{code}\t{json.dumps(value, ensure_ascii=False)}\n" for code, value in a.items()]
        for a in forms
    ]
    with psycopg.connect(_conninfo(url)) as connection:
        version, units = connection.execute(
            "SELECT questionnaire_version_id, scope_unit_id FROM campaign WHERE id = %s",
            (campaign_id,),
        ).fetchone()  # type: ignore[misc]
        unit_ids = [
            row[0]
            for row in connection.execute("SELECT id FROM unit WHERE parent_id = %s", (units,))
        ]
        with connection.cursor() as cursor:
            with cursor.copy(
                "COPY response (id, campaign_id, questionnaire_version_id, unit_id, mode, "
                "client_id, status, payload_sha256, submitted_at, created_at, updated_at) "
                "FROM STDIN"
            ) as copy:
                for i in range(1, count + 1):
                    copy.write(
                        f"{i}\t{campaign_id}\t{version}\t{rng.choice(unit_ids)}\tinterview\t"
                        f"{uuid.UUID(int=rng.getrandbits(128), version=4)}\tcomplete\t"
                        f"{'0' * 64}\t2024-10-01 08:00:00+07\t2024-10-01 08:00:00+07\t"
                        "2024-10-01 08:00:00+07\n"
                    )
            cursor.execute("SELECT setval('response_id_seq', %s)", (count,))
            with cursor.copy("COPY answer (response_id, item_code, value) FROM STDIN") as copy:
                buffer = io.StringIO()
                for i in range(1, count + 1):
                    prefix = str(i)
                    for line in lines[rng.randrange(DISTINCT_FORMS)]:
                        buffer.write(prefix)
                        buffer.write(line)
                    if buffer.tell() > 1 << 20:
                        copy.write(buffer.getvalue())
                        buffer = io.StringIO()
                copy.write(buffer.getvalue())
        connection.execute("ANALYZE response")
        connection.execute("ANALYZE answer")
        connection.commit()


def child_compute(url: str, campaign_id: int) -> dict[str, Any]:
    from app.core.db import create_db_engine, make_sessionmaker
    from app.result import service

    engine = create_db_engine(url)
    with make_sessionmaker(engine)() as db:
        summary = service.compute(db, campaign_id, actor=None)
    engine.dispose()
    return {"responses": summary.responses_used}


def child_baseline(url: str, campaign_id: int) -> dict[str, Any]:
    """The same work without the service: rows from psycopg, grouped in Python."""
    import psycopg

    from analysis import Respondent, analyse, bundled_scheme, tabulate
    from questionnaires import bundled_path, load_questionnaire_file

    form = load_questionnaire_file(bundled_path("national-2024"))
    respondents: list[Respondent] = []
    with psycopg.connect(_conninfo(url)) as connection, connection.cursor("rows") as cursor:
        cursor.itersize = 20_000
        cursor.execute(
            "SELECT r.id, u.code, r.mode, a.item_code, a.value FROM response r "
            "JOIN answer a ON a.response_id = r.id LEFT JOIN unit u ON u.id = r.unit_id "
            "WHERE r.campaign_id = %s AND r.status = 'complete' ORDER BY r.id",
            (campaign_id,),
        )
        answers: dict[str, Any] = {}
        current, unit, mode = None, None, None
        for response_id, code, how, item, value in cursor:
            if response_id != current:
                if current is not None:
                    respondents.append(Respondent(answers=answers, unit=unit, mode=mode))
                current, unit, mode, answers = response_id, code, how, {}
            answers[item] = value
        if current is not None:
            respondents.append(Respondent(answers=answers, unit=unit, mode=mode))
    analyse(form, tabulate(form, respondents), scheme=bundled_scheme("national-province"))
    return {"responses": len(respondents)}


def child_serve(url: str, campaign_id: int, repeat: int) -> dict[str, Any]:
    """Median wall time of GET /results (200 and 304) through the app, and of rebuilding
    and hashing the document the way the service did before (baseline)."""
    from fastapi.testclient import TestClient

    from app.auth import repository as auth_repository
    from app.auth.models import Role
    from app.auth.service import Reader
    from app.core.config import Environment, Settings
    from app.core.hashing import sha256_json
    from app.main import create_app
    from app.result import service

    app = create_app(
        Settings(
            database_url=url,
            environment=Environment.TEST,
            secret_key="benchmark-secret-key-not-for-production",
            log_level="WARNING",
        )
    )
    factory = app.state.sessionmaker
    with factory() as db:
        user = auth_repository.create_user(db, username=f"b{uuid.uuid4().hex[:8]}", role=Role.ADMIN)
        token = auth_repository.issue_token(db, user)
        db.commit()
        reader = Reader(user.id, Role.ADMIN, frozenset())
    headers = {"Authorization": f"Bearer {token}"}
    path = f"/api/v1/campaigns/{campaign_id}/results"
    client = TestClient(app)

    def timed(call: Any) -> tuple[float, float]:
        """Median wall time, and CPU time of this process (every thread) per call."""
        times = []
        cpu = time.process_time()
        for _ in range(repeat):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
        return statistics.median(times), (time.process_time() - cpu) / repeat

    first = client.get(path, headers=headers)
    etag = first.headers["ETag"]
    size = len(first.content)

    def get() -> None:
        assert client.get(path, headers=headers).status_code == 200

    def revalidate() -> None:
        response = client.get(path, headers={**headers, "If-None-Match": etag})
        assert response.status_code == 304

    def rebuild() -> None:
        with factory() as db:
            campaign, row = service.stored(db, campaign_id, reader)
            document = service._document(campaign, row)  # the previous per-request work
            json.dumps(document, ensure_ascii=False)
            hashlib.sha256(sha256_json(document).encode()).hexdigest()

    figures: dict[str, list[tuple[float, float]]] = {}
    for _ in range(3):  # ABAB
        for name, call in (("get", get), ("rebuild", rebuild), ("not_modified", revalidate)):
            figures.setdefault(name, []).append(timed(call))
    report: dict[str, Any] = {"bytes": size}
    for name, values in figures.items():
        report[name] = min(wall for wall, _ in values)
        report[f"{name}_cpu"] = min(cpu for _, cpu in values)
    return report


def run(sizes: list[int], repeat: int, admin_url: str | None) -> dict[str, Any]:
    script = Path(__file__)
    report: dict[str, Any] = {"sizes": {}}
    with postgres(admin_url) as admin:
        largest = None
        for size in sizes:
            url = create_database(admin, f"bench_results_{size}")
            campaign_id = migrate_and_load_demo(url)
            start = time.perf_counter()
            generate(url, campaign_id, size)
            print(f"{size:,} responses written in {time.perf_counter() - start:.1f} s")
            runs: dict[str, list[dict[str, Any]]] = {"ours": [], "baseline": []}
            for _ in range(repeat):  # ABAB
                for name in ("ours", "baseline"):
                    figures = run_child(script, f"_{name}", url, str(campaign_id))
                    runs[name].append(figures)
                    print(
                        f"  {name:<8} {figures['seconds']:7.1f} s, "
                        f"CPU {figures['cpu_seconds']:.1f} s, "
                        f"peak RSS {figures['peak_rss_mb']:.0f} MB (load {load_average()})"
                    )
            report["sizes"][size] = runs
            largest = (url, campaign_id)
        assert largest is not None
        serve = run_child(script, "_serve", largest[0], str(largest[1]), "30")
        print(
            f"GET /results {serve['bytes']:,} bytes, wall p50 / CPU per request (best of 3 "
            f"rounds of 30): 200 {serve['get'] * 1000:.1f} / {serve['get_cpu'] * 1000:.1f} ms, "
            f"304 {serve['not_modified'] * 1000:.1f} / {serve['not_modified_cpu'] * 1000:.1f} ms;"
            f" rebuilding {serve['rebuild'] * 1000:.1f} / {serve['rebuild_cpu'] * 1000:.1f} ms"
        )
        report["serve"] = serve
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--postgres-url", help="an existing server's maintenance database")
    args = parser.parse_args()
    run([int(s) for s in args.sizes.split(",")], args.repeat, args.postgres_url)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("_ours", "_baseline", "_serve"):
        kind, url, campaign = sys.argv[1], sys.argv[2], int(sys.argv[3])
        if kind == "_ours":
            measured(lambda: child_compute(url, campaign))
        elif kind == "_baseline":
            measured(lambda: child_baseline(url, campaign))
        else:
            measured(lambda: child_serve(url, campaign, int(sys.argv[4])))
    else:
        main()
