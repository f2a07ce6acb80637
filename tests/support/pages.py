"""Logging in to the server-rendered pages from a TestClient, as a browser would."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

_LOGIN_CSRF = re.compile(r'name="login_csrf" value="([^"]+)"')
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def log_in(client: TestClient, area: str, username: str, password: str) -> str:
    """Log in at ``/<area>/login``; return the session's CSRF token."""
    form = client.get(f"/{area}/login")
    assert form.status_code == 200, form.text
    match = _LOGIN_CSRF.search(form.text)
    assert match is not None
    done = client.post(
        f"/{area}/login",
        data={"username": username, "password": password, "login_csrf": match.group(1)},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    home = client.get(done.headers["location"])
    assert home.status_code == 200, home.text
    token = _CSRF.search(home.text)
    assert token is not None
    return token.group(1)
