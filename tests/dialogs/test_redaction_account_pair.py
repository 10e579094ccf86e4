"""A login written as an account name and a password, with no password word, is masked.

「アカウント taro / Kq7xyz99」, 'login taro / Kq7xyz99', 'ID: taro, Kq7xyz99' kept the password
as typed: only an address before the password (「taro@vp.117.ne.jp Kq7xyz99」) was read so.
"""

from __future__ import annotations

import pytest

from dialogs.redaction import redact

PAIRS = [
    "アカウント taro / Kq7xyz99",
    "アカウント：taro、Kq7xyz99",
    "login taro / Kq7xyz99",
    "ID: taro, Kq7xyz99",
    "ユーザー名 taro / Kq7xyz99 で合っていますか",
    "credentials: taro / Kq7xyz99",
]


@pytest.mark.parametrize("text", PAIRS)
def test_the_password_beside_the_account_is_masked(text: str) -> None:
    masked, found = redact(text)
    assert found
    assert "Kq7xyz99" not in masked
    assert "taro" in masked


@pytest.mark.parametrize(
    "text",
    [
        "アカウント taro / vpop.117.ne.jp",
        "login taro / port 995",
        "ID: taro, Outlook2016",
        "アカウント taro / taro@vp.117.ne.jp",
    ],
)
def test_a_host_a_port_or_a_program_beside_the_account_is_kept(text: str) -> None:
    assert redact(text) == (text, False)
