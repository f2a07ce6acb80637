"""Draws: reproducible from the seed, right inclusion probabilities, right weights."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from scipy.stats import chisquare

from sampling import (
    ALGORITHM_VERSION,
    FrameStratum,
    RandomStream,
    draw,
    frame_digest,
    parse_design,
    pps_systematic,
    simple_random,
    systematic,
)
from sampling.selection import random_order

DRAWS = 2000


def _stratum(name: str, size: int, **labels: tuple[str, ...]) -> FrameStratum:
    return FrameStratum(
        name=name, keys=tuple(f"{name}-{i:04d}" for i in range(size)), labels=labels
    )


FRAME = [_stratum("a", 6), _stratum("b", 10), _stratum("c", 3)]
DESIGN = parse_design(
    {"allocation": {"method": "proportional", "n": 8, "minimum": 2}, "reserves": {"count": 2}}
)


def test_the_stream_is_pcg64_raw_output() -> None:
    # numpy's Generator.random() is (next 64-bit word >> 11) · 2⁻⁵³ of the same
    # PCG64 stream, so both must agree; the pinned value guards the stream itself.
    assert RandomStream(42).uniform() == np.random.Generator(np.random.PCG64(42)).random()
    assert RandomStream(42).uniform() == 0.7739560485559633
    bounded = RandomStream(42).bounded(np.array([10, 1000, 2**31], dtype=np.uint64))
    assert bounded.tolist() == [7, 438, 1843824993]
    assert random_order(RandomStream(2024), 10, 10) == [6, 2, 4, 8, 9, 5, 0, 7, 3, 1]
    assert ALGORITHM_VERSION == "sipas-sampling/1 numpy-PCG64"


def test_same_seed_same_sample_other_seed_other_sample() -> None:
    first = draw(FRAME, DESIGN, 123)
    assert first == draw(FRAME, DESIGN, 123)
    assert first.digest == draw(list(reversed(FRAME)), DESIGN, 123).digest
    other = draw(FRAME, DESIGN, 124)
    assert other.digest != first.digest
    assert [u.key for u in other.units] != [u.key for u in first.units]


def test_weights_sum_to_stratum_sizes_and_reserves_follow_in_draw_order() -> None:
    result = draw(FRAME, DESIGN, 5)
    assert result.allocation is not None
    assert result.allocation.counts == {"a": 2, "b": 4, "c": 2}
    for stratum in FRAME:
        units = [u for u in result.units if u.stratum == stratum.name]
        chosen = [u for u in units if not u.is_reserve]
        assert sum(u.design_weight for u in chosen) == pytest.approx(stratum.size)
        assert [u.draw_order for u in units] == list(range(1, len(units) + 1))
        assert all(u.is_reserve for u in units[len(chosen) :])
        assert len({u.key for u in units}) == len(units)
    assert len([u for u in result.units if u.stratum == "c"]) == 3  # 2 + at most 1 reserve


def test_selection_frequencies_match_inclusion_probabilities() -> None:
    """Over 2,000 draws each element is selected about 2,000 π times (chi-square)."""
    counts: Counter[str] = Counter()
    probability: dict[str, float] = {}
    for seed in range(DRAWS):
        for unit in draw(FRAME, DESIGN, seed).sample():
            counts[unit.key] += 1
            probability[unit.key] = unit.inclusion_probability
    keys = [key for stratum in FRAME for key in stratum.keys]
    assert set(probability) == set(keys)
    observed = np.array([counts[k] for k in keys], dtype=float)
    expected = np.array([DRAWS * probability[k] for k in keys])
    assert observed.sum() == pytest.approx(expected.sum())
    assert chisquare(observed, expected).pvalue > 0.001


@pytest.mark.parametrize("method", [simple_random, systematic])
def test_equal_probability_methods_are_uniform(method: object) -> None:
    counts = np.zeros(9)
    for seed in range(DRAWS):
        selection = method(RandomStream(seed), 9, 4, 2)  # type: ignore[operator]
        assert len(set(selection.positions)) == 6
        assert selection.probabilities[0] == pytest.approx(4 / 9)
        for position in selection.positions[: selection.sample_size]:
            counts[position] += 1
    assert chisquare(counts, np.full(9, DRAWS * 4 / 9)).pvalue > 0.001


def test_pps_systematic_probabilities_and_certainty_units() -> None:
    sizes = [50.0, 10.0, 20.0, 5.0, 15.0, 30.0, 5.0, 15.0]  # total 150
    n = 3
    counts = np.zeros(len(sizes))
    probabilities: list[float] = []
    for seed in range(DRAWS):
        selection = pps_systematic(RandomStream(seed), sizes, n, 0)
        assert len(set(selection.positions)) == n
        for position, probability in zip(selection.positions, selection.probabilities, strict=True):
            counts[position] += 1
            if seed == 0:
                probabilities.append(probability)
    # 3 · 50 / 150 = 1: the first unit is taken with certainty; the other two
    # places go by size among the remaining 100: π_i = 2 x_i / 100.
    expected_pi = np.array([1.0] + [2 * s / 100 for s in sizes[1:]])
    assert counts[0] == DRAWS
    assert chisquare(counts[1:], DRAWS * expected_pi[1:]).pvalue > 0.001
    assert 1.0 in probabilities


def test_multi_stage_area_design_is_self_weighting() -> None:
    """Communes PPS by households, hamlets PPS, a fixed take per hamlet: every
    household has π = (3 M_c/M)(2 M_h/M_c)(m/M_h) = 6m/M, and weights sum to M."""
    communes, hamlets = [], []
    sizes = [40, 60, 30, 50, 20, 80]  # hamlet sizes per commune, repeated
    for c in range(6):
        for h in range(4):
            for _ in range(sizes[(c + h) % 6]):
                communes.append(f"c{c}")
                hamlets.append(f"c{c}/h{h}")
    total = len(communes)
    order = sorted(range(total), key=lambda i: f"k{i:05d}")
    stratum = FrameStratum(
        name="district",
        keys=tuple(f"k{i:05d}" for i in order),
        labels={"commune": tuple(communes), "hamlet": tuple(hamlets)},
    )
    design = parse_design(
        {
            "stages": [
                {"level": "commune", "method": "pps_systematic", "count": 3},
                {"level": "hamlet", "method": "pps_systematic", "count": 2},
                {"method": "srs", "count": 5},
            ],
            "reserves": {"count": 1},
        }
    )
    result = draw([stratum], design, 2024)
    chosen = result.sample()
    assert len(chosen) == 3 * 2 * 5
    assert len({u.clusters[0] for u in chosen}) == 3
    assert len({u.clusters for u in chosen}) == 6
    assert all(len(u.stage_probabilities) == 3 for u in chosen)
    assert sum(u.design_weight for u in chosen) == pytest.approx(total)
    for unit in chosen:
        assert unit.inclusion_probability == pytest.approx(30 / total)
    reserves = result.reserves()
    assert len(reserves) == 6
    assert all(r.draw_order > 0 for r in reserves)


def test_frame_digest_depends_on_every_element() -> None:
    digest = frame_digest(FRAME)
    assert digest == frame_digest(list(reversed(FRAME)))
    changed = [FrameStratum(name="a", keys=("a-0000", "a-0001x")), *FRAME[1:]]
    assert frame_digest(changed) != digest
    with_prints = FrameStratum(name="a", keys=FRAME[0].keys, fingerprints=("x",) * 6)
    assert frame_digest([with_prints, *FRAME[1:]]) != digest
    with pytest.raises(ValueError, match="sorted"):
        FrameStratum(name="z", keys=("b", "a"))


def test_design_problems_are_listed_with_paths() -> None:
    from sampling import DesignError

    with pytest.raises(DesignError) as caught:
        parse_design(
            {
                "allocation": {"method": "neyman", "n": 0},
                "stages": [{"level": "commune", "method": "pps"}, {"level": "x", "count": 2}],
                "extra": 1,
            }
        )
    problems = caught.value.problems
    assert "extra: unknown key" in problems
    assert any(p.startswith("allocation.n") for p in problems)
    assert any(p.startswith("allocation.variances") for p in problems)
    assert any(p.startswith("stages[0].method") for p in problems)
    assert any(p.startswith("stages[0].count") for p in problems)
    assert any(p.startswith("stages[1].level") for p in problems)
    assert any(p.startswith("allocation: only for single-stage") for p in problems)
    document = DESIGN.to_document()
    assert parse_design(document) == DESIGN


def test_random_order_equals_the_sequential_shuffle() -> None:
    """The shortcut taken when no position is swapped twice gives the same order as
    Durstenfeld's shuffle step by step."""
    rng = np.random.default_rng(7)
    for _ in range(500):
        population = int(rng.integers(1, 300))
        count = int(rng.integers(0, population + 1))
        seed = int(rng.integers(0, 2**32))
        offsets = RandomStream(seed).bounded(
            np.arange(population, population - count, -1, dtype=np.uint64)
        )
        values = list(range(population))
        expected = []
        for i, offset in enumerate(offsets.tolist()):
            j = i + offset
            values[i], values[j] = values[j], values[i]
            expected.append(values[i])
        assert random_order(RandomStream(seed), population, count) == expected
