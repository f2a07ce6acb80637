"""Sample sizes and allocation: published values, and the invariants of every allocation."""

from __future__ import annotations

import numpy as np
import pytest

from sampling import allocate, cochran_size, yamane_size
from sampling.allocation import AllocationMethod


@pytest.mark.parametrize(
    ("population", "expected"),
    # n = N / (1 + N · 0.05²) worked by hand, rounded up (never a smaller sample):
    # 500/2.25 = 222.2, 1000/3.5 = 285.7, 2000/6 = 333.3, 10000/26 = 384.6,
    # 100000/251 = 398.4.
    [(500, 223), (1_000, 286), (2_000, 334), (10_000, 385), (100_000, 399)],
)
def test_yamane_matches_published_table(population: int, expected: int) -> None:
    assert yamane_size(population, 0.05) == expected


def test_cochran_with_and_without_finite_population_correction() -> None:
    # Cochran (1977) §4.4: z = 1.96, p = 0.5, e = 0.05 gives n0 = 384.16 → 385;
    # with N = 1000 the correction gives 384.16 / (1 + 383.16/1000) = 277.7 → 278.
    assert cochran_size(None) == 385
    assert cochran_size(1_000) == 278
    assert cochran_size(1_000, 0.05, proportion=0.2) < cochran_size(1_000)
    assert cochran_size(None, 0.05, confidence=0.99) == 664  # z = 2.5758
    with pytest.raises(ValueError, match="margin"):
        yamane_size(100, 1.5)


def test_proportional_by_largest_remainder() -> None:
    allocation = allocate({"a": 500, "b": 300, "c": 200}, 7, "proportional")
    # quotas 3.5, 2.1, 1.4 → floors 3, 2, 1 and the one left goes to the largest remainder
    assert allocation.counts == {"a": 4, "b": 2, "c": 1}


def test_minimum_and_caps() -> None:
    allocation = allocate({"big": 1000, "mid": 100, "tiny": 3}, 60, "proportional", minimum=10)
    assert allocation.counts["tiny"] == 3
    assert allocation.counts["mid"] >= 10
    assert allocation.total == 60
    assert allocation.capped == ("tiny",)


def test_neyman_follows_size_times_standard_deviation() -> None:
    allocation = allocate(
        {"a": 100, "b": 100}, 30, "neyman", variances={"a": 1.0, "b": 4.0}
    )  # weights 100·1 and 100·2
    assert allocation.counts == {"a": 10, "b": 20}
    with pytest.raises(ValueError, match="variances"):
        allocate({"a": 1}, 1, "neyman")


def test_fixed_counts_are_capped_at_stratum_size() -> None:
    allocation = allocate({"a": 10, "b": 4}, None, "fixed", fixed={"a": 6, "b": 9})
    assert allocation.counts == {"a": 6, "b": 4}
    assert allocation.capped == ("b",)
    with pytest.raises(ValueError, match="differs"):
        allocate({"a": 10, "b": 4}, 15, "fixed", fixed={"a": 6, "b": 9})


def test_errors_name_the_problem() -> None:
    with pytest.raises(ValueError, match="frame size"):
        allocate({"a": 5}, 6, "equal")
    with pytest.raises(ValueError, match="minimum"):
        allocate({"a": 50, "b": 50}, 10, "equal", minimum=6)


@pytest.mark.parametrize("method", ["equal", "proportional", "neyman"])
def test_allocations_always_sum_to_n_within_bounds(method: str) -> None:
    rng = np.random.default_rng(20241121)
    for _ in range(300):
        count = int(rng.integers(1, 12))
        sizes = {f"s{i}": int(rng.integers(0, 400)) for i in range(count)}
        total = sum(sizes.values())
        if total == 0:
            continue
        n = int(rng.integers(0, total + 1))
        minimum = int(rng.integers(0, 5))
        if sum(min(minimum, size) for size in sizes.values()) > n:
            minimum = 0
        variances = {name: float(rng.uniform(0, 9)) for name in sizes}
        allocation = allocate(sizes, n, method, minimum=minimum, variances=variances)
        assert allocation.method is AllocationMethod(method)
        assert allocation.total == n
        for name, size in sizes.items():
            assert 0 <= allocation.counts[name] <= size
            assert allocation.counts[name] >= min(minimum, size)


def test_plan_draw_shows_the_draws_allocation_and_reserves() -> None:
    from sampling import FrameStratum, draw, parse_design, plan_draw

    design = parse_design(
        {
            "allocation": {"method": "proportional", "n": 30, "minimum": 5},
            "reserves": {"ratio": 0.5},
        }
    )
    sizes = {"a": 100, "b": 40, "c": 6}
    plans = {p.stratum: (p.size, p.sample, p.reserves) for p in plan_draw(sizes, design)}
    assert plans == {"a": (100, 18, 9), "b": (40, 7, 4), "c": (6, 5, 1)}
    strata = [FrameStratum(k, tuple(f"{k}{i:03d}" for i in range(n))) for k, n in sizes.items()]
    drawn = draw(strata, design, 7)
    for name, (_, sample, reserves) in plans.items():
        units = [u for u in drawn.units if u.stratum == name]
        assert sum(not u.is_reserve for u in units) == sample
        assert sum(u.is_reserve for u in units) == reserves
