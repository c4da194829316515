"""Restricted actions never leak: not into a channel, a channel digest, another's export or Home.

Hypothesis builds random partnerships (a board and subgroups, some nested; chairs, secretaries,
leads, members, and people outside the directory) and random actions: some restricted, either
flagged in the store as the chair would or captured from a channel with RESTRICTED / CONFIDENTIAL
in the ACTION line. Each restricted action carries a marker of its own in its text and its
progress notes. Then people ask Chaser everything they can type, in group channels and direct
chats, on Slack and on Teams; the scheduler sends its reminders, escalations and pre-meeting
digests; and the Slack App Home is built for every member.

No marker may appear in a channel, nor reach anyone but the action's owners, the member who
recorded it, and the chair or secretary of its group or of the board. So that this cannot pass by
showing nothing: an owner sees their restricted action in "my actions" and in App Home, a chair
finds it in the export they ask for in a direct chat, and every channel listing and channel
digest shows the group's other open actions.

Fixed journeys run the same checks through the real Slack Bolt app (App Home via views.publish)
and the Teams adapter over HTTP against the fake platforms, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import tempfile
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import docx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from bot.app import Chaser
from bot.settings import Settings
from bot.slack import home
from bot.slack.app import build_slack
from bot.slack.context import SlackContext
from handlers.conversation import Conversation
from handlers.messages import (
    Attachment,
    Incoming,
    Message,
    Outgoing,
    Place,
    Platform,
    Speaker,
    ToPlace,
)
from scheduler.notifier import RecordingNotifier
from scheduler.sweep import Sweeper
from store import actions as repo
from store import directory
from store.db import make_engine, make_session_factory, transaction
from store.migrate import upgrade
from store.models import Action, ActionUpdate, Group, Membership
from store.models.actions import CANCELLED, DECLINED, DONE, OPEN
from tests.fakes.slack_api import BOT_TOKEN, BOT_USER_ID, FakeSlack
from tests.fakes.teams_connector import FakeTeamsConnector
from tests.slack.harness import SlackWorld, fixture
from tests.teams.harness import FIONA, JADE, PENNY, TIM, TOM, TeamsWorld

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=LONDON)  # a Monday, a working day, mid-morning
TODAY = NOW.date()

PEOPLE = ("Alex Ash", "Bea Bell", "Cal Cole", "Dee Dunn", "Eve Earl", "Fay Ford", "Gus Gray")
OUTSIDER = -1  # someone Chaser does not know: not in the directory
GROUPS = ("Partnership Board", "Safer Streets", "Youth Panel", "Night Economy")
UNMATCHED = ("The Clerk", "Housing Officer")  # owners as written that match no member
VERBS = ("review", "circulate", "draft", "visit", "send", "check", "book")
WORDS = (
    "the", "case", "file", "figures", "partners", "plan", "school", "data", "referral",
    "update", "board", "report", "with", "and", "family",
)  # fmt: skip
ODD_WORDS = ("<!channel>", "&amp;", "*bold*", "<b>", "O'Neill", "José", "📎", "|", "`x`")
RESTRICTED_LINES = (
    "RESTRICTED ACTION: {owners} to {text}",
    "ACTION (RESTRICTED): {owners} to {text}",
    "ACTION (CONFIDENTIAL): {owners} to {text}",
    "ACTION: {owners} to {text} [CONFIDENTIAL]",
    "[RESTRICTED] ACTION: {owners} to {text}",
    "CONFIDENTIAL - ACTION: {owners} to {text}",
)
PUBLIC_LINES = ("ACTION: {owners} to {text}", "Action - {owners} to {text}")
COMMANDS = (
    "outstanding",
    "overdue",
    "what's due this week",
    "my actions",
    "what's on my plate?",
    "actions for {person}",
    "actions for {group}",
    "overdue for {group}",
    "outstanding actions from the May meeting",
    "actions from the April meeting",
    "done since January",
    "done since {month}",
    "export actions as csv",
    "export actions as md",
    "export actions",
    "export actions as docx",
    "send me the action log",
    "done {ref}",
    "done {ref} - {note}",
    "update {ref}: {note}",
    "not mine {ref}",
    "cancel {ref}",
    "reopen {ref}",
    "assign {ref} to {person}",
    "due {ref} 30 June",
    "snooze {ref} 2 weeks",
    "meetings",
    "help",
    "{text}",
)

# ---- what hypothesis draws -------------------------------------------------------------------


@dataclass(frozen=True)
class GroupPlan:
    """One group: its parent (None for the board), who holds which role, its next meeting."""

    parent: int | None
    chair: int | None
    secretary: int | None
    lead: int | None
    members: tuple[int, ...]
    meets_in: int | None  # days from today


@dataclass(frozen=True)
class ActionPlan:
    """One action: where, whose, how it came to be, and whether it is restricted."""

    group: int
    restricted: bool
    said: str | None  # an ACTION line said in the group's channel; None: recorded in the store
    platform: Platform
    words: tuple[str, ...]
    owners: tuple[int | str, ...]  # member index, or a name that matches nobody
    creator: int | None
    status: str
    owner_states: tuple[str, ...]
    due_in: int | None
    meeting: dt.date | None
    note: bool
    chased: int  # overdue reminders already sent (escalation needs 2)


@dataclass(frozen=True)
class Ask:
    """Someone says something to Chaser: in a group's channel (group set) or a direct chat."""

    viewer: int
    group: int | None
    platform: Platform
    command: str
    target: int  # the action, person or group a command names (taken modulo their count)


