"""Building a sampling frame from a case list (spec §5, design 1).

The frame of a provincial unit survey is everyone who received a result from
a unit in the survey period: "thống kê các cá nhân đã thực hiện, nhận kết quả
giải quyết TTHC ... lập danh sách và chọn ngẫu nhiên" (An Giang 2023). Rules:

* eligibility: the result was returned (``returned_on``) within the window;
* units: only the units chosen for the survey; one stratum per unit,
  optionally crossed with the channel or the field (lĩnh vực);
* one person with several cases counts once per stratum (key: the normalised
  phone, else the name and address, :func:`sampling.contacts.person_key`);
  the person's first case in the canonical order (source, then row) stands
  for them;
* cases without a usable contact are excluded.

Every excluded case is kept with its reason, so the frame can be explained.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sampling.contacts import person_key
from sampling.draw import FrameStratum, frame_digest


class ExclusionReason(StrEnum):
    EXCLUDED_UNIT = "excluded_unit"
    OUTSIDE_WINDOW = "outside_window"
    NO_CONTACT = "no_contact"
    DUPLICATE = "duplicate"


CROSSINGS = ("channel", "field")
"""What a unit stratum may be crossed with."""


@dataclass(frozen=True)
class FrameRules:
    """What goes into the frame.

    Attributes
    ----------
    returned_from, returned_to : date or None
        Inclusive window on the date the result was returned.
    units : frozenset of str or None
        Unit codes to include; ``None`` for every unit.
    cross_with : {"channel", "field"} or None
        Split each unit's stratum by channel or by field.
    require_phone : bool
        Phone surveys need a phone; postal letters need only an address.
    """

    returned_from: date | None = None
    returned_to: date | None = None
    units: frozenset[str] | None = None
    cross_with: str | None = None
    require_phone: bool = False

    def __post_init__(self) -> None:
        if self.cross_with is not None and self.cross_with not in CROSSINGS:
            raise ValueError(f"cross_with must be one of {', '.join(CROSSINGS)}")
        if self.returned_from and self.returned_to and self.returned_from > self.returned_to:
            raise ValueError("returned_from is after returned_to")


@dataclass(frozen=True)
class CaseRecord:
    """One case as the frame sees it (already cleaned at import).

    ``ref`` identifies the case to the caller (a database id, a row number);
    ``order`` is its canonical position (the first case of a person wins).
    """

    ref: int
    order: tuple[int, int]
    unit: str
    returned_on: date | None
    phone: str | None
    name: str | None
    address: str | None
    channel: str | None = None
    field: str | None = None
    commune: str | None = None
    hamlet: str | None = None


LEVELS = ("commune", "hamlet")
"""Cluster levels a case carries, for multi-stage (area) designs."""


@dataclass(frozen=True)
class FrameMember:
    """A person in the frame: the case standing for them and their cases' count."""

    stratum: str
    key: str
    case_ref: int
    unit: str
    case_count: int


@dataclass(frozen=True)
class Exclusion:
    case_ref: int
    reason: ExclusionReason
    duplicate_of: int | None = None


@dataclass(frozen=True)
class FrameResult:
    """A frame: its strata (ready for :func:`sampling.draw.draw`), members, exclusions."""

    rules: FrameRules
    strata: tuple[FrameStratum, ...]
    members: dict[tuple[str, str], FrameMember]
    exclusions: tuple[Exclusion, ...]
    digest: str

    @property
    def sizes(self) -> dict[str, int]:
        return {s.name: s.size for s in self.strata}


def stratum_of(record: CaseRecord, cross_with: str | None) -> str:
    """``unit`` or ``unit/channel`` or ``unit/field`` (missing values: ``-``)."""
    if cross_with is None:
        return record.unit
    value = record.channel if cross_with == "channel" else record.field
    return f"{record.unit}/{value or '-'}"


def build_frame(cases: Iterable[CaseRecord], rules: FrameRules) -> FrameResult:
    """Apply ``rules`` to ``cases``; return the frame, each exclusion with its reason,
    and the frame digest (:func:`sampling.draw.frame_digest`)."""
    ordered = sorted(cases, key=lambda c: c.order)
    units: Collection[str] | None = rules.units
    exclusions: list[Exclusion] = []
    members: dict[tuple[str, str], FrameMember] = {}
    cases_of: dict[tuple[str, str], list[CaseRecord]] = {}
    for case in ordered:
        if units is not None and case.unit not in units:
            exclusions.append(Exclusion(case.ref, ExclusionReason.EXCLUDED_UNIT))
            continue
        returned = case.returned_on
        if returned is None or (
            (rules.returned_from is not None and returned < rules.returned_from)
            or (rules.returned_to is not None and returned > rules.returned_to)
        ):
            exclusions.append(Exclusion(case.ref, ExclusionReason.OUTSIDE_WINDOW))
            continue
        key = person_key(case.phone, case.name, case.address)
        if key is None or (rules.require_phone and not case.phone):
            exclusions.append(Exclusion(case.ref, ExclusionReason.NO_CONTACT))
            continue
        stratum = stratum_of(case, rules.cross_with)
        slot = (stratum, key)
        first = members.get(slot)
        if first is not None:
            exclusions.append(
                Exclusion(case.ref, ExclusionReason.DUPLICATE, duplicate_of=first.case_ref)
            )
            cases_of[slot].append(case)
            continue
        members[slot] = FrameMember(stratum, key, case.ref, case.unit, 1)
        cases_of[slot] = [case]
    for slot, member in members.items():
        if len(cases_of[slot]) > 1:
            members[slot] = FrameMember(
                member.stratum, member.key, member.case_ref, member.unit, len(cases_of[slot])
            )
    by_stratum: dict[str, list[str]] = {}
    for stratum, key in members:
        by_stratum.setdefault(stratum, []).append(key)
    strata = []
    for name in sorted(by_stratum):
        keys = sorted(by_stratum[name])
        prints = tuple(_fingerprint(cases_of[(name, key)]) for key in keys)
        firsts = [cases_of[(name, key)][0] for key in keys]
        labels = {
            "commune": tuple(case.commune or "-" for case in firsts),
            "hamlet": tuple(f"{case.commune or '-'}/{case.hamlet or '-'}" for case in firsts),
        }
        strata.append(FrameStratum(name=name, keys=tuple(keys), labels=labels, fingerprints=prints))
    return FrameResult(
        rules=rules,
        strata=tuple(strata),
        members=members,
        exclusions=tuple(exclusions),
        digest=frame_digest(strata),
    )


def _fingerprint(cases: list[CaseRecord]) -> str:
    """A digest of the source data behind one member (all of the person's cases)."""
    digest = hashlib.sha256()
    for case in cases:
        fields = (
            case.ref,
            case.unit,
            case.returned_on.isoformat() if case.returned_on else "",
            case.phone or "",
            case.name or "",
            case.address or "",
            case.channel or "",
            case.field or "",
            case.commune or "",
            case.hamlet or "",
        )
        digest.update("\x1f".join(map(str, fields)).encode("utf-8") + b"\x1e")
    return digest.hexdigest()[:32]
