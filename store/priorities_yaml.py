"""The priority register's YAML format: reading and checking a file before anything is stored.

Format (``examples/priorities.yml`` is a full example)::

    period: "2018-19"            # optional: the period of every priority that gives none
    priorities:                  # required: a list, one entry per priority
      - name: Knife crime        # required, unique (case-insensitive)
        acronyms: [SYV]          # optional: short forms people type
        aliases: [knives, weapon-enabled crime]   # optional: other names
        description: ...         # optional, free text
        period: "2018-19"        # optional, free text ("2011-12", "2018-2021")
        lead: Children and Young People           # a subgroup name, or a list of names;
                                                   # more than one lead is reported as an overlap
        supporting: [Safer Borough]               # optional: subgroup names (in a [list],
                                                   # quote a name with a comma: "Hate, ... & ...")
        targets: [Reduce knife crime among under-25s]   # optional: a list of strings
        notes: ...               # optional: anything a reader should know (disputes, sources)
        scores:                  # optional: the risk matrix, all 16 criteria, each 0-5
          gap_in_current_picture: 3               # (or a list of 16 numbers in this order)
          contribution_to_csp_outcomes: 5
          ...
        stated_total: 64         # optional: the total printed in the source, when it differs

The 16 criteria, in order: see :data:`store.models.priorities.RISK_CRITERIA`. Subgroup names are
matched against the directory by name or alias; a subgroup not in the directory is created.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from store.models.priorities import RISK_CRITERIA

_TOP_KEYS = {"period", "priorities"}
_KEYS = {
    "name", "acronyms", "aliases", "description", "period", "lead", "supporting", "targets",
    "notes", "scores", "stated_total",
}  # fmt: skip


class PriorityFormatError(ValueError):
    """A priorities file is not in the documented format; the message says where and why."""


@dataclass(frozen=True)
class PriorityIn:
    """One priority as read from a file or a chat command, before it is stored."""

    name: str
    acronyms: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    description: str | None = None
    period: str | None = None
    leads: tuple[str, ...] = ()
    supporting: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    notes: str | None = None
    scores: Mapping[str, int] | None = None
    stated_total: int | None = None


def read_file(path: Path) -> list[PriorityIn]:
    """Read and check a priorities YAML file (raises PriorityFormatError, FileNotFoundError)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PriorityFormatError(f"{path}: not valid YAML: {exc}") from exc
    return parse(data, source=str(path))


def parse(data: Any, *, source: str = "priorities") -> list[PriorityIn]:
    """Check already-loaded YAML data and turn it into priorities."""
    if not isinstance(data, dict) or not isinstance(data.get("priorities"), list):
        raise PriorityFormatError(f"{source}: expected a mapping with a 'priorities:' list")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise PriorityFormatError(f"{source}: unknown top-level keys {sorted(unknown)}")
    default_period = _text(data.get("period"), f"{source}: period")
    seen: dict[str, int] = {}
    result = []
    for number, entry in enumerate(data["priorities"], start=1):
        where = f"{source}: priority {number}"
        item = _entry(entry, where, default_period)
        key = item.name.casefold()
        if key in seen:
            raise PriorityFormatError(
                f"{where}: '{item.name}' is already priority {seen[key]} in this file"
            )
        seen[key] = number
        result.append(item)
    return result


def _entry(entry: Any, where: str, default_period: str | None) -> PriorityIn:
    if not isinstance(entry, dict):
        raise PriorityFormatError(f"{where}: expected a mapping with at least a 'name'")
    name = _text(entry.get("name"), f"{where}: name")
    if not name:
        raise PriorityFormatError(f"{where}: 'name' is required")
    where = f"{where} ({name})"
    unknown = set(entry) - _KEYS
    if unknown:
        raise PriorityFormatError(
            f"{where}: unknown keys {sorted(unknown)}; allowed {sorted(_KEYS)}"
        )
    return PriorityIn(
        name=name,
        acronyms=_names(entry.get("acronyms"), f"{where}: acronyms"),
        aliases=_names(entry.get("aliases"), f"{where}: aliases"),
        description=_text(entry.get("description"), f"{where}: description"),
        period=_text(entry.get("period"), f"{where}: period") or default_period,
        leads=_names(entry.get("lead"), f"{where}: lead"),
        supporting=_names(entry.get("supporting"), f"{where}: supporting"),
        targets=_names(entry.get("targets"), f"{where}: targets"),
        notes=_text(entry.get("notes"), f"{where}: notes"),
        scores=parse_scores(entry.get("scores"), f"{where}: scores"),
        stated_total=_total(entry.get("stated_total"), f"{where}: stated_total"),
    )


def _text(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise PriorityFormatError(f"{where}: expected text")
    return " ".join(str(value).split()) or None


def _names(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    names = [_text(item, where) for item in items]
    return tuple(dict.fromkeys(name for name in names if name))


def _total(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 80:
        raise PriorityFormatError(f"{where}: expected a whole number from 0 to 80")
    return value


def parse_scores(value: Any, where: str = "scores") -> dict[str, int] | None:
    """Risk-matrix scores from a mapping of the 16 criteria or a list of 16 numbers, each 0-5."""
    if value is None:
        return None
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) != len(RISK_CRITERIA):
            raise PriorityFormatError(
                f"{where}: a list needs {len(RISK_CRITERIA)} numbers, got {len(value)}"
            )
        value = dict(zip(RISK_CRITERIA, value, strict=True))
    if not isinstance(value, Mapping):
        raise PriorityFormatError(f"{where}: expected a mapping of criteria or a list of 16")
    unknown = set(value) - set(RISK_CRITERIA)
    missing = [c for c in RISK_CRITERIA if c not in value]
    if unknown or missing:
        raise PriorityFormatError(
            f"{where}: unknown criteria {sorted(unknown)}, missing {missing}; "
            f"the 16 criteria are {', '.join(RISK_CRITERIA)}"
        )
    scores: dict[str, int] = {}
    for criterion in RISK_CRITERIA:
        score = value[criterion]
        if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 5:
            raise PriorityFormatError(f"{where}: {criterion} must be a whole number 0-5")
        scores[criterion] = score
    return scores
