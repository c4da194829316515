"""A sweep in a child process that the kill test stops with SIGKILL at a chosen moment.

    python -m tests.scheduler.sweep_child URL AT_ISO OUT_FILE STOP_AT MODE BATCH

Each delivered digest is appended to OUT_FILE (one JSON line, flushed to disk) before send()
returns. At digest number STOP_AT the notifier writes OUT_FILE + ".stopped" and hangs: with
MODE "before" it hangs before recording that digest (the platform call never completed), with
MODE "after" it hangs after recording it (delivered, but the sweep never heard back).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

from handlers.messages import Outgoing, ToMember
from scheduler.sweep import Sweeper
from store.db import make_engine, make_session_factory


class FileNotifier:
    def __init__(self, out: Path, stop_at: int, mode: str) -> None:
        self.out, self.stop_at, self.mode, self.count = out, stop_at, mode, 0

    def _hang(self) -> None:
        Path(f"{self.out}.stopped").write_text("stopped")
        while True:
            time.sleep(1)

    def send(self, outgoing: Outgoing) -> None:
        self.count += 1
        if self.count == self.stop_at and self.mode == "before":
            self._hang()
        assert isinstance(outgoing.to, ToMember)
        line = json.dumps({"member": outgoing.to.member_id, "refs": list(outgoing.action_refs)})
        with self.out.open("a") as handle:
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        if self.count == self.stop_at:
            self._hang()


def main() -> None:
    url, when, out, stop_at, mode, batch = sys.argv[1:7]
    sessions = make_session_factory(make_engine(url))
    now = dt.datetime.fromisoformat(when)
    notifier = FileNotifier(Path(out), int(stop_at), mode)
    Sweeper(
        sessions, notifier, clock=lambda: now, instance="child", batch_members=int(batch)
    ).chase(at=now)


if __name__ == "__main__":
    main()
