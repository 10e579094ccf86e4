"""In a channel's thread the login check's link is shown to the subscriber alone.

Every member of the channel reads the thread. The link opens the login check of the
subscriber's own account (their address filled in, one use): posted in the thread as the
other replies are, any member could open it, read the address, spend the link, or try
passwords on that account. It goes as an ephemeral message to the subscriber; in a DM,
which only they read, it stays an ordinary message.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from adapters.slack.render import render
from bot.ops.catalogs import Catalogs
from bot.server import build_app
from bot.store.sqlite_store import SQLiteStore
from dialogs.profile import MigrationProfile
from testbed.clock import fixed_clock
from tests.adapters.channel_contract import Harness, all_but, load_payload
from tests.adapters.slack import test_channel as slack_tests
from tests.dialogs.driver import Driver
from tests.fakes.platform_api import running_fake

CHANNEL = "C0HELPDESK"
SUBSCRIBER = "U0SUBSCRIBER"
# The questionnaire as typed, up to asking for the check (the dialog's own path).
ANSWERS = ("はい", "いいえ", "taro@vp.117.ne.jp", "Thunderbird", "はい", "ログインを確認したい")


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with running_fake() as fake:
        store = SQLiteStore(tmp_path / "conversations.sqlite3")
        settings = slack_tests.TestSlackChannel().settings(fake.url)
        app = build_app(
            settings, clock=fixed_clock(), store=store, exclude_channels=all_but("slack")
        )
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://mailmove.test") as client,
        ):
            yield Harness(app, fake, store, client)


def _posts(harness: Harness) -> int:
    fake = harness.fake
    return len(fake.calls_to("slack", "chat.postMessage")) + len(
        fake.calls_to("slack", "chat.postEphemeral")
    )


async def _say(harness: Harness, oracle: Driver, n: int, text: str, *, thread: str | None) -> None:
    """Type `text`; wait until Slack received every message of the dialog's answer."""
    expected = sum(len(render(reply)) for reply in oracle.type(text).replies)
    before = _posts(harness)
    if thread is None:
        payload = slack_tests.message_event("message_im", text, n)
    else:
        payload = slack_tests.message_event("message_channel", text, n)
        payload["event"]["thread_ts"] = thread
    payload["event"]["user"] = SUBSCRIBER
    answer = await harness.post(slack_tests.event_request(payload))
    assert answer.status_code == 200, answer.text
    await harness.fake.wait_for(lambda: _posts(harness) >= before + expected)


def _links(texts: list[str]) -> list[str]:
    return [text for text in texts if "/check/" in text]


@pytest.fixture
def oracle(profile: MigrationProfile, catalogs: Catalogs) -> Driver:
    return Driver(profile, catalogs)


async def test_in_a_channel_thread_only_the_subscriber_sees_the_link(
    harness: Harness, oracle: Driver
) -> None:
    mention = load_payload("slack", "app_mention")
    thread = mention["event"]["ts"]
    expected = sum(len(render(reply)) for reply in oracle.start(locale="ja").replies)
    assert (await harness.post(slack_tests.event_request(mention))).status_code == 200
    await harness.fake.wait_for(lambda: _posts(harness) >= expected)
    for n, text in enumerate(ANSWERS, start=2):
        await _say(harness, oracle, n, text, thread=thread)
    await harness.settle()
    posted = harness.fake.calls_to("slack", "chat.postMessage")
    assert _links([p.params.get("text", "") for p in posted]) == []
    notes = harness.fake.calls_to("slack", "chat.postEphemeral")
    [link] = [n for n in notes if _links([n.params.get("text", "")])]
    assert (link.params["channel"], link.params["user"]) == (CHANNEL, SUBSCRIBER)
    assert link.params["thread_ts"] == thread
    # The rest of the answer stays in the thread for the subscriber to read back.
    assert any("ほかにお手伝いできることはありますか" in p.params["text"] for p in posted[-2:])


async def test_in_a_dm_the_link_is_an_ordinary_message(harness: Harness, oracle: Driver) -> None:
    expected = sum(len(render(reply)) for reply in oracle.start(locale="ja").replies)
    greeting = slack_tests.message_event("message_im", "こんにちは", 1)
    assert (await harness.post(slack_tests.event_request(greeting))).status_code == 200
    await harness.fake.wait_for(lambda: _posts(harness) >= expected)
    for n, text in enumerate(ANSWERS, start=2):
        await _say(harness, oracle, n, text, thread=None)
    await harness.settle()
    posted = harness.fake.calls_to("slack", "chat.postMessage")
    [link] = _links([p.params.get("text", "") for p in posted])
    assert link
    assert {p.params["channel"] for p in posted} == {slack_tests.DM}
    assert harness.fake.calls_to("slack", "chat.postEphemeral") == []
