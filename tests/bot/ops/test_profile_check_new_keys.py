"""`mailmove profile check` prints the keys profile12 added, so an operator sees them read.

The day of the provider's own Outbound Port 25 Blocking (`[schedule] op25b_from`), a login
that is a mailbox id today (`old_login_name = "mailbox-id"`), a password sent by e-mail
(`[password] kind = "email"`) and the webmail with the programs sent there (`[webmail]`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

from bot.cli import main

EXAMPLES: Final = Path(__file__).resolve().parents[3] / "examples"


@pytest.mark.parametrize(
    ("example", "lines"),
    [
        (
            "op25b-sending-only",
            ["own Outbound Port 25 Blocking from 2027-06-01 ([schedule] op25b_from)"],
        ),
        (
            "mailbox-id-to-address",
            [
                "login today: a mailbox id (old_login_name), from now on the whole address",
                "new password by email: the e-mail “Your mail account is moving”",
            ],
        ),
        (
            "webmail-for-some-programs",
            [
                "webmail: https://webmail.hibari.example.jp/; sent there instead of a guide:"
                " becky, other ([webmail] only_for)"
            ],
        ),
    ],
)
def test_the_new_keys_are_printed(
    capsys: pytest.CaptureFixture[str], example: str, lines: list[str]
) -> None:
    assert main(["profile", "check", str(EXAMPLES / f"{example}.toml")]) == 0
    out = capsys.readouterr().out
    head = out.split("\n== ", 1)[0]
    for line in lines:
        assert line in head, head


def test_the_files_not_served_for_webmail_are_printed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = (EXAMPLES / "webmail-for-some-programs.toml").read_text(encoding="utf-8")
    path = tmp_path / "profile.toml"
    path.write_text(
        text.replace(
            'only_for = ["becky", "other"]',
            'only_for = ["thunderbird", "apple_mail", "ios_mail", "other"]',
        ),
        encoding="utf-8",
    )
    assert main(["profile", "check", str(path)]) == 0
    head = capsys.readouterr().out.split("\n== ", 1)[0]
    assert (
        "not served, every program that loads it sent to webmail: Thunderbird autoconfig,"
        " Apple .mobileconfig"
    ) in head, head
    # The example serves every file: no such line.
    assert main(["profile", "check", str(EXAMPLES / "webmail-for-some-programs.toml")]) == 0
    assert "not served" not in capsys.readouterr().out
