"""The question named beside a button pressed while agents have the chat: short and whole."""

from __future__ import annotations

import pytest

from bot.desk.summary import question_in


@pytest.mark.parametrize(
    ("offer", "question"),
    [
        # A lead before it and a hint after it are not the question.
        (
            "それでは、続けましょう。\n\n117net以外のプロバイダや、会社のLANからインターネットに"
            "接続していますか？\nご自宅の回線が117netだけの場合は「いいえ」です。",
            "117net以外のプロバイダや、会社のLANからインターネットに接続していますか？",
        ),
        # Examples in brackets are left out, in either language's brackets.
        (
            "メールの送受信に、メールソフト（Outlook、Thunderbird、スマートフォンのメールアプリなど）"
            "をお使いですか？",
            "メールの送受信に、メールソフトをお使いですか？",
        ),
        (
            "Do you use a mail program (Outlook, Thunderbird, a phone's mail app) for your mail?",
            "Do you use a mail program for your mail?",
        ),
        # Longer than 60 characters: cut, and marked as cut.
        ("a" * 70 + "?", "a" * 59 + "…"),
        ("", ""),
    ],
)
def test_the_question_is_its_own_line_without_asides(offer: str, question: str) -> None:
    assert question_in(offer) == question
