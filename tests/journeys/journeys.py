"""The journey list: what people do with Chaser, written once, run on every adapter.

Each journey is a function that takes a :class:`Driver` and talks to Chaser the way people do,
asserting on the text they would see. Nothing here knows which platform is underneath.

How a platform driver plugs in (Slack, Teams):

1. Implement :class:`Driver` over the real adapter and the fake platform server: ``say`` sends
   ``text`` as the member called ``who`` (in the directory built from ``examples/partnership.yml``
   plus your platform's user ids) to ``where`` -- ``"channel"`` is the board's channel,
   ``"subgroup"`` is Safer Borough's channel, ``"dm"`` the member's direct chat with the bot -- and
   returns the text of the reply posted in that place (render Block Kit / Adaptive Card text to
   plain text); ``dms(who)`` returns every direct message the bot sent that member, oldest first,
   as text (a direct-chat reply to ``say(..., where="dm")`` is the return value, not a DM);
   ``files()`` returns files the bot handed back; ``wait(days)`` moves the injected clock.
2. Start the clock at :data:`START` (Europe/London) and load the directory before the first
   journey step.
3. Parametrise a test over :data:`JOURNEYS` exactly as ``tests/journeys/test_console_journeys.py``
   does, with your driver in place of the console's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Protocol
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
START = dt.datetime(2026, 6, 1, 10, 0, tzinfo=LONDON)  # a Monday

CHAIR = "Fiona Taylor"  # chairs the board
SECRETARY = "Jade Hodgson"  # the board's secretary
OWNER = "Tom Hook"
COLLEAGUE = "Rita Chadha"
OUTSIDER = "Pat Hayes"  # in the directory, in no group, owns nothing


class Driver(Protocol):
    """One platform, seen from the people using it."""

    def say(self, who: str, text: str, *, where: str = "channel") -> str:
        """Say ``text`` as ``who`` in ``where`` ("channel", "subgroup", "dm"); the reply's text."""
        ...

    def dms(self, who: str) -> list[str]:
        """Every direct message the bot sent ``who`` so far, as text."""
        ...

    def files(self) -> list[tuple[str, bytes]]:
        """Every file the bot handed back so far: (filename, content)."""
        ...

    def wait(self, days: int) -> None:
        """Let ``days`` pass."""
        ...


Journey = Callable[[Driver], None]


def ref_in(text: str) -> str:
    """The first action reference in a reply."""
    found = re.search(r"\bA-\d+\b", text)
    assert found, f"no action reference in:\n{text}"
    return found.group(0)


def refs_in(text: str) -> set[str]:
    """Every action reference in a reply."""
    return set(re.findall(r"\bA-\d+\b", text))


def capture(d: Driver, line: str, *, who: str = SECRETARY, where: str = "channel") -> str:
    """Post an action line and return its reference."""
    return ref_in(d.say(who, f"ACTION: {line}", where=where))


# ---- the journeys ---------------------------------------------------------------------------


def capture_confirms_and_tells_owner(d: Driver) -> None:
    reply = d.say(SECRETARY, "ACTION: Tom Hook to send the ASB figures to the board by 30 June")
    ref = ref_in(reply)
    assert "Tom Hook" in reply
    assert "30 Jun 2026" in reply
    assert any(ref in m for m in d.dms(OWNER)), d.dms(OWNER)


def owner_says_done(d: Driver) -> None:
    ref = capture(d, "Tom Hook to send the ASB figures by 30 June")
    reply = d.say(OWNER, "done – sent the figures", where="dm")
    assert f"{ref} is done" in reply
    assert ref not in d.say(OWNER, "my actions", where="dm")
    again = d.say(OWNER, f"done {ref}", where="dm")
    assert "already" in again and "nothing changed" in again
    assert ref in d.say(CHAIR, "done since May", where="dm")


def done_asks_which_when_several(d: Driver) -> None:
    first = capture(d, "Tom Hook to send the ASB figures by 30 June")
    second = capture(d, "Tom Hook to book the venue by 12 June")
    reply = d.say(OWNER, "finished", where="dm")
    assert "which one" in reply
    assert {first, second} <= refs_in(reply)
    assert f"{second} is done" in d.say(OWNER, f"{second} completed", where="dm")


def each_owner_closes_their_own_part(d: Driver) -> None:
    ref = capture(d, "Tom Hook and Rita Chadha to review the CCTV strategy by 30 June")
    reply = d.say(OWNER, f"done {ref}", where="dm")
    assert "your part" in reply and "Rita Chadha" in reply
    assert ref in d.say(COLLEAGUE, "my actions", where="dm")
    assert f"{ref} is done" in d.say(COLLEAGUE, f"done {ref}", where="dm")


def owner_snoozes(d: Driver) -> None:
    ref = capture(d, "Tom Hook to send the ASB figures by 30 June")
    reply = d.say(OWNER, f"snooze {ref} 2 weeks", where="dm")
    assert "Mon 15 Jun 2026" in reply
    until = d.say(OWNER, f"snooze {ref} until Friday", where="dm")
    assert "Fri 5 Jun 2026" in until


