"""A provider that copies the mailboxes to the new server (`[policy] old_mail_copied`).

The notice's migration moves nothing (「メールボックスの内容は移動されません」), so the bot
tells subscribers to receive once from the old server before changing. A provider that
copies every mailbox must not have its subscribers told that, nor told that their old mail
stays behind; and once an old server is gone, no step may send anyone to collect from it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile, ProfileError
from dialogs.questionnaire import Stage
from dialogs.vocabulary import FileReply, Locale
from tests.dialogs.driver import Driver

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "imap-move.toml"
# imap-move.toml: window 2026-06-01 … 06-30, old IMAP/POP server until 07-31.
IN_WINDOW = dt.date(2026, 6, 10)
OLD_SERVER_GONE = dt.date(2026, 8, 5)
COLLECT_FIRST = {"ja": "今の設定のまま一度受信", "en": "Receive once with your current settings"}
LEFT_BEHIND = {"ja": "移されません", "en": "are not moved"}


def imap_move(tmp_path: Path, *, copied: bool | str) -> MigrationProfile:
    text = EXAMPLE.read_text(encoding="utf-8")
    value = copied if isinstance(copied, str) else str(copied).lower()
    text = text.replace("[policy]\n", f"[policy]\nold_mail_copied = {value}\n")
    path = tmp_path / "imap-move.toml"
    path.write_text(text, encoding="utf-8")
    return load_profile(path)


def settings_for(
    profile: MigrationProfile, catalogs: Catalogs, today: dt.date, program: str, locale: Locale
) -> Driver:
    driver = Driver(profile, catalogs, today=today)
    driver.start(locale)
    driver.press("yes")
    driver.press("yes")
    driver.type("taro@minato-cable.example.jp")
    driver.press(f"program:{program}")
    if driver.state.stage is Stage.ASK_SMTP_HOST:
        driver.press("yes")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    return driver


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("today", [IN_WINDOW, OLD_SERVER_GONE], ids=str)
def test_copied_mail_is_said_to_be_on_the_new_server(
    tmp_path: Path, catalogs: Catalogs, locale: Locale, today: dt.date
) -> None:
    driver = Driver(imap_move(tmp_path, copied=True), catalogs, today=today)
    driver.start(locale)
    driver.press("topic:old_mail")
    answer = driver.said()
    assert catalogs(
        locale, "topic.old_mail.answer_copied", provider="Minato Cable",
        pop_server="imap.mail.minato-cable.example.jp",
    ) in answer  # fmt: skip
    assert LEFT_BEHIND[locale] not in answer
    driver.press("topic:steps")
    assert COLLECT_FIRST[locale] not in driver.said()


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_notices_migration_still_says_collect_first(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("topic:old_mail")
    assert LEFT_BEHIND[locale] in driver.said()
    driver.press("topic:steps")
    assert COLLECT_FIRST[locale] in driver.said()


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_new_account_guide_ends_on_the_copied_mail(
    tmp_path: Path, catalogs: Catalogs, locale: Locale
) -> None:
    driver = settings_for(imap_move(tmp_path, copied=True), catalogs, IN_WINDOW, "ios_mail", locale)
    said = "\n".join(repr(reply) for reply in driver.all_replies())
    assert catalogs.raw(locale, "guide.new_account.finish.copied") in said
    assert catalogs.raw(locale, "guide.new_account.finish") not in said
    opening = catalogs.raw(locale, "guide.new_account.open.nothing_left").split("{new_address}")[-1]
    assert opening in said
    assert catalogs.raw(locale, "guide.new_account.open").split("{new_address}")[-1] not in said
    assert COLLECT_FIRST[locale] not in said
    offer = next(r for r in driver.all_replies() if isinstance(r, FileReply))
    assert catalogs.raw(locale, "config.apple.receive_first") not in offer.text


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_no_step_collects_from_an_old_server_that_is_gone(
    tmp_path: Path, catalogs: Catalogs, locale: Locale
) -> None:
    profile = imap_move(tmp_path, copied=False)
    during = settings_for(profile, catalogs, IN_WINDOW, "thunderbird", locale)
    assert catalogs.raw(locale, "guide.new_account.finish") in repr(during.all_replies())
    after = settings_for(profile, catalogs, OLD_SERVER_GONE, "thunderbird", locale)
    said = repr(after.all_replies())
    assert catalogs.raw(locale, "guide.new_account.finish.nothing_left") in said
    assert catalogs.raw(locale, "guide.new_account.finish") not in said
    keep_until_received = catalogs.raw(locale, "guide.new_account.open").split("{new_address}")[-1]
    assert keep_until_received in repr(during.all_replies())
    assert keep_until_received not in said


def test_the_flag_must_be_true_or_false(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match=r"policy\.old_mail_copied.*true or false"):
        imap_move(tmp_path, copied='"yes"')
