"""A long owner list is kept whole: no owner is ever dropped for being one too many."""

from __future__ import annotations

from handlers.extraction import extract_actions

SURNAMES = ["Taylor", "Hook", "Pyke", "Cole", "Fuller", "Barfoot", "Tillett", "Chadha", "Williams",
            "James", "Rix", "Norman", "Thompson", "Hodgson", "Bush", "DeVito", "Toy", "Hayes",
            "Coombes", "Poynton"]


def test_nine_owners_are_all_kept() -> None:
    names = [f"{first} {last}" for first, last in zip(
        ["Fiona", "Tom", "Sarah", "James", "Aisha", "Mohammed", "Claire", "David", "Priya"],
        SURNAMES, strict=False)]
    text = f"ACTION: {', '.join(names[:-1])} and {names[-1]} to review the plan."
    [action] = extract_actions(text)
    assert action.owners == tuple(names)


def test_twenty_owners_are_all_kept() -> None:
    names = [f"Alex {last}" for last in SURNAMES]
    text = f"ACTION: {', '.join(names[:-1])} and {names[-1]} to attend the workshop by 30 June."
    [action] = extract_actions(text)
    assert action.owners == tuple(names)
