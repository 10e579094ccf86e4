"""Chatwoot as the desk of every channel: a web chat handoff mirrored into an API inbox.

The real app (web chat and Chatwoot) against the fake Chatwoot API on loopback; the agent's
side is Chatwoot's webhook bodies (recorded shapes under tests/payloads/chatwoot/) for the
mirrored conversation.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Final

import httpx
import pytest
from starlette.applications import Starlette

from adapters.webchat.conversation_key import key_of
from bot.channels.registry import available_factories
from bot.engine import Clock
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import Owner, is_bookkeeping
from testbed.clock import fixed_clock
from tests.adapters.channel_contract import load_payload
from tests.adapters.chatwoot.test_markdown_escape import CHATWOOT, shown
from tests.fakes.chatwoot_api import (
    ACCOUNT,
    API_TOKEN,
    DESK_IDENTIFIER,
    MIRROR_ID_START,
    USER_TOKEN,
    FakeChatwoot,
)

WEBHOOK_TOKEN: Final = "cw-webhook-0123456789abcdef"
INBOX: Final = "9"
MIRROR: Final = str(MIRROR_ID_START)
AGENT: Final = "鈴木:agent-token-0123456789abcdef"
WAIT: Final = 10.0


@pytest.fixture
async def fake() -> AsyncIterator[FakeChatwoot]:
    fake = FakeChatwoot()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


def mirror_app(
    fake: FakeChatwoot, tmp_path: Path, desk_user: str, clock: Clock | None = None
) -> Starlette:
    """The web chat with the fake Chatwoot as its desk (not started), on `clock`."""
    environ = {
        "CHATWOOT_URL": fake.url,
        "CHATWOOT_API_TOKEN": API_TOKEN,
        "CHATWOOT_ACCOUNT_ID": ACCOUNT,
        "CHATWOOT_WEBHOOK_TOKEN": WEBHOOK_TOKEN,
        "CHATWOOT_DESK_INBOX_ID": INBOX,
        "CHATWOOT_DESK_INBOX_IDENTIFIER": DESK_IDENTIFIER,
    } | ({"CHATWOOT_DESK_USER_TOKEN": desk_user} if desk_user else {})
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3", environ=environ, agent_tokens=(AGENT,)
    )
    others = tuple(n for n in available_factories() if n not in ("webchat", "chatwoot"))
    return build_app(settings, clock=clock or fixed_clock(), exclude_channels=others)


@pytest.fixture
async def app(fake: FakeChatwoot, tmp_path: Path, desk_user: str) -> AsyncIterator[Starlette]:
    app = mirror_app(fake, tmp_path, desk_user)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mailmove.test") as client:
        yield client


class Subscriber:
    def __init__(self, client: httpx.AsyncClient, conversation: str) -> None:
        self.client, self.id, self.key = client, conversation, key_of(conversation)

    async def say(self, text: str) -> list[dict[str, Any]]:
        url = f"/api/webchat/conversations/{self.id}/messages"
        replies: list[dict[str, Any]] = (await self.client.post(url, json={"text": text})).json()[
            "replies"
        ]
        return replies

    async def page(self) -> dict[str, Any]:
        url = f"/api/webchat/conversations/{self.id}/messages"
        page: dict[str, Any] = (await self.client.get(url)).json()
        return page


async def handed_off(app: Starlette, client: httpx.AsyncClient) -> Subscriber:
    created = (await client.post("/api/webchat/conversations", json={})).json()
    subscriber = Subscriber(client, created["conversation_id"])
    await subscriber.say("taro@vp.117.ne.jp")
    await subscriber.say("人と話したいです")
    await app.state.runtime.tasks.idle()
    return subscriber


def from_agent(key: str, text: str, n: int, **changes: Any) -> dict[str, Any]:
    body = load_payload("chatwoot", "message_created_outgoing")
    conversation = body["conversation"]
    conversation.update(
        id=int(MIRROR), inbox_id=int(INBOX), status="open", custom_attributes={"mailmove_key": key}
    )
    body.update(
        id=8000 + n,
        content=text,
        content_type="text",
        content_attributes={},
        message_type="outgoing",
        private=False,
        sender={"id": 3, "name": "佐藤", "type": "user"},
        inbox={"id": int(INBOX), "name": "mailmove desk"},
    )
    body.update(changes)
    return body


def mirror_status(key: str, status: str) -> dict[str, Any]:
    body = load_payload("chatwoot", "conversation_status_changed")
    body.update(
        id=int(MIRROR), inbox_id=int(INBOX), status=status, custom_attributes={"mailmove_key": key}
    )
    body["changed_attributes"] = [{"status": {"previous_value": "open", "current_value": status}}]
    return body


async def webhook(client: httpx.AsyncClient, body: dict[str, Any]) -> httpx.Response:
    return await client.post(
        f"/webhooks/chatwoot/{WEBHOOK_TOKEN}",
        content=json.dumps(body, ensure_ascii=False).encode(),
        headers={"content-type": "application/json"},
    )


async def test_a_web_chat_handoff_opens_a_mirror_with_the_summary(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    subscriber = await handed_off(app, client)
    # Through the inbox's public Client API, without a token: no agent bot may create one.
    (contact,) = fake.calls_to("chatwoot", "contacts")
    assert "api_access_token" not in contact.headers
    # Under a source id of ours, random: a create made again finds the contact it made.
    assert contact.params["name"] == "taro@vp.117.ne.jp"
    assert contact.params["source_id"].startswith("mailmove:")
    (created,) = fake.calls_to("chatwoot", "conversations")
    assert created.params["custom_attributes"] == {"mailmove_key": subscriber.key}
    assert created.params["source_id"] == contact.params["source_id"]
    (note,) = fake.messages(private=True)
    assert note["conversation"] == MIRROR
    assert "taro@vp.117.ne.jp" in note["content"]
    assert (await subscriber.page())["owner"] == "queue"


async def test_the_summary_note_is_in_japanese_words_not_the_dialogs_ids(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    # The agent reads the note in Chatwoot in ten seconds: the program, the answers and the
    # verdict as the subscriber and the Slack desk see them, not `outlook_new`, `yes`,
    # `required`.
    created = (await client.post("/api/webchat/conversations", json={})).json()
    subscriber = Subscriber(client, created["conversation_id"])
    for words in ("はい", "はい", "わからない", "いいえ", "taro@vp.117.ne.jp", "新しいOutlook"):
        await subscriber.say(words)
    await subscriber.say("人と話したいです")
    await app.state.runtime.tasks.idle()
    (note,) = fake.messages(private=True)
    content = note["content"]
    assert "メールソフト: 新しいOutlook" in content
    # What each answer means, not 「Q1=はい」 for the agent to look up.
    assert (
        "質問への回答: メールソフトを使用：はい ・ 117net以外の回線や会社のLANからも接続：はい ・ "
        "117netの送信サーバーで送信：わからない ・ 接続先がポート25番の送信を制限（OP25B）：いいえ"
    ) in content
    assert "判定（受信/送信）：変更が必要 / 変更を推奨" in content
    for dialog_id in ("outlook_new", "=yes", "=unsure", "required", "recommended"):
        assert dialog_id not in content


async def test_words_cross_both_ways_and_pending_hands_back(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    subscriber = await handed_off(app, client)
    assert await subscriber.say("まだ届きません") == []
    await fake.wait_for(lambda: bool(fake.messages()), seconds=WAIT)
    (relayed,) = fake.messages()
    assert (relayed["conversation"], relayed["message_type"]) == (MIRROR, "incoming")
    assert relayed["content"] == "まだ届きません"
    # Chatwoot echoes the relayed message to the webhook: it is never a turn of its own.
    echo = from_agent(subscriber.key, "まだ届きません", 1, message_type="incoming")
    assert (await webhook(client, {**echo, "sender": {"type": "contact"}})).status_code == 200
    assert await app.state.runtime.engine.store.load(f"chatwoot:{MIRROR}") is None

    reply = from_agent(subscriber.key, "<b>確認いたします</b>", 2)
    assert (await webhook(client, reply)).status_code == 200
    assert (await webhook(client, reply)).status_code == 200  # Chatwoot sent it twice
    note = from_agent(subscriber.key, "社内メモ", 3, private=True)
    assert (await webhook(client, note)).status_code == 200
    page = await subscriber.page()
    agent_lines = [m for m in page["messages"] if m["author"] == "agent"]
    assert [(m["reply"]["text"], m["agent"]) for m in agent_lines] == [
        ("<b>確認いたします</b>", "佐藤")
    ]
    assert (page["owner"], page["agent"]) == ("agent", "佐藤")

    assert (await webhook(client, mirror_status(subscriber.key, "pending"))).status_code == 200
    record = await app.state.runtime.engine.store.load(subscriber.key)
    assert record is not None
    assert record.owner is Owner.BOT
    page = await subscriber.page()
    # The bot's lines: a desk's bookkeeping line (the mirror noting a message it posted, in
    # the background) may land after the greeting, as it did once in CI.
    said = [m for m in page["messages"] if m["author"] != "system"]
    assert "担当者から引き継ぎました" in json.dumps(said[-2:], ensure_ascii=False)


async def test_a_resolve_in_the_mirror_closes_and_asks_whether_it_was_solved(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    # Resolved is Chatwoot's "done", as the console's 「終了」 and Slack's 「終了する」 are. It
    # handed back: a subscriber whose question the agent had just answered read 「担当者から
    # 引き継ぎました」 and the questionnaire's next question.
    subscriber = await handed_off(app, client)
    answer = from_agent(subscriber.key, "設定は以上です", 1)
    assert (await webhook(client, answer)).status_code == 200
    assert (await webhook(client, mirror_status(subscriber.key, "resolved"))).status_code == 200
    await app.state.runtime.tasks.idle()
    page = await subscriber.page()
    assert page["owner"] == "closed"
    lines = await app.state.runtime.engine.store.transcript(subscriber.key)
    assert "closed by 佐藤 花子 (Chatwoot)" in [line.text for line in lines]
    said = [m for m in page["messages"] if m["author"] == "bot"]
    assert "解決しましたか？" in json.dumps(said[-1], ensure_ascii=False)
    assert "担当者から引き継ぎました" not in json.dumps(page, ensure_ascii=False)
    # Chatwoot made the change itself: it is not set there again.
    assert fake.toggles() == []
    # The answer is the bot's to take, and the bot answers it.
    answered = await subscriber.say("はい")
    assert answered
    assert "解決しましたか？" not in json.dumps(answered, ensure_ascii=False)


@pytest.mark.parametrize("desk_user", [USER_TOKEN])
async def test_words_the_subscriber_withdrew_are_deleted_from_the_mirror(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    # With CHATWOOT_DESK_USER_TOKEN: no agent bot may delete a message (BOT_ACCESSIBLE_ENDPOINTS).
    # LINE's unsend and Slack's deletion withdrew the words from the transcript, but their
    # copy in the mirror stayed for every agent of the inbox to read.
    subscriber = await handed_off(app, client)
    url = f"/api/webchat/conversations/{subscriber.id}/messages"
    words = "自宅の電話は 03-1234-5678 です"
    sent = await client.post(url, json={"text": words, "event_id": "said-1"})
    assert sent.status_code == 200
    await fake.wait_for(lambda: bool(fake.messages()), seconds=WAIT)
    (relayed,) = fake.calls_to("chatwoot", "messages")[-1:]
    assert relayed.params["content"] == words
    conversation = subscriber.key.split(":", 1)[1]
    said = f"webchat:{conversation}:said-1"
    engine = app.state.runtime.engine
    await app.state.runtime.tasks.idle()
    # Where the copy went is the desk's bookkeeping, which agents' tools are not shown.
    notes = [x for x in await engine.store.transcript(subscriber.key) if "relayed: " in x.text]
    assert notes
    assert all(is_bookkeeping(x) for x in notes)
    assert await engine.withdraw("webchat", conversation, "webchat:withdrawal:1", said)
    await fake.wait_for(lambda: bool(fake.calls_to("chatwoot", "delete")), seconds=WAIT)
    (deleted,) = fake.calls_to("chatwoot", "delete")
    assert deleted.accepted
    assert (deleted.params["conversation"], deleted.params["message"]) == (
        MIRROR,
        str(relayed.result["id"]),
    )
    assert words not in json.dumps(fake.calls_to("chatwoot", "delete")[0].result)
    # Sent again, the withdrawal deletes nothing more.
    assert not await engine.withdraw("webchat", conversation, "webchat:withdrawal:1", said)
    await app.state.runtime.tasks.idle()
    assert len(fake.calls_to("chatwoot", "delete")) == 1


async def test_a_mirror_key_outside_the_desk_inbox_reaches_no_one(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    subscriber = await handed_off(app, client)
    elsewhere = from_agent(subscriber.key, "なりすまし", 4)
    elsewhere["conversation"]["inbox_id"] = 3  # the web widget's inbox
    elsewhere["inbox"] = {"id": 3, "name": "Website"}
    assert (await webhook(client, elsewhere)).status_code == 200
    assert (
        await webhook(client, {**mirror_status(subscriber.key, "resolved"), "inbox_id": 3})
    ).status_code == 200
    assert all(m["author"] != "agent" for m in (await subscriber.page())["messages"])
    record = await app.state.runtime.engine.store.load(subscriber.key)
    assert record is not None
    assert record.owner is Owner.AGENT


async def test_a_second_handoff_reopens_the_same_mirror(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    subscriber = await handed_off(app, client)
    await webhook(client, mirror_status(subscriber.key, "pending"))
    await subscriber.say("人と話したいです")
    await app.state.runtime.tasks.idle()
    assert len(fake.calls_to("chatwoot", "conversations")) == 1
    assert (MIRROR, "open") in fake.toggles()
    assert len(fake.messages(private=True)) == 2


async def test_the_agent_sees_in_chatwoot_exactly_what_the_subscriber_typed(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    """Chatwoot renders content as Markdown; the subscriber's words must not turn into it."""
    subscriber = await handed_off(app, client)
    typed = ["*important*", "taro_san_2@vp.117.ne.jp の __init__ です", "1. 2. 3."]
    for text in typed:
        assert await subscriber.say(text) == []
    await fake.wait_for(lambda: len(fake.messages()) == len(typed), seconds=WAIT)
    posted = [m["content"] for m in fake.messages()]
    assert [shown(CHATWOOT.render(content)) for content in posted] == [[text] for text in typed]
    # Only Chatwoot's copy is escaped: the transcript keeps the words as typed.
    transcript = await app.state.runtime.engine.store.transcript(subscriber.key)
    assert [line.text for line in transcript if line.author == "subscriber"][-3:] == typed


