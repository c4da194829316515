"""The Bot Framework adapter and the ``POST /api/messages`` route that feeds it.

The route authenticates the request itself (so a bad token is a clean 401, never a 500), runs
the turn through ``CloudAdapter.process_activity`` and writes any invoke response (card
submissions) back itself: botbuilder 4.17.1's ``CloudAdapter.process`` answers those with 500.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import jwt
from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity

from bot.settings import Settings
from bot.teams.files import BASE_URL, base_url_of

log = logging.getLogger(__name__)

TurnLogic = Callable[[TurnContext], Awaitable[None]]


@dataclass(frozen=True)
class _AuthConfig:
    """The attribute names botbuilder's configuration classes read."""

    APP_ID: str | None
    APP_PASSWORD: str | None
    APP_TYPE: str
    APP_TENANTID: str | None


def is_local_mode(settings: Settings) -> bool:
    """True when no app id is configured: requests are not authenticated (trying it out only)."""
    return not settings.teams_app_id


def make_adapter(settings: Settings) -> CloudAdapter:
    """A CloudAdapter configured from the settings; warns loudly when running unauthenticated."""
    settings.require_teams()
    password = settings.teams_app_password
    config = _AuthConfig(
        APP_ID=settings.teams_app_id or None,
        APP_PASSWORD=password.get_secret_value() if password is not None else None,
        APP_TYPE=settings.teams_app_type,
        APP_TENANTID=settings.teams_tenant_id,
    )
    if is_local_mode(settings):
        log.warning(
            "TEAMS LOCAL MODE: MicrosoftAppId is not set, so /api/messages accepts "
            "UNAUTHENTICATED requests. Use this only to try Chaser out; set MicrosoftAppId and "
            "MicrosoftAppPassword before exposing the server."
        )
    return CloudAdapter(ConfigurationBotFrameworkAuthentication(config))


async def process(adapter: CloudAdapter, request: web.Request, logic: TurnLogic) -> web.Response:
    """Authenticate one inbound activity, run the turn and answer the HTTP request."""
    if "application/json" not in request.headers.get("Content-Type", ""):
        return web.Response(status=415, text="expected application/json")
    try:
        body = await request.json()
    except json.JSONDecodeError:
        return web.Response(status=400, text="body is not JSON")
    if not isinstance(body, dict):
        return web.Response(status=400, text="body is not an activity")
    activity = Activity().deserialize(body)
    if not activity.type:
        return web.Response(status=400, text="activity has no type")
    auth_header = request.headers.get("Authorization", "")
    try:
        auth = await adapter.bot_framework_authentication.authenticate_request(
            activity, auth_header
        )
    except (PermissionError, jwt.PyJWTError) as exc:
        log.warning("refused a Teams request: %s", type(exc).__name__)
        return web.Response(status=401, text="unauthorized")
    except Exception as exc:  # fail closed: a token that cannot be checked is not accepted
        # botbuilder raises bare Exceptions (unknown signing key, endorsements) and network
        # errors while fetching Microsoft's signing keys; none of them may let a request in
        log.warning("refused a Teams request whose token could not be checked: %r", exc)
        return web.Response(status=401, text="unauthorized")
    BASE_URL.set(base_url_of(request))
    invoke_response = await adapter.process_activity(auth, activity, logic)
    if invoke_response is None:
        return web.Response(status=201)
    return _invoke_json(invoke_response.status, invoke_response.body)


def _invoke_json(status: int | None, body: Any) -> web.Response:
    if body is None:
        return web.Response(status=status or 200)
    if hasattr(body, "serialize"):
        body = body.serialize()
    return web.json_response(body, status=status or 200)
