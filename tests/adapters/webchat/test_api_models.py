"""The web chat's models agree with the vocabulary they describe, and refuse what they must."""

from __future__ import annotations

from typing import Any, get_args

import pytest
from pydantic import MISSING, ValidationError

from adapters.webchat.api_models import MAX_TEXT, Message, Reply, description
from bot.web.openapi import error_message
from dialogs import vocabulary
from dialogs.vocabulary import (
    Choice,
    ChoicesReply,
    FileReply,
    LinkReply,
    Receiving,
    Sending,
    SettingsItem,
    SettingsReply,
    TextReply,
    VerdictReply,
    reply_to_dict,
)

ONE_OF_EACH: tuple[vocabulary.Reply, ...] = (
    TextReply("こんにちは"),
    ChoicesReply("メールソフトをお使いですか?", (Choice("yes", "はい"), Choice("no", "いいえ"))),
    VerdictReply(Receiving.REQUIRED, Sending.RECOMMENDED, "受信の設定変更が必要です。"),
    SettingsReply("新しい設定", (SettingsItem("username", "アカウント", "taro@vp.117.ne.jp"),)),
    LinkReply("ログインを確かめる", "https://example.test/check/abc"),
    FileReply(
        "設定ファイル",
        "taro-mail.mobileconfig",
        "application/x-apple-aspen-config",
        "https://example.test/mail/apple.mobileconfig",
    ),
)


def test_the_reply_model_covers_every_reply_of_the_vocabulary() -> None:
    kinds = {reply.type for reply in ONE_OF_EACH}
    assert len(ONE_OF_EACH) == len(get_args(vocabulary.Reply))
    mapping = description()["components"]["schemas"]["Reply"]["discriminator"]["mapping"]
    assert set(mapping) == kinds


@pytest.mark.parametrize("reply", ONE_OF_EACH, ids=lambda r: r.type)
def test_each_reply_as_the_api_sends_it_fits_its_model(reply: vocabulary.Reply) -> None:
    sent = reply_to_dict(reply)
    parsed = Reply.model_validate(sent, strict=False)
    assert parsed.model_dump(mode="json") == sent


def test_a_reply_with_a_field_the_model_does_not_know_is_refused() -> None:
    with pytest.raises(ValidationError):
        Reply.model_validate({"type": "text", "text": "x", "colour": "red"})


def test_a_message_holds_missing_for_what_was_not_sent() -> None:
    typed = Message.model_validate_json(b'{"text": "\\u306f\\u3044"}')
    assert (typed.text, typed.choice, typed.event_id) == ("はい", MISSING, MISSING)
    pressed = Message.model_validate_json(b'{"choice": "yes", "event_id": "e-1"}')
    assert (pressed.text, pressed.choice, pressed.event_id) == (MISSING, "yes", "e-1")


def test_a_domain_button_is_a_choice() -> None:
    # The address question's one button per affected domain (`skip:<domain>`) was refused
    # 422 by the choice pattern: a subscriber of several domains could not press it.
    domain = Message.model_validate({"choice": "skip:minato-biz.example.jp"})
    assert domain.choice == "skip:minato-biz.example.jp"
    with pytest.raises(ValidationError):
        Message.model_validate({"choice": "skip:minato-biz.example.jp/../x"})


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"text": "x" * (MAX_TEXT + 1)}, f'"text" must be at most {MAX_TEXT} characters'),
        ({"text": "\u3000 \n"}, '"text" must not be only white space'),
        ({"text": "no", "choice": "no"}, 'send exactly one of "text" or "choice"'),
        ({"choice": None, "event_id": None}, "choice, event_id must not be null"),
    ],
)
def test_a_refused_message_says_why(body: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Message.model_validate(body)
    assert error_message(caught.value) == message
