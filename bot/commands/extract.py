"""``chaser extract FILE``: show the actions a document holds, without saving anything."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from bot.output import iso_date, print_json, print_table, say
from handlers.capture_messages import HOW_TO_WRITE
from handlers.documents import read_path
from handlers.extraction import ExtractedAction, extract_actions


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "extract",
        help="list the actions in minutes or a message (saves nothing, needs no database)",
    )
    parser.add_argument("file", help="a .txt, .md or .docx file, or - to read text from stdin")
    parser.add_argument(
        "--meeting-date", type=iso_date, metavar="YYYY-MM-DD",
        help="the meeting's date, for deadlines like 'end of month' or 'next meeting'",
    )  # fmt: skip
    parser.add_argument(
        "--meetings", type=_dates, default=[], metavar="D1,D2,…",
        help="the meeting calendar, for 'next meeting' and 'for June CSP' (comma-separated)",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print the actions as JSON")
    parser.set_defaults(run=run)


def _dates(text: str) -> list[dt.date]:
    return sorted(iso_date(part) for part in text.split(",") if part.strip())


def read_text(name: str) -> str:
    """The text of FILE (``-`` is stdin); a missing file is a one-line FileNotFoundError."""
    if name == "-":
        return sys.stdin.read()
    path = Path(name)
    if not path.is_file():
        raise FileNotFoundError(f"{name}: no such file")
    return read_path(path)


def due_cell(item: ExtractedAction) -> str:
    """The deadline as a table shows it: the date and the phrase, or the phrase marked '?'."""
    if item.due_date is not None:
        return (
            f"{item.due_date.isoformat()} ({item.due_text})"
            if item.due_text
            else str(item.due_date)
        )
    if item.due_text:
        return f"? {item.due_text}"
    return ""


def run(args: argparse.Namespace) -> int:
    found = extract_actions(
        read_text(args.file), meeting_date=args.meeting_date, meetings=args.meetings
    )
    if args.json:
        print_json([item.to_json() for item in found])
        return 0
    if not found:
        say(f"No actions found. {HOW_TO_WRITE}")
        return 0
    rows = [
        [str(item.line), ", ".join(item.owners) or "(none named)", due_cell(item),
         item.text + (" [restricted]" if item.restricted else "")]
        for item in found
    ]  # fmt: skip
    print_table(["Line", "Owners", "Due", "Action"], rows, wrap=("Owners", "Action"))
    say(f"{len(found)} action{'s' if len(found) != 1 else ''} found (nothing saved).")
    return 0
