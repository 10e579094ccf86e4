"""An address with a letter of another alphabet in it is no address, not its ASCII tail.

A Cyrillic 「а」 looks like a Latin "a": 「tаro@vp.117.ne.jp」 typed with one (pasted from a
phishing mail, or typed to spoof) was read as 「ro@vp.117.ne.jp」, an address nobody typed,
which the bot then showed back ("Here are the settings for ro@…"), filled into the settings
and the configuration files, and handed to the desk. "jürgen@…" was read as "rgen@…", and a
call-back address of a message left for the desk likewise. The login-check page already
refuses such an address; the chat now reads none there either and asks again.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.desk_message import callback_in
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.understanding import find_address
from tests.dialogs.driver import Driver


@pytest.mark.parametrize(
    "typed",
    [
        "t\u0430ro@vp.117.ne.jp",  # Cyrillic а
        "\u0440aro@vp.117.ne.jp",  # Cyrillic р first
        "tar\u03bf@vp.117.ne.jp",  # Greek ο
        "jürgen@vp.117.ne.jp",
        "taróx@vp.117.ne.jp",
        "taro@vp.117.ne.jp\u0430",  # a letter glued to the domain: another domain
        "taro@vp\u0430.117.ne.jp",
        # A mark RFC 5322 allows in a local part, inside the word: not its tail either.
        "o'brien&xyz@vp.117.ne.jp",
        "taro!yamada@vp.117.ne.jp",
        "a{b}c@vp.117.ne.jp",
    ],
)
def test_a_letter_of_another_alphabet_leaves_no_address(typed: str) -> None:
    assert find_address(typed) is None
    assert callback_in(typed) is None


@pytest.mark.parametrize(
    ("typed", "address"),
    [
        ("アドレスはtaro@vp.117.ne.jpです", "taro@vp.117.ne.jp"),
        ("メール：taro@vp.117.ne.jp。", "taro@vp.117.ne.jp"),
        ("«taro@vp.117.ne.jp»", "taro@vp.117.ne.jp"),
        ("über taro@vp.117.ne.jp", "taro@vp.117.ne.jp"),
        ("taro@vp.117.ne.jp.", "taro@vp.117.ne.jp"),
        ("taro@vp.117.ne.jp、お願いします", "taro@vp.117.ne.jp"),
        ("Привет, taro@vp.117.ne.jp", "taro@vp.117.ne.jp"),
        ("*taro@vp.117.ne.jp*", "taro@vp.117.ne.jp"),
        ("'taro@vp.117.ne.jp'", "taro@vp.117.ne.jp"),
        ("address=taro@vp.117.ne.jp", "taro@vp.117.ne.jp"),
        ("Outlook/taro@vp.117.ne.jp", "taro@vp.117.ne.jp"),
        ("です。?taro@vp.117.ne.jp", "taro@vp.117.ne.jp"),
    ],
)
def test_an_address_beside_other_words_is_still_read(typed: str, address: str) -> None:
    assert find_address(typed) == address


def test_the_chat_asks_again_rather_than_show_an_address_nobody_typed(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale="en")
    for _ in range(4):
        driver.press("yes")
    assert driver.state.stage is Stage.ASK_ADDRESS
    driver.type("t\u0430ro@vp.117.ne.jp")
    assert driver.state.stage is Stage.ASK_ADDRESS
    assert driver.state.address is None
    assert "ro@vp.117.ne.jp" not in driver.said().replace("taro@vp.117.ne.jp", "")
