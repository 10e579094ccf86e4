"""A notice whose cut-over has a time of day: the line says which day to write.

Imagined notice of another provider (profile3), written into `examples/pop-to-imap.toml`:

    つばめネット メールサーバー切替のお知らせ
    2027年5月10日(月) 15時に、受信サーバーを新しいIMAPサーバーに切り替えます。
    従来の受信サーバーは2027年8月1日(日) 0時に停止し、従来の送信サーバーは
    2027年9月30日(木) 17時で受付を終了します。

The writer copies the times into `[schedule]`. `window_start = 2027-05-10T15:00:00+09:00` said
only "must be a date like 2008-05-21", and `window_start = 2027-05-10 15:00` (TOML wants the
seconds) "is not valid TOML: Expected newline…": neither said that the schedule is in whole
days nor which day to write. Which day matters: the bot asks for the change from 0:00 on
window_start (a subscriber who changes at 9:00 on a 15:00 cut-over day reaches no server) and
says an old server answers to the end of its last day.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

from bot.cli import main

EXAMPLE: Final = Path(__file__).resolve().parents[3] / "examples" / "pop-to-imap.toml"

CASES: Final = [
    # A cut-over in the afternoon: the first day the new servers answer from its start.
    (
        "window_start = 2027-05-10",
        "window_start = 2027-05-10T15:00:00+09:00",
        "[schedule.window_start] 2027-05-10T15:00:00+09:00 has a time of day: the schedule is"
        " kept in whole days (in [provider] timezone), each written alone and without quotes:"
        " the bot asks subscribers to change their settings from 0:00 on window_start, so write"
        " the first day the new servers answer from its start: window_start = 2027-05-11"
        " (2027-05-10 if they already answer at 0:00 that day, or if the old servers stop that"
        " day: a cut-over within one day is written with window_start, window_end and the old"
        " servers' days all on that day)",
    ),
    # As a notice writes it, without seconds: TOML refuses it, the line still says the day.
    (
        "window_start = 2027-05-10",
        "window_start = 2027-05-10 15:00",
        "window_start = 2027-05-10 15:00: 2027-05-10T15:00:00 has a time of day:"
        " the schedule is kept in whole days (in [provider] timezone), each written alone and"
        " without quotes: the bot asks subscribers to change their settings from 0:00 on"
        " window_start, so write the first day the new servers answer from its start:"
        " window_start = 2027-05-11",
    ),
    # 「8月1日 0時に停止」: its last day is the day before.
    (
        "old_pop_until = 2027-07-31",
        "old_pop_until = 2027-08-01T00:00:00+09:00",
        "[schedule.old_pop_until] 2027-08-01T00:00:00+09:00 has a time of day: the schedule is"
        " kept in whole days (in [provider] timezone), each written alone and without quotes:"
        " old_pop_until = 2027-07-31 (the last day before 0:00 of 2027-08-01)",
    ),
    # 「17時で受付終了」, in quotes: the old server does not answer to the end of that day.
    (
        "old_smtp_until = 2027-09-30",
        'old_smtp_until = "2027-09-30 17:00"',
        "[schedule.old_smtp_until] 2027-09-30T17:00:00 has a time of day: the schedule is kept"
        " in whole days (in [provider] timezone), each written alone and without quotes: the bot"
        " says the old outgoing server answers to the end of old_smtp_until, so write the last"
        " day that holds to its end: old_smtp_until = 2027-09-29 (2027-09-30 if it holds until"
        " midnight)",
    ),
    # 「5月10日 15時に切替」 for the old server too: it may not end before window_start, so
    # the day before is no answer; a cut-over within one day is every day on that day.
    (
        "old_pop_until = 2027-07-31",
        "old_pop_until = 2027-05-10T15:00:00+09:00",
        "[schedule.old_pop_until] 2027-05-10T15:00:00+09:00 has a time of day: the schedule is"
        " kept in whole days (in [provider] timezone), each written alone and without quotes:"
        " the bot says the old receiving server answers to the end of old_pop_until, which may"
        " not be before window_start (2027-05-10); a cut-over within one day is written with"
        " window_start, window_end and the old servers' days all on that day: old_pop_until ="
        " 2027-05-10",
    ),
    (
        "window_start = 2027-05-10",
        "window_start = 15:00:00",
        "[schedule.window_start] 15:00:00 is a time of day alone: write the day, like 2008-05-21",
    ),
]


@pytest.mark.parametrize(("old", "new", "message"), CASES)
def test_a_day_written_with_its_time_says_which_day_to_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, message: str
) -> None:
    text = EXAMPLE.read_text("utf-8")
    assert old in text, old
    path = tmp_path / "tsubame.toml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    assert main(["profile", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"mailmove: {path}: "), err
    assert message in err, err
    assert len(err.strip().splitlines()) == 1, err


def test_the_day_written_as_advised_is_valid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = EXAMPLE.read_text("utf-8").replace(
        "window_start = 2027-05-10", "window_start = 2027-05-11", 1
    )
    path = tmp_path / "tsubame.toml"
    path.write_text(text, "utf-8")
    assert main(["profile", "check", str(path)]) == 0
    assert "window 2027-05-11 to 2027-06-30" in capsys.readouterr().out
