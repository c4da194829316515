"""What an activity POSTed to /api/messages must look like before the Bot Framework reads it.

botbuilder deserialises whatever arrives: a list where it expects an object makes it raise (500),
and a number or a list where it expects text is quietly turned into a string the handlers then act
on. Teams never sends either, so such an activity is refused with a short reason (400) before any
turn runs and before anything is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Check = Callable[[object], bool]
_OBJECT: tuple[str, Check] = ("an object", lambda v: isinstance(v, dict))
_LIST: tuple[str, Check] = ("a list", lambda v: isinstance(v, list))
_STRING: tuple[str, Check] = ("a string", lambda v: isinstance(v, str))
_ACCOUNT: tuple[str, Check] = (
    "an object with an id",
    lambda v: isinstance(v, dict) and isinstance(v.get("id"), str) and bool(v["id"]),
)
_URL: tuple[str, Check] = (
    "a web address",
    lambda v: isinstance(v, str) and v.startswith(("https://", "http://")),
)
# what a field is, in the activity and in the objects it holds
_SHAPES: dict[str, tuple[str, Check]] = {
    **dict.fromkeys(("from", "conversation", "recipient", "mentioned"), _ACCOUNT),
    **dict.fromkeys(("team", "channel", "tenant"), _ACCOUNT),  # in channelData
    "channelData": _OBJECT,
    **dict.fromkeys(("attachments", "entities", "membersAdded", "membersRemoved"), _LIST),
    **dict.fromkeys(("type", "id", "text", "name", "replyToId", "channelId", "locale"), _STRING),
    **dict.fromkeys(("textFormat", "conversationType", "aadObjectId"), _STRING),
    "serviceUrl": _URL,
}
# Bot Framework sends these with every activity, and replies cannot be made without them
_REQUIRED = ("type", "from", "conversation", "recipient", "serviceUrl")
_NESTED = frozenset(k for k, kind in _SHAPES.items() if kind in (_OBJECT, _LIST, _ACCOUNT))
_MEMBER_LISTS = frozenset(("membersAdded", "membersRemoved"))
_MAX_DEPTH = 3


def activity_problem(activity: dict[str, Any]) -> str | None:
    """Why ``activity`` is not one Teams would send; None when it is."""
    for key in _REQUIRED:
        if not activity.get(key):
            return f"activity has no {key}"
    value = activity.get("value")
    if activity["type"] in ("message", "invoke") and not isinstance(value, dict | None):
        return "activity.value is not an object"
    return _fields_problem(activity, "activity", 0)


def _fields_problem(obj: dict[str, Any], where: str, depth: int) -> str | None:
    for key, value in obj.items():
        shape = _SHAPES.get(key)
        if shape is None or value is None:
            continue
        what, fits = shape
        if not fits(value):
            return f"{where}.{key} is not {what}"
        if key not in _NESTED or depth >= _MAX_DEPTH:
            continue
        item_what, item_fits = _ACCOUNT if key in _MEMBER_LISTS else _OBJECT
        for item in value if isinstance(value, list) else [value]:
            if not item_fits(item):
                return f"{where}.{key} holds something that is not {item_what}"
            found = _fields_problem(item, key, depth + 1)
            if found is not None:
                return found
    return None
