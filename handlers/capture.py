"""Capturing actions from a message or minutes: extract, match owners, save, and say what happened.

:func:`capture` is the one way actions enter the register, from chat, the console or a document.
It is idempotent per source: every action's source key is ``<source_key>:<line>``, so capturing
the same message or document again adds nothing. Owners that match no member are kept as
written. :func:`confirmation` is the reply in the thread; :func:`owner_notifications` are the
direct messages to each owner.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import owners as owner_matching
from handlers.capture_messages import confirmation, owner_notifications
from handlers.capture_result import CapturedAction, CapturedOwner, CaptureResult, Duplicate
from handlers.extraction import ExtractedAction, extract_actions
from store import actions
from store.directory import add_meeting, meeting_dates, members_info
from store.models import Action, Group, Member


@dataclass(frozen=True)
class _Where:
    via: str
    source_key: str
    group_id: int | None
    meeting_id: int | None
    meeting_date: dt.date | None
    created_by_id: int | None
    origin_channel: str | None
    origin_thread: str | None
    document_id: int | None
    restricted: bool


def capture(
    session: Session,
    text: str,
    *,
    via: str,
    source_key: str,
    group_id: int | None,
    meeting_date: dt.date | None,
    created_by_id: int | None,
    actor: str,
    origin_channel: str | None = None,
    origin_thread: str | None = None,
    document_id: int | None = None,
    restricted: bool = False,
    said_on: dt.date | None = None,
) -> CaptureResult:
    """Extract the actions in ``text``, match owners in the group, save the new ones, audited.

    Deadlines resolve against the group's meeting calendar; the meeting on ``meeting_date`` is
    found or created for the group. Without a meeting date, relative deadlines ("by end of
    month") count from ``said_on`` (chat: the day it was said) and no meeting is created.
    Runs in the caller's transaction.
    """
    calendar = meeting_dates(session, group_id) if group_id is not None else []
    found = extract_actions(text, meeting_date=meeting_date or said_on, meetings=calendar)
    meeting_id = None
    if found and group_id is not None and meeting_date is not None:
        meeting = add_meeting(session, group_id, meeting_date, actor=actor, via=via)
        meeting_id = meeting.id
    where = _Where(
        via, source_key, group_id, meeting_id, meeting_date, created_by_id,
        origin_channel, origin_thread, document_id, restricted,
    )  # fmt: skip
    members = [
        owner_matching.MemberInfo(**dataclasses.asdict(m)) for m in members_info(session, group_id)
    ]
    created: list[CapturedAction] = []
    duplicates: list[Duplicate] = []
    for item, key in zip(found, _source_keys(source_key, found), strict=True):
        owners = _match(session, item.owners, members)
        action = actions.create(
            session, _new_action(item, owners, key, where), actor=actor, via=via
        )
        if action is None:
            ref = session.scalar(select(Action.ref).where(Action.source_key == key))
            duplicates.append(Duplicate(item.line, ref))
        else:
            created.append(_captured(action, item, owners))
    group_name = _group_name(session, group_id)
    return CaptureResult(tuple(created), tuple(duplicates), group_name, meeting_date)


def _source_keys(source_key: str, found: Sequence[ExtractedAction]) -> list[str]:
    """``<key>:<line>``, and ``<key>:<line>.<n>`` for a second action on the same line."""
    keys: list[str] = []
    seen: dict[int, int] = {}
    for item in found:
        n = seen.get(item.line, 0)
        seen[item.line] = n + 1
        keys.append(f"{source_key}:{item.line}" + (f".{n}" if n else ""))
    return keys


def _match(
    session: Session, written: Sequence[str], members: list[owner_matching.MemberInfo]
) -> tuple[CapturedOwner, ...]:
    names = {m.id: m.name for m in members}
    out: list[CapturedOwner] = []
    for match in owner_matching.resolve_owners(tuple(written), members):
        candidates = tuple(_candidate_name(c, names) for c in match.candidates or ())
        member = session.get(Member, match.member_id) if match.member_id is not None else None
        if member is None:
            status = match.status if match.status != "matched" else "unknown"
            out.append(CapturedOwner(match.written, status, candidates=candidates))
            continue
        out.append(
            CapturedOwner(
                match.written,
                "matched",
                member.id,
                member.name,
                member.slack_user_id,
                member.teams_user_id,
            )
        )
    return tuple(out)


def _candidate_name(candidate: object, names: dict[int, str]) -> str:
    if isinstance(candidate, int):
        return names.get(candidate, str(candidate))
    return str(getattr(candidate, "name", candidate))


def _new_action(
    item: ExtractedAction, owners: tuple[CapturedOwner, ...], key: str, where: _Where
) -> actions.NewAction:
    return actions.NewAction(
        text=item.text,
        source_kind="document" if where.document_id is not None else where.via,
        owners=[actions.NewOwner(o.written, o.member_id, o.status) for o in owners],
        source_key=key,
        source_line=item.line,
        document_id=where.document_id,
        origin_channel=where.origin_channel,
        origin_thread=where.origin_thread,
        group_id=where.group_id,
        meeting_id=where.meeting_id,
        meeting_date=where.meeting_date,
        due_date=item.due_date,
        due_text=item.due_text,
        due_unresolved=bool(item.due_unresolved),
        recurring=item.recurring,
        restricted=bool(item.restricted) or where.restricted,
        created_by_id=where.created_by_id,
    )


def _captured(
    action: Action, item: ExtractedAction, owners: tuple[CapturedOwner, ...]
) -> CapturedAction:
    return CapturedAction(
        action_id=action.id,
        ref=action.ref or actions.format_ref(action.id),
        text=action.text,
        line=item.line,
        owners=owners,
        due_date=action.due_date,
        due_text=action.due_text,
        due_unresolved=action.due_unresolved,
        recurring=action.recurring,
        restricted=action.restricted,
    )


def _group_name(session: Session, group_id: int | None) -> str | None:
    if group_id is None:
        return None
    group = session.get(Group, group_id)
    return group.name if group is not None else None


__all__ = [
    "CaptureResult",
    "CapturedAction",
    "CapturedOwner",
    "Duplicate",
    "capture",
    "confirmation",
    "owner_notifications",
]
