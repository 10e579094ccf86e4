"""Every path of the notice's flowchart, in both languages, by button and by free text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.state import Signal
from dialogs.vocabulary import Locale, Receiving, Sending
from tests.dialogs.driver import Driver


@dataclass(frozen=True)
class Path:
    name: str
    answers: tuple[str, ...]  # yes / no / unsure, one per question asked
    receiving: Receiving
    sending: Sending


PATHS = [
    Path("webmail", ("no",), Receiving.NOT_NEEDED, Sending.NOT_NEEDED),
    Path("own line only", ("yes", "no"), Receiving.REQUIRED, Sending.RECOMMENDED),
    Path("other smtp", ("yes", "yes", "no"), Receiving.REQUIRED, Sending.NOT_NEEDED),
    Path("pop before smtp", ("yes", "yes", "yes", "no"), Receiving.REQUIRED, Sending.RECOMMENDED),
    Path("blocked", ("yes", "yes", "yes", "yes"), Receiving.REQUIRED, Sending.REQUIRED),
    # "I don't know" takes the branch that asks for more change, at every question.
    Path("unsure q1", ("unsure", "no"), Receiving.REQUIRED, Sending.RECOMMENDED),
    Path("unsure q2", ("yes", "unsure", "no"), Receiving.REQUIRED, Sending.NOT_NEEDED),
    Path("unsure q3", ("yes", "yes", "unsure", "no"), Receiving.REQUIRED, Sending.RECOMMENDED),
    Path("unsure q4", ("yes", "yes", "yes", "unsure"), Receiving.REQUIRED, Sending.REQUIRED),
]

WORDS: dict[Locale, dict[str, list[str]]] = {
    "ja": {
        "yes": ["はい", "はい、使っています", "ＹＥＳ", "ええ、そうです"],
        "no": ["いいえ", "使っていません", "いいえ、違います", "ううん"],
        # Not 「？」 alone: it asks what the question means, and is answered with that.
        "unsure": ["わからない", "分かりません", "よくわからないです", "さっぱりわかりません"],
    },
    "en": {
        "yes": ["yes", "Yes, I do", "yep", "Y"],
        "no": ["no", "No, I don't", "nope", "N"],
        "unsure": ["not sure", "I don't know", "no idea", "dunno"],
    },
}


def answer(driver: Driver, locale: Locale, kind: str, by: str, index: int) -> None:
    if by == "button":
        driver.press(kind)
    else:
        phrases = WORDS[locale][kind]
        driver.type(phrases[index % len(phrases)])


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("by", ["button", "text"])
def test_every_leaf_gives_its_two_part_verdict(
    path: Path, locale: Locale, by: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    for index, kind in enumerate(path.answers):
        answer(driver, locale, kind, by, index)

    verdict = driver.verdict()
    assert (verdict.receiving, verdict.sending) == (path.receiving, path.sending)
    assert Signal.VERDICT_REACHED in driver.last.signals
    assert driver.state.locale == locale
    if path.receiving is Receiving.NOT_NEEDED:
        assert driver.state.stage is Stage.WEBMAIL_ONLY
    else:
        # Everyone who uses a mail program goes on to the settings.
        assert driver.state.stage is Stage.ASK_ADDRESS
        assert profile.incoming.new_host in verdict.text


@pytest.mark.parametrize("path", [p for p in PATHS if p.receiving is Receiving.REQUIRED])
@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("by", ["button", "text"])
def test_every_leaf_reaches_settings_filled_with_the_address(
    path: Path, locale: Locale, by: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    for index, kind in enumerate(path.answers):
        answer(driver, locale, kind, by, index)
    if by == "button":
        driver.type("taro@vp.117.ne.jp")
        driver.press("program:thunderbird")
    else:
        driver.type(
            "私のアドレスは taro@vp.117.ne.jp です" if locale == "ja" else "it's taro@vp.117.ne.jp"
        )
        driver.type("サンダーバードです" if locale == "ja" else "thunderbird")
    if path.sending is not Sending.NOT_NEEDED:
        assert driver.state.stage is Stage.ASK_SMTP_HOST
        answer(driver, locale, "yes", by, 0)

    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    assert Signal.SETTINGS_DELIVERED in driver.last.signals
    card = driver.settings()
    assert card["username"] == "taro@vp.117.ne.jp"
    assert card["pop_server"] == "vpop.117.ne.jp"
    assert card["pop_port"] == "110"
    if path.sending is Sending.NOT_NEEDED:
        assert "vsmtp" not in card["smtp_server"]
        assert card["smtp_port"] != "587"
    else:
        assert card["smtp_server"] == "vsmtp.117.ne.jp"
        assert card["smtp_port"] == "587"
        assert card["smtp_auth"] not in ("", catalogs(locale, "settings.unchanged"))


def test_outgoing_server_name_changes_only_for_old_host_members(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    for reply, expected_new_host in (("yes", True), ("no", False)):
        driver = Driver(profile, catalogs)
        driver.start()
        for kind in ("yes", "yes", "yes", "yes"):
            driver.press(kind)
        driver.press("skip")
        driver.press("program:becky")
        driver.press(reply)
        card = driver.settings()
        assert (card["smtp_server"] == "vsmtp.117.ne.jp") is expected_new_host
        assert card["smtp_port"] == "587"
        # Without an address the card says so instead of inventing one.
        # In words, never the notice's 「********@…」 (read as a hidden password).
        assert card["username"] == "@vp.117.ne.jpで終わるお使いのメールアドレス"


def test_typing_the_old_host_name_answers_the_outgoing_server_question(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    for kind in ("yes", "yes", "yes", "yes"):
        driver.press(kind)
    driver.press("skip")
    driver.press("program:thunderbird")
    driver.type("今は vs.117.ne.jp になっています")
    assert driver.settings()["smtp_server"] == "vsmtp.117.ne.jp"


def test_webmail_said_in_words_at_the_first_question_means_no_change(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type("Webメールしか使っていません")
    verdict = driver.verdict()
    assert (verdict.receiving, verdict.sending) == (Receiving.NOT_NEEDED, Sending.NOT_NEEDED)


def test_unsure_at_the_last_question_explains_the_new_settings_work_either_way(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    for kind in ("yes", "yes", "yes", "unsure"):
        driver.press(kind)
    texts = " ".join(getattr(r, "text", "") for r in driver.last.replies)
    assert "587" in texts


FLAT_NO: dict[Locale, str] = {
    "ja": "従来の設定では送信できません",
    "en": "The old settings cannot send mail",
}


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("today", [dt.date(2008, 6, 1), dt.date(2008, 6, 20)])
def test_unsure_about_port_25_is_not_told_the_old_settings_cannot_send(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, today: dt.date
) -> None:
    """Nobody knows yet whether port 25 is blocked: the verdict says what the new settings do.

    "Yes, it is blocked" is told the old settings cannot send; "I don't know" used to be told
    the same, flatly, right after the note that the new settings work either way.
    """
    texts: dict[str, str] = {}
    for kind in ("yes", "unsure"):
        driver = Driver(profile, catalogs, today=today)
        driver.start(locale)
        for answer in ("yes", "yes", "yes", kind):
            driver.press(answer)
        verdict = driver.verdict()
        assert (verdict.receiving, verdict.sending) == (Receiving.REQUIRED, Sending.REQUIRED)
        texts[kind] = " ".join(getattr(r, "text", "") for r in driver.last.replies)
    assert FLAT_NO[locale] in texts["yes"]
    assert FLAT_NO[locale] not in texts["unsure"]
    assert "25" in texts["unsure"]


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_unsure_about_port_25_after_the_old_server_closed_is_told_it_closed(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    """Once the old sending server is gone, port 25 no longer matters: nothing sends the old way.

    The unsure leaf's words ("where port 25 is blocked, the old settings cannot send") still
    hedged, as if the old settings sent from elsewhere.
    """
    driver = Driver(profile, catalogs, today=dt.date(2008, 7, 1))
    driver.start(locale)
    for answer in ("yes", "yes", "yes", "unsure"):
        driver.press(answer)
    said = " ".join(getattr(r, "text", "") for r in driver.last.replies)
    hedge = {"ja": "制限されている接続先からは", "en": "Where port 25 is blocked"}[locale]
    gone = {"ja": "今の設定のままでは送信できません", "en": "Your current settings cannot send"}
    assert hedge not in said
    assert gone[locale] in said


def test_back_returns_to_the_previous_question_and_forgets_its_answer(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("yes")
    driver.press("yes")
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP
    driver.type("戻る")
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert "q2_other_network" not in driver.state.answers
    driver.press("back")
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    driver.press("back")  # nothing before the first question: say so, stay
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    assert driver.offered()[:3] == ["yes", "no", "unsure"]


def test_back_from_the_address_question_reopens_the_last_answer(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    for kind in ("yes", "yes", "yes", "yes"):
        driver.press(kind)
    assert driver.state.stage is Stage.ASK_ADDRESS
    driver.press("back")
    assert driver.state.stage is Stage.Q4_OP25B
    assert driver.state.sending is None
    driver.press("no")
    assert driver.verdict().sending is Sending.RECOMMENDED


@pytest.mark.parametrize("words", ["最初から", "最初からやり直したい", "restart", "start over"])
def test_restart_from_anywhere(words: str, profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    for kind in ("yes", "yes", "no"):
        driver.press(kind)
    driver.type(words)
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    assert not driver.state.answers
    assert driver.state.sending is None


@pytest.mark.parametrize(
    "words", ["人と話したい", "担当者をお願いします", "human", "talk to a person"]
)
def test_asking_for_a_person_tells_how_and_keeps_the_question(
    words: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("yes")
    driver.type(words)
    # No desk is configured here: the bot says how to reach one and offers to take a
    # message, keeping the question for later rather than asking it again at once.
    assert Signal.CONTACT_GIVEN in driver.last.signals
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert driver.offered() == ["desk_message", "resume"]
    driver.press("resume")
    assert driver.offered()[:3] == ["yes", "no", "unsure"]
    text = " ".join(getattr(r, "text", "") for r in driver.results[-2].replies)
    assert profile.support.contact_ja in text or profile.support.contact_en in text


def test_language_can_be_switched_mid_conversation(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("yes")
    driver.type("English")
    assert driver.state.locale == "en"
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    question = driver.last.replies[-1]
    assert catalogs("en", "q2.question", provider="117net") in getattr(question, "text", "")
    driver.press("lang:ja")
    assert driver.state.locale == "ja"


def test_settings_can_be_asked_for_without_the_questions(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("settings")
    driver.press("skip")
    driver.press("program:ios_mail")
    driver.press("yes")
    card = driver.settings()
    assert card["smtp_server"] == "vsmtp.117.ne.jp"
    assert card["pop_server"] == "vpop.117.ne.jp"


def test_ambiguous_outlook_is_asked_which_one(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("settings")
    driver.press("skip")
    driver.type("outlook")
    assert driver.state.stage is Stage.ASK_OUTLOOK_KIND
    driver.type("クラシック")
    assert driver.state.program == "outlook_classic"
    assert driver.state.stage is Stage.ASK_SMTP_HOST


def test_another_program_after_the_settings(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("settings")
    driver.type("taro@vp.117.ne.jp")
    driver.press("program:thunderbird")
    driver.press("yes")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    driver.type("アイフォン")
    assert driver.state.program == "ios_mail"
    assert Signal.SETTINGS_DELIVERED in driver.last.signals
    assert driver.settings()["username"] == "taro@vp.117.ne.jp"
