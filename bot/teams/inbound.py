"""Reading Teams activities: where they were said, whether the bot was mentioned, the text."""

from __future__ import annotations

import html
import re

from botbuilder.schema import Activity, ChannelAccount
from sqlalchemy.orm import Session

from bot.teams import references
from bot.teams.cards import valid_teams_id
from handlers.messages import Place
from store.directory import member_by_platform
from store.models import Member

_TAG = re.compile(r"<[^>]{1,200}>")
_BREAK = re.compile(r"<br\s*/?>|</(?:p|div|li|tr|h\d)>", re.IGNORECASE)


def place_of(activity: Activity) -> Place:
    """Where an activity was said: the channel (thread ids stripped) or chat, and the thread."""
    conversation_id = activity.conversation.id
    kind = getattr(activity.conversation, "conversation_type", None) or "personal"
    return Place(
        platform="teams",
        channel_id=references.channel_of(conversation_id),
        thread_id=references.thread_of(conversation_id),
        is_direct=kind == "personal",
    )


def mentions_bot(activity: Activity) -> bool:
    """True when the message @mentions the bot (the recipient)."""
    bot_id = activity.recipient.id if activity.recipient else None
    for entity in activity.entities or []:
        props = entity.additional_properties or {}
        mentioned = props.get("mentioned") or {}
        if entity.type == "mention" and bot_id and mentioned.get("id") == bot_id:
            return True
    return False


def clean_text(activity: Activity, names: dict[str, str] | None = None) -> str:
    """The message text without the bot's mention, tags or HTML entities.

    ``names`` maps a person's mention text ("<at>Tom Hook (Guest)</at>") to the name to read.
    """
    text = activity.text or ""
    bot_id = activity.recipient.id if activity.recipient else None
    for entity in activity.entities or []:
        props = entity.additional_properties or {}
        if entity.type == "mention" and (props.get("mentioned") or {}).get("id") == bot_id:
            text = text.replace(str(props.get("text") or ""), " ")
    if activity.recipient and activity.recipient.name:
        text = text.replace(f"<at>{activity.recipient.name}</at>", " ")
    for tag, name in (names or {}).items():
        text = text.replace(tag, name)
    text = _BREAK.sub("\n", text)
    return html.unescape(_TAG.sub("", text)).replace("\xa0", " ").strip()


def mentioned_people(activity: Activity) -> dict[str, str]:
    """The people @mentioned in a message (not the bot): Teams user id → mention text."""
    bot_id = activity.recipient.id if activity.recipient else None
    found: dict[str, str] = {}
    for entity in activity.entities or []:
        props = entity.additional_properties or {}
        who = props.get("mentioned") or {}
        user_id, text = str(who.get("id") or ""), str(props.get("text") or "")
        if entity.type == "mention" and user_id != bot_id and valid_teams_id(user_id) and text:
            found[user_id] = text
    return found


def mention_names(session: Session, activity: Activity) -> dict[str, str]:
    """Each people-mention's text → the directory name of the member it points at.

    "<at>Tom Hook (Guest)</at>" or a shortened "<at>Tom</at>" reads as "Tom Hook", so owners
    mentioned in an action line are matched by their validated Teams id, not their display name.
    """
    names: dict[str, str] = {}
    for user_id, text in mentioned_people(activity).items():
        member = member_by_platform(session, "teams", user_id)
        if member is not None and not member.erased:
            names[text] = member.name
    return names


def member_of(session: Session, account: ChannelAccount | None) -> Member | None:
    """The directory member behind a Teams account (by Teams user id, then AAD object id)."""
    if account is None:
        return None
    member = member_by_platform(session, "teams", account.id or "")
    aad = getattr(account, "aad_object_id", None)
    if member is None and aad:
        member = member_by_platform(session, "teams", aad)
    return member
