"""Hostile and arbitrary text against every command parser: chat commands and button presses,
priority questions and edits, Slack's ``/actions``, Teams messages and the command line.

Whatever arrives (huge messages, control characters, right-to-left marks, mrkdwn, ``<!channel>``,
``<@U123>``, HTML, SQL, a hundred names, the year 9999, A-99999999999999999999, negative numbers,
nothing at all):

1. nothing raises: the conversation answers, the command line exits non-zero with one line;
2. replies stay bounded and within each platform's limits, with no channel-wide ping and no
   mention nobody made: Slack mrkdwn holds no ``<!…>`` and only ``<@U…>`` of members, a Teams card
   no live ``<at>`` but real mentions;
3. what Chaser refuses or does not understand writes nothing: every table reads the same before
   and after (delivery bookkeeping - processed event keys, saved conversation references - aside).

Each chat example runs on the seeded example partnership inside a transaction rolled back after
it, on SQLite and (when configured) PostgreSQL; Slack and Teams are the real apps over HTTP.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, Engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.settings import Settings
from bot.slack import render as slack_render
from bot.teams.cards import card_text, render_card
from handlers.conversation.parser import parse
from handlers.extraction import extract_actions
from handlers.limits import MAX_MESSAGE_CHARS
from handlers.messages import Outgoing, ToPlace
from handlers.priority_index import NameIndex, normalise
from handlers.render_text import render_text
from store import directory
from store.actions import parse_ref
from store.db import make_engine, make_session_factory, transaction
from store.migrate import upgrade
from store.models import Action, AuditEvent, Base, Member
from store.priorities import import_priorities
from store.priorities_yaml import read_file
from tests.conftest import ROOT, side_database
from tests.fakes.slack_api import BOT_USER_ID
from tests.fakes.teams_connector import FakeTeamsConnector
from tests.handlers.conversation_kit import Kit
from tests.journeys.partnership import load_partnership
from tests.slack.harness import CHANNEL, SlackWorld
from tests.teams import harness as teams
from tests.trust.strategies import HOSTILE, HUNDRED_NAMES, NAMES, hostile_texts

FUZZ = settings(
    max_examples=30,
    deadline=3000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FEW = settings(FUZZ, max_examples=12)  # each example is a round trip over HTTP or a CLI run

PARTNERSHIP = ROOT / "examples" / "partnership.yml"
PRIORITIES = ROOT / "examples" / "priorities.yml"
BOOKKEEPING = {"processed_events", "conversation_refs"}  # which deliveries were seen; not data
MEGABYTE = 1_000_000
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# ---- what people say -----------------------------------------------------------------------

OWNER_VERBS = ["done", "completed", "update", "progress", "snooze", "defer", "not mine", "decline"]
CHAIR_VERBS = ["assign", "reassign", "due", "move", "cancel", "drop", "reopen", "undo"]
OTHER_WORDS = [
    "my actions", "outstanding", "overdue", "actions for", "done since", "export actions as",
    "export", "meetings", "next meeting", "help", "who leads on", "what does", "where does",
    "priority", "new priority", "top", "overlaps", "what are our priorities", "",
]  # fmt: skip
SEEDED = ["A-1", "a2", "#3", "A-4", "A - 5"]  # the seeded actions (see ``_seed``)
MISSING = ["A-424242", "A-999999999", "A-99999999999999999999", "#77777", "a-1000000000"]
ODD_REFS = ["A-0", "A--1", "A-", "#", "A-٣", "Ａ-1", "A-1e9", "-1", "A-1.5", "A-12345678901234567"]
SEPS = [" ", ": ", " – ", ", ", " until ", " to ", " by ", " since ", " as ", "\t", ""]
TAILS = [
    "until 9999-12-31", "31/02/2026", "9999-12-31", "0000-01-01", "-1 weeks", "in -5 days",
    "<!channel>", "<@U123>", "<!here|here>", "@everyone", "<a href='x'>y</a>", "' OR 1=1 --",
    "csv", "docx", "md", "Safer Borough", "knife crime", "Tom Hook", "nobody",
]  # fmt: skip

commands = st.tuples(
    st.sampled_from(OWNER_VERBS + CHAIR_VERBS + OTHER_WORDS),
    st.sampled_from(["", *SEEDED, *MISSING, *ODD_REFS]),
    st.sampled_from(SEPS),
    st.one_of(st.sampled_from([*TAILS, ", ".join(HUNDRED_NAMES)]), hostile_texts(8)),
).map(lambda p: f"{p[0]} {p[1]}{p[2]}{p[3]}")
said = st.one_of(commands, hostile_texts(12), st.text(max_size=120))

# a tail that cannot itself be read as an action or as minutes: one line, no "Name to verb"
QUIET = [h for h in HOSTILE + NAMES if not re.search(r"action|\bto\b|will|[\n\r\u2028]", h, re.I)]
_ONE_WORD = st.text(st.characters(exclude_categories=("Zs", "Zl", "Zp", "Cc", "Cs")), max_size=15)
quiet_tails = st.lists(st.one_of(st.sampled_from(QUIET + TAILS), _ONE_WORD), max_size=5).map(
    ", ".join
)
priority_words = st.tuples(
    st.sampled_from(
        ["who leads on ", "who owns ", "which subgroup covers ", "where does ", "what does ",
         "what are the ", "top ", "priority ", "new priority ", "add priority "]
    ),
    st.one_of(st.sampled_from(["knife crime", "ASB", "Safer Borough", "-5", ""]), quiet_tails),
    st.sampled_from(
        [" lead ", " led by ", " supporting ", " target ", " alias ", " own", " priorities", " "]
    ),
    st.one_of(st.sampled_from(TAILS), quiet_tails),
).map("".join)  # fmt: skip

PEOPLE = ["Tom Hook", "Fiona Taylor", "Pat Hayes", "Sam Stranger"]  # owner, chair, member, nobody
# own nothing and chair nothing; Sam is not in the directory
BYSTANDERS = ["Pat Hayes", "Sam Stranger"]

# ---- refusals, as people read them ----------------------------------------------------------

REFUSED = re.compile(
    r"I can't find|Sorry|Only the chair|I don't know|I couldn't read|not an owner|"
    r"not open any more|nothing changed|nothing to cancel|What's the news|no open actions|"
    r"[Ww]hich one\?|There is already|first\.|first if it is live|No actions found|"
    r"What I can do|too long for me to read",
)
CHANGED = re.compile(
    r"is done|is now|Noted on|won't chase|handed \S+ back|is cancelled\b|open again|Added|"
    r"Updated\.|recorded",
    re.IGNORECASE,
)
READ_ONLY = {"my_actions", "list", "meetings", "export", "help"}


def refused(said: str, shown: str) -> bool:
    """True when Chaser only read (a listing, help) or said no or did not understand."""
    if parse(said).intent in READ_ONLY:
        return True
    return bool(REFUSED.search(shown)) and not CHANGED.search(shown)


def summary(out: list[Outgoing]) -> str:
    return " ".join(o.message.summary for o in out if isinstance(o.to, ToPlace))


# ---- the database: the example partnership, seeded once a module ---------------------------


def _seed(url: str) -> None:
    """The example partnership and priority register, and five actions to talk about."""
    load_partnership(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with transaction(sessions) as session:
        import_priorities(session, read_file(PRIORITIES), actor="test", via="cli")
    kit = Kit(sessions)
    kit.add("Send the ASB figures", ["Tom Hook"], due=dt.date(2026, 6, 12))
    kit.add("Review the knife crime plan", ["Tom Hook", "Tim Barfoot"])
    kit.add("Safeguarding referral", ["Tom Hook"], restricted=True)
    kit.add("Book the venue", ["Someone Unknown"], due=dt.date(2026, 5, 1))
    kit.add("Circulate the minutes", ["Tom Hook"])  # A-5, closed below
    assert kit.say("Tom Hook", "done A-5")[0].message.summary == "Thanks — A-5 is done."
    engine.dispose()


def _savepoints_on_sqlite(engine: Engine) -> Engine:
    """pysqlite begins transactions lazily; let SQLAlchemy begin them, so savepoints nest."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the seeded partnership (copied by each user, never written)."""
    path = tmp_path_factory.mktemp("command-fuzz") / "seeded.db"
    _seed(f"sqlite:///{path}")
    return path


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def seeded(request: pytest.FixtureRequest, seeded_file: Path) -> Iterator[Engine]:
    """An engine on the seeded partnership: a SQLite copy, or a PostgreSQL database of its own."""
    if request.param == "sqlite":
        path = seeded_file.with_name("conversation.db")
        shutil.copyfile(seeded_file, path)
        engine = _savepoints_on_sqlite(make_engine(f"sqlite:///{path}"))
        yield engine
        engine.dispose()
        return
    server: str = request.getfixturevalue("postgres_server_url")
    with side_database(server, "commands", _seed) as engine:
        yield engine


