"""``chaser doctor``: check configuration, database, migrations and credentials; say what to fix."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from bot.commands.member import plain_console
from bot.commands.retention import default_period, parse_period
from bot.logs import redact, secret_values
from bot.settings import ConfigError, Settings, load_settings
from store.db import make_engine, normalise_url
from store.migrate import current_revisions, head_revisions
from store.models import utcnow


@dataclass(frozen=True)
class Check:
    """One line of the report: what was checked, whether it passed, and what to do if not."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "doctor", help="check configuration, database, migrations and credentials"
    )
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    checks = run_checks()
    out = plain_console()
    for check in checks:
        line = f"{'ok  ' if check.ok else 'FAIL'}  {check.name}: {check.detail}"
        if not check.ok and check.fix:
            line += f" — fix: {check.fix}"
        out.print(line)
    failed = sum(not c.ok for c in checks)
    out.print("all checks passed" if not failed else f"{failed} check(s) failed")
    return 0 if not failed else 1


def run_checks() -> list[Check]:
    """Every check in order; later checks that depend on a failed one are reported as failed."""
    try:
        settings = load_settings()
    except ConfigError as exc:
        return [Check("configuration", False, redact(str(exc)), "correct the environment / .env")]
    secrets = secret_values(settings)
    checks = [Check("configuration", True, "settings loaded")]
    checks += [_check_timezone(settings), _check_retention()]
    checks += _platform_checks(settings)
    engine, db_check = _check_database(settings, secrets)
    checks.append(db_check)
    if engine is None:
        checks.append(
            Check("migrations", False, "not checked: no database", "fix the database first")
        )
    else:
        checks.append(_check_migrations(engine))
        engine.dispose()
    return checks


def _check_timezone(settings: Settings) -> Check:
    try:
        ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return Check(
            "timezone",
            False,
            f"unknown zone {settings.timezone!r}",
            "set CHASER_TIMEZONE to e.g. Europe/London",
        )
    return Check("timezone", True, settings.timezone)


def _check_retention() -> Check:
    period = default_period()
    try:
        parse_period(period, utcnow())
    except ValueError as exc:
        return Check("retention", False, str(exc), "set CHASER_RETENTION to e.g. 6y, 18m or 90d")
    return Check("retention", True, f"closed actions are kept for {period}")


def _state(value: object) -> str:
    return "set" if value else "missing"


def _platform_checks(settings: Settings) -> list[Check]:
    slack_on = settings.slack_enabled or settings.slack_signing_secret or settings.slack_app_token
    teams_on = settings.teams_app_id or settings.teams_app_password
    checks = []
    if slack_on:
        checks.append(_check_slack(settings))
    if teams_on:
        checks.append(_check_teams(settings))
    if not checks:
        checks.append(
            Check(
                "platforms",
                False,
                "neither Slack nor Teams is configured (only the console will work)",
                "set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, or MicrosoftAppId and "
                "MicrosoftAppPassword",
            )
        )
    return checks


def _check_slack(settings: Settings) -> Check:
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else ""
    detail = (
        f"SLACK_BOT_TOKEN {_state(token)}, "
        f"SLACK_SIGNING_SECRET {_state(settings.slack_signing_secret)}, "
        f"SLACK_APP_TOKEN {_state(settings.slack_app_token)}"
    )
    if settings.slack_client_id:
        detail += f", SLACK_CLIENT_SECRET {_state(settings.slack_client_secret)}"
    try:
        settings.require_slack()
    except ConfigError as exc:
        return Check("slack", False, detail, str(exc))
    if not token and not settings.slack_client_id:
        return Check("slack", False, detail, "set SLACK_BOT_TOKEN (the bot token, xoxb-…)")
    if token and not token.startswith("xoxb-"):
        return Check(
            "slack",
            False,
            detail + "; the bot token is not an xoxb- token",
            "use the Bot User OAuth Token",
        )
    return Check("slack", True, detail)


def _check_teams(settings: Settings) -> Check:
    detail = (
        f"MicrosoftAppId {_state(settings.teams_app_id)}, "
        f"MicrosoftAppPassword {_state(settings.teams_app_password)}"
    )
    single = settings.teams_app_type.lower() == "singletenant"
    if single:
        detail += f", MicrosoftAppTenantId {_state(settings.teams_tenant_id)}"
    if not settings.teams_app_id:
        return Check("teams", False, detail, "set MicrosoftAppId (the bot's app registration id)")
    try:
        settings.require_teams()
    except ConfigError as exc:
        return Check("teams", False, detail, str(exc))
    if single and not settings.teams_tenant_id:
        return Check("teams", False, detail, "SingleTenant bots need MicrosoftAppTenantId")
    return Check("teams", True, detail)


def _shown_url(url: str) -> str:
    try:
        return make_url(normalise_url(url)).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparseable URL)"


def _first_line(exc: BaseException, secrets: list[str]) -> str:
    cause = getattr(exc, "orig", None) or exc
    lines = str(cause).strip().splitlines() or [type(cause).__name__]
    return redact(lines[0], secrets)


def _check_database(settings: Settings, secrets: list[str]) -> tuple[Engine | None, Check]:
    shown = _shown_url(settings.database_url)
    try:
        engine = make_engine(settings.database_url)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as exc:
        fix = "check CHASER_DATABASE_URL and that the database server is running"
        return None, Check(
            "database", False, f"cannot reach {shown}: {_first_line(exc, secrets)}", fix
        )
    return engine, Check("database", True, f"reachable at {shown}")


def _check_migrations(engine: Engine) -> Check:
    try:
        current, heads = current_revisions(engine), head_revisions(engine)
    except SQLAlchemyError as exc:
        return Check("migrations", False, _first_line(exc, []), "run `chaser db upgrade`")
    if current == heads:
        return Check("migrations", True, f"up to date ({', '.join(sorted(heads))})")
    at = ", ".join(sorted(current)) or "an empty database"
    return Check(
        "migrations",
        False,
        f"at {at}, this version needs {', '.join(sorted(heads))}",
        "run `chaser db upgrade`",
    )