def owner_updates(d: Driver) -> None:
    ref = capture(d, "Tom Hook to send the ASB figures by 30 June")
    assert f"Noted on {ref}" in d.say(OWNER, f"update {ref}: waiting for police data", where="dm")
    assert "waiting for police data" in d.say(OWNER, "my actions", where="dm")


def owner_says_not_mine(d: Driver) -> None:
    ref = capture(d, "Tom Hook to send the ASB figures by 30 June")
    reply = d.say(OWNER, f"not mine {ref} – wrong team", where="dm")
    assert "handed" in reply and CHAIR in reply
    assert any(ref in m and "wrong team" in m for m in d.dms(CHAIR)), d.dms(CHAIR)
    assert ref not in d.say(OWNER, "my actions", where="dm")


def chair_assigns(d: Driver) -> None:
    ref = capture(d, "Tom Hook to send the ASB figures by 30 June")
    reply = d.say(CHAIR, f"assign {ref} to Rita Chadha")
    assert f"{ref} is now with Rita Chadha" in reply
    assert any(ref in m for m in d.dms(COLLEAGUE)), d.dms(COLLEAGUE)
    assert ref in d.say(COLLEAGUE, "my actions", where="dm")
    assert "already owns" in d.say(CHAIR, f"assign {ref} to Rita Chadha")


def chair_moves_due_date_and_cancels(d: Driver) -> None:
    ref = capture(d, "Tom Hook to send the ASB figures by 30 June")
    assert "Fri 10 Jul 2026" in d.say(CHAIR, f"due {ref} 10 July")
    assert "cancelled" in d.say(CHAIR, f"cancel {ref} – superseded")
    assert ref not in d.say(CHAIR, "outstanding")
    assert "open again" in d.say(CHAIR, f"reopen {ref}")
    assert "already open" in d.say(CHAIR, f"reopen {ref}")


def outstanding_by_subgroup_and_owner(d: Driver) -> None:
    board = capture(d, "Tom Hook to send the ASB figures by 30 June")
    local = capture(d, "Tim Barfoot to map the hotspots by 19 June", where="subgroup")
    reply = d.say(CHAIR, "what's outstanding?")
    assert {board, local} <= refs_in(reply)
    assert "Safer Borough" in reply and "Tom Hook" in reply and "2 actions" in reply
    narrow = d.say(CHAIR, "outstanding for Safer Borough")
    assert local in narrow and board not in narrow
    assert local in d.say(CHAIR, "outstnading", where="subgroup")
    assert board in d.say(CHAIR, "actions for Tom Hook")


def overdue_first_and_marked(d: Driver) -> None:
    late = capture(d, "Tom Hook to book the venue by Friday")
    later = capture(d, "Tom Hook to send the ASB figures by 30 June")
    d.wait(10)
    reply = d.say(CHAIR, "overdue")
    assert late in reply and later not in reply
    assert "OVERDUE" in reply
    mine = d.say(OWNER, "my actions", where="dm")
    assert mine.index(late) < mine.index(later)
    assert "1 overdue" in mine


def export_gives_the_action_log(d: Driver) -> None:
    capture(d, "Tom Hook to send the ASB figures by 30 June")
    reply = d.say(SECRETARY, "export actions")
    assert "action log" in reply.lower()
    name, content = d.files()[-1]
    assert name.endswith(".docx") and content[:2] == b"PK"


def help_when_not_understood(d: Driver) -> None:
    reply = d.say(OUTSIDER, "what is the meaning of life")
    assert "What I can do" in reply and "my actions" in reply
    assert "What I can do" in d.say(OUTSIDER, "help")


def outsider_cannot_change(d: Driver) -> None:
    ref = capture(d, "Tom Hook to send the ASB figures by 30 June")
    for attempt in (
        f"done {ref}",
        f"cancel {ref}",
        f"assign {ref} to Pat Hayes",
        f"due {ref} 1 July",
    ):
        reply = d.say(OUTSIDER, attempt)
        assert "only" in reply.lower() or "not an owner" in reply, reply
    assert ref in d.say(CHAIR, "outstanding")


def calendar(d: Driver) -> None:
    assert "Added" in d.say(SECRETARY, "next meeting 24 June", where="subgroup")
    assert "Wed 24 Jun 2026" in d.say(OWNER, "meetings", where="subgroup")
    assert "only" in d.say(OWNER, "next meeting 25 June", where="subgroup")


JOURNEYS: dict[str, Journey] = {
    "capture": capture_confirms_and_tells_owner,
    "done": owner_says_done,
    "done asks which": done_asks_which_when_several,
    "each owner closes their part": each_owner_closes_their_own_part,
    "snooze": owner_snoozes,
    "update": owner_updates,
    "not mine": owner_says_not_mine,
    "assign": chair_assigns,
    "due, cancel, reopen": chair_moves_due_date_and_cancels,
    "outstanding": outstanding_by_subgroup_and_owner,
    "overdue": overdue_first_and_marked,
    "export": export_gives_the_action_log,
    "help": help_when_not_understood,
    "outsider cannot change": outsider_cannot_change,
    "calendar": calendar,
}
