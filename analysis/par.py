"""The PAR table of a province's units: totals, PAR %, ranks, bands, averages, year on year.

Spec §4: a unit's PAR index in percent is (appraised self-assessment + civil-servant
survey + SIPAS points) / the unit's standard maximum × 100
(:func:`analysis.schemes.par_total_percent`), and bands are data of the weight scheme.
The rules below are those of the Sóc Trăng 2023 report (seed ``001``, section II.1,
lines 43–121), which publishes, per unit group, a table «Điểm chuẩn tối đa · Điểm tự
đánh giá · Khảo sát CBCC VC · Chỉ số Sipas · Tổng điểm · Chỉ số CCHC» with its average,
then sentences with band counts, the highest and lowest unit and the gap between them.

Rules, each pinned by ``tests/unit/test_par_seed_001.py``:

* **Totals and percentages** stay at full precision; only display rounds (spec §3).
* **Ranks** compare the percentages *as published* (2 decimals, half-up), so units shown
  with the same figure share a rank (competition ranking 1, 2, 2, 4), as the report's
  «cùng dẫn đầu với tỷ lệ 91,3%» names two leaders (seed line 440).
* **Bands** classify the full-precision percentage (:meth:`WeightScheme.band`).
* **Averages** come in two kinds, and a table says which it shows:
  :attr:`GroupSummary.mean_percent` is the mean of the units' percentages (what the
  seed's «TRUNG BÌNH» rows show: 77,08%, 76,20%, 82,94%), and
  :attr:`GroupSummary.pooled_percent` is the percentage of the summed points (total
  points of the group / the sum of its standard maxima). The seed's text gives the
  central agencies 82,95% (line 113) against 82,94% in their table (line 109): the
  table averages full-precision percentages (82,9428…), the text averages the
  percentages after rounding each to 2 decimals (82,9467…), see :func:`mean_percent`.
* **The gap** between the highest and the lowest unit is the difference of the two
  percentages as published, so that the sentence adds up for its reader: 84,81 − 58,89
  = 25,92 (line 52), 88,07 − 70,54 = 17,53 (line 83), 90,06 − 74,76 = 15,3 (line 97).
* **Year on year** compares a unit's percentage with its percentage in the previous
  campaign; a unit is lower when the change, as published, is below zero («22/40 đơn
  vị có tỷ lệ chỉ số CCHC … thấp hơn», line 677).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from analysis.rounding import percent as published
from analysis.schemes import Band, WeightScheme, par_total_percent


class UnitGroup(StrEnum):
    """The groups a province ranks its units in (seed 001, section II.1)."""

    DEPARTMENT = "department"
    LOCAL = "local"
    PUBLIC_SERVICE_UNIT = "public_service_unit"
    CENTRAL_AGENCY = "central_agency"

    @property
    def label(self) -> str:
        """The group's name as a table title: «Sở, ban, ngành tỉnh»."""
        return GROUP_LABELS[self]

    @property
    def noun(self) -> str:
        """How a sentence counts its units: «09/19 sở ngành»."""
        return GROUP_NOUNS[self]


GROUP_LABELS: dict[UnitGroup, str] = {
    UnitGroup.DEPARTMENT: "Sở, ban, ngành tỉnh",
    UnitGroup.LOCAL: "UBND cấp huyện, cấp xã",
    UnitGroup.PUBLIC_SERVICE_UNIT: "Đơn vị sự nghiệp công lập tỉnh",
    UnitGroup.CENTRAL_AGENCY: "Cơ quan Trung ương đặt tại tỉnh",
}
"""Group names, in the order the report lists the groups (seed 001, lines 52–97)."""

GROUP_NOUNS: dict[UnitGroup, str] = {
    UnitGroup.DEPARTMENT: "sở ngành",
    UnitGroup.LOCAL: "đơn vị cấp huyện, cấp xã",
    UnitGroup.PUBLIC_SERVICE_UNIT: "đơn vị sự nghiệp công lập tỉnh",
    UnitGroup.CENTRAL_AGENCY: "cơ quan Trung ương đặt tại tỉnh",
}

KIND_GROUPS: dict[str, UnitGroup] = {
    "department": UnitGroup.DEPARTMENT,
    "district": UnitGroup.LOCAL,
    "commune": UnitGroup.LOCAL,
    "public_service_unit": UnitGroup.PUBLIC_SERVICE_UNIT,
    "central_agency": UnitGroup.CENTRAL_AGENCY,
}
"""The group a unit falls in by its kind, when the PAR file does not say."""


