"""Decoding uploaded text files the way spreadsheets write them."""

from __future__ import annotations

import codecs
import unicodedata

from app.core.errors import UnprocessableError


def decode_upload(data: bytes, *, what: str = "file") -> str:
    """Decode UTF-8 (with or without BOM) or UTF-16 (with BOM, as Excel writes it).

    The text is returned NFC-normalised, so "Sóc Trăng" typed on any system
    compares equal.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UnprocessableError(
            f"The {what} is not UTF-8 or UTF-16 text (undecodable byte on line {line}). "
            "Save it as 'CSV UTF-8' and upload it again.",
            error="bad_encoding",
            fields=[{"path": f"line {line}", "row": line, "message": "undecodable byte"}],
        ) from exc
    return unicodedata.normalize("NFC", text)
