"""The live check of a migration that changes only receiving, from the chat to the page.

The same holds for a subscriber of any migration whose sending the chat said stays (another
company's outgoing server): their check logs in to the receiving server alone.

The outgoing server is kept exactly as it is (`CheckTarget.check_outgoing` false): the check
logs in to the receiving server alone, and neither the page nor the chat shows a sending part
that was never tried.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

import httpx

from testbed.mailservers import Certificates, DovecotServer, SmtpServer
from tests.bot.mailcheck.check_flow import (
    ADDRESS,
    PASSWORD,
    Clock,
    chat_to_check_link,
    history_texts,
    make_app,
    served,
)

EXAMPLE: Final = Path(__file__).resolve().parents[3] / "examples" / "pop-moves-smtp-unchanged.toml"


async def test_only_the_receiving_server_is_checked_and_shown(
    tmp_path: Path,
    clock: Clock,
    smtp: SmtpServer,
    dovecot: DovecotServer,
    certificates: Certificates,
) -> None:
    app = make_app(tmp_path, clock, smtp, dovecot, certificates, check_outgoing=False)
    connections = smtp.connections
    async with served(app) as client:
        conversation, path = await chat_to_check_link(client)
        done = await client.post(path, data={"password": PASSWORD})
        history = await history_texts(client, conversation)

    assert done.status_code == 200
    # Sending is not the migration's to test: the outgoing server saw no connection.
    assert smtp.connections == connections
    result = next(line for line in history.splitlines() if "ログインを確認できました" in line)
    for words in (done.text, result):
        assert "新しい設定で、受信サーバーにログインできます" in words
        assert "ログインできました" in words
        assert "送信" not in words


async def test_the_check_page_of_a_receiving_only_profile_names_the_incoming_server_only(
    tmp_path: Path,
    clock: Clock,
    smtp: SmtpServer,
    dovecot: DovecotServer,
    certificates: Certificates,
) -> None:
    # It said 「新しい設定（受信サーバー・送信サーバー）に、実際にログインできるかを確認します」.
    # Inside the profile's window (2027-09-01 to 09-30): before it no check is offered.
    clock.now = dt.datetime(2027, 9, 10, 3, 0, tzinfo=dt.UTC)
    app = make_app(
        tmp_path,
        clock,
        smtp,
        dovecot,
        certificates,
        check_outgoing=False,
        profile_path=EXAMPLE,
    )
    async with served(app) as client:
        _, path = await chat_to_check_link(client, address="taro@yamabiko.example.ne.jp")
        form = await client.get(path)

    assert form.status_code == 200
    assert "新しい受信の設定（受信サーバー）に" in form.text
    assert "送信の設定は変わりませんので、確認しません" in form.text


async def _chat_whose_sending_stays(client: httpx.AsyncClient) -> tuple[str, str]:
    """A web chat that said sending stays (another company's server) and asked for a check."""
    created = (await client.post("/api/webchat/conversations", json={"locale": "ja"})).json()
    conversation = created["conversation_id"]
    url = f"/api/webchat/conversations/{conversation}/messages"
    # A mail program; other networks too; not 117net's outgoing server (Q3 no).
    for body in (
        {"choice": "yes"},
        {"choice": "yes"},
        {"choice": "no"},
        {"text": ADDRESS},
        {"choice": "program:thunderbird"},
    ):
        assert (await client.post(url, json=body)).status_code == 200
    replies = (await client.post(url, json={"choice": "check"})).json()["replies"]
    links = [r["url"] for r in replies if r["type"] == "link"]
    assert len(links) == 1
    return conversation, urlsplit(links[0]).path


async def test_a_subscriber_whose_sending_stays_is_checked_on_receiving_only(
    tmp_path: Path,
    clock: Clock,
    smtp: SmtpServer,
    dovecot: DovecotServer,
    certificates: Certificates,
) -> None:
    # The seed's profile changes both servers, but this subscriber's card marks every sending
    # row 「変更なし」. The check logged in to the new outgoing server too and said 「新しい設定で、
    # 受信サーバーにも送信サーバーにもログインできます」 (on a refusal, 「送信の認証にも、メール
    # アドレス全体…を使います」), of settings the chat told them to leave as they are.
    app = make_app(tmp_path, clock, smtp, dovecot, certificates)
    connections = smtp.connections
    async with served(app) as client:
        conversation, path = await _chat_whose_sending_stays(client)
        form = await client.get(path)
        done = await client.post(path, data={"password": PASSWORD})
        history = await history_texts(client, conversation)

    assert "送信の設定は変わりませんので、確認しません" in form.text
    assert "受信サーバー・送信サーバー" not in form.text
    assert done.status_code == 200
    assert smtp.connections == connections
    result = next(line for line in history.splitlines() if "ログインを確認できました" in line)
    for words in (done.text, result):
        assert "新しい設定で、受信サーバーにログインできます" in words
        assert "送信" not in words


async def test_a_subscriber_whose_sending_stays_is_sent_no_test_message(
    tmp_path: Path,
    clock: Clock,
    smtp: SmtpServer,
    dovecot: DovecotServer,
    certificates: Certificates,
) -> None:
    # The test message went through the new outgoing server, logged in to with their
    # password, and the result went on 「なお、…送信ポート587番につながるかどうかは、ここでは
    # わかりません。587番は…」: a port their card never names (every sending row 「変更なし」).
    app = make_app(tmp_path, clock, smtp, dovecot, certificates)
    connections = smtp.connections
    async with served(app) as client:
        conversation, path = await _chat_whose_sending_stays(client)
        form = await client.get(path)
        # As a form opened before the chat's verdict changed would still send it.
        done = await client.post(path, data={"password": PASSWORD, "round_trip": "1"})
        history = await history_texts(client, conversation)

    assert 'name="round_trip"' not in form.text
    assert "この確認では、メールは送信しません" in form.text
    assert "お使いのメールソフトからご自分宛てにメールを送ってみてください" in form.text
    assert "テストメールの欄" not in form.text
    assert done.status_code == 200
    assert smtp.connections == connections
    result = next(line for line in history.splitlines() if "ログインを確認できました" in line)
    for words in (done.text, result):
        assert "新しい設定で、受信サーバーにログインできます" in words
        assert "テストメール" not in words
        assert "587" not in words
