"""words6: 「もう設定は変えました」 answered where it is said, and a program named first kept.

- 「もう設定は変えました」「設定変更しました」「変更済みです」 'I already changed the settings'
  were not understood at any stage (or praised as working before any card): before the verdict
  the answers decide whether the change was the right one; after the card the login check
  proves it (before the window, the change may be early); after a check that passed, nothing
  is left. 「設定変更したけど受信できません」 stays the problem it is.
- 「Thunderbirdを使っています」 'I only use Thunderbird at home' as the first message: the
  program (and the first question's yes in it) was dropped.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.resume import started_over
from dialogs.vocabulary import Locale, SystemEvent
from tests.dialogs.driver import Driver

SEED: Final = Path(__file__).parents[2] / "bot" / "ops" / "default_profile.toml"

CHANGED = [
    ("ja", "もう設定は変えました"),
    ("ja", "設定変更しました"),
    ("ja", "変更済みです"),
    ("en", "I already changed the settings"),
]

_BEFORE_CARD = {
    "ja": "その変更で合っているかどうかは、まだわかりません",
    "en": "I cannot tell yet whether your change was the right one",
}
_CHECK_OFFER = {"ja": "「ログインを確認する」で確かめられます", "en": 'press "Test my login"'}


def _after_the_card(driver: Driver, locale: Locale) -> None:
    driver.start(locale)
    for press in ("yes", "yes", "no", "settings", "skip", "program:thunderbird"):
        driver.press(press)
    assert driver.state.stage is Stage.SETTINGS_DELIVERED


@pytest.mark.parametrize(("locale", "typed"), CHANGED)
@pytest.mark.parametrize("stage", [Stage.Q1_MAIL_PROGRAM, Stage.Q2_OTHER_NETWORK])
def test_changed_before_the_verdict_asks_the_question_on_screen(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str, stage: Stage
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    while driver.state.stage is not stage:
        driver.press("yes")
    driver.type(typed)
    said = driver.said()
    assert _BEFORE_CARD[locale] in said
    assert "何よりです" not in said
    assert "did not catch" not in said
    assert driver.state.stage is stage
    assert driver.offered()[:3] == ["yes", "no", "unsure"]


@pytest.mark.parametrize(("locale", "typed"), CHANGED)
def test_changed_after_the_card_offers_the_login_check(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    driver = Driver(profile, catalogs)
    _after_the_card(driver, locale)
    driver.type(typed)
    assert _CHECK_OFFER[locale] in driver.said()
    assert "check" in driver.offered()
    # Not taken for 「解決しました」: a change made proves nothing yet.
    assert "解決してよかった" not in driver.said()


@pytest.mark.parametrize(("locale", "typed"), CHANGED)
def test_changed_before_the_window_says_the_change_is_early(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    driver = Driver(profile, catalogs, today=dt.date(2008, 5, 10))
    _after_the_card(driver, locale)
    driver.type(typed)
    said = driver.said()
    assert ("元の設定に戻してください" if locale == "ja" else "put your settings back") in said
    assert _CHECK_OFFER[locale] not in said


@pytest.mark.parametrize(("locale", "typed"), CHANGED)
def test_changed_after_a_check_that_passed_leaves_nothing_to_do(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    driver = Driver(profile, catalogs)
    _after_the_card(driver, locale)
    driver._run(
        event=SystemEvent("check_result", (("pop", "ok"), ("smtp", "ok"), ("pop_count", "0")))
    )
    assert driver.state.check_passed
    driver.type(typed)
    said = driver.said()
    assert ("これ以上の作業はありません" if locale == "ja" else "nothing more to do") in said
    # The check logged in with the new settings; the program's own are proved by using it.
    assert ("送信と受信ができるか" if locale == "ja" else "sending and receiving") in said
    assert _CHECK_OFFER[locale] not in said


@pytest.mark.parametrize(
    ("locale", "typed", "kept"),
    [
        ("ja", "設定変更したけど受信できません", "受信"),
        ("en", "I changed the settings but I can't receive mail", "receiv"),
    ],
)
def test_changed_but_it_does_not_work_stays_the_problem(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str, kept: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.type(typed)
    said = driver.said()
    assert _BEFORE_CARD[locale] not in said
    assert kept in said


@pytest.mark.parametrize(
    ("locale", "first"),
    [("ja", "Thunderbirdを使っています"), ("en", "I only use Thunderbird at home")],
)
def test_a_program_named_in_the_first_message_is_kept(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, first: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.first_message(first, locale)
    assert driver.state.program == "thunderbird"
    assert driver.state.answers.get("q1_mail_program") == "yes"
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK


@pytest.mark.parametrize(("locale", "typed"), CHANGED)
def test_changed_as_the_first_message_is_answered_after_the_greeting(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.first_message(typed, locale)
    assert _BEFORE_CARD[locale] in driver.said()
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    assert driver.state.answers == {}


def test_a_program_named_alone_first_is_kept_and_answers_nothing(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # 「Outlookです」 answers no question yet (test_typed_conversations), but is their program.
    driver = Driver(profile, catalogs)
    driver.first_message("Thunderbirdです", "ja")
    assert driver.state.program == "thunderbird"
    assert driver.state.answers == {}
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM


def _passed_after_the_card(driver: Driver, locale: Locale) -> None:
    _after_the_card(driver, locale)
    driver._run(
        event=SystemEvent("check_result", (("pop", "ok"), ("smtp", "ok"), ("pop_count", "0")))
    )
    assert driver.state.check_passed


@pytest.mark.parametrize(("locale", "typed"), CHANGED[::3])
def test_a_check_passed_under_a_card_now_corrected_leaves_the_new_server_to_check(
    catalogs: Catalogs, tmp_path: Path, locale: Locale, typed: str
) -> None:
    # The card that was checked named vpop.117.ne.jp; a corrected profile names another
    # (operator10's new card). The same reply gave the new card and 「これ以上の作業は
    # ありません」, as if the server just named had been checked.
    seed = SEED.read_text(encoding="utf-8")
    path = tmp_path / "corrected.toml"
    path.write_text(seed.replace('new_host = "vpop.117.ne.jp"', 'new_host = "pop.117.ne.jp"'))
    driver = Driver(load_profile(SEED), catalogs)
    _passed_after_the_card(driver, locale)
    corrected = Driver(load_profile(path), catalogs, state=driver.state)
    corrected.type(typed)
    said = corrected.said()
    assert "pop.117.ne.jp" in said.replace("vpop.117.ne.jp", "")
    assert ("これ以上の作業はありません" if locale == "ja" else "nothing more to do") not in said
    assert _CHECK_OFFER[locale] in said
    assert not corrected.state.check_passed


def test_a_check_passed_is_forgotten_with_the_answers(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    _passed_after_the_card(driver, "ja")
    driver.type("最初から")
    assert not driver.state.check_passed
    assert not started_over(dataclasses.replace(driver.state, check_passed=True)).check_passed


@pytest.mark.parametrize(
    ("locale", "first", "kept"),
    [
        ("ja", "Outlookは使えますか", "outlook_ambiguous"),
        ("ja", "Outlookを使いたいです", "outlook_ambiguous"),
        ("ja", "Thunderbirdを使っていますか？", "thunderbird"),
        ("en", "Can I use Thunderbird?", "thunderbird"),
        ("ja", "以前はOutlookを使っていました", None),
        ("ja", "Outlookをやめて、Webメールを使っています", None),
        ("ja", "Outlookを使っていたけど今は使っていません", None),
        ("ja", "Outlookは使ってません", None),
        ("en", "I stopped using Outlook", None),
        ("en", "Outlook? I don't use it", None),
    ],
)
def test_a_program_asked_about_or_no_longer_used_first_answers_nothing(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, first: str, kept: str | None
) -> None:
    # Any 使 or 'use' beside a program was the first question's yes: asked about before any
    # question, or given up, it went on to the second question as 「はい」.
    driver = Driver(profile, catalogs)
    driver.first_message(first, locale)
    assert driver.state.answers == {}
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    assert driver.state.program == kept


@pytest.mark.parametrize("stage", [Stage.Q1_MAIL_PROGRAM, Stage.Q2_OTHER_NETWORK])
def test_changed_but_still_not_working_is_not_told_to_change_soon(
    profile: MigrationProfile, catalogs: Catalogs, stage: Stage
) -> None:
    # 「まだ使え」 was the schedule's ('can I still use it?'): 「変更しましたが、まだ使えません」
    # got 「ただいま変更期間中ですので、お早めに変更をお願いします」, as if nothing was changed.
    driver = Driver(profile, catalogs)
    driver.start("ja")
    while driver.state.stage is not stage:
        driver.press("yes")
    driver.type("変更しましたが、まだ使えません")
    assert "お早めに変更" not in driver.said()
    driver.type("今のままでまだ使えますか")
    assert "変更期間中" in driver.said()


@pytest.mark.parametrize(("locale", "typed"), CHANGED[::3])
def test_changed_while_the_checks_address_is_asked_names_no_button_gone(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    # 「ログインを確認する」 pressed, its address asked: 「下の「ログインを確認する」で確かめられ
    # ます」 named a button no longer on the screen (only 「スキップ」 is).
    driver = Driver(profile, catalogs)
    _after_the_card(driver, locale)
    driver.press("check")
    assert driver.state.stage is Stage.CHECK_ADDRESS
    driver.type(typed)
    assert _CHECK_OFFER[locale] not in driver.said()
    assert catalogs(locale, "changed.check_under_way") in driver.said()
    assert driver.state.stage is Stage.CHECK_ADDRESS
