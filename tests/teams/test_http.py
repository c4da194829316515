"""Chaser in Teams over HTTP: real activity JSON POSTed to /api/messages, replies read back from
the fake Bot Framework connector, and the database checked for what changed."""

from __future__ import annotations

import jwt
import pytest
from sqlalchemy import func, select

from bot.settings import Settings
from bot.teams import notifier_of
from bot.teams.adapter import APOLOGY
from bot.teams.cards import SNOOZE_CHOICES, card_buttons, card_text
from handlers.messages import Message, Outgoing, Paragraph, ToMember
from store.models import Action, ActionOwner, ActionUpdate, AuditEvent, ConversationRef, Member
from tests.fakes.teams_connector import TENANT_ID, FakeTeamsConnector
from tests.teams.harness import (
    BOARD_CHANNEL,
    FIONA,
    PENNY,
    STRANGER,
    TIM,
    TOM,
    Person,
    TeamsWorld,
    personal_conversation,
    posted_to,
    text_of,
)

ACTION = "ACTION: Tom Hook to send the knife crime figures to the board by 30 November"


def _member(world: TeamsWorld, name: str) -> Member:
    with world.sessions() as session:
        member = session.scalar(select(Member).where(Member.name == name))
        assert member is not None
        return member


def _owner(world: TeamsWorld, ref: str) -> ActionOwner:
    with world.sessions() as session:
        owner = session.scalar(select(ActionOwner).join(Action).where(Action.ref == ref))
        assert owner is not None
        return owner


def _audit_count(world: TeamsWorld) -> int:
    with world.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def _capture(world: TeamsWorld, text: str = ACTION) -> str:
    status, _ = world.post(world.make.channel(text, FIONA))
    assert status in (200, 201)
    with world.sessions() as session:
        ref = session.scalar(select(Action.ref).order_by(Action.id.desc()))
    assert ref is not None
    return ref


def _card_sent_to(world: TeamsWorld, person: Person, ref: str) -> str:
    conversation = personal_conversation(person)
    cards = [c for c in posted_to(world, conversation) if ref in text_of(c)]
    assert cards, f"no card about {ref} in {conversation}"
    answer: str | None = cards[-1].answer_id
    assert answer is not None
    return answer


def test_capture_in_a_channel_replies_in_the_thread_with_real_mentions(world: TeamsWorld) -> None:
    message = world.make.channel(ACTION, FIONA)
    status, _ = world.post(message)
    assert status == 201
    replies = posted_to(world, BOARD_CHANNEL)
    assert len(replies) == 1
    reply = replies[0]
    assert reply.conversation_id == f"{BOARD_CHANNEL};messageid={message['id']}"
    assert reply.activity_id == message["id"]  # a reply to the message, in its thread
    text = text_of(reply)
    assert "A-1" in text and "knife crime figures" in text and "30 Nov 2026" in text
    assert "<at>Tom Hook</at>" in text
    entities = reply.card()["msteams"]["entities"]
    assert {
        "type": "mention",
        "text": "<at>Tom Hook</at>",
        "mentioned": {"id": TOM.user_id, "name": "Tom Hook"},
    } in entities
    # the roster was read and the guest matched by the address in their #EXT# UPN
    assert world.connector.roster_lookups()
    tom = _member(world, "Tom Hook")
    assert (tom.teams_user_id, tom.teams_aad_id) == (TOM.user_id, TOM.aad)
    tim = _member(world, "Tim Barfoot")  # "Barfoot, Tim (Council)" in Teams
    assert tim.teams_user_id == TIM.user_id
    # the owner gets a 1:1 card with the four buttons, in a chat the bot opened
    created = world.connector.created()
    assert [c.body["members"][0]["id"] for c in created] == [TOM.user_id]
    card = next(c for c in posted_to(world, personal_conversation(TOM)) if "A-1" in text_of(c))
    assert [kind for _, kind in card_buttons(card.card())] == [
        "done",
        "snooze",
        "update",
        "not_mine",
    ]
    owner = _owner(world, "A-1")
    assert owner.member_id == tom.id and owner.status == "open"
    with world.sessions() as session:
        keys = set(session.scalars(select(ConversationRef.key)))
    assert {f"channel:{BOARD_CHANNEL}", f"user:{TOM.user_id}", f"card:{tom.id}:A-1"} <= keys


def test_channel_messages_without_a_mention_are_left_alone(world: TeamsWorld) -> None:
    status, _ = world.post(world.make.channel(ACTION, FIONA, mention=False))
    assert status == 201
    assert posted_to(world, BOARD_CHANNEL) == []
    with world.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Action)) == 0


