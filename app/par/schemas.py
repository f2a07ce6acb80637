"""Request and response bodies of the PAR table (``/campaigns/{id}/par``).

Figures are at full precision (round half-up for display: 2 decimals for %, points as
the province publishes them); additive changes only within ``/api/v1``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from analysis.par import UnitGroup


class ParComponentWrite(BaseModel):
    """One unit's components, as typed on the staff page or sent by ``PUT``."""

    group: UnitGroup
    standard_max: Decimal = Field(gt=0, le=100, description="The unit's standard maximum.")
    self_assessment: Decimal = Field(ge=0, description="Appraised self-assessment points.")
    civil_servant_survey: Decimal = Field(ge=0, description="Civil-servant survey points.")
    sipas_points: Decimal | None = Field(
        default=None,
        ge=0,
        description="Only for a weight scheme without point components (soc-trang-unit).",
    )


class ParComponentRead(ParComponentWrite):
    unit_code: str
    unit_name: str


class ParImportResult(BaseModel):
    """What an import did: every row stored (new units and changed ones), or nothing."""

    rows: int
    created: int
    updated: int
    message: str


class ParRowRead(BaseModel):
    unit_code: str
    unit_name: str
    group: UnitGroup
    standard_max: float
    self_assessment: float
    civil_servant_survey: float
    sipas_points: float | None
    sipas_points_source: Literal["results", "file"]
    total: float | None = Field(description="Sum of the three parts; null without SIPAS points.")
    percent: float | None = Field(description="PAR index: total / standard_max × 100.")
    rank_in_group: int | None = Field(description="1 = highest; equal published % share.")
    rank_overall: int | None
    band: str | None = Field(description="Band code of the weight scheme.")
    band_label: str | None
    previous_percent: float | None
    change: float | None = Field(description="Percentage points since the previous campaign.")


class ParGroupRead(BaseModel):
    group: UnitGroup | None = Field(description="null: all units together.")
    label: str
    units: int
    scored: int
    mean_percent: float | None = Field(
        description="Mean of the units' PAR % at full precision (the reports' averages)."
    )
    pooled_percent: float | None = Field(
        description="Percentage of the summed points: total points / total standard maxima."
    )
    band_counts: dict[str, int]
    highest: list[str] = Field(description="Codes of the units with the highest published %.")
    lowest: list[str]
    gap: float | None = Field(description="Highest − lowest, of the published (2-decimal) %.")
    previous_mean_percent: float | None
    mean_change: float | None
    compared: int = Field(description="Units with a PAR % in both campaigns.")
    lower_than_previous: int


class ParTableRead(BaseModel):
    campaign_id: int
    campaign_name: str
    year: int
    weight_scheme: str
    weight_scheme_version: str
    previous_campaign_id: int | None
    previous_year: int | None
    rows: list[ParRowRead]
    groups: list[ParGroupRead]
    overall: ParGroupRead
