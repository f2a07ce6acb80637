"""The message catalogue: every code renders to a Vietnamese sentence, every code the
service uses is in it, every entry is used, and every refusal reaches the API and the
error page as its catalogue sentence."""

from __future__ import annotations

import ast
import html
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient

from app.core.errors import AppError, ConflictError, NotFoundError, install_error_handlers
from app.core.messages import MESSAGES, message, parameters
from app.pages.shared.templates import error_page

ROOT = Path(__file__).resolve().parents[2]
VIETNAMESE_LETTERS = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


def _trees(*folders: str) -> list[ast.AST]:
    return [
        ast.parse(path.read_text(encoding="utf-8"))
        for folder in folders
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path != ROOT / "app/core/messages.py"
    ]


def _text(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def error_codes() -> set[str]:
    """Codes given to errors in ``app/``: ``SomeError(error="...")`` or a class's ``error``."""
    codes = set()
    for tree in _trees("app"):
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node).endswith("Error"):
                codes |= {_text(k.value) for k in node.keywords if k.arg == "error"} - {None}
            elif isinstance(node, ast.ClassDef):
                codes |= {
                    _text(line.value)
                    for line in node.body
                    if isinstance(line, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "error" for t in line.targets)
                } - {None}
    return {c for c in codes if c is not None}


def catalogue_calls() -> set[str]:
    """Codes looked up directly: ``message("x")``, ``problem(path, "x")``,
    ``PydanticCustomError("x", ...)``."""
    codes = set()
    position = {"message": 0, "problem": 1, "PydanticCustomError": 0}
    for tree in _trees("app"):
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node) in position:
                index = position[_name(node)]
                if len(node.args) > index and (code := _text(node.args[index])) is not None:
                    codes.add(code)
    return codes


def all_strings(*folders: str) -> set[str]:
    return {
        node.value
        for tree in _trees(*folders)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_code_renders_in_vietnamese(code: str) -> None:
    text = message(code, **dict.fromkeys(parameters(code), "1"))
    assert text.strip()
    assert "{" not in text
    assert set(text.lower()) & VIETNAMESE_LETTERS, f"{code}: {text!r} is not Vietnamese"


def test_an_error_takes_its_sentence_from_the_catalogue() -> None:
    exc = ConflictError(error="conflict")
    assert exc.detail == MESSAGES["conflict"]
    assert NotFoundError().detail == MESSAGES["not_found"]


def test_every_code_used_in_the_service_is_in_the_catalogue() -> None:
    used = error_codes() | catalogue_calls()
    assert len(used) > 80
    assert sorted(used - set(MESSAGES)) == []


def test_every_catalogue_entry_is_used() -> None:
    """Answer-check sentences are keyed by ``AnswerProblem.reason`` (questionnaires/)."""
    used = all_strings("app") | all_strings("questionnaires")
    assert sorted(set(MESSAGES) - used) == []


def test_an_error_can_no_longer_carry_an_english_detail() -> None:
    refusal: Any = ConflictError  # mypy refuses the call below; this checks it at run time
    with pytest.raises(TypeError):
        refusal("Campaign 3 is closed.")


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    def refusal(code: str) -> AppError:
        params: dict[str, Any] = dict.fromkeys(parameters(code), "7")
        exc = AppError(error=code, **params)
        exc.status_code = 409
        return exc

    @app.get("/api/{code}")
    def api(code: str) -> None:
        raise refusal(code)

    @app.get("/page/{code}")
    def page(request: Request, code: str) -> HTMLResponse:
        return error_page(request, refusal(code), back="/")

    return app


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(_app())


@pytest.mark.parametrize("code", sorted(error_codes()))
def test_each_error_code_renders_through_the_api_and_the_error_page(
    client: TestClient, code: str
) -> None:
    sentence = message(code, **dict.fromkeys(parameters(code), "7"))
    body = client.get(f"/api/{code}").json()
    assert body == {"error": code, "detail": sentence, "fields": []}
    page = client.get(f"/page/{code}")
    assert page.status_code == 409
    assert html.escape(sentence) in page.text
    assert "Chi tiết" in page.text
