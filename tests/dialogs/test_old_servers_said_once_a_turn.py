"""The old servers' days are said once in a turn that answers a problem and gives the verdict.

Where the problem's answer settles the last question (a profile of one question: Yamabiko,
Kaigan Hikari, Hikari Mail), 「受信できません」 was answered with the old servers' line and the
verdict after it, in the same turn, said the line again word for word:
「従来のサーバーは2027年4月30日(金)で利用できなくなりました。新しいサーバーに届いたメール
は、設定を変更すると受信できます。」 twice (on the last day 「…本日中に受信してください。」
twice; English likewise).
"""

from __future__ import annotations

import collections
import datetime as dt
import re
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Locale, VerdictReply, reply_as_plain_text
from tests.dialogs.driver import Driver

EXAMPLES: Final = Path(__file__).resolve().parents[2] / "examples"
TYPED: Final = {
    "ja": ("受信できません", "新しい設定にしたら受信できません", "0x800CCC0F"),
    "en": ("I can't receive mail", "I changed to the new settings and can't receive"),
}


def _sentences(text: str) -> list[str]:
    return [
        sentence.strip()
        for sentence in re.split(r"(?<=。)|(?<=[.!?])\s+|\n", text)
        if len(sentence.strip()) > 12
    ]


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    "name", ["domain-change.toml", "password-reset.toml", "pop-moves-smtp-unchanged.toml"]
)
def test_a_problem_that_brings_the_verdict_says_the_old_servers_days_once(
    catalogs: Catalogs, name: str, locale: Locale
) -> None:
    profile = load_profile(EXAMPLES / name)
    texts = catalogs.with_variants(profile.text_variants)
    gone = profile.schedule.old_pop_until
    assert gone is not None
    for day in (profile.schedule.window_start, gone, gone + dt.timedelta(days=1)):
        for typed in TYPED[locale]:
            driver = Driver(profile, texts, today=day)
            driver.start(locale)
            driver.type(typed)
            replies = driver.last.replies
            # The verdict comes in this very turn: the case at hand.
            assert any(isinstance(reply, VerdictReply) for reply in replies), (day, typed)
            said = collections.Counter(
                s for reply in replies for s in _sentences(reply_as_plain_text(reply))
            )
            twice = [sentence for sentence, times in said.items() if times > 1]
            assert not twice, (day, typed, twice)
            # The day is still said, once.
            dated = {"ja": "2027年", "en": " 2027"}[locale]
            assert any(dated in sentence for sentence in said), (day, typed)


def _key_days(profile: MigrationProfile) -> list[dt.date]:
    """The eve and first and last days of the window, each old server's last day and the
    day after it, and a year on."""
    schedule = profile.schedule
    one = dt.timedelta(days=1)
    days = [schedule.window_start - one, schedule.window_start, schedule.window_end]
    for last in (schedule.old_pop_until, schedule.old_smtp_until):
        if last is not None:
            days += [last, last + one]
    return [*days, max(days) + dt.timedelta(days=365)]


SCANNED: Final = {
    "ja": ("0x800CCC0F", "530エラーが出ます", "送信できません", "受信できません"),
    "en": ("0x800CCC0F", "I get error 530", "I can't send mail", "I can't receive mail"),
}


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    "name",
    [
        # The outgoing name kept: 「送信サーバー名（…）は変わりません。」 in 0x800CCC0F's and
        # 530's answers and again in the old servers' line after them, or under the verdict
        # the same turn gave (dates4).
        "pop-moves-smtp-name-kept.toml",
        # Only receiving moves: 「それでも送信できない場合は…」 in the sending problem's
        # answer and again in the verdict the same turn gave (dates4).
        "pop-moves-smtp-unchanged.toml",
        "117net.toml",
    ],
)
def test_no_sentence_is_said_twice_in_a_turn_on_any_key_day(
    catalogs: Catalogs, name: str, locale: Locale
) -> None:
    profile = load_profile(EXAMPLES / name)
    texts = catalogs.with_variants(profile.text_variants)
    for day in _key_days(profile):
        for typed in SCANNED[locale]:
            driver = Driver(profile, texts, today=day)
            driver.start(locale)
            driver.type(typed)
            said = collections.Counter(
                s for reply in driver.last.replies for s in _sentences(reply_as_plain_text(reply))
            )
            twice = [sentence for sentence, times in said.items() if times > 1]
            assert not twice, (day, typed, twice)
