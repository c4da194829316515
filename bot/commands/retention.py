"""``chaser retention [--older-than 6y] [--dry-run]``: remove closed actions past retention."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
from typing import Any

from dateutil.relativedelta import relativedelta

from bot.app import build_for_command
from bot.commands.member import operator, plain_console
from bot.settings import load_settings
from store.db import transaction
from store.privacy import apply_retention

DEFAULT_RETENTION = "6y"
RETENTION_ENV = "CHASER_RETENTION"

_DURATION = re.compile(
    r"^\s*(\d{1,4})\s*(y|yrs?|years?|m|mo|months?|w|wks?|weeks?|d|days?)\s*$", re.IGNORECASE
)
_UNITS = {
    "y": lambda n: relativedelta(years=n),
    "m": lambda n: relativedelta(months=n),
    "w": lambda n: relativedelta(weeks=n),
    "d": lambda n: relativedelta(days=n),
}


def parse_period(text: str, now: dt.datetime) -> dt.timedelta:
    """A retention period ("6y", "18m" months, "90d", "2w") as the span back from ``now``.

    Years and months are calendar years and months, so "6y" on 21 Nov 2026 reaches back to
    21 Nov 2020 exactly. ValueError for anything else.
    """
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"not a period: {text!r} (use e.g. 6y, 18m, 90d or 2w)")
    count, unit = int(match.group(1)), match.group(2)[0].lower()
    if count == 0:
        raise ValueError(f"a retention period must be longer than zero, not {text!r}")
    start = now - _UNITS[unit](count)
    return now - start


def default_period() -> str:
    """The retention period from CHASER_RETENTION, six years when unset."""
    return os.environ.get(RETENTION_ENV, "").strip() or DEFAULT_RETENTION


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "retention", help="remove closed actions past the retention period"
    )
    parser.add_argument(
        "--older-than",
        metavar="PERIOD",
        help=f"closed longer ago than this: 6y, 18m (months), 90d, 2w "
        f"(default: ${RETENTION_ENV} or {DEFAULT_RETENTION})",
    )
    parser.add_argument("--dry-run", action="store_true", help="list them, remove nothing")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    chaser = build_for_command(load_settings())
    now = chaser.clock()
    period_text = args.older_than or default_period()
    try:
        period = parse_period(period_text, now)
    except ValueError as exc:
        plain_console(stderr=True).print(f"error: --older-than: {exc}")
        return 2
    with transaction(chaser.sessions) as session:
        result = apply_retention(
            session, older_than=period, now=now, actor=operator(), via="cli", dry_run=args.dry_run
        )
    before = result.cutoff.astimezone(chaser.zone).date().isoformat()
    out = plain_console()
    if not result.refs:
        out.print(f"nothing to remove: no action was closed before {before}")
        return 0
    verb = "would remove" if result.dry_run else "removed"
    out.print(
        f"{verb} {len(result.refs)} closed actions closed before {before}: "
        + ", ".join(result.refs),
    )
    return 0
