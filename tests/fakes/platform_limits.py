"""What Slack, Telegram and LINE refuse to send, as their documentation states it.

The fake platform API (`tests.fakes.platform_api`) answers a call that breaks one of these
limits as the platform does (Slack `invalid_blocks`, Telegram 400, LINE 400 with details),
so a renderer that oversteps a limit fails its test instead of passing against a fake that
takes anything.

- Slack Block Kit (https://docs.slack.dev/reference/block-kit): 50 blocks a message; a
  section's text 3,000 characters, its fields 10 of 2,000; a header's text 150; an actions
  block 25 elements; a button's text 75, its value 2,000, its action_id 255; a context
  block 10 elements; `chat.postMessage` needs `text` or `blocks`, `text` at most 40,000.
- Telegram Bot API (https://core.telegram.org/bots/api#sendmessage): text 1-4,096
  characters after entities are parsed; `callback_data` 1-64 bytes; the notice of
  `answerCallbackQuery` 0-200 characters.
- LINE Messaging API (https://developers.line.biz/en/reference/messaging-api/): 1-5
  messages a call; a text 5,000 characters (UTF-16 units); `altText` 400; quick reply 13
  items; an action's label 20 characters, postback `data` 300, `displayText` 300.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any, Final

TELEGRAM_NOT_BY_DEFAULT: Final = frozenset(
    {"chat_member", "message_reaction", "message_reaction_count"}
)
"""Update kinds Telegram sends only when named in allowed_updates."""

_TAG: Final = re.compile(r"<[^>]+>")


def json_value(value: Any) -> Any:
    """A parameter the SDK may have sent JSON-encoded inside a form (Telegram, Slack)."""
    if isinstance(value, str) and value[:1] in ("[", "{"):
        return json.loads(value)
    return value


def json_list(value: Any) -> list[str]:
    """A list parameter, whether sent as JSON text or as JSON."""
    decoded = json_value(value)
    return [str(item) for item in decoded] if isinstance(decoded, list) else []


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# -- Slack -------------------------------------------------------------------------------


def _slack_text(obj: Any) -> str:
    return str(obj.get("text") or "") if isinstance(obj, dict) else ""


def _slack_block_problems(block: dict[str, Any]) -> Iterator[str]:
    kind = block.get("type")
    if kind == "section":
        if len(_slack_text(block.get("text"))) > 3000:
            yield "must be less than 3001 characters [json-pointer:/text/text]"
        fields = block.get("fields") or []
        if len(fields) > 10:
            yield "must be less than 11 items [json-pointer:/fields]"
        if any(len(_slack_text(f)) > 2000 for f in fields):
            yield "must be less than 2001 characters [json-pointer:/fields/text]"
    elif kind == "header":
        if len(_slack_text(block.get("text"))) > 150:
            yield "must be less than 151 characters [json-pointer:/text/text]"
    elif kind == "actions":
        elements = block.get("elements") or []
        if len(elements) > 25:
            yield "must be less than 26 items [json-pointer:/elements]"
        for element in elements:
            if len(_slack_text(element.get("text"))) > 75:
                yield "must be less than 76 characters [json-pointer:/elements/text/text]"
            if len(str(element.get("value") or "")) > 2000:
                yield "must be less than 2001 characters [json-pointer:/elements/value]"
            if len(str(element.get("action_id") or "")) > 255:
                yield "must be less than 256 characters [json-pointer:/elements/action_id]"
    elif kind == "context" and len(block.get("elements") or []) > 10:
        yield "must be less than 11 items [json-pointer:/elements]"


def slack_refusal(method: str, params: dict[str, Any]) -> list[str]:
    """Slack's error and its details for a `chat.postMessage`/`chat.update` it refuses; []."""
    if method not in ("chat.postMessage", "chat.update"):
        return []
    text = params.get("text")
    blocks = json_value(params.get("blocks"))
    if not text and not blocks:
        return ["no_text"]
    if text and len(str(text)) > 40000:
        return ["msg_too_long"]
    if blocks:
        problems = ["must be less than 51 items [json-pointer:/blocks]"] if len(blocks) > 50 else []
        for block in blocks:
            problems.extend(_slack_block_problems(block))
        if problems:
            return ["invalid_blocks", *problems]
    return []


