"""Pieces of the capture security, without a database: link tokens and short codes,
and the log filter that keeps tokens out of the logs."""

from __future__ import annotations

import logging

from app.link import tokens
from app.pages.shared.redact import RedactLinkTokens

SECRET = "test-secret-key-not-for-production"
NONCE = "5f" * 32


def test_tokens_are_long_random_and_reproducible_from_the_nonce() -> None:
    token = tokens.link_token(SECRET, NONCE)
    assert len(token) == 32  # 24 bytes = 192 bits, URL-safe base 64
    assert token == tokens.link_token(SECRET, NONCE)
    assert token != tokens.link_token(SECRET, "60" * 32)
    assert token != tokens.link_token("another-secret-key-of-the-service", NONCE)
    nonces = {tokens.new_nonce() for _ in range(100)}
    assert len(nonces) == 100
    assert all(len(n) == 64 for n in nonces)  # 256 bits from secrets
    assert tokens.token_hash(token) != token


def test_short_codes_survive_how_people_type_them() -> None:
    code = tokens.short_code(SECRET, NONCE)
    assert len(code) == 12
    assert set(code) <= set(tokens.CODE_ALPHABET)
    shown = tokens.format_code(code)
    assert shown.count("-") == 2
    typed = " ".join(shown.lower().split("-")).replace("0", "o").replace("1", "l")
    assert tokens.normalize_code(typed) == code
    assert tokens.normalize_code("ABCD-EFGH") is None
    assert tokens.normalize_code("ABCD-EFGH-JKMU") is None  # U is not in the alphabet
    assert tokens.code_hash(SECRET, code) != tokens.code_hash("other-secret-key-12345", code)


def test_access_log_records_are_redacted() -> None:
    token = tokens.link_token(SECRET, NONCE)
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "PUT", f"/r/{token}/answers?x=1", "1.1", 200),
        None,
    )
    assert RedactLinkTokens().filter(record)
    message = record.getMessage()
    assert token not in message
    assert '"PUT /r/[redacted]/answers?x=1 HTTP/1.1" 200' in message
    plain = logging.LogRecord(
        "app", logging.WARNING, __file__, 1, f"opened https://example.vn/r/{token}", None, None
    )
    RedactLinkTokens().filter(plain)
    assert plain.getMessage() == "opened https://example.vn/r/[redacted]"
