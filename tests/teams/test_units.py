"""Roster matching, thread ids, retry backoff and the app package, without a server."""

from __future__ import annotations

import asyncio
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from msrest.exceptions import HttpOperationError
from sqlalchemy.orm import Session, sessionmaker

from bot.teams import references, roster
from bot.teams.retry import Backoff, retrying
from store.models import Member


def test_thread_ids_are_normalised_to_their_channel() -> None:
    conv = "19:board0channel0id@thread.tacv2;messageid=1763892000123"
    assert references.channel_of(conv) == "19:board0channel0id@thread.tacv2"
    assert references.thread_of(conv) == "1763892000123"
    assert references.thread_of("19:board0channel0id@thread.tacv2") is None
    assert references.channel_of("a:1personal") == "a:1personal"
    assert (
        references.conversation_id_for("19:c@thread.tacv2", "42")
        == "19:c@thread.tacv2;messageid=42"
    )


def test_guest_upn_reads_back_to_the_home_address() -> None:
    assert (
        roster.guest_email("tom.hook_met.police.uk#EXT#@borough.onmicrosoft.com")
        == "tom.hook@met.police.uk"
    )
    assert roster.guest_email("fiona@borough.gov.uk") is None
    assert roster.plain_name("Barfoot, Tim (Council)") == "Tim Barfoot"
    assert roster.plain_name("Tom Hook (Guest)") == "Tom Hook"


def _members(sessions: sessionmaker[Session]) -> dict[str, Member]:
    with sessions() as session, session.begin():
        people = [
            Member(name="Fiona Taylor", email="Fiona.Taylor@borough.gov.uk"),
            Member(name="Tom Hook", email="tom.hook@met.police.uk"),
            Member(name="Tim Barfoot", aliases=["Timothy Barfoot"]),
            Member(name="Chris Bush"),
            Member(name="Chris Bush-Smith", aliases=["Chris Bush"]),
        ]
        session.add_all(people)
    return {m.name: m for m in people}


def test_roster_matches_by_email_guest_upn_name_and_links_ids(
    sessions: sessionmaker[Session],
) -> None:
    people = _members(sessions)
    entries = [
        roster.RosterEntry(
            "29:1fiona",
            "Fiona Taylor (Council)",
            aad_id="aad-f",
            email="fiona.taylor@borough.gov.uk",
        ),
        roster.RosterEntry(
            "29:1tom",
            "Tom Hook (Guest)",
            aad_id="aad-t",
            upn="tom.hook_met.police.uk#EXT#@borough.onmicrosoft.com",
            guest=True,
        ),
        roster.RosterEntry("29:1tim", "Barfoot, Tim (Council)", aad_id="aad-b"),
        roster.RosterEntry("29:1chris", "Chris Bush", aad_id="aad-c"),  # two members answer to it
        roster.RosterEntry("29:1nobody", "Nobody Known", aad_id="aad-n"),
    ]
    with sessions() as session, session.begin():
        matched = roster.sync(session, entries)
    assert matched == {
        "29:1fiona": people["Fiona Taylor"].id,
        "29:1tom": people["Tom Hook"].id,
        "29:1tim": people["Tim Barfoot"].id,
    }
    with sessions() as session:
        tom = session.get(Member, people["Tom Hook"].id)
        assert tom is not None and (tom.teams_user_id, tom.teams_aad_id) == ("29:1tom", "aad-t")
        chris = session.get(Member, people["Chris Bush"].id)
        assert chris is not None and chris.teams_user_id is None
    # a second sync by AAD id alone finds the same people and changes nothing
    with sessions() as session, session.begin():
        again = roster.sync(session, [roster.RosterEntry("29:1tom", "T. Hook", aad_id="aad-t")])
        assert again == {"29:1tom": people["Tom Hook"].id}
        assert not session.dirty


class _Response:
    def __init__(self, status: int) -> None:
        self.status_code = status
        self.headers: dict[str, str] = {}
        self.reason = "failed"

    def raise_for_status(self) -> None:
        raise RuntimeError(f"HTTP {self.status_code}")


