"""``chaser priorities import FILE | show [--json] | overlaps``: the priority register."""

from __future__ import annotations

import argparse
import getpass
import json
from pathlib import Path
from typing import Any

from rich.console import Console

from bot.app import build_for_command
from bot.settings import load_settings
from handlers.priorities import answer
from handlers.render_text import render_text
from store import priorities as repo
from store.db import transaction
from store.models.priorities import LEAD, RISK_MAX, SUPPORT, Priority
from store.priorities_yaml import PriorityFormatError, read_file


def register(commands: Any) -> None:
    parser = commands.add_parser("priorities", help="the priority register: import, show, overlaps")
    sub = parser.add_subparsers(
        dest="priorities_command", metavar="ACTION", parser_class=type(parser)
    )
    sub.required = True
    load = sub.add_parser("import", help="load priorities from a YAML file (safe to run again)")
    load.add_argument("file", type=Path, help="a priorities file, e.g. examples/priorities.yml")
    load.set_defaults(run=_import)
    show = sub.add_parser("show", help="every priority with its lead, supporters and score")
    show.add_argument("--json", action="store_true", help="machine-readable output")
    show.set_defaults(run=_show)
    overlaps = sub.add_parser("overlaps", help="priorities with several leads, or none")
    overlaps.set_defaults(run=_overlaps)


def _plain() -> Console:
    return Console(markup=False, highlight=False, soft_wrap=True)


def _operator() -> str:
    try:
        return f"{getpass.getuser()} (command line)"
    except (KeyError, OSError):
        return "command line"


def _import(args: argparse.Namespace) -> int:
    try:
        items = read_file(args.file)
    except PriorityFormatError as exc:
        Console(stderr=True, markup=False, highlight=False).print(f"error: {exc}")
        return 1
    chaser = build_for_command(load_settings())
    with transaction(chaser.sessions) as session:
        summary = repo.import_priorities(session, items, actor=_operator(), via="cli")
    out = _plain()
    out.print(
        f"{len(items)} priorities read: {len(summary.created)} added, "
        f"{len(summary.updated)} changed, {len(summary.unchanged)} unchanged"
    )
    if summary.new_groups:
        out.print("subgroups not in the directory, created: " + ", ".join(summary.new_groups))
    return 0


def _row(p: Priority) -> dict[str, Any]:
    def names(role: str) -> list[str]:
        return [link.group.name for link in p.groups if link.role == role]

    leads = [link.group for link in p.groups if link.role == LEAD]
    return {
        "id": p.id, "name": p.name, "acronyms": p.acronyms, "aliases": p.aliases,
        "description": p.description, "period": p.period, "lead": names(LEAD),
        "lead_members": [g.lead.name if g.lead else None for g in leads],
        "supporting": names(SUPPORT), "targets": p.targets, "notes": p.notes,
        "scores": p.scores, "risk_total": p.risk_total, "stated_total": p.stated_total,
    }  # fmt: skip


def _line(row: dict[str, Any], open_count: int) -> str:
    acronyms = f" [{', '.join(row['acronyms'])}]" if row["acronyms"] else ""
    pairs = zip(row["lead"], row["lead_members"], strict=True)
    leads = [f"{group} ({member})" if member else group for group, member in pairs]
    parts = [f"lead {' and '.join(leads)}" if leads else "NO LEAD"]
    if row["supporting"]:
        parts.append("supporting " + ", ".join(row["supporting"]))
    if row["risk_total"] is not None:
        parts.append(f"risk {row['risk_total']}/{RISK_MAX}")
    if row["period"]:
        parts.append(row["period"])
    parts.append(f"{open_count} open actions")
    return f"{row['name']}{acronyms}: " + "; ".join(parts)


def _show(args: argparse.Namespace) -> int:
    chaser = build_for_command(load_settings())
    with chaser.sessions() as session:
        found = repo.list_all(session)
        rows = [_row(p) for p in found]
        counts = repo.open_action_counts(session, [p.id for p in found])
    out = _plain()
    if args.json:
        for row in rows:
            row["open_actions"] = counts.get(row["id"], 0)
        out.print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if not rows:
        out.print("The priority register is empty: chaser priorities import FILE")
    for row in rows:
        out.print(_line(row, counts.get(row["id"], 0)))
    return 0


def _overlaps(args: argparse.Namespace) -> int:
    chaser = build_for_command(load_settings())
    with chaser.sessions() as session:
        message = answer(session, "overlaps", viewer_member_id=None, via="cli")
    assert message is not None
    _plain().print(render_text(message), end="")
    return 0
