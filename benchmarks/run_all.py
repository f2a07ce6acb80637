"""Every benchmark of issue 12, one table: measure, ours, baseline, ratio, goal.

    .venv/bin/python benchmarks/run_all.py [--responses 10000,100000] [--rows 1000000]
        [--requests 2000] [--quick]

Runs, on a throw-away PostgreSQL 15 (the test suite's: fsync off):

* results (``benchmarks/results.py``): ``POST /results`` work at each size, against the
  same answers read with plain psycopg and analysed (ABAB, child processes), and
  ``GET /results`` (stored document, 304) against rebuilding the document;
* submissions (``benchmarks/capture.py``): the sync and the API against a bare endpoint
  storing the same rows, interleaved rounds, server CPU per request;
* import (``benchmarks/sampling.py``'s case list): ``import_case_list`` of the file against
  PostgreSQL's own ``COPY`` of the same rows, already clean, into ``case`` with its keys
  and indexes (rolled back);
* draw: ``sampling.draw`` of 2,000 + 50 % reserves over the frame of that file against
  the same work with numpy (allocation, ``Generator.choice`` per stratum, keys, SHA-256
  digest), CPU time per draw, ABAB.

Times are CPU seconds where the work is one process (they do not move with other work
on a shared machine); wall time is printed beside them. ``--quick`` runs small sizes to
check that everything works.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from benchmarks import capture, results
from benchmarks import sampling as sampling_bench
from benchmarks.common import create_database, load_average, migrate_and_load_demo, postgres

Row = tuple[str, str, str, str, str]


def import_figures(admin: str, rows: int, work: Path) -> tuple[list[Row], Path]:
    """Import of ``rows`` cases against storing the same clean rows with COPY."""
    cases = work / "cases.csv"
    sampling_bench.write_cases(cases, rows)
    url = create_database(admin, "bench_import")
    campaign = migrate_and_load_demo(url)
    ours = sampling_bench.run_child_import(url, cases, campaign)
    floor = clean_copy_seconds(url)
    print(
        f"import of {rows:,} rows: {ours['seconds']:.1f} s (CPU {ours['cpu_seconds']:.1f} s), "
        f"peak RSS {ours['peak_rss_mb']:.0f} MB; COPY of the clean rows into case "
        f"{floor:.1f} s (load {load_average()})"
    )
    return [
        (
            f"import {rows:,} case rows, PostgreSQL (wall s)",
            f"{ours['seconds']:.1f}",
            f"{floor:.1f} (COPY of the same clean rows into case, with its keys)",
            f"{ours['seconds'] / floor:.2f}",
            "≤ 1.5",
        ),
        (
            "import peak RSS (MB)",
            f"{ours['peak_rss_mb']:.0f}",
            "",
            "",
            "< 300, flat",
        ),
    ], cases


def clean_copy_seconds(url: str) -> float:
    """COPY the imported (clean) rows into ``case`` again, in a transaction rolled back:
    what PostgreSQL alone spends storing them with the table's keys and indexes."""
    import io

    import psycopg

    from app.case.repository import CASE_COLUMNS

    columns = ", ".join(f'"{c}"' for c in CASE_COLUMNS)
    with psycopg.connect(results._conninfo(url)) as connection:
        buffer = io.BytesIO()
        with connection.cursor() as cursor:
            with cursor.copy(f'COPY (SELECT {columns} FROM "case") TO STDOUT') as copy:
                for chunk in copy:
                    buffer.write(chunk)
            start = time.perf_counter()
            with cursor.copy(f'COPY "case" ({columns}) FROM STDIN') as copy:
                copy.write(buffer.getvalue())
            seconds = time.perf_counter() - start
        connection.rollback()
    return seconds


def draw_figures(cases: Path, rounds: int = 7, per_round: int = 10) -> list[Row]:
    """CPU time per draw, ours against the same work with numpy, ABAB."""
    from sampling import FrameStratum, allocate, draw, parse_design
    from sampling.draw import DrawnGroup, sample_digest

    by_unit: dict[str, set[str]] = {}
    with cases.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for row in reader:
            if row[6].startswith("09"):
                by_unit.setdefault(row[4], set()).add(f"tel:{row[6]}")
    strata = [FrameStratum(name=n, keys=tuple(sorted(k))) for n, k in sorted(by_unit.items())]
    arrays = {s.name: np.asarray(s.keys) for s in strata}
    n, ratio = sampling_bench.DRAW_N, sampling_bench.RESERVE_RATIO
    design = parse_design({"allocation": {"method": "proportional", "n": n},
                           "reserves": {"ratio": ratio}})  # fmt: skip

    def ours(seed: int) -> None:
        draw(strata, design, seed, digest="given")

    def baseline(seed: int) -> None:
        allocation = allocate({s.name: s.size for s in strata}, n, "proportional")
        generator = np.random.Generator(np.random.PCG64(seed))
        groups = []
        for stratum in strata:
            count = allocation.counts[stratum.name]
            take = min(count + int(np.ceil(ratio * count)), stratum.size)
            chosen = generator.choice(stratum.size, size=take, replace=False)
            keys = arrays[stratum.name][chosen].tolist()
            groups.append(
                DrawnGroup(stratum.name, (), (), 1, tuple(keys), (count / stratum.size,) * take,
                           count)
            )  # fmt: skip
        hashlib.sha256(sample_digest(groups).encode())

    timings: dict[str, list[float]] = {"ours": [], "baseline": []}
    for index in range(rounds):  # ABAB
        for name, function in (("ours", ours), ("baseline", baseline)):
            start = time.process_time()
            for seed in range(index * per_round, (index + 1) * per_round):
                function(seed)
            timings[name].append((time.process_time() - start) / per_round)
    best = {name: min(values) for name, values in timings.items()}
    median = {name: statistics.median(values) for name, values in timings.items()}
    people = sum(s.size for s in strata)
    print(
        f"draw of {n} + {ratio:.0%} reserves from {people:,} people in {len(strata)} strata, "
        f"CPU ms per draw (min / median of {rounds} rounds of {per_round}): ours "
        f"{best['ours'] * 1000:.2f} / {median['ours'] * 1000:.2f}, numpy same work "
        f"{best['baseline'] * 1000:.2f} / {median['baseline'] * 1000:.2f}"
    )
    return [
        (
            f"stratified draw from {people:,} cases (CPU ms, min of {rounds})",
            f"{best['ours'] * 1000:.2f}",
            f"{best['baseline'] * 1000:.2f} (numpy: allocation, choice, keys, digest)",
            f"{best['ours'] / best['baseline']:.2f}",
            "≤ 1.2",
        )
    ]


