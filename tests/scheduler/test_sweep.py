"""The sweep with an injected clock: what each owner and chair receives, and when."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from handlers.messages import ActionItem, Heading, Paragraph, Place, ToMember, ToPlace
from scheduler.notifier import RecordingNotifier, render_text
from scheduler.sweep import Sweeper
from store.chase_log import send_log
from store.models.actions import DONE
from tests.scheduler.conftest import World, at

DUE = dt.date(2026, 9, 2)  # the Wednesday after the August bank holiday Monday


def summaries(notifier: RecordingNotifier, member_id: int) -> list[str]:
    return [m.summary for m in notifier.to_member(member_id)]


def test_before_due_on_the_day_overdue_and_one_escalation(
    world: World, sweeper: Sweeper, notifier: RecordingNotifier
) -> None:
    [owner] = world.action("Draft the knife crime plan", [world.fiona], DUE)
    sweeper.sweep(at=at(2026, 8, 27))
    assert notifier.sent == []  # Thursday: three working days before
    sweeper.sweep(at=at(2026, 8, 28))
    message = notifier.to_member(world.fiona)[0]
    assert message.summary == "Reminder: 1 action due"
    item = next(b for b in message.blocks if isinstance(b, ActionItem))
    assert (item.ref, item.note) == ("A-1", "Due Wed 2 Sep 2026.")
    assert [b.kind for b in item.buttons] == ["done", "snooze", "update", "not_mine"]
    for day in (28, 29, 30, 31):  # again on Friday, the weekend, the bank holiday: nothing
        sweeper.sweep(at=at(2026, 8, day, 15))
    sweeper.sweep(at=at(2026, 9, 1))
    assert len(notifier.sent) == 1
    sweeper.sweep(at=at(2026, 9, 2))
    assert "Due today." in render_text(notifier.sent[-1].message)
    sweeper.sweep(at=at(2026, 9, 9))
    assert summaries(notifier, world.fiona)[-1] == "Overdue: A-1 Draft the knife crime plan"
    assert notifier.to_member(world.chair) == []
    report = sweeper.sweep(at=at(2026, 9, 16))
    assert [d.why for d in report.deliveries] == ["overdue 2", "escalation"]
    [escalation] = notifier.to_member(world.chair)
    assert escalation.summary == "Escalation: 1 overdue action"
    assert Heading("Fiona Taylor") in escalation.blocks
    sweeper.sweep(at=at(2026, 9, 23))
    assert len(notifier.to_member(world.chair)) == 1  # escalated once, not every week
    row = world.owner(owner)
    assert (row.chase_count, row.overdue_chases) == (5, 3)
    assert row.escalated_at is not None


def test_scotland_keeps_its_own_august_bank_holiday(
    world: World, sweeper: Sweeper, notifier: RecordingNotifier
) -> None:
    world.set_group_settings(world.group, {"region": "SCT"})
    world.action("Audit CCTV coverage", [world.fiona], dt.date(2026, 8, 5))
    world.action("Brief the board", [world.fiona], dt.date(2026, 8, 5), group=world.board)
    # two working days before Wed 5 Aug: Fri 31 Jul in Scotland (Mon 3 Aug is a holiday there),
    # Mon 3 Aug in England
    report = sweeper.sweep(at=at(2026, 7, 31))
    assert [(d.why, d.refs) for d in report.deliveries] == [("before due", ("A-1",))]
    report = sweeper.sweep(at=at(2026, 8, 3))
    assert [(d.why, d.refs) for d in report.deliveries] == [("before due", ("A-2",))]


def test_quiet_hours_weekends_and_the_members_time_zone(
    world: World, sweeper: Sweeper, notifier: RecordingNotifier
) -> None:
    [fiona] = world.action("Book the venue", [world.fiona], DUE)
    world.action("Send the data", [world.tom], DUE)  # Tom works in New York
    sweeper.sweep(at=at(2026, 9, 2, 7, 30))
    assert notifier.sent == []
    sweeper.sweep(at=at(2026, 9, 2, 9, 5))
    assert len(notifier.to_member(world.fiona)) == 1 and notifier.to_member(world.tom) == []
    sweeper.sweep(at=at(2026, 9, 2, 14, 30))  # 09:30 in New York
    assert len(notifier.to_member(world.tom)) == 1
    # snoozed until 02:00: held for the window, not sent in the night
    night = at(2026, 9, 4, 2)
    world.update_owner(fiona, snoozed_until=night, next_chase_at=night)
    report = sweeper.sweep(at=at(2026, 9, 4, 2, 30))
    assert report.held == 1 and len(notifier.to_member(world.fiona)) == 1
    sweeper.sweep(at=at(2026, 9, 4, 8, 59))
    assert len(notifier.to_member(world.fiona)) == 1
    sweeper.sweep(at=at(2026, 9, 4, 9, 0))
    assert len(notifier.to_member(world.fiona)) == 2
    notifier.sent.clear()
    sweeper.sweep(at=at(2026, 9, 5, 11))  # Saturday
    assert notifier.sent == []


def test_snooze_done_and_reassign_take_effect_on_the_next_sweep(
    world: World, sweeper: Sweeper, notifier: RecordingNotifier
) -> None:
    [snoozed] = world.action("Share the plan", [world.fiona], DUE)
    [done] = world.action("Invite the police", [world.fiona], DUE)
    sweeper.sweep(at=at(2026, 8, 28))
    assert len(notifier.sent) == 1  # one digest for both
    until = at(2026, 9, 3, 14)
    world.update_owner(snoozed, snoozed_until=until, next_chase_at=until)
    world.update_owner(done, status=DONE)
    sweeper.sweep(at=at(2026, 9, 2))
    sweeper.sweep(at=at(2026, 9, 3, 13))
    assert len(notifier.sent) == 1
    sweeper.sweep(at=at(2026, 9, 3, 14, 1))
    assert notifier.sent[-1].action_refs == ("A-1",)
    # a due date moved: the conversation clears next_chase_at and the sweep recomputes it
    world.update_owner(snoozed, next_chase_at=None)
    report = sweeper.sweep(at=at(2026, 9, 3, 15))
    assert report.scheduled == 1 and len(notifier.sent) == 2


def test_several_due_actions_go_as_one_digest_overdue_first(
    world: World, sweeper: Sweeper, notifier: RecordingNotifier
) -> None:
    world.action("Due soon", [world.fiona], dt.date(2026, 9, 17))
    world.action("Long overdue", [world.fiona], dt.date(2026, 9, 8))
    world.action("Due today", [world.fiona, world.tom], dt.date(2026, 9, 15))
    sweeper.sweep(at=at(2026, 9, 15))
    [message] = notifier.to_member(world.fiona)
    items = [b for b in message.blocks if isinstance(b, ActionItem)]
    assert [i.text for i in items] == ["Long overdue", "Due today", "Due soon"]
    assert [i.rag for i in items] == ["red", "amber", "amber"]
    assert message.summary == "Overdue: A-2 Long overdue (and 2 more)"


def test_pre_meeting_digest_to_chair_and_channel_once(
    world: World, sweeper: Sweeper, notifier: RecordingNotifier
) -> None:
    world.meeting(world.board, dt.date(2026, 9, 17), "CSP Board")
    world.channel(world.board, "slack", "CBOARD")
    world.action("Board item", [world.tom], dt.date(2026, 10, 30), group=world.board)
    world.action("Overdue item", [world.fiona], dt.date(2026, 9, 1))
    world.action("Sensitive case review", [world.fiona], dt.date(2026, 10, 1), restricted=True)
    sweeper.meeting_digests(at=at(2026, 9, 14))
    assert notifier.sent == []  # three working days before
    sweeper.meeting_digests(at=at(2026, 9, 15))
    [chair] = notifier.to_member(world.chair)
    text = render_text(chair)
    assert chair.summary == "Before CSP Board: 3 outstanding, 1 overdue"
    assert text.index("# Community Safety Partnership") < text.index("# Safer Borough")
    assert text.index("Overdue item") < text.index("Sensitive case review")
    [channel] = [o for o in notifier.sent if isinstance(o.to, ToPlace)]
    assert channel.to == ToPlace(Place("slack", "CBOARD"))
    assert "Sensitive case review" not in render_text(channel.message)
    assert "Overdue item" in render_text(channel.message)
    sweeper.meeting_digests(at=at(2026, 9, 16))
    assert len(notifier.sent) == 2


def test_a_console_channel_gets_no_digest_as_nobody_could_read_it(
    world: World, sweeper: Sweeper, notifier: RecordingNotifier
) -> None:
    world.meeting(world.board, dt.date(2026, 9, 17), "CSP Board")
    world.channel(world.board, "console", "csp-board")
    world.channel(world.board, "teams", "19:board@thread.tacv2")
    world.action("Board item", [world.tom], dt.date(2026, 10, 30), group=world.board)
    sweeper.meeting_digests(at=at(2026, 9, 15))
    places = [o.to.place for o in notifier.sent if isinstance(o.to, ToPlace)]
    assert places == [Place("teams", "19:board@thread.tacv2")]
    with world.sessions() as session:
        assert [row.recipient for row in send_log(session)] == [
            f"member:{world.chair}",
            "teams:19:board@thread.tacv2",
        ]
    sweeper.meeting_digests(at=at(2026, 9, 16))
    assert len(notifier.sent) == 2  # the digest is done: nothing is left to retry


def test_undated_actions_get_a_gentle_reminder_before_each_meeting(
    world: World, sweeper: Sweeper, notifier: RecordingNotifier
) -> None:
    world.meeting(world.group, dt.date(2026, 9, 17))
    world.meeting(world.group, dt.date(2026, 10, 15))
    world.action("Keep the partnership informed", [world.fiona], None)
    sweeper.chase(at=at(2026, 9, 14))
    assert notifier.sent == []
    sweeper.chase(at=at(2026, 9, 15))
    sweeper.chase(at=at(2026, 9, 16))
    [message] = notifier.to_member(world.fiona)
    assert message.summary == "Before your meeting: 1 open action"
    assert "before the meeting on Thu 17 Sep 2026" in render_text(message)
    sweeper.chase(at=at(2026, 10, 13))
    assert len(notifier.to_member(world.fiona)) == 2


def test_failed_send_is_retried_with_backoff_then_reported_to_the_chair(
    world: World, sweeper: Sweeper, notifier: RecordingNotifier
) -> None:
    [owner] = world.action("Fix the lights", [world.fiona], DUE)
    notifier.fail_members.add(world.fiona)
    first = sweeper.sweep(at=at(2026, 9, 2))
    assert [d.status for d in first.deliveries] == ["failed"]
    assert sweeper.sweep(at=at(2026, 9, 2, 10, 1)).deliveries == []  # backing off
    assert [d.status for d in sweeper.sweep(at=at(2026, 9, 2, 10, 6)).deliveries] == ["failed"]
    last = sweeper.sweep(at=at(2026, 9, 2, 10, 20))
    assert [d.status for d in last.deliveries] == ["undeliverable", "reported"]
    [report] = notifier.to_member(world.chair)
    assert report.summary == "Could not reach Fiona Taylor about A-1"
    with world.sessions() as session:
        [row] = send_log(session, owner_id=owner)
    assert (row.status, row.attempts) == ("reported", 3)
    assert world.owner(owner).next_chase_at == at(2026, 9, 9, 9)  # chased again next slot


def test_after_downtime_missed_reminders_are_sent_once(
    world: World, sweeper: Sweeper, notifier: RecordingNotifier
) -> None:
    [owner] = world.action("Renew the contract", [world.fiona], DUE)
    sweeper.sweep(at=at(2026, 9, 2))
    # down from 2 to 24 September: the 9, 16 and 23 September reminders were missed
    report = sweeper.sweep(at=at(2026, 9, 24, 11))
    assert [d.why for d in report.deliveries] == ["overdue 1"]
    for minute in (5, 10, 15):
        sweeper.sweep(at=at(2026, 9, 24, 11, minute))
    assert len(notifier.to_member(world.fiona)) == 2
    assert world.owner(owner).next_chase_at == at(2026, 9, 30, 9)


def test_unmatched_owners_and_closed_actions_are_not_chased(
    world: World, sweeper: Sweeper, notifier: RecordingNotifier
) -> None:
    [owner] = world.action("Done already", [world.fiona], DUE)
    world.update_owner(owner, status=DONE)
    with world.sessions.begin() as session:
        from store.actions import NewAction, NewOwner, create

        create(
            session,
            NewAction("Someone", "cli", [NewOwner("The Council")], due_date=DUE),
            actor="t",
            via="cli",
        )
    report = sweeper.sweep(at=at(2026, 9, 2))
    assert report.deliveries == [] and report.scheduled == 0
    assert all(isinstance(o.to, ToMember) for o in notifier.sent)
    assert not any(isinstance(b, Paragraph) for o in notifier.sent for b in o.message.blocks)


def test_a_sweep_that_runs_out_of_lease_hands_unsent_digests_back_uncounted(
    world: World, sessions: sessionmaker[Session], notifier: RecordingNotifier
) -> None:
    [owner] = world.action("Slow platform day", [world.fiona], DUE)
    hasty = Sweeper(sessions, notifier, clock=lambda: at(2026, 9, 2), lease=dt.timedelta(0))
    report = hasty.sweep(at=at(2026, 9, 2))
    assert [d.status for d in report.deliveries] == ["deferred"] and notifier.sent == []
    normal = Sweeper(sessions, notifier, clock=lambda: at(2026, 9, 2))
    assert [d.status for d in normal.sweep(at=at(2026, 9, 2)).deliveries] == ["sent"]
    with sessions() as session:
        [row] = send_log(session, owner_id=owner)
    assert (row.status, row.attempts) == ("sent", 1)


def test_a_slot_recorded_as_sent_is_never_sent_again(
    world: World, sweeper: Sweeper, notifier: RecordingNotifier
) -> None:
    [owner] = world.action("Publish the minutes", [world.fiona], DUE)
    sweeper.sweep(at=at(2026, 9, 2))
    sent_slot = at(2026, 9, 2, 9)
    assert world.owner(owner).next_chase_at != sent_slot
    world.update_owner(owner, next_chase_at=sent_slot)  # e.g. a due date moved and moved back
    assert sweeper.sweep(at=at(2026, 9, 2, 11)).deliveries == []
    assert len(notifier.sent) == 1
    assert world.owner(owner).next_chase_at == at(2026, 9, 9, 9)


def test_one_escalation_message_lists_every_slipped_action_by_owner(
    world: World, sweeper: Sweeper, notifier: RecordingNotifier
) -> None:
    world.set_group_settings(world.group, {"overdue_every_days": 1, "escalate_after": 1})
    world.action("Fix the lights", [world.fiona], dt.date(2026, 9, 1))
    world.action("Cut the hedges", [world.fiona], dt.date(2026, 9, 1))
    world.action("Send the data", [world.tom], dt.date(2026, 9, 1))
    sweeper.sweep(at=at(2026, 9, 1, 15))  # due today for everyone
    report = sweeper.sweep(at=at(2026, 9, 2, 15))  # 10:00 in New York
    assert [d.why for d in report.deliveries] == ["overdue 1", "overdue 1", "escalation"]
    [message] = notifier.to_member(world.chair)
    assert message.summary == "Escalation: 3 overdue actions"
    headings = [b.text for b in message.blocks if isinstance(b, Heading)]
    assert headings == ["Fiona Taylor", "Tom Hook"]
    assert [b.ref for b in message.blocks if isinstance(b, ActionItem)] == ["A-1", "A-2", "A-3"]
    sweeper.sweep(at=at(2026, 9, 3, 15))
    assert len(notifier.to_member(world.chair)) == 1


def test_a_cancelled_action_is_not_chased_and_drops_out_of_the_schedule(
    world: World, sweeper: Sweeper, notifier: RecordingNotifier
) -> None:
    [owner] = world.action("Drop this", [world.fiona], DUE)
    sweeper.sweep(at=at(2026, 8, 27))
    assert world.owner(owner).next_chase_at is not None
    with world.sessions.begin() as session:
        from store.models import Action

        action = session.get(Action, world.owner(owner).action_id)
        assert action is not None
        action.status = "cancelled"  # the owner's own row stays open
    assert sweeper.sweep(at=at(2026, 8, 28)).deliveries == []
    assert notifier.sent == [] and world.owner(owner).next_chase_at is None
