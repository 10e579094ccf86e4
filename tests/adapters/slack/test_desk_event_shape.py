"""The agents' desk reads a signed Events API body as strictly as the Slack channel does.

A signed body with no type, or with a key given twice, was answered 200 on
`/slack/agents/events` (and its duplicate read by its last value) where `/slack/events`
answered 400: one body could mean one thing to mailmove and another to Slack. The route
answers every ValueError of the parser 400 (tests/adapters/slack/test_desk_relay.py).
"""

from __future__ import annotations

import json

import pytest

from adapters.slack.desk_thread import ThreadReply, parse_thread_reply
from bot.web.openapi import DuplicateKeyError

AGENTS = "C0AGENTS"
REPLY = {
    "type": "event_callback",
    "event_id": "Ev0001",
    "event": {
        "type": "message",
        "channel": AGENTS,
        "user": "U0AGENT",
        "text": "こんにちは",
        "ts": "1212345678.000200",
        "thread_ts": "1212345678.000100",
    },
}


def test_a_reply_in_a_thread_is_still_read() -> None:
    assert isinstance(parse_thread_reply(json.dumps(REPLY).encode(), AGENTS), ThreadReply)


@pytest.mark.parametrize(
    "body",
    [
        b'{"text": "a", "event_id": "Ev1"}',
        b'{"type": 5}',
        b'{"type": "event_callback", "type": "url_verification", "challenge": "x"}',
        json.dumps(REPLY).replace('"event":', '"event": {}, "event":').encode(),
    ],
)
def test_a_body_without_its_type_or_with_a_key_twice_is_malformed(body: bytes) -> None:
    with pytest.raises(ValueError, match=r"type|twice|appears"):
        parse_thread_reply(body, AGENTS)


def test_a_key_twice_is_the_duplicate_keys_refusal() -> None:
    with pytest.raises(DuplicateKeyError):
        parse_thread_reply(b'{"type": "event_callback", "event": {}, "event": {}}', AGENTS)
