"""In a channel's thread what is the subscriber's own goes to their DM with the app.

Every member of the channel reads the thread. The link opens the login check of the
subscriber's own account (their address filled in, one use): posted in the thread as the
other replies are, any member could open it, read the address, spend the link, or try
passwords on that account. The settings card names their address and their servers, and the
guide read with it their address again. They go to the subscriber's DM with the app (kept
there to read again; an ephemeral message is gone when Slack reloads), and the thread says
where they went; where the DM cannot be posted to, they are ephemeral messages in the
thread. In a DM, which only they read, they stay ordinary messages.
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
from dialogs.vocabulary import LinkReply, TextReply
from testbed.clock import fixed_clock
from tests.adapters.channel_contract import Harness, all_but, load_payload
from tests.adapters.slack import test_channel as slack_tests
from tests.dialogs.driver import Driver
from tests.fakes.platform_api import SLACK_TEAM, running_fake

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


async def _in_a_thread(harness: Harness, oracle: Driver) -> str:
    mention = load_payload("slack", "app_mention")
    thread = str(mention["event"]["ts"])
    expected = sum(len(render(reply)) for reply in oracle.start(locale="ja").replies)
    assert (await harness.post(slack_tests.event_request(mention))).status_code == 200
    await harness.fake.wait_for(lambda: _posts(harness) >= expected)
    for n, text in enumerate(ANSWERS, start=2):
        await _say(harness, oracle, n, text, thread=thread)
    await harness.runtime.tasks.idle()
    return thread


async def test_in_a_channel_thread_only_the_subscriber_sees_the_link(
    harness: Harness, oracle: Driver
) -> None:
    thread = await _in_a_thread(harness, oracle)
    posted = harness.fake.calls_to("slack", "chat.postMessage")
    in_channel = [p for p in posted if p.params["channel"] == CHANNEL]
    assert _links([p.params.get("text", "") for p in in_channel]) == []
    to_them = [p for p in posted if p.params["channel"] == SUBSCRIBER]
    [link] = [p for p in to_them if _links([p.params.get("text", "")])]
    assert "thread_ts" not in link.params
    shown = harness.fake.calls_to("slack", "chat.postEphemeral")
    assert _links([str(n.params.get("text", "")) for n in shown]) == []
    # The rest of the answer stays in the thread for the subscriber to read back.
    assert all(p.params.get("thread_ts") == thread for p in in_channel)
    assert any("ほかにお手伝いできることはありますか" in p.params["text"] for p in in_channel[-2:])


async def test_in_a_channel_thread_the_settings_card_goes_to_their_dm(
    harness: Harness, oracle: Driver
) -> None:
    # The card named the subscriber's address and servers to every member of the channel.
    await _in_a_thread(harness, oracle)
    posted = harness.fake.calls_to("slack", "chat.postMessage")
    in_channel = [str(p.params.get("text", "")) for p in posted if p.params["channel"] == CHANNEL]
    to_them = [str(p.params.get("text", "")) for p in posted if p.params["channel"] == SUBSCRIBER]
    assert not any("vpop.117.ne.jp" in text and "taro@" in text for text in in_channel)
    assert any(text.startswith("新しい設定（taro@vp.117.ne.jp）") for text in to_them), to_them
    # The guide read with the card goes with it, and the thread says where they went.
    assert any(text.startswith("Thunderbirdでの設定手順") for text in to_them), to_them
    note = harness.runtime.catalogs("ja", "slack.sent_to_dm")
    assert in_channel.count(note) == 2, in_channel  # the card's turn and the link's
    # The questions stay in the thread: their buttons answer this conversation.
    assert "解決しましたか？" in in_channel


async def test_where_the_dm_is_refused_they_are_shown_to_the_subscriber_alone(
    harness: Harness, oracle: Driver
) -> None:
    harness.fake.slack_gone.add(SUBSCRIBER)
    thread = await _in_a_thread(harness, oracle)
    posted = harness.fake.calls_to("slack", "chat.postMessage")
    in_channel = [str(p.params.get("text", "")) for p in posted if p.params["channel"] == CHANNEL]
    assert _links(in_channel) == []
    assert not any(text.startswith("新しい設定（taro@") for text in in_channel)
    note = harness.runtime.catalogs("ja", "slack.sent_to_dm")
    assert note not in in_channel
    shown = harness.fake.calls_to("slack", "chat.postEphemeral")
    assert {(n.params["user"], n.params["thread_ts"]) for n in shown} == {(SUBSCRIBER, thread)}
    texts = [str(n.params.get("text", "")) for n in shown]
    assert any(text.startswith("新しい設定（taro@vp.117.ne.jp）") for text in texts), texts
    assert len(_links(texts)) == 1


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


async def test_a_link_pushed_into_the_thread_goes_to_the_subscribers_dm(
    harness: Harness, oracle: Driver
) -> None:
    # A hand-back answers the subscriber's last words (「ログインを確認したい」) by a push,
    # which posted the check's link in the thread for every member of the channel to open.
    thread = await _in_a_thread(harness, oracle)
    key = f"{SLACK_TEAM}:{CHANNEL}:{thread}"
    before = len(harness.fake.calls_to("slack", "chat.postMessage"))
    link = LinkReply("ログイン確認ページを開く", "https://mailmove.test/check/abc")
    await harness.runtime.delivery.push("slack", key, [TextReply("確認できます。"), link])
    posted = harness.fake.calls_to("slack", "chat.postMessage")[before:]
    in_channel = [str(p.params.get("text", "")) for p in posted if p.params["channel"] == CHANNEL]
    to_them = [str(p.params.get("text", "")) for p in posted if p.params["channel"] == SUBSCRIBER]
    assert in_channel == ["確認できます。", harness.runtime.catalogs("ja", "slack.sent_to_dm")]
    assert _links(to_them) == to_them
    assert len(to_them) == 1


async def test_opening_the_dm_to_read_them_does_not_start_the_questions_again(
    harness: Harness, oracle: Driver
) -> None:
    # A first visit to the DM greets an empty one; the card's DM was greeted with the
    # questionnaire's first question under the card, as if the subscriber had to start over.
    await _in_a_thread(harness, oracle)
    before = len(harness.fake.calls_to("slack", "chat.postMessage"))
    opened = load_payload("slack", "app_home_opened")
    assert opened["event"]["user"] == SUBSCRIBER
    assert (await harness.post(slack_tests.event_request(opened))).status_code == 200
    await harness.runtime.tasks.idle()
    assert len(harness.fake.calls_to("slack", "chat.postMessage")) == before


async def test_at_the_address_question_they_are_told_once_the_channel_reads_the_thread(
    harness: Harness, oracle: Driver
) -> None:
    # The card goes to the DM, but the address asked for is typed in the thread, where
    # every member reads it: nothing said so, the subscriber typed it for all to see.
    thread = await _in_a_thread(harness, oracle)
    hint = harness.runtime.catalogs("ja", "slack.address_read_by_channel")
    shown = [n for n in harness.fake.calls_to("slack", "chat.postEphemeral")]
    [told] = [n for n in shown if n.params.get("text") == hint]
    assert (told.params["user"], told.params["thread_ts"]) == (SUBSCRIBER, thread)
    # Said under the question: after the post that asked for the address.
    asking = [
        c
        for c in harness.fake.calls
        if c.platform == "slack"
        and c.method in ("chat.postMessage", "chat.postEphemeral")
        and ("メールアドレスを入力してください" in str(c.params.get("text")) or c is told)
    ]
    assert [c.method for c in asking] == ["chat.postMessage", "chat.postEphemeral"]


async def test_in_a_dm_nobody_is_told_the_channel_reads_it(
    harness: Harness, oracle: Driver
) -> None:
    expected = sum(len(render(reply)) for reply in oracle.start(locale="ja").replies)
    greeting = slack_tests.message_event("message_im", "こんにちは", 1)
    assert (await harness.post(slack_tests.event_request(greeting))).status_code == 200
    await harness.fake.wait_for(lambda: _posts(harness) >= expected)
    for n, text in enumerate(ANSWERS[:3], start=2):
        await _say(harness, oracle, n, text, thread=None)
    await harness.runtime.tasks.idle()
    assert harness.fake.calls_to("slack", "chat.postEphemeral") == []


async def test_an_address_deleted_from_the_thread_takes_the_bots_echo_of_it(
    harness: Harness, oracle: Driver
) -> None:
    # The subscriber deleted the message that gave their address, typed where the channel
    # reads it: the conversation forgot it, and the bot's 「ありがとうございます。
    # taro@vp.117.ne.jpの設定をご案内します。」 kept it in the thread for everyone.
    thread = await _in_a_thread(harness, oracle)
    said = f"1212345678.{ANSWERS.index('taro@vp.117.ne.jp') + 2:06d}"
    deleted = slack_tests.message_event("message_channel", "", 20)
    deleted["event"].update(
        subtype="message_deleted",
        hidden=True,
        deleted_ts=said,
        previous_message={
            "type": "message",
            "user": SUBSCRIBER,
            "text": "taro@vp.117.ne.jp",
            "ts": said,
            "thread_ts": thread,
        },
    )
    del deleted["event"]["user"]
    assert (await harness.post(slack_tests.event_request(deleted))).status_code == 200
    await harness.runtime.tasks.idle()
    naming = {
        p.result["ts"]
        for p in harness.fake.calls_to("slack", "chat.postMessage")
        if p.params["channel"] == CHANNEL and "taro@vp.117.ne.jp" in str(p.params.get("text"))
    }
    assert naming
    removed = harness.fake.calls_to("slack", "chat.delete")
    assert {(c.params["channel"], c.params["ts"]) for c in removed} == {
        (CHANNEL, ts) for ts in naming
    }
