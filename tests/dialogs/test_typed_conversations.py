"""Whole conversations typed, never tapped (the typed-conversation sweep, subscriber4).

Subscribers on LINE, Telegram, Slack and the web chat who answer every question in their
own words wander: they ask the bot to wait while they look, come back the next day, ask
what a question means. Each of these was 「うまく読み取れませんでした」 and counted toward
a handoff; the corpus (`tests/dialogs/reading/utterances.tsv`) holds how each is read.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.state import Signal
from dialogs.vocabulary import ChoicesReply, Locale, TextReply
from tests.dialogs.driver import Driver


def words(driver: Driver) -> str:
    return "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply | ChoicesReply))


def at_third_question(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.type("はい" if locale == "ja" else "yes")
    driver.type("会社からも送ります" if locale == "ja" else "yes, also from work")
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP
    return driver


@pytest.mark.parametrize(
    ("locale", "text", "said"),
    [
        ("ja", "ちょっと待ってください", "ごゆっくり"),
        ("ja", "今調べます", "ごゆっくり"),
        ("en", "hold on", "take your time"),
    ],
)
def test_asked_to_wait_the_bot_waits_and_the_question_stays(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str, said: str
) -> None:
    driver = at_third_question(profile, catalogs, locale)
    driver.type(text)
    assert said in words(driver)
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP
    assert driver.state.misunderstood == 0
    assert driver.offered() == ["yes", "no", "unsure", "back", "menu"]


def test_back_the_next_day_carries_on_at_the_question_where_they_stopped(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = at_third_question(profile, catalogs, "ja")
    driver.type("昨日の続きです")
    said = words(driver)
    assert "前回の続きから" in said
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP
    assert driver.state.answers == {"q1_mail_program": "yes", "q2_other_network": "yes"}
    assert driver.state.misunderstood == 0


@pytest.mark.parametrize(("locale", "text"), [("ja", "昨日の続きです"), ("en", "I'm back")])
def test_back_with_nothing_kept_is_told_so_and_starts_at_the_first_question(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    # The conversation expired (or began on another channel): 「前回の続きから」 would be untrue.
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.type(text)
    said = words(driver)
    assert ("最初の質問から" if locale == "ja" else "first question") in said
    assert "前回の続きから" not in said
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM


@pytest.mark.parametrize(
    ("locale", "answers", "asked", "said"),
    [
        ("ja", [], "それってどういう意味ですか", "ホームページにログイン"),
        ("ja", ["はい"], "LANってなに？", "どのインターネット回線"),
        ("en", ["yes"], "what does that mean?", "which internet connection"),
        ("ja", ["はい", "はい"], "SMTPって何？", "アカウント設定にある「送信サーバー」"),
        ("ja", ["はい", "はい", "はい"], "なにそれ？", "出入り口（ポート25番）"),
    ],
)
def test_what_the_question_means_is_explained_and_it_is_asked_again(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    answers: list[str],
    asked: str,
    said: str,
) -> None:
    # 「申し訳ありません、そのご質問にはうまくお答えできませんでした」 was the answer, and it
    # counted toward a handoff: a helpdesk says what the question asks, in plainer words.
    driver = Driver(profile, catalogs)
    driver.start(locale)
    for answer in answers:
        driver.type(answer)
    stage = driver.state.stage
    driver.type(asked)
    assert said in words(driver)
    assert ("わからない" if locale == "ja" else "Not sure") in words(driver)
    assert driver.state.stage is stage
    assert driver.state.misunderstood == 0
    assert "yes" in driver.offered()


def test_why_the_address_is_asked_is_said_and_skipping_stays_open(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # It was answered with why the servers move (Topic.WHY), not why the address is asked.
    driver = Driver(profile, catalogs)
    driver.start()
    for answer in ("はい", "いいえ"):
        driver.type(answer)
    assert driver.state.stage is Stage.ASK_ADDRESS
    driver.type("なんでアドレスがいるの？")
    said = words(driver)
    assert "ユーザー名" in said
    assert "パスワードはお伺いしません" in said
    assert driver.state.stage is Stage.ASK_ADDRESS
    assert driver.offered() == ["skip"]


def to_the_card(profile: MigrationProfile, catalogs: Catalogs) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start()
    for answer in ("はい", "いいえ", "スキップ", "Thunderbird", "はい"):
        driver.type(answer)
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    return driver


@pytest.mark.parametrize("text", ["いいえ、大丈夫です", "特にないです", "大丈夫です"])
def test_nothing_else_after_the_card_is_a_goodbye(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # To 「ほかにお手伝いできることはありますか？」: it was 「うまく読み取れませんでした」.
    driver = to_the_card(profile, catalogs)
    driver.type(text)
    assert "ご利用ありがとうございました" in words(driver)
    assert driver.state.misunderstood == 0


@pytest.mark.parametrize(
    ("text", "program"),
    [
        ("ファイルの中にアカウント設定がある", "outlook_classic"),
        ("アカウント設定はありません", "outlook_new"),
    ],
)
def test_which_outlook_told_by_the_hints_own_tell_tale(
    profile: MigrationProfile, catalogs: Catalogs, text: str, program: str
) -> None:
    # The question's hint says how to tell them apart; said back, it chose nothing.
    driver = Driver(profile, catalogs)
    driver.start()
    for answer in ("はい", "いいえ", "スキップ", "Outlook"):
        driver.type(answer)
    assert driver.state.stage is Stage.ASK_OUTLOOK_KIND
    driver.type(text)
    assert driver.state.program == program


@pytest.mark.parametrize(("locale", "text"), [("ja", "パソコンです"), ("en", "just my PC")])
def test_the_computer_named_for_the_program_is_asked_which_program_on_it(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    # It was 「うまく読み取れませんでした」 and counted toward a handoff.
    driver = Driver(profile, catalogs)
    driver.start(locale)
    for answer in ("yes", "no", "skip"):
        driver.press(answer)
    assert driver.state.stage is Stage.ASK_PROGRAM
    driver.type(text)
    assert ("パソコンでお使い" if locale == "ja" else "On a computer") in words(driver)
    assert driver.state.stage is Stage.ASK_PROGRAM
    assert driver.state.misunderstood == 0


def test_understood_after_the_explanation_answers_nothing(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # 「はい、わかりました」 was read as "yes, I send through your server": the question stays.
    driver = at_third_question(profile, catalogs, "ja")
    driver.type("それってどういう意味ですか")
    driver.type("はい、わかりました")
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP
    assert "q3_uses_our_smtp" not in driver.state.answers
    driver.type("はい、vs.117.ne.jpです")
    assert driver.state.answers["q3_uses_our_smtp"] == "yes"


@pytest.mark.parametrize("text", ["画面が違います", "その項目が見つかりません"])
def test_a_guide_that_does_not_match_the_screen_reaches_a_person(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = to_the_card(profile, catalogs)
    driver.type(text)
    assert "担当者" in words(driver)
    assert driver.state.misunderstood == 0


@pytest.mark.parametrize(
    ("answers", "text", "taken"),
    [
        ([], "はい、会社からも送ります", {"q1_mail_program": "yes", "q2_other_network": "yes"}),
        (
            [],
            "Outlookです。外出先からも使います",
            {"q1_mail_program": "yes", "q2_other_network": "yes"},
        ),
        (
            ["はい"],
            "会社からも送るし、vs.117.ne.jpを使ってます",
            {"q2_other_network": "yes", "q3_uses_our_smtp": "yes"},
        ),
        (
            ["はい", "はい"],
            "はい、会社は25番をブロックしてます",
            {"q3_uses_our_smtp": "yes", "q4_op25b": "yes"},
        ),
        # Home and work both named, as a voice input runs on (subscriber7).
        (
            [],
            "アウトルックで家と会社両方でつかってます",
            {"q1_mail_program": "yes", "q2_other_network": "yes"},
        ),
    ],
)
def test_two_questions_answered_at_once_take_the_second_yes_too(
    profile: MigrationProfile,
    catalogs: Catalogs,
    answers: list[str],
    text: str,
    taken: dict[str, str],
) -> None:
    # The second answer was dropped and its question asked as if nothing had been said.
    driver = Driver(profile, catalogs)
    driver.start()
    for answer in answers:
        driver.type(answer)
    driver.type(text)
    assert taken.items() <= driver.state.answers.items()
    assert "次の質問「" in words(driver)


@pytest.mark.parametrize(
    "text",
    [
        # A computer at home is no line: never the next question's no. (「Outlookを使っていて、
        # 家だけです」 is, said back with the question: test_subscriber16_own_words.py.)
        "家のパソコンだけで使ってます",
        # The company named for something else than the line mail is sent from.
        "会社の人に設定してもらったOutlookを使っています",
        "会社からは送りません、Outlookです",
    ],
)
def test_only_the_question_on_screen_is_answered_without_the_next_ones_own_yes(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type(text)
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert "q2_other_network" not in driver.state.answers


def test_back_after_two_answers_at_once_asks_the_second_question(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type("はい、会社からも送ります")
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP
    driver.type("戻る")
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert "q2_other_network" not in driver.state.answers


@pytest.mark.parametrize(
    ("locale", "text", "offered"),
    [
        ("ja", "no, only at home", 'Type "English"'),
        ("ja", "I don't understand", 'Type "English"'),
        ("en", "いいえ、家だけです", "「日本語」と入力"),
    ],
)
def test_a_sentence_in_the_other_language_is_told_how_to_switch(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str, offered: str
) -> None:
    # Answered, but in a language the subscriber may not read, with no word of how to change it.
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("yes")
    driver.type(text)
    assert offered in words(driver)


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ja", "はい"),
        ("ja", "Outlook"),
        ("ja", "yes"),
        ("ja", "taro@vp.117.ne.jp"),
        # A pasted error is the program's language, not the subscriber's.
        ("ja", "Sending of the message failed."),
        ("en", "no, only at home"),
        # A program's Japanese name in an English sentence (subscriber7): a name, as typed.
        ("en", "yes, I use サンダーバード"),
        ("en", "my アウトルック can't send"),
    ],
)
def test_no_language_offer_for_words_anyone_types(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("yes")
    driver.type(text)
    assert 'Type "English"' not in words(driver)
    assert "「日本語」と入力" not in words(driver)


@pytest.mark.parametrize(
    ("locale", "answers", "text", "said"),
    [
        ("ja", ["yes"], "POPって何？", "受信する仕組み"),
        ("ja", ["yes"], "SMTPって何？", "送信する仕組み"),
        ("en", ["yes", "yes"], "what is a provider?", "contract with"),
        ("ja", [], "サーバーって何？", "側のコンピューター"),
        ("ja", [], "LANって何？", "家の中のネットワーク"),
        ("ja", [], "プロバイダって何？", "契約している会社"),
    ],
)
def test_a_word_of_the_settings_asked_about_is_explained_and_the_question_stays(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    answers: list[str],
    text: str,
    said: str,
) -> None:
    # 「そのご質問にはうまくお答えできませんでした」 before, counted toward a handoff.
    driver = Driver(profile, catalogs)
    driver.start(locale)
    for answer in answers:
        driver.press(answer)
    stage = driver.state.stage
    driver.type(text)
    assert said in words(driver)
    assert driver.state.stage is stage
    assert driver.state.misunderstood == 0


@pytest.mark.parametrize("text", ["やっぱりやめます", "戻る", "キャンセル", "never mind"])
def test_a_message_for_the_desk_can_be_given_up_in_words(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # Typed, not pressed: every message was taken as the message's start and the contact
    # asked for again, with no button left on LINE to get out (a dead end).
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type("担当者と話したい")
    driver.press("desk_message")
    assert "「やめる」" in words(driver)
    driver.type(text)
    assert driver.state.leaving_message is False
    assert "伝言はお預かりせず" in words(driver)
    assert driver.offered()[:3] == ["yes", "no", "unsure"]


def test_a_message_without_a_way_to_call_back_is_still_asked_for_one(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type("担当者と話したい")
    driver.press("desk_message")
    driver.type("メールが送れません。やめるわけにもいかないので困っています")
    assert driver.state.leaving_message is True
    assert catalogs.raw("ja", "desk_message.need_contact") in words(driver)


def test_not_solved_yet_typed_answers_the_feedback_question(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # 「まだ解決してません」 to 「解決しましたか？」 was not understood.
    driver = to_the_card(profile, catalogs)
    driver.type("まだ解決してません")
    assert Signal.FEEDBACK_UNSOLVED in driver.last.signals


@pytest.mark.parametrize("text", ["まだ試してません", "まだやってません"])
def test_not_tried_yet_after_the_card_is_given_time_not_the_login_check(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # 「まだ試してません」 opened the login check and asked for the address.
    driver = to_the_card(profile, catalogs)
    driver.type(text)
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    assert "ごゆっくり" in words(driver)
    assert driver.state.misunderstood == 0


@pytest.mark.parametrize(
    "text", ["いや、ちょっと待って", "いいえ、ちょっと待ってください", "no, wait"]
)
def test_a_no_that_only_opens_a_wait_is_no_answer(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # Read as 「いいえ」 to the network question: "nothing but the home line", the verdict
    # that asks for the least change, from a subscriber who had only asked the bot to wait.
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("yes")
    driver.type(text)
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert "q2_other_network" not in driver.state.answers


@pytest.mark.parametrize("text", ["vp.117.ne.jp", "SMTP server vs.117.ne.jp port 25"])
def test_host_names_and_settings_are_no_english_sentence(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = to_the_card(profile, catalogs)
    driver.type(text)
    assert 'Type "English"' not in words(driver)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("メールが送れなくなりました", "vsmtp.117.ne.jp"),
        ("0x800CCC0Fが出ます", "vsmtp.117.ne.jp"),
        ("パスワードは変わりますか", "パスワードは変わりません"),
        ("設定を教えて", "メールアドレスを入力してください"),
    ],
)
def test_a_platforms_first_message_that_says_something_is_answered_after_the_greeting(
    profile: MigrationProfile, catalogs: Catalogs, text: str, said: str
) -> None:
    # On LINE, Telegram, Slack and Chatwoot the first message starts the conversation: it
    # got the greeting and the first question whatever it said, and the problem or the
    # question typed had to be typed again.
    driver = Driver(profile, catalogs)
    driver._run(start=True, text=text)
    replies = [r.text for r in driver.last.replies if isinstance(r, TextReply | ChoicesReply)]
    assert replies[0].startswith(catalogs.raw("ja", "greeting")[:6])
    assert said in "\n".join(replies)


@pytest.mark.parametrize("text", ["はい", "Outlookです", "こんにちは", "いいえ"])
def test_a_first_message_that_answers_nothing_yet_is_the_first_question(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # No question was asked yet: a yes, a no or a program named is no answer to one.
    driver = Driver(profile, catalogs)
    driver._run(start=True, text=text)
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    assert driver.state.answers == {}


def test_a_first_message_asking_for_english_is_greeted_in_english(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver._run(start=True, text="English please", locale="ja")
    assert driver.state.locale == "en"
    texts = [r.text for r in driver.last.replies if isinstance(r, TextReply)]
    assert texts[0].startswith(catalogs.raw("en", "greeting")[:6])


@pytest.mark.parametrize(
    ("locale", "text", "offered"),
    [
        ("en", "I want to talk to a person", False),
        ("en", "Will my email address change?", False),
        ("ja", "メールアドレスは変わりますか", False),
        # Since audit11 the first words choose: in English, and told how to have Japanese
        # (test_audit11_own_words), not offered English.
        ("ja", "Will my email address change?", False),
        ("en", "メールアドレスは変わりますか", True),
    ],
)
def test_a_first_message_is_offered_the_other_language_only_when_written_in_it(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str, offered: bool
) -> None:
    # The message was weighed against the chat's language before the platform's was set:
    # on an English phone, 'I want to talk to a person' was told 「日本語」と入力.
    driver = Driver(profile, catalogs, desk=True)
    driver._run(start=True, text=text, locale=locale)
    said = "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply))
    switch = "language.offer_japanese" if locale == "en" else "language.offer_english"
    assert (catalogs.raw(locale, switch) in said) is offered


@pytest.mark.parametrize("text", ["ZqI99xK!w7", "パスワードはabc123です"])
def test_a_password_as_the_first_message_is_warned_about(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # Masked in the store as anywhere, but only the greeting and the first question were
    # said: the subscriber was never told not to type passwords in the chat.
    driver = Driver(profile, catalogs)
    driver._run(start=True, text=text, locale="ja")
    texts = [r.text for r in driver.last.replies if isinstance(r, TextReply)]
    assert texts[0].startswith(catalogs.raw("ja", "greeting")[:6])
    assert catalogs.raw("ja", "secret.warning") in texts
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM


def test_a_buttons_number_in_a_short_sentence_picks_it(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # 「7番です」 where the programs were offered was not understood; 「7」 alone was Becky!.
    driver = Driver(profile, catalogs)
    driver.start()
    for answer in ("yes", "no", "skip"):
        driver.press(answer)
    driver.type("7番です")
    assert driver.state.program == "becky"


def test_understood_is_not_thanked_for(profile: MigrationProfile, catalogs: Catalogs) -> None:
    # 「はい、わかりました」 after an explanation got 「どういたしまして。」.
    driver = at_third_question(profile, catalogs, "ja")
    driver.type("どういうことですか")
    driver.type("はい、わかりました")
    assert "どういたしまして" not in words(driver)
    assert "続けましょう" in words(driver)


def test_a_program_named_after_not_knowing_it_is_the_one_guided(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # The common steps stood in for 「しらん」: 「あいふぉん」 at the next question was told it
    # would come later as a second program, and the card gave the common steps.
    driver = Driver(profile, catalogs)
    driver.start()
    for answer in ("yes", "no", "skip"):
        driver.press(answer)
    driver.type("しらん")
    assert driver.state.stage is Stage.ASK_SMTP_HOST
    driver.type("あいふぉん")
    assert driver.state.program == "ios_mail"
    assert "もう1つのメールソフト" not in words(driver)


@pytest.mark.parametrize("answer", ["アウトルックです", "Outlook"])
def test_outlook_named_again_where_which_outlook_is_asked_asks_again(
    profile: MigrationProfile, catalogs: Catalogs, answer: str
) -> None:
    # The turn raised MachineError (name_outlook from ask_outlook_kind): no reply at all.
    # The property test found it by pressing the Outlook button twice.
    driver = Driver(profile, catalogs)
    driver.start()
    for choice in ("settings", "skip"):
        driver.press(choice)
    driver.type("Outlook")
    assert driver.state.stage is Stage.ASK_OUTLOOK_KIND
    driver.type(answer)
    assert driver.state.stage is Stage.ASK_OUTLOOK_KIND
    assert "わからない" in words(driver)
    assert driver.offered()[:2] == ["program:outlook_new", "program:outlook_classic"]
