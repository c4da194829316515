"""The soak script works: a few seconds of its mixed Slack and Teams load on the real server.

bench/soak.py starts the server in a child process as ``chaser serve`` builds it, sends signed
Slack events, commands and button presses and Teams activities and card submits, runs chase
sweeps on an advancing clock, and checks every answer, the server's log, the fake platforms and
the send log. Here it runs for five seconds; its full run (minutes) is a benchmark, not a test.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from tests.conftest import ROOT


def soak_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("chaser_soak", ROOT / "bench" / "soak.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_a_short_soak_serves_the_mix_without_an_error_or_a_double_send() -> None:
    soak = soak_script()
    plan = soak.Plan(
        seconds=5, warmup=2, sweep_seconds=1, rate=15, concurrency=4, judge_memory=False
    )
    result = soak.run(plan)
    report = "\n".join(result.lines)
    assert result.served >= 30, report
    assert result.errors == 0, report
    assert result.double_sends == 0, report
    assert "result: OK" in report
