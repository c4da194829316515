"""Soak: the real Chaser server under mixed Slack and Teams load for minutes, with chase sweeps.

The server runs in a child process built as ``chaser serve`` builds it (``bot.server.build_web_app``
and ``start_site``: the real slack-bolt app checking a real signing secret, the real Bot Framework
route), on a temporary SQLite file or a fresh PostgreSQL database holding the example partnership
(Slack ids for some members, Teams ids for others, Slack and Teams channels for the board and
Safer Borough). Slack and Teams are the fakes from tests/fakes (real HTTP servers on 127.0.0.1, in
this process). Clients send captures, chatter, /actions commands, button presses on the cards the
bot really posted, Home tab opens, Teams captures, questions and card submits. The server's clock
starts on a Monday and moves to the next working day before each chase sweep, which runs every
``--sweep-seconds`` in a thread through the scheduler's ``Sweeper`` and the server's routing
notifier, so reminders, escalations and pre-meeting digests go out while people keep talking.

    .venv/bin/python bench/soak.py [--minutes 3] [--concurrency 8] [--rate 20] [--seed 1]
                                   [--database-url postgresql://postgres@127.0.0.1:5432/test]
    .venv/bin/python bench/soak.py --smoke        # 20 seconds

With ``--database-url`` a fresh database is created on that PostgreSQL server and dropped after.
Prints requests served and latency by kind; errors (a non-2xx answer, a client error, anything the
server logs at ERROR, a failed call to a fake platform or a failed send, a command or Home tab left
unanswered, an ACTION line not captured); reminders and escalations the platforms received checked
against the send log (nothing twice); and the server's memory (RSS, tracemalloc) after warm-up,
halfway and at the end. Exits 1 on any error or double send, and (except with --smoke, too short
to judge) when memory is not flat: live Python memory grew by ``--max-growth-mb`` or more, or RSS
by ``--max-growth-pct`` or more over the second half (the first half still fills caches).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import gc
import hashlib
import hmac
import json
import logging
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import uuid
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SECRET = "soak-signing-secret-0123456789abcdef"  # noqa: S105 - a test value
LONDON = ZoneInfo("Europe/London")
START_DAY = dt.date(2026, 11, 16)  # a Monday; the partnership's meetings follow in December
FIXTURES = ROOT / "tests" / "fixtures"
BOARD, SAFER = "Community Safety Partnership Board", "Safer Borough"
SLACK_CHANNELS = {BOARD: "C0CSPBOARD", SAFER: "C0SAFERBOR"}
TEAMS_CHANNELS = {
    BOARD: "19:board0channel0id@thread.tacv2",
    SAFER: "19:safer0channel0id@thread.tacv2",
}
SLACK_PEOPLE = {  # directory name -> Slack user id (their DM channel is "D" + the rest)
    "Fiona Taylor": "U0FIONA", "Jade Hodgson": "U0JADE", "Tom Hook": "U0TOM",
    "Rita Chadha": "U0RITA", "Tim Barfoot": "U0TIM", "Penny Pyke": "U0PENNY", "Pat Hayes": "U0PAT",
}  # fmt: skip
TEAMS_PEOPLE = {  # directory name -> Teams user id; these members are not in the Slack workspace
    name: f"29:1{name.replace(' ', '')}UserId"
    for name in ("Jonathon Toy", "Chris Bush", "Angie Fuller", "Dan James", "Greg Tillett",
                 "Melody Williams", "Teresa DeVito")
}  # fmt: skip
MIX = {  # request kind -> weight
    "slack.capture": 10, "slack.chatter": 20, "slack.command": 10, "slack.press": 8,
    "slack.home": 5, "slack.dm": 4, "teams.capture": 8, "teams.question": 8,
    "teams.personal": 5, "teams.submit": 6, "teams.chatter": 4,
}  # fmt: skip
TASKS = (
    "send the knife crime figures", "circulate the ASB dashboard", "draft the VAWG action plan",
    "liaise with the police about the night-time economy", "confirm the youth outreach budget",
    "share the hate crime reporting data", "book the venue for the community event",
    "update the risk register",
)  # fmt: skip
DUES = (
    "by Friday", "by end of next week", "within 2 weeks", "in 3 working days", "by end of month",
    "next Tuesday", "before the next meeting", "ASAP",
)  # fmt: skip
COMMANDS = ("mine", "", "help", "overdue")  # /actions <text>
QUESTIONS = ("outstanding", "who leads on knife crime?", "overdue", "what does Safer Borough own?")
REMINDER = re.compile(r"^(Reminder:|Overdue:|Before your meeting:)")
SLACK_REF = re.compile(r"\*(A-\d+)\*")
TEAMS_REF = re.compile(r"\*\*(A-\d+)\*\*")


# ---- the server (child process) -----------------------------------------------------------------


class SoakClock:
    """The server's clock: a working day at 10:00 London, plus a minute a real second (at most
    six hours); :meth:`next_day` moves to the next working day (bank holidays skipped)."""

    def __init__(self, start: dt.date) -> None:
        from scheduler.calendar import WorkingCalendar

        self.calendar = WorkingCalendar()
        self._state = (self.calendar.next_working_day(start), time.monotonic())

    def __call__(self) -> dt.datetime:
        day, since = self._state
        minutes = min(time.monotonic() - since, 360.0)
        opening = dt.datetime.combine(day, dt.time(10, 0), tzinfo=LONDON)
        return (opening + dt.timedelta(minutes=minutes)).astimezone(dt.UTC)

    @property
    def day(self) -> dt.date:
        return self._state[0]

    def next_day(self) -> dt.date:
        day = self.calendar.next_working_day(self._state[0] + dt.timedelta(days=1))
        self._state = (day, time.monotonic())
        return day


class LogTally(logging.Handler):
    """Counts warnings and errors logged anywhere in the server; keeps a few of each."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.counts: Counter[str] = Counter()
        self.samples: dict[str, list[str]] = {"WARNING": [], "ERROR": []}
        self.kinds: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        level = "ERROR" if record.levelno >= logging.ERROR else "WARNING"
        self.counts[level] += 1
        self.kinds[f"{level} {record.name}: {str(record.msg)[:90]}"] += 1
        if len(self.samples[level]) < 10:
            line = f"{record.name}: {record.getMessage()[:300]}"
            if record.exc_info and record.exc_info[1] is not None:
                line += f" [{type(record.exc_info[1]).__name__}: {record.exc_info[1]}]"
            self.samples[level].append(line)


