"""The live check of a migration that changes only sending, from the chat to the page.

The receiving server is kept exactly as it is (`CheckTarget.check_incoming` false): the check
logs in to the outgoing server alone, and neither the page, the chat nor the desk's audit
line shows a receiving part that was never tried.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Final

from testbed.loopback import free_port
from testbed.mailservers import Certificates, DovecotServer, SmtpServer
from tests.bot.mailcheck.check_flow import (
    PASSWORD,
    Clock,
    chat_to_check_link,
    history_texts,
    make_app,
    served,
)

EXAMPLE: Final = Path(__file__).resolve().parents[3] / "examples" / "op25b-sending-only.toml"


async def test_only_the_outgoing_server_is_checked_and_shown(
    tmp_path: Path,
    clock: Clock,
    smtp: SmtpServer,
    dovecot: DovecotServer,
    certificates: Certificates,
) -> None:
    # Nothing listens on the receiving port: a check that tried it would fail.
    app = make_app(
        tmp_path, clock, smtp, dovecot, certificates, pop_port=free_port(), check_incoming=False
    )
    async with served(app) as client:
        conversation, path = await chat_to_check_link(client)
        done = await client.post(path, data={"password": PASSWORD})
        history = await history_texts(client, conversation)

    assert done.status_code == 200
    # The chat's result: its own reply, among the seed profile's conversation around it.
    result = next(line for line in history.splitlines() if "ログインを確認できました" in line)
    for words in (done.text, result):
        assert "新しい設定で、送信サーバーにログインできます" in words
        assert "送信（SMTP認証）：ログインできました" in words
        assert "受信" not in words
    assert "送信サーバー" in done.text  # the page's one mark


async def test_the_check_page_of_a_sending_only_profile_names_the_outgoing_server_only(
    tmp_path: Path,
    clock: Clock,
    smtp: SmtpServer,
    dovecot: DovecotServer,
    certificates: Certificates,
) -> None:
    # It said 「新しい設定（受信サーバー・送信サーバー）に、実際にログインできるかを確認します」.
    # Inside the profile's window (2027-05-10 to 05-31): before it no check is offered.
    clock.now = dt.datetime(2027, 5, 20, 3, 0, tzinfo=dt.UTC)
    app = make_app(
        tmp_path,
        clock,
        smtp,
        dovecot,
        certificates,
        check_incoming=False,
        profile_path=EXAMPLE,
    )
    async with served(app) as client:
        _, path = await chat_to_check_link(client, address="taro@hotaru.example.ne.jp")
        form = await client.get(path)

    assert form.status_code == 200
    assert "新しい送信の設定（送信サーバー）に" in form.text
    assert "受信サーバー" not in form.text
