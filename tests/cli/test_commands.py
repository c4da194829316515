"""The command line as an operator uses it: extract, directory, ingest, actions, and bad input."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[2]
MARCH = ROOT / "examples" / "minutes" / "csp-2018-03-20.txt"
SEPTEMBER = ROOT / "examples" / "minutes" / "csp-2018-09-18.txt"
DIRECTORY = ROOT / "examples" / "partnership.yml"
CHASER = ROOT / ".venv" / "bin" / "chaser"

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """Run ``chaser ARGS`` in-process against a SQLite file in a fresh working directory."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CHASER_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")

    def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
        code = main(list(args))
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return code, out, err

    return run


@pytest.fixture
def loaded(cli: Run) -> Run:
    """The example partnership imported and the March minutes ingested."""
    assert cli("directory", "import", str(DIRECTORY))[0] == 0
    assert cli("ingest", str(MARCH), "--meeting-date", "2018-03-20")[0] == 0
    return cli


def test_extract_prints_a_table_and_needs_no_database(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHASER_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/nowhere")
    code, out, _ = cli("extract", str(MARCH), "--meeting-date", "2018-03-20")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["Line", "Owners", "Due", "Action"]
    assert "Jonathon Toy, Fiona Taylor, Rita Chadha, Chris Bush" in out
    assert "8 actions found (nothing saved)." in out
    assert list(tmp_path.iterdir()) == []  # no database file was created


def test_extract_json(cli: Run) -> None:
    code, out, _ = cli("extract", str(MARCH), "--json")
    assert code == 0
    found = json.loads(out)
    assert len(found) == 8
    assert found[0]["owners"] == ["Jade Hodgson"]
    assert set(found[0]) >= {"text", "owners", "due_text", "due_date", "line"}


def test_extract_resolves_meeting_deadlines_against_a_calendar(cli: Run) -> None:
    code, out, _ = cli("extract", str(MARCH), "--meeting-date", "2018-03-20")
    assert code == 0 and "? for June CSP" in out
    code, out, _ = cli(
        "extract", str(MARCH), "--meeting-date", "2018-03-20", "--meetings", "2018-09-18,2018-06-19"
    )
    assert code == 0 and "2018-06-19 (for June CSP)" in out


def test_extract_reads_stdin_in_a_real_process(tmp_path: Path) -> None:
    env = {**os.environ, "CHASER_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    done = subprocess.run(
        [str(CHASER), "extract", "-", "--meeting-date", "2018-09-18"],
        input="ACTION: Penny Pyke to set up meeting dates by end of month.\n",
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Penny Pyke" in done.stdout and "2018-09-30" in done.stdout
    assert not (tmp_path / "x.db").exists()


def test_directory_import_is_idempotent_and_show(cli: Run) -> None:
    code, out, _ = cli("directory", "import", str(DIRECTORY))
    assert code == 0 and "23 members added, 6 groups added" in out
    code, out, _ = cli("directory", "import", str(DIRECTORY))
    assert code == 0 and "nothing changed" in out
    code, out, _ = cli("directory", "show")
    assert code == 0
    assert "Safer Borough" in out and "Tim Barfoot" in out and "Jonathan Toy" in out
    code, out, _ = cli("directory", "show", "--json")
    data = json.loads(out)
    assert data["groups"][0]["chair"] == "Fiona Taylor"


def test_ingest_once_then_says_nothing_added(loaded: Run) -> None:
    code, out, _ = loaded("ingest", str(MARCH), "--meeting-date", "2018-03-20")
    assert code == 0
    assert "already ingested" in out and "Nothing added" in out
    code, out, _ = loaded("actions", "--format", "json")
    assert code == 0 and len(json.loads(out)) == 8


def test_ingest_prints_the_confirmation(cli: Run) -> None:
    cli("directory", "import", str(DIRECTORY))
    code, out, _ = cli("ingest", str(SEPTEMBER), "--meeting-date", "2018-09-18", "--group", "csp")
    assert code == 0
    assert "recorded (Community Safety Partnership Board, meeting of Tue 18 Sep 2018)" in out
    assert "A-1" in out and "@Penny Pyke" in out


def test_actions_table_filters_and_formats(loaded: Run, tmp_path: Path) -> None:
    code, out, err = loaded("actions")
    assert code == 0
    assert out.splitlines()[0].split()[:3] == ["Ref", "Due", "Status"]
    assert "A-8" in out and "8 actions" in err
    code, out, _ = loaded("actions", "--owner", "Fiona Taylor", "--format", "json")
    assert len(json.loads(out)) == 4
    code, out, _ = loaded("actions", "--owner", "RC", "--format", "json")
    assert [a["owners"] for a in json.loads(out)] == [
        "Jonathon Toy, Fiona Taylor, Rita Chadha, Chris Bush, Teresa DeVito"
    ]
    code, out, _ = loaded("actions", "--owner", "jonathan toy", "--format", "csv")
    assert out.startswith("Ref,Action,Owner(s),Due,Status,RAG")
    assert len(out.strip().splitlines()) == 3  # header + 2 actions
    code, _, err = loaded("actions", "--group", "Safer Borough")
    assert code == 0 and "No actions match." in err
    code, out, _ = loaded("actions", "--status", "done", "--format", "json")
    assert json.loads(out) == []
    code, out, _ = loaded("actions", "--overdue", "--format", "md", "--output", "log.md")
    assert code == 0 and (tmp_path / "log.md").read_text().startswith("# Action log — all groups\n")


def test_actions_docx_writes_a_word_file_and_says_where(loaded: Run, tmp_path: Path) -> None:
    code, out, err = loaded("actions", "--format", "docx")
    assert code == 0 and out == ""
    assert "wrote the action log (8 actions) to action-log.docx" in err
    document = docx.Document(str(tmp_path / "action-log.docx"))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells][:3] == ["Ref", "Action", "Owner(s)"]
    assert len(table.rows) == 9


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("extract", "nope.txt"), 1, "error: nope.txt: no such file"),
        (("ingest", "nope.txt", "--meeting-date", "2018-03-20"), 1, "nope.txt: no such file"),
        (("directory", "import", "nope.yml"), 1, "nope.yml: no such file"),
        (("extract", str(MARCH), "--meeting-date", "2018-13-40"), 2, "'2018-13-40' is not a date"),
        (("ingest", str(MARCH)), 2, "the following arguments are required: --meeting-date"),
        (("actions", "--group", "Planning Committee"), 2, "no group called 'Planning Committee'"),
        (("actions", "--format", "pdf"), 2, "invalid choice: 'pdf'"),
        (("actions", "--colour"), 2, "unrecognized arguments: --colour"),
        (("ingest", str(MARCH), "--meeting-date", "2018-03-20", "--group", "Nowhere"), 2,
         "no group called 'Nowhere'"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_non_zero(
    cli: Run, args: tuple[str, ...], code: int, message: str
) -> None:
    got, _, err = cli(*args)
    assert got == code
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_word_minutes_are_read(cli: Run, tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("CSP Board minutes", level=1)
    document.add_paragraph(
        "ACTION: Rita Chadha to circulate the hate crime strategy by 30 November"
    )
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Ref", "Lead", "Action"), strict=True):
        cell.text = text
    for cell, text in zip(
        table.rows[1].cells, ("1", "Penny Pyke", "Set up ward panel dates"), strict=True
    ):
        cell.text = text
    document.save(str(tmp_path / "minutes.docx"))
    code, out, _ = cli("extract", "minutes.docx", "--meeting-date", "2018-09-18", "--json")
    assert code == 0
    found = json.loads(out)
    assert found[0]["owners"] == ["Rita Chadha"] and found[0]["due_date"] == "2018-11-30"
    cli("directory", "import", str(DIRECTORY))
    code, out, _ = cli("ingest", "minutes.docx", "--meeting-date", "2018-09-18")
    assert code == 0 and "@Rita Chadha" in out


def test_unreadable_docx_and_bad_yaml(cli: Run, tmp_path: Path) -> None:
    (tmp_path / "broken.docx").write_bytes(b"this is not a word document")
    code, _, err = cli("extract", "broken.docx")
    assert code == 1 and err.startswith("error:") and len(err.strip().splitlines()) == 1
    (tmp_path / "bad.yml").write_text("members:\n  - name: [oops\n", encoding="utf-8")
    code, _, err = cli("directory", "import", "bad.yml")
    assert code == 1 and "bad.yml: not valid YAML at line" in err
