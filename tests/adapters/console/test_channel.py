"""`mailmove chat` driven through a pipe, the way a script would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from adapters.console.channel import display_width, render
from dialogs.vocabulary import SettingsItem, SettingsReply

ROOT = Path(__file__).resolve().parents[3]


def chat(lines: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
        [sys.executable, "-m", "bot.cli", "chat", *args],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )


def test_a_piped_conversation_reaches_the_settings_table() -> None:
    answers = ["1", "はい", "はい", "はい", "taro@vp.117.ne.jp", "サンダーバード", "はい"]
    result = chat(answers)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "メールソフト" in out
    assert "  1) はい" in out
    assert "vsmtp.117.ne.jp" in out
    assert "vpop.117.ne.jp" in out
    assert "taro@vp.117.ne.jp" in out


def test_english_on_request() -> None:
    result = chat(["no"], "--locale", "en")
    assert result.returncode == 0, result.stderr
    assert "Do you use a mail program" in result.stdout
    assert "You do not need to change anything" in result.stdout


def test_an_invalid_profile_stops_with_a_message_naming_it(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[provider]\nname = 'x'\n", "utf-8")
    result = chat([], "--profile", str(broken))
    assert result.returncode == 2
    assert str(broken) in result.stderr
    assert "[incoming] is missing" in result.stderr


def test_the_settings_table_lines_up_japanese_labels() -> None:
    card = SettingsReply(
        "新しい設定",
        (SettingsItem("a", "受信サーバー", "vpop"), SettingsItem("b", "Port", "110")),
    )
    rows = render(card).splitlines()[2:4]
    value_columns = {display_width(row[: row.rindex(" ") + 1]) for row in rows}
    assert len(value_columns) == 1


def test_the_terminal_reads_the_password_itself_and_never_echoes_it() -> None:
    secret = "Terminal-Secret-4242"
    # 「3」: the login check, after 「解決しましたか？」's two answers.
    answers = ["新しい設定を見たい", "taro@vp.117.ne.jp", "thunderbird", "はい", "3", secret]
    result = chat(answers)
    assert result.returncode == 0, result.stderr
    # No mail server answers for the profile's hosts here: the check reports it, in words,
    # as the server's trouble, not a problem found in the subscriber's login.
    assert "メールサーバーにつながりませんでした" in result.stdout
    assert "/check/" not in result.stdout
    assert secret not in result.stdout
    assert secret not in result.stderr
    # No page and no link here: the terminal asks for the password itself, and says so.
    assert "リンクの確認ページで入力" not in result.stdout
    assert "このあと「メールのパスワード」と表示されたら" in result.stdout