class SweepLoop:
    """The scheduler's work on the soak clock: every ``every`` seconds the clock moves to the next
    working day, then the chase sweep and the pre-meeting digests run, as the runner's jobs do."""

    def __init__(self, chaser: Any, clock: SoakClock, every: float) -> None:
        self.chaser, self.clock, self.every = chaser, clock, every
        self.lock = threading.Lock()
        self.runs = 0
        self.statuses: Counter[str] = Counter()
        self.scheduled = self.held = 0
        self.busy = self.longest = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._sweeper: Any = None

    async def start(self, app: Any) -> None:
        from bot import teams
        from bot.server import SLACK, RoutingNotifier
        from scheduler.sweep import Sweeper

        notifier = RoutingNotifier(self.chaser, app[SLACK].context.notifier, teams.notifier_of(app))
        self._sweeper = Sweeper(self.chaser.sessions, notifier, clock=self.chaser.clock)
        self._thread = threading.Thread(target=self._run, name="soak-sweeps", daemon=True)
        self._thread.start()

    async def stop(self, _app: Any) -> None:
        await asyncio.to_thread(self.halt)

    def halt(self) -> None:
        """No more sweeps: wait for the one running, if any, to finish."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(60)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            with self.lock:
                day, started = self.clock.next_day(), time.monotonic()
                try:
                    for report in (self._sweeper.chase(), self._sweeper.meeting_digests()):
                        self.scheduled += report.scheduled
                        self.held += report.held
                        for delivery in report.deliveries:
                            self.statuses[delivery.status] += 1
                except Exception:  # counted as an error by LogTally; the next sweep still runs
                    logging.getLogger("soak").exception("the sweep on %s failed", day)
                self.runs += 1
                took = time.monotonic() - started
                self.busy, self.longest = self.busy + took, max(self.longest, took)


def _trimmed() -> None:
    """Give freed heap back to the system (glibc), so RSS shows what is in use."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        return


def _rss_bytes() -> int:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        import resource  # peak, not current: the best there is without /proc

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@dataclass
class Probe:
    """The soak's own routes on the server: work in progress, logged problems, memory."""

    app: Any
    sweeps: SweepLoop
    tally: LogTally
    workdir: Path
    lags: deque[float] = field(default_factory=lambda: deque(maxlen=20000))
    _watcher: asyncio.Task[None] | None = None

    async def watch_loop(self, _app: Any) -> None:
        """How late the event loop wakes a 50 ms sleeper: time it spent blocked."""

        async def watch() -> None:
            while True:
                started = time.perf_counter()
                await asyncio.sleep(0.05)
                self.lags.append((time.perf_counter() - started - 0.05) * 1000)

        self._watcher = asyncio.create_task(watch())

    async def stats(self, _request: Any) -> Any:
        from aiohttp import web

        from bot.server import SLACK

        return web.json_response(
            {
                "pending": self.app[SLACK].context.backlog.pending,
                "sweeps": self.sweeps.runs,
                "sweeping": self.sweeps.lock.locked(),
                "day": self.sweeps.clock.day.isoformat(),
                "statuses": dict(self.sweeps.statuses),
                "scheduled": self.sweeps.scheduled,
                "held": self.sweeps.held,
                "sweep_busy": self.sweeps.busy,
                "sweep_longest": self.sweeps.longest,
                "logged": dict(self.tally.counts),
                "samples": self.tally.samples,
                "kinds": dict(self.tally.kinds.most_common(12)),
                "lag": (*_percentiles(list(self.lags)), max(self.lags, default=0.0)),
            }
        )

    async def memory(self, request: Any) -> Any:
        from aiohttp import web

        label = request.query.get("label", "sample")
        if label == "top":
            return web.json_response(await asyncio.to_thread(self._growth))
        snapshot = request.query.get("snapshot") == "1"
        return web.json_response(await asyncio.to_thread(self._measure, label, snapshot))

    def _measure(self, label: str, snapshot: bool) -> dict[str, Any]:
        """RSS and traced memory after a full collection and a heap trim. Except for a "sample"
        it waits for a sweep in progress; "end" stops the sweeps; ``snapshot`` keeps one."""
        if label == "end":
            self.sweeps.halt()
        with self.sweeps.lock if label != "sample" else contextlib.nullcontext():
            gc.collect()
            _trimmed()
            figures = {"rss": _rss_bytes(), "traced": tracemalloc.get_traced_memory()[0]}
            if snapshot:
                tracemalloc.take_snapshot().dump(str(self.workdir / "warm.snapshot"))
            return figures

    def _growth(self) -> dict[str, Any]:
        """The allocations that grew most since "warm" (by line, or by stack when traced so)."""
        filters = [tracemalloc.Filter(False, tracemalloc.__file__)]
        warm = tracemalloc.Snapshot.load(str(self.workdir / "warm.snapshot"))
        key = "traceback" if tracemalloc.get_traceback_limit() > 1 else "lineno"
        now = tracemalloc.take_snapshot().filter_traces(filters)
        top = now.compare_to(warm.filter_traces(filters), key)[:8]
        return {
            "top": [
                f"{s.size_diff / 1024:+9.1f} KiB {s.count_diff:+7d} blocks  "
                + " <- ".join(str(f) for f in reversed(s.traceback[-6:]))
                for s in top
            ]
        }


