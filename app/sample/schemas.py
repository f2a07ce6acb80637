"""Request and response bodies for frames, draws and reserves."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from analysis.disposition import Outcome
from app.core.messages import message
from app.sample.models import ExclusionReason

MAX_SEED = 2**256


class FrameCreate(BaseModel):
    """Rules of a case-list frame. Empty ``unit_codes``: every unit of the case lists;
    empty ``case_list_ids``: every case list of the campaign."""

    returned_from: date | None = None
    returned_to: date | None = None
    unit_codes: list[str] | None = None
    cross_with: Literal["channel", "field"] | None = None
    require_phone: bool = False
    case_list_ids: list[int] | None = None

    @model_validator(mode="after")
    def _window(self) -> FrameCreate:
        if self.returned_from and self.returned_to and self.returned_from > self.returned_to:
            raise PydanticCustomError("period_reversed", message("period_reversed"))
        return self


class FrameRead(BaseModel):
    id: int
    campaign_id: int
    rules: dict[str, Any]
    digest: str
    member_count: int
    excluded_count: int
    strata: dict[str, int]
    exclusion_counts: dict[str, int]
    created_at: datetime


class ExclusionRead(BaseModel):
    case_id: int
    case_list_id: int
    row_number: int
    reason: ExclusionReason
    duplicate_of_case_id: int | None


class CommitmentCreate(BaseModel):
    """SHA-256 (hex) of the seed's decimal digits, published before the draw."""

    seed_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    note: str | None = Field(default=None, max_length=2000)


class CommitmentRead(BaseModel):
    id: int
    campaign_id: int
    seed_sha256: str
    note: str | None
    sample_id: int | None
    created_at: datetime


class DrawRequest(BaseModel):
    """A draw: the design (a JSON object, or YAML text in ``design_yaml``) and the seed.

    With ``commitment_id`` the seed must hash to that published commitment."""

    design: dict[str, Any] | None = None
    design_yaml: str | None = None
    seed: int | str
    commitment_id: int | None = None

    @field_validator("seed")
    @classmethod
    def _seed(cls, value: int | str) -> str:
        text = str(value).strip()
        if not text.isdigit() or int(text) >= MAX_SEED:
            raise PydanticCustomError("seed_not_a_number", message("seed_not_a_number"))
        return str(int(text))

    @model_validator(mode="after")
    def _one_design(self) -> DrawRequest:
        if (self.design is None) == (self.design_yaml is None):
            raise PydanticCustomError("design_twice", message("design_twice"))
        return self


class StratumCounts(BaseModel):
    frame: int
    sample: int
    reserves: int


class SampleRead(BaseModel):
    id: int
    campaign_id: int
    sampling_frame_id: int | None
    frame_digest: str
    design: dict[str, Any]
    seed: str
    seed_commitment: str | None
    algorithm_version: str
    sample_digest: str
    created_at: datetime
    sample_size: int
    reserve_count: int
    strata: dict[str, StratumCounts]


class RespondentRead(BaseModel):
    """A sampled person with contact details (admins only)."""

    id: int
    sample_id: int
    case_id: int | None
    unit_code: str | None
    stratum: str
    cluster: str | None
    psu: str | None
    draw_order: int
    is_reserve: bool
    inclusion_probability: float
    design_weight: float
    stage_probabilities: list[float] | None
    outcome: Outcome
    outcome_note: str | None
    replaces_id: int | None
    full_name: str | None
    phone: str | None
    address: str | None


class VerifyResult(BaseModel):
    """A re-run of a stored draw. ``match`` only when the frame rebuilt from today's
    cases has the stored digest and the re-drawn sample equals the stored one."""

    sample_id: int
    match: bool
    algorithm_version: str
    frame_digest_stored: str
    frame_digest_now: str
    sample_digest_stored: str
    sample_digest_now: str | None
    stored_rows_match: bool
    detail: str