def test_group_chat_needs_a_mention_too(world: TeamsWorld) -> None:
    world.post(world.make.group_chat("help", FIONA, mention=False))
    assert world.connector.sent() == []
    world.post(world.make.group_chat("help", FIONA))
    replies = world.connector.sent()
    assert len(replies) == 1 and "my actions" in text_of(replies[0])


def test_a_duplicate_delivery_changes_nothing(world: TeamsWorld) -> None:
    message = world.make.channel(ACTION, FIONA)
    world.post(message)
    before = (len(world.connector.sent()), _audit_count(world))
    status, _ = world.post(message)
    assert status == 201
    assert (len(world.connector.sent()), _audit_count(world)) == before
    with world.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Action)) == 1


def test_done_on_the_card_updates_it_in_place_and_a_double_submit_changes_nothing(
    world: TeamsWorld,
) -> None:
    ref = _capture(world)
    card_id = _card_sent_to(world, TOM, ref)
    status, _ = world.post(world.make.submit(TOM, "done", ref, card_id))
    assert status == 201
    updates = world.connector.updates()
    assert len(updates) == 1
    assert updates[0].conversation_id == personal_conversation(TOM)
    assert updates[0].activity_id == card_id
    assert ref in text_of(updates[0]) and "done" in text_of(updates[0]).lower()
    assert _owner(world, ref).status == "done"
    audit_after_first = _audit_count(world)
    world.post(world.make.submit(TOM, "done", ref, card_id))
    assert _owner(world, ref).status == "done"
    assert _audit_count(world) == audit_after_first


@pytest.mark.parametrize("choice", [value for _, value in SNOOZE_CHOICES])
def test_action_execute_returns_the_updated_card_in_the_invoke_response(
    world: TeamsWorld, choice: str
) -> None:
    ref = _capture(world)
    card_id = _card_sent_to(world, TOM, ref)
    status, body = world.post(world.make.invoke(TOM, "snooze", ref, card_id, snooze_for=choice))
    assert status == 200
    assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    assert ref in str(body["value"])
    owner = _owner(world, ref)
    assert owner.snoozed_until is not None and owner.next_chase_at == owner.snoozed_until


def test_a_press_by_someone_who_does_not_own_the_action_is_refused(world: TeamsWorld) -> None:
    ref = _capture(world)
    card_id = _card_sent_to(world, TOM, ref)
    before = _audit_count(world)
    world.post(world.make.submit(PENNY, "done", ref, card_id))  # a forwarded card, say
    assert _owner(world, ref).status == "open"
    assert _audit_count(world) == before
    assert world.connector.updates() == []
    told = [text_of(c) for c in posted_to(world, personal_conversation(PENNY))]
    assert told and any("only" in t.lower() or "not an owner" in t.lower() for t in told), told


def test_proactive_one_to_one_after_a_restart_uses_the_stored_reference(world: TeamsWorld) -> None:
    world.post(world.make.install_personal(FIONA))
    fiona = _member(world, "Fiona Taylor")
    world.restart()
    world.connector.clear()
    assert world.server is not None
    notifier = notifier_of(world.server.app)
    notifier.send(Outgoing(ToMember(fiona.id), Message("Reminder", (Paragraph.of("A-9 is due"),))))
    sent = world.connector.sent()
    assert [c.conversation_id for c in sent] == [personal_conversation(FIONA)]
    assert "A-9 is due" in text_of(sent[0])
    assert world.connector.created() == []  # no new chat: the reference came from the database


def test_an_unreachable_owner_is_named_to_the_chair(world: TeamsWorld) -> None:
    world.connector.unreachable.add(PENNY.user_id)
    ref = _capture(world, "ACTION: Penny Pyke to review the hospital data by 30 November")
    to_chair = [text_of(c) for c in posted_to(world, personal_conversation(FIONA))]
    assert any("Penny Pyke" in t and "install" in t and ref in t for t in to_chair), to_chair
    with world.sessions() as session:
        penny = session.scalar(select(Member).where(Member.name == "Penny Pyke"))
        assert penny is not None
        events = list(
            session.scalars(
                select(AuditEvent.event).where(
                    AuditEvent.entity_id == penny.id, AuditEvent.entity == "member"
                )
            )
        )
    assert "unreachable" in events


