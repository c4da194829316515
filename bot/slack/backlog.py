"""Slow work after the acknowledgement, yielding to requests still arriving.

Slack wants every request acknowledged within three seconds and retries the ones that are not.
So the database and Web API work an event causes runs after the ack, in worker threads, a few at
a time, and only once requests have paused for ``quiet`` seconds (or it has waited ``max_defer``):
under a burst, acknowledgements come first and the work catches up straight after. One event
loop serves every request, so "a request arrived recently" is the signal, not "one is open".
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import ParamSpec

P = ParamSpec("P")


@dataclass
class Backlog:
    """Runs blocking work in worker threads when inbound requests pause (or it waited enough)."""

    workers: int = 4
    quiet: float = 0.05
    max_defer: float = 15.0
    pending: int = 0
    _last_request: float = -1e9
    _slots: asyncio.Semaphore | None = field(default=None, repr=False)

    @contextmanager
    def request(self) -> Iterator[None]:
        """Mark an inbound request (acknowledging it comes before any queued work)."""
        self._last_request = asyncio.get_running_loop().time()
        try:
            yield
        finally:
            self._last_request = asyncio.get_running_loop().time()

    async def run(self, fn: Callable[P, object], *args: P.args, **kwargs: P.kwargs) -> None:
        """Run ``fn`` in a worker thread once requests pause; counted in ``pending``."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers)
        loop = asyncio.get_running_loop()
        queued = loop.time()
        self.pending += 1
        try:
            async with self._slots:
                while True:
                    now = loop.time()
                    calm = now - self._last_request
                    if calm >= self.quiet or now - queued >= self.max_defer:
                        break
                    await asyncio.sleep(self.quiet - calm)
                await asyncio.to_thread(fn, *args, **kwargs)
        finally:
            self.pending -= 1

    async def drain(self, timeout: float = 10.0) -> None:
        """Wait (a bounded time) for queued and running work, e.g. before shutting down."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self.pending and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)
