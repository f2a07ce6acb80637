"""Decoding uploaded text files the way spreadsheets write them."""

from __future__ import annotations

import codecs
import unicodedata

from app.core.edge import CONTROL
from app.core.errors import UnprocessableError, problem


def decode_upload(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM) or UTF-16 (with BOM, as Excel writes it).

    The text is returned NFC-normalised, so "Sóc Trăng" typed on any system
    compares equal. A control character (NUL and the like; not tab or line breaks) is
    refused with its line and character.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        where = {**problem(f"dòng {line}", "undecodable_bytes"), "row": line}
        raise UnprocessableError(error="bad_encoding", line=line, fields=[where]) from exc
    bad = CONTROL.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        place = f"dòng {line}, ký tự {column}"
        fields = [{**problem(place, "control_character_field", field=place), "row": line}]
        raise UnprocessableError(error="control_characters", fields=fields)
    return unicodedata.normalize("NFC", text)
