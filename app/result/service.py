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
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from analysis import (
    METHOD_VERSION,
    Respondent,
    WeightScheme,
    analyse,
    bundled_scheme,
    public,
    result_dict,
    sipas_points,
    tabulate,
)
from analysis.answer_file import Columns, write_answer_file
from analysis.disposition import Disposition
from analysis.estimation import LonelyPsuError
from analysis.schemes import bundled_codes
from analysis.serialize import points_dict
from app.audit.service import record_event
from app.auth.models import User
from app.auth.service import Reader
from app.campaign import service as campaign_service
from app.campaign.models import (
    CAMPAIGN_STATUS_LABELS,
    CAMPAIGN_TRANSITIONS,
    Campaign,
    CampaignStatus,
    UnsampledResponses,
    status_labels,
)
from app.campaign.schemas import CampaignRead
from app.campaign.scope import campaign_in_scope
from app.campaign.service import get as get_campaign
from app.core.errors import ConflictError, NotFoundError, UnprocessableError
from app.core.hashing import sha256_json
from app.questionnaire.service import parsed
from app.response import design as response_design
from app.response.design import campaign_design
from app.response.models import ResponseMode
from app.result import exports, repository
from app.result.models import CampaignResult
from app.result.schemas import ComputeSummary, ResultsRead


@dataclass(frozen=True)
class Served:
    """A results document and its ETag."""

    body: dict[str, Any]
    etag: str


def scheme_for(code: str) -> WeightScheme:
    if code not in bundled_codes():
        raise UnprocessableError(
            error="unknown_weight_scheme", scheme=code, known=", ".join(bundled_codes())
        )
    return bundled_scheme(code)


@dataclass(frozen=True)
class _Input:
    """The analysis input of a campaign and what the results say about it.

    ``respondents`` streams from plain rows (never ORM objects of responses or answers),
    once; ``count`` says how many it gives."""

    respondents: Iterator[Respondent]
    count: int
    sampling_fractions: dict[str, float] | None
    note: dict[str, Any]
    responses: dict[str, Any]
    unit_names: dict[str, str]


def _input(db: Session, campaign: Campaign) -> _Input:
    """The complete responses to analyse, each with its design when analysed with one.

    A campaign whose responses all come from sampled respondents is analysed with its
    design. When some do and some do not (mixed), the campaign's setting decides: by
    default the sampled ones are analysed with their design and the others only
    counted; ``include`` analyses every response without weights. The results say which.
    """
    keys = repository.complete_response_keys(db, campaign.id)
    design = campaign_design(db, campaign.id)
    drawn = {
        key: person
        for key, person in response_design.people(db, campaign.id, design)
        if person.disposition is Disposition.COMPLETE
    }
    sampled = sum(1 for respondent_id, _ in keys if respondent_id in drawn)
    others = len(keys) - sampled
    with_design = bool(sampled) and (
        not others or campaign.unsampled_responses is UnsampledResponses.EXCLUDE
    )
    unit_of_respondent = {
        row.id: row.unit_id for row in repository.respondent_units(db, campaign.id)
    }
    units = repository.unit_codes(
        db,
        {unit_id for _, unit_id in keys if unit_id is not None}
        | {unit for unit in unit_of_respondent.values() if unit is not None},
    )
    del keys

    def unit_of(unit_id: int | None, respondent_id: int | None) -> str | None:
        if unit_id is None and respondent_id is not None:
            unit_id = unit_of_respondent.get(respondent_id)
        return units[unit_id][0] if unit_id is not None and unit_id in units else None

    def respondents() -> Iterator[Respondent]:
        for respondent_id, unit_id, mode, answers in repository.complete_answers(db, campaign.id):
            person = drawn.get(respondent_id or 0) if with_design else None
            if with_design and person is None:
                continue  # not sampled: counted, not analysed
            yield Respondent(
                answers=json.loads(answers),
                unit=unit_of(unit_id, respondent_id),
                stratum=person.stratum if person else None,
                weight=person.weight if person else None,
                psu=person.psu if person else None,
                mode=ResponseMode(mode).value,
            )

    note: dict[str, Any] = {"weights": "design" if with_design else "none"}
    if with_design:
        note.update(design.note())
    return _Input(
        respondents=respondents(),
        count=sampled if with_design else sampled + others,
        sampling_fractions=design.sampling_fractions if with_design else None,
        note=note,
        responses={
            "sampled": sampled,
            "unsampled": others,
            "mixed": bool(sampled) and bool(others),
            "analysed": "sampled" if with_design and others else "all",
            "setting": campaign.unsampled_responses.value,
        },
        unit_names=dict(units.values()),
    )


