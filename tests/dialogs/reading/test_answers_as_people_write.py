"""Answers as people write them: problem reports and questions are never answers, and an
answer read from a sentence is said back so that 「戻る」 undoes it."""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.state import Signal
from dialogs.vocabulary import ChoicesReply, Receiving, Sending, TextReply
from tests.dialogs.driver import Driver


def texts_of(driver: Driver) -> str:
    return "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply | ChoicesReply))


def at_question(driver: Driver, number: int) -> None:
    for _ in range(number - 1):
        driver.press("yes")


@pytest.mark.parametrize("question", [1, 2, 3])
@pytest.mark.parametrize(
    "typed",
    [
        "メールが送れない",
        "メールが受信できません",
        "届かない",
        "問題ない",
        "送信できなくなった",
        "エラーが出る",
        "I can't send email",
        "ない、と言われても困ります？",
        "もしもし、誰かいますか？",
    ],
)
def test_a_problem_or_a_question_never_lowers_the_change_needed(
    question: int, typed: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    at_question(driver, question)
    driver.type(typed)
    answers = driver.state.answers
    assert "no" not in answers.values()
    assert driver.state.receiving is not Receiving.NOT_NEEDED
    assert driver.state.sending is not Sending.NOT_NEEDED


@pytest.mark.parametrize(
    ("question", "typed", "answer"),
    [
        (1, "使ってないです", "no"),
        (1, "Webメールしか使っていません", "no"),
        (1, "アウトルック", "yes"),
        (1, "thunderbirdで受信してる", "yes"),
        (1, "スマホで見てます", "yes"),
        (2, "会社から送ってます", "yes"),
        (2, "会社のLANから", "yes"),
        (2, "職場でも使う", "yes"),
        (2, "自宅のみ", "no"),
        (2, "家のパソコンだけ", "no"),
        (3, "vs.117.ne.jp使ってる", "yes"),
        (3, "117netのサーバーで送ってる", "yes"),
        (4, "されてる", "yes"),
        (4, "ブロックされてるみたい", "yes"),
        (4, "ブロックはされてないです", "no"),
        (2, "I connect from the office too", "yes"),
        (2, "only at home", "no"),
        (1, "No, I don't use one", "no"),
    ],
)
def test_each_question_knows_its_own_phrasings(
    question: int, typed: str, answer: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    at_question(driver, question)
    driver.type(typed)
    stage = (
        Stage.Q1_MAIL_PROGRAM,
        Stage.Q2_OTHER_NETWORK,
        Stage.Q3_USES_OUR_SMTP,
        Stage.Q4_OP25B,
    )[question - 1]
    assert driver.state.answers.get(stage.value) == answer


def test_an_answer_read_from_a_sentence_is_said_back_and_back_undoes_it(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("yes")
    driver.type("自宅のみ")
    said = catalogs("ja", "answer.read_as", answer=catalogs("ja", "choice.no"))
    assert said in texts_of(driver)
    driver.type("戻る")
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert Stage.Q2_OTHER_NETWORK.value not in driver.state.answers


def test_a_bare_answer_word_is_not_said_back(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type("はい")
    assert "「戻る」" not in texts_of(driver).split("\n\n")[0]
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK


def test_a_program_named_at_the_first_question_is_remembered_and_not_asked_again(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type("thunderbirdで受信してる")
    assert driver.state.answers["q1_mail_program"] == "yes"
    assert driver.state.program == "thunderbird"
    for _ in range(3):
        driver.press("yes")
    driver.type("taro@vp.117.ne.jp")
    assert driver.state.stage is Stage.ASK_SMTP_HOST


def test_a_program_named_at_another_question_is_remembered_without_answering_it(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("yes")
    driver.type("iPhoneを使っています")
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert "q2_other_network" not in driver.state.answers
    assert driver.state.program == "ios_mail"


@pytest.mark.parametrize("typed", ["ありがとう", "送れた！", "thanks", "こんにちは", "もしもし"])
def test_small_talk_never_counts_toward_a_handoff(
    typed: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs, desk=True)
    driver.start()
    for _ in range(5):
        driver.type(typed)
    assert Signal.HANDOFF_REQUESTED not in driver.last.signals
    assert driver.state.misunderstood == 0
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM


def test_a_photo_gets_asked_for_the_error_text(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs, desk=True)
    driver.start()
    for _ in range(4):
        driver.press("media")
    assert catalogs("ja", "media.unreadable") in texts_of(driver)
    assert Signal.HANDOFF_REQUESTED not in driver.last.signals


@pytest.mark.parametrize(
    ("typed", "stage"),
    [
        ("スマホです", Stage.ASK_PROGRAM),
        ("携帯のメールです", Stage.ASK_PROGRAM),
    ],
)
def test_a_phone_without_a_name_is_asked_which_phone(
    typed: str, stage: Stage, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("settings")
    driver.press("skip")
    driver.type(typed)
    assert driver.state.stage is stage
    assert catalogs("ja", "program.which_phone") in texts_of(driver)


@pytest.mark.parametrize(
    "typed", ["iPhoneのGmail", "ｉＰｈｏｎｅのＧｍａｉｌアプリ", "Gmail on my Mac"]
)
def test_the_gmail_app_on_an_apple_device_is_explained_and_asked_again(
    typed: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # That app cannot hold a POP account: no guide fits it, so no program is guessed.
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("settings")
    driver.press("skip")
    driver.type(typed)
    assert driver.state.stage is Stage.ASK_PROGRAM
    assert driver.state.program is None
    said = catalogs("ja", "program.gmail_on_apple", provider=profile.provider_name)
    assert said in texts_of(driver)
    assert catalogs("ja", "not_understood") not in texts_of(driver)


@pytest.mark.parametrize(
    ("typed", "program"),
    [
        ("thunderbrd", "thunderbird"),
        ("サンダバード", "thunderbird"),
        ("さんだーばーど", "thunderbird"),
        ("ｉＰｈｏｎｅ", "ios_mail"),
        ("beckey", "becky"),
    ],
)
def test_program_names_with_typos_and_in_any_script(
    typed: str, program: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("settings")
    driver.press("skip")
    driver.type(typed)
    assert driver.state.program == program


@pytest.mark.parametrize(
    ("question", "typed", "answer"),
    [
        # Conjugations the patterns do not list; the analyser reads them.
        (1, "使用しておりません", "no"),
        (2, "会社からは接続していない", "no"),
        (3, "利用しておりません", "no"),
        (3, "117netのメールサーバーを利用しております", "yes"),
    ],
)
def test_the_analyser_reads_conjugation_and_negation(
    question: int, typed: str, answer: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    at_question(driver, question)
    driver.type(typed)
    stage = list(driver.state.answers)[question - 1]
    assert driver.state.answers[stage] == answer


@pytest.mark.parametrize(
    "typed", ["送信ができなくなってしまいました", "メールが読めなくなりました", "問題ないです"]
)
def test_a_negated_problem_verb_is_never_an_answer(
    typed: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type(typed)
    assert "no" not in driver.state.answers.values()


def test_a_program_named_after_the_webmail_verdict_reopens_the_questions(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("no")
    assert driver.state.stage is Stage.WEBMAIL_ONLY
    driver.type("Thunderbirdです")
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert driver.state.answers == {"q1_mail_program": "yes"}
    assert driver.state.program == "thunderbird"
    assert driver.state.receiving is None


def test_the_outgoing_server_question_says_back_an_answer_read_from_a_sentence(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("settings")
    driver.press("skip")
    driver.press("program:thunderbird")
    assert driver.state.stage is Stage.ASK_SMTP_HOST
    driver.type("会社のサーバーです")
    said = catalogs("ja", "answer.read_as", answer=catalogs("ja", "choice.no"))
    assert said in "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply))
    assert driver.state.stage is Stage.SETTINGS_DELIVERED


@pytest.mark.parametrize(
    ("typed", "skipped"),
    [("いいえ", True), ("わからない", True), ("あとで", True), ("メールが届かない", False)],
)
def test_at_the_address_question_a_problem_report_is_not_a_refusal(
    typed: str, skipped: bool, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("settings")
    assert driver.state.stage is Stage.ASK_ADDRESS
    driver.type(typed)
    assert (driver.state.stage is Stage.ASK_PROGRAM) is skipped
