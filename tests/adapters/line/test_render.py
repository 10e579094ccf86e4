"""LINE message objects for each kind of reply: quick replies, Flex, limits (pure functions)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from adapters.line import render as line
from adapters.rendering import utf16_length
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


def _choices(count: int, label: str = "はい") -> ChoicesReply:
    return ChoicesReply("どれですか？", tuple(Choice(f"c{n}", label) for n in range(count)))


def test_up_to_13_choices_are_quick_replies() -> None:
    (message,) = line.render(_choices(13))
    items = message["quickReply"]["items"]
    assert len(items) == line.MAX_QUICK_REPLIES
    assert [i["action"]["data"] for i in items] == [f"c{n}" for n in range(13)]


def test_more_than_13_choices_become_flex_buttons() -> None:
    (message,) = line.render(_choices(15))
    assert message["type"] == "flex"
    assert "quickReply" not in message
    contents = message["contents"]["body"]["contents"]
    assert contents[0]["text"] == "どれですか？"
    assert len([c for c in contents if c["type"] == "button"]) == 15
    assert utf16_length(message["altText"]) <= line.MAX_ALT_TEXT


def test_labels_are_cut_to_20_and_shown_whole_when_pressed() -> None:
    label = "Outlook (classic) for Microsoft 365"
    (message,) = line.render(_choices(1, label))
    action = message["quickReply"]["items"][0]["action"]
    assert utf16_length(action["label"]) <= line.MAX_LABEL
    assert action["label"].endswith("…")
    assert action["displayText"] == label


def test_long_postback_data_is_hashed_within_300() -> None:
    long_id = "topic:" + "x" * 400
    (message,) = line.render(ChoicesReply("?", (Choice(long_id, "x"),)))
    data = message["quickReply"]["items"][0]["action"]["data"]
    assert len(data) <= line.MAX_POSTBACK_DATA


def test_a_question_before_another_message_keeps_its_buttons_in_flex() -> None:
    messages = line.render_turn([_choices(2), TextReply("補足")])
    assert messages[0]["type"] == "flex"
    assert messages[1] == {"type": "text", "text": "補足"}


def test_the_settings_card_is_a_flex_bubble() -> None:
    card = SettingsReply(
        "新しい設定", (SettingsItem("pop_server", "受信サーバー", "vpop.117.ne.jp"),)
    )
    (message,) = line.render(card)
    assert message["type"] == "flex"
    texts = list(_flex_texts(message["contents"]))
    assert texts == ["新しい設定", "受信サーバー", "vpop.117.ne.jp"]


def test_a_link_travels_as_text_with_its_url() -> None:
    messages = line.render(LinkReply("設定ファイル", "https://mm.example.jp/f/1"))
    assert messages == [{"type": "text", "text": "設定ファイル\nhttps://mm.example.jp/f/1"}]


def test_a_file_is_offered_as_its_link() -> None:
    reply = FileReply(
        "プロファイル", "taro-mail.mobileconfig", "application/x-apple-aspen-config", URL
    )
    # Opened in the phone's own browser (LINE's openExternalBrowser=1): a profile installs
    # from Safari, not from LINE's in-app browser.
    opened = f"{URL}?openExternalBrowser=1"
    assert line.render(reply) == [{"type": "text", "text": f"プロファイル\n{opened}"}]


def _flex_texts(node: dict[str, Any]) -> Iterator[str]:
    if node.get("type") == "text":
        yield node["text"]
    for part in ("header", "body", "footer"):
        if isinstance(node.get(part), dict):
            yield from _flex_texts(node[part])
    for child in node.get("contents", []) if isinstance(node.get("contents"), list) else []:
        yield from _flex_texts(child)


def test_a_turn_of_more_than_five_messages_fits_one_reply_by_joining_plain_texts() -> None:
    # 「Outlookでtaro@…を使っています。自宅だけで、送信サーバーはvs.117.ne.jpです」 was
    # answered in seven messages: five replied, two pushed (the monthly allowance spent, and
    # the question with its buttons lost once it was used up). Plain texts side by side now
    # share a balloon; the question keeps its quick replies, the card its bubble.
    said = [TextReply(f"お知らせ{n}です。") for n in range(5)]
    card = SettingsReply("新しい設定", (SettingsItem("pop_server", "受信", "vpop.117.ne.jp"),))
    messages = line.render_turn([*said, card, TextReply("補足"), _choices(2)])
    assert len(messages) <= line.MAX_MESSAGES
    assert [m["type"] for m in messages][-3:] == ["flex", "text", "text"]
    assert "quickReply" in messages[-1]
    # Joined no more than needed, each word kept in its order.
    assert len(messages) == line.MAX_MESSAGES
    assert "\n\n".join(m["text"] for m in messages[:2]) == "\n\n".join(r.text for r in said)
    assert messages[-1]["text"] == "どれですか？"


def test_five_messages_or_fewer_are_left_as_they_are() -> None:
    messages = line.render_turn([TextReply("一"), TextReply("二"), _choices(2)])
    assert [m.get("text") for m in messages] == ["一", "二", "どれですか？"]


def test_texts_too_long_to_join_are_left_apart() -> None:
    long = "あ" * 3000
    messages = line.render_turn([TextReply(long) for _ in range(6)])
    assert len(messages) == 6
    assert all(m["text"] == long for m in messages)
