"""Computing, freezing and serving a campaign's results.

Computing reads the campaign's complete responses (never contact details), the design
of its samples when every response comes from one, calls :mod:`analysis`, and stores
the result with the method version, questionnaire version, weight scheme and time.
The same answers always give the same stored content (responses are read in a fixed
order and the analysis has no randomness), so its SHA-256 is the ETag. Publishing a
campaign computes its results one last time and freezes them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from analysis import (
    METHOD_VERSION,
    Respondent,
    SampledPerson,
    SchemeError,
    WeightScheme,
    adjust_for_nonresponse,
    analyse,
    bundled_scheme,
    public,
    result_dict,
    sipas_points,
    tabulate,
)
from analysis.disposition import Outcome
from analysis.serialize import points_dict
from app.audit.service import record_event
from app.auth.models import User
from app.auth.service import Reader
from app.campaign import service as campaign_service
from app.campaign.models import CAMPAIGN_TRANSITIONS, Campaign, CampaignStatus
from app.campaign.schemas import CampaignRead
from app.campaign.service import get as get_campaign
from app.core.errors import ConflictError, NotFoundError, UnprocessableError
from app.core.hashing import sha256_json
from app.questionnaire.service import parsed
from app.response.models import ResponseMode
from app.result import exports, repository
from app.result.models import CampaignResult
from app.result.schemas import ComputeSummary, ResultsRead


@dataclass(frozen=True)
class Served:
    """A results document (JSON, UTF-8) and its ETag."""

    body: bytes
    etag: str


def scheme_for(code: str) -> WeightScheme:
    try:
        return bundled_scheme(code)
    except SchemeError as exc:
        raise UnprocessableError(str(exc), error="unknown_weight_scheme") from exc


def _respondents(db: Session, campaign_id: int) -> tuple[Iterator[Respondent], dict[str, Any]]:
    """The analysis input, streamed from plain rows, and a note on the weights used
    (stored with the result)."""
    keys = repository.complete_response_keys(db, campaign_id)
    people = repository.sampled_people(db, campaign_id)
    sampled = {p.id: p for p in people}
    units = repository.unit_codes(
        db,
        {unit_id for _, unit_id in keys if unit_id is not None}
        | {p.unit_id for p in people if p.unit_id is not None},
    )
    weighted = bool(keys) and all(respondent_id in sampled for respondent_id, _ in keys)
    weights: dict[int, float | None] = {}
    note: dict[str, Any] = {"weights": "design" if weighted else "none"}
    if weighted:
        answered = {respondent_id for respondent_id, _ in keys}
        adjustment = adjust_for_nonresponse(
            [
                SampledPerson(
                    stratum=p.stratum,
                    design_weight=p.design_weight,
                    inclusion_probability=p.inclusion_probability,
                    outcome="completed" if p.id in answered else Outcome(p.outcome).value,
                    is_reserve=p.is_reserve,
                )
                for p in people
            ]
        )
        weights = dict(zip(sampled, adjustment.weights, strict=True))
        note.update(
            response_rates=adjustment.response_rates,
            nonresponse_factors=adjustment.factors,
            sampling_fractions=adjustment.sampling_fractions,
        )
    note["responses"] = len(keys)
    del keys
    note["unit_names"] = dict(units.values())

    def unit_of(unit_id: int | None, respondent_id: int | None) -> str | None:
        if unit_id is None and respondent_id is not None:
            respondent = sampled.get(respondent_id)
            unit_id = respondent.unit_id if respondent is not None else None
        return units[unit_id][0] if unit_id is not None else None

    def stream() -> Iterator[Respondent]:
        for respondent_id, unit_id, mode, answers in repository.complete_answers(db, campaign_id):
            person = sampled[respondent_id or 0] if weighted else None
            yield Respondent(
                answers=json.loads(answers),
                unit=unit_of(unit_id, respondent_id),
                stratum=person.stratum if person is not None else None,
                weight=weights.get(respondent_id or 0) if weighted else None,
                psu=person.psu if person is not None else None,
                mode=ResponseMode(mode).value,
            )

    return stream(), note


def _compute(
    db: Session, campaign: Campaign, actor: User | None, *, frozen: bool = False
) -> CampaignResult:
    form = parsed(campaign.questionnaire_version)
    scheme = scheme_for(campaign.weight_scheme)
    respondents, note = _respondents(db, campaign.id)
    fractions = note.get("sampling_fractions")
    table = tabulate(form, respondents, sampling_fractions=fractions, size=note.pop("responses"))
    result = analyse(form, table, scheme=scheme)
    names = note.pop("unit_names")
    content = {**result_dict(result), "weighting": note}
    shown = result_dict(public(result))
    for data in (content, shown):
        for code, unit in data["units"].items():
            unit["name"] = names.get(code)
    row = repository.get(db, campaign.id) or CampaignResult(campaign_id=campaign.id)
    row.questionnaire_version_id = campaign.questionnaire_version_id
    row.method_version = METHOD_VERSION
    row.weight_scheme = scheme.code
    row.weight_scheme_version = scheme.version
    row.responses_used = table.size
    row.content = content
    row.public_content = shown
    row.content_sha256 = sha256_json(shown)
    row.frozen = frozen
    row.computed_at = datetime.now(UTC)
    row.computed_by_id = actor.id if actor else None
    row.document = _stored_document(campaign, row)
    repository.save(db, row)
    return row


def _summary(row: CampaignResult) -> ComputeSummary:
    return ComputeSummary(
        campaign_id=row.campaign_id,
        computed_at=row.computed_at,
        responses_used=row.responses_used,
        frozen=row.frozen,
        etag=row.content_sha256,
    )


def compute(db: Session, campaign_id: int, *, actor: User | None) -> ComputeSummary:
    """(Re)compute a campaign's results; a published campaign's results are frozen (409)."""
    campaign = get_campaign(db, campaign_id)
    existing = repository.get(db, campaign_id)
    if existing is not None and existing.frozen:
        raise ConflictError(
            f"Campaign {campaign_id} is published: its results are frozen and are not recomputed.",
            error="results_frozen",
        )
    row = _compute(db, campaign, actor)
    record_event(
        db,
        actor=actor,
        action="results.compute",
        entity_type="campaign",
        entity_id=campaign_id,
        payload={"responses_used": row.responses_used, "sha256": row.content_sha256},
    )
    db.commit()
    return _summary(row)


def publish(db: Session, campaign_id: int, *, actor: User | None) -> CampaignRead:
    """Publish a closed campaign: compute its results one last time, freeze them, then
    mark the campaign published, in one transaction."""
    campaign = get_campaign(db, campaign_id)
    if CampaignStatus.PUBLISHED not in CAMPAIGN_TRANSITIONS[campaign.status]:
        raise ConflictError(
            f"Campaign {campaign_id} is {campaign.status.value}; only a closed campaign "
            "can be published.",
            error="transition_not_allowed",
        )
    _freeze(db, campaign, actor)
    campaign_service.mark_published(db, campaign, actor=actor)
    db.commit()
    return campaign_service.get_read(db, campaign_id)


def _freeze(db: Session, campaign: Campaign, actor: User | None) -> None:
    """Compute the results one last time and freeze them, in the caller's transaction."""
    row = _compute(db, campaign, actor, frozen=True)
    record_event(
        db,
        actor=actor,
        action="results.freeze",
        entity_type="campaign",
        entity_id=campaign.id,
        payload={"responses_used": row.responses_used, "sha256": row.content_sha256},
    )


