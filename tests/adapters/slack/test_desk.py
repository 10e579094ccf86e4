"""The Slack agents' desk: one message per handoff, and its buttons to take or give back.

A web chat subscriber is handed off through the real app; the desk posts to a fake Slack
API on loopback, and the agents' clicks are `block_actions` payloads (shaped as recorded
under tests/payloads/slack_desk/) signed exactly as Slack signs them.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlencode

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from adapters.slack import desk as slack_desk
from adapters.slack.desk_actions import CLOSE, GIVE_BACK, TAKE, TRANSFER
from adapters.slack.desk_blocks import ACTIONS_BLOCK
from adapters.webchat.conversation_key import key_of
from bot.channels.registry import available_factories
from bot.ops.settings import Settings
from bot.runtime import Runtime, build_runtime
from bot.server import build_app
from bot.store.conversation_store import Owner
from testbed.clock import fixed_clock
from tests.adapters.channel_contract import load_payload, rejections
from tests.fakes.platform_api import Call, FakePlatformAPI

AGENTS: Final = "C0AGENTS"
SIGNING_SECRET: Final = "3c1f0a9d7e5b4c2a8f6e0d1b9c7a5e3f"
BOT_TOKEN: Final = "xoxb-1111-2222-maildesk"
AGENT_TOKEN: Final = "agent-token-0123456789"
ADDRESS: Final = "taro@vp.117.ne.jp"
TYPED_SECRET: Final = "Secr3tPw!x"
GREETING: Final = "担当者から引き継ぎました"
APOLOGY: Final = "おつなぎできませんでした"
WAIT: Final = 10.0


class DeskFake(FakePlatformAPI):
    """The fake Slack API, which can refuse the handoff's post as a broken Slack would."""

    def __init__(self) -> None:
        super().__init__()
        self.post_refusal: tuple[int, dict[str, Any]] | None = None
        # The member who presses the buttons in the recorded payloads, as Slack shows her.
        self.slack_names["U0AGENT1"] = "hanako"

    async def _slack(self, request: Request) -> Response:
        if self.post_refusal is None or request.path_params["method"] != "chat.postMessage":
            return await super()._slack(request)
        status, answer = self.post_refusal
        params = json.loads(await request.body())
        self._record(Call("slack", "chat.postMessage", params, dict(request.headers), status))
        return JSONResponse(answer, status_code=status)


def environ(api_url: str) -> dict[str, str]:
    return {
        "SLACK_AGENTS_CHANNEL": AGENTS,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": f"{api_url}/slack/api/",
    }


@dataclass(frozen=True, slots=True)
class Shown:
    """A desk message as the agents see it now, to build the click Slack would send."""

    ts: str
    text: str
    blocks: list[dict[str, Any]]

    def buttons(self) -> dict[str, dict[str, Any]]:
        return {
            element["action_id"]: element
            for block in self.blocks
            if block["type"] == "actions"
            for element in block["elements"]
        }

    def words(self) -> str:
        return json.dumps(self.blocks, ensure_ascii=False)


def signed(body: bytes, *, secret: str = SIGNING_SECRET, age: int = 0) -> dict[str, str]:
    """Headers as Slack signs: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}")."""
    timestamp = str(int(time.time()) - age)
    base = f"v0:{timestamp}:".encode() + body
    return {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": timestamp,
        "x-slack-signature": "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest(),
    }


def form(payload: object) -> bytes:
    return urlencode({"payload": json.dumps(payload, ensure_ascii=False)}).encode()


def click_payload(shown: Shown, action_id: str, n: int, *, value: str | None = None) -> Any:
    """The `block_actions` payload of a click on `shown`'s button `action_id`."""
    payload = load_payload("slack_desk", "block_actions")
    payload["container"]["message_ts"] = payload["message"]["ts"] = shown.ts
    payload["message"].update(text=shown.text, blocks=shown.blocks)
    button = shown.buttons()[action_id]
    payload["trigger_id"] = f"1212345700.{n}.trigger"
    payload["actions"] = [
        {
            **button,
            "value": value or button["value"],
            "block_id": ACTIONS_BLOCK,
            "action_ts": f"1212345700.{n:06d}",
        }
    ]
    return payload


