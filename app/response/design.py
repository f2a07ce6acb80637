"""The design behind a campaign's responses: each sampled respondent's stratum, PSU,
inclusion probability, design weight, AAPOR disposition and non-response-adjusted
weight.

Results (:mod:`app.result.service`) and the respondent-level export
(:mod:`app.response.export`) both take the design from here, so that figures re-run in
SPSS, Stata or R from an export equal the published ones. The adjustment is
:func:`analysis.adjust_for_nonresponse` run one stratum at a time over the stored draw
(people are streamed in stratum order, so memory holds one stratum), with the sampling
fractions of the frames the campaign was drawn from.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter
from typing import Any

from sqlalchemy.orm import Session

from analysis import SampledPerson, adjust_for_nonresponse
from analysis.disposition import Disposition, disposition
from app.response import repository


@dataclass(frozen=True)
class StratumDesign:
    """Non-response factor (``None`` without respondents), RR1 and sampling fraction."""

    factor: float | None
    response_rate: float | None
    sampling_fraction: float


@dataclass(frozen=True)
class PersonDesign:
    """The design columns of one sampled respondent."""

    stratum: str
    psu: str | None
    inclusion_probability: float
    design_weight: float
    weight: float | None
    """Design weight × the stratum's non-response factor, for a complete respondent."""
    disposition: Disposition


@dataclass(frozen=True)
class CampaignDesign:
    """Each stratum's adjustment; :meth:`person` gives one respondent's columns."""

    strata: dict[str, StratumDesign] = field(default_factory=dict)

    @property
    def sampling_fractions(self) -> dict[str, float]:
        return {h: s.sampling_fraction for h, s in self.strata.items()}

    def note(self) -> dict[str, Any]:
        """What the results store about the weighting."""
        return {
            "response_rates": {
                h: s.response_rate for h, s in self.strata.items() if s.response_rate is not None
            },
            "nonresponse_factors": {
                h: s.factor for h, s in self.strata.items() if s.factor is not None
            },
            "sampling_fractions": self.sampling_fractions,
        }

    def person(self, row: Any) -> PersonDesign:
        """The columns of a row of :func:`app.response.repository.design_rows`."""
        stratum = self.strata.get(row.stratum)
        complete = bool(row.complete)
        factor = stratum.factor if stratum is not None else None
        return PersonDesign(
            stratum=row.stratum,
            psu=row.psu,
            inclusion_probability=row.inclusion_probability,
            design_weight=row.design_weight,
            weight=row.design_weight * factor if complete and factor is not None else None,
            disposition=disposition(row.outcome, complete_response=complete),
        )


def _person(row: Any) -> SampledPerson:
    first = row.stage_probabilities[0] if row.psu is not None and row.stage_probabilities else None
    return SampledPerson(
        stratum=row.stratum,
        design_weight=row.design_weight,
        inclusion_probability=row.inclusion_probability,
        outcome=row.outcome,
        is_reserve=row.is_reserve,
        key=row.id,
        replaces=row.replaces_id,
        complete_response=bool(row.complete),
        first_stage_probability=first,
    )


def adjust(rows: Iterable[Any], frame_sizes: dict[str, int]) -> CampaignDesign:
    """The adjustment of rows in stratum order (one stratum in memory at a time)."""
    strata: dict[str, StratumDesign] = {}
    for stratum, members in groupby(rows, key=attrgetter("stratum")):
        adjustment = adjust_for_nonresponse([_person(r) for r in members], frame_sizes)
        strata[stratum] = StratumDesign(
            factor=adjustment.factors.get(stratum),
            response_rate=adjustment.response_rates.get(stratum),
            sampling_fraction=adjustment.sampling_fractions.get(stratum, 0.0),
        )
    return CampaignDesign(strata)


def campaign_design(db: Session, campaign_id: int) -> CampaignDesign:
    """The stored draws' adjustment for a campaign (empty without a draw)."""
    return adjust(repository.design_rows(db, campaign_id), repository.frame_sizes(db, campaign_id))


def people(
    db: Session, campaign_id: int, design: CampaignDesign
) -> Iterator[tuple[int, PersonDesign]]:
    """``(sampled respondent id, design columns)`` of everyone drawn, streamed."""
    for row in repository.design_rows(db, campaign_id):
        yield row.id, design.person(row)
