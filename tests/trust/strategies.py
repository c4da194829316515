"""Hostile text for the fuzz suites: what people (and attackers) paste into a chat message.

Shared by the extractor fuzz (test_fuzz.py) and the command fuzz (test_command_fuzz.py).
"""

from __future__ import annotations

from hypothesis import strategies as st

NAMES = ["Fiona Taylor", "Tom Hook", "DI Sarah Khan", "O'Neill", "José Martínez", "李雷", "FT"]
HOSTILE = [
    "<!channel>", "<!here>", "<!everyone>", "<@U024BE7LH>", "<#C123|general>", "@channel",
    "<https://evil.example|click me>", "*bold*", "_italic_", "~strike~", "`code`", "```block```",
    "> quoted", "# Heading", "- [ ] task", "<script>alert(1)</script>", "<b>bold</b>", "&amp;",
    "&lt;!channel&gt;", "'; DROP TABLE actions; --", "\" OR 1=1 --", "%s%s%n", "{0}{1}",
    "\u202e", "\u202d", "\u200f", "\u200e", "\u2066", "\u200b", "\ufeff", "\x00", "\x07",
    "\x1b[31m", "\r", "\t", "\u2028", "\u0301", "🔥", "ACTION:", "Action -", "ACTIONS",
    "RESTRICTED", "to liaise with", " to ", " by ", "and", ",", ";", "/", "(", ")",
    "by 31/12/9999", "31 December 9999", "9999-12-31", "by 29 Feb 2023", "00/00/0000",
    "32/13/2024", "by end of month", "before the next meeting", "for June CSP", "w/c 5 March",
    "within 99999999999 weeks", "in 10**9 days", "by Friday", "ASAP", "ongoing",
    "10 working days", "by 1 Jan 1", "year 0", "by 9999999999",
]  # fmt: skip

FIRST = [
    "Fiona",
    "Tom",
    "Sarah",
    "James",
    "Aisha",
    "Mohammed",
    "Claire",
    "David",
    "Priya",
    "Gareth",
]
LAST = ["Taylor", "Hook", "Khan", "Jones", "Patel", "Evans", "Smith", "Brown", "Wilson", "Hughes"]
HUNDRED_NAMES = [f"{first} {last}" for last in LAST for first in FIRST]

fragments = st.one_of(
    st.sampled_from(HOSTILE + NAMES),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
)


def hostile_texts(max_parts: int = 40) -> st.SearchStrategy[str]:
    """Up to ``max_parts`` hostile fragments and random text, joined by spaces, commas or lines."""
    return st.lists(fragments, max_size=max_parts).flatmap(
        lambda parts: st.sampled_from([" ", "", "\n", ", "]).map(lambda sep: sep.join(parts))
    )


hostile_text = hostile_texts()
