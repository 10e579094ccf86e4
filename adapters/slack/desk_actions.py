"""A click on the agents' desk message, as Slack posts it: which button, on what, by whom.

Pure functions over the form-encoded interaction payload; no SDK is imported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import parse_qsl

import orjson

from adapters.rendering import truncate
from adapters.slack.desk_members import slack_member

CHANNEL: Final = "slack_desk"
TAKE: Final = "mailmove_desk_take"
GIVE_BACK: Final = "mailmove_desk_give_back"
# Ends the conversation as the console's 「終了」 does, asking the subscriber 「解決しましたか？」.
CLOSE: Final = "mailmove_desk_close"
# A member picker: the member who has the conversation hands it to the colleague picked.
TRANSFER: Final = "mailmove_desk_transfer"
MAX_AGENT_NAME: Final = 80
# Between the conversation key and the state it was drawn in, in a button's value.
STATE_MARK: Final = "#"


@dataclass(frozen=True, slots=True)
class DeskAction:
    """A pressed desk button: which, on which message, for which conversation, by whom."""

    action_id: str
    key: str
    channel: str
    message_ts: str
    user_id: str
    user_name: str
    text: str
    blocks: tuple[Mapping[str, Any], ...]
    # How often the conversation had changed hands when the button was pressed
    # (bot.desk.ownership.owner_changes): the same button shown again later acts again.
    state: int = 0
    # The member picked in 「ほかの担当者に渡す」 (TRANSFER); "" for a button.
    selected_user: str = ""

    @property
    def event_id(self) -> str:
        """One per button of one message and state: a double click or a Slack retry acts once."""
        return f"{CHANNEL}:{self.channel}:{self.message_ts}:{self.action_id}:{self.state}"

    @property
    def agent(self) -> str:
        """Who pressed it, as the transcript names them."""
        return slack_member(self.user_name, self.user_id)

    @property
    def mention(self) -> str:
        """Who pressed it, as Slack shows a person in a message."""
        return f"<@{self.user_id}>"


def parse_payload(body: bytes) -> Mapping[str, Any]:
    """The interaction payload of a form-encoded body; ValueError when there is none."""
    form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    if "payload" not in form:
        raise ValueError("no payload field")
    data = orjson.loads(form["payload"])  # orjson.JSONDecodeError is a ValueError
    if not isinstance(data, dict):
        raise ValueError("the payload is not a JSON object")
    return data


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def action_from_payload(payload: Mapping[str, Any], agents_channel: str) -> DeskAction | None:
    """The desk button pressed in `agents_channel`, or None for anything else.

    ValueError when a desk button's payload lacks what acting on it needs.
    """
    if payload.get("type") != "block_actions":
        return None
    actions = payload.get("actions")
    pressed = next(
        (
            a
            for a in (actions if isinstance(actions, list) else ())
            if isinstance(a, Mapping) and a.get("action_id") in (TAKE, GIVE_BACK, CLOSE, TRANSFER)
        ),
        None,
    )
    if pressed is None:
        return None
    container, message = _mapping(payload.get("container")), _mapping(payload.get("message"))
    user = _mapping(payload.get("user"))
    channel = container.get("channel_id") or _mapping(payload.get("channel")).get("id")
    message_ts = container.get("message_ts") or message.get("ts")
    key, user_id = pressed.get("value"), user.get("id")
    blocks = message.get("blocks")
    selected = pressed.get("selected_user") if pressed.get("action_id") == TRANSFER else ""
    if pressed.get("action_id") == TRANSFER:
        # A member picker carries no value: the conversation is its neighbour button's.
        key = _value_beside(blocks)
        if not isinstance(selected, str) or not selected:
            raise ValueError("a desk member picker without the member picked")
    fields = (channel, message_ts, key, user_id)
    if not all(isinstance(v, str) and v for v in fields):
        raise ValueError("a desk button without its channel, message, value or user")
    if channel != agents_channel:
        # Our buttons live in the agents' channel only; anywhere else they are not ours.
        return None
    # "key#state" (desk_blocks.button_value); a bare key is a button drawn before states.
    head, mark, tail = str(key).rpartition(STATE_MARK)
    key, state = (head, int(tail)) if mark and tail.isascii() and tail.isdigit() else (key, 0)
    name = user.get("name") or user.get("username") or user_id
    return DeskAction(
        action_id=str(pressed["action_id"]),
        key=str(key),
        channel=str(channel),
        message_ts=str(message_ts),
        user_id=str(user_id),
        user_name=truncate(str(name), MAX_AGENT_NAME),
        text=str(message.get("text") or ""),
        blocks=tuple(
            b for b in (blocks if isinstance(blocks, list) else ()) if isinstance(b, Mapping)
        ),
        state=state,
        selected_user=str(selected or ""),
    )


def _value_beside(blocks: object) -> str | None:
    """The value of the first desk button in `blocks` (the conversation and its state)."""
    for block in blocks if isinstance(blocks, list) else ():
        for element in _mapping(block).get("elements") or ():
            value = _mapping(element).get("value")
            if _mapping(element).get("type") == "button" and isinstance(value, str):
                return value
    return None


def parse_action(body: bytes, agents_channel: str) -> DeskAction | None:
    """A request body as the desk button pressed, None when it is not one of ours.

    ValueError for a body that is no interaction payload, or a desk button lacking a field.
    """
    return action_from_payload(parse_payload(body), agents_channel)
