"""What a page knows about its logged-in user."""

from __future__ import annotations

from pydantic import BaseModel

from app.models import Role


class PageSession(BaseModel):
    """A live log-in: who, with which role, and the CSRF token of the session."""

    user_id: int
    username: str
    full_name: str | None
    role: Role
    csrf_token: str
    surveyor_id: int | None = None
    """The surveyor (điều tra viên) record of a surveyor account."""

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class Credentials(BaseModel):
    """What a request presents: the session cookie and, for changes, the CSRF token."""

    session_token: str | None
    csrf_token: str | None
    changes: bool
    """Whether the request changes something (not GET/HEAD/OPTIONS): CSRF is checked."""
