"""The messages that answer priority questions: a priority, a subgroup, lists, risk, overlaps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from handlers.messages import Heading, Inline, Mention, Message, Paragraph
from handlers.priority_index import PriorityIndex
from store.actions import format_ref
from store.models import Group, Member
from store.models.priorities import LEAD, RISK_MAX, SUPPORT, Priority
from store.priorities import IndexRow

LIST_GROUPS = 15  # subgroups shown in "what are our priorities?"
LIST_NAMES = 12  # priority names shown per subgroup
GROUP_NAMES = 48  # priority names shown for "what does Safer Borough own?"
SHOWN_ACTIONS = 5


@dataclass(frozen=True)
class OpenAction:
    """An open action linked to a priority, as shown under it."""

    id: int
    text: str
    due: dt.date | None


def mention(member: Member) -> Mention:
    """A member as a platform mention."""
    return Mention(member.id, member.name, member.slack_user_id, member.teams_user_id)


def group_parts(group: Group) -> list[Inline]:
    """ "Safer Borough (@Tim Barfoot)", or just the name when the group has no lead."""
    if group.lead is None or group.lead.erased:
        return [group.name]
    return [group.name, " (", mention(group.lead), ")"]


def _joined(parts_list: Sequence[list[Inline]], last: str = " and ") -> list[Inline]:
    out: list[Inline] = []
    for number, parts in enumerate(parts_list):
        if number:
            out.append(last if number == len(parts_list) - 1 else ", ")
        out.extend(parts)
    return out


def _text(parts: Sequence[Inline]) -> str:
    return "".join(p.name if isinstance(p, Mention) else p for p in parts)


def _actions_phrase(count: int) -> str:
    return "no open actions" if count == 0 else f"{count} open action{'s' * (count != 1)}"


def _names(rows: Sequence[IndexRow], limit: int) -> str:
    shown = ", ".join(row.name for row in rows[:limit])
    return shown + (f" and {len(rows) - limit} more" if len(rows) > limit else "")


def risk_phrase(total: int, stated: int | None) -> str:
    """ "59/80", noting a different total printed in the source assessment."""
    note = f" (the assessment states {stated})" if stated is not None and stated != total else ""
    return f"{total}/{RISK_MAX}{note}"


def priority(p: Priority, open_count: int, actions: Sequence[OpenAction]) -> Message:
    """Everything about one priority: lead (as a mention), supporters, targets, score, actions."""
    leads = [link.group for link in p.groups if link.role == LEAD]
    supporting = [link.group for link in p.groups if link.role == SUPPORT]
    if not leads:
        lead_part: list[Inline] = ["no lead subgroup yet"]
    elif len(leads) == 1:
        lead_part = ["lead ", *group_parts(leads[0])]
    else:
        lead_part = ["lead claimed by ", *_joined([group_parts(g) for g in leads]),
                     " (an overlap for the chair to settle)"]  # fmt: skip
    first = Paragraph((f"{p.name}: ", *lead_part, f"; {_actions_phrase(open_count)}"))
    blocks: list[Heading | Paragraph] = [first]
    if supporting:
        blocks.append(Paragraph.of("Supporting: " + ", ".join(g.name for g in supporting)))
    if p.targets:
        blocks.append(Paragraph.of("Targets: " + "; ".join(p.targets)))
    if p.risk_total is not None:
        blocks.append(Paragraph.of("Risk score: " + risk_phrase(p.risk_total, p.stated_total)))
    if p.period:
        blocks.append(Paragraph.of(f"Period: {p.period}"))
    if p.notes:
        blocks.append(Paragraph.of(f"Note: {p.notes}"))
    for action in actions:
        due = f" (due {action.due.day} {action.due:%b %Y})" if action.due else ""
        blocks.append(Paragraph.of(f"{format_ref(action.id)} {action.text}{due}"))
    return Message(summary=_text(first.parts), blocks=tuple(blocks))


def group(g: Group, led: Sequence[IndexRow], supports: Sequence[IndexRow],
          counts: Mapping[int, int]) -> Message:  # fmt: skip
    """What one subgroup owns (leads on) and supports."""
    def named(row: IndexRow) -> str:
        n = counts.get(row.id, 0)
        return row.name + (f" ({_actions_phrase(n)})" if n else "")

    head: list[Inline] = [*group_parts(g), " "]
    if led:
        head.append(f"leads on {len(led)} priorit{'y' if len(led) == 1 else 'ies'}: "
                    + ", ".join(named(r) for r in led[:GROUP_NAMES]))  # fmt: skip
        if len(led) > GROUP_NAMES:
            head.append(f" and {len(led) - GROUP_NAMES} more")
    else:
        head.append("does not lead on any priority in the register")
    blocks = [Paragraph(tuple(head))]
    if supports:
        blocks.append(Paragraph.of("Supports: " + _names(supports, GROUP_NAMES)))
    return Message(summary=_text(head), blocks=tuple(blocks))


def listing(index: PriorityIndex, groups: Mapping[int, Group]) -> Message:
    """All priorities by lead subgroup, then those with no lead."""
    if not index.rows:
        return Message(summary="The priority register is empty. Load one with "
                       "`chaser priorities import FILE`.")  # fmt: skip
    by_group: dict[int, list[IndexRow]] = {}
    for row in index.by_name:
        for gid in row.leads:
            by_group.setdefault(gid, []).append(row)
    order = sorted((gid for gid in by_group if gid in groups), key=lambda g: groups[g].name)
    summary = f"{len(index.rows)} priorities, led by {len(order)} subgroups"
    blocks: list[Heading | Paragraph] = [Heading(f"Our priorities ({len(index.rows)})")]
    for gid in order[:LIST_GROUPS]:
        names = _names(by_group[gid], LIST_NAMES)
        blocks.append(Paragraph((*group_parts(groups[gid]), f": {names}")))
    if len(order) > LIST_GROUPS:
        blocks.append(Paragraph.of(f"… and {len(order) - LIST_GROUPS} more subgroups"))
    if index.no_lead:
        blocks.append(Paragraph.of("No lead yet: " + _names(index.no_lead, LIST_NAMES)))
    return Message(summary=summary, blocks=tuple(blocks))


def top(index: PriorityIndex, groups: Mapping[int, Group], count: int) -> Message:
    """The highest risk-matrix totals, highest first."""
    rows = index.by_risk[:count]
    if not rows:
        return Message(summary="No priority in the register has risk-matrix scores yet.")
    title = Heading(f"Top priorities by risk score (out of {RISK_MAX})")
    blocks: list[Heading | Paragraph] = [title]
    for number, row in enumerate(rows, start=1):
        lead = ", ".join(groups[g].name for g in row.leads if g in groups) or "no lead"
        score = risk_phrase(row.risk_total or 0, row.stated_total)
        blocks.append(Paragraph.of(f"{number}. {row.name}: {score}, lead {lead}"))
    unscored = len(index.rows) - len(index.by_risk)
    if unscored:
        blocks.append(Paragraph.of(f"{unscored} other priorities have no risk-matrix scores."))
    summary = f"Top priority by risk score: {rows[0].name} ({rows[0].risk_total}/{RISK_MAX})"
    return Message(summary=summary, blocks=tuple(blocks))


def overlaps(index: PriorityIndex, groups: Mapping[int, Group]) -> Message:
    """Priorities claimed by more than one subgroup as lead, and priorities with no lead."""
    blocks: list[Heading | Paragraph] = [Heading("Overlaps in the priority register")]
    for row in index.multi_lead:
        names = " and ".join(groups[g].name for g in row.leads if g in groups)
        blocks.append(Paragraph.of(f"{row.name}: claimed as lead by {names}"))
    if not index.multi_lead:
        blocks.append(Paragraph.of("No priority is claimed by more than one subgroup as lead."))
    if index.no_lead:
        blocks.append(Paragraph.of("No lead: " + _names(index.no_lead, GROUP_NAMES)))
    summary = (f"{len(index.multi_lead)} priorities with more than one lead, "
               f"{len(index.no_lead)} with no lead")  # fmt: skip
    return Message(summary=summary, blocks=tuple(blocks))


def which(asked: str, names: Sequence[str]) -> Message:
    """Two or more priorities matched equally well: ask which."""
    shown = list(names[:6]) + ([f"{len(names) - 6} more"] if len(names) > 6 else [])
    options = ", ".join(shown[:-1]) + " or " + shown[-1]
    return Message(summary=f"“{asked}” could be {options}. Which one? Ask again with its name.")


def not_found(asked: str, nearest: Sequence[str]) -> Message:
    """Nothing matched: say so and offer the nearest names."""
    hint = (f" Nearest: {', '.join(nearest)}." if nearest
            else " Ask “what are our priorities?” for the list.")  # fmt: skip
    return Message(summary=f"I can't find a priority called “{asked}”.{hint}")
