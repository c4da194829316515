"""``chaser directory import FILE`` / ``chaser directory show``: members, groups, meetings."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.app import build_for_command
from bot.output import operator, print_json, print_table, say
from bot.settings import load_settings
from store.db import transaction
from store.directory import export_directory, import_yaml, load_yaml_file


def register(commands: Any) -> None:
    parser = commands.add_parser("directory", help="the member directory: import, show")
    sub = parser.add_subparsers(
        dest="directory_command", metavar="ACTION", parser_class=type(parser)
    )
    sub.required = True
    load = sub.add_parser("import", help="add or update members and groups from a YAML file")
    load.add_argument("file", type=Path, help="the directory file (see examples/partnership.yml)")
    load.set_defaults(run=_import)
    show = sub.add_parser("show", help="list the groups and members")
    show.add_argument("--json", action="store_true", help="print the directory as JSON")
    show.set_defaults(run=_show)


def _import(args: argparse.Namespace) -> int:
    data = load_yaml_file(args.file)
    chaser = build_for_command(load_settings())
    with transaction(chaser.sessions) as session:
        summary = import_yaml(session, data, actor=operator(), via="cli")
    say(f"{args.file}: {summary.describe()}")
    return 0


def _show(args: argparse.Namespace) -> int:
    chaser = build_for_command(load_settings())
    with chaser.sessions() as session:
        data = export_directory(session)
    if args.json:
        print_json(data)
        return 0
    if not data["groups"] and not data["members"]:
        say("The directory is empty: load one with `chaser directory import FILE`.")
        return 0
    today = chaser.today().isoformat()
    groups = [
        [g["name"], g["kind"], g.get("lead", ""), g.get("chair", ""), g.get("secretary", ""),
         str(len(g["members"])), _next_meeting(g["meetings"], today)]
        for g in data["groups"]
    ]  # fmt: skip
    print_table(
        ["Group", "Kind", "Lead", "Chair", "Secretary", "Members", "Next meeting"],
        groups,
        title="Groups",
    )
    members = [
        [
            m["name"],
            m.get("initials", ""),
            ", ".join(m.get("aliases", [])),
            m.get("organisation", ""),
        ]
        for m in data["members"]
    ]
    print_table(["Member", "Initials", "Also known as", "Organisation"], members, title="Members")
    return 0


def _next_meeting(meetings: list[Any], today: str) -> str:
    dates = sorted(m["date"] if isinstance(m, dict) else m for m in meetings)
    upcoming = [d for d in dates if d >= today]
    return upcoming[0] if upcoming else "—"
