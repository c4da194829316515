"""Logs: JSON lines when asked, and no token or secret setting ever reaches the output."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.logs import MASK, configure_logging, redact, secret_values
from bot.settings import Settings

BOT_TOKEN = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx"
APP_TOKEN = "xapp-1-A0123456789-1234567890123-abcdef0123456789abcdef"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
SIGNING = "8f742231b10e8888abcd99yyyzzz85a5"
TEAMS_PASSWORD = "Qx8Q~s3cr3t.VaLuE-with~tilde"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Route the installed handler into a buffer; restore the root logger afterwards."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level, root.manager.disable)
    # other tests' libraries may have raised levels or disabled logging; start from a clean slate
    logging.disable(logging.NOTSET)
    for name in ("chaser", "chaser.test"):
        logging.getLogger(name).setLevel(logging.NOTSET)
        logging.getLogger(name).disabled = False
    buffer = io.StringIO()
    yield buffer
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    logging.disable(saved[2])


def _install(buffer: io.StringIO, *, json_lines: bool, secrets: list[str]) -> None:
    handler = configure_logging("INFO", json_lines, secrets=secrets)
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(buffer)


def _settings() -> Settings:
    return Settings(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING,
        MicrosoftAppId="00000000-0000-0000-0000-000000000001",
        MicrosoftAppPassword=TEAMS_PASSWORD,
    )


@pytest.mark.parametrize("json_lines", [False, True])
def test_a_token_logged_at_info_never_appears(captured: io.StringIO, json_lines: bool) -> None:
    _install(captured, json_lines=json_lines, secrets=secret_values(_settings()))
    log = logging.getLogger("chaser.test")
    log.info("posting with token %s", BOT_TOKEN)
    log.info("socket mode %s and header Authorization: Bearer %s", APP_TOKEN, JWT)
    log.info("teams password is %s, signing %s", TEAMS_PASSWORD, SIGNING)
    log.info(
        "config", extra={"settings": {"token": BOT_TOKEN}, "url": "postgresql://u:pw1234@db/x"}
    )
    try:
        raise RuntimeError(f"slack said invalid_auth for {BOT_TOKEN}")
    except RuntimeError:
        log.exception("call failed")
    out = captured.getvalue()
    for secret in (BOT_TOKEN, APP_TOKEN, JWT, SIGNING, TEAMS_PASSWORD, "pw1234"):
        assert secret not in out
    assert "posting with token " + MASK in out
    assert "call failed" in out and "invalid_auth" in out


def test_json_lines_carry_time_level_logger_message_and_extras(captured: io.StringIO) -> None:
    _install(captured, json_lines=True, secrets=[])
    logging.getLogger("chaser.sweep").warning("chased %d owners", 3, extra={"sweep": 7})
    logging.getLogger("chaser.sweep").debug("not shown at INFO")
    lines = captured.getvalue().splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["level"] == "WARNING" and entry["logger"] == "chaser.sweep"
    assert entry["message"] == "chased 3 owners" and entry["sweep"] == 7
    assert entry["time"].endswith("+00:00")


def test_every_root_handler_gets_the_filter(captured: io.StringIO) -> None:
    other = io.StringIO()
    logging.getLogger().addHandler(logging.StreamHandler(other))
    _install(captured, json_lines=False, secrets=[])
    logging.getLogger("slack_bolt.App").warning("token=%s", BOT_TOKEN)
    assert BOT_TOKEN not in other.getvalue() and MASK in other.getvalue()


def test_configuring_twice_keeps_one_handler(captured: io.StringIO) -> None:
    _install(captured, json_lines=False, secrets=[])
    _install(captured, json_lines=True, secrets=[])
    logging.getLogger("x").info("once")
    assert captured.getvalue().count("once") == 1


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("xoxp-11-22-33-abc at the end", "at the end"),
        ("client_secret=abc123def&x=1", "client_secret="),
        ('{"password": "hunter22"}', '"password": '),
        ("see https://hooks.slack.com/services/T0/B0/XYZ now", "hooks.slack.com/"),
        ("Bearer abcdefghijklmnop", "Bearer "),
    ],
)
def test_redact_masks_credential_shapes(text: str, kept: str) -> None:
    masked = redact(text)
    assert MASK in masked and kept in masked
    assert "hunter22" not in masked and "abcdefghijklmnop" not in masked


def test_redact_leaves_ordinary_text_alone() -> None:
    text = "A-12 Fiona Taylor to liaise with Tom Hook by 31/03/2026 <!channel>"
    assert redact(text) == text
