"""The Slack desk relays both ways in the handoff message's thread.

What the subscriber writes while an agent has the conversation is posted into the thread;
an agent's reply in the thread (an Events API event, signed as Slack signs it) reaches the
subscriber as that agent's message, once however often Slack sends it.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from adapters.slack import desk as slack_desk
from adapters.slack import names as slack_names
from adapters.slack.desk_actions import CLOSE, GIVE_BACK, TAKE, TRANSFER
from bot.channels.registry import available_factories
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import Owner, is_bookkeeping
from testbed.clock import fixed_clock
from tests.adapters.channel_contract import Pauses
from tests.adapters.slack.test_desk import (
    AGENT_TOKEN,
    AGENTS,
    GREETING,
    Chat,
    Desk,
    DeskFake,
    click_payload,
    environ,
    form,
    handed_off,
    signed,
)
from tests.fakes.platform_api import Call

# The member who pressed 「対応する」 in the recorded block_actions payload.
AGENT_USER = "U0AGENT1"


class ThreadFake(DeskFake):
    """The fake Slack API, which also returns a thread's first message with its metadata."""

    async def _slack(self, request: Request) -> Response:
        if request.path_params["method"] != "conversations.replies":
            return await super()._slack(request)
        params: dict[str, Any] = dict(request.query_params)
        if not params:
            params = dict((await request.form()).items())
        parent = next(
            (
                call
                for call in self.calls_to("slack", "chat.postMessage")
                if call.result["ts"] == params.get("ts")
            ),
            None,
        )
        messages = []
        if parent is not None:
            metadata = parent.params.get("metadata")
            if isinstance(metadata, str):
                metadata = json.loads(metadata)
            messages = [{**parent.result["message"], "metadata": metadata}]
        result = {"ok": True, "messages": messages}
        self._record(Call("slack", "conversations.replies", params, dict(request.headers), 200))
        return JSONResponse(result)


@pytest.fixture
async def thread_fake() -> AsyncIterator[ThreadFake]:
    fake = ThreadFake()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
async def desk(thread_fake: ThreadFake, tmp_path: Path) -> AsyncIterator[Desk]:
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        agent_tokens=(AGENT_TOKEN,),
        environ=environ(thread_fake.url),
    )
    others = tuple(n for n in available_factories() if n not in ("webchat", "slack_desk"))
    # The desk's waits before posting again are recorded and cut (`pauses_of`): its tests
    # assert what reaches the thread, and in what order, not when.
    pauses = Pauses()
    pauses.cut()
    app = build_app(settings, clock=fixed_clock(), exclude_channels=others, pause=pauses)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
        ) as client,
    ):
        yield Desk(app, thread_fake, client)


def pauses_of(desk: Desk) -> Pauses:
    """The pauses the desk's app asked for (the `desk` fixture's)."""
    pauses = desk.runtime.pause
    assert isinstance(pauses, Pauses)
    return pauses


def handoff_ts(desk: Desk) -> str:
    first = desk.fake.calls_to("slack", "chat.postMessage")[0]
    return str(first.result["ts"])


def in_thread(desk: Desk) -> list[Call]:
    ts = handoff_ts(desk)
    return [
        c
        for c in desk.fake.calls_to("slack", "chat.postMessage")
        if c.params.get("thread_ts") == ts
    ]


def event(
    desk: Desk, text: str, n: int, *, thread: str | None = None, user: str = AGENT_USER
) -> bytes:
    return json.dumps(
        {
            "type": "event_callback",
            "event_id": f"Ev{n:08d}",
            "event": {
                "type": "message",
                "channel": AGENTS,
                "user": user,
                "text": text,
                "ts": f"1212345999.{n:06d}",
                "thread_ts": thread or handoff_ts(desk),
            },
        }
    ).encode()


async def send_event(desk: Desk, body: bytes) -> httpx.Response:
    return await desk.client.post(slack_desk.EVENTS_PATH, content=body, headers=signed(body))


async def shown_lines(desk: Desk, key: str) -> list[str]:
    """The transcript as agents read it: without the desks' bookkeeping."""
    lines = await desk.runtime.engine.store.transcript(key)
    return [line.text for line in lines if not is_bookkeeping(line)]


async def agent_lines(chat: Chat) -> list[dict[str, Any]]:
    url = f"/api/webchat/conversations/{chat.id}/messages"
    messages: list[dict[str, Any]] = (await chat.client.get(url)).json()["messages"]
    return [m for m in messages if m["author"] == "agent"]


async def test_the_subscriber_and_the_agent_talk_in_the_thread(desk: Desk) -> None:
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    assert await desk.owner(chat.key) is Owner.AGENT
    await chat.send(text="まだ送信できません <@U0BOSS> *太字*")
    await desk.fake.wait_for(lambda: bool(in_thread(desk)), seconds=10)
    (relayed,) = in_thread(desk)
    assert relayed.params["channel"] == AGENTS
    # Plain text: a subscriber cannot mention anyone or format anything in the agents' channel.
    assert relayed.params["blocks"][0]["text"]["type"] == "plain_text"
    assert "まだ送信できません <@U0BOSS> *太字*" in relayed.params["blocks"][0]["text"]["text"]
    assert "<@U0BOSS>" not in relayed.params["text"]

    body = event(desk, "&lt;b&gt;確認いたします&lt;/b&gt; &amp; お待ちください", 1)
    assert (await send_event(desk, body)).status_code == 200
    assert (await send_event(desk, body)).status_code == 200  # Slack's retry
    lines = await agent_lines(chat)
    assert len(lines) == 1
    assert lines[0]["reply"]["text"] == "<b>確認いたします</b> & お待ちください"
    assert lines[0]["agent"] == "hanako"  # the Slack member's name, from users.info


