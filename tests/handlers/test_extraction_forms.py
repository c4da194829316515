"""The ways minutes and chat write actions, owners and non-actions."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from handlers.extraction import ExtractedAction, extract_actions

MEETING = dt.date(2018, 9, 18)  # a Tuesday
NEXT = dt.date(2018, 11, 20)


def _all(text: str) -> list[ExtractedAction]:
    return extract_actions(text, meeting_date=MEETING, meetings=[NEXT])


def _one(text: str) -> ExtractedAction:
    found = _all(text)
    assert len(found) == 1, [a.text for a in found]
    return found[0]


@pytest.mark.parametrize(
    "text",
    [
        "ACTION: Fiona Taylor to liaise with Tom Hook by end of month",
        "Action:Fiona Taylor to liaise with Tom Hook by end of month",
        "Actions: Fiona Taylor to liaise with Tom Hook by end of month",
        "ACTION:  Fiona Taylor to liaise with Tom Hook by end of month",
        "action - Fiona Taylor to liaise with Tom Hook by end of month",
        "**ACTION:** Fiona Taylor to liaise with Tom Hook by end of month",
        "• ACTION – Fiona Taylor to liaise with Tom Hook by end of month",
        "1. ACTION: Fiona Taylor to liaise with Tom Hook by end of month",
        "- Fiona Taylor to liaise with Tom Hook by end of month",
        "Fiona Taylor to liaise with Tom Hook by end of month.",
        "ACTION: Fiona Taylor to liaise with Tom Hook\nby end of month",
    ],
)
def test_action_prefixes_bullets_and_plain_sentences(text: str) -> None:
    action = _one(text)
    assert action.text.startswith("Fiona Taylor to liaise with Tom Hook by end of month")
    assert (action.owners, action.due_text, action.due_date) == (
        ("Fiona Taylor",), "by end of month", dt.date(2018, 9, 30))
    assert action.line == 1


@pytest.mark.parametrize(
    ("text", "owners"),
    [
        ("Miss Richardson agreed to chase this up.", ("Miss Richardson",)),
        ("The DEFRA information is still awaited - M. Grief volunteered to deal with this.",
         ("M. Grief",)),
        ("Cllr Storey will contact Highways about road sweeping.", ("Cllr Storey",)),
        ("It was agreed that AR, CC and the clerk would meet to map the paths.",
         ("AR", "CC", "the clerk")),
        ("The Parish Council agreed that the Clerk would investigate the bill.", ("the Clerk",)),
        ("Clerk gave details of two meetings, CC agreed she would attend.", ("CC",)),
        ("RESOLVED: That the Locum Clerk to liaise with Helen Carrier.", ("the Locum Clerk",)),
        ("The Chair asked RC to circulate the paper.", ("RC",)),
        ("Members were asked to send comments to Jade.", ("Members",)),
        ("The boxes are to be tackled by the Clerk.", ("the Clerk",)),
        ("Highways to be asked to provide one.", ()),
        ("W.N.B.C. Planning Protocol - clerk to contact the Authority via telephone.", ("clerk",)),
        ("A new surface is needed: Clerk to contact NPFA for advice.", ("Clerk",)),
        ("(Clerk to highlight this to the George and Dragon)", ("Clerk",)),
        ("Update the risk register. Action: FT", ("FT",)),
        ("The TOR will be revised and circulated (Action: Fiona Taylor).", ("Fiona Taylor",)),
        ("Revise the TOR. Action by: Rita Chadha", ("Rita Chadha",)),
        ("Circulate the revised TOR / Fiona Taylor", ("Fiona Taylor",)),
        ("Action: Parish Clerk arrange meeting with the Miles Brothers and Police.",
         ("Parish Clerk",)),
        ("ACTION: Supt Scotchbrook to brief the board.", ("Supt Scotchbrook",)),
        ("ACTION: Cllr. A. Jenkinson to seek quotes.", ("Cllr. A. Jenkinson",)),
        ("ACTION: The Chair to write to the Home Office.", ("The Chair",)),
        ("ACTION: All members to review the plan.", ("All members",)),
        ("ACTION: Police, SBC and A&E to share the data.", ("Police", "SBC", "A&E")),
        ("ACTION: AR/CC to walk the footpaths.", ("AR", "CC")),
        ("ACTION: Fiona Taylor & Rita Chadha to meet.", ("Fiona Taylor", "Rita Chadha")),
        ("ACTION: Work plans for each sub group to be sorted.", ()),
        ("ACTION: Continue to monitor ASB hotspots.", ()),
        ("ACTION: FT - circulate the TOR by Friday", ("FT",)),
        ("Action: Fiona Taylor: circulate the TOR", ("Fiona Taylor",)),
        ("ACTION: Fiona to send the report.", ("Fiona",)),
        ("ACTION: Report to be completed by Dan James.", ("Dan James",)),
    ],
)  # fmt: skip
def test_owner_forms(text: str, owners: tuple[str, ...]) -> None:
    assert _one(text).owners == owners


@pytest.mark.parametrize(
    ("text", "owners"),
    [
        # contacted / liaised with / sent to / invited: not owners
        ("ACTION: Fiona Taylor to liaise with Pat Hayes and Jenny Coombes.", ("Fiona Taylor",)),
        ("ACTION: Clerk to invoice S&SC and Cllr Jenkinson as above.", ("Clerk",)),
        ("Clerk to send a letter to Mr and Mrs Ryan, Mrs Markwell and Mr and Mrs Ratsey.",
         ("Clerk",)),
        ("ACTION: Angie Fuller to invite John Poynton from Red Thread to future CSP.",
         ("Angie Fuller",)),
        ("Action: Parish Clerk to write to Denver School in consultation with Richard French",
         ("Parish Clerk",)),
        ("ACTION: Cllr Eglington to arrange internal finance audit with the Clerk.",
         ("Cllr Eglington",)),
    ],
)  # fmt: skip
def test_people_only_contacted_are_not_owners(text: str, owners: tuple[str, ...]) -> None:
    assert _one(text).owners == owners


def test_an_action_by_marker_with_a_date() -> None:
    found = _all("Circulate the revised TOR to members. Action by: FT, 30 November\n\n"
                 "The Clerk will write to Highways.\nAction by: Clerk by Friday")
    assert [(a.text, a.owners, a.due_text, a.due_date) for a in found] == [
        ("Circulate the revised TOR to members.", ("FT",), "30 November",
         dt.date(2018, 11, 30)),
        ("The Clerk will write to Highways.", ("Clerk",), "by Friday", dt.date(2018, 9, 21)),
    ]


def test_five_owners_in_order() -> None:
    action = _one("ACTION: Jonathon Toy, Fiona Taylor, Rita Chadha, Chris Bush and Teresa DeVito "
                  "to meet to discuss prevent.")
    assert action.owners == ("Jonathon Toy", "Fiona Taylor", "Rita Chadha", "Chris Bush",
                             "Teresa DeVito")


def test_one_line_with_several_actions_is_split() -> None:
    found = _all("ACTIONS: Councillors to provide relevant emails and Clerk to respond within "
                 "the 20 working day timeframe. Cllr Pointeer to contact householders.")
    assert [(a.text, a.owners, a.due_text) for a in found] == [
        ("Councillors to provide relevant emails", ("Councillors",), None),
        ("Clerk to respond within the 20 working day timeframe.", ("Clerk",),
         "within the 20 working day timeframe"),
        ("Cllr Pointeer to contact householders.", ("Cllr Pointeer",), None),
    ]  # fmt: skip


def test_a_second_sentence_without_a_new_owner_continues_the_action() -> None:
    action = _one("Action: The parish clerk to send comments on the plans. To comment that the "
                  "PC are unhappy with the storage height.")
    assert action.owners == ("The parish clerk",)
    assert action.text.endswith("unhappy with the storage height.")


def test_actions_mid_line_and_after_an_embedded_heading() -> None:
    text = ("intro\nACTION: Cllr Pointeer to discuss positioning as soon as possible. 15. PARISH "
            "COUNCIL NOTICEBOARDS These have not yet been received. ACTION: Clerk to follow up.\n"
            "ACTIONS: Clerk to update budget. Clerk to update asset register 21. ITEMS FOR "
            "AGENDA OF NEXT MEETING: Benches (Cllr Jenkinson), signs (Cllr Leet)")
    found = _all(text)
    assert [(a.line, a.text, a.due_text) for a in found] == [
        (2, "Cllr Pointeer to discuss positioning as soon as possible.", "as soon as possible"),
        (2, "Clerk to follow up.", None),
        (3, "Clerk to update budget.", None),
        (3, "Clerk to update asset register", None),
    ]  # fmt: skip
    assert found[0].due_date is None and not found[0].due_unresolved  # ASAP is understood


def test_a_bare_clerk_to_action_takes_the_sentence_it_refers_to() -> None:
    found = _all("i) Agreed minutes need to again be distributed to Pump.\n\nClerk to action")
    assert [(a.line, a.text, a.owners) for a in found] == [
        (1, "Agreed minutes need to again be distributed to Pump. Clerk to action", ("Clerk",)),
    ]


def test_a_narrative_restated_as_an_action_line_is_kept_once() -> None:
    text = ("Cllr Storey will contact Highways about this.\n\n"
            "ACTIONS: Cllr Storey to contact Highways about road sweeping.")
    assert [a.text for a in _all(text)] == [
        "Cllr Storey to contact Highways about road sweeping."]


def test_the_same_action_under_two_items_is_kept_twice() -> None:
    text = ("16. PLAYGROUND ACTION: Clerk to get two more estimates.\n\n"
            "17. CEMETERY ACTION: Clerk to get two more estimates.")
    assert [a.line for a in _all(text)] == [1, 3]


@pytest.mark.parametrize(
    "text",
    [
        "Action: None",
        "8. Action: None",
        "ACTIONS: nil",
        "No action required.",
        "No further action.",
        "Actions from the last meeting were reviewed.",
        "The actions from the Allotment meeting of 28th June were considered and agreed.",
        "Action 1.0 Welcome, Introductions and apologies",
        "Feedback on priorities:",
        "It was agreed that no action to change the numbers would be taken.",
        "The PC agreed not to assist as the policy is only to support local charities.",
        "It was agreed that the Councillors would wait for these.",
        "Minutes will be signed at the next meeting.",
        "AR has requested a copy of the relevant forms from the BC legal department.",
        "Bank has yet to action the changing of addresses and signatories on accounts.",
        "Members will recall that the assessment was presented at our last meeting.",
        "ACTION: Clerk to write to NCC - done",
        "Items for next agenda: Risk Assessments (Cllr Eglington), Benches (Cllr Jenkinson)",
        "Rita Chadha reported that the Hate Crime Strategy had expired in March 2017.",
        "Potential to publish in May 2018. Work up action plan to come a future board.",
        "on this occasion Highways agreed to help.",
        "(Adjourned: Mr B said the Miles brothers have agreed to attend a PC meeting.)",
        "",
    ],
)
def test_lines_that_look_like_actions_but_are_not(text: str) -> None:
    assert _all(text) == []


def test_the_next_meetings_agenda_is_not_actions() -> None:
    text = ("Action: Clerk to contact NCC for removal\n\nAGENDA\n\n4. Matters Arising - review of "
            "action points\n\nii) Proposed public meeting to confirm arrangements\n\n"
            "iii) Cllr Leet to report on signs")
    assert [a.text for a in _all(text)] == ["Clerk to contact NCC for removal"]


def test_an_actions_heading_makes_the_list_below_it_actions() -> None:
    text = ("Actions\n- Fiona to send the report by Friday\n- Update the risk register (ongoing)\n"
            "Thanks all")
    found = _all(text)
    assert [(a.line, a.text, a.owners, a.due_text, a.due_date) for a in found] == [
        (2, "Fiona to send the report by Friday", ("Fiona",), "by Friday", dt.date(2018, 9, 21)),
        (3, "Update the risk register (ongoing)", (), "(ongoing)", None),
    ]  # fmt: skip
    assert found[1].due_unresolved is False


@pytest.mark.parametrize(
    ("text", "due_text", "due_date", "unresolved"),
    [
        ("ACTION: Jade to book the room ASAP", "ASAP", None, False),
        ("ACTION: Jade to book the room w/c 5 March", "w/c 5 March", dt.date(2019, 3, 5), False),
        ("ACTION: Jade to book the room by 14/3", "by 14/3", dt.date(2019, 3, 14), False),
        ("ACTION: Jade to report before the next meeting", "before the next meeting", NEXT,
         False),
        ("ACTION: Jade to report at the May meeting", "at the May meeting", None, True),
        ("ACTION: Jade to report by November 2019", "by November 2019", None, True),
        ("ACTION: Jade to report within two weeks", "within two weeks", dt.date(2018, 10, 2),
         False),
        ("ACTION: Jade to update on Brexit for March Ltd", None, None, False),
    ],
)  # fmt: skip
def test_deadlines_in_actions(text: str, due_text: str | None, due_date: dt.date | None,
                              unresolved: bool) -> None:
    action = _one(text)
    assert (action.due_text, action.due_date, action.due_unresolved) == (
        due_text, due_date, unresolved)


def test_recurring_and_restricted_actions() -> None:
    found = _all("ACTION: 6-weekly tension monitoring meetings to be put into diaries.\n"
                 "RESTRICTED: Supt Scotchbrook to brief the chair on Operation X by Monday.\n"
                 "ACTION: Clerk to check the monthly play area checklist [Confidential]")
    assert [(a.recurring, a.restricted) for a in found] == [
        ("6-weekly", False), (None, True), ("monthly", True)]
    assert found[1].text == "Supt Scotchbrook to brief the chair on Operation X by Monday."


def test_a_restricted_part_of_the_minutes_marks_its_actions() -> None:
    text = ("PART B - CONFIDENTIAL\n\nACTION: Clerk to brief the Chair.\n\n"
            "Open session\n\nACTION: Clerk to publish the minutes.")
    assert [(a.text, a.restricted) for a in _all(text)] == [
        ("Clerk to brief the Chair.", True), ("Clerk to publish the minutes.", False)]


@pytest.mark.parametrize(
    "table",
    [
        "Ref | Action | Owner | Due\n|---|---|---|---|\n1 | Draft the strategy | Rita Chadha | "
        "30 June\n2 | Book venue | Clerk | TBC\n3 | Close old account | Treasurer | Done",
        "Ref\tAction\tLead\tDue\tStatus\nA1\tDraft the strategy\tRita Chadha\t30 June\tOpen\n"
        "A2\tBook venue\tClerk\t\tOpen\nA3\tClose old account\tTreasurer\t1/8/18\tComplete",
        "Ref    Action                 Owner          Due\n"
        "1      Draft the strategy     Rita Chadha    30 June\n"
        "2      Book venue             Clerk          TBC",
    ],
    ids=["pipes", "tabs", "spaces"],
)
def test_action_log_tables(table: str) -> None:
    found = _all(table)
    assert [(a.text, a.owners, a.due_text, a.due_date) for a in found] == [
        ("Draft the strategy", ("Rita Chadha",), "30 June", dt.date(2019, 6, 30)),
        ("Book venue", ("Clerk",), None, None),
    ]
    assert [a.line for a in found] == ([3, 4] if table.startswith("Ref |") else [2, 3])


def test_a_table_row_without_a_header() -> None:
    action = _one("Minutes of previous meeting agreed, signed and filed by FRE. | DHO | 2/8/13")
    assert (action.owners, action.due_text, action.due_date) == (
        ("DHO",), "2/8/13", dt.date(2013, 8, 2))


def test_to_json() -> None:
    action = _one("ACTION: Jade Hodgson to add the model to agenda for June CSP.")
    assert action.to_json() == {
        "text": "Jade Hodgson to add the model to agenda for June CSP.",
        "owners": ["Jade Hodgson"],
        "due_text": "for June CSP",
        "due_date": None,
        "line": 1,
        "recurring": None,
        "restricted": False,
        "due_unresolved": True,
    }
    dated = extract_actions("ACTION: Jade to report by 30 June", meeting_date=MEETING)[0]
    assert dated.to_json()["due_date"] == "2019-06-30"


def test_invisible_characters_do_not_hide_an_action() -> None:
    action = _one("\u202e\u200bACTION: Tom Hook to report by Friday")
    assert (action.text, action.owners) == ("Tom Hook to report by Friday", ("Tom Hook",))


def test_windows_line_endings_keep_line_numbers() -> None:
    found = _all("Minutes\r\n\r\nACTION: Clerk to chase.\r\nACTION: Chair to sign.")
    assert [(a.line, a.owners) for a in found] == [(3, ("Clerk",)), (4, ("Chair",))]


def test_the_package_imports_no_chat_platform_or_store() -> None:
    code = (
        "import sys, handlers.extraction, handlers.dates, handlers.documents, handlers.owners\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in {'slack_bolt', 'slack_sdk', "
        "'botbuilder', 'aiohttp', 'apscheduler', 'bot', 'store'}]\n"
        "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""


CSP_MINUTES = """Safer Borough Partnership – Minutes of meeting held 12 March 2024

