"""Action extraction: find every action, its owners and deadline in messages and minutes."""

from handlers.extraction.engine import extract_actions
from handlers.extraction.model import ExtractedAction

__all__ = ["ExtractedAction", "extract_actions"]
