"""POP3 → IMAP on the same server name: the refusal says the way out.

Imagined notice of another provider (profile3):

    かわせみネット 受信方式変更のお知らせ
    2027年10月1日(金)から10月31日(日)までに、メールソフトの受信方式をPOP3からIMAPに変更して
    ください。受信サーバー名（mail.kawasemi.example.jp）は変わりません。ポートは995番から
    993番（SSL/TLS）に変わります。送信の設定は変わりません。POP3での受信は2027年11月30日(火)で
    終了します。

A protocol change on a kept name is refused (every text for a kept name edits the current
account, which no mail program can switch from POP3 to IMAP). The line said only "cannot be
described yet", and the writer was left with nothing to serve. Where the server also answers
IMAP under a name of its own, the migration is guided as a move to that name with the mail
left on the server shown in the new account; the line now says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

from bot.cli import main

PROFILE: Final = """
[provider]
name = { ja = "かわせみネット", en = "Kawasemi Net" }
timezone = "Asia/Tokyo"
affected_domains = ["kawasemi.example.jp"]

[incoming]
protocol = "imap"
old_protocol = "pop3"
old_host = "mail.kawasemi.example.jp"
new_host = "mail.kawasemi.example.jp"
port = 993
security = "tls"
old_port = 995
old_security = "tls"

[outgoing]
old_hosts = ["mail.kawasemi.example.jp"]
new_host = "mail.kawasemi.example.jp"
port = 587
security = "starttls"
old_smtp_auth = true

[schedule]
window_start = 2027-10-01
window_end = 2027-10-31
old_pop_until = 2027-11-30

[support]
contact_ja = "かわせみネット サポート（0120-000-222）"
contact_en = "Kawasemi Net support (0120-000-222)"

[policy]
pop_before_smtp_kept = false
op25b_planned = false
allow_plaintext_login = false

[questionnaire]
start = "reads_in_program"

[questionnaire.questions.reads_in_program]
text.ja = "メールソフトでメールを読んでいますか？"
text.en = "Do you read your mail in a mail program?"
reading = "mail_program"
answers = { yes = "imap", no = "webmail", unsure = "imap" }

[questionnaire.leaves.imap]
receiving = "required"
sending = "not_needed"
text = "verdict.sending_unchanged"

[questionnaire.leaves.webmail]
receiving = "not_needed"
sending = "not_needed"
text = "verdict.webmail_only"
"""


def test_the_refusal_says_what_to_write_instead(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "kawasemi.toml"
    path.write_text(PROFILE, "utf-8")
    assert main(["profile", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"mailmove: {path}: [incoming.new_host] "), err
    assert (
        "while the protocol changes (pop3 to imap): a change of protocol on the same server"
        " cannot be described yet (a mail program cannot switch an account's protocol, and"
        " every text for a kept name edits the account). If the server also answers IMAP under"
        " a name of its own (imap.kawasemi.example.jp, say), write that name as new_host and"
        " [policy] old_mail_copied = true: the guides add an account beside the current one,"
        " and the mail left on the server shows in it. Else mailmove cannot guide this"
        " migration yet"
    ) in err, err


def test_the_profile_written_as_advised_is_valid_and_adds_an_imap_account(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    advised = PROFILE.replace(
        'old_host = "mail.kawasemi.example.jp"\nnew_host = "mail.kawasemi.example.jp"',
        'old_host = "mail.kawasemi.example.jp"\nnew_host = "imap.kawasemi.example.jp"',
        1,
    ).replace("op25b_planned = false", "op25b_planned = false\nold_mail_copied = true")
    assert 'new_host = "imap.kawasemi.example.jp"' in advised
    path = tmp_path / "kawasemi.toml"
    path.write_text(advised, "utf-8")
    assert main(["profile", "check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "sending unchanged (only receiving changes)" in out, out
    assert "新しいサーバー（imap.kawasemi.example.jp、IMAP）" in out, out
