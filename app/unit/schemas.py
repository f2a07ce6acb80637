"""Request and response bodies for units."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from app.core.messages import message
from app.unit.models import UnitKind


class UnitCreate(BaseModel):
    code: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._\-]+$")
    name: str = Field(min_length=1, max_length=255)
    kind: UnitKind
    parent_code: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None

    @model_validator(mode="after")
    def _check_dates(self) -> UnitCreate:
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise PydanticCustomError("period_reversed", message("period_reversed"))
        return self


class UnitRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    kind: UnitKind
    parent_code: str | None
    valid_from: date | None
    valid_to: date | None


class UnitNode(UnitRead):
    children: list[UnitNode] = []


class UnitImportResult(BaseModel):
    created: int
    unchanged: int
    units: list[UnitRead]


class UnitChoice(BaseModel):
    """A unit offered in a list to choose from: its code and how people know it."""

    id: int
    code: str
    label: str = Field(description="The name, with the parent's name below the top level.")
