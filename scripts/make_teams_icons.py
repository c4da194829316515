"""Draw the Teams app icons (manifest/teams/color.png 192×192, outline.png 32×32) with zlib only.

The colour icon is a full-bleed square in Chaser's accent colour with a white tick inside a ring;
the outline icon is the same ring and tick in white on a transparent background, as Teams asks.
Run: python scripts/make_teams_icons.py
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "manifest" / "teams"
ACCENT = (0x1F, 0x5F, 0x8B)
WHITE = (0xFF, 0xFF, 0xFF)

Pixel = tuple[int, int, int, int]


def _png(width: int, height: int, pixel: Callable[[float, float], Pixel]) -> bytes:
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            rows.extend(pixel((x + 0.5) / width, (y + 0.5) / height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def _segment_distance(
    px: float, py: float, a: tuple[float, float], b: tuple[float, float]
) -> float:
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def _mark(x: float, y: float, stroke: float) -> bool:
    """The ring and tick, in unit coordinates."""
    ring = abs(math.hypot(x - 0.5, y - 0.5) - 0.36) < stroke / 2
    tick = (
        min(
            _segment_distance(x, y, (0.32, 0.52), (0.45, 0.65)),
            _segment_distance(x, y, (0.45, 0.65), (0.70, 0.37)),
        )
        < stroke / 2
    )
    return ring or tick


def colour(x: float, y: float) -> Pixel:
    return (*WHITE, 255) if _mark(x, y, 0.075) else (*ACCENT, 255)


def outline(x: float, y: float) -> Pixel:
    return (*WHITE, 255) if _mark(x, y, 0.11) else (0, 0, 0, 0)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "color.png").write_bytes(_png(192, 192, colour))
    (OUT / "outline.png").write_bytes(_png(32, 32, outline))
    print(f"wrote {OUT / 'color.png'} and {OUT / 'outline.png'}")


if __name__ == "__main__":
    main()