def stored(db: Session, campaign_id: int, reader: Reader) -> tuple[Campaign, CampaignResult]:
    """The campaign and its stored result, if the reader may see them."""
    reader.check(campaign_id)
    campaign = get_campaign(db, campaign_id)
    row = repository.get(db, campaign_id)
    if row is None:
        raise _not_computed(campaign_id)
    return campaign, row


def _not_computed(campaign_id: int) -> NotFoundError:
    return NotFoundError(
        f"Campaign {campaign_id} has no results yet; compute them with "
        f"POST /api/v1/campaigns/{campaign_id}/results.",
        error="results_not_computed",
    )


def _with_scheme(domain: dict[str, Any], scheme: WeightScheme) -> dict[str, Any]:
    points = sipas_points(
        scheme,
        overall=domain["sipas"]["rate"],
        halves={code: cell["rate"] for code, cell in domain["halves"].items()},
        subindices={code: cell["rate"] for code, cell in domain["subindices"].items()},
    )
    return {**domain, "par_points": points_dict(points)}


def _header(campaign: Campaign) -> dict[str, Any]:
    """The document's fields that belong to the campaign and may change after computing."""
    return {
        "campaign_id": campaign.id,
        "campaign_name": campaign.name,
        "year": campaign.year,
        "status": campaign.status.value,
    }


def _document(
    campaign: Campaign,
    row: CampaignResult,
    unit: str | None = None,
    scheme: str | None = None,
) -> dict[str, Any]:
    """The results document, built from the stored public content."""
    data = dict(row.public_content)
    data.pop("method_version")
    questionnaire = data.pop("questionnaire")
    chosen_scheme = row.weight_scheme
    chosen_version = row.weight_scheme_version
    if unit is not None:
        if unit not in data["units"]:
            raise NotFoundError(
                f"Campaign {campaign.id} has no results for unit {unit!r}.", error="unknown_unit"
            )
        data["units"] = {unit: data["units"][unit]}
    if scheme is not None:
        other = scheme_for(scheme)
        chosen_scheme, chosen_version = other.code, other.version
        data = _with_scheme(data, other)
        data["units"] = {code: _with_scheme(u, other) for code, u in data["units"].items()}
    body = {
        **data,
        **_header(campaign),
        "frozen": row.frozen,
        "computed_at": row.computed_at,
        "versions": {
            "method": row.method_version,
            "questionnaire_code": questionnaire["code"],
            "questionnaire_version": campaign.questionnaire_version.version,
            "questionnaire_edition": questionnaire["edition"],
            "weight_scheme": chosen_scheme,
            "weight_scheme_version": chosen_version,
        },
    }
    return ResultsRead.model_validate(body).model_dump(mode="json")


