"""Keeping personal-link tokens out of the logs.

uvicorn's access log prints every request path, and a citizen's path
``/r/<token>`` is the citizen's credential. :class:`RedactLinkTokens` rewrites
such paths to ``/r/[redacted]`` in every record of the loggers it is installed on.
"""

from __future__ import annotations

import logging
import re

LINK_PATH = re.compile(r"(/r/)[^/?#\s\"']+")
REDACTED = r"\1[redacted]"
LOGGERS = ("uvicorn.access", "uvicorn.error", "uvicorn", "app", "httpx")


def redact(text: str) -> str:
    return LINK_PATH.sub(REDACTED, text)


class RedactLinkTokens(logging.Filter):
    """Replaces the token of ``/r/<token>`` paths in a record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        return True


def install_log_redaction() -> None:
    """Add the filter to uvicorn's and the app's loggers (once)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactLinkTokens) for f in logger.filters):
            logger.addFilter(RedactLinkTokens())
