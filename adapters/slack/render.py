"""The channel-neutral replies in Slack's Block Kit: what `chat.postMessage` is sent.

Pure functions within Block Kit's limits (https://docs.slack.dev/reference/block-kit);
`escape` and `plain` serve the agents' desk too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from adapters.rendering import PARAGRAPH, batched, split_text, truncate
from adapters.slack.events import Clicked
from bot.channels.choice_codes import choice_code, question_of, with_question
from dialogs.vocabulary import (
    ChoicesReply,
    FileReply,
    LinkReply,
    Reply,
    SettingsReply,
    TextReply,
    VerdictReply,
    reply_as_plain_text,
)

MAX_SECTION_TEXT: Final = 3000
MAX_BUTTON_TEXT: Final = 75
MAX_BUTTON_VALUE: Final = 2000
MAX_ACTIONS: Final = 25
MAX_FIELDS: Final = 10
MAX_HEADER: Final = 150
MAX_BLOCKS: Final = 50
MAX_MESSAGE_TEXT: Final = 40000  # `chat.postMessage`'s top-level text
VERDICT_EVENT: Final = "mailmove_verdict"
# A web address in words, as the web chat finds one in an agent's (chat.js `appendBreakable`):
# a run of printable ASCII beginning http:// or https://, without the brackets or the full
# stop around it. Japanese after it ends it (「…/support をご覧ください」, 「…/supportをご覧」).
_ASCII_RUN: Final = re.compile(r"[\x21-\x7e]+")
_LEADING_MARKS: Final = "\"'([{<"
_TRAILING_MARKS: Final = ".,;:!?\"')]}>"
_WEB_ADDRESS: Final = re.compile(r"https?://\S", re.IGNORECASE)
SETTINGS_EVENT: Final = "mailmove_settings"

SlackMessage = dict[str, Any]
"""The arguments of one `chat.postMessage` call, without `channel` and `thread_ts`."""


def escape(text: str) -> str:
    """Slack's three control characters in mrkdwn text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain(text: str) -> dict[str, Any]:
    """A plain_text object: words that never turn into markup, links or mentions."""
    return {"type": "plain_text", "text": text, "emoji": True}


def _section(text: str) -> dict[str, Any]:
    # plain_text: dialog wording must not turn into bold or links by accident.
    return {"type": "section", "text": plain(text)}


def _linked(text: str) -> list[dict[str, Any]] | None:
    """`text` as rich-text elements, each web address in it a link; None without one.

    Slack makes no link of an address in plain text (only mrkdwn is parsed for them), so an
    agent's 「詳しくは https://… をご覧ください」 reached a Slack subscriber as words to copy.
    Rich text's `text` elements are taken as written (no mrkdwn: *, _, <@…> stay characters).
    """
    elements: list[dict[str, Any]] = []
    done = 0
    for run in _ASCII_RUN.finditer(text):
        start, end = run.span()
        while start < end and text[start] in _LEADING_MARKS:
            start += 1
        while end > start and text[end - 1] in _TRAILING_MARKS:
            end -= 1
        if not _WEB_ADDRESS.match(text, start, end):
            continue
        if start > done:
            elements.append({"type": "text", "text": text[done:start]})
        elements.append({"type": "link", "url": text[start:end]})
        done = end
    if not elements:
        return None
    if done < len(text):
        elements.append({"type": "text", "text": text[done:]})
    return elements


def _block(text: str, *, links: bool) -> dict[str, Any]:
    elements = _linked(text) if links else None
    if elements is None:
        return _section(text)
    return {"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": elements}]}


def text_messages(text: str, *, links: bool = False) -> list[SlackMessage]:
    """`text` as plain-text sections, as few messages as hold them (50 sections each).

    A section holds 3,000 characters: an agent's long answer, a long guide or a subscriber's
    pasted log arrives as one message, not in pieces. The top-level text (notification,
    fallback) is mrkdwn: Slack requires &, <, > escaped. With `links` (what the subscriber
    reads) a piece holding a web address is rich text instead, the address a link.
    """
    chunks = split_text(text, MAX_SECTION_TEXT)
    return [
        {
            "text": truncate(escape(PARAGRAPH.join(group)), MAX_MESSAGE_TEXT),
            "blocks": [_block(chunk, links=links) for chunk in group],
        }
        for group in batched(chunks, MAX_BLOCKS)
    ]


