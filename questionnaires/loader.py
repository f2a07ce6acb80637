"""Load a questionnaire file and report every problem in it at once.

A questionnaire is checked in two passes over the same parsed YAML: the
Pydantic schema (:mod:`questionnaires.schema`) checks each part's shape, and
:func:`_cross_check` checks what relates parts to each other (unique codes,
criteria without sub-index, conditions on unknown or later items, reused
option codes). Both passes always run, so the author sees the whole list,
each problem with its path in the file (``blocks[2].items[5].show_if.item``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from questionnaires.labels import DEFAULT_LANGUAGE, LANGUAGE_CONTEXT
from questionnaires.problems import CODES, Problem, problem
from questionnaires.schema import CHOICE_TYPES, Questionnaire


class QuestionnaireError(ValueError):
    """A questionnaire file that cannot be used, with every problem found."""

    def __init__(self, problems: list[Problem], source: str = "questionnaire") -> None:
        self.problems = problems
        self.source = source
        listed = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: {len(problems)} problem(s)\n{listed}")


def load_questionnaire_file(path: str | Path) -> Questionnaire:
    """Read and validate a questionnaire YAML file."""
    file = Path(path)
    return load_questionnaire(file.read_text(encoding="utf-8"), source=file.name)


def load_questionnaire(text: str | bytes, source: str = "questionnaire") -> Questionnaire:
    """Parse and validate questionnaire YAML text.

    Raises
    ------
    QuestionnaireError
        With every problem found, each with its path in the file.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise QuestionnaireError(
                [problem("", "questionnaire_not_utf8", byte=exc.start + 1)], source
            ) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        found = (
            problem("", "questionnaire_bad_yaml", line=mark.line + 1, column=mark.column + 1)
            if mark
            else problem("", "questionnaire_bad_yaml_somewhere")
        )
        raise QuestionnaireError([found], source) from exc
    return validate_questionnaire(data, source)


def validate_questionnaire(data: Any, source: str = "questionnaire") -> Questionnaire:
    """Validate an already parsed questionnaire (e.g. JSON stored in the database)."""
    if not isinstance(data, Mapping):
        raise QuestionnaireError([problem("", "questionnaire_not_a_mapping")], source)
    problems: list[Problem] = []
    questionnaire: Questionnaire | None = None
    language = data.get("language")
    context = {LANGUAGE_CONTEXT: language if isinstance(language, str) else DEFAULT_LANGUAGE}
    try:
        questionnaire = Questionnaire.model_validate(data, context=context)
    except ValidationError as exc:
        problems.extend(_schema_problem(err) for err in exc.errors(include_url=False))
    problems.extend(_cross_check(data))
    if questionnaire is not None:
        problems.extend(_language_problems(questionnaire))
    if problems or questionnaire is None:
        raise QuestionnaireError(_unique(problems), source)
    return questionnaire


def _schema_problem(error: Mapping[str, Any]) -> Problem:
    """A Pydantic error as a problem. A schema validator's
    :func:`~questionnaires.problems.refusal` keeps its code and parameters; Pydantic's
    own types (``missing``, ``enum``, ...) are the code, with the error's context and
    ``field``, the path's last name, as parameters."""
    path = _format_loc(error["loc"])
    code = str(error["type"])
    params = dict(error.get("ctx") or {})
    if code not in CODES:
        params["field"] = path.rsplit(".", 1)[-1]
    return problem(path, code, **params)


def _format_loc(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part.startswith(("function-", "list[")) or part in {
            "str",
            "int",
            "float",
            "Condition",
        }:
            continue  # union-member names Pydantic adds to the location
        else:
            path += f".{part}" if path else part
    return path


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _as_map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _code(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    return str(value)


def _items(data: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any], Mapping[str, Any]]]:
    """(path, block, item) for every well-shaped item, in form order."""
    for b, block in enumerate(_as_list(data.get("blocks"))):
        for i, item in enumerate(_as_list(_as_map(block).get("items"))):
            if isinstance(item, Mapping):
                yield f"blocks[{b}].items[{i}]", _as_map(block), item


def _option_codes(options: Any, path: str, problems: list[Problem]) -> list[str]:
    codes: list[str] = []
    for o, option in enumerate(_as_list(options)):
        code = _code(_as_map(option).get("code"))
        if code is None:
            continue
        if code in codes:
            problems.append(
                problem(f"{path}[{o}].code", "questionnaire_option_code_twice", code=code)
            )
        codes.append(code)
    return codes


