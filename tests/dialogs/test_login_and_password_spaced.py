"""A login and its password with a space alone between them (subscriber21).

'taro 77hanako', before the address is known, was kept as typed (subscriber19 and 20 left it:
a space joins a program and its version as readily, 'office 2019pro'). Masked now when the
password starts with a digit, and not when the number names a thing.
"""

from __future__ import annotations

import pytest

from dialogs.redaction import MASK, redact


@pytest.mark.parametrize(
    ("typed", "secret"),
    [
        ("taro 77hanako", "77hanako"),
        ("yamada.taro 1975sakura", "1975sakura"),
        ("taro\u300077hanako", "77hanako"),
        ("taro 77hanako です", "77hanako"),
        ("taro 1a2b3c", "1a2b3c"),
    ],
)
def test_a_login_and_its_password_with_a_space_between_are_masked(typed: str, secret: str) -> None:
    assert redact(typed) == (typed.replace(secret, MASK), True)


@pytest.mark.parametrize(
    "typed",
    [
        # A program or a device and its version or edition.
        "iphone 15pro",
        "iphone 15promax",
        "windows 10pro",
        "windows 11home",
        "office 2019pro",
        "firefox 115esr",
        "thunderbird 115esr",
        "macbook 2020air",
        "chrome 120beta",
        "ios 17beta",
        # A number with what it counts, or a word saying what the number is.
        "storage 128gb",
        "docomo 5gplan",
        "size 1920x1080px",
        "version 2402build",
        "code 550relay",
        "error 0x800ccc0e",
        "port 587tls",
        # The provider's name after a login ('taro at 117net').
        "taro 117net",
        "hello 123abc",
    ],
)
def test_a_name_and_a_number_naming_a_thing_stay(typed: str) -> None:
    assert redact(typed) == (typed, False)
