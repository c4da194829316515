"""Terminal helpers for the command line: aligned tables, colour only on a TTY, JSON, errors."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table
from rich.text import Text

RAG_STYLE = {"red": "bold red", "amber": "yellow", "green": "green", "done": "dim", "none": ""}


def is_tty(stream: Any = None) -> bool:
    """True when ``stream`` (stdout by default) is an interactive terminal."""
    stream = sys.stdout if stream is None else stream
    return bool(getattr(stream, "isatty", lambda: False)())


def console(*, stderr: bool = False) -> Console:
    """A console that colours only on a terminal (and never with NO_COLOR), no markup parsing."""
    stream = sys.stderr if stderr else sys.stdout
    tty = is_tty(stream)
    return Console(
        file=stream,
        markup=False,
        highlight=False,
        no_color=not tty or "NO_COLOR" in os.environ,
        force_terminal=tty,
        width=None if tty else 1000,
        soft_wrap=not tty,
    )


def fail(message: str) -> int:
    """Print one clear error line on stderr; the exit code to return (1)."""
    console(stderr=True).print(f"error: {message}")
    return 1


def say(message: str) -> None:
    """A line for people, on stdout."""
    console().print(message)


def note(message: str) -> None:
    """A side remark on stderr, so stdout stays clean for pipes."""
    console(stderr=True).print(message)


def print_json(data: Any) -> None:
    """Data as indented JSON on stdout (dates as ISO text)."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n")


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def print_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[str | Text]],
    *,
    title: str | None = None,
    wrap: Sequence[str] = (),
) -> None:
    """An aligned table: boxed on a terminal, plain columns in a pipe. ``wrap`` names the
    columns that may fold (the others keep their width)."""
    out = console()
    tty = out.is_terminal
    table = Table(
        title=title,
        box=box.SIMPLE_HEAD if tty else None,
        show_edge=False,
        pad_edge=False,
        header_style="bold" if tty else "",
        title_justify="left",
    )
    for name in columns:
        table.add_column(name, overflow="fold", no_wrap=name not in wrap and tty)
    for row in rows:
        table.add_row(*row)
    if tty:
        out.print(table)
        return
    with out.capture() as captured:
        out.print(table)
    sys.stdout.write("\n".join(line.rstrip() for line in captured.get().splitlines()) + "\n")


def coloured(text: str, rag: str) -> Text:
    """``text`` styled by its RAG colour (the style is dropped when colour is off)."""
    return Text(text, style=RAG_STYLE.get(rag, ""))


@contextmanager
def progress(description: str, total: int, *, show: bool) -> Iterator[Any]:
    """A progress bar on a terminal when ``show``; otherwise a silent stand-in. Yields
    ``advance(n=1, description=None)``."""
    if not (show and is_tty(sys.stderr)):
        yield lambda n=1, description=None: None
        return
    bar = Progress(
        TextColumn("{task.description}"), BarColumn(), console=console(stderr=True), transient=True
    )
    with bar:
        task = bar.add_task(description, total=total)

        def advance(n: int = 1, description: str | None = None) -> None:
            bar.update(task, advance=n, description=description or bar.tasks[0].description)

        yield advance


def operator() -> str:
    """Who is running the command line, for the audit trail."""
    try:
        return f"{getpass.getuser()} (command line)"
    except (KeyError, OSError):
        return "command line"


def iso_date(text: str) -> dt.date:
    """An argparse type: a date written YYYY-MM-DD, with a clear message when it is not one."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (use YYYY-MM-DD)") from None
