"""Whatever people type, Chaser answers in the place asked and never fails."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.messages import ToPlace
from tests.handlers.conversation_kit import Kit, kit_fixture  # noqa: F401
from tests.journeys.partnership import (  # noqa: F401
    partnership_pg_fixture,
    partnership_sessions_fixture,
    partnership_template_fixture,
)

WORDS = [
    "done", "update", "snooze", "not mine", "assign", "due", "cancel", "reopen", "outstanding",
    "overdue", "my actions", "actions for", "from the", "meeting", "since", "export", "A-1",
    "A-2", "#1", "to", "until", "weeks", "Monday", "30 June", "Tom Hook", "Safer Borough", "–",
    ":", "<@U123>", "@Chaser", "ACTION:", "\n", "next meeting", "meetings", "help", "csv",
]  # fmt: skip
PEOPLE = ["Tom Hook", "Fiona Taylor", "Pat Hayes", "Someone Unknown"]
said = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=7).map(" ".join),
)


@pytest.mark.slow
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=said, who=st.sampled_from(PEOPLE), direct=st.booleans())
def test_every_message_gets_an_answer_in_the_place(
    kit: Kit, text: str, who: str, direct: bool
) -> None:
    if not getattr(kit, "seeded", False):
        kit.add("Send the ASB figures", ["Tom Hook"])
        kit.add("Safeguarding referral", ["Tom Hook"], restricted=True)
        kit.seeded = True  # type: ignore[attr-defined]
    out = kit.say(who, text, direct=direct)
    assert out and isinstance(out[0].to, ToPlace)
    assert out[0].message.summary
    if not direct:
        shown = repr(out[0].message)
        assert "Safeguarding referral" not in shown or text.startswith("ACTION")
