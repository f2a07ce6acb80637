"""Before a draw: how many to sample (Yamane, Cochran with the finite-population
correction) and how a design spreads them over the frame's strata, with reserves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.core.errors import UnprocessableError
from app.sample.service import get_frame
from sampling import DesignError, StratumPlan, cochran_size, parse_design, plan_draw, yamane_size


@dataclass(frozen=True)
class SizeAdvice:
    """Sample sizes for a frame of ``population`` people at margin ``margin``."""

    population: int
    margin: float
    confidence: float
    proportion: float
    yamane: int
    cochran: int


def size_advice(
    db: Session, frame_id: int, *, margin: float, confidence: float, proportion: float
) -> SizeAdvice:
    """Yamane's n = N / (1 + N e²) and Cochran's n₀ = z² p (1 − p) / e² corrected for N."""
    population = get_frame(db, frame_id).member_count
    try:
        return SizeAdvice(
            population,
            margin,
            confidence,
            proportion,
            yamane_size(population, margin),
            cochran_size(population, margin, proportion=proportion, confidence=confidence),
        )
    except ValueError as exc:
        raise UnprocessableError(error="bad_size_input", problem=str(exc)) from exc


def plan(db: Session, frame_id: int, design: dict[str, Any]) -> list[StratumPlan]:
    """Sample and reserves per stratum that drawing ``design`` from the frame will give."""
    frame = get_frame(db, frame_id)
    try:
        return plan_draw(dict(frame.strata), parse_design(design))
    except DesignError as exc:
        raise UnprocessableError(error="bad_design_plan", problem="; ".join(exc.problems)) from exc
    except ValueError as exc:
        raise UnprocessableError(error="bad_design_plan", problem=str(exc)) from exc
