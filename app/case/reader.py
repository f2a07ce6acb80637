"""Reading case-list files row by row, without loading them whole.

CSV: UTF-8 (with or without BOM) or UTF-16 with BOM (Excel's "Unicode Text",
tab-separated); the delimiter (comma, semicolon or tab) is taken from the header
line. Bytes that are not valid in the file's encoding do not stop the import:
they are kept as markers so that the row holding them is rejected by number.

XLSX: the first worksheet, through openpyxl in read-only mode (streamed).

Exports often put a title (and a blank line) above the header: the header is the
row, among the first :data:`HEADER_SCAN_ROWS`, that scores highest on the caller's
``score`` (how many of its cells are known headers); rows above it are skipped.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import IO, Any

from app.core.errors import UnprocessableError

Progress = Callable[[int, int], None]
"""Called with (done, total) in bytes for CSV and rows for XLSX."""
HeaderScore = Callable[[Sequence[Any]], int]
"""How much a row looks like the header (the number of known header cells)."""

HEADER_SCAN_ROWS = 20
"""Rows searched for the header: a title block above it is rarely longer."""

_UNDECODABLE = re.compile("[\udc80-\udcff\ufffd]")
_CHUNK = 1 << 20
csv.field_size_limit(1 << 24)


@dataclass
class Table:
    """A file's header and an iterator over (row number, cells) of the rows below it;
    ``header_row`` is the header's row number (1 unless title rows are above it)."""

    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    file_format: str
    encoding: str | None
    header_row: int


def find_header(rows: Sequence[Sequence[Any]], score: HeaderScore) -> int | None:
    """The index of the header among the first rows of a file: the highest ``score``
    (the first on a tie), or the first row with a cell when no row scores."""
    best, found = 0, None
    for index, cells in enumerate(rows):
        if not any(cell is not None and str(cell).strip() for cell in cells):
            continue
        points = score(cells)
        if found is None or points > best:
            best, found = points, index
    return found


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


def open_table(
    stream: IO[bytes], filename: str, score: HeaderScore, progress: Progress | None = None
) -> Table:
    """Open a CSV or XLSX case list for streaming, below its header (see :func:`find_header`).

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
        return _open_xlsx(stream, filename, score, progress)
    return _open_csv(stream, start, total, score, progress)


def _delimiter(line: str) -> str:
    return max(("\t", ";", ","), key=line.count)


def _open_csv(
    stream: IO[bytes], start: bytes, total: int, score: HeaderScore, progress: Progress | None
) -> Table:
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
    lines = [line for line in (text.readline() for _ in range(HEADER_SCAN_ROWS)) if line]
    found = find_header([next(csv.reader([s], delimiter=_delimiter(s)), []) for s in lines], score)
    if found is None:
        raise UnprocessableError(error="empty_file")
    reader = csv.reader(chain(lines[found:], text), delimiter=_delimiter(lines[found]))
    header = next(reader)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        yield from enumerate(reader, start=found + 2)

    return Table(
        header=header, rows=rows(), file_format="csv", encoding=encoding, header_row=found + 1
    )


def _open_xlsx(
    stream: IO[bytes], filename: str, score: HeaderScore, progress: Progress | None
) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise UnprocessableError(error="bad_file", filename=filename) from exc
    sheet = workbook.worksheets[0]
    total = sheet.max_row or 0
    iterator = sheet.iter_rows(values_only=True)
    first = [cells for _, cells in zip(range(HEADER_SCAN_ROWS), iterator, strict=False)]
    found = find_header(first, score)
    if found is None:
        workbook.close()
        raise UnprocessableError(error="empty_file")
    header = ["" if cell is None else str(cell) for cell in first[found]]
    below = chain(first[found + 1 :], iterator)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, cells in enumerate(below, start=found + 2):
                if progress is not None and number % 1000 == 0:
                    progress(number, total)
                yield number, list(cells)
        finally:
            workbook.close()

    return Table(
        header=header, rows=rows(), file_format="xlsx", encoding=None, header_row=found + 1
    )
