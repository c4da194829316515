"""Who may change and who may see an action: the chair, a secretary, the creator, its owners."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.conversation.context import Context
from store import directory
from store.models import Action, ActionOwner, Member, Membership


def own_parts(action: Action, member_id: int | None) -> list[ActionOwner]:
    """The speaker's owner rows on this action (any status)."""
    if member_id is None:
        return []
    return [o for o in action.owners if o.member_id == member_id]


def is_officer(session: Session, member_id: int | None, group_id: int | None) -> bool:
    """Chair or secretary of the group, or of the board."""
    return member_id is not None and directory.is_chair_or_secretary(session, member_id, group_id)


def may_manage(ctx: Context, action: Action) -> bool:
    """May change the whole action (assign, due date, cancel, reopen): chair, secretary, creator."""
    member_id = ctx.speaker_id
    if member_id is None:
        return False
    return action.created_by_id == member_id or is_officer(ctx.session, member_id, action.group_id)


def may_change(ctx: Context, action: Action) -> bool:
    """May change their part (done, update, snooze, not mine): an owner, or anyone who manages."""
    return bool(own_parts(action, ctx.speaker_id)) or may_manage(ctx, action)


def may_see(ctx: Context, action: Action) -> bool:
    """Restricted actions are seen only by their owners, creator, the chair and the secretary."""
    if not action.restricted:
        return True
    return may_change(ctx, action)


def officers(session: Session, group_id: int | None) -> list[Member]:
    """The chair(s) and secretaries of the group, else of the board, chairs first."""
    top = directory.board(session)
    for gid in (group_id, top.id if top is not None else None):
        if gid is None:
            continue
        rows = session.execute(
            select(Member, Membership.role)
            .join(Membership, Membership.member_id == Member.id)
            .where(
                Membership.group_id == gid,
                Membership.role.in_((directory.CHAIR, directory.SECRETARY)),
                Member.erased.is_(False),
            )
            .order_by(Membership.role, Member.id)
        ).all()
        if rows:
            seen: dict[int, Member] = {}
            for member, _role in rows:
                seen.setdefault(member.id, member)
            return list(seen.values())
    return []


def chairs(session: Session, group_id: int | None) -> list[Member]:
    """Who to tell when an action is handed back: the chair, else a secretary."""
    found = officers(session, group_id)
    roles = {m.id: directory.roles_of(session, m.id) for m in found}
    chair_only = [m for m in found if any(directory.CHAIR in r for r in roles[m.id].values())]
    return chair_only or found


def who_can(ctx: Context, action: Action, *, whole: bool) -> str:
    """A polite sentence saying who may make this change."""
    people = [m.name for m in officers(ctx.session, action.group_id)] or ["the chair or secretary"]
    creator = action.created_by.name if action.created_by is not None else None
    if creator and creator not in people:
        people.append(f"{creator} (who recorded it)")
    if not whole:
        people.append("its owners")
    listed = ", ".join(people[:-1]) + f" or {people[-1]}" if len(people) > 1 else people[0]
    return f"Sorry — only {listed} can change {action.ref}."
