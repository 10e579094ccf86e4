"""`mailmove profile check` on a migration that moves the addresses to a new domain."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

from bot.cli import main
from tests.bot.ops.test_profile_mistakes import command_line

EXAMPLE: Final = Path(__file__).resolve().parents[3] / "examples" / "domain-change.toml"


def test_the_example_prints_the_move_and_the_old_addresses_last_day(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["profile", "check", str(EXAMPLE)]) == 0

    out = capsys.readouterr().out
    assert out.startswith(f"{EXAMPLE}: valid (Kaigan Hikari, Asia/Tokyo)\n")
    assert (
        "addresses move: @minato-net.example.jp -> @kaigan-hikari.example.jp;"
        " mail to the old addresses arrives until 2027-09-30\n"
    ) in out
    assert "== 2027-10-01 (Fri): the first day mail to the old addresses no longer arrives" in out
    # What subscribers read before the card, on each side of that day.
    until = "2027年9月30日(木)までは、@minato-net.example.jpで終わるアドレス"
    assert until in out
    last_day = "で終わるアドレスあてのメールは、2027年9月30日(木)を最後に"
    assert f"@minato-net.example.jp{last_day}" in out


def test_a_profile_without_new_domain_prints_no_move(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", "check", str(EXAMPLE.with_name("tls-migration.toml"))]) == 0

    assert "addresses move" not in capsys.readouterr().out


@pytest.mark.parametrize("command", ["check", "serve"])
def test_a_new_domain_equal_to_the_old_one_stops_with_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    path = tmp_path / "moved.toml"
    text = EXAMPLE.read_text("utf-8")
    path.write_text(
        text.replace(
            'new_domain = "kaigan-hikari.example.jp"', 'new_domain = "minato-net.example.jp"'
        ),
        "utf-8",
    )
    monkeypatch.setattr("bot.server.serve", lambda *_: pytest.fail("served a mistaken profile"))
    argv = command_line(command, path, tmp_path)

    assert main(argv) == 2

    err = capsys.readouterr().err
    assert err.startswith(f"mailmove: {path}: [provider.new_domain] 'minato-net.example.jp'")
    assert len(err.strip().splitlines()) == 1, err
