"""Weight schemes: how SIPAS rates become points of a PAR index, and its ranking bands.

A scheme is versioned data (``analysis/schemes/*.yaml``), chosen per campaign by its
code (spec §4). Each *component* gives ``max_points`` for one rate (a sub-index, a half
or the overall index): points = max points × rate / 100. *Bands* classify a PAR total
in percent, highest first.

Bundled schemes
---------------
``national-province``
    Ministry of Home Affairs (Bộ Nội vụ) PAR index of a province: access 1.5,
    procedures 1.5, civil servants 2.5, results 2.5, feedback 2.0 = 10 points.
``an-giang-unit``
    An Giang's departments and districts: SIPAS is 32 of 100 points on the overall rate;
    bands A ≥ 90, B 80–< 90, C < 80.
``soc-trang-unit``
    Sóc Trăng's 40 units: PAR % = (appraised self-assessment + civil-servant survey +
    SIPAS points) / the unit's standard maximum × 100; groups 1 (> 90%) to 5 (< 50%).
    How Sóc Trăng turns rates into its SIPAS points is not published, so this scheme has
    bands and no point components.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

BUNDLED_DIR = Path(__file__).parent / "schemes"

DecimalText = Annotated[Decimal, Field(ge=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Component(_Strict):
    """One rate worth ``max_points``: a sub-index, a half, or the overall index."""

    code: str = Field(min_length=1, max_length=64)
    label: str = Field(min_length=1)
    max_points: DecimalText
    subindex: str | None = None
    half: str | None = None
    rate: Literal["overall"] | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Component:
        given = [s for s in (self.subindex, self.half, self.rate) if s is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of subindex, half or rate: overall")
        return self


class Band(_Strict):
    """A ranking band: a PAR total of at least ``min`` percent (above it if not inclusive)."""

    code: str = Field(min_length=1, max_length=16)
    label: str = Field(min_length=1)
    min: DecimalText
    inclusive: bool = True


class WeightScheme(_Strict):
    """A whole scheme file. Use :func:`load_scheme` or :func:`bundled_scheme`."""

    format: Literal[1] = 1
    code: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9\-]*$")
    version: str = Field(min_length=1, max_length=32)
    title: str = Field(min_length=1)
    source: str | None = None
    components: tuple[Component, ...] = ()
    bands: tuple[Band, ...] = ()

    @model_validator(mode="after")
    def _ordered(self) -> WeightScheme:
        codes = [c.code for c in self.components]
        if len(set(codes)) != len(codes):
            raise ValueError("component codes must be unique")
        floors = [b.min for b in self.bands]
        if floors != sorted(floors, reverse=True):
            raise ValueError("bands must be listed from the highest minimum down")
        return self

    @property
    def max_points(self) -> Decimal:
        """The points all components together are worth (10 for ``national-province``)."""
        return sum((c.max_points for c in self.components), Decimal(0))

    def band(self, percent: float | Decimal) -> Band | None:
        """The band of a PAR total in percent (full precision), or ``None`` if no band fits."""
        value = Decimal(format(percent, ".15g")) if isinstance(percent, float) else percent
        for band in self.bands:
            if value > band.min or (band.inclusive and value == band.min):
                return band
        return None


class SchemeError(ValueError):
    """A scheme file that cannot be used; the message lists every problem."""


def load_scheme(text: str, source: str = "scheme") -> WeightScheme:
    """Parse and validate scheme YAML text.

    Raises
    ------
    SchemeError
        Listing every problem with its path in the file.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SchemeError(f"{source}: invalid YAML: {exc}") from exc
    try:
        return WeightScheme.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'file'}: {err['msg']}"
            for err in exc.errors(include_url=False)
        )
        raise SchemeError(f"{source}: {problems}") from exc


def bundled_codes() -> list[str]:
    """Codes of the schemes shipped with the project."""
    return sorted(p.stem for p in BUNDLED_DIR.glob("*.yaml"))


@functools.cache
def bundled_scheme(code: str) -> WeightScheme:
    """A scheme shipped in ``analysis/schemes/``, by code (read once: schemes are frozen).

    Raises
    ------
    SchemeError
        When there is no such scheme; the message lists the bundled codes.
    """
    path = BUNDLED_DIR / f"{code}.yaml"
    if not path.is_file():
        raise SchemeError(f"no weight scheme {code!r}; bundled: {', '.join(bundled_codes())}")
    return load_scheme(path.read_text(encoding="utf-8"), source=path.name)


@dataclass(frozen=True)
class ComponentPoints:
    """Points of one component: ``max_points`` × ``rate`` / 100, at full precision."""

    code: str
    label: str
    max_points: Decimal
    rate: float | None
    points: float | None


@dataclass(frozen=True)
class ParPoints:
    """SIPAS points of one domain under one scheme."""

    scheme: str
    scheme_version: str
    components: tuple[ComponentPoints, ...]
    max_points: Decimal

    @property
    def total(self) -> float | None:
        """Sum of the components' points; ``None`` if a component has no rate."""
        values = [c.points for c in self.components]
        if any(v is None for v in values):
            return None
        return float(sum(v for v in values if v is not None))


def sipas_points(
    scheme: WeightScheme,
    *,
    overall: float | None,
    halves: Mapping[str, float | None],
    subindices: Mapping[str, float | None],
) -> ParPoints:
    """Points = max points × rate / 100 for every component of ``scheme`` (spec §4).

    Parameters
    ----------
    overall, halves, subindices
        Rates in percent at full precision; a missing rate gives no points.

    Examples
    --------
    Sóc Trăng 2024 (national PAR index, 10 points):

    >>> from analysis.rounding import points
    >>> scheme = bundled_scheme("national-province")
    >>> rates = {"E": 82.50, "G": 82.50, "H": 83.23, "I": 82.88, "K": 80.37}
    >>> result = sipas_points(scheme, overall=None, halves={}, subindices=rates)
    >>> [str(points(c.points)) for c in result.components if c.points is not None]
    ['1.2375', '1.2375', '2.0808', '2.0720', '1.6074']
    """
    components = []
    for component in scheme.components:
        rate: float | None
        if component.subindex is not None:
            rate = subindices.get(component.subindex)
        elif component.half is not None:
            rate = halves.get(component.half)
        else:
            rate = overall
        value = None if rate is None else float(component.max_points) * rate / 100
        components.append(
            ComponentPoints(component.code, component.label, component.max_points, rate, value)
        )
    return ParPoints(scheme.code, scheme.version, tuple(components), scheme.max_points)


def par_total_percent(
    appraised_self_assessment: float | Decimal,
    other_survey_points: float | Decimal,
    sipas_points: float | Decimal,
    standard_max: float | Decimal,
) -> float:
    """A unit's PAR index in percent (Sóc Trăng's formula, spec §4).

    PAR % = (appraised self-assessment + other survey points + SIPAS points) /
    the unit's standard maximum × 100. With An Giang's scheme the standard maximum
    is 100 and "other survey points" 0, so the percent equals the points.

    Examples
    --------
    Mỹ Xuyên 2023: (51.34 + 13.13 + 14.34) / 94.00 × 100 = 83.84%:

    >>> from analysis.rounding import percent
    >>> percent(par_total_percent(51.34, 13.13, 14.34, 94.00))
    Decimal('83.84')
    """
    maximum = float(standard_max)
    if maximum <= 0:
        raise ValueError(f"standard_max must be positive, got {standard_max}")
    parts: list[Any] = [appraised_self_assessment, other_survey_points, sipas_points]
    return float(sum(float(p) for p in parts)) / maximum * 100
