"""Benchmark of case-list import and stratified draws (run by hand; prints its figures).

    .venv/bin/python benchmarks/sampling.py [--rows 1000000] [--keep DIR]

1. writes a case list of ``--rows`` cases over the 40 Sóc Trăng units of the demo;
2. imports it with ``app.case.service.import_case_list`` into SQLite and into a
   PostgreSQL server started for the run (as the test suite does), each import in a
   child process so that its peak RSS is its own;
3. times PostgreSQL's own ``COPY`` of the same file into a table of text columns;
4. times a stratified draw of 2,000 with 50 % reserves (``sampling.draw``) on the frame
   of that list, against numpy ``Generator.choice`` per stratum on in-memory arrays;

and prints the ratios against the targets: import ≤ 2 × COPY with peak RSS < 300 MB,
draw ≤ 1.5 × the numpy baseline.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.core.db import create_db_engine, make_sessionmaker  # noqa: E402
from app.demo import UNITS_CSV  # noqa: E402
from benchmarks.common import migrate_and_load_demo, peak_rss_mb  # noqa: E402

HEADER = [
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục",
    "Lĩnh vực",
    "Cơ quan giải quyết",
    "Họ tên",
    "Số điện thoại",
    "Địa chỉ",
    "Ngày tiếp nhận",
    "Ngày trả kết quả",
    "Hình thức nộp",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Lâm"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Quốc", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Khoa", "Linh", "Mai", "Nam", "Phúc"]
PROCEDURES = [
    ("Đăng ký khai sinh", "Hộ tịch"),
    ("Cấp giấy chứng nhận quyền sử dụng đất", "Đất đai"),
    ("Cấp giấy phép xây dựng", "Xây dựng"),
    ("Đăng ký thành lập hộ kinh doanh", "Thành lập và hoạt động của hộ kinh doanh"),
    ("Chứng thực bản sao từ bản chính", "Chứng thực"),
]
CHANNELS = ["Trực tiếp", "Trực tuyến", "Bưu chính"]
DRAW_N = 2000
RESERVE_RATIO = 0.5


def unit_names() -> list[tuple[str, str]]:
    with UNITS_CSV.open(encoding="utf-8") as handle:
        return [(r["code"], r["name"]) for r in csv.DictReader(handle) if r["parent_code"]]


def write_cases(path: Path, rows: int, seed: int = 1) -> list[tuple[str, str]]:
    """The case list; about 4 % repeat visitors and 0.5 % bad phone numbers."""
    units = unit_names()
    rng = np.random.default_rng(seed)
    unit_index = rng.integers(0, len(units), rows)
    phones = rng.integers(10_000_000, 99_999_999, rows)
    repeat = rng.random(rows) < 0.04
    bad = rng.random(rows) < 0.005
    days = rng.integers(0, 360, rows)
    names = rng.integers(0, len(FAMILY) * len(MIDDLE) * len(GIVEN), rows)
    procedure = rng.integers(0, len(PROCEDURES), rows)
    channel = rng.integers(0, 3, rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            phone_number = phones[i - 1] if repeat[i] and i else phones[i]
            phone = "12345" if bad[i] else f"09{phone_number:08d}"
            received = np.datetime64("2024-01-01") + int(days[i])
            returned = received + 5
            name_index = int(names[i])
            name = (
                f"{FAMILY[name_index % len(FAMILY)]} "
                f"{MIDDLE[(name_index // len(FAMILY)) % len(MIDDLE)]} "
                f"{GIVEN[name_index // (len(FAMILY) * len(MIDDLE))]}"
            )
            title, field = PROCEDURES[int(procedure[i])]
            writer.writerow(
                [
                    i + 1,
                    f"HS-{i + 1:08d}",
                    title,
                    field,
                    units[int(unit_index[i])][1],
                    name,
                    phone,
                    f"Ấp {int(days[i]) % 9 + 1}, xã {units[int(unit_index[i])][1][-8:]}",
                    _vn_date(received),
                    _vn_date(returned),
                    CHANNELS[int(channel[i])],
                ]
            )
    return units


def _vn_date(day: np.datetime64) -> str:
    year, month, date = str(day).split("-")
    return f"{date}/{month}/{year}"


def child_import(url: str, file: Path, campaign_id: int) -> None:
    """Runs in a child process: import, then print seconds and peak RSS as JSON."""
    from app.case.service import import_case_list

    engine = create_db_engine(url)
    with make_sessionmaker(engine)() as db, file.open("rb") as stream:
        start, cpu = time.perf_counter(), time.process_time()
        result = import_case_list(db, campaign_id, stream, file.name, actor=None)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    engine.dispose()
    peak_mb = peak_rss_mb()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu,
                "peak_rss_mb": peak_mb,
                "accepted": result.case_list.accepted_count,
                "rejected": result.case_list.rejected_count,
            }
        )
    )


def run_child_import(url: str, file: Path, campaign_id: int) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "_import", url, str(file), str(campaign_id)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def csv_read_seconds(file: Path) -> float:
    """Reading the file with Python's csv module alone, no cleaning: the floor of any
    import that looks at each row in Python."""
    start = time.perf_counter()
    with file.open(encoding="utf-8", newline="") as handle:
        for _row in csv.reader(handle):
            pass
    return time.perf_counter() - start


def insert_floor_seconds(url: str) -> float:
    """Server-side INSERT ... SELECT of the imported (clean) cases into ``case`` again,
    rolled back: what storing the rows costs with the table's keys and indexes."""
    from sqlalchemy import text

    engine = create_db_engine(url)
    columns = (
        "row_number, unit_id, case_code, procedure_code, procedure_name, field, received_on, "
        "returned_on, channel, applicant_name, phone, address, commune, hamlet"
    )
    with engine.connect() as connection:
        transaction = connection.begin()
        start = time.perf_counter()
        connection.execute(
            text(f'INSERT INTO "case" (case_frame_id, {columns}) SELECT case_frame_id, {columns} '
                 'FROM "case"')
        )  # fmt: skip
        seconds = time.perf_counter() - start
        transaction.rollback()
    engine.dispose()
    return seconds