@pytest.mark.parametrize("act", ["close", "handback"])
async def test_the_mirror_is_resolved_when_the_conversation_is_closed_or_handed_back_elsewhere(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot, act: str
) -> None:
    # Closed (or handed back) from the console: the mirror stayed open in Chatwoot, where
    # its agents went on seeing a conversation waiting for them that nobody can answer.
    subscriber = await handed_off(app, client)
    headers = {"Authorization": "Bearer agent-token-0123456789abcdef"}
    url = f"/api/agent/conversations/{subscriber.key}"
    assert (await client.post(f"{url}/take", headers=headers)).status_code == 200
    done = await client.post(f"{url}/{act}", headers=headers, json={})
    assert done.status_code == 200, done.text
    await fake.wait_for(lambda: (MIRROR, "resolved") in fake.toggles(), seconds=WAIT)
    # Chatwoot tells of the status it was asked for: nothing changes, nothing is sent.
    record = await app.state.runtime.engine.store.load(subscriber.key)
    assert record is not None
    owner = record.owner
    assert (await webhook(client, mirror_status(subscriber.key, "resolved"))).status_code == 200
    await app.state.runtime.tasks.idle()
    record = await app.state.runtime.engine.store.load(subscriber.key)
    assert record is not None
    assert record.owner is owner
    assert fake.toggles().count((MIRROR, "resolved")) == 1


