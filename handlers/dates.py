"""Deadline normaliser: finds the deadline phrase in an action and works out its date."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import dateparser

__all__ = ["Deadline", "find_deadline", "parse_date_phrase"]


@dataclass(frozen=True)
class Deadline:
    """A deadline phrase as written, the date it stands for (if known) and what sort it is."""

    text: str
    date: dt.date | None
    kind: str  # "date" | "relative" | "meeting" | "asap" | "ongoing" | "unresolved"


_MONTH_NUMBERS: dict[str, int] = {}
for _n, _name in enumerate(calendar.month_name):
    if _n:
        _MONTH_NUMBERS[_name.lower()] = _n
        _MONTH_NUMBERS[_name[:3].lower()] = _n
_MONTH_NUMBERS["sept"] = 9
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}


def _cased(words: Sequence[str]) -> str:
    """Alternation matching each word Capitalised or UPPER only, so "may" the verb never counts."""
    forms = sorted({f for w in words for f in (w.capitalize(), w.upper())}, key=len, reverse=True)
    return "(?-i:" + "|".join(forms) + r")\b"


_MONTH = _cased([*(m for m in calendar.month_name if m), "Jan", "Feb", "Mar", "Apr", "Jun",
                 "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"]) + r"\.?"
_WEEKDAY = _cased([*calendar.day_name, "Mon", "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs",
                   "Fri", "Sat", "Sun"]) + r"\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_TEXT_DATE = (
    rf"(?:{_WEEKDAY},?\s+)?(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR})?"
    rf"|(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR})?"
)
_NUM_DATE = (
    r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}(?:/(?:\d{4}|\d{2}))?\b"
    r"|\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})\b"
)
_COUNT = r"\d{1,3}|a couple of|couple of|a few|few|several|" + "|".join(_WORD_NUMBERS)
_MEETING_WORDS = (
    r"(?:CSP|board|partnership|council|committee|parish council|group|sub-?group|ordinary)"
)
_BY = r"(?:by|before|until|till|no later than|not later than|prior to|ahead of|in time for)"
_QUALIFIER = r"(?:\s+(?:where|if) possible)?"

_FLAGS = re.IGNORECASE
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("asap", re.compile(
        r"\b(?:asap|a\.s\.a\.p\.?|as soon as (?:possible|practicable|practical)"
        r"|at the earliest opportunity)(?=\W|$)", _FLAGS)),
    ("ongoing", re.compile(
        r"\(\s*on-?\s?going\s*\)|\bon an? on-?going basis\b|(?<=[-–:]\s)on-?going(?=\s*\.?\s*$)",
        _FLAGS)),
    ("end", re.compile(
        rf"\b(?:(?:{_BY}|for|at|between now and)\s+)?(?:the\s+)?end\s+(?:of\s+)?"
        rf"(?:(?P<rel>the|this|next)\s+)?(?:(?P<unit>week|month|year|quarter)\b"
        rf"|(?P<month>{_MONTH})(?:\s+(?P<year>{_YEAR}))?)"
        rf"(?:\s*\(\s*(?P<paren>{_TEXT_DATE}|{_NUM_DATE})\s*\))?", _FLAGS)),
    ("month_end", re.compile(rf"\b(?:(?:{_BY}|between now and)\s+)?(?:the\s+)?month[- ]end\b",
                             _FLAGS)),
    ("next_meeting", re.compile(
        rf"\b(?:{_BY}|at|for|to|on)\s+(?:the\s+)?next\s+(?:{_MEETING_WORDS}\s+)*"
        rf"(?:meeting|CSP|board|agenda)\b{_QUALIFIER}", _FLAGS)),
    ("month_meeting", re.compile(
        rf"\b(?:for\s+(?:discussion|approval|consideration|decision|sign-?off)\s+)?"
        rf"(?:{_BY}|at|for|to|on)\s+(?:the\s+)?(?P<month>{_MONTH})(?:['’]s)?\s+"
        rf"(?:{_MEETING_WORDS}\s+)*(?:meeting|agenda|CSP|board|AGM)\b{_QUALIFIER}", _FLAGS)),
    ("agm", re.compile(rf"\b(?:{_BY}|at|for)\s+(?:the\s+)?(?:next\s+)?AGM\b", _FLAGS)),
    ("within", re.compile(
        rf"\b(?:within|in|over)\s+(?P<the>the\s+)?(?:next\s+)?(?P<n>{_COUNT})\s+"
        r"(?P<working>working\s+|calendar\s+)?(?P<unit>days?|weeks?|months?|fortnights?)\b"
        r"(?:['’]s?\s+time)?(?:\s+(?:timeframe|time frame|period))?", _FLAGS)),
    ("wc", re.compile(
        rf"\b(?:w/c|w\.c\.|wc|w/b|week (?:commencing|beginning))\s+(?:the\s+)?"
        rf"(?P<d>{_TEXT_DATE}|{_NUM_DATE})", _FLAGS)),
    ("text_date", re.compile(
        rf"\b(?P<prep>{_BY}|due(?: by)?|deadline(?: of)?|on|for|from|at|in)\s+(?:the\s+)?"
        rf"(?P<d>{_TEXT_DATE})(?:\s+deadline)?", _FLAGS)),
    ("num_date", re.compile(
        rf"\b(?P<prep>{_BY}|due(?: by)?|deadline(?: of)?|on|for)\s+(?:the\s+)?(?P<d>{_NUM_DATE})",
        _FLAGS)),
    ("weekday", re.compile(
        rf"\b(?P<prep>{_BY}|on|for|this|next)\s+(?:(?P<next>this|next)\s+)?(?P<wd>{_WEEKDAY})"
        rf"(?!,?\s+(?:the\s+)?\d)", _FLAGS)),
    ("relative_word", re.compile(
        rf"\b(?:{_BY}|on|for)?\s*(?P<w>tomorrow|today|tonight|next week)\b(?!['’]s)", _FLAGS)),
    ("month_alone", re.compile(
        rf"\b(?P<prep>{_BY}|in|during|for)\s+(?:(?:early|mid|late)[- ]?\s*)?(?P<month>{_MONTH})"
        rf"(?:\s+(?P<year>{_YEAR}))?(?!\s*['’]s)(?!\s+(?-i:[A-Z])[a-z])(?!\s*\d)", _FLAGS)),
]
_PAST_GUARDED = {"on", "in", "at", "from", "during", "for"}
_FUTURE = re.compile(r"\b(?:to|will|shall|should|must|would|needs? to|asked to)\s+[a-z]", _FLAGS)
_PAST_WORDS = re.compile(
    r"\b(?:was|were|had|has been|have been|held|met|took|began|came|went|said|\w+ed)\b", _FLAGS)
_PAST_BEFORE = re.compile(
    r"\b(?:was|were|had|has|have|been|being|met|held|took|sent|made|said|came|began|went|"
    r"\w+ed)\s*$", _FLAGS)


@dataclass(frozen=True)
class _Ctx:
    base: dt.date | None
    meetings: tuple[dt.date, ...]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _add_working_days(day: dt.date, count: int) -> dt.date:
    while count > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


@lru_cache(maxsize=8192)
def _dateparser(text: str, base: dt.date | None) -> dt.date | None:
    """Ask dateparser for one short date phrase (cached: minutes repeat the same phrases)."""
    settings: dict[str, object] = {"DATE_ORDER": "DMY", "RETURN_AS_TIMEZONE_AWARE": False,
                                   "PREFER_DAY_OF_MONTH": "first"}
    if base is not None:
        settings["PREFER_DATES_FROM"] = "future"
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day, tzinfo=dt.UTC)
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except (ValueError, OverflowError, OSError):  # dates dateparser cannot represent
        return None
    return parsed.date() if parsed is not None else None


_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b|\bthe\b|\bof\b|,", _FLAGS)
_HAS_YEAR = re.compile(rf"\b{_YEAR}\b")


def _text_date(text: str, base: dt.date | None) -> dt.date | None:
    """A written date such as "Friday 14 December" or "3rd October 2018"."""
    core = " ".join(_ORDINAL.sub(" ", text).split())
    if base is None and not _HAS_YEAR.search(core):
        return None
    return _dateparser(core, base)


def _num_date(text: str, base: dt.date | None) -> dt.date | None:
    """A numeric UK date: 14/3, 2/8/13, 14.3.2018 or ISO 2018-03-14."""
    if "-" in text:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    parts = [int(p) for p in re.split(r"[/.]", text)]
    day, month = parts[0], parts[1]
    try:
        if len(parts) == 3:
            year = parts[2] + (2000 if parts[2] < 100 else 0)
            return dt.date(year, month, day)
        if base is None:
            return None
        candidate = dt.date(base.year, month, day)
    except ValueError:
        return None
    return candidate if candidate >= base else dt.date(base.year + 1, month, day)


def _any_date(text: str, base: dt.date | None) -> dt.date | None:
    if re.fullmatch(_NUM_DATE, text.strip()):
        return _num_date(text.strip(), base)
    return _text_date(text, base)


def _next_weekday(base: dt.date, weekday: int, next_week: bool) -> dt.date:
    if next_week:
        monday = base - dt.timedelta(days=base.weekday()) + dt.timedelta(days=7)
        return monday + dt.timedelta(days=weekday)
    ahead = (weekday - base.weekday()) % 7 or 7
    return base + dt.timedelta(days=ahead)


def _meeting_after(ctx: _Ctx, month: int | None = None) -> dt.date | None:
    if ctx.base is None:
        return None
    for meeting in ctx.meetings:
        if month is None and meeting > ctx.base:
            return meeting
        if month is not None and meeting >= ctx.base and meeting.month == month:
            return meeting
    return None


def _weekday_of(name: str) -> int:
    key = name.lower().rstrip(".")
    return next(v for k, v in _WEEKDAYS.items() if k.startswith(key[:3]))


Resolver = Callable[[re.Match[str], _Ctx], tuple[dt.date | None, str]]


def _r_fixed(kind: str) -> Resolver:
    return lambda _m, _c: (None, kind)


def _r_end(m: re.Match[str], ctx: _Ctx) -> tuple[dt.date | None, str]:
    if m.group("paren"):
        return _any_date(m.group("paren"), ctx.base), "date"
    if m.group("month"):
        month = _MONTH_NUMBERS[m.group("month").lower().rstrip(".")]
        if m.group("year"):
            return _month_end(int(m.group("year")), month), "date"
        if ctx.base is None:
            return None, "date"
        year = ctx.base.year + (1 if month < ctx.base.month else 0)
        return _month_end(year, month), "date"
    if ctx.base is None:
        return None, "relative"
    base, unit = ctx.base, m.group("unit").lower()
    if (m.group("rel") or "").lower() == "next":
        base = {"week": base + dt.timedelta(days=7), "month": _add_months(base, 1),
                "year": dt.date(base.year + 1, 1, 1), "quarter": _add_months(base, 3)}[unit]
    if unit == "week":
        return base + dt.timedelta(days=(4 - base.weekday()) % 7), "relative"
    if unit == "month":
        return _month_end(base.year, base.month), "relative"
    if unit == "quarter":
        quarter_month = ((base.month - 1) // 3 + 1) * 3
        return _month_end(base.year, quarter_month), "relative"
    return dt.date(base.year, 12, 31), "relative"


def _r_month_end(_m: re.Match[str], ctx: _Ctx) -> tuple[dt.date | None, str]:
    if ctx.base is None:
        return None, "relative"
    return _month_end(ctx.base.year, ctx.base.month), "relative"


def _r_next_meeting(_m: re.Match[str], ctx: _Ctx) -> tuple[dt.date | None, str]:
    return _meeting_after(ctx), "meeting"


def _r_month_meeting(m: re.Match[str], ctx: _Ctx) -> tuple[dt.date | None, str]:
    return _meeting_after(ctx, _MONTH_NUMBERS[m.group("month").lower().rstrip(".")]), "meeting"


def _within(count_word: str, unit: str, working: bool, ctx: _Ctx) -> tuple[dt.date | None, str]:
    """ "within two weeks", "in 10 working days": counted from the meeting date."""
    count_word = count_word.lower()
    if not (count_word.isdigit() or count_word in _WORD_NUMBERS):
        return None, "unresolved"  # "a couple of", "a few": too vague for a date
    if ctx.base is None:
        return None, "relative"
    count = int(count_word) if count_word.isdigit() else _WORD_NUMBERS[count_word]
    unit = unit.lower().rstrip("s")
    if unit == "day" and working:
        return _add_working_days(ctx.base, count), "relative"
    if unit == "month":
        return _add_months(ctx.base, count), "relative"
    days = {"day": 1, "week": 7, "fortnight": 14}[unit] * count
    return ctx.base + dt.timedelta(days=days), "relative"


def _r_within(m: re.Match[str], ctx: _Ctx) -> tuple[dt.date | None, str]:
    if m.group("the"):
        return None, "unresolved"  # "within the 20 working day timeframe": from when?
    working = (m.group("working") or "").lower().startswith("work")
    return _within(m.group("n"), m.group("unit"), working, ctx)


def _r_date(m: re.Match[str], ctx: _Ctx) -> tuple[dt.date | None, str]:
    return _any_date(m.group("d"), ctx.base), "date"


def _r_weekday(m: re.Match[str], ctx: _Ctx) -> tuple[dt.date | None, str]:
    if ctx.base is None:
        return None, "relative"
    is_next = "next" in {(m.group("prep") or "").lower(), (m.group("next") or "").lower()}
    return _next_weekday(ctx.base, _weekday_of(m.group("wd")), is_next), "relative"


def _r_relative_word(m: re.Match[str], ctx: _Ctx) -> tuple[dt.date | None, str]:
    if ctx.base is None:
        return None, "relative"
    word = m.group("w").lower()
    if word == "next week":
        return _next_weekday(ctx.base, 4, True), "relative"
    return ctx.base + dt.timedelta(days=1 if word == "tomorrow" else 0), "relative"


_RESOLVERS: dict[str, Resolver] = {
    "asap": _r_fixed("asap"), "ongoing": _r_fixed("ongoing"), "end": _r_end,
    "month_end": _r_month_end, "next_meeting": _r_next_meeting,
    "month_meeting": _r_month_meeting, "agm": _r_fixed("meeting"), "within": _r_within,
    "wc": _r_date, "text_date": _r_date, "num_date": _r_date, "weekday": _r_weekday,
    "relative_word": _r_relative_word, "month_alone": _r_fixed("unresolved"),
}


def _is_past_context(sentence: str, match: re.Match[str], name: str) -> bool:
    """True for "had expired in March 2017", "AR held a meeting ... on 22nd July": a date in a
    report of the past, not a deadline ("Clerk to send the signed form on 3 May" still is)."""
    if name not in {"text_date", "month_alone", "num_date", "weekday"}:
        return False
    prep = (match.groupdict().get("prep") or "").lower()
    if prep not in _PAST_GUARDED:
        return False
    before = sentence[: match.start()]
    if _PAST_BEFORE.search(before):
        return True
    clause = re.split(r"[.;!?]\s", before)[-1]
    return not _FUTURE.search(clause) and bool(_PAST_WORDS.search(clause))


_MAYBE = re.compile(
    rf"\d|{_MONTH}|{_WEEKDAY}|(?i:\b(?:end|next|asap|a\.s\.a\.p|soon|within|weeks?|months?|"
    r"fortnights?|on-?\s?going|tomorrow|today|tonight|agm|w/[cb]|wc|commencing|beginning|"
    r"earliest)\b)"
)


_HAS_MONTH = re.compile(_MONTH)
_HAS_WEEKDAY = re.compile(_WEEKDAY)
_GATES: dict[str, tuple[str, ...]] = {
    "asap": ("asap", "a.s.a.p", "soon", "earliest"), "ongoing": ("going",), "end": ("end",),
    "month_end": ("month",), "next_meeting": ("next",), "agm": ("agm",),
    "within": ("within", "in ", "over "), "wc": ("w/", "w.c", "wc", "commencing", "beginning"),
    "relative_word": ("tomorrow", "today", "tonight", "next week"),
}


def _worth_trying(sentence: str) -> set[str]:
    """The pattern families that could match (cheap word tests before the regexes)."""
    lowered = sentence.lower()
    names = {name for name, words in _GATES.items() if any(w in lowered for w in words)}
    if any(ch.isdigit() for ch in sentence):
        names.update(("num_date", "text_date"))
    if _HAS_MONTH.search(sentence):
        names.update(("text_date", "month_meeting", "month_alone", "end"))
    if _HAS_WEEKDAY.search(sentence):
        names.update(("weekday", "text_date"))
    return names


def _candidates(sentence: str) -> list[tuple[int, int, str, re.Match[str]]]:
    if not _MAYBE.search(sentence):
        return []
    worth = _worth_trying(sentence)
    found = []
    for name, pattern in _PATTERNS:
        if name not in worth:
            continue
        for match in pattern.finditer(sentence):
            if match.group(0).strip() and not _is_past_context(sentence, match, name):
                found.append((match.start(), -len(match.group(0).strip()), name, match))
    found.sort(key=lambda c: (c[0], c[1]))
    return found


def find_deadline(sentence: str, *, meeting_date: dt.date | None,
                  meetings: Sequence[dt.date] = ()) -> Deadline | None:
    """Find the deadline phrase in an action sentence and resolve it against the meeting date.

    Relative phrases ("end of month", "by Friday", "within two weeks") count from
    ``meeting_date``; meeting phrases ("before the next meeting", "for June CSP") look the
    meeting up in ``meetings``. A phrase whose date cannot be worked out keeps its text with
    ``date=None``. Words that only look like dates ("Brexit", "March Ltd", "had expired in
    March 2017") are not deadlines.
    """
    candidates = _candidates(sentence)
    if not candidates:
        return None
    _start, _neg_len, name, match = candidates[0]
    text = match.group(0).strip().rstrip(",.;:")
    ctx = _Ctx(meeting_date, tuple(sorted(meetings)))
    try:
        date, kind = _RESOLVERS[name](match, ctx)
    except (ValueError, OverflowError):  # arithmetic past year 9999
        date, kind = None, "unresolved"
    return Deadline(text=text, date=date, kind=kind)


_LEADING_WORDS = re.compile(
    r"^(?:(?:due|snooze|until|till|by|on|for|before|deadline|to|in)\s+)+", _FLAGS)
_BARE_COUNT = re.compile(
    rf"^(?:(?P<n>{_COUNT})\s+(?P<working>working\s+)?(?P<unit>days?|weeks?|months?|fortnights?))$",
    _FLAGS)


def _bare_date(phrase: str, ctx: _Ctx) -> dt.date | None:
    if re.fullmatch(_NUM_DATE, phrase) or re.fullmatch(_TEXT_DATE, phrase, _FLAGS):
        return _any_date(phrase, ctx.base)
    if re.fullmatch(rf"(?:(?:this|next)\s+)?{_WEEKDAY}", phrase, _FLAGS) and ctx.base:
        return _next_weekday(ctx.base, _weekday_of(phrase.split()[-1]),
                             phrase.lower().startswith("next"))
    count = _BARE_COUNT.match(phrase)
    if count:
        return _within(count.group("n"), count.group("unit"), bool(count.group("working")), ctx)[0]
    return None


def parse_date_phrase(phrase: str, *, today: dt.date,
                      meetings: Sequence[dt.date] = ()) -> dt.date | None:
    """Turn a short date phrase from a chat command ("30 June", "until Monday", "2 weeks",
    "end of month", "next meeting") into a date counted from ``today``, or None.
    """
    ctx = _Ctx(today, tuple(sorted(meetings)))
    cleaned = " ".join(phrase.strip().rstrip(".!?").split())
    bare = _LEADING_WORDS.sub("", cleaned)
    if not bare:
        return None
    try:
        direct = _bare_date(bare, ctx)
    except (ValueError, OverflowError):
        return None
    if direct is not None:
        return direct
    for candidate in (cleaned, "by " + bare):
        found = find_deadline(candidate, meeting_date=today, meetings=meetings)
        if found is not None and found.date is not None:
            return found.date
        if found is not None and found.kind in {"meeting", "unresolved", "asap", "ongoing"}:
            return None
    return _dateparser(bare, today) if len(bare) <= 40 and today.year < 9999 else None
