"""Benchmark: full SIPAS results for 100,000 weighted responses × 39 criteria × 40 units.

Times :func:`analysis.analyse` on synthetic data (stratified by unit, design weights,
finite-population correction, "not applicable" answers, the feedback criteria asked of
a minority) for every figure it produces: 39 criteria, 9 sub-indices, 2 halves and the
overall index with 95% intervals, effective n and design effects, for the whole sample,
each unit, each stratum and each profile group, plus the perception and expectation
tables and PAR points.

Baseline: samplics' ``TaylorEstimator`` (stratified, with the same fpc) computes the same
weighted criterion rates, standard errors and logit intervals for the whole sample and
per unit (domain estimation). The numbers must agree to 1e-9; the script prints the time
ratio. samplics is the ``bench`` extra: ``pip install -e '.[bench]'``.

Run::

    .venv/bin/python benchmarks/analysis.py [--respondents 100000] [--units 40]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

# This file is named like the package it measures: keep its folder off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent.resolve()]

import numpy as np  # noqa: E402

from analysis import analyse, bundled_scheme  # noqa: E402
from analysis.estimation import build_design  # noqa: E402
from analysis.table import Categorical, ResponseTable  # noqa: E402
from questionnaires import bundled_path, load_questionnaire_file  # noqa: E402

TOLERANCE = 1e-9


def synthetic(n: int, units: int, seed: int) -> tuple[ResponseTable, dict[str, float]]:
    """Answers, design and profile of ``n`` respondents across ``units`` strata."""
    form = load_questionnaire_file(bundled_path("national-2024"))
    rng = np.random.default_rng(seed)
    unit = rng.integers(0, units, size=n)
    criteria = form.criteria()
    quality = rng.uniform(0.55, 0.95, size=units)
    scores = (rng.random((n, len(criteria))) < quality[unit][:, None]).astype(np.float64)
    scores[rng.random(scores.shape) < 0.05] = np.nan  # not applicable
    feedback = np.array([item.subindex == "K" for item in criteria])
    scores[np.ix_(rng.random(n) < 0.7, feedback)] = np.nan  # filed no feedback: not asked
    labels = [f"u{h:02d}" for h in range(units)]
    sampled = np.bincount(unit, minlength=units)
    population = sampled * rng.uniform(5, 60, size=units)
    fractions = {labels[h]: float(sampled[h] / population[h]) for h in range(units)}
    weights = (population / sampled)[unit] * rng.uniform(0.9, 1.1, size=n)  # after adjustment
    design = build_design(weights, [labels[h] for h in unit], None, fractions)

    categorical = {}
    for item in form.items():
        if item.type.value in ("single_choice", "expectation3") and not item.is_criterion:
            options = form.options_of(item)
            categorical[item.code] = Categorical(
                tuple(o.code for o in options),
                tuple(o.label for o in options),
                rng.integers(-1, len(options), size=n),
            )
    modes = ("interview", "self", "paper")
    table = ResponseTable(
        criteria=tuple(item.code for item in criteria),
        scores=scores,
        units=tuple(labels[h] for h in unit),
        modes=tuple(modes[m] for m in rng.integers(0, 3, size=n)),
        design=design,
        categorical=categorical,
    )
    return table, fractions


def samplics_baseline(
    table: ResponseTable, fractions: dict[str, float]
) -> dict[tuple[str, str], tuple[float, float, float, float]]:
    """Criterion rates, se and intervals overall and per unit with samplics."""
    from samplics import PopParam, TaylorEstimator

    design = table.design
    assert design is not None
    strata = np.asarray(design.stratum_names, dtype=object)[design.strata]
    fpc = {name: 1 - fractions[name] for name in design.stratum_names}
    units = np.asarray(table.units, dtype=object)
    found = {}
    for k, code in enumerate(table.criteria):
        valid = ~np.isnan(table.scores[:, k])
        y = np.where(valid, table.scores[:, k], 0.0)
        for label, domain in (
            ("overall", valid.astype(int)),
            ("unit", np.where(valid, units, "-")),
        ):
            estimator = TaylorEstimator(PopParam.prop)
            estimator.estimate(
                y=y, samp_weight=design.weights, stratum=strata, fpc=fpc, domain=domain
            )
            keys: list[int | str] = [1]
            if label == "unit":
                keys = sorted({u for u in table.units if u is not None})
            for key in keys:
                name = "overall" if label == "overall" else str(key)
                found[(name, code)] = (
                    estimator.point_est[key][1.0],
                    estimator.stderror[key][1.0],
                    estimator.lower_ci[key][1.0],
                    estimator.upper_ci[key][1.0],
                )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20241)
    args = parser.parse_args()

    form = load_questionnaire_file(bundled_path("national-2024"))
    scheme = bundled_scheme("national-province")
    table, fractions = synthetic(args.respondents, args.units, args.seed)
    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = analyse(form, table, scheme=scheme)
        timings.append(time.perf_counter() - start)
    ours = min(timings)
    domains = 1 + len(result.units) + len(result.strata_results)
    domains += sum(len(groups) for groups in result.profiles.values())
    print(
        f"respondents {args.respondents:,}, criteria {len(table.criteria)}, units {args.units}, "
        f"domains {domains}, estimates per domain {len(table.criteria) + 12}"
    )
    print(f"analysis.analyse (all breakdowns and intervals): best of {args.repeat} {ours:.3f} s")

    warnings.simplefilter("ignore")  # samplics announces its archival on import
    try:
        import samplics  # noqa: F401
    except ImportError:
        print("samplics is not installed (pip install -e '.[bench]'): no baseline")
        return
    start = time.perf_counter()
    baseline = samplics_baseline(table, fractions)
    theirs = time.perf_counter() - start
    worst = 0.0
    for (name, code), (rate, se, low, high) in baseline.items():
        domain = result.overall if name == "overall" else result.units[name]
        cell = domain.criteria[code]
        ours_values = (cell.rate, cell.se, cell.ci_low, cell.ci_high)
        for mine, other in zip(ours_values, (rate, se, low, high), strict=True):
            assert mine is not None
            worst = max(worst, abs(mine / 100 - other))
    print(
        f"samplics TaylorEstimator (criteria overall and per unit only, {len(baseline)} "
        f"estimates): {theirs:.3f} s"
    )
    print(f"largest difference in rate, se or interval bounds: {worst:.2e} (tolerance {TOLERANCE})")
    if worst > TOLERANCE:
        raise SystemExit("the numbers do not agree with samplics")
    print(f"speed-up over samplics: {theirs / ours:.1f}x (samplics time / analysis time)")


if __name__ == "__main__":
    main()
