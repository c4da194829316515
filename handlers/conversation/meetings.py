"""The meeting calendar of the place's group: "meetings" and "next meeting 12 June"."""

from __future__ import annotations

from handlers.conversation.context import Context
from handlers.conversation.lookup import unknown_speaker
from handlers.conversation.parser import Command
from handlers.conversation.permissions import is_officer, officers
from handlers.conversation.views import british
from handlers.dates import parse_date_phrase
from handlers.messages import Heading, Outgoing, Paragraph
from store import directory


def _no_group(ctx: Context) -> list[Outgoing]:
    text = "This place belongs to no group and there is no board in the directory yet."
    return [ctx.reply(text, Paragraph.of(text))]


def meetings(ctx: Context, cmd: Command) -> list[Outgoing]:
    """The group's calendar: the last meeting and those to come."""
    group = ctx.group
    if group is None:
        return _no_group(ctx)
    dates = directory.meeting_dates(ctx.session, group.id)
    past = [d for d in dates if d < ctx.today][-1:]
    coming = [d for d in dates if d >= ctx.today]
    if not dates:
        text = f'No meetings of {group.name} in the calendar. Add one: "next meeting 12 June".'
        return [ctx.reply(text, Paragraph.of(text))]
    lines = [Paragraph.of(f"Last: {british(d)}") for d in past]
    lines += [
        Paragraph.of(f"{'Next' if i == 0 else 'Then'}: {british(d)}") for i, d in enumerate(coming)
    ]
    if not coming:
        lines.append(Paragraph.of('None to come. Add one: "next meeting 12 June".'))
    title = f"Meetings of {group.name}"
    return [ctx.reply(title, Heading(title), *lines)]


def add_meeting(ctx: Context, cmd: Command) -> list[Outgoing]:
    """Add a meeting to the calendar of the place's group (chair or secretary only)."""
    if ctx.speaker is None:
        return [unknown_speaker(ctx)]
    group = ctx.group
    if group is None:
        return _no_group(ctx)
    if not is_officer(ctx.session, ctx.speaker_id, group.id):
        names = " or ".join(m.name for m in officers(ctx.session, group.id)) or "the chair"
        text = f"Sorry — only {names} can change the meeting calendar of {group.name}."
        return [ctx.reply(text, Paragraph.of(text))]
    phrase = cmd.text or ""
    dates = directory.meeting_dates(ctx.session, group.id)
    day = parse_date_phrase(phrase, today=ctx.today, meetings=dates)
    if day is None or not ctx.plausible(day, years=3):
        text = f'I couldn\'t read "{phrase}" as a date to come. Try "next meeting 12 June".'
        return [ctx.reply(text, Paragraph.of(text))]
    if day in dates:
        text = f"{group.name} already meets on {british(day)} — nothing changed."
        return [ctx.reply(text, Paragraph.of(text))]
    directory.add_meeting(ctx.session, group.id, day, actor=ctx.speaker_name, via=ctx.via)
    text = f"Added: {group.name} meets on {british(day)}."
    return [ctx.reply(text, Paragraph.of(text))]
