"""Trying to break the rules: who may change an action, and where restricted actions may appear."""

from __future__ import annotations

import csv
import io

import pytest

from handlers.messages import Attachment
from store.models.actions import CANCELLED, DONE, OPEN
from tests.handlers.conversation_kit import (
    Kit,
    kit_fixture,  # noqa: F401
)
from tests.journeys.partnership import (  # noqa: F401
    partnership_pg_fixture,
    partnership_sessions_fixture,
    partnership_template_fixture,
)

SECRET = "Safeguarding referral for the family at 12 Acacia Road"


@pytest.mark.parametrize(
    "attempt",
    [
        "done {ref}",
        "cancel {ref} – no",
        "assign {ref} to Pat Hayes",
        "due {ref} 1 July",
        "reopen {ref}",
        "update {ref}: hijacked",
    ],
)
def test_an_outsider_changes_nothing_and_is_told_who_can(kit: Kit, attempt: str) -> None:
    ref = kit.add("Send the ASB figures", ["Tom Hook"], created_by="Dan James")
    before = kit.audit(ref)
    reply = kit.text("Pat Hayes", attempt.format(ref=ref))
    assert "Sorry — only Fiona Taylor, Jade Hodgson" in reply or "already open" in reply
    assert "Dan James (who recorded it)" in reply or "already open" in reply
    action = kit.action(ref)
    assert action.status == OPEN and action.owners[0].status == OPEN
    assert [o.written for o in action.owners] == ["Tom Hook"] and not action.updates
    assert kit.audit(ref) == before


def test_an_owner_cannot_close_someone_elses_part_or_manage_the_action(kit: Kit) -> None:
    ref = kit.add("Review the CCTV strategy", ["Tom Hook", "Rita Chadha"])
    kit.text("Tom Hook", f"done {ref}")
    assert "already closed your part" in kit.text("Tom Hook", f"done {ref}")
    assert [o.status for o in kit.action(ref).owners] == [DONE, OPEN]
    for attempt in (f"cancel {ref}", f"assign {ref} to Tom Hook", f"due {ref} 1 July"):
        assert "Sorry — only Fiona Taylor or Jade Hodgson can" in kit.text("Tom Hook", attempt)
    assert kit.action(ref).status == OPEN


def test_the_creator_and_the_chair_may_manage(kit: Kit) -> None:
    ref = kit.add("Send the ASB figures", ["Tom Hook"], created_by="Dan James")
    assert "now due Fri 10 Jul 2026" in kit.text("Dan James", f"due {ref} 10 July")
    assert "cancelled" in kit.text("Fiona Taylor", f"cancel {ref} – superseded")
    action = kit.action(ref)
    assert action.status == CANCELLED and action.close_note == "superseded"
    assert "already cancelled" in kit.text("Jade Hodgson", f"cancel {ref}")


def test_the_chair_closing_closes_every_part(kit: Kit) -> None:
    ref = kit.add("Review the CCTV strategy", ["Tom Hook", "Rita Chadha"])
    assert f"{ref} is done" in kit.text("Fiona Taylor", f"done {ref}")
    assert [o.status for o in kit.action(ref).owners] == [DONE, DONE]


def test_restricted_actions_never_appear_in_a_channel(kit: Kit) -> None:
    ref = kit.add(SECRET, ["Tom Hook"], restricted=True)
    open_ref = kit.add("Send the ASB figures", ["Tom Hook"])
    for who in ("Pat Hayes", "Fiona Taylor", "Tom Hook"):
        for ask in ("outstanding", "overdue", "actions for Tom Hook", "what's due this week"):
            reply = kit.text(who, ask)
            assert SECRET not in reply and ref not in reply
            assert "Acacia" not in reply and "restricted" not in reply.lower()
    assert open_ref in kit.text("Pat Hayes", "outstanding")


def test_restricted_actions_are_shown_privately_to_owner_and_chair_only(kit: Kit) -> None:
    ref = kit.add(SECRET, ["Tom Hook"], restricted=True)
    assert SECRET in kit.text("Fiona Taylor", "outstanding", direct=True)
    assert SECRET in kit.text("Jade Hodgson", "outstanding", direct=True)
    assert SECRET in kit.text("Tom Hook", "my actions", direct=True)
    assert SECRET not in kit.text("Pat Hayes", "outstanding", direct=True)
    assert SECRET not in kit.text("Rita Chadha", "actions for Tom Hook", direct=True)
    in_channel = kit.text("Tom Hook", "my actions")
    assert ref in in_channel and SECRET not in in_channel


def test_an_outsider_cannot_even_learn_a_restricted_action_exists(kit: Kit) -> None:
    ref = kit.add(SECRET, ["Tom Hook"], restricted=True)
    missing = kit.text("Pat Hayes", "done A-9999")
    for attempt in (f"done {ref}", f"update {ref}: x", f"cancel {ref}", f"reopen {ref}"):
        reply = kit.text("Pat Hayes", attempt)
        assert reply == missing.replace("A-9999", ref)
        assert SECRET not in reply
    assert kit.action(ref).status == OPEN


def test_the_owner_closing_a_restricted_action_in_a_channel_shows_no_detail(kit: Kit) -> None:
    ref = kit.add(SECRET, ["Tom Hook"], restricted=True)
    reply = kit.text("Tom Hook", f"done {ref}")
    assert f"{ref} is done" in reply and SECRET not in reply


def test_an_export_in_a_channel_leaves_restricted_actions_out(kit: Kit) -> None:
    kit.add(SECRET, ["Tom Hook"], restricted=True)
    kit.add("Send the ASB figures", ["Tom Hook"])
    out = kit.say("Pat Hayes", "export actions as csv")
    files = [b for b in out[0].message.blocks if isinstance(b, Attachment)]
    text = files[0].content.decode("utf-8")
    assert "Send the ASB figures" in text and SECRET not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2  # the header and the one open action
    private = kit.say("Fiona Taylor", "export actions as csv", direct=True)
    attachment = next(b for b in private[0].message.blocks if isinstance(b, Attachment))
    assert SECRET in attachment.content.decode("utf-8")


def test_the_chair_closes_an_action_nobody_owns(kit: Kit) -> None:
    ref = kit.add("Refresh the strategic assessment", [])
    assert "only Fiona Taylor, Jade Hodgson" in kit.text("Tom Hook", f"done {ref}")
    assert f"{ref} is done" in kit.text("Jade Hodgson", f"done {ref} – done at the away day")
    assert kit.audit(ref) == ["created", "closed"]
    assert kit.action(ref).close_note == "done at the away day"


@pytest.mark.parametrize("kind", ["done", "snooze", "update", "not_mine", "reopen"])
def test_a_forged_button_press_from_an_outsider_changes_nothing(kit: Kit, kind: str) -> None:
    secret = kit.add(SECRET, ["Tom Hook"], restricted=True)
    plain = kit.add("Send the ASB figures", ["Tom Hook"])
    for ref in (secret, plain):
        before = kit.audit(ref)
        out = kit.press("Pat Hayes", kind, ref, "a week", key=f"forged-{kind}-{ref}")
        shown = repr(out)
        assert SECRET not in shown
        assert kit.audit(ref) == before
        assert kit.action(ref).owners[0].status == OPEN
        assert kit.action(ref).owners[0].snoozed_until is None
