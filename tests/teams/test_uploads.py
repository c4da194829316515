"""Minutes sent as a file in a Teams personal chat are fetched from the pre-authorised link,
read and captured; what cannot be read gets a clear reply and captures nothing."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from docx import Document
from sqlalchemy import func, select

from bot.teams.uploads import FILE_INFO, IN_CHANNEL
from handlers.limits import MAX_UPLOAD_BYTES
from store.models import Action
from tests.teams.harness import (
    BOARD_CHANNEL,
    FIONA,
    TeamsWorld,
    personal_conversation,
    posted_to,
    text_of,
)

LINE = "ACTION: Tom Hook to send the knife crime figures to the board by 30 November"


class FileHost:
    """A real HTTP server on 127.0.0.1 standing in for OneDrive's download links."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.requests: list[str] = []
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                host.requests.append(self.path)
                body = host.files.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"


@pytest.fixture
def host() -> Iterator[FileHost]:
    served = FileHost()
    yield served
    served.server.shutdown()


def _with_file(activity: dict[str, Any], name: str, url: str, **extra: Any) -> dict[str, Any]:
    content = {"downloadUrl": url, "uniqueId": "1D5B9C6E", "fileType": name.rsplit(".", 1)[-1]}
    activity["attachments"] = [
        {"contentType": FILE_INFO, "contentUrl": url, "name": name, "content": content | extra}
    ]
    return activity


def _actions(world: TeamsWorld) -> int:
    with world.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Action)) or 0)


def _replies(world: TeamsWorld) -> str:
    return "\n".join(text_of(c) for c in posted_to(world, personal_conversation(FIONA)))


def _docx(*paragraphs: str) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def test_word_minutes_sent_in_a_personal_chat_are_captured(
    world: TeamsWorld, host: FileHost
) -> None:
    host.files["/minutes.docx"] = _docx("CSP Board, 23 November", LINE)
    activity = _with_file(
        world.make.personal("", FIONA), "minutes.docx", host.url("/minutes.docx")
    )
    status, _ = world.post(activity)
    assert status in (200, 201)
    assert host.requests == ["/minutes.docx"]
    assert _actions(world) == 1
    assert "A-1" in _replies(world) and "Tom Hook" in _replies(world)
    world.post(activity)  # Teams delivers the same activity again: nothing twice
    assert _actions(world) == 1


def test_an_oversize_file_is_refused_before_it_is_fetched(
    world: TeamsWorld, host: FileHost
) -> None:
    activity = _with_file(
        world.make.personal("", FIONA), "pack.docx", host.url("/pack.docx"),
        size=MAX_UPLOAD_BYTES + 1,
    )  # fmt: skip
    world.post(activity)
    assert host.requests == [] and _actions(world) == 0
    assert "pack.docx is 20.0 MB" in _replies(world)


def test_a_file_that_is_not_minutes_gets_a_reason(world: TeamsWorld, host: FileHost) -> None:
    host.files["/notes.docx"] = b"not a Word file at all"
    world.post(_with_file(world.make.personal("", FIONA), "notes.docx", host.url("/notes.docx")))
    assert _actions(world) == 0
    assert "couldn't read notes.docx as minutes (not a Word document)" in _replies(world)


def test_a_link_that_has_expired_says_to_send_again(world: TeamsWorld, host: FileHost) -> None:
    world.post(_with_file(world.make.personal("", FIONA), "gone.md", host.url("/gone.md")))
    assert _actions(world) == 0
    assert "couldn't fetch gone.md" in _replies(world)


def test_other_file_types_are_named_not_guessed(world: TeamsWorld, host: FileHost) -> None:
    world.post(_with_file(world.make.personal("", FIONA), "photo.png", host.url("/photo.png")))
    assert host.requests == [] and _actions(world) == 0
    assert "photo.png" in _replies(world) and ".docx, .txt or .md" in _replies(world)


def test_text_sent_with_the_file_is_answered_too(world: TeamsWorld, host: FileHost) -> None:
    host.files["/m.txt"] = LINE.encode()
    world.post(_with_file(world.make.personal("my actions", FIONA), "m.txt", host.url("/m.txt")))
    assert _actions(world) == 1
    assert "A-1" in _replies(world)


def test_a_file_mentioned_in_a_channel_is_explained(world: TeamsWorld) -> None:
    activity = world.make.channel("here are the minutes", FIONA)
    activity["attachments"] = [
        {"contentType": "text/html", "content": "<div>here are the minutes</div>"},
        {
            "contentType": "reference",
            "contentUrl": "https://contoso.sharepoint.com/sites/csp/Shared%20Documents/m.docx",
            "name": "m.docx",
        },
    ]
    world.post(activity)
    assert IN_CHANNEL in "\n".join(text_of(c) for c in posted_to(world, BOARD_CHANNEL))
