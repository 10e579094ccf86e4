"""Thunderbird's guide names the login method as Thunderbird's menu shows it."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.guide_text import guide_steps
from dialogs.mail_programs import MailProgram
from dialogs.profile import MigrationProfile
from dialogs.settings_card import CardFacts, SmtpHost
from dialogs.vocabulary import Locale, Sending
from tests.dialogs.test_examples import sayer

# POP3 on 995 and SMTP on 465, both SSL/TLS, each with a plain password login.
NORTHLIGHT: Final = load_profile(Path(__file__).parent / "northlight.toml")

# Thunderbird names a plain password login by the connection it goes over: 「平文のパスワード
# 認証 (安全でない)」 over none, 「通常のパスワード認証」 over SSL/TLS or STARTTLS.
NAMES: Final = {
    ("ja", False): "「平文のパスワード認証 (安全でない)」",
    ("ja", True): "「通常のパスワード認証」",
    ("en", False): '"Password, transmitted insecurely"',
    ("en", True): '"Normal password"',
}


@pytest.mark.parametrize("encrypted", [False, True], ids=["none", "tls"])
@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_method_is_the_one_on_thunderbirds_screen(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, encrypted: bool
) -> None:
    # Over the seed's unencrypted connection the steps said 「「認証方式」が「通常のパスワード認証」
    # になっていることを確かめます（「接続の保護」が「なし」のときは「平文のパスワード認証
    # (安全でない)」という名前で表示されます）」: the name to look for in quotes, then that the
    # screen shows another one, which is the one the subscriber sees.
    chosen = NORTHLIGHT if encrypted else profile
    facts = CardFacts(
        address=f"taro@{chosen.affected_domains[0]}",
        sending=Sending.REQUIRED,
        smtp_host=SmtpHost.OLD,
    )
    say = sayer(catalogs, locale, chosen, facts)
    text = "\n".join(guide_steps(MailProgram.THUNDERBIRD, facts, say, chosen))
    assert text.count(NAMES[(locale, encrypted)]) == 2, text  # receiving and sending
    assert NAMES[(locale, not encrypted)] not in text
