"""The directory file (YAML) read into checked, typed specs before anything is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MEMBER_FIELDS = (
    "initials",
    "email",
    "organisation",
    "title",
    "slack_user_id",
    "teams_user_id",
    "teams_aad_id",
    "timezone",
)
GROUP_KINDS = ("board", "subgroup")
PLATFORMS = ("slack", "teams", "console")


class DirectoryError(ValueError):
    """The directory file or a directory change is wrong; the message is one human line."""


@dataclass(frozen=True)
class MemberSpec:
    """One person as the file describes them; ``fields`` holds only the keys the file sets."""

    name: str
    aliases: tuple[str, ...] | None
    fields: Mapping[str, str | None]


@dataclass(frozen=True)
class MeetingSpec:
    """A dated meeting of a group."""

    date: dt.date
    title: str | None = None


@dataclass(frozen=True)
class GroupSpec:
    """The board or a subgroup as the file describes it (people by name)."""

    name: str
    aliases: tuple[str, ...] | None = None
    kind: str = "subgroup"
    parent: str | None = None
    lead: str | None = None
    chair: str | None = None
    secretary: str | None = None
    members: tuple[str, ...] = ()
    channels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    meetings: tuple[MeetingSpec, ...] = ()
    settings: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class DirectorySpec:
    """A whole directory file."""

    members: tuple[MemberSpec, ...]
    groups: tuple[GroupSpec, ...]


def load_yaml_file(path: str | Path) -> dict[str, Any]:
    """Read a directory file; a missing or malformed file is a :class:`DirectoryError`."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DirectoryError(f"{file}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DirectoryError(f"{file}: cannot read it ({exc})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise DirectoryError(f"{file}: not valid YAML{where}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DirectoryError(f"{file}: expected `members:` and `groups:` at the top level")
    return data


def _text(value: Any, where: str, *, required: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise DirectoryError(f"{where}: a name is required")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise DirectoryError(f"{where}: expected text, got {type(value).__name__}")
    return str(value).strip()


def _names(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value.strip(),)
    if not isinstance(value, Sequence):
        raise DirectoryError(f"{where}: expected a list")
    return tuple(t for i, v in enumerate(value) if (t := _text(v, f"{where}[{i}]")))


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise DirectoryError(f"{where}: {value!r} is not a date (use YYYY-MM-DD)") from None


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise DirectoryError(f"{where}: expected a mapping of keys to values")
    return value


def parse_member(raw: Any, where: str) -> MemberSpec:
    """One entry of ``members:``."""
    entry = _mapping(raw, where)
    name = _text(entry.get("name"), where, required=True)
    assert name is not None
    where = f"{where} ({name})"
    unknown = set(entry) - {"name", "aliases", *MEMBER_FIELDS}
    if unknown:
        raise DirectoryError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    aliases = _names(entry["aliases"], f"{where}.aliases") if "aliases" in entry else None
    fields = {k: _text(entry[k], f"{where}.{k}") for k in MEMBER_FIELDS if k in entry}
    return MemberSpec(name=name, aliases=aliases, fields=fields)


def _meetings(value: Any, where: str) -> tuple[MeetingSpec, ...]:
    out = []
    for i, item in enumerate(value or ()):
        if isinstance(item, Mapping):
            out.append(
                MeetingSpec(
                    _date(item.get("date"), f"{where}[{i}]"),
                    _text(item.get("title"), f"{where}[{i}].title"),
                )
            )
        else:
            out.append(MeetingSpec(_date(item, f"{where}[{i}]")))
    return tuple(out)


def _channels(value: Any, where: str) -> dict[str, tuple[str, ...]]:
    channels = _mapping(value or {}, where)
    for platform in channels:
        if platform not in PLATFORMS:
            raise DirectoryError(
                f"{where}: unknown platform {platform!r} (slack, teams or console)"
            )
    return {p: _names(ids, f"{where}.{p}") for p, ids in channels.items()}


def parse_group(raw: Any, where: str) -> GroupSpec:
    """One entry of ``groups:``."""
    entry = _mapping(raw, where)
    name = _text(entry.get("name"), where, required=True)
    assert name is not None
    where = f"{where} ({name})"
    allowed = {"name", "aliases", "kind", "parent", "lead", "chair", "secretary", "members"}
    unknown = set(entry) - allowed - {"channels", "meetings", "settings"}
    if unknown:
        raise DirectoryError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    kind = _text(entry.get("kind"), f"{where}.kind") or "subgroup"
    if kind not in GROUP_KINDS:
        raise DirectoryError(f"{where}.kind: {kind!r} is not one of board, subgroup")
    settings = entry.get("settings")
    return GroupSpec(
        name=name,
        aliases=_names(entry["aliases"], f"{where}.aliases") if "aliases" in entry else None,
        kind=kind,
        parent=_text(entry.get("parent"), f"{where}.parent"),
        lead=_text(entry.get("lead"), f"{where}.lead"),
        chair=_text(entry.get("chair"), f"{where}.chair"),
        secretary=_text(entry.get("secretary"), f"{where}.secretary"),
        members=_names(entry.get("members"), f"{where}.members"),
        channels=_channels(entry.get("channels"), f"{where}.channels"),
        meetings=_meetings(entry.get("meetings"), f"{where}.meetings"),
        settings=dict(_mapping(settings, f"{where}.settings")) if settings is not None else None,
    )


def parse(data: Mapping[str, Any]) -> DirectorySpec:
    """Check a whole directory mapping and return its specs (no database involved)."""
    data = _mapping(data, "directory")
    unknown = set(data) - {"members", "groups"}
    if unknown:
        raise DirectoryError(
            f"unknown top-level key {sorted(unknown)[0]!r} (expected members, groups)"
        )
    for key in ("members", "groups"):
        if data.get(key) is not None and not isinstance(data[key], list):
            raise DirectoryError(f"`{key}:` must be a list")
    members = tuple(
        parse_member(m, f"members[{i}]") for i, m in enumerate(data.get("members") or ())
    )
    groups = tuple(parse_group(g, f"groups[{i}]") for i, g in enumerate(data.get("groups") or ()))
    _no_duplicates([m.name for m in members], "member")
    _no_duplicates([g.name for g in groups], "group")
    return DirectorySpec(members=members, groups=groups)


def _no_duplicates(names: list[str], what: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name.casefold() in seen:
            raise DirectoryError(f"{what} {name!r} is listed twice")
        seen.add(name.casefold())