@dataclass(slots=True)
class Chat:
    """A web chat subscriber."""

    client: httpx.AsyncClient
    id: str

    @property
    def key(self) -> str:
        return key_of(self.id)

    async def send(self, **body: str) -> list[dict[str, Any]]:
        response = await self.client.post(
            f"/api/webchat/conversations/{self.id}/messages", json=body
        )
        assert response.status_code == 200, response.text
        replies: list[dict[str, Any]] = response.json()["replies"]
        return replies

    async def history(self) -> str:
        response = await self.client.get(f"/api/webchat/conversations/{self.id}/messages")
        return json.dumps(response.json()["messages"], ensure_ascii=False)


@dataclass(slots=True)
class Desk:
    """The running app, the fake Slack API and an HTTP client."""

    app: Starlette
    fake: DeskFake
    client: httpx.AsyncClient

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.app.state.runtime
        return runtime

    async def chat(self) -> Chat:
        created = (await self.client.post("/api/webchat/conversations", json={})).json()
        return Chat(self.client, created["conversation_id"])

    def posts(self) -> list[Call]:
        return self.fake.calls_to("slack", "chat.postMessage", status=None)

    def updates(self) -> list[Call]:
        return self.fake.calls_to("slack", "chat.update")

    def shown(self) -> Shown:
        """The handoff message as it is now: posted, then maybe updated."""
        # Not a post in its thread (the subscriber's words, an agent's from the console).
        posts = self.fake.calls_to("slack", "chat.postMessage")
        (post,) = [c for c in posts if "thread_ts" not in c.params]
        latest = (self.updates() or [post])[-1]
        return Shown(str(post.result["ts"]), latest.params["text"], latest.params["blocks"])

    async def post(self, body: bytes, headers: dict[str, str]) -> httpx.Response:
        return await self.client.post(slack_desk.ACTIONS_PATH, content=body, headers=headers)

    async def click(self, action_id: str, n: int) -> httpx.Response:
        body = form(click_payload(self.shown(), action_id, n))
        return await self.post(body, signed(body))

    async def wait_for_updates(self, count: int) -> Call:
        await self.fake.wait_for(lambda: len(self.updates()) >= count, seconds=WAIT)
        return self.updates()[count - 1]

    async def owner(self, key: str) -> Owner:
        record = await self.runtime.engine.store.load(key)
        assert record is not None
        return record.owner

    async def transcript(self, key: str) -> list[str]:
        return [line.text for line in await self.runtime.engine.store.transcript(key)]

    async def settle(self) -> None:
        """Wait for every acknowledged click; the app takes no more clicks afterwards."""
        await self.runtime.tasks.drain()


@pytest.fixture
async def fake() -> AsyncIterator[DeskFake]:
    fake = DeskFake()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
async def desk(fake: DeskFake, tmp_path: Path) -> AsyncIterator[Desk]:
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        agent_tokens=(AGENT_TOKEN,),
        environ=environ(fake.url),
    )
    others = tuple(n for n in available_factories() if n not in ("webchat", "slack_desk"))
    app = build_app(settings, clock=fixed_clock(), exclude_channels=others)
    # ASGITransport does not run the lifespan, where the desk registers: run it here.
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
        ) as client,
    ):
        yield Desk(app, fake, client)


async def handed_off(desk: Desk) -> Chat:
    """A subscriber who answered, typed a password by mistake, then asked for a person."""
    chat = await desk.chat()
    await chat.send(text=f"パスワードは {TYPED_SECRET} です")
    for answer in ("yes", "yes", "yes", "no"):
        await chat.send(choice=answer)
    await chat.send(text=ADDRESS)
    await chat.send(choice="program:becky")
    replies = await chat.send(text="人と話したいです")
    assert "担当者におつなぎします" in json.dumps(replies, ensure_ascii=False)
    await desk.runtime.tasks.idle()  # the desk is told in the background
    return chat


# -- bot → agents ---------------------------------------------------------------------------


