"""``chaser db upgrade`` / ``chaser db status``: the schema."""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console

from bot.settings import load_settings
from store.db import make_engine
from store.migrate import current_revisions, head_revisions, upgrade


def register(commands: Any) -> None:
    parser = commands.add_parser("db", help="database schema: upgrade, status")
    sub = parser.add_subparsers(dest="db_command", metavar="ACTION", parser_class=type(parser))
    sub.required = True
    up = sub.add_parser("upgrade", help="apply every migration (safe to run again)")
    up.set_defaults(run=_upgrade)
    status = sub.add_parser("status", help="say whether the database is up to date")
    status.set_defaults(run=_status)


def _upgrade(args: argparse.Namespace) -> int:
    settings = load_settings()
    upgrade(make_engine(settings.database_url))
    Console().print("database is up to date")
    return 0


def _status(args: argparse.Namespace) -> int:
    settings = load_settings()
    engine = make_engine(settings.database_url)
    current, heads = current_revisions(engine), head_revisions(engine)
    if current == heads:
        Console().print(f"up to date ({', '.join(sorted(heads))})")
        return 0
    Console().print(
        f"needs `chaser db upgrade`: at {sorted(current) or 'nothing'}, code has {sorted(heads)}"
    )
    return 1