def results_figures(admin: str, sizes: list[int], repeat: int) -> list[Row]:
    report = results.run(sizes, repeat, admin)
    rows: list[Row] = []
    for size, runs in report["sizes"].items():
        ours = min(runs["ours"], key=lambda r: r["cpu_seconds"])
        base = min(runs["baseline"], key=lambda r: r["cpu_seconds"])
        rows.append(
            (
                f"compute results, {size:,} responses × 39 criteria, 40 units (CPU s; wall s)",
                f"{ours['cpu_seconds']:.1f}; {ours['seconds']:.1f}",
                f"{base['cpu_seconds']:.1f}; {base['seconds']:.1f} (psycopg rows + analysis)",
                f"{ours['cpu_seconds'] / base['cpu_seconds']:.2f}",
                "< 60 s",
            )
        )
        rows.append(
            (
                f"compute results, {size:,} responses: peak RSS (MB)",
                f"{ours['peak_rss_mb']:.0f}",
                f"{base['peak_rss_mb']:.0f}",
                f"{ours['peak_rss_mb'] / base['peak_rss_mb']:.2f}",
                "< 1024, flat",
            )
        )
    serve = report["serve"]
    for key, label, goal in (("get", "GET /results (200)", "p50 < 100 ms"),
                             ("not_modified", "GET /results (304)", "< 20 ms")):  # fmt: skip
        rows.append(
            (
                f"{label}, {max(sizes):,} responses (ms p50 wall; CPU)",
                f"{serve[key] * 1000:.1f}; {serve[key + '_cpu'] * 1000:.1f}",
                f"{serve['rebuild'] * 1000:.1f}; {serve['rebuild_cpu'] * 1000:.1f} "
                "(rebuilding and hashing the document, as before)",
                f"{serve[key] / serve['rebuild']:.2f}",
                goal,
            )
        )
    return rows


def capture_figures(admin: str, requests: int) -> list[Row]:
    args = argparse.Namespace(
        clients=32,
        requests=requests,
        rounds=4,
        max_seconds=120,
        replays=0.1,
        workers=1,
        postgres_url=admin,
        seed=2024,
        json=False,
    )
    figures = capture.run(args)
    rows: list[Row] = []
    for name in ("capture /s/api/responses", "API POST /responses"):
        f = figures[name]
        rows.append(
            (
                f"submissions {name} (server CPU ms/request)",
                f"{f['cpu_ms']:.2f}",
                f"{f['bare_cpu_ms']:.2f} (bare endpoint storing the same rows)",
                f"{f['ratio']:.0%} of bare (rounds {f['ratio_min']:.0%}–"
                f"{f['ratio_median']:.0%} median); {f['errors']} errors, "
                f"{figures['duplicates']} duplicates",
                "≥ 50 %, 0, 0",
            )
        )
    return rows


def table(rows: list[Row]) -> str:
    lines = [
        "| measure | ours | baseline | ratio | goal |",
        "|---|---:|---|---|---|",
        *(f"| {' | '.join(row)} |" for row in rows),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/sipas-bench"))
    parser.add_argument("--quick", action="store_true", help="small sizes, to try it")
    parser.add_argument("--only", help="comma-separated: results,capture,import,draw")
    args = parser.parse_args()
    if args.quick:
        args.responses, args.repeat, args.rows, args.requests = "1000,3000", 1, 20_000, 200
    parts = set((args.only or "results,capture,import,draw").split(","))
    args.work.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    print(f"started {started:%Y-%m-%d %H:%M} UTC, load average {load_average()}")
    rows: list[Row] = []
    with postgres() as admin:
        if "import" in parts:
            imported, cases = import_figures(admin, args.rows, args.work)
            rows += imported
        elif "draw" in parts:  # the draw alone needs the case list, not its import
            cases = args.work / "cases.csv"
            sampling_bench.write_cases(cases, args.rows)
        if "draw" in parts:
            rows += draw_figures(cases)
        if "results" in parts:
            rows += results_figures(admin, [int(s) for s in args.responses.split(",")], args.repeat)
        if "capture" in parts:
            rows += capture_figures(admin, args.requests)
    print(
        f"\nfinished {datetime.now(UTC):%Y-%m-%d %H:%M} UTC "
        f"({(datetime.now(UTC) - started).total_seconds() / 60:.0f} min), "
        f"load average {load_average()}\n"
    )
    print(table(rows))


if __name__ == "__main__":
    main()