async def test_a_handoff_posts_one_message_with_the_facts_and_no_secret(desk: Desk) -> None:
    chat = await handed_off(desk)
    (post,) = desk.posts()
    assert post.params["channel"] == AGENTS
    assert post.headers["authorization"] == f"Bearer {BOT_TOKEN}"
    shown = desk.shown()
    words = shown.words()
    assert "【引き継ぎ】お客様が担当者を希望" in words
    assert "（Webチャット）" in words
    assert ADDRESS in words
    assert "メールソフト: Becky!" in words
    assert "メールソフトを使用：はい ・ 117net以外の回線や会社のLANからも接続：はい" in words
    assert (
        "117netの送信サーバーで送信：はい ・ 接続先がポート25番の送信を制限（OP25B）：いいえ"
        in words
    )
    assert "変更が必要 / 変更を推奨" in words
    assert f"/agent/#{chat.key}|会話の記録を開く>" in words
    everything = json.dumps(post.params, ensure_ascii=False)
    assert TYPED_SECRET not in everything
    buttons = shown.buttons()
    assert [b["text"]["text"] for b in buttons.values()] == ["対応する", "ボットに戻す"]
    # The conversation, and the state the buttons were drawn in (desk_blocks.button_value).
    assert {b["value"] for b in buttons.values()} == {f"{chat.key}#1"}
    # The subscriber was told an agent will answer; from now on the bot is silent.
    assert await chat.send(text="まだですか") == []
    assert await desk.owner(chat.key) is Owner.AGENT
    assert len(desk.posts()) == 1


async def test_the_summary_says_in_the_subscribers_words_why_they_asked(desk: Desk) -> None:
    # 「お客様が担当者を希望」 alone does not say what is wrong: the agent reads the
    # subscriber's latest typed words (never a pressed button's id, never a password).
    chat = await desk.chat()
    await chat.send(choice="yes")
    await chat.send(text=f"パスワードは {TYPED_SECRET} です")
    await chat.send(text="送信すると 0x800CCC0F のエラーが出ます")
    await chat.send(choice="yes")
    await chat.send(text="担当者と話したい")
    await desk.runtime.tasks.idle()
    (post,) = desk.posts()
    words = desk.shown().words()
    (said,) = (f["text"] for f in desk.shown().blocks[1]["fields"] if "発言" in f["text"])
    assert said.startswith("お客様の最近の発言: 「パスワードは ")
    assert said.endswith("」「送信すると 0x800CCC0F のエラーが出ます」「担当者と話したい」")
    assert "[yes]" not in words
    assert TYPED_SECRET not in json.dumps(post.params, ensure_ascii=False)


# -- agents → conversation ------------------------------------------------------------------


async def test_take_makes_the_agent_the_owner_and_a_double_click_acts_once(desk: Desk) -> None:
    chat = await handed_off(desk)
    first, second = await asyncio.gather(desk.click(TAKE, 1), desk.click(TAKE, 2))
    assert (first.status_code, second.status_code) == (200, 200)
    update = await desk.wait_for_updates(1)
    await desk.settle()
    assert len(desk.updates()) == 1
    assert update.params["channel"] == AGENTS
    assert update.params["ts"] == desk.shown().ts
    shown = desk.shown()
    assert "<@U0AGENT1>さんが対応しています。" in shown.words()
    assert ADDRESS in shown.words()  # the summary stays
    assert list(shown.buttons()) == [GIVE_BACK, CLOSE, TRANSFER]
    assert await desk.owner(chat.key) is Owner.AGENT
    taken = [t for t in await desk.transcript(chat.key) if t.startswith("taken over by")]
    assert taken == ["taken over by hanako (Slack U0AGENT1)"]
    assert await chat.send(text="よろしくお願いします") == []


async def test_give_back_greets_the_subscriber_and_the_bot_answers_again(desk: Desk) -> None:
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    drawn = desk.shown().buttons()[GIVE_BACK]["value"]
    assert (await desk.click(GIVE_BACK, 2)).status_code == 200
    await desk.wait_for_updates(2)
    shown = desk.shown()
    assert "<@U0AGENT1>さんがボットに戻しました。" in shown.words()
    assert shown.buttons() == {}
    assert GREETING in await chat.history()
    assert await desk.owner(chat.key) is Owner.BOT
    assert await chat.send(text="次はどうすればいいですか") != []
    # Pressed again (a stale client still showing the button): nothing happens twice.
    stale = Shown(shown.ts, shown.text, _with_buttons(shown, drawn))
    body = form(click_payload(stale, GIVE_BACK, 3))
    assert (await desk.post(body, signed(body))).status_code == 200
    await desk.settle()
    assert len(desk.updates()) == 2
    assert (await chat.history()).count(GREETING) == 1


def _with_buttons(shown: Shown, value: str) -> list[dict[str, Any]]:
    """`shown`'s blocks with the give-back button put back, as a stale client shows them."""
    button = {
        "type": "button",
        "action_id": GIVE_BACK,
        "text": {"type": "plain_text", "text": "ボットに戻す", "emoji": True},
        "value": value,
    }
    return [*shown.blocks, {"type": "actions", "elements": [button]}]


