"""Write a questionnaire back as a YAML file in format 1 (``questionnaires/FORMAT.md``)."""

from __future__ import annotations

import yaml

from questionnaires.schema import Questionnaire


def dump_questionnaire(form: Questionnaire) -> str:
    """The questionnaire as YAML text, leaving out every field at its default;
    :func:`questionnaires.load_questionnaire` reads it back equal."""
    data = form.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
