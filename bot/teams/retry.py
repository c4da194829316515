"""Retry transient Bot Framework connector failures (429 and 5xx) with backoff and jitter."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from msrest.exceptions import HttpOperationError

log = logging.getLogger(__name__)

T = TypeVar("T")
TRANSIENT = frozenset({429, 500, 502, 503, 504})


def status_of(exc: BaseException) -> int | None:
    """The HTTP status a connector error carries, when it carries one."""
    if not isinstance(exc, HttpOperationError):
        return None
    response: Any = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    return int(status) if isinstance(status, int) else None


def _retry_after(exc: BaseException) -> float | None:
    response: Any = getattr(exc, "response", None)
    headers: Any = getattr(response, "headers", None) or {}
    value = headers.get("Retry-After") if hasattr(headers, "get") else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


@dataclass
class Backoff:
    """How to retry: attempts in all, exponential base and cap in seconds, full jitter."""

    attempts: int = 4
    base: float = 0.5
    cap: float = 8.0
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    jitter: Callable[[], float] = field(default=random.random)

    def delay(self, attempt: int, exc: BaseException) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based): Retry-After wins."""
        told = _retry_after(exc)
        if told is not None:
            return min(told, self.cap)
        ceiling = min(self.cap, self.base * 2.0 ** (attempt - 1))
        return float(ceiling * (0.5 + self.jitter() / 2))


async def retrying(call: Callable[[], Awaitable[T]], backoff: Backoff, what: str) -> T:
    """Run ``call``; on a 429/5xx from the connector wait and try again, up to the attempts."""
    for attempt in range(1, backoff.attempts + 1):
        try:
            return await call()
        except HttpOperationError as exc:
            status = status_of(exc)
            if status not in TRANSIENT or attempt == backoff.attempts:
                raise
            wait = backoff.delay(attempt, exc)
            log.warning("Teams %s got %s; retry %d in %.2fs", what, status, attempt, wait)
            await backoff.sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover
