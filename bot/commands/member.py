"""``chaser member export|erase "NAME"``: a person's data, for subject access and erasure."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from bot.app import build_for_command
from bot.settings import load_settings
from store.db import transaction
from store.directory import member_by_name
from store.privacy import erase_member, export_member


def register(commands: Any) -> None:
    parser = commands.add_parser("member", help="a member's personal data: export, erase")
    sub = parser.add_subparsers(dest="member_command", metavar="ACTION", parser_class=type(parser))
    sub.required = True
    export = sub.add_parser("export", help="everything held on a person, as JSON")
    export.add_argument("name", help="the member's name or an alias")
    export.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")
    export.set_defaults(run=_export)
    erase = sub.add_parser("erase", help="remove a person's personal data (keeps action history)")
    erase.add_argument("name", help="the member's name or an alias")
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    erase.set_defaults(run=_erase)


def plain_console(*, stderr: bool = False) -> Console:
    """A console that prints text as it is: no markup, no highlighting, no wrapping."""
    return Console(stderr=stderr, markup=False, highlight=False, soft_wrap=True)


def operator() -> str:
    """Who is running the command line, for the audit trail."""
    try:
        return f"{getpass.getuser()} (command line)"
    except (KeyError, OSError):
        return "command line"


def _err(message: str) -> int:
    plain_console(stderr=True).print(f"error: {message}")
    return 1


def _export(args: argparse.Namespace) -> int:
    chaser = build_for_command(load_settings())
    with chaser.sessions() as session:
        member = member_by_name(session, args.name)
        if member is None:
            return _err(f"no member called {args.name!r}")
        data = export_member(session, member.id)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if args.output is None:
        sys.stdout.write(text)
        return 0
    path: Path = args.output
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # personal data: owner only
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    plain_console(stderr=True).print(f"wrote everything held on member #{member.id} to {path}")
    return 0


def _confirmed(args: argparse.Namespace, name: str, member_id: int) -> bool | None:
    """True to go ahead, False when declined, None when nobody can be asked."""
    if args.yes:
        return True
    if not sys.stdin.isatty():
        return None
    answer = input(
        f"Erase the personal data of {name} (member #{member_id})? This cannot be undone. "
        "Type 'erase' to confirm: "
    )
    return answer.strip().lower() == "erase"


def _erase(args: argparse.Namespace) -> int:
    chaser = build_for_command(load_settings())
    with transaction(chaser.sessions) as session:
        member = member_by_name(session, args.name)
        if member is None:
            return _err(
                f"no member called {args.name!r} (check the name; erased members are not found)"
            )
        go = _confirmed(args, member.name, member.id)
        if go is None:
            return _err("not erasing without confirmation: run it in a terminal or add --yes")
        if not go:
            plain_console().print("nothing erased")
            return 1
        summary = erase_member(session, member.id, actor=operator(), via="cli")
    plain_console().print(
        f"erased member #{summary.member_id}: now shown as {summary.label!r}; "
        f"{summary.owner_parts} action parts, {summary.updates} notes and {summary.audit_rows} "
        f"audit rows relabelled, {summary.scrubbed_values} other mentions replaced, "
        f"{summary.conversation_refs} saved conversations deleted",
    )
    return 0
