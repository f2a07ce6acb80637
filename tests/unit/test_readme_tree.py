"""The README's folder table names every folder of ``app/`` and nothing that is gone."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _folder_table() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("| folder | what lives there |")
    return text[start : text.index("\n\n", start)]


def _packages(parent: Path) -> set[str]:
    return {p.name for p in parent.iterdir() if (p / "__init__.py").exists()}


def test_every_app_package_is_in_the_readme() -> None:
    table = _folder_table()
    named = set(re.findall(r"`([a-z_]+)/?`", table))
    missing = (_packages(ROOT / "app") | _packages(ROOT / "app" / "pages")) - named
    assert missing == set(), f"README folder table lacks {sorted(missing)}"


def test_every_path_in_the_readme_table_exists() -> None:
    paths = re.findall(
        r"`((?:app|tests|analysis|sampling|questionnaires)/[^`<>]*)`", _folder_table()
    )
    assert paths
    gone = [p for p in paths if not (ROOT / p).exists()]
    assert gone == [], f"README names paths that do not exist: {gone}"
