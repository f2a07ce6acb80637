"""Personal-link tokens and short codes, derived from a stored random nonce.

A link row keeps a nonce of 256 bits from :mod:`secrets`; the token
(192 bits, URL-safe) and the short code (60 bits, 12 characters of Crockford's
base 32, typed as ``XXXX-XXXX-XXXX``) are HMAC-SHA-256 of that nonce under the
service's secret key. Only hashes of them are stored: the token's SHA-256 (like
API tokens) and a keyed hash of the code (a 60-bit code would fall to an offline
search of a plain hash). So a copy of the database alone opens no link, while the
service can print a lost letter again. Consequence: ``SIPAS_SECRET_KEY`` must not
change while a campaign's letters are out, or their short codes stop working.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from app.core.security import token_digest

TOKEN_BYTES = 24
CODE_LENGTH = 12
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base 32: no I, L, O or U, which are easy to misread."""
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-–.]+")


def new_nonce() -> str:
    return secrets.token_hex(32)


def _mac(secret_key: str, purpose: str, value: str) -> bytes:
    return hmac.new(secret_key.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).digest()


def link_token(secret_key: str, nonce: str) -> str:
    """The token of the personal link ``/r/<token>`` (32 URL-safe characters)."""
    raw = _mac(secret_key, "sipas-link", nonce)[:TOKEN_BYTES]
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def short_code(secret_key: str, nonce: str) -> str:
    """The 12-character code printed for people who type it instead of scanning."""
    number = int.from_bytes(_mac(secret_key, "sipas-code", nonce)[:8], "big") >> 4
    return "".join(CODE_ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(CODE_LENGTH)))


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalize_code(text: str) -> str | None:
    """The code in ``text`` as typed (any case, dashes, spaces, O for 0...), or None."""
    code = _SEPARATORS.sub("", text).upper().translate(_MISREAD)
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def token_hash(token: str) -> str:
    return token_digest(token)


def code_hash(secret_key: str, code: str) -> str:
    return _mac(secret_key, "sipas-code-hash", code).hex()
