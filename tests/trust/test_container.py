"""The container image definition: slim base, non-root, migrate-then-serve, a working health check.

No Docker engine runs here, so these read the files; the health-check command itself is run
against a local HTTP server to prove it passes on 200 and fails otherwise.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    joined = DOCKERFILE.replace("\\\n", " ")
    found = []
    for line in joined.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            word, _, rest = stripped.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def _all(word: str) -> list[str]:
    return [rest for instruction, rest in _instructions() if instruction == word]


def test_slim_python_base_and_a_non_root_user() -> None:
    assert _all("FROM") == ["python:3.11-slim"]
    users = _all("USER")
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    assert any("useradd" in run for run in _all("RUN"))


def test_installs_the_project_from_the_repository() -> None:
    assert any("pip install ." in run for run in _all("RUN"))
    copied = " ".join(_all("COPY"))
    for path in ("pyproject.toml", "bot", "handlers", "scheduler", "store"):
        assert path in copied


def test_migrates_then_serves_on_all_interfaces() -> None:
    (cmd,) = _all("CMD")
    command = json.loads(cmd)[-1]
    assert command.index("chaser db upgrade") < command.index("chaser serve --host 0.0.0.0")
    assert "&&" in command


def test_secrets_and_local_state_stay_out_of_the_build_context() -> None:
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".env", ".venv", ".git", "*.db", "tests"):
        assert entry in ignored


class _Health(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status if self.path == "/healthz" else 404)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def health_server() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("status", "healthy"), [(200, True), (503, False)])
def test_healthcheck_command_passes_only_on_a_healthy_server(
    health_server: ThreadingHTTPServer, status: int, healthy: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    (check,) = _all("HEALTHCHECK")
    argv = json.loads(check[check.index("CMD") + 3 :].strip())
    assert argv[0] == "python"
    monkeypatch.setattr(_Health, "status", status)
    port = str(health_server.server_address[1])
    done = subprocess.run(
        [sys.executable, *argv[1:]],
        env={"CHASER_PORT": port},
        capture_output=True,
        timeout=20,
        check=False,
    )
    assert (done.returncode == 0) is healthy
