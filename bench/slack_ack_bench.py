"""Slack acknowledgement latency: the full Chaser app against a bare Bolt app that only acks.

Both run on the same kind of server (aiohttp via ``bot.server.start_site``, in a child process,
talking to the fake Slack Web API on 127.0.0.1) and get the same 2,000 signed Events API
deliveries, 50 at a time: one in ten holds an ACTION line (captured, confirmed in a thread, DMs to
owners), one in ten is a DM ("my actions"), the rest is channel chatter.

    .venv/bin/python bench/slack_ack_bench.py [--events 2000] [--concurrency 50]

Prints p50/p95/p99 acknowledgement latency for both and the p99 ratio (target: within 1.5x).
The machine is shared, so each app runs ``--rounds`` times, alternating, and its best run counts.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECRET = "bench-signing-secret-0123456789ab"  # noqa: S105 - a test value
CHANNEL = "C0CSPBOARD"


# ---- the servers (child processes) -------------------------------------------------------------


def _full_app(db_path: str, api_url: str) -> Any:
    from sqlalchemy import select

    from bot.app import build
    from bot.server import build_web_app
    from bot.settings import Settings
    from store import directory
    from store.db import make_engine, make_session_factory, transaction
    from store.migrate import upgrade
    from store.models import Group, GroupChannel
    from tests.fakes.slack_api import BOT_TOKEN

    url = f"sqlite:///{db_path}"
    engine = make_engine(url)
    upgrade(engine)
    with transaction(make_session_factory(engine)) as session:
        directory.import_yaml(
            session,
            directory.load_yaml_file(ROOT / "examples" / "partnership.yml"),
            actor="bench",
            via="cli",
        )
        board = session.scalar(select(Group).where(Group.kind == "board"))
        assert board is not None
        session.add(GroupChannel(group_id=board.id, platform="slack", channel_id=CHANNEL))
    engine.dispose()
    settings = Settings(
        database_url=url,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=api_url,
        scheduler_enabled=False,
    )
    return build_web_app(build(settings), scheduler=False)


def _bare_app(api_url: str) -> Any:
    from aiohttp import web
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    from tests.fakes.slack_api import BOT_TOKEN

    bolt = AsyncApp(signing_secret=SECRET, client=AsyncWebClient(token=BOT_TOKEN, base_url=api_url))

    @bolt.event("message")
    async def ack_only() -> None:
        return None

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", events)
    return app


def serve_fake() -> None:
    """Child process: the fake Slack Web API (Slack is another machine; not the server's CPU)."""
    from tests.fakes.slack_api import FakeSlack

    fake = FakeSlack().start()
    for uid, name in (
        ("U0FIONA", "Fiona Taylor"),
        ("U0JADE", "Jade Hodgson"),
        ("U0TOM", "Tom Hook"),
    ):
        fake.add_user(uid, name)
    print(fake.base_url, flush=True)
    while True:
        time.sleep(3600)


def serve(kind: str, db_path: str, api_url: str) -> None:
    """Child process: one server on a free port; prints the port, runs until stopped."""
    from bot.server import start_site

    async def main() -> None:
        app = _full_app(db_path, api_url) if kind == "full" else _bare_app(api_url)
        _runner, port = await start_site(app, "127.0.0.1", 0)
        print(port, flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())


# ---- the load (this process) ---------------------------------------------------------------


def _event(i: int) -> dict[str, Any]:
    ts = f"{1780300000 + i}.{i:06d}"
    if i % 10 == 3:
        event = {
            "type": "message",
            "channel": CHANNEL,
            "channel_type": "channel",
            "user": "U0JADE",
            "text": f"ACTION: Tom Hook to send the figures for ward {i} by 30 June",
            "ts": ts,
        }
    elif i % 10 == 7:
        event = {
            "type": "message",
            "channel": "D0TOM",
            "channel_type": "im",
            "user": "U0TOM",
            "text": "my actions",
            "ts": ts,
        }
    else:
        event = {
            "type": "message",
            "channel": CHANNEL,
            "channel_type": "channel",
            "user": "U0FIONA",
            "text": f"thanks all, note {i} taken",
            "ts": ts,
        }
    event["event_ts"] = ts
    return {
        "token": "SCRUBBED",
        "team_id": "T0BOROUGH",
        "api_app_id": "A0CHASER",
        "type": "event_callback",
        "event_id": f"Ev{i:08d}",
        "event_time": 1780300000 + i,
        "event": event,
    }


def _signed(body: bytes) -> dict[str, str]:
    ts = str(int(time.time()))
    digest = hmac.new(
        SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256
    ).hexdigest()
    return {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
    }


async def load(port: int, events: int, concurrency: int) -> list[float]:
    """Send the events, ``concurrency`` at a time; each acknowledgement's latency in ms."""
    import aiohttp

    url = f"http://127.0.0.1:{port}/slack/events"
    bodies = [json.dumps(_event(i)).encode() for i in range(events)]
    latencies: list[float] = []
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            while not queue.empty():
                body = queue.get_nowait()
                started = time.perf_counter()
                async with session.post(url, data=body, headers=_signed(body)) as response:
                    await response.read()
                    if response.status != 200:
                        raise RuntimeError(f"ack failed with HTTP {response.status}")
                latencies.append((time.perf_counter() - started) * 1000)

        # warm-up: the first request pays for auth.test and imports
        async with session.post(url, data=bodies[0], headers=_signed(bodies[0])) as response:
            await response.read()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


def _percentiles(values: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def _child(*args: str) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, __file__, *args]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert child.stdout is not None
    return child, child.stdout.readline().strip()


def _stop(child: subprocess.Popen[str]) -> None:
    child.terminate()
    child.wait(10)


def run_one(kind: str, events: int, concurrency: int, workdir: str, api: str) -> tuple[float, ...]:
    db = os.path.join(workdir, f"{kind}.db")
    child, port = _child("--serve", kind, "--db", db, "--api", api)
    try:
        latencies = asyncio.run(load(int(port), events, concurrency))
        if kind == "full":
            _await_captures(db, expected=len([i for i in range(events) if i % 10 == 3]))
    finally:
        _stop(child)
    return _percentiles(latencies)


def _await_captures(db: str, expected: int, timeout: float = 120.0) -> None:
    """The full app really did the work: wait until every ACTION line was captured."""
    started = time.monotonic()
    count = 0
    while time.monotonic() - started < timeout:
        with closing(sqlite3.connect(db)) as conn:
            count = conn.execute("SELECT count(*) FROM actions").fetchone()[0]
        if count >= expected:
            break
        time.sleep(0.2)
    waited = time.monotonic() - started
    print(
        f"  full app: {count}/{expected} actions captured {waited:.1f}s after the last ack",
        file=sys.stderr,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2, help="runs of each app; the best counts")
    parser.add_argument("--serve", choices=["full", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--api", help=argparse.SUPPRESS)
    parser.add_argument("--fake", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fake:
        serve_fake()
        return 0
    if args.serve:
        serve(args.serve, args.db, args.api)
        return 0
    fake, api_url = _child("--fake")
    runs: dict[str, list[tuple[float, ...]]] = {"bare": [], "full": []}
    try:
        for round_ in range(args.rounds):  # alternate order, so a busy moment hurts both alike
            for kind in ("bare", "full") if round_ % 2 == 0 else ("full", "bare"):
                with tempfile.TemporaryDirectory() as workdir:
                    runs[kind].append(
                        run_one(kind, args.events, args.concurrency, workdir, api_url)
                    )
                print(f"round {round_ + 1} {kind}: p99 {runs[kind][-1][2]:.1f} ms", file=sys.stderr)
    finally:
        _stop(fake)
    bare, full = (min(runs[k], key=lambda r: r[2]) for k in ("bare", "full"))
    print(
        f"{args.events} signed events, {args.concurrency} concurrent, ack latency in ms "
        f"(best of {args.rounds} alternating runs each)"
    )
    print(f"{'app':<6}{'p50':>9}{'p95':>9}{'p99':>9}")
    for name, (p50, p95, p99) in (("bare", bare), ("full", full)):
        print(f"{name:<6}{p50:>9.2f}{p95:>9.2f}{p99:>9.2f}")
    ratio = full[2] / bare[2]
    print(f"p99 full/bare: {ratio:.2f}x (target <= 1.5x): {'OK' if ratio <= 1.5 else 'OVER'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