async def test_an_agent_slack_will_not_describe_is_named_by_id_and_the_log_says_why(
    desk: Desk, caplog: pytest.LogCaptureFixture
) -> None:
    # Without the users:read scope (or for another organisation's member) the subscriber
    # sees the member id as the agent's name; the operator learns why from the log.
    desk.fake.slack_strangers.add(AGENT_USER)
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    with caplog.at_level(logging.WARNING, logger="adapters.slack.desk"):
        assert (await send_event(desk, event(desk, "確認いたします", 1))).status_code == 200
    [line] = await agent_lines(chat)
    assert line["agent"] == AGENT_USER
    said = [r.getMessage() for r in caplog.records if "users.info" in r.getMessage()]
    assert said == [
        f"Slack users.info refused for {AGENT_USER}: user_not_found; the agent is named by"
        " the member id (the app needs the users:read scope)"
    ]


async def test_a_member_once_named_by_her_id_still_writes_on(desk: Desk) -> None:
    # Slack would not describe her at her first reply (named by her member id), and did at
    # her second: the holder read from her first line, 「U0AGENT1」, was not her display name,
    # and her own conversation refused her words (desk25).
    desk.fake.slack_strangers.add(AGENT_USER)
    chat = await handed_off(desk)
    assert (await send_event(desk, event(desk, "確認いたします", 1))).status_code == 200
    await desk.runtime.tasks.idle()
    desk.fake.slack_strangers.discard(AGENT_USER)
    assert (await send_event(desk, event(desk, "お待たせしました", 2))).status_code == 200
    await desk.runtime.tasks.idle()
    assert [line["reply"]["text"] for line in await agent_lines(chat)] == [
        "確認いたします",
        "お待たせしました",
    ]
    assert in_thread(desk) == []


async def test_a_member_named_by_her_id_gives_her_own_conversation_back(desk: Desk) -> None:
    # Her reply, which Slack would not describe, named her by her member id; her press of
    # 「ボットに戻す」 was then refused as another agent's conversation, naming her to herself.
    desk.fake.slack_strangers.add(AGENT_USER)
    chat = await handed_off(desk)
    assert (await send_event(desk, event(desk, "確認いたします", 1))).status_code == 200
    await desk.wait_for_updates(1)
    assert (await desk.click(GIVE_BACK, 1)).status_code == 200
    await desk.settle()
    assert await desk.owner(chat.key) is Owner.BOT
    assert in_thread(desk) == []


