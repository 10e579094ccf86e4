"""What the login-check tests share: the app on loopback mail servers, and the chat that
leads to a check link."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from starlette.applications import Starlette

from bot.mailcheck.login_checks import CheckSettings
from bot.mailcheck.target import CheckTarget
from bot.ops.settings import Settings
from bot.server import build_app
from dialogs.profile import Security
from testbed import mailservers
from testbed.mailservers import CHECK_ACCOUNT, Certificates, DovecotServer, SmtpServer

PASSWORD = CHECK_ACCOUNT.password
ADDRESS = CHECK_ACCOUNT.address


class Clock:
    """The engine's clock, moved by hand."""

    def __init__(self) -> None:
        self.now = dt.datetime(2008, 6, 1, 3, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def make_app(
    tmp_path: Path,
    clock: Clock,
    smtp: SmtpServer,
    dovecot: DovecotServer,
    cert: Certificates,
    *,
    limit: int = 5,
    store_url: str = "",
    pop_port: int | None = None,
    smtp_port: int | None = None,
    check_incoming: bool = True,
    check_outgoing: bool = True,
    profile_path: Path | None = None,
    stop_wait: float = 10.0,
) -> Starlette:
    """The whole server, its check pointed at the loopback servers (SQLite unless told).

    `pop_port`: another port for the receiving side (one nothing listens on, say);
    `smtp_port`: the same for the sending side;
    `check_incoming=False`: a sending-only migration's check, which leaves receiving alone;
    `check_outgoing=False`: a receiving-only migration's, which leaves sending alone;
    `profile_path`: the profile the chat and the pages are worded from (the seed's if None);
    `stop_wait`: how long a login runs on once the server is told to stop.
    """
    target = CheckTarget(
        smtp_host=smtp.host,
        smtp_port=smtp_port or smtp.port,
        smtp_security=Security.STARTTLS,
        pop_host=mailservers.HOST,
        pop_port=pop_port or dovecot.pop3_port,
        pop_security=Security.STARTTLS,
        allow_plaintext_login=False,
        check_incoming=check_incoming,
        check_outgoing=check_outgoing,
    )
    settings = Settings(
        store_url=store_url or f"sqlite:///{tmp_path}/store.sqlite3",
        check_limit=limit,
        profile_path=profile_path,
    )
    check = CheckSettings(
        target=target, timeout=5.0, tls_context=cert.client_context(), stop_wait=stop_wait
    )
    return build_app(settings, clock=clock, check=check)


@contextlib.asynccontextmanager
async def served(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """A client of `app`, its store open for as long as the block runs."""
    store = app.state.runtime.engine.store
    await store.open()
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client
    finally:
        await store.close()


async def chat_to_check_link(
    client: httpx.AsyncClient, *, address: str = ADDRESS, locale: str = "ja"
) -> tuple[str, str]:
    """A web chat conversation that asked for a check: its id and the link's path."""
    created = (await client.post("/api/webchat/conversations", json={"locale": locale})).json()
    conversation = created["conversation_id"]
    url = f"/api/webchat/conversations/{conversation}/messages"
    for body in (
        {"choice": "settings"},
        {"text": address},
        {"choice": "program:thunderbird"},
        {"choice": "yes"},
    ):
        assert (await client.post(url, json=body)).status_code == 200
    replies = (await client.post(url, json={"choice": "check"})).json()["replies"]
    links = [r["url"] for r in replies if r["type"] == "link"]
    assert len(links) == 1
    assert PASSWORD not in str(replies)
    return conversation, urlsplit(links[0]).path


async def history_texts(client: httpx.AsyncClient, conversation: str) -> str:
    """Every line of the conversation's transcript, as the web chat shows them."""
    lines = (await client.get(f"/api/webchat/conversations/{conversation}/messages")).json()
    return "\n".join(str(m.get("reply", m.get("text"))) for m in lines["messages"])
