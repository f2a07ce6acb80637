"""Problems of a questionnaire file as the catalogue's Vietnamese sentences.

:mod:`questionnaires` reports each problem as a code and parameters
(:class:`~questionnaires.Problem`); the API, the staff pages and the command line
all render them here, so that every problem reads the same everywhere.
"""

from __future__ import annotations

from typing import Any

from app.core.validation import sentence
from questionnaires import Problem


def describe(p: Problem) -> str:
    """The problem's Vietnamese sentence, without its path."""
    return sentence(p.code, dict(p.params))


def line(p: Problem) -> str:
    """``blocks[0].items[1].code: Mã câu hỏi «Q1» …``: the sentence after its path."""
    return f"{p.path}: {describe(p)}" if p.path else describe(p)


def field(p: Problem) -> dict[str, Any]:
    """One problem as an entry of the error's ``fields``: its path in the file, its
    code for programs and its sentence for people."""
    return {"path": p.path, "code": p.code, "message": describe(p)}