def _buttons(reply: ChoicesReply, question: str) -> list[dict[str, Any]]:
    buttons = [
        {
            "type": "button",
            "text": plain(truncate(c.label, MAX_BUTTON_TEXT)),
            "value": choice_code(c.id, MAX_BUTTON_VALUE),
            "action_id": f"choice-{n}",
        }
        for n, c in enumerate(reply.choices)
    ]
    # The block names the question: a press on an old message's button is told apart.
    return [
        {
            "type": "actions",
            "block_id": with_question(f"choices-{n}", question),
            "elements": list(group),
        }
        for n, group in enumerate(batched(buttons, MAX_ACTIONS))
    ]


def _settings(reply: SettingsReply) -> SlackMessage:
    # Values in code style: copied whole, and never turned into links (vpop.117.ne.jp).
    fields = [
        {"type": "mrkdwn", "text": f"*{escape(i.label)}*\n`{escape(i.value)}`"} for i in reply.items
    ]
    header = {"type": "header", "text": plain(truncate(reply.title, MAX_HEADER))}
    sections = [{"type": "section", "fields": list(f)} for f in batched(fields, MAX_FIELDS)]
    payload = {i.key: i.value for i in reply.items}
    return {
        "text": truncate(reply_as_plain_text(reply), MAX_SECTION_TEXT),
        "blocks": [header, *sections],
        "metadata": {"event_type": SETTINGS_EVENT, "event_payload": payload},
    }


def render(reply: Reply, *, question: str = "") -> list[SlackMessage]:
    """One reply as `chat.postMessage` calls, within Block Kit's limits.

    `question`: the `event_tag` of the turn that asks it, carried by its buttons' block.
    """
    if isinstance(reply, ChoicesReply):
        messages = text_messages(reply.text, links=True)
        # Block Kit allows 50 blocks; 48 actions blocks would be 1200 buttons.
        messages[-1]["blocks"] = [*messages[-1]["blocks"], *_buttons(reply, question)][:MAX_BLOCKS]
        return messages
    if isinstance(reply, VerdictReply):
        messages = text_messages(reply.text, links=True)
        verdict = {"receiving": reply.receiving.value, "sending": reply.sending.value}
        messages[0]["metadata"] = {"event_type": VERDICT_EVENT, "event_payload": verdict}
        return messages
    if isinstance(reply, SettingsReply):
        return [_settings(reply)]
    if isinstance(reply, LinkReply | FileReply):
        # A file goes as its link too: an Apple profile installs only when opened in Safari.
        text = truncate(escape(reply.text), MAX_SECTION_TEXT - len(reply.url) - 3)
        section = {"type": "section", "text": {"type": "mrkdwn", "text": f"{text}\n<{reply.url}>"}}
        return [{"text": f"{escape(reply.text)} {reply.url}", "blocks": [section]}]
    if isinstance(reply, TextReply):
        return text_messages(reply.text, links=True)
    raise TypeError(f"cannot render {reply!r}")


def private_runs(replies: Sequence[Reply]) -> list[tuple[bool, tuple[Reply, ...]]]:
    """A turn's replies in runs, each said to be for the subscriber's eyes only or not.

    A private run begins at a settings card, a check's link or a file (their address, their
    servers, a link that opens the check of their account) and holds what follows it up to
    the next question: the guide read with the card. A question stays where it was asked,
    as its buttons answer that conversation.
    """
    runs: list[tuple[bool, tuple[Reply, ...]]] = []
    private = False
    for reply in replies:
        if isinstance(reply, SettingsReply | LinkReply | FileReply):
            private = True
        elif isinstance(reply, ChoicesReply):
            private = False
        if runs and runs[-1][0] == private:
            runs[-1] = (private, (*runs[-1][1], reply))
        else:
            runs.append((private, (reply,)))
    return runs


def asked_by(message: Mapping[str, Any]) -> str | None:
    """The question a posted message's buttons ask (the `event_tag` their block names)."""
    blocks = message.get("blocks")
    for block in blocks if isinstance(blocks, list) else ():
        if isinstance(block, Mapping) and block.get("type") == "actions":
            _, question = question_of(str(block.get("block_id") or ""))
            if question is not None:
                return question
    return None


def answered_blocks(clicked: Clicked, *, answered: bool = True) -> list[dict[str, Any]]:
    """The pressed message without its buttons, and the answer in their place if it counted."""
    kept = [dict(b) for b in clicked.blocks if b.get("type") != "actions"]
    answer = {"type": "context", "elements": [plain(f"✓ {clicked.label}")]}
    return [*kept, answer] if clicked.label and answered else kept
