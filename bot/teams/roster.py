"""Match the people of a team or chat (TeamsInfo members) to directory members, guests included.

A roster entry matches a member by, in order: Teams user id, AAD object id, email or UPN (a
guest's ``name_org.uk#EXT#@tenant`` UPN is read back to ``name@org.uk``), then an unambiguous
name or alias ("Taylor, Fiona (Police)" reads as "Fiona Taylor"). A match writes the member's
``teams_user_id`` / ``teams_aad_id`` (audited), so mentions and 1:1 messages can reach them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from store import audit
from store.models import Member

_PAGE_SIZE = 200
_BRACKETS = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]\s*")


@dataclass(frozen=True)
class RosterEntry:
    """One person in a Teams roster, as plain values."""

    user_id: str
    name: str
    aad_id: str | None = None
    email: str | None = None
    upn: str | None = None
    guest: bool = False


def entry_of(account: Any) -> RosterEntry:
    """A roster entry from a TeamsChannelAccount (or a plain ChannelAccount)."""
    upn = getattr(account, "user_principal_name", None)
    return RosterEntry(
        user_id=str(account.id),
        name=str(account.name or ""),
        aad_id=getattr(account, "aad_object_id", None),
        email=getattr(account, "email", None),
        upn=upn,
        guest=getattr(account, "user_role", None) == "guest" or "#EXT#" in (upn or "").upper(),
    )


def guest_email(upn: str | None) -> str | None:
    """A guest's home address: ``f.taylor_police.uk#EXT#@council…`` → ``f.taylor@police.uk``."""
    if not upn or "#ext#" not in upn.lower():
        return None
    local = upn[: upn.lower().index("#ext#")]
    user, sep, domain = local.rpartition("_")
    return f"{user}@{domain}".lower() if sep and user and domain else None


def plain_name(name: str) -> str:
    """A display name as the directory writes it: no "(Police)"; "Taylor, Fiona" turned round."""
    text = _BRACKETS.sub(" ", name).strip()
    if text.count(",") == 1:
        last, first = (p.strip() for p in text.split(","))
        text = f"{first} {last}"
    return " ".join(text.split())


def _addresses(entry: RosterEntry) -> set[str]:
    found = {a.lower() for a in (entry.email, entry.upn, guest_email(entry.upn)) if a}
    return {a for a in found if "@" in a and "#ext#" not in a}


def _by_name(session: Session, name: str) -> Member | None:
    wanted = plain_name(name).lower()
    if not wanted:
        return None
    members = list(session.scalars(select(Member).where(Member.erased.is_(False))))
    hits = [
        m
        for m in members
        if wanted in {m.name.lower(), *(" ".join(a.split()).lower() for a in m.aliases or ())}
    ]
    return hits[0] if len(hits) == 1 else None


def match(session: Session, entry: RosterEntry) -> Member | None:
    """The directory member this roster entry is, or None when none (or several) fit."""
    live = Member.erased.is_(False)
    ids = [Member.teams_user_id == entry.user_id]
    if entry.aad_id:
        ids.append(Member.teams_aad_id == entry.aad_id)
    found = session.scalar(select(Member).where(live, or_(*ids)).order_by(Member.id))
    if found is not None:
        return found
    addresses = _addresses(entry)
    if addresses:
        hits = list(
            session.scalars(select(Member).where(live, func.lower(Member.email).in_(addresses)))
        )
        if len(hits) == 1:
            return hits[0]
    return _by_name(session, entry.name)


def link(session: Session, entry: RosterEntry, member: Member, *, via: str = "teams") -> bool:
    """Write the entry's Teams ids on the member; False when nothing changed or the id is taken."""
    taken = session.scalar(
        select(Member.id).where(Member.teams_user_id == entry.user_id, Member.id != member.id)
    )
    changed: dict[str, Any] = {}
    if taken is None and member.teams_user_id != entry.user_id:
        member.teams_user_id = entry.user_id
        changed["teams_user_id"] = entry.user_id
    if entry.aad_id and member.teams_aad_id != entry.aad_id:
        member.teams_aad_id = entry.aad_id
        changed["teams_aad_id"] = entry.aad_id
    if not changed:
        return False
    audit.record(
        session,
        actor="Teams roster",
        via=via,
        entity="member",
        entity_id=member.id,
        event="teams_linked",
        guest=entry.guest,
        **changed,
    )
    return True


def sync(session: Session, entries: list[RosterEntry]) -> dict[str, int]:
    """Match and link every entry; Teams user id → member id for those matched."""
    matched: dict[str, int] = {}
    for entry in entries:
        member = match(session, entry)
        if member is not None:
            link(session, entry, member)
            matched[entry.user_id] = member.id
    session.flush()
    return matched


def team_id_of(context: TurnContext) -> str | None:
    """The team a channel activity belongs to (None in chats)."""
    data = context.activity.channel_data
    team = data.get("team") if isinstance(data, dict) else None
    return str(team["id"]) if isinstance(team, dict) and team.get("id") else None


async def fetch(context: TurnContext) -> list[RosterEntry]:
    """Everyone in the team (for a channel) or the chat, every page of it."""
    entries: list[RosterEntry] = []
    token: str | None = None
    team = team_id_of(context)
    while True:
        if team:
            page = await TeamsInfo.get_paged_team_members(context, team, token, _PAGE_SIZE)
        else:
            page = await TeamsInfo.get_paged_members(context, token, _PAGE_SIZE)
        entries.extend(entry_of(m) for m in page.members or [])
        token = page.continuation_token
        if not token:
            return entries


async def fetch_one(context: TurnContext, user_id: str) -> RosterEntry | None:
    """One person of this conversation (the speaker of a 1:1 chat, say)."""
    team = team_id_of(context)
    if team:
        account = await TeamsInfo.get_team_member(context, team, user_id)
    else:
        account = await TeamsInfo.get_member(context, user_id)
    return entry_of(account) if account is not None else None