async def test_the_mirror_is_resolved_when_the_subscriber_leaves(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    subscriber = await handed_off(app, client)
    left = await client.post(f"/api/webchat/conversations/{subscriber.id}/close", json={})
    assert left.status_code == 200
    await fake.wait_for(lambda: (MIRROR, "resolved") in fake.toggles(), seconds=WAIT)


async def test_a_hand_back_made_in_the_mirror_is_not_echoed_to_it(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    subscriber = await handed_off(app, client)
    assert (await webhook(client, from_agent(subscriber.key, "確認します", 1))).status_code == 200
    assert (await webhook(client, mirror_status(subscriber.key, "pending"))).status_code == 200
    await app.state.runtime.tasks.idle()
    assert fake.toggles() == []


async def test_a_reply_in_the_mirror_that_is_not_sent_is_said_there(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    # Chatwoot shows the agent their reply as sent; it was refused (a password in it) and
    # only the log said so: the agent believed the subscriber had it.
    subscriber = await handed_off(app, client)
    notes = len(fake.messages(private=True))
    reply = from_agent(subscriber.key, "仮パスワードは Abc12345 です", 1)
    assert (await webhook(client, reply)).status_code == 200
    page = await subscriber.page()
    assert not [m for m in page["messages"] if m["author"] == "agent"]
    told = [note["content"] for note in fake.messages(private=True)[notes:]]
    assert told == [
        "パスワードが書かれているため、この返信はお客様には送られていません。"
        "チャットではパスワードをお伝えしません（会話の記録に残るため）。"
        "お電話や郵送など、別の方法でお伝えください。\n\n"
        # No bot may delete it (desk7): the reply stays, and the agent is asked to.
        "この返信はChatwootに残っていて、この受信箱の担当者全員が読めます。"
        "返信のメニューから「削除」を選んで、削除してください。"
    ]
    # Longer than the agent API takes (Chatwoot keeps 150,000 characters): it was sent as a
    # run of messages. Chatwoot sends its words three times, 350 KB here, more than the
    # app's 64 KiB: a 413 Chatwoot does not retry, and nothing said. Refused and said once,
    # though Chatwoot delivers it twice.
    notes = len(fake.messages(private=True))
    long = from_agent(subscriber.key, "設定を確認してください。" * 3250, 3)
    last = {**long["conversation"]["messages"][0], "content": long["content"]}
    long["conversation"]["messages"] = [last | {"processed_message_content": long["content"]}]
    for _ in range(2):
        assert (await webhook(client, long)).status_code == 200
    page = await subscriber.page()
    assert not [m for m in page["messages"] if m["author"] == "agent"]
    told = [note["content"] for note in fake.messages(private=True)[notes:]]
    assert told == [
        "この返信は39,000文字あり、1回に送れる4,000文字を超えているため、"
        "お客様には送られていません。分けて送ってください。"
    ]
    # Back with the bot (handed back in the console), a later reply is not sent either.
    handback = await client.post(
        f"/api/agent/conversations/{subscriber.key}/handback",
        headers={"Authorization": "Bearer agent-token-0123456789abcdef"},
        json={},
    )
    assert handback.status_code == 200, handback.text
    notes = len(fake.messages(private=True))
    assert (await webhook(client, from_agent(subscriber.key, "失礼しました", 2))).status_code == 200
    told = [note["content"] for note in fake.messages(private=True)[notes:]]
    # Which it is, and what would send it (before: 「ボットが対応中か、終了している」).
    assert told == [
        "この会話はいまボットが対応中のため、この返信はお客様には送られていません。お客様に送るには、"
        "mailmoveの会話の記録を開いて「対応を引き継ぐ」を押してから、もう一度お書きください。"
    ]


async def test_a_mirror_set_pending_while_a_console_agent_has_it_hands_nothing_back(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    # 鈴木 took the conversation in the console and was answering; in Chatwoot the mirror
    # showed `open`, and an agent there set it to pending (or resolved it): the bot greeted
    # the subscriber and asked its first question in the middle of 鈴木's answers. The
    # console refuses a hand-back of another agent's conversation (409); so does the mirror.
    subscriber = await handed_off(app, client)
    bearer = {"Authorization": f"Bearer {AGENT.partition(':')[2]}"}
    url = f"/api/agent/conversations/{subscriber.key}"
    assert (await client.post(f"{url}/take", headers=bearer, json={})).status_code == 200
    sent = await client.post(
        f"{url}/messages", headers=bearer, json={"text": "鈴木です", "event_id": "1"}
    )
    assert sent.status_code == 201
    await app.state.runtime.tasks.idle()
    toggled = len(fake.toggles())
    for n, status in enumerate(("pending", "resolved")):
        body = {**mirror_status(subscriber.key, status), "id": int(MIRROR)}
        body["changed_attributes"] = [
            {"status": {"previous_value": "open", "current_value": status}}
        ]
        body["updated_at"] = f"2008-06-01T03:0{n}:00Z"
        assert (await webhook(client, body)).status_code == 200
        await app.state.runtime.tasks.idle()
    record = await app.state.runtime.engine.store.load(subscriber.key)
    assert record is not None
    assert record.owner is Owner.AGENT
    page = await subscriber.page()
    assert "担当者から引き継ぎました" not in json.dumps(page, ensure_ascii=False)
    assert (page["owner"], page["agent"]) == ("agent", "鈴木")
    told = [m["content"] for m in fake.messages(private=True) if "鈴木さんが対応中" in m["content"]]
    assert told, fake.messages(private=True)
    # Open again in Chatwoot: it is still a person's.
    assert fake.toggles()[toggled:][-1] == (MIRROR, "open")


async def test_a_mirror_a_chatwoot_agent_took_by_replying_is_handed_back_by_pending(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    subscriber = await handed_off(app, client)
    assert (await webhook(client, from_agent(subscriber.key, "佐藤です", 1))).status_code == 200
    await app.state.runtime.tasks.idle()
    taken = [
        line.text
        for line in await app.state.runtime.engine.store.transcript(subscriber.key)
        if line.text.startswith("taken over by")
    ]
    # Named as every desk names an agent acting in Chatwoot.
    assert taken == ["taken over by 佐藤 (Chatwoot)"]
    assert (await webhook(client, mirror_status(subscriber.key, "pending"))).status_code == 200
    await app.state.runtime.tasks.idle()
    record = await app.state.runtime.engine.store.load(subscriber.key)
    assert record is not None
    assert record.owner is Owner.BOT
