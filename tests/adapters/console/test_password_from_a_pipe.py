"""A password piped in with Windows line ends (CRLF) is read without its carriage return.

`mailmove chat` reads the password from the next line of a pipe. A script or a file saved
on Windows ends its lines with CRLF: the password kept its "\\r", the check refused it as a
line break no server accepts, and the chat stopped with
「mailmove: the password contains a line break or NUL…」 after the check's link was spent.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_a_crlf_password_is_checked_and_the_chat_goes_on() -> None:
    secret = "Terminal-Secret-4242"
    answers = [
        "新しい設定を見たい",
        "taro@vp.117.ne.jp",
        "thunderbird",
        "はい",
        "ログインを確認する",
        secret,
    ]
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat"],
        input="\r\n".join(answers) + "\r\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "line break" not in result.stderr
    # No mail server answers for the profile's hosts here: the check reports it, in words,
    # as the server's trouble, not a problem found in the subscriber's login.
    assert "メールサーバーにつながりませんでした" in result.stdout
    assert secret not in result.stdout
    assert secret not in result.stderr
