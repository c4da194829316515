"""Resolving written owners against the member directory, without ever guessing."""

from __future__ import annotations

import pytest

from handlers.owners import MemberInfo, OwnerMatch, resolve_owner, resolve_owners

MEMBERS = [
    MemberInfo(1, "Rita Chadha", organisation="Council", roles=("lead",)),
    MemberInfo(2, "Jonathan Toy", aliases=("Jon Toy",), organisation="Council"),
    MemberInfo(3, "Fiona Taylor", organisation="Council", roles=("chair",)),
    MemberInfo(4, "Dan James", initials="DJ", organisation="Council", roles=("analyst",)),
    MemberInfo(5, "Andrew Jenkinson", aliases=("Andy Jenkinson",), roles=("councillor",)),
    MemberInfo(6, "Mark Scotchbrook", organisation="Police"),
    MemberInfo(7, "Alison Richardson", roles=("vice chair",)),
    MemberInfo(8, "Malcolm Grief"),
    MemberInfo(9, "Nicola Cooper", initials="NC", roles=("clerk", "secretary")),
    MemberInfo(10, "Lindsay Goward", roles=("clerk",)),
    MemberInfo(11, "Dave Horkan", initials="DHO", organisation="Police"),
    MemberInfo(12, "Jade Hodgson"),
    MemberInfo(13, "Jane Hodgson"),
]


def _status(written: str) -> tuple[str, int | None, tuple[int, ...]]:
    found = resolve_owner(written, MEMBERS)
    assert found.written == written
    return found.status, found.member_id, found.candidates


@pytest.mark.parametrize(
    ("written", "member"),
    [
        ("Rita Chadha", 1),
        ("  rita   CHADHA. ", 1),
        ("Jon Toy", 2),
        ("Jonathon Toy", 2),
        ("RC", 1),
        ("R.C.", 1),
        ("DJ", 4),
        ("DHO", 11),
        ("Cllr Jenkinson", 5),
        ("Cllr. A. Jenkinson", 5),
        ("Supt Scotchbrook", 6),
        ("Miss Richardson", 7),
        ("M. Grief", 8),
        ("Fiona Taylor MP", 3),
        ("The Chair", 3),
        ("chair", 3),
        ("Vice-Chair", 7),
        ("Secretary", 9),
        ("the analyst", 4),
    ],
)
def test_matched(written: str, member: int) -> None:
    assert _status(written) == ("matched", member, ())


@pytest.mark.parametrize(
    ("written", "candidates"),
    [
        ("Clerk", (9, 10)),           # two members hold the role
        ("The parish clerk", (9, 10)),
        ("Hodgson", (12, 13)),         # two surnames alike
        ("J. Hodgson", (12, 13)),
        ("Jade Hodgsen", (12, 13)),    # near both Jade and Jane Hodgson
    ],
)  # fmt: skip
def test_ambiguous_never_guessed(written: str, candidates: tuple[int, ...]) -> None:
    status, member, found = _status(written)
    assert (status, member) == ("ambiguous", None)
    assert set(found) == set(candidates)


@pytest.mark.parametrize("written", ["Tom Hook", "XY", "Treasurer", "", "   ", "Zebedee"])
def test_unknown(written: str) -> None:
    assert _status(written) == ("unknown", None, ())


@pytest.mark.parametrize(
    ("written", "candidates"),
    [
        ("All members", ()),
        ("Board", ()),
        ("the Partnership", ()),
        ("Councillors", ()),
        ("Police", (6, 11)),
        ("A&E", ()),
        ("SBC", ()),
    ],
)
def test_collective(written: str, candidates: tuple[int, ...]) -> None:
    assert _status(written) == ("collective", None, candidates)


def test_resolve_owners_keeps_order() -> None:
    found = resolve_owners(["Fiona Taylor", "Tom Hook", "Police"], MEMBERS)
    assert found == [
        OwnerMatch("Fiona Taylor", "matched", member_id=3),
        OwnerMatch("Tom Hook", "unknown"),
        OwnerMatch("Police", "collective", candidates=(6, 11)),
    ]


def test_an_empty_directory_matches_nobody() -> None:
    assert resolve_owner("Rita Chadha", []) == OwnerMatch("Rita Chadha", "unknown")
    assert resolve_owner("The Chair", []) == OwnerMatch("The Chair", "unknown")
