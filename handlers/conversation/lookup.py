"""Finding the action a request is about, and the replies for when it cannot be found."""

from __future__ import annotations

from handlers.conversation.context import Context
from handlers.conversation.permissions import may_see
from handlers.conversation.views import item
from handlers.messages import ActionItem, Outgoing, Paragraph
from store import actions as repo
from store.models import Action


def find_action(ctx: Context, ref: str) -> Action | None:
    """The action ``ref`` names when the speaker may see it; None otherwise (no leak)."""
    action = repo.get(ctx.session, ref)
    if action is None or not may_see(ctx, action):
        return None
    return action


def not_found(ctx: Context, ref: str) -> Outgoing:
    """The same reply for a missing action and one the speaker may not see."""
    return ctx.reply(
        f"I can't find an action {ref} that you can see.",
        Paragraph.of(f"I can't find an action {ref} that you can see. "),
        Paragraph.of('Say "my actions" for yours, or "outstanding" for the group\'s.'),
    )


def unknown_speaker(ctx: Context) -> Outgoing:
    """The reply when the speaker is not in the member directory."""
    text = (
        f"I don't know who {ctx.speaker_name or 'you are'} is in the member directory yet, so I "
        "can't change actions for you. Ask the secretary to add you "
        "(`chaser directory import partnership.yml`)."
    )
    return ctx.reply(text, Paragraph.of(text))


def card(
    ctx: Context, action: Action, *, buttons: bool = False, private: bool = False
) -> ActionItem:
    """One action's card for this place (``private``: for a DM), redacted in a channel."""
    redact = action.restricted and ctx.in_channel and not private
    return item(action, ctx.today, redact=redact, buttons=buttons and not redact)
