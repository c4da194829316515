"""``chaser actions``: the action register, filtered, as a table or an action log file."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from rich.text import Text
from sqlalchemy.orm import Session

from bot.app import build_for_command
from bot.cli import UsageError
from bot.output import coloured, note, print_table
from bot.settings import load_settings
from handlers import owners
from handlers.export import FORMATS, render, rows
from store.actions import ActionFilter, find
from store.directory import group_by_name, member_by_name, members_info
from store.models.actions import CANCELLED, DONE, OPEN

STATUSES = {"open": (OPEN,), "done": (DONE,), "cancelled": (CANCELLED,), "all": ()}
DEFAULT_DOCX = Path("action-log.docx")


def register(commands: Any) -> None:
    parser = commands.add_parser("actions", help="list actions or export the action log")
    parser.add_argument("--status", choices=list(STATUSES), default="open", help="default: open")
    parser.add_argument("--owner", metavar="NAME", help="a member's name, or an owner as written")
    parser.add_argument("--group", metavar="NAME", help="the board or a subgroup")
    parser.add_argument("--overdue", action="store_true", help="only open actions past their date")
    parser.add_argument("--format", choices=FORMATS, default="table", help="default: table")
    parser.add_argument("--output", "-o", type=Path, metavar="FILE", help="write to FILE")
    parser.add_argument(
        "--include-restricted", action="store_true",
        help="show the text of restricted actions (withheld by default)",
    )  # fmt: skip
    parser.set_defaults(run=run)


def _filter(session: Session, args: argparse.Namespace) -> tuple[ActionFilter, str | None]:
    group_ids: tuple[int, ...] = ()
    group_name = None
    if args.group:
        group = group_by_name(session, args.group)
        if group is None:
            raise UsageError(f"no group called {args.group!r}; see `chaser directory show`")
        group_ids, group_name = (group.id,), group.name
    member_id, owner_text = None, None
    if args.owner:
        member_id = _member_id(session, args.owner)
        owner_text = None if member_id is not None else args.owner
    flt = ActionFilter(
        statuses=STATUSES[args.status], group_ids=group_ids, member_id=member_id,
        owner_text=owner_text,
    )  # fmt: skip
    return flt, group_name


def _member_id(session: Session, written: str) -> int | None:
    """The member meant by NAME: a name or alias, else initials or a near spelling."""
    member = member_by_name(session, written)
    if member is not None:
        return member.id
    infos = [owners.MemberInfo(**asdict(m)) for m in members_info(session, None)]
    match = owners.resolve_owner(written, infos)
    return match.member_id if match.status == "matched" else None


def run(args: argparse.Namespace) -> int:
    chaser = build_for_command(load_settings())
    today = chaser.today()
    with chaser.sessions() as session:
        flt, group_name = _filter(session, args)
        if args.overdue:
            flt = replace(flt, overdue_on=today)
        found = find(session, flt)
        redact = not args.include_restricted
        if args.format == "table" and args.output is None:
            _print(found, today, redact)
            return 0
        group = group_name or "all groups"
        output = render(found, args.format, today=today, group=group, redact=redact)
    return _write(output, args, len(found))


def _print(found: list[Any], today: Any, redact: bool) -> None:
    if not found:
        note("No actions match.")
        return
    log = rows(found, today, redact=redact)
    table: list[list[str | Text]] = [
        [r.ref, r.due, coloured(r.status, r.rag), r.owners, r.action, r.latest_update] for r in log
    ]
    print_table(
        ["Ref", "Due", "Status", "Owner(s)", "Action", "Latest update"],
        table,
        wrap=("Owner(s)", "Action", "Latest update"),
    )
    late = sum(1 for r in log if r.rag == "red")
    note(
        f"{len(found)} action{'s' if len(found) != 1 else ''}"
        + (f", {late} overdue" if late else "")
    )


def _write(output: str | bytes, args: argparse.Namespace, count: int) -> int:
    path: Path | None = args.output
    if path is None and isinstance(output, bytes):
        path = DEFAULT_DOCX
    if path is None:
        sys.stdout.write(str(output))
        return 0
    if isinstance(output, bytes):
        path.write_bytes(output)
    else:
        path.write_text(output, encoding="utf-8")
    note(f"wrote the action log ({count} action{'s' if count != 1 else ''}) to {path}")
    return 0
