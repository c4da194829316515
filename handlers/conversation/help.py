"""The short help: what Chaser understands, in the words people use."""

from __future__ import annotations

from handlers.messages import Heading, Message, Paragraph

COMMANDS = (
    ("ACTION: Fiona Taylor to send the report by Friday", "record an action"),
    ("my actions", "your open actions, overdue first"),
    ("done A-12 – sent the report", 'close your part (just "done" if you have one)'),
    ("update A-12: waiting for police data", "add a progress note"),
    ("snooze A-12 until Monday / 2 weeks", "stop reminders until then"),
    ("not mine A-12 – wrong team", "hand it back to the chair"),
    ("outstanding [for Safer Borough]", "open actions by subgroup and owner"),
    ("overdue · what's due this week · actions for NAME", "narrower lists"),
    ("actions from the March meeting · done since January", "by meeting, or finished"),
    ("assign A-12 to @name · due A-12 30 June", "chairs and secretaries"),
    ("cancel A-12 – superseded · reopen A-12", "chairs, secretaries, the creator"),
    ("restrict A-12 · unrestrict A-12", "only owners, chair and secretary see it"),
    ("meetings · next meeting 12 June", "the meeting calendar"),
    ("export actions [csv|md]", "the action log as a Word file"),
    ("who leads on knife crime? · what does Safer Borough own?", "the priorities"),
)


def help_message(intro: str | None = None) -> Message:
    """The list of things Chaser can do, optionally after a line saying what was not understood."""
    blocks: list[Heading | Paragraph] = []
    if intro:
        blocks.append(Paragraph.of(intro))
    blocks.append(Heading("What I can do"))
    blocks += [Paragraph.of(f"• {say} — {does}") for say, does in COMMANDS]
    return Message(intro or "What I can do", tuple(blocks))
