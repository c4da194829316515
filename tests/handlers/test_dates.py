"""The deadline normaliser: every phrase minutes use, and words that only look like dates."""

from __future__ import annotations

import datetime as dt

import pytest

from handlers.dates import Deadline, find_deadline, parse_date_phrase

MEETING = dt.date(2018, 3, 20)  # a Tuesday
CALENDAR = [dt.date(2018, 3, 20), dt.date(2018, 5, 15), dt.date(2018, 6, 19)]


def _find(sentence: str, meeting: dt.date | None = MEETING) -> Deadline | None:
    return find_deadline(sentence, meeting_date=meeting, meetings=CALENDAR)


@pytest.mark.parametrize(
    ("sentence", "text", "date", "kind"),
    [
        ("Clerk to circulate by end of month", "by end of month", dt.date(2018, 3, 31),
         "relative"),
        ("Clerk to circulate by the end of the month", "by the end of the month",
         dt.date(2018, 3, 31), "relative"),
        ("Work plans to be sorted between now and end of month and the report to follow",
         "between now and end of month", dt.date(2018, 3, 31), "relative"),
        ("Plan in place by end of April 2024", "by end of April 2024", dt.date(2024, 4, 30),
         "date"),
        ("DHO to submit request by end January.", "by end January", dt.date(2019, 1, 31), "date"),
        ("Jade to book the room w/c 5 March", "w/c 5 March", dt.date(2019, 3, 5), "date"),
        ("Jade to book the room week commencing 26 March", "week commencing 26 March",
         dt.date(2018, 3, 26), "date"),
        ("Fiona to reply by Friday", "by Friday", dt.date(2018, 3, 23), "relative"),
        ("Fiona to reply by next Friday", "by next Friday", dt.date(2018, 3, 30), "relative"),
        ("Fiona to reply within two weeks", "within two weeks", dt.date(2018, 4, 3), "relative"),
        ("Fiona to reply within 10 working days", "within 10 working days",
         dt.date(2018, 4, 3), "relative"),
        ("Clerk to send it by 14/3", "by 14/3", dt.date(2019, 3, 14), "date"),
        ("Clerk to send it by 24/3", "by 24/3", dt.date(2018, 3, 24), "date"),
        ("Minutes to be signed off on 2/8/13", "on 2/8/13", dt.date(2013, 8, 2), "date"),
        ("Dan to report by 3rd October", "by 3rd October", dt.date(2018, 10, 3), "date"),
        ("Cllr Summers will attend the meeting on Friday 14 December",
         "on Friday 14 December", dt.date(2018, 12, 14), "date"),
        ("Advert on the website for the 10 March deadline", "for the 10 March deadline",
         dt.date(2019, 3, 10), "date"),
        ("Councillors to send emails by the end of the week (9th April)",
         "by the end of the week (9th April)", dt.date(2018, 4, 9), "date"),
        ("Parish Clerk to get more details before the next meeting", "before the next meeting",
         dt.date(2018, 5, 15), "meeting"),
        ("To be tackled prior to the next meeting where possible",
         "prior to the next meeting where possible", dt.date(2018, 5, 15), "meeting"),
        ("Add the model to agenda for June CSP.", "for June CSP", dt.date(2018, 6, 19),
         "meeting"),
        ("Clerk to report at the May meeting", "at the May meeting", dt.date(2018, 5, 15),
         "meeting"),
        ("Clerk to put it on the May agenda", "on the May agenda", dt.date(2018, 5, 15),
         "meeting"),
        ("Quotes for discussion at the May meeting", "for discussion at the May meeting",
         dt.date(2018, 5, 15), "meeting"),
        ("Add this to the agenda for June’s meeting", "for June’s meeting",
         dt.date(2018, 6, 19), "meeting"),
        ("Jade to book the room ASAP", "ASAP", None, "asap"),
        ("Cllr Pointeer to contact Cllr Gillet as soon as possible to confirm",
         "as soon as possible", None, "asap"),
        ("Checks on data quality (ongoing)", "(ongoing)", None, "ongoing"),
        ("Checks on data quality - ongoing", "ongoing", None, "ongoing"),
        ("DHO to file for review at AGM", "at AGM", None, "meeting"),
        ("Report due by November 2012", "by November 2012", None, "unresolved"),
        ("The Clerk to chase up in a couple of weeks.", "in a couple of weeks", None,
         "unresolved"),
        ("Clerk to respond within the 20 working day timeframe.",
         "within the 20 working day timeframe", None, "unresolved"),
        ("Fiona to reply by tomorrow", "by tomorrow", dt.date(2018, 3, 21), "relative"),
    ],
)  # fmt: skip
def test_deadline_phrases(sentence: str, text: str, date: dt.date | None, kind: str) -> None:
    assert _find(sentence) == Deadline(text, date, kind)


