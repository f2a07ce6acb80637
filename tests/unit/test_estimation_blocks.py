"""The estimation engine sums over respondents block by block (so that its memory does
not grow with the sample): the estimates do not depend on the block size."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.estimation import Design, Engine, Estimates, LonelyPsu, build_design

FIELDS = ("rate", "n", "se", "ci_low", "ci_high", "n_effective", "design_effect")


def _design(kind: str, rng: np.random.Generator, n: int) -> Design | None:
    if kind == "none":
        return None
    strata = [f"h{h}" for h in rng.integers(0, 5, n)]
    psus = [f"c{c}" for c in rng.integers(0, 6, n)] if kind == "clustered" else None
    fractions = {f"h{h}": 0.1 * h for h in range(5)}
    return build_design(rng.uniform(0.5, 3.0, n), strata, psus, fractions, LonelyPsu.ADJUST)


def _same(a: Estimates, b: Estimates) -> None:
    for name in FIELDS:
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=1e-12, atol=0)


@pytest.mark.parametrize("kind", ["none", "stratified", "clustered"])
def test_estimates_do_not_depend_on_the_block_size(kind: str) -> None:
    rng = np.random.default_rng(12)
    n = 1500
    scores = rng.choice([0.0, 1.0, 0.5, np.nan], size=(n, 6), p=[0.3, 0.4, 0.2, 0.1])
    scores[:, 5] = np.nan  # a criterion nobody answered validly
    composites = np.zeros((6, 3))
    composites[:3, 0] = composites[3:, 1] = composites[:, 2] = 1.0
    design = _design(kind, rng, n)
    whole = Engine(scores, composites, design, block_rows=n)
    blocks = Engine(scores, composites, design, block_rows=7)
    one_row = Engine(scores, composites, design, block_rows=1)
    half = np.zeros(n, dtype=bool)
    half[: n // 2] = True
    for mask in (None, rng.random(n) < 0.3, half, np.zeros(n, dtype=bool)):
        expected = whole.estimate(whole.rows(mask))
        _same(expected, blocks.estimate(blocks.rows(mask)))
        _same(expected, one_row.estimate(one_row.rows(mask)))
    assert whole.estimate(whole.rows(None)).n[5] == 0
