"""The desk's hours decide whether asking for a person hands over or takes a message.

The real app with a desk webhook and a profile whose desk answers on weekdays only; the
fixed clock says Sunday noon in Tokyo, then Monday noon.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import httpx

from bot.engine import DESK_MESSAGE_LINE
from bot.ops.settings import Settings
from bot.ops.stats import collect
from bot.server import build_app
from testbed.clock import IN_WINDOW, fixed_clock
from testbed.loopback import serving
from tests.bot.desk.test_agent_api import Chat, Desk, check, client_for

PROFILE = Path(__file__).parents[3] / "bot" / "ops" / "default_profile.toml"
TOKEN = "sato-token-0123456789"


def weekday_profile(tmp_path: Path) -> Path:
    text = PROFILE.read_text("utf-8").replace(
        '# mon = "09:00-18:00"', 'mon = "09:00-18:00"\nfri = "09:00-18:00"'
    )
    path = tmp_path / "profile.toml"
    path.write_text(text, "utf-8")
    return path


def settings(tmp_path: Path, hook: str) -> Settings:
    return Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        profile_path=weekday_profile(tmp_path),
        agent_tokens=(f"佐藤:{TOKEN}",),
        desk_webhook_url=hook,
        desk_webhook_secret=b"desk-secret-0123456789",
    )


async def test_outside_the_hours_a_message_is_taken_and_counted(tmp_path: Path) -> None:
    receiver = Desk()
    with serving(receiver.app()) as url:
        app = build_app(settings(tmp_path, f"{url}/hook"), clock=fixed_clock())
        async for client in client_for(app):
            chat = await Chat.start(client)
            said = await chat.send(text="担当者と話したい")
            words = " ".join(str(r["text"]) for r in said)
            assert "受付時間外" in words
            assert "月 9:00–18:00、金 9:00–18:00" in words
            assert [c["id"] for c in said[-1]["choices"]] == ["desk_message", "resume"]  # type: ignore[attr-defined]
            await chat.send(choice="desk_message")
            await app.state.runtime.tasks.idle()
            assert receiver.received == []  # no handoff: no one would answer now
            left = {"text": "送信できません。03-1234-5678 にお電話ください", "event_id": "e-left"}
            await chat.send(**left)
            await chat.send(**left)  # the page's retry: one message, told once
            await app.state.runtime.tasks.idle()
            # The webhook desk is shown the message left for it, signed like a handoff.
            ((body, signature),) = receiver.received
            digest = hmac.new(b"desk-secret-0123456789", body, hashlib.sha256).hexdigest()
            assert signature == f"sha256={digest}"
            told = json.loads(body)
            assert (told["kind"], told["key"]) == ("message_left", chat.key)
            assert told["message"] == "送信できません。03-1234-5678 にお電話ください"
            assert told["callback"] == "03-1234-5678"
            assert told["reason"] == "担当者におつなぎできない間に、お客様が伝言を残した"
            page = await client.get(f"/api/webchat/conversations/{chat.id}/messages")
            assert page.json()["owner"] == "bot"
            read = await client.get(
                f"/api/agent/conversations/{chat.key}",
                headers={"Authorization": f"Bearer {TOKEN}"},
            )
            lines = [x["text"] for x in read.json()["transcript"] if x["author"] == "system"]
            assert DESK_MESSAGE_LINE in lines
            day = IN_WINDOW.date()
            figures = await collect(app.state.runtime.engine.store, day, day, "Asia/Tokyo")
            assert figures.messages_left == 1
            assert figures.handed_to_agents == 0


async def test_within_the_hours_the_desk_is_told(tmp_path: Path) -> None:
    receiver = Desk()
    monday_noon = IN_WINDOW + dt.timedelta(days=1)
    with serving(receiver.app()) as url:
        app = build_app(settings(tmp_path, f"{url}/hook"), clock=fixed_clock(monday_noon))
        async for client in client_for(app):
            chat = await Chat.start(client)
            said = await chat.send(text="担当者と話したい")
            assert "月 9:00–18:00" in " ".join(str(r["text"]) for r in said)
            await app.state.runtime.tasks.idle()
            assert len(receiver.received) == 1
            page = await client.get(f"/api/webchat/conversations/{chat.id}/messages")
            assert page.json()["owner"] == "queue"


async def test_the_desk_list_says_why_and_since_when_a_conversation_waits(
    tmp_path: Path,
) -> None:
    receiver = Desk()
    monday_noon = IN_WINDOW + dt.timedelta(days=1)
    with serving(receiver.app()) as url:
        app = build_app(settings(tmp_path, f"{url}/hook"), clock=fixed_clock(monday_noon))
        async for client in client_for(app):
            waiting, bots = await Chat.start(client), await Chat.start(client)
            await waiting.send(text="担当者と話したい")
            await app.state.runtime.tasks.idle()
            headers = {"Authorization": f"Bearer {TOKEN}"}
            listed = await client.get("/api/agent/conversations", headers=headers)
            check("/api/agent/conversations", "get", 200, listed.json())
            rows = {row["key"]: row for row in listed.json()["conversations"]}
            queued = rows[waiting.key]
            assert (queued["holder"], queued["agent"], queued["reason"]) == ("queue", None, "asked")
            assert queued["waiting_since"] == monday_noon.isoformat()
            assert "reason" not in rows[bots.key]
            await client.post(f"/api/agent/conversations/{waiting.key}/take", headers=headers)
            listed = await client.get("/api/agent/conversations?owner=agent", headers=headers)
            (taken,) = listed.json()["conversations"]
            assert (taken["holder"], taken["agent"], taken["reason"]) == ("agent", "佐藤", "asked")


async def desk_rows(
    client: httpx.AsyncClient, query: str = "?desk=true"
) -> dict[str, dict[str, Any]]:
    """The listed conversations by key, checked against the description."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    listed = await client.get(f"/api/agent/conversations{query}", headers=headers)
    check("/api/agent/conversations", "get", 200, listed.json())
    return {row["key"]: row for row in listed.json()["conversations"]}