@dataclass(frozen=True)
class ParUnit:
    """One unit's PAR components for one year.

    ``sipas_points`` come from the survey's results under the campaign's weight scheme
    (or, for a scheme that does not publish how rates become points, from the
    province's file); ``None`` when the unit has none, which leaves it unscored.
    """

    code: str
    name: str
    group: UnitGroup
    standard_max: Decimal
    self_assessment: Decimal
    civil_servant_survey: Decimal
    sipas_points: float | Decimal | None


@dataclass(frozen=True)
class ParRow:
    """A unit's line of the PAR table; figures at full precision, ``None`` if unscored."""

    unit: ParUnit
    total: float | None
    percent: float | None
    band: Band | None
    rank_in_group: int | None
    rank_overall: int | None
    previous_percent: float | None = None

    @property
    def change(self) -> float | None:
        """Percentage points gained (negative: lost) since the previous campaign."""
        if self.percent is None or self.previous_percent is None:
            return None
        return self.percent - self.previous_percent

    @property
    def lower_than_previous(self) -> bool:
        """True when the change, as published, is below zero."""
        change = self.change
        return change is not None and published(change) < 0


@dataclass(frozen=True)
class Spread:
    """The highest and lowest units of a group (all that share the published figure)."""

    highest: tuple[ParRow, ...]
    lowest: tuple[ParRow, ...]

    @property
    def highest_percent(self) -> Decimal:
        return published(_scored(self.highest[0]))

    @property
    def lowest_percent(self) -> Decimal:
        return published(_scored(self.lowest[0]))

    @property
    def gap(self) -> Decimal:
        """Highest minus lowest, as published figures (so the sentence adds up)."""
        return self.highest_percent - self.lowest_percent


@dataclass(frozen=True)
class GroupSummary:
    """A group's averages, band counts, spread and year-on-year counts.

    ``group`` is ``None`` for the summary of all units together.
    """

    group: UnitGroup | None
    rows: tuple[ParRow, ...]
    band_counts: tuple[tuple[Band, int], ...]
    previous_mean_percent: float | None = None

    @property
    def scored(self) -> tuple[ParRow, ...]:
        """The rows with a percentage."""
        return tuple(r for r in self.rows if r.percent is not None)

    @property
    def mean_percent(self) -> float | None:
        """Mean of the units' PAR % at full precision (the seed's «TRUNG BÌNH» rows)."""
        return mean_percent(r.percent for r in self.rows)

    @property
    def pooled_percent(self) -> float | None:
        """The group's summed points over its summed standard maxima × 100."""
        scored = self.scored
        if not scored:
            return None
        maximum = sum((r.unit.standard_max for r in scored), Decimal(0))
        return sum(_scored_total(r) for r in scored) / float(maximum) * 100

    @property
    def mean_change(self) -> float | None:
        """Change of :attr:`mean_percent` since the previous campaign, in points."""
        mean = self.mean_percent
        if mean is None or self.previous_mean_percent is None:
            return None
        return mean - self.previous_mean_percent

    @property
    def spread(self) -> Spread | None:
        scored = self.scored
        if not scored:
            return None
        shown = [published(_scored(r)) for r in scored]
        return Spread(
            highest=tuple(r for r, s in zip(scored, shown, strict=True) if s == max(shown)),
            lowest=tuple(r for r, s in zip(scored, shown, strict=True) if s == min(shown)),
        )

    @property
    def compared(self) -> int:
        """Units with a percentage in both campaigns."""
        return sum(1 for r in self.rows if r.change is not None)

    @property
    def lower_than_previous(self) -> int:
        return sum(1 for r in self.rows if r.lower_than_previous)


@dataclass(frozen=True)
class ParTable:
    """The whole table: rows by group (in :data:`GROUP_LABELS` order) then rank."""

    scheme: str
    scheme_version: str
    rows: tuple[ParRow, ...]
    groups: tuple[GroupSummary, ...]
    overall: GroupSummary

    def percents(self) -> dict[str, float]:
        """Unit code → PAR % of every scored unit (the previous year of a later table)."""
        return {r.unit.code: r.percent for r in self.rows if r.percent is not None}

    def group(self, group: UnitGroup) -> GroupSummary | None:
        return next((g for g in self.groups if g.group is group), None)


def _scored(row: ParRow) -> float:
    if row.percent is None:
        raise ValueError(f"unit {row.unit.code} has no PAR percentage")
    return row.percent


