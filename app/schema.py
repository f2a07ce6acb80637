"""The whole database schema: every domain's ``models`` module, loaded for Alembic and
the tests (the running app loads them through its routers)."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from sqlalchemy import MetaData

import app
from app.core.db import Base


def load_models() -> MetaData:
    """Import ``app.<domain>.models`` for every domain and return the metadata."""
    for module in pkgutil.iter_modules(app.__path__):
        if (Path(app.__path__[0]) / module.name / "models.py").exists():
            importlib.import_module(f"app.{module.name}.models")
    return Base.metadata
