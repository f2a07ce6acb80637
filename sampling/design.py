"""Sample designs as data: what ``DESIGN.md`` describes, parsed and checked.

A design is read from a mapping (a YAML or JSON document) by :func:`parse_design`,
which reports every problem at once with its path in the document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from sampling.allocation import AllocationMethod
from sampling.selection import Method

DESIGN_FORMAT = "sipas-design/1"


class DesignError(ValueError):
    """A design document with problems; ``problems`` lists each with its path."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Stage:
    """One stage of selection.

    Attributes
    ----------
    level : str or None
        The frame column whose values are the clusters chosen at this stage
        (``commune``, ``hamlet``); ``None`` for the last stage, which selects
        the frame's elements (people, households).
    method : Method
    count : int or None
        Units to select in each group reaching this stage; ``None`` on the only
        stage of a design whose sizes come from ``allocation``.
    """

    level: str | None
    method: Method
    count: int | None


@dataclass(frozen=True)
class AllocationSpec:
    """How the total sample is spread over strata (single-stage designs)."""

    method: AllocationMethod
    n: int | None
    minimum: int = 0
    variances: Mapping[str, float] = field(default_factory=dict)
    counts: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ReserveSpec:
    """Reserves per final group: ``ceil(ratio × n_g)`` plus ``count``."""

    ratio: float = 0.0
    count: int = 0

    def reserves_for(self, sample_size: int) -> int:
        whole = self.ratio * sample_size
        rounded = int(whole)
        return (rounded + (1 if whole - rounded > 1e-9 else 0)) + self.count


@dataclass(frozen=True)
class Design:
    """A sample design.

    Attributes
    ----------
    stages : tuple of Stage
        At least one; only the last has ``level`` ``None``.
    allocation : AllocationSpec or None
        Required when the design has a single stage, absent otherwise.
    reserves : ReserveSpec
    name : str
    """

    stages: tuple[Stage, ...]
    allocation: AllocationSpec | None
    reserves: ReserveSpec
    name: str = ""

    @property
    def levels(self) -> tuple[str, ...]:
        """The cluster columns the frame must carry, in stage order."""
        return tuple(stage.level for stage in self.stages if stage.level is not None)

    def to_document(self) -> dict[str, Any]:
        """The canonical document form (what a stored draw keeps)."""
        document: dict[str, Any] = {"format": DESIGN_FORMAT, "name": self.name}
        if self.allocation is not None:
            allocation: dict[str, Any] = {
                "method": self.allocation.method.value,
                "n": self.allocation.n,
                "minimum": self.allocation.minimum,
            }
            if self.allocation.variances:
                allocation["variances"] = dict(sorted(self.allocation.variances.items()))
            if self.allocation.counts:
                allocation["counts"] = dict(sorted(self.allocation.counts.items()))
            document["allocation"] = allocation
        stages = []
        for stage in self.stages:
            entry: dict[str, Any] = {"method": stage.method.value}
            if stage.level is not None:
                entry["level"] = stage.level
            if stage.count is not None:
                entry["count"] = stage.count
            stages.append(entry)
        document["stages"] = stages
        document["reserves"] = {"ratio": self.reserves.ratio, "count": self.reserves.count}
        return document


