"""SIPAS results of one data set: criteria, sub-indices, halves, overall, breakdowns, tables.

Method (spec §3)
----------------
* **Criterion rate** (tiêu chí) = satisfied / valid answers × 100 under the
  questionnaire's scoring rule: top-two-box (4 Hài lòng or 5 Rất hài lòng) by default,
  or the mean answer rescaled from 1–5 to 0–100. "Not applicable" answers and items
  skipped by ``show_if`` are not valid answers.
* **Sub-index** (chỉ số thành phần) = mean of its criterion rates.
* **Halves**: policy (A–D) and public service (E–K), each the mean of its criterion rates.
* **SIPAS overall** = mean of *all* criterion rates, so each sub-index weighs by its
  number of criteria (verified on Sóc Trăng 2024: 81.62%, where the plain mean of the
  nine sub-indices would be 81.67%).
* Criteria without any valid answer in a domain are left out of that domain's means.
* Every figure carries its n (respondents with at least one valid answer), a 95%
  interval, effective n and design effect (:mod:`analysis.estimation`).
* Cells with n below ``min_cell`` (default 10) are flagged ``small``; public outputs
  withhold their figures (:func:`public`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from analysis.estimation import BoolArray, Engine, Estimates, FloatArray
from analysis.schemes import ParPoints, WeightScheme, sipas_points
from analysis.table import PROFILE_ITEMS, ResponseTable
from questionnaires.schema import BlockKind, ItemType, Questionnaire

METHOD_VERSION = "1.0"
"""Version of the method in this module; stored with every result."""

MIN_CELL = 10
OVERALL = "overall"
HARASSMENT_ITEM = "P19"
INFORMAL_PAYMENT_ITEM = "P20"
VERY_MUCH = "1"
"""Code of "Rất nhiều" on the expectation scale; expectations rank by its share."""


@dataclass(frozen=True)
class Estimate:
    """One rate in percent with its n, 95% interval, effective n and design effect."""

    rate: float | None
    n: int
    ci_low: float | None
    ci_high: float | None
    se: float | None
    n_effective: float | None
    design_effect: float | None
    small: bool

    def withheld(self) -> Estimate:
        """The same cell with every figure but n removed (for public outputs)."""
        return replace(
            self,
            rate=None,
            ci_low=None,
            ci_high=None,
            se=None,
            n_effective=None,
            design_effect=None,
        )


@dataclass(frozen=True)
class DomainResult:
    """Results of one domain: the whole sample, a unit, a stratum or a profile group."""

    respondents: int
    sipas: Estimate
    halves: Mapping[str, Estimate]
    subindices: Mapping[str, Estimate]
    criteria: Mapping[str, Estimate]
    par_points: ParPoints | None = None


@dataclass(frozen=True)
class Share:
    """Share (percent, weighted when the design is) of respondents giving one answer."""

    code: str
    label: str
    share: float | None
    count: int


@dataclass(frozen=True)
class ItemTable:
    """Answer shares of one descriptive item (perception, expectation, profile)."""

    item: str
    text: str
    n: int
    shares: tuple[Share, ...]
    rank: int | None = None


@dataclass(frozen=True)
class SipasResult:
    """Everything computed from one data set; see :func:`analyse`."""

    method_version: str
    questionnaire: str
    edition: str
    scoring_rule: str
    weighted: bool
    degrees_of_freedom: int | None
    strata: int
    psus: int
    min_cell: int
    overall: DomainResult
    units: Mapping[str, DomainResult]
    strata_results: Mapping[str, DomainResult]
    profiles: Mapping[str, Mapping[str, DomainResult]]
    perception: tuple[ItemTable, ...]
    expectations: tuple[ItemTable, ...]
    harassment: ItemTable | None
    informal_payment: ItemTable | None
    subindex_names: Mapping[str, str] = field(default_factory=dict)
    half_names: Mapping[str, str] = field(default_factory=dict)
    criterion_numbers: Mapping[str, int | None] = field(default_factory=dict)
    lonely_psu: str | None = None


def analyse(
    questionnaire: Questionnaire,
    table: ResponseTable,
    *,
    scheme: WeightScheme | None = None,
    min_cell: int = MIN_CELL,
    profile_items: Mapping[str, str] = PROFILE_ITEMS,
) -> SipasResult:
    """Compute every published figure of one survey data set.

    Parameters
    ----------
    questionnaire
        The version the answers were given on (criteria, sub-indices, halves, scoring).
    table
        The respondents, from :func:`analysis.table.tabulate`.
    scheme
        Weight scheme for PAR points of the whole sample and of each unit.
    min_cell
        Cells with fewer respondents are flagged ``small`` (withheld from public outputs).
    profile_items
        Breakdown name → item code of the respondent profile (sex, age band, area);
        breakdown by collection mode is always made when modes are known.

    Returns
    -------
    SipasResult
        Rates in percent at full precision; round only for display
        (:mod:`analysis.rounding`).
    """
    if min_cell < 1:
        raise ValueError(f"min_cell must be at least 1, got {min_cell}")
    columns = _Columns(questionnaire, table)
    engine = Engine(table.scores, columns.membership, table.design)

    def domain(mask: BoolArray | None) -> DomainResult:
        rows = engine.rows(mask)
        return columns.domain(engine.estimate(rows), int(rows.size), min_cell, scheme)

    units = _labels(table.units)
    strata: dict[str, DomainResult] = {}
    if table.design is not None and table.design.n_strata > 1:
        names = table.design.stratum_names
        strata = {names[h]: domain(table.design.strata == h) for h in range(len(names))}
    profiles: dict[str, dict[str, DomainResult]] = {}
    for name, code in profile_items.items():
        answers = table.categorical.get(code)
        if answers is None:
            continue
        profiles[name] = {
            label: domain(answers.index == i)
            for i, label in enumerate(answers.labels)
            if np.any(answers.index == i)
        }
    modes = _labels(table.modes)
    if modes:
        profiles["mode"] = {label: domain(mask) for label, mask in modes.items()}

    shares = _Shares(table)
    items = questionnaire.item_map()
    perception_codes = [
        item.code
        for block in questionnaire.blocks
        if block.kind is BlockKind.PERCEPTION
        for item in block.items
    ]
    expectations = [
        shares.table(items[code])
        for block in questionnaire.blocks
        if block.kind is BlockKind.EXPECTATIONS
        for code in (i.code for i in block.items if i.type is ItemType.EXPECTATION3)
    ]
    ranked = sorted(expectations, key=lambda t: -_share_of(t, VERY_MUCH))
    expectations_ranked = tuple(replace(t, rank=i) for i, t in enumerate(ranked, start=1))
    design = table.design
    return SipasResult(
        method_version=METHOD_VERSION,
        questionnaire=questionnaire.code,
        edition=questionnaire.edition,
        scoring_rule=questionnaire.scoring.rule.value,
        weighted=design is not None,
        degrees_of_freedom=engine.degrees_of_freedom,
        strata=design.n_strata if design is not None else 1,
        psus=design.n_psus if design is not None else table.size,
        min_cell=min_cell,
        overall=domain(None),
        units={label: domain(mask) for label, mask in units.items()},
        strata_results=strata,
        profiles=profiles,
        perception=tuple(
            shares.table(items[code]) for code in perception_codes if shares.has(code)
        ),
        expectations=expectations_ranked,
        harassment=shares.table(items[HARASSMENT_ITEM]) if shares.has(HARASSMENT_ITEM) else None,
        informal_payment=(
            shares.table(items[INFORMAL_PAYMENT_ITEM])
            if shares.has(INFORMAL_PAYMENT_ITEM)
            else None
        ),
        subindex_names={s.code: s.name for s in questionnaire.subindices},
        half_names={h.code: h.name for h in questionnaire.halves},
        criterion_numbers={item.code: item.number for item in questionnaire.criteria()},
        lonely_psu=design.lonely_psu.value if design is not None else None,
    )


def _labels(values: tuple[str | None, ...]) -> dict[str, BoolArray]:
    """Mask per distinct non-empty label, labels sorted."""
    array = np.asarray([v if v is not None else "" for v in values], dtype=object)
    return {str(label): array == label for label in sorted(set(array.tolist()) - {""})}


def _share_of(table: ItemTable, code: str) -> float:
    for share in table.shares:
        if share.code == code and share.share is not None:
            return share.share
    return 0.0


class _Columns:
    """The engine's columns: criteria, then sub-indices, halves and the overall index."""

    def __init__(self, questionnaire: Questionnaire, table: ResponseTable) -> None:
        criteria = list(table.criteria)
        by_subindex = {
            code: [item.code for item in items]
            for code, items in questionnaire.criteria_by_subindex().items()
            if items
        }
        half_of = {s.code: s.half for s in questionnaire.subindices}
        halves: dict[str, list[str]] = {}
        for code, members in by_subindex.items():
            halves.setdefault(half_of[code], []).extend(members)
        self.criteria = criteria
        self.subindices = list(by_subindex)
        self.halves = [h.code for h in questionnaire.halves if h.code in halves]
        groups = [*by_subindex.values(), *(halves[h] for h in self.halves), criteria]
        membership = np.zeros((len(criteria), len(groups)))
        position = {code: k for k, code in enumerate(criteria)}
        for column, members in enumerate(groups):
            for code in members:
                membership[position[code], column] = 1.0
        self.membership = membership

    def domain(
        self, estimates: Estimates, respondents: int, min_cell: int, scheme: WeightScheme | None
    ) -> DomainResult:
        cells = [_estimate(estimates, i, min_cell) for i in range(estimates.rate.size)]
        k = len(self.criteria)
        s = len(self.subindices)
        h = len(self.halves)
        subindices = dict(zip(self.subindices, cells[k : k + s], strict=True))
        halves = dict(zip(self.halves, cells[k + s : k + s + h], strict=True))
        overall = cells[k + s + h]
        points = None
        if scheme is not None:
            points = sipas_points(
                scheme,
                overall=overall.rate,
                halves={code: e.rate for code, e in halves.items()},
                subindices={code: e.rate for code, e in subindices.items()},
            )
        return DomainResult(
            respondents=respondents,
            sipas=overall,
            halves=halves,
            subindices=subindices,
            criteria=dict(zip(self.criteria, cells[:k], strict=True)),
            par_points=points,
        )


