"""Hostile and arbitrary text against the extractor, the date normaliser and the document reader.

Whatever arrives (huge messages, control characters, right-to-left marks, mrkdwn, ``<!channel>``,
HTML, SQL, a hundred owners, dates in the year 9999) nothing may raise, the output stays bounded
by the input, and each call finishes within the hypothesis deadline.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile
from collections.abc import Callable

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.dates import find_deadline, parse_date_phrase
from handlers.extraction import ExtractedAction, extract_actions
from tests.trust.strategies import HOSTILE, HUNDRED_NAMES, NAMES, hostile_text

DEADLINE_MS = 2000
FUZZ = settings(
    max_examples=60,
    deadline=DEADLINE_MS,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

meeting_dates = st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)))
meeting_lists = st.lists(st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)), max_size=6)


@pytest.fixture(scope="module", autouse=True)
def _warm_up() -> None:
    """Load the date engine's language data once, outside the timed examples."""
    parse_date_phrase("next Friday", today=dt.date(2026, 3, 1))
    find_deadline("Tom to report by 30 June", meeting_date=dt.date(2026, 3, 1))
    extract_actions("ACTION: Tom Hook to report by 30 June", meeting_date=dt.date(2026, 3, 1))


@FUZZ
@given(sentence=hostile_text, meeting=meeting_dates, meetings=meeting_lists)
def test_find_deadline_never_raises_and_quotes_the_input(
    sentence: str, meeting: dt.date | None, meetings: list[dt.date]
) -> None:
    found = find_deadline(sentence, meeting_date=meeting, meetings=meetings)
    if found is not None:
        assert found.text in sentence
        assert found.date is None or isinstance(found.date, dt.date)


@FUZZ
@given(phrase=hostile_text, today=st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)))
def test_parse_date_phrase_never_raises(phrase: str, today: dt.date) -> None:
    result = parse_date_phrase(phrase, today=today)
    assert result is None or isinstance(result, dt.date)


@pytest.mark.parametrize(
    "phrase",
    ["31/12/9999", "31 December 9999", "end of December 9999", "9999-12-31", "1 Jan 10000",
     "within 999999 weeks", "in 9999 years", "2 weeks after 31/12/9999", "w/c 27 December 9999"],
)  # fmt: skip
def test_dates_at_the_end_of_the_calendar(phrase: str) -> None:
    result = parse_date_phrase(phrase, today=dt.date(2026, 3, 1))
    assert result is None or isinstance(result, dt.date)
    late = find_deadline(f"Tom to report {phrase}", meeting_date=dt.date(9999, 12, 30))
    assert late is None or late.date is None or late.date.year <= 9999


MARKER = re.compile(r"action|resolved", re.IGNORECASE)


def _check_extracted(text: str, found: list[ExtractedAction]) -> None:
    """Bounded by the input: at most one action a line, plus one per extra ACTION:/RESOLVED:
    marker ("ACTION: Tom to ... ACTION: Sue to ..." on one line is two actions), and no text
    longer than what came in."""
    lines = text.splitlines()
    assert len(found) <= len(lines) + len(MARKER.findall(text))
    for action in found:
        assert isinstance(action.text, str) and len(action.text) <= len(text)
        assert 1 <= action.line <= len(lines)
        assert all(isinstance(o, str) and len(o) <= len(text) for o in action.owners)
        assert action.due_text is None or len(action.due_text) <= len(text)
        assert action.due_date is None or isinstance(action.due_date, dt.date)


action_lines = st.lists(
    st.tuples(
        st.sampled_from(["ACTION: ", "Action - ", "", "RESOLVED: ", "* ", "1. ", "| "]),
        st.lists(st.sampled_from(NAMES), min_size=1, max_size=4).map(" and ".join),
        st.sampled_from([" to ", " will ", " agreed to ", " to liaise with "]),
        hostile_text,
    ).map("".join),
    max_size=12,
)
messages = st.one_of(
    hostile_text, action_lines.map("\n".join), st.lists(hostile_text, max_size=8).map("\n".join)
)


@FUZZ
@given(text=messages, meeting=meeting_dates, meetings=meeting_lists)
def test_extractor_never_raises_and_stays_bounded(
    text: str, meeting: dt.date | None, meetings: list[dt.date]
) -> None:
    _check_extracted(text, extract_actions(text, meeting_date=meeting, meetings=meetings))


def _timed(call: Callable[[], object], limit: float = DEADLINE_MS / 1000) -> object:
    started = time.perf_counter()
    result = call()
    assert time.perf_counter() - started < limit
    return result


def test_a_hundred_owners() -> None:
    """One action comes out and its text keeps every name (the owner list itself is capped)."""
    owners = HUNDRED_NAMES
    text = f"ACTION: {', '.join(owners[:-1])} and {owners[-1]} to review the plan by 31/12/9999"
    found = _timed(lambda: extract_actions(text, meeting_date=dt.date(2026, 3, 1)))
    assert isinstance(found, list)
    _check_extracted(text, found)
    assert len(found) == 1
    assert all(name in found[0].text for name in owners)
    assert found[0].due_date == dt.date(9999, 12, 31)