async def test_give_back_after_the_bot_already_has_it_says_so_and_greets_no_one(
    desk: Desk,
) -> None:
    chat = await handed_off(desk)
    response = await desk.client.post(
        f"/api/agent/conversations/{chat.key}/handback",
        json={"agent": "console"},
        headers={"Authorization": f"Bearer {AGENT_TOKEN}"},
    )
    assert response.status_code == 200
    assert (await desk.click(GIVE_BACK, 1)).status_code == 200
    await desk.wait_for_updates(1)
    # Who gave it back, not only that it is back (「この会話はすでにボットに戻っています」).
    assert "consoleさんがボットに戻しました。" in desk.shown().words()
    assert (await chat.history()).count(GREETING) == 1


# -- the message follows the owner -----------------------------------------------------------


async def _agent_api(desk: Desk, chat: Chat, act: str, **body: str) -> None:
    response = await desk.client.post(
        f"/api/agent/conversations/{chat.key}/{act}",
        json=body,
        headers={"Authorization": f"Bearer {AGENT_TOKEN}"},
    )
    assert response.status_code == 200, response.text


def _as_posted(desk: Desk) -> Shown:
    """The handoff message as first posted, as a client that missed the updates shows it."""
    (post,) = desk.fake.calls_to("slack", "chat.postMessage")
    return Shown(str(post.result["ts"]), post.params["text"], post.params["blocks"])


async def test_a_hand_back_through_the_agent_api_updates_the_message(desk: Desk) -> None:
    chat = await handed_off(desk)
    await _agent_api(desk, chat, "handback", agent="console")
    update = await desk.wait_for_updates(1)
    await desk.settle()
    assert len(desk.updates()) == 1
    assert (update.params["channel"], update.params["ts"]) == (AGENTS, desk.shown().ts)
    shown = desk.shown()
    assert "consoleさんがボットに戻しました。" in shown.words()
    assert shown.buttons() == {}
    # The facts stay: only who has it, and the buttons, changed.
    assert "【引き継ぎ】お客様が担当者を希望" in shown.words()
    assert ADDRESS in shown.words()


@pytest.mark.parametrize(
    ("act", "words"),
    [
        pytest.param("take", "consoleさんが対応しています。", id="take"),
        pytest.param("close", "この会話はすでに終了しています。", id="close"),
    ],
)
async def test_a_take_or_close_through_the_agent_api_updates_the_message(
    desk: Desk, act: str, words: str
) -> None:
    chat = await handed_off(desk)
    await _agent_api(desk, chat, act, **({"agent": "console"} if act == "take" else {}))
    await desk.settle()
    assert words in desk.shown().words()


async def test_a_stale_take_after_a_hand_back_elsewhere_changes_nothing_and_says_so(
    desk: Desk,
) -> None:
    chat = await handed_off(desk)
    await _agent_api(desk, chat, "handback", agent="console")
    await desk.wait_for_updates(1)
    lines = await desk.transcript(chat.key)
    stale = _as_posted(desk)
    assert list(stale.buttons()) == [TAKE, GIVE_BACK]
    bodies = [form(click_payload(stale, TAKE, n)) for n in (1, 2)]
    # A double click of the stale button: both answered, nothing taken, said once.
    responses = await asyncio.gather(*(desk.post(b, signed(b)) for b in bodies))
    assert [r.status_code for r in responses] == [200, 200]
    await desk.wait_for_updates(2)
    await desk.settle()
    assert len(desk.updates()) == 2
    assert await desk.owner(chat.key) is Owner.BOT
    assert await desk.transcript(chat.key) == lines
    shown = desk.shown()
    assert "consoleさんがボットに戻しました。" in shown.words()
    assert shown.buttons() == {}
    assert await chat.send(text="次はどうすればいいですか") != []


async def test_a_stale_take_after_another_agent_took_it_leaves_it_with_them(desk: Desk) -> None:
    chat = await handed_off(desk)
    await _agent_api(desk, chat, "take", agent="console")
    body = form(click_payload(_as_posted(desk), TAKE, 1))
    assert (await desk.post(body, signed(body))).status_code == 200
    await desk.settle()
    shown = desk.shown()
    assert "consoleさんが対応しています。" in shown.words()
    assert list(shown.buttons()) == [GIVE_BACK, CLOSE, TRANSFER]
    taken = [t for t in await desk.transcript(chat.key) if t.startswith("taken over by")]
    assert taken == ["taken over by console"]


