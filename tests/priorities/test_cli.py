"""`chaser priorities import|show|overlaps` and `chaser ask` against the shipped example file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from store.db import make_engine, make_session_factory, transaction
from tests.priorities.conftest import EXAMPLE, build_directory


@pytest.fixture
def cli_db(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CHASER_DATABASE_URL", sqlite_url)
    engine = make_engine(sqlite_url)
    with transaction(make_session_factory(engine)) as session:
        build_directory(session)
    engine.dispose()
    return sqlite_url


def test_import_show_overlaps_and_ask(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["priorities", "import", str(EXAMPLE)]) == 0
    assert capsys.readouterr().out == (
        "19 priorities read: 19 added, 0 changed, 0 unchanged\n"
        "subgroups not in the directory, created: LSCB\n"
    )
    assert main(["priorities", "import", str(EXAMPLE)]) == 0
    assert capsys.readouterr().out == "19 priorities read: 0 added, 0 changed, 19 unchanged\n"

    assert main(["priorities", "show"]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert len(shown) == 19
    knife = "Knife crime: lead Children and Young People (Angie Fuller); 2018-19; 0 open actions"
    assert knife in shown
    assert (
        "Reducing re-offending [IOM]: lead Managing Offenders (Greg Tillett); risk 59/80; "
        "2011-12; 0 open actions"
    ) in shown
    assert "Substance misuse: NO LEAD; 2018-19; 0 open actions" in shown

    assert main(["priorities", "show", "--json"]) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["Reducing re-offending"]["risk_total"] == 59
    assert rows["Reducing re-offending"]["stated_total"] == 64
    assert rows["Prevent"]["lead"] == ["LSCB"]

    assert main(["priorities", "overlaps"]) == 0
    assert "No lead: Environmental crime, Substance misuse" in capsys.readouterr().out

    assert main(["ask", "who leads on ASB?", "--as", "Dan James"]) == 0
    assert capsys.readouterr().out.startswith(
        "Anti-social behaviour: lead Safer Borough (@Tim Barfoot); no open actions"
    )


def test_a_bad_file_is_one_clear_error(
    cli_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("priorities:\n  - name: Knife crime\n    suporting: [CYP]\n", encoding="utf-8")
    assert main(["priorities", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "priority 1 (Knife crime): unknown keys ['suporting']" in err
    assert main(["priorities", "show"]) == 0
    assert "The priority register is empty" in capsys.readouterr().out
