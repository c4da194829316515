"""What chairs ask to see: outstanding, overdue, due this week, by person or meeting, done."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace

from sqlalchemy import select

from handlers.conversation.context import Context
from handlers.conversation.digest import digest, visible
from handlers.conversation.lookup import unknown_speaker
from handlers.conversation.parser import Command
from handlers.conversation.views import british
from handlers.dates import parse_date_phrase
from handlers.messages import Outgoing, Paragraph, ToPlace
from store import actions as repo
from store import directory
from store.models import Group, Member
from store.models.actions import DONE, OPEN

_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}


@dataclass(frozen=True)
class Query:
    """A listing request made concrete: the store filter, who it is about, and its title."""

    flt: repo.ActionFilter
    title: str
    member: Member | None = None


def past_date(phrase: str, today: dt.date) -> dt.date | None:
    """The latest day on or before today that ``phrase`` names ("January" -> 1 Jan)."""
    words = phrase.lower().strip(" ?.").removeprefix("the ").split()
    if words and words[0] in _MONTHS:
        month = _MONTHS[words[0]]
        year = int(words[1]) if len(words) > 1 and words[1].isdigit() else today.year
        first = dt.date(year, month, 1)
        return first if first <= today or len(words) > 1 else dt.date(year - 1, month, 1)
    day = parse_date_phrase(phrase, today=today, meetings=[])
    if day is None or day <= today:
        return day
    return day - dt.timedelta(days=365 + (day.month > 2 and day.year % 4 == 0))


def group_ids(ctx: Context, group: Group | None) -> tuple[int, ...]:
    """The group and its subgroups; everything (no filter) for the board or no group."""
    if group is None or group.kind == "board":
        return ()
    children = ctx.session.scalars(select(Group.id).where(Group.parent_id == group.id))
    return (group.id, *children)


def _scope(ctx: Context, cmd: Command) -> tuple[Group | None, Member | None] | Outgoing:
    if not cmd.scope:
        return ctx.group, None
    wanted = cmd.scope.strip()
    if wanted.lower() in ("me", "myself", "mine"):
        return (None, ctx.speaker) if ctx.speaker is not None else unknown_speaker(ctx)
    group = directory.group_by_name(ctx.session, wanted)
    if group is not None:
        return group, None
    member = directory.member_by_name(ctx.session, re.sub(r"^@", "", wanted))
    if member is not None:
        return None, member
    text = f'I don\'t know a group or person called "{wanted}". Say "meetings" or "help".'
    return ctx.reply(text, Paragraph.of(text))


def build_query(ctx: Context, cmd: Command) -> Query | Outgoing:
    """Turn a listing command into a store filter, or the reply explaining what was not clear."""
    scope = _scope(ctx, cmd)
    if isinstance(scope, Outgoing):
        return scope
    group, member = scope
    flt = repo.ActionFilter(statuses=(OPEN,), group_ids=group_ids(ctx, group))
    title = "Outstanding actions"
    if cmd.overdue:
        flt, title = replace(flt, overdue_on=ctx.today), "Overdue actions"
    if cmd.due_this_week:
        sunday = ctx.today + dt.timedelta(days=6 - ctx.today.weekday())
        flt, title = replace(flt, due_on_or_before=sunday), "Actions due this week"
    if cmd.done_since:
        since = past_date(cmd.done_since, ctx.today)
        if since is None:
            text = f'I couldn\'t read "{cmd.done_since}" as a date. Try "done since January".'
            return ctx.reply(text, Paragraph.of(text))
        start = dt.datetime.combine(since, dt.time(), tzinfo=ctx.zone).astimezone(dt.UTC)
        flt = replace(flt, statuses=(DONE,), closed_since=start)
        title = f"Done since {british(since)}"
    if cmd.meeting:
        held = past_date(cmd.meeting, ctx.today)
        if held is None:
            text = (
                f'I couldn\'t tell which meeting "{cmd.meeting}" is. '
                'Try "actions from the March meeting".'
            )
            return ctx.reply(text, Paragraph.of(text))
        flt = replace(flt, meeting_month=(held.year, held.month))
        title += f" from the {held:%B %Y} meeting"
    if member is not None:
        flt, title = replace(flt, member_id=member.id), f"{title} for {member.name}"
    elif group is not None and group.kind != "board":
        title += f" — {group.name}"
    return Query(flt, title, member)


def listing(ctx: Context, cmd: Command) -> list[Outgoing]:
    """Answer a listing request with a digest, showing only what this place may show."""
    query = build_query(ctx, cmd)
    if isinstance(query, Outgoing):
        return [query]
    found = repo.find(ctx.session, query.flt)
    if query.member is not None and not cmd.done_since:
        member_id = query.member.id
        found = [
            a for a in found if any(o.member_id == member_id and o.status == OPEN for o in a.owners)
        ]
    if cmd.due_this_week:
        monday = ctx.today - dt.timedelta(days=ctx.today.weekday())
        found = [a for a in found if a.due_date is not None and a.due_date >= monday]
    message = digest(ctx, query.title, visible(ctx, found), empty="nothing to show. 🎉")
    return [Outgoing(ToPlace(ctx.place), message, action_refs=())]