def _optional(value: np.float64 | float, scale: float = 1.0) -> float | None:
    return None if not np.isfinite(value) else float(value) * scale


def _estimate(estimates: Estimates, i: int, min_cell: int) -> Estimate:
    n = int(estimates.n[i])
    return Estimate(
        rate=_optional(estimates.rate[i], 100.0),
        n=n,
        ci_low=_optional(estimates.ci_low[i], 100.0),
        ci_high=_optional(estimates.ci_high[i], 100.0),
        se=_optional(estimates.se[i], 100.0),
        n_effective=_optional(estimates.n_effective[i]),
        design_effect=_optional(estimates.design_effect[i]),
        small=n < min_cell,
    )


class _Shares:
    """Weighted answer shares of descriptive items over the whole sample."""

    def __init__(self, table: ResponseTable) -> None:
        self._table = table
        self._weights: FloatArray = (
            table.design.weights if table.design is not None else np.ones(table.size)
        )

    def has(self, code: str) -> bool:
        return code in self._table.categorical or code in self._table.multiple

    def table(self, item: Any) -> ItemTable:
        w = self._weights
        counts: npt.NDArray[Any]
        sums: npt.NDArray[Any]
        if item.code in self._table.multiple:
            multiple = self._table.multiple[item.code]
            answered = multiple.answered
            total = float(w[answered].sum())
            counts = multiple.selected.sum(axis=0)
            sums = w @ multiple.selected
            codes, labels = multiple.codes, multiple.labels
        else:
            categorical = self._table.categorical[item.code]
            answered = categorical.index >= 0
            total = float(w[answered].sum())
            size = len(categorical.codes)
            index = categorical.index[answered]
            counts = np.bincount(index, minlength=size)
            sums = np.bincount(index, weights=w[answered], minlength=size)
            codes, labels = categorical.codes, categorical.labels
        shares = tuple(
            Share(
                code=code,
                label=label,
                share=float(sums[i]) / total * 100 if total > 0 else None,
                count=int(counts[i]),
            )
            for i, (code, label) in enumerate(zip(codes, labels, strict=True))
        )
        return ItemTable(item=item.code, text=item.text, n=int(answered.sum()), shares=shares)


def public(result: SipasResult) -> SipasResult:
    """The result as it may be published: small cells keep their n, lose their figures.

    Points of a unit or group whose overall cell is small are withheld too.
    """

    def clean(domain: DomainResult) -> DomainResult:
        def cell(e: Estimate) -> Estimate:
            return e.withheld() if e.small else e

        points = domain.par_points if not domain.sipas.small else None
        return replace(
            domain,
            sipas=cell(domain.sipas),
            halves={k: cell(v) for k, v in domain.halves.items()},
            subindices={k: cell(v) for k, v in domain.subindices.items()},
            criteria={k: cell(v) for k, v in domain.criteria.items()},
            par_points=points,
        )

    return replace(
        result,
        overall=clean(result.overall),
        units={k: clean(v) for k, v in result.units.items()},
        strata_results={k: clean(v) for k, v in result.strata_results.items()},
        profiles={
            name: {k: clean(v) for k, v in groups.items()}
            for name, groups in result.profiles.items()
        },
    )
