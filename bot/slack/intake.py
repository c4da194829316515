"""The door of the Slack HTTP route: an unsigned request gets 401, a signed malformed body 400.

Bolt reads a body assuming Slack's shapes (a JSON object or form data whose ``event``, ``user``,
``channel``, ``actions``, ``view`` ... are objects, lists, ids or strings) and on anything else it
raises and answers 500. Slack never sends such a body, so it is refused here with a short reason,
after the signature is checked and before Bolt reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web
from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier

Check = Callable[[object], bool]
_OBJECT: tuple[str, Check] = ("an object", lambda v: isinstance(v, dict))
_ID: tuple[str, Check] = ("an id or an object", lambda v: isinstance(v, str | dict))
_LIST: tuple[str, Check] = ("a list", lambda v: isinstance(v, list))
_STRING: tuple[str, Check] = ("a string", lambda v: isinstance(v, str))
_URL: tuple[str, Check] = (
    "a web address",
    lambda v: isinstance(v, str) and v.startswith(("https://", "http://")),
)
# what a field is, wherever in a payload it appears
_SHAPES: dict[str, tuple[str, Check]] = {
    **dict.fromkeys(("event", "item", "message", "previous_message", "edited"), _OBJECT),
    **dict.fromkeys(("view", "container", "state", "selected_option"), _OBJECT),
    **dict.fromkeys(("user", "channel", "team", "enterprise", "file"), _ID),
    **dict.fromkeys(("actions", "authorizations", "response_urls", "files"), _LIST),
    **dict.fromkeys(("type", "subtype", "text", "ts", "thread_ts", "event_ts"), _STRING),
    **dict.fromkeys(("id", "command", "user_id", "channel_id", "file_id", "trigger_id"), _STRING),
    **dict.fromkeys(("callback_id", "private_metadata", "tab"), _STRING),
    **dict.fromkeys(("action_id", "block_id", "value", "reaction", "deleted_ts"), _STRING),
    "response_url": _URL,
}
# absent or null is fine for any field but these, which Bolt reads whenever the key is there
_NEVER_NULL = frozenset(("event", "view", "response_urls"))
# the objects looked into (not ``state``: its keys are our own block and action ids, read by the
# listener that chose them); Bolt and the listeners read nothing deeper than _MAX_DEPTH
_NESTED = frozenset(k for k, kind in _SHAPES.items() if kind in (_OBJECT, _ID, _LIST)) - {"state"}
_MAX_DEPTH = 4
# where ``text`` is a Block Kit text object, not a string
_TEXT_OBJECTS = frozenset(("actions", "selected_option"))


def body_problem(body: str, content_type: str | None) -> str | None:
    """Why ``body`` is not a Slack payload Bolt can read; None when it is."""
    try:
        payload: object = parse_body(body, content_type)
    except (ValueError, RecursionError):
        return "body is not valid JSON"
    if not isinstance(payload, dict):
        return "body is not a JSON object"
    problem = _fields_problem(payload, "body", 0)
    if problem is not None:
        return problem
    kind = payload.get("type")
    first_action = (payload.get("actions") or [{}])[0]
    view = payload.get("view") or {}
    if kind == "block_actions" and not isinstance(first_action.get("action_id"), str):
        return "block_actions without an action_id"
    if kind in ("view_submission", "view_closed") and not (
        isinstance(view.get("type"), str) and isinstance(view.get("callback_id"), str)
    ):
        return f"{kind} without its view's type and callback_id"
    if kind == "url_verification" and not isinstance(payload.get("challenge"), str):
        return "url_verification without a challenge"
    return None


def _fields_problem(obj: dict[str, Any], where: str, depth: int) -> str | None:
    for key, value in obj.items():
        shape = _SHAPES.get(key)
        if shape is None or (key == "text" and where in _TEXT_OBJECTS):
            continue
        what, fits = shape
        if value is None and key not in _NEVER_NULL:
            continue
        if not fits(value):
            return f"{where}.{key} is not {what}"
        if key not in _NESTED or depth >= _MAX_DEPTH or isinstance(value, str):
            continue
        for item in value if isinstance(value, list) else [value]:
            if not isinstance(item, dict):
                return f"{where}.{key} holds something that is not an object"
            found = _fields_problem(item, key, depth + 1)
            if found is not None:
                return found
    return None


async def refusal(request: web.Request, verifier: SignatureVerifier) -> web.Response | None:
    """The answer to a request Bolt must not see (unsigned, or malformed); None to go on."""
    raw = await request.read()
    try:
        body = raw.decode(request.charset or "utf-8")
    except (UnicodeDecodeError, LookupError):  # Slack signs UTF-8 text; this is neither
        return web.Response(status=400, text="body is not text in its declared charset")
    try:
        signed = verifier.is_valid_request(body, dict(request.headers))
    except ValueError:  # a timestamp header that is not a number
        signed = False
    if not signed:
        return web.json_response({"error": "invalid request"}, status=401)
    problem = body_problem(body, request.content_type)
    if problem is not None:
        return web.Response(status=400, text=problem)
    return None
