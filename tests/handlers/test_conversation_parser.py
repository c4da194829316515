"""The conversation parser: plain words, variants, typos and mentions all reach the right intent."""

from __future__ import annotations

import pytest

from handlers.conversation.parser import Command, parse

CASES = [
    ("done", Command("done")),
    ("Done.", Command("done")),
    ("completed", Command("done")),
    ("finished A-12", Command("done", ref="A-12")),
    ("done A-12", Command("done", ref="A-12")),
    ("done a12", Command("done", ref="A-12")),
    ("A-12 done – sent the report", Command("done", ref="A-12", text="sent the report")),
    ("<@U0BOT> done #7: all sorted", Command("done", ref="A-7", text="all sorted")),
    ("@Chaser mark A-3 as done", Command("done", ref="A-3")),
    (
        "update A-12: waiting for police data",
        Command("update", ref="A-12", text="waiting for police data"),
    ),
    ("A-12 update - draft circulated", Command("update", ref="A-12", text="draft circulated")),
    ("snooze A-12 until Monday", Command("snooze", ref="A-12", text="Monday")),
    ("snooze A-12 2 weeks", Command("snooze", ref="A-12", text="2 weeks")),
    ("snooze A-12", Command("snooze", ref="A-12")),
    ("not mine A-12 – wrong team", Command("not_mine", ref="A-12", text="wrong team")),
    ("A-3 is not mine: wrong team", Command("not_mine", ref="A-3", text="wrong team")),
    ("not mine", Command("not_mine")),
    ("my actions", Command("my_actions")),
    ("what are my actions?", Command("my_actions")),
    ("Chaser, show my open actions", Command("my_actions")),
    ("outstanding", Command("list")),
    ("what's outstanding?", Command("list")),
    ("show open actions", Command("list")),
    ("outstnading", Command("list")),
    ("<@U0BOT> outstanding for Safer Borough", Command("list", scope="Safer Borough")),
    ("overdue", Command("list", overdue=True)),
    ("overdue for Safer Borough?", Command("list", overdue=True, scope="Safer Borough")),
    ("actions for Fiona Taylor", Command("list", scope="Fiona Taylor")),
    ("actions from the March meeting", Command("list", meeting="March")),
    ("what's due this week", Command("list", due_this_week=True)),
    ("my overdue actions", Command("list", overdue=True, scope="me")),
    ("what's outstanding for me?", Command("list", scope="me")),
    ("done since January", Command("list", done_since="January")),
    ("completed since 1 March", Command("list", done_since="1 March")),
    ("assign A-12 to <@U123>", Command("assign", ref="A-12", text="<@U123>")),
    ("reassign A-12 to Fiona Taylor", Command("assign", ref="A-12", text="Fiona Taylor")),
    ("due A-12 30 June", Command("due", ref="A-12", text="30 June")),
    ("A-12 due end of month", Command("due", ref="A-12", text="end of month")),
    ("cancel A-12 – superseded", Command("cancel", ref="A-12", text="superseded")),
    ("reopen A-12", Command("reopen", ref="A-12")),
    ("next meeting 12 June", Command("add_meeting", text="12 June")),
    ("meetings", Command("meetings")),
    ("when is the next meeting?", Command("meetings")),
    ("export actions", Command("export", text="docx")),
    ("export the action log as csv", Command("export", text="csv")),
    ("export actions markdown", Command("export", text="md")),
    ("help", Command("help")),
    ("done!", Command("done")),
    (
        "done A-3, A-4 and A-5 – all sent",
        Command("done", "A-3", "all sent", more_refs=("A-4", "A-5")),
    ),
    ("done A-3 & A-4", Command("done", "A-3", more_refs=("A-4",))),
    ("all done", Command("done")),
    ("thanks, done", Command("done")),
    ("I've done A-3", Command("done", ref="A-3")),
    ("completed: A-3 sent the draft", Command("done", ref="A-3", text="sent the draft")),
    ("✅ A-3", Command("done", ref="A-3")),
    ("not mine: A-3 wrong team", Command("not_mine", ref="A-3", text="wrong team")),
    ("What have I got?", Command("my_actions")),
    ("export", Command("export", text="docx")),
    ("export to word", Command("export", text="docx")),
    ("@Chaser", Command("help")),
]


@pytest.mark.parametrize(("said", "expected"), CASES, ids=[c[0] for c in CASES])
def test_recognises(said: str, expected: Command) -> None:
    assert parse(said) == expected


@pytest.mark.parametrize(
    "said",
    [
        "ACTION: Fiona Taylor to liaise with Tom Hook by end of month",
        "Action: review the overdue cases – Tom Hook",
        "Actions:\n1. Fiona Taylor to circulate\n2. Tom Hook to update the outstanding list",
        "<@U0BOT> ACTION: Rita Chadha to cancel the booking",
    ],
)
def test_action_lines_are_captured_not_read_as_commands(said: str) -> None:
    assert parse(said).intent == "capture"


@pytest.mark.parametrize("said", ["hello", "who leads on knife crime?", "", "   ", "A-12"])
def test_everything_else_is_unknown_or_help(said: str) -> None:
    assert parse(said).intent in ("unknown", "help")


def test_mention_of_the_assignee_is_kept() -> None:
    assert parse("<@U0BOT> assign A-4 to <@U999|tom>").text == "<@U999|tom>"


@pytest.mark.parametrize(
    ("text", "intent", "ref"),
    [
        ("restrict A-12", "restrict", "A-12"),
        ("mark A-12 as confidential", "restrict", "A-12"),
        ("make a12 restricted – names a child", "restrict", "A-12"),
        ("unrestrict A-12", "unrestrict", "A-12"),
        ("make A-12 public", "unrestrict", "A-12"),
        ("mark A-12 as not restricted", "unrestrict", "A-12"),
    ],
)
def test_restricting_and_lifting_it(text: str, intent: str, ref: str) -> None:
    command = parse(text)
    assert (command.intent, command.ref) == (intent, ref)
