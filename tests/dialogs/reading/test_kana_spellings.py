"""The words the bot knows, typed in hiragana: a phone offers the kana before the conversion.

「ぱすわーどはかわりますか」 was a question the bot could not answer, 「そうしんできない」 and
「たんとうしゃ」 were not understood; each is read as its usual spelling is.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.stage_reading import read_text
from dialogs.understanding import normalise
from testbed.utterances import reading_class

OFFERED = ("yes", "no", "unsure", "back", "menu")
Q1, Q2 = Stage.Q1_MAIL_PROGRAM, Stage.Q2_OTHER_NETWORK


@pytest.mark.parametrize(
    ("stage", "typed", "usual"),
    [
        (Q1, "ぱすわーどはかわりますか", "パスワードは変わりますか"),
        (Q1, "ぱすわーどをわすれました", "パスワードを忘れました"),
        (Q1, "あかうんとってなに？", "アカウントって何？"),
        (Q1, "めーるあどれすはかわりますか", "メールアドレスは変わりますか"),
        (Q1, "たんとうしゃとはなしたい", "担当者と話したい"),
        (Q1, "さいしょから", "最初から"),
        (Q1, "えらーがでます", "エラーが出ます"),
        (Q1, "そうしんできない", "送信できない"),
        (Q1, "じゅしんできません", "受信できません"),
        (Q1, "にんしょうえらーになります", "認証エラーになります"),
        (Q1, "しょうめいしょがむこうです", "証明書が無効です"),
        (Q1, "うぇぶめーるだけです", "ウェブメールだけです"),
        (Q1, "せっていをへんこうしないといけませんか", "設定を変更しないといけませんか"),
        (Q2, "ほかのぷろばいだからもつかいます", "ほかのプロバイダからも使います"),
        (Q2, "ぷろばいだは117netだけです", "プロバイダは117netだけです"),
        (Q2, "がいしゅつさきでもつかう", "外出先でも使う"),
        (Q1, "ぶらうざだけです", "ブラウザだけです"),
        (Q1, "ウエブメールだけです", "ウェブメールだけです"),
        (Q1, "あいでぃーはかわりますか", "ユーザー名は変わりますか"),
        (Q1, "IDは変わりますか", "ユーザー名は変わりますか"),
        (Stage.ASK_PROGRAM, "あうとるっく", "アウトルック"),
        (Stage.ASK_PROGRAM, "さんだーばーど", "サンダーバード"),
        (Stage.ASK_PROGRAM, "あいふぉん", "アイフォン"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("with_analyser", [True, False], ids=["sudachi", "patterns"])
def test_hiragana_reads_as_the_usual_spelling(
    profile: MigrationProfile, stage: Stage, typed: str, usual: str, with_analyser: bool
) -> None:
    analyser = japanese_analyser() if with_analyser else None
    kana = reading_class(read_text(typed, stage, OFFERED, profile, analyser))
    expected = reading_class(read_text(usual, stage, OFFERED, profile, analyser))
    assert kana == expected
    assert kana not in ("unknown", "question")


def test_only_whole_known_words_are_folded() -> None:
    assert normalise("ぱすわーど") == "パスワード"
    assert normalise("めーるそふと") == "メールソフト"
    assert normalise("むこうのいえ") == "むこうのいえ"
    assert normalise("taro@vp.117.ne.jp") == "taro@vp.117.ne.jp"