def serve(db_url: str, api_url: str, sweep_seconds: float, workdir: str, frames: int) -> None:
    """Child process: the server on a free port; prints the port, runs until SIGTERM."""
    from pydantic import SecretStr

    from bot.app import build
    from bot.logs import configure_logging, secret_values
    from bot.server import build_web_app, start_site
    from bot.settings import Settings
    from tests.fakes.slack_api import BOT_TOKEN

    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=db_url,
        slack_bot_token=SecretStr(BOT_TOKEN),
        slack_signing_secret=SecretStr(SECRET),
        slack_app_token=None,
        slack_client_id=None,
        slack_api_url=api_url,
        teams_app_id=None,
        teams_app_password=None,
        scheduler_enabled=False,
    )
    tally = LogTally()
    logging.getLogger().addHandler(tally)
    configure_logging("INFO", secrets=secret_values(settings))
    import bot.teams.bot  # noqa: F401 - loaded while the database is being seeded
    import handlers.conversation  # noqa: F401

    sys.stdin.readline()  # the database is ready

    async def main() -> None:
        clock = SoakClock(START_DAY)
        chaser = build(settings, clock=clock)
        app = build_web_app(chaser, scheduler=False)
        sweeps = SweepLoop(chaser, clock, sweep_seconds)
        app.on_startup.append(sweeps.start)
        app.on_cleanup.append(sweeps.stop)
        probe = Probe(app, sweeps, tally, Path(workdir))
        app.on_startup.append(probe.watch_loop)
        app.router.add_get("/soak/stats", probe.stats)
        app.router.add_post("/soak/memory", probe.memory)
        tracemalloc.start(frames)  # after the imports: what is traced is what serving allocates
        runner, port = await start_site(app, "127.0.0.1", 0)
        print(port, flush=True)
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        await stop.wait()
        await runner.cleanup()
        chaser.engine.dispose()

    asyncio.run(main())


# ---- the database ----------------------------------------------------------------------------


def seed(url: str) -> dict[str, int]:
    """Migrate, load the example partnership and priorities, give people their Slack and Teams
    ids and the board and Safer Borough their channels; the member id of each person."""
    from sqlalchemy import select

    from store import directory
    from store.db import make_engine, make_session_factory, transaction
    from store.migrate import upgrade
    from store.models import Group, GroupChannel, Member
    from store.priorities import import_priorities
    from store.priorities_yaml import read_file

    engine = make_engine(url)
    upgrade(engine)
    ids: dict[str, int] = {}
    with transaction(make_session_factory(engine)) as session:
        data = directory.load_yaml_file(ROOT / "examples" / "partnership.yml")
        directory.import_yaml(session, data, actor="soak", via="cli")
        import_priorities(
            session, read_file(ROOT / "examples" / "priorities.yml"), actor="soak", via="cli"
        )
        for member in session.scalars(select(Member)):
            if member.name in SLACK_PEOPLE:
                member.slack_user_id = SLACK_PEOPLE[member.name]
            elif member.name in TEAMS_PEOPLE:
                member.teams_user_id = TEAMS_PEOPLE[member.name]
                member.teams_aad_id = str(uuid.uuid5(uuid.NAMESPACE_URL, member.name))
            ids[member.name] = member.id
        for name in (BOARD, SAFER):
            group = session.scalar(select(Group).where(Group.name == name))
            assert group is not None, name
            for platform, channels in (("slack", SLACK_CHANNELS), ("teams", TEAMS_CHANNELS)):
                where = channels[name]
                session.add(GroupChannel(group_id=group.id, platform=platform, channel_id=where))
    engine.dispose()
    return ids


@dataclass
class SendLog:
    """What the send log says was sent, and any sign of a message sent twice."""

    slots: Counter[tuple[str, int, str]]  # (reminder | escalation, member id, ref) -> sent slots
    twice_a_day: list[str]
    resent: list[str]
    actions: int


def read_send_log(url: str) -> SendLog:
    from sqlalchemy import func, select

    from store.db import make_engine
    from store.models import Action, ActionOwner
    from store.models.chasing import SENT, ChaseSend

    engine = make_engine(url)
    slots: Counter[tuple[str, int, str]] = Counter()
    days: Counter[tuple[int, dt.date]] = Counter()
    resent: list[str] = []
    with engine.connect() as conn:
        rows = conn.execute(
            select(ChaseSend.key, ChaseSend.kind, ChaseSend.recipient_id, Action.ref,
                   ChaseSend.owner_id, ChaseSend.sent_at, ChaseSend.attempts)
            .join(ActionOwner, ActionOwner.id == ChaseSend.owner_id)
            .join(Action, Action.id == ActionOwner.action_id)
            .where(ChaseSend.status == SENT)
        )  # fmt: skip
        for key, kind, recipient, ref, owner, sent_at, attempts in rows:
            what = "escalation" if kind == "escalation" else "reminder"
            slots[(what, recipient or 0, ref or "")] += 1
            if what == "reminder" and sent_at is not None:
                days[(owner or 0, sent_at.astimezone(LONDON).date())] += 1
            if attempts > 1:
                resent.append(f"{key} sent on attempt {attempts}")
        actions = conn.scalar(select(func.count()).select_from(Action)) or 0
    engine.dispose()
    twice = [f"owner row {o} chased {n} times on {d}" for (o, d), n in days.items() if n > 1]
    return SendLog(slots, twice, resent, actions)


def fresh_postgres(url: str) -> tuple[str, Any]:
    """A new, empty database on the server at ``url``; its URL and a function that drops it."""
    from sqlalchemy import create_engine, text

    from store.db import normalise_url

    admin = create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")
    name = f"chaser_soak_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return f"{normalise_url(url).rsplit('/', 1)[0]}/{name}", drop


# ---- what the platforms saw (this process) ---------------------------------------------------


def _digest(summary: str) -> bool:
    """A pre-meeting digest's first (or only) post: "Before CSP Board: 12 outstanding, …"."""
    return (
        summary.startswith("Before ")
        and not REMINDER.match(summary)
        and not summary.endswith("(continued)")
    )


@dataclass(frozen=True)
class Card:
    """An action card the bot posted to its owner, which the owner may press."""

    platform: str
    user: str
    conversation: str
    card_id: str
    ref: str