def _cross_check(data: Mapping[str, Any]) -> list[Problem]:
    problems: list[Problem] = []

    halves = {_code(_as_map(h).get("code")) for h in _as_list(data.get("halves"))}
    subindex_codes: list[str] = []
    for s, subindex in enumerate(_as_list(data.get("subindices"))):
        code = _code(_as_map(subindex).get("code"))
        if code is None:
            continue
        if code in subindex_codes:
            problems.append(
                problem(f"subindices[{s}].code", "questionnaire_subindex_twice", code=code)
            )
        subindex_codes.append(code)
        half = _code(_as_map(subindex).get("half"))
        if half is not None and half not in halves:
            problems.append(
                problem(f"subindices[{s}].half", "questionnaire_half_unknown", half=half)
            )

    option_sets = {
        name: _option_codes(options, f"option_sets.{name}", problems)
        for name, options in _as_map(data.get("option_sets")).items()
    }

    block_codes: set[str] = set()
    for b, block in enumerate(_as_list(data.get("blocks"))):
        code = _code(_as_map(block).get("code"))
        if code is not None and code in block_codes:
            problems.append(
                problem(f"blocks[{b}].code", "questionnaire_block_code_twice", code=code)
            )
        block_codes.add(code or "")

    seen: dict[str, Mapping[str, Any]] = {}
    later = {_code(item.get("code")) for _, _, item in _items(data)}
    criterion_numbers: dict[int, str] = {}
    used_subindices: set[str] = set()
    for path, block, item in _items(data):
        code = _code(item.get("code"))
        item_type = item.get("type")
        if code is not None and code in seen:
            problems.append(problem(f"{path}.code", "questionnaire_item_code_twice", code=code))

        options = item.get("options")
        if isinstance(options, str):
            if options not in option_sets:
                problems.append(
                    problem(f"{path}.options", "questionnaire_option_set_unknown", name=options)
                )
        elif options is not None:
            _option_codes(options, f"{path}.options", problems)

        subindex = _code(item.get("subindex"))
        if subindex is not None:
            used_subindices.add(subindex)
            if subindex not in subindex_codes:
                problems.append(
                    problem(f"{path}.subindex", "questionnaire_subindex_unknown", subindex=subindex)
                )
        elif block.get("kind") == "satisfaction" and item_type == "likert5":
            problems.append(
                problem(f"{path}.subindex", "questionnaire_criterion_without_subindex", item=code)
            )
        number = item.get("number")
        if subindex is not None and isinstance(number, int):
            if number in criterion_numbers:
                problems.append(
                    problem(
                        f"{path}.number",
                        "questionnaire_criterion_number_twice",
                        number=number,
                        other=criterion_numbers[number],
                    )
                )
            criterion_numbers[number] = code or ""

        show_if = item.get("show_if")
        conditions = show_if if isinstance(show_if, list) else [show_if] if show_if else []
        for c, condition in enumerate(conditions):
            where = f"{path}.show_if" + (f"[{c}]" if isinstance(show_if, list) else "")
            target = _code(_as_map(condition).get("item"))
            if target is None:
                continue
            if target == code:
                problems.append(
                    problem(f"{where}.item", "questionnaire_condition_on_itself", item=code)
                )
            elif target in seen:
                _check_condition_values(seen[target], condition, option_sets, where, problems)
            elif target in later:
                problems.append(
                    problem(
                        f"{where}.item",
                        "questionnaire_condition_on_later",
                        target=target,
                        item=code,
                    )
                )
            else:
                problems.append(
                    problem(f"{where}.item", "questionnaire_condition_on_unknown", target=target)
                )
        if code is not None:
            seen.setdefault(code, item)

    for s, subindex in enumerate(_as_list(data.get("subindices"))):
        code = _code(_as_map(subindex).get("code"))
        if code is not None and code not in used_subindices:
            problems.append(
                problem(f"subindices[{s}]", "questionnaire_subindex_without_criteria", code=code)
            )
    return problems


def _language_problems(form: Questionnaire) -> list[Problem]:
    """An explicit ``languages`` list must hold the default language and every
    language a text is written in (a typo such as ``eng`` would hide a translation)."""
    if form.languages is None:
        return []
    problems: list[Problem] = []
    if form.language not in form.languages:
        problems.append(
            problem("languages", "questionnaire_default_language_unlisted", language=form.language)
        )
    for path, label in form.labels():
        problems.extend(
            problem(path, "questionnaire_language_unlisted", language=tag)
            for tag in label.translations
            if tag not in form.languages
        )
    return problems


def _check_condition_values(
    target: Mapping[str, Any],
    condition: Any,
    option_sets: Mapping[str, list[str]],
    where: str,
    problems: list[Problem],
) -> None:
    """A condition's values must be answers the target item can have."""
    item_type = target.get("type")
    if item_type == "likert5":
        allowed = [str(i) for i in range(1, 6)]
    elif item_type == "expectation3":
        allowed = [str(i) for i in range(1, 4)]
    elif item_type in {t.value for t in CHOICE_TYPES}:
        options = target.get("options")
        allowed = (
            option_sets.get(options, [])
            if isinstance(options, str)
            else [c for o in _as_list(options) if (c := _code(_as_map(o).get("code")))]
        )
    else:
        return
    for value in _as_list(_as_map(condition).get("in")):
        if _code(value) not in allowed:
            problems.append(
                problem(
                    f"{where}.in",
                    "questionnaire_condition_value",
                    value=value,
                    target=_code(target.get("code")),
                )
            )
