"""The one HTTP server: Slack at /slack/events, Teams at /api/messages, GET /healthz and
GET /readyz, the scheduler.

Slack runs over HTTP (signed requests) or, when ``SLACK_APP_TOKEN`` is set, over Socket Mode.
Messages the scheduler starts go to a member's Slack DM when they have a Slack id, else Teams.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from dataclasses import dataclass

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from bot import teams
from bot.app import Chaser
from bot.readiness import readiness
from bot.slack import intake
from bot.slack.app import SlackBot, build_slack
from handlers.messages import Outgoing, ToMember, ToPlace
from scheduler.notifier import Notifier, SendError
from scheduler.runner import SchedulerHandle, start_scheduler, stop_scheduler
from store.models import Member

log = logging.getLogger(__name__)

READY = web.AppKey("chaser_ready", bool)
SLACK = web.AppKey("chaser_slack", SlackBot)
SCHEDULERS = web.AppKey("chaser_schedulers", list[SchedulerHandle])


@dataclass
class RoutingNotifier:
    """The scheduler's notifier: each message goes out on the platform its recipient uses."""

    chaser: Chaser
    slack: Notifier | None
    teams: Notifier | None

    def send(self, outgoing: Outgoing) -> None:
        """Deliver on Slack or Teams; raise SendError when neither can reach the recipient."""
        target = self._platform(outgoing)
        notifier = {"slack": self.slack, "teams": self.teams}.get(target)
        if notifier is None:
            raise SendError(f"no {target} connection to deliver this message")
        notifier.send(outgoing)

    def _platform(self, outgoing: Outgoing) -> str:
        if isinstance(outgoing.to, ToPlace):
            return outgoing.to.place.platform
        assert isinstance(outgoing.to, ToMember)
        with self.chaser.sessions() as session:
            member = session.get(Member, outgoing.to.member_id)
            if member is not None and member.slack_user_id and self.slack is not None:
                return "slack"
        return "teams"


def _slack_routes(app: web.Application, slack: SlackBot, signing_secret: str) -> None:
    bolt = slack.app
    verifier = SignatureVerifier(signing_secret)
    backlog = slack.context.backlog

    async def events(request: web.Request) -> web.Response:
        refused = await intake.refusal(request, verifier)
        if refused is not None:
            return refused
        with backlog.request():
            answer = await bolt.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(answer)

    app.router.add_post("/slack/events", events)
    flow = bolt.oauth_flow
    if flow is not None:

        async def install(request: web.Request) -> web.Response:
            bolt_request = await to_bolt_request(request)
            return await to_aiohttp_response(await flow.handle_installation(bolt_request))

        async def redirect(request: web.Request) -> web.Response:
            bolt_request = await to_bolt_request(request)
            return await to_aiohttp_response(await flow.handle_callback(bolt_request))

        app.router.add_get(flow.install_path, install)
        app.router.add_get(flow.redirect_uri_path, redirect)


def _socket_mode(app: web.Application, slack: SlackBot, app_token: str) -> None:
    handlers: list[AsyncSocketModeHandler] = []

    async def connect(_app: web.Application) -> None:
        # the Socket Mode client opens its aiohttp session at once: build it inside the loop
        handler = AsyncSocketModeHandler(slack.app, app_token)
        handlers.append(handler)
        await handler.connect_async()  # type: ignore[no-untyped-call]

    async def close(_app: web.Application) -> None:
        for handler in handlers:
            await handler.close_async()  # type: ignore[no-untyped-call]

    app.on_startup.append(connect)
    app.on_cleanup.append(close)


def _scheduler(app: web.Application, chaser: Chaser, slack: SlackBot | None) -> None:
    notifier = RoutingNotifier(
        chaser, slack.context.notifier if slack else None, teams.notifier_of(app)
    )
    handles: list[SchedulerHandle] = []
    app[SCHEDULERS] = handles

    async def start(_app: web.Application) -> None:
        handles.append(start_scheduler(chaser, notifier))

    async def stop(_app: web.Application) -> None:
        for handle in handles:
            await asyncio.to_thread(stop_scheduler, handle)

    app.on_startup.append(start)
    app.on_cleanup.append(stop)


def _link_slack_users(slack: SlackBot) -> None:
    """Match directory members to Slack users once at start, so reminders find them."""
    context = slack.context
    try:
        context.notifier.bot_token()
        linked = context.users.link_members(force=True)
    except (SlackApiError, OSError) as exc:
        log.warning("could not read the Slack workspace's users yet: %s", exc)
        return
    log.info("linked %d directory members to their Slack accounts", linked)


def build_web_app(
    chaser: Chaser, *, slack: SlackBot | None = None, scheduler: bool | None = None
) -> web.Application:
    """The aiohttp application: Slack (when configured), Teams, health, and the scheduler."""
    app = web.Application()
    app[READY] = False
    settings = chaser.settings
    if slack is None and settings.slack_enabled:
        slack = build_slack(chaser)
    if slack is not None:
        app[SLACK] = slack
        app.on_startup.append(lambda _app: asyncio.to_thread(_link_slack_users, slack))
        app.on_shutdown.append(lambda _app: slack.context.backlog.drain())
        if settings.slack_app_token is not None:
            _socket_mode(app, slack, settings.slack_app_token.get_secret_value())
        if settings.slack_signing_secret is not None:
            _slack_routes(app, slack, settings.slack_signing_secret.get_secret_value())
    teams.add_routes(app, chaser)
    if settings.scheduler_enabled if scheduler is None else scheduler:
        _scheduler(app, chaser, slack)

    async def health(_request: web.Request) -> web.Response:
        ready = app[READY]
        return web.json_response({"ok": ready}, status=200 if ready else 503)

    def scheduler_running() -> bool:
        handles = app[SCHEDULERS]
        return bool(handles) and all(handle.scheduler.running for handle in handles)

    async def ready(_request: web.Request) -> web.Response:
        running = scheduler_running if SCHEDULERS in app else None
        checks = await readiness(chaser.engine, running)
        ok = app[READY] and all(check.ok for check in checks)
        body = {
            "ok": ok,
            "started": app[READY],
            "checks": {check.name: {"ok": check.ok, "detail": check.detail} for check in checks},
        }
        return web.json_response(body, status=200 if ok else 503)

    async def mark_ready(_app: web.Application) -> None:
        app[READY] = True

    app.router.add_get("/healthz", health)
    app.router.add_get("/readyz", ready)
    app.on_startup.append(mark_ready)
    return app


async def start_site(app: web.Application, host: str, port: int) -> tuple[web.AppRunner, int]:
    """Serve ``app`` on host:port (0 picks a free port); returns the runner and the real port."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    # everything built so far lives as long as the server: keep it out of the collector's way,
    # so a full collection under load does not stall acknowledgements
    gc.collect()
    gc.freeze()
    site = web.TCPSite(runner, host, port)
    await site.start()
    server = site._server
    sockets = getattr(server, "sockets", None) or []
    actual = int(sockets[0].getsockname()[1]) if sockets else port
    return runner, actual
