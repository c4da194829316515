"""Chaser in Microsoft Teams: every botbuilder-specific line lives in this package.

``add_routes(app, chaser)`` mounts ``POST /api/messages`` on the aiohttp server;
``notifier_of(app)`` is the scheduler's Teams notifier once the routes are added.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter

from bot.app import Chaser
from bot.teams.adapter import make_adapter, process
from bot.teams.files import ROUTE, FileShelf
from bot.teams.notifier import TeamsNotifier

if TYPE_CHECKING:
    from bot.teams.bot import ChaserTeamsBot


@dataclass
class TeamsRuntime:
    """The adapter, bot and notifier serving one aiohttp application."""

    adapter: CloudAdapter
    bot: ChaserTeamsBot
    notifier: TeamsNotifier


TEAMS = web.AppKey("chaser_teams", TeamsRuntime)


def build_runtime(chaser: Chaser) -> TeamsRuntime:
    """The Teams adapter, notifier and bot for one running application."""
    from bot.teams.bot import ChaserTeamsBot  # the handlers load with the bot, not the package

    adapter = make_adapter(chaser.settings)
    notifier = TeamsNotifier(adapter=adapter, chaser=chaser, files=FileShelf(chaser.clock))
    return TeamsRuntime(adapter=adapter, bot=ChaserTeamsBot(chaser, notifier), notifier=notifier)


def add_routes(app: web.Application, chaser: Chaser) -> None:
    """Mount ``POST /api/messages`` (the Bot Framework messaging endpoint) on ``app``."""
    runtime = build_runtime(chaser)
    app[TEAMS] = runtime
    tenant = chaser.settings.teams_tenant_id

    async def messages(request: web.Request) -> web.Response:
        return await process(runtime.adapter, request, runtime.bot.on_turn, tenant=tenant)

    async def started(_app: web.Application) -> None:
        runtime.notifier.loop = asyncio.get_running_loop()

    app.on_startup.append(started)
    app.router.add_post("/api/messages", messages)
    if runtime.notifier.files is not None:
        app.router.add_get(ROUTE, runtime.notifier.files.download)


def notifier_of(app: web.Application) -> TeamsNotifier:
    """The Teams notifier of an application built with :func:`add_routes`."""
    return app[TEAMS].notifier
