"""Telegram's updates as inbound messages: text, commands, pressed buttons (pure functions)."""

from __future__ import annotations

import pytest
from telegram import Update

from adapters.telegram import events as telegram
from dialogs.vocabulary import EDITED_CHOICE, MEDIA_CHOICE, STICKER_CHOICE
from tests.adapters.channel_contract import load_payload

BOT_ID = "7000000001"
BOT_NAME = "mailmove_bot"


def update(name: str, **message: object) -> Update:
    data = load_payload("telegram", name)
    data.get("message", {}).update(message)
    parsed = Update.de_json(data, None)
    assert parsed is not None
    return parsed


def test_a_text_message_is_a_turn_in_its_chat_in_the_users_language() -> None:
    turn = telegram.turn_from_update(update("message_private", text=" はい "), BOT_ID)
    assert turn is not None
    inbound = turn.inbound
    assert (inbound.text, inbound.locale, inbound.conversation_key) == ("はい", "ja", "5123456789")
    assert inbound.event_id == f"telegram:{BOT_ID}:{update('message_private').update_id}"


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("/start", {"start": True, "choice": None}),
        ("/help", {"start": False, "choice": "menu"}),
        ("/restart@mailmove_bot", {"start": False, "choice": "restart"}),
        # A command the bot does not have calls it up as /menu does: read as words it was
        # not understood, and counted toward handing the chat to a person.
        ("/stop", {"start": False, "choice": "menu"}),
        ("/cancel@mailmove_bot", {"start": False, "choice": "menu"}),
        ("/weather", {"start": False, "choice": "menu"}),
        # A path is no command.
        ("/Users/taro/Library/Mail", {"start": False, "choice": None}),
    ],
)
def test_commands_that_mean_a_button_are_that_button(text: str, fields: dict[str, object]) -> None:
    turn = telegram.turn_from_update(update("message_private", text=text), BOT_ID)
    assert turn is not None
    assert {"start": turn.inbound.start, "choice": turn.inbound.choice} == fields


def test_a_pressed_button_is_one_answer_per_question_message() -> None:
    turn = telegram.turn_from_update(update("callback_query"), BOT_ID)
    assert turn is not None
    assert turn.pressed is not None
    assert turn.inbound.choice == "yes"
    assert turn.inbound.event_id == f"telegram:{BOT_ID}:pressed:5123456789:12"
    assert turn.pressed.label("no") == "いいえ"
    assert turn.pressed.label("#stale") is None


def test_other_updates_are_no_turn() -> None:
    assert telegram.turn_from_update(update("my_chat_member"), BOT_ID) is None


def test_an_edited_message_is_a_turn_that_asks_for_it_again() -> None:
    # It went unanswered: the subscriber who put a typo right waited for nothing.
    edited = update("edited_message")
    turn = telegram.turn_from_update(edited, BOT_ID)
    assert turn is not None
    assert edited.edited_message is not None
    # The new words go with it, for an agent who has the conversation to read.
    assert (turn.inbound.choice, turn.inbound.text) == (EDITED_CHOICE, edited.edited_message.text)
    assert turn.inbound.event_id == f"telegram:{BOT_ID}:{edited.update_id}"
    assert turn.inbound.conversation_key == str(edited.edited_message.chat.id)


def test_a_sticker_or_photo_is_a_turn_the_dialog_answers_by_asking_for_the_text() -> None:
    # A sticker of a sign (the recorded one is 👍) is the sign typed (test_sign_stickers);
    # another is a sticker, acknowledged, never taken for a screenshot.
    sticker = {**load_payload("telegram", "sticker")["message"]["sticker"], "emoji": "😺"}
    turn = telegram.turn_from_update(update("sticker", sticker=sticker), BOT_ID)
    assert turn is not None
    assert (turn.inbound.choice, turn.inbound.text) == (STICKER_CHOICE, None)
    photo = [{"file_id": "AgAD", "file_unique_id": "AQAD", "width": 90, "height": 51}]
    turn = telegram.turn_from_update(update("message_private", text=None, photo=photo), BOT_ID)
    assert turn is not None
    assert turn.inbound.choice == MEDIA_CHOICE


def test_a_photo_with_a_caption_is_read_as_its_caption() -> None:
    photo = [{"file_id": "AgAD", "file_unique_id": "AQAD", "width": 90, "height": 51}]
    turn = telegram.turn_from_update(
        update("message_private", text=None, photo=photo, caption="0x800CCC0F"), BOT_ID
    )
    assert turn is not None
    assert turn.inbound.text == "0x800CCC0F"
    # The photo under it is noted for an agent, who reads the words alone.
    assert turn.inbound.attached