def _scored_total(row: ParRow) -> float:
    if row.total is None:
        raise ValueError(f"unit {row.unit.code} has no PAR total")
    return row.total


def mean_percent(percents: Iterable[float | None], *, rounded_first: bool = False) -> float | None:
    """Mean of units' PAR % (``None``, a unit without one, is left out).

    ``rounded_first`` rounds each unit's percentage to 2 decimals before averaging,
    which is how the seed's text reached 82,95% for the central agencies whose table
    shows 82,94% (seed 001, lines 109 and 113). The platform's tables and sentences
    use the full-precision mean; this option exists to explain the published text.
    """
    values = [p for p in percents if p is not None]
    if not values:
        return None
    if rounded_first:
        return float(sum(published(v) for v in values) / len(values))
    return sum(values) / len(values)


def competition_ranks(values: Sequence[Decimal | None]) -> list[int | None]:
    """Ranks, highest first; equal values share a rank and the next one skips (1, 2, 2, 4)."""
    present = sorted((v for v in values if v is not None), reverse=True)
    first: dict[Decimal, int] = {}
    for position, value in enumerate(present, start=1):
        first.setdefault(value, position)
    return [None if v is None else first[v] for v in values]


def unit_total(unit: ParUnit) -> float | None:
    """Appraised self-assessment + civil-servant survey + SIPAS points, or ``None``."""
    if unit.sipas_points is None:
        return None
    return float(unit.self_assessment) + float(unit.civil_servant_survey) + float(unit.sipas_points)


def par_table(
    units: Sequence[ParUnit], scheme: WeightScheme, *, previous: ParTable | None = None
) -> ParTable:
    """Score, rank, band and summarise ``units`` under ``scheme`` (see the module notes).

    Parameters
    ----------
    units
        One entry per unit; unit codes must be unique.
    scheme
        The campaign's weight scheme; its bands classify the PAR %.
    previous
        The previous campaign's table: each row gets the unit's previous percentage,
        each group the previous mean of the same group.
    """
    codes = [u.code for u in units]
    if len(set(codes)) != len(codes):
        raise ValueError("unit codes must be unique")
    before = previous.percents() if previous is not None else {}
    totals = [unit_total(u) for u in units]
    percents = [
        None
        if u.sipas_points is None
        else par_total_percent(
            u.self_assessment, u.civil_servant_survey, u.sipas_points, u.standard_max
        )
        for u in units
    ]
    shown = [None if p is None else published(p) for p in percents]
    overall_ranks = competition_ranks(shown)
    group_ranks: dict[int, int | None] = {}
    for group in UnitGroup:
        members = [i for i, u in enumerate(units) if u.group is group]
        ranks = competition_ranks([shown[i] for i in members])
        group_ranks.update(zip(members, ranks, strict=True))
    rows = [
        ParRow(
            unit=unit,
            total=totals[i],
            percent=percents[i],
            band=_band(scheme, percents[i]),
            rank_in_group=group_ranks[i],
            rank_overall=overall_ranks[i],
            previous_percent=before.get(unit.code),
        )
        for i, unit in enumerate(units)
    ]
    rows.sort(key=lambda r: (list(UnitGroup).index(r.unit.group), _order(r)))
    summaries = tuple(
        _summary(group, [r for r in rows if r.unit.group is group], scheme, previous)
        for group in UnitGroup
        if any(r.unit.group is group for r in rows)
    )
    return ParTable(
        scheme=scheme.code,
        scheme_version=scheme.version,
        rows=tuple(rows),
        groups=summaries,
        overall=_summary(None, rows, scheme, previous),
    )


def _band(scheme: WeightScheme, value: float | None) -> Band | None:
    return None if value is None else scheme.band(value)


def _order(row: ParRow) -> tuple[int, str]:
    rank = row.rank_in_group if row.rank_in_group is not None else 1 << 30
    return rank, row.unit.name


def _summary(
    group: UnitGroup | None,
    rows: Sequence[ParRow],
    scheme: WeightScheme,
    previous: ParTable | None,
) -> GroupSummary:
    counts = {band.code: 0 for band in scheme.bands}
    for row in rows:
        if row.band is not None:
            counts[row.band.code] += 1
    before = None
    if previous is not None:
        before = previous.overall if group is None else previous.group(group)
    return GroupSummary(
        group=group,
        rows=tuple(rows),
        band_counts=tuple((b, counts[b.code]) for b in scheme.bands if counts[b.code]),
        previous_mean_percent=before.mean_percent if before is not None else None,
    )