def load_design(text: str) -> Design:
    """Parse a design from YAML (or JSON) text."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DesignError([f"the design is not valid YAML: {exc}"]) from exc
    return parse_design(document)


def parse_design(document: object) -> Design:
    """Check a design document and return the :class:`Design`.

    Raises
    ------
    DesignError
        Listing every problem with its path, e.g. ``stages[1].count: must be a
        positive integer``.
    """
    problems: list[str] = []
    if not isinstance(document, Mapping):
        raise DesignError(["the design must be a mapping (see sampling/DESIGN.md)"])
    known = {"format", "name", "allocation", "selection", "stages", "reserves"}
    problems += [f"{key}: unknown key" for key in sorted(set(map(str, document)) - known)]
    fmt = document.get("format", DESIGN_FORMAT)
    if fmt != DESIGN_FORMAT:
        problems.append(f"format: expected {DESIGN_FORMAT!r}, got {fmt!r}")
    name = document.get("name") or ""
    if not isinstance(name, str):
        problems.append("name: must be text")
        name = ""

    stages = _stages(document, problems)
    allocation = None
    if "allocation" in document:
        allocation = _allocation(document["allocation"], problems)
    if len(stages) == 1 and stages[0].count is None and allocation is None:
        problems.append("allocation: required for a single-stage design")
    if len(stages) > 1 and allocation is not None:
        problems.append(
            "allocation: only for single-stage designs; multi-stage designs give a count per stage"
        )
    if len(stages) == 1 and stages[0].count is not None and allocation is not None:
        problems.append("stages[0].count: give either allocation or a count, not both")
    reserves = _reserves(document.get("reserves", {}), problems)
    if problems:
        raise DesignError(problems)
    return Design(stages=stages, allocation=allocation, reserves=reserves, name=name)


def _method(value: object, path: str, problems: list[str], default: Method) -> Method:
    if value is None:
        return default
    try:
        return Method(str(value))
    except ValueError:
        problems.append(f"{path}: one of {', '.join(m.value for m in Method)}, got {value!r}")
        return default


def _positive_int(value: object, path: str, problems: list[str], *, zero: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < (0 if zero else 1):
        kind = "a non-negative" if zero else "a positive"
        problems.append(f"{path}: must be {kind} integer, got {value!r}")
        return 0
    return value


def _stages(document: Mapping[Any, Any], problems: list[str]) -> tuple[Stage, ...]:
    raw = document.get("stages")
    if raw is None:
        method = _method(document.get("selection"), "selection", problems, Method.SRS)
        if method is Method.PPS_SYSTEMATIC:
            problems.append("selection: pps_systematic selects clusters; use it in stages")
        return (Stage(level=None, method=method, count=None),)
    if "selection" in document:
        problems.append("selection: give the method on each stage instead")
    if not isinstance(raw, list) or not raw:
        problems.append("stages: must be a non-empty list")
        return (Stage(level=None, method=Method.SRS, count=None),)
    stages: list[Stage] = []
    levels: set[str] = set()
    for index, item in enumerate(raw):
        path = f"stages[{index}]"
        if not isinstance(item, Mapping):
            problems.append(f"{path}: must be a mapping")
            continue
        extra = sorted(set(map(str, item)) - {"level", "method", "count"})
        problems += [f"{path}.{key}: unknown key" for key in extra]
        last = index == len(raw) - 1
        level = item.get("level")
        if last and level is not None:
            problems.append(f"{path}.level: the last stage selects frame elements; omit level")
        if not last:
            if not isinstance(level, str) or not level:
                problems.append(f"{path}.level: name the frame column of this stage's clusters")
                level = None
            elif level in levels:
                problems.append(f"{path}.level: {level!r} is used by an earlier stage")
            else:
                levels.add(level)
        method = _method(item.get("method"), f"{path}.method", problems, Method.SRS)
        if last and method is Method.PPS_SYSTEMATIC:
            problems.append(f"{path}.method: the last stage selects elements (srs or systematic)")
        count: int | None
        if item.get("count") is None and len(raw) == 1:
            count = None
        else:
            count = _positive_int(item.get("count"), f"{path}.count", problems)
        stages.append(Stage(level=level if not last else None, method=method, count=count))
    return tuple(stages)


def _allocation(raw: object, problems: list[str]) -> AllocationSpec | None:
    if not isinstance(raw, Mapping):
        problems.append("allocation: must be a mapping")
        return None
    extra = sorted(set(map(str, raw)) - {"method", "n", "minimum", "variances", "counts"})
    problems += [f"allocation.{key}: unknown key" for key in extra]
    try:
        method = AllocationMethod(str(raw.get("method", "proportional")))
    except ValueError:
        problems.append(
            "allocation.method: one of "
            f"{', '.join(m.value for m in AllocationMethod)}, got {raw.get('method')!r}"
        )
        return None
    n = raw.get("n")
    if n is not None or method is not AllocationMethod.FIXED:
        n = _positive_int(n, "allocation.n", problems)
    minimum = _positive_int(raw.get("minimum", 0), "allocation.minimum", problems, zero=True)
    variances = raw.get("variances") or {}
    counts = raw.get("counts") or {}
    if not isinstance(variances, Mapping) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) and v >= 0
        for v in variances.values()
    ):
        problems.append("allocation.variances: a mapping of stratum to a non-negative number")
        variances = {}
    if not isinstance(counts, Mapping):
        problems.append("allocation.counts: a mapping of stratum to a count")
        counts = {}
    for key, value in counts.items():
        _positive_int(value, f"allocation.counts.{key}", problems, zero=True)
    if method is AllocationMethod.NEYMAN and not variances:
        problems.append("allocation.variances: required for neyman allocation")
    if method is AllocationMethod.FIXED and not counts:
        problems.append("allocation.counts: required for fixed allocation")
    return AllocationSpec(
        method=method,
        n=n,
        minimum=minimum,
        variances={str(k): float(v) for k, v in variances.items()},
        counts={str(k): int(v) for k, v in counts.items()},
    )


def _reserves(raw: object, problems: list[str]) -> ReserveSpec:
    if raw is None:
        return ReserveSpec()
    if not isinstance(raw, Mapping):
        problems.append("reserves: a mapping with ratio and/or count")
        return ReserveSpec()
    extra = sorted(set(map(str, raw)) - {"ratio", "count"})
    problems += [f"reserves.{key}: unknown key" for key in extra]
    ratio = raw.get("ratio", 0)
    if isinstance(ratio, bool) or not isinstance(ratio, int | float) or not 0 <= ratio <= 10:
        problems.append(f"reserves.ratio: a number between 0 and 10, got {ratio!r}")
        ratio = 0
    count = _positive_int(raw.get("count", 0), "reserves.count", problems, zero=True)
    return ReserveSpec(ratio=float(ratio), count=count)
