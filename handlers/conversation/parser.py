"""Intent recognition: what a person asked Chaser to do, in plain words, variants and typos."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from handlers.conversation.words import REF, normalise, strip_mentions

Intent = Literal[
    "capture",
    "done",
    "update",
    "snooze",
    "not_mine",
    "my_actions",
    "list",
    "assign",
    "due",
    "cancel",
    "reopen",
    "restrict",
    "unrestrict",
    "add_meeting",
    "meetings",
    "export",
    "help",
    "unknown",
]


@dataclass(frozen=True)
class Command:
    """One recognised request. ``ref`` is the action reference as typed ("A-12"), when any."""

    intent: Intent
    ref: str | None = None
    text: str | None = None  # a note, reason, date phrase, person or format, as typed
    # listing filters
    overdue: bool = False
    due_this_week: bool = False
    done_since: str | None = None  # the phrase after "since"
    scope: str | None = None  # "for <group or person>"
    meeting: str | None = None  # "from the <March> meeting"
    more_refs: tuple[str, ...] = ()  # "done and A-5"


_REF = REF
_SEP = r"\s*(?:[-–—:;,.!]+\s*|\s+)"
_DONE_WORDS = r"done|completed|complete|finished|closed|close|did it|sorted|✅|✔️?"
_DONE_LEAD = (
    r"(?:(?:thanks|thank you|ok|okay|yes)[,!.]?\s+)?"
    r"(?:all|i'?ve|i have|it'?s|that'?s|its|thats)?\s*"
)
_FLAG = r"[\[(]?(?:restricted|confidential)[\])]?"  # "RESTRICTED ACTION:", "ACTION (CONFIDENTIAL):"
_CAPTURE = re.compile(
    rf"(?im)^\s*(?:[-*•]\s*|\d+[.)]\s*)?(?:{_FLAG}\s*[:\-–]?\s*)?"
    rf"(?:actions?\s*(?:{_FLAG})?\s*(?:by)?\s*[:\-–]|action by\b)"
)


def _m(pattern: str, text: str) -> re.Match[str] | None:
    return re.fullmatch(pattern, text, flags=re.IGNORECASE | re.DOTALL)


def _ref(raw: str | None) -> str | None:
    if raw is None:
        return None
    digits = re.sub(r"\D", "", raw)
    return f"A-{digits}"


def _note(raw: str | None) -> str | None:
    if raw is None:
        return None
    note = raw.strip().strip("-–—:;,.").strip()
    return note or None


def parse(text: str) -> Command:
    """Recognise the request in ``text`` (mentions already present or not)."""
    bare = strip_mentions(text)
    if _CAPTURE.search(bare):
        return Command("capture", text=bare)
    if len([line for line in bare.splitlines() if line.strip()]) > 1:
        return Command("unknown", text=bare)  # pasted minutes: not a command
    clean = normalise(bare)
    if not clean:
        return Command("help")
    for rule in _RULES:
        command = rule(clean)
        if command is not None:
            return command
    return Command("unknown", text=clean)


# ---- rules, tried in order -----------------------------------------------------------------


def _help(t: str) -> Command | None:
    if _m(r"(?:help|\?+|commands|what can you do\??|how do i use (?:you|this|chaser)\??)[!.?]*", t):
        return Command("help")
    return None


def _my_actions(t: str) -> Command | None:
    pattern = (
        r"(?:(?:show|list|what are|what's|whats|what is|give me)\s+)?(?:on\s+)?my\s+"
        r"(?:open\s+|outstanding\s+|own\s+)?(?:actions?|tasks?|list|to-?dos?)\s*\??"
        r"|what(?:'s|’s| is| do i have)?\s+(?:on\s+)?(?:my plate|i (?:have|owe) to do)\??"
        r"|what do i (?:have to do|owe)\??|what have i got\??|what'?s mine\??"
    )
    return Command("my_actions") if _m(pattern, t) else None


def _ref_first(intent: Intent, ref: str | None, note: str | None) -> Command:
    """The command, taking references that follow a separator ("completed: A-3, A-4 – sent")."""
    refs = [_ref(ref)] if ref is not None else []
    while note:
        m = _m(rf"(?:and\s+|&\s*)?({_REF})(?:{_SEP}(.*))?", note)
        if m is None:
            break
        refs.append(_ref(m.group(1)))
        note = m.group(2)
    found = [r for r in refs if r is not None]
    first = found[0] if found else None
    return Command(intent, ref=first, text=_note(note), more_refs=tuple(found[1:]))


def _done(t: str) -> Command | None:
    verbs = rf"{_DONE_LEAD}(?:mark\s+)?(?:{_DONE_WORDS})"
    m = _m(rf"{verbs}(?:\s+(?:with\s+)?({_REF}))?(?:{_SEP}(.*))?", t)
    if m and not re.match(r"\s*since\b", m.group(2) or "", re.I):
        return _ref_first("done", m.group(1), m.group(2))
    m = _m(rf"(?:mark\s+|close\s+)?({_REF})\s+(?:is\s+|as\s+)?(?:{_DONE_WORDS})(?:{_SEP}(.*))?", t)
    if m:
        return Command("done", ref=_ref(m.group(1)), text=_note(m.group(2)))
    return None


def _update(t: str) -> Command | None:
    m = _m(rf"(?:update|progress|note|add note(?: to)?)\s+(?:on\s+)?({_REF}){_SEP}(.+)", t)
    m = m or _m(rf"({_REF})\s+(?:update|progress){_SEP}(.+)", t)
    if m:
        return Command("update", ref=_ref(m.group(1)), text=_note(m.group(2)))
    return None


def _snooze(t: str) -> Command | None:
    m = _m(
        rf"(?:snooze|defer|postpone|remind me about|remind me of)\s+({_REF})"
        r"(?:\s+(?:until|till|til|to|for|by)?\s*(.+))?",
        t,
    )
    if m:
        return Command("snooze", ref=_ref(m.group(1)), text=_note(m.group(2)))
    return None


def _not_mine(t: str) -> Command | None:
    words = r"(?:not mine|not me|not my action|isn'?t mine|wrong person|decline|hand back)"
    m = _m(rf"{words}(?:\s+({_REF}))?(?:{_SEP}(.*))?", t)
    m = m or _m(rf"({_REF})\s+(?:is\s+)?{words}(?:{_SEP}(.*))?", t)
    if m:
        return _ref_first("not_mine", m.group(1), m.group(2))
    return None


def _assign(t: str) -> Command | None:
    m = _m(rf"(?:re-?assign|assign|give|hand)\s+({_REF})\s+(?:to\s+)(.+)", t)
    if m:
        return Command("assign", ref=_ref(m.group(1)), text=_note(m.group(2)))
    return None


def _due(t: str) -> Command | None:
    m = _m(
        rf"(?:due|set due(?: date)?(?: of| for)?|change due(?: date)?(?: of| for)?|move)\s+"
        rf"({_REF})\s+(?:(?:is\s+)?(?:due\s+)?(?:to|on|by|date)\s+)?(.+)",
        t,
    )
    m = m or _m(rf"({_REF})\s+(?:is\s+)?due\s+(?:on\s+|by\s+)?(.+)", t)
    if m:
        return Command("due", ref=_ref(m.group(1)), text=_note(m.group(2)))
    return None


def _cancel(t: str) -> Command | None:
    m = _m(rf"(?:cancel|drop|withdraw|scrap)\s+({_REF})(?:{_SEP}(.*))?", t)
    if m:
        return Command("cancel", ref=_ref(m.group(1)), text=_note(m.group(2)))
    return None


def _reopen(t: str) -> Command | None:
    m = _m(rf"(?:re-?open|un-?done|undo)\s+({_REF})(?:{_SEP}(.*))?", t)
    if m:
        return Command("reopen", ref=_ref(m.group(1)), text=_note(m.group(2)))
    return None


_HIDDEN = r"(?:restricted|confidential|private)"
_PUBLIC = r"(?:public|unrestricted|not restricted|not confidential|open to all)"


def _restrict(t: str) -> Command | None:
    """ "restrict A-12", "mark A-12 as confidential"; "unrestrict A-12", "make A-12 public"."""
    for intent, verb, state in (
        ("restrict", r"restrict", _HIDDEN),
        ("unrestrict", r"un-?restrict|make public|declassify", _PUBLIC),
    ):
        m = _m(rf"(?:{verb})\s+({_REF})(?:{_SEP}(.*))?", t) or _m(
            rf"(?:mark|make|flag|set)\s+({_REF})\s+(?:as\s+)?{state}(?:{_SEP}(.*))?", t
        )
        if m:
            return Command(intent, ref=_ref(m.group(1)), text=_note(m.group(2)))  # type: ignore[arg-type]
    return None


def _meetings(t: str) -> Command | None:
    if _m(
        r"(?:show |list |the |our )?(?:meetings|meeting dates|meeting calendar|calendar)\??"
        r"|when(?:'s| is) (?:the |our )?next meeting\??|next meeting\?",
        t,
    ):
        return Command("meetings")
    m = _m(r"(?:next meeting|add (?:a )?meeting|new meeting|meeting)\s+(?:is\s+|on\s+)*(.+)", t)
    if m:
        return Command("add_meeting", text=_note(m.group(1)))
    return None


def _export(t: str) -> Command | None:
    m = _m(
        r"(?:export|download|send me)(?:\s+(?:the\s+)?(?:actions?|action log|log)(?:\s+log)?)?"
        r"(?:\s+(?:as|in|to))?(?:\s+(docx|word|csv|md|markdown|excel))?\.?",
        t,
    )
    if m:
        fmt = (m.group(1) or "docx").lower()
        aliases = {"word": "docx", "markdown": "md", "excel": "csv"}
        return Command("export", text=aliases.get(fmt, fmt))
    return None


_LISTING = re.compile(
    r"\b(outstanding|overdue|open actions|all actions|actions (?:for|from)|due this week|"
    r"what'?s due|whats due|(?:done|completed|closed|finished) since|show (?:the )?actions|"
    r"list (?:the )?actions|action log|late actions)\b",
    re.I,
)


def _listing(t: str) -> Command | None:
    if not _LISTING.search(t):
        return None
    since = re.search(r"\b(?:done|completed|closed|finished) since\s+(.+?)\s*\??$", t, re.I)
    meeting = re.search(r"\bfrom (?:the |our )?(.+?) meeting\b", t, re.I)
    scope = re.search(r"\bfor\s+(?!this week\b)(.+?)\s*\??$", t, re.I)
    mine = re.search(r"\bmy\b", t, re.I) is not None
    return Command(
        "list",
        overdue=bool(re.search(r"\b(overdue|late)\b", t, re.I)),
        due_this_week=bool(re.search(r"\bdue this week\b|\bwhat'?s due\b|\bwhats due\b", t, re.I)),
        done_since=since.group(1) if since else None,
        scope=scope.group(1).strip() if scope and not since else ("me" if mine else None),
        meeting=meeting.group(1) if meeting else None,
    )


def _listing_since(t: str) -> Command | None:
    return _listing(t) if re.search(r"\bsince\b", t, re.I) else None


_RULES = (
    _help,
    _my_actions,
    _listing_since,
    _done,
    _update,
    _snooze,
    _not_mine,
    _assign,
    _due,
    _cancel,
    _reopen,
    _restrict,
    _export,
    _meetings,
    _listing,
)
