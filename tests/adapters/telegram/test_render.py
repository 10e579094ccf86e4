"""Telegram messages for each kind of reply: limits, keyboards, HTML (pure functions)."""

from __future__ import annotations

from adapters.rendering import utf16_length
from adapters.telegram import render as telegram
from bot.channels.choice_codes import choice_code, resolve_choice
from dialogs.vocabulary import (
    Choice,
    ChoicesReply,
    FileReply,
    LinkReply,
    SettingsItem,
    SettingsReply,
    TextReply,
)

URL = "https://mm.example.jp/files/taro-mail.mobileconfig"


def test_settings_values_are_monospace_so_one_tap_copies_them() -> None:
    card = SettingsReply(
        "新しい設定 <taro>", (SettingsItem("pop_server", "受信", "vpop.117.ne.jp"),)
    )
    (message,) = telegram.render(card)
    assert message.html
    assert "<code>vpop.117.ne.jp</code>" in message.text
    assert "&lt;taro&gt;" in message.text


def test_callback_data_never_exceeds_64_bytes() -> None:
    long_id = "program:" + "メールソフト" * 10
    reply = ChoicesReply("どれ？", (Choice(long_id, "長い"), Choice("yes", "はい")))
    (message,) = telegram.render(reply)
    data = [d for row in message.keyboard for _, d in row]
    assert all(1 <= len(d.encode()) <= telegram.MAX_CALLBACK_DATA for d in data)
    assert data[1] == "yes"
    assert resolve_choice(data[0], ["yes", long_id]) == long_id
    assert data[0] == choice_code(long_id, telegram.MAX_CALLBACK_DATA)


def test_a_long_message_is_split_on_paragraphs_with_the_keyboard_last() -> None:
    paragraphs = [f"{n}. " + "手順の説明です。" * 150 for n in range(6)]
    reply = ChoicesReply("\n\n".join(paragraphs), (Choice("yes", "はい"),))
    messages = telegram.render(reply)
    assert len(messages) > 1
    assert all(utf16_length(m.text) <= telegram.MAX_MESSAGE for m in messages)
    assert "\n\n".join(m.text for m in messages) == reply.text
    assert [bool(m.keyboard) for m in messages] == [False] * (len(messages) - 1) + [True]


def test_an_emoji_counts_two_towards_the_limit() -> None:
    text = "🙂" * 3000
    messages = telegram.render(TextReply(text))
    assert [utf16_length(m.text) for m in messages] == [4096, 1904]


def test_a_link_travels_as_plain_text_with_its_url() -> None:
    (message,) = telegram.render(LinkReply("設定ファイル", "https://mm.example.jp/f/1"))
    assert message == telegram.TelegramMessage("設定ファイル\nhttps://mm.example.jp/f/1")


def test_a_file_is_offered_as_its_link() -> None:
    reply = FileReply(
        "プロファイル", "taro-mail.mobileconfig", "application/x-apple-aspen-config", URL
    )
    assert telegram.render(reply) == [telegram.TelegramMessage(f"プロファイル\n{URL}")]