Present: Fiona Taylor (Chair), Rita Chadha, DI Sarah Khan, Tom Hook (Secretary)

1. Minutes and matters arising
The minutes of the last meeting were agreed. Actions from the last meeting were reviewed: A-12
complete, A-14 ongoing.

2. Knife crime
DI Khan reported a 12% fall in knife crime since January. The Chair thanked the police.
ACTION: DI Sarah Khan to share the hotspot map with partners by 29 March.
Members agreed that the weapons sweep should be repeated in the summer holidays.
Tom Hook will circulate the revised terms of reference before the next meeting.

3. Prevent
Rita Chadha agreed to lead a review of prevent referrals and report back at the June meeting.
It was agreed that the Secretary would write to the Home Office.

Actions
- RC to book the venue for the conference (w/c 15 April)
- Update the risk register / Tom Hook
- All members to send comments on the strategy within two weeks

4. Any other business
None.

Date of next meeting: 11 June 2024
"""


def test_a_csp_meeting_from_start_to_finish() -> None:
    found = extract_actions(CSP_MINUTES, meeting_date=dt.date(2024, 3, 12),
                            meetings=[dt.date(2024, 6, 11)])
    assert [(a.line, a.text, a.owners, a.due_text, a.due_date) for a in found] == [
        (11, "DI Sarah Khan to share the hotspot map with partners by 29 March.",
         ("DI Sarah Khan",), "by 29 March", dt.date(2024, 3, 29)),
        (13, "Tom Hook will circulate the revised terms of reference before the next meeting.",
         ("Tom Hook",), "before the next meeting", dt.date(2024, 6, 11)),
        (16, "Rita Chadha agreed to lead a review of prevent referrals and report back at the "
             "June meeting.",
         ("Rita Chadha",), "at the June meeting", dt.date(2024, 6, 11)),
        (17, "It was agreed that the Secretary would write to the Home Office.",
         ("the Secretary",), None, None),
        (20, "RC to book the venue for the conference (w/c 15 April)",
         ("RC",), "w/c 15 April", dt.date(2024, 4, 15)),
        (21, "Update the risk register", ("Tom Hook",), None, None),
        (22, "All members to send comments on the strategy within two weeks",
         ("All members",), "within two weeks", dt.date(2024, 3, 26)),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "line",
    [
        "RESTRICTED ACTION: Tom Hook to share the MARAC list by 30 June",
        "ACTION (RESTRICTED): Tom Hook to share the MARAC list by 30 June",
        "Action [confidential] - Tom Hook to share the MARAC list by 30 June",
        "CONFIDENTIAL - ACTION: Tom Hook to share the MARAC list by 30 June",
    ],
)
def test_a_flag_beside_the_action_marker_restricts_it_and_is_not_part_of_the_text(
    line: str,
) -> None:
    action = _one(line)
    assert (action.text, action.owners, action.restricted) == (
        "Tom Hook to share the MARAC list by 30 June", ("Tom Hook",), True)
