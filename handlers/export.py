"""The action log for a meeting pack: one row per action, with RAG status, as text, CSV, JSON,
Markdown or a Word document."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import Literal

from handlers.export_docx import docx_bytes
from handlers.export_rows import COLUMNS, RAG_LABEL, LogRow, british, rag, row, rows
from store.models import Action

__all__ = ["FORMATS", "Format", "LogRow", "rag", "render", "row", "rows"]

Format = Literal["table", "csv", "json", "md", "docx"]
FORMATS: tuple[Format, ...] = ("table", "csv", "json", "md", "docx")


def heading(title: str, group: str | None) -> str:
    """ "Action log — Safer Borough"."""
    return f"{title} — {group}" if group else title


def subtitle(today: dt.date, meeting_date: dt.date | None) -> str:
    """The line under the title: the meeting and the date produced."""
    meeting = f"Meeting: {british(meeting_date)}" if meeting_date else "All meetings"
    return f"{meeting} · Produced: {british(today)}"


def render(
    actions: Iterable[Action],
    fmt: Format,
    *,
    today: dt.date,
    title: str = "Action log",
    group: str | None = None,
    meeting_date: dt.date | None = None,
    redact: bool = True,
) -> str | bytes:
    """The action log in ``fmt``: text for table, csv, json and md; bytes for docx."""
    log = rows(actions, today, redact=redact)
    if fmt == "docx":
        return docx_bytes(log, heading(title, group), subtitle(today, meeting_date))
    if fmt == "csv":
        return to_csv(log)
    if fmt == "json":
        return json.dumps([asdict(r) for r in log], indent=2, ensure_ascii=False) + "\n"
    if fmt == "md":
        return to_markdown(log, heading(title, group), subtitle(today, meeting_date))
    if fmt == "table":
        return to_table(log)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def to_csv(log: list[LogRow]) -> str:
    """CSV with a header row, RAG as its own column (spreadsheets colour it with a rule)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*COLUMNS[:5], "RAG", COLUMNS[5], "Group", "Meeting"])
    for r in log:
        writer.writerow([r.ref, r.action, r.owners, r.due, r.status, RAG_LABEL[r.rag],
                         r.latest_update, r.group, r.meeting])  # fmt: skip
    return out.getvalue()


def _md_cell(text: str) -> str:
    return " ".join(text.replace("\\", "\\\\").replace("|", "\\|").split())


def to_markdown(log: list[LogRow], title: str, sub: str) -> str:
    """A Markdown document: heading, the meeting/produced line, and a pipe table."""
    lines = [f"# {title}", "", sub, ""]
    if not log:
        return "\n".join([*lines, "No actions.", ""])
    lines.append("| " + " | ".join([*COLUMNS[:5], "RAG", COLUMNS[5]]) + " |")
    lines.append("|" + "---|" * 7)
    for r in log:
        cells = [r.ref, r.action, r.owners, r.due, r.status, RAG_LABEL[r.rag], r.latest_update]
        lines.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    return "\n".join([*lines, ""])


def to_table(log: list[LogRow], *, width: int = 60) -> str:
    """A plain fixed-width table (for chat code blocks and plain terminals)."""
    header = ("Ref", "Due", "RAG", "Owner(s)", "Action")
    body = [(r.ref, r.due, RAG_LABEL[r.rag], r.owners, _clip(r.action, width)) for r in log]
    widths = [max(len(str(x[i])) for x in [header, *body]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
             for line in [header, *body]]  # fmt: skip
    return "\n".join(lines) + "\n"


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
