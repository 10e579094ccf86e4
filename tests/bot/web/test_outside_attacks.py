"""What a hostile client gets from outside: requests crafted against the whole served app.

Each test is one way in that an attack on the running server (`mailmove serve`, every channel
and desk on) found open: a page served without its security headers, a redirect that named
the host the client sent, a 405 that hid a method the path takes, an unsigned Slack request
that made the server fail with 500, pages old browsers could frame, a forged button and
invisible controls kept in the transcript agents read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Final

import httpx
import pytest
from starlette.applications import Starlette

from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from tests.fakes.platform_api import FakePlatformAPI, running_fake

TOKEN: Final = "agent-token-0123456789"
SIGNING_SECRET: Final = "8f742231b10e8888abcd99yyyzzz85a5"
ELSEWHERE: Final = "evil.example"


@pytest.fixture
async def fake() -> AsyncIterator[FakePlatformAPI]:
    async with running_fake() as fake:
        yield fake


@pytest.fixture
async def client(fake: FakePlatformAPI, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    # The Slack channel and the Slack agents' desk on, beside the web chat and the console.
    environ = {
        "SLACK_BOT_TOKEN": "xoxb-1111-2222-mailmove",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": f"{fake.url}/slack/api/",
        "SLACK_AGENTS_CHANNEL": "C0AGENTS",
    }
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        agent_tokens=(TOKEN,),
        public_url="https://bot.example.jp",
        environ=environ,
    )
    app: Starlette = build_app(settings, clock=fixed_clock())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def test_a_page_is_served_only_where_it_carries_its_headers(
    client: httpx.AsyncClient,
) -> None:
    # The chat page and the console were served a second time as static files, without
    # their CSP and frame-ancestors: any site could frame the console (or the chat page,
    # whatever MAILMOVE_EMBED_ORIGINS says) through /agent/static/console.html.
    for path in ("/webchat/static/index.html", "/agent/static/console.html"):
        assert (await client.get(path)).status_code == 404, path
    for page in ("/", "/agent/"):
        answer = await client.get(page)
        assert answer.status_code == 200
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    # The pages' own scripts and styles are still there.
    for asset in (
        "/webchat/static/chat.js",
        "/webchat/static/chat.css",
        "/agent/static/console.js",
        "/mailcheck/static/check_page.css",
    ):
        assert (await client.get(asset)).status_code == 200, asset


async def test_no_answer_sends_the_client_to_the_host_it_named(client: httpx.AsyncClient) -> None:
    # Starlette's slash redirect built an absolute Location from the Host header: behind a
    # cache or a proxy that passes Host on, a forged Host sent the next client elsewhere.
    elsewhere = {"host": ELSEWHERE}
    answers = [
        await client.get("/webchat/static", headers=elsewhere),
        await client.get("/agent/static", headers=elsewhere),
        await client.get("/mailcheck/static", headers=elsewhere),
        await client.get("/agent", headers=elsewhere),
        await client.post("/api/webchat/conversations/", json={}, headers=elsewhere),
        await client.get("/api/agent/conversations/", headers=elsewhere),
    ]
    for answer in answers:
        assert ELSEWHERE not in answer.headers.get("location", ""), answer.url
        assert ELSEWHERE.encode() not in answer.content, answer.url


def allowed(answer: httpx.Response) -> set[str]:
    return {method.strip() for method in answer.headers["allow"].split(",")}


async def test_a_method_not_allowed_names_every_method_the_path_takes(
    client: httpx.AsyncClient,
) -> None:
    link = "/check/" + "A" * 32
    refused = await client.put(link)
    assert refused.status_code == 405
    assert allowed(refused) == {"GET", "HEAD", "POST"}
    messages = f"/api/webchat/conversations/{'0' * 32}/messages"
    refused = await client.delete(messages)
    assert refused.status_code == 405
    assert allowed(refused) == {"GET", "HEAD", "POST"}
    # The methods each path takes still answer as before.
    assert (await client.get(link)).status_code == 404  # no such link
    assert (await client.post(link, data={"password": "x"})).status_code == 404
    assert (await client.get(messages)).status_code == 404  # no such conversation
    assert (await client.head("/")).status_code == 200


@pytest.mark.parametrize("path", ["/slack/events", "/slack/agents/actions", "/slack/agents/events"])
@pytest.mark.parametrize("timestamp", ["9" * 400, "1e999", "-" + "9" * 400])
async def test_a_slack_timestamp_too_large_for_a_clock_is_refused(
    client: httpx.AsyncClient, path: str, timestamp: str
) -> None:
    # slack_sdk compares int(timestamp) with the clock's float: a 400-digit number raised
    # OverflowError before the signature was checked, and an unsigned request got a 500
    # and an ERROR traceback in the log.
    headers = {
        "content-type": "application/json",
        "x-slack-request-timestamp": timestamp,
        "x-slack-signature": "v0=" + "0" * 64,
    }
    answer = await client.post(path, content=b"{}", headers=headers)
    assert answer.status_code == 401


async def test_pages_that_no_site_may_frame_say_so_to_old_browsers_too(
    client: httpx.AsyncClient, tmp_path: Path
) -> None:
    # frame-ancestors is CSP level 2; browsers without it (and some in-app browsers) read
    # only X-Frame-Options. The check page said DENY; the console and the chat page did not.
    for page in ("/", "/agent/", "/check/" + "A" * 32):
        answer = await client.get(page)
        assert answer.headers["x-frame-options"] == "DENY", page
    # With sites allowed to frame the chat, its page must not say DENY (X-Frame-Options
    # cannot name them): frame-ancestors alone lists them. The console still says DENY.
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/embed.sqlite3",
        agent_tokens=(TOKEN,),
        embed_origins=("https://www.example.jp",),
    )
    app: Starlette = build_app(settings, clock=fixed_clock())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as framed:
            chat = await framed.get("/")
            console = await framed.get("/agent/")
    assert "x-frame-options" not in chat.headers
    assert "frame-ancestors https://www.example.jp;" in chat.headers["content-security-policy"]
    assert console.headers["x-frame-options"] == "DENY"


async def test_a_web_chat_choice_is_a_button_id_and_nothing_else(
    client: httpx.AsyncClient,
) -> None:
    # `choice` took any string up to 200 characters and the transcript kept it as a pressed
    # button, `[…]`, unmasked: a password or a line of HTML written into the record the
    # agents read, as if the subscriber had pressed a button of that name.
    created = (await client.post("/api/webchat/conversations", json={})).json()
    messages = f"/api/webchat/conversations/{created['conversation_id']}/messages"
    question = created["question"]
    forgeries = ["パスワードはZq9xK!w7です", "<b>yes</b>", "yes no", "YES", "program:../x"]
    forgeries.append("a" * 65)
    for forged in forgeries:
        answer = await client.post(messages, json={"choice": forged, "question": question})
        assert answer.status_code == 422, forged
        assert "choice" in answer.json()["error"]
    lines = (await client.get(messages)).json()["messages"]
    assert [line for line in lines if line["author"] == "subscriber"] == []
    # The bot's own button ids are taken as before.
    for choice in ("yes", "program:thunderbird", "feedback:solved", "topic:pop_before_smtp"):
        answer = await client.post(messages, json={"choice": choice})
        assert answer.status_code == 200, choice


async def test_invisible_controls_in_a_web_chat_message_are_not_kept(
    client: httpx.AsyncClient,
) -> None:
    # The web chat took NUL, escape sequences and bidi overrides as typed, and kept them in
    # the transcript the agents read and the desks are sent: an unclosed U+202E turned the
    # rest of a handoff summary's quotes round for the agent, and NUL is a character
    # Chatwoot's database refuses. The agent API already refuses control characters.
    created = (await client.post("/api/webchat/conversations", json={})).json()
    messages = f"/api/webchat/conversations/{created['conversation_id']}/messages"
    typed = "送信\x00でき\x1b[31mません\u202e。\r\n次の行\u2066です\u2069\t！"
    assert (await client.post(messages, json={"text": typed})).status_code == 200
    lines = (await client.get(messages)).json()["messages"]
    said = [line["text"] for line in lines if line["author"] == "subscriber"]
    assert said == ["送信でき[31mません。\n次の行です\t！"]
    # Nothing but controls is nothing typed.
    blank = await client.post(messages, json={"text": "\u202e\x00\x1b"})
    assert blank.status_code == 422
