"""Subscribers who arrive with a problem in their own words (subscriber23's round).

Read wrong before:
- typographic apostrophes (「’」, which iPhones and Macs type by default) were not folded:
  "I don’t know" at a question was its no, lowering the change needed, and "I can’t send
  emails" was not read;
- "can't send emails" opening the message was taken for a question asked ahead ("can …?");
- 「パスワードが分かりません」 was not the forgotten password (only 「わからない」 was), and
  where the address, the program or the sending server is asked a forgotten password was
  the address skipped or 'not sure' of the question;
- 「ＰＯＰビフォアＳＭＴＰってなんですか？」 and 'is this free?' were not answered.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.stage_reading import read_text
from dialogs.understanding import Kind
from tests.dialogs.driver import Driver
from tests.dialogs.driver import at_stage as _at

_OFFERED = ("yes", "no", "unsure", "back", "menu")


@pytest.mark.parametrize(
    ("stage", "typed", "expected"),
    [
        # The no, dangerous: the Q2 and Q4 no lower the change needed.
        (Stage.Q2_OTHER_NETWORK, "I don’t know", Kind.UNSURE),
        (Stage.Q4_OP25B, "I don’t know", Kind.UNSURE),
        (Stage.Q4_OP25B, "I don‘t know", Kind.UNSURE),
        # Not read.
        (Stage.Q1_MAIL_PROGRAM, "I can’t send emails", Kind.PROBLEM),
        (Stage.Q2_OTHER_NETWORK, "my email won’t send", Kind.PROBLEM),
        # A no meant stays the no.
        (Stage.Q2_OTHER_NETWORK, "no, I don’t", Kind.NO),
    ],
)
def test_typographic_apostrophes_read_as_typed_plainly(
    profile: MigrationProfile, stage: Stage, typed: str, expected: Kind
) -> None:
    assert read_text(typed, stage, _OFFERED, profile).kind is expected


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("can't send emails", "cant_send"),
        ("Can't send emails 😩🙏", "cant_send"),
        ("can't receive emails", "cant_receive"),
        ("can’t send email", "cant_send"),
    ],
)
def test_cant_opening_the_message_is_a_report(
    profile: MigrationProfile, typed: str, problem: str
) -> None:
    # Its "can" was read as a question asked ahead ("can …?"), which reports nothing.
    reading = read_text(typed, Stage.Q1_MAIL_PROGRAM, _OFFERED, profile)
    assert (reading.kind, reading.value) == (Kind.PROBLEM, problem)


def test_can_i_still_asks(profile: MigrationProfile) -> None:
    reading = read_text("can I send from my phone?", Stage.Q1_MAIL_PROGRAM, _OFFERED, profile)
    assert reading.kind is not Kind.PROBLEM


@pytest.mark.parametrize(
    "stage",
    [
        Stage.ASK_ADDRESS,
        Stage.CHECK_ADDRESS,
        Stage.ASK_PROGRAM,
        Stage.ASK_OUTLOOK_KIND,
        Stage.ASK_SMTP_HOST,
        Stage.SETTINGS_DELIVERED,
        Stage.Q2_OTHER_NETWORK,
    ],
)
@pytest.mark.parametrize(
    "typed", ["パスワードが分かりません", "パスワードがわからない", "I don't know my password"]
)
def test_a_forgotten_password_is_answered_wherever_it_is_said(
    profile: MigrationProfile, stage: Stage, typed: str
) -> None:
    # Was the address skipped, 'not sure' of the program, the Outlook or the server, 'not
    # sure' of the network question, or 「パスワードは変わりません」 after the card.
    reading = read_text(typed, stage, _OFFERED, profile)
    assert (reading.kind, reading.value) == (Kind.TOPIC, "forgotten_password")


@pytest.mark.parametrize(
    ("stage", "typed"),
    [(Stage.ASK_ADDRESS, "わすれました"), (Stage.ASK_PROGRAM, "わかりません")],
)
def test_the_question_forgotten_keeps_its_reading(
    profile: MigrationProfile, stage: Stage, typed: str
) -> None:
    # The address forgotten is a skip; the program not known, the common steps.
    assert read_text(typed, stage, _OFFERED, profile).kind in (Kind.SKIP, Kind.UNSURE)


@pytest.mark.parametrize(
    ("typed", "topic"),
    [
        ("ＰＯＰビフォアＳＭＴＰってなんですか？", "pop_before_smtp"),
        ("POPビフォーSMTPとは", "pop_before_smtp"),
        ("is this free?", "fees"),
        ("is the change free?", "fees"),
    ],
)
def test_questions_in_other_spellings_are_answered(
    profile: MigrationProfile, typed: str, topic: str
) -> None:
    reading = read_text(typed, Stage.Q2_OTHER_NETWORK, _OFFERED, profile)
    assert (reading.kind, reading.value) == (Kind.TOPIC, topic)


def test_i_dont_know_typed_on_an_iphone_asks_for_the_change_that_is_safe(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # The whole conversation: the blocking question's no kept POP before SMTP (recommended).
    driver = _at(profile, catalogs, "en", Stage.Q4_OP25B)
    driver.type("I don’t know")
    assert driver.state.answers["q4_op25b"] == "unsure"
    assert "you must change your settings" in driver.verdict().text.split("Sending:")[1]


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "息子にやってもらってもいいですか"),
        ("ja", "息子に設定してもらってもいいでしょうか"),
        ("ja", "娘に頼んでも大丈夫ですか"),
        ("en", "can my grandson do it for me?"),
        ("en", "is it ok if my wife does it?"),
    ],
)
def test_someone_else_doing_it_is_answered_and_the_question_asked_again(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    # Not understood, or (its "do it for me") handed to the desk.
    driver = _at(profile, catalogs, locale, Stage.Q2_OTHER_NETWORK)
    driver.type(typed)
    said = driver.said()
    assert {"ja": "ほかの方に設定を変えていただいても大丈夫です", "en": "someone else may"}[
        locale
    ] in said
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert "q2_other_network" not in driver.state.answers
    assert driver.offered()[:3] == ["yes", "no", "unsure"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # Someone else later, or someone else who knew: as before.
        ("息子に見てもらいます", Kind.SMALL_TALK),
        ("can you do it for me?", Kind.HUMAN),
    ],
)
def test_someone_else_told_or_the_desk_asked_keep_their_reading(
    profile: MigrationProfile, typed: str, expected: Kind
) -> None:
    assert read_text(typed, Stage.Q2_OTHER_NETWORK, _OFFERED, profile).kind is expected


@pytest.mark.parametrize(
    ("locale", "stage", "typed"),
    [
        ("ja", Stage.Q2_OTHER_NETWORK, "アドレスを2つ持っています"),
        ("ja", Stage.ASK_ADDRESS, "メールアドレスが二つあるんですがどっちも変えるんですか"),
        ("ja", Stage.Q1_MAIL_PROGRAM, "アドレスが3つあります"),
        ("en", Stage.Q2_OTHER_NETWORK, "I have two addresses"),
        ("en", Stage.ASK_ADDRESS, "I have two email addresses with you, do I need to do both?"),
    ],
)
def test_two_addresses_are_answered_one_at_a_time(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, stage: Stage, typed: str
) -> None:
    # Not understood: 「うまく読み取れませんでした」 or 'could not answer that question'.
    driver = _at(profile, catalogs, locale, Stage.Q1_MAIL_PROGRAM)
    if stage is Stage.ASK_ADDRESS:
        driver.press("settings")
    elif stage is Stage.Q2_OTHER_NETWORK:
        driver.press("yes")
    assert driver.state.stage is stage
    driver.type(typed)
    assert {"ja": "もう1つのメールアドレスを入力", "en": "type the other address"}[
        locale
    ] in driver.said()
    assert driver.state.stage is stage


def test_the_other_address_typed_after_the_card_gets_its_own(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # What the answer promises.
    driver = _at(profile, catalogs, "ja", Stage.Q1_MAIL_PROGRAM)
    driver.press("settings")
    driver.type("taro@vp.117.ne.jp")
    driver.press("program:thunderbird")
    driver.press("yes")
    driver.type("hanako@vp.117.ne.jp")
    assert driver.settings()["username"] == "hanako@vp.117.ne.jp"


@pytest.mark.parametrize(
    ("locale", "stage", "typed", "answer"),
    [
        ("ja", Stage.Q3_USES_OUR_SMTP, "vs.117.ne.jpですが送れません", "yes"),
        ("ja", Stage.Q4_OP25B, "はい、会社でブロックされてるみたいで送れない", "yes"),
        ("ja", Stage.Q2_OTHER_NETWORK, "はい、0x800CCC0Fが出ます", "yes"),
        ("en", Stage.Q2_OTHER_NETWORK, "yes at work, and I get 0x800CCC0F there", "yes"),
    ],
)
def test_an_answer_before_the_problem_is_taken(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: str,
    stage: Stage,
    typed: str,
    answer: str,
) -> None:
    # The problem was answered and the question asked again, as if nothing had been answered.
    driver = _at(profile, catalogs, locale, stage)
    driver.type(typed)
    assert driver.state.answers[stage.value] == answer
    assert driver.state.stage is not stage


@pytest.mark.parametrize(
    ("stage", "typed"),
    [
        # Half a sentence never gives the no (it would lower the change needed).
        (Stage.Q2_OTHER_NETWORK, "いいえ、でも最近送れません"),
        (Stage.Q2_OTHER_NETWORK, "家だけですが、送れません"),
        (Stage.Q4_OP25B, "いいえ、送れません"),
        # A yes run on without a comma: the problem alone, as before.
        (Stage.Q2_OTHER_NETWORK, "はい送れません"),
    ],
)
def test_a_no_or_nothing_before_the_problem_is_no_answer(
    profile: MigrationProfile, stage: Stage, typed: str
) -> None:
    reading = read_text(typed, stage, _OFFERED, profile)
    assert (reading.kind, reading.answer) == (Kind.PROBLEM, "")


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        # Mac Mail's account offline with its name between: the account's question before.
        ("アカウント“vp.117.ne.jp”はオフラインです", "connect"),
        ('the account "117net" is offline', "connect"),
        ("Mac Mail says the account vp.117.ne.jp is offline", "connect"),
        # Windows Mail's and new Outlook's codes: the error's text was asked for, which the
        # subscriber had just typed (or nothing was read).
        (
            "問題が発生しました。申し訳ございませんが、問題が発生しました。"
            "エラーコード: 0x80072726",
            "unknown_code",
        ),
        ("0x80072726", "unknown_code"),
        ("エラーコード: 0x8000000b", "unknown_code"),
    ],
)
def test_more_program_texts_are_read(profile: MigrationProfile, typed: str, problem: str) -> None:
    reading = read_text(typed, Stage.Q1_MAIL_PROGRAM, _OFFERED, profile)
    assert (reading.kind, reading.value) == (Kind.PROBLEM, problem)


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "どこに入力するんですか"),
        ("ja", "どこに入れればいいの？"),
        ("en", "where do I type it?"),
    ],
)
def test_where_to_type_it_at_the_sending_server_question_says_where_it_shows(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    # 「そのご質問にはうまくお答えできませんでした」 before.
    driver = _at(profile, catalogs, locale, Stage.Q1_MAIL_PROGRAM)
    driver.press("settings")
    driver.type("taro@vp.117.ne.jp")
    driver.press("program:ios_mail")
    assert driver.state.stage is Stage.ASK_SMTP_HOST
    driver.type(typed)
    said = driver.said()
    assert {"ja": "送信メールサーバ", "en": "Outgoing Mail Server"}[locale] in said
    assert {"ja": "お答えできませんでした", "en": "could not answer"}[locale] not in said
    assert driver.state.stage is Stage.ASK_SMTP_HOST


@pytest.mark.parametrize(
    ("stage", "typed", "kind", "value"),
    [
        # Kana-only: taken for a sentence still being typed (「はい。続きをどうぞ。」).
        (Stage.Q4_OP25B, "ぶろっくってなに", Kind.TOPIC, "op25b"),
        (Stage.Q4_OP25B, "ぶろっきんぐってなんですか", Kind.TOPIC, "op25b"),
        # The apostrophe left out: not read ("what's smtp" is the question explained).
        (Stage.Q3_USES_OUR_SMTP, "whats smtp", Kind.CHOICE, "explain_question"),
        (Stage.Q3_USES_OUR_SMTP, "whats pop", Kind.CHOICE, "term:pop"),
        # Home's line named by its kind: how to tell whose line it is (not understood).
        (Stage.Q2_OTHER_NETWORK, "うちは光回線です", Kind.CHOICE, "line_named"),
        (Stage.Q2_OTHER_NETWORK, "ADSLです", Kind.CHOICE, "line_named"),
    ],
)
def test_words_typed_short_or_in_kana_are_read(
    profile: MigrationProfile, stage: Stage, typed: str, kind: Kind, value: str
) -> None:
    reading = read_text(typed, stage, _OFFERED, profile)
    assert (reading.kind, reading.value) == (kind, value)


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("en", "it says Login to server vpop.117.ne.jp with username taro@vp.117.ne.jp failed"),
        ("ja", "ユーザー名 taro@vp.117.ne.jp でサーバー vpop.117.ne.jp へのログインに失敗しました"),
    ],
)
def test_a_refused_login_that_names_the_whole_address_is_not_told_to_use_it(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    # The program's own words say the account was the whole address already; it was told to
    # make the account the whole address all the same.
    driver = _at(profile, catalogs, locale, Stage.Q1_MAIL_PROGRAM)
    driver.press("settings")
    driver.type("taro@vp.117.ne.jp")
    driver.press("program:thunderbird")
    driver.press("yes")
    driver.type(typed)
    said = driver.said()
    assert {"ja": "それで合っています", "en": "that is right"}[locale] in said
    assert {"ja": "@より前だけでなく", "en": "not only the part before the @"}[locale] not in said


def test_a_refused_login_with_the_local_part_is_still_told_the_whole_address(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _at(profile, catalogs, "ja", Stage.Q1_MAIL_PROGRAM)
    driver.type("サーバー vpop.117.ne.jp へのログインに失敗しました。ユーザー名: taro")
    assert "@より前だけでなく" in driver.said()


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "メールの設定を教えてください"),
        ("en", "I got a new laptop and need to set up my email"),
        ("en", "how do I set up my email on a new computer"),
    ],
)
def test_the_settings_asked_for_as_a_first_message_are_given(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    # Not read: greeted and asked the first question as if nothing had been said.
    driver = Driver(profile, catalogs)
    driver.first_message(typed, locale)  # type: ignore[arg-type]
    assert driver.state.stage is Stage.ASK_ADDRESS


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # At a question, the settings not known is its "not sure", as before.
        ("メールの設定がわからない", Kind.UNSURE),
        # A report stays one.
        ("I have set up my email but it doesn't send", Kind.PROBLEM),
    ],
)
def test_the_settings_not_known_or_set_keep_their_reading(
    profile: MigrationProfile, typed: str, expected: Kind
) -> None:
    assert read_text(typed, Stage.Q3_USES_OUR_SMTP, _OFFERED, profile).kind is expected
