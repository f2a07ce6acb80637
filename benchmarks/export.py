"""Peak memory and time of the respondent-level export (run by hand; prints its figures).

    .venv/bin/python benchmarks/export.py [--sizes 10000,100000] [--repeat 2]

For each size, a fresh PostgreSQL database holds the demo (40 Sóc Trăng units, the
national 2024 form) and that many complete responses over the 40 units (about 76
answers each, :func:`benchmarks.results.generate`), each the response of a sampled
respondent of a stored draw (one stratum per unit, d = 2, names and phones filled in).
Then, alternating (ABAB), each in a child process so that its peak RSS is its own:

* ours: :func:`app.response.export.export_responses` to a file, as CSV, XLSX and SPSS;
* baseline (the same rows and cells without streaming): the export's own query fetched
  whole (``fetchall``), every cell built, then written as CSV, which is what an export
  holding its rows in memory costs.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import (
    create_database,
    load_average,
    measured,
    migrate_and_load_demo,
    postgres,
    run_child,
)
from benchmarks.results import _conninfo, generate

KINDS = ("csv", "xlsx", "sav", "baseline")


def add_draw(url: str, campaign_id: int) -> None:
    """One sampled respondent per response (stratum = its unit), linked to it."""
    import psycopg

    with psycopg.connect(_conninfo(url)) as connection:
        sample_id = connection.execute(
            "INSERT INTO sample (campaign_id, frame_digest, design, seed, algorithm_version, "
            "sample_digest, created_at) VALUES (%s, %s, '{}', '1', 'benchmark', %s, now()) "
            "RETURNING id",
            (campaign_id, "0" * 64, "0" * 64),
        ).fetchone()[0]  # type: ignore[index]
        connection.execute(
            "INSERT INTO sampled_respondent (id, sample_id, unit_id, stratum, draw_order, "
            "is_reserve, inclusion_probability, design_weight, outcome, full_name, phone, "
            "address, created_at, updated_at) "
            "SELECT 1000000 + r.id, %s, r.unit_id, u.code, r.id, false, 0.5, 2.0, "
            "'completed', 'Nguyễn Văn ' || r.id, '0912' || lpad(r.id::text, 6, '0'), "
            "'Ấp ' || r.id, now(), now() "
            "FROM response r JOIN unit u ON u.id = r.unit_id WHERE r.campaign_id = %s",
            (sample_id, campaign_id),
        )
        connection.execute(
            "UPDATE response SET respondent_id = 1000000 + id WHERE campaign_id = %s",
            (campaign_id,),
        )
        connection.execute("ANALYZE sampled_respondent")
        connection.execute("ANALYZE response")
        connection.commit()


def child_export(url: str, campaign_id: int, kind: str) -> dict[str, Any]:
    from app.core.db import create_db_engine, make_sessionmaker
    from app.response.export import ExportFilters, export_responses
    from app.response.export_files import ExportFormat

    engine = create_db_engine(url)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export.{kind}"
        with make_sessionmaker(engine)() as db:
            done = export_responses(
                db, campaign_id, ExportFilters(), ExportFormat(kind), path, reader=None
            )
        size = path.stat().st_size
    engine.dispose()
    return {"rows": done.rows, "bytes": size}


def child_baseline(url: str, campaign_id: int) -> dict[str, Any]:
    """The same query and cells, every row fetched first, then written as CSV."""
    import csv

    from app.campaign.service import get as get_campaign
    from app.core.db import create_db_engine, make_sessionmaker
    from app.questionnaire.service import parsed
    from app.response import export, repository
    from app.response.design import campaign_design
    from questionnaires.codebook import cell, item_columns

    engine = create_db_engine(url)
    with make_sessionmaker(engine)() as db, tempfile.TemporaryDirectory() as folder:
        campaign = get_campaign(db, campaign_id)
        items = item_columns([parsed(campaign.questionnaire_version)])
        design = campaign_design(db, campaign_id)
        criteria = {"review_states": export.KEPT_STATES}
        query = repository.export_query(db, campaign_id, criteria, personal=False)
        rows = db.execute(query).fetchall()
        table = []
        for row in rows:
            answers = json.loads(row.answers)
            table.append(
                [
                    row.id,
                    row.unit_id,
                    *export._design_cells(row, design),
                    *(cell(c, answers.get(c.code)) for c in items),
                ]
            )
        path = Path(folder) / "baseline.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            csv.writer(out).writerows(table)
        size = path.stat().st_size
    engine.dispose()
    return {"rows": len(table), "bytes": size}


def run(sizes: list[int], repeat: int, admin_url: str | None, kinds: list[str]) -> None:
    script = Path(__file__)
    with postgres(admin_url) as admin:
        for size in sizes:
            url = create_database(admin, f"bench_export_{size}")
            campaign_id = migrate_and_load_demo(url)
            start = time.perf_counter()
            generate(url, campaign_id, size)
            add_draw(url, campaign_id)
            print(f"{size:,} responses written in {time.perf_counter() - start:.1f} s")
            for _ in range(repeat):  # ABAB
                for kind in kinds:
                    figures = run_child(script, "_child", kind, url, str(campaign_id))
                    print(
                        f"  {kind:<8} {figures['rows']:,} rows, {figures['bytes'] / 1e6:.1f} MB: "
                        f"{figures['seconds']:6.1f} s wall, CPU {figures['cpu_seconds']:.1f} s, "
                        f"peak RSS {figures['peak_rss_mb']:.0f} MB (load {load_average()})",
                        flush=True,
                    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--kinds", default=",".join(KINDS), help="of " + ", ".join(KINDS))
    parser.add_argument("--postgres-url", help="an existing server's maintenance database")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    run(sizes, args.repeat, args.postgres_url, args.kinds.split(","))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        kind, url, campaign = sys.argv[2], sys.argv[3], int(sys.argv[4])
        if kind == "baseline":
            measured(lambda: child_baseline(url, campaign))
        else:
            measured(lambda: child_export(url, campaign, kind))
    else:
        main()
