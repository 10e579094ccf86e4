"""「設定の手順は？」 where the guide adds a new account, once nothing is left to collect.

Found walking examples/imap-local-part-new-year.toml after its old IMAP server was gone: the
guide says to add an account beside the current one and not to delete the current one (the
program's earlier mail goes with it), while "the steps" said 「1. メールソフトの設定を変更しま
す（STEP 1）。2. 変更が終わったら、もう一度受信します」 / "Change your mail program's settings":
the current account edited, which the guide warns against. The same held for a POP3 → IMAP
move whose mailboxes are copied (examples/pop-to-imap.toml with old_mail_copied = true).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile, parse_profile
from dialogs.vocabulary import Locale, reply_as_plain_text
from tests.dialogs.driver import Driver
from tests.dialogs.walker import worded

EXAMPLES: Final = Path(__file__).resolve().parents[2] / "examples"
NEW_ACCOUNT: Final = {
    "ja": "1. メールソフトに新しいアカウントを追加します（STEP 1）。"
    "今のアカウントは削除しないでください。",
    "en": "1. Add a new account in your mail program (STEP 1). Do not delete your current one.",
}
EDIT: Final = {
    "ja": "メールソフトの設定を変更します（STEP 1）",
    "en": "Change your mail program's settings",
}


def pop_to_imap_copied() -> MigrationProfile:
    text = (EXAMPLES / "pop-to-imap.toml").read_text("utf-8")
    assert "old_mail_copied = false" in text
    changed = text.replace("old_mail_copied = false", "old_mail_copied = true", 1)
    return parse_profile(tomllib.loads(changed), "pop-to-imap-copied.toml")


def steps(profile: MigrationProfile, catalogs: Catalogs, locale: Locale, day: str) -> str:
    driver = Driver(profile, worded(catalogs, profile), today=dt.date.fromisoformat(day))
    driver.start(locale)
    driver.press("topic:steps")
    return "\n".join(reply_as_plain_text(reply) for reply in driver.all_replies())


CASES: Final = [
    # The old IMAP server gone (old_pop_until 2028-01-31); a POP3 → IMAP move, copied.
    pytest.param(
        lambda: load_profile(EXAMPLES / "imap-local-part-new-year.toml"), "2028-02-05", id="imap"
    ),
    pytest.param(pop_to_imap_copied, "2027-06-10", id="pop-to-imap-copied"),
]


@pytest.mark.parametrize(("make", "day"), CASES)
@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_steps_add_an_account_as_the_guide_does(
    catalogs: Catalogs, locale: Locale, make: object, day: str
) -> None:
    assert callable(make)
    said = steps(make(), catalogs, locale, day)
    assert NEW_ACCOUNT[locale] in said, said
    assert EDIT[locale] not in said, said


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_an_account_edited_in_place_keeps_its_steps(catalogs: Catalogs, locale: Locale) -> None:
    # IMAP to IMAP with the mailboxes copied: the guide edits the current account.
    said = steps(load_profile(EXAMPLES / "new-domain-imap.toml"), catalogs, locale, "2027-10-10")
    assert EDIT[locale] in said, said
    assert NEW_ACCOUNT[locale] not in said, said
