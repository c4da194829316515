"""Rendering to Block Kit: text is escaped, specials defused, mentions only from valid ids."""

from __future__ import annotations

import json

from bot.slack import inbound, render
from handlers.messages import ActionItem, Button, Heading, Mention, Message, Paragraph


def test_plain_text_cannot_ping_or_hide_a_link() -> None:
    text = "<!channel> <!here|here> <https://evil|https://bank> @channel @here & <@U123>"
    out = render.escape(text)
    for bad in ("<!", "<https", "<@"):
        assert bad not in out
    assert "@channel" not in out and "@here" not in out
    assert "&amp;" in out


def test_mentions_only_from_valid_slack_ids() -> None:
    good = Mention(1, "Fiona Taylor", slack_user_id="U0FIONA")
    forged = Mention(2, "<!channel>", slack_user_id="!channel")
    unlinked = Mention(3, "Tom <Hook>")
    rendered = render.inline(("Owners: ", good, ", ", forged, ", ", unlinked))
    assert rendered == "Owners: <@U0FIONA>, &lt;!channel&gt;, Tom &lt;Hook&gt;"


def test_an_action_card_has_its_buttons_and_a_snooze_menu() -> None:
    buttons = tuple(
        Button(kind, label, "A-7")  # type: ignore[arg-type]
        for kind, label in (
            ("done", "Done"),
            ("snooze", "Snooze"),
            ("update", "Update"),
            ("not_mine", "Not mine"),
        )
    )
    item = ActionItem(
        "A-7",
        "Send <b>figures</b>",
        (Mention(1, "Fiona", "U0FIONA"),),
        "Tue 30 Jun 2026",
        "open",
        "amber",
        "Due soon",
        buttons,
    )
    message = Message("1 action for you", (Heading("Your action"), Paragraph.of("Hi"), item))
    blocks = render.blocks_of(message)
    actions = next(b for b in blocks if b["type"] == "actions")
    kinds = [e["action_id"] for e in actions["elements"]]
    assert kinds == ["chaser_done", "chaser_snooze", "chaser_update", "chaser_not_mine"]
    snooze = actions["elements"][1]
    assert snooze["type"] == "static_select"
    assert snooze["options"][0]["value"].startswith("A-7|")
    dumped = json.dumps(blocks)
    assert "<@U0FIONA>" in dumped and "<b>" not in dumped and "30 Jun 2026" in dumped
    assert render.fallback_text(message) == "1 action for you"


def test_long_lists_are_cut_to_slacks_block_limit() -> None:
    items = tuple(ActionItem(f"A-{i}", "x", (), None, "open") for i in range(80))
    assert len(render.blocks_of(Message("many", items))) == render.MAX_BLOCKS


def test_inbound_mrkdwn_becomes_plain_words() -> None:
    names = {"U0FIONA": "Fiona Taylor"}
    text = (
        "<@UBOT> ACTION: <@U0FIONA> to tell <!here> &amp; <!subteam^S1|@safety> about "
        "<https://evil.example|https://bank.example> and <mailto:a@b.org|a@b.org> in <#C1|board>"
    )
    plain = inbound.plain_text(text, bot_user_id="UBOT", name_of=lambda u: names.get(u, u))
    assert plain == (
        "@Chaser ACTION: Fiona Taylor to tell @here & @safety about "
        "https://bank.example (https://evil.example) and a@b.org in #board"
    )
