"""Questionnaires (phiếu khảo sát) as data: the file format, its loader and answer checks.

Pure package: it imports nothing from the service, the web framework or the
database layer. The bundled forms live in ``questionnaires/data/*.yaml``; the
format is documented in ``questionnaires/FORMAT.md``.
"""

from pathlib import Path

from questionnaires.answers import AnswerCheck, AnswerProblem, check_answers, visible_items
from questionnaires.labels import Label, language_name
from questionnaires.loader import (
    QuestionnaireError,
    load_questionnaire,
    load_questionnaire_file,
    validate_questionnaire,
)
from questionnaires.problems import Problem
from questionnaires.schema import Item, ItemType, Questionnaire, ScoringRule

BUNDLED_DIR = Path(__file__).parent / "data"


def bundled_path(code: str) -> Path:
    """Path of a questionnaire shipped with the project, e.g. ``national-2024``."""
    path = BUNDLED_DIR / f"{code}.yaml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in BUNDLED_DIR.glob("*.yaml")))
        raise FileNotFoundError(f"no bundled questionnaire {code!r}; bundled: {known}")
    return path


__all__ = [
    "BUNDLED_DIR",
    "AnswerCheck",
    "AnswerProblem",
    "Item",
    "ItemType",
    "Label",
    "Problem",
    "Questionnaire",
    "QuestionnaireError",
    "ScoringRule",
    "bundled_path",
    "check_answers",
    "language_name",
    "load_questionnaire",
    "load_questionnaire_file",
    "validate_questionnaire",
    "visible_items",
]
