"""A refused login from a subscriber who already made the account the whole address.

「ユーザー名をtaro@…にしたのにパスワードが違うと出ます」 was told to make the account the
whole address, what they had just done, as a form repeats its one answer. Now the bot says
that part is right and points at the password; the fix is still given to everyone else
(Outlook's error names the account in its task, which is no field typed).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import (
    ChoicesReply,
    LinkReply,
    Locale,
    Reply,
    SettingsReply,
    TextReply,
    VerdictReply,
)
from tests.dialogs.driver import Driver

TRIED = "problem.login_failed.address_tried"
FIX = "problem.login_failed"
BEFORE_WINDOW = dt.date(2008, 5, 1)


def after_the_card(profile: MigrationProfile, catalogs: Catalogs, locale: Locale = "ja") -> Driver:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("settings")
    driver.press("skip")
    driver.press("program:thunderbird")
    driver.press("yes")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    return driver


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ja", "ユーザー名をtaro@vp.117.ne.jpにしたのにパスワードが違うと出ます"),
        ("ja", "アカウントは taro@vp.117.ne.jp にしてますが、ログインできません"),
        ("ja", "ユーザー名を「taro@vp.117.ne.jp」に変えてもパスワードが正しくありませんと出ます"),
        ("en", "I set the user name to taro@vp.117.ne.jp but it still says wrong password"),
    ],
)
def test_the_whole_address_typed_as_the_account_is_said_to_be_right(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    driver = after_the_card(profile, catalogs, locale)
    driver.type(text)
    said = driver.said()
    assert catalogs(locale, TRIED, username="taro@vp.117.ne.jp") in said
    assert catalogs(locale, FIX, username="taro@vp.117.ne.jp") not in said
    # Still the way to a person, should the password be right too.
    assert catalogs(locale, "problem.after_settings") in said
    assert driver.state.stage is Stage.SETTINGS_DELIVERED


@pytest.mark.parametrize(
    "text",
    [
        # Outlook's error names the account in its task: no field typed, the fix stands.
        "タスク 'taro@vp.117.ne.jp - 受信中' でエラー (0x800CCC92) が発生しました: "
        "'受信 (POP3) サーバーのユーザー名またはパスワードが正しくありません。'",
        "パスワードが違うと出ます",
        # The address named, but nothing says it was the account typed.
        "taro@vp.117.ne.jp ですがパスワードが違うと出ます",
    ],
)
def test_otherwise_the_fix_is_given(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = after_the_card(profile, catalogs)
    driver.type(text)
    said = driver.said()
    assert "@より前だけでなくメールアドレス全体" in said  # the fix, whatever address is known
    assert "それで合っています" not in said


def test_before_the_window_the_old_account_is_still_the_one(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs, today=BEFORE_WINDOW)
    driver.start()
    driver.type("ユーザー名をtaro@vp.117.ne.jpにしたのにパスワードが違うと出ます")
    said = driver.said()
    assert catalogs("ja", TRIED, username="taro@vp.117.ne.jp") not in said
    assert "まだ" in said or "期間" in said


def test_where_the_account_is_the_part_before_the_at_the_whole_address_is_not_praised(
    catalogs: Catalogs,
) -> None:
    # Hikari Cable's login name is the part before @: typing the whole address is the mistake.
    hikari = load_profile(Path(__file__).parent / "hikari_cable.toml")
    driver = Driver(hikari, catalogs, today=hikari.schedule.window_start)
    driver.start()
    driver.type("ユーザー名をtaro@hikari-cable.example.jpにしたのにパスワードが違うと出ます")
    said = driver.said()
    assert "それで合っています" not in said
    assert "taro" in said


# A parenthesis opened and another opened before it closes: 「（…（…）…）」 or "(…(…)…)".
NESTED = re.compile(r"[（(][^）)]*[（(]")


def every_text(replies: Iterable[Reply]) -> list[str]:
    """What a subscriber reads in `replies`: texts, questions, verdicts, cards and links."""
    texts: list[str] = []
    for reply in replies:
        if isinstance(reply, SettingsReply):
            texts += [reply.title, *(f"{item.label}: {item.value}" for item in reply.items)]
        elif isinstance(reply, TextReply | ChoicesReply | VerdictReply | LinkReply):
            texts.append(reply.text)
    return texts


@pytest.mark.parametrize(
    ("locale", "text"),
    [("ja", "パスワードが違うと出ます"), ("en", "535 Authentication failed")],
)
def test_without_an_address_no_parenthesis_is_opened_inside_another(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    # The address in words went inside the fix's own 「（{username}）」 as 「メールアドレス全体
    # （お使いのメールアドレス（@vp.117.ne.jpで終わるもの））」, which an elderly reader loses
    # the thread of: the words now carry no parentheses of their own.
    driver = after_the_card(profile, catalogs, locale)
    driver.type(text)
    assert catalogs.raw(locale, FIX).split("{")[0] in driver.said()
    texts = every_text(driver.all_replies())
    assert {"ja": "@vp.117.ne.jpで終わる", "en": "ending in @vp.117.ne.jp"}[locale] in driver.said()
    assert [t for t in texts if NESTED.search(t)] == []


def test_the_other_programs_steps_without_an_address_do_not_join_words_to_the_at(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # 「受信と同じ（ユーザー名{smtp_username}）」 read, without an address,
    # 「（ユーザー名@vp.117.ne.jpで終わるお使いのメールアドレス）」: 「ユーザー名@vp.117.ne.jp」
    # looks like an address to type.
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("settings")
    driver.press("skip")
    driver.press("program:other")
    driver.press("yes")  # the sending server it asks about is the old one
    texts = every_text(driver.all_replies())
    assert any("受信と同じ（ユーザー名は@vp.117.ne.jpで終わる" in text for text in texts)
    assert [t for t in texts if "ユーザー名@" in t] == []


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_note_above_a_card_without_an_address_quotes_the_card_s_own_words(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # It said the card wrote 「お使いのメールアドレス」, which the card no longer does (0dbbae9).
    driver = after_the_card(profile, catalogs, locale)
    opening = catalogs.raw(locale, "settings.placeholder_note").split("{")[0]
    note = next(t for t in every_text(driver.all_replies()) if opening in t)
    quoted = re.search(r"「([^」]+)」|\"([^\"]+)\"", note)
    assert quoted is not None
    words = quoted.group(1) or quoted.group(2)
    assert "@vp.117.ne.jp" in words  # the card's words, not a part of them
    card = [r for r in driver.all_replies() if isinstance(r, SettingsReply)][-1]
    assert any(words in item.value for item in card.items)
