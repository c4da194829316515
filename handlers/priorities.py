"""Priority questions and chat edits: "who leads on knife crime?", "overlaps", "priority X lead G".

:func:`answer` is the one entry point; it returns None for text that is not about priorities so
the conversation can fall through to its own help.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from handlers import priority_replies as replies
from handlers.messages import Message
from handlers.priority_edits import edit_reply
from handlers.priority_index import ACCEPT, CACHE, Match, NameIndex, PriorityIndex
from store import priorities as register
from store.actions import parse_ref
from store.models import Group

_F = re.IGNORECASE
STRONG_GROUP = 95.0  # a subject this close to a subgroup name is a question about the subgroup
_SUBJECT_VERB = (
    r"(?:is\s+|are\s+|does\s+)?(?:the\s+)?"
    r"(?:lead(?:s|ing)?|owns?|owner|responsible|in\s+charge|covers?|deals?\s+with|handles?"
    r"|looks?\s+after|takes?)(?:\s+(?:on|for|of))?"
)
_GROUP_WORD = r"(?:sub-?\s?groups?|groups?|teams?|boards?|partnership|one)"
WHO = re.compile(rf"^(?:who|(?:which|what)\s+{_GROUP_WORD})\s+{_SUBJECT_VERB}\s+(?P<s>.+)$", _F)
WHERE = re.compile(
    r"^where\s+(?:does|do|is|are|should)\s+(?P<s>.+?)"
    r"(?:\s+(?:sit|sits|belong|belongs|fall|falls|go|live|lives|come\s+under))?$",
    _F,
)
GROUP_OWNS = re.compile(
    r"^what\s+(?:does|do|is|are)\s+(?:the\s+)?(?P<g>.+?)\s+(?:own|lead\s+on|lead|leading\s+on"
    r"|cover|responsible\s+for|look\s+after|deal\s+with|handle|work\s+on|in\s+charge\s+of)$",
    _F,
)
GROUP_PRIORITIES = re.compile(r"^what\s+are\s+(?:the\s+)?(?P<g>.+?)(?:'s|s')?\s+priorities$", _F)
LISTING = re.compile(
    r"^(?:what\s+are\s+|list\s+|show\s+(?:me\s+)?|remind\s+me\s+of\s+)?"
    r"(?:(?:our|the|all|current|csp|partnership|agreed)\s+)*(?:priorities|priority\s+list)$",
    _F,
)
TOP = re.compile(
    r"^(?:what\s+are\s+|show\s+(?:me\s+)?|list\s+)?(?:(?:the|our)\s+)?"
    r"(?:(?:top|highest(?:\s+risk)?)(?:\s+(?P<n>\d{1,3}))?\s+priorities(?:\s+by\s+risk(?:\s+score)?)?"
    r"|priorities\s+(?:by|ranked\s+by)\s+risk(?:\s+score)?|risk\s+(?:scores|matrix))$",
    _F,
)
OVERLAPS = re.compile(
    r"^(?:show\s+|list\s+|any\s+|are\s+there\s+(?:any\s+)?|check\s+(?:for\s+)?|what\s+)?"
    r"(?:priority\s+)?(?:overlaps?|cross[\s-]?overs?)(?:\s+between\s+subgroups)?"
    r"|which\s+priorities\s+overlap$",
    _F,
)
EDIT = re.compile(
    r"^(?P<new>new\s+|add\s+)?priority:?\s+(?P<name>.+?):?\s+"
    r"(?P<field>lead|led\s+by|supporting|supported\s+by|support|target|alias)\s+(?P<value>.+)$",
    _F,
)
_TRIM = re.compile(r"^(?:the|our)\s+|\s+(?:priority|work|sub-?\s?group|group)$", _F)


@dataclass
class Ask:
    """One question being answered: the session, the caller's rights and lazily built indexes."""

    session: Session
    viewer_member_id: int | None
    can_edit: bool
    actor: str
    via: str
    groups: dict[int, Group] = field(default_factory=dict)

    @cached_property
    def index(self) -> PriorityIndex:
        return CACHE.get(self.session)

    @cached_property
    def group_names(self) -> NameIndex:
        query = select(Group).options(joinedload(Group.lead))
        self.groups = {g.id: g for g in self.session.scalars(query)}
        names = NameIndex()
        for g in self.groups.values():
            names.add(g.id, [g.name, *(g.aliases or ())])
        return names

    def all_groups(self) -> dict[int, Group]:
        _ = self.group_names
        return self.groups