@dataclass
class Platforms:
    """The fake Slack and Teams, and what their recorded calls add up to."""

    slack: Any
    teams: Any
    member_of: dict[str, int]  # Slack DM channel or Teams 1:1 conversation -> member id
    cards: deque[Card] = field(default_factory=lambda: deque(maxlen=400))
    receipts: Counter[tuple[str, int, str]] = field(default_factory=Counter)
    counts: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    last_call: float = field(default_factory=time.monotonic)
    _card_ts: int = 0

    def harvest(self) -> None:
        """Take the calls recorded since last time and account for each."""
        taken = []
        for fake in (self.slack, self.teams):
            with fake._lock:
                taken.append(list(fake.calls))
                fake.calls.clear()
        if taken[0] or taken[1]:
            self.last_call = time.monotonic()
        for call in taken[0]:
            self._slack(call)
        for call in taken[1]:
            self._teams(call)

    def _slack(self, call: Any) -> None:
        if call.status != 200:
            self.failures.append(f"Slack {call.method} answered HTTP {call.status}")
            return
        method = call.method
        self.counts[f"slack {'/'.join(method.split('/')[:2])}"] += 1  # POST /response/1: one
        if method != "chat.postMessage":
            return
        channel = str(call.body.get("channel") or "")
        summary = str(call.body.get("text") or "")
        if _digest(summary):
            self.counts["digest (Slack)"] += 1
        member = self.member_of.get(channel)
        if member is None:
            return
        blocks = call.blocks()
        refs = [
            m for b in blocks for m in SLACK_REF.findall(str((b.get("text") or {}).get("text")))
        ]
        self._received(summary, member, refs, "Slack")
        for block in blocks:
            block_id = str(block.get("block_id") or "")
            if block_id.startswith("act|"):
                self._card_ts += 1
                ts = f"1770{self._card_ts:06d}.000100"
                self.cards.append(Card("slack", "U" + channel[1:], channel, ts, block_id[4:]))

    def _teams(self, call: Any) -> None:
        if call.status >= 400:
            self.failures.append(f"Teams {call.method} {call.path} answered HTTP {call.status}")
            return
        kind = "created chat" if call.path == "/v3/conversations" else call.method
        self.counts[f"teams {kind}"] += 1
        body = call.body if isinstance(call.body, dict) else {}
        conversation = str(call.conversation_id or "")
        if call.method != "POST" or not body.get("attachments"):
            return
        summary = str(body.get("summary") or "")
        if _digest(summary):
            self.counts["digest (Teams)"] += 1
        member = self.member_of.get(conversation)
        if member is None:
            return
        card = call.card()
        text = json.dumps(card)
        self._received(summary, member, TEAMS_REF.findall(text), "Teams")
        for ref in dict.fromkeys(re.findall(r'"kind": "done", "ref": "(A-\d+)"', text)):
            user = conversation.removeprefix("a:1on1-")
            self.cards.append(Card("teams", user, conversation, str(call.answer_id), ref))

    def _received(self, summary: str, member: int, refs: list[str], where: str) -> None:
        what = "reminder" if REMINDER.match(summary) else None
        if summary.startswith("Escalation:"):
            what = "escalation"
        if what is None:
            return
        if not summary.endswith("(continued)"):  # a long one comes in parts: count it once
            self.counts[f"{what} ({where})"] += 1
        for ref in refs:  # once per owner row: an escalation lists a ref under each owner
            self.receipts[(what, member, ref)] += 1


# ---- the load (this process) -------------------------------------------------------------------


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return data


def signed(body: bytes, content_type: str) -> dict[str, str]:
    """Headers as Slack sends them: a v0 HMAC-SHA256 signature over ``v0:<ts>:<body>``."""
    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest.hexdigest()}",
    }


