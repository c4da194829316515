"""Owners talking to Chaser: done, update, snooze, not mine, my actions, and what changed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from handlers.messages import Incoming, Place, ToMember
from store.db import transaction
from store.models import Action
from store.models.actions import DECLINED, DONE, OPEN
from tests.handlers.conversation_kit import (
    LONDON,
    Kit,
    kit_fixture,  # noqa: F401
)
from tests.journeys.partnership import (  # noqa: F401
    partnership_pg_fixture,
    partnership_sessions_fixture,
    partnership_template_fixture,
)

JUNE_30 = dt.date(2026, 6, 30)


def test_done_without_ref_closes_the_only_open_action(kit: Kit) -> None:
    ref = kit.add("Send the ASB figures", ["Tom Hook"], due=JUNE_30)
    reply = kit.text("Tom Hook", "done – sent them", direct=True)
    assert f"Thanks — {ref} is done." in reply
    action = kit.action(ref)
    assert action.status == DONE and action.owners[0].status == DONE
    assert action.close_note == "sent them"
    assert [u.text for u in action.updates] == ["sent them"]
    assert kit.audit(ref)[-2:] == ["owner_done", "closed"]


def test_done_twice_changes_nothing_the_second_time(kit: Kit) -> None:
    ref = kit.add("Send the ASB figures", ["Tom Hook"])
    kit.text("Tom Hook", f"done {ref}")
    events = kit.audit(ref)
    again = kit.text("Tom Hook", f"{ref} completed")
    assert "already done — nothing changed" in again
    assert kit.audit(ref) == events


def test_done_with_several_open_asks_which(kit: Kit) -> None:
    first = kit.add("Send the ASB figures", ["Tom Hook"], due=JUNE_30)
    second = kit.add("Book the venue", ["Tom Hook"], due=dt.date(2026, 6, 12))
    reply = kit.text("Tom Hook", "done", direct=True)
    assert "You have 2 open actions — which one?" in reply
    assert first in reply and second in reply
    assert kit.action(first).status == OPEN and kit.action(second).status == OPEN


def test_several_owners_each_close_their_part(kit: Kit) -> None:
    ref = kit.add("Review the CCTV strategy", ["Tom Hook", "Rita Chadha"])
    reply = kit.text("Tom Hook", f"done {ref}")
    assert "your part" in reply and "Still open with Rita Chadha" in reply
    action = kit.action(ref)
    assert action.status == OPEN
    assert [o.status for o in action.owners] == [DONE, OPEN]
    assert "already closed your part" in kit.text("Tom Hook", f"done {ref}")
    assert f"{ref} is done" in kit.text("Rita Chadha", f"done {ref}")
    assert kit.action(ref).status == DONE


def test_update_keeps_a_progress_note(kit: Kit) -> None:
    ref = kit.add("Send the ASB figures", ["Tom Hook"])
    assert f"Noted on {ref}" in kit.text("Tom Hook", f"update {ref}: waiting for police data")
    assert [u.text for u in kit.action(ref).updates] == ["waiting for police data"]
    assert "already on" in kit.text("Tom Hook", f"update {ref}: waiting for police data")
    assert kit.audit(ref).count("updated") == 1


def test_snooze_moves_the_owners_chasing(kit: Kit) -> None:
    ref = kit.add("Send the ASB figures", ["Tom Hook"])
    reply = kit.text("Tom Hook", f"snooze {ref} 2 weeks")
    assert "until Mon 15 Jun 2026" in reply
    owner = kit.action(ref).owners[0]
    nine_am = dt.datetime(2026, 6, 15, 9, 0, tzinfo=LONDON)
    assert owner.snoozed_until == nine_am and owner.next_chase_at == nine_am
    assert "until Fri 5 Jun 2026" in kit.text("Tom Hook", f"snooze {ref} until Friday")
    assert "already snoozed" in kit.text("Tom Hook", f"snooze {ref} until Friday")
    assert "couldn't read" in kit.text("Tom Hook", f"snooze {ref} until the cows come home")


def test_snooze_is_only_for_owners(kit: Kit) -> None:
    ref = kit.add("Send the ASB figures", ["Tom Hook"])
    assert "not an owner" in kit.text("Fiona Taylor", f"snooze {ref} 1 week")
    assert kit.action(ref).owners[0].snoozed_until is None


def test_not_mine_hands_back_to_the_chair_with_the_reason(kit: Kit) -> None:
    ref = kit.add("Send the ASB figures", ["Tom Hook"])
    out = kit.say("Tom Hook", f"not mine {ref} – wrong team", direct=True)
    assert "handed" in out[0].message.summary and "Fiona Taylor" in out[0].message.summary
    owner = kit.action(ref).owners[0]
    assert owner.status == DECLINED and owner.note == "wrong team"
    to_chair = kit.dms(out, "Fiona Taylor")
    assert len(to_chair) == 1 and "wrong team" in to_chair[0] and ref in to_chair[0]
    assert all(isinstance(o.to, ToMember) for o in out[1:])
    assert "already handed" in kit.text("Tom Hook", f"not mine {ref}")
    assert kit.audit(ref).count("declined") == 1


def test_my_actions_lists_overdue_first_with_dates(kit: Kit) -> None:
    later = kit.add("Send the ASB figures", ["Tom Hook"], due=JUNE_30)
    late = kit.add("Book the venue", ["Tom Hook"], due=dt.date(2026, 5, 29))
    reply = kit.text("Tom Hook", "my actions", direct=True)
    assert "Your open actions: 2, 1 overdue" in reply
    assert reply.index(late) < reply.index(later)
    assert "Fri 29 May 2026 — OVERDUE by 3 days" in reply
    assert "Tue 30 Jun 2026" in reply


def test_buttons_do_the_same_and_a_second_click_does_nothing(kit: Kit) -> None:
    ref = kit.add("Send the ASB figures", ["Tom Hook"])
    assert kit.press("Tom Hook", "snooze", ref, "1 week", key="click-1")
    assert kit.press("Tom Hook", "done", ref, key="click-2")
    assert kit.press("Tom Hook", "done", ref, key="click-2") == []
    assert kit.action(ref).status == DONE
    assert kit.press("Tom Hook", "reopen", ref, key="click-3")
    assert kit.action(ref).status == OPEN


def test_a_repeated_delivery_changes_nothing(kit: Kit) -> None:
    ref = kit.add("Send the ASB figures", ["Tom Hook"])
    assert kit.say("Tom Hook", f"done {ref}", key="slack:Ev1")
    events = kit.audit(ref)
    assert kit.say("Tom Hook", f"reopen {ref}", key="slack:Ev1") == []
    assert kit.audit(ref) == events and kit.action(ref).status == DONE


def test_a_stranger_is_told_how_to_be_added(kit: Kit) -> None:
    ref = kit.add("Send the ASB figures", ["Tom Hook"])
    reply = kit.text("Someone New", f"done {ref}")
    assert "member directory" in reply
    assert kit.action(ref).status == OPEN


def test_done_in_the_thread_of_a_captured_action_means_that_action(kit: Kit) -> None:
    first = kit.add("Send the ASB figures", ["Tom Hook"])
    kit.add("Book the venue", ["Tom Hook"])
    with transaction(kit.sessions) as session:
        session.execute(
            update(Action)
            .where(Action.ref == first)
            .values(origin_channel="csp-board", origin_thread="1700000000.0001")
        )
    place = Place("console", "csp-board", "1700000000.0001")
    out = kit.conversation.handle(Incoming("done", kit.speaker("Tom Hook"), place, kit.now))
    assert f"{first} is done" in out[0].message.summary


def test_cards_list_owners_with_their_part(kit: Kit) -> None:
    ref = kit.add("Review the CCTV strategy", ["Tom Hook", "Rita Chadha", "Police"])
    kit.text("Rita Chadha", f"not mine {ref}")
    reply = kit.text("Tom Hook", f"done {ref}")
    assert "owners: @Tom Hook (done), @Rita Chadha (not mine), Police" in reply


def test_several_actions_closed_in_one_message(kit: Kit) -> None:
    first = kit.add("Send the ASB figures", ["Tom Hook"])
    second = kit.add("Book the venue", ["Tom Hook"])
    reply = kit.text("Tom Hook", f"done {first}, {second} and A-999 – all sent")
    assert f"{first} is done" in reply and f"{second} is done" in reply
    assert "can't find an action A-999" in reply
    assert kit.action(first).close_note == "all sent" == kit.action(second).close_note


def test_several_actions_handed_back_in_one_message(kit: Kit) -> None:
    first = kit.add("Send the ASB figures", ["Tom Hook"])
    second = kit.add("Book the venue", ["Tom Hook"])
    out = kit.say("Tom Hook", f"not mine {first} & {second} – wrong team")
    assert first in out[0].message.summary and second in out[0].message.summary
    assert len(kit.dms(out, "Fiona Taylor")) == 2
    assert all(kit.action(r).owners[0].status == DECLINED for r in (first, second))
