"""Alembic driven from code: upgrade to the newest schema, tell whether a database is current."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


class NotMigratedError(RuntimeError):
    """The database schema is older than this version of Chaser."""


def alembic_config(engine: Engine) -> Config:
    """An Alembic config bound to ``engine`` (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Bring the schema up to ``revision`` (all heads by default)."""
    command.upgrade(alembic_config(engine), revision)


def current_revisions(engine: Engine) -> set[str]:
    """Revisions the database is at (empty for a new database)."""
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def head_revisions(engine: Engine) -> set[str]:
    """Revisions this code expects."""
    return set(ScriptDirectory.from_config(alembic_config(engine)).get_heads())


def is_current(engine: Engine) -> bool:
    """True when the database has every migration this code ships."""
    return current_revisions(engine) == head_revisions(engine)


def require_current(engine: Engine) -> None:
    """Refuse to run against a database that has not been migrated."""
    if not is_current(engine):
        raise NotMigratedError(
            "the database is not up to date with this version of Chaser; run `chaser db upgrade`"
        )