@dataclass
class Tally:
    """Requests served, their latency, and what went wrong, by kind."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)
    sent: Counter[str] = field(default_factory=Counter)

    def served(self, kind: str, ms: float) -> None:
        self.latencies.setdefault(kind, []).append(ms)

    def error(self, kind: str, what: str) -> None:
        self.errors[kind] += 1
        if len(self.samples) < 10:
            self.samples.append(f"{kind}: {what}")


class Load:
    """Clients sending the mix to the server, each at its share of ``rate`` (Poisson arrivals)."""

    def __init__(self, base: str, platforms: Platforms, rng: random.Random) -> None:
        self.base = base
        self.platforms = platforms
        self.rng = rng
        self.tally = Tally()
        self.go = asyncio.Event()
        self.go.set()
        self.in_flight = 0
        self.n = 0
        self.kinds = list(MIX)
        self.weights = [MIX[k] for k in self.kinds]
        self.service_url = platforms.teams.service_url
        self.session: Any = None
        self.until = 0.0

    # -- sending

    async def post(
        self, kind: str, path: str, body: bytes, headers: dict[str, str], *, timed: bool = True
    ) -> None:
        import aiohttp

        self.in_flight += 1
        started = time.perf_counter()
        try:
            async with self.session.post(self.base + path, data=body, headers=headers) as answer:
                await answer.read()
                status = answer.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            self.tally.error(kind, f"{type(exc).__name__}: {exc}")
            return
        finally:
            self.in_flight -= 1
        if timed:
            self.tally.served(kind, (time.perf_counter() - started) * 1000)
        if not 200 <= status < 300:
            self.tally.error(kind, f"HTTP {status}")

    async def client(self, rate: float) -> None:
        rng = random.Random(self.rng.random())
        next_at = time.monotonic()
        while True:
            next_at += rng.expovariate(rate)
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            await self.go.wait()
            if time.monotonic() >= self.until:
                return
            kind = rng.choices(self.kinds, self.weights)[0]
            await getattr(self, kind.replace(".", "_"))(rng)
            next_at = max(next_at, time.monotonic() - 1.0)  # never a burst to catch up

    def _next(self) -> int:
        self.n += 1
        return self.n

    # -- Slack

    async def _slack_message(self, kind: str, channel: str, user: str, text: str) -> None:
        """A person's message as the Events API delivers it, signed."""
        n = self._next()
        ts = f"{1780300000 + n}.{n:06d}"
        payload = fixture("slack/message_im.json")
        payload["event_id"] = f"Ev{n:09d}"
        payload["event"] = {
            "type": "message", "channel": channel, "user": user, "text": text, "ts": ts,
            "event_ts": ts, "team": "T0BOROUGH",
            "channel_type": "im" if channel.startswith("D") else "channel",
        }  # fmt: skip
        body = json.dumps(payload).encode()
        await self.post(kind, "/slack/events", body, signed(body, "application/json"))

    def _line(self, rng: random.Random, people: list[str], slack: bool) -> str:
        names = rng.sample(people, 2 if rng.random() < 0.2 else 1)
        if slack and rng.random() < 0.3:
            names[0] = f"<@{SLACK_PEOPLE[names[0]]}>"
        owner = " and ".join(names)
        task, due = rng.choice(TASKS), rng.choice(DUES)
        self.tally.sent["ACTION lines"] += 1
        return f"ACTION: {owner} to {task} (item {self._next()}) {due}"

    async def slack_capture(self, rng: random.Random) -> None:
        people = list(SLACK_PEOPLE)
        lines = [self._line(rng, people, True) for _ in range(rng.choice((1, 1, 1, 2)))]
        channel = SLACK_CHANNELS[rng.choice((BOARD, BOARD, SAFER))]
        user = SLACK_PEOPLE[rng.choice(people)]
        text = "\n".join(["Actions from today:", *lines])
        await self._slack_message("slack.capture", channel, user, text)

    async def slack_chatter(self, rng: random.Random) -> None:
        said = ("thanks all, note {n} taken", "the action plan draft {n} is on the shared drive")
        text = rng.choice(said).format(n=self._next())
        user = rng.choice(list(SLACK_PEOPLE.values()))
        await self._slack_message("slack.chatter", SLACK_CHANNELS[BOARD], user, text)

    async def slack_dm(self, rng: random.Random) -> None:
        user = rng.choice(list(SLACK_PEOPLE.values()))
        text = rng.choice(("my actions", "outstanding"))
        await self._slack_message("slack.dm", "D" + user[1:], user, text)

    async def slack_home(self, rng: random.Random) -> None:
        n = self._next()
        payload = fixture("slack/app_home_opened.json")
        user = rng.choice(list(SLACK_PEOPLE.values()))
        payload["event"] |= {"user": user, "channel": "D" + user[1:], "event_ts": f"{n}.1"}
        payload["event_id"] = f"EvH{n:09d}"
        body = json.dumps(payload).encode()
        self.tally.sent["Home tabs opened"] += 1
        await self.post("slack.home", "/slack/events", body, signed(body, "application/json"))

    async def slack_command(self, rng: random.Random) -> None:
        n = self._next()
        form = fixture("slack/slash_command_actions.json")
        form |= {
            "text": rng.choice(COMMANDS),
            "user_id": rng.choice(list(SLACK_PEOPLE.values())),
            "channel_id": SLACK_CHANNELS[rng.choice((BOARD, SAFER))],
            "response_url": self.platforms.slack.response_url(f"cmd-{n}"),
            "trigger_id": f"{n}.trigger",
        }
        body = urlencode(form).encode()
        self.tally.sent["commands"] += 1
        ctype = "application/x-www-form-urlencoded"
        await self.post("slack.command", "/slack/events", body, signed(body, ctype))

    def _card(self, rng: random.Random, platform: str) -> Card | None:
        cards = [c for c in self.platforms.cards if c.platform == platform]
        return rng.choice(cards) if cards else None

    async def slack_press(self, rng: random.Random) -> None:
        card = self._card(rng, "slack")
        if card is None:
            await self.slack_dm(rng)
            return
        snooze = rng.random() < 0.6
        payload = fixture(f"slack/block_actions_{'snooze' if snooze else 'done'}.json")
        payload["user"]["id"] = card.user
        payload["container"] |= {"channel_id": card.conversation, "message_ts": card.card_id}
        payload["channel"]["id"] = card.conversation
        payload["message"]["ts"] = card.card_id
        action = payload["actions"][0]
        action["block_id"] = f"act|{card.ref}"
        if snooze:
            action["selected_option"]["value"] = f"{card.ref}|{rng.choice(('1 day', '1 week'))}"
        else:
            action["value"] = card.ref
        body = urlencode({"payload": json.dumps(payload)}).encode()
        ctype = "application/x-www-form-urlencoded"
        await self.post("slack.press", "/slack/events", body, signed(body, ctype))

    # -- Teams

    def _activity(self, name: str, user: str, conversation: str) -> dict[str, Any]:
        data = fixture(f"teams/{name}.json")
        n = self._next()
        invoke = name.startswith(("card_invoke", "install"))
        data["id"] = f"f:{n}" if invoke else str(1763892000000 + n)
        data["serviceUrl"] = self.service_url
        person = next(p for p, uid in TEAMS_PEOPLE.items() if uid == user)
        aad = str(uuid.uuid5(uuid.NAMESPACE_URL, person))
        data["from"] = {"id": user, "name": person, "aadObjectId": aad}
        data["conversation"]["id"] = conversation
        return data

    def _channel(self, channel: str, text: str, user: str, *, mention: bool) -> dict[str, Any]:
        data = self._activity("channel_message", user, channel)
        data["conversation"]["id"] = f"{channel};messageid={data['id']}"
        data["channelData"] |= {"teamsChannelId": channel, "channel": {"id": channel}}
        data["text"] = f"<at>Chaser</at> {text}" if mention else text
        if not mention:
            data["entities"] = [e for e in data["entities"] if e["type"] != "mention"]
        return data

    async def _teams(self, kind: str, activity: dict[str, Any], *, timed: bool = True) -> None:
        body = json.dumps(activity).encode()
        headers = {"Content-Type": "application/json"}
        await self.post(kind, "/api/messages", body, headers, timed=timed)

    async def install(self) -> None:
        """Chaser added to the team's channels and opened once by each Teams member."""
        people = list(TEAMS_PEOPLE.values())
        installs = [self._activity("install_team", people[0], c) for c in TEAMS_CHANNELS.values()]
        for user in people:
            data = self._activity("install_personal", user, f"a:1on1-{user}")
            data["membersAdded"] = [{"id": user}, {"id": "28:chaser-bot-id"}]
            installs.append(data)
        await asyncio.gather(*(self._teams("teams.install", a, timed=False) for a in installs))

    async def teams_capture(self, rng: random.Random) -> None:
        people = list(TEAMS_PEOPLE)
        channel = TEAMS_CHANNELS[rng.choice((BOARD, BOARD, SAFER))]
        text = self._line(rng, people, False)
        user = TEAMS_PEOPLE[rng.choice(people)]
        await self._teams("teams.capture", self._channel(channel, text, user, mention=True))

    async def teams_question(self, rng: random.Random) -> None:
        channel = TEAMS_CHANNELS[rng.choice((BOARD, SAFER))]
        user = rng.choice(list(TEAMS_PEOPLE.values()))
        data = self._channel(channel, rng.choice(QUESTIONS), user, mention=True)
        await self._teams("teams.question", data)

    async def teams_chatter(self, rng: random.Random) -> None:
        user = rng.choice(list(TEAMS_PEOPLE.values()))
        text = f"thanks, see you next time ({self._next()})"
        data = self._channel(TEAMS_CHANNELS[BOARD], text, user, mention=False)
        await self._teams("teams.chatter", data)

    async def teams_personal(self, rng: random.Random) -> None:
        user = rng.choice(list(TEAMS_PEOPLE.values()))
        data = self._activity("personal_message", user, f"a:1on1-{user}")
        data["text"] = rng.choice(("my actions", "help", "overdue"))
        await self._teams("teams.personal", data)

    async def teams_submit(self, rng: random.Random) -> None:
        card = self._card(rng, "teams")
        if card is None:
            await self.teams_personal(rng)
            return
        kind = "snooze" if rng.random() < 0.6 else "done"
        press: dict[str, Any] = {"chaser": "press", "kind": kind, "ref": card.ref}
        if kind == "snooze":
            press["snooze_for"] = rng.choice(("1 day", "1 week"))
        if rng.random() < 0.5:  # Action.Submit: a message carrying the card's data
            data = self._activity("card_submit", card.user, card.conversation)
            data["replyToId"] = card.card_id
            data["channelData"]["legacy"]["replyToId"] = card.card_id
            data["value"] = press
        else:  # Action.Execute: an adaptiveCard/action invoke, answered with the new card
            data = self._activity("card_invoke", card.user, card.conversation)
            data["replyToId"] = card.card_id
            data["value"]["action"] |= {"verb": f"chaser.{kind}", "data": press}
        await self._teams("teams.submit", data)


