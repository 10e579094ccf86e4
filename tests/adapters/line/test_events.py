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
from dialogs.vocabulary import EMOJI_CHOICE
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
    # Named by the message, which its unsend names too (the webhook event id is the unsend's).
    assert turn.inbound.event_id == "line:message:468789577898262530"
    assert turn.reply_token == "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA"


def test_an_unsend_names_the_turn_of_the_message_it_withdraws() -> None:
    unsent = line.withdrawal_from_event(event("unsend"))
    assert unsent == line.Withdrawal(
        USER, "line:01FZ74B5Y0F4TNKA5SCAVKPEDM", "line:message:468789577898262530"
    )
    turn = line.turn_from_event(event("message_text"))
    assert turn is not None
    assert turn.inbound.event_id == unsent.said
    # A group's talk is never kept, so there is nothing of it to withdraw.
    group = {"type": "group", "groupId": "Ca56f94637c4c812cd491258042226c99", "userId": USER}
    assert line.withdrawal_from_event(event("unsend", source=group)) is None
    assert line.withdrawal_from_event(event("message_text")) is None


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
    # A sticker is a sticker (acknowledged); an image is asked for the error as text.
    turn = line.turn_from_event(event("message_sticker"))
    assert turn is not None
    assert (turn.inbound.choice, turn.inbound.text) == ("sticker", None)
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


# -- groups and rooms ---------------------------------------------------------------------

GROUP_SOURCE = {"type": "group", "groupId": "Ca56f94637c4c812cd491258042226c99", "userId": USER}
ROOM_SOURCE = {"type": "room", "roomId": "Ra8dbf4673c4c812cd491258042226c99", "userId": USER}


def mentioned(*mentionees: dict[str, Any]) -> dict[str, Any]:
    text = load_payload("line", "message_text")["events"][0]["message"]
    return {**text, "text": "@メール案内 こんにちは", "mention": {"mentionees": list(mentionees)}}


BOT_MENTION = {"index": 0, "length": 6, "type": "user", "userId": "U0bot", "isSelf": True}
OTHER_MENTION = {"index": 0, "length": 6, "type": "user", "userId": "U0someone", "isSelf": False}
ALL_MENTION = {"index": 0, "length": 4, "type": "all"}


@pytest.mark.parametrize("source", [GROUP_SOURCE, ROOM_SOURCE], ids=["group", "room"])
@pytest.mark.parametrize(
    ("name", "changes"),
    [
        ("message_text", {}),
        ("message_sticker", {}),
        ("message_text", {"message": mentioned(OTHER_MENTION, ALL_MENTION)}),
    ],
    ids=["text", "sticker", "someone-else-mentioned"],
)
def test_a_shared_chats_own_talk_is_neither_a_turn_nor_addressed_to_the_bot(
    source: dict[str, Any], name: str, changes: dict[str, Any]
) -> None:
    parsed = event(name, source=source, **changes)
    assert line.turn_from_event(parsed) is None
    assert line.group_request(parsed) is None


@pytest.mark.parametrize("source", [GROUP_SOURCE, ROOM_SOURCE], ids=["group", "room"])
@pytest.mark.parametrize(
    ("name", "changes"),
    [
        ("message_text", {"message": mentioned(OTHER_MENTION, BOT_MENTION)}),
        ("postback", {"postback": {"data": "yes~0123456789abcdef"}}),
    ],
    ids=["mention", "postback"],
)
def test_a_mention_or_a_tap_in_a_shared_chat_is_a_request_not_a_turn(
    source: dict[str, Any], name: str, changes: dict[str, Any]
) -> None:
    parsed = event(name, source=source, **changes)
    assert line.turn_from_event(parsed) is None
    request = line.group_request(parsed)
    assert request is not None
    assert (request.event_id, request.user) == (parsed.webhook_event_id, USER)
    assert request.reply_token == parsed.reply_token


def test_joining_a_group_is_a_request_from_nobody_in_particular() -> None:
    source = {k: v for k, v in GROUP_SOURCE.items() if k != "userId"}
    parsed = event("follow", type="join", source=source, follow=None)
    assert line.turn_from_event(parsed) is None
    request = line.group_request(parsed)
    assert request is not None
    assert request.user is None