def copy_baseline(url: str, file: Path) -> float:
    """PostgreSQL's own COPY of the file into a table of text columns."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    conninfo = (
        f"host={parsed.host} port={parsed.port} user={parsed.username} dbname={parsed.database}"
    )
    columns = ", ".join(f"c{i} text" for i in range(len(HEADER)))
    with psycopg.connect(conninfo) as connection:
        connection.execute(f"CREATE TABLE raw_cases ({columns})")
        start = time.perf_counter()
        with (
            connection.cursor() as cursor,
            cursor.copy("COPY raw_cases FROM STDIN (FORMAT csv, HEADER true)") as copy,
            file.open("rb") as handle,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        connection.commit()
        seconds = time.perf_counter() - start
        connection.execute("DROP TABLE raw_cases")
        connection.commit()
    return seconds


def draw_benchmark(file: Path, repeats: int = 7) -> dict[str, float]:
    """Stratified draw of 2,000 + reserves on the frame of the file, against numpy."""
    from sampling import FrameStratum, RandomStream, allocate, draw, parse_design, simple_random

    by_unit: dict[str, set[str]] = {}
    with file.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for row in reader:
            if row[6].startswith("09"):
                by_unit.setdefault(row[4], set()).add(f"tel:{row[6]}")
    strata = [
        FrameStratum(name=name, keys=tuple(sorted(keys))) for name, keys in sorted(by_unit.items())
    ]
    arrays = {s.name: np.array(s.keys) for s in strata}
    design = parse_design(
        {
            "allocation": {"method": "proportional", "n": DRAW_N},
            "reserves": {"ratio": RESERVE_RATIO},
        }
    )
    allocation = allocate({s.name: s.size for s in strata}, DRAW_N, "proportional")

    def ours(seed: int) -> None:
        draw(strata, design, seed, digest="not timed")

    def selection_only(seed: int) -> None:
        stream = RandomStream(seed)
        for stratum in strata:
            count = allocation.counts[stratum.name]
            take = min(int(np.ceil(RESERVE_RATIO * count)), stratum.size - count)
            simple_random(stream, stratum.size, count, take)

    def baseline(seed: int) -> None:
        generator = np.random.Generator(np.random.PCG64(seed))
        for name, count in allocation.counts.items():
            take = min(count + int(np.ceil(RESERVE_RATIO * count)), arrays[name].size)
            generator.choice(arrays[name], size=take, replace=False)

    timings = {
        "draw": _median(ours, repeats),
        "selection": _median(selection_only, repeats),
        "numpy": _median(baseline, repeats),
    }
    timings["frame_people"] = float(sum(s.size for s in strata))
    return timings


def _median(function: object, repeats: int) -> float:
    times = []
    for seed in range(repeats):
        start = time.perf_counter()
        function(seed)  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="sipas-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    cases = work / "cases.csv"
    start = time.perf_counter()
    write_cases(cases, args.rows)
    size_mb = cases.stat().st_size / 1e6
    print(f"case list: {args.rows:,} rows, {size_mb:.0f} MB ({time.perf_counter() - start:.1f} s)")

    sqlite_url = f"sqlite:///{work / 'bench.db'}"
    (work / "bench.db").unlink(missing_ok=True)
    campaign = migrate_and_load_demo(sqlite_url)
    sqlite = run_child_import(sqlite_url, cases, campaign)
    print(
        f"SQLite import: {sqlite['seconds']:.1f} s, peak RSS {sqlite['peak_rss_mb']:.0f} MB "
        f"({sqlite['accepted']:,.0f} accepted, {sqlite['rejected']:,.0f} rejected)"
    )

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from tests.support.postgres import PostgresServer

    server = PostgresServer.start()
    try:
        admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("CREATE DATABASE bench"))
        admin.dispose()
        pg_url = make_url(server.url()).set(database="bench").render_as_string(False)
        campaign = migrate_and_load_demo(pg_url)
        postgres = run_child_import(pg_url, cases, campaign)
        copy_seconds = copy_baseline(pg_url, cases)
        floor_seconds = insert_floor_seconds(pg_url)
    finally:
        server.stop()
    ratio = postgres["seconds"] / copy_seconds
    print(
        f"PostgreSQL import: {postgres['seconds']:.1f} s, peak RSS {postgres['peak_rss_mb']:.0f} MB"
    )
    print(f"PostgreSQL COPY of the same file: {copy_seconds:.1f} s")
    print(
        f"where the time goes: Python csv reading alone {csv_read_seconds(cases):.1f} s; "
        f"re-inserting the clean rows into case server-side {floor_seconds:.1f} s"
    )
    print(
        f"import / COPY = {ratio:.2f} (target ≤ 2: {'met' if ratio <= 2 else 'NOT met'}); "
        f"peak RSS target < 300 MB: "
        f"{'met' if max(sqlite['peak_rss_mb'], postgres['peak_rss_mb']) < 300 else 'NOT met'}"
    )

    timings = draw_benchmark(cases)
    draw_ratio = timings["draw"] / timings["numpy"]
    print(
        f"stratified draw of {DRAW_N} + {RESERVE_RATIO:.0%} reserves from "
        f"{timings['frame_people']:,.0f} people in 40 strata: {timings['draw'] * 1000:.1f} ms; "
        f"numpy Generator.choice per stratum: {timings['numpy'] * 1000:.1f} ms"
    )
    selection_ratio = timings["selection"] / timings["numpy"]
    print(
        f"  of which the random selection alone (sampling.simple_random per stratum): "
        f"{timings['selection'] * 1000:.1f} ms = {selection_ratio:.2f} × numpy"
    )
    verdict = "met" if draw_ratio <= 1.5 else "NOT met"
    print(f"draw / numpy = {draw_ratio:.2f} (target ≤ 1.5: {verdict})")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_import":
        child_import(sys.argv[2], Path(sys.argv[3]), int(sys.argv[4]))
    else:
        main()
