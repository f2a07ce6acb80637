"""Passwords (argon2id) and API tokens (random, stored as SHA-256).

An argon2 hash takes 64 MiB and tens of milliseconds of a core on purpose, so a
burst of log-ins could take all the memory and CPU of the machine: at most
:func:`hash_limit` hashes run at once per process; the others wait their turn.
"""

from __future__ import annotations

import hashlib
import secrets
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

TOKEN_PREFIX = "sipas_"
_hasher = PasswordHasher()
_slots = threading.BoundedSemaphore(2)
_limit = 2


def limit_hashing(concurrency: int) -> None:
    """Let at most ``concurrency`` argon2 hashes run at once per process."""
    global _slots, _limit
    _slots, _limit = threading.BoundedSemaphore(max(1, concurrency)), max(1, concurrency)


def hash_limit() -> int:
    return _limit


def hash_password(password: str) -> str:
    with _slots:
        return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        with _slots:
            return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """A new bearer token: 256 bits from :mod:`secrets`."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What is stored for a token. Tokens carry 256 random bits, so a fast hash suffices."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
