"""Digests of actions grouped by subgroup and owner, overdue first, with counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from handlers.conversation.context import Context
from handlers.conversation.lookup import card
from handlers.conversation.permissions import may_see
from handlers.conversation.views import is_overdue, owner_inline
from handlers.messages import Block, Heading, Inline, Message, Paragraph
from store.models import Action, ActionOwner
from store.models.actions import OPEN

MAX_ITEMS = 60


def visible(ctx: Context, actions: Iterable[Action]) -> list[Action]:
    """The actions this place may show: never a restricted one in a channel."""
    if ctx.in_channel:
        return [a for a in actions if not a.restricted]
    return [a for a in actions if may_see(ctx, a)]


def counts(actions: list[Action], today: dt.date) -> str:
    """How many, and how many overdue: "3 actions, 1 overdue"."""
    late = sum(is_overdue(a, today) for a in actions)
    text = f"{len(actions)} action{'s' if len(actions) != 1 else ''}"
    return text + (f", {late} overdue" if late else "")


def sort_key(today: dt.date) -> Callable[[Action], tuple[bool, bool, dt.date, int]]:
    """Overdue first, then soonest due, undated last."""

    def key(a: Action) -> tuple[bool, bool, dt.date, int]:
        return (not is_overdue(a, today), a.due_date is None, a.due_date or dt.date.max, a.id)

    return key


def _owner_rows(action: Action) -> list[ActionOwner]:
    rows = [o for o in action.owners if o.status == OPEN] if action.status == OPEN else []
    return rows or [o for o in action.owners if o.status == action.status]


def _by_owner(actions: list[Action]) -> dict[str, tuple[Inline, list[Action]]]:
    owners: dict[str, tuple[Inline, list[Action]]] = {}
    for action in actions:
        rows = _owner_rows(action)
        if not rows:
            owners.setdefault("~", ("(no owner)", []))[1].append(action)
        for row in rows:
            key = f"m{row.member_id}" if row.member_id else f"w{row.written.lower()}"
            owners.setdefault(key, (owner_inline(row), []))[1].append(action)
    return owners


def _any_late(actions: list[Action], today: dt.date) -> bool:
    return any(is_overdue(a, today) for a in actions)


def _group_name(action: Action) -> str:
    return action.group.name if action.group is not None else "No group"


def digest(ctx: Context, title: str, actions: list[Action], *, empty: str) -> Message:
    """A digest message: heading with counts, then each subgroup, then each owner's actions."""
    today = ctx.today
    if not actions:
        return Message(f"{title}: {empty}", (Heading(title), Paragraph.of(empty)))
    summary = f"{title}: {counts(actions, today)}"
    blocks: list[Block] = [Heading(summary)]
    groups: dict[str, list[Action]] = {}
    for action in sorted(actions, key=sort_key(today)):
        groups.setdefault(_group_name(action), []).append(action)
    shown = 0
    for name in sorted(groups, key=lambda g: (not _any_late(groups[g], today), g)):
        blocks.append(Heading(f"{name} — {counts(groups[name], today)}"))
        owners = _by_owner(groups[name])
        order = sorted(owners, key=lambda k: (not _any_late(owners[k][1], today), k))
        for key in order:
            who, owned = owners[key]
            blocks.append(Paragraph.of(who, f" — {counts(owned, today)}"))
            for action in owned:
                if shown < MAX_ITEMS:
                    blocks.append(card(ctx, action))
                shown += 1
    if shown > MAX_ITEMS:
        more = f'…and {shown - MAX_ITEMS} more. Say "export actions" for the whole log.'
        blocks.append(Paragraph.of(more))
    return Message(summary, tuple(blocks))
