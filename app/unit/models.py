"""Units (cơ quan, đơn vị): the administrative and organisational tree."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base
from app.core.models import CreatedAtMixin, enum_column


class UnitKind(StrEnum):
    """Kinds of unit. Districts (huyện) exist only until the July 2025 two-tier reform."""

    PROVINCE = "province"
    DEPARTMENT = "department"
    DISTRICT = "district"
    COMMUNE = "commune"
    HAMLET = "hamlet"
    CENTRAL_AGENCY = "central_agency"
    PUBLIC_SERVICE_UNIT = "public_service_unit"


class Unit(CreatedAtMixin, Base):
    """A unit: province, department (sở), district, commune, hamlet, central agency.

    ``valid_from``/``valid_to`` bound the period the unit existed, so case lists
    from before a reorganisation still find their units.
    """

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind, "unit_kind"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit.id", ondelete="RESTRICT"), index=True
    )
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent", order_by="Unit.code")
