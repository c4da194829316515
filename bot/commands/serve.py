"""``chaser serve [--host H] [--port P]``: Slack, Teams, health and the scheduler on one server."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from typing import Any

from bot.app import build
from bot.logs import configure_logging, secret_values
from bot.server import build_web_app, start_site
from bot.settings import load_settings

log = logging.getLogger(__name__)


def register(commands: Any) -> None:
    parser = commands.add_parser("serve", help="run the chat server (Slack, Teams, scheduler)")
    parser.add_argument("--host", help="address to listen on (CHASER_HOST, default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to listen on (CHASER_PORT, default 3978)")
    parser.set_defaults(run=_serve)


async def _run(host: str, port: int) -> None:
    settings = load_settings()
    chaser = build(settings)
    app = build_web_app(chaser)
    runner, actual = await start_site(app, host, port)
    log.info("Chaser is listening on http://%s:%d", host, actual)
    print(f"Chaser is listening on http://{host}:{actual}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    try:
        await stop.wait()  # then finish work in progress, stop the scheduler, close
        log.info("Chaser is stopping")
    finally:
        await runner.cleanup()
        chaser.engine.dispose()


def _serve(args: argparse.Namespace) -> int:
    settings = load_settings()
    host = args.host or settings.host
    port = settings.port if args.port is None else args.port
    configure_logging(settings.log_level, settings.log_json, secrets=secret_values(settings))
    asyncio.run(_run(host, port))
    return 0
