"""The results JSON served to PAR-scoring services: an explicit, stable schema.

Changes to these models are additive only (new optional fields); a field is never
renamed, removed or given another meaning within ``/api/v1``. Rates are percentages at
full precision (round half-up for display: 2 decimals for %, 4 for points). No
respondent-level data appears anywhere: only counts and figures over groups, and
groups under the minimum cell size keep their n but lose their figures.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.campaign.models import CampaignStatus


class EstimateRead(BaseModel):
    rate: float | None = Field(description="Percent, full precision; null if withheld or no n.")
    n: int = Field(description="Respondents with at least one valid answer.")
    ci: list[float | None] = Field(description="95% interval [low, high] in percent.")
    se: float | None = Field(description="Standard error in percentage points.")
    n_effective: float | None
    design_effect: float | None
    small: bool = Field(description="n below the minimum cell size: figures withheld.")


class NamedEstimateRead(EstimateRead):
    name: str


class CriterionRead(EstimateRead):
    number: int | None = Field(description="The criterion's number on the form (1–39).")


class ComponentPointsRead(BaseModel):
    code: str
    label: str
    max_points: float
    rate: float | None
    points: float | None = Field(description="max_points × rate / 100, full precision.")


class ParPointsRead(BaseModel):
    scheme: str
    scheme_version: str
    max_points: float
    total: float | None
    components: list[ComponentPointsRead]


class DomainRead(BaseModel):
    respondents: int
    sipas: EstimateRead = Field(description="SIPAS: the mean of all criterion rates.")
    halves: dict[str, NamedEstimateRead]
    subindices: dict[str, NamedEstimateRead] = Field(description="Keyed A, B, … K.")
    criteria: dict[str, CriterionRead] = Field(description="Keyed by item code.")
    par_points: ParPointsRead | None = None


class UnitDomainRead(DomainRead):
    name: str | None = None


class ShareRead(BaseModel):
    code: str
    label: str
    share: float | None
    count: int


class ItemTableRead(BaseModel):
    item: str
    text: str
    n: int
    shares: list[ShareRead]
    rank: int | None = None


class DesignRead(BaseModel):
    weighted: bool
    strata: int
    psus: int
    degrees_of_freedom: int | None
    interval: str = Field(
        description="wilson (no design: Wilson for criteria, the logit interval on the "
        "standard error with t at n − 1 for composites) or taylor_logit_t (design-based)."
    )
    confidence: float
    lonely_psu: str | None = Field(
        default=None, description="The rule for strata with one PSU (design-based only)."
    )


class ResponsesRead(BaseModel):
    """Which complete responses the figures come from."""

    sampled: int = Field(description="Complete responses of sampled respondents.")
    unsampled: int = Field(description="Complete responses of no sampled respondent.")
    mixed: bool = Field(description="True when the campaign has both kinds.")
    analysed: str = Field(
        description="sampled (the sampled ones with their design; the others only "
        "counted) or all (every response, without design weights)."
    )
    setting: str = Field(description="The campaign's unsampled_responses setting.")


class WeightingRead(BaseModel):
    """How design weights were used: ``design`` or ``none``, and per stratum the AAPOR
    RR1 response rate, the non-response factor and the sampling fraction."""

    weights: str
    response_rates: dict[str, float] = Field(default_factory=dict)
    nonresponse_factors: dict[str, float] = Field(default_factory=dict)
    sampling_fractions: dict[str, float] = Field(default_factory=dict)


class VersionsRead(BaseModel):
    method: str
    questionnaire_code: str
    questionnaire_version: int
    questionnaire_edition: str
    weight_scheme: str
    weight_scheme_version: str


class ResultsRead(DomainRead):
    """A campaign's results (overall at the top level, then per unit and breakdowns)."""

    campaign_id: int
    campaign_name: str
    year: int
    status: CampaignStatus
    frozen: bool = Field(description="True once the campaign is published: never recomputed.")
    computed_at: datetime
    versions: VersionsRead
    scoring_rule: str
    design: DesignRead
    min_cell: int
    rejected_responses: int = Field(
        default=0, description="Complete responses rejected in review, left out of every figure."
    )
    units: dict[str, UnitDomainRead]
    strata: dict[str, DomainRead]
    profiles: dict[str, dict[str, DomainRead]]
    perception: list[ItemTableRead]
    expectations: list[ItemTableRead]
    harassment: ItemTableRead | None
    informal_payment: ItemTableRead | None
    responses: ResponsesRead | None = None
    weighting: WeightingRead | None = None


class ComputeSummary(BaseModel):
    campaign_id: int
    computed_at: datetime
    responses_used: int
    frozen: bool
    etag: str