@dataclass(frozen=True)
class Plan:
    """One example: the partnership, its actions, what people ask, who cannot be reached."""

    salt: str
    groups: tuple[GroupPlan, ...]
    actions: tuple[ActionPlan, ...]
    asks: tuple[Ask, ...]
    unreachable: tuple[int, ...] = ()  # people no reminder reaches (the chair hears instead)


def _optional(person: int) -> st.SearchStrategy[int | None]:
    return st.one_of(st.none(), st.just(person))


@st.composite
def _group(draw: st.DrawFn, index: int) -> GroupPlan:
    order = draw(st.permutations(range(len(PEOPLE))))
    chair, secretary, lead = (draw(_optional(p)) for p in order[:3])
    members = tuple(order[3 : 3 + draw(st.integers(0, 3))])
    parent = None if index == 0 else draw(st.integers(0, index - 1))
    # the board always meets within its digest window, so a channel digest always goes out
    meets = draw(st.integers(0, 2)) if index == 0 else draw(st.one_of(st.none(), st.integers(0, 9)))
    return GroupPlan(parent, chair, secretary, lead, members, meets)


@st.composite
def _action(draw: st.DrawFn, index: int, groups: int) -> ActionPlan:
    restricted = draw(st.booleans()) or index == 0
    said = draw(
        st.one_of(st.none(), st.sampled_from(RESTRICTED_LINES if restricted else PUBLIC_LINES))
    )
    vocabulary = WORDS if said else WORDS + ODD_WORDS
    verb = draw(st.sampled_from(VERBS))  # "X to <verb> ...": how an ACTION line reads
    words = (verb, *draw(st.lists(st.sampled_from(vocabulary), max_size=6)))
    people = st.integers(0, len(PEOPLE) - 1)
    if said:
        owners: tuple[int | str, ...] = tuple(
            draw(st.lists(people, min_size=1, max_size=2, unique=True))
        )
        states: tuple[str, ...] = tuple(OPEN for _ in owners)
        status, due, meeting, note = OPEN, None, None, False
    else:
        owner = st.one_of(people, st.sampled_from(UNMATCHED))
        owners = tuple(draw(st.lists(owner, max_size=3, unique=True)))
        states = tuple(draw(st.sampled_from((OPEN, OPEN, DONE, DECLINED))) for _ in owners)
        status = draw(st.sampled_from((OPEN, OPEN, DONE, CANCELLED)))
        due = draw(st.one_of(st.none(), st.integers(-30, 30)))
        meeting = draw(st.sampled_from((None, dt.date(2026, 4, 21), dt.date(2026, 5, 19))))
        note = draw(st.booleans())
    return ActionPlan(
        group=draw(st.integers(0, groups - 1)),
        restricted=restricted,
        said=said,
        platform=draw(st.sampled_from(("slack", "teams"))),
        words=words,
        owners=owners,
        creator=draw(st.one_of(st.none(), people)),
        status=status,
        owner_states=states,
        due_in=due,
        meeting=meeting,
        note=note,
        chased=draw(st.integers(0, 3)),
    )


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    salt = draw(st.text(alphabet="bcdfghjkmnpqrstvwxz", min_size=6, max_size=6))
    count = draw(st.integers(2, len(GROUPS)))
    groups = tuple(draw(_group(i)) for i in range(count))
    actions = tuple(draw(_action(i, count)) for i in range(draw(st.integers(1, 7))))
    asks = draw(
        st.lists(
            st.builds(
                Ask,
                viewer=st.integers(OUTSIDER, len(PEOPLE) - 1),
                group=st.one_of(st.none(), st.integers(0, count - 1)),
                platform=st.sampled_from(("slack", "teams")),
                command=st.sampled_from(COMMANDS),
                target=st.integers(0, 50),
            ),
            min_size=3,
            max_size=12,
        )
    )
    unreachable = draw(st.lists(st.integers(0, len(PEOPLE) - 1), max_size=2, unique=True))
    return Plan(salt, groups, actions, tuple(asks), tuple(unreachable))


