"""Fixtures for the extraction tests: seed and corpus minutes copied into tests/fixtures/minutes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

MINUTES = Path(__file__).resolve().parents[1] / "fixtures" / "minutes"
SEED_000 = "000_717cd511edc6698e.txt"
SEED_001 = "001_b9237d940a0cce76.txt"
SEED_004 = "004_3871c6b220084447.txt"
CORPUS = (
    "northwold-whittington-pc-2017-04-04",
    "wereham-pc-2014-07-08",
    "west-dereham-pc-2006-07-13",
    "west-dereham-pc-2008-09-18",
)


def read_minutes(name: str) -> str:
    """The text of a fixture document."""
    return (MINUTES / name).read_text(encoding="utf-8")


def read_labels(stem: str) -> dict[str, Any]:
    """The hand labels of a corpus document (items and non_actions)."""
    labels: dict[str, Any] = json.loads((MINUTES / f"{stem}.json").read_text(encoding="utf-8"))
    return labels


def read_single_items() -> list[dict[str, Any]]:
    """The 101 single labelled action items of parish_actions.jsonl."""
    lines = (MINUTES / "parish_actions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="session")
def seed_000() -> str:
    """Seed 000: CSP board minutes, strategic assessment (spring 2018)."""
    return read_minutes(SEED_000)


@pytest.fixture(scope="session")
def seed_001() -> str:
    """Seed 001: CSP board minutes, sub groups' 12 month plan (autumn 2018)."""
    return read_minutes(SEED_001)


@pytest.fixture(scope="session")
def seed_004() -> str:
    """Seed 004: recommendations table of a partnership strategic assessment (2010)."""
    return read_minutes(SEED_004)
