"""Another provider's migration on its own dates (provider4): nothing of the seed's reading.

`examples/hosted-imap-app-password.toml` (Kogera Net: POP3 to hosted IMAP, an app password for
mail programs, POP before SMTP ending with the old outgoing server, its own port-25 block from
a day of its own) asks one question: whether a mail program is used. Every mail program's
sending moves, so its leaf says sending "required" — because the server moves, not because
port 25 is blocked where the subscriber is, which no question asked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs import frozen
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.state import DialogState
from dialogs.vocabulary import Locale, Receiving, Sending, TextReply, reply_as_plain_text
from tests.dialogs.driver import Driver

EXAMPLES: Final = Path(__file__).resolve().parents[2] / "examples"
KOGERA: Final = load_profile(EXAMPLES / "hosted-imap-app-password.toml")
KOGERA_ADDRESS: Final = "taro@kogera.example.jp"
# The day before Kogera's window: the old servers send and receive as they are.
KOGERA_BEFORE: Final = dt.date(2027, 2, 28)
SEED_BEFORE: Final = dt.date(2008, 5, 20)

ANSWERS_SHOWED_A_BLOCK: Final = {
    "ja": "先ほどの質問へのお答えのとおり",
    "en": "As your answers to the questions showed",
}
ANOTHER_CAUSE: Final = {
    "ja": "今回の移行とは別の原因が考えられます",
    "en": "the cause is probably not this migration",
}
KEEP_WORKING: Final = {
    "ja": "それまでは今の設定のままお使いいただけます。",
    "en": "Until then your current settings keep working.",
}
CANNOT_SEND: Final = {"ja": "メールが送れない", "en": "I can't send mail"}


def words_of(driver: Driver) -> str:
    return "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply))


def to_the_card(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    today: dt.date,
    answers: list[str],
    address: str,
) -> Driver:
    driver = Driver(profile, catalogs.with_variants(profile.text_variants), today=today)
    driver.start(locale)
    for answer in answers:
        driver.press(answer)
    driver.type(address)
    driver.press("program:other")
    if driver.state.stage.value == "ask_smtp_host":
        driver.press("yes")
    return driver


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_server_move_before_the_window_is_not_a_port_25_block_found_by_the_questions(
    catalogs: Catalogs, locale: Locale
) -> None:
    # Kogera's one leaf says sending "required" (the server moves). Before the window,
    # 「メールが送れない」 got 「先ほどの質問へのお答えのとおり、お使いの接続先からは今の設定では
    # 送信できないことがあり…」, a block no question had asked about, and the card's lead said
    # 「今の設定で送信できない場合は…」 instead of 「それまでは今の設定のままお使いいただけます」:
    # the old outgoing server sends as it is until 2027-03-31.
    driver = to_the_card(KOGERA, catalogs, locale, KOGERA_BEFORE, ["yes"], KOGERA_ADDRESS)
    assert KEEP_WORKING[locale] in words_of(driver)
    driver.type(CANNOT_SEND[locale])
    said = words_of(driver)
    assert ANSWERS_SHOWED_A_BLOCK[locale] not in said
    assert ANOTHER_CAUSE[locale] in said


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("answers", [["yes", "yes", "yes", "yes"], ["yes", "yes", "yes", "unsure"]])
def test_the_seeds_port_25_block_found_by_the_questions_is_still_said(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, answers: list[str]
) -> None:
    driver = to_the_card(profile, catalogs, locale, SEED_BEFORE, answers, "taro@vp.117.ne.jp")
    assert KEEP_WORKING[locale] not in words_of(driver)
    driver.type(CANNOT_SEND[locale])
    assert ANSWERS_SHOWED_A_BLOCK[locale] in words_of(driver)


# --- a migration in two phases, one profile per phase (Mozu Net) ---------------------------

HERE: Final = Path(__file__).resolve().parent
FIRST: Final = load_profile(HERE / "mozu_sending_first.toml")
SECOND: Final = load_profile(HERE / "mozu_receiving_second.toml")
MOZU_ADDRESS: Final = "taro@mozu.example.ne.jp"
IN_THE_FIRST: Final = dt.date(2027, 4, 20)
IN_THE_SECOND: Final = dt.date(2027, 6, 2)
RECEIVING_CHANGES: Final = {
    "ja": "受信の設定：変更が必要です。",
    "en": "Receiving: you must change",
}
CANT_RECEIVE: Final = {"ja": "メールが受信できません", "en": "I can't receive mail"}
SORRY: Final = {"ja": "お役に立てず", "en": "I am sorry I could not help"}


def served(
    profile: MigrationProfile, catalogs: Catalogs, today: dt.date, state: DialogState
) -> Driver:
    # Through the store's JSON, as the runtime reads it back.
    stored = DialogState.from_json(state.to_json())
    return Driver(profile, catalogs.with_variants(profile.text_variants), today=today, state=stored)


def everything(driver: Driver) -> str:
    return "\n".join(reply_as_plain_text(reply) for reply in driver.last.replies)


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_next_phases_profile_gives_its_verdict_to_a_conversation_of_the_first(
    catalogs: Catalogs, locale: Locale
) -> None:
    # Told in April under the first phase's profile that receiving did not change, the
    # subscriber came back in June under the second's: its answers lead to 「受信の設定：変更が
    # 必要です」, but the stored verdict was the first's, so nothing of the receiving change was
    # said and 「受信できません」 was 'still broken after the settings' (a person).
    first = Driver(FIRST, catalogs.with_variants(FIRST.text_variants), today=IN_THE_FIRST)
    first.start(locale)
    first.press("yes")
    first.press("yes")
    first.type(MOZU_ADDRESS)
    first.press("program:thunderbird")
    assert first.state.receiving is Receiving.NOT_NEEDED

    back = served(SECOND, catalogs, IN_THE_SECOND, first.state)
    back.type(CANT_RECEIVE[locale])
    said = everything(back)
    assert RECEIVING_CHANGES[locale] in said
    assert "pop.mozu.example.ne.jp" in back.settings()["pop_server"] + said
    assert SORRY[locale] not in said
    assert back.state.receiving is Receiving.REQUIRED
    assert back.state.sending is Sending.NOT_NEEDED
    # Said once: the next message is answered under the verdict now stored.
    back.type(CANT_RECEIVE[locale])
    assert RECEIVING_CHANGES[locale] not in everything(back)


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_first_phase_verdict_without_a_card_goes_on_to_the_second_phases_settings(
    catalogs: Catalogs, locale: Locale
) -> None:
    # Another company's outgoing server in April: nothing to change then. In June the answers
    # lead to the receiving change, and the conversation goes on to it (the address), not
    # back to the first question it had answered.
    first = Driver(FIRST, catalogs.with_variants(FIRST.text_variants), today=IN_THE_FIRST)
    first.start(locale)
    first.press("yes")
    first.press("no")
    back = served(SECOND, catalogs, IN_THE_SECOND, first.state)
    back.type({"ja": "こんにちは", "en": "hello"}[locale])
    assert RECEIVING_CHANGES[locale] in everything(back)
    assert back.state.stage is Stage.ASK_ADDRESS


def test_the_same_profile_keeps_a_verdict_its_answers_alone_would_not_give(
    catalogs: Catalogs,
) -> None:
    # Another provider's outgoing server named at the server question: sending is "not
    # needed" whatever the leaf said; the next turn, under the same profile, keeps it.
    driver = Driver(FIRST, catalogs.with_variants(FIRST.text_variants), today=IN_THE_FIRST)
    driver.start("ja")
    driver.press("yes")
    driver.press("yes")
    stored = frozen.replace(driver.state, sending=Sending.NOT_NEEDED)
    back = served(FIRST, catalogs, IN_THE_FIRST, stored)
    back.type("こんにちは")
    assert back.state.sending is Sending.NOT_NEEDED
    # A state stored before the profile was kept with it is left as it was, too.
    old = frozen.replace(stored, profile_key="")
    back = served(SECOND, catalogs, IN_THE_SECOND, old)
    back.type("こんにちは")
    assert back.state.sending is Sending.NOT_NEEDED


@pytest.mark.parametrize(
    ("profile", "today", "words"),
    [
        (
            FIRST,
            dt.date(2027, 3, 30),
            "設定変更の期間は2027年4月1日(木)〜2027年4月30日(金)です。期間が始まりましたら",
        ),
        (
            FIRST,
            dt.date(2027, 3, 31),
            "設定変更の期間は2027年4月1日(木)〜2027年4月30日(金)です。期間は明日から始まります",
        ),
        (FIRST, dt.date(2027, 4, 30), "本日が期間の最終日ですので"),
        (
            FIRST,
            dt.date(2027, 5, 1),
            "従来の送信サーバー（mail.mozu.example.ne.jp）は2027年4月30日(金)で使えなくなりました。",
        ),
        (SECOND, dt.date(2027, 5, 30), "期間が始まりましたら"),
        (SECOND, dt.date(2027, 5, 31), "期間は明日から始まります"),
        (SECOND, dt.date(2027, 7, 31), "本日（2027年7月31日(土)）までお使いいただけます"),
        (SECOND, dt.date(2027, 8, 1), "2027年7月31日(土)で"),
    ],
)
def test_each_phases_schedule_on_its_own_days(
    catalogs: Catalogs, profile: MigrationProfile, today: dt.date, words: str
) -> None:
    driver = Driver(profile, catalogs.with_variants(profile.text_variants), today=today)
    driver.start("ja")
    driver.press("topic:schedule")
    assert words in driver.said()


def on_replica(
    profile: MigrationProfile, since: int, catalogs: Catalogs, state: DialogState
) -> Driver:
    """`served` by a replica that took up `profile` at `since` (`StepContext.profile_since`)."""
    driver = served(profile, catalogs, IN_THE_SECOND, state)
    driver.context = dataclasses.replace(driver.context, profile_since=since)
    return driver


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_rolling_deploy_tells_the_new_advice_once(catalogs: Catalogs, locale: Locale) -> None:
    # Replicas of the first phase (started at 1) and the second (started at 2) answer side by
    # side while the second rolls out, each turn on either. The conversation heard 「移行の
    # ご案内の内容が変わりました」 at every switch, and its verdict went back and forth: now
    # the newer profile's verdict, said once, and a replica of the profile it left answers
    # under it without a word of change.
    moved = catalogs(locale, "resume.verdict_moved")
    old = on_replica(FIRST, 1, catalogs, DialogState())
    old.start(locale)
    old.press("yes")
    old.press("yes")
    old.type(MOZU_ADDRESS)
    old.press("program:thunderbird")
    heard = []
    state = old.state
    for profile, since in ((SECOND, 2), (FIRST, 1), (SECOND, 2), (FIRST, 1)):
        driver = on_replica(profile, since, catalogs, state)
        driver.type({"ja": "ありがとうございます", "en": "thank you"}[locale])
        heard.append(moved in everything(driver))
        state = driver.state
        assert state.receiving is Receiving.REQUIRED
    assert heard == [True, False, False, False]
    # Begun on the new replica, the old one does not take the conversation back either.
    new = on_replica(SECOND, 2, catalogs, DialogState())
    new.start(locale)
    new.press("yes")
    new.press("yes")
    back = on_replica(FIRST, 1, catalogs, new.state)
    back.type({"ja": "こんにちは", "en": "hello"}[locale])
    assert moved not in everything(back)
    assert back.state.receiving is Receiving.REQUIRED
    # A profile put back later (a rollback: started after the one it replaces) is told.
    again = on_replica(FIRST, 3, catalogs, state)
    again.type({"ja": "こんにちは", "en": "hello"}[locale])
    assert moved in everything(again)
    assert again.state.receiving is Receiving.NOT_NEEDED
