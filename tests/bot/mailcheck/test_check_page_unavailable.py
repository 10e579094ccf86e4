"""The login check's form posted while the server cannot take it: a page, not JSON.

While a replica shut down, or while the store was down, the subscriber's browser showed
`{"error": "this replica is shutting down; retry"}`: English code on a Japanese page, no way
back. The form comes back instead, in the conversation's language, saying nothing was
checked yet; the link stays unused.
"""

from __future__ import annotations

import html
import secrets
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from bot.ops.catalogs import Catalogs
from dialogs.vocabulary import Locale
from testbed.mailservers import Certificates, DovecotServer, SmtpServer
from testbed.redis_server import running_redis
from tests.bot.mailcheck.check_flow import ADDRESS, PASSWORD, Clock, chat_to_check_link, make_app


def assert_asked_again(refused: httpx.Response, catalogs: Catalogs, locale: Locale) -> None:
    assert refused.status_code == 503
    assert refused.headers["content-type"].startswith("text/html")
    assert f'<html lang="{locale}">' in refused.text
    assert html.escape(catalogs(locale, "check_page.busy")) in refused.text
    assert 'type="password"' in refused.text  # the form, to try again
    assert PASSWORD not in refused.text
    assert refused.headers["retry-after"]
    assert refused.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("locale", ["ja", "en"])
async def test_a_form_posted_while_the_replica_drains_gets_the_form_again(
    app: Starlette,
    client: httpx.AsyncClient,
    catalogs: Catalogs,
    smtp: SmtpServer,
    locale: Locale,
) -> None:
    _, path = await chat_to_check_link(client, locale=locale)
    connections = smtp.connections
    app.state.draining.begin()
    refused = await client.post(path, data={"address": ADDRESS, "password": PASSWORD})
    assert_asked_again(refused, catalogs, locale)
    assert refused.headers["connection"] == "close"  # the next try reaches another replica
    assert smtp.connections == connections  # nothing was tried
    opened = await client.get(path)  # the link was not used
    assert opened.status_code == 200
    assert 'type="password"' in opened.text


async def test_a_form_posted_while_the_store_is_down_gets_the_form_again(
    tmp_path: Path,
    clock: Clock,
    smtp: SmtpServer,
    dovecot: DovecotServer,
    certificates: Certificates,
    catalogs: Catalogs,
) -> None:
    with running_redis() as redis:
        url = f"{redis.url}?prefix=t{secrets.token_hex(4)}:"
        app = make_app(tmp_path, clock, smtp, dovecot, certificates, store_url=url)
        store = app.state.runtime.engine.store
        await store.open()
        try:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                _, path = await chat_to_check_link(client)
                redis.kill()
                sent = {"address": ADDRESS, "password": PASSWORD}
                # The first finds the store gone inside the check, the next at the door.
                for _ in range(2):
                    refused = await client.post(path, data=sent)
                    assert_asked_again(refused, catalogs, "ja")
        finally:
            await store.close()
