"""Benchmark: full SIPAS results for 100,000 weighted responses × 39 criteria × 40 units.

Times :func:`analysis.analyse` on synthetic data (stratified by unit, design weights,
finite-population correction, "not applicable" answers, the feedback criteria asked of
a minority) for every figure it produces: 39 criteria, 9 sub-indices, 2 halves and the
overall index with 95% intervals, effective n and design effects, for the whole sample,
each unit, each stratum and each profile group, plus the perception and expectation
tables and PAR points. It also times the engine on the baseline's estimands alone (the
39 criteria, overall and per unit).

Baseline: samplics' ``TaylorEstimator`` (stratified, with the same fpc) computes the same
weighted criterion rates and standard errors for the whole sample and per unit (domain
estimation), called two ways:

* **fair**: a ratio of satisfied to valid answers (``PopParam.ratio``, ``x`` = valid),
  integer stratum and unit codes, one call per criterion for the whole sample and one
  with the units as domains;
* **as before**: ``PopParam.prop`` on text labels with a throw-away domain for the
  whole sample, as this script first called it (slow: text labels and the proportion
  path's per-category work); kept to show the difference, skipped with ``--fair-only``.

The numbers must agree to 1e-9 (rate and standard error; the "as before" call also the
logit interval bounds). samplics is the ``bench`` extra: ``pip install -e '.[bench]'``.

Run::

    .venv/bin/python benchmarks/analysis.py [--respondents 100000] [--units 40] [--fair-only]
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
from analysis.estimation import Engine, build_design  # noqa: E402
from analysis.results import SipasResult  # noqa: E402
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


Baseline = dict[tuple[str, str], tuple[float, ...]]


def samplics_as_before(table: ResponseTable, fractions: dict[str, float]) -> Baseline:
    """Criterion rates, se and logit intervals overall and per unit: ``PopParam.prop`` on
    text labels, a throw-away domain for the whole sample."""
    from samplics import PopParam, TaylorEstimator

    design = table.design
    assert design is not None
    strata = np.asarray(design.stratum_names, dtype=object)[design.strata]
    fpc = {name: 1 - fractions[name] for name in design.stratum_names}
    units = np.asarray(table.units, dtype=object)
    found: Baseline = {}
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


def samplics_fair(table: ResponseTable, fractions: dict[str, float]) -> Baseline:
    """Criterion rates and se overall and per unit: the ratio satisfied / valid with
    integer codes, one call for the whole sample and one with units as domains."""
    from samplics import PopParam, TaylorEstimator

    design = table.design
    assert design is not None
    strata = design.strata
    fpc = {h: 1 - fractions[name] for h, name in enumerate(design.stratum_names)}
    names = sorted({u for u in table.units if u is not None})
    index = {name: i for i, name in enumerate(names)}
    units = np.asarray([index[u] if u is not None else -1 for u in table.units])
    found: Baseline = {}
    for k, code in enumerate(table.criteria):
        valid = (~np.isnan(table.scores[:, k])).astype(np.float64)
        y = np.nan_to_num(table.scores[:, k])
        whole = TaylorEstimator(PopParam.ratio)
        whole.estimate(y=y, x=valid, samp_weight=design.weights, stratum=strata, fpc=fpc)
        found[("overall", code)] = (float(whole.point_est), float(whole.stderror))
        per_unit = TaylorEstimator(PopParam.ratio)
        per_unit.estimate(
            y=y, x=valid, samp_weight=design.weights, stratum=strata, fpc=fpc, domain=units
        )
        for name, i in index.items():
            found[(name, code)] = (per_unit.point_est[i], per_unit.stderror[i])
    return found


def same_estimands(table: ResponseTable) -> float:
    """Seconds the engine takes for the baseline's estimands alone: the criteria, for the
    whole sample and each unit (no composites, strata or profiles)."""
    start = time.perf_counter()
    engine = Engine(table.scores, np.zeros((len(table.criteria), 0)), table.design)
    units = np.asarray([u or "" for u in table.units], dtype=object)
    engine.estimate(engine.rows(None))
    for name in sorted(set(units.tolist()) - {""}):
        engine.estimate(engine.rows(units == name))
    return time.perf_counter() - start


def compare(result: SipasResult, baseline: Baseline) -> float:
    """Largest difference (as fractions) between our figures and the baseline's."""
    worst = 0.0
    for (name, code), values in baseline.items():
        domain = result.overall if name == "overall" else result.units[name]
        cell = domain.criteria[code]
        ours_values = (cell.rate, cell.se, cell.ci_low, cell.ci_high)[: len(values)]
        for mine, other in zip(ours_values, values, strict=True):
            assert mine is not None
            worst = max(worst, abs(mine / 100 - other))
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20241)
    parser.add_argument("--fair-only", action="store_true", help="skip the slow call")
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

    ours_same = min(same_estimands(table) for _ in range(args.repeat))
    print(f"engine, the baseline's estimands only: best of {args.repeat} {ours_same:.3f} s")

    warnings.simplefilter("ignore")  # samplics announces its archival on import
    try:
        import samplics  # noqa: F401
    except ImportError:
        print("samplics is not installed (pip install -e '.[bench]'): no baseline")
        return
    ways = [("fair", samplics_fair)]
    if not args.fair_only:
        ways.append(("as before", samplics_as_before))
    for name, call in ways:
        start = time.perf_counter()
        baseline = call(table, fractions)
        theirs = time.perf_counter() - start
        worst = compare(result, baseline)
        print(f"samplics {name} ({len(baseline)} estimates): {theirs:.3f} s")
        print(f"  largest difference: {worst:.2e} (tolerance {TOLERANCE})")
        if worst > TOLERANCE:
            raise SystemExit(f"the numbers do not agree with samplics ({name})")
        print(
            f"  speed-up: {theirs / ours:.1f}x on everything analyse computes, "
            f"{theirs / ours_same:.1f}x on the same estimands"
        )


if __name__ == "__main__":
    main()