@pytest.mark.parametrize(
    "text",
    [
        "ACTION: Tom Hook to report by Friday\n" * 2000,  # a pasted 2,000-action log
        "x" * 200_000,  # one enormous line
        "Tom Hook to " + "very " * 40_000 + "carefully review it",
        "\n" * 50_000,
        "<!channel> " * 10_000,
        "| Action | Owner | Due |\n|---|---|---|\n" + "| review | Tom Hook | 31/12/9999 |\n" * 999,
        "\u202e" * 10_000 + "ACTION: Tom to do it",
        "ACTION: " + "Tom Hook, " * 5000 + "to report",
    ],
    ids=["2000-actions", "200k-line", "40k-words", "50k-newlines", "10k-channel-pings",
         "1000-row-table", "10k-rtl-marks", "5000-owners"],
)  # fmt: skip
def test_huge_messages_finish_quickly(text: str) -> None:
    found = _timed(lambda: extract_actions(text, meeting_date=dt.date(2026, 3, 1)), limit=10)
    assert isinstance(found, list)
    _check_extracted(text, found)


def _reader() -> tuple[Callable[[bytes, str], str], type[Exception]]:
    documents = pytest.importorskip("handlers.documents")
    return documents.read_document, documents.DocumentError


def _read(data: bytes, filename: str) -> str | None:
    """The document's text, or None when it was refused with a DocumentError (a clean reply)."""
    read_document, refused = _reader()
    try:
        text = read_document(data, filename)
    except refused:
        return None
    assert isinstance(text, str)
    return text


FILENAMES = [
    "minutes.txt", "minutes.md", "minutes.docx", "MINUTES.DOCX", "minutes.doc", "minutes.pdf",
    "minutes.csv", "minutes", ".docx", "../../etc/passwd", "minutes.txt\x00.docx",
    "a" * 300 + ".txt", "<!channel>.txt", "\u202excod.txt", "minutes.tar.gz",
]  # fmt: skip


def _docx(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "ACTION", paragraphs[0]
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@FUZZ
@given(
    data=st.one_of(st.binary(max_size=4000), messages.map(lambda t: t.encode("utf-8", "replace"))),
    filename=st.sampled_from(FILENAMES),
)
def test_read_document_reads_or_refuses_cleanly(data: bytes, filename: str) -> None:
    text = _read(data, filename)
    if text is not None and not filename.lower().endswith(".docx"):
        assert len(text) <= len(data)


XML_HOSTILE = [h for h in HOSTILE + NAMES if all(c >= " " or c in "\t\n" for c in h)]
XML_SAFE = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=60
)


@settings(FUZZ, max_examples=20)  # building each Word file takes a tenth of a second
@given(
    paragraphs=st.lists(st.one_of(st.sampled_from(XML_HOSTILE), XML_SAFE), min_size=1, max_size=15)
)
def test_read_document_on_real_word_files(paragraphs: list[str]) -> None:
    data = _docx(paragraphs)
    text = _read(data, "minutes.docx")
    assert text is not None
    for paragraph in paragraphs:
        for word in paragraph.split():
            if word.isalnum():
                assert word in text
    _check_extracted(text, extract_actions(text, meeting_date=dt.date(2026, 3, 1)))


def test_broken_and_oversized_word_files_are_refused_or_read_quickly() -> None:
    good = _docx(["ACTION: Tom Hook to report by Friday"])
    for data in (good[: len(good) // 2], b"PK\x03\x04" + b"\x00" * 100, b"\xd0\xcf\x11\xe0" * 50):
        assert _timed(lambda d=data: _read(d, "minutes.docx")) is None
    bomb = _docx(["ACTION: Tom Hook to report by Friday", "a" * 5_000_000])
    assert len(bomb) < 100_000  # five million characters squeeze into a small upload
    _timed(lambda: _read(bomb, "minutes.docx"), limit=10)


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_LAUGHS = "".join(f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i else "lol") * 10}">' for i in range(10))
HOSTILE_XML = {
    "billion-laughs": f"<!DOCTYPE d [{_LAUGHS}]><w:document {_W}><w:body><w:p><w:r>"
    "<w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>",
    "external-entity": '<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    f"<w:document {_W}><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>",
}


@pytest.mark.parametrize("body", HOSTILE_XML.values(), ids=HOSTILE_XML.keys())
def test_word_files_with_hostile_xml_expand_nothing(body: str) -> None:
    source = zipfile.ZipFile(io.BytesIO(_docx(["ACTION: Tom Hook to report"])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            part = body.encode() if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item.filename, part)
    text = _timed(lambda: _read(out.getvalue(), "minutes.docx"))
    assert text is None or ("lollol" not in text and "root:" not in text)
