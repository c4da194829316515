"""Multi-workspace installs: slack_sdk's SQLAlchemy installation and state stores in our database.

The stores are synchronous; the async app gets thin wrappers that run them in a worker thread.
"""

from __future__ import annotations

import asyncio
from typing import Any

from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, desc, select

from bot.settings import Settings

BOT_SCOPES = (
    "app_mentions:read",
    "channels:history",
    "groups:history",
    "im:history",
    "mpim:history",
    "chat:write",
    "commands",
    "files:read",
    "files:write",
    "im:write",
    "reactions:read",
    "users:read",
    "users:read.email",
)


class ThreadedInstallationStore(AsyncInstallationStore):
    """An async face on a synchronous installation store."""

    def __init__(self, store: SQLAlchemyInstallationStore) -> None:
        self.store = store

    async def async_save(self, installation: Installation) -> None:
        await asyncio.to_thread(self.store.save, installation)

    async def async_save_bot(self, bot: Bot) -> None:
        await asyncio.to_thread(self.store.save_bot, bot)

    async def async_find_bot(self, **kwargs: Any) -> Bot | None:
        found: Bot | None = await asyncio.to_thread(lambda: self.store.find_bot(**kwargs))
        return found

    async def async_find_installation(self, **kwargs: Any) -> Installation | None:
        found: Installation | None = await asyncio.to_thread(
            lambda: self.store.find_installation(**kwargs)
        )
        return found

    async def async_delete_bot(self, **kwargs: Any) -> None:
        await asyncio.to_thread(lambda: self.store.delete_bot(**kwargs))

    async def async_delete_installation(self, **kwargs: Any) -> None:
        await asyncio.to_thread(lambda: self.store.delete_installation(**kwargs))


class ThreadedStateStore(AsyncOAuthStateStore):
    """An async face on a synchronous OAuth state store."""

    def __init__(self, store: SQLAlchemyOAuthStateStore) -> None:
        self.store = store

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        issued: str = await asyncio.to_thread(self.store.issue)
        return issued

    async def async_consume(self, state: str) -> bool:
        consumed: bool = await asyncio.to_thread(self.store.consume, state)
        return consumed


def installation_store(settings: Settings, engine: Engine) -> SQLAlchemyInstallationStore:
    """The installation store (its tables created when missing)."""
    assert settings.slack_client_id is not None
    store = SQLAlchemyInstallationStore(client_id=settings.slack_client_id, engine=engine)
    store.create_tables()  # type: ignore[no-untyped-call]
    return store


def oauth_settings(settings: Settings, engine: Engine) -> AsyncOAuthSettings:
    """Bolt's OAuth flow settings with both stores in Chaser's database."""
    assert settings.slack_client_id is not None and settings.slack_client_secret is not None
    state = SQLAlchemyOAuthStateStore(expiration_seconds=600, engine=engine)
    state.create_tables()  # type: ignore[no-untyped-call]
    return AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=list(BOT_SCOPES),
        installation_store=ThreadedInstallationStore(installation_store(settings, engine)),
        state_store=ThreadedStateStore(state),
    )


def latest_bot_token(store: SQLAlchemyInstallationStore) -> str | None:
    """The bot token of the workspace Chaser was installed in (for messages it starts itself)."""
    c = store.bots.c
    query = (
        select(c.bot_token)
        .where(c.client_id == store.client_id, c.bot_token.is_not(None))
        .order_by(desc(c.installed_at))
        .limit(1)
    )
    with store.engine.connect() as conn:
        token = conn.scalar(query)
    return str(token) if token else None