async def test_a_message_left_waits_for_the_desk_until_someone_takes_or_closes_it(
    tmp_path: Path,
) -> None:
    receiver = Desk()
    with serving(receiver.app()) as url:
        app = build_app(settings(tmp_path, f"{url}/hook"), clock=fixed_clock())
        async for client in client_for(app):
            left, other, bots = [await Chat.start(client) for _ in range(3)]
            for chat in (left, other):
                await chat.send(text="担当者と話したい")
                await chat.send(choice="desk_message")
                await chat.send(text="送信できません。")
                await chat.send(text="０３－１２３４－５６７８にお電話ください")
            await bots.send(choice="yes")
            # The bot still answers the subscriber, and says so to them.
            await left.send(choice="resume")
            page = await client.get(f"/api/webchat/conversations/{left.id}/messages")
            assert page.json()["owner"] == "bot"
            headers = {"Authorization": f"Bearer {TOKEN}"}
            rows = await desk_rows(client)
            assert set(rows) == {left.key, other.key}
            row = rows[left.key]
            assert (row["owner"], row["holder"], row["reason"]) == ("bot", "queue", "message_left")
            assert row["waiting_since"] == IN_WINDOW.isoformat()
            assert row["message_left"] == {
                "at": IN_WINDOW.isoformat(),
                "text": "送信できません。\n０３－１２３４－５６７８にお電話ください",
                "callback": "03-1234-5678",
            }
            read = await client.get(f"/api/agent/conversations/{left.key}", headers=headers)
            check("/api/agent/conversations/{key}", "get", 200, read.json())
            assert read.json()["holder"] == "queue"
            # Every list marks it, not only the desk's.
            assert (await desk_rows(client, "?owner=bot"))[left.key]["holder"] == "queue"
            assert "holder" not in (await desk_rows(client, ""))[bots.key]
            bad = await client.get("/api/agent/conversations?desk=yes", headers=headers)
            assert bad.status_code == 422
            check("/api/agent/conversations", "get", 422, bad.json())

            await client.post(f"/api/agent/conversations/{left.key}/take", headers=headers)
            taken = (await desk_rows(client))[left.key]
            assert (taken["owner"], taken["holder"], taken["agent"]) == ("agent", "agent", "佐藤")
            assert taken["message_left"]["callback"] == "03-1234-5678"
            await client.post(f"/api/agent/conversations/{left.key}/close", headers=headers)
            await client.post(f"/api/agent/conversations/{other.key}/close", headers=headers)
            assert await desk_rows(client) == {}
            # A closed conversation's next message starts afresh: the old message is done.
            await left.send(text="こんにちは")
            assert await desk_rows(client) == {}
            # The desks are told of a message left in the background, over loopback HTTP.
            # Leaving `serving` stops the receiver from this test's own loop, which then runs
            # nothing: a telling still half-way held the receiver up for serving's whole 10 s.
            await app.state.runtime.tasks.idle()


