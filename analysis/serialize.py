"""Results as plain JSON-ready data: the shape stored per campaign and served by the API.

Rates are percentages at full precision (rounding is for display only, see
:mod:`analysis.rounding`). No respondent-level data is ever included: only counts and
figures over groups.
"""

from __future__ import annotations

from typing import Any

from analysis.results import DomainResult, Estimate, ItemTable, SipasResult
from analysis.schemes import ParPoints


def estimate_dict(estimate: Estimate) -> dict[str, Any]:
    """``{rate, n, ci: [low, high], se, n_effective, design_effect, small}``."""
    return {
        "rate": estimate.rate,
        "n": estimate.n,
        "ci": [estimate.ci_low, estimate.ci_high],
        "se": estimate.se,
        "n_effective": estimate.n_effective,
        "design_effect": estimate.design_effect,
        "small": estimate.small,
    }


def points_dict(points: ParPoints) -> dict[str, Any]:
    return {
        "scheme": points.scheme,
        "scheme_version": points.scheme_version,
        "max_points": float(points.max_points),
        "total": points.total,
        "components": [
            {
                "code": c.code,
                "label": c.label,
                "max_points": float(c.max_points),
                "rate": c.rate,
                "points": c.points,
            }
            for c in points.components
        ],
    }


def domain_dict(result: SipasResult, domain: DomainResult) -> dict[str, Any]:
    """One domain: ``respondents``, ``sipas``, ``halves``, ``subindices``, ``criteria``,
    and ``par_points`` when a scheme was given."""
    data: dict[str, Any] = {
        "respondents": domain.respondents,
        "sipas": estimate_dict(domain.sipas),
        "halves": {
            code: {**estimate_dict(e), "name": result.half_names.get(code, code)}
            for code, e in domain.halves.items()
        },
        "subindices": {
            code: {**estimate_dict(e), "name": result.subindex_names.get(code, code)}
            for code, e in domain.subindices.items()
        },
        "criteria": {
            code: {**estimate_dict(e), "number": result.criterion_numbers.get(code)}
            for code, e in domain.criteria.items()
        },
    }
    if domain.par_points is not None:
        data["par_points"] = points_dict(domain.par_points)
    return data


def table_dict(table: ItemTable) -> dict[str, Any]:
    data: dict[str, Any] = {
        "item": table.item,
        "text": table.text,
        "n": table.n,
        "shares": [
            {"code": s.code, "label": s.label, "share": s.share, "count": s.count}
            for s in table.shares
        ],
    }
    if table.rank is not None:
        data["rank"] = table.rank
    return data


def result_dict(result: SipasResult) -> dict[str, Any]:
    """The whole result: the overall domain's fields at the top, then the breakdowns."""
    return {
        "method_version": result.method_version,
        "questionnaire": {"code": result.questionnaire, "edition": result.edition},
        "scoring_rule": result.scoring_rule,
        "design": {
            "weighted": result.weighted,
            "strata": result.strata,
            "psus": result.psus,
            "degrees_of_freedom": result.degrees_of_freedom,
            "interval": "taylor_logit_t" if result.weighted else "wilson",
            "confidence": 0.95,
            "lonely_psu": result.lonely_psu,
        },
        "min_cell": result.min_cell,
        **domain_dict(result, result.overall),
        "units": {code: domain_dict(result, d) for code, d in result.units.items()},
        "strata": {code: domain_dict(result, d) for code, d in result.strata_results.items()},
        "profiles": {
            name: {label: domain_dict(result, d) for label, d in groups.items()}
            for name, groups in result.profiles.items()
        },
        "perception": [table_dict(t) for t in result.perception],
        "expectations": [table_dict(t) for t in result.expectations],
        "harassment": table_dict(result.harassment) if result.harassment else None,
        "informal_payment": (
            table_dict(result.informal_payment) if result.informal_payment else None
        ),
    }


def year_on_year(current: dict[str, Any], previous: dict[str, Any]) -> dict[str, Any]:
    """Change in percentage points between two results in the shape of :func:`result_dict`.

    Figures are matched by code (criteria, sub-indices, halves, units); a code present
    in only one year, or a rate withheld in either, has no change. Editions whose
    criteria have other codes (2022's T01–T33 against 2024's S01–S39) compare only at
    the sub-index, half and overall level.
    """

    def change(now: dict[str, Any] | None, before: dict[str, Any] | None) -> dict[str, Any]:
        rate = now.get("rate") if now else None
        prior = before.get("rate") if before else None
        delta = rate - prior if rate is not None and prior is not None else None
        return {"rate": rate, "previous": prior, "change": delta}

    def domain(now: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
        return {
            "sipas": change(now.get("sipas"), before.get("sipas")),
            **{
                group: {
                    code: change(cell, before.get(group, {}).get(code))
                    for code, cell in now.get(group, {}).items()
                }
                for group in ("halves", "subindices", "criteria")
            },
        }

    return {
        **domain(current, previous),
        "units": {
            code: domain(unit, previous.get("units", {}).get(code, {}))
            for code, unit in current.get("units", {}).items()
        },
    }
