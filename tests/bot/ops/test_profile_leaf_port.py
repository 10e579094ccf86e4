"""A leaf's own words naming a port the profile no longer gives: refused with the key.

Imagined notice of another provider (profile3), first drafted as `examples/pop-to-imap.toml`
has it (SMTP on 465, SSL/TLS), then corrected by the provider:

    つばめネット 送信サーバー変更のお知らせ（訂正）
    新しい送信サーバーのポートは、465番（SSL/TLS）ではなく587番（STARTTLS）です。

The writer corrects `[outgoing]` (port = 587, security = "starttls") and not the leaves'
words, which say 「新しい送信サーバー（ポート465番、SSL/TLS）なら、どこからでも送信できます」.
`mailmove profile check` said "valid", and a subscriber read 465 in the verdict and 587 on
the card just below it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

from bot.cli import main

EXAMPLE: Final = Path(__file__).resolve().parents[3] / "examples" / "pop-to-imap.toml"
SENDING_465: Final = 'new_host = "smtp.tsubame-mail.example.jp"\nport = 465\nsecurity = "tls"'
SENDING_587: Final = 'new_host = "smtp.tsubame-mail.example.jp"\nport = 587\nsecurity = "starttls"'


def corrected(tmp_path: Path, *words: tuple[str, str]) -> Path:
    text = EXAMPLE.read_text("utf-8")
    assert SENDING_465 in text
    text = text.replace(SENDING_465, SENDING_587, 1)
    for old, new in words:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "tsubame.toml"
    path.write_text(text, "utf-8")
    return path


def test_a_leaf_naming_the_port_no_server_has_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = corrected(tmp_path)

    assert main(["profile", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        f"mailmove: {path}: [questionnaire.leaves.sending_required_away.text] (ja) names port"
        " 465, which no server of this profile has (receiving 993, sending 587; today 110 and"
        " 25): write the profile's port, or {pop_port} / {smtp_port} so the words follow it"
    ), err


def test_the_leaves_worded_with_the_placeholder_follow_the_profile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = corrected(
        tmp_path,
        ("ポート465番、SSL/TLS", "ポート{smtp_port}番、STARTTLS"),
        ("port 465, SSL/TLS", "port {smtp_port}, STARTTLS"),
    )

    assert main(["profile", "check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "新しい送信サーバー（ポート587番、STARTTLS）なら、どこからでも送信できます" in out, out
    assert "465" not in out, out