async def test_a_first_reply_from_the_queue_takes_it_and_the_message_says_who(
    desk: Desk,
) -> None:
    # An agent who answers a waiting subscriber at once (console, agent API, a thread reply,
    # Chatwoot) has the conversation: the message must not go on offering 「対応する」 to
    # the others as if nobody had answered, and the transcript says who took it.
    chat = await handed_off(desk)
    for n, words in enumerate(("確認いたします。", "少々お待ちください。")):
        response = await desk.client.post(
            f"/api/agent/conversations/{chat.key}/messages",
            json={"text": words, "event_id": f"reply-{n}"},
            headers={"Authorization": f"Bearer {AGENT_TOKEN}"},
        )
        assert response.status_code == 201, response.text
    await desk.wait_for_updates(1)
    await desk.settle()
    assert len(desk.updates()) == 1
    shown = desk.shown()
    assert "agentさんが対応しています。" in shown.words()
    assert list(shown.buttons()) == [GIVE_BACK, CLOSE, TRANSFER]
    lines = await desk.transcript(chat.key)
    assert [t for t in lines if t.startswith("taken over by")] == ["taken over by agent"]
    assert lines[-3:] == ["taken over by agent", "確認いたします。", "少々お待ちください。"]


async def test_a_give_back_button_shown_again_acts_again(desk: Desk) -> None:
    # Given back from Slack, taken again in the console: the message shows 「ボットに戻す」
    # once more, and pressing it must hand the conversation back again, not be dropped as
    # a repeat of the first press of the same button.
    chat = await handed_off(desk)
    await desk.click(TAKE, 1)
    await desk.wait_for_updates(1)
    await desk.click(GIVE_BACK, 2)
    await desk.wait_for_updates(2)
    # Taken by an unnamed agent (a bare token's): a named one's is hers to hand back.
    await _agent_api(desk, chat, "take")
    await desk.wait_for_updates(3)
    assert list(desk.shown().buttons()) == [GIVE_BACK, CLOSE, TRANSFER]
    assert (await desk.click(GIVE_BACK, 4)).status_code == 200
    await desk.wait_for_updates(4)
    await desk.runtime.tasks.idle()
    assert await desk.owner(chat.key) is Owner.BOT
    assert (await chat.history()).count(GREETING) == 2
    assert desk.shown().buttons() == {}
    # Drawn a third time and pressed twice at once (a double click): it acts once.
    await _agent_api(desk, chat, "take")
    await desk.wait_for_updates(5)
    shown = desk.shown()
    bodies = [form(click_payload(shown, GIVE_BACK, n)) for n in (6, 7)]
    responses = await asyncio.gather(*(desk.post(b, signed(b)) for b in bodies))
    assert [r.status_code for r in responses] == [200, 200]
    await desk.wait_for_updates(6)
    await desk.settle()
    assert len(desk.updates()) == 6
    assert await desk.owner(chat.key) is Owner.BOT
    assert (await chat.history()).count(GREETING) == 3


async def test_a_click_for_a_conversation_that_is_gone_says_so(desk: Desk) -> None:
    await handed_off(desk)
    payload = click_payload(desk.shown(), TAKE, 1, value="webchat:" + "0" * 32)
    body = form(payload)
    assert (await desk.post(body, signed(body))).status_code == 200
    await desk.wait_for_updates(1)
    assert "この会話は見つかりません" in desk.shown().words()
    assert desk.shown().buttons() == {}


# -- refusals -------------------------------------------------------------------------------


async def test_a_bad_signature_is_refused_and_changes_nothing(desk: Desk) -> None:
    chat = await handed_off(desk)
    before = rejections("slack_desk")
    lines = await desk.transcript(chat.key)
    body = form(click_payload(desk.shown(), GIVE_BACK, 1))
    take = form(click_payload(desk.shown(), TAKE, 2))
    refused = [
        (body, {**signed(body), "x-slack-signature": "v0=" + "0" * 64}),
        (body, {"content-type": "application/x-www-form-urlencoded"}),
        (body, signed(body, age=600)),
        (take, signed(take, secret="not-the-signing-secret-at-all-00")),
        (b"\xff" + take, signed(b"\xff" + take, secret="not-the-signing-secret-at-all-00")),
    ]
    for content, headers in refused:
        response = await desk.post(content, headers)
        assert response.status_code == 401
    await desk.settle()
    delta = {k: v - before.get(k, 0) for k, v in rejections("slack_desk").items()}
    assert {k: v for k, v in delta.items() if v} == {"signature": 5}
    assert desk.updates() == []
    assert await desk.owner(chat.key) is Owner.AGENT
    assert await desk.transcript(chat.key) == lines
    assert GREETING not in await chat.history()


