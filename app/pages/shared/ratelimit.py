"""Refusing clients that fail too often: guessed personal links and passwords.

In memory and per process: with several uvicorn workers each keeps its own count,
so the effective limit is multiplied by the number of workers. Behind a reverse
proxy, run uvicorn with ``--proxy-headers`` so that the client address is the
citizen's, not the proxy's.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from app.core.errors import AppError


class FailureLimiter:
    """At most ``max_failures`` failures per client within ``window`` seconds.

    While a client is over the limit every request of the kind is refused, the
    right ones too, so that a lucky guess cannot be told from a wrong one.
    """

    def __init__(
        self,
        max_failures: int,
        window: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window = window
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float] | None:
        times = self._failures.get(key)
        if times is None:
            return None
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[key]
            return None
        return times

    def blocked(self, key: str) -> bool:
        with self._lock:
            times = self._recent(key, self._clock())
            return times is not None and len(times) >= self.max_failures

    def failed(self, key: str) -> None:
        with self._lock:
            now = self._clock()
            if len(self._failures) > 10_000:
                for other in list(self._failures):
                    self._recent(other, now)
            self._failures.setdefault(key, deque()).append(now)


class TooManyFailuresError(AppError):
    status_code = 429
    error = "too_many_attempts"
