"""Adaptive Card rendering: escaped text, real mentions from validated ids only, press buttons."""

from __future__ import annotations

from bot.teams.cards import card_buttons, card_text, escape, render_card, valid_teams_id
from handlers.messages import ActionItem, Button, Heading, Mention, Message, Paragraph

FIONA_ID = "29:1fionaTaylorUserId"


def _item(**extra: object) -> ActionItem:
    base: dict[str, object] = {
        "ref": "A-12",
        "text": "Send the knife crime data to the board",
        "owners": (Mention(1, "Fiona Taylor", teams_user_id=FIONA_ID),),
        "due": "Mon 30 Nov 2026 (end of month)",
        "status": "open",
        "rag": "amber",
        "buttons": (
            Button("done", "Done", "A-12"),
            Button("snooze", "Snooze", "A-12"),
            Button("update", "Update", "A-12"),
            Button("not_mine", "Not mine", "A-12"),
        ),
    }
    base.update(extra)
    return ActionItem(**base)  # type: ignore[arg-type]


def test_action_card_shows_reference_owner_mention_due_and_four_buttons() -> None:
    card = render_card(Message("A-12 is yours", (Heading("New action for you"), _item())))
    text = card_text(card)
    assert "**A\\-12**" not in text  # the reference is bold, not escaped into noise
    assert "**A-12** · Send the knife crime data to the board" in text
    assert "Owner(s): <at>Fiona Taylor</at>" in text
    assert "Due: Mon 30 Nov 2026 (end of month)" in text
    assert card["msteams"]["entities"] == [
        {
            "type": "mention",
            "text": "<at>Fiona Taylor</at>",
            "mentioned": {"id": FIONA_ID, "name": "Fiona Taylor"},
        }
    ]
    assert card_buttons(card) == [
        ("Done", "done"),
        ("Snooze", "snooze"),
        ("Update", "update"),
        ("Not mine", "not_mine"),
    ]
    assert card["version"] == "1.4" and card["fallbackText"] == "A-12 is yours"


def test_buttons_are_execute_with_submit_fallback_carrying_only_kind_and_ref() -> None:
    card = render_card(Message("x", (_item(),)))
    done = card["body"][0]["items"][-1]["actions"][0]
    assert done["type"] == "Action.Execute" and done["verb"] == "chaser.done"
    assert done["data"] == {"chaser": "press", "kind": "done", "ref": "A-12"}
    assert done["fallback"]["type"] == "Action.Submit"
    snooze = card["body"][0]["items"][-1]["actions"][1]
    assert snooze["type"] == "Action.ShowCard"
    assert snooze["card"]["body"][0]["id"] == "snooze_for"


def test_user_text_cannot_mention_link_or_format() -> None:
    nasty = "<at>Fiona Taylor</at> see [the form](https://evil.example) **now** & <b>x</b>"
    card = render_card(Message("s", (Paragraph.of(nasty),)))
    text = card_text(card)
    assert "<at>" not in text and "](" not in text.replace("\\]", "")
    assert "\\<at\\>Fiona Taylor\\</at\\>" in text
    assert "\\[the form\\](https://evil.example)" in text
    assert "entities" not in card["msteams"]


def test_a_mention_without_a_valid_teams_id_is_plain_text() -> None:
    parts = (
        Mention(1, "Fiona Taylor", teams_user_id="29:1fionaTaylorUserId"),
        " and ",
        Mention(2, "Tom Hook", teams_user_id=None),
        " and ",
        Mention(3, "Eve", teams_user_id="<at>oops</at>"),
    )
    card = render_card(Message("s", (Paragraph(parts),)))
    assert card_text(card) == "<at>Fiona Taylor</at> and Tom Hook and Eve"
    assert [e["mentioned"]["name"] for e in card["msteams"]["entities"]] == ["Fiona Taylor"]


def test_ids_accepted_for_mentions() -> None:
    assert valid_teams_id("29:1abcDEF-_x")
    assert valid_teams_id("8:orgid:0b6f2c1e-1111-4a3b-9c2d-5e6f7a8b9c01")
    assert valid_teams_id("0b6f2c1e-1111-4a3b-9c2d-5e6f7a8b9c01")
    assert not valid_teams_id("U123")
    assert not valid_teams_id("29:abc</at><at>x")
    assert not valid_teams_id(None)


def test_escape_keeps_words_readable() -> None:
    assert escape("Liaise with Tom Hook by end of month") == "Liaise with Tom Hook by end of month"
    assert escape("a_b*c") == "a\\_b\\*c"
