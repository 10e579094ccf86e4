"""Whole conversations as older, non-technical subscribers type them (subscriber11's sweep).

Each case is a conversation from the first question on, as played through `mailmove chat`:
the words that were asked again, or read as something else, at the turn where they fell.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ja", "さっきのはまちがいです"),
        ("ja", "さっきのは間違いでした"),
        ("ja", "今のは間違いです"),
        ("ja", "さっきのはうそです"),
        ("ja", "さっきのなしで"),
        ("ja", "さっきのとりけしてください"),
        ("ja", "間違えて押しました"),
        ("ja", "押し間違えました"),
        ("ja", "すみません、ボタンを押しまちがえました"),
        ("en", "sorry that was wrong"),
        ("en", "wait, I made a mistake"),
        ("en", "I pressed the wrong button"),
        ("en", "oops wrong button"),
        ("en", "that was a mistake"),
    ],
)
def test_a_mind_changed_after_the_verdict_goes_back_to_the_question(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    # 「いいえ」 pressed at the network question gives the verdict and asks for the address;
    # 「さっきのはまちがいです」 then was 「うまく読み取れませんでした」 and the address asked
    # again, the no (sending only recommended) kept: the person never found the way back.
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("yes")
    driver.press("no")
    assert driver.state.stage is Stage.ASK_ADDRESS
    driver.type(text)
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert "q2_other_network" not in driver.state.answers


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("はいつかってます", "yes"),
        ("はいつかっています", "yes"),
        ("はいそうですはいつかってます", "yes"),
        ("はいつとめさきからもおくります", "yes"),
    ],
)
def test_a_yes_run_into_the_next_word_is_no_question_about_dates(
    profile: MigrationProfile, catalogs: Catalogs, text: str, answer: str
) -> None:
    # Voice input writes no space or comma after 「はい」: 「はいつかってます」 holds 「いつ」
    # ("when"), and at the network question it was answered with the schedule and the
    # question asked again, each time the person said yes.
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("yes")
    driver.type(text)
    assert driver.state.answers.get("q2_other_network") == answer
    assert "2008年5月21日" not in driver.said()


@pytest.mark.parametrize(
    "text", ["期間はいつまでですか", "変更はいつですか", "はい、いつまでですか"]
)
def test_when_asked_after_a_topic_is_still_the_schedule(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("yes")
    driver.type(text)
    assert "q2_other_network" not in driver.state.answers
    assert "2008年6月20日" in driver.said()


def test_a_yes_run_on_after_the_questions_is_no_question_about_dates(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # Said again at the address question (the questions already over), 「はいつかってます」
    # was answered with the schedule, a question nobody asked.
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("yes")
    driver.press("no")
    driver.type("はいつかってます")
    assert driver.state.stage is Stage.ASK_ADDRESS
    assert "2008年6月20日" not in driver.said()


@pytest.mark.parametrize(
    ("text", "program"),
    [
        ("ふるいほうです", "outlook_classic"),
        ("じゅうらいのです", "outlook_classic"),
        ("むかしからのやつです", "outlook_classic"),
        ("くらしっくです", "outlook_classic"),
        ("あたらしいほうです", "outlook_new"),
    ],
)
def test_the_outlook_kind_said_in_kana(
    profile: MigrationProfile, catalogs: Catalogs, text: str, program: str
) -> None:
    # 「あうとるっくです」 was read, then 「ふるいほうです」 at 「新しいOutlookと従来のOutlookの
    # どちらですか」 was 「うまく読み取れませんでした」, asked again until a button was found.
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("yes")
    driver.press("no")
    driver.type("watanabe@vp.117.ne.jp")
    driver.type("あうとるっくです")
    assert driver.state.stage is Stage.ASK_OUTLOOK_KIND
    driver.type(text)
    assert driver.state.program == program


@pytest.mark.parametrize(
    ("locale", "text", "answer", "program"),
    [
        ("ja", "はい使ってます、あと家だけです", "no", ""),
        ("ja", "はいつかってます　いえだけです", "no", ""),
        ("ja", "はい、アウトルックです。会社からも送ります", "yes", "outlook_ambiguous"),
        ("en", "yes outlook. only from home", "no", "outlook_ambiguous"),
        ("en", "yes I use it, only at home", "no", ""),
    ],
)
def test_the_question_before_answered_again_beside_this_one(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    text: str,
    answer: str,
    program: str,
) -> None:
    # At the network question the first question's yes said again, then this one's answer:
    # one part said yes and the other no, and the question was asked again (subscriber10's
    # leftover). The yes repeated names only the mail program (its verb, or a program), so
    # the rest answers; read from a sentence, the answer is said back so it can be undone.
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("yes")
    driver.type(text)
    assert driver.state.answers.get("q2_other_network") == answer
    assert (driver.state.program or "") == program
    said_back = "違う場合は「戻る」" if locale == "ja" else 'type "back"'
    assert said_back in driver.said()


@pytest.mark.parametrize(
    "text",
    [
        "はい、会社で使ってます、家だけです",
        "はい使ってます、でも家だけじゃないです",
        "yes I use it, but not only at home",
    ],
)
def test_the_network_named_in_the_repeated_yes_is_not_set_aside(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("yes")
    driver.type(text)
    assert driver.state.answers.get("q2_other_network") in (None, "yes")


@pytest.mark.parametrize(
    "text",
    [
        "すみません日本語でお願いします",
        "すいません、日本語でおねがいします",
        "あの、にほんごでおねがいします",
        "日本語がいいです",
        "sorry, japanese please",
    ],
)
def test_japanese_asked_for_politely_after_english(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # Started in English, then 「すみません日本語でお願いします」: not read (the apology before
    # it), so 「日本語でのご案内をご希望の場合は「日本語」と入力してください」 and English went on
    # for every Japanese message after it.
    driver = Driver(profile, catalogs)
    driver.start("en")
    driver.press("yes")
    driver.press("no")
    driver.type("sato@vp.117.ne.jp")
    driver.type(text)
    assert driver.state.locale == "ja"
    assert driver.state.stage is Stage.ASK_PROGRAM


# How to tell (receive, then send one to yourself), where nothing was typed to compare.
HOW_TO_TELL = {
    "ja": "ご自分のアドレスあてにメールを1通送って",
    "en": "send one message to your own address",
}


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ja", "これでいいですか"),
        ("ja", "これであってますか"),
        ("ja", "設定しましたがこれで大丈夫ですか"),
        ("ja", "これでいいのかな"),
        ("ja", "送信サーバーをvsmtpにしました、これでいいですか"),
        ("en", "is this right?"),
        ("en", "did i do it right?"),
    ],
)
def test_is_it_right_after_the_card_says_how_to_tell(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    # The settings typed in, 「これでいいですか」 was 「そのご質問にはうまくお答えできません
    # でした」: a dead end at the moment the person had finished.
    driver = after_the_card(profile, catalogs, locale)
    driver.type(text)
    said = driver.said()
    assert HOW_TO_TELL[locale] in said
    assert "うまくお答えできません" not in said
    assert "could not answer" not in said
    assert "check" in driver.offered()


def after_the_card(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("yes")
    driver.press("no")
    driver.type("ito@vp.117.ne.jp")
    driver.type("thunderbird")
    driver.press("yes")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    return driver


def test_the_settings_typed_out_with_is_this_right_are_compared_with_the_card(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # The card's values typed back, then 「これでいいですか」: the address among them was read
    # as an address given, and the whole guide (「Thunderbirdでの設定手順」) came again.
    driver = after_the_card(profile, catalogs, "ja")
    driver.type(
        "受信サーバー vpop.117.ne.jp ポート110 ユーザー名 ito@vp.117.ne.jp "
        "送信 vsmtp.117.ne.jp 587 これでいいですか"
    )
    said = driver.said()
    assert "設定手順" not in said
    for line in (
        "・受信（POP）サーバー：vpop.117.ne.jp（カードと同じです）",
        "・受信ポート：110（カードと同じです）",
        "・アカウント名（ユーザー名）：ito@vp.117.ne.jp（カードと同じです）",
        "・送信（SMTP）サーバー：vsmtp.117.ne.jp（カードと同じです）",
        "・送信ポート：587（カードと同じです）",
        "どれもカードと同じです",
        "「ログインを確認する」",
    ):
        assert line in said, (line, said)
    assert "check" in driver.offered()


@pytest.mark.parametrize(
    ("locale", "text", "told"),
    [
        (
            "ja",
            "受信サーバー vp.117.ne.jp ユーザー名 ito "
            "送信サーバー vsmtp.117.ne.jp ポート25 これでいいですか",
            [
                "・受信（POP）サーバー：vp.117.ne.jp（カードでは「vpop.117.ne.jp」です。",
                "・送信ポート：25（カードでは「587」です。",
                "・送信（SMTP）サーバー：vsmtp.117.ne.jp（カードと同じです）",
                "違っている項目をカードのとおりに直してから",
            ],
        ),
        (
            "en",
            "incoming server vpop.117.ne.jp user ito@vp.117.ne.jp outgoing vs.117.ne.jp port 587 "
            "is this right?",
            [
                "vpop.117.ne.jp (the same as the card)",
                'vs.117.ne.jp (the card says "vsmtp.117.ne.jp"',
                "587 (the same as the card)",
                "Please change what differs",
            ],
        ),
    ],
)
def test_what_differs_from_the_card_is_said_with_the_cards_value(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str, told: list[str]
) -> None:
    driver = after_the_card(profile, catalogs, locale)
    driver.type(text)
    said = driver.said()
    for line in told:
        assert line in said, (line, said)
    assert "check" in driver.offered()


@pytest.mark.parametrize("text", ["はいそのままです", "はいそのままつかってます"])
def test_a_yes_run_into_left_as_it_is_at_the_sending_server_question(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # Played through `mailmove chat`: 「はい そのままです」 was the yes, 「はいそのままです」
    # (no space, as voice input writes it) was asked again.
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("yes")
    driver.press("yes")
    driver.type(text)
    assert driver.state.answers.get("q3_uses_our_smtp") == "yes"


@pytest.mark.parametrize(
    ("day", "warned"),
    [(dt.date(2008, 6, 20), True), (dt.date(2008, 6, 10), False), (dt.date(2008, 7, 1), False)],
)
def test_leaving_for_tomorrow_on_the_old_servers_last_day_is_told_of_the_mail_left(
    profile: MigrationProfile, catalogs: Catalogs, day: dt.date, warned: bool
) -> None:
    # On 20 June (the old servers' last day) 「きょうはつかれたのでまたあしたやります」 got the
    # goodbye alone; back the next day the mail left on the old server was out of reach.
    driver = Driver(profile, catalogs, today=day)
    driver.start("ja")
    driver.press("yes")
    driver.press("no")
    driver.type("きょうはつかれたのでまたあしたやります")
    said = driver.said()
    assert "ご利用ありがとうございました" in said
    assert ("本日中に受信してください" in said) is warned


def test_a_webmail_user_leaving_on_the_last_day_is_not_told_to_receive(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs, today=dt.date(2008, 6, 20))
    driver.start("ja")
    driver.press("no")
    driver.type("もういいです")
    assert "本日中に受信してください" not in driver.said()


@pytest.mark.parametrize(
    ("locale", "text", "explained"),
    [
        (
            "ja",
            "どうしてそんなことをきくんですか",
            "どのインターネット回線につながっているかをお聞きしています",
        ),
        ("ja", "なんでそれを聞くの", "どのインターネット回線につながっているかをお聞きしています"),
        (
            "ja",
            "なぜそれが必要なんですか",
            "どのインターネット回線につながっているかをお聞きしています",
        ),
        ("en", "why do you need to know", "which internet connection"),
        ("en", "why are you asking me this?", "which internet connection"),
    ],
)
def test_why_the_question_is_asked_explains_the_question(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str, explained: str
) -> None:
    # 「どうしてそんなことをきくんですか」 at the network question was answered with the three
    # reasons for the migration, not why this question matters or how to answer it.
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("yes")
    driver.type(text)
    assert explained in driver.said()
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK


def test_what_follows_a_password_word_is_never_said_back(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # A password written dotted, like a host, must not come back as a server that differs
    # from the card. Redaction now masks it (redact5), so the message is a password typed,
    # answered as 「パスワードは abc123 …」 is: the warning, no settings compared.
    driver = after_the_card(profile, catalogs, "ja")
    driver.type("パスワードは my.pass.99 受信サーバー vpop.117.ne.jp これでいいですか")
    said = driver.said()
    assert "my.pass.99" not in said
    assert "パスワードはこのチャットには書き込まないでください" in said
