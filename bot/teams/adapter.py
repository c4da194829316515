"""The Bot Framework adapter and the ``POST /api/messages`` route that feeds it.

The route authenticates the request itself (so a bad token is a clean 401, never a 500), runs
the turn through ``CloudAdapter.process_activity`` and writes any invoke response (card
submissions) back itself: botbuilder 4.17.1's ``CloudAdapter.process`` answers those with 500.
"""

from __future__ import annotations

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
from botbuilder.schema import Activity, ActivityTypes
from msrest.exceptions import HttpOperationError

from bot.settings import Settings
from bot.teams.files import BASE_URL, base_url_of
from bot.teams.intake import activity_problem
from bot.teams.references import tenant_of

log = logging.getLogger(__name__)

TurnLogic = Callable[[TurnContext], Awaitable[None]]
APOLOGY = "Sorry, something went wrong on my side and nothing was saved. Please try again shortly."


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
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(config))
    adapter.on_turn_error = apologise
    return adapter


async def apologise(context: TurnContext, error: Exception) -> None:
    """A failed turn on someone's message: tell them briefly, then let the error surface (500).

    Bot Framework retries a failed delivery; the handlers' transaction was rolled back, so the
    retry starts clean. Proactive turns (chases) are not apologised for: the sender reports them.
    """
    if context.activity.type == ActivityTypes.message and not context.responded:
        sorry = Activity(type=ActivityTypes.message, text=APOLOGY)
        try:
            await context.send_activity(sorry)
        except HttpOperationError as exc:
            log.error("could not apologise in Teams either: %s", exc)
    raise error


async def _read_activity(request: web.Request) -> Activity | web.Response:
    if "application/json" not in request.headers.get("Content-Type", ""):
        return web.Response(status=415, text="expected application/json")
    try:
        body = await request.json()
    except (ValueError, LookupError, RecursionError):  # not JSON, not in its charset, too deep
        return web.Response(status=400, text="body is not JSON")
    if not isinstance(body, dict):
        return web.Response(status=400, text="body is not an activity")
    problem = activity_problem(body)
    if problem is not None:
        return web.Response(status=400, text=problem)
    try:
        activity: Activity = Activity().deserialize(body)
    except ValueError as exc:  # msrest's DeserializationError: a field of the wrong type
        return web.Response(status=400, text=f"activity is malformed: {type(exc).__name__}")
    return activity


async def _authenticate(adapter: CloudAdapter, activity: Activity, header: str) -> Any:
    """The AuthenticateRequestResult, or None when the request must be refused."""
    try:
        return await adapter.bot_framework_authentication.authenticate_request(activity, header)
    except (PermissionError, jwt.PyJWTError) as exc:
        log.warning("refused a Teams request: %s", type(exc).__name__)
    except Exception as exc:  # fail closed: a token that cannot be checked is not accepted
        # botbuilder raises bare Exceptions (unknown signing key, endorsements) and network
        # errors while fetching Microsoft's signing keys; none of them may let a request in
        log.warning("refused a Teams request whose token could not be checked: %r", exc)
    return None


async def process(
    adapter: CloudAdapter,
    request: web.Request,
    logic: TurnLogic,
    *,
    tenant: str | None = None,
) -> web.Response:
    """Authenticate one inbound activity, run the turn and answer the HTTP request.

    With ``tenant`` (MicrosoftAppTenantId) set, activities from any other tenant get 403.
    """
    activity = await _read_activity(request)
    if isinstance(activity, web.Response):
        return activity
    auth = await _authenticate(adapter, activity, request.headers.get("Authorization", ""))
    if auth is None:
        return web.Response(status=401, text="unauthorized")
    if tenant and tenant_of(activity) != tenant:
        log.warning("refused a Teams activity from another tenant")
        return web.Response(status=403, text="this Chaser serves another Microsoft 365 tenant")
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
