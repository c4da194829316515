"""The member directory: who people are, which groups they sit in, where and when groups meet.

One import point for callers: look-ups (:mod:`store.directory_lookup`), the directory file
(:mod:`store.directory_spec`) and importing/exporting it (:mod:`store.directory_import`).
"""

from __future__ import annotations

from store.directory_export import export_directory
from store.directory_import import ImportSummary, import_yaml
from store.directory_lookup import (
    CHAIR,
    LEAD,
    MEMBER,
    SECRETARY,
    MemberInfo,
    add_meeting,
    board,
    group_by_name,
    group_for_channel,
    is_chair_or_secretary,
    meeting_dates,
    meetings_of,
    member_by_name,
    member_by_platform,
    members_info,
    normalise_group_name,
    roles_of,
)
from store.directory_spec import DirectoryError, load_yaml_file

__all__ = [
    "CHAIR",
    "LEAD",
    "MEMBER",
    "SECRETARY",
    "DirectoryError",
    "ImportSummary",
    "MemberInfo",
    "add_meeting",
    "board",
    "export_directory",
    "group_by_name",
    "group_for_channel",
    "import_yaml",
    "is_chair_or_secretary",
    "load_yaml_file",
    "meeting_dates",
    "meetings_of",
    "member_by_name",
    "member_by_platform",
    "members_info",
    "normalise_group_name",
    "roles_of",
]
