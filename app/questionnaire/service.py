"""Drafts, publishing and the immutability of published questionnaire versions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from app.audit.service import record_event
from app.auth.models import User
from app.core.errors import ConflictError, NotFoundError, UnprocessableError, problem
from app.core.hashing import sha256_json
from app.questionnaire import problems, repository, xlsform
from app.questionnaire.models import Questionnaire as QuestionnaireRow
from app.questionnaire.models import QuestionnaireVersion, VersionStatus
from app.questionnaire.schemas import (
    CriterionRead,
    QuestionnaireSummary,
    QuestionnaireVersionRead,
    SubIndexRead,
    VersionSummary,
)
from questionnaires import Questionnaire, QuestionnaireError, bundled_path, load_questionnaire
from questionnaires import validate_questionnaire as validate_content

_parsed: dict[tuple[int, str], Questionnaire] = {}


def parsed(version: QuestionnaireVersion) -> Questionnaire:
    """The questionnaire of a stored version (cached: a digest pins its content)."""
    key = (version.id, version.content_sha256)
    if key not in _parsed:
        _parsed[key] = validate_content(version.content, source=f"version {version.id}")
    return _parsed[key]


def cached(version_id: int, content_sha256: str) -> Questionnaire | None:
    """The questionnaire of a version if :func:`parsed` has it already (no content needed)."""
    return _parsed.get((version_id, content_sha256))


def _parse_upload(text: bytes) -> Questionnaire:
    try:
        return load_questionnaire(text, source="uploaded questionnaire")
    except QuestionnaireError as exc:
        raise UnprocessableError(
            error="invalid_questionnaire",
            count=len(exc.problems),
            fields=[problems.field(p) for p in exc.problems],
        ) from exc


def _content(form: Questionnaire) -> dict[str, object]:
    return form.model_dump(mode="json", by_alias=True, exclude_none=True)


def read(version: QuestionnaireVersion) -> QuestionnaireVersionRead:
    form = parsed(version)
    grouped = form.criteria_by_subindex()
    return QuestionnaireVersionRead(
        code=form.code,
        title=form.title,
        edition=form.edition,
        version=version.version,
        status=version.status,
        content_sha256=version.content_sha256,
        created_at=version.created_at,
        published_at=version.published_at,
        scoring_rule=form.scoring.rule.value,
        languages=form.offered_languages(),
        criteria_count=len(form.criteria()),
        subindices=[
            SubIndexRead(
                code=s.code,
                name=s.name,
                half=s.half,
                criteria=[
                    CriterionRead(code=c.code, number=c.number, text=c.text)
                    for c in grouped.get(s.code, [])
                ],
            )
            for s in form.subindices
        ],
        content=version.content,
    )


def list_all(db: Session) -> list[QuestionnaireSummary]:
    return [
        QuestionnaireSummary(
            code=q.code,
            title=q.title,
            versions=[
                VersionSummary(
                    version=v.version,
                    status=v.status,
                    content_sha256=v.content_sha256,
                    created_at=v.created_at,
                    published_at=v.published_at,
                )
                for v in q.versions
            ],
        )
        for q in repository.list_questionnaires(db)
    ]


def get_latest(db: Session, code: str) -> QuestionnaireVersionRead:
    version = repository.latest_version(db, code)
    if version is None:
        raise NotFoundError(error="questionnaire_not_found", code=code)
    return read(version)


def get_version(db: Session, code: str, number: int) -> QuestionnaireVersion:
    version = repository.get_version(db, code, number)
    if version is None:
        raise NotFoundError(error="questionnaire_version_not_found", code=code, version=number)
    return version


def get_parsed(db: Session, code: str, number: int) -> Questionnaire:
    """The questionnaire of a stored version, as the renderer and the checks use it."""
    return parsed(get_version(db, code, number))


def get_version_read(db: Session, code: str, number: int) -> QuestionnaireVersionRead:
    return read(get_version(db, code, number))


def create_draft(db: Session, text: bytes, *, actor: User | None) -> QuestionnaireVersionRead:
    """Store an uploaded file as the next draft version of its questionnaire."""
    return _store_draft(db, _parse_upload(text), actor=actor)


def create_draft_from_xlsform(
    db: Session, data: bytes, *, actor: User | None
) -> QuestionnaireVersionRead:
    """Store an uploaded XLSForm (``.xlsx``) as the next draft version of its questionnaire."""
    return _store_draft(db, xlsform.read_upload(data), actor=actor)


def xlsform_of(db: Session, code: str, number: int) -> bytes:
    """A stored version as an XLSForm (``.xlsx``)."""
    return xlsform.write(get_parsed(db, code, number))


def _store_draft(
    db: Session, form: Questionnaire, *, actor: User | None
) -> QuestionnaireVersionRead:
    """Store a questionnaire as the next draft version of its code."""
    questionnaire = repository.get_questionnaire(db, form.code)
    if questionnaire is None:
        questionnaire = QuestionnaireRow(code=form.code, title=str(form.title))
        db.add(questionnaire)
        db.flush()
    elif (draft := repository.draft_of(db, questionnaire)) is not None:
        raise ConflictError(error="draft_exists", code=form.code, version=draft.version)
    content = _content(form)
    version = QuestionnaireVersion(
        questionnaire_id=questionnaire.id,
        version=repository.next_version_number(db, questionnaire),
        status=VersionStatus.DRAFT,
        content=content,
        content_sha256=sha256_json(content),
    )
    db.add(version)
    db.flush()
    record_event(
        db,
        actor=actor,
        action="questionnaire.draft",
        entity_type="questionnaire_version",
        entity_id=version.id,
        payload={"code": form.code, "version": version.version},
    )
    db.commit()
    return read(version)


def _refuse_if_published(version: QuestionnaireVersion, code: str) -> None:
    if version.status is VersionStatus.PUBLISHED:
        raise ConflictError(error="published_is_immutable", version=version.version, code=code)


def update_draft(
    db: Session, code: str, number: int, text: bytes, *, actor: User | None
) -> QuestionnaireVersionRead:
    """Replace a draft's content with an uploaded YAML file; a published version answers 409."""
    return _replace_draft(db, code, number, text, _parse_upload, actor=actor)


