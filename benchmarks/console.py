"""Staff console latency at scale: a campaign with 100,000 complete responses.

Seeds PostgreSQL with one campaign on the national 2024 form: 20 units, 120,000 sampled
people (100,000 answered, the rest refused, not reachable or pending) and 2,400 reserves
(half of them released for refusals), 100 surveyors,
100,000 complete responses with their 39 rated criteria (3.9 million answers), review
states spread over them, and the results computed once. Then, against uvicorn on that
database, it requests each console page many times as a logged-in administrator and
reports p50, p95 and max latency:

- the live dashboard (whole page, and the fragment the page fetches to refresh);
- the review table, filtered (unit, review state) and paged (the 11th page);
- the results page;
- ``GET /health`` (one ``SELECT 1``): the floor of any request on this server.

The goal is a p95 under 300 ms for the dashboard, the review table and the results.

Run it by hand (it is not a test)::

    .venv/bin/python benchmarks/console.py                    # starts a throw-away PostgreSQL
    .venv/bin/python benchmarks/console.py --responses 20000 --repeat 30
    .venv/bin/python benchmarks/console.py --postgres-url postgresql+psycopg://u:p@host/postgres
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.auth import repository as auth_repository
from app.auth.models import Role
from app.campaign import service as campaign_service
from app.campaign.models import CampaignStatus
from app.campaign.schemas import CampaignCreate
from app.core.config import Environment, Settings
from app.core.db import create_db_engine, make_sessionmaker
from app.core.migrate import upgrade
from app.main import create_app
from app.questionnaire import service as questionnaire_service
from app.result import service as result_service
from app.sample.models import Sample
from app.unit.models import Unit, UnitKind
from benchmarks.common import load_average
from tests.support.pages import log_in
from tests.support.postgres import PostgresServer
from tests.support.server import running_server

ADMIN = ("bench-admin", "mat-khau-benchmark")
UNITS = 20
SURVEYORS = 100


def database(admin_url: str, name: str | None) -> tuple[str, bool]:
    """The URL of database ``name`` on the server (a new one if no name is given) and
    whether it must be seeded (it did not exist)."""
    name = name or f"sipas_console_bench_{int(time.time())}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    return url, not exists


def seed(url: str, responses: int) -> int:
    """The campaign, its people, surveyors, responses and answers; its id."""
    engine = create_db_engine(url)
    with engine.begin() as connection:
        upgrade(connection)
    factory = make_sessionmaker(engine)
    people = responses * 6 // 5
    with factory() as db:
        province = Unit(code="st", name="Tỉnh Sóc Trăng", kind=UnitKind.PROVINCE)
        db.add(province)
        db.flush()
        db.add_all(
            Unit(
                code=f"u{i:02d}",
                name=f"Sở thứ {i}",
                kind=UnitKind.DEPARTMENT,
                parent_id=province.id,
            )
            for i in range(UNITS)
        )
        number = questionnaire_service.publish_bundled(db, "national-2024", actor=None)
        campaign = campaign_service.create(
            db,
            CampaignCreate(
                name="Khảo sát SIPAS (benchmark)",
                year=2024,
                scope_unit_code="st",
                questionnaire_code="national-2024",
                questionnaire_version=number,
            ),
            actor=None,
        )
        campaign_service.change_status(db, campaign.id, CampaignStatus.FIELDWORK, actor=None)
        sample = Sample(
            campaign_id=campaign.id,
            frame_digest="0" * 64,
            design={"benchmark": True},
            seed="1",
            algorithm_version="benchmark",
            sample_digest="0" * 64,
        )
        db.add(sample)
        auth_repository.create_user(
            db, username=ADMIN[0], role=Role.ADMIN, full_name="Benchmark", password=ADMIN[1]
        )
        db.commit()
        campaign_id, sample_id = campaign.id, sample.id
        version_id = db.execute(
            text("SELECT questionnaire_version_id FROM campaign WHERE id = :c"), {"c": campaign_id}
        ).scalar_one()
        criteria = [
            item.code
            for item in questionnaire_service.get_parsed(db, "national-2024", number).criteria()
        ]
    statements = [
        (
            "INSERT INTO sampled_respondent (sample_id, unit_id, stratum, draw_order, is_reserve, "
            "inclusion_probability, design_weight, outcome, full_name, phone) "
            "SELECT :sample, u.id, u.code, g, false, 0.1, 10.0, "
            "CASE WHEN g <= :answered THEN 'completed' WHEN g % 3 = 0 THEN 'refused' "
            "WHEN g % 3 = 1 THEN 'not_reachable' ELSE 'pending' END, "
            "'Người ' || g, '09' || lpad(g::text, 8, '0') "
            "FROM generate_series(1, :people) g "
            "JOIN unit u ON u.code = 'u' || lpad(((g % :units))::text, 2, '0')"
        ),
        (
            "INSERT INTO sampled_respondent (sample_id, unit_id, stratum, draw_order, is_reserve, "
            "inclusion_probability, design_weight, outcome, full_name, phone) "
            "SELECT :sample, u.id, u.code, :people + g, true, 0.1, 10.0, "
            "CASE WHEN g % 4 = 0 THEN 'refused' ELSE 'pending' END, "
            "'Người ' || (:people + g), '08' || lpad(g::text, 8, '0') "
            "FROM generate_series(1, :reserves) g "
            "JOIN unit u ON u.code = 'u' || lpad(((g % :units))::text, 2, '0')"
        ),
        (
            "WITH reserve AS (SELECT id, unit_id, row_number() OVER (PARTITION BY unit_id "
            "ORDER BY id) AS n FROM sampled_respondent WHERE sample_id = :sample AND is_reserve "
            "AND draw_order <= :people + :reserves / 2), "
            "refused AS (SELECT id, unit_id, row_number() OVER (PARTITION BY unit_id "
            "ORDER BY id) AS n FROM sampled_respondent WHERE sample_id = :sample "
            "AND NOT is_reserve AND outcome = 'refused') "
            "UPDATE sampled_respondent s SET replaces_id = refused.id "
            "FROM reserve JOIN refused USING (unit_id, n) WHERE s.id = reserve.id"
        ),
        (
            "UPDATE sampled_respondent SET outcome = 'replaced' WHERE id IN "
            "(SELECT replaces_id FROM sampled_respondent WHERE sample_id = :sample)"
        ),
        (
            "INSERT INTO surveyor (full_name, organisation) "
            "SELECT 'Điều tra viên ' || g, 'Bưu điện tỉnh' FROM generate_series(1, :surveyors) g"
        ),
        (
            "INSERT INTO assignment (sampled_respondent_id, surveyor_id) "
            "SELECT r.id, s.id FROM sampled_respondent r "
            "JOIN surveyor s ON s.id = (SELECT min(id) FROM surveyor) + r.id % :surveyors "
            "WHERE r.sample_id = :sample"
        ),
        (
            "INSERT INTO response (campaign_id, questionnaire_version_id, respondent_id, unit_id, "
            "mode, client_id, status, payload_sha256, started_at, submitted_at, created_at, "
            "updated_at, review_state) "
            "SELECT :campaign, :version, r.id, r.unit_id, "
            "(ARRAY['interview','self','paper'])[1 + r.id % 3], gen_random_uuid(), 'complete', "
            "md5(r.id::text) || md5(r.id::text), "
            "t - make_interval(mins => 5 + r.id % 30), t, t, t, "
            "(ARRAY['received','approved','approved','has_issues','rejected'])[1 + r.id % 5] "
            "FROM sampled_respondent r, "
            "LATERAL (SELECT now() - make_interval(mins => r.id % 43200) AS t) times "
            "WHERE r.sample_id = :sample AND r.outcome = 'completed'"
        ),
        (
            "INSERT INTO answer (response_id, item_code, value) "
            "SELECT r.id, c.code, to_jsonb(1 + (hashtext(r.id::text || c.code) & 1023) % 5) "
            "FROM response r CROSS JOIN unnest(CAST(:criteria AS text[])) AS c(code) "
            "WHERE r.campaign_id = :campaign"
        ),
        "ANALYZE",
    ]
    parameters = {
        "sample": sample_id,
        "campaign": campaign_id,
        "version": version_id,
        "people": people,
        "reserves": people // 50,
        "answered": responses,
        "units": UNITS,
        "surveyors": SURVEYORS,
        "criteria": criteria,
    }
    for statement in statements:
        started = time.perf_counter()
        with engine.begin() as connection:
            connection.execute(text(statement), parameters)
        print(f"  seeded in {time.perf_counter() - started:6.1f} s: {statement[:60]}…", flush=True)
    started = time.perf_counter()
    with factory() as db:
        result_service.compute(db, campaign_id, actor=None)
    print(f"  results computed in {time.perf_counter() - started:.1f} s", flush=True)
    engine.dispose()
    return campaign_id


def campaign_of(url: str) -> int:
    """The benchmark's campaign in an existing database, after migrating it to the head."""
    engine = create_db_engine(url)
    with engine.begin() as connection:
        upgrade(connection)
        campaign_id = connection.execute(text("SELECT min(id) FROM campaign")).scalar_one()
    engine.dispose()
    return int(campaign_id)


