"""How long Chaser takes to answer in Teams, end to end over HTTP (printed with ``-s``).

Bot Framework gives a bot 15 seconds before it treats a delivery as failed; this keeps a wide
margin: a 1:1 command answers in well under a second, a capture in a channel in a few.
"""

from __future__ import annotations

import statistics
import time

from tests.teams.harness import ACTION_LINE, FIONA, TeamsWorld


def _timed(world: TeamsWorld, activity: dict[str, object]) -> float:
    start = time.perf_counter()
    status, _ = world.post(activity)
    assert status in (200, 201)
    return time.perf_counter() - start


def test_answer_times(world: TeamsWorld) -> None:
    helps = [_timed(world, world.make.personal("my actions", FIONA)) for _ in range(20)]
    captures = [
        _timed(world, world.make.channel(ACTION_LINE.format(n=n), FIONA)) for n in range(1, 6)
    ]
    help_median, capture_median = statistics.median(helps), statistics.median(captures)
    print(
        f"\nTeams 1:1 'my actions': median {help_median * 1000:.0f} ms, "
        f"max {max(helps) * 1000:.0f} ms"
        f"\nTeams channel capture (thread reply + owner 1:1 card): median "
        f"{capture_median * 1000:.0f} ms, max {max(captures) * 1000:.0f} ms"
    )
    assert help_median < 1.0
    assert capture_median < 5.0