@pytest.mark.parametrize("body", [b"[]", b'{"message": {}}', b'{"update_id": "1"}', b"{"])
def test_a_body_without_an_integer_update_id_is_not_an_update(body: bytes) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - orjson and our own check raise it
        telegram.parse_update_json(body)


def test_a_chat_id_is_read_back_from_its_conversation_key() -> None:
    assert telegram.chat_id_of("-100123") == -100123
    with pytest.raises(ValueError, match="not a Telegram chat id"):
        telegram.chat_id_of("T0:D0")


GROUP = {"id": -1001234567890, "title": "家族", "type": "supergroup"}


@pytest.mark.parametrize("kind", ["group", "supergroup", "channel"])
def test_in_a_group_the_bot_stays_silent(kind: str) -> None:
    # It answered there: the settings card and the login-check link, with the subscriber's
    # address, in front of everyone in the group.
    chat = {**GROUP, "type": kind}
    assert telegram.turn_from_update(update("start_command", chat=chat), BOT_ID) is None
    data = load_payload("telegram", "callback_query")
    data["callback_query"]["message"]["chat"] = chat
    pressed = Update.de_json(data, None)
    assert pressed is not None
    assert telegram.turn_from_update(pressed, BOT_ID) is None


@pytest.mark.parametrize(
    ("message", "asked"),
    [
        ({"text": "/start"}, True),
        ({"text": "/start@mailmove_bot"}, True),
        ({"text": "/help@MailMove_Bot 教えて"}, True),
        # A command to another bot in the group: that bot's to answer, not this one's.
        ({"text": "/start@weather_bot"}, False),
        ({"text": "/menu@mailmove_bot_two"}, False),
        ({"text": "メールの設定を教えて", "reply_to_message": {
            "message_id": 7, "date": 1, "chat": GROUP,
            "from": {"id": int(BOT_ID), "is_bot": True, "first_name": "mailmove"}}}, True),
        # The group's own talk is none of the bot's business.
        ({"text": "今日の夕飯どうする？"}, False),
        ({"text": "そうだね", "reply_to_message": {
            "message_id": 8, "date": 1, "chat": GROUP,
            "from": {"id": 42, "is_bot": False, "first_name": "花子"}}}, False),
    ],
)  # fmt: skip
def test_in_a_group_only_what_is_asked_of_the_bot_is_answered(
    message: dict[str, object], asked: bool
) -> None:
    received = update("message_private", chat=GROUP, **message)
    request = telegram.group_request(received, BOT_ID, BOT_NAME)
    assert (request is not None) is asked
    if request is not None:
        assert request.chat_id == GROUP["id"]


def test_a_private_chat_is_no_group_request() -> None:
    private = update("message_private", text="/start")
    assert telegram.group_request(private, BOT_ID, BOT_NAME) is None


def test_an_albums_photos_are_one_turn_and_its_caption_is_words() -> None:
    photo = [{"file_id": "AgAC", "file_unique_id": "AQAD", "width": 90, "height": 60}]
    album = {"media_group_id": "13612345678901234", "photo": photo}
    first = load_payload("telegram", "message_private")
    second = load_payload("telegram", "message_private")
    for n, data in enumerate((first, second)):
        del data["message"]["text"]
        data["update_id"] += n
        data["message"].update(album, message_id=20 + n)
    first["message"]["caption"] = "送信できません"
    turns = [telegram.turn_from_update(Update.de_json(d, None), BOT_ID) for d in (first, second)]
    assert turns[0] is not None
    assert turns[1] is not None
    assert turns[0].inbound.text == "送信できません"
    # The album's other photos are said as photos: the caption is noted as words alone.
    assert not turns[0].inbound.attached
    assert turns[1].inbound.choice == MEDIA_CHOICE
    assert turns[1].inbound.event_id == f"telegram:{BOT_ID}:album:5123456789:13612345678901234"


def test_an_edit_that_strikes_words_out_carries_the_words_left() -> None:
    # 「~~はい~~ いいえ」 put right by an edit: the words struck out were taken back, as in a
    # new message; the agent and a hand-back read only 「いいえ」, not both answers.
    data = load_payload("telegram", "edited_message")
    data["edited_message"].update(
        text="はい いいえ", entities=[{"type": "strikethrough", "offset": 0, "length": 2}]
    )
    edited = Update.de_json(data, None)
    assert edited is not None
    turn = telegram.turn_from_update(edited, BOT_ID)
    assert turn is not None
    assert (turn.inbound.choice, turn.inbound.text) == (EDITED_CHOICE, "いいえ")
