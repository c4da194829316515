"""``GET /readyz``: is this instance fit to take traffic?

Three checks, each answered in a few words and never with connection details (a database URL
can hold a password): the database answers, its schema is the one this code ships, and the
scheduler's thread is running (or is switched off on purpose with ``CHASER_SCHEDULER=false``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from store.migrate import current_revisions, head_revisions

log = logging.getLogger(__name__)

CHECK_TIMEOUT = 5.0


@dataclass(frozen=True)
class Check:
    """One readiness check: its name, whether it passed, and a short reason."""

    name: str
    ok: bool
    detail: str


def check_database(engine: Engine) -> Check:
    """The database accepts a connection and answers a trivial query."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as exc:
        log.warning("readiness: the database did not answer: %s", type(exc).__name__)
        return Check("database", False, f"unreachable ({type(exc).__name__})")
    return Check("database", True, "reachable")


def check_migrations(engine: Engine) -> Check:
    """The schema has every migration this code ships, and nothing newer."""
    try:
        current, heads = current_revisions(engine), head_revisions(engine)
    except (SQLAlchemyError, OSError) as exc:
        return Check("migrations", False, f"cannot read the schema version ({type(exc).__name__})")
    if current == heads:
        return Check("migrations", True, "current")
    unknown = current - heads
    if unknown and not heads - current:
        return Check("migrations", False, "the database is newer than this code")
    return Check("migrations", False, "needs `chaser db upgrade`")


def check_scheduler(running: Callable[[], bool] | None) -> Check:
    """The background scheduler is alive; ``None`` means it is switched off for this instance."""
    if running is None:
        return Check("scheduler", True, "off on this instance (CHASER_SCHEDULER=false)")
    if running():
        return Check("scheduler", True, "running")
    return Check("scheduler", False, "not running")


async def readiness(engine: Engine, scheduler_running: Callable[[], bool] | None) -> list[Check]:
    """Run the checks off the event loop; a check that hangs counts as failed."""

    async def bounded(name: str, check: Callable[[Engine], Check]) -> Check:
        try:
            return await asyncio.wait_for(asyncio.to_thread(check, engine), CHECK_TIMEOUT)
        except TimeoutError:
            return Check(name, False, f"no answer within {CHECK_TIMEOUT:g}s")

    database = await bounded("database", check_database)
    if database.ok:
        migrations = await bounded("migrations", check_migrations)
    else:
        migrations = Check("migrations", False, "unknown: the database is unreachable")
    return [database, migrations, check_scheduler(scheduler_running)]
