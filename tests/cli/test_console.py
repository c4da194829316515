"""`chaser ask` and `chaser console`: the terminal adapter as a newcomer uses it."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from tests.journeys.partnership import partnership_template_fixture  # noqa: F401


@pytest.fixture
def partnership(partnership_template: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """A SQLite copy of the example partnership, selected by environment; files land here."""
    target = tmp_path / "chaser.db"
    shutil.copyfile(partnership_template, target)
    url = f"sqlite:///{target}"
    monkeypatch.setenv("CHASER_DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    return url


def test_ask_captures_and_lists(partnership: str, capsys: pytest.CaptureFixture[str]) -> None:
    said = "ACTION: Tom Hook to send the ASB figures by 30 June 2099"
    assert main(["ask", said, "--as", "Jade Hodgson"]) == 0
    out = capsys.readouterr().out
    assert "A-1" in out and "Tom Hook" in out
    assert "direct message to Tom Hook" in out
    assert main(["ask", "my actions", "--as", "Tom Hook", "--dm"]) == 0
    mine = capsys.readouterr().out
    assert "Your open actions: 1" in mine and "Tue 30 Jun 2099" in mine
    assert main(["ask", "done A-1 – sent", "--as", "Tom Hook"]) == 0
    assert "A-1 is done" in capsys.readouterr().out


def test_ask_export_saves_the_word_file(
    partnership: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    main(["ask", "ACTION: Tom Hook to send the figures by 30 June 2099", "--as", "Jade Hodgson"])
    capsys.readouterr()
    assert main(["ask", "export actions", "--as", "Fiona Taylor"]) == 0
    out = capsys.readouterr().out
    saved = list(tmp_path.glob("actions-*.docx"))
    assert len(saved) == 1 and saved[0].read_bytes()[:2] == b"PK"
    assert f"saved {saved[0]}" in out


def test_unknown_name_says_how_to_add_people(
    partnership: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "my actions", "--as", "Tom Hok"]) == 2
    err = capsys.readouterr().err
    assert "No member called 'Tom Hok'" in err
    assert "Did you mean 'Tom Hook'" in err
    assert "chaser directory import" in err


def test_console_reads_lines_until_quit(
    partnership: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = "help\n\noutstnading\nquit\nmy actions\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    assert main(["console", "--as", "Fiona Taylor", "--channel", "safer-borough"]) == 0
    captured = capsys.readouterr()
    out = captured.out
    assert "you are Fiona Taylor in #safer-borough (Safer Borough)" in captured.err
    assert "What I can do" in out
    assert "Outstanding actions — Safer Borough" in out
    assert "Your open actions" not in out and "You have no open actions" not in out
