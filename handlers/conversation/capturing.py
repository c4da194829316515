"""Capture from chat: actions in a message are saved, confirmed in the place and sent to owners."""

from __future__ import annotations

import uuid

from handlers.capture import capture, confirmation, owner_notifications
from handlers.conversation.context import Context
from handlers.messages import Outgoing, ToPlace


def capture_reply(
    ctx: Context, text: str, event_key: str | None, *, quiet: bool = False
) -> list[Outgoing]:
    """Capture the actions in ``text``; with ``quiet``, [] when it holds none.

    Chat is not a meeting: relative deadlines ("by end of month") count from today, and no
    meeting is added to the group's calendar.
    """
    source_key = event_key or f"{ctx.via}:{ctx.place.channel_id}:{uuid.uuid4().hex}"
    result = capture(
        ctx.session,
        text,
        via=ctx.via,
        source_key=source_key,
        group_id=ctx.group.id if ctx.group is not None else None,
        meeting_date=None,
        said_on=ctx.today,
        created_by_id=ctx.speaker_id,
        actor=ctx.speaker_name,
        origin_channel=ctx.place.channel_id,
        origin_thread=ctx.place.thread_id,
    )
    if quiet and result.found == 0:
        return []
    return [Outgoing(ToPlace(ctx.place), confirmation(result)), *owner_notifications(result)]