def update_draft_from_xlsform(
    db: Session, code: str, number: int, data: bytes, *, actor: User | None
) -> QuestionnaireVersionRead:
    """Replace a draft's content with an uploaded XLSForm; a published version answers 409."""
    return _replace_draft(db, code, number, data, xlsform.read_upload, actor=actor)


def _replace_draft(
    db: Session,
    code: str,
    number: int,
    upload: bytes,
    parse: Callable[[bytes], Questionnaire],
    *,
    actor: User | None,
) -> QuestionnaireVersionRead:
    version = get_version(db, code, number)
    _refuse_if_published(version, code)
    form = parse(upload)
    if form.code != code:
        mismatch = problem("code", "questionnaire_code_mismatch", found=form.code, code=code)
        raise UnprocessableError(
            error="questionnaire_code_mismatch", found=form.code, code=code, fields=[mismatch]
        )
    content = _content(form)
    version.content = content
    version.content_sha256 = sha256_json(content)
    version.questionnaire.title = str(form.title)
    record_event(
        db,
        actor=actor,
        action="questionnaire.update",
        entity_type="questionnaire_version",
        entity_id=version.id,
        payload={"code": code, "version": number},
    )
    db.commit()
    return read(version)


def publish(db: Session, code: str, number: int, *, actor: User | None) -> QuestionnaireVersionRead:
    version = get_version(db, code, number)
    _refuse_if_published(version, code)
    version.status = VersionStatus.PUBLISHED
    version.published_at = datetime.now(UTC)
    record_event(
        db,
        actor=actor,
        action="questionnaire.publish",
        entity_type="questionnaire_version",
        entity_id=version.id,
        payload={"code": code, "version": number, "content_sha256": version.content_sha256},
    )
    db.commit()
    return read(version)


def delete_draft(db: Session, code: str, number: int, *, actor: User | None) -> None:
    version = get_version(db, code, number)
    _refuse_if_published(version, code)  # campaigns use published versions only
    db.delete(version)
    record_event(
        db,
        actor=actor,
        action="questionnaire.delete",
        entity_type="questionnaire_version",
        entity_id=version.id,
        payload={"code": code, "version": number},
    )
    db.commit()


def publish_bundled(db: Session, code: str, *, actor: User | None) -> int:
    """Make sure a questionnaire shipped in ``questionnaires/data`` is stored as shipped
    and published; return the number of that version.

    Stored versions are compared by content digest: when the shipped file changed (for
    instance a translation was added), it becomes the next version and campaigns already
    on an earlier version keep it (a published version never changes)."""
    text = bundled_path(code).read_bytes()
    stored = repository.latest_version(db, code)
    if stored is None or stored.content_sha256 != sha256_json(_content(_parse_upload(text))):
        number = create_draft(db, text, actor=actor).version
    else:
        number = stored.version
        if stored.status is VersionStatus.PUBLISHED:
            return number
    publish(db, code, number, actor=actor)
    return number
