"""A unit's PAR components for one campaign: what the Sở Nội vụ appraised and surveyed
besides SIPAS (spec §4)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from analysis.par import UnitGroup
from app.core.db import Base
from app.core.models import TimestampMixin, enum_column
from app.unit.models import Unit

POINTS = Numeric(12, 6)
"""Points as typed in (published with 2 decimals; up to 6 kept exactly)."""


class ParComponent(TimestampMixin, Base):
    """One unit's row of the PAR table of a campaign.

    ``sipas_points`` is filled only for a campaign whose weight scheme has no point
    components (Sóc Trăng's, whose conversion is not published): otherwise the points
    come from the campaign's results, never from here, so that one figure has one source.
    """

    __tablename__ = "par_component"
    __table_args__ = (UniqueConstraint("campaign_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    unit_group: Mapped[UnitGroup] = mapped_column(enum_column(UnitGroup, "par_unit_group"))
    standard_max: Mapped[Decimal] = mapped_column(POINTS)
    self_assessment: Mapped[Decimal] = mapped_column(POINTS)
    civil_servant_survey: Mapped[Decimal] = mapped_column(POINTS)
    sipas_points: Mapped[Decimal | None] = mapped_column(POINTS)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    unit: Mapped[Unit] = relationship()
