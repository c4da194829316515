"""Cleaning what people type before it is read: bot mentions stripped, typos of keywords fixed."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

# an action reference as people type it; any number of digits, so a reference too long to exist
# is looked up (and not found) rather than read as a note about the speaker's only action
REF = r"(?:#\s*|a\s*-?\s*)\d+"
# control characters other than tabs and line breaks (NUL, BEL, terminal escape codes) and text
# direction overrides: never meant as words, and PostgreSQL cannot store a NUL at all
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_MENTION = re.compile(r"^\s*(?:<@[A-Z0-9]+(?:\|[^>]*)?>|<at>[^<]*</at>|@chaser\b)[\s,:]*", re.I)
_BOT_NAME = re.compile(r"@chaser\b[\s,:]*", re.I)
_LEADING_NAME = re.compile(r"^\s*chaser\s*[,:]\s*", re.I)
_VOCAB = (
    "outstanding",
    "overdue",
    "actions",
    "action",
    "export",
    "snooze",
    "update",
    "cancel",
    "reopen",
    "assign",
    "reassign",
    "meetings",
    "meeting",
    "completed",
    "finished",
    "download",
    "help",
)


def _correct(word: str) -> str:
    """The keyword a typo was meant to be ("outstnading" -> "outstanding"), else the word."""
    m = re.fullmatch(r"(\W*)(.*?)(\W*)", word)
    if m is None:
        return word
    lead, bare, tail = m.groups()
    if len(bare) < 5 or bare.lower() in _VOCAB or re.fullmatch(REF, bare, re.I):
        return word
    best = process.extractOne(bare.lower(), _VOCAB, scorer=fuzz.ratio, score_cutoff=80)
    return f"{lead}{best[0]}{tail}" if best else word


def without_controls(text: str) -> str:
    """``text`` without control characters (tabs, newlines and carriage returns kept) or direction
    overrides."""
    return _CONTROL.sub("", text)


def strip_mentions(text: str) -> str:
    """The text without the bot's mention (leading platform mentions, "@Chaser", "Chaser,")."""
    text = text.replace("\u00a0", " ").strip()
    while True:
        stripped = _LEADING_NAME.sub("", _MENTION.sub("", text, count=1), count=1)
        if stripped == text:
            break
        text = stripped
    return _BOT_NAME.sub("", text).strip()


def normalise(text: str) -> str:
    """Strip bot mentions and odd spacing, and fix typos in the first few words."""
    text = strip_mentions(text)
    if "\n" in text:
        return text
    words = text.split(" ")
    head = [_correct(w) for w in words[:4]]
    return re.sub(r"\s+", " ", " ".join(head + words[4:])).strip()