# ---- the world a plan builds -----------------------------------------------------------------


def slack_user(person: int) -> str:
    return f"U0P{person}" if person != OUTSIDER else "U0STRANGER"


def teams_user(person: int) -> str:
    return f"29:p{person}" if person != OUTSIDER else "29:stranger"


def channel_of(group: int, platform: Platform) -> str:
    return f"C0G{group}" if platform == "slack" else f"19:g{group}@thread.tacv2"


def directory_of(plan: Plan) -> dict[str, Any]:
    """The partnership as a directory file would describe it."""
    members = [
        {"name": name, "slack_user_id": slack_user(i), "teams_user_id": teams_user(i)}
        for i, name in enumerate(PEOPLE)
    ]
    groups: list[dict[str, Any]] = []
    for i, g in enumerate(plan.groups):
        entry: dict[str, Any] = {
            "name": GROUPS[i],
            "kind": "board" if i == 0 else "subgroup",
            "members": [PEOPLE[m] for m in g.members],
            "channels": {"slack": [channel_of(i, "slack")], "teams": [channel_of(i, "teams")]},
        }
        if g.parent is not None:
            entry["parent"] = GROUPS[g.parent]
        for role in ("chair", "secretary", "lead"):
            holder = getattr(g, role)
            if holder is not None:
                entry[role] = PEOPLE[holder]
        if g.meets_in is not None:
            entry["meetings"] = [TODAY + dt.timedelta(days=g.meets_in)]
        groups.append(entry)
    return {"members": members, "groups": groups}


def speaker(person: int, platform: Platform) -> Speaker:
    """Who is talking, as the platform adapter identifies them (by platform user id)."""
    name = PEOPLE[person] if person != OUTSIDER else "Sam Stranger"
    user = slack_user(person) if platform == "slack" else teams_user(person)
    return Speaker(member_id=None, display_name=name, platform_user_id=user)


def place(ask_group: int | None, person: int, platform: Platform) -> Place:
    if ask_group is not None:
        return Place(platform, channel_of(ask_group, platform), None, is_direct=False)
    direct = f"D0P{person}" if platform == "slack" else f"a:1on1-p{person}"
    return Place(platform, direct, None, is_direct=True)


def file_text(attachment: Attachment) -> str:
    """What a person reads in an exported file (Word: every paragraph and table cell)."""
    if attachment.filename.endswith(".docx"):
        document = docx.Document(io.BytesIO(attachment.content))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    return attachment.content.decode("utf-8")


def everything(message: Message) -> str:
    """Every field of a message, and the text of its files."""
    files = [file_text(b) for b in message.blocks if isinstance(b, Attachment)]
    return "\n".join([repr(message), *files])


@dataclass
class Leaks:
    """The markers of restricted actions, who may read each, and every reading checked."""

    sessions: sessionmaker[Session]
    secret: dict[str, int] = field(default_factory=dict)  # marker -> action id
    public: dict[str, int] = field(default_factory=dict)
    checked: int = 0

    def entitled(self) -> dict[int, set[int]]:
        """Action id -> members who may read it: its owners (any part), the member who
        recorded it, and the chairs and secretaries of its group and of the board (read
        straight from the tables, not through the rules under test)."""
        with self.sessions() as session:
            officers: dict[int, set[int]] = {}
            rows = session.execute(
                select(Membership.group_id, Membership.member_id).where(
                    Membership.role.in_((directory.CHAIR, directory.SECRETARY))
                )
            )
            for group_id, member_id in rows:
                officers.setdefault(group_id, set()).add(member_id)
            board = session.scalar(select(Group.id).where(Group.kind == "board"))
            readers: dict[int, set[int]] = {}
            for action in session.scalars(select(Action).options(selectinload(Action.owners))):
                people = {o.member_id for o in action.owners if o.member_id is not None}
                people |= {action.created_by_id} if action.created_by_id else set()
                people |= officers.get(action.group_id or -1, set())
                people |= officers.get(board or -1, set())
                readers[action.id] = people
            return readers

    def check(self, text: str, *, channel: bool, reader: int | None, what: str) -> None:
        """Fail when ``text`` shows a restricted action to a channel or to a reader not
        entitled to it (``reader`` None: someone not in the directory)."""
        self.checked += 1
        found = [m for m in self.secret if m in text]
        if not found:
            return
        readers = self.entitled()
        for marker in found:
            action_id = self.secret[marker]
            assert not channel, f"restricted A-{action_id} shown in a channel by {what}:\n{text}"
            assert reader is not None and reader in readers[action_id], (
                f"restricted A-{action_id} shown to member {reader} by {what}:\n{text}"
            )

    def outgoing(self, answers: Sequence[Outgoing], *, asker: int | None, what: str) -> None:
        """Check every answer: in the place asked (a channel, or the asker's direct chat) or
        sent privately to a member."""
        for answer in answers:
            text = everything(answer.message)
            if isinstance(answer.to, ToPlace):
                channel = not answer.to.place.is_direct
                self.check(text, channel=channel, reader=asker, what=what)
            else:
                self.check(text, channel=False, reader=answer.to.member_id, what=what)


