"""schemathesis against the OpenAPI description, on each backend: generated requests
(valid and invalid) to every operation, as an administrator, with every built-in
check. No request may cause a server error or an answer outside the contract.

Bounded to stay near a minute per backend: ``SIPAS_FUZZ_EXAMPLES`` examples per
operation and generation mode (default 4), no shrinking, no example database.

One check is left out: ``positive_data_acceptance`` expects every request valid by the
schema to succeed, but this API answers 422 for requests that are well-formed yet
wrong for the data (answers not matching the campaign's questionnaire, an unknown unit
code), as the house style asks.
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from functools import partial
from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy.orm import Session

from app.auth.models import Role
from tests.api.conftest import make_token
from tests.api.factories import setup_campaign

EXAMPLES = int(os.environ.get("SIPAS_FUZZ_EXAMPLES", "4"))
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


def _named(function: Any) -> Any:
    def test(case: Any) -> None:
        function(case)

    return test


def _fuzz(api: FastAPI, headers: dict[str, str]) -> tuple[list[str], Counter[str]]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", api)
    failures: list[str] = []
    calls: Counter[str] = Counter()

    def check(label: str, mode: GenerationMode, case: Any) -> None:
        calls[label] += 1
        try:
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])
        except BaseException as exc:  # a failed check comes as an exception group
            if isinstance(exc, KeyboardInterrupt):
                raise
            failures.append(f"{label} [{mode.value}]: {exc}"[:1500])

    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]  # an invalid schema raises here
        for mode in MODES:
            run = settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )(
                given(case=operation.as_strategy(generation_mode=mode))(
                    _named(partial(check, operation.label, mode))
                )
            )
            with contextlib.suppress(Unsatisfiable):  # nothing to make invalid
                run()
    return failures, calls


def test_generated_requests_get_answers_within_the_contract(
    api: FastAPI, db: Session, client: Any
) -> None:
    headers = {"Authorization": f"Bearer {make_token(db, 'admin', Role.ADMIN)}"}
    setup_campaign(client, headers)  # something to find: a unit, a form, a campaign
    failures, calls = _fuzz(api, headers)
    assert len(calls) > 50, calls
    assert not failures, f"{len(failures)} failing checks:\n" + "\n\n".join(failures[:40])
