"""The first phase of two says that receiving changes in the next one ([schedule] next_phase_from).

A migration in phases is served one profile per phase. The first phase's (sending now,
receiving later: tests/dialogs/mozu_sending_first.toml) could say the later phase only in
its leaves' own words, and the bot's own sentences denied it: beside a leaf's 「受信サーバー
の変更（第2段階）は、2027年6月1日(火)からです」 the verdict said 「受信の設定：変更の必要は
ありません。今までどおりお使いください。」, 「どのサーバー？」 「変わるのは送信の設定だけです。
受信（POP3）の設定（…）は今までどおりです。」, and the schedule, "why?", the steps and a
receiving problem 「受信の設定は変わりません」 (English likewise). With the next phase's first
day in the profile each of them says receiving changes from that day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.knowledge import Topic
from dialogs.profile import MigrationProfile, ProfileError
from dialogs.vocabulary import Locale, reply_as_plain_text
from tests.dialogs.driver import Driver

FIRST: Final = Path(__file__).resolve().parent / "mozu_sending_first.toml"
NEXT_PHASE: Final = {"ja": "2027年6月1日(火)から始まる次の段階", "en": "from Tuesday 1 June 2027"}
# What the sending-only texts say of receiving, true of a migration with no later phase.
DENIED: Final = {
    "ja": (
        "受信の設定は変わりません",
        "）は今までどおりです",
        "受信の設定：変更の必要はありません",
    ),
    "en": ("receiving settings do not change", "stays as it is", "no change needed. Keep"),
}
DAYS: Final = (dt.date(2027, 3, 31), dt.date(2027, 4, 10), dt.date(2027, 5, 10))


def first_phase(tmp_path: Path, *, day: str = "2027-06-01", text: str | None = None) -> Path:
    """The Mozu first phase with the next phase's day, its leaf without words of its own."""
    written = (text or FIRST.read_text("utf-8")).replace(
        "old_smtp_until = 2027-04-30\n", f"old_smtp_until = 2027-04-30\nnext_phase_from = {day}\n"
    )
    path = tmp_path / "mozu_first.toml"
    path.write_text(written, "utf-8")
    return path


def everything(driver: Driver) -> str:
    return "\n".join(reply_as_plain_text(reply) for reply in driver.all_replies())


def walked(profile: MigrationProfile, catalogs: Catalogs, locale: Locale, day: dt.date) -> str:
    """The verdict, the card and guide, and what is asked of receiving after them."""
    driver = Driver(profile, catalogs.with_variants(profile.text_variants), today=day)
    driver.start(locale)
    driver.press("yes")
    driver.press("yes")
    driver.type("taro@mozu.example.ne.jp")
    driver.press("program:thunderbird")
    for topic in (Topic.SERVERS, Topic.WHY, Topic.SCHEDULE, Topic.STEPS, Topic.OLD_MAIL):
        driver.press(f"topic:{topic.value}")
    said = everything(driver)
    # A receiving problem, typed first thing: not the migration's doing in this phase.
    other = Driver(profile, catalogs.with_variants(profile.text_variants), today=day)
    other.start(locale)
    other.type({"ja": "メールが受信できません", "en": "I can't receive mail"}[locale])
    # Gmail in a browser and another company's webmail, named at the program question.
    for named in {
        "ja": ("Gmailで受信している", "ヤフーメールです"),
        "en": ("I check it in gmail.com", "Yahoo mail"),
    }[locale]:
        web = Driver(profile, catalogs.with_variants(profile.text_variants), today=day)
        web.start(locale)
        web.press("yes")
        web.press("yes")
        web.type("taro@mozu.example.ne.jp")
        web.type(named)
        said += "\n" + web.said()
    return said + "\n" + everything(other)


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_first_phase_says_receiving_changes_in_the_next(
    tmp_path: Path, catalogs: Catalogs, locale: Locale, day: dt.date
) -> None:
    profile = load_profile(first_phase(tmp_path))
    said = walked(profile, catalogs, locale, day)
    assert not [words for words in DENIED[locale] if words in said]
    # The verdict, 「どのサーバー？」, "why?", the schedule, the steps, the old mail, the problem
    # and the two webmails.
    assert said.count(NEXT_PHASE[locale]) >= 9
    # The check page's lead, as bot.mailcheck.check_page says it (no values).
    lead = catalogs.with_variants(profile.text_variants)(locale, "check_page.lead")
    assert {"ja": "この段階では変わりません", "en": "do not change in this phase"}[locale] in lead


def test_without_the_day_the_first_phase_says_what_it_said(
    catalogs: Catalogs,
) -> None:
    # The fixture itself (no next_phase_from): the sending-only words, as before.
    said = walked(load_profile(FIRST), catalogs, "ja", DAYS[1])
    assert "受信の設定：変更の必要はありません" in said
    assert NEXT_PHASE["ja"] not in said


def test_a_next_phase_that_cannot_be_is_refused(tmp_path: Path) -> None:
    # Before this phase's window: the next phase begins after this one.
    with pytest.raises(ProfileError, match=r"2027-03-01 is not after schedule\.window_start"):
        load_profile(first_phase(tmp_path, day="2027-03-01"))
    # A profile that changes both sides now (the seed's) would say one of them changes later.
    # (One that changes receiving alone is the other order's first phase: test_sending_later.)
    example = FIRST.parents[2] / "examples" / "117net.toml"
    text = example.read_text("utf-8")
    assert "old_smtp_until = 2008-06-20\n" in text
    path = tmp_path / "both.toml"
    path.write_text(
        text.replace(
            "old_smtp_until = 2008-06-20\n",
            "old_smtp_until = 2008-06-20\nnext_phase_from = 2008-07-01\n",
        ),
        "utf-8",
    )
    with pytest.raises(ProfileError, match=r"\[schedule.next_phase_from\] is for the first phase"):
        load_profile(path)