def test_a_month_meeting_missing_from_the_calendar_is_kept_without_a_date() -> None:
    found = find_deadline("Add the model to agenda for July CSP.", meeting_date=MEETING,
                          meetings=CALENDAR)
    assert found == Deadline("for July CSP", None, "meeting")
    assert find_deadline("Report before the next meeting", meeting_date=dt.date(2018, 6, 19),
                         meetings=CALENDAR) == Deadline("before the next meeting", None, "meeting")


@pytest.mark.parametrize(
    "sentence",
    [
        "Brexit and its implications need to be included",
        "Dan James to update on the March Ltd contract",
        "May Smith to circulate the paper",
        "Members may wish to comment",
        "Rita Chadha reported that the Hate Crime Strategy had expired in March 2017.",
        "AR held a meeting with the Footpaths Officer on the 22nd July 2008.",
        "The inaugural meeting was held in July.",
        "The Community Safety Plan 2024-2027 was discussed",
        "Section 3.2.1 of the report",
        "Ward 14/00773/LDE planning application",
        "Jade to add emerging trends to the CSP Subgroup reports.",
        "Angie Fuller to invite John Poynton to future CSP",
        "6-weekly tension monitoring meetings to be put into diaries",
        "Penny Pyke to set up meeting dates for the rest of the year.",
        "Matthew Cole will chair these meetings going forward.",
        "",
    ],
)
def test_words_that_are_not_deadlines(sentence: str) -> None:
    assert _find(sentence) is None


@pytest.mark.parametrize(
    ("sentence", "text"),
    [
        ("Potential to publish in May 2018.", "in May 2018"),
        ("Jade to publish the strategy in November", "in November"),
    ],
)
def test_a_month_alone_is_kept_without_inventing_a_day(sentence: str, text: str) -> None:
    assert _find(sentence) == Deadline(text, None, "unresolved")


@pytest.mark.parametrize(
    "sentence",
    ["Clerk to circulate by end of month", "Fiona to reply by Friday", "Report within two weeks",
     "Report before the next meeting", "Add it to agenda for June CSP", "Send it by 30 June",
     "Send it by 14/3"],
)  # fmt: skip
def test_without_a_meeting_date_relative_phrases_have_no_date(sentence: str) -> None:
    found = _find(sentence, meeting=None)
    assert found is not None and found.date is None


def test_without_a_meeting_date_full_dates_still_resolve() -> None:
    assert _find("Send it by 30 June 2018", meeting=None) == Deadline(
        "by 30 June 2018", dt.date(2018, 6, 30), "date")
    assert _find("Send it by 2/8/13", meeting=None) == Deadline(
        "by 2/8/13", dt.date(2013, 8, 2), "date")


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("30 June", dt.date(2018, 6, 30)),
        ("Monday", dt.date(2018, 3, 26)),
        ("until Monday", dt.date(2018, 3, 26)),
        ("snooze until Monday", dt.date(2018, 3, 26)),
        ("2 weeks", dt.date(2018, 4, 3)),
        ("in 3 days", dt.date(2018, 3, 23)),
        ("tomorrow", dt.date(2018, 3, 21)),
        ("end of month", dt.date(2018, 3, 31)),
        ("next meeting", dt.date(2018, 5, 15)),
        ("June CSP", dt.date(2018, 6, 19)),
        ("w/c 5 March", dt.date(2019, 3, 5)),
        ("14/3", dt.date(2019, 3, 14)),
        ("2018-04-01", dt.date(2018, 4, 1)),
        ("by 3rd October", dt.date(2018, 10, 3)),
        ("ASAP", None),
        ("whenever", None),
        ("", None),
    ],
)
def test_parse_date_phrase_for_chat_commands(phrase: str, expected: dt.date | None) -> None:
    assert parse_date_phrase(phrase, today=MEETING, meetings=CALENDAR) == expected


def test_dates_beyond_the_calendar_do_not_break_anything() -> None:
    assert parse_date_phrase("within 999 weeks", today=dt.date(9999, 12, 1)) is None
    late = find_deadline("Tom to report by end of December", meeting_date=dt.date(9999, 12, 30))
    assert late is not None and late.date == dt.date(9999, 12, 31)
    assert find_deadline("Tom to report within 2 months",
                         meeting_date=dt.date(9999, 12, 30)) == Deadline(
        "within 2 months", None, "unresolved")
