"""``chaser chase``: run one sweep now (or as if at a given time) and say what went to whom."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from bot.app import Chaser, build, is_local
from bot.cli import UsageError
from bot.output import note, print_json, print_table, say
from bot.settings import load_settings
from scheduler.context import SweepReport
from scheduler.notifier import ConsoleNotifier, Notifier, RecordingNotifier
from scheduler.sweep import Sweeper


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "chase", help="run one chase sweep now: reminders, escalations, pre-meeting digests"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="show what would be sent; change nothing"
    )
    parser.add_argument(
        "--at",
        metavar="ISO-DATETIME",
        help="sweep as if at this time (local time unless it has an offset)",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--print", action="store_true", dest="to_terminal",
        help="deliver the messages to this terminal instead of Slack (they count as sent)",
    )  # fmt: skip
    parser.set_defaults(run=run)


def parse_at(text: str | None, zone: ZoneInfo) -> dt.datetime | None:
    """The --at value as an aware datetime (naive values are in ``zone``)."""
    if text is None:
        return None
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"--at: {text!r} is not an ISO date-time (for example 2026-09-02T10:00)"
        ) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=zone)


def _teams_in_use(chaser: Chaser) -> bool:
    """Teams is set up (an app id) or Chaser has already talked to someone in Teams."""
    if chaser.settings.teams_app_id:
        return True
    from bot.teams import references

    with chaser.sessions() as session:
        return references.latest(session) is not None


def _notifier(chaser: Chaser, args: argparse.Namespace) -> Notifier:
    if args.dry_run:
        return RecordingNotifier()
    if args.to_terminal:
        return ConsoleNotifier(write=note)
    slack: Notifier | None = None
    teams: Notifier | None = None
    if chaser.settings.slack_enabled:
        from bot.slack.app import build_slack

        slack = build_slack(chaser).context.notifier
    if _teams_in_use(chaser):
        from bot.teams import build_runtime

        teams = build_runtime(chaser).notifier
    if slack is None and teams is None:
        raise UsageError(
            "no chat platform is configured to send with: use --dry-run to see what is due, "
            "or --print to deliver to this terminal"
        )
    from bot.server import RoutingNotifier

    return RoutingNotifier(chaser, slack, teams)


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    when = parse_at(args.at, ZoneInfo(settings.timezone))
    chaser = build(settings, migrate=not args.dry_run and is_local(settings))
    sweeper = Sweeper(chaser.sessions, _notifier(chaser, args), clock=chaser.clock)
    report = sweeper.sweep(at=when, dry_run=args.dry_run)
    if args.json:
        print_json(report.as_dict())
    else:
        _print(report, ZoneInfo(settings.timezone))
    return 0


def _print(report: SweepReport, zone: ZoneInfo) -> None:
    when = report.at.astimezone(zone).strftime("%a %d %b %Y %H:%M")
    verb = "would send" if report.dry_run else "sent"
    if not report.deliveries:
        say(f"{when}: nothing to send ({report.held} held for the sending window)")
        return
    rows = [(d.to, d.why, ", ".join(d.refs), d.status, d.summary) for d in report.deliveries]
    print_table(
        ("to", "why", "actions", "status", "summary"),
        rows,
        title=f"{when}: {verb} {len(rows)} message(s), {report.held} held",
        wrap=("summary", "actions"),
    )
