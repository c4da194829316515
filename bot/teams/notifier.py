"""Proactive Teams messages: 1:1 cards and channel posts from stored conversation references.

:class:`TeamsNotifier` is the scheduler's ``Notifier`` for Teams (``send`` is synchronous and runs
the delivery on the server's event loop) and the bot's way to reach people outside the current
turn (``deliver``). A member with no 1:1 reference gets one created (``create_conversation``) when
their Teams id is known; where the bot cannot reach them, their group's chair is told who needs
to install Chaser, and :class:`~scheduler.notifier.SendError` is raised.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from dataclasses import dataclass, field
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationParameters,
    ConversationReference,
)
from msrest.exceptions import HttpOperationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.app import Chaser
from bot.teams import references
from bot.teams.cards import CARD_CONTENT_TYPE, clip, render_card, valid_teams_id
from bot.teams.files import FileShelf
from bot.teams.retry import Backoff, retrying, status_of
from handlers.messages import Mention, Message, Outgoing, Paragraph, ToMember, ToPlace
from scheduler.notifier import SendError
from store import audit
from store.actions import parse_ref
from store.chasing import chair_of
from store.models import Action, Member

log = logging.getLogger(__name__)
_SEND_TIMEOUT = 120.0
_GONE = frozenset({403, 404})


def card_activity(message: Message, links: dict[str, str] | None = None) -> Activity:
    """The message activity carrying ``message`` as an Adaptive Card."""
    card = render_card(message, links)
    return Activity(
        type=ActivityTypes.message,
        summary=clip(message.summary),
        attachments=[Attachment(content_type=CARD_CONTENT_TYPE, content=card)],
    )


@dataclass
class TeamsNotifier:
    """Sends outgoing messages to Teams members and channels outside the current turn."""

    adapter: CloudAdapter
    chaser: Chaser
    backoff: Backoff = field(default_factory=Backoff)
    files: FileShelf | None = None
    loop: asyncio.AbstractEventLoop | None = None

    @property
    def app_id(self) -> str:
        return self.chaser.settings.teams_app_id or ""

    # ---- the scheduler's port ----------------------------------------------------------------

    def send(self, outgoing: Outgoing) -> None:
        """Deliver ``outgoing`` (synchronously); raise SendError when it could not be delivered."""
        loop = self.loop
        if loop is not None and loop.is_running():
            if _running_loop() is loop:
                raise RuntimeError("TeamsNotifier.send called on the event loop: await deliver()")
            asyncio.run_coroutine_threadsafe(self.deliver(outgoing), loop).result(_SEND_TIMEOUT)
            return
        asyncio.run(self.deliver(outgoing))

    async def deliver(self, outgoing: Outgoing) -> str | None:
        """Post ``outgoing`` where it is addressed; the id of the posted activity."""
        if isinstance(outgoing.to, ToPlace):
            return await self._to_place(outgoing.to, outgoing.message)
        return await self._to_member(outgoing.to, outgoing)

    # ---- places --------------------------------------------------------------------------

    async def _to_place(self, to: ToPlace, message: Message) -> str | None:
        channel_id = to.place.channel_id
        with self.chaser.sessions() as session:
            reference = references.for_place(session, channel_id) if channel_id else None
        if reference is None or channel_id is None:
            raise SendError(f"Chaser has not been added to the Teams conversation {channel_id}")
        if to.place.thread_id:
            reference = copy.copy(reference)
            reference.conversation = copy.copy(reference.conversation)
            reference.conversation.id = references.conversation_id_for(
                references.channel_of(channel_id), to.place.thread_id
            )
        return await self._continue(reference, message)

    async def _continue(self, reference: ConversationReference, message: Message) -> str | None:
        posted: list[str | None] = []

        async def post(context: TurnContext) -> None:
            posted.append(await self.post(context, message))

        try:
            await self.adapter.continue_conversation(reference, post, self.app_id)
        except HttpOperationError as exc:
            raise SendError(f"Teams refused the message: {exc}") from exc
        return posted[0] if posted else None

    def card(self, message: Message) -> dict[str, Any]:
        """The Adaptive Card for ``message``, with download links for its files."""
        return render_card(message, self.files.links(message) if self.files else None)

    async def post(self, context: TurnContext, message: Message) -> str | None:
        """Send ``message`` as a card in this turn's conversation (retried when throttled)."""
        activity = card_activity(message, self.files.links(message) if self.files else None)
        response = await retrying(lambda: context.send_activity(activity), self.backoff, "send")
        return response.id if response is not None else None

    async def update(self, context: TurnContext, activity_id: str, message: Message) -> None:
        """Replace the card ``activity_id`` in this turn's conversation with ``message``."""
        activity = card_activity(message)
        activity.id = activity_id
        await retrying(lambda: context.update_activity(activity), self.backoff, "update")

    # ---- members -------------------------------------------------------------------------

    async def _to_member(self, to: ToMember, outgoing: Outgoing) -> str | None:
        with self.chaser.sessions() as session:
            member = session.get(Member, to.member_id)
            if member is None:
                raise SendError(f"member {to.member_id} does not exist")
            user_id, name = member.teams_user_id, member.name
        conversation_id, activity_id = await self._reach(to.member_id, user_id, outgoing.message)
        if conversation_id is None or activity_id is None:
            await self.tell_chair_unreachable(to.member_id, name, outgoing.action_refs)
            raise SendError(f"{name} cannot be reached in Teams yet (Chaser is not installed)")
        if outgoing.action_refs:
            with self.chaser.sessions() as session, session.begin():
                for ref in outgoing.action_refs:
                    references.save_card(session, to.member_id, ref, conversation_id, activity_id)
        return activity_id

    async def _reach(
        self, member_id: int, user_id: str | None, message: Message
    ) -> tuple[str | None, str | None]:
        """Post into the member's 1:1 chat (opening it when needed); (None, None) if unreachable."""
        with self.chaser.sessions() as session:
            reference = references.for_user(session, user_id)
            template = references.latest(session)
        if reference is not None:
            try:
                return reference.conversation.id, await self._continue(reference, message)
            except SendError as exc:
                if status_of(exc.__cause__ or exc) not in _GONE:
                    raise
                log.warning("member %s removed Chaser from Teams: %s", member_id, exc)
        if user_id is None or not valid_teams_id(user_id) or template is None:
            return None, None
        return await self._open_chat(template, member_id, user_id, message)

    async def _open_chat(
        self, template: ConversationReference, member_id: int, user_id: str, message: Message
    ) -> tuple[str | None, str | None]:
        """Create the member's 1:1 chat with the bot, remember it, and post into it."""
        tenant = getattr(template.conversation, "tenant_id", None)
        params = ConversationParameters(
            is_group=False,
            bot=template.bot or ChannelAccount(id=self.app_id),
            members=[ChannelAccount(id=user_id)],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}} if tenant else None,
        )
        result: list[tuple[str, str | None]] = []

        async def post(context: TurnContext) -> None:
            reference = TurnContext.get_conversation_reference(context.activity)
            reference.activity_id = None
            reference.user = ChannelAccount(id=user_id)
            reference.bot = params.bot
            reference.conversation.conversation_type = "personal"
            reference.conversation.tenant_id = tenant
            with self.chaser.sessions() as session, session.begin():
                references.save_user(session, user_id, member_id, reference.serialize())
            result.append((context.activity.conversation.id, await self.post(context, message)))

        async def create() -> None:
            await self.adapter.create_conversation(
                self.app_id, post, params, "msteams", template.service_url
            )

        try:
            await retrying(create, self.backoff, "create conversation")
        except HttpOperationError as exc:
            log.warning("could not open a Teams 1:1 chat with member %s: %s", member_id, exc)
            return None, None
        return result[0] if result else (None, None)

    async def tell_chair_unreachable(
        self, member_id: int, name: str, refs: tuple[str, ...]
    ) -> None:
        """Tell the chair (once a day per person) that ``name`` needs to install Chaser."""
        with self.chaser.sessions() as session, session.begin():
            key = f"teams-unreachable:{member_id}:{self.chaser.today().isoformat()}"
            chairs = [
                c for c in _chairs_for(session, refs) if c.id != member_id and c.teams_user_id
            ]
            if not chairs:
                log.warning("member %s cannot be reached in Teams and has no chair", member_id)
                return
            if not audit.claim_event(session, key):
                return  # the chair heard about this person today already
            audit.record(
                session, actor="Chaser", via="teams", entity="member", entity_id=member_id,
                event="unreachable", refs=list(refs),
            )  # fmt: skip
            chair_ids = [(c.id, c.teams_user_id) for c in chairs]
        message = _install_notice(member_id, name, refs)
        for chair_id, chair_user in chair_ids:
            try:
                _, posted = await self._reach(chair_id, chair_user, message)
            except SendError as exc:
                log.warning("could not tell chair %s: %s", chair_id, exc)
                continue
            if posted is None:
                log.warning("chair %s cannot be reached in Teams either", chair_id)


def _install_notice(member_id: int, name: str, refs: tuple[str, ...]) -> Message:
    about = f" about {', '.join(refs)}" if refs else ""
    text = (
        f" cannot get messages from Chaser in Teams yet{about}: please ask them to install the "
        "Chaser app (Teams → Apps → Chaser → Add), and pass the action on until then."
    )
    return Message(
        f"{name} needs to install Chaser in Teams", (Paragraph.of(Mention(member_id, name), text),)
    )


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _chairs_for(session: Session, refs: tuple[str, ...]) -> list[Member]:
    """The chairs of the groups of these actions (each group's own, else the board's)."""
    ids = [i for i in (parse_ref(r) for r in refs) if i is not None]
    groups = set(session.scalars(select(Action.group_id).where(Action.id.in_(ids)))) or {None}
    found = {c.id: c for c in (chair_of(session, g) for g in groups) if c is not None}
    return list(found.values())
