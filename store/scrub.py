"""Replacing a person's identifiers with a label in every text and JSON column of the database."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import JSON, String, Table, Text, select, update
from sqlalchemy.orm import Session

from store.models import AuditEvent, Base, Member

# Free text is scrubbed only for identifiers at least this long: shorter ones ("FT", "Jo")
# would wipe ordinary words; they are still removed wherever they are a whole value.
MIN_FREE_TEXT_TERM = 4
# String columns shorter than this hold codes (status, role, platform), not text about people.
_MIN_TEXT_COLUMN = 100


class _Scrubber:
    """Replaces identifiers in text: words of the longer ones and, optionally, whole values of
    the short ones (initials as an owner was written, kept in audit details)."""

    def __init__(self, terms: Iterable[str], label: str, *, short_values: bool) -> None:
        terms = list(terms)
        self.label = label
        self.whole = {t.casefold() for t in terms if short_values or len(t) >= MIN_FREE_TEXT_TERM}
        words = [re.escape(t) for t in terms if len(t) >= MIN_FREE_TEXT_TERM]
        self.pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)", re.IGNORECASE)
            if words
            else None
        )

    def text(self, value: str) -> str:
        if value.strip().casefold() in self.whole:
            return self.label
        return self.pattern.sub(self.label, value) if self.pattern else value

    def data(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.data(v) for v in value]
        if isinstance(value, dict):
            return {self.text(str(k)): self.data(v) for k, v in value.items()}
        return value


def _text_columns(table: Table) -> Iterator[tuple[str, bool]]:
    """Columns that can hold free text or names: JSON, Text and String(100+), never keys.

    Short strings are codes (status, role, platform, via) that must never be rewritten.
    """
    for column in table.columns:
        if column.primary_key:
            continue
        kind = column.type
        if isinstance(kind, JSON):
            yield column.name, True
        elif isinstance(kind, Text) or (
            isinstance(kind, String) and (kind.length is None or kind.length >= _MIN_TEXT_COLUMN)
        ):
            yield column.name, False


def scrub_everywhere(session: Session, terms: Iterable[str], label: str) -> int:
    """Replace ``terms`` by ``label`` in every text and JSON column of every table; the count.

    Identifiers of four or more characters are replaced wherever they appear as words; shorter
    ones (initials) only where they are a whole value in the audit trail, so that acronyms
    elsewhere survive. The members table is left to the caller (other people's rows must not
    change). Rows are scanned table by table; meant for rare, deliberate operations such as an
    erasure, not for request paths. Objects already loaded in the session are expired afterwards.
    """
    terms = list(terms)
    changed = 0
    for table in Base.metadata.sorted_tables:
        if table.name == Member.__tablename__:
            continue
        short = table.name == AuditEvent.__tablename__
        changed += _scrub_table(session, table, _Scrubber(terms, label, short_values=short))
    session.expire_all()
    return changed


def _scrub_table(session: Session, table: Table, scrubber: _Scrubber) -> int:
    columns = list(_text_columns(table))
    keys = list(table.primary_key.columns)
    if not columns or not keys:
        return 0
    changed = 0
    query = select(*keys, *(table.c[name] for name, _ in columns))
    for row in session.execute(query).all():
        values = {}
        for (name, is_json), old in zip(columns, row[len(keys) :], strict=True):
            if old is None:
                continue
            new = scrubber.data(old) if is_json else scrubber.text(old)
            if new != old:
                values[name] = new
        if values:
            where = [k == v for k, v in zip(keys, row[: len(keys)], strict=True)]
            session.execute(update(table).where(*where).values(**values))
            changed += len(values)
    return changed