def test_a_mention_in_a_one_to_one_chat_is_an_ordinary_turn() -> None:
    parsed = event("message_text", message=mentioned(BOT_MENTION))
    assert line.group_request(parsed) is None
    turn = line.turn_from_event(parsed)
    assert turn is not None
    assert turn.to == USER


def test_a_mention_in_standby_is_another_modules() -> None:
    parsed = event(
        "message_text", mode="standby", source=GROUP_SOURCE, message=mentioned(BOT_MENTION)
    )
    assert line.group_request(parsed) is None


def test_a_mention_of_the_wrong_shape_is_refused_before_the_sdk_reads_it() -> None:
    payload = load_payload("line", "message_text")
    payload["events"][0]["message"] = mentioned({**BOT_MENTION, "isSelf": "yes"})
    with pytest.raises(ValueError, match="isSelf"):
        line.shaped(json.dumps(payload).encode())


def _emoji(index: int, length: int) -> dict[str, Any]:
    return {
        "index": index,
        "length": length,
        "productId": "5ac1bfd5040ab15980c9b435",
        "emojiId": "001",
    }


@pytest.mark.parametrize(
    ("text", "emojis", "read"),
    [
        # A LINE emoji comes as its name in brackets (「(love)」), where it sits in the text.
        ("はい(love)", [_emoji(2, 6)], "はい"),
        ("(moon grin)いいえ(hello)", [_emoji(0, 11), _emoji(14, 7)], "いいえ"),
        # The index counts UTF-16 units, as LINE's (an emoji of Unicode counts two).
        ("👍(love)はい", [_emoji(2, 6)], "👍はい"),
        # Brackets the subscriber typed are theirs.
        ("ポート(110)です", [], "ポート(110)です"),
        # An index that points at no bracketed name leaves the text alone.
        ("はい(love)", [_emoji(0, 6)], "はい(love)"),
    ],
)
def test_line_emoji_are_not_read_as_words(
    text: str, emojis: list[dict[str, Any]], read: str
) -> None:
    # 「はい(love)」 was not understood, where 「はい」 answers the question.
    message: dict[str, Any] = {
        "id": "468789577898262530",
        "type": "text",
        "quoteToken": "q3Plxr4AgKd",
        "text": text,
        "emojis": emojis,
    }
    turn = line.turn_from_event(event("message_text", message=message))
    assert turn is not None
    assert turn.inbound.text == read


@pytest.mark.parametrize(
    ("text", "emojis"),
    [("(moon grin)", [_emoji(0, 11)]), ("(love) (love)", [_emoji(0, 6), _emoji(7, 6)])],
)
def test_line_emoji_alone_are_emoji_sent_not_words(text: str, emojis: list[dict[str, Any]]) -> None:
    # LINE's own emoji alone were read as the words 「(moon grin)」: not understood, and the
    # third such handed the chat to a person. Its `emojis` say they are pictures (channels2).
    message: dict[str, Any] = {
        "id": "468789577898262530",
        "type": "text",
        "quoteToken": "q3Plxr4AgKd",
        "text": text,
        "emojis": emojis,
    }
    turn = line.turn_from_event(event("message_text", message=message))
    assert turn is not None
    assert (turn.inbound.choice, turn.inbound.text) == (EMOJI_CHOICE, text)
    # Brackets without an `emojis` entry are the subscriber's own words.
    del message["emojis"]
    turn = line.turn_from_event(event("message_text", message=message))
    assert turn is not None
    assert (turn.inbound.choice, turn.inbound.text) == (None, text)


def test_pictures_of_one_image_set_are_one_event() -> None:
    # As the SDK models them (with a quote token): one answer for the whole set.
    def picture(index: int, set_id: str = "E005D41A7288F41B6559") -> Any:
        message = {
            "id": f"46878957789826253{index}",
            "type": "image",
            "quoteToken": f"q{index}",
            "contentProvider": {"type": "line"},
            "imageSet": {"id": set_id, "index": index, "total": 2},
        }
        return event(
            "message_text", message=message, webhookEventId=f"01FZ74A0TDDPYRVKNK77XKC3Z{index}"
        )

    first, second, other = picture(1), picture(2), picture(1, "F00")
    turns = [line.turn_from_event(e) for e in (first, second, other)]
    assert all(t is not None and t.inbound.choice == "media" for t in turns)
    ids = [t.inbound.event_id for t in turns if t is not None]
    assert ids[0] == ids[1] != ids[2]
