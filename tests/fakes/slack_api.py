"""A fake Slack Web API: a real HTTP server on 127.0.0.1 (port 0) that records every call.

Point ``WebClient(base_url=fake.base_url)`` (or ``SLACK_API_URL``) at it. It answers the methods
Chaser uses with canned, realistic responses, serves file downloads (only with the bot token), takes
``files.getUploadURLExternal`` uploads, and can be told to answer a method with 429 + Retry-After.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

BOT_TOKEN = "xoxb-test-token"
BOT_USER_ID = "UBOT0CHASER"
TEAM_ID = "T0BOROUGH"


@dataclass
class Call:
    """One request the fake received."""

    method: str  # "chat.postMessage", or "GET /files/F1", "POST /upload/F1", "POST /response/1"
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    raw: bytes = b""
    status: int = 200

    def text(self) -> str:
        return str(self.body.get("text") or "")

    def blocks(self) -> list[dict[str, Any]]:
        blocks = self.body.get("blocks") or []
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        return list(blocks)

    def everything(self) -> str:
        """Text and blocks as one string, for 'never appears anywhere' assertions."""
        return json.dumps(self.body, ensure_ascii=False)


def slack_user(
    uid: str, real_name: str, email: str | None = None, display: str = ""
) -> dict[str, Any]:
    """A users.list member as Slack returns it."""
    profile: dict[str, Any] = {"real_name": real_name, "display_name": display}
    if email:
        profile["email"] = email
    return {
        "id": uid,
        "team_id": TEAM_ID,
        "name": real_name.lower().replace(" ", "."),
        "real_name": real_name,
        "deleted": False,
        "is_bot": False,
        "profile": profile,
    }


@dataclass
class FakeSlack:
    """The fake server's state; tests add users and files and read ``calls``."""

    users: list[dict[str, Any]] = field(default_factory=list)
    files: dict[str, tuple[dict[str, Any], bytes]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    rate_limits: dict[str, list[int]] = field(default_factory=dict)
    socket_url: str | None = None  # where apps.connections.open sends Socket Mode clients
    _ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    # ---- lifecycle -----------------------------------------------------------------------

    def start(self) -> FakeSlack:
        handler = _handler_for(self)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        serve = self._server.serve_forever
        threading.Thread(target=serve, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def root(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def base_url(self) -> str:
        return f"{self.root}/api/"

    # ---- set-up helpers ------------------------------------------------------------------

    def add_user(
        self, uid: str, real_name: str, email: str | None = None, display: str = ""
    ) -> None:
        self.users.append(slack_user(uid, real_name, email, display))

    def add_file(self, file_id: str, name: str, content: bytes, filetype: str = "text") -> None:
        meta = {
            "id": file_id,
            "name": name,
            "title": name,
            "filetype": filetype,
            "size": len(content),
            "url_private": f"{self.root}/files/{file_id}/{name}",
            "url_private_download": f"{self.root}/files/{file_id}/download/{name}",
        }
        self.files[file_id] = (meta, content)

    def rate_limit(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with 429 and Retry-After."""
        self.rate_limits[method] = [retry_after] * times

    def response_url(self, name: str = "1") -> str:
        return f"{self.root}/response/{name}"

    # ---- reading what happened -------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method and c.status == 200]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Wait until at least ``count`` successful calls of ``method`` (matching ``where``)."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.calls_to(method) if where is None or where(c)]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.01)

    def settle(self, quiet: float = 0.3, timeout: float = 5.0) -> None:
        """Wait until no call has arrived for ``quiet`` seconds (background work finished)."""
        deadline = time.monotonic() + timeout
        seen = -1
        while time.monotonic() < deadline:
            with self._lock:
                now = len(self.calls)
            if now == seen:
                return
            seen = now
            time.sleep(quiet)

    def uploads(self) -> list[tuple[str, bytes]]:
        """Files the bot uploaded (files_upload_v2): (filename, content), oldest first."""
        names = [
            str(c.body.get("filename", "")) for c in self.calls_to("files.getUploadURLExternal")
        ]
        with self._lock:
            contents = [c.raw for c in self.calls if c.method.startswith("POST /upload/")]
        return list(zip(names, contents, strict=False))

    def posts(self) -> list[Call]:
        """Every message the bot posted (chat.postMessage)."""
        return self.calls_to("chat.postMessage")

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()

    # ---- answers -------------------------------------------------------------------------

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    def _next_ts(self) -> str:
        return f"1760000000.{next(self._ts):06d}"

    def answer(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        """The canned answer to one Web API method."""
        simple = {
            "apps.connections.open": lambda: {"ok": True, "url": self.socket_url},
            "auth.test": lambda: {
                "ok": True,
                "url": "https://borough.slack.com/",
                "team": "Borough CSP",
                "user": "chaser",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": "B0CHASER",
            },
            "users.list": lambda: {
                "ok": True,
                "members": self.users,
                "response_metadata": {"next_cursor": ""},
            },
            "users.lookupByEmail": lambda: self._by_email(str(body.get("email", ""))),
            "users.info": lambda: self._by_id(str(body.get("user", ""))),
            "conversations.open": lambda: {
                "ok": True,
                "channel": {"id": "D" + str(body.get("users", "")).lstrip("UW")},
            },
            "chat.postMessage": lambda: {
                "ok": True,
                "channel": body.get("channel"),
                "ts": self._next_ts(),
                "message": {"text": body.get("text"), "user": BOT_USER_ID},
            },
            "chat.update": lambda: {
                "ok": True,
                "channel": body.get("channel"),
                "ts": body.get("ts"),
            },
            "chat.postEphemeral": lambda: {"ok": True, "message_ts": self._next_ts()},
            "views.publish": lambda: {"ok": True, "view": {"id": "V1"}},
            "views.open": lambda: {"ok": True, "view": {"id": "V2"}},
            "files.info": lambda: self._file_info(str(body.get("file", ""))),
            "files.getUploadURLExternal": lambda: {
                "ok": True,
                "upload_url": f"{self.root}/upload/F0UP{next(self._ts)}",
                "file_id": f"F0UP{body.get('filename', 'x')}",
            },
            "files.completeUploadExternal": lambda: {
                "ok": True,
                "files": [
                    {"id": f["id"], "title": f.get("title", "")}
                    for f in _json_list(body.get("files"))
                ],
            },
        }
        make = simple.get(method)
        return make() if make else {"ok": True}

    def _by_email(self, email: str) -> dict[str, Any]:
        for user in self.users:
            if user["profile"].get("email", "").lower() == email.lower():
                return {"ok": True, "user": user}
        return {"ok": False, "error": "users_not_found"}

    def _by_id(self, uid: str) -> dict[str, Any]:
        for user in self.users:
            if user["id"] == uid:
                return {"ok": True, "user": user}
        return {"ok": False, "error": "user_not_found"}

    def _file_info(self, file_id: str) -> dict[str, Any]:
        if file_id not in self.files:
            return {"ok": False, "error": "file_not_found"}
        return {"ok": True, "file": self.files[file_id][0]}


def _json_list(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, str):
        value = json.loads(value)
    return list(value or [])


def _parse_body(raw: bytes, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if "json" in content_type:
        parsed = json.loads(raw)
        return parsed if isinstance(parsed, dict) else {"_": parsed}
    if "form" in content_type:
        return {k: v[0] for k, v in parse_qs(raw.decode(), keep_blank_values=True).items()}
    return {}


def _handler_for(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _reply(
            self, status: int, payload: bytes, ctype: str, extra: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(payload)))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:
            parsed = urlparse(self.path)
            if parsed.path.startswith("/api/"):
                query = {k: v[0] for k, v in parse_qs(parsed.query, keep_blank_values=True).items()}
                self._api(parsed.path, dict(self.headers.items()), query, b"")
                return
            parts = parsed.path.strip("/").split("/")
            headers = dict(self.headers.items())
            file_id = parts[1] if len(parts) > 1 and parts[0] == "files" else ""
            fake._record(Call(f"GET /files/{file_id}", self.path, headers, {}))
            if headers.get("Authorization") != f"Bearer {BOT_TOKEN}" or file_id not in fake.files:
                self._reply(404, b"not found", "text/plain")
                return
            self._reply(200, fake.files[file_id][1], "application/octet-stream")

        def do_POST(self) -> None:
            path = urlparse(self.path).path
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = dict(self.headers.items())
            uploading = path.startswith("/upload/")
            body = {} if uploading else _parse_body(raw, headers.get("Content-Type", ""))
            if not path.startswith("/api/"):
                fake._record(Call(f"POST {path}", path, headers, body, raw))
                self._reply(200, b"ok", "text/plain")
                return
            self._api(path, headers, body, raw)

        def _api(
            self, path: str, headers: dict[str, str], body: dict[str, Any], raw: bytes
        ) -> None:
            method = path[len("/api/") :]
            waits = fake.rate_limits.get(method)
            if waits:
                retry_after = waits.pop(0)
                fake._record(Call(method, path, headers, body, raw, status=429))
                payload = json.dumps({"ok": False, "error": "ratelimited"}).encode()
                self._reply(429, payload, "application/json", {"Retry-After": str(retry_after)})
                return
            answer = fake.answer(method, body)
            fake._record(Call(method, path, headers, body, raw))
            self._reply(200, json.dumps(answer).encode(), "application/json")

    return Handler
