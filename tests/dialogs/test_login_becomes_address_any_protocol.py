"""The login that becomes the whole address is said so, whatever the protocol.

The notice's warning 「@より前の部分だけでは認証できません」 (the account is the whole address now,
not the part before @) was kept to POP3 profiles, because other sentences of the notice say
「受信（POP）」. examples/pop-to-imap.toml moves to IMAP with the same login change: a refused
login, "what is my account name?" and the live check's refusal of the sending login said
only 「アカウント（ユーザー名）は…です」, without the one mistake this migration makes likely.
The check's refused receiving login names the profile's protocol (「受信（IMAP）」) and warns
too (「アカウント名は@より前だけではなく、メールアドレス全体（…）です」); it said only
「アカウント名は…です」 until profile10.
A profile whose login stays (the part before @ or the whole address) is not told about the
part before @.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Locale, SystemEvent, reply_as_plain_text
from tests.dialogs.driver import Driver

ROOT: Final = Path(__file__).resolve().parents[2]
POP_TO_IMAP: Final = load_profile(ROOT / "examples/pop-to-imap.toml")
# IMAP whose login stays the part before @ (examples/imap-move.toml).
LOGIN_STAYS: Final = load_profile(ROOT / "examples/imap-move.toml")
WARNING: Final = {
    "ja": (
        "@より前の部分だけでは認証できません",
        "@より前だけでなく",
        "送信の認証にも、メールアドレス全体",
    ),
    "en": (
        "The part before the @ on its own",
        "not only the part before the @",
        "Sending also uses your whole e-mail address",
    ),
}
# The check's receiving line, with the protocol and the address it was asked for.
RECEIVING_WARNING: Final = {
    "ja": "受信（IMAP）：アカウント名またはパスワードが違います。"
    "アカウント名は@より前だけではなく、メールアドレス全体（taro@tsubame.example.jp）です。",
    "en": "Receiving (IMAP): the account name or password is wrong. The account name is your whole"
    " e-mail address (taro@tsubame.example.jp), not just the part before the @.",
}
REFUSED: Final = {"ja": "535 Authentication failed", "en": "535 Authentication failed"}


def heard(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> list[str]:
    """The account answer, a pasted refusal, and the live check refusing both logins."""
    address = f"taro@{profile.affected_domains[0]}"
    driver = Driver(profile, catalogs, today=profile.schedule.window_start)
    driver.start(locale)
    driver.press("topic:account")
    account = driver.said()
    driver.type(REFUSED[locale])
    refused = driver.said()
    driver.press("settings")
    driver.type(address)
    driver.press("program:thunderbird")
    if driver.last.replies and driver.state.stage.value == "ask_smtp_host":
        driver.press("yes")
    result = driver._run(
        event=SystemEvent("check_result", (("smtp", "auth_failed"), ("pop", "auth_failed")))
    )
    checked = "\n".join(reply_as_plain_text(reply) for reply in result.replies)
    return [account, refused, checked]


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_imap_with_the_login_change_warns_about_the_part_before_the_at(
    catalogs: Catalogs, locale: Locale
) -> None:
    account, refused, checked = heard(POP_TO_IMAP, catalogs, locale)
    on_its_own, not_only, sending_too = WARNING[locale]
    assert on_its_own in account
    assert not_only in refused
    # The check names the protocol the profile speaks, never the notice's POP.
    assert ("受信（IMAP）" if locale == "ja" else "Receiving (IMAP)") in checked
    assert sending_too in checked
    assert "POP" not in checked
    assert RECEIVING_WARNING[locale] in checked, checked


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_login_that_stays_is_not_warned_about(catalogs: Catalogs, locale: Locale) -> None:
    said = "\n".join(heard(LOGIN_STAYS, catalogs, locale))
    assert not [warning for warning in WARNING[locale] if warning in said]
