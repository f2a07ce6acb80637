"""Limits on guessing: wrong passwords and unknown personal links.

Failures are counted in the database (:class:`app.auth.models.FailedAttempt`), so
every worker process and every restart shares one count. Each kind of guess has a
:class:`Policy`: a number of free failures, then an exponential back-off (the wait
doubles with every further failure, up to a ceiling), and a count forgotten after a
quiet spell. Passwords are counted per account and per address, links per address,
so that one person's mistakes (or one attacker) never lock out everyone: an account
being guessed at waits, as does the address guessing, and nobody else.

While a key waits, every attempt of its kind is refused, the right ones too, so that
a lucky guess cannot be told from a wrong one. Refused attempts are not counted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from app.auth import repository
from app.auth.models import FailedAttempt
from app.core.errors import AppError


class TooManyAttemptsError(AppError):
    status_code = 429
    error = "too_many_attempts"


@dataclass(frozen=True)
class Policy:
    """How one kind of failure is limited."""

    kind: str
    free: int
    """Failures allowed before any wait."""
    first_wait: timedelta
    """The wait after the first failure past the free ones; each further one doubles it."""
    longest_wait: timedelta
    forget_after: timedelta
    """A key with no failure for this long starts again from zero."""

    def wait(self, failures: int) -> timedelta:
        if failures < self.free:
            return timedelta(0)
        doublings = min(failures - self.free, 30)
        return min(self.first_wait * (1 << doublings), self.longest_wait)


LOGIN_ACCOUNT = Policy(
    "login-account", 5, timedelta(seconds=30), timedelta(minutes=15), timedelta(hours=6)
)
"""Wrong passwords for one user name, from anywhere."""
LOGIN_ADDRESS = Policy(
    "login-address", 20, timedelta(seconds=30), timedelta(minutes=15), timedelta(hours=1)
)
"""Wrong passwords from one address, whatever the user name (a shared office address
has room for many people's typos)."""
LINK_ADDRESS = Policy(
    "link-address", 20, timedelta(seconds=60), timedelta(minutes=30), timedelta(hours=1)
)
"""Unknown, expired or revoked personal links and codes from one address."""

Key = tuple[Policy, str]
"""A policy and what it counts against (a user name, an address)."""


def _hash(policy: Policy, key: str) -> str:
    return hashlib.sha256(f"{policy.kind}\n{key}".encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def waiting(db: Session, keys: list[Key], now: datetime | None = None) -> timedelta:
    """How long the longest-waiting of ``keys`` must still wait (zero: go ahead)."""
    now = now or datetime.now(UTC)
    policies = {(p.kind, _hash(p, key)): p for p, key in keys}
    longest = timedelta(0)
    row: FailedAttempt
    for row in repository.failed_attempts(db, list(policies)):
        policy = policies[(row.kind, row.key_hash)]
        last = _aware(row.last_failed_at)
        if last < now - policy.forget_after:
            continue
        longest = max(longest, last + policy.wait(row.failures) - now)
    return longest


def check(db: Session, keys: list[Key], now: datetime | None = None) -> None:
    """Raise :class:`TooManyAttemptsError` while any of ``keys`` must wait."""
    left = waiting(db, keys, now)
    if left > timedelta(0):
        raise TooManyAttemptsError(minutes=max(1, -(-int(left.total_seconds()) // 60)))


def failed(db: Session, keys: list[Key], now: datetime | None = None) -> None:
    """Count one failure against each of ``keys`` (the caller commits)."""
    now = now or datetime.now(UTC)
    for policy, key in keys:
        repository.add_failure(db, policy.kind, _hash(policy, key), now, now - policy.forget_after)
        repository.forget_failures(db, policy.kind, now - policy.forget_after)


def succeeded(db: Session, key: Key) -> None:
    """Forget the failures of ``key`` (an account that logged in)."""
    policy, name = key
    repository.clear_failures(db, policy.kind, _hash(policy, name))
