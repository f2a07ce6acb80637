"""Frames, draws and verification.

The rules live in :mod:`sampling`; this module loads cases, calls it and stores
what it returns. A frame stores its rules and digest, not its members: they are
rebuilt from the cases whenever needed, and the digest says whether the cases
are still those the frame was built from. A draw is stored with everything that
re-runs it (frame digest, design, seed, algorithm version) and is never
changed afterwards; ``verify`` re-runs it.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from sqlalchemy.orm import Session

from app.audit.service import record_event
from app.auth.models import User
from app.campaign import service as campaign_service
from app.core.errors import ConflictError, NotFoundError, UnprocessableError, invalid, problem
from app.sample import repository
from app.sample.models import Sample, SampledRespondent, SamplingFrame, SeedCommitment
from app.sample.schemas import (
    CommitmentCreate,
    CommitmentRead,
    DrawRequest,
    ExclusionRead,
    FrameCreate,
    FrameRead,
    RespondentRead,
    SampleRead,
    StratumCounts,
    VerifyResult,
)
from sampling import (
    ALGORITHM_VERSION,
    Design,
    DesignError,
    DrawResult,
    FrameResult,
    FrameRules,
    build_frame,
    draw,
    load_design,
    parse_design,
)


def seed_sha256(seed: str) -> str:
    """The commitment of a seed: SHA-256 of its decimal digits (no sign, no leading zeros)."""
    return hashlib.sha256(str(int(seed)).encode("ascii")).hexdigest()


# Frames ---------------------------------------------------------------------------------


def _rules_document(data: FrameCreate, case_list_ids: list[int]) -> dict[str, Any]:
    return {
        "returned_from": data.returned_from.isoformat() if data.returned_from else None,
        "returned_to": data.returned_to.isoformat() if data.returned_to else None,
        "unit_codes": sorted(data.unit_codes) if data.unit_codes else None,
        "cross_with": data.cross_with,
        "require_phone": data.require_phone,
        "case_list_ids": case_list_ids,
    }


def _rules(document: dict[str, Any]) -> FrameRules:
    data = FrameCreate.model_validate(document)
    return FrameRules(
        returned_from=data.returned_from,
        returned_to=data.returned_to,
        units=frozenset(data.unit_codes) if data.unit_codes else None,
        cross_with=data.cross_with,
        require_phone=data.require_phone,
    )


def _frame_read(frame: SamplingFrame) -> FrameRead:
    return FrameRead.model_validate(frame, from_attributes=True)


def _rebuild(db: Session, frame: SamplingFrame) -> FrameResult:
    records = repository.case_records(db, list(frame.rules["case_list_ids"]))
    return build_frame(records, _rules(frame.rules))


def create_frame(
    db: Session, campaign_id: int, data: FrameCreate, *, actor: User | None
) -> FrameRead:
    """Build and store a frame of the campaign's case lists with ``data``'s rules."""
    campaign_service.get(db, campaign_id)
    available = repository.case_list_ids(db, campaign_id)
    chosen = sorted(set(data.case_list_ids)) if data.case_list_ids else available
    foreign = sorted(set(chosen) - set(available))
    if foreign:
        ids = ", ".join(map(str, foreign))
        raise invalid(
            [
                problem(
                    "case_list_ids",
                    "case_lists_not_in_campaign",
                    case_list_ids=ids,
                    campaign_id=campaign_id,
                )
            ]
        )
    if not chosen:
        raise ConflictError(error="no_cases", campaign_id=campaign_id)
    if data.unit_codes:
        unknown = sorted(set(data.unit_codes) - set(repository.unit_ids(db, data.unit_codes)))
        if unknown:
            raise invalid([problem("unit_codes", "unit_not_found", code=", ".join(unknown))])
    document = _rules_document(data, chosen)
    result = build_frame(repository.case_records(db, chosen), _rules(document))
    if not result.strata:
        raise UnprocessableError(
            error="empty_frame",
            exclusions=", ".join(f"{k}: {v}" for k, v in _exclusion_counts(result).items()),
        )
    frame = SamplingFrame(
        campaign_id=campaign_id,
        rules=document,
        digest=result.digest,
        member_count=len(result.members),
        excluded_count=len(result.exclusions),
        strata=result.sizes,
        exclusion_counts=_exclusion_counts(result),
        created_by_id=actor.id if actor else None,
    )
    db.add(frame)
    db.flush()
    repository.write_exclusions(
        db,
        [(frame.id, e.case_ref, e.reason.value, e.duplicate_of) for e in result.exclusions],
    )
    record_event(
        db,
        actor=actor,
        action="frame.create",
        entity_type="sampling_frame",
        entity_id=frame.id,
        payload={"rules": document, "digest": result.digest, "members": frame.member_count},
    )
    db.commit()
    return _frame_read(frame)


def _exclusion_counts(result: FrameResult) -> dict[str, int]:
    return dict(sorted(Counter(e.reason.value for e in result.exclusions).items()))


def get_frame(db: Session, frame_id: int) -> SamplingFrame:
    frame = repository.get_frame(db, frame_id)
    if frame is None:
        raise NotFoundError(error="frame_not_found", frame_id=frame_id)
    return frame


def latest_frame_id(db: Session, campaign_id: int) -> int:
    campaign_service.get(db, campaign_id)
    frame_id = repository.latest_frame_id(db, campaign_id)
    if frame_id is None:
        raise ConflictError(error="no_frame", campaign_id=campaign_id)
    return frame_id


def get_frame_read(db: Session, frame_id: int) -> FrameRead:
    return _frame_read(get_frame(db, frame_id))


def list_exclusions(db: Session, frame_id: int, offset: int, limit: int) -> list[ExclusionRead]:
    get_frame(db, frame_id)
    return [
        ExclusionRead(
            case_id=row.case_id,
            case_list_id=row.case_frame_id,
            row_number=row.row_number,
            reason=row.reason,
            duplicate_of_case_id=row.duplicate_of_case_id,
        )
        for row in repository.exclusions(db, frame_id, offset, limit)
    ]


# Commit–reveal -------------------------------------------------------------------------


def _commitment_read(commitment: SeedCommitment) -> CommitmentRead:
    return CommitmentRead.model_validate(commitment, from_attributes=True)


def create_commitment(
    db: Session, campaign_id: int, data: CommitmentCreate, *, actor: User | None
) -> CommitmentRead:
    """Record the SHA-256 of a seed before the draw; the draw later reveals the seed."""
    campaign_service.get(db, campaign_id)
    commitment = SeedCommitment(
        campaign_id=campaign_id,
        seed_sha256=data.seed_sha256,
        note=data.note,
        created_by_id=actor.id if actor else None,
    )
    db.add(commitment)
    db.flush()
    record_event(
        db,
        actor=actor,
        action="seed.commit",
        entity_type="seed_commitment",
        entity_id=commitment.id,
        payload={"campaign_id": campaign_id, "seed_sha256": data.seed_sha256},
    )
    db.commit()
    return _commitment_read(commitment)


def list_commitments(db: Session, campaign_id: int) -> list[CommitmentRead]:
    campaign_service.get(db, campaign_id)
    return [_commitment_read(c) for c in repository.list_commitments(db, campaign_id)]


# Draws ---------------------------------------------------------------------------------


def parse_request_design(request: DrawRequest) -> Design:
    try:
        if request.design_yaml is not None:
            return load_design(request.design_yaml)
        return parse_design(request.design)
    except DesignError as exc:
        raise UnprocessableError(
            error="bad_design",
            count=len(exc.problems),
            problems="; ".join(exc.problems),
            fields=[{"path": f"design.{p.split(':', 1)[0]}", "message": p} for p in exc.problems],
        ) from exc


def _draw(frame: FrameResult, design: Design, seed: str) -> DrawResult:
    try:
        return draw(frame.strata, design, int(seed), digest=frame.digest)
    except ValueError as exc:
        raise UnprocessableError(error="bad_design", count=1, problems=str(exc)) from exc


def draw_sample(
    db: Session, frame_id: int, request: DrawRequest, *, actor: User | None
) -> SampleRead:
    """Draw from a frame and store the draw (append-only) with its respondents."""
    frame = get_frame(db, frame_id)
    design = parse_request_design(request)
    commitment = None
    if request.commitment_id is not None:
        commitment = repository.get_commitment(db, request.commitment_id)
        if commitment is None or commitment.campaign_id != frame.campaign_id:
            raise NotFoundError(error="commitment_not_found", commitment_id=request.commitment_id)
        if commitment.sample_id is not None:
            raise ConflictError(
                error="commitment_used",
                commitment_id=commitment.id,
                sample_id=commitment.sample_id,
            )
        if seed_sha256(str(request.seed)) != commitment.seed_sha256:
            raise UnprocessableError(
                error="seed_mismatch", fields=[problem("seed", "seed_mismatch")]
            )
    current = _rebuild(db, frame)
    if current.digest != frame.digest:
        raise ConflictError(
            error="frame_changed",
            frame_id=frame.id,
            old=frame.digest[:12],
            new=current.digest[:12],
        )
    result = _draw(current, design, str(request.seed))
    sample = Sample(
        campaign_id=frame.campaign_id,
        sampling_frame_id=frame.id,
        frame_digest=frame.digest,
        design=design.to_document(),
        seed=str(request.seed),
        algorithm_version=result.algorithm_version,
        sample_digest=result.digest,
        seed_commitment=commitment.seed_sha256 if commitment else None,
        created_by_id=actor.id if actor else None,
    )
    db.add(sample)
    db.flush()
    _store_respondents(db, sample, current, result)
    if commitment is not None:
        commitment.sample_id = sample.id
    record_event(
        db,
        actor=actor,
        action="sample.draw",
        entity_type="sample",
        entity_id=sample.id,
        payload={
            "frame_id": frame.id,
            "frame_digest": frame.digest,
            "seed": sample.seed,
            "algorithm_version": result.algorithm_version,
            "sample_digest": result.digest,
            "commitment_id": commitment.id if commitment else None,
        },
    )
    db.commit()
    return get_sample_read(db, sample.id)


def _store_respondents(db: Session, sample: Sample, frame: FrameResult, result: DrawResult) -> None:
    members = frame.members
    refs = [members[(u.stratum, u.key)].case_ref for u in result.units]
    cases = repository.cases_by_id(db, refs)
    rows = []
    for unit, ref in zip(result.units, refs, strict=True):
        case = cases[ref]
        rows.append(
            SampledRespondent(
                sample_id=sample.id,
                case_id=ref,
                unit_id=case.unit_id,
                stratum=unit.stratum,
                cluster=unit.clusters[-1] if unit.clusters else None,
                psu=unit.clusters[0] if unit.clusters else None,
                draw_order=unit.draw_order,
                is_reserve=unit.is_reserve,
                inclusion_probability=unit.inclusion_probability,
                design_weight=unit.design_weight,
                stage_probabilities=list(unit.stage_probabilities),
                full_name=case.applicant_name,
                phone=case.phone,
                address=case.address,
            )
        )
    db.add_all(rows)
    db.flush()


def get_sample(db: Session, sample_id: int) -> Sample:
    sample = repository.get_sample(db, sample_id)
    if sample is None:
        raise NotFoundError(error="sample_not_found", sample_id=sample_id)
    return sample


def _sample_read(
    sample: Sample, respondents: list[SampledRespondent], frame_sizes: dict[str, int]
) -> SampleRead:
    strata: dict[str, StratumCounts] = {}
    for row in respondents:
        counts = strata.setdefault(
            row.stratum, StratumCounts(frame=frame_sizes.get(row.stratum, 0), sample=0, reserves=0)
        )
        if row.is_reserve:
            counts.reserves += 1
        else:
            counts.sample += 1
    return SampleRead(
        id=sample.id,
        campaign_id=sample.campaign_id,
        sampling_frame_id=sample.sampling_frame_id,
        frame_digest=sample.frame_digest,
        design=sample.design,
        seed=sample.seed,
        seed_commitment=sample.seed_commitment,
        algorithm_version=sample.algorithm_version,
        sample_digest=sample.sample_digest,
        created_at=sample.created_at,
        sample_size=sum(c.sample for c in strata.values()),
        reserve_count=sum(c.reserves for c in strata.values()),
        strata=dict(sorted(strata.items())),
    )


def _read_with_counts(db: Session, sample: Sample) -> SampleRead:
    frame = repository.get_frame(db, sample.sampling_frame_id) if sample.sampling_frame_id else None
    sizes = dict(frame.strata) if frame is not None else {}
    return _sample_read(sample, repository.respondents(db, sample.id), sizes)


def get_sample_read(db: Session, sample_id: int) -> SampleRead:
    return _read_with_counts(db, get_sample(db, sample_id))


def list_samples(db: Session, campaign_id: int) -> list[SampleRead]:
    campaign_service.get(db, campaign_id)
    return [_read_with_counts(db, s) for s in repository.list_samples(db, campaign_id)]


def get_respondent(db: Session, respondent_id: int) -> SampledRespondent:
    respondent = repository.get_respondent(db, respondent_id)
    if respondent is None:
        raise NotFoundError(error="respondent_not_found", respondent_id=respondent_id)
    return respondent


def respondent_read(row: SampledRespondent, codes: dict[int, str]) -> RespondentRead:
    return RespondentRead(
        id=row.id,
        sample_id=row.sample_id,
        case_id=row.case_id,
        unit_code=codes.get(row.unit_id) if row.unit_id else None,
        stratum=row.stratum,
        cluster=row.cluster,
        psu=row.psu,
        draw_order=row.draw_order,
        is_reserve=row.is_reserve,
        inclusion_probability=row.inclusion_probability,
        design_weight=row.design_weight,
        stage_probabilities=row.stage_probabilities,
        outcome=row.outcome,
        outcome_note=row.outcome_note,
        replaces_id=row.replaces_id,
        full_name=row.full_name,
        phone=row.phone,
        address=row.address,
    )


def list_respondents(db: Session, sample_id: int) -> list[RespondentRead]:
    get_sample(db, sample_id)
    codes = repository.unit_codes(db)
    return [respondent_read(r, codes) for r in repository.respondents(db, sample_id)]


def verify_sample(db: Session, sample_id: int, *, actor: User | None = None) -> VerifyResult:
    """Re-run a stored draw from today's cases and compare.

    Reports a mismatch when the algorithm version differs from this software's,
    when the frame rebuilt from the cases has another digest (a case of the
    frame changed, appeared or vanished), when the re-drawn sample differs, or
    when the stored respondents are not those of the re-drawn sample.
    """
    sample = get_sample(db, sample_id)
    base = {
        "sample_id": sample.id,
        "algorithm_version": sample.algorithm_version,
        "frame_digest_stored": sample.frame_digest,
        "sample_digest_stored": sample.sample_digest,
    }
    if sample.sampling_frame_id is None:
        raise ConflictError(error="not_verifiable", sample_id=sample_id)
    if sample.algorithm_version != ALGORITHM_VERSION:
        return VerifyResult(
            **base,
            match=False,
            frame_digest_now="",
            sample_digest_now=None,
            stored_rows_match=False,
            detail=(
                f"The draw used {sample.algorithm_version!r}; this software implements "
                f"{ALGORITHM_VERSION!r}. Verify it with the release that made it."
            ),
        )
    frame = get_frame(db, sample.sampling_frame_id)
    current = _rebuild(db, frame)
    result = _draw(current, parse_design(sample.design), sample.seed)
    stored = repository.respondents(db, sample_id)
    expected = {
        (u.stratum, u.draw_order): (current.members[(u.stratum, u.key)].case_ref, u.is_reserve)
        for u in result.units
    }
    actual = {(r.stratum, r.draw_order): (r.case_id, r.is_reserve) for r in stored}
    rows_match = expected == actual
    frame_match = current.digest == sample.frame_digest
    sample_match = result.digest == sample.sample_digest
    match = frame_match and sample_match and rows_match
    if match:
        detail = (
            f"Match: the frame rebuilt from the cases has the stored digest and the draw "
            f"re-run with seed {sample.seed} gives the stored {len(stored)} respondents."
        )
    else:
        reasons = []
        if not frame_match:
            reasons.append("the cases of the frame changed after the draw (frame digest differs)")
        if not sample_match:
            reasons.append("the re-run draw differs from the stored one (sample digest differs)")
        if not rows_match:
            differing = sum(
                1 for k in expected.keys() | actual.keys() if expected.get(k) != actual.get(k)
            )
            reasons.append(f"{differing} stored respondent row(s) differ from the re-run draw")
        detail = "Mismatch: " + "; ".join(reasons) + "."
    record_event(
        db,
        actor=actor,
        action="sample.verify",
        entity_type="sample",
        entity_id=sample.id,
        payload={"match": match, "frame_digest_now": current.digest},
    )
    db.commit()
    return VerifyResult(
        **base,
        match=match,
        frame_digest_now=current.digest,
        sample_digest_now=result.digest,
        stored_rows_match=rows_match,
        detail=detail,
    )


# Reserves ------------------------------------------------------------------------------
