"""Chaser in Microsoft Teams: every botbuilder-specific line lives in this package.

``add_routes(app, chaser)`` mounts ``POST /api/messages`` on the aiohttp server.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter

from bot.app import Chaser
from bot.teams.adapter import make_adapter, process
from bot.teams.bot import ChaserTeamsBot


@dataclass
class TeamsRuntime:
    """The adapter and bot serving one aiohttp application."""

    adapter: CloudAdapter
    bot: ChaserTeamsBot


TEAMS = web.AppKey("chaser_teams", TeamsRuntime)


def add_routes(app: web.Application, chaser: Chaser) -> None:
    """Mount ``POST /api/messages`` (the Bot Framework messaging endpoint) on ``app``."""
    runtime = TeamsRuntime(adapter=make_adapter(chaser.settings), bot=ChaserTeamsBot(chaser))
    app[TEAMS] = runtime

    async def messages(request: web.Request) -> web.Response:
        return await process(runtime.adapter, request, runtime.bot.on_turn)

    app.router.add_post("/api/messages", messages)