async def test_malformed_payloads_get_400_and_unknown_ones_200(desk: Desk) -> None:
    chat = await handed_off(desk)
    shown = desk.shown()
    no_value = click_payload(shown, TAKE, 1)
    del no_value["actions"][0]["value"]
    malformed = [
        b"payload=%7B%22type%22%3A",
        b"token=abc&type=block_actions",
        form([1, 2]),
        form(no_value),
        b"payload=%7B%22type%22%3A%22\xff\xfe",  # signed, but not UTF-8: no forgery
    ]
    for body in malformed:
        assert (await desk.post(body, signed(body))).status_code == 400, body
    other_button = click_payload(shown, TAKE, 2)
    other_button["actions"][0]["action_id"] = "approve"
    elsewhere = click_payload(shown, TAKE, 3)
    elsewhere["container"]["channel_id"] = elsewhere["channel"]["id"] = "C0ELSEWHERE"
    modal = {"type": "view_submission", "user": {"id": "U0AGENT1"}, "view": {"id": "V0"}}
    for payload in (other_button, elsewhere, modal):
        body = form(payload)
        assert (await desk.post(body, signed(body))).status_code == 200
    await desk.settle()
    assert desk.updates() == []
    assert not any(t.startswith("taken over") for t in await desk.transcript(chat.key))


@pytest.mark.parametrize(
    ("status", "answer"),
    [
        pytest.param(200, {"ok": False, "error": "not_in_channel"}, id="ok-false"),
        pytest.param(500, {"ok": False, "error": "internal_error"}, id="http-500"),
    ],
)
async def test_when_slack_refuses_the_handoff_the_bot_keeps_the_conversation(
    desk: Desk, status: int, answer: dict[str, Any]
) -> None:
    desk.fake.post_refusal = (status, answer)
    chat = await desk.chat()
    await chat.send(text="担当者と話したい")
    await desk.runtime.tasks.idle()
    assert [c.status for c in desk.posts()] == [status]
    assert APOLOGY in await chat.history()
    assert await desk.owner(chat.key) is Owner.BOT
    assert await chat.send(choice="yes") != []


# -- configuration ---------------------------------------------------------------------------


def test_the_desk_is_off_without_its_variables_and_says_which(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3", environ={})
    runtime = build_runtime(settings)
    with caplog.at_level(logging.INFO, logger=slack_desk.__name__):
        assert slack_desk.create_channel(runtime) is None
    (line,) = [r.getMessage() for r in caplog.records if r.name == slack_desk.__name__]
    for name in ("SLACK_AGENTS_CHANNEL", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"):
        assert name in line


async def test_a_click_the_store_cannot_record_gets_503_and_counts_once_resent(
    desk: Desk,
) -> None:
    chat = await handed_off(desk)
    store = desk.runtime.engine.store
    await store.close()
    refused = await desk.click(TAKE, 1)
    # Slack shows the agent the click failed; nothing was acknowledged that was not kept.
    assert refused.status_code == 503
    await store.open()

    async def takes() -> list[str]:
        return [t for t in await desk.transcript(chat.key) if t.startswith("taken over by")]

    assert await takes() == []
    assert desk.updates() == []
    accepted = await desk.click(TAKE, 1)
    assert accepted.status_code == 200
    await desk.wait_for_updates(1)
    assert await takes() == ["taken over by hanako (Slack U0AGENT1)"]


async def test_a_take_over_from_another_agent_updates_the_message(desk: Desk) -> None:
    chat = await handed_off(desk)
    await _agent_api(desk, chat, "take", agent="console")
    await desk.wait_for_updates(1)
    refused = await desk.client.post(
        f"/api/agent/conversations/{chat.key}/take",
        json={"agent": "鈴木"},
        headers={"Authorization": f"Bearer {AGENT_TOKEN}"},
    )
    assert refused.status_code == 409
    await _agent_api(desk, chat, "take", agent="鈴木", take_over_from="console")
    await desk.wait_for_updates(2)
    await desk.settle()
    shown = desk.shown()
    assert "鈴木さんが対応しています。" in shown.words()
    assert list(shown.buttons()) == [GIVE_BACK, CLOSE, TRANSFER]