def _compute(
    db: Session, campaign: Campaign, actor: User | None, *, frozen: bool = False
) -> CampaignResult:
    form = parsed(campaign.questionnaire_version)
    scheme = scheme_for(campaign.weight_scheme)
    data = _input(db, campaign)
    try:
        table = tabulate(
            form,
            data.respondents,
            sampling_fractions=data.sampling_fractions,
            lonely_psu=campaign.lonely_psu,
            size=data.count,
        )
    except LonelyPsuError as exc:
        raise ConflictError(error="lonely_psu", stratum=exc.stratum) from exc
    result = analyse(form, table, scheme=scheme)
    rejected = {"rejected_responses": repository.rejected_count(db, campaign.id)}
    content = {
        **result_dict(result),
        "weighting": data.note,
        "responses": data.responses,
        **rejected,
    }
    shown = {
        **result_dict(public(result)),
        "weighting": data.note,
        "responses": data.responses,
        **rejected,
    }
    for document in (content, shown):
        for code, unit in document["units"].items():
            unit["name"] = data.unit_names.get(code)
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
        raise ConflictError(error="results_frozen", campaign_id=campaign_id)
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
            error="transition_not_allowed",
            campaign_id=campaign_id,
            old=CAMPAIGN_STATUS_LABELS[campaign.status],
            new=CAMPAIGN_STATUS_LABELS[CampaignStatus.PUBLISHED],
            allowed=status_labels(CAMPAIGN_TRANSITIONS[campaign.status]),
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
        raise NotFoundError(error="results_not_computed", campaign_id=campaign_id)
    return campaign, row


def _stored_header(
    db: Session, campaign_id: int, reader: Reader
) -> tuple[Campaign, CampaignResult]:
    """Like :func:`stored`, without loading the stored content (loaded if asked for)."""
    reader.check(campaign_id)
    campaign = get_campaign(db, campaign_id)
    row = repository.get_header(db, campaign_id)
    if row is None:
        raise NotFoundError(error="results_not_computed", campaign_id=campaign_id)
    return campaign, row


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
    internal: bool = False,
) -> dict[str, Any]:
    """The results document, built from the stored content."""
    data = dict(row.content if internal else row.public_content)
    data.pop("method_version")
    questionnaire = data.pop("questionnaire")
    chosen_scheme = row.weight_scheme
    chosen_version = row.weight_scheme_version
    if unit is not None:
        if unit not in data["units"]:
            raise NotFoundError(error="unknown_unit", campaign_id=campaign.id, unit=unit)
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
    """The whole-campaign public document as compact JSON, less the campaign's fields."""
    document = _document(campaign, row)
    for key in _header(campaign):
        del document[key]
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


DOCUMENT_REVISION = 1
"""Changes when the way a document is built from stored content changes."""


def _etag(
    campaign: Campaign,
    row: CampaignResult,
    unit: str | None,
    scheme: str | None,
    internal: bool = False,
) -> str:
    """Names one document: the stored content's digest, what was computed with it, the
    campaign's fields and the variant asked for; known without building the document."""
    tag = sha256_json(
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
            internal,
        ]
    )
    return f'"{tag}"'


def etag(
    db: Session,
    campaign_id: int,
    reader: Reader,
    *,
    unit: str | None = None,
    scheme: str | None = None,
) -> str:
    """The ETag of a results document, from stored digests: a 304 costs no rebuilding."""
    campaign, row = _stored_header(db, campaign_id, reader)
    return _etag(campaign, row, unit, scheme)


DOCUMENTS_KEPT = 8
"""Documents built from stored content that this process keeps, by ETag (which names
one document: :func:`_etag`), so that a page shown again is not built again."""