@contextlib.contextmanager
def rolled_back(engine: Engine) -> Iterator[Kit]:
    """The conversation on the seeded partnership; every change it commits is undone after."""
    with engine.connect() as conn:
        outer = conn.begin()
        try:
            yield Kit(
                sessionmaker(
                    bind=conn, expire_on_commit=False, join_transaction_mode="create_savepoint"
                )
            )
        finally:
            outer.rollback()


def rows(sessions: sessionmaker[Session]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (delivery bookkeeping aside), to compare before and after."""
    with sessions() as session:
        return {
            table.name: [tuple(r) for r in session.execute(select(table))]
            for table in Base.metadata.sorted_tables
            if table.name not in BOOKKEEPING
        }


def counts(sessions: sessionmaker[Session]) -> dict[str, int]:
    """Row counts of every table (delivery bookkeeping aside) and the newest audit id: for the
    live apps, which update members' platform ids as they meet them."""
    with sessions() as session:
        found = {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
            if table.name not in BOOKKEEPING
        }
        found["max audit id"] = session.scalar(select(func.max(AuditEvent.id))) or 0
        return found


def said_to(kit: Kit, who: str, words: str, *, direct: bool = False) -> list[Outgoing]:
    """The conversation's answer, checked; when it refused, nothing in the store changed."""
    before = rows(kit.sessions)
    out = kit.say(who, words, direct=direct, key=f"fuzz:{time.monotonic_ns()}")
    check_reply(words, out)
    if refused(words, summary(out)):
        assert rows(kit.sessions) == before, summary(out)
    return out


def newest(kit: Kit) -> Action:
    with kit.sessions() as session:
        ref = session.scalar(select(Action.ref).order_by(Action.id.desc()).limit(1))
    assert ref is not None
    return kit.action(ref)


def written(before: dict[str, list[Any]], after: dict[str, list[Any]]) -> list[str]:
    """Every string in the rows that are new or changed."""
    changed = [row for table, found in after.items() for row in found if row not in before[table]]
    assert changed, "something was stored"
    return list(_strings(changed))


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        yield from (s for item in value.values() for s in _strings(item))
    elif isinstance(value, list | tuple):
        yield from (s for item in value for s in _strings(item))


# ---- what a reply may look like ------------------------------------------------------------

SLACK_LIMITS = {"section": 3000, "context": 3000, "blocks": 50, "text": 40_000}
TEAMS_LIMIT = 28_000  # bytes of one activity, cards included
TEAMS_OK = (200, 201)  # the Bot Framework's answers to a handled activity


def bound(said: str) -> int:
    """The longest reply allowed: the help text or a page of actions, plus what was said."""
    return 8_000 + 3 * len(said)


def _mrkdwn(text: str, blocks: Sequence[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    yield "text", text
    for block in blocks:
        if block.get("type") == "section":
            yield "section", str(block["text"]["text"])
        for element in block.get("elements", ()):
            if element.get("type") == "mrkdwn":
                yield "context", str(element["text"])


def check_slack(text: str, blocks: Sequence[dict[str, Any]], members: set[str]) -> None:
    """Slack's limits kept; no special mention, link, or mention of anyone but a member."""
    assert len(blocks) <= SLACK_LIMITS["blocks"]
    for kind, mrkdwn in _mrkdwn(text, blocks):
        assert len(mrkdwn) <= SLACK_LIMITS[kind], kind
        for token in re.findall(r"<[^>]*>?", mrkdwn):
            assert re.fullmatch(r"<@(\w+)>", token) and token[2:-1] in members, token
        assert not re.search(r"@(channel|here|everyone)\b", mrkdwn, re.I), mrkdwn


def check_card(card: dict[str, Any], members: set[str]) -> None:
    """Only real mentions (an entity for a member's Teams id) stand unescaped in a card's text."""
    shown = card_text(card)
    for entity in card.get("msteams", {}).get("entities", []):
        assert entity["mentioned"]["id"] in members, entity
        shown = shown.replace(entity["text"], "")
    assert not re.search(r"(?<!\\)<", shown), shown[:500]


def check_reply(said: str, out: list[Outgoing]) -> None:
    """Answered in the place asked, bounded, and safe however each platform renders it."""
    assert out and isinstance(out[0].to, ToPlace) and out[0].message.summary
    for outgoing in out:
        message = outgoing.message
        assert len(render_text(message, width=10_000)) <= bound(said)
        check_slack(slack_render.fallback_text(message), slack_render.blocks_of(message), set())
        card = render_card(message)
        check_card(card, set())
        assert len(json.dumps(card).encode()) <= TEAMS_LIMIT


# ---- the conversation ----------------------------------------------------------------------


@FUZZ
@given(words=said, who=st.sampled_from(PEOPLE), direct=st.booleans())
@example(words="done A-99999999999999999999", who="Tom Hook", direct=True)
@example(
    words="new priority Knife crime hotspots lead <!channel>", who="Fiona Taylor", direct=False
)
@example(words="update A-1: sent\x00 it \u202e", who="Tom Hook", direct=False)
def test_whatever_is_said(seeded: Engine, words: str, who: str, direct: bool) -> None:
    with rolled_back(seeded) as kit:
        said_to(kit, who, words, direct=direct)


@FUZZ
@given(
    verb=st.sampled_from(OWNER_VERBS + CHAIR_VERBS),
    ref=st.sampled_from(MISSING),
    sep=st.sampled_from(SEPS),
    tail=quiet_tails,
    who=st.sampled_from(PEOPLE),
)
def test_a_reference_to_no_action_changes_nothing(
    seeded: Engine, verb: str, ref: str, sep: str, tail: str, who: str
) -> None:
    words = f"{verb} {ref}{sep}{tail}"
    with rolled_back(seeded) as kit:
        before = rows(kit.sessions)
        out = said_to(kit, who, words)
        assert rows(kit.sessions) == before, summary(out)


@FUZZ
@given(
    verb=st.sampled_from([*OWNER_VERBS, *CHAIR_VERBS, "next meeting", "priority knife crime"]),
    ref=st.sampled_from(["", *SEEDED]),
    sep=st.sampled_from(SEPS),
    tail=st.one_of(st.sampled_from(TAILS), quiet_tails),
    who=st.sampled_from(BYSTANDERS),
    direct=st.booleans(),
)
def test_people_without_rights_change_nothing(
    seeded: Engine, verb: str, ref: str, sep: str, tail: str, who: str, direct: bool
) -> None:
    words = f"{verb} {ref}{sep}{tail}"
    # anyone may record an action ("task<TAB>owner" reads as a row of an action table): that is
    # capture, not a change to someone else's action
    assume(not extract_actions(words, meeting_date=dt.date(2026, 6, 1)))
    with rolled_back(seeded) as kit:
        before = rows(kit.sessions)
        out = said_to(kit, who, words, direct=direct)
        assert rows(kit.sessions) == before, summary(out)


@FUZZ
@given(words=priority_words, who=st.sampled_from(["Fiona Taylor", "Jade Hodgson", "Pat Hayes"]))
@example(words="new priority Knife crime hotspots lead Nowhere Group", who="Fiona Taylor")
@example(words="top 99999999999999999999 priorities", who="Pat Hayes")
@example(words="new priority À target until 9999-12-31", who="Fiona Taylor")
def test_priority_questions_and_edits(seeded: Engine, words: str, who: str) -> None:
    with rolled_back(seeded) as kit:
        said_to(kit, who, words)


@pytest.mark.parametrize("name", ["À", "李雷", "Élan vital", "!!!"])
def test_new_priorities_named_outside_plain_english_are_added_once(
    seeded: Engine, name: str
) -> None:
    """Names the question index cannot read are still found by name, so never added twice."""
    with rolled_back(seeded) as kit:
        first = said_to(kit, "Fiona Taylor", f"new priority {name} lead Safer Borough")
        again = said_to(kit, "Fiona Taylor", f"new priority {name} target halve it")
    assert summary(first).startswith(f"Added. {name}: lead Safer Borough")
    assert summary(again) == f"There is already a priority called {name}."


@FUZZ
@given(phrase=hostile_texts(12), names=st.lists(st.sampled_from(NAMES + HOSTILE), max_size=6))
def test_priority_names_normalise_to_plain_words(phrase: str, names: list[str]) -> None:
    assert re.fullmatch(r"(?:[0-9a-z]+(?: [0-9a-z]+)*)?", normalise(phrase))
    index = NameIndex()
    index.add(1, names or ["knife crime"])
    found = index.match(phrase)
    assert found.kind in {"one", "ambiguous", "none"} and set(found.ids) <= {1}


@FUZZ
@given(
    kind=st.sampled_from(["done", "snooze", "update", "not_mine", "reopen"]),
    ref=st.one_of(st.sampled_from(SEEDED + MISSING + ODD_REFS), hostile_texts(4)),
    value=st.one_of(st.none(), st.sampled_from(TAILS), hostile_texts(6)),
    who=st.sampled_from(PEOPLE),
)
def test_button_presses(seeded: Engine, kind: str, ref: str, value: str | None, who: str) -> None:
    with rolled_back(seeded) as kit:
        before = rows(kit.sessions)
        out = kit.press(who, kind, ref, value, key=f"press:{time.monotonic_ns()}")
        after = rows(kit.sessions)
    check_reply(ref + (value or ""), out)
    if who in BYSTANDERS or parse_ref(ref) not in range(1, 6):  # no seeded action is named
        assert after == before, summary(out)


# ---- targeted examples -----------------------------------------------------------------------

TARGETED = {
    "done A-99999999999999999999": ("Tom Hook", "can't find an action A-99999999999999999999"),
    "snooze A-1 until 9999-12-31": ("Tom Hook", 'couldn\'t read "9999-12-31"'),
    "due A-1 31/02/2026": ("Fiona Taylor", 'couldn\'t read "31/02/2026"'),
    "assign A-1 to <!channel>": ("Fiona Taylor", 'don\'t know anyone called "<!channel>"'),
    "assign A-1 to <@U123>": ("Fiona Taylor", 'don\'t know anyone called "<@U123>"'),
    "export actions since 0000-01-01": ("Fiona Taylor", "didn't understand"),
    "cancel A-424242": ("Fiona Taylor", "can't find an action A-424242"),
    "next meeting 31/12/9999": ("Fiona Taylor", "couldn't read"),
    "": ("Tom Hook", "What I can do"),
    "new priority Knife crime hotspots lead Nowhere": ("Fiona Taylor", "don't know a subgroup"),
    "done " + ", ".join(f"A-{n}" for n in range(1, 100)): ("Tom Hook", "up to 25 in one message"),
    "new priority " + "x" * 300 + " target y": ("Jade Hodgson", "up to 200 characters"),
}  # fmt: skip


@pytest.mark.parametrize(("words", "expected"), TARGETED.items(), ids=list(TARGETED))
def test_targeted_refusals(seeded: Engine, words: str, expected: tuple[str, str]) -> None:
    who, says = expected
    with rolled_back(seeded) as kit:
        before = rows(kit.sessions)
        out = said_to(kit, who, words)
        assert rows(kit.sessions) == before
    assert says in render_text(out[0].message, width=10_000)


def test_a_hundred_owners_on_one_line(seeded: Engine) -> None:
    owners = ", ".join(HUNDRED_NAMES[:-1]) + f" and {HUNDRED_NAMES[-1]}"
    with rolled_back(seeded) as kit:
        said_to(kit, "Fiona Taylor", f"ACTION: {owners} to review the plan by 31/12/9999")
        captured = newest(kit)
    assert all(name in captured.text for name in HUNDRED_NAMES)
    assert len(captured.owners) in (0, 100)  # past 40 names it is no owner list; never a part


def _longest(head: str, word: str, tail: str = "") -> str:
    """``head``, ``word`` repeated and ``tail``: as long a message as Chaser reads."""
    return head + word * ((MAX_MESSAGE_CHARS - len(head) - len(tail)) // len(word)) + tail


HUGE = {
    "megabyte line": "x" * MEGABYTE,
    "megabyte of lines": "hello there\n" * (MEGABYTE // 12),
    "megabyte action": "ACTION: Tom Hook to " + "very " * (MEGABYTE // 5) + "review",
    "megabyte of pings": "<!channel> " * (MEGABYTE // 11),
    "longest question": _longest("who leads on ", "knife "),
    "longest ampersands": _longest("who leads on ", "&<>"),
    "longest update": _longest("update A-1: ", "news & <!here> "),
    "longest snooze": _longest("snooze A-1 until ", "<!channel> "),
    "longest assign": _longest("assign A-1 to ", "<@U123> "),
    "longest action": _longest("ACTION: Tom Hook to ", "very ", "review by Friday"),
    "longest refs": _longest("done ", "A-9999, "),
}


@pytest.mark.parametrize("words", HUGE.values(), ids=list(HUGE))
def test_the_longest_messages(seeded: Engine, words: str) -> None:
    """Answered within every platform's limits (checked by ``check_reply``); past the longest
    message Chaser reads, refused whole."""
    with rolled_back(seeded) as kit:
        before = rows(kit.sessions)
        out = said_to(kit, "Fiona Taylor", words)
        after = rows(kit.sessions)
    if len(words) > MAX_MESSAGE_CHARS:
        assert "too long for me to read" in summary(out) and after == before


def test_control_characters_never_reach_stored_action_text(seeded: Engine) -> None:
    words = "ACTION: Tom\x00 Hook to send\x07 the \x1b[31mASB\x9b figures\u202e by 30 June"
    with rolled_back(seeded) as kit:
        said_to(kit, "Fiona Taylor", words)
        stored = newest(kit)
    assert stored.text == "Tom Hook to send the [31mASB figures by 30 June"
    assert [o.member_id is not None for o in stored.owners] == [True]
    assert not CONTROL.search(stored.text + (stored.due_text or "") + stored.owners[0].written)


NOTES = {  # what people can write into the store, each with a NUL or another control character
    "update A-1: sent\x00 it\u202e": "Tom Hook",
    "done A-1 – ok\x00\x1b[0m": "Tom Hook",
    "not mine A-1 – wrong\x00 team": "Tom Hook",
    "snooze A-1 until \x00Monday": "Tom Hook",
    "cancel A-2 – dup\x00licate\x85": "Fiona Taylor",
    "due A-2 30 June\x00": "Fiona Taylor",
    "assign A-4 to Tom\x00 Hook": "Fiona Taylor",
    "reopen A-5 \x00again": "Fiona Taylor",
    "next meeting 12 December\x07": "Fiona Taylor",
    "priority knife crime target cut\x00 it\u2066": "Fiona Taylor",
    "priority knife crime alias kc\x00": "Fiona Taylor",
    "Tom Hook to send\x00 the figures by Friday\nand more": "Fiona Taylor",
}


@pytest.mark.parametrize(("words", "who"), NOTES.items(), ids=[repr(w) for w in NOTES])
def test_control_characters_never_reach_the_store(seeded: Engine, words: str, who: str) -> None:
    """Stored on PostgreSQL too (which refuses a NUL outright), without the control characters."""
    with rolled_back(seeded) as kit:
        before = rows(kit.sessions)
        out = said_to(kit, who, words)
        after = rows(kit.sessions)
    assert not refused(words, summary(out)), summary(out)
    assert not any(CONTROL.search(s) for s in written(before, after))


@pytest.mark.parametrize(
    ("kind", "value"),
    [("done", "sent\x00 it"), ("update", "sent\x00 it\u202e"), ("not_mine", "\x1b[31mno"),
     ("snooze", "2 weeks\x00")],
)  # fmt: skip
def test_control_characters_in_a_button_value(seeded: Engine, kind: str, value: str) -> None:
    with rolled_back(seeded) as kit:
        before = rows(kit.sessions)
        out = kit.press("Tom Hook", kind, "A-1\x00", value)
        after = rows(kit.sessions)
    check_reply(value, out)
    assert not any(CONTROL.search(s) for s in written(before, after))


# ---- Slack: /actions through the real app ---------------------------------------------------


@pytest.fixture(scope="module")
def slack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SlackWorld]:
    """The example partnership on a live server, Slack faked; members linked before the fuzz."""
    path = tmp_path_factory.mktemp("command-fuzz-slack") / "chaser.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    world = SlackWorld(url, make_session_factory(engine))
    world.say("ACTION: Tom Hook to send the ASB figures by 30 June", user="U0JADE")
    world.command("mine", user="U0TOM")
    yield world
    world.close()
    engine.dispose()


def slack_answers(world: SlackWorld, words: str, user: str) -> tuple[int, list[dict[str, Any]]]:
    """The HTTP status of ``/actions words`` and every answer posted (checked for safety); when
    Chaser refused, the tables are as they were."""
    before, seen = counts(world.sessions), len(world.fake.calls)
    status = world.command(words, user=user)
    posted = [
        c.body for c in world.fake.calls[seen:]
        if c.method.startswith("POST /response/") or c.method.endswith("chat.postMessage")
    ]  # fmt: skip
    with world.sessions() as session:
        members = {str(u) for u in session.scalars(select(Member.slack_user_id)) if u}
    for answer in posted:
        check_slack(str(answer.get("text") or ""), answer.get("blocks") or [], members)
    if refused(words, " ".join(str(a.get("text") or "") for a in posted)) or status != 200:
        assert counts(world.sessions) == before
    return status, posted


@FEW
@given(words=said, user=st.sampled_from(["U0PAT", "U0OUTSIDER", "U0TOM", "U0FIONA"]))
@example(words="assign A-1 to <!channel>", user="U0FIONA")
@example(words="<@U024BE7LH> done A-99999999999999999999", user="U0TOM")
def test_slack_actions_command(slack: SlackWorld, words: str, user: str) -> None:
    status, answers = slack_answers(slack, words, user)
    assert status == 200 and answers


@pytest.mark.parametrize("words", HUGE.values(), ids=list(HUGE))
def test_slack_longest_commands(slack: SlackWorld, words: str) -> None:
    """Answered within Slack's limits, or (past what a request may carry) refused at the door."""
    status, answers = slack_answers(slack, words, "U0TOM")
    assert (status == 200 and answers) or (status == 413 and not answers)


def test_slack_mention_in_the_channel(slack: SlackWorld) -> None:
    """A message event, not the slash command: answered in the channel's thread, safely."""
    seen = len(slack.fake.calls)
    slack.say(f"<@{BOT_USER_ID}> done A-99999999999999999999 <!channel> \u202e\x00", user="U0PAT")
    posted = [c.body for c in slack.fake.calls[seen:] if c.method.endswith("chat.postMessage")]
    assert posted and all(answer["channel"] == CHANNEL for answer in posted)
    for answer in posted:
        check_slack(str(answer.get("text") or ""), answer.get("blocks") or [], set())


# ---- Teams: messages through the real Bot Framework adapter ---------------------------------


def _teams_directory() -> dict[str, Any]:
    """The example partnership, with Teams ids for the people in the fake tenant."""
    data: dict[str, Any] = yaml.safe_load(PARTNERSHIP.read_text(encoding="utf-8"))
    people = {p.name: p for p in teams.ROSTER}
    for member in data["members"]:
        person = people.get(member["name"])
        if person is not None:
            member |= {"teams_user_id": person.user_id, "teams_aad_id": person.aad}
    data["groups"][0]["channels"] = {"teams": [teams.BOARD_CHANNEL]}
    return data


@pytest.fixture(scope="module")
def teams_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[teams.TeamsWorld]:
    path = tmp_path_factory.mktemp("command-fuzz-teams") / "chaser.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    connector = FakeTeamsConnector().start()
    settings = Settings(_env_file=None, CHASER_DATABASE_URL=url)  # type: ignore[call-arg]
    world = teams.TeamsWorld(url, connector, settings, partnership=_teams_directory())
    world.post(
        world.make.channel("ACTION: Tom Hook to send the figures by 30 November", teams.JADE)
    )
    yield world
    world.close()
    connector.stop()


def teams_answers(
    world: teams.TeamsWorld, words: str, activity: dict[str, Any]
) -> tuple[int, list[dict[str, Any]]]:
    """The HTTP status and every activity sent to Teams (checked for size and safety); when
    Chaser refused, the tables are as they were."""
    before, seen = counts(world.sessions), len(world.connector.sent())
    status, _ = world.post(activity)
    sent = [c.body or {} for c in world.connector.sent()[seen:]]
    with world.sessions() as session:
        members = {str(u) for u in session.scalars(select(Member.teams_user_id)) if u}
    for body in sent:
        assert len(json.dumps(body).encode()) <= TEAMS_LIMIT
        assert "<at>" not in str(body.get("text") or "")
        for attachment in body.get("attachments") or []:
            check_card(attachment["content"], members)
    if refused(words, json.dumps(sent, ensure_ascii=False)) or status not in TEAMS_OK:
        assert counts(world.sessions) == before
    return status, sent


@FEW
@given(
    words=said,
    person=st.sampled_from([teams.TOM, teams.FIONA, teams.STRANGER, teams.PENNY]),
    personal=st.booleans(),
)
@example(
    words="<b>done</b> A-99999999999999999999 &lt;!channel&gt;", person=teams.TOM, personal=True
)
@example(words="assign A-1 to <at>Tom Hook</at> <!channel>", person=teams.FIONA, personal=False)
def test_teams_messages(
    teams_world: teams.TeamsWorld, words: str, person: teams.Person, personal: bool
) -> None:
    make = teams_world.make
    activity = make.personal(words, person) if personal else make.channel(words, person)
    status, _ = teams_answers(teams_world, words, activity)
    assert status in TEAMS_OK


@pytest.mark.parametrize("words", HUGE.values(), ids=list(HUGE))
def test_teams_longest_messages(teams_world: teams.TeamsWorld, words: str) -> None:
    """Answered within Teams' 28 KB, or (past what a request may carry) refused at the door.
    Teams sends HTML, so a message of nothing but ``<!channel>`` tags is empty: no answer."""
    activity = teams_world.make.personal(words, teams.FIONA)
    status, sent = teams_answers(teams_world, words, activity)
    markup_only = not re.sub(r"<[^>]*>", "", words).strip()
    assert (status in TEAMS_OK and (sent or markup_only)) or (status == 413 and not sent)


# ---- the command line ------------------------------------------------------------------------


@pytest.fixture
def cli_db(
    seeded_file: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> sessionmaker[Session]:
    """The seeded partnership for the command line, which finds it through its setting."""
    path = tmp_path_factory.mktemp("command-fuzz-cli") / "chaser.db"
    shutil.copyfile(seeded_file, path)
    monkeypatch.chdir(path.parent)
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "CHASER_RETENTION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CHASER_DATABASE_URL", f"sqlite:///{path}")
    return make_session_factory(make_engine(f"sqlite:///{path}"))


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``chaser ARGV``; a failure is one printable line."""
    capsys.readouterr()
    code = main(argv)
    out, err = capsys.readouterr()
    assert isinstance(code, int) and "Traceback" not in err
    if code != 0:
        assert err.startswith("error:") and err.count("\n") == 1, err
        assert not CONTROL.search(err), err
    return code, out, err


markup = st.sampled_from(["[/red]", "[bold]x", "[link=http://x]y[/link]", "[/]", "[[", "\\["])
arguments = st.one_of(hostile_texts(6), markup, st.text(max_size=30)).filter(
    lambda a: not a.startswith("-")
)


@FEW
@given(words=st.one_of(said, markup), as_name=st.one_of(st.sampled_from(PEOPLE), arguments))
@example(words="[/red] <!channel>", as_name="[/red]")
def test_chaser_ask(
    cli_db: sessionmaker[Session], capsys: pytest.CaptureFixture[str], words: str, as_name: str
) -> None:
    assume(not words.startswith("-"))
    before = counts(cli_db)
    code, out, _ = run_cli(["ask", words, "--as", as_name], capsys)
    assert code in (0, 2)
    if code != 0 or refused(words, out):
        assert counts(cli_db) == before


@FEW
@given(name=arguments, yes=st.booleans(), erase=st.booleans())
@example(name="[/red]", yes=True, erase=True)
@example(name="a\nb\x1b[31m\u202e", yes=True, erase=False)
def test_chaser_member_export_and_erase(
    cli_db: sessionmaker[Session],
    capsys: pytest.CaptureFixture[str],
    name: str,
    yes: bool,
    erase: bool,
) -> None:
    with cli_db() as session:
        assume(directory.member_by_name(session, name) is None)  # erase nobody real
    before = counts(cli_db)
    action = ["erase", name, *(["--yes"] if yes else [])] if erase else ["export", name]
    code, _, _ = run_cli(["member", *action], capsys)
    assert code == 1 and counts(cli_db) == before


@FEW
@given(period=st.one_of(arguments, st.sampled_from(["9999y", "0d", "-1d", "1e9d", "10000y", "6y"])))
@example(period="[/red]")
def test_chaser_retention(
    cli_db: sessionmaker[Session], capsys: pytest.CaptureFixture[str], period: str
) -> None:
    before = counts(cli_db)
    code, _, _ = run_cli(["retention", f"--older-than={period}", "--dry-run"], capsys)
    assert code in (0, 2) and counts(cli_db) == before


@FEW
@given(
    content=hostile_texts(20),
    meeting=st.one_of(st.none(), arguments, st.sampled_from(["9999-12-31", "0000-01-01"])),
    as_json=st.booleans(),
)
@example(content="ACTION: Tom Hook to report by 31/12/9999", meeting="[/red]", as_json=False)
def test_chaser_extract(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    content: str,
    meeting: str | None,
    as_json: bool,
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(content))
    argv = ["extract", "-", *(["--json"] if as_json else [])]
    argv += [f"--meeting-date={meeting}"] if meeting is not None else []
    code, out, _ = run_cli(argv, capsys)
    assert code in (0, 2)
    if code == 0 and as_json:
        assert isinstance(json.loads(out), list)


def test_chaser_extract_keeps_control_characters_out_of_action_text(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    minutes = "ACTION: Tom\x00 Hook to send\x07 the \x1b[31mASB\x9b figures\u202e by 30 June\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(minutes))
    code, out, _ = run_cli(["extract", "-", "--json"], capsys)
    found = json.loads(out)
    assert code == 0 and len(found) == 1 and found[0]["owners"] == ["Tom Hook"]
    assert found[0]["text"] == "Tom Hook to send the [31mASB figures by 30 June"
    assert not CONTROL.search(json.dumps(found, ensure_ascii=False))


@FEW
@given(path=arguments.filter(lambda p: p and p != "-"))
@example(path="[/red]")
@example(path="a\nb")
def test_chaser_extract_names_a_missing_file_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, path: str
) -> None:
    code, _, err = run_cli(["extract", f"{tmp_path}/missing/{path}"], capsys)
    assert code == 1 and "no such file" in err


def test_a_megabyte_of_arguments(
    cli_db: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    before = counts(cli_db)
    code, out, _ = run_cli(["ask", "x" * MEGABYTE, "--as", "Tom Hook"], capsys)
    assert code == 0 and "too long for me to read" in out and len(out) <= 1000
    code, _, _ = run_cli(["member", "export", "x" * MEGABYTE], capsys)
    assert code == 1 and counts(cli_db) == before