def pages_of(url: str, campaign_id: int) -> dict[str, str]:
    with create_db_engine(url).connect() as connection:
        unit = connection.execute(text("SELECT id FROM unit WHERE code = 'u03'")).scalar()
    base = f"/staff/campaigns/{campaign_id}"
    return {
        "GET /health (floor)": "/health",
        "dashboard (page)": f"{base}/dashboard",
        "dashboard (live fragment)": f"{base}/dashboard?fragment=1",
        "review table (unit + state, page 11)": (
            f"{base}/review?unit={unit}&state=approved&offset=500"
        ),
        "review table (all, page 1)": f"{base}/review",
        "review table (all, page 201)": f"{base}/review?offset=10000",
        "results": f"{base}/results",
    }


def measure(client: httpx.Client, pages: dict[str, str], rounds: int) -> dict[str, list[float]]:
    """Milliseconds of each page, requested in turn (one of each per round), after two
    unmeasured rounds."""
    times: dict[str, list[float]] = {name: [] for name in pages}
    for round_number in range(rounds + 2):
        for name, path in pages.items():
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (path, response.status_code)
            if round_number >= 2:
                times[name].append(elapsed)
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20, help="requests of each page per run")
    parser.add_argument("--runs", type=int, default=3, help="runs of --repeat rounds")
    parser.add_argument("--postgres-url", help="maintenance database of an existing server")
    parser.add_argument(
        "--database", help="database name on that server: seeded if new, else reused as it is"
    )
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    server = None if args.postgres_url else PostgresServer.start()
    try:
        admin_url = args.postgres_url or server.url()  # type: ignore[union-attr]
        url, new = database(admin_url, args.database)
        if new:
            print(f"Seeding {args.responses} responses…", flush=True)
            seed(url, args.responses)
        campaign_id = campaign_of(url)
        app = create_app(
            Settings(database_url=url, environment=Environment.TEST, secret_key="bench-" * 6)
        )
        with (
            running_server(app) as base_url,
            httpx.Client(base_url=base_url, timeout=300) as client,
        ):
            log_in(client, "staff", *ADMIN)  # type: ignore[arg-type]
            pages = pages_of(url, campaign_id)
            p95s: dict[str, list[float]] = {name: [] for name in pages}
            for run in range(1, args.runs + 1):
                print(f"\nrun {run}, load average {load_average()}", flush=True)
                print(f"{'page':40} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
                for name, times in measure(client, pages, args.repeat).items():
                    p95s[name].append(p95(times))
                    print(
                        f"{name:40} {statistics.median(times):8.1f} {p95(times):8.1f} "
                        f"{max(times):8.1f}",
                        flush=True,
                    )
            print(f"\nload average {load_average()}; p95 over {args.runs} runs")
            print(f"{'page':40} {'min ms':>8} {'median ms':>9}")
            for name, values in p95s.items():
                print(f"{name:40} {min(values):8.1f} {statistics.median(values):9.1f}")
        app.state.engine.dispose()
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
