"""Logging set-up: plain or JSON lines, with tokens and secret settings masked on every handler."""

from __future__ import annotations

import datetime as dt
import json as jsonlib
import logging
import re
import sys
from collections.abc import Iterable
from typing import Any

from pydantic import SecretStr

from bot.settings import Settings

MASK = "[redacted]"

# Shapes of credentials that must never reach a log line, whoever logged them.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bxox[a-z]-[A-Za-z0-9-]+"), MASK),  # Slack bot/user/app/refresh tokens
    (re.compile(r"\bxapp-[A-Za-z0-9-]+"), MASK),  # Slack app-level (Socket Mode) token
    (re.compile(r"hooks\.slack\.com/services/[A-Za-z0-9/_-]+"), f"hooks.slack.com/{MASK}"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"), MASK),  # JWT
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"), rf"\1 {MASK}"),
    (
        re.compile(
            r"(?i)\b([\w-]*(?:password|passwd|secret|token|api[_-]?key)[\w-]*)"
            r"(\"?'?\s*[:=]\s*\"?'?)([^\s\"'&,;}]+)"
        ),
        rf"\1\2{MASK}",
    ),
    (re.compile(r"(?i)(://[^:/@\s]+:)[^@/\s]+@"), rf"\1{MASK}@"),  # passwords in URLs
)

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with known secret values and anything shaped like a credential masked."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def secret_values(settings: Settings) -> list[str]:
    """The values of every secret setting that is set (for exact-match masking)."""
    found = []
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr) and len(value.get_secret_value()) >= 4:
            found.append(value.get_secret_value())
    return found


def extra_fields(record: logging.LogRecord) -> dict[str, Any]:
    """What the caller passed in ``extra=`` (everything that is not a standard attribute)."""
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


class RedactionFilter(logging.Filter):
    """Masks credentials in the message, its arguments, extra fields and any traceback.

    The record is rewritten in place (message formatted, arguments dropped), so every handler
    after this filter sees only the masked text.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage(), self.secrets)
        record.args = None
        for key, value in extra_fields(record).items():
            if isinstance(value, str):
                setattr(record, key, redact(value, self.secrets))
            elif not isinstance(value, int | float | bool | type(None)):
                setattr(record, key, redact(repr(value), self.secrets))
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(extra_fields(record))
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return jsonlib.dumps(entry, default=str, ensure_ascii=False)


class _TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extra = extra_fields(record)
        if extra:
            line += " " + " ".join(f"{k}={v}" for k, v in sorted(extra.items()))
        return line


def configure_logging(
    level: str = "INFO", json: bool = False, *, secrets: Iterable[str] = ()
) -> logging.Handler:
    """Log to stderr at ``level``, as JSON lines when ``json``; mask credentials everywhere.

    Replaces any handler this function installed before, and adds the redaction filter to every
    handler on the root logger (including ones other code added), so no handler sees a token.
    Pass ``secrets=secret_values(settings)`` to also mask the exact values of secret settings.
    Returns the handler it installed.
    """
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_chaser", False)]:
        root.removeHandler(old)
    handler = logging.StreamHandler(sys.stderr)
    handler._chaser = True  # type: ignore[attr-defined]
    handler.setFormatter(JsonFormatter() if json else _TextFormatter())
    root.addHandler(handler)
    root.setLevel(level.upper())
    redaction = RedactionFilter(secrets)
    for each in root.handlers:
        for old_filter in [f for f in each.filters if isinstance(f, RedactionFilter)]:
            each.removeFilter(old_filter)
        each.addFilter(redaction)
    return handler
