"""A fake Bot Framework connector: a real aiohttp server on 127.0.0.1 (port 0) that records calls.

Activities sent to Chaser carry ``serviceUrl = fake.service_url``; botbuilder's real connector
client then talks to this server. It records replies (``POST /v3/conversations/{id}/activities``
and ``.../activities/{replyTo}``), card updates (``PUT .../activities/{id}``), roster look-ups
(``GET .../members``, ``.../pagedmembers``, ``.../members/{id}``) and 1:1 conversation creation
(``POST /v3/conversations``), and answers 429/5xx on demand. It runs its own event loop in a
thread, so synchronous tests and the server under test can both use it.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
BOT_ID = "28:chaser-bot-id"
BOT_NAME = "Chaser"


@dataclass
class Call:
    """One request the fake received, and how it answered."""

    method: str
    path: str
    conversation_id: str | None
    activity_id: str | None
    body: Any
    status: int
    answer_id: str | None = None

    def card(self) -> dict[str, Any]:
        """The Adaptive Card in this activity (the first attachment)."""
        attachments = (self.body or {}).get("attachments") or []
        assert attachments, f"no attachment in {self.method} {self.path}"
        content: dict[str, Any] = attachments[0]["content"]
        return content


def teams_member(
    user_id: str,
    name: str,
    *,
    aad: str,
    email: str | None = None,
    upn: str | None = None,
    guest: bool = False,
) -> dict[str, Any]:
    """A roster entry as the Teams connector returns it (TeamsChannelAccount)."""
    given, _, surname = name.partition(" ")
    return {
        "id": user_id,
        "name": name,
        "aadObjectId": aad,
        "email": email,
        "userPrincipalName": upn or email,
        "givenName": given,
        "surname": surname,
        "tenantId": TENANT_ID,
        "userRole": "guest" if guest else "user",
    }


@dataclass
class FakeTeamsConnector:
    """The fake connector's state: tests set rosters and failures, then read ``calls``."""

    rosters: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    default_roster: list[dict[str, Any]] = field(default_factory=list)
    unreachable: set[str] = field(default_factory=set)  # user ids that never installed the bot
    failures: list[tuple[re.Pattern[str], int]] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    page_size: int = 2
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _loop: asyncio.AbstractEventLoop | None = None
    _runner: web.AppRunner | None = None
    _thread: threading.Thread | None = None
    port: int = 0

    # ---- lifecycle -----------------------------------------------------------------------

    def start(self) -> FakeTeamsConnector:
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()

        def run() -> None:
            assert self._loop is not None
            asyncio.set_event_loop(self._loop)
            self._loop.run_until_complete(self._serve())
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, name="fake-teams", daemon=True)
        self._thread.start()
        assert ready.wait(10), "fake Teams connector did not start"
        return self

    async def _serve(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = getattr(site, "_server", None)
        assert server is not None and server.sockets
        self.port = server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        if self._loop is None:
            return
        runner = self._runner
        if runner is not None:
            asyncio.run_coroutine_threadsafe(runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)
        self._loop.close()
        self._loop = None

    @property
    def service_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    # ---- test controls -------------------------------------------------------------------

    def fail(self, pattern: str, *statuses: int) -> None:
        """Answer the next requests whose "METHOD path" matches ``pattern`` with ``statuses``."""
        with self._lock:
            self.failures.extend((re.compile(pattern), s) for s in statuses)

    def sent(self) -> list[Call]:
        """Activities posted (new messages and thread replies) that succeeded."""
        return [
            c
            for c in self.calls
            if c.method == "POST" and "/activities" in c.path and c.status < 300
        ]

    def updates(self) -> list[Call]:
        """Activities updated in place (cards after a button press)."""
        return [c for c in self.calls if c.method == "PUT" and c.status < 300]

    def created(self) -> list[Call]:
        """1:1 conversations created (successfully or not)."""
        return [c for c in self.calls if c.method == "POST" and c.path == "/v3/conversations"]

    def roster_lookups(self) -> list[Call]:
        return [c for c in self.calls if c.method == "GET" and "members" in c.path]

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()

    # ---- the server ----------------------------------------------------------------------

    async def _dispatch(self, request: web.Request) -> web.Response:
        raw = await request.read()
        body = json.loads(raw) if raw else None
        path = request.path
        failing = self._take_failure(f"{request.method} {path}")
        if failing is not None:
            self._record(request.method, path, body, failing)
            headers = {"Retry-After": "0"} if failing == 429 else {}
            return web.json_response(
                {
                    "error": {
                        "code": "Throttled" if failing == 429 else "ServiceError",
                        "message": "try later",
                    }
                },
                status=failing,
                headers=headers,
            )
        return self._route(request, path, body)

    def _take_failure(self, line: str) -> int | None:
        with self._lock:
            for i, (pattern, status) in enumerate(self.failures):
                if pattern.search(line):
                    del self.failures[i]
                    return status
        return None

    def _record(
        self, method: str, path: str, body: Any, status: int, answer_id: str | None = None
    ) -> Call:
        match = re.match(
            r"^/v3/conversations/([^/]+)(?:/activities/([^/]+)|/[a-z]+(?:/[^/]+)?)?", path
        )
        conv = match.group(1) if match else None
        act = match.group(2) if match else None
        call = Call(method, path, conv, act, body, status, answer_id)
        with self._lock:
            self.calls.append(call)
        return call

    def _route(self, request: web.Request, path: str, body: Any) -> web.Response:
        method = request.method
        if method == "POST" and path == "/v3/conversations":
            return self._create(body)
        m = re.match(r"^/v3/conversations/([^/]+)/activities(?:/([^/]+))?$", path)
        if m and method in ("POST", "PUT"):
            new_id = m.group(2) if method == "PUT" else f"1{next(self._ids):012d}"
            self._record(method, path, body, 200, new_id)
            return web.json_response({"id": new_id})
        m = re.match(r"^/v3/conversations/([^/]+)/(members|pagedmembers)(?:/([^/]+))?$", path)
        if m and method == "GET":
            return self._members(request, path, m.group(1), m.group(2), m.group(3))
        self._record(method, path, body, 404)
        return web.json_response({"error": {"code": "NotFound", "message": path}}, status=404)

    def _roster(self, conversation_id: str) -> list[dict[str, Any]]:
        return self.rosters.get(conversation_id.split(";")[0], self.default_roster)

    def _members(
        self, request: web.Request, path: str, conv: str, kind: str, member: str | None
    ) -> web.Response:
        roster = self._roster(conv)
        if member is not None:
            found = [m for m in roster if member in (m["id"], m.get("aadObjectId"))]
            self._record("GET", path, None, 200 if found else 404)
            if not found:
                return web.json_response(
                    {"error": {"code": "MemberNotFoundInConversation"}}, status=404
                )
            return web.json_response(found[0])
        self._record("GET", path, None, 200)
        if kind == "members":
            return web.json_response(roster)
        start = int(request.query.get("continuationToken") or 0)
        size = int(request.query.get("pageSize") or self.page_size)
        page = roster[start : start + size]
        result: dict[str, Any] = {"members": page}
        if start + size < len(roster):
            result["continuationToken"] = str(start + size)
        return web.json_response(result)

    def _create(self, body: dict[str, Any]) -> web.Response:
        members = [m.get("id") for m in body.get("members") or []]
        if any(m in self.unreachable for m in members):
            self._record("POST", "/v3/conversations", body, 403)
            return web.json_response(
                {
                    "error": {
                        "code": "Forbidden",
                        "message": "The bot is not installed for this user",
                    }
                },
                status=403,
            )
        conv_id = f"a:1on1-{members[0] if members else 'nobody'}"
        self._record("POST", "/v3/conversations", body, 201, conv_id)
        return web.json_response({"id": conv_id}, status=201)
