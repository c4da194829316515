"""The action log from chat: "export actions" hands back a Word (or CSV/Markdown) file."""

from __future__ import annotations

from handlers import export, limits
from handlers.conversation.context import Context
from handlers.conversation.digest import visible
from handlers.conversation.listing import group_ids
from handlers.conversation.parser import Command
from handlers.messages import Attachment, Outgoing, Paragraph
from store import actions as repo

MIME: dict[export.Format, str] = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv",
    "md": "text/markdown",
}


def export_actions(ctx: Context, cmd: Command) -> list[Outgoing]:
    """The action log of the place's group (restricted actions only where the viewer may see)."""
    fmt: export.Format = next((f for f in MIME if f == cmd.text), "docx")
    group = ctx.group
    found = repo.find(ctx.session, repo.ActionFilter(group_ids=group_ids(ctx, group)))
    shown = visible(ctx, found)
    name = group.name if group is not None else "All groups"
    refused = limits.export_too_large(name, len(shown))
    if refused is not None:  # checked before anything is rendered
        return [ctx.reply(refused, Paragraph.of(refused))]
    calendar = group.meetings if group is not None else []
    upcoming = [m.date for m in calendar if m.date >= ctx.today]
    meeting_date = upcoming[0] if upcoming else None
    content = export.render(
        shown,
        fmt,
        today=ctx.today,
        title="Action log",
        group=name,
        meeting_date=meeting_date,
        redact=ctx.in_channel,
    )
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    refused = limits.export_too_large(name, len(shown), len(data))
    if refused is not None:
        return [ctx.reply(refused, Paragraph.of(refused))]
    slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
    filename = f"actions-{slug}-{ctx.today.isoformat()}.{fmt}"
    text = f"The action log for {name}: {len(shown)} action{'s' if len(shown) != 1 else ''}."
    attachment = Attachment(filename, data, MIME[fmt])
    return [ctx.reply(text, Paragraph.of(text), attachment)]