# -- Telegram ----------------------------------------------------------------------------


def telegram_notice_refusal(params: dict[str, Any]) -> tuple[int, str] | None:
    """The Bot API's 400 for an `answerCallbackQuery` notice over 200 characters, or None."""
    if _utf16(str(params.get("text") or "")) > 200:
        return 400, "Bad Request: MESSAGE_TOO_LONG"
    return None


_COMMAND_NAME: Final = re.compile(r"[a-z0-9_]{1,32}")


def telegram_commands_refusal(params: dict[str, Any]) -> tuple[int, str] | None:
    """The Bot API's 400 for a `setMyCommands` it refuses, or None.

    At most 100 commands, each 1-32 lowercase Latin letters, digits or underscores with a
    description of 1-256 characters; language_code empty or a two-letter ISO 639-1 code.
    """
    commands = json_value(params.get("commands"))
    if not isinstance(commands, list) or len(commands) > 100:
        return 400, "Bad Request: commands must be a list of at most 100"
    for command in commands:
        if not _COMMAND_NAME.fullmatch(str(command.get("command") or "")):
            return 400, "Bad Request: BOT_COMMAND_INVALID"
        if not 1 <= len(str(command.get("description") or "").strip()) <= 256:
            return 400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"
    language = str(params.get("language_code") or "")
    if language and not re.fullmatch(r"[a-z]{2}", language):
        return 400, "Bad Request: LANG_CODE_INVALID"
    return None


def telegram_message_refusal(params: dict[str, Any]) -> tuple[int, str] | None:
    """The Bot API's 400 for a `sendMessage` it refuses, or None."""
    text = str(params.get("text") or "")
    if params.get("parse_mode") == "HTML":
        text = html.unescape(_TAG.sub("", text))
    if not text.strip():
        return 400, "Bad Request: message text is empty"
    if _utf16(text) > 4096:
        return 400, "Bad Request: message is too long"
    markup = json_value(params.get("reply_markup")) or {}
    for row in markup.get("inline_keyboard") or []:
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                return 400, "Bad Request: BUTTON_DATA_INVALID"
            if not str(button.get("text") or "").strip():
                return 400, "Bad Request: text buttons are unallowed in the inline keyboard"
    return None


# -- LINE --------------------------------------------------------------------------------


def _line_action_problems(action: dict[str, Any], where: str) -> Iterator[tuple[str, str]]:
    if len(str(action.get("label") or "")) > 20:
        yield f"{where}.label", "Length must be between 0 and 20"
    if len(str(action.get("data") or "")) > 300:
        yield f"{where}.data", "Length must be between 0 and 300"
    if len(str(action.get("displayText") or "")) > 300:
        yield f"{where}.displayText", "Length must be between 0 and 300"


def _line_flex_actions(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "action" and isinstance(value, dict):
                yield f"{where}.action", value
            else:
                yield from _line_flex_actions(value, f"{where}.{key}")
    elif isinstance(node, list):
        for n, item in enumerate(node):
            yield from _line_flex_actions(item, f"{where}[{n}]")


def line_refusal(body: dict[str, Any]) -> list[tuple[str, str]]:
    """(property, message) for each limit a reply or push body breaks; [] if none."""
    messages = body.get("messages") or []
    problems: list[tuple[str, str]] = []
    if not 1 <= len(messages) <= 5:
        problems.append(("messages", "Size must be between 1 and 5"))
    for n, message in enumerate(messages):
        where = f"messages[{n}]"
        if message.get("type") == "text" and not 1 <= _utf16(str(message.get("text"))) <= 5000:
            problems.append((f"{where}.text", "Length must be between 1 and 5000"))
        if message.get("type") == "flex" and not 1 <= len(str(message.get("altText"))) <= 400:
            problems.append((f"{where}.altText", "Length must be between 1 and 400"))
        items = (message.get("quickReply") or {}).get("items") or []
        if len(items) > 13:
            problems.append((f"{where}.quickReply.items", "Size must be between 0 and 13"))
        for i, item in enumerate(items):
            action = item.get("action") or {}
            problems.extend(_line_action_problems(action, f"{where}.quickReply.items[{i}].action"))
        for path, action in _line_flex_actions(message.get("contents"), f"{where}.contents"):
            problems.extend(_line_action_problems(action, path))
    return problems