def _stored_document(campaign: Campaign, row: CampaignResult) -> str:
    """The whole-campaign document as compact JSON, less the campaign's own fields."""
    document = _document(campaign, row)
    for key in _header(campaign):
        del document[key]
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _etag(campaign: Campaign, row: CampaignResult, unit: str | None, scheme: str | None) -> str:
    """Names one document: the stored content's digest, what was computed with it, the
    campaign's fields and the variant asked for; known without building the document."""
    return sha256_json(
        [
            DOCUMENT_REVISION,
            row.content_sha256,
            row.method_version,
            row.weight_scheme_version,
            row.questionnaire_version_id,
            row.computed_at.isoformat(),
            row.frozen,
            _header(campaign),
            unit,
            [scheme, scheme_for(scheme).version] if scheme is not None else None,
        ]
    )


DOCUMENT_REVISION = 1
"""Changes when the way a document is built from stored content changes."""


def etag(
    db: Session,
    campaign_id: int,
    reader: Reader,
    *,
    unit: str | None = None,
    scheme: str | None = None,
) -> str:
    """The ETag of a results document, from stored digests: a 304 costs no rebuilding."""
    reader.check(campaign_id)
    campaign = get_campaign(db, campaign_id)
    row = repository.get_header(db, campaign_id)
    if row is None:
        raise _not_computed(campaign_id)
    return f'"{_etag(campaign, row, unit, scheme)}"'


def results(
    db: Session,
    campaign_id: int,
    reader: Reader,
    *,
    unit: str | None = None,
    scheme: str | None = None,
) -> Served:
    """The public results document, optionally for one unit or under another scheme.

    The whole-campaign document is served as stored; a unit or another scheme is
    built from the stored content."""
    reader.check(campaign_id)
    campaign = get_campaign(db, campaign_id)
    row = repository.get_header(db, campaign_id)
    if row is None:
        raise _not_computed(campaign_id)
    tag = f'"{_etag(campaign, row, unit, scheme)}"'
    if unit is None and scheme is None and row.document is not None:
        header = json.dumps(_header(campaign), ensure_ascii=False, separators=(",", ":"))
        body = f"{header[:-1]},{row.document[1:]}" if row.document != "{}" else header
        return Served(body.encode("utf-8"), tag)
    document = _document(campaign, row, unit, scheme)
    return Served(json.dumps(document, ensure_ascii=False).encode("utf-8"), tag)


def _years(
    db: Session, campaign_id: int, reader: Reader, compare: list[int]
) -> tuple[Campaign, list[tuple[int, dict[str, Any]]]]:
    campaign, row = stored(db, campaign_id, reader)
    years = [(campaign.year, row.public_content)]
    for other_id in compare:
        other, other_row = stored(db, other_id, reader)
        years.append((other.year, other_row.public_content))
    return campaign, sorted(years, key=lambda item: item[0])


def export_table(
    db: Session,
    campaign_id: int,
    reader: Reader,
    *,
    table: str,
    file_format: str,
    compare: list[int],
) -> bytes:
    """``criteria`` (× years, with ``compare`` campaigns) or ``units`` (ranked), as CSV/XLSX."""
    campaign, years = _years(db, campaign_id, reader, compare)
    if table == "criteria":
        sheet = exports.criteria_by_year(parsed(campaign.questionnaire_version), years)
    else:
        _, row = stored(db, campaign_id, reader)
        sheet = exports.units_ranked(row.public_content, scheme_for(row.weight_scheme))
    return exports.to_csv(sheet) if file_format == "csv" else exports.to_xlsx(sheet)


def chart(
    db: Session,
    campaign_id: int,
    reader: Reader,
    *,
    kind: str,
    image_format: str,
    compare: list[int],
) -> bytes:
    """``subindices`` per unit, or ``year-on-year`` with the ``compare`` campaigns."""
    _, years = _years(db, campaign_id, reader, compare)
    if kind == "subindices":
        _, row = stored(db, campaign_id, reader)
        return exports.subindices_by_unit_chart(row.public_content, image_format)
    return exports.year_on_year_chart(years, image_format)
