"""Every code of the message catalogue renders to a Vietnamese sentence."""

from __future__ import annotations

import pytest

from app.core.errors import ConflictError, NotFoundError
from app.core.messages import MESSAGES, message, parameters

VIETNAMESE_LETTERS = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


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