async def test_a_member_who_renames_herself_writes_on(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 山田花子 took the waiting subscriber by replying first, then changed her display name in
    # Slack (asked for again after an hour, or at once by another replica): the holder read
    # from her first line was her old name, and her own conversation refused her next reply
    # as another agent's (desk26's leftover). Her words are hers by her member id now.
    monkeypatch.setattr(slack_names, "_KEPT_SECONDS", 0.0)  # each name asked for again
    desk.fake.slack_names[AGENT_USER] = "山田花子"
    chat = await handed_off(desk)
    assert (await send_event(desk, event(desk, "確認いたします", 1))).status_code == 200
    await desk.runtime.tasks.idle()
    desk.fake.slack_names[AGENT_USER] = "山田 花子（サポート）"
    assert (await send_event(desk, event(desk, "お待たせしました", 2))).status_code == 200
    await desk.runtime.tasks.idle()
    assert [(line["agent"], line["reply"]["text"]) for line in await agent_lines(chat)] == [
        ("山田花子", "確認いたします"),
        ("山田 花子（サポート）", "お待たせしました"),
    ]
    assert in_thread(desk) == []


async def test_a_member_who_took_it_by_replying_is_shown_by_her_mention_after_a_rename(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The handoff message named the member who took it by replying by her words' display
    # name, the one Slack showed then: after she renamed herself it went on showing the old
    # one, where a member who pressed 「対応する」 is shown by her mention (desk27's leftover).
    monkeypatch.setattr(slack_names, "_KEPT_SECONDS", 0.0)
    desk.fake.slack_names[AGENT_USER] = "山田花子"
    await handed_off(desk)
    offered = desk.shown()
    assert (await send_event(desk, event(desk, "確認いたします", 1))).status_code == 200
    await desk.wait_for_updates(1)
    desk.fake.slack_names[AGENT_USER] = "花子"
    # A press on the message as it was before her reply: stale, so drawn again from the lines.
    body = form(click_payload(offered, TAKE, 2))
    assert (await desk.post(body, signed(body))).status_code == 200
    await desk.wait_for_updates(2)
    await desk.settle()
    words = desk.shown().words()
    assert "<@U0AGENT1>さんが対応しています。" in words
    assert "山田花子さん" not in words


async def test_a_member_who_renamed_herself_gives_her_own_conversation_back(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As above, her 「ボットに戻す」 after the new name was refused naming her old one to her.
    monkeypatch.setattr(slack_names, "_KEPT_SECONDS", 0.0)
    desk.fake.slack_names[AGENT_USER] = "山田花子"
    chat = await handed_off(desk)
    assert (await send_event(desk, event(desk, "確認いたします", 1))).status_code == 200
    await desk.wait_for_updates(1)
    desk.fake.slack_names[AGENT_USER] = "花子"
    assert (await desk.click(GIVE_BACK, 1)).status_code == 200
    await desk.settle()
    assert await desk.owner(chat.key) is Owner.BOT
    assert in_thread(desk) == []


async def test_a_namesake_of_the_member_who_replied_is_refused_there(desk: Desk) -> None:
    # Two members both shown as 「山田」: the second one's reply was taken for the first's
    # (her words named her holder by name alone) and reached the subscriber as a second agent.
    desk.fake.slack_names.update({AGENT_USER: "山田", "U0AGENT2": "山田"})
    chat = await handed_off(desk)
    assert (await send_event(desk, event(desk, "確認いたします", 1))).status_code == 200
    await desk.runtime.tasks.idle()
    other = event(desk, "こちらでも確認します", 2, user="U0AGENT2")
    assert (await send_event(desk, other)).status_code == 200
    await desk.fake.wait_for(lambda: bool(in_thread(desk)), seconds=10)
    await desk.runtime.tasks.idle()
    assert [line["reply"]["text"] for line in await agent_lines(chat)] == ["確認いたします"]
    assert in_thread(desk)[-1].params["text"].startswith("山田さんが対応中のため")


@pytest.mark.parametrize(
    "note",
    [
        "<@U0BOSS> この方、折り返しをお願いできますか",
        "// 先週も問い合わせあり",
        # As a Japanese IME in full-width mode types it: it reached the subscriber.
        "／／ 先週も問い合わせあり",
        "／/佐藤さん、折り返しをお願いします",
        # A mention of everyone there or of a user group calls agents as a member's does.
        "<!here> どなたか対応できますか",
        "<!channel> 電話番号の確認お願いします",
        "<!subteam^S0DESK|@support> 至急お願いします",
    ],
)
async def test_a_note_among_agents_in_the_thread_is_not_sent(desk: Desk, note: str) -> None:
    # Agents talk among themselves in the thread: a message that opens with a member's
    # mention or with // reached the subscriber, and from the queue it took the conversation.
    chat = await handed_off(desk)
    assert (await send_event(desk, event(desk, note, 21))).status_code == 200
    assert await agent_lines(chat) == []
    assert not [t for t in await desk.transcript(chat.key) if t.startswith("taken over by")]
    assert (await send_event(desk, event(desk, "確認いたします。", 22))).status_code == 200
    lines = await agent_lines(chat)
    assert [line["reply"]["text"] for line in lines] == ["確認いたします。"]


async def test_a_button_pressed_while_an_agent_has_it_shows_in_the_thread_as_its_words(
    desk: Desk,
) -> None:
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    # A button of the last question, still on the subscriber's screen.
    assert await chat.send(choice="program:thunderbird") == []
    await desk.fake.wait_for(lambda: bool(in_thread(desk)), seconds=10)
    (relayed,) = in_thread(desk)
    # Named with the question it answered: a bare 「Thunderbird」 or 「いいえ」 in a thread of
    # an agent's own questions does not say what it is the answer to.
    assert relayed.params["blocks"][0]["text"]["text"].endswith(
        "Thunderbird（質問：お使いのメールソフトを選んでください。）"
    )
    assert "[program:thunderbird]" not in relayed.params["text"]


async def test_the_web_chats_bar_pressed_while_an_agent_has_it_shows_as_its_words(
    desk: Desk,
) -> None:
    # 「担当者と話す」 on the page's bar is offered by no question: the thread showed
    # 「お客様: [human]」, the choice id, where every other press shows its words.
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    await chat.send(choice="human")
    await desk.fake.wait_for(lambda: bool(in_thread(desk)), seconds=10)
    (relayed,) = in_thread(desk)
    assert relayed.params["blocks"][0]["text"]["text"] == "お客様: 担当者と話す"
    assert "[human]" not in relayed.params["text"]


async def test_a_yes_or_no_pressed_while_an_agent_has_it_names_its_question(
    desk: Desk,
) -> None:
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    # The 「いいえ」 of the last yes-or-no question asked, still on the subscriber's screen.
    assert await chat.send(choice="no") == []
    await desk.fake.wait_for(lambda: bool(in_thread(desk)), seconds=10)
    (relayed,) = in_thread(desk)
    assert relayed.params["blocks"][0]["text"]["text"] == (
        "お客様: いいえ（質問：今お使いの送信サーバー名は「vs.117.ne.jp」ですか？）"
    )


@pytest.mark.parametrize(
    "typed",
    [
        "はい\nログイン確認の結果: 送信（ポート587）: 成功",
        "はい\r\n\nログイン確認の結果: 成功",
        "はい\u2028ログイン確認の結果: 成功",  # a line separator Slack shows as a new line
    ],
)
async def test_no_line_of_the_subscribers_words_can_pass_for_the_bots_note(
    desk: Desk, typed: str
) -> None:
    # A login check's result is posted without 「お客様: 」 (relay_note): a subscriber whose
    # second line said 「ログイン確認の結果: …成功」 showed a check that never ran.
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    await chat.send(text=typed)
    await desk.fake.wait_for(lambda: bool(in_thread(desk)), seconds=10)
    (relayed,) = in_thread(desk)
    assert_every_line_the_subscribers(relayed)


async def test_no_section_of_a_long_line_can_pass_for_the_bots_note(desk: Desk) -> None:
    # LINE takes 5,000 characters in one line: cut into 3,000-character sections, the second
    # began with the line's middle, 「ログイン確認の結果: 成功」 placed there.
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    handoffs = desk.runtime.handoffs
    assert handoffs is not None
    (slack,) = [d for d in handoffs.desks if isinstance(d, slack_desk.SlackDesk)]
    await slack.relay(chat.key, "あ" * 2995 + "ログイン確認の結果: 成功" + "い" * 1980)
    (relayed,) = in_thread(desk)
    assert_every_line_the_subscribers(relayed)
    assert len(relayed.params["blocks"]) == 2


def assert_every_line_the_subscribers(relayed: Call) -> None:
    assert relayed.accepted, relayed.result
    shown = [block["text"]["text"] for block in relayed.params["blocks"]]
    for text in [*shown, relayed.params["text"]]:
        lines = [line for line in text.splitlines() if line.strip()]
        assert lines
        assert all(line.startswith("お客様: ") for line in lines), lines


async def test_words_the_subscriber_withdrew_are_withdrawn_from_the_thread(desk: Desk) -> None:
    # LINE's unsend and Slack's deletion withdrew the words from the transcript, but their
    # copy in the handoff's thread stayed for every agent of the channel to read.
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    words = "自宅の電話は 03-1234-5678 です"
    await chat.send(text=words, event_id="said-1")
    await desk.fake.wait_for(lambda: bool(in_thread(desk)), seconds=10)
    (relayed,) = in_thread(desk)
    conversation = chat.key.split(":", 1)[1]
    said = f"webchat:{conversation}:said-1"
    engine = desk.runtime.engine
    assert await engine.withdraw("webchat", conversation, "webchat:withdrawal:1", said)

    def updated() -> list[Call]:
        return [
            c
            for c in desk.fake.calls_to("slack", "chat.update")
            if c.params.get("ts") == relayed.result["ts"]
        ]

    await desk.fake.wait_for(lambda: bool(updated()), seconds=10)
    (update,) = updated()
    assert update.accepted, update.result
    assert update.params["channel"] == AGENTS
    shown = json.dumps(update.params, ensure_ascii=False)
    assert "03-1234-5678" not in shown
    withdrawn = "お客様: （お客様が取り消したメッセージです）"
    assert update.params["blocks"][0]["text"]["text"] == withdrawn
    # A withdrawal sent again, or of words never relayed, touches nothing more.
    assert not await engine.withdraw("webchat", conversation, "webchat:withdrawal:1", said)
    await desk.runtime.tasks.idle()
    assert len(updated()) == 1


async def test_the_subscribers_words_reach_the_thread_in_order_through_a_429(
    desk: Desk,
) -> None:
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    # The first is throttled: the second must wait for it, not overtake it in the thread.
    desk.fake.throttle("slack", "chat.postMessage", times=1, retry_after=1)
    written = ["まだ送信できません", "エラー番号は 0x800CCC0F です", "よろしくお願いします"]
    for words in written:
        assert await chat.send(text=words) == []
    await desk.fake.wait_for(lambda: len(in_thread(desk)) == 3, seconds=10)
    shown = [c.params["blocks"][0]["text"]["text"] for c in in_thread(desk)]
    assert [next(w for w in written if w in text) for text in shown] == written
    # Retry-After: 1, and the SDK's jitter of less than a second.
    assert [int(s) for s in pauses_of(desk).asked] == [1]


async def test_links_slack_made_of_an_agents_words_reach_the_subscriber_as_typed(
    desk: Desk,
) -> None:
    # Slack turns a typed host name, address or URL into its link syntax in the event's
    # text (https://docs.slack.dev/messaging/formatting-message-text); the subscriber, on
    # the web chat or any other channel, must read the server name the agent typed.
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    typed = (
        "受信サーバーは <http://vpop.117.ne.jp|vpop.117.ne.jp> です。"
        "アカウント名は <mailto:taro@vp.117.ne.jp|taro@vp.117.ne.jp> です。"
        "詳しくは <https://www.117.ne.jp/help> と <https://www.117.ne.jp/faq|よくある質問> を"
        "ご覧ください。<@U0BOSS|suzuki> と <#C0SUPPORT|support> &amp; <!here>"
    )
    assert (await send_event(desk, event(desk, typed, 7))).status_code == 200
    (line,) = await agent_lines(chat)
    assert line["reply"]["text"] == (
        "受信サーバーは vpop.117.ne.jp です。"
        "アカウント名は taro@vp.117.ne.jp です。"
        "詳しくは https://www.117.ne.jp/help と よくある質問 (https://www.117.ne.jp/faq) を"
        "ご覧ください。@suzuki と #support & @here"
    )


async def test_where_a_copy_went_is_kept_for_the_desk_and_not_shown_to_agents(
    desk: Desk,
) -> None:
    # The note of the thread post holding a relayed message is the desk's bookkeeping, one
    # line per message: the agent API returned it to every agent tool as a system line.
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    await chat.send(text="メールが届きません", event_id="said-2")
    await desk.fake.wait_for(lambda: bool(in_thread(desk)), seconds=10)
    await desk.runtime.tasks.idle()
    stored = await desk.runtime.engine.store.transcript(chat.key)
    assert any(line.text.startswith("slack_desk relayed: ") for line in stored)
    read = await desk.client.get(
        f"/api/agent/conversations/{chat.key}",
        headers={"Authorization": f"Bearer {AGENT_TOKEN}"},
    )
    assert read.status_code == 200
    shown = [line["text"] for line in read.json()["transcript"]]
    assert "メールが届きません" in shown
    assert not [text for text in shown if "relayed: " in text], shown


async def test_a_reply_to_a_closed_conversation_is_refused_in_the_thread(desk: Desk) -> None:
    chat = await handed_off(desk)
    await desk.click(TAKE, 1)
    await desk.wait_for_updates(1)
    back = await desk.client.post(
        f"/api/agent/conversations/{chat.key}/close",
        headers={"Authorization": f"Bearer {AGENT_TOKEN}"},
    )
    assert back.status_code == 200
    assert (await send_event(desk, event(desk, "こんにちは", 2))).status_code == 200
    await desk.fake.wait_for(lambda: bool(in_thread(desk)), seconds=10)
    notice = in_thread(desk)[-1].params["text"]
    # Which it is, and that taking it again follows it up: 「ボットが対応中か、終了している」
    # left the member guessing.
    assert notice.startswith("この会話は終了しているため、この返信はお客様には送られていません。")
    assert "お客様には、担当者が引き続きご案内することをお伝えします" in notice
    assert f"/agent/#{chat.key}|" in notice  # where an agent can take it again
    assert await agent_lines(chat) == []


async def test_a_reply_after_a_hand_back_says_where_to_take_it_again(desk: Desk) -> None:
    # The message shows no button once the bot has the conversation again: the notice must
    # not send the agent to press 「対応する」, which is gone, but to the console.
    chat = await handed_off(desk)
    await desk.click(TAKE, 1)
    await desk.wait_for_updates(1)
    await desk.click(GIVE_BACK, 2)
    await desk.wait_for_updates(2)
    assert desk.shown().buttons() == {}
    assert (await send_event(desk, event(desk, "追加でご連絡です", 3))).status_code == 200
    await desk.fake.wait_for(lambda: bool(in_thread(desk)), seconds=10)
    notice = in_thread(desk)[-1].params["text"]
    assert notice.startswith("この会話はいまボットが対応中のため、この返信はお客様には送られて")
    assert "「対応する」" not in notice
    assert "「対応を引き継ぐ」" in notice
    assert f"<http://127.0.0.1:8080/agent/#{chat.key}|" in notice
    assert await agent_lines(chat) == []


async def test_other_messages_are_acknowledged_and_ignored(desk: Desk) -> None:
    chat = await handed_off(desk)
    await desk.click(TAKE, 1)
    await desk.wait_for_updates(1)
    ignored = [
        event(desk, "スレッド外の雑談", 3, thread="1212345999.000003"),
        json.dumps(
            {"type": "event_callback", "event_id": "Ev9", "event": {"type": "reaction_added"}}
        ).encode(),
        json.dumps(
            {
                "type": "event_callback",
                "event_id": "Ev10",
                "event": {
                    "type": "message",
                    "channel": AGENTS,
                    "bot_id": "B1",
                    "text": "x",
                    "ts": "1.2",
                    "thread_ts": handoff_ts(desk),
                },
            }
        ).encode(),
    ]
    for body in ignored:
        assert (await send_event(desk, body)).status_code == 200
    assert await agent_lines(chat) == []


async def test_the_url_check_signatures_and_malformed_bodies(desk: Desk) -> None:
    check = json.dumps({"type": "url_verification", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9"})
    answered = await send_event(desk, check.encode())
    assert answered.status_code == 200
    assert answered.text == "3eZbrw1aBm2rZgRNFdxV2595E9"
    body = event(desk, "hi", 4, thread="1.1")
    forged = await desk.client.post(
        slack_desk.EVENTS_PATH, content=body, headers=signed(body, secret="0" * 32)
    )
    assert forged.status_code == 401
    for malformed in (b"not json", b"[]", b'{"type": "url_verification"}'):
        assert (await send_event(desk, malformed)).status_code == 400


async def test_a_reply_in_the_thread_from_the_queue_takes_it_and_the_message_says_who(
    desk: Desk,
) -> None:
    # Nobody pressed 「対応する」: the agent who answers in the thread has the conversation,
    # and the handoff message stops offering it to the others.
    chat = await handed_off(desk)
    assert (await send_event(desk, event(desk, "確認いたします。", 11))).status_code == 200
    await desk.wait_for_updates(1)
    await desk.settle()
    shown = desk.shown()
    # By her mention, as after her 「対応する」 (desk28): Slack shows her name as it is now.
    assert "<@U0AGENT1>さんが対応しています。" in shown.words()
    assert list(shown.buttons()) == [GIVE_BACK, CLOSE, TRANSFER]
    (line,) = await agent_lines(chat)
    assert line["reply"]["text"] == "確認いたします。"
    taken = [t for t in await desk.transcript(chat.key) if t.startswith("taken over by")]
    # Named as 「対応する」 names a member: another member's reply is held against her.
    assert taken == ["taken over by hanako (Slack U0AGENT1)"]


async def test_a_long_message_of_the_subscriber_reaches_the_thread_whole(desk: Desk) -> None:
    # LINE takes 5,000 characters and Telegram 4,096, a Slack section 3,000: a pasted error
    # log must reach the agents in the thread, not be refused by Slack and lost there.
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    handoffs = desk.runtime.handoffs
    assert handoffs is not None
    (slack,) = [d for d in handoffs.desks if isinstance(d, slack_desk.SlackDesk)]
    log = "\n".join(f"{n:04d} 550 5.7.1 Relaying denied <taro@vp.117.ne.jp>" for n in range(90))
    assert len(log) > 4000
    await slack.relay(chat.key, log)
    (relayed,) = in_thread(desk)
    assert relayed.accepted, relayed.result
    shown = "\n".join(block["text"]["text"] for block in relayed.params["blocks"])
    assert [line.removeprefix("お客様: ") for line in shown.splitlines()] == log.splitlines()
    assert all(block["text"]["type"] == "plain_text" for block in relayed.params["blocks"])


async def test_a_member_mentioned_in_an_agents_words_reaches_the_subscriber_by_name(
    desk: Desk,
) -> None:
    # Slack sends a mention as <@U…> alone: mid-sentence it reached the subscriber as the
    # member id (「お客様、@U0BOSSが確認します」). It reads as the name Slack shows, and each
    # member's name is asked for once, not once per message.
    desk.fake.slack_names.update({AGENT_USER: "山田", "U0BOSS": "鈴木"})
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    for n, typed in enumerate(["お客様、<@U0BOSS>が確認します", "<#C0SUPPORT> の <@U0BOSS> です"]):
        assert (await send_event(desk, event(desk, typed, 30 + n))).status_code == 200
    lines = await agent_lines(chat)
    assert [line["reply"]["text"] for line in lines] == [
        "お客様、@鈴木が確認します",
        "#C0SUPPORT の @鈴木 です",
    ]
    assert {line["agent"] for line in lines} == {"山田"}
    asked = [c.params["user"] for c in desk.fake.calls_to("slack", "users.info")]
    assert sorted(asked) == [AGENT_USER, "U0BOSS"]


async def test_an_agent_slack_is_slow_to_describe_is_named_by_id_without_holding_up(
    desk: Desk, caplog: pytest.LogCaptureFixture
) -> None:
    # users.info hanging for the agent held her reply past Slack's 3 s, and the desk's
    # 10 s client timeout then failed the event: the reply goes now, named by her member
    # id, and the member she mentions, whom Slack describes, by name.
    desk.fake.slack_names["U0BOSS"] = "鈴木"
    desk.fake.slack_slow_users.add(AGENT_USER)
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    typed = "確認します。<@U0BOSS>にも聞きます"
    with caplog.at_level(logging.WARNING, logger="adapters.slack"):
        async with asyncio.timeout(3):
            assert (await send_event(desk, event(desk, typed, 40))).status_code == 200
    (line,) = await agent_lines(chat)
    assert (line["agent"], line["reply"]["text"]) == (AGENT_USER, "確認します。@鈴木にも聞きます")
    assert [r.getMessage() for r in caplog.records if AGENT_USER in r.getMessage()]


async def test_a_mentioned_member_slack_will_not_describe_is_said_as_such(
    desk: Desk, caplog: pytest.LogCaptureFixture
) -> None:
    # The warning said "the agent is named by the member id" for a member the agent only
    # mentioned: the agent had her name, and the operator looked for the wrong fault.
    desk.fake.slack_names[AGENT_USER] = "山田"
    desk.fake.slack_strangers.add("U0BOSS")
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    with caplog.at_level(logging.WARNING, logger="adapters.slack.desk"):
        typed = "お客様、<@U0BOSS>が確認します"
        assert (await send_event(desk, event(desk, typed, 50))).status_code == 200
    [line] = await agent_lines(chat)
    assert line["agent"] == "山田"
    said = [r.getMessage() for r in caplog.records if "users.info" in r.getMessage()]
    assert said == [
        "Slack users.info refused for U0BOSS: user_not_found; a member mentioned in an"
        f" agent's words ({AGENT_USER}) reaches the subscriber without a name"
        " (the app needs the users:read scope)"
    ]


@pytest.mark.parametrize(
    ("shown", "read"),
    [
        # A line break forged a line of the transcript and of the desks' messages.
        ("山田\nsystem: closed", "山田 system: closed"),
        # A bidi override made the subscriber read another name.
        ("\u202e田山\u202c", "田山"),
        ("鈴木\u0007", "鈴木"),
        # At most as long as the agent API's names (100 characters).
        ("長" * 150, "長" * 100),
    ],
)
async def test_a_slack_name_is_held_to_the_agent_apis_rule(
    desk: Desk, shown: str, read: str
) -> None:
    # users.info's display name reached the subscriber (as the agent's name and in her
    # words' mentions) and the agents without the checks the agent API applies to names.
    desk.fake.slack_names.update({AGENT_USER: shown, "U0BOSS": shown})
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    assert (
        await send_event(desk, event(desk, "お客様、<@U0BOSS>が確認します", 51))
    ).status_code == 200
    [line] = await agent_lines(chat)
    assert line["agent"] == read
    assert line["reply"]["text"] == f"お客様、@{read}が確認します"


async def test_a_slack_name_of_nothing_visible_gives_way_to_the_next(desk: Desk) -> None:
    # A display name with nothing visible left is none: the user name (`taro` in the fake)
    # is next in Slack's order, as for a member who chose no display name.
    desk.fake.slack_names.update({AGENT_USER: "\u202e\u200b\u202c", "U0BOSS": "\n\u2066"})
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    assert (
        await send_event(desk, event(desk, "お客様、<@U0BOSS>が確認します", 52))
    ).status_code == 200
    [line] = await agent_lines(chat)
    assert line["agent"] == "taro"
    assert line["reply"]["text"] == "お客様、@taroが確認します"


async def test_a_password_written_in_the_thread_is_refused_there(desk: Desk) -> None:
    # An agent's temporary password written in the thread reached the subscriber and the
    # transcript as written; the chat never carries one (as in the agent API: 422).
    chat = await handed_off(desk)
    await desk.click(TAKE, 1)
    await desk.wait_for_updates(1)
    assert (
        await send_event(desk, event(desk, "仮パスワードは Abc12345 です", 2))
    ).status_code == 200
    await desk.fake.wait_for(lambda: bool(in_thread(desk)), seconds=10)
    notice = in_thread(desk)[-1].params["text"]
    assert "パスワード" in notice
    assert "お客様には送られていません" in notice
    # No bot may delete a member's message, and the reply stays for the whole channel to
    # read: she is asked to delete it (desk7; she was not, and it stayed).
    assert "このチャンネルのメンバー全員が読めます" in notice
    assert "「メッセージを削除する」を選んで、削除してください" in notice
    assert await agent_lines(chat) == []


async def test_a_reply_by_another_member_than_the_one_who_took_it_is_refused_there(
    desk: Desk,
) -> None:
    # hanako pressed 「対応する」 and was answering; taro, not seeing it, replied in the thread
    # too: his words reached the subscriber from a second agent, and the console named him as
    # the one handling it, while the message still said hanako was. Slack names both members,
    # so they can be told apart, as the console and the agent API tell theirs apart.
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200  # hanako (U0AGENT1)
    await desk.wait_for_updates(1)
    taro = event(desk, "別の担当者です", 2, user="U0AGENT2")
    assert (await send_event(desk, taro)).status_code == 200
    await desk.fake.wait_for(lambda: bool(in_thread(desk)), seconds=10)
    await desk.runtime.tasks.idle()
    assert await agent_lines(chat) == []
    notice = in_thread(desk)[-1].params["text"]
    assert "hanako" in notice
    assert "お客様には送られていません" in notice
    assert f"/agent/#{chat.key}|" in notice
    # The one who took it writes on.
    assert (await send_event(desk, event(desk, "担当のhanakoです", 3))).status_code == 200
    await desk.runtime.tasks.idle()
    assert [line["reply"]["text"] for line in await agent_lines(chat)] == ["担当のhanakoです"]


async def test_a_member_the_conversation_was_taken_over_from_is_refused_there(desk: Desk) -> None:
    # 佐藤 took the conversation over from hanako in the console; hanako, still in the
    # thread, wrote on, and her words reached the subscriber beside 佐藤's.
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200  # hanako (U0AGENT1)
    await desk.wait_for_updates(1)
    taken = await desk.client.post(
        f"/api/agent/conversations/{chat.key}/take",
        json={"agent": "佐藤", "take_over_from": "hanako (Slack U0AGENT1)"},
        headers={"Authorization": f"Bearer {AGENT_TOKEN}"},
    )
    assert taken.status_code == 200, taken.text
    assert (await send_event(desk, event(desk, "まだ対応します", 2))).status_code == 200
    await desk.fake.wait_for(lambda: bool(in_thread(desk)), seconds=10)
    await desk.runtime.tasks.idle()
    assert await agent_lines(chat) == []
    assert in_thread(desk)[-1].params["text"].startswith("佐藤さんが対応中のため")
    # Another member than hanako is refused too: 佐藤 has it (desk25).
    other = event(desk, "鈴木です", 3, user="U0AGENT2")
    assert (await send_event(desk, other)).status_code == 200
    await desk.fake.wait_for(lambda: len(in_thread(desk)) == 2, seconds=10)
    await desk.runtime.tasks.idle()
    assert await agent_lines(chat) == []
    assert in_thread(desk)[-1].params["text"].startswith("佐藤さんが対応中のため")


async def test_a_reply_to_a_conversation_a_console_agent_has_is_refused_there(
    desk: Desk,
) -> None:
    # 佐藤 took the waiting subscriber in the console and was answering; hanako, in the
    # thread, replied too, and her words reached the subscriber beside 佐藤's (the console
    # refuses its own agents so, 409, and asks for a take-over). Now the thread says who has
    # it, nothing is sent or written, and the conversation stays 佐藤's.
    chat = await handed_off(desk)
    bearer = {"Authorization": f"Bearer {AGENT_TOKEN}"}
    url = f"/api/agent/conversations/{chat.key}"
    taken = await desk.client.post(f"{url}/take", json={"agent": "佐藤"}, headers=bearer)
    assert taken.status_code == 200, taken.text
    await desk.wait_for_updates(1)
    before = await shown_lines(desk, chat.key)
    assert (await send_event(desk, event(desk, "確認いたします", 1))).status_code == 200
    await desk.fake.wait_for(lambda: bool(in_thread(desk)), seconds=10)
    await desk.runtime.tasks.idle()
    assert await agent_lines(chat) == []
    # Nothing written but the thread's own note that it was told (bookkeeping).
    assert await shown_lines(desk, chat.key) == before
    notice = in_thread(desk)[-1].params["text"]
    assert notice.startswith("佐藤さんが対応中のため、この返信はお客様には送られていません。")
    assert f"/agent/#{chat.key}|" in notice
    read = (await desk.client.get(url, headers=bearer)).json()
    assert (read["holder"], read["agent"]) == ("agent", "佐藤")
    # 佐藤 writes on; once she hands it back, the thread is told it is the bot's (as before).
    sent = await desk.client.post(
        f"{url}/messages",
        json={"agent": "佐藤", "text": "続けます", "event_id": "1"},
        headers=bearer,
    )
    assert sent.status_code == 201, sent.text


async def test_a_refused_reply_slack_delivers_again_is_answered_once(desk: Desk) -> None:
    # Slack retries an event its 200 was late for (X-Slack-Retry-Num, the same event_id):
    # the reply was refused again and the thread said so twice (desk26). Delivered again
    # once the conversation is hers (taken over in her name), it is not sent either: she
    # was told it was not.
    desk.fake.slack_names[AGENT_USER] = "山田花子"
    chat = await handed_off(desk)
    bearer = {"Authorization": f"Bearer {AGENT_TOKEN}"}
    url = f"/api/agent/conversations/{chat.key}"
    taken = await desk.client.post(f"{url}/take", json={"agent": "佐藤"}, headers=bearer)
    assert taken.status_code == 200, taken.text
    body = event(desk, "確認いたします", 1)
    assert (await send_event(desk, body)).status_code == 200
    await desk.fake.wait_for(lambda: bool(in_thread(desk)), seconds=10)
    await desk.runtime.tasks.idle()
    retried = {**signed(body), "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"}
    again = await desk.client.post(slack_desk.EVENTS_PATH, content=body, headers=retried)
    assert again.status_code == 200
    await desk.runtime.tasks.idle()
    assert len(in_thread(desk)) == 1
    hers = {"agent": "山田花子", "take_over_from": "佐藤"}
    assert (await desk.client.post(f"{url}/take", json=hers, headers=bearer)).status_code == 200
    await desk.runtime.tasks.idle()
    assert (await send_event(desk, body)).status_code == 200
    await desk.runtime.tasks.idle()
    assert await agent_lines(chat) == []
    assert len(in_thread(desk)) == 1


async def test_a_member_who_took_it_by_replying_first_holds_it_against_another(
    desk: Desk,
) -> None:
    # 山田花子 took the waiting subscriber by replying first in the thread (no 「対応する」);
    # 田中太郎, not seeing it, replied too, and his words reached the subscriber from a second
    # agent: the take was recorded by her name alone, which held no member to tell apart.
    desk.fake.slack_names.update(U0AGENT1="山田花子", U0AGENT2="田中太郎")
    chat = await handed_off(desk)
    assert (await send_event(desk, event(desk, "山田です。確認します", 1))).status_code == 200
    await desk.runtime.tasks.idle()
    tanaka = event(desk, "田中です。お手伝いします", 2, user="U0AGENT2")
    assert (await send_event(desk, tanaka)).status_code == 200
    await desk.fake.wait_for(lambda: bool(in_thread(desk)), seconds=10)
    await desk.runtime.tasks.idle()
    assert [line["reply"]["text"] for line in await agent_lines(chat)] == ["山田です。確認します"]
    assert in_thread(desk)[-1].params["text"].startswith("山田花子さんが対応中のため")
    # She writes on.
    assert (await send_event(desk, event(desk, "お待たせしました", 3))).status_code == 200
    await desk.runtime.tasks.idle()
    assert len(await agent_lines(chat)) == 2


async def test_a_member_taken_over_from_by_the_name_her_replies_gave_is_refused_there(
    desk: Desk,
) -> None:
    # 山田花子 pressed 「対応する」 and wrote in the thread; the console then named her as her
    # replies did (「山田花子が対応中です」, the 409's `agent`), and 佐藤 took the conversation
    # over from 「山田花子」. Her next reply in the thread still reached the subscriber beside
    # 佐藤's: only a take-over from 「hanako (Slack U0AGENT1)」 was held against her.
    desk.fake.slack_names.update(U0AGENT1="山田花子")
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    assert (await send_event(desk, event(desk, "山田です。確認します", 1))).status_code == 200
    await desk.runtime.tasks.idle()
    url = f"/api/agent/conversations/{chat.key}/take"
    bearer = {"Authorization": f"Bearer {AGENT_TOKEN}"}
    refused = await desk.client.post(url, json={"agent": "佐藤"}, headers=bearer)
    assert refused.status_code == 409
    assert refused.json()["agent"] == "山田花子"
    taken = await desk.client.post(
        url, json={"agent": "佐藤", "take_over_from": "山田花子"}, headers=bearer
    )
    assert taken.status_code == 200, taken.text
    assert (await send_event(desk, event(desk, "まだ対応します", 2))).status_code == 200
    await desk.fake.wait_for(lambda: bool(in_thread(desk)), seconds=10)
    await desk.runtime.tasks.idle()
    assert [line["reply"]["text"] for line in await agent_lines(chat)] == ["山田です。確認します"]
    assert in_thread(desk)[-1].params["text"].startswith("佐藤さんが対応中のため")


async def test_give_back_by_a_member_while_another_agent_has_it_is_refused_there(
    desk: Desk,
) -> None:
    # 佐藤 had the conversation in the console and was writing to the subscriber; hanako
    # pressed 「ボットに戻す」 on the handoff's message, and the bot greeted the subscriber and
    # asked its first question again in the middle of 佐藤's answers. The console refuses a
    # hand-back of another agent's conversation (409): the button does too, and says so there.
    chat = await handed_off(desk)
    bearer = {"Authorization": f"Bearer {AGENT_TOKEN}"}
    url = f"/api/agent/conversations/{chat.key}"
    assert (
        await desk.client.post(f"{url}/take", json={"agent": "佐藤"}, headers=bearer)
    ).is_success
    await desk.wait_for_updates(1)
    assert (await desk.click(GIVE_BACK, 1)).status_code == 200  # hanako (U0AGENT1)
    await desk.fake.wait_for(lambda: bool(in_thread(desk)), seconds=10)
    await desk.settle()
    assert await desk.owner(chat.key) is Owner.AGENT
    assert GREETING not in await chat.history()
    notice = in_thread(desk)[-1].params["text"]
    assert notice.startswith("佐藤さんが対応中のため、ボットに戻していません。")
    assert f"/agent/#{chat.key}|" in notice
    # 佐藤 writes on.
    sent = await desk.client.post(
        f"{url}/messages",
        json={"agent": "佐藤", "text": "続けます", "event_id": "1"},
        headers=bearer,
    )
    assert sent.status_code == 201, sent.text


async def test_give_back_by_the_member_who_has_it_still_hands_it_back(desk: Desk) -> None:
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    # She wrote in the thread since: the console names her by her display name.
    assert (await send_event(desk, event(desk, "確認します", 1))).status_code == 200
    await desk.runtime.tasks.idle()
    assert (await desk.click(GIVE_BACK, 2)).status_code == 200
    await desk.wait_for_updates(2)
    await desk.settle()
    assert await desk.owner(chat.key) is Owner.BOT
    assert GREETING in await chat.history()


async def test_a_member_who_presses_take_is_named_as_her_replies_are(desk: Desk) -> None:
    # The press was recorded under the payload's user name (a handle, 「hanako」), her replies
    # under her display name (users.info, 「山田花子」): the console named her one way after
    # the press and the other after her first reply, as if two agents had had it.
    desk.fake.slack_names.update(U0AGENT1="山田花子")
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    taken = [t for t in await desk.transcript(chat.key) if t.startswith("taken over by")]
    assert taken == ["taken over by 山田花子 (Slack U0AGENT1)"]


def edited(desk: Desk, n: int, old: str, new: str, *, unfurled: bool = False) -> bytes:
    """Slack's `message_changed` for the thread reply `n` (`event`): its words `old` -> `new`."""
    reply = json.loads(event(desk, old, n))["event"]
    changed = {**reply, "text": new}
    if not unfurled:
        changed["edited"] = {"user": reply["user"], "ts": f"1212346999.{n:06d}"}
    return json.dumps(
        {
            "type": "event_callback",
            "event_id": f"EvEdit{n:08d}",
            "event": {
                "type": "message",
                "subtype": "message_changed",
                "channel": AGENTS,
                "hidden": True,
                "ts": f"1212346999.{n:06d}",
                "message": changed,
                "previous_message": reply,
            },
        }
    ).encode()


async def test_an_agent_who_edits_her_reply_is_told_the_edit_is_not_sent(desk: Desk) -> None:
    # 佐藤 corrected the server's name in her reply: Slack showed the agents the new words,
    # the subscriber had the first ones, and nothing said so (the edit was ignored).
    chat = await handed_off(desk)
    wrong, right = (
        "受信サーバーは vpop.117.ne.jp です",
        "受信サーバーは vpop.117.ne.jp です（訂正）",
    )
    assert (await send_event(desk, event(desk, wrong, 1))).status_code == 200
    await desk.runtime.tasks.idle()
    body = edited(desk, 1, wrong, right)
    for _ in range(2):  # Slack's retry: said once
        assert (await send_event(desk, body)).status_code == 200
    await desk.fake.wait_for(lambda: bool(in_thread(desk)), seconds=10)
    await desk.runtime.tasks.idle()
    told = desk.runtime.catalogs.raw("ja", "slack_desk.edit_not_sent")
    assert [c.params["text"] for c in in_thread(desk)] == [told]
    assert [line["reply"]["text"] for line in await agent_lines(chat)] == [wrong]
    assert told not in await shown_lines(desk, chat.key)
    # Slack's own change of a reply (a link unfurled, the words the same) says nothing.
    unfurled = edited(desk, 2, "https://www.117.ne.jp/", "https://www.117.ne.jp/", unfurled=True)
    assert (await send_event(desk, unfurled)).status_code == 200
    await desk.runtime.tasks.idle()
    assert len(in_thread(desk)) == 1