@dataclass
class World:
    """One example's partnership in a fresh SQLite database, and ways to talk to it."""

    plan: Plan
    sessions: sessionmaker[Session]
    conversation: Conversation
    leaks: Leaks
    members: dict[int, int] = field(default_factory=dict)  # person index -> member id
    groups: dict[int, int] = field(default_factory=dict)  # group index -> group id
    refs: list[str] = field(default_factory=list)  # by action index
    markers: list[str] = field(default_factory=list)  # by action index
    said: int = 0

    def member_id(self, person: int) -> int | None:
        return self.members.get(person)

    def say(self, person: int, text: str, where: Place) -> list[Outgoing]:
        """Say ``text`` as ``person`` in ``where``; every answer is checked for leaks."""
        self.said += 1
        who = speaker(person, where.platform)
        incoming = Incoming(text, who, where, NOW, event_key=f"leaks:{self.said}")
        answers = self.conversation.handle(incoming)
        what = f"{who.display_name} saying {text!r} in {where}"
        self.leaks.outgoing(answers, asker=self.member_id(person), what=what)
        return answers

    def reply_text(self, person: int, text: str, where: Place) -> str:
        answers = self.say(person, text, where)
        assert answers and isinstance(answers[0].to, ToPlace)
        return everything(answers[0].message)

    def tree(self, group: int, *, depth: int | None = None) -> set[int]:
        """The group and the groups below it, ``depth`` levels down (all when None)."""
        below = {group}
        for _ in range(len(self.plan.groups) if depth is None else depth):
            below |= {i for i, g in enumerate(self.plan.groups) if g.parent in below}
        return below

    def open_markers(self, *, restricted: bool) -> dict[str, Action]:
        """Markers of the actions open now, with their rows (owners loaded)."""
        wanted = self.leaks.secret if restricted else self.leaks.public
        with self.sessions() as session:
            rows = session.scalars(
                select(Action).options(selectinload(Action.owners)).where(Action.status == OPEN)
            )
            by_id = {a.id: a for a in rows}
        return {m: by_id[i] for m, i in wanted.items() if i in by_id}


def build_world(plan: Plan, sessions: sessionmaker[Session]) -> World:
    conversation = Conversation(sessions, clock=lambda: NOW, zone=LONDON)
    world = World(plan, sessions, conversation, Leaks(sessions))
    with transaction(sessions) as session:
        directory.import_yaml(session, directory_of(plan), actor="test", via="cli")
        for i, name in enumerate(PEOPLE):
            found = directory.member_by_name(session, name)
            assert found is not None
            world.members[i] = found.id
        for i, name in enumerate(GROUPS[: len(plan.groups)]):
            group = directory.group_by_name(session, name)
            assert group is not None
            world.groups[i] = group.id
    for index, action in enumerate(plan.actions):
        kind = "SECRET" if action.restricted else "PUBLIC"
        marker = f"{kind}-{index}-{plan.salt}"
        text = " ".join((*action.words, marker))
        if action.said:
            _said(world, action, text, marker)
        else:
            action_id = _stored(world, action, text)
            (world.leaks.secret if action.restricted else world.leaks.public)[marker] = action_id
        world.markers.append(marker)
        world.refs.append(f"A-{world.leaks.secret.get(marker) or world.leaks.public[marker]}")
    return world


def _said(world: World, action: ActionPlan, text: str, marker: str) -> None:
    """Capture the action from its ACTION line in the group's channel; the confirmation in the
    channel and the owners' messages are checked once the new action is known."""
    assert action.said is not None
    owners = " and ".join(PEOPLE[o] for o in action.owners if isinstance(o, int))
    line = action.said.format(owners=owners, text=text)
    where = place(action.group, OUTSIDER, action.platform)
    person = action.creator if action.creator is not None else OUTSIDER
    who = speaker(person, where.platform)
    answers = world.conversation.handle(Incoming(line, who, where, NOW, f"leaks:said:{marker}"))
    with world.sessions() as session:
        found = session.scalars(select(Action).where(Action.text.contains(text))).all()
    assert len(found) == 1, f"{line!r} was not captured as one action"
    (world.leaks.secret if action.restricted else world.leaks.public)[marker] = found[0].id
    what = f"{who.display_name} saying {line!r} in {where}"
    world.leaks.outgoing(answers, asker=world.member_id(person), what=what)


