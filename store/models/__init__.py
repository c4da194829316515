"""All tables, importable from one place so Alembic and the repositories see the same metadata."""

from store.models import chasing as chasing  # the chase send log
from store.models import priorities as priorities  # the priority register's tables
from store.models.actions import Action, ActionOwner, ActionUpdate, Document
from store.models.audit import AuditEvent, ProcessedEvent
from store.models.base import Base, utcnow
from store.models.directory import Group, GroupChannel, Meeting, Member, Membership
from store.models.platform import ConversationRef

__all__ = [
    "Action",
    "ActionOwner",
    "ActionUpdate",
    "AuditEvent",
    "Base",
    "ConversationRef",
    "Document",
    "Group",
    "GroupChannel",
    "Meeting",
    "Member",
    "Membership",
    "ProcessedEvent",
    "utcnow",
]