# ---- the run --------------------------------------------------------------------------------


@dataclass
class Plan:
    seconds: float = 180.0
    concurrency: int = 8
    rate: float = 20.0
    seed: int = 1
    sweep_seconds: float = 5.0
    warmup: float = 30.0
    database_url: str | None = None
    max_growth_mb: float = 5.0
    max_growth_pct: float = 5.0
    judge_memory: bool = True
    trace_frames: int = 1
    server_log: str | None = None


@dataclass
class Result:
    served: int
    errors: int
    double_sends: int
    memory_flat: bool
    lines: list[str]

    @property
    def ok(self) -> bool:
        return self.errors == 0 and self.double_sends == 0 and self.memory_flat


def _spawn_server(url: str, api: str, plan: Plan, workdir: str, log: Any) -> Any:
    """The server's process, importing what it needs; it starts when told (:func:`_go`)."""
    command = [
        sys.executable, __file__, "--serve", "--db", url, "--api", api,
        "--sweep-seconds", str(plan.sweep_seconds), "--workdir", workdir,
        "--trace-frames", str(plan.trace_frames),
    ]  # fmt: skip
    return subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True, cwd=ROOT
    )


def _go(child: Any, log: Any) -> int:
    """Tell the server the database is ready; the port it listens on."""
    child.stdin.write("go\n")
    child.stdin.flush()
    line = child.stdout.readline().strip()
    if not line.isdigit():
        child.kill()
        raise RuntimeError(f"the server did not start (see {log.name})")
    return int(line)


async def _get(session: Any, url: str, *, post: bool = False) -> dict[str, Any]:
    async with (session.post if post else session.get)(url) as answer:
        data: dict[str, Any] = await answer.json()
        return data


async def _quiesce(load: Load, base: str, timeout: float = 60.0) -> dict[str, Any]:
    """Wait until no request is open, the server's queued work is done, no sweep is running and
    the fakes have been quiet for a second; the server's stats then."""
    deadline = time.monotonic() + timeout
    while True:
        load.platforms.harvest()
        stats = await _get(load.session, f"{base}/soak/stats")
        quiet = time.monotonic() - load.platforms.last_call > 0.5
        idle = load.in_flight == 0 and stats["pending"] == 0 and not stats["sweeping"]
        if (idle and quiet) or time.monotonic() > deadline:
            return stats
        await asyncio.sleep(0.2)


async def _memory(load: Load, label: str, *, snapshot: bool = False) -> dict[str, Any]:
    """Pause the clients, let the server settle, measure; the pause is added to the load time."""
    paused = time.monotonic()
    load.go.clear()
    await _quiesce(load, load.base)
    query = f"label={label}&snapshot={int(snapshot)}"
    async with load.session.post(f"{load.base}/soak/memory?{query}") as answer:
        figures: dict[str, Any] = await answer.json()
    load.until += time.monotonic() - paused
    load.go.set()
    return figures


def memory_flat(plan: Plan, warm: dict[str, Any], mid: dict[str, Any], end: dict[str, Any]) -> bool:
    """Live Python memory grew less than ``max_growth_mb`` over the run, and RSS less than
    ``max_growth_pct`` over its second half."""
    traced_mb = (end["traced"] - warm["traced"]) / 2**20
    return (
        traced_mb < plan.max_growth_mb and _growth(mid["rss"], end["rss"])[1] < plan.max_growth_pct
    )


async def _watch_memory(
    plan: Plan, load: Load, clients: list[asyncio.Task[None]], started: float
) -> tuple[dict[str, Any], list[tuple[float, dict[str, Any]]]]:
    """While the clients run: memory halfway (paused, when memory is judged) and every eighth of
    the run (not paused); (halfway, samples)."""
    halfway = time.monotonic() + (load.until - time.monotonic()) / 2
    mid: dict[str, Any] = {}
    samples: list[tuple[float, dict[str, Any]]] = []
    every = max(5.0, (plan.seconds - plan.warmup) / 8)
    while True:
        until_mid = halfway - time.monotonic() if plan.judge_memory and not mid else every
        await asyncio.wait(clients, timeout=max(min(every, until_mid), 0.0))
        if all(c.done() for c in clients):
            return mid, samples
        if plan.judge_memory and not mid and time.monotonic() >= halfway:
            mid = await _memory(load, "mid")
            continue
        async with load.session.post(f"{load.base}/soak/memory?label=sample") as answer:
            samples.append((time.monotonic() - started, await answer.json()))