def _stored(world: World, plan: ActionPlan, text: str) -> int:
    """Record the action straight in the store (restricted: flagged, as the chair would)."""
    owners = [
        repo.NewOwner(PEOPLE[o], world.members[o], "matched")
        if isinstance(o, int)
        else repo.NewOwner(o)
        for o in plan.owners
    ]
    new = repo.NewAction(
        text=text,
        source_kind="console",
        owners=owners,
        group_id=world.groups[plan.group],
        due_date=TODAY + dt.timedelta(days=plan.due_in) if plan.due_in is not None else None,
        restricted=plan.restricted,
        created_by_id=world.members[plan.creator] if plan.creator is not None else None,
        meeting_date=plan.meeting,
    )
    closed = NOW.astimezone(dt.UTC) - dt.timedelta(days=3)
    with transaction(world.sessions) as session:
        action = repo.create(session, new, actor="test", via="cli")
        assert action is not None
        for owner, state in zip(action.owners, plan.owner_states, strict=True):
            owner.status = state if plan.status == OPEN else plan.status
            owner.closed_at = closed if owner.status != OPEN else None
            owner.overdue_chases = plan.chased
        if plan.status != OPEN:
            action.status, action.closed_at = plan.status, closed
        if plan.note:
            marker = text.rsplit(" ", 1)[-1]
            note = ActionUpdate(
                author="test", text=f"spoke to them about {marker}", created_at=closed
            )
            action.updates.append(note)
        return action.id


# ---- what people ask, and what must show ----------------------------------------------------


def command_text(world: World, ask: Ask) -> str:
    """The command with the names it needs filled in."""
    plan = world.plan
    target = ask.target % len(plan.actions)
    return ask.command.format(
        person=PEOPLE[ask.target % len(PEOPLE)],
        group=GROUPS[ask.target % len(plan.groups)],
        month=("January", "May", "June")[ask.target % 3],
        ref=world.refs[target],
        note=f"chased again {world.markers[target]}",
        text=" ".join(plan.actions[target].words),
    )


def check_channel_listings(world: World) -> None:
    """Every group's channel lists the open, unrestricted actions of the group and of its
    subgroups (one level down; the board's channel lists everything)."""
    public = world.open_markers(restricted=False)
    for index in range(len(world.plan.groups)):
        platform: Platform = ("slack", "teams")[index % 2]
        shown = world.reply_text(OUTSIDER, "outstanding", place(index, OUTSIDER, platform))
        mine = {world.groups[g] for g in world.tree(index, depth=None if index == 0 else 1)}
        for marker, action in public.items():
            if action.group_id in mine:
                assert marker in shown, f"{marker} missing from {GROUPS[index]}'s channel"


def check_owners_see_theirs(world: World) -> None:
    """An owner with an open part of a restricted action sees it in their "my actions"."""
    for marker, action in world.open_markers(restricted=True).items():
        for owner in action.owners:
            if owner.member_id is None or owner.status != OPEN:
                continue
            person = next(p for p, m in world.members.items() if m == owner.member_id)
            platform: Platform = ("slack", "teams")[person % 2]
            shown = world.reply_text(person, "my actions", place(None, person, platform))
            assert marker in shown, f"{PEOPLE[person]} cannot see their own {marker}"


def check_officers_export(world: World) -> None:
    """A chair or secretary's export in a direct chat holds their groups' restricted actions."""
    with world.sessions() as session:
        rows = session.execute(
            select(Membership.member_id, Membership.group_id).where(
                Membership.role.in_((directory.CHAIR, directory.SECRETARY))
            )
        ).all()
        groups_of = {a.id: a.group_id for a in session.scalars(select(Action))}
    board = world.groups[0]
    for person, member_id in world.members.items():
        theirs = {g for m, g in rows if m == member_id}
        if not theirs:
            continue
        platform: Platform = ("slack", "teams")[person % 2]
        shown = world.reply_text(person, "export actions as csv", place(None, person, platform))
        for marker, action_id in world.leaks.secret.items():
            if board in theirs or groups_of[action_id] in theirs:
                assert marker in shown, f"{PEOPLE[person]}'s export lacks {marker}"


