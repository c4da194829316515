"""The conversation: everything people say to Chaser about actions, once, for every platform.

Adapters (console, Slack, Teams) build an :class:`~handlers.messages.Incoming` or
:class:`~handlers.messages.ButtonPress` and render the :class:`~handlers.messages.Outgoing` list
this returns: the first answers in the place asked; any others are direct messages to members.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from handlers import limits, priorities
from handlers.conversation import chairs, exporting, listing, meetings, owners
from handlers.conversation.capturing import capture_reply
from handlers.conversation.context import Context
from handlers.conversation.help import help_message
from handlers.conversation.parser import Command, parse
from handlers.conversation.permissions import is_officer
from handlers.conversation.words import strip_mentions, without_controls
from handlers.messages import (
    ButtonPress,
    Incoming,
    Message,
    Outgoing,
    Paragraph,
    Place,
    Speaker,
    ToPlace,
)
from store import audit, directory
from store.models import Member

LONDON = ZoneInfo("Europe/London")
Handler = Callable[[Context, Command], list[Outgoing]]

HANDLERS: dict[str, Handler] = {
    "done": owners.done,
    "update": owners.update,
    "snooze": owners.snooze,
    "not_mine": owners.not_mine,
    "my_actions": owners.my_actions,
    "list": listing.listing,
    "assign": chairs.assign,
    "due": chairs.due,
    "cancel": chairs.cancel,
    "reopen": chairs.reopen,
    "restrict": chairs.restrict,
    "unrestrict": chairs.unrestrict,
    "meetings": meetings.meetings,
    "add_meeting": meetings.add_meeting,
    "export": exporting.export_actions,
}


class Conversation:
    """The platform-free conversation over the store."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        clock: Callable[[], dt.datetime],
        zone: ZoneInfo = LONDON,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._zone = zone

    def handle(self, incoming: Incoming) -> list[Outgoing]:
        """Answer one message said to the bot; a repeated delivery gets [] and changes nothing."""
        with self._sessions() as session, session.begin():
            if incoming.event_key and not audit.claim_event(session, incoming.event_key):
                return []
            refused = limits.message_too_long(len(incoming.text), incoming.document)
            if refused is not None:
                reply = Message(refused, (Paragraph.of(refused),))
                return [Outgoing(ToPlace(incoming.place), reply)]
            ctx = self._context(session, incoming.speaker, incoming.place)
            text = without_controls(incoming.text)
            command = parse(text)
            if command.intent == "capture":
                return capture_reply(ctx, command.text or "", incoming.event_key)
            handler = HANDLERS.get(command.intent)
            if handler is not None:
                return handler(ctx, command)
            if command.intent == "help":
                return [Outgoing(ToPlace(ctx.place), help_message())]
            return self._fallback(ctx, strip_mentions(text), incoming.event_key)

    def press(self, press: ButtonPress) -> list[Outgoing]:
        """Act on a button of an action card (done, snooze, update, not mine, reopen)."""
        with self._sessions() as session, session.begin():
            if press.event_key and not audit.claim_event(session, press.event_key):
                return []
            ctx = self._context(session, press.speaker, press.place)
            ref = without_controls(press.action_ref)
            value = without_controls(press.value or "").strip() or None
            if press.kind == "snooze":
                return owners.snooze(ctx, Command("snooze", ref=ref, text=value or "1 week"))
            handler = HANDLERS[press.kind]
            return handler(ctx, Command(press.kind, ref=ref, text=value))

    def _fallback(self, ctx: Context, text: str, event_key: str | None) -> list[Outgoing]:
        if "\n" in text.strip():  # pasted minutes or an uploaded file: say what was found
            return capture_reply(ctx, text, event_key)
        group_id = ctx.group.id if ctx.group is not None else None
        answer = priorities.answer(
            ctx.session,
            text,
            viewer_member_id=ctx.speaker_id,
            can_edit=is_officer(ctx.session, ctx.speaker_id, group_id),
            actor=ctx.speaker_name,
            via=ctx.via,
        )
        if answer is not None:
            return [Outgoing(ToPlace(ctx.place), answer)]
        captured = capture_reply(ctx, text, event_key, quiet=True)
        if captured:
            return captured
        intro = "Sorry, I didn't understand that."
        return [Outgoing(ToPlace(ctx.place), help_message(intro))]

    def _context(self, session: Session, speaker: Speaker, place: Place) -> Context:
        member = self._member(session, speaker, place)
        group = None
        if place.channel_id is not None:
            group = directory.group_for_channel(session, place.platform, place.channel_id)
        return Context(
            session=session,
            speaker=member,
            speaker_name=member.name if member is not None else speaker.display_name,
            place=place,
            group=group or directory.board(session),
            now=self._clock().astimezone(dt.UTC),
            zone=self._zone,
        )

    @staticmethod
    def _member(session: Session, speaker: Speaker, place: Place) -> Member | None:
        if speaker.member_id is not None:
            found = session.get(Member, speaker.member_id)
            if found is not None:
                return found
        if speaker.platform_user_id:
            found = directory.member_by_platform(session, place.platform, speaker.platform_user_id)
            if found is not None:
                return found
        return directory.member_by_name(session, speaker.display_name)
