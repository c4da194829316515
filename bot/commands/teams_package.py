"""``chaser teams-package``: check the Teams app manifest and icons, then zip the app package."""

from __future__ import annotations

import argparse
import json
import re
import struct
import zipfile
from pathlib import Path
from typing import Any

from rich.console import Console

from bot.cli import UsageError
from bot.settings import load_settings

MANIFEST_DIR = Path(__file__).resolve().parents[2] / "manifest" / "teams"
PLACEHOLDER = "00000000-0000-0000-0000-000000000000"
_GUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")
_VERSION = re.compile(r"^\d+\.\d+\.\d+$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_SCOPES = {"personal", "team", "groupChat"}
_REQUIRED = (
    "manifestVersion",
    "version",
    "id",
    "developer",
    "name",
    "description",
    "icons",
    "accentColor",
    "bots",
)


class ManifestError(ValueError):
    """The manifest or an icon is wrong; the message lists every problem found."""


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "teams-package", help="validate the Teams manifest and icons and zip the app package"
    )
    parser.add_argument("--app-id", help="the bot's Microsoft App ID (default: MicrosoftAppId)")
    parser.add_argument("--output", default="chaser-teams.zip", help="the zip to write")
    parser.add_argument("--manifest-dir", default=str(MANIFEST_DIR), help=argparse.SUPPRESS)
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    app_id = args.app_id or load_settings().teams_app_id
    if not app_id:
        raise UsageError("teams-package: give --app-id or set MicrosoftAppId")
    try:
        path = build_package(Path(args.manifest_dir), app_id, Path(args.output))
    except ManifestError as exc:
        Console(stderr=True).print(f"[red]error:[/red] {exc}", highlight=False)
        return 1
    Console().print(f"wrote {path}: upload it in Teams → Apps → Manage your apps → Upload an app")
    return 0


def png_size(data: bytes) -> tuple[int, int, bool]:
    """(width, height, has_alpha) of a PNG, read from its header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ManifestError("not a PNG file")
    width, height, _depth, colour_type = struct.unpack(">IIBB", data[16:26])
    return width, height, colour_type in (4, 6) or b"tRNS" in data


def _check_icons(folder: Path, icons: dict[str, Any], problems: list[str]) -> None:
    wanted = {"color": (192, 192), "outline": (32, 32)}
    for kind, size in wanted.items():
        name = icons.get(kind)
        if not isinstance(name, str) or not (folder / name).is_file():
            problems.append(f"icons.{kind}: file {name!r} is missing")
            continue
        try:
            width, height, alpha = png_size((folder / name).read_bytes())
        except ManifestError as exc:
            problems.append(f"icons.{kind}: {exc}")
            continue
        if (width, height) != size:
            problems.append(
                f"icons.{kind}: {name} is {width}×{height}, Teams needs {size[0]}×{size[1]}"
            )
        if kind == "outline" and not alpha:
            problems.append(f"icons.outline: {name} needs a transparent background")


def _check_bot(bot: dict[str, Any], problems: list[str]) -> None:
    if not _GUID.match(str(bot.get("botId", ""))):
        problems.append("bots[0].botId must be the Microsoft App ID (a GUID)")
    scopes = set(bot.get("scopes") or [])
    if not scopes or not scopes <= _SCOPES:
        problems.append(f"bots[0].scopes must be some of {sorted(_SCOPES)}")
    for lst in bot.get("commandLists") or []:
        commands = lst.get("commands") or []
        if len(commands) > 10:
            problems.append("a command list may hold at most 10 commands")
        for command in commands:
            if not 0 < len(command.get("title", "")) <= 32:
                problems.append(f"command title {command.get('title')!r} must be 1-32 characters")
            if len(command.get("description", "")) > 128:
                problems.append(
                    f"command {command.get('title')!r}: description over 128 characters"
                )


def validate(manifest: dict[str, Any], folder: Path) -> None:
    """Raise ManifestError listing every problem: required fields, ids, lengths, icons."""
    problems = [f"{key} is required" for key in _REQUIRED if not manifest.get(key)]
    if manifest.get("id") and not _GUID.match(str(manifest["id"])):
        problems.append("id must be a GUID")
    if manifest.get("version") and not _VERSION.match(str(manifest["version"])):
        problems.append("version must look like 1.2.3")
    if manifest.get("accentColor") and not _COLOUR.match(str(manifest["accentColor"])):
        problems.append("accentColor must look like #1F5F8B")
    name, description = manifest.get("name") or {}, manifest.get("description") or {}
    if not 0 < len(name.get("short", "")) <= 30:
        problems.append("name.short must be 1-30 characters")
    if not 0 < len(description.get("short", "")) <= 80:
        problems.append("description.short must be 1-80 characters")
    if not 0 < len(description.get("full", "")) <= 4000:
        problems.append("description.full must be 1-4000 characters")
    for field in ("websiteUrl", "privacyUrl", "termsOfUseUrl"):
        if not str((manifest.get("developer") or {}).get(field, "")).startswith("https://"):
            problems.append(f"developer.{field} must be an https:// address")
    bots = manifest.get("bots") or []
    if len(bots) != 1:
        problems.append("bots must hold exactly one bot")
    else:
        _check_bot(bots[0], problems)
    _check_icons(folder, manifest.get("icons") or {}, problems)
    if problems:
        raise ManifestError("the Teams manifest is not valid:\n  - " + "\n  - ".join(problems))


def build_package(folder: Path, app_id: str, output: Path) -> Path:
    """Fill in the app id, validate, and write the zip (manifest.json and the two icons)."""
    if not _GUID.match(app_id) or app_id == PLACEHOLDER:
        raise ManifestError(f"the app id {app_id!r} is not a Microsoft App ID (a GUID)")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("id") in (None, PLACEHOLDER):
        manifest["id"] = app_id
    for bot in manifest.get("bots") or []:
        if bot.get("botId") in (None, PLACEHOLDER):
            bot["botId"] = app_id
    validate(manifest, folder)
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        for kind in ("color", "outline"):
            name = manifest["icons"][kind]
            package.write(folder / name, arcname=name)
    return output