async def test_asking_to_be_called_back_with_the_number_tells_the_desk_once(
    tmp_path: Path,
) -> None:
    # Outside the hours, a request to be called back that says where: the message itself.
    # The bot offered to take a message and asked for the problem and the number again.
    receiver = Desk()
    with serving(receiver.app()) as url:
        app = build_app(settings(tmp_path, f"{url}/hook"), clock=fixed_clock())
        async for client in client_for(app):
            chat = await Chat.start(client)
            await chat.send(text="担当者と話したい")
            await chat.send(choice="resume")  # not now: the offer declined
            await chat.send(choice="yes")
            asked = "メールが送れません。折り返し電話ください 090-1234-5678"
            said = await chat.send(text=asked)
            words = " ".join(str(r["text"]) for r in said)
            assert "伝言を承りました" in words
            # Sunday noon in Tokyo: the desk is back on Monday morning, and the thanks says so.
            assert "担当者の受付は明日（月曜日）の9:00からです" in words
            assert "desk_message" not in [c["id"] for c in said[-1]["choices"]]  # type: ignore[attr-defined]
            await app.state.runtime.tasks.idle()
            ((body, _),) = receiver.received
            told = json.loads(body)
            assert told["kind"] == "message_left"
            assert (told["message"], told["callback"]) == (asked, "090-1234-5678")


async def test_words_added_to_a_message_left_reach_the_desk_too(tmp_path: Path) -> None:
    receiver = Desk()
    with serving(receiver.app()) as url:
        app = build_app(settings(tmp_path, f"{url}/hook"), clock=fixed_clock())
        async for client in client_for(app):
            chat = await Chat.start(client)
            await chat.send(text="メールが送れません。折り返し電話ください 090-1234-5678")
            said = await chat.send(text="まだですか？電話してください")
            assert [c["id"] for c in said[-1]["choices"]] == ["desk_message", "resume"]  # type: ignore[attr-defined]
            await chat.send(choice="desk_message")
            await chat.send(text="Outlook 2016 を使っています")
            await app.state.runtime.tasks.idle()
            told = [json.loads(body) for body, _ in receiver.received]
            assert [t["kind"] for t in told] == ["message_left", "message_left"]
            assert told[0]["callback"] == "090-1234-5678"
            assert told[1]["message"] == "Outlook 2016 を使っています"
            # Words added to the message: the desk is given its way to call back again,
            # not 「折り返し先: 不明」.
            assert told[1]["callback"] == "090-1234-5678"


async def test_not_solved_after_a_close_out_of_hours_carries_on_where_it_was(
    tmp_path: Path,
) -> None:
    # Closed on a Sunday, 「解決しない」 offers a message or the bot: 「ボットと続ける」 asked
    # the questionnaire's first question again, of a subscriber who had answered it.
    with serving(Desk().app()) as url:
        app = build_app(settings(tmp_path, f"{url}/hook"), clock=fixed_clock())
        async for client in client_for(app):
            chat = await Chat.start(client)
            await chat.send(choice="yes")
            await chat.send(choice="no")
            await chat.send(text="taro@vp.117.ne.jp")
            await chat.send(choice="program:thunderbird")
            close = f"/api/agent/conversations/{chat.key}/close"
            headers = {"Authorization": f"Bearer {TOKEN}"}
            assert (await client.post(close, headers=headers)).status_code == 200
            asked: dict[str, Any] = (await chat.history())[-1]
            said = await chat.send(choice="feedback:unsolved", question=str(asked["question"]))
            assert [c["id"] for c in said[-1]["choices"]] == ["desk_message", "resume"]  # type: ignore[attr-defined]
            carried = await chat.send(choice="resume")
            assert "vs.117.ne.jp" in str(carried[-1]["text"])  # the question they were at
            assert "メールの送受信に" not in json.dumps(carried, ensure_ascii=False)
