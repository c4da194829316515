"""``chaser ingest FILE --meeting-date D``: save the actions in a set of minutes to the register."""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.app import build_for_command
from bot.cli import UsageError
from bot.output import iso_date, operator, progress, say
from bot.settings import load_settings
from handlers.capture import capture, confirmation
from handlers.documents import read_document
from handlers.render_text import render_text
from store import audit
from store.db import transaction
from store.directory import add_meeting, board, group_by_name
from store.models import Document, Group

LONG_FILE_LINES = 200


def register(commands: Any) -> None:
    parser = commands.add_parser("ingest", help="save the actions in a set of minutes")
    parser.add_argument("file", help="a .txt, .md or .docx file, or - to read text from stdin")
    parser.add_argument(
        "--meeting-date", type=iso_date, required=True, metavar="YYYY-MM-DD",
        help="the date of the meeting the minutes record",
    )  # fmt: skip
    parser.add_argument(
        "--group", metavar="NAME", help="the board or subgroup (default: the board)"
    )
    parser.set_defaults(run=run)


def _read(name: str) -> tuple[str, bytes]:
    if name == "-":
        return "stdin.txt", sys.stdin.buffer.read()
    path = Path(name)
    if not path.is_file():
        raise FileNotFoundError(f"{name}: no such file")
    return path.name, path.read_bytes()


def _group(session: Session, name: str | None) -> Group | None:
    if name is None:
        return board(session)
    group = group_by_name(session, name)
    if group is None:
        known = ", ".join(sorted(session.scalars(select(Group.name)))) or "none yet"
        raise UsageError(f"no group called {name!r} (groups: {known})")
    return group


def run(args: argparse.Namespace) -> int:
    filename, data = _read(args.file)
    text = read_document(data, filename)
    sha = hashlib.sha256(data).hexdigest()
    chaser = build_for_command(load_settings())
    long_file = text.count("\n") > LONG_FILE_LINES
    with progress(f"Reading {filename}", 3, show=long_file) as advance:
        with transaction(chaser.sessions) as session:
            group = _group(session, args.group)
            seen = session.scalar(select(Document).where(Document.sha256 == sha))
            if seen is not None:
                when = seen.created_at.date().isoformat()
                say(f"{filename} was already ingested on {when} (document #{seen.id}).")
                say("Nothing added: every action in it is already in the register.")
                return 0
            advance(1, "Finding actions")
            document = _remember(session, filename, sha, group, args.meeting_date)
            result = capture(
                session, text, via="cli", source_key=f"doc:{sha[:32]}",
                group_id=group.id if group else None, meeting_date=args.meeting_date,
                created_by_id=None, actor=operator(), document_id=document.id,
            )  # fmt: skip
            advance(1, "Saving")
        advance(1)
    sys.stdout.write(render_text(confirmation(result, private=True)))
    return 0


def _remember(
    session: Session, filename: str, sha: str, group: Group | None, meeting_date: Any
) -> Document:
    meeting_id = None
    if group is not None:
        meeting = add_meeting(session, group.id, meeting_date, actor=operator(), via="cli")
        meeting_id = meeting.id
    document = Document(sha256=sha, name=filename[:500], group_id=group.id if group else None,
                        meeting_id=meeting_id)  # fmt: skip
    session.add(document)
    session.flush()
    audit.record(
        session, actor=operator(), via="cli", entity="document", entity_id=document.id,
        event="ingested", name=filename, sha256=sha,
    )  # fmt: skip
    return document
