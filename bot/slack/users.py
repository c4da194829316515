"""Slack users ↔ directory members: names for speakers, and owners linked to their Slack ids.

Members are linked by email (users.lookupByEmail, then the emails in users.list), then by real
name or display name; the link is written to ``Member.slack_user_id`` so mentions are real.
The workspace's user list is fetched once and cached for ``ttl`` seconds.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from store import audit
from store.directory import member_by_platform
from store.models import Member

log = logging.getLogger(__name__)


def _norm(name: str) -> str:
    return " ".join(name.split()).casefold()


def display_name(user: dict[str, Any]) -> str:
    """How people know this Slack user: real name, else display name, else handle."""
    profile = user.get("profile") or {}
    for value in (
        profile.get("real_name"),
        user.get("real_name"),
        profile.get("display_name"),
        user.get("name"),
    ):
        if value:
            return str(value)
    return str(user.get("id", "someone"))


@dataclass
class SlackUsers:
    """A cached view of the workspace's users and the member ↔ user links."""

    client: WebClient
    sessions: sessionmaker[Session]
    ttl: float = 600.0
    _users: dict[str, dict[str, Any]] = field(default_factory=dict)
    _fetched_at: float = -1.0
    _linked_at: float = -1.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def all(self) -> dict[str, dict[str, Any]]:
        """Every human user by id (users.list, paged, cached)."""
        with self._lock:
            if self._fetched_at >= 0 and time.monotonic() - self._fetched_at < self.ttl:
                return self._users
            users: dict[str, dict[str, Any]] = {}
            cursor: str | None = None
            while True:
                page = self.client.users_list(limit=200, cursor=cursor)
                for user in page.get("members") or []:
                    if not user.get("deleted") and not user.get("is_bot"):
                        users[str(user["id"])] = user
                cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
                if not cursor:
                    break
            self._users, self._fetched_at = users, time.monotonic()
            return users

    def name_of(self, user_id: str) -> str:
        """The person's name as Slack knows it (the id itself when unknown)."""
        user = (self.all()).get(user_id)
        return display_name(user) if user else user_id

    def link_members(self, *, force: bool = False) -> int:
        """Link every unlinked member to a Slack user; returns how many were linked.

        Runs at most once per ``ttl`` unless forced, so unknown speakers cost no extra calls.
        """
        if not force and self._linked_at >= 0 and time.monotonic() - self._linked_at < self.ttl:
            return 0
        self._linked_at = time.monotonic()
        users = self.all()
        unlinked = self._unlinked()
        links: dict[int, str] = {}
        for member_id, name, email in unlinked:
            user_id = self._match(users, name, email)
            if user_id:
                links[member_id] = user_id
        return self._save_links(links) if links else 0

    def member_for(self, user_id: str) -> int | None:
        """The member id of this Slack user, linking them first when they are not linked yet."""
        member_id = self._member_id(user_id)
        if member_id is None and self.link_members():
            member_id = self._member_id(user_id)
        return member_id

    def slack_id_for(self, member_id: int) -> str | None:
        """The member's Slack user id, linking them first when needed."""
        found = self._slack_id(member_id)
        if found is None and self.link_members():
            found = self._slack_id(member_id)
        return found

    def _match(self, users: dict[str, dict[str, Any]], name: str, email: str | None) -> str | None:
        if email:
            for uid, user in users.items():
                if str((user.get("profile") or {}).get("email", "")).casefold() == email.casefold():
                    return uid
            try:
                found = self.client.users_lookupByEmail(email=email)
                return str(found["user"]["id"])
            except SlackApiError as exc:
                log.debug("no Slack user for a member's email: %s", exc.response.get("error"))
        wanted = _norm(name)
        matches = [
            uid
            for uid, user in users.items()
            if wanted in {_norm(str(v)) for v in _names(user) if v}
        ]
        return matches[0] if len(matches) == 1 else None

    # ---- database side -----------------------------------------------------

    def _unlinked(self) -> list[tuple[int, str, str | None]]:
        with self.sessions() as session:
            rows = session.execute(
                select(Member.id, Member.name, Member.email).where(
                    Member.slack_user_id.is_(None), Member.erased.is_(False)
                )
            )
            return [(r[0], r[1], r[2]) for r in rows]

    def _save_links(self, links: dict[int, str]) -> int:
        saved = 0
        with self.sessions.begin() as session:
            taken = set(
                session.scalars(
                    select(Member.slack_user_id).where(
                        Member.slack_user_id.in_(list(links.values()))
                    )
                )
            )
            for member_id, user_id in links.items():
                member = session.get(Member, member_id)
                if member is None or user_id in taken or member.slack_user_id:
                    continue
                member.slack_user_id = user_id
                taken.add(user_id)
                audit.record(
                    session,
                    actor="slack",
                    via="slack",
                    entity="member",
                    entity_id=member_id,
                    event="linked",
                    slack_user_id=user_id,
                )
                saved += 1
        return saved

    def _member_id(self, user_id: str) -> int | None:
        with self.sessions() as session:
            member = member_by_platform(session, "slack", user_id)
            return member.id if member else None

    def _slack_id(self, member_id: int) -> str | None:
        with self.sessions() as session:
            member = session.get(Member, member_id)
            return member.slack_user_id if member else None


def _names(user: dict[str, Any]) -> tuple[Any, ...]:
    profile = user.get("profile") or {}
    return (
        user.get("real_name"),
        profile.get("real_name"),
        profile.get("display_name"),
        profile.get("real_name_normalized"),
        profile.get("display_name_normalized"),
    )