def _clean(text: str) -> str:
    text = text.replace("’", "'").strip()
    text = re.sub(r"^(?:@?chaser[,:]?\s+|please\s+|hey\s+)+", "", text, flags=_F)
    text = re.sub(r"[\s?!.]+$", "", text)
    text = re.sub(r"\b(who|what|where)'s\b", r"\1 is", text, flags=_F)
    return " ".join(text.split())


def _subject(text: str) -> str:
    return _TRIM.sub("", text.strip(" \"'“”")).strip()


def answer(
    session: Session,
    text: str,
    *,
    viewer_member_id: int | None,
    can_edit: bool = False,
    actor: str = "",
    via: str = "console",
) -> Message | None:
    """Answer a priority question or chat edit; None when the text is not about priorities.

    Edits ("priority knife crime lead Children and Young People") change the register only when
    ``can_edit`` (the chair or secretary); the change is audited as ``actor`` ``via``.
    """
    cleaned = _clean(text)
    ask = Ask(session, viewer_member_id, can_edit, actor or "unknown", via)
    routes: list[tuple[re.Pattern[str], Callable[[Ask, re.Match[str]], Message | None]]] = [
        (EDIT, edit_reply),
        (OVERLAPS, lambda a, m: replies.overlaps(a.index, a.all_groups())),
        (TOP, _top),
        (LISTING, lambda a, m: replies.listing(a.index, a.all_groups())),
        (GROUP_OWNS, _group_owns),
        (GROUP_PRIORITIES, _group_owns),
        (WHO, _who),
        (WHERE, _who),
    ]
    for pattern, handle in routes:
        found = pattern.match(cleaned)
        if found:
            return handle(ask, found)
    return None


def _top(ask: Ask, found: re.Match[str]) -> Message:
    count = max(1, min(int(found.group("n") or 5), 50))
    return replies.top(ask.index, ask.all_groups(), count)


def _group_match(ask: Ask, text: str) -> Match:
    found = ask.group_names.match(text)
    return found if found.kind == "one" and found.score >= ACCEPT else Match("none")


def _group_owns(ask: Ask, found: re.Match[str]) -> Message | None:
    match = _group_match(ask, _subject(found.group("g")))
    if match.kind != "one":
        return None  # "what does Fiona own?" is about actions, not priorities
    return _group_answer(ask, match.ids[0])


def _group_answer(ask: Ask, group_id: int) -> Message:
    led = ask.index.led_by(group_id)
    shown = [row.id for row in led[: replies.GROUP_NAMES]]
    counts = register.open_action_counts(ask.session, shown)
    return replies.group(ask.all_groups()[group_id], led, ask.index.supported_by(group_id), counts)


def _who(ask: Ask, found: re.Match[str]) -> Message | None:
    subject = _subject(found.group("s"))
    if not subject or parse_ref(subject) is not None or re.match(r"^a-?\d+$", subject, _F):
        return None  # "who owns A-12?" is about an action
    match = ask.index.names.match(subject)
    group = _group_match(ask, subject)
    strong = group.kind == "one" and group.score >= STRONG_GROUP
    if strong and (match.kind != "one" or group.score > match.score):
        return _group_answer(ask, group.ids[0])
    return priority_answer(ask, subject, match)


def priority_answer(ask: Ask, asked: str, match: Match) -> Message:
    """The reply for a looked-up name: the priority, a "which one?", or "not found"."""
    rows = ask.index.rows
    if match.kind == "ambiguous":
        return replies.which(asked, [rows[i].name for i in match.ids])
    if match.kind == "none":
        return replies.not_found(asked, [rows[i].name for i in match.suggestions])
    found = register.get(ask.session, match.ids[0])
    if found is None:  # removed since the index was built
        return replies.not_found(asked, [])
    total, listed = register.open_actions(ask.session, found.id, limit=replies.SHOWN_ACTIONS)
    shown = [replies.OpenAction(i, t, d) for i, t, d in listed]
    return replies.priority(found, total, shown)