def test_a_throttled_reply_is_retried(world: TeamsWorld) -> None:
    world.connector.fail(r"^POST /v3/conversations/19:board", 429, 503)
    world.post(world.make.channel("help", FIONA))
    posts = [
        c
        for c in world.connector.calls
        if c.method == "POST" and "19:board" in (c.conversation_id or "")
    ]
    assert [c.status for c in posts] == [429, 503, 200]
    assert "my actions" in text_of(posts[-1])


def test_outstanding_asked_in_any_thread_answers_for_the_channel_group(world: TeamsWorld) -> None:
    ref = _capture(world)
    status, _ = world.post(world.make.channel("outstanding", FIONA, thread="1763000000999"))
    assert status == 201
    reply = posted_to(world, BOARD_CHANNEL)[-1]
    assert reply.conversation_id == f"{BOARD_CHANNEL};messageid=1763000000999"
    assert ref in text_of(reply)


def test_an_unknown_speaker_is_matched_from_the_roster_on_their_first_message(
    world: TeamsWorld,
) -> None:
    world.post(world.make.personal("my actions", TOM))
    assert _member(world, "Tom Hook").teams_user_id == TOM.user_id
    reply = posted_to(world, personal_conversation(TOM))
    assert reply and "A-" not in text_of(reply[-1])  # known, owns nothing yet
    world.post(world.make.personal("my actions", STRANGER))
    assert posted_to(world, personal_conversation(STRANGER))


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer not-a-token",
        "Bearer "
        + jwt.encode(
            {"iss": "https://api.botframework.com", "aud": "x"}, "k" * 32, algorithm="HS256"
        ),
    ],
)
def test_with_an_app_id_requests_without_a_valid_token_are_refused(
    db_url: str, connector: FakeTeamsConnector, header: str | None
) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        CHASER_DATABASE_URL=db_url,
        MicrosoftAppId="6f1b9d2e-8c3a-4e5f-9a0b-1c2d3e4f5a6b",
        MicrosoftAppPassword="not-a-real-secret",
    )
    world = TeamsWorld(db_url=db_url, connector=connector, settings=settings)
    try:
        status, _ = world.post(
            world.make.channel(ACTION, FIONA), headers={"Authorization": header} if header else None
        )
        assert status == 401
        assert connector.calls == []
        with world.sessions() as session:
            assert session.scalar(select(func.count()).select_from(ConversationRef)) == 0
            assert session.scalar(select(func.count()).select_from(Action)) == 0
    finally:
        world.close()


def test_installing_in_a_team_stores_the_channel_reads_the_roster_and_says_hello(
    world: TeamsWorld,
) -> None:
    status, _ = world.post(world.make.install_team(FIONA))
    assert status == 201
    hello = posted_to(world, BOARD_CHANNEL)
    assert len(hello) == 1 and "ACTION:" in text_of(hello[0])
    assert world.connector.roster_lookups()
    assert _member(world, "Penny Pyke").teams_user_id == PENNY.user_id
    with world.sessions() as session:
        keys = set(session.scalars(select(ConversationRef.key)))
    assert f"channel:{BOARD_CHANNEL}" in keys


def test_an_owner_mentioned_by_their_teams_name_is_matched_by_their_id(world: TeamsWorld) -> None:
    world.post(world.make.install_team(FIONA))
    line = "ACTION: <at>Tom Hook (Guest)</at> to chair the ASB panel by 30 November"
    world.post(world.make.channel(line, FIONA, mentions=(TOM,)))
    owner = _owner(world, "A-1")
    assert owner.member_id == _member(world, "Tom Hook").id
    assert owner.written == "Tom Hook"


def test_a_refused_execute_press_says_why_in_the_invoke_response(world: TeamsWorld) -> None:
    ref = _capture(world)
    card_id = _card_sent_to(world, TOM, ref)
    status, body = world.post(world.make.invoke(PENNY, "done", ref, card_id))
    assert status == 200
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert "only" in str(body["value"]).lower() or "not an owner" in str(body["value"]).lower()
    assert _owner(world, ref).status == "open"


def test_a_submit_without_reply_to_id_updates_the_card_remembered_in_the_database(
    world: TeamsWorld,
) -> None:
    ref = _capture(world)
    card_id = _card_sent_to(world, TOM, ref)
    press = world.make.submit(TOM, "done", ref, card_id)
    del press["replyToId"]  # some clients leave it out
    world.post(press)
    assert [(c.conversation_id, c.activity_id) for c in world.connector.updates()] == [
        (personal_conversation(TOM), card_id)
    ]
    assert _owner(world, ref).status == "done"


