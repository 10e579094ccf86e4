"""The terminal's check names the password prompt as the prompt reads."""

from __future__ import annotations

import re
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.vocabulary import LOCALES, Locale

# The first quoted words of a text: 「…」 in Japanese, "…" in English.
QUOTED: Final = {"ja": re.compile(r"「([^「」]+)」"), "en": re.compile(r'"([^"]+)"')}


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("variant", ["", ".app_password", ".new_password", ".posted_password"])
def test_the_intro_quotes_the_start_of_the_prompt(
    catalogs: Catalogs, locale: Locale, variant: str
) -> None:
    # 'When "Your mail password" appears next, type the app password' while the prompt read
    # 'Your app password (the one you were issued, not your usual password): ', and
    # 「このあと「パスワード」と表示されたら」 over 「メールのパスワード（今までと同じもの）: 」.
    intro = catalogs.raw(locale, f"check.intro_terminal{variant}")
    prompt = catalogs.raw(locale, f"check_page.password_label{variant}")
    quoted = QUOTED[locale].search(intro)
    assert quoted is not None, intro
    assert prompt.startswith(quoted.group(1)), (quoted.group(1), prompt)
