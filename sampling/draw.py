"""Drawing a sample: frame + design + seed → selected units with probabilities and weights.

The draw is a pure function of its inputs. Strata are processed in sorted
order, clusters of a stage in draw order, and the whole draw consumes one
:class:`~sampling.rng.RandomStream`, so the same frame, design and seed give
the same sample on any machine (spec §5: a supervisor can re-run it).

Every selected unit carries its inclusion probability at each stage; its
overall probability is their product and its design weight the inverse
(Horvitz and Thompson 1952). In a single-stage stratified simple random sample
the weights of the sample in stratum h are N_h / n_h and sum to N_h.

Reserves are drawn at the last stage, within each final group, after the
sample and in the same random order: releasing one replaces a refusal in the
same stratum (and cluster) and takes that place's probability and weight.

References
----------
.. [1] Horvitz, D. G. and Thompson, D. J. (1952). A generalization of sampling
   without replacement from a finite universe. JASA 47: design weights 1/π.
.. [2] Cochran, W. G. (1977). *Sampling Techniques*, ch. 10–11 (multi-stage).
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from sampling.allocation import Allocation, allocate
from sampling.design import Design, Stage
from sampling.rng import ALGORITHM_VERSION, RandomStream
from sampling.selection import (
    Method,
    Selection,
    pps_systematic,
    shuffle_order,
    simple_random,
    systematic,
)


@dataclass(frozen=True)
class FrameStratum:
    """The elements of one stratum of a sampling frame.

    Attributes
    ----------
    name : str
        The stratum (e.g. a unit code, or ``unit/channel``).
    keys : tuple of str
        One unique key per element (a person, a household), sorted: the
        frame's canonical order.
    labels : Mapping[str, tuple of str]
        For multi-stage designs, per cluster level (``commune``, ``hamlet``)
        the label of each element's cluster, aligned with ``keys``.
    fingerprints : tuple of str
        Optional, aligned with ``keys``: a digest of each element's source data,
        so that the frame digest changes when the data behind an element does.

    The keys are also kept as one numpy array, made when the stratum is made (when the
    frame is read), so that a draw copies its few thousand keys out of one block of
    memory (:meth:`keys_at`) instead of reaching as many string objects scattered over
    the frame. It costs 4 bytes per character of the stratum's longest key per element
    (56 bytes for a ``tel:`` key). Keys containing NUL, which numpy's fixed-width
    strings would cut, are looked up in the tuple instead.
    """

    name: str
    keys: tuple[str, ...]
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    fingerprints: tuple[str, ...] = ()
    _key_array: npt.NDArray[np.str_] | None = field(
        init=False, repr=False, compare=False, default=None
    )

    def __post_init__(self) -> None:
        keys = self.keys
        array = np.array(keys, dtype=np.str_) if "\x00" not in "".join(keys) else None
        # numpy compares strings by code point, as Python does.
        if (
            bool(np.any(array[1:] <= array[:-1]))
            if array is not None
            else any(a >= b for a, b in itertools.pairwise(keys))
        ):
            raise ValueError(f"stratum {self.name!r}: keys must be unique and sorted")
        object.__setattr__(self, "_key_array", array)
        for level, values in self.labels.items():
            if len(values) != len(keys):
                raise ValueError(f"stratum {self.name!r}: labels {level!r} do not align with keys")
        if self.fingerprints and len(self.fingerprints) != len(keys):
            raise ValueError(f"stratum {self.name!r}: fingerprints do not align with keys")

    @property
    def size(self) -> int:
        return len(self.keys)

    def keys_at(self, positions: Sequence[int] | npt.NDArray[np.uint64]) -> tuple[str, ...]:
        """The keys at ``positions`` (0-based, in the frame's order), in that order."""
        if self._key_array is None:
            return tuple(map(self.keys.__getitem__, positions))
        return tuple(self._key_array[np.asarray(positions, dtype=np.intp)].tolist())


class DrawnUnit(NamedTuple):
    """One selected element (a named tuple: immutable, and cheap to make by the thousand).

    Attributes
    ----------
    stratum, key : str
    draw_order : int
        1-based order of selection within the stratum.
    is_reserve : bool
    clusters : tuple of str
        The labels of the clusters it was reached through, in stage order.
    stage_probabilities : tuple of float
        Inclusion probability at each stage.
    """

    stratum: str
    key: str
    draw_order: int
    is_reserve: bool
    clusters: tuple[str, ...]
    stage_probabilities: tuple[float, ...]

    @property
    def inclusion_probability(self) -> float:
        product = 1.0
        for probability in self.stage_probabilities:
            product *= probability
        return product

    @property
    def design_weight(self) -> float:
        return 1.0 / self.inclusion_probability


@dataclass(frozen=True)
class DrawnGroup:
    """The units drawn in one final group: a stratum, or a cluster of a stratum.

    Kept as columns (one tuple of keys, one of probabilities), which is what makes a
    draw of thousands cheap; :attr:`DrawResult.units` gives one record per unit.

    Attributes
    ----------
    stratum : str
    clusters : tuple of str
        The clusters the group was reached through, in stage order.
    cluster_probabilities : tuple of float
        Inclusion probabilities of those clusters, per stage.
    first_order : int
        Draw order (within the stratum) of the group's first unit.
    keys : tuple of str
        The units in draw order: the sample, then the reserves.
    probabilities : tuple of float
        Each unit's inclusion probability at the last stage.
    sample_size : int
        How many of ``keys`` are the sample.
    """

    stratum: str
    clusters: tuple[str, ...]
    cluster_probabilities: tuple[float, ...]
    first_order: int
    keys: tuple[str, ...]
    probabilities: tuple[float, ...]
    sample_size: int

    def units(self) -> list[DrawnUnit]:
        return [
            DrawnUnit(
                self.stratum,
                key,
                self.first_order + order,
                order >= self.sample_size,
                self.clusters,
                (*self.cluster_probabilities, probability),
            )
            for order, (key, probability) in enumerate(
                zip(self.keys, self.probabilities, strict=True)
            )
        ]


@dataclass(frozen=True)
class DrawResult:
    """A drawn sample and what identifies it."""

    algorithm_version: str
    seed: int
    frame_digest: str
    design: Design
    allocation: Allocation | None
    groups: tuple[DrawnGroup, ...]
    digest: str

    @cached_property
    def units(self) -> tuple[DrawnUnit, ...]:
        """Every drawn unit, by stratum and draw order."""
        return tuple(unit for group in self.groups for unit in group.units())

    def sample(self) -> tuple[DrawnUnit, ...]:
        return tuple(u for u in self.units if not u.is_reserve)

    def reserves(self) -> tuple[DrawnUnit, ...]:
        return tuple(u for u in self.units if u.is_reserve)


def frame_digest(strata: Iterable[FrameStratum]) -> str:
    """SHA-256 of the frame's canonical serialisation.

    One JSON line per stratum, strata sorted by name, each holding the
    stratum's name, its sorted keys, its labels (levels sorted) and its
    fingerprints. Two frames have the same digest exactly when they hold the
    same elements with the same labels and source data.
    """
    digest = hashlib.sha256(b"sipas-frame/1\n")
    for stratum in sorted(strata, key=lambda s: s.name):
        line = [
            stratum.name,
            list(stratum.keys),
            {level: list(values) for level, values in sorted(stratum.labels.items())},
            list(stratum.fingerprints),
        ]
        digest.update(_canonical(line))
    return digest.hexdigest()


def sample_digest(groups: Iterable[DrawnGroup]) -> str:
    """SHA-256 of the drawn groups in (stratum, draw order) order.

    Per group: one JSON line ``[stratum, first_order, clusters, keys, sample_size]``,
    then the cluster and unit probabilities as IEEE 754 binary64 little-endian bytes,
    which are the same on every machine.
    """
    digest = hashlib.sha256(b"sipas-sample/1\n")
    for group in sorted(groups, key=lambda g: (g.stratum, g.first_order)):
        digest.update(
            _canonical(
                [group.stratum, group.first_order, group.clusters, group.keys, group.sample_size]
            )
        )
        probabilities = (*group.cluster_probabilities, *group.probabilities)
        digest.update(np.asarray(probabilities, dtype="<f8").tobytes())
    return digest.hexdigest()


def _canonical(value: object) -> bytes:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.encode("utf-8") + b"\n"


def draw(
    strata: Sequence[FrameStratum], design: Design, seed: int, *, digest: str | None = None
) -> DrawResult:
    """Draw a sample from ``strata`` with ``design`` and ``seed``.

    Parameters
    ----------
    strata : sequence of FrameStratum
        The frame; stratum names must be unique.
    design : Design
    seed : int
        A non-negative integer; publish its SHA-256 before the draw for a
        commit–reveal draw.
    digest : str, optional
        The frame digest, if the caller has it already (saves recomputing).

    Returns
    -------
    DrawResult
    """
    ordered = sorted(strata, key=lambda s: s.name)
    names = [s.name for s in ordered]
    if len(set(names)) != len(names):
        raise ValueError("stratum names must be unique")
    missing = sorted({level for level in design.levels for s in ordered if level not in s.labels})
    if missing:
        raise ValueError(f"the design needs the frame columns {', '.join(missing)}")
    allocation = None
    if design.allocation is not None:
        spec = design.allocation
        allocation = allocate(
            {s.name: s.size for s in ordered},
            spec.n,
            spec.method,
            minimum=spec.minimum,
            variances=spec.variances,
            fixed=spec.counts,
        )
    groups = None
    if _is_stratified_srs(design):
        groups = _draw_srs_strata(RandomStream(seed), ordered, design, allocation)
    if groups is None:
        groups = _draw_strata(RandomStream(seed), ordered, design, allocation)
    return DrawResult(
        algorithm_version=ALGORITHM_VERSION,
        seed=seed,
        frame_digest=digest if digest is not None else frame_digest(ordered),
        design=design,
        allocation=allocation,
        groups=tuple(groups),
        digest=sample_digest(groups),
    )


def _draw_strata(
    stream: RandomStream,
    ordered: Sequence[FrameStratum],
    design: Design,
    allocation: Allocation | None,
) -> list[DrawnGroup]:
    """The draw, stratum after stratum, stage after stage (every design)."""
    groups: list[DrawnGroup] = []
    for stratum in ordered:
        top = allocation.counts[stratum.name] if allocation is not None else None
        groups.extend(_draw_stratum(stream, stratum, design, top))
    return groups


def _is_stratified_srs(design: Design) -> bool:
    return (
        len(design.stages) == 1
        and design.stages[0].level is None
        and design.stages[0].method is Method.SRS
    )


def _draw_srs_strata(
    stream: RandomStream,
    ordered: Sequence[FrameStratum],
    design: Design,
    allocation: Allocation | None,
) -> list[DrawnGroup] | None:
    """A stratified simple random draw, all strata at once; ``None`` when it cannot give
    what :func:`_draw_strata` gives, which then draws instead (from a fresh stream).

    The sequential draw takes, stratum after stratum, one raw word per place (sample
    and reserves) and turns it into an offset of Durstenfeld's shuffle by Lemire's
    bounded-integer rule (:meth:`RandomStream.bounded`), redrawing rejected words
    before the next stratum. Here every place of every stratum takes its word from one
    call and the rule runs on all of them together: while no word is rejected (a
    rejection has probability below ``bound / 2**64`` per word, about ``10**-13``
    here) the words and offsets are exactly the sequential ones. A stratum in which two
    swaps hit one position is shuffled by :func:`~sampling.selection.random_order`'s own
    rule from the same offsets.
    """
    stage = design.stages[0]
    takes, totals, sizes = [], [], []
    for stratum in ordered:
        top = allocation.counts[stratum.name] if allocation is not None else stage.count
        assert top is not None
        take = min(top, stratum.size)
        reserves = min(design.reserves.reserves_for(take), stratum.size - take) if take else 0
        takes.append(take)
        totals.append(take + reserves)
        sizes.append(stratum.size)
    count = np.asarray(totals, dtype=np.int64)
    size = np.asarray(sizes, dtype=np.int64)
    if int(size.max(initial=1)) >= 2**32:
        return None
    starts = np.concatenate(([0], np.cumsum(count)[:-1])) if count.size else count
    place = np.arange(int(count.sum()), dtype=np.int64) - np.repeat(starts, count)
    bounds = (np.repeat(size, count) - place).astype(np.uint64)
    offsets = stream.offsets(bounds)
    if offsets is None:
        return None
    targets = offsets + place.astype(np.uint64)
    # Strata in which two swaps hit one position: equal (stratum, target) pairs.
    pairs = np.sort((np.repeat(np.arange(size.size, dtype=np.uint64), count) << 32) | targets)
    repeated = set((pairs[1:][pairs[1:] == pairs[:-1]] >> 32).tolist())
    groups = []
    for index, stratum in enumerate(ordered):
        start, total = int(starts[index]), int(count[index])
        if index in repeated:
            positions = shuffle_order(offsets[start : start + total].tolist())
        else:
            # No position was the target of two swaps: the shuffle's output is the targets.
            positions = targets[start : start + total]
        take = takes[index]
        probability = take / stratum.size if stratum.size else 0.0
        groups.append(
            DrawnGroup(
                stratum=stratum.name,
                clusters=(),
                cluster_probabilities=(),
                first_order=1,
                keys=stratum.keys_at(positions),
                probabilities=(probability,) * total,
                sample_size=take,
            )
        )
    return groups


def _draw_stratum(
    stream: RandomStream, stratum: FrameStratum, design: Design, top_count: int | None
) -> list[DrawnGroup]:
    drawn: list[DrawnGroup] = []
    next_order = 1
    groups: list[tuple[Sequence[int], tuple[str, ...], tuple[float, ...]]] = [
        (range(stratum.size), (), ())
    ]
    for depth, stage in enumerate(design.stages):
        count = top_count if depth == 0 and top_count is not None else stage.count
        assert count is not None
        if stage.level is None:
            for members, clusters, probabilities in groups:
                group = _final_stage(
                    stream,
                    stratum,
                    design,
                    stage,
                    count,
                    members,
                    clusters,
                    probabilities,
                    first_order=next_order,
                )
                next_order += len(group.keys)
                drawn.append(group)
            break
        next_groups: list[tuple[Sequence[int], tuple[str, ...], tuple[float, ...]]] = []
        for members, clusters, probabilities in groups:
            next_groups.extend(
                _cluster_stage(
                    stratum, stage, stage.level, count, stream, members, clusters, probabilities
                )
            )
        groups = next_groups
    return drawn


def _cluster_stage(
    stratum: FrameStratum,
    stage: Stage,
    level: str,
    count: int,
    stream: RandomStream,
    members: Sequence[int],
    clusters: tuple[str, ...],
    probabilities: tuple[float, ...],
) -> list[tuple[Sequence[int], tuple[str, ...], tuple[float, ...]]]:
    """Select clusters of ``level`` among ``members``; measure of size = elements."""
    labels = stratum.labels[level]
    by_label: dict[str, list[int]] = {}
    for index in members:
        by_label.setdefault(labels[index], []).append(index)
    names = sorted(by_label)
    take = min(count, len(names))
    selection = _select(stream, stage.method, [len(by_label[n]) for n in names], take, 0)
    return [
        (by_label[names[position]], (*clusters, names[position]), (*probabilities, probability))
        for position, probability in zip(selection.positions, selection.probabilities, strict=True)
    ]


def reserves_in_group(design: Design, take: int, size: int) -> int:
    """Reserves drawn in a final group of ``size`` units of which ``take`` are sampled:
    ⌈ratio × take⌉ + count (:class:`ReserveSpec`), at most the units left over."""
    return min(design.reserves.reserves_for(take), size - take)


@dataclass(frozen=True)
class StratumPlan:
    """What a single-stage draw will take from one stratum, before it is drawn."""

    stratum: str
    size: int
    sample: int
    reserves: int


def plan_draw(sizes: Mapping[str, int], design: Design) -> list[StratumPlan]:
    """Sample and reserves per stratum of a single-stage (allocated) design: the
    allocation the draw will make, shown before drawing (no randomness involved).

    Raises
    ------
    ValueError
        For a multi-stage design (its sizes depend on the clusters drawn), or when the
        allocation cannot be made (the message names the input).
    """
    if design.allocation is None:
        raise ValueError("only single-stage designs with an allocation can be planned")
    spec = design.allocation
    allocation = allocate(
        sizes,
        spec.n,
        spec.method,
        minimum=spec.minimum,
        variances=spec.variances,
        fixed=spec.counts,
    )
    return [
        StratumPlan(name, size, n, reserves_in_group(design, n, size))
        for name, size in sorted(sizes.items())
        for n in [allocation.counts[name]]
    ]


def _final_stage(
    stream: RandomStream,
    stratum: FrameStratum,
    design: Design,
    stage: Stage,
    count: int,
    members: Sequence[int],
    clusters: tuple[str, ...],
    probabilities: tuple[float, ...],
    *,
    first_order: int,
) -> DrawnGroup:
    take = min(count, len(members))
    reserves = reserves_in_group(design, take, len(members))
    selection = _select(stream, stage.method, None, take, reserves, population=len(members))
    return DrawnGroup(
        stratum=stratum.name,
        clusters=clusters,
        cluster_probabilities=probabilities,
        first_order=first_order,
        keys=stratum.keys_at(list(map(members.__getitem__, selection.positions))),
        probabilities=selection.probabilities,
        sample_size=selection.sample_size,
    )


def _select(
    stream: RandomStream,
    method: Method,
    sizes: Sequence[float] | None,
    n: int,
    reserves: int,
    *,
    population: int | None = None,
) -> Selection:
    count = population if population is not None else len(sizes or ())
    if n == 0:
        return Selection((), (), 0)
    if method is Method.SRS:
        return simple_random(stream, count, n, reserves)
    if method is Method.SYSTEMATIC:
        return systematic(stream, count, n, reserves)
    assert sizes is not None
    return pps_systematic(stream, sizes, n, reserves)
