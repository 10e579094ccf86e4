"""A notice that moves only the webmail's address: the refusal says mailmove has nothing to guide.

Imagined notice of another provider (profile3):

    ひばり光 Webメールのアドレス変更のお知らせ
    2027年6月1日(火)より、WebメールのアドレスがWebメールの新しいアドレス
    （https://webmail.hibari.example.jp/）に変わります。メールソフトの設定の変更は不要です。

Written with both servers as they are and `[webmail] url`, it was refused "nothing would
change; describe what changes in [incoming] or [outgoing]", which the writer, whose webmail
does change, could not act on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

from bot.cli import main

EXAMPLE: Final = Path(__file__).resolve().parents[3] / "examples" / "pop-moves-smtp-unchanged.toml"


def test_a_new_webmail_address_alone_is_said_to_change_no_program(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = EXAMPLE.read_text("utf-8")
    incoming = text[text.index("\n[incoming]\n") + 1 : text.index("\n[outgoing]\n") + 1]
    kept = (
        '[incoming]\nprotocol = "pop3"\nold_host = "pop.kept.example.jp"\n'
        'new_host = "pop.kept.example.jp"\nport = 995\nsecurity = "tls"\n\n'
        '[webmail]\nurl = "https://webmail.hibari.example.jp/"\n\n'
    )
    path = tmp_path / "hibari.toml"
    path.write_text(text.replace(incoming, kept, 1), "utf-8")
    assert main(["profile", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"mailmove: {path}: [outgoing.new_host] "), err
    assert (
        "nothing would change; describe what changes in [incoming] or [outgoing] (old_host,"
        " old_port, old_security, old_login_name); a new webmail address alone ([webmail] url ="
        " 'https://webmail.hibari.example.jp/') changes no mail program's settings, which is"
        " what mailmove guides: tell subscribers in your notice and on your site instead"
    ) in err, err
