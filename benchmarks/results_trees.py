"""Computing results with two versions of the code, alternately, on the same databases
(run by hand; prints its figures).

    .venv/bin/python benchmarks/results_trees.py /tmp/base . [--sizes 10000,100000] [--rounds 3]

Each tree is a checkout of the project (``git archive <commit> | tar -x -C /tmp/base``
for the one to compare with). For each size, one database of a throw-away PostgreSQL
15 holds the demo and that many complete responses (:func:`benchmarks.results.generate`);
then, round after round, each tree's ``benchmarks/results.py _ours`` child computes the
results (ABAB), printing its CPU seconds and peak RSS (``VmHWM``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import (
    create_database,
    load_average,
    migrate_and_load_demo,
    postgres,
    run_child,
)
from benchmarks.results import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs=2, type=Path, help="the two checkouts, A then B")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    scripts = {str(tree): tree.resolve() / "benchmarks" / "results.py" for tree in args.trees}
    with postgres() as admin:
        for size in (int(s) for s in args.sizes.split(",")):
            url = create_database(admin, f"trees_{size}")
            campaign_id = migrate_and_load_demo(url)
            start = time.perf_counter()
            generate(url, campaign_id, size)
            print(f"{size:,} responses written in {time.perf_counter() - start:.0f} s")
            for _ in range(args.rounds):
                for name, script in scripts.items():
                    figures = run_child(script, "_ours", url, str(campaign_id))
                    print(
                        f"  {size:,} {name}: CPU {figures['cpu_seconds']:.2f} s, wall "
                        f"{figures['seconds']:.1f} s, peak RSS {figures['peak_rss_mb']:.0f} MB "
                        f"(load {load_average()})",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
