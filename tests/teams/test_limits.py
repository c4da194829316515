"""Size limits in Teams: an over-long message gets a clear reply and captures nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from handlers.limits import MAX_MESSAGE_CHARS
from store.models import Action, AuditEvent
from tests.teams.harness import FIONA, TeamsWorld, personal_conversation, posted_to, text_of

LINE = "ACTION: Tom Hook to send the knife crime figures to the board by 30 November\n"


def _counts(world: TeamsWorld) -> tuple[int, int]:
    with world.sessions() as session:
        actions = session.scalar(select(func.count()).select_from(Action)) or 0
        audit = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
        return int(actions), int(audit)


def test_an_over_long_message_is_refused_and_changes_nothing(world: TeamsWorld) -> None:
    before = _counts(world)
    text = (LINE * (MAX_MESSAGE_CHARS // len(LINE) + 2))[: MAX_MESSAGE_CHARS + 500]
    status, _ = world.post(world.make.personal(text, FIONA))
    assert status in (200, 201)
    replies = posted_to(world, personal_conversation(FIONA))
    assert replies, "Fiona is told why nothing happened"
    said = text_of(replies[-1])
    assert "too long for me to read" in said and "I read up to 40,000" in said
    actions, _ = _counts(world)
    assert actions == before[0]


def test_a_long_but_allowed_message_is_captured(world: TeamsWorld) -> None:
    text = LINE + "Notes. " * ((MAX_MESSAGE_CHARS - len(LINE)) // 7)
    assert len(text) <= MAX_MESSAGE_CHARS
    before, _ = _counts(world)
    status, _ = world.post(world.make.personal(text, FIONA))
    assert status in (200, 201)
    assert _counts(world)[0] == before + 1
