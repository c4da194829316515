"""Delivering neutral :class:`Outgoing` messages to Slack: threads, DMs, cards, files.

:class:`SlackNotifier` is the scheduler's ``Notifier`` for Slack and the listeners' way out. It is
synchronous (a ``WebClient`` with the rate-limit retry handler), so listeners run it in a worker
thread after the acknowledgement and the scheduler calls it from its own threads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.slack import render
from bot.slack.users import SlackUsers
from handlers.messages import Message, Outgoing, Place, ToMember
from scheduler.notifier import SendError
from store.models import ConversationRef

log = logging.getLogger(__name__)

Respond = Callable[[Message], None]


@dataclass(frozen=True)
class Posted:
    """Where a message landed."""

    channel: str
    ts: str | None


@dataclass
class SlackNotifier:
    """Posts messages to threads and direct messages, remembering DM channels and card messages."""

    client: WebClient
    sessions: sessionmaker[Session]
    users: SlackUsers
    # multi-workspace installs: where the current bot token comes from (None: the client's own)
    token_source: Callable[[], str | None] | None = None

    def bot_token(self) -> str | None:
        """The bot token to call Slack with now."""
        if self.token_source is not None:
            self.client.token = self.token_source() or self.client.token
        return self.client.token

    def send(self, outgoing: Outgoing) -> None:
        """Deliver one message (the scheduler's port); raises SendError when Slack refused it."""
        self.deliver(outgoing)

    def deliver(self, outgoing: Outgoing, *, thread: str | None = None) -> Posted | None:
        """Post ``outgoing`` where it is addressed; None when nothing needed posting."""
        self.bot_token()
        try:
            if isinstance(outgoing.to, ToMember):
                channel = self.dm_channel(outgoing.to.member_id)
                member_id: int | None = outgoing.to.member_id
            else:
                channel, thread = self._place(outgoing.to.place, thread)
                member_id = None
            return self._post(channel, thread, outgoing, member_id)
        except SlackApiError as exc:
            error = exc.response.get("error", "unknown error")
            raise SendError(f"Slack refused the message: {error}") from exc

    def update(self, channel: str, ts: str, message: Message) -> None:
        """Replace a posted message in place (a card after a button press)."""
        self.bot_token()
        self.client.chat_update(
            channel=channel,
            ts=ts,
            text=render.fallback_text(message),
            blocks=render.blocks_of(message),
        )

    def dm_channel(self, member_id: int) -> str:
        """The member's DM channel: remembered in the database, opened once when unknown."""
        user_id = self.users.slack_id_for(member_id)
        if user_id is None or not render.USER_ID.match(user_id):
            raise SendError(f"member {member_id} has no linked Slack account")
        key = f"user:{user_id}"
        with self.sessions() as session:
            ref = session.scalar(
                select(ConversationRef).where(
                    ConversationRef.platform == "slack", ConversationRef.key == key
                )
            )
            if ref is not None and ref.reference.get("channel"):
                return str(ref.reference["channel"])
        opened = self.client.conversations_open(users=user_id)
        channel = str(opened["channel"]["id"])
        self._remember(key, member_id, {"channel": channel, "user": user_id})
        return channel

    # ---- internals ------------------------------------------------------------------------

    def _place(self, place: Place, thread: str | None) -> tuple[str, str | None]:
        if not place.channel_id:
            raise SendError("a Slack message needs a channel")
        return place.channel_id, place.thread_id or thread

    def _post(
        self, channel: str, thread: str | None, outgoing: Outgoing, member_id: int | None
    ) -> Posted:
        message = outgoing.message
        ts: str | None = None
        # a direct message (a reminder, an escalation) is sent whole, in several posts when it
        # is longer than Slack allows; a reply in a channel is cut and says to ask for less
        pages = render.pages_of(message) if member_id is not None else [render.blocks_of(message)]
        if pages[0] or not render.attachments_of(message):
            kwargs: dict[str, Any] = {"thread_ts": thread} if thread else {}
            text = render.fallback_text(message)
            for number, blocks in enumerate(pages):
                answer = self.client.chat_postMessage(
                    channel=channel,
                    text=text if number == 0 else f"{text} (continued)",
                    blocks=blocks or None,
                    unfurl_links=False,
                    unfurl_media=False,
                    **kwargs,
                )
                ts = ts or str(answer.get("ts") or "") or None
        for attachment in render.attachments_of(message):
            self.client.files_upload_v2(
                channel=channel,
                thread_ts=thread,
                content=attachment.content,
                filename=attachment.filename,
                title=attachment.filename,
            )
        if ts and outgoing.action_refs and render.has_buttons(message):
            self._remember(
                f"card:{channel}:{ts}",
                member_id,
                {"channel": channel, "ts": ts, "refs": list(outgoing.action_refs)},
            )
        return Posted(channel, ts)

    def _remember(self, key: str, member_id: int | None, reference: dict[str, Any]) -> None:
        try:
            with self.sessions.begin() as session:
                ref = session.scalar(
                    select(ConversationRef).where(
                        ConversationRef.platform == "slack", ConversationRef.key == key
                    )
                )
                if ref is None:
                    session.add(
                        ConversationRef(
                            platform="slack", key=key, member_id=member_id, reference=reference
                        )
                    )
                else:
                    ref.reference = reference
        except IntegrityError:
            log.debug("conversation reference already stored by a concurrent delivery")
