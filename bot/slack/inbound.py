"""Slack's inbound text and people, translated into the neutral contract (text, Speaker, Place).

Slack sends mrkdwn: ``<@U123>`` mentions, ``<!channel>`` specials, ``<url|label>`` links and HTML
entities. The handlers get plain words: people by name, specials as inert words, links with their
real target shown, so nothing echoed back can become a ping or a disguised link.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from handlers.conversation.parser import parse
from handlers.messages import Place, Speaker
from store.models import Member

_TOKEN = re.compile(r"<([^<>]*)>")
BOT_NAME = "@Chaser"

NameOf = Callable[[str], str]


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _special(inner: str) -> str:
    body, _, label = inner[1:].partition("|")
    if label:
        return label if label.startswith("@") else "@" + label
    word = body.split("^", 1)[0]
    return "@" + word


def _link(inner: str) -> str:
    url, _, label = inner.partition("|")
    if url.startswith("mailto:"):
        return label or url[len("mailto:") :]
    if not label or label == url:
        return url
    return f"{label} ({url})"


def plain_text(text: str, *, bot_user_id: str | None, name_of: NameOf) -> str:
    """Slack mrkdwn as plain words: mentions as names, specials inert, links undisguised."""
    pieces: list[str] = []
    last = 0
    for match in _TOKEN.finditer(text):
        pieces.append(_unescape(text[last : match.start()]))
        inner = match.group(1)
        if inner.startswith("@"):
            uid = inner[1:].split("|", 1)[0]
            pieces.append(BOT_NAME if uid == bot_user_id else name_of(uid))
        elif inner.startswith("!"):
            pieces.append(_special(inner))
        elif inner.startswith("#"):
            pieces.append("#" + (inner.partition("|")[2] or inner[1:]))
        else:
            pieces.append(_link(_unescape(inner)))
        last = match.end()
    pieces.append(_unescape(text[last:]))
    return "".join(pieces)


def mentioned_user_ids(text: str) -> list[str]:
    """The user ids mentioned in mrkdwn text, in order."""
    return [
        m.group(1)[1:].split("|", 1)[0] for m in _TOKEN.finditer(text) if m.group(1).startswith("@")
    ]


def member_names(sessions: sessionmaker[Session], user_ids: list[str]) -> dict[str, str]:
    """Directory names of linked Slack users (the names the handlers know people by)."""
    if not user_ids:
        return {}
    with sessions() as session:
        rows = session.execute(
            select(Member.slack_user_id, Member.name).where(Member.slack_user_id.in_(user_ids))
        )
        return {str(uid): str(name) for uid, name in rows}


def translate(
    text: str, *, sessions: sessionmaker[Session], bot_user_id: str | None, slack_name: NameOf
) -> str:
    """Plain text where people are named as the directory names them (else as Slack does)."""
    known = member_names(sessions, mentioned_user_ids(text))

    def name_of(uid: str) -> str:
        return known.get(uid) or slack_name(uid)

    return plain_text(text, bot_user_id=bot_user_id, name_of=name_of)


def place_of(
    channel: str, ts: str | None, thread_ts: str | None, channel_type: str | None
) -> Place:
    """A Slack conversation as a Place: DMs are direct chats, channel messages reply in thread."""
    direct = channel_type == "im" or channel.startswith("D")
    if direct:
        return Place("slack", channel, thread_ts, is_direct=True)
    return Place("slack", channel, thread_ts or ts)


def speaker_of(user_id: str, member_id: int | None, name: str) -> Speaker:
    return Speaker(member_id=member_id, display_name=name, platform_user_id=user_id)


def user_of(body: dict[str, Any]) -> str | None:
    """The id of the person who pressed, submitted or chose a shortcut, when the payload says."""
    user = body.get("user")
    found = user.get("id") if isinstance(user, dict) else None
    return found if isinstance(found, str) and found else None


def is_human_message(event: dict[str, Any]) -> bool:
    """A message typed by a person (not a bot, an edit or a system notice)."""
    return (
        bool(event.get("user"))
        and not event.get("bot_id")
        and event.get("subtype") in (None, "thread_broadcast", "file_share")
    )


THREAD_INTENTS = frozenset({"done", "update", "snooze", "not_mine"})


def message_key(channel: str, ts: str) -> str:
    """The idempotency key of one Slack message."""
    return f"slack:{channel}:{ts}"


def for_chaser(event: dict[str, Any], bot_user_id: str | None) -> bool:
    """Whether a person's message is addressed to Chaser (or holds actions to capture)."""
    if str(event.get("channel", "")).startswith("D") or event.get("channel_type") == "im":
        return True
    text = str(event.get("text") or "")
    if bot_user_id and f"<@{bot_user_id}" in text:
        return True
    in_thread = event.get("thread_ts") not in (None, event.get("ts"))
    if not in_thread and "action" not in text.lower():
        return False  # cheap: top-level chatter cannot hold an "ACTION:" line
    intent = parse(plain_text(text, bot_user_id=bot_user_id, name_of=str)).intent
    return intent == "capture" or (in_thread and intent in THREAD_INTENTS)
