"""The README stays true: every setting in its Configuration table, every command it shows."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from pydantic import AliasChoices

from bot.cli import build_parser
from bot.settings import Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _config_table() -> str:
    return README.split("## Configuration", 1)[1].split("\n## ", 1)[0]


def test_every_setting_is_documented() -> None:
    table = _config_table()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        names = alias.choices if isinstance(alias, AliasChoices) else [alias or name]
        assert any(f"`{n}`" in table for n in names), f"{name} is missing from the README"


def test_every_command_the_readme_shows_exists() -> None:
    subcommands = next(
        a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)
    )
    shown = set(re.findall(r"^chaser ([a-z-]+)", README, re.MULTILINE))
    shown |= set(re.findall(r"`chaser ([a-z-]+)", README))
    assert {"extract", "ingest", "directory", "actions"} <= shown
    assert shown <= set(subcommands.choices), shown - set(subcommands.choices)


def test_project_structure_names_every_folder() -> None:
    structure = README.split("## Project structure", 1)[1]
    for folder in ("bot", "handlers", "store", "scheduler", "manifest", "tests", "bench",
                   "examples", "scripts"):  # fmt: skip
        assert re.search(rf"^{folder}/\s", structure, re.MULTILINE), folder
