"""The seed CSP documents extract completely: every action, its owners and its deadline."""

from __future__ import annotations

import datetime as dt

from handlers.extraction import ExtractedAction, extract_actions

JUNE_CSP = dt.date(2018, 6, 19)


def _rows(found: list[ExtractedAction]) -> list[tuple[object, ...]]:
    return [(a.line, a.text, a.owners, a.due_text, a.due_date, a.recurring, a.restricted,
             a.due_unresolved) for a in found]  # fmt: skip


def test_seed_000_every_action_line_by_line(seed_000: str) -> None:
    found = extract_actions(seed_000, meeting_date=dt.date(2018, 3, 20), meetings=[JUNE_CSP])
    assert _rows(found) == [
        (34, "Jade Hodgson to add emerging trends section to the CSP Subgroup reports.",
         ("Jade Hodgson",), None, None, None, False, False),
        (36, "Angie Fuller to invite John Poynton from Red Thread to future CSP to bring some "
             "learning to members of the board.",
         ("Angie Fuller",), None, None, None, False, False),
        (38, "Jonathon Toy, Fiona Taylor, Rita Chadha, Chris Bush and Teresa DeVito to meet to "
             "discuss prevent.",
         ("Jonathon Toy", "Fiona Taylor", "Rita Chadha", "Chris Bush", "Teresa DeVito"),
         None, None, None, False, False),
        (40, "Fiona Taylor to liaise with Pat Hayes and Jenny Coombes with regards to a Be First "
             "rep on the CSP board.",
         ("Fiona Taylor",), None, None, None, False, False),
        (46, "Jade Hodgson to add trauma informed health intervention model to agenda for June "
             "CSP.",
         ("Jade Hodgson",), "for June CSP", JUNE_CSP, None, False, False),
        (48, "Fiona Taylor to liaise with chairs of SAB and LSCB so information is not missed "
             "between the boards.",
         ("Fiona Taylor",), None, None, None, False, False),
        (54, "Fiona Taylor to liaise with Tom Hook around potentially having the insight team to "
             "look into reasons of under reporting locally.",
         ("Fiona Taylor",), None, None, None, False, False),
        (56, "Jade Hodgson, Jonathon Toy and Dan James to make amendments to the assessment and "
             "circulate to members.",
         ("Jade Hodgson", "Jonathon Toy", "Dan James"), None, None, None, False, False),
    ]  # fmt: skip


def test_seed_000_june_csp_without_a_june_meeting_is_kept_but_unresolved(seed_000: str) -> None:
    found = extract_actions(seed_000, meeting_date=dt.date(2018, 3, 20),
                            meetings=[dt.date(2018, 7, 17)])
    june = [a for a in found if a.due_text]
    assert [(a.line, a.due_text, a.due_date, a.due_unresolved) for a in june] == [
        (46, "for June CSP", None, True)
    ]


def test_seed_000_invents_no_dates(seed_000: str) -> None:
    """'Potential to publish in May 2018', 'Brexit' and feedback bullets are not deadlines."""
    found = extract_actions(seed_000, meeting_date=dt.date(2018, 3, 20), meetings=[JUNE_CSP])
    assert [a.due_date for a in found if a.due_date] == [JUNE_CSP]
    assert not any("Brexit" in a.text or "May 2018" in a.text for a in found)


def test_seed_001_every_action_line_by_line(seed_001: str) -> None:
    found = extract_actions(seed_001, meeting_date=dt.date(2018, 9, 18))
    assert _rows(found) == [
        (26, "Work plans for each sub group to be sorted between now and end of month and the end "
             "report to contain activity.",
         (), "between now and end of month", dt.date(2018, 9, 30), None, False, False),
        # The second sentence continues the action; Steve Thompson is consulted, not an owner.
        (35, "Penny Pyke to set up meeting dates for the rest of the year. Dates to be run past "
             "Steve Thompson before being sent out.",
         ("Penny Pyke",), None, None, None, False, False),
        # Penny Pyke and Tim Barfoot are discussed with; "Stephen Norman to be involved" is part
        # of the same membership action (he is to be involved, he is not given a task).
        (44, "Matthew Cole to discuss membership with Penny Pyke and Tim Barfoot outside of the "
             "meeting for handover. Stephen Norman to be involved in the Group.",
         ("Matthew Cole",), None, None, None, False, False),
        (90, "Rita Chadha to facilitate an independent advice sector representative to attend the "
             "managing offenders sub group.",
         ("Rita Chadha",), None, None, None, False, False),
        # Passive first sentence; the owner comes from the next ("Matthew Cole will chair").
        (106, "6-weekly tension monitoring meetings to be put into diaries. Matthew Cole will "
              "chair these meetings going forward.",
         ("Matthew Cole",), None, None, "6-weekly", False, False),
        (126, "Dan James to liaise with Vikki Rix around data resources.",
         ("Dan James",), None, None, None, False, False),
    ]  # fmt: skip


def test_seed_001_narrative_is_not_mistaken_for_actions(seed_001: str) -> None:
    """'Hate Crime Strategy had expired in March 2017', 'Brexit was on the agenda', the Chair's
    requests and the VAWG 'next meeting is being held on the 3rd October' are not actions."""
    found = extract_actions(seed_001, meeting_date=dt.date(2018, 9, 18))
    assert {a.line for a in found} == {26, 35, 44, 90, 106, 126}


def test_seed_001_without_a_meeting_date_relative_deadlines_have_no_date(seed_001: str) -> None:
    first = extract_actions(seed_001)[0]
    assert (first.due_text, first.due_date, first.due_unresolved) == (
        "between now and end of month", None, True)


def test_seed_004_table_rows_are_owned_by_organisations(seed_004: str) -> None:
    found = extract_actions(seed_004, meeting_date=dt.date(2010, 3, 23))
    assert [(a.line, a.owners) for a in found] == [
        (18, ("Police",)),
        (19, ("SBC",)),
        (20, ("Police",)),
        (21, ("A&E",)),
        (22, ("SBC",)),
        (23, ("JSU",)),
        (24, ("Court",)),
        (25, ("SBC", "Police", "Probation")),
        (26, ("SBC",)),
        (27, ("SBC",)),
    ]
    assert found[0].text == (
        "Police to ensure that the importance of recoding victim ethnicity is reiterated to all "
        "staff."
    )
    assert found[6].text == "Work throughout the year to try and secure a source of data"
    assert all(a.due_text is None for a in found)