def run_asks(world: World) -> None:
    for ask in world.plan.asks:
        where = place(ask.group, ask.viewer, ask.platform)
        world.say(ask.viewer, command_text(world, ask), where)


def run_scheduler(world: World) -> None:
    """Sweeps over the morning: reminders (retried, then reported to the chair when a person
    cannot be reached), escalations and pre-meeting digests, each checked for leaks; the digests
    in channels list the open, unrestricted actions of the group and those below."""
    public = world.open_markers(restricted=False)
    notifier = RecordingNotifier(fail_members={world.members[p] for p in world.plan.unreachable})
    sweeper = Sweeper(world.sessions, notifier, clock=lambda: NOW, instance="leaks")
    for minutes in (0, 6, 17, 40):  # failed sends are retried after 5, 10, 20 minutes
        sweeper.sweep(at=NOW + dt.timedelta(minutes=minutes))
    channels = {
        channel_of(i, p): i for i in range(len(world.plan.groups)) for p in ("slack", "teams")
    }
    board_digests = 0
    for sent in notifier.sent:
        world.leaks.outgoing([sent], asker=None, what=f"the scheduler sending {sent.to}")
        if not isinstance(sent.to, ToPlace):
            continue
        group = channels[sent.to.place.channel_id or ""]
        board_digests += group == 0
        shown = everything(sent.message)
        mine = {world.groups[g] for g in world.tree(group)}
        for marker, action in public.items():
            if action.group_id in mine:
                assert marker in shown, f"{marker} missing from {GROUPS[group]}'s digest"
    assert board_digests == 2, "the board's pre-meeting digest went to both of its channels"


def check_app_home(world: World, slack: SlackContext) -> None:
    """App Home, built as the Home tab handler builds it, for every member."""
    owners: dict[int, set[str]] = {}
    for marker, action in world.open_markers(restricted=True).items():
        for owner in action.owners:
            if owner.member_id is not None and owner.status == OPEN:
                owners.setdefault(owner.member_id, set()).add(marker)
    for person, member_id in world.members.items():
        view = json.dumps(home.home_view(slack, slack_user(person)), ensure_ascii=False)
        world.leaks.check(view, channel=False, reader=member_id, what=f"App Home of {person}")
        for marker in owners.get(member_id, set()):
            assert marker in view, f"{PEOPLE[person]}'s App Home lacks their {marker}"


# ---- the property ----------------------------------------------------------------------------


@dataclass(repr=False)  # kept out of hypothesis's report of a failing example
class Shared:
    """What every example uses: a migrated, empty SQLite file to copy, and the fake Slack."""

    template: Path
    slack: FakeSlack


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shared]:
    path = tmp_path_factory.mktemp("leaks") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    fake = FakeSlack().start()
    for i, name in enumerate(PEOPLE):
        fake.add_user(slack_user(i), name)
    yield Shared(path, fake)
    fake.stop()


@pytest.fixture(scope="module", autouse=True)
def _warm_up() -> None:
    """Load the date engine's language data once, outside the examples."""
    from handlers.extraction import extract_actions

    extract_actions("ACTION: Tom Hook to report by 30 June", meeting_date=TODAY)


