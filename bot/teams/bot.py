"""The Teams ActivityHandler: turns Teams activities into calls on the conversation handlers.

It translates and renders; the handlers decide. Every activity refreshes the stored conversation
reference. In channels and group chats only messages that @mention the bot are acted on; the
bot's mention is stripped. Card buttons (``Action.Submit`` messages and ``Action.Execute``
invokes) become a :class:`~handlers.messages.ButtonPress` spoken by the activity's sender, and
the pressed card is updated in place.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any, Literal, cast

from botbuilder.core import ActivityHandler, InvokeResponse, TurnContext
from botbuilder.schema import (
    Activity,
    ChannelAccount,
)
from msrest.exceptions import HttpOperationError

from bot.app import Chaser
from bot.teams import references, roster
from bot.teams.cards import CARD_CONTENT_TYPE, PRESS, SNOOZE_INPUT, UPDATE_INPUT
from bot.teams.inbound import clean_text, member_of, mention_names, mentions_bot, place_of
from bot.teams.notifier import TeamsNotifier
from bot.teams.uploads import (
    IN_CHANNEL,
    NOT_MINUTES,
    UploadRefused,
    is_minutes,
    read_upload,
    shared_files,
    uploads_of,
)
from handlers.conversation import Conversation
from handlers.messages import (
    ActionItem,
    ButtonPress,
    Incoming,
    Message,
    Outgoing,
    Paragraph,
    Place,
    Speaker,
    ToMember,
    ToPlace,
)
from scheduler.notifier import SendError
from store import audit

log = logging.getLogger(__name__)

_ROSTER_FRESH = dt.timedelta(minutes=10)
_PRESS_KINDS = frozenset({"done", "snooze", "update", "not_mine", "reopen"})


class ChaserTeamsBot(ActivityHandler):  # type: ignore[misc]
    """Chaser in Teams: translate, hand to the handlers, render what they answer."""

    def __init__(self, chaser: Chaser, notifier: TeamsNotifier) -> None:
        self.chaser = chaser
        self.notifier = notifier
        self.conversation = Conversation(chaser.sessions, clock=chaser.clock, zone=chaser.zone)
        self._roster_synced: dict[str, dt.datetime] = {}

    async def on_turn(self, turn_context: TurnContext) -> None:
        await asyncio.to_thread(self._remember, turn_context.activity)
        await super().on_turn(turn_context)

    # ---- inbound -------------------------------------------------------------------------

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        value = activity.value if isinstance(activity.value, dict) else None
        if value and value.get("chaser") == PRESS:
            await self._submit(turn_context, value)
            return
        place = place_of(activity)
        if not place.is_direct and not mentions_bot(activity):
            return
        if not place.is_direct:
            await self._sync_roster(turn_context)
        await self._uploads(turn_context, place)
        with self.chaser.sessions() as session:
            text = clean_text(activity, mention_names(session, activity))
        if not text:
            return
        speaker = await self._speaker(turn_context)
        incoming = Incoming(
            text=text,
            speaker=speaker,
            place=place,
            at=self.chaser.clock(),
            event_key=f"teams:{activity.id}",
        )
        answers = await asyncio.to_thread(self.conversation.handle, incoming)
        await self.deliver(turn_context, answers, speaker)
        if place.is_direct:
            await self._refresh_cards(turn_context, answers, speaker)

    async def _uploads(self, turn_context: TurnContext, place: Place) -> None:
        """Capture minutes sent as files in a personal chat; explain files shared elsewhere."""
        activity = turn_context.activity
        if not place.is_direct:
            if shared_files(activity):
                speaker = await self._speaker(turn_context)
                await self._note(turn_context, place, IN_CHANNEL, speaker)
            return
        found = uploads_of(activity)
        if not found:
            return
        speaker = await self._speaker(turn_context)
        for n, upload in enumerate(found):
            if not is_minutes(upload):
                note = NOT_MINUTES.format(name=upload.name)
                await self._note(turn_context, place, note, speaker)
                continue
            try:
                text = await asyncio.to_thread(read_upload, upload)
            except UploadRefused as refused:
                log.info("a Teams upload was not read: %s", type(refused.__cause__).__name__)
                await self._note(turn_context, place, str(refused), speaker)
                continue
            incoming = Incoming(
                text=text,
                speaker=speaker,
                place=place,
                at=self.chaser.clock(),
                event_key=f"teams:{activity.id}:file:{n}",
                document=upload.name,
            )
            answers = await asyncio.to_thread(self.conversation.handle, incoming)
            await self.deliver(turn_context, answers, speaker)

    async def _note(
        self, turn_context: TurnContext, place: Place, text: str, speaker: Speaker
    ) -> None:
        note = Outgoing(ToPlace(place), Message(text, (Paragraph.of(text),)))
        await self.deliver(turn_context, [note], speaker)

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        activity = turn_context.activity
        if place_of(activity).is_direct:
            await self._speaker(turn_context)
        else:
            await self._sync_roster(turn_context, force=True)
        if any(m.id == activity.recipient.id for m in members_added) and self._first(activity):
            hello = (
                "Hello, I'm Chaser. Post actions like 'ACTION: Fiona Taylor to send the report by "
                "end of month' and @mention me; ask me 'outstanding' or 'my actions' any time."
            )
            await self.notifier.post(turn_context, Message(hello))

    def _first(self, activity: Activity) -> bool:
        """True the first time this activity is seen (Teams may deliver it twice)."""
        with self.chaser.sessions() as session, session.begin():
            return audit.claim_event(session, f"teams-hello:{activity.id}")

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
        """``adaptiveCard/action`` (Action.Execute): the updated card, or why nothing changed."""
        activity = turn_context.activity
        if activity.name != "adaptiveCard/action":
            # no sign-in, search or other invoke is offered: asking for one is a bad request
            log.info("refused a Teams invoke Chaser does not offer: %.60r", activity.name)
            return InvokeResponse(status=400)
        value: dict[str, Any] = activity.value if isinstance(activity.value, dict) else {}
        action = value.get("action")
        data = action.get("data") if isinstance(action, dict) else None
        answer, rest, speaker = await self._press(
            turn_context, data if isinstance(data, dict) else {}
        )
        await self.deliver(turn_context, rest, speaker)
        if answer is not None:
            card = self.notifier.card(answer.message)
            body = {"statusCode": 200, "type": CARD_CONTENT_TYPE, "value": card}
        else:
            note = rest[0].message.summary if rest else "Chaser could not read that button."
            body = {
                "statusCode": 200,
                "type": "application/vnd.microsoft.activity.message",
                "value": note,
            }
        return InvokeResponse(status=200, body=body)

    async def _submit(self, turn_context: TurnContext, data: dict[str, Any]) -> None:
        """An ``Action.Submit`` press: the card is updated in place, other answers sent."""
        answer, rest, speaker = await self._press(turn_context, data)
        card_id = turn_context.activity.reply_to_id or self._stored_card(
            turn_context, speaker, data
        )
        if answer is not None and card_id:
            await self.notifier.update(turn_context, card_id, answer.message)
        elif answer is not None:
            rest.insert(0, answer)
        await self.deliver(turn_context, rest, speaker)

    def _stored_card(
        self, turn_context: TurnContext, speaker: Speaker, data: dict[str, Any]
    ) -> str | None:
        """The id of the card last sent to the speaker for this action, in this chat."""
        ref = data.get("ref")
        if speaker.member_id is None or not isinstance(ref, str):
            return None
        with self.chaser.sessions() as session:
            found = references.card_of(session, speaker.member_id, ref)
        if found is None or found[0] != turn_context.activity.conversation.id:
            return None
        return found[1]

    async def _press(
        self, turn_context: TurnContext, data: dict[str, Any]
    ) -> tuple[Outgoing | None, list[Outgoing], Speaker]:
        """Hand a card button to the handlers: (the pressed action's new card, other answers)."""
        activity = turn_context.activity
        speaker = await self._speaker(turn_context)
        kind, ref = data.get("kind"), data.get("ref")
        known = isinstance(kind, str) and kind in _PRESS_KINDS  # a list or object is not hashable
        if not known or not isinstance(ref, str) or len(ref) > 20:
            log.warning("ignored a card submission without a valid action")
            return None, [], speaker
        value = data.get(SNOOZE_INPUT) if kind == "snooze" else data.get(UPDATE_INPUT)
        press = ButtonPress(
            kind=cast(Literal["done", "snooze", "update", "not_mine", "reopen"], kind),
            action_ref=ref,
            speaker=speaker,
            place=place_of(activity),
            at=self.chaser.clock(),
            value=str(value)[:1000] if value else None,
            event_key=f"teams:{activity.id}",
        )
        answers = await asyncio.to_thread(self.conversation.press, press)
        card_answer = _card_for(answers, ref, speaker, press.place)
        return card_answer, [a for a in answers if a is not card_answer], speaker

    # ---- outbound ------------------------------------------------------------------------

    async def deliver(
        self, turn_context: TurnContext, answers: list[Outgoing], speaker: Speaker
    ) -> None:
        """Send each answer: here when it is for this conversation, else proactively."""
        here = place_of(turn_context.activity)
        for answer in answers:
            to = answer.to
            if answer.message.ephemeral and not here.is_direct and speaker.member_id is not None:
                answer = Outgoing(ToMember(speaker.member_id), answer.message, answer.action_refs)
                to = answer.to
            is_here = isinstance(to, ToPlace) and to.place.channel_id == here.channel_id
            mine = isinstance(to, ToMember) and here.is_direct and to.member_id == speaker.member_id
            try:
                if is_here or mine:
                    await self.notifier.post(turn_context, answer.message)
                else:
                    await self.notifier.deliver(answer)
            except SendError as exc:
                log.warning("a Teams message was not delivered: %s", exc)
            except HttpOperationError as exc:
                log.error("Teams refused a reply: %s", exc)

    async def _refresh_cards(
        self, turn_context: TurnContext, answers: list[Outgoing], speaker: Speaker
    ) -> None:
        """An action closed in words, not by its buttons: its earlier card loses them too."""
        items = [
            (answer.message.summary, block)
            for answer in answers
            for block in answer.message.blocks
            if isinstance(block, ActionItem) and block.status != "open"
        ]
        for summary, item in items:
            card_id = self._stored_card(turn_context, speaker, {"ref": item.ref})
            if card_id is None:
                continue
            try:
                await self.notifier.update(turn_context, card_id, Message(summary, (item,)))
            except HttpOperationError as exc:  # the card may have been deleted meanwhile
                log.warning("could not refresh the card of %s: %s", item.ref, exc)

    # ---- who and where -------------------------------------------------------------------

    def _remember(self, activity: Activity) -> None:
        if not activity.conversation or not activity.from_property or not activity.service_url:
            return
        with self.chaser.sessions() as session, session.begin():
            member = member_of(session, activity.from_property)
            references.save(session, activity, member.id if member else None)

    async def _speaker(self, turn_context: TurnContext) -> Speaker:
        """The sender as a Speaker; unknown senders are looked up in the roster and linked."""
        sender = turn_context.activity.from_property
        with self.chaser.sessions() as session:
            member = member_of(session, sender)
            member_id = member.id if member else None
        if member_id is None:
            member_id = await self._link_one(turn_context, sender.id)
        return Speaker(
            member_id=member_id, display_name=sender.name or "someone", platform_user_id=sender.id
        )

    async def _link_one(self, turn_context: TurnContext, user_id: str) -> int | None:
        try:
            entry = await roster.fetch_one(turn_context, user_id)
        except (HttpOperationError, TypeError, ValueError) as exc:
            log.info("Teams roster look-up for the sender failed: %s", exc)
            return None
        if entry is None:
            return None
        with self.chaser.sessions() as session, session.begin():
            found = roster.sync(session, [entry])
            references.save(session, turn_context.activity, found.get(entry.user_id))
        return found.get(entry.user_id)

    async def _sync_roster(self, turn_context: TurnContext, *, force: bool = False) -> None:
        channel = references.channel_of(turn_context.activity.conversation.id)
        now = self.chaser.clock()
        last = self._roster_synced.get(channel)
        if not force and last is not None and now - last < _ROSTER_FRESH:
            return
        try:
            entries = await roster.fetch(turn_context)
        except (HttpOperationError, TypeError, ValueError) as exc:
            log.info("Teams roster look-up failed: %s", exc)
            return
        with self.chaser.sessions() as session, session.begin():
            roster.sync(session, entries)
        self._roster_synced[channel] = now


def _card_for(answers: list[Outgoing], ref: str, speaker: Speaker, place: Place) -> Outgoing | None:
    """The answer that is the pressed action's card, for the person who pressed it."""
    for answer in answers:
        if ref not in answer.action_refs:
            continue
        if not any(isinstance(b, ActionItem) and b.ref == ref for b in answer.message.blocks):
            continue
        to = answer.to
        if isinstance(to, ToPlace) and to.place.channel_id == place.channel_id:
            return answer
        if isinstance(to, ToMember) and to.member_id == speaker.member_id:
            return answer
    return None
