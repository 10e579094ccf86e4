"""The login check is no password oracle: one client may submit only so many checks an hour.

The check page takes any address of the profile's domains (the subscriber may correct it)
and says whether the password logs in. The per-conversation and per-address limits bound
guesses at one account, but not one client trying a common password on account after
account, each with a fresh conversation's link: 60 conversations per 10 minutes, 5 checks
each, about 1,800 tries an hour. `MAILMOVE_CHECK_CLIENT_LIMIT` submits per client in
`MAILMOVE_CHECK_WINDOW` (20 an hour by default) bounds that, before any link is claimed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from tests.bot.mailcheck.check_flow import chat_to_check_link

FORM = {"address": "taro@vp.117.ne.jp", "password": "guess-0001"}


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Starlette]:
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3", check_client_limit=3, check_window=3600
    )
    app = build_app(settings, clock=fixed_clock())
    async with app.router.lifespan_context(app):
        yield app


def client(app: Starlette, address: str = "192.0.2.1") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_a_client_past_its_checks_gets_the_pages_429(app: Starlette) -> None:
    async with client(app) as one, client(app, "192.0.2.2") as other:
        tried = [(await one.post(f"/check/link{n}", data=FORM)).status_code for n in range(3)]
        assert tried == [404, 404, 404]  # no such links: counted all the same
        refused = await one.post("/check/link4", data=FORM)
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 3600
        # A page for the subscriber's browser, in Japanese, not the APIs' JSON.
        assert refused.headers["content-type"].startswith("text/html")
        assert "短い時間に確認が続いたため" in refused.text
        assert refused.headers["cache-control"] == "no-store"
        # Looking at a made-up link is guessing too.
        assert (await one.get("/check/link5")).status_code == 429
        # Another client has its own allowance.
        assert (await other.post("/check/link6", data=FORM)).status_code == 404
        # The web chat is another limit.
        assert (await one.post("/api/webchat/conversations", json={})).status_code == 201


def test_the_limit_is_read_from_the_environment() -> None:
    assert Settings.from_env({}).check_client_limit == 20
    read = Settings.from_env({"MAILMOVE_CHECK_CLIENT_LIMIT": "7"})
    assert read.check_client_limit == 7


async def test_guessed_links_do_not_lock_the_subscribers_own_link_out(app: Starlette) -> None:
    """Unknown links are guesses, counted apart: past them, a real link still opens and checks.

    Before, every POST counted against the checks' limit, so 20 posts to made-up links from
    one address (a guesser, or anyone behind the same NAT) refused the subscriber's own check
    with 429 for the hour.
    """
    async with client(app) as one:
        _, link = await chat_to_check_link(one)
        guessed = [(await one.post(f"/check/guess{n}", data=FORM)).status_code for n in range(3)]
        assert guessed == [404, 404, 404]
        # Guessing is still stopped: the next made-up link is refused, looked at or posted.
        assert (await one.post("/check/guess4", data=FORM)).status_code == 429
        assert (await one.get("/check/guess5")).status_code == 429
        # The subscriber's own link still opens, and a form it posts is read, not refused.
        assert (await one.get(link)).status_code == 200
        asked_again = await one.post(link, data={"address": FORM["address"], "password": ""})
        assert asked_again.status_code != 429
        assert 'id="password"' in asked_again.text


async def test_a_real_link_posted_still_counts_against_the_checks(app: Starlette) -> None:
    """The password oracle stays bounded: posts to links that open a form are the checks."""
    async with client(app) as one:
        _, link = await chat_to_check_link(one)
        empty = {"address": FORM["address"], "password": ""}
        tried = [(await one.post(link, data=empty)).status_code for _ in range(3)]
        assert 429 not in tried
        assert (await one.post(link, data=empty)).status_code == 429
        # Looking at the link is no check.
        assert (await one.get(link)).status_code == 200
