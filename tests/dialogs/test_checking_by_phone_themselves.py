"""A subscriber who checks something by phone themselves asks for no person (reviewer14).

226cee4 read 「電話で確認」 as a call asked for (「…電話で確認したいです」): with a desk it
hands the conversation to a person and the bot falls silent. 「会社に電話で確認してみます」
(they will ring their company), 「プロバイダに電話で確認したら、止めていないそうです」 (an
answer) and 「電話で確認してから連絡します」 were handoffs too. A check by phone wanted from
the provider still is one.
"""

from __future__ import annotations

import pytest

from dialogs.understanding import Kind, understand_command


@pytest.mark.parametrize(
    "text",
    [
        "会社に電話で確認してみます",
        "主人に電話で確認します",
        "電話で確認してから連絡します",
        "プロバイダに電話で確認したら、止めていないそうです",
        "会社の人に電話で確認しました",
        "会社に電話で確認したいです",
    ],
)
def test_their_own_call_is_no_request_for_a_person(text: str) -> None:
    intent = understand_command(text)
    assert intent is None or intent.kind is not Kind.HUMAN


@pytest.mark.parametrize(
    "text",
    [
        "このやり方で合っているか不安なので電話で確認したいです",
        "電話で確認できますか",
        "電話で確認をお願いします",
        "電話で確認してもらえますか",
        "電話で教えてほしいです",
    ],
)
def test_a_call_wanted_is_a_request_for_a_person(text: str) -> None:
    intent = understand_command(text)
    assert intent is not None
    assert intent.kind is Kind.HUMAN