async def drive(plan: Plan, port: int, platforms: Platforms) -> tuple[Load, dict[str, Any]]:
    """Run the load for ``plan.seconds`` (memory marked after the warm-up); the figures."""
    import aiohttp

    base = f"http://127.0.0.1:{port}"
    load = Load(base, platforms, random.Random(plan.seed))
    timeout = aiohttp.ClientTimeout(total=60)
    connector = aiohttp.TCPConnector(limit=plan.concurrency + 2)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        load.session = session
        await load.install()

        async def harvest() -> None:
            while True:
                platforms.harvest()
                await asyncio.sleep(0.25)

        harvester = asyncio.create_task(harvest())
        started = time.monotonic()
        load.until = started + plan.seconds
        per_client = plan.rate / plan.concurrency
        clients = [asyncio.create_task(load.client(per_client)) for _ in range(plan.concurrency)]
        await asyncio.sleep(plan.warmup)
        warm = await _memory(load, "warm", snapshot=plan.judge_memory)
        mid, samples = await _watch_memory(plan, load, clients, started)
        end = await _memory(load, "end")  # the sweeps stop here too
        if plan.judge_memory and not memory_flat(plan, warm, mid or warm, end):
            end |= await _get(session, f"{base}/soak/memory?label=top", post=True)
        await _quiesce(load, base)
        stats = await _get(session, f"{base}/soak/stats")
        harvester.cancel()
        platforms.harvest()
    seconds = time.monotonic() - started
    figures = {"warm": warm, "mid": mid, "end": end, "samples": samples, "stats": stats}
    return load, figures | {"seconds": seconds}


# ---- the report -------------------------------------------------------------------------------


def _percentiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        v = values[0] if values else 0.0
        return v, v, v
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def _mb(n: float) -> str:
    return f"{n / 2**20:.1f} MB"


def _growth(warm: float, end: float) -> tuple[float, float, str]:
    mb, pct = (end - warm) / 2**20, (end - warm) / warm * 100 if warm else 0.0
    return mb, pct, f"{mb:+.1f} MB ({pct:+.1f}%)"


def _latency_table(tally: Tally) -> list[str]:
    lines = [f"  {'kind':<16}{'served':>8}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"]
    everything: list[float] = []
    for kind in sorted(set(tally.latencies) | set(tally.errors)):
        values = tally.latencies.get(kind, [])
        everything += values
        p50, p95, p99 = _percentiles(values)
        lines.append(
            f"  {kind:<16}{len(values):>8}{tally.errors[kind]:>8}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}"
        )
    p50, p95, p99 = _percentiles(everything)
    total = sum(tally.errors.values())
    lines.append(f"  {'all':<16}{len(everything):>8}{total:>8}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}")
    return lines


def _double_sends(platforms: Platforms, log: SendLog) -> tuple[list[str], list[str]]:
    """(sent twice, logged as sent but never seen by the platform) by member and action."""
    twice, lost = [], []
    for key in sorted(set(platforms.receipts) | set(log.slots)):
        got, logged = platforms.receipts[key], log.slots[key]
        what, member, ref = key
        if got > logged:
            twice.append(f"{what} about {ref} reached member {member} {got}x for {logged} slot(s)")
        elif got < logged:
            lost.append(f"{what} about {ref} to member {member}: {logged} logged, {got} arrived")
    return twice + log.twice_a_day + log.resent, lost


def report(
    plan: Plan, load: Load, figures: dict[str, Any], platforms: Platforms, log: SendLog, db: str
) -> Result:
    tally, stats, counts = load.tally, figures["stats"], platforms.counts
    served = sum(len(v) for v in tally.latencies.values())
    out = [
        f"Chaser soak on {db}: {plan.seconds:.0f} s of load ({figures['seconds']:.0f} s in all), "
        f"{plan.concurrency} clients offering up to {plan.rate:g} requests/s (served "
        f"{served / plan.seconds:.1f}/s), seed {plan.seed}; {stats['sweeps']} sweeps, one "
        f"working day each ({START_DAY} to {stats['day']})",
        "",
        "requests (latency from send to full answer, this process's view):",
        *_latency_table(tally),
    ]
    slow = sum(v > 3000 for k, vs in tally.latencies.items() if k.startswith("slack") for v in vs)
    commands, answered = tally.sent["commands"], counts["slack POST /response"]
    homes, published = tally.sent["Home tabs opened"], counts["slack views.publish"]
    lines_sent = tally.sent["ACTION lines"]
    out += [
        f"  Slack acknowledgements over 3 s: {slow}; the server's event loop blocked (lag of a "
        "50 ms timer) p50 {:.1f} / p95 {:.1f} / p99 {:.1f} / max {:.0f} ms".format(*stats["lag"]),
        "",
        f"server work: {log.actions} actions captured from {lines_sent} ACTION lines; "
        f"{answered}/{commands} slash commands answered; {published}/{homes} Home tabs "
        f"published; cards updated: Slack {counts['slack chat.update']}, Teams "
        f"{counts['teams PUT']}; Teams 1:1 chats opened {counts['teams created chat']}",
        f"sweeps: {stats['sweeps']} run, {stats['scheduled']} owner rows scheduled, "
        f"{stats['held']} held, {stats['sweep_busy']:.0f} s sweeping (longest "
        f"{stats['sweep_longest']:.1f} s); deliveries {dict(sorted(stats['statuses'].items()))}",
        f"sent to the platforms: reminders Slack {counts['reminder (Slack)']}, Teams "
        f"{counts['reminder (Teams)']}; escalations Slack {counts['escalation (Slack)']}, Teams "
        f"{counts['escalation (Teams)']}; pre-meeting digests Slack {counts['digest (Slack)']}, "
        f"Teams {counts['digest (Teams)']}",
    ]
    twice, lost = _double_sends(platforms, log)
    got = Counter(what for (what, _m, _r), n in platforms.receipts.items() for _ in range(n))
    logged = Counter(what for (what, _m, _r), n in log.slots.items() for _ in range(n))
    out.append(
        f"double sends: {len(twice) or 'none'} (per member and action, what the platforms got "
        f"against the send log: reminders {got['reminder']}/{logged['reminder']}, escalations "
        f"{got['escalation']}/{logged['escalation']}; no owner chased twice a day; no slot "
        "sent twice)"
    )
    out += [f"  ! {line}" for line in twice[:10]]
    problems: dict[str, int] = {
        "HTTP/client": sum(tally.errors.values()),
        "logged at ERROR": int(stats["logged"].get("ERROR", 0)),
        "platform calls failed": len(platforms.failures),
        "sends failed": sum(stats["statuses"].get(s, 0) for s in ("failed", "undeliverable")),
        "unanswered commands": max(0, commands - answered),
        "unpublished Home tabs": max(0, homes - published),
        "lost captures": max(0, lines_sent - log.actions),
        "sent but not received": len(lost),
    }
    errors = sum(problems.values())
    out.append(f"errors: {errors} ({', '.join(f'{k} {v}' for k, v in problems.items())})")
    samples = tally.samples + stats["samples"]["ERROR"] + platforms.failures[:5] + lost[:5]
    out += [f"  ! {line}" for line in samples[:15]]
    warnings = int(stats["logged"].get("WARNING", 0))
    out.append(f"warnings logged by the server: {warnings}")
    out += [f"  {n:>5} x {k}" for k, n in stats["kinds"].items() if k.startswith("WARNING")][:6]
    warm, mid, end = figures["warm"], figures["mid"], figures["end"]
    out += [
        "",
        "memory of the server process, each after a full collection and a heap trim, between "
        "sweeps, with no request open:",
        f"  {'':<13}{'warm-up':>10}{'halfway':>10}{'end':>10}   growth: whole run / second half",
    ]
    for name, key in (("RSS", "rss"), ("tracemalloc", "traced")):
        halfway, half = (_mb(mid[key]), _growth(mid[key], end[key])[2]) if mid else ("-", "-")
        out.append(
            f"  {name:<13}{_mb(warm[key]):>10}{halfway:>10}{_mb(end[key]):>10}   "
            f"{_growth(warm[key], end[key])[2]} / {half}"
        )
    out.append(
        "  under load (s: RSS / tracemalloc MB): "
        + ", ".join(
            f"{t:.0f}: {f['rss'] / 2**20:.0f} / {f['traced'] / 2**20:.1f}"
            for t, f in figures["samples"]
        )
    )
    flat = memory_flat(plan, warm, mid or warm, end)
    limits = (
        f"live Python memory (tracemalloc) growing under {plan.max_growth_mb:g} MB, RSS under "
        f"{plan.max_growth_pct:g}% in the second half"
    )
    if not plan.judge_memory:
        out.append("verdict: memory not judged (a smoke run is too short to tell)")
    elif flat:
        out.append(f"verdict: memory flat ({limits})")
    else:
        out.append(f"verdict: memory GROWING ({limits} expected); biggest growth by line:")
        out += [f"  {line}" for line in end.get("top", [])]
    judged_flat = flat or not plan.judge_memory
    result = Result(served, errors, len(twice), judged_flat, out)
    verdict = "OK" if result.ok else "FAILED"
    out.append(f"result: {verdict} ({served} requests, {errors} errors, {len(twice)} double sends)")
    return result


