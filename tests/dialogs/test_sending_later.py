"""The first phase of two that moves receiving first says that sending changes in the next one.

A migration in phases is served one profile per phase; f108b80 let the first phase that
changes sending name the next phase's day ([schedule] next_phase_from). The other order,
receiving now and sending later (examples/pop-moves-smtp-unchanged.toml with the day), was
refused, and without the day its own sentences denied the later phase beside a leaf that
named it: the verdict 「送信の設定：変更の必要はありません。送信サーバー・ポート・認証の設定は、
今までどおりお使いください。」, 「どのサーバー？」 「…送信の設定は変わりません。」, "why?", a
sending problem 「…送信の設定は変わりません。そのため、送信できないのは今回の変更が原因では
ありません」 and the check page's lead (English likewise). With the day each says sending
changes from it (sending_later.po, the variant `sending_later`).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from bot.ops.profile_preview import preview
from bot.ops.startup_summary import where_today_falls
from dialogs.knowledge import Topic
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Locale, reply_as_plain_text
from tests.dialogs.driver import Driver
from tests.dialogs.test_later_phase import first_phase as sending_first

EXAMPLE: Final = Path(__file__).resolve().parents[2] / "examples" / "pop-moves-smtp-unchanged.toml"
NEXT_PHASE: Final = {"ja": "2028年4月1日(土)から始まる次の段階", "en": "from Saturday 1 April 2028"}
# What the receiving-only texts say of sending, true of a migration with no later phase.
DENIED: Final = {
    "ja": re.compile(
        r"(?<!この段階では)送信の設定(?:は|も)変わりません|送信の設定：変更の必要はありません"
        r"|今回の変更でも変わりません|）の設定は変わりません"
    ),
    "en": re.compile(
        r"(?i)sending settings do not change(?! in this phase)|Sending settings: no change needed\."
        r"|(?<!phase )does not touch your sending|settings do not change\.|change does not alter"
    ),
}
# Before the window, in it, after the old receiving server stopped.
DAYS: Final = (dt.date(2027, 8, 20), dt.date(2027, 9, 10), dt.date(2027, 11, 1))
TYPED: Final = {
    "ja": ("メールが送れない", "530 Authentication required", "0x800CCC0F", "証明書の警告が出ます"),
    "en": ("I can't send mail", "530 Authentication required", "0x800CCC0F", "certificate error"),
}
WEBMAIL: Final = {"ja": "Gmailで受信しています", "en": "I read it in Gmail on my computer"}


def first_phase(tmp_path: Path) -> MigrationProfile:
    """Yamabiko's receiving move as the first phase of two: sending changes from April 2028."""
    text = EXAMPLE.read_text("utf-8")
    assert "old_pop_until = 2027-10-31\n" in text
    path = tmp_path / "yamabiko_first.toml"
    path.write_text(
        text.replace(
            "old_pop_until = 2027-10-31\n",
            "old_pop_until = 2027-10-31\nnext_phase_from = 2028-04-01\n",
        ),
        "utf-8",
    )
    return load_profile(path)


def everything(driver: Driver) -> str:
    return "\n".join(reply_as_plain_text(reply) for reply in driver.all_replies())


def walked(profile: MigrationProfile, catalogs: Catalogs, locale: Locale, day: dt.date) -> str:
    """The verdict, card and guide, every topic that speaks of sending, problems, Gmail."""
    worded = catalogs.with_variants(profile.text_variants)
    driver = Driver(profile, worded, today=day)
    driver.start(locale)
    driver.press("yes")
    driver.type("taro@yamabiko.example.ne.jp")
    driver.press("program:thunderbird")
    for topic in (
        Topic.SERVERS,
        Topic.WHY,
        Topic.SCHEDULE,
        Topic.STEPS,
        Topic.DO_NOTHING,
        Topic.SMTP_AUTH,
        Topic.POP_BEFORE_SMTP,
    ):
        driver.press(f"topic:{topic.value}")
    for words in TYPED[locale]:
        driver.type(words)
    said = everything(driver)
    web = Driver(profile, worded, today=day)
    web.start(locale)
    web.press("yes")
    web.type("taro@yamabiko.example.ne.jp")
    web.type(WEBMAIL[locale])
    return said + "\n" + everything(web)


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_first_phase_says_sending_changes_in_the_next(
    tmp_path: Path, catalogs: Catalogs, locale: Locale, day: dt.date
) -> None:
    profile = first_phase(tmp_path)
    assert profile.text_variants == ("receiving_only", "sending_later")
    said = walked(profile, catalogs, locale, day)
    assert not DENIED[locale].findall(said), DENIED[locale].findall(said)
    # The verdict, 「どのサーバー？」, why, 何もしないと, SMTP AUTH and POP before SMTP at least
    # (the sending problems and Gmail's sending settings too, where they are answered so).
    assert said.count(NEXT_PHASE[locale]) >= 6
    lead = catalogs.with_variants(profile.text_variants)(locale, "check_page.lead.receiving_only")
    assert {"ja": "この段階では変わりません", "en": "do not change in this phase"}[locale] in lead


def test_without_the_day_receiving_alone_says_sending_stays(catalogs: Catalogs) -> None:
    profile = load_profile(EXAMPLE)
    said = walked(profile, catalogs, "ja", DAYS[1])
    assert "送信の設定：変更の必要はありません" in said
    assert "次の段階" not in said


def test_profile_check_names_the_next_phase(tmp_path: Path, catalogs: Catalogs) -> None:
    profile = first_phase(tmp_path)
    summary = "\n".join(preview(profile, catalogs, "ja", "first.toml")[:4])
    assert "sending unchanged in this phase (it changes in the next, from 2028-04-01" in summary


def test_the_start_up_summary_names_the_next_phase(tmp_path: Path) -> None:
    # It said "sending unchanged", as of a migration that never changes sending.
    profile = first_phase(tmp_path)
    today = where_today_falls(profile, DAYS[1])
    assert today.endswith("sending unchanged in this phase (it changes from 2028-04-01)")
    assert where_today_falls(load_profile(EXAMPLE), DAYS[1]).endswith("sending unchanged")
    # The other order says it of receiving.
    mozu = load_profile(sending_first(tmp_path))
    assert "receiving unchanged in this phase (it changes from 2027-06-01)" in where_today_falls(
        mozu, dt.date(2027, 4, 10)
    )
