"""An agent's message that says a password of kana back or hands one over is refused (privacy3).

「パスワードは「さくら」ですね？」 (an agent repeating what the subscriber typed) and
「仮パスワードは「さくら」です」 were delivered and kept as written: an agent's password counted
only with a digit, a symbol, a capital inside or letters alone (`_given` read ASCII only), and
the check had no analyser, so a bare 「パスワードはさくらもちですね」 was not even found. The
runtime's agent paths (the console, the agent API, Slack's agents' channel) pass the analyser;
the bot's own words, pasted by an agent, are never refused.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.redaction import gives_a_password
from tests.dialogs.test_agent_gives_a_password import NAMES, _catalog_texts

REFUSED = [
    "パスワードは「さくら」ですね？",
    "仮パスワードは「さくら」です",
    "パスワードはさくらもちですね",
    "パスワードは さくら です。",
    "新しいパスワードは『ひまわり』になります",
    "パスワードを「もみじ」に変更しました",
    "パスワードは花子ですね",
]
SENT = [
    "パスワードは「リセット」を押してください",
    "パスワードは「ひらがな」では入力できません",
    "パスワードが「さくら」の場合は、半角の英数字で入れ直してください",
    "パスワードは「半角英数字」です",
    "パスワードはそのままです",
    "パスワードは変わりません",
    "パスワードはわかりますか？",
    "パスワードは同じです",
    "パスワードは半角です",
    "パスワードはひらがなではなく半角英数字です",
    "パスワードはいまのままで大丈夫です",
]


@pytest.mark.parametrize("text", REFUSED)
def test_an_agents_password_of_kana_is_refused(text: str) -> None:
    assert gives_a_password(text, analyser=japanese_analyser())


@pytest.mark.parametrize("text", SENT)
def test_an_agents_words_about_a_password_in_kana_are_sent(text: str) -> None:
    assert not gives_a_password(text, analyser=japanese_analyser())


def test_none_of_the_bots_own_words_is_refused_with_the_analyser() -> None:
    analyser = japanese_analyser()
    texts = _catalog_texts()
    refused = [key for key, text in texts if gives_a_password(text, names=NAMES, analyser=analyser)]
    assert refused == []
