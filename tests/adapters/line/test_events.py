"""LINE's webhook events as inbound messages: text, postbacks, new friends (pure functions)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import pytest
from linebot.v3 import WebhookParser  # type: ignore[import-untyped]

from adapters.line import events as line
from tests.adapters.channel_contract import load_payload

SECRET = "a5b6c7d8e9f00112233445566778899a"
USER = "U206d25c2ea6bd87c17655609a1c37cb8"


def event(name: str, **changes: Any) -> Any:
    """The first event of a recorded payload, parsed by the SDK as the channel parses it."""
    payload = load_payload("line", name)
    payload["events"][0].update(changes)
    body = json.dumps(payload)
    parsed = WebhookParser(SECRET).parse(
        body, line.signature_of(body.encode(), SECRET), as_payload=True
    )
    return parsed.events[0]


def test_a_text_message_is_a_turn_answered_with_its_reply_token() -> None:
    turn = line.turn_from_event(event("message_text"))
    assert turn is not None
    assert (turn.inbound.text, turn.to, turn.user) == ("こんにちは", USER, USER)
    assert turn.inbound.event_id == "line:01FZ74A0TDDPYRVKNK77XKC3ZR"
    assert turn.reply_token == "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA"


def test_a_tagged_postback_is_one_answer_per_question() -> None:
    turn = line.turn_from_event(event("postback", postback={"data": "yes~0123456789abcdef"}))
    assert turn is not None
    assert turn.inbound.choice == "yes"
    assert turn.inbound.event_id == f"line:pressed:{USER}:0123456789abcdef"


def test_an_untagged_postback_is_its_data() -> None:
    turn = line.turn_from_event(event("postback"))
    assert turn is not None
    assert turn.inbound.choice == "yes"
    assert turn.inbound.event_id == "line:01FZ74ASS536FW97EX38NKCZQK"


def test_a_new_friend_starts_a_conversation() -> None:
    turn = line.turn_from_event(event("follow"))
    assert turn is not None
    assert turn.inbound.start


@pytest.mark.parametrize("name", ["unsend", "future_event"])
def test_other_events_are_no_turn(name: str) -> None:
    assert line.turn_from_event(event(name)) is None


def test_a_sticker_or_image_is_a_turn_the_dialog_answers_by_asking_for_the_text() -> None:
    turn = line.turn_from_event(event("message_sticker"))
    assert turn is not None
    assert (turn.inbound.choice, turn.inbound.text) == ("media", None)
    image = {
        "id": "468789577898262530",
        "type": "image",
        "quoteToken": "q",
        "contentProvider": {"type": "line"},
    }
    turn = line.turn_from_event(event("message_text", message=image))
    assert turn is not None
    assert turn.inbound.choice == "media"


def test_an_event_in_standby_is_another_modules() -> None:
    assert line.turn_from_event(event("message_text", mode="standby")) is None


def test_the_signature_is_base64_hmac_sha256_of_the_raw_body() -> None:
    body = b'{"events": []}'
    digest = hmac.new(SECRET.encode(), body, hashlib.sha256).digest()
    assert line.signature_of(body, SECRET) == base64.b64encode(digest).decode()
