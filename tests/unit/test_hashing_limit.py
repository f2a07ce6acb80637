"""At most a few argon2 hashes run at once, whatever the number of log-ins."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from app.core import security


class _CountingHasher:
    """Stands in for argon2: records how many hashes run at the same time."""

    def __init__(self) -> None:
        self.running = 0
        self.most = 0
        self._lock = threading.Lock()

    def _work(self) -> None:
        with self._lock:
            self.running += 1
            self.most = max(self.most, self.running)
        time.sleep(0.05)
        with self._lock:
            self.running -= 1

    def verify(self, _hash: str, _password: str) -> bool:
        self._work()
        return False

    def hash(self, _password: str) -> str:
        self._work()
        return "hash"


@pytest.fixture
def hasher(monkeypatch: pytest.MonkeyPatch) -> Iterator[_CountingHasher]:
    counting = _CountingHasher()
    monkeypatch.setattr(security, "_hasher", counting)
    before = security.hash_limit()
    yield counting
    security.limit_hashing(before)


@pytest.mark.parametrize("limit", [1, 3])
def test_concurrent_hashing_is_bounded(hasher: _CountingHasher, limit: int) -> None:
    security.limit_hashing(limit)
    threads = [
        threading.Thread(target=security.verify_password, args=("stored", "guess"))
        for _ in range(12)
    ] + [threading.Thread(target=security.hash_password, args=("new",)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert hasher.most == limit
