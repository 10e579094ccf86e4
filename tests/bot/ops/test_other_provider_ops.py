"""What an operator of another provider reads: its own protocols, in plain words."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Final

import pytest

from bot.cli import main
from bot.ops.profile_loader import load_profile
from bot.ops.startup_summary import where_today_falls

SAKURA: Final = Path(__file__).resolve().parents[2] / "dialogs" / "sakura_net.toml"


def test_profile_check_names_the_old_imap_server(capsys: pytest.CaptureFixture[str]) -> None:
    # Sakura-net's subscribers read mail over IMAP today: there is no old POP server.
    assert main(["profile", "check", str(SAKURA)]) == 0
    output = capsys.readouterr().out
    assert "old IMAP answers until 2027-03-31, old SMTP until 2027-03-15" in output
    assert "the first day without the old IMAP server" in output
    assert "POP" not in output.replace("POP before SMTP", "")


@pytest.mark.parametrize(
    ("today", "words"),
    [
        (dt.date(2027, 1, 31), "it opens in 1 day)"),
        (dt.date(2027, 2, 10), "old IMAP answers until 2027-03-31, old SMTP answers until"),
        (dt.date(2027, 3, 16), "closed 1 day ago); old IMAP answers until 2027-03-31"),
        (dt.date(2027, 4, 1), "old IMAP gone since 2027-04-01, old SMTP gone since 2027-03-16"),
    ],
)
def test_the_start_up_summary_names_the_old_imap_server(today: dt.date, words: str) -> None:
    assert words in where_today_falls(load_profile(SAKURA), today)


def without_last_days(tmp_path: Path) -> Path:
    text = SAKURA.read_text("utf-8")
    path = tmp_path / "sakura.toml"
    path.write_text(text.replace("old_pop_until = 2027-03-31\n", ""), "utf-8")
    return path


def test_profile_check_accepts_an_old_server_without_a_last_day(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["profile", "check", str(without_last_days(tmp_path))]) == 0
    output = capsys.readouterr().out
    assert "old IMAP answers until a day not decided yet (left out of [schedule])" in output
    assert "the first day without the old IMAP server" not in output
    # Long after the window, the old IMAP server is still said to answer, day unknown.
    assert "決まり次第お知らせします" in output.split("== 2027-03-16")[1]


def test_the_start_up_summary_says_the_last_day_is_not_decided(tmp_path: Path) -> None:
    words = where_today_falls(load_profile(without_last_days(tmp_path)), dt.date(2027, 6, 1))
    assert "old IMAP answers until a day not decided yet, old SMTP gone since 2027-03-16" in words