def test_with_a_tenant_set_activities_from_another_tenant_are_refused(
    db_url: str, connector: FakeTeamsConnector
) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, CHASER_DATABASE_URL=db_url, MicrosoftAppTenantId="another-tenant"
    )
    world = TeamsWorld(db_url=db_url, connector=connector, settings=settings)
    try:
        status, _ = world.post(world.make.channel(ACTION, FIONA))
        assert status == 403
        assert connector.calls == []
        with world.sessions() as session:
            assert session.scalar(select(func.count()).select_from(Action)) == 0
    finally:
        world.close()


def test_update_from_the_card_keeps_the_note_and_not_mine_hands_it_back(world: TeamsWorld) -> None:
    ref = _capture(world)
    card_id = _card_sent_to(world, TOM, ref)
    world.post(
        world.make.submit(TOM, "update", ref, card_id, update_text="waiting for <b>police</b> data")
    )
    with world.sessions() as session:
        notes = list(session.scalars(select(ActionUpdate.text)))
    assert notes == ["waiting for <b>police</b> data"]  # kept as written; cards escape it
    shown = world.connector.updates()[-1].card()
    assert "\\<b\\>police\\</b\\>" in card_text(shown)
    world.post(world.make.submit(TOM, "not_mine", ref, card_id))
    assert _owner(world, ref).status == "declined"
    to_chair = [text_of(c) for c in posted_to(world, personal_conversation(FIONA))]
    assert any(ref in t for t in to_chair), to_chair


def test_a_chat_the_bot_opened_is_reused_after_a_restart(world: TeamsWorld) -> None:
    _capture(world)  # opens Tom's 1:1 chat to send him the action
    created = world.connector.created()
    assert len(created) == 1 and created[0].body["channelData"] == {"tenant": {"id": TENANT_ID}}
    tom = _member(world, "Tom Hook")
    world.restart()
    world.connector.clear()
    assert world.server is not None
    notifier_of(world.server.app).send(
        Outgoing(ToMember(tom.id), Message("Reminder", (Paragraph.of("A-1 is due Monday"),)))
    )
    assert world.connector.created() == []
    sent = world.connector.sent()
    assert [c.conversation_id for c in sent] == [personal_conversation(TOM)]
    assert sent[0].body["recipient"]["id"] == TOM.user_id
    conversation = sent[0].body["conversation"]
    assert TENANT_ID in (conversation.get("tenantId"), conversation.get("tenantID"))


def test_a_failing_turn_apologises_and_answers_500_so_teams_retries(
    world: TeamsWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    from handlers.conversation import Conversation

    def broken(self: Conversation, incoming: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(Conversation, "handle", broken)
    message = world.make.channel(ACTION, FIONA)
    status, _ = world.post(message)
    assert status == 500
    replies = posted_to(world, BOARD_CHANNEL)
    assert [c.body["text"] for c in replies] == [APOLOGY]
    monkeypatch.undo()
    status, _ = world.post(message)  # Teams delivers it again: now it is captured
    assert status == 201
    assert "A-1" in text_of(posted_to(world, BOARD_CHANNEL)[-1])


def test_done_said_in_words_also_takes_the_buttons_off_the_earlier_card(world: TeamsWorld) -> None:
    ref = _capture(world)
    card_id = _card_sent_to(world, TOM, ref)
    world.post(world.make.personal(f"done {ref} – sent", TOM))
    assert _owner(world, ref).status == "done"
    updated = [c for c in world.connector.updates() if c.activity_id == card_id]
    assert updated, world.connector.updates()
    assert "done" not in [kind for _, kind in card_buttons(updated[-1].card())]


def test_a_repeated_install_says_hello_once(world: TeamsWorld) -> None:
    install = world.make.install_personal(FIONA)
    world.post(install)
    world.post(install)
    hello = posted_to(world, personal_conversation(FIONA))
    assert len(hello) == 1 and "Hello, I'm Chaser" in text_of(hello[0])


def test_stored_references_hold_no_names(world: TeamsWorld) -> None:
    world.post(world.make.install_personal(FIONA))
    world.post(world.make.channel("help", FIONA))
    with world.sessions() as session:
        stored = {r.key: r.reference for r in session.scalars(select(ConversationRef))}
    assert stored[f"user:{FIONA.user_id}"]["user"] == {"id": FIONA.user_id}
    assert "user" not in stored[f"channel:{BOARD_CHANNEL}"]
    assert "Fiona" not in str(stored)
