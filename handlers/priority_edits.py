"""Changing the priority register from chat ("priority knife crime lead Children and Young People").

Only the chair or secretary may (the conversation works that out and passes ``can_edit``); every
change goes through :mod:`store.priorities`, which audits it and bumps the register version.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process
from sqlalchemy import select

from handlers import priority_replies as replies
from handlers.messages import Message, Paragraph
from handlers.priority_index import normalise
from store import directory
from store import priorities as register
from store.models import Group, Member, Membership
from store.models.priorities import Priority
from store.priorities_yaml import PriorityIn

if TYPE_CHECKING:
    from handlers.priorities import Ask

STRICT = 85.0  # a subgroup named in an edit must match this well, as a whole
NAME_LIMIT = 200  # characters in a priority's name, as the register stores it
_SPLIT = re.compile(r"\s*[;,+]\s*")
_NONE = {"none", "nobody", "no one", "-", "nothing"}


def _officers(ask: Ask) -> list[str]:
    top = directory.board(ask.session)
    if top is None:
        return []
    rows = ask.session.execute(
        select(Member.name, Membership.role)
        .join(Membership, Membership.member_id == Member.id)
        .where(
            Membership.group_id == top.id,
            Membership.role.in_((directory.CHAIR, directory.SECRETARY)),
            Member.erased.is_(False),
        )
        .order_by(Membership.role, Member.name)
    )
    return [f"{name} ({role})" for name, role in rows]


def refusal(ask: Ask) -> Message:
    """A polite no, naming who can change the register."""
    who = _officers(ask)
    named = f": please ask {' or '.join(who)}" if who else ""
    return Message(
        summary=f"Only the chair or secretary can change the priority register{named}.",
        ephemeral=True,
    )


def _one_group(ask: Ask, name: str) -> Group | None:
    """A subgroup named exactly (after normalising), or with a small typo over the whole name."""
    names = ask.group_names
    key = normalise(name)
    exact = names.exact.get(key, set())
    if len(exact) == 1:
        return ask.all_groups()[next(iter(exact))]
    best = process.extractOne(key, names.keys, scorer=fuzz.ratio, score_cutoff=STRICT)
    return None if best is None else ask.all_groups()[names.owners[best[2]]]


def resolve_groups(ask: Ask, value: str) -> list[Group] | str:
    """The subgroups named in ``value`` (one, or several split by commas), or an error reply."""
    if value.casefold() in _NONE:
        return []
    whole = _one_group(ask, value)
    if whole is not None:
        return [whole]
    parts = [p for p in _SPLIT.split(value) if p]
    found = [(part, _one_group(ask, part)) for part in parts]
    unknown = [part for part, group in found if group is None]
    if unknown:
        known = ", ".join(sorted(g.name for g in ask.all_groups().values()))
        return f"I don't know a subgroup called “{unknown[0]}”. Subgroups: {known}."
    return list(dict.fromkeys(group for _, group in found if group is not None))


def _target(ask: Ask, name: str, creating: bool) -> Priority | Message:
    match = ask.index.names.match(name)
    rows = ask.index.rows
    if creating:
        if match.kind == "one" and match.score >= 100:
            return Message(summary=f"There is already a priority called {rows[match.ids[0]].name}.")
        same = register.by_name(ask.session, name)  # a name the index cannot read ("李雷")
        if same is not None:
            return Message(summary=f"There is already a priority called {same.name}.")
        if len(name) > NAME_LIMIT:
            return Message(
                summary=f"A priority's name can be up to {NAME_LIMIT} characters; "
                f"that one has {len(name):,}."
            )
        resolver = register.GroupResolver(ask.session)
        register.save(ask.session, PriorityIn(name=name), groups=resolver,
                      actor=ask.actor, via=ask.via, actor_id=ask.viewer_member_id)  # fmt: skip
        created = register.by_name(ask.session, name)
        assert created is not None
        return register.get(ask.session, created.id) or created
    if match.kind == "ambiguous":
        return replies.which(name, [rows[i].name for i in match.ids])
    if match.kind == "none":
        nearest = replies.not_found(name, [rows[i].name for i in match.suggestions]).summary
        return Message(summary=f"{nearest} To add it, say “new priority {name} lead SUBGROUP”.")
    found = register.get(ask.session, match.ids[0])
    return found if found is not None else replies.not_found(name, [])


def edit_reply(ask: Ask, found: re.Match[str]) -> Message:
    """Apply one chat edit and show the priority as it now stands."""
    if not ask.can_edit:
        return refusal(ask)
    field, value = found.group("field").casefold(), found.group("value").strip()
    leads = supporting = None
    add_target = add_alias = None
    if field in {"target", "alias"}:
        add_target, add_alias = (value, None) if field == "target" else (None, value)
    else:
        groups = resolve_groups(ask, value)  # before a new priority is made: a typo adds nothing
        if isinstance(groups, str):
            return Message(summary=groups)
        leads, supporting = (groups, None) if field in {"lead", "led by"} else (None, groups)
    target = _target(ask, found.group("name").strip(), bool(found.group("new")))
    if isinstance(target, Message):
        return target
    changes = register.edit(
        ask.session, target, actor=ask.actor, via=ask.via, actor_id=ask.viewer_member_id,
        leads=leads, supporting=supporting, add_target=add_target, add_alias=add_alias,
    )  # fmt: skip
    count = register.open_action_counts(ask.session, [target.id]).get(target.id, 0)
    shown = replies.priority(target, count, [])
    if found.group("new"):
        what = "Added."
    else:
        what = "Updated." if changes else "No change: it already says that."
    return Message(summary=f"{what} {shown.summary}", blocks=(Paragraph.of(what), *shown.blocks))
