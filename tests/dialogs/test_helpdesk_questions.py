"""What subscribers ask a helpdesk that the questionnaire does not ask (sweep of round 4).

「何もしないとどうなりますか」「お金かかりますか」「このメールは詐欺ですか」「今日から変わる？」
「電話で教えてほしい」 all got 「そのご質問にはうまくお答えできませんでした」 or 「うまく読み
取れませんでした」. Each answer must be true against the notice on the day it is given: the
notice names no charge, says mail after the move arrives on the new server only, and keeps
the old servers until 2008-06-20.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.ops.catalogs import Catalogs
from dialogs import feedback
from dialogs.facts import word_date
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.state import Signal
from dialogs.vocabulary import Locale, SystemEvent
from tests.dialogs.driver import Driver

BEFORE = dt.date(2008, 5, 1)
DURING = dt.date(2008, 6, 1)
AFTER = dt.date(2008, 7, 1)
NOT_ANSWERED = (
    "うまくお答えできませんでした",
    "うまく読み取れませんでした",
    "could not answer",
    "did not catch",
)


def asked(
    profile: MigrationProfile, catalogs: Catalogs, day: dt.date, text: str, locale: Locale = "ja"
) -> Driver:
    driver = Driver(profile, catalogs, today=day)
    driver.start(locale)
    driver.type(text)
    return driver


def answered(driver: Driver) -> str:
    said = driver.said()
    assert not any(phrase in said for phrase in NOT_ANSWERED), said
    return said


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ja", "何もしないとどうなりますか"),
        ("ja", "このままほっといたらどうなるの"),
        ("ja", "設定を変えなかったらメールが使えなくなりますか"),
        ("en", "what happens if I do nothing"),
        ("en", "What if I don't change my settings?"),
    ],
)
@pytest.mark.parametrize("day", [BEFORE, DURING, AFTER], ids=str)
def test_doing_nothing_is_answered_with_what_stops_and_when(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str, day: dt.date
) -> None:
    said = answered(asked(profile, catalogs, day, text, locale))
    until = word_date(catalogs, locale, profile.schedule.old_pop_until or day)
    # Mail after the move arrives on the new server: the old settings cannot receive it.
    assert profile.incoming.new_host in said
    # Webmail alone needs nothing (the notice's first branch).
    assert ("Webメール" if locale == "ja" else "webmail") in said
    assert until in said
    if day > (profile.schedule.old_pop_until or day):
        assert ("利用できなくなりました" if locale == "ja" else "no longer") in said
        assert "までご利用いただけます" not in said
    else:
        assert ("までご利用いただけます" if locale == "ja" else "stays available") in said


def test_asking_what_happens_is_not_the_question_whether_to_change(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # 「変更しないといけませんか」 is answered by the questions, not by "what if you do nothing".
    driver = asked(profile, catalogs, DURING, "設定を変更しないといけませんか")
    assert "移行後に届くメールを受信できません" not in driver.said()
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ja", "お金かかりますか"),
        ("ja", "料金は発生しますか"),
        ("ja", "おかねはかかりますか"),
        ("en", "will it cost me anything"),
        ("en", "Is there a fee?"),
    ],
)
def test_fees_are_answered_with_what_the_notice_says_and_no_promise(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    driver = asked(profile, catalogs, DURING, text, locale)
    said = answered(driver)
    # The notice names no charge: the bot says so, promises neither "free" nor a price, and
    # points to a person for the rest.
    assert (
        "料金についての記載はありません" if locale == "ja" else "says nothing about a charge"
    ) in said
    assert "無料" not in said
    assert " free" not in said
    assert ("「担当者」" if locale == "ja" else '"agent"') in said
    # The conversation carries on with the question it was at.
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ja", "このメールは詐欺ですか"),
        ("ja", "お知らせのメールが届いたんですが本物ですか？"),
        ("ja", "フィッシングメールじゃないですよね"),
        ("en", "is this email a scam?"),
        ("en", "Is this notice legit?"),
    ],
)
def test_is_it_a_scam_names_the_real_move_and_does_not_vouch_for_a_message(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    said = answered(asked(profile, catalogs, DURING, text, locale))
    assert profile.provider_name in said
    assert word_date(catalogs, locale, profile.schedule.window_start) in said
    # The chat cannot see the message: it never says "that mail is genuine".
    assert ("確かめられません" if locale == "ja" else "cannot tell") in said
    assert ("パスワード" if locale == "ja" else "password") in said


@pytest.mark.parametrize(
    ("day", "text", "expected"),
    [
        (BEFORE, "今日から変わる？", "期間が始まりましたら"),
        (DURING, "今日から変わる？", "ただいま変更期間中"),
        (DURING, "まだ旧サーバーで大丈夫？", "までご利用いただけます"),
        (AFTER, "まだ旧サーバーで大丈夫？", "利用できなくなりました"),
        (AFTER, "明日から変わるの？", "終了しました"),
        (DURING, "Can I still use the old server?", "until Friday 20 June 2008"),
    ],
)
def test_is_it_today_is_answered_for_the_day(
    profile: MigrationProfile, catalogs: Catalogs, day: dt.date, text: str, expected: str
) -> None:
    locale: Locale = "ja" if text.isascii() is False else "en"
    assert expected in answered(asked(profile, catalogs, day, text, locale))


@pytest.mark.parametrize(
    "text",
    [
        "電話で教えてほしい",
        "お電話いただけますか",
        "電話で説明してもらえませんか",
        "can you call me",
    ],
)
def test_asking_for_a_call_reaches_the_desk_or_its_contact(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = asked(profile, catalogs, DURING, text)
    assert Signal.CONTACT_GIVEN in driver.last.signals
    # English as the first words typed is answered in English (audit11).
    support = profile.support
    assert (support.contact_en if text.isascii() else support.contact_ja) in driver.said()


@pytest.mark.parametrize("text", ["携帯電話でメールを見ています", "電話でメールを見ています"])
def test_a_phone_named_otherwise_is_no_call_for_a_person(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = asked(profile, catalogs, DURING, text)
    assert Signal.CONTACT_GIVEN not in driver.last.signals


@pytest.mark.parametrize(
    "text",
    [
        "sometimes at the office",
        # Someone else's office (subscriber7).
        "yes my husband uses it at his office",
        "my wife sends from her office",
    ],
)
def test_the_office_as_a_place_is_no_outlook(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # "sometimes at the office" at Q2 said 'You use Classic Outlook' and kept it for the guide.
    driver = Driver(profile, catalogs, today=DURING)
    driver.start("en")
    driver.press("yes")
    driver.type(text)
    assert "Outlook" not in driver.said()
    assert not driver.state.program
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP


def test_outlook_at_the_office_is_asked_which_outlook(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = asked(profile, catalogs, DURING, "I use Outlook at the office", "en")
    assert "Classic Outlook" not in driver.said()
    assert driver.state.program != "outlook_classic"


def after_the_card(profile: MigrationProfile, catalogs: Catalogs, locale: Locale = "ja") -> Driver:
    driver = Driver(profile, catalogs, today=DURING)
    driver.start(locale)
    driver.press("yes")
    driver.press("no")
    driver.type("taro@vp.117.ne.jp")
    driver.press("program:thunderbird")
    driver.press("yes")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    return driver


@pytest.mark.parametrize(
    ("locale", "text"),
    [("ja", "SSLはオンにしますか"), ("ja", "暗号化は？"), ("en", "Do I need SSL?")],
)
def test_encryption_is_answered_from_the_profile(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    driver = after_the_card(profile, catalogs, locale)
    driver.type(text)
    said = answered(driver)
    none = catalogs.fill(locale, "settings.security.none", {})
    assert profile.incoming.security.value == "none"
    assert f"「{none}」" in said or f'"{none}"' in said
    assert f"{profile.incoming.new_host}" in said
    assert str(profile.outgoing.port) in said


@pytest.mark.parametrize("text", ["もう一度やってみたい", "再確認"])
def test_after_the_card_trying_again_is_the_login_check(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = after_the_card(profile, catalogs)
    driver.type(text)
    assert Signal.CHECK_REQUESTED in driver.last.signals


# 「どこに入力するの」 is where the settings go: the program's steps (test_words10_own_words).
@pytest.mark.parametrize("text", ["もういちどみせて", "何を入力すればいいの"])
def test_after_the_card_asking_to_see_it_again_shows_it(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = after_the_card(profile, catalogs)
    driver.type(text)
    assert driver.settings()["smtp_server"] == profile.outgoing.new_host
    assert Signal.SETTINGS_DELIVERED in driver.last.signals


# 「紙で送ってほしい」 was here: with no desk, the post is how to print (words12,
# test_no_person_offered_in_vain).
@pytest.mark.parametrize("text", ["できません", "やっぱりできなかった"])
def test_after_the_card_it_not_working_reaches_a_person(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = after_the_card(profile, catalogs)
    driver.type(text)
    assert Signal.CONTACT_GIVEN in driver.last.signals


@pytest.mark.parametrize(
    ("locale", "text"), [("ja", "おわり"), ("ja", "また後でやります"), ("en", "bye")]
)
def test_leaving_is_thanked_not_misunderstood(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    driver = after_the_card(profile, catalogs, locale)
    driver.type(text)
    said = answered(driver)
    assert ("ご利用ありがとうございました" if locale == "ja" else "Thank you for using") in said


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ja", "たすけてください"),
        ("ja", "こんにちは。メールのことで相談です"),
        ("ja", "あのー、すみません、ちょっとお聞きしたいんですが"),
        ("en", "I need help"),
    ],
)
def test_asking_for_help_is_reassured_and_the_question_asked_again(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    driver = asked(profile, catalogs, DURING, text, locale)
    said = answered(driver)
    assert ("ご安心ください" if locale == "ja" else "Don't worry") in said
    assert driver.offered()[:3] == ["yes", "no", "unsure"]
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM


@pytest.mark.parametrize("text", ["設定方法を教えて", "せっていのしかたをおしえて"])
def test_asking_how_to_set_it_up_gives_the_settings(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = asked(profile, catalogs, DURING, text)
    driver.press("skip")  # no address: the card with the notice's placeholder
    driver.press("program:thunderbird")
    if driver.state.stage is Stage.ASK_SMTP_HOST:
        driver.press("yes")  # vs.117.ne.jp today
    assert driver.settings()["pop_server"] == profile.incoming.new_host


def test_asking_for_the_person_in_charge_reaches_the_desk(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = asked(profile, catalogs, DURING, "担当の人いますか")
    assert Signal.CONTACT_GIVEN in driver.last.signals


@pytest.mark.parametrize(("locale", "text"), [("ja", "わかりません"), ("en", "not sure")])
def test_not_knowing_which_outlook_gets_the_common_steps(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    # 「わかりません」 at "new or classic Outlook?" was 「うまく読み取れませんでした」 (round 4).
    driver = Driver(profile, catalogs, today=DURING)
    driver.start(locale)
    driver.press("yes")
    driver.press("no")
    driver.press("skip")
    driver.type("Outlook")
    assert driver.state.stage is Stage.ASK_OUTLOOK_KIND
    driver.type(text)
    said = answered(driver)
    assert ("共通の設定手順" if locale == "ja" else "common to every mail program") in said
    assert driver.state.program == "other"


@pytest.mark.parametrize("text", ["見方がわかりません", "I can't find it"])
def test_not_finding_the_outgoing_server_is_not_sure(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = Driver(profile, catalogs, today=DURING)
    driver.start("ja")
    driver.press("yes")
    driver.press("no")
    driver.press("skip")
    driver.press("program:thunderbird")
    assert driver.state.stage is Stage.ASK_SMTP_HOST
    driver.type(text)
    answered(driver)
    assert driver.state.stage is Stage.SETTINGS_DELIVERED


@pytest.mark.parametrize(
    ("locale", "text", "expected"),
    [
        ("ja", "はい", "どのようなことでしょうか"),
        ("ja", "いいえ", "ご利用ありがとうございました"),
        ("en", "yes", "What can I help with?"),
        ("en", "no", "Thank you for using"),
    ],
)
def test_yes_or_no_to_anything_else_is_understood(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str, expected: str
) -> None:
    # Once 「解決しましたか？」 is answered the last question is 「ほかにお手伝いできることは
    # ありますか？」: a bare 「はい」 or "no" to it was 「うまく読み取れませんでした」 (round 4).
    driver = after_the_card(profile, catalogs, locale)
    driver.press(feedback.SOLVED)
    driver.type(text)
    assert expected in answered(driver)
    assert "check" in driver.offered()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("はい", "どのようなことでしょうか"),
        ("いいえ", "ご利用ありがとうございました"),
        ("本当に何もしなくていいの？", "Webメールだけをご利用の場合は、何もしなくても"),
    ],
)
def test_after_webmail_only_yes_no_and_doing_nothing_are_understood(
    profile: MigrationProfile, catalogs: Catalogs, text: str, expected: str
) -> None:
    driver = Driver(profile, catalogs, today=DURING)
    driver.start("ja")
    driver.press("no")  # webmail only: nothing to change, and the bot rests
    assert driver.state.stage is Stage.WEBMAIL_ONLY
    driver.type(text)
    assert expected in answered(driver)
    assert driver.state.stage is Stage.WEBMAIL_ONLY


@pytest.mark.parametrize(
    ("locale", "text"),
    [("ja", "ロボットですか？"), ("ja", "これは自動応答ですか"), ("en", "Are you a bot?")],
)
def test_who_answers_is_said(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    said = answered(asked(profile, catalogs, DURING, text, locale))
    assert ("自動応答" if locale == "ja" else "automated") in said


@pytest.mark.parametrize(
    "text",
    [
        "訪問してもらえますか",
        "設定を代わりにやってほしい",
        "遠隔で操作してもらえませんか",
        "メールで問い合わせたい",
        "Can you do it for me?",
    ],
)
def test_what_only_the_desk_can_do_reaches_it(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = asked(profile, catalogs, DURING, text)
    assert Signal.CONTACT_GIVEN in driver.last.signals


def test_support_is_no_port(profile: MigrationProfile, catalogs: Catalogs) -> None:
    # 「出張サポートはありますか」 was answered with the servers' ports (サ「ポートは」).
    said = asked(profile, catalogs, DURING, "出張サポートはありますか").said()
    assert profile.incoming.new_host not in said


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ja", "営業時間は？"),
        ("ja", "今日は何時まで対応していますか"),
        ("en", "What are your business hours?"),
    ],
)
def test_desk_hours_are_answered_without_handing_over(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    driver = Driver(profile, catalogs, today=DURING, desk=True)
    driver.start(locale)
    driver.type(text)
    said = answered(driver)
    contact = profile.support.contact_ja if locale == "ja" else profile.support.contact_en
    assert contact in said
    assert Signal.HANDOFF_REQUESTED not in driver.last.signals
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM


@pytest.mark.parametrize(
    ("locale", "text"), [("ja", "どうすればいいですか"), ("en", "what do I do?")]
)
def test_what_to_do_after_a_failed_check_is_about_its_result(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    # It was answered with the migration's steps from the start ("receive once first…").
    driver = after_the_card(profile, catalogs, locale)
    driver._run(event=SystemEvent("check_result", (("smtp", "auth_failed"), ("pop", "ok"))))
    assert Signal.CHECK_FAILED in driver.last.signals
    driver.type(text)
    said = answered(driver)
    assert ("ログインの確認の結果" if locale == "ja" else "login check's result") in said
    assert "STEP 1" not in said
    assert "check" in driver.offered()


def test_what_to_do_without_a_failed_check_is_still_the_steps(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = after_the_card(profile, catalogs)
    driver.type("どうすればいいですか")
    assert "STEP 1" in driver.said()


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ja", "今の設定のままでいいですか？"),
        ("ja", "このままで使えますか"),
        ("ja", "いまのままでだいじょうぶ？"),
        ("ja", "設定は変えないとだめですか"),
        ("ja", "設定を変えなくてもいいですか"),
        ("en", "Can I keep my current settings?"),
        ("en", "is it ok to keep my settings?"),
        ("en", "Hi, I got a letter about the mail server change. What do I have to do?"),
        ("ja", "こんにちは。パソコンが苦手なのですが、私も何かしないといけないのでしょうか"),
        ("ja", "メールの設定を変えてくださいと書いてあったのですが"),
    ],
)
def test_whether_the_settings_may_stay_is_what_the_questions_find_out(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    # The helpdesk's most common question was 「うまくお答えできませんでした」, as a form would.
    driver = asked(profile, catalogs, DURING, text, locale)
    said = answered(driver)
    assert catalogs(locale, "whether_to_change.by_the_questions") in said
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM


@pytest.mark.parametrize(
    ("text", "stage_words"),
    [
        # A time asked: the schedule's; something else named as staying: that topic's.
        ("いつまで今のままで使えますか", "2008年6月20日"),
        ("パスワードはそのままでいいですか", "パスワード"),
    ],
)
def test_staying_the_same_said_of_a_time_or_a_thing_keeps_its_topic(
    profile: MigrationProfile, catalogs: Catalogs, text: str, stage_words: str
) -> None:
    said = answered(asked(profile, catalogs, DURING, text))
    assert catalogs("ja", "whether_to_change.by_the_questions") not in said
    assert stage_words in said


@pytest.mark.parametrize(
    ("locale", "text", "words"),
    [
        # Whether the names change is answered by what they become.
        ("ja", "サーバー名は変わりますか", "vpop.117.ne.jp"),
        ("ja", "サーバーの名前は変わる？", "vsmtp.117.ne.jp"),
        # How long today's settings last is the schedule's.
        ("en", "how long can I use my current settings?", "20 June 2008"),
        ("ja", "まだ今のままで大丈夫？", "2008年6月20日"),
    ],
)
def test_the_names_and_how_long_are_answered(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str, words: str
) -> None:
    said = answered(asked(profile, catalogs, DURING, text, locale))
    assert words in said
    assert catalogs(locale, "whether_to_change.by_the_questions") not in said


@pytest.mark.parametrize(
    "text", ["どうしたらいいですか", "設定変更って何をするの？", "なにしたらいいの"]
)
def test_what_to_do_in_an_elders_words_gets_the_steps(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # 「どうすれば」 was understood, 「どうしたら」 was 「うまくお答えできませんでした」.
    said = answered(asked(profile, catalogs, DURING, text))
    assert "設定を変更します" in said


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ja", "117netを解約したいです"),
        ("ja", "ウイルスに感染したかも"),
        ("en", "I want to cancel my contract"),
    ],
)
def test_other_matters_get_what_this_chat_is_for_and_the_desk(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    # Not this chat's business: said so, with the way to a person (it was not understood).
    driver = asked(profile, catalogs, DURING, text, locale)
    said = answered(driver)
    assert catalogs(locale, "topic.other_matters.answer", provider="117net") in said
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM


@pytest.mark.parametrize(
    ("locale", "text", "where"),
    [
        ("ja", "送信サーバーってどこで確認できますか", "「≡」→「アカウント設定」"),
        ("ja", "どうやって調べればいいの？", "「≡」→「アカウント設定」"),
        ("en", "Where can I find my outgoing server?", "Account Settings"),
    ],
)
def test_where_the_outgoing_server_shows_is_the_questions_own_hint(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str, where: str
) -> None:
    # At 「今お使いの送信サーバー名は…ですか？」 this was 「うまくお答えできませんでした」.
    driver = Driver(profile, catalogs, today=DURING)
    driver.start(locale)
    driver.press("yes")
    driver.press("no")
    driver.type("taro@vp.117.ne.jp")
    driver.press("program:thunderbird")
    assert driver.state.stage is Stage.ASK_SMTP_HOST
    driver.said()
    driver.type(text)
    said = answered(driver)
    assert catalogs(locale, "smtp_host.where_it_shows") in said
    assert where in said
    assert driver.state.stage is Stage.ASK_SMTP_HOST
