"""The Teams ActivityHandler: turns Teams activities into calls on the conversation handlers."""

from __future__ import annotations

from botbuilder.core import ActivityHandler

from bot.app import Chaser


class ChaserTeamsBot(ActivityHandler):  # type: ignore[misc]
    """Chaser in Teams: translate, hand to the handlers, render what they answer."""

    def __init__(self, chaser: Chaser) -> None:
        self.chaser = chaser
