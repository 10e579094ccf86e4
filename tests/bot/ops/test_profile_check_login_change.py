"""`mailmove profile check` prints every change of login, not only a mailbox id's.

Hoshizora Net (examples/imap-local-part-new-year.toml) logs in with the whole address today
and with the part before @ from now on: the check printed nothing about it, while a mailbox
id's change had its line. 117net's (the part before @ to the whole address) is printed too;
a login that stays is not.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

from bot.cli import main

EXAMPLES: Final = Path(__file__).resolve().parents[3] / "examples"


def head(capsys: pytest.CaptureFixture[str], example: str) -> str:
    assert main(["profile", "check", str(EXAMPLES / f"{example}.toml")]) == 0
    return capsys.readouterr().out.split("\n== ", 1)[0]


@pytest.mark.parametrize(
    ("example", "line"),
    [
        (
            "imap-local-part-new-year",
            "login today: the whole address (old_login_name), from now on the part before @",
        ),
        (
            "117net",
            "login today: the part before @ (old_login_name), from now on the whole address",
        ),
        (
            "mailbox-id-to-address",
            "login today: a mailbox id (old_login_name), from now on the whole address",
        ),
    ],
)
def test_a_change_of_login_is_printed(
    capsys: pytest.CaptureFixture[str], example: str, line: str
) -> None:
    assert line in head(capsys, example)


def test_a_login_that_stays_is_not_printed(capsys: pytest.CaptureFixture[str]) -> None:
    assert "login today" not in head(capsys, "op25b-sending-only")