def run(plan: Plan) -> Result:
    """Seed a database, start the fakes and the server, run the load, read the send log."""
    from tests.fakes.slack_api import FakeSlack
    from tests.fakes.teams_connector import FakeTeamsConnector, teams_member

    with tempfile.TemporaryDirectory(prefix="chaser-soak-") as workdir:
        drop = None
        if plan.database_url:
            url, drop = fresh_postgres(plan.database_url)
        else:
            url = f"sqlite:///{workdir}/soak.db"
        log = open(plan.server_log or Path(workdir) / "server.log", "w")  # noqa: SIM115
        slack = FakeSlack().start()
        child = _spawn_server(url, slack.base_url, plan, workdir, log)
        try:
            ids = seed(url)
            for name, uid in SLACK_PEOPLE.items():
                slack.add_user(uid, name)
            teams = FakeTeamsConnector().start()
            teams.default_roster = [
                teams_member(uid, name, aad=str(uuid.uuid5(uuid.NAMESPACE_URL, name)))
                for name, uid in TEAMS_PEOPLE.items()
            ]
            member_of = {"D" + uid[1:]: ids[name] for name, uid in SLACK_PEOPLE.items()}
            member_of |= {f"a:1on1-{uid}": ids[name] for name, uid in TEAMS_PEOPLE.items()}
            platforms = Platforms(slack, teams, member_of)
            try:
                load, figures = asyncio.run(drive(plan, _go(child, log), platforms))
            finally:
                teams.stop()
            send_log = read_send_log(url)
        finally:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(30)
            except subprocess.TimeoutExpired:
                child.kill()
            slack.stop()
            log.close()
            if drop is not None:
                drop()
    db = "PostgreSQL" if plan.database_url else "SQLite"
    return report(plan, load, figures, platforms, send_log, db)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=8, help="clients sending at once")
    parser.add_argument("--rate", type=float, default=20.0, help="requests a second, all told")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sweep-seconds", type=float, default=5.0, help="real seconds a day")
    parser.add_argument("--database-url", help="a PostgreSQL server to create a fresh database on")
    parser.add_argument("--max-growth-mb", type=float, default=5.0, help="tracemalloc limit")
    parser.add_argument(
        "--max-growth-pct", type=float, default=5.0, help="RSS limit over the second half"
    )
    parser.add_argument("--smoke", action="store_true", help="20 seconds, a quick check")
    parser.add_argument("--server-log", help="keep the server's log in this file")
    parser.add_argument(
        "--trace-frames", type=int, default=1, help="stack frames kept by tracemalloc (diagnosis)"
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--api", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.db, args.api, args.sweep_seconds, args.workdir, args.trace_frames)
        return 0
    seconds = 20.0 if args.smoke else args.minutes * 60
    plan = Plan(
        seconds=seconds,
        concurrency=args.concurrency,
        rate=args.rate,
        seed=args.seed,
        sweep_seconds=2.0 if args.smoke else args.sweep_seconds,
        warmup=min(max(seconds * 0.2, 5.0), 60.0),
        database_url=args.database_url,
        max_growth_mb=args.max_growth_mb,
        max_growth_pct=args.max_growth_pct,
        judge_memory=not args.smoke,
        trace_frames=args.trace_frames,
        server_log=args.server_log,
    )
    result = run(plan)
    print("\n".join(result.lines))
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
