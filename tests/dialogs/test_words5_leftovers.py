"""words4's leftovers in reading: what a subscriber says beside an answer, and how they type it.

- 「家だけです、送信できませんと出ます。パスワードは変わりますか？」 at the network question
  lost its no: the clause before the problem was read as half a sentence (a yes at most),
  and the question after it hid the answer. A whole statement before its 「、」 is an answer.
- 「ｲｴだけです」: half-width kana beside hiragana (NFKC made it 「イエだけです」) was not read.
- 'I'm not sure. What is SMTP?' was "not sure", the word unexplained.

And what words5's subscribers typed that was not read: 「受診サーバー」「送信者バー」「送信鯖」
「サーバ―」, 「受信サーバーはどうなりますか」, 「もう一回説明してください」, 「vsってなに？」 at the
sending-server question, 'I don't know, how do I check?'.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from tests.dialogs.driver import at_stage


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("家だけです、送信できませんと出ます。パスワードは変わりますか？", "no"),
        ("家だけです、送信できませんと出ます", "no"),
        ("会社からも送ります、送信できませんと出ます", "yes"),
    ],
)
def test_a_whole_statement_before_a_problem_answers(
    profile: MigrationProfile, catalogs: Catalogs, typed: str, answer: str
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q2_OTHER_NETWORK)
    driver.type(typed)
    assert driver.state.answers[Stage.Q2_OTHER_NETWORK.value] == answer
    assert "としてお答えを受け取りました" in driver.said()


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("ｲｴだけです", "no"),
        ("ｳﾁだけです", "no"),
        ("ｶｲｼｬからも送ります", "yes"),
        ("ｲｲｴ", "no"),
    ],
)
def test_half_width_kana_beside_hiragana_is_read(
    profile: MigrationProfile, catalogs: Catalogs, typed: str, answer: str
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q2_OTHER_NETWORK)
    driver.type(typed)
    assert driver.state.answers[Stage.Q2_OTHER_NETWORK.value] == answer


@pytest.mark.parametrize(
    ("stage", "typed", "explained"),
    [
        (Stage.Q2_OTHER_NETWORK, "I'm not sure. What is SMTP?", "SMTP is the way mail is sent"),
        (Stage.Q3_USES_OUR_SMTP, "I'm not sure. What is SMTP?", "outgoing"),
        (Stage.Q2_OTHER_NETWORK, "not sure. what is a LAN?", "LAN"),
        # Not sure how to tell: the question explained (it was "not sure", unexplained).
        (Stage.Q2_OTHER_NETWORK, "I don't know, how do I check?", "which internet connection"),
        (Stage.Q3_USES_OUR_SMTP, "I don't know. Where do I look?", "outgoing"),
    ],
)
def test_not_sure_of_a_word_explains_it_and_asks_again(
    profile: MigrationProfile, catalogs: Catalogs, stage: Stage, typed: str, explained: str
) -> None:
    driver = at_stage(profile, catalogs, "en", stage)
    driver.type(typed)
    assert explained in driver.said()
    assert driver.state.stage is stage
    assert stage.value not in driver.state.answers


@pytest.mark.parametrize(
    "typed",
    [
        "送信鯖の名前が変わるって本当ですか",
        "送信者バーは何にすればいいですか",
        "受診サーバーは変わりますか",
        # A dash for the long vowel mark: U+2015, and the full-width hyphen.
        "送信サーバ―は何にすればいいですか",
        "送信サーバ－は何にすればいいですか",
        # What becomes of one server, asked so.
        "受診サーバーはどうなりますか",
        "送信サーバーはどうなるの？",
    ],
)
def test_a_server_misconverted_or_in_slang_is_asked_about(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    # Kana-kanji conversion's 「受診」 (受信) and 「送信者バー」 (送信サーバー), the slang
    # 「鯖」, a dash typed for 「ー」: each was 「うまくお答えできませんでした」.
    driver = at_stage(profile, catalogs, "ja", Stage.Q2_OTHER_NETWORK)
    driver.type(typed)
    assert "vsmtp.117.ne.jp" in driver.said()
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK


@pytest.mark.parametrize(
    ("locale", "typed", "explained"),
    [
        ("ja", "もう一回説明してください", "どのインターネット回線につながっているか"),
        ("ja", "すみません、もう少しわかりやすく教えてください", "どのインターネット回線"),
        ("en", "Could you explain that again?", "which internet connection you are on"),
    ],
)
def test_asked_to_explain_again_the_question_is_explained(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str, explained: str
) -> None:
    # 「もう一回説明してください」 at a question was 「うまく読み取れませんでした」.
    driver = at_stage(profile, catalogs, locale, Stage.Q2_OTHER_NETWORK)
    driver.type(typed)
    assert explained in driver.said()
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert driver.state.misunderstood == 0


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "vsってなに？"),
        ("ja", "わかんない。vsってなに？"),
        ("ja", "vs.117.ne.jpってなんですか"),
        # The new name, which the question's note names too (it was the yes).
        ("ja", "vsmtpってなに"),
        ("en", "what is vs.117.ne.jp?"),
    ],
)
def test_the_old_server_asked_about_at_its_question_explains_it(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    # 「vsってなに？」 was not understood, 「vs.117.ne.jpってなんですか」 the yes (the server
    # named), 「わかんない。vsってなに？」 "not sure" with the name unexplained.
    driver = at_stage(profile, catalogs, locale, Stage.Q3_USES_OUR_SMTP)
    driver.type(typed)
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP
    assert Stage.Q3_USES_OUR_SMTP.value not in driver.state.answers
    assert driver.state.misunderstood == 0
