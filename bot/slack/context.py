"""What every Slack listener shares: the conversation, the way out, the users, the clock."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ParamSpec

from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import IntegrityError

from bot.app import Chaser
from bot.slack import inbound
from bot.slack.backlog import Backlog
from bot.slack.notifier import Posted, SlackNotifier
from bot.slack.users import SlackUsers
from handlers.conversation import Conversation
from handlers.messages import Incoming, Outgoing, ToPlace
from scheduler.notifier import SendError

log = logging.getLogger(__name__)
P = ParamSpec("P")


@dataclass
class SlackContext:
    """The parts a listener needs; listeners translate and deliver, the conversation decides."""

    chaser: Chaser
    conversation: Conversation
    notifier: SlackNotifier
    users: SlackUsers
    bot_user_id: str | None = None
    backlog: Backlog = field(default_factory=Backlog)

    async def work(self, fn: Callable[P, object], *args: P.args, **kwargs: P.kwargs) -> None:
        """Run slow, blocking work (database, Web API calls) after the acknowledgements."""
        await self.backlog.run(fn, *args, **kwargs)

    def incoming(self, event: dict[str, Any], text: str, key: str) -> Incoming:
        """A Slack message event as an Incoming: plain text, the speaker, its place."""
        user = str(event.get("user") or event.get("user_id") or "")
        plain = inbound.translate(
            text,
            sessions=self.chaser.sessions,
            bot_user_id=self.bot_user_id,
            slack_name=self.users.name_of,
        )
        speaker = inbound.speaker_of(user, self.users.member_for(user), self.users.name_of(user))
        place = inbound.place_of(
            str(event.get("channel") or event.get("channel_id") or ""),
            event.get("ts"),
            event.get("thread_ts"),
            event.get("channel_type"),
        )
        return Incoming(plain, speaker, place, self.chaser.clock(), event_key=key)

    def say(self, incoming: Incoming) -> list[Posted]:
        """Hand one Incoming to the conversation and deliver what it answers."""
        self.users.link_members()
        try:
            answers = self.conversation.handle(incoming)
        except IntegrityError:
            # two deliveries of one message (its @mention and plain twins) raced to capture the
            # same lines: the loser's transaction was rolled back whole, and handling it once
            # more finds the lines captured and changes nothing
            log.info("a concurrent delivery won a race; handling this one again")
            answers = self.conversation.handle(incoming)
        return self.deliver(answers)

    def deliver(self, outgoings: Sequence[Outgoing]) -> list[Posted]:
        """Post every answer; a refused one is logged and the rest still go."""
        posted: list[Posted] = []
        for outgoing in outgoings:
            try:
                done = self.notifier.deliver(outgoing)
            except (SendError, SlackApiError) as exc:
                where = "a member" if not isinstance(outgoing.to, ToPlace) else "a channel"
                log.warning("could not deliver a message to %s: %s", where, exc)
                continue
            if done is not None:
                posted.append(done)
        return posted