_BUILT: OrderedDict[str, dict[str, Any]] = OrderedDict()
_BUILT_LOCK = threading.Lock()


def results(
    db: Session,
    campaign_id: int,
    reader: Reader,
    *,
    unit: str | None = None,
    scheme: str | None = None,
    internal: bool = False,
) -> Served:
    """The public results document, optionally for one unit or under another scheme.

    ``internal``: for staff pages only, with the figures of cells under the minimum size
    (marked ``small``), which every public output withholds. The document is shared with
    later requests for the same ETag: read it, never change it."""
    campaign, row = _stored_header(db, campaign_id, reader)
    tag = _etag(campaign, row, unit, scheme, internal)
    with _BUILT_LOCK:
        document = _BUILT.get(tag)
        if document is not None:
            _BUILT.move_to_end(tag)
            return Served(document, tag)
    document = _document(campaign, row, unit, scheme, internal)
    with _BUILT_LOCK:
        _BUILT[tag] = document
        while len(_BUILT) > DOCUMENTS_KEPT:
            _BUILT.popitem(last=False)
    return Served(document, tag)


def served(
    db: Session,
    campaign_id: int,
    reader: Reader,
    *,
    unit: str | None = None,
    scheme: str | None = None,
) -> tuple[bytes, str]:
    """The public document as JSON and its ETag: the whole campaign's as stored when it
    was computed (with the campaign's current fields), a unit or scheme built."""
    campaign, row = _stored_header(db, campaign_id, reader)
    if unit is None and scheme is None and row.document is not None:
        header = json.dumps(_header(campaign), ensure_ascii=False, separators=(",", ":"))
        body = f"{header[:-1]},{row.document[1:]}" if row.document != "{}" else header
        return body.encode("utf-8"), _etag(campaign, row, None, None)
    document = _document(campaign, row, unit, scheme)
    return json.dumps(document, ensure_ascii=False).encode("utf-8"), _etag(
        campaign, row, unit, scheme
    )


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


ANSWER_COLUMNS = Columns(unit="ma_don_vi", weight="trong_so", stratum="tang", psu="cum")
"""Design columns of the answers export (``sipas analyze --unit-column ma_don_vi
--weights trong_so --stratum-column tang --psu-column cum``)."""


def answers_csv(db: Session, campaign_id: int, *, actor: User | None) -> str:
    """The answers the results are computed from (complete, not rejected), one row per
    response with its unit and, for a sample, its stratum, cluster and adjusted weight:
    ``sipas analyze`` on this file gives the same figures. No personal data."""
    campaign_in_scope(db, campaign_id, actor)
    campaign = get_campaign(db, campaign_id)
    data = _input(db, campaign)
    columns = ANSWER_COLUMNS if data.note["weights"] == "design" else Columns(unit="ma_don_vi")
    return write_answer_file(parsed(campaign.questionnaire_version), data.respondents, columns)


def staff_reader(db: Session, campaign_id: int, actor: User) -> Reader:
    """The results reader of a staff account, once the campaign is in its scope."""
    campaign_in_scope(db, campaign_id, actor)
    return Reader(actor.id, actor.role, frozenset({campaign_id}))


def staff_results(
    db: Session, campaign_id: int, reader: Reader, *, scheme: str | None = None
) -> tuple[Served, exports.Sheet]:
    """The internal results document under ``scheme`` (default: the campaign's) and its
    units ranked with the scheme's points and bands, the table of the provinces' reports."""
    _, row = _stored_header(db, campaign_id, reader)
    chosen = scheme_for(scheme or row.weight_scheme)
    served = results(db, campaign_id, reader, scheme=chosen.code, internal=True)
    return served, exports.units_ranked(served.body, chosen)


def earlier_campaigns(db: Session, campaign_id: int) -> list[int]:
    """Campaigns of the same scope in earlier years that have results (year on year)."""
    campaign = campaign_service.get_read(db, campaign_id)
    return [
        other.id
        for other in campaign_service.list_read(db)
        if other.scope_unit_code == campaign.scope_unit_code
        and other.year < campaign.year
        and repository.get_header(db, other.id) is not None
    ]
