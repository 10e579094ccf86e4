"""Chatwoot messages for each kind of reply (pure functions)."""

from __future__ import annotations

from adapters.chatwoot import render as chatwoot
from dialogs.vocabulary import Choice, ChoicesReply, SettingsItem, SettingsReply, TextReply


def test_choices_become_an_input_select_and_a_card_readable_text() -> None:
    choices = chatwoot.render(
        ChoicesReply("どれですか?", (Choice("yes", "はい"), Choice("program:becky", "Becky!")))
    )
    assert choices["content_type"] == "input_select"
    assert choices["content_attributes"] == {
        "items": [{"title": "はい", "value": "yes"}, {"title": "Becky!", "value": "program:becky"}]
    }
    card = chatwoot.render(
        SettingsReply(
            "新しい設定", (SettingsItem("smtp_server", "送信サーバー", "vsmtp.117.ne.jp"),)
        )
    )
    assert card == {
        "content": "新しい設定\n送信サーバー: vsmtp.117.ne.jp",
        "message_type": "outgoing",
        "private": False,
        "content_type": "text",
    }
    assert chatwoot.render(TextReply("a"))["private"] is False
    assert chatwoot.private_note("x")["private"] is True
