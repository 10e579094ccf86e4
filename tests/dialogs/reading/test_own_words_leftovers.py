"""Subscribers in their own words, the reading's leftovers (subscriber9's sweep).

Japanese typed in the alphabet, a hedged "no", a failure feared rather than had, Gmail's
website, and a "no" before a sentence about something else. Each line was misread before:
asked again where it answered, or answered where it said nothing (the "no" nobody said).
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.romaji import in_kana
from dialogs.reading.stage_reading import read_text
from dialogs.vocabulary import Locale
from testbed.utterances import reading_class
from tests.dialogs.driver import Driver

OFFERED = ("yes", "no", "unsure", "back", "menu")


def reading(text: str, stage: Stage, profile: MigrationProfile, *, analyser: bool = True) -> str:
    return reading_class(
        read_text(text, stage, OFFERED, profile, japanese_analyser() if analyser else None)
    )


@pytest.mark.parametrize(
    ("stage", "text", "expected"),
    [
        (Stage.Q1_MAIL_PROGRAM, "hai, sou desu", "yes"),
        (Stage.Q1_MAIL_PROGRAM, "Hai tsukatteimasu", "yes"),
        (Stage.Q1_MAIL_PROGRAM, "iie chigaimasu", "no"),
        (Stage.Q1_MAIL_PROGRAM, "iie tsukatte imasen", "no"),
        (Stage.Q1_MAIL_PROGRAM, "tantousha to hanashitai", "human"),
        (Stage.Q1_MAIL_PROGRAM, "hito to hanashitai", "human"),
        (Stage.Q1_MAIL_PROGRAM, "jushin dekimasen", "problem:cant_receive"),
        (Stage.Q1_MAIL_PROGRAM, "chotto matte kudasai", "small_talk:wait"),
        (Stage.Q2_OTHER_NETWORK, "iie, jitaku dake desu", "no"),
        (Stage.Q2_OTHER_NETWORK, "kaisha kara mo okurimasu", "yes"),
        (Stage.Q3_USES_OUR_SMTP, "iie chigau to omoimasu", "no"),
        (Stage.Q4_OP25B, "wakaranai desu", "unsure"),
        (Stage.SETTINGS_DELIVERED, "dekimashita", "small_talk:works"),
    ],
)
def test_japanese_in_the_alphabet_is_read_as_japanese(
    profile: MigrationProfile, stage: Stage, text: str, expected: str
) -> None:
    # Each was 'Sorry, I did not catch that' (only hai, iie, wakaranai and arigatou were read).
    assert reading(text, stage, profile) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("no", "no"), ("outlook desu", "yes"), ("name", "unknown"), ("I think no", "no")],
)
def test_english_and_names_stay_as_typed(
    profile: MigrationProfile, text: str, expected: str
) -> None:
    # 'no' is English before it is 「の」; 'outlook' and 'think' spell no kana (jaconv alone
    # turned their stray consonants into 「っ」).
    assert reading(text, Stage.Q1_MAIL_PROGRAM, profile) == expected


def test_romaji_spells_kana_only_from_romaji_syllables() -> None:
    assert in_kana("hai, sou desu") == "はい、そうです"
    assert in_kana("konnichiwa") == "こんにちわ"
    assert in_kana("tanto-sha") == "たんとーしゃ"
    assert in_kana("outlook desu") is None
    assert in_kana("i think no") is None
    assert in_kana("taro@vp.117.ne.jp") is None
    assert in_kana("yamada.taro") is None


@pytest.mark.parametrize(
    ("stage", "text"),
    [
        (Stage.Q3_USES_OUR_SMTP, "いいえ、違うと思います"),
        (Stage.Q3_USES_OUR_SMTP, "いいえ、ちがうとおもいます"),
        (Stage.Q1_MAIL_PROGRAM, "いいえちがいます"),
        (Stage.Q2_OTHER_NETWORK, "いいえちがいます"),
        (Stage.Q3_USES_OUR_SMTP, "I think no"),
        (Stage.Q3_USES_OUR_SMTP, "I think not."),
        (Stage.Q2_OTHER_NETWORK, "no, I think not"),
    ],
)
def test_a_hedged_or_run_on_no_is_the_no(
    profile: MigrationProfile, stage: Stage, text: str
) -> None:
    # Asked again, as 「違うと思います」 alone was read as the no.
    assert reading(text, stage, profile) == "no"
    assert reading(text, stage, profile, analyser=False) == "no"


def test_i_think_yes_is_the_yes(profile: MigrationProfile) -> None:
    assert reading("I think yes", Stage.Q3_USES_OUR_SMTP, profile) == "yes"


@pytest.mark.parametrize(
    "text",
    [
        "メールができないと困ります",
        "メールが使えなくなると困ります",
        "送れなくなると困るんです",
        "メールが使えなくなるのが心配です",
        "メールが止まったらどうしよう",
        "I am worried I cannot use mail",
    ],
)
def test_a_failure_feared_is_reassured_not_diagnosed(profile: MigrationProfile, text: str) -> None:
    # 「メールができないと困ります」 got 'please type the error message you see'.
    assert reading(text, Stage.Q1_MAIL_PROGRAM, profile) == "small_talk:help"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("メールができなくて困っています", "problem:error_without_text"),
        ("昨日からメールができないと困ってます", "problem:error_without_text"),
        ("I am worried, I cannot send since yesterday", "problem:cant_send"),
        ("メールができないと困ります。使っています", "yes"),
        ("アドレスが変わるなら困るんですが", "topic:address"),
    ],
)
def test_a_failure_had_stays_a_problem(profile: MigrationProfile, text: str, expected: str) -> None:
    assert reading(text, Stage.Q1_MAIL_PROGRAM, profile) == expected


@pytest.mark.parametrize("stage", [Stage.Q1_MAIL_PROGRAM, Stage.Q3_USES_OUR_SMTP])
def test_gmails_website_is_gmail_on_the_web_not_the_android_app(
    profile: MigrationProfile, stage: Stage
) -> None:
    # "Only gmail website" was the first question's yes with the Android app remembered, and at
    # the sending-server question the Android app; 「Gmailのウェブ版だけ」 was Gmail on the web.
    assert reading("Only gmail website", stage, profile) == "phone"
    assert reading("Gmailのウェブ版だけ", stage, profile) == "phone"


def test_gmails_website_gets_its_own_steps_and_the_question_again(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("en")
    driver.type("Only gmail website")
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    assert driver.state.answers == {}
    assert "Check mail from other accounts" in driver.said()


@pytest.mark.parametrize(
    ("stage", "text"),
    [
        (Stage.Q1_MAIL_PROGRAM, "no, I live in Osaka"),
        (Stage.Q1_MAIL_PROGRAM, "no, my name is Sato"),
        (Stage.Q2_OTHER_NETWORK, "no, I live in Osaka"),
        (Stage.Q3_USES_OUR_SMTP, "no, I am 80 years old"),
    ],
)
def test_a_no_before_a_sentence_about_something_else_is_no_answer(
    profile: MigrationProfile, stage: Stage, text: str
) -> None:
    # The first question's no: "nothing to change", on words about where they live.
    assert reading(text, stage, profile) == "unknown"


@pytest.mark.parametrize(
    ("stage", "text", "expected"),
    [
        (Stage.Q1_MAIL_PROGRAM, "No, I don't", "no"),
        (Stage.Q2_OTHER_NETWORK, "No, I only ever use it at home, I'm retired", "no"),
        (Stage.Q4_OP25B, "no, it isn't blocked", "no"),
    ],
)
def test_a_no_before_words_on_the_question_still_answers(
    profile: MigrationProfile, stage: Stage, text: str, expected: str
) -> None:
    assert reading(text, stage, profile) == expected


@pytest.mark.parametrize(
    ("stage", "text", "expected"),
    [
        (Stage.Q1_MAIL_PROGRAM, "いいえ　ほーむぺーじでみてます", "no"),
        (Stage.Q1_MAIL_PROGRAM, "うーん　どうだったかな", "unsure"),
        (Stage.Q1_MAIL_PROGRAM, "はい使ってますけど送れなくなるのが心配です", "yes"),
        (Stage.Q1_MAIL_PROGRAM, "いいえだと思います", "no"),
        (Stage.Q2_OTHER_NETWORK, "たまに娘の家から", "yes"),
        (Stage.Q2_OTHER_NETWORK, "ないと思います", "no"),
        (Stage.Q3_USES_OUR_SMTP, "そうだとおもう", "yes"),
        (Stage.Q3_USES_OUR_SMTP, "最初に設定したままです", "yes"),
        (Stage.Q3_USES_OUR_SMTP, "ちがうとおもいます", "no"),
        (Stage.Q3_USES_OUR_SMTP, "the default one", "yes"),
        (Stage.Q4_OP25B, "ポート25はつかえないと言われました", "yes"),
        (Stage.SETTINGS_DELIVERED, "むずかしくてわかりません", "human"),
        (Stage.SETTINGS_DELIVERED, "どこをかえればいいのかわかりません", "human"),
        (
            Stage.Q1_MAIL_PROGRAM,
            "おはようございます、メールの件でお世話になります",
            "small_talk:greeting",
        ),
        (Stage.Q1_MAIL_PROGRAM, "よろしくおねがいします", "small_talk:greeting"),
        (Stage.Q1_MAIL_PROGRAM, "えいごでおねがいします", "language"),
        (Stage.Q1_MAIL_PROGRAM, "eigo de onegaishimasu", "language"),
        (Stage.Q1_MAIL_PROGRAM, "たんとーしゃとはなしたい", "human"),
    ],
)
def test_the_fresh_rounds_messages_at_their_stage(
    profile: MigrationProfile, stage: Stage, text: str, expected: str
) -> None:
    # From 160 fresh messages at their stage: each was asked again ('Sorry, I did not catch
    # that'), or (the worry beside a yes, the blocked port 25 said in kana) misread.
    assert reading(text, stage, profile) == expected


@pytest.mark.parametrize(
    ("stage", "text", "expected"),
    [
        (Stage.Q1_MAIL_PROGRAM, "あのう、メールのことでおききしたいのですが", "small_talk:help"),
        (Stage.Q3_USES_OUR_SMTP, "やっぱりさっきのはいいえです", "back"),
        # The change said, with thanks: not that mail works (words9), the login check next.
        (
            Stage.SETTINGS_DELIVERED,
            "設定いたしました。ありがとうございました。",
            "small_talk:changed",
        ),
        (Stage.SETTINGS_DELIVERED, "変更しました。ありがとうございます", "small_talk:changed"),
        (Stage.Q1_MAIL_PROGRAM, "I got letter from 117net", "choice:whether_to_change"),
    ],
)
def test_the_fresh_rounds_conversations(
    profile: MigrationProfile, stage: Stage, text: str, expected: str
) -> None:
    # From 40 whole conversations: each was 'Sorry, I did not catch that'.
    assert reading(text, stage, profile) == expected


@pytest.mark.parametrize(
    ("locale", "text", "said_back"),
    [
        ("en", "I think no", 'I took that as "No"'),
        ("ja", "ないと思います", "「いいえ」としてお答えを受け取りました"),
    ],
)
def test_a_hedged_answer_is_said_back_so_it_can_be_undone(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str, said_back: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("yes")
    driver.type(text)
    assert driver.state.answers["q2_other_network"] == "no"
    assert said_back in driver.said()


@pytest.mark.parametrize(
    ("stage", "text", "expected"),
    [
        (Stage.Q2_OTHER_NETWORK, "いえ家の中だけです", "no"),
        (Stage.Q2_OTHER_NETWORK, "いいえそういうのはありません", "no"),
        (Stage.Q2_OTHER_NETWORK, "たまに公民館のパソコンから見ることがあります", "yes"),
        (Stage.Q3_USES_OUR_SMTP, "いいえgmailのです", "no"),
        (Stage.Q3_USES_OUR_SMTP, "No, gmail", "no"),
        (Stage.Q3_USES_OUR_SMTP, "gmailです", "unsure"),
        (Stage.ASK_ADDRESS, "アドレスはyamadaです", "partial_address"),
        (Stage.SETTINGS_DELIVERED, "途中でわからなくなりました", "human"),
        (Stage.SETTINGS_DELIVERED, "目が悪くて字が小さくて読めません", "human"),
    ],
)
def test_the_elderly_round(
    profile: MigrationProfile, stage: Stage, text: str, expected: str
) -> None:
    # 48 more messages in an older subscriber's style: each was not read, and "No, gmail" at
    # the sending-server question was the Gmail app put right (its guide offered).
    assert reading(text, stage, profile) == expected


@pytest.mark.parametrize(
    ("stage", "text", "expected"),
    [
        (Stage.Q1_MAIL_PROGRAM, "いいえ、まだ何もしていません", "unknown"),
        (Stage.Q1_MAIL_PROGRAM, "いいえ、パソコンは苦手で", "unknown"),
        (Stage.Q1_MAIL_PROGRAM, "I don't install anything", "unsure"),
        (Stage.Q1_MAIL_PROGRAM, "いいえ　特別なものはつかってません", "unsure"),
        (Stage.Q1_MAIL_PROGRAM, "特に何も使っていません", "unsure"),
        (Stage.Q3_USES_OUR_SMTP, "いいえ、そのままです", "yes"),
        (Stage.Q3_USES_OUR_SMTP, "no, I don't send email much", "unsure"),
        (Stage.Q1_MAIL_PROGRAM, "nothing special", "unsure"),
        (Stage.Q1_MAIL_PROGRAM, "なにも入れてない", "unsure"),
        (Stage.Q1_MAIL_PROGRAM, "ダウンロードはしてません", "unsure"),
    ],
)
def test_a_no_nobody_said(
    profile: MigrationProfile, stage: Stage, text: str, expected: str
) -> None:
    # 48 messages written to find the dangerous reading: the first seven were the no (at the
    # first question "nothing to change", at the third "sending untouched"): a no word before
    # "not done anything yet" or "not good with computers", nothing special installed (the mail
    # app a computer or phone comes with is a mail program), 「そのまま」 (left as set up: the
    # provider's server), "not much" (now and then). The last three were not read.
    assert reading(text, stage, profile) == expected
    assert reading(text, stage, profile, analyser=False) == expected


@pytest.mark.parametrize(
    ("stage", "text", "expected"),
    [
        (Stage.Q1_MAIL_PROGRAM, "いいえ、大丈夫です", "unknown"),
        (Stage.Q1_MAIL_PROGRAM, "いいえ、結構です", "unknown"),
        (Stage.Q1_MAIL_PROGRAM, "いいえ、こちらこそ", "unknown"),
        (Stage.Q1_MAIL_PROGRAM, "no, my computer does it automatically", "yes"),
        (Stage.Q1_MAIL_PROGRAM, "パソコンに勝手に届きます", "yes"),
        (Stage.Q3_USES_OUR_SMTP, "いいえ、117です", "unknown"),
        (Stage.Q3_USES_OUR_SMTP, "いいえ、そちらのです", "unknown"),
        (Stage.Q3_USES_OUR_SMTP, "no, yours", "unknown"),
        (Stage.Q3_USES_OUR_SMTP, "いいえ、送られてきた紙のとおりです", "yes"),
    ],
)
def test_a_no_nobody_said_second_round(
    profile: MigrationProfile, stage: Stage, text: str, expected: str
) -> None:
    # Each was the no: politeness after a no word (「大丈夫です」「結構です」「こちらこそ」), mail
    # that comes in by itself (a program fetches it), the provider named after a no (asked
    # again, as 「いいえ、117netです」 is), set up as the provider's paper said.
    assert reading(text, stage, profile) == expected
    assert reading(text, stage, profile, analyser=False) == expected


@pytest.mark.parametrize(
    ("stage", "text", "expected"),
    [
        (Stage.Q1_MAIL_PROGRAM, "no i just read it", "unsure"),
        (Stage.Q1_MAIL_PROGRAM, "いいえ、見るだけです", "unsure"),
        (Stage.Q1_MAIL_PROGRAM, "いいえ、メールは見るだけで送りません", "unsure"),
        (Stage.Q1_MAIL_PROGRAM, "いいえ、読むだけです", "unsure"),
        (Stage.Q2_OTHER_NETWORK, "いいえ、読むだけです", "unsure"),
        (Stage.Q1_MAIL_PROGRAM, "メールは読むだけ", "unsure"),
        (Stage.Q3_USES_OUR_SMTP, "no other server", "yes"),
        (Stage.Q3_USES_OUR_SMTP, "no, no other server", "yes"),
        (Stage.Q1_MAIL_PROGRAM, "I only read mail in my browser", "no"),
        (Stage.Q1_MAIL_PROGRAM, "ブラウザで見るだけです", "no"),
    ],
)
def test_a_no_nobody_said_third_round(
    profile: MigrationProfile, stage: Stage, text: str, expected: str
) -> None:
    # "I only read mail" says how much mail they do, not with what: it was the first question's
    # no (with the browser named it still is, webmail). "no other server" denies the other
    # server, as 「他のサーバーは使っていません」 does: it was the no, sending untouched.
    assert reading(text, stage, profile) == expected
    assert reading(text, stage, profile, analyser=False) == expected


@pytest.mark.parametrize(
    ("stage", "text", "expected"),
    [
        (Stage.Q2_OTHER_NETWORK, "no, but my son connects from his company sometimes", "yes"),
        (Stage.Q3_USES_OUR_SMTP, "いいえ、送信サーバーは空欄です", "unsure"),
        (Stage.Q3_USES_OUR_SMTP, "空欄です", "unsure"),
        (Stage.Q3_USES_OUR_SMTP, "no, it is empty", "unsure"),
        (Stage.Q3_USES_OUR_SMTP, "いいえ、ポートは25です", "topic:servers"),
        (Stage.Q3_USES_OUR_SMTP, "no, port 25", "topic:op25b"),
        (Stage.Q4_OP25B, "no, they don't tell me", "unsure"),
        (Stage.Q4_OP25B, "no, I never asked", "unsure"),
        (Stage.Q4_OP25B, "いいえ、聞いてません", "unsure"),
    ],
)
def test_a_no_nobody_said_fourth_round(
    profile: MigrationProfile, stage: Stage, text: str, expected: str
) -> None:
    # Each was the no but 「空欄です」 and "no, it is empty" (not read): a son's company is
    # another line; an empty server field tells no server; the port is not the server asked
    # about; never told whether port 25 is blocked is not knowing.
    assert reading(text, stage, profile) == expected
    assert reading(text, stage, profile, analyser=False) == expected
