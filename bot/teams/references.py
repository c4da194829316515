"""Teams conversation references kept in the database, so proactive messages survive restarts.

Keys in ``conversation_refs`` (platform "teams"): ``user:<teams user id>`` for a member's 1:1
chat with the bot, ``channel:<channel id>`` for a team channel (thread ids stripped),
``chat:<conversation id>`` for a group chat, and ``card:<member id>:<action ref>`` for the last
action card a member was sent, so it can be updated in place later.
"""

from __future__ import annotations

from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ChannelAccount, ConversationReference
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store.models import ConversationRef, utcnow

PLATFORM = "teams"
_THREAD_MARK = ";messageid="


def channel_of(conversation_id: str) -> str:
    """The channel (or chat) a conversation id belongs to: the part before ``;messageid=``."""
    return conversation_id.split(_THREAD_MARK, 1)[0]


def thread_of(conversation_id: str) -> str | None:
    """The root message id of a channel thread, when the conversation id names one."""
    return conversation_id.partition(_THREAD_MARK)[2] or None


def conversation_id_for(channel_id: str, thread_id: str | None) -> str:
    """The conversation id that posts into ``channel_id`` (into the thread when one is given)."""
    return f"{channel_id}{_THREAD_MARK}{thread_id}" if thread_id else channel_id


def tenant_of(activity: Activity) -> str | None:
    """The Microsoft 365 tenant an activity comes from (channelData.tenant.id, as Teams sends it).

    botbuilder's ConversationAccount reads ``tenantID``, so Teams' ``conversation.tenantId``
    is lost on deserialising; the tenant is taken from channelData and put back by hand.
    """
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = data.get("tenant")
    found = tenant.get("id") if isinstance(tenant, dict) else None
    found = found or getattr(activity.conversation, "tenant_id", None)
    return str(found) if found else None


def _kind(activity: Activity) -> str:
    return str(getattr(activity.conversation, "conversation_type", None) or "personal")


def key_for(activity: Activity) -> str:
    """The reference key an activity's conversation is stored under."""
    conversation_id = activity.conversation.id
    kind = _kind(activity)
    if kind == "channel":
        return f"channel:{channel_of(conversation_id)}"
    if kind == "groupChat":
        return f"chat:{conversation_id}"
    return f"user:{activity.from_property.id}"


def reference_json(activity: Activity) -> dict[str, Any]:
    """The activity's conversation reference, thread stripped for channels, as JSON.

    Only what posting needs is kept: a 1:1 reference keeps the person's Teams id (no name), a
    channel or group chat reference keeps nobody's, so erasing a member leaves nothing behind.
    """
    reference = TurnContext.get_conversation_reference(activity)
    reference.activity_id = None
    reference.conversation.tenant_id = tenant_of(activity)
    kind = _kind(activity)
    if kind == "channel":
        reference.conversation.id = channel_of(reference.conversation.id)
    user = reference.user
    reference.user = ChannelAccount(id=user.id) if kind == "personal" and user else None
    data: dict[str, Any] = reference.serialize()
    return data


def _upsert(session: Session, key: str, member_id: int | None, data: dict[str, Any]) -> None:
    query = select(ConversationRef).where(
        ConversationRef.platform == PLATFORM, ConversationRef.key == key
    )
    row = session.scalar(query)
    if row is None:
        try:
            with session.begin_nested():
                session.add(
                    ConversationRef(platform=PLATFORM, key=key, member_id=member_id, reference=data)
                )
            return
        except IntegrityError:  # another instance stored it a moment ago: update theirs
            row = session.scalar(query)
            assert row is not None
    if row.reference != data or (member_id and row.member_id != member_id):
        row.reference = data
        row.member_id = member_id or row.member_id
        row.updated_at = utcnow()


def save(session: Session, activity: Activity, member_id: int | None) -> str:
    """Store (or refresh) the reference of the conversation ``activity`` came from; its key."""
    key = key_for(activity)
    personal = key.startswith("user:")
    _upsert(session, key, member_id if personal else None, reference_json(activity))
    return key


def save_user(session: Session, user_id: str, member_id: int | None, data: dict[str, Any]) -> None:
    """Store the reference of a 1:1 chat created proactively with ``user_id``."""
    _upsert(session, f"user:{user_id}", member_id, data)


def load(session: Session, key: str) -> ConversationReference | None:
    """The stored reference under ``key``, ready for ``continue_conversation``."""
    row = session.scalar(
        select(ConversationRef).where(
            ConversationRef.platform == PLATFORM, ConversationRef.key == key
        )
    )
    if row is None or not row.reference:
        return None
    reference: ConversationReference = ConversationReference().deserialize(row.reference)
    return reference


def for_user(session: Session, user_id: str | None) -> ConversationReference | None:
    """The member's 1:1 chat reference, when the bot has one."""
    return load(session, f"user:{user_id}") if user_id else None


def for_place(session: Session, channel_id: str) -> ConversationReference | None:
    """The reference of a channel or group chat (keys tried in that order)."""
    return load(session, f"channel:{channel_of(channel_id)}") or load(session, f"chat:{channel_id}")


def latest(session: Session) -> ConversationReference | None:
    """The most recently refreshed Teams reference (service URL, tenant, bot) of any kind."""
    row = session.scalar(
        select(ConversationRef)
        .where(ConversationRef.platform == PLATFORM, ~ConversationRef.key.startswith("card:"))
        .order_by(ConversationRef.updated_at.desc(), ConversationRef.id.desc())
    )
    if row is None:
        return None
    reference: ConversationReference = ConversationReference().deserialize(row.reference)
    return reference


def save_card(
    session: Session, member_id: int, action_ref: str, conversation_id: str, activity_id: str
) -> None:
    """Remember the activity id of the action card last sent to a member."""
    data = {"conversation_id": conversation_id, "activity_id": activity_id}
    _upsert(session, f"card:{member_id}:{action_ref}", member_id, data)


def card_of(session: Session, member_id: int, action_ref: str) -> tuple[str, str] | None:
    """(conversation id, activity id) of the card last sent to a member for an action."""
    row = session.scalar(
        select(ConversationRef).where(
            ConversationRef.platform == PLATFORM,
            ConversationRef.key == f"card:{member_id}:{action_ref}",
        )
    )
    if row is None:
        return None
    return str(row.reference["conversation_id"]), str(row.reference["activity_id"])
