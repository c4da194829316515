"""Building the Slack side: the Bolt AsyncApp, its Web API clients and every listener module."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_bolt.async_app import AsyncApp
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import Chaser
from bot.slack import actions, commands, files, home, messages, oauth, reactions, shortcuts
from bot.slack.context import SlackContext
from bot.slack.notifier import SlackNotifier
from bot.slack.users import SlackUsers
from handlers.conversation import Conversation

log = logging.getLogger(__name__)

RATE_LIMIT_RETRIES = 3
LISTENERS = (messages, reactions, actions, commands, home, files, shortcuts)


@dataclass
class SlackBot:
    """The Bolt app and the context its listeners share."""

    app: AsyncApp
    context: SlackContext


def _secret(value: object) -> str | None:
    get = getattr(value, "get_secret_value", None)
    return str(get()) if get is not None else None


def web_client(base_url: str, token: str | None) -> WebClient:
    """A sync Web API client that waits out 429s (Retry-After) and retries lost connections."""
    return WebClient(
        token=token,
        base_url=base_url,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            ConnectionErrorRetryHandler(),
        ],
    )


def async_web_client(base_url: str, token: str | None) -> AsyncWebClient:
    """The async client Bolt itself uses, with the same retry rules."""
    return AsyncWebClient(
        token=token,
        base_url=base_url,
        retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            AsyncConnectionErrorRetryHandler(),
        ],
    )


def build_slack(chaser: Chaser, *, conversation: Conversation | None = None) -> SlackBot:
    """The Slack app for ``chaser``; fails with a clear message when Slack is half configured."""
    settings = chaser.settings
    settings.require_slack()
    token = _secret(settings.slack_bot_token)
    multi = settings.slack_client_id is not None
    sync_client = web_client(settings.slack_api_url, token)
    oauth_settings = oauth.oauth_settings(settings, chaser.engine) if multi else None
    app = AsyncApp(
        name="chaser",
        signing_secret=_secret(settings.slack_signing_secret) or "",
        client=async_web_client(settings.slack_api_url, None if multi else token),
        oauth_settings=oauth_settings,
        request_verification_enabled=settings.slack_signing_secret is not None,
    )
    conversation = conversation or Conversation(
        chaser.sessions, clock=chaser.clock, zone=chaser.zone
    )
    users = SlackUsers(sync_client, chaser.sessions)
    token_source = None
    if multi:
        store = oauth.installation_store(settings, chaser.engine)
        token_source = lambda: oauth.latest_bot_token(store)  # noqa: E731
    notifier = SlackNotifier(sync_client, chaser.sessions, users, token_source=token_source)
    context = SlackContext(chaser, conversation, notifier, users)
    for module in LISTENERS:
        module.register(app, context)
    return SlackBot(app, context)
