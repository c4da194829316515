"""Directory look-ups: members by name or platform id, groups by name or channel, meetings."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store import audit
from store.models import Group, GroupChannel, Meeting, Member, Membership

CHAIR = "chair"
SECRETARY = "secretary"
LEAD = "lead"
MEMBER = "member"

_PLATFORM_COLUMNS = {
    "slack": (Member.slack_user_id,),
    "teams": (Member.teams_user_id, Member.teams_aad_id),
}
_GROUP_NOISE = re.compile(r"\b(the|sub[\s-]*groups?|groups?|board)\b")


@dataclass(frozen=True)
class MemberInfo:
    """What owner matching needs to know about a member (plain values, no session).

    The same fields as :class:`handlers.owners.MemberInfo` (the store cannot import handlers).
    """

    id: int
    name: str
    aliases: tuple[str, ...] = ()
    initials: str | None = None
    email: str | None = None
    organisation: str | None = None
    roles: tuple[str, ...] = ()  # sorted


def member_by_name(session: Session, name: str) -> Member | None:
    """The member whose name or one of whose aliases is ``name`` (case-insensitive)."""
    wanted = " ".join(name.split()).lower()
    if not wanted:
        return None
    found = session.scalar(
        select(Member)
        .where(func.lower(Member.name) == wanted, Member.erased.is_(False))
        .order_by(Member.id)
    )
    if found is not None:
        return found
    for member in session.scalars(
        select(Member).where(Member.erased.is_(False)).order_by(Member.id)
    ):
        if any(" ".join(a.split()).lower() == wanted for a in member.aliases or ()):
            return member
    return None


def member_by_platform(session: Session, platform: str, user_id: str) -> Member | None:
    """The member with this platform user id (Slack user id; Teams user id or AAD object id)."""
    columns = _PLATFORM_COLUMNS.get(platform)
    if not columns or not user_id:
        return None
    return session.scalar(
        select(Member).where(or_(*(c == user_id for c in columns))).order_by(Member.id)
    )


def roles_of(session: Session, member_id: int) -> dict[int, set[str]]:
    """The roles a member holds, by group id."""
    roles: dict[int, set[str]] = {}
    rows = session.execute(
        select(Membership.group_id, Membership.role).where(Membership.member_id == member_id)
    )
    for group_id, role in rows:
        roles.setdefault(group_id, set()).add(role)
    return roles


def members_info(session: Session, group_id: int | None) -> list[MemberInfo]:
    """Every member, with the roles they hold in ``group_id`` (or in any group when None)."""
    query = select(Membership.member_id, Membership.role)
    if group_id is not None:
        query = query.where(Membership.group_id == group_id)
    roles: dict[int, set[str]] = {}
    for member_id, role in session.execute(query):
        roles.setdefault(member_id, set()).add(role)
    members = session.scalars(select(Member).where(Member.erased.is_(False)).order_by(Member.id))
    return [
        MemberInfo(
            id=m.id,
            name=m.name,
            aliases=tuple(m.aliases or ()),
            initials=m.initials,
            email=m.email,
            organisation=m.organisation,
            roles=tuple(sorted(roles.get(m.id, ()))),
        )
        for m in members
    ]


def normalise_group_name(name: str) -> str:
    """A group name reduced for matching: case, "&"/"and", "the", "sub group" and punctuation."""
    text = name.lower().replace("&", " and ")
    text = re.sub(r"[^\w\s-]", " ", text)
    text = _GROUP_NOISE.sub(" ", text)
    return " ".join(text.replace("-", " ").split())


def group_by_name(session: Session, name: str) -> Group | None:
    """The group called ``name`` or one of its aliases, tolerant of "the", "sub group", "&"."""
    wanted = " ".join(name.split()).lower()
    if not wanted:
        return None
    groups = list(session.scalars(select(Group).order_by(Group.id)))
    for group in groups:
        if wanted in [group.name.lower(), *(a.lower() for a in group.aliases or ())]:
            return group
    loose = normalise_group_name(wanted)
    if not loose:
        return None
    for group in groups:
        if loose in {normalise_group_name(n) for n in [group.name, *(group.aliases or ())]}:
            return group
    return None


def group_for_channel(session: Session, platform: str, channel_id: str) -> Group | None:
    """The group whose channel this is on ``platform``; None for a channel no group owns."""
    return session.scalar(
        select(Group)
        .join(GroupChannel)
        .where(GroupChannel.platform == platform, GroupChannel.channel_id == channel_id)
    )


def board(session: Session) -> Group | None:
    """The partnership board (the first group of kind "board")."""
    return session.scalar(select(Group).where(Group.kind == "board").order_by(Group.id))


def is_chair_or_secretary(session: Session, member_id: int, group_id: int | None) -> bool:
    """True when the member chairs or is secretary of ``group_id`` or of the board."""
    roles = roles_of(session, member_id)
    top = board(session)
    places = {g for g in (group_id, top.id if top else None) if g is not None}
    return any(roles.get(g, set()) & {CHAIR, SECRETARY} for g in places)


def meetings_of(session: Session, group_id: int) -> list[Meeting]:
    """The group's meetings, earliest first."""
    return list(
        session.scalars(select(Meeting).where(Meeting.group_id == group_id).order_by(Meeting.date))
    )


def meeting_dates(session: Session, group_id: int) -> list[dt.date]:
    """The dates of the group's meetings, earliest first (deadlines resolve against them)."""
    return list(
        session.scalars(
            select(Meeting.date).where(Meeting.group_id == group_id).order_by(Meeting.date)
        )
    )


def add_meeting(
    session: Session,
    group_id: int,
    date: dt.date,
    *,
    title: str | None = None,
    actor: str,
    via: str,
) -> Meeting:
    """The group's meeting on ``date``, created (and audited) when it is not there yet."""
    meeting = session.scalar(
        select(Meeting).where(Meeting.group_id == group_id, Meeting.date == date)
    )
    if meeting is not None:
        if title and not meeting.title:
            meeting.title = title
        return meeting
    meeting = Meeting(group_id=group_id, date=date, title=title)
    try:
        # a savepoint: when another capture created the same meeting a moment ago, use theirs
        with session.begin_nested():
            session.add(meeting)
    except IntegrityError:
        existing = session.scalar(
            select(Meeting).where(Meeting.group_id == group_id, Meeting.date == date)
        )
        if existing is None:
            raise
        return existing
    audit.record(
        session,
        actor=actor,
        via=via,
        entity="meeting",
        entity_id=meeting.id,
        event="created",
        group_id=group_id,
        date=date.isoformat(),
    )
    return meeting
