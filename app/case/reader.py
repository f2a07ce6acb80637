"""Reading case-list files row by row, without loading them whole.

CSV: UTF-8 (with or without BOM) or UTF-16 with BOM (Excel's "Unicode Text",
tab-separated); the delimiter (comma, semicolon or tab) is taken from the header
line. Bytes that are not valid in the file's encoding do not stop the import:
they are kept as markers so that the row holding them is rejected by number.

XLSX: the first worksheet, through openpyxl in read-only mode (streamed).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from app.core.errors import UnprocessableError

Progress = Callable[[int, int], None]
"""Called with (done, total) in bytes for CSV and rows for XLSX."""

_UNDECODABLE = re.compile("[\udc80-\udcff\ufffd]")
_CHUNK = 1 << 20
csv.field_size_limit(1 << 24)


@dataclass
class Table:
    """A file's header and an iterator over (row number, cells); row 1 is the header."""

    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    file_format: str
    encoding: str | None


def file_sha256(stream: IO[bytes]) -> str:
    """SHA-256 of the whole stream, read in chunks; the stream is rewound."""
    stream.seek(0)
    digest = hashlib.sha256()
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def undecodable(text: str) -> bool:
    """True when ``text`` holds bytes that were not valid in the file's encoding."""
    return not text.isascii() and _UNDECODABLE.search(text) is not None


class _CountingReader(io.RawIOBase):
    """Counts the bytes read from ``stream`` and reports them to ``progress``."""

    def __init__(self, stream: IO[bytes], total: int, progress: Progress | None) -> None:
        self._stream = stream
        self._total = total
        self._progress = progress
        self.done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.done += size
        if self._progress is not None:
            self._progress(self.done, self._total)
        return size


def open_table(stream: IO[bytes], filename: str, progress: Progress | None = None) -> Table:
    """Open a CSV or XLSX case list for streaming.

    Raises
    ------
    UnprocessableError
        When the file is empty or is not a readable spreadsheet.
    """
    stream.seek(0, io.SEEK_END)
    total = stream.tell()
    stream.seek(0)
    start = stream.read(4)
    stream.seek(0)
    if not start:
        raise UnprocessableError(error="empty_file")
    if start.startswith(b"PK\x03\x04"):
        return _open_xlsx(stream, filename, progress)
    return _open_csv(stream, start, total, progress)


def _open_csv(stream: IO[bytes], start: bytes, total: int, progress: Progress | None) -> Table:
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, errors = "utf-16", "replace"
    else:
        encoding, errors = "utf-8-sig", "surrogateescape"
    counting = _CountingReader(stream, total, progress)
    text = io.TextIOWrapper(
        io.BufferedReader(counting, buffer_size=_CHUNK),
        encoding=encoding,
        errors=errors,
        newline="",
    )
    first = text.readline()
    if not first.strip():
        raise UnprocessableError(error="empty_file")
    delimiter = max(("\t", ";", ","), key=first.count)
    reader = csv.reader(_chain(first, text), delimiter=delimiter)
    header = next(reader)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, row in enumerate(reader, start=2):
            yield number, list(row)

    return Table(header=header, rows=rows(), file_format="csv", encoding=encoding)


def _chain(first: str, rest: IO[str]) -> Iterator[str]:
    yield first
    yield from rest


def _open_xlsx(stream: IO[bytes], filename: str, progress: Progress | None) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise UnprocessableError(error="bad_file", filename=filename) from exc
    sheet = workbook.worksheets[0]
    total = sheet.max_row or 0
    iterator = sheet.iter_rows(values_only=True)
    header_cells = next(iterator, None)
    if header_cells is None:
        raise UnprocessableError(error="empty_file")
    header = ["" if cell is None else str(cell) for cell in header_cells]

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, cells in enumerate(iterator, start=2):
                if progress is not None and number % 1000 == 0:
                    progress(number, total)
                yield number, list(cells)
        finally:
            workbook.close()

    return Table(header=header, rows=rows(), file_format="xlsx", encoding=None)
