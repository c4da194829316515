"""The composition root: settings, engine, sessions and clock are built here and nowhere else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from store.db import make_engine, make_session_factory
from store.migrate import require_current, upgrade

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    """The current instant, timezone-aware."""
    return dt.datetime.now(dt.UTC)


@dataclass
class Chaser:
    """The running application's shared parts."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Clock = field(default=system_clock)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)

    def today(self) -> dt.date:
        """Today's date in the configured zone."""
        return self.clock().astimezone(self.zone).date()


def build(settings: Settings, *, clock: Clock = system_clock, migrate: bool = False) -> Chaser:
    """Build the application; with ``migrate`` the schema is brought up to date first, otherwise
    an unmigrated database is refused with a clear message."""
    engine = make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    else:
        require_current(engine)
    sessions = make_session_factory(engine)
    return Chaser(settings=settings, engine=engine, sessions=sessions, clock=clock)


def is_local(settings: Settings) -> bool:
    """True for a SQLite file: one person's database, not one shared by several instances."""
    return make_url(settings.database_url).get_backend_name() == "sqlite"


def build_for_command(settings: Settings, *, clock: Clock = system_clock) -> Chaser:
    """Build the application for a one-off command.

    A local SQLite file is brought up to date on the spot, so a first run needs no extra step.
    A shared database (PostgreSQL) changes schema only through ``chaser db upgrade``, run once
    as its own step: an outdated one is refused here, as ``chaser serve`` always refuses it.
    """
    return build(settings, clock=clock, migrate=is_local(settings))
