"""The ``chaser`` command line. Each sub-command lives in its own module under bot/commands."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape

import bot.commands
from bot.settings import ConfigError
from handlers.documents import DocumentError
from store.directory import DirectoryError
from store.migrate import NotMigratedError


class UsageError(Exception):
    """A command was used wrongly; the message says how to use it."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


# commands whose module is not named after them
_MODULE_OF = {"ask": "console", "teams-package": "teams_package"}


def _modules_for(argv: Sequence[str]) -> list[str]:
    """Only the module of the command asked for (the server stack takes seconds to import);
    every module when no known command is named, so help and errors list them all."""
    names = sorted(m.name for m in pkgutil.iter_modules(bot.commands.__path__))
    first = next((a for a in argv if not a.startswith("-")), None)
    if first is not None:
        module = _MODULE_OF.get(first, first)
        if module in names:
            return [module]
    return names


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser with the command modules under bot/commands registered."""
    parser = _Parser(prog="chaser", description="Meeting actions: capture, chase, report.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
    for name in _modules_for(argv):
        module = importlib.import_module(f"bot.commands.{name}")
        module.register(commands)
    return parser


def _one_line(text: str) -> str:
    """``text`` as one printable line: what the user typed may hold newlines, terminal escape
    codes or direction marks; those are shown as escapes (``\\n``, ``\\x1b``, ``\\u202e``)."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; errors are one clear line on stderr and a non-zero exit."""
    err = Console(stderr=True, soft_wrap=True)
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser(argv).parse_args(argv)
        result: int = args.run(args)
        return result
    except UsageError as exc:
        err.print(f"[red]error:[/red] {escape(_one_line(str(exc)))}", highlight=False)
        return 2
    except (ConfigError, NotMigratedError, DocumentError, DirectoryError, FileNotFoundError) as exc:
        err.print(f"[red]error:[/red] {escape(_one_line(str(exc)))}", highlight=False)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