def _error(status: int) -> HttpOperationError:
    return HttpOperationError(lambda *a: None, _Response(status))  # type: ignore[arg-type]


def test_retry_waits_with_backoff_then_succeeds() -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    answers: list[Any] = [_error(429), _error(503), "sent"]

    async def call() -> str:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return str(answer)

    backoff = Backoff(base=1.0, sleep=sleep, jitter=lambda: 1.0)
    assert asyncio.run(retrying(call, backoff, "send")) == "sent"
    assert waits == [1.0, 2.0]


def test_retry_gives_up_on_a_permanent_error_at_once() -> None:
    calls = 0

    async def call() -> None:
        nonlocal calls
        calls += 1
        raise _error(403)

    async def sleep(seconds: float) -> None:
        raise AssertionError("no wait for a 403")

    with pytest.raises(HttpOperationError):
        asyncio.run(retrying(call, Backoff(sleep=sleep), "send"))
    assert calls == 1


def test_teams_package_validates_and_zips(tmp_path: Path) -> None:
    from bot.commands.teams_package import MANIFEST_DIR, ManifestError, build_package

    app_id = "6f1b9d2e-8c3a-4e5f-9a0b-1c2d3e4f5a6b"
    out = build_package(MANIFEST_DIR, app_id, tmp_path / "chaser-teams.zip")
    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(package.read("manifest.json"))
    assert manifest["bots"][0]["botId"] == app_id
    assert set(manifest["bots"][0]["scopes"]) == {"personal", "team", "groupChat"}
    with pytest.raises(ManifestError, match="GUID"):
        build_package(MANIFEST_DIR, "not-an-id", tmp_path / "x.zip")
    broken = tmp_path / "broken"
    broken.mkdir()
    data = json.loads((MANIFEST_DIR / "manifest.json").read_text())
    data["icons"]["color"] = "outline.png"
    del data["accentColor"]
    (broken / "manifest.json").write_text(json.dumps(data))
    (broken / "outline.png").write_bytes((MANIFEST_DIR / "outline.png").read_bytes())
    with pytest.raises(ManifestError) as exc:
        build_package(broken, app_id, tmp_path / "y.zip")
    assert "accentColor is required" in str(exc.value)
    assert "icons.color: outline.png is 32×32, Teams needs 192×192" in str(exc.value)


def test_the_teams_package_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    out = tmp_path / "chaser-teams.zip"
    app_id = "6f1b9d2e-8c3a-4e5f-9a0b-1c2d3e4f5a6b"
    assert main(["teams-package", "--app-id", app_id, "--output", str(out)]) == 0
    assert zipfile.is_zipfile(out)
    assert main(["teams-package", "--app-id", "nope", "--output", str(out)]) == 1
    assert "not a Microsoft App ID" in capsys.readouterr().err


def test_message_text_loses_the_bot_mention_and_html_but_keeps_lines() -> None:
    from botbuilder.schema import Activity

    from bot.teams.inbound import clean_text

    activity = Activity().deserialize(
        {
            "type": "message",
            "text": "<p><at>Chaser</at>&nbsp;minutes:</p><ul><li>ACTION: Tom Hook to call"
            " &amp; write</li><li>ACTION: <at>Penny (NHS)</at> to send data</li></ul>",
            "recipient": {"id": "28:bot", "name": "Chaser"},
            "entities": [
                {"type": "mention", "text": "<at>Chaser</at>", "mentioned": {"id": "28:bot"}},
                {"type": "mention", "text": "<at>Penny (NHS)</at>", "mentioned": {"id": "29:1p"}},
            ],
        }
    )
    text = clean_text(activity, {"<at>Penny (NHS)</at>": "Penny Pyke"})
    assert text.splitlines() == [
        "minutes:",
        "ACTION: Tom Hook to call & write",
        "ACTION: Penny Pyke to send data",
    ]