# A board, a subgroup and a group below the subgroup with no chair of its own: the subgroup's
# chair is the nearest chair of the lower group's actions (its escalations, the reports of
# reminders that could not be delivered, the subgroup's pre-meeting digest), but not a chair who
# may read that group's restricted actions.
NESTED = Plan(
    salt="nstdxz",
    groups=(
        GroupPlan(None, 0, None, None, (), 2),
        GroupPlan(0, 1, None, None, (), 1),
        GroupPlan(1, None, None, None, (2,), None),
    ),
    actions=(
        ActionPlan(
            2, True, None, "slack", ("review",), (3,), None, OPEN, (OPEN,), -10, None, True, 3
        ),
        ActionPlan(
            2, False, None, "teams", ("check",), (3,), None, OPEN, (OPEN,), -10, None, False, 3
        ),
    ),
    asks=(Ask(1, None, "slack", "export actions as docx", 0),),
    unreachable=(3,),
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(plan=plans())
@example(plan=NESTED)
def test_restricted_actions_never_leak(plan: Plan, shared: Shared) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "chaser.db"
        shutil.copyfile(shared.template, path)
        url = f"sqlite:///{path}"
        engine = make_engine(url)
        try:
            sessions = make_session_factory(engine)
            world = build_world(plan, sessions)
            check_channel_listings(world)
            check_owners_see_theirs(world)
            check_officers_export(world)
            run_asks(world)
            run_scheduler(world)
            settings_ = Settings(  # type: ignore[call-arg]
                _env_file=None,
                database_url=url,
                slack_bot_token=BOT_TOKEN,
                slack_signing_secret="leaks-signing-secret",
                slack_api_url=shared.slack.base_url,
                scheduler_enabled=False,
            )
            chaser = Chaser(settings_, engine, sessions, clock=lambda: NOW)
            check_app_home(world, build_slack(chaser).context)
            assert world.leaks.checked > 0
        finally:
            engine.dispose()


# ---- the same, through the real Slack app and the real Teams adapter over HTTP ---------------

S1, S2, S3, PUBLIC = "SECRET-S1-qzxv", "SECRET-S2-qzxv", "SECRET-S3-qzxv", "PUBLIC-P1-qzxv"


def _slack_text(call: Any, files: dict[str, bytes]) -> str:
    """What a Slack call shows: its JSON body, and the text of any file it completes."""
    texts = [file_text(Attachment(name, content, "")) for name, content in files.items()]
    return "\n".join([call.everything(), *texts])


class SlackAudit:
    """Reads every call the app made to the fake Slack, step by step, and says who saw it."""

    def __init__(self, world: SlackWorld, readers: dict[str, set[str]]) -> None:
        self.world = world
        self.readers = readers  # marker of a restricted action -> the Slack users entitled to it
        self.seen = 0

    def step(self, asker: str) -> str:
        """Check the calls made since the last step; all their text, for positive checks."""
        calls = self.world.fake.calls[self.seen :]
        self.seen += len(calls)
        uploads = [c.raw for c in calls if c.method.startswith("POST /upload/")]
        names = [str(c.body.get("filename", "")) for c in calls
                 if c.method == "files.getUploadURLExternal"]  # fmt: skip
        shown: list[str] = []
        for call in calls:
            files: dict[str, bytes] = {}
            if call.method == "files.completeUploadExternal":
                files = dict(zip(names, uploads, strict=True))
                where = str(call.body.get("channel_id") or "")
            elif call.method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
                where = str(call.body.get("channel") or "")
            elif call.method == "views.publish":
                where = "D" + str(call.body.get("user_id") or "")[1:]
            elif call.method.startswith("POST /response/"):
                where = "D" + asker[1:]  # an ephemeral answer: only the asker sees it
            else:
                continue
            text = _slack_text(call, files)
            shown.append(text)
            for marker, readers in self.readers.items():
                if marker not in text:
                    continue
                assert where.startswith("D"), f"{marker} shown in Slack channel {where}: {text}"
                reader = "U" + where[1:]
                assert reader in readers, f"{marker} shown to {reader}: {text}"
        return "\n".join(shown)


def test_slack_keeps_restricted_actions_out_of_channels_and_other_peoples_home(
    db_url: str,
) -> None:
    engine = make_engine(db_url)
    world = SlackWorld(db_url, make_session_factory(engine))
    toms = {"U0TOM", "U0JADE", "U0FIONA"}  # the owner, the secretary who recorded it, the chair
    audit = SlackAudit(world, readers={S1: toms, S2: toms})
    bot = f"<@{BOT_USER_ID}>"
    try:
        thread = world.say(f"{bot} ACTION (RESTRICTED): Tom Hook to review the case file {S1} "
                           "by 30 June", user="U0JADE")  # fmt: skip
        world.say(f"{bot} RESTRICTED ACTION: Tom Hook to visit the family {S2} by 30 June",
                  user="U0JADE")  # fmt: skip
        world.say(f"ACTION: Rita Chadha to book the venue {PUBLIC} by 30 June", user="U0JADE")
        audit.step("U0JADE")
        assert [world.action(r).restricted for r in ("A-1", "A-2", "A-3")] == [True, True, False]

        line = f"ACTION: Rita Chadha to call the school {S3} by 30 June"
        ts = world.say(line, user="U0JADE")
        audit.step("U0JADE")  # said in the channel before anyone flagged it
        edited = fixture("message_changed.json")
        edited["event"]["message"] |= {
            "ts": ts,
            "user": "U0JADE",
            "text": line.replace("ACTION:", "ACTION (CONFIDENTIAL):"),
        }
        assert world.event(edited) == 200
        audit.readers[S3] = {"U0RITA", "U0JADE", "U0FIONA"}
        assert "updated A-4" in audit.step("U0JADE")

        update = fixture("view_submission_update.json")
        update["user"]["id"] = "U0TOM"
        update["view"]["private_metadata"] = json.dumps(
            {"ref": "A-1", "channel": "D0TOM", "ts": "1760000000.000002"}
        )
        update["view"]["state"]["values"]["note"]["text"]["value"] = f"called back about {S1}"
        assert world.interactive(update) == 200
        notes = audit.step("U0TOM")
        assert "Noted on A-1" in notes and [u.text for u in world.action("A-1").updates]
        assert any(c.body.get("thread_ts") == thread for c in world.fake.posts())

        for text in (
            "outstanding",
            "overdue",
            "actions for Tom Hook",
            "what's due this week",
            "export actions as csv",
            "export actions as docx",
            "done A-1",
            "A-1",
        ):
            world.say(f"{bot} {text}", user="U0PAT")
            shown = audit.step("U0PAT")
            if text == "outstanding":
                assert PUBLIC in shown
        world.say(f"{bot} my actions", user="U0TOM")
        assert "A-1" in audit.step("U0TOM")
        for text in ("", "export csv", "<@U0TOM|tom.hook>", "overdue"):
            world.command(text, user="U0PAT")
            audit.step("U0PAT")
        for text in ("outstanding", "export actions as md", "actions for Tom Hook"):
            world.say(text, user="U0PAT", channel="D0PAT")
            audit.step("U0PAT")
        for user in ("U0PAT", "U0RITA", "U0TIM", "U0OUTSIDER"):
            opened = fixture("app_home_opened.json")
            opened["event"]["user"] = user
            assert world.event(opened) == 200
            assert "chaser_home" in audit.step(user)

        world.say("my actions", user="U0TOM", channel="D0TOM")
        assert S1 in audit.step("U0TOM") and S2 in world.fake.posts()[-1].everything()
        world.say("export actions as csv", user="U0FIONA", channel="D0FIONA")
        exported = audit.step("U0FIONA")
        assert S1 in exported and S2 in exported
        opened = fixture("app_home_opened.json")
        opened["event"]["user"] = "U0TOM"
        world.event(opened)
        home_tab = audit.step("U0TOM")
        assert S1 in home_tab and S2 in home_tab
    finally:
        world.close()
        engine.dispose()


def test_teams_keeps_restricted_actions_out_of_channels_and_other_peoples_chats(
    db_url: str,
) -> None:
    connector = FakeTeamsConnector().start()
    config = Settings(_env_file=None, CHASER_DATABASE_URL=db_url)  # type: ignore[call-arg]
    world = TeamsWorld(db_url=db_url, connector=connector, settings=config)
    readers = {TOM.user_id, JADE.user_id, FIONA.user_id}
    seen = 0

    def step() -> str:
        nonlocal seen
        calls = connector.sent()[seen:]
        seen += len(calls)
        shown = []
        for call in calls:
            text = json.dumps(call.body, ensure_ascii=False) + _downloads(call)
            shown.append(text)
            where = (call.conversation_id or "").split(";")[0]
            for marker in (S1, S2):
                if marker in text:
                    assert where.startswith("a:1on1-"), f"{marker} in Teams channel: {text}"
                    assert where.removeprefix("a:1on1-") in readers, f"{marker} to {where}"
        return "\n".join(shown)

    def say(text: str, person: Any, *, personal: bool = False) -> str:
        make = world.make.personal if personal else world.make.channel
        status, _ = world.post(make(text, person))
        assert status in (200, 201)
        return step()

    try:
        say(f"RESTRICTED ACTION: Tom Hook to review the case file {S1} by 30 November", JADE)
        say(f"ACTION (CONFIDENTIAL): Tom Hook to visit the family {S2} by 30 November", JADE)
        say(f"ACTION: Penny Pyke to book the venue {PUBLIC} by 30 November", JADE)
        for text in (
            "outstanding",
            "overdue",
            "actions for Tom Hook",
            "what's due this week",
            "export actions as csv",
            "export actions as docx",
            "my actions",
        ):
            shown = say(text, TIM)
            if text == "outstanding":
                assert PUBLIC in shown
        assert "A-1" in say("my actions", TOM)
        for text in ("outstanding", "export actions as csv", "actions for Tom Hook", "A-1"):
            say(text, PENNY, personal=True)
        mine = say("my actions", TOM, personal=True)
        assert S1 in mine and S2 in mine
        exported = say("export actions as csv", FIONA, personal=True)
        assert S1 in exported and S2 in exported
    finally:
        world.close()
        connector.stop()


def _downloads(call: Any) -> str:
    """The files a Teams card links to, fetched from Chaser's own server."""
    card = json.dumps(call.body)
    found = ""
    for url in (u.split('"')[0] for u in card.split('"url": "')[1:]):
        if "/api/teams/files/" in url:
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our server
                found += "\n" + response.read().decode("utf-8", errors="replace")
    return found
