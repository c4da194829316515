"""`chaser console --as NAME` talks to the bot in the terminal; `chaser ask TEXT --as NAME` once."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rich.console import Console

from bot.app import build_for_command
from bot.cli import UsageError
from bot.console import DEFAULT_CHANNEL, ConsoleAdapter, UnknownMemberError, transcript
from bot.settings import load_settings
from handlers.conversation import Conversation

PROMPT = "you> "
QUIT = {"quit", "exit", "bye", ":q"}


def register(commands: Any) -> None:
    """Add the ``console`` and ``ask`` commands."""
    console = commands.add_parser(
        "console", help="talk to Chaser in the terminal as a member (type 'help', 'quit')"
    )
    _common(console)
    console.set_defaults(run=_console)
    ask = commands.add_parser("ask", help="say one thing to Chaser as a member; print the reply")
    ask.add_argument("text", help='what to say, e.g. "my actions" or "done A-12"')
    _common(ask)
    ask.set_defaults(run=_ask)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as",
        dest="as_name",
        required=True,
        metavar="NAME",
        help="the member you speak as (their name in the directory)",
    )
    parser.add_argument(
        "--channel",
        default=DEFAULT_CHANNEL,
        metavar="ID",
        help=f"console channel to speak in (default {DEFAULT_CHANNEL})",
    )
    parser.add_argument("--dm", action="store_true", help="speak in a direct chat with Chaser")
    parser.add_argument(
        "--save-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="where files Chaser hands back are saved (default: here)",
    )


def _adapter(args: argparse.Namespace) -> ConsoleAdapter:
    app = build_for_command(load_settings())
    conversation = Conversation(app.sessions, clock=app.clock, zone=app.zone)
    adapter = ConsoleAdapter(conversation, app.sessions, clock=app.clock, save_dir=args.save_dir)
    try:
        adapter.speaker(args.as_name)
    except UnknownMemberError as exc:
        raise UsageError(str(exc)) from None
    return adapter


def _ask(args: argparse.Namespace) -> int:
    adapter = _adapter(args)
    replies = adapter.say(args.text, as_name=args.as_name, channel=args.channel, direct=args.dm)
    sys.stdout.write(transcript(replies))
    return 0


def _console(args: argparse.Namespace) -> int:
    adapter = _adapter(args)
    where = "a direct chat" if args.dm else f"#{args.channel}"
    group = None if args.dm else adapter.group_of(args.channel)
    if group:
        where += f" ({group})"
    elif not args.dm:
        where += " (a channel no group owns: questions are about the board)"
    Console(stderr=True).print(
        f"Chaser console — you are {args.as_name} in {where}. Type 'help' for what I can do, "
        "'quit' to leave.",
        highlight=False,
    )
    for line in _lines():
        if line.strip().lower() in QUIT:
            break
        if not line.strip():
            continue
        replies = adapter.say(line, as_name=args.as_name, channel=args.channel, direct=args.dm)
        sys.stdout.write(transcript(replies))
        sys.stdout.flush()
    return 0


def _lines() -> Iterator[str]:
    interactive = sys.stdin.isatty()
    while True:
        try:
            line = input(PROMPT) if interactive else sys.stdin.readline()
        except EOFError:
            return
        if not interactive and line == "":
            return
        yield line.rstrip("\n")
