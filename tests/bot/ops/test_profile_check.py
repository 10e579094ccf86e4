"""`mailmove profile check FILE`: a bad profile is named, a good one previewed by date."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

import pytest

from bot.cli import main
from bot.ops.profile_loader import load_profile
from bot.ops.profile_preview import key_dates

DEFAULT: Final = Path(__file__).resolve().parents[3] / "bot/ops/default_profile.toml"


def profile_with(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "profile.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def sections(output: str) -> dict[str, str]:
    """Each key date's part of the report, by its date."""
    parts = re.split(r"^== (\d{4}-\d{2}-\d{2}) .*$", output, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "window_end = 2008-06-20",
            "window_end = 2008-05-01",
            "[schedule.window_end] 2008-05-01 is before schedule.window_start 2008-05-21",
        ),
        ("window_start = 2008-05-21\n", "", "[schedule.window_start]"),
        ('timezone = "Asia/Tokyo"', 'timezone = "Mars/Olympus"', "[provider.timezone]"),
        ("[schedule]", "[schedule", "is not valid TOML"),
        # A catalog key no catalog holds: named like any other mistake, not a traceback.
        (
            'text = "verdict.webmail_only"',
            'text = "verdict.webmail_onl"',
            "[questionnaire.leaves.webmail_only.text] catalog key 'verdict.webmail_onl'",
        ),
    ],
)
def test_a_bad_profile_exits_2_naming_file_key_and_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, message: str
) -> None:
    path = profile_with(tmp_path, old, new)

    assert main(["profile", "check", str(path)]) == 2

    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"mailmove: {path}: ")
    assert message in err


def test_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", "check", str(tmp_path / "none.toml")]) == 2
    assert "cannot be read" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "cannot be read: No such file or directory"),
        (b"[schedule\n", "is not valid TOML: "),
        ("[provider]\nname = '117ネット'\n".encode("shift_jis"), "is not UTF-8 text "),
    ],
)
def test_a_file_that_cannot_be_read_as_a_profile_names_no_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, problem: str
) -> None:
    # The whole file is at fault, not a key: it read "my.toml: [-] cannot be read", a
    # placeholder an operator took for a key named "-".
    path = tmp_path / "my.toml"
    if content is not None:
        path.write_bytes(content)

    assert main(["profile", "check", str(path)]) == 2

    err = capsys.readouterr().err
    assert err.startswith(f"mailmove: {path}: {problem}"), err
    assert "[-]" not in err
    assert len(err.splitlines()) == 1


def test_the_seed_profile_in_japanese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", "check", str(DEFAULT)]) == 0

    output = capsys.readouterr().out
    assert output.startswith(f"{DEFAULT}: valid (117net, Asia/Tokyo)")
    by_date = sections(output)
    # The seed's old servers stop the day after the window: one date for the three reasons.
    assert list(by_date) == ["2008-05-20", "2008-05-21", "2008-06-20", "2008-06-21"]
    assert "the day after the window; the first day without the old POP server" in output
    before, first, last, after = by_date.values()
    for part in by_date.values():
        assert part.count("-- answers ") == 6  # every leaf of the seed's flowchart
        assert "受信の設定：変更が必要です。" in part
    # Before the window (its eve): wait until tomorrow, and no configuration file yet.
    assert "今日はまだ変更せず、明日以降に" in before
    assert "configuration files (Thunderbird, Apple, Outlook): not offered yet" in before
    assert "本日が初日です。本日から設定を変更できます" in first
    # The window's last day is called today, not "under way, change soon".
    assert "本日が期間の最終日" in last
    assert "ただいま変更期間中" not in last
    # The old servers' last day: the current settings send until today only, not 「当面」
    # (「従来サーバーのアクセス可能期間…メール送信(SMTP) 2008年6月20日(金)まで」).
    # (The day itself is said once, by the old servers' line: 10d6c00.)
    assert "従来の送信サーバーが使える本日までです" in last
    assert "受信・送信とも本日（2008年6月20日(金)）まで" in last
    assert "当面" not in last
    # The day the old servers are gone: nothing is merely recommended any more.
    assert "推奨" not in after
    assert "当面" not in after
    assert "configuration files (Thunderbird, Apple, Outlook): offered" in after


def test_a_leaf_only_unsure_reaches_is_previewed(capsys: pytest.CaptureFixture[str]) -> None:
    # The seed's 「わからない」 at the port-25 question has a leaf of its own, worded for not
    # knowing: the operator reads those words too. "Unsure" that shares a branch with "yes"
    # (the first three questions) adds no path.
    assert main(["profile", "check", str(DEFAULT)]) == 0

    by_date = sections(capsys.readouterr().out)
    for part in by_date.values():
        assert part.count("q4_op25b=unsure") == 1
        assert "q2_other_network=unsure" not in part
    unsure = by_date["2008-05-21"].split("q4_op25b=unsure", 1)[1].split("-- ", 1)[0]
    assert "新しい設定なら、制限があってもなくても送信できます" in unsure


def test_english_on_request(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", "check", str(DEFAULT), "--locale", "en"]) == 0

    output = capsys.readouterr().out
    assert "Receiving: you must change your settings." in output
    assert "受信" not in output


def test_old_servers_that_outlive_the_window_get_their_own_dates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = profile_with(tmp_path, "old_smtp_until = 2008-06-20", "old_smtp_until = 2008-09-30")

    assert main(["profile", "check", str(path)]) == 0

    by_date = sections(capsys.readouterr().out)
    assert list(by_date) == ["2008-05-20", "2008-05-21", "2008-06-20", "2008-06-21", "2008-10-01"]
    # After the window, sending the old way still works until the old SMTP server stops.
    assert "推奨" in by_date["2008-06-21"]
    assert "推奨" not in by_date["2008-10-01"]


def test_key_dates_are_in_order_and_merged() -> None:
    dates = key_dates(load_profile(DEFAULT))
    assert [d.day.isoformat() for d in dates] == [
        "2008-05-20",
        "2008-05-21",
        "2008-06-20",
        "2008-06-21",
    ]
    assert dates[0].why == "the day before the window"
