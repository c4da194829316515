"""Chairs and secretaries: assign, due dates, cancel, reopen, the calendar and the digests."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from store import directory
from store.db import transaction
from store.models import ActionOwner, Member
from store.models.actions import CANCELLED, DECLINED, DONE, OPEN
from tests.handlers.conversation_kit import (
    Kit,
    kit_fixture,  # noqa: F401
)
from tests.journeys.partnership import (  # noqa: F401
    partnership_pg_fixture,
    partnership_sessions_fixture,
    partnership_template_fixture,
)

JUNE_30 = dt.date(2026, 6, 30)


def test_assign_by_name_tells_the_new_owner(kit: Kit) -> None:
    ref = kit.add("Send the ASB figures", ["Tom Hook"])
    kit.text("Tom Hook", f"not mine {ref} – wrong team")
    out = kit.say("Fiona Taylor", f"assign {ref} to @Rita Chadha")
    assert f"{ref} is now with Rita Chadha" in out[0].message.summary
    assert any("Fiona Taylor assigned you" in m and ref in m for m in kit.dms(out, "Rita Chadha"))
    owners = kit.action(ref).owners
    assert [(o.written, o.status) for o in owners] == [
        ("Tom Hook", DECLINED),
        ("Rita Chadha", OPEN),
    ]
    assert owners[1].match_status == "assigned" and owners[1].next_chase_at is None
    assert "already owns" in kit.text("Fiona Taylor", f"assign {ref} to Rita Chadha")
    assert kit.audit(ref).count("assigned") == 1


def test_assign_by_slack_mention_replaces_an_unmatched_owner(kit: Kit) -> None:
    with transaction(kit.sessions) as session:
        session.execute(
            update(Member).where(Member.name == "Rita Chadha").values(slack_user_id="U0RITA")
        )
    ref = kit.add("Check the Prevent referrals", ["Police"])
    assert "now with Rita Chadha" in kit.text("Jade Hodgson", f"assign {ref} to <@U0RITA>")
    owners = kit.action(ref).owners
    assert [(o.written, o.status) for o in owners] == [("Police", CANCELLED), ("Rita Chadha", OPEN)]


def test_assign_to_someone_unknown_says_how_to_add_them(kit: Kit) -> None:
    ref = kit.add("Send the ASB figures", ["Tom Hook"])
    assert "don't know anyone called" in kit.text("Fiona Taylor", f"assign {ref} to Nobody Atall")
    assert len(kit.action(ref).owners) == 1


def test_due_date_change_resets_chasing(kit: Kit) -> None:
    ref = kit.add("Send the ASB figures", ["Tom Hook"], due=JUNE_30)
    with transaction(kit.sessions) as session:
        session.execute(
            update(ActionOwner).values(
                next_chase_at=kit.now, overdue_chases=3, escalated_at=kit.now
            )
        )
    assert "now due Fri 10 Jul 2026" in kit.text("Fiona Taylor", f"due {ref} 10 July")
    action = kit.action(ref)
    assert action.due_date == dt.date(2026, 7, 10) and action.due_text == "10 July"
    owner = action.owners[0]
    assert owner.next_chase_at is None
    assert owner.overdue_chases == 0 and owner.escalated_at is None
    assert "already due" in kit.text("Fiona Taylor", f"due {ref} 10 July")
    assert "couldn't read" in kit.text("Fiona Taylor", f"due {ref} someday maybe")


def test_cancel_and_reopen_are_idempotent_and_audited(kit: Kit) -> None:
    ref = kit.add("Send the ASB figures", ["Tom Hook"])
    assert "cancelled (superseded)" in kit.text("Fiona Taylor", f"cancel {ref} – superseded")
    assert "already cancelled" in kit.text("Fiona Taylor", f"cancel {ref}")
    assert kit.action(ref).owners[0].status == CANCELLED
    assert "open again" in kit.text("Fiona Taylor", f"reopen {ref}")
    assert "already open" in kit.text("Fiona Taylor", f"reopen {ref}")
    action = kit.action(ref)
    assert action.status == OPEN and action.owners[0].status == OPEN and action.closed_at is None
    assert kit.audit(ref) == ["created", "cancelled", "reopened"]


def test_an_owner_may_reopen_their_own_part(kit: Kit) -> None:
    ref = kit.add("Send the ASB figures", ["Tom Hook"])
    kit.text("Tom Hook", f"done {ref}")
    assert "open again" in kit.text("Tom Hook", f"reopen {ref}")
    assert kit.action(ref).status == OPEN


def test_meeting_calendar(kit: Kit) -> None:
    reply = kit.text("Jade Hodgson", "next meeting 24 June", channel="safer-borough")
    assert "Safer Borough meets on Wed 24 Jun 2026" in reply
    assert "already meets" in kit.text(
        "Jade Hodgson", "next meeting 24 June", channel="safer-borough"
    )
    with kit.sessions() as session:
        dates = directory.meeting_dates(session, kit.group_ids["Safer Borough"])
    assert dt.date(2026, 6, 24) in dates
    listing = kit.text("Tom Hook", "meetings", channel="safer-borough")
    assert "Next: Wed 24 Jun 2026" in listing and "Then: Tue 8 Dec 2026" in listing
    assert "only Fiona Taylor or Jade Hodgson can change the meeting calendar" in kit.text(
        "Tom Hook", "next meeting 25 June", channel="safer-borough"
    )


def test_outstanding_digest_groups_by_subgroup_and_owner_overdue_first(kit: Kit) -> None:
    kit.add("Send the ASB figures", ["Tom Hook"], due=JUNE_30)
    late = kit.add("Book the venue", ["Tom Hook"], due=dt.date(2026, 5, 20))
    local = kit.add("Map the hotspots", ["Tim Barfoot"], group="Safer Borough")
    reply = kit.text("Fiona Taylor", "what's outstanding")
    assert reply.startswith("Outstanding actions: 3 actions, 1 overdue")
    assert "Community Safety Partnership Board — 2 actions, 1 overdue" in reply
    assert "Safer Borough — 1 action" in reply
    assert "@Tom Hook — 2 actions, 1 overdue" in reply
    assert reply.index(late) < reply.index("Send the ASB figures")
    in_subgroup = kit.text("Tim Barfoot", "outstanding", channel="safer-borough")
    assert local in in_subgroup and late not in in_subgroup


def test_narrow_digests(kit: Kit) -> None:
    late = kit.add("Book the venue", ["Tom Hook"], due=dt.date(2026, 5, 20))
    week = kit.add("Send the ASB figures", ["Rita Chadha"], due=dt.date(2026, 6, 4))
    march = kit.add("Review CCTV", ["Rita Chadha"], meeting_date=dt.date(2026, 3, 17))
    overdue = kit.text("Fiona Taylor", "overdue")
    assert late in overdue and week not in overdue
    assert week in kit.text("Fiona Taylor", "what's due this week") and late not in kit.text(
        "Fiona Taylor", "what's due this week"
    )
    rita = kit.text("Fiona Taylor", "actions for Rita Chadha")
    assert {week, march} <= set(rita.split()) | {week, march} and late not in rita
    from_march = kit.text("Fiona Taylor", "actions from the March meeting")
    assert march in from_march and week not in from_march
    kit.text("Tom Hook", f"done {late}")
    assert late in kit.text("Fiona Taylor", "done since January")
    assert "don't know a group or person" in kit.text("Fiona Taylor", "outstanding for Narnia")


def test_nothing_said_is_met_with_silence(kit: Kit) -> None:
    for said in ("", "hello", "what is the meaning of life", "<@U0BOT>", "A-"):
        reply = kit.text("Pat Hayes", said)
        assert "What I can do" in reply


def test_done_actions_are_kept(kit: Kit) -> None:
    ref = kit.add("Send the ASB figures", ["Tom Hook"])
    kit.text("Tom Hook", f"done {ref}")
    assert kit.action(ref).status == DONE
    assert ref in kit.text("Fiona Taylor", "done since May")


@pytest.mark.parametrize(
    ("who", "said"),
    [
        ("Fiona Taylor", "due {ref} 99999 days"),
        ("Fiona Taylor", "next meeting 32 June"),
        ("Tom Hook", "snooze {ref} 99999 weeks"),
        ("Tom Hook", "snooze {ref} until yesterday"),
    ],
)
def test_dates_nobody_could_mean_are_refused(kit: Kit, who: str, said: str) -> None:
    ref = kit.add("Send the ASB figures", ["Tom Hook"], due=JUNE_30)
    reply = kit.text(who, said.format(ref=ref))
    assert "couldn't read" in reply
    action = kit.action(ref)
    assert action.due_date == JUNE_30 and action.owners[0].snoozed_until is None
    assert kit.audit(ref) == ["created"]


def test_the_chair_restricts_an_action_and_the_channel_stops_showing_it(kit: Kit) -> None:
    ref = kit.add("Share the MARAC referral list with the police", ["Tom Hook"])
    assert "MARAC" in kit.text("Tom Hook", "outstanding")
    reply = kit.text("Fiona Taylor", f"mark {ref} as confidential – names a victim")
    assert f"{ref} is restricted" in reply and "MARAC" not in reply
    assert kit.action(ref).restricted
    listing = kit.text("Tom Hook", "outstanding")
    assert "MARAC" not in listing
    assert "MARAC" in kit.text("Tom Hook", "my actions", direct=True)  # its owner still sees it
    assert "already restricted" in kit.text("Fiona Taylor", f"restrict {ref}")
    assert kit.audit(ref).count("restricted") == 1


def test_only_a_manager_restricts_and_only_the_chair_or_secretary_lifts_it(kit: Kit) -> None:
    ref = kit.add("Review the youth offending cases", ["Tom Hook"])
    kit.text("Tom Hook", f"restrict {ref}")
    assert not kit.action(ref).restricted  # an owner is not a manager of the whole action
    kit.text("Jade Hodgson", f"restrict {ref}")
    assert kit.action(ref).restricted
    refused = kit.text("Tom Hook", f"make {ref} public")
    assert "Only the chair or secretary" in refused and kit.action(ref).restricted
    assert "no longer restricted" in kit.text("Fiona Taylor", f"unrestrict {ref}")
    assert not kit.action(ref).restricted
    assert "Review the youth offending cases" in kit.text("Tom Hook", "outstanding")
    assert kit.audit(ref)[-2:] == ["restricted", "unrestricted"]
