"""Agents and the bot share conversations: API, ownership, handoff summary, hand-back.

Responses are checked against the API's description, generated from bot/desk/agent_models.py.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import itertools
import json
import secrets
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any, get_args

import httpx
import jsonschema  # type: ignore[import-untyped]
import pytest
from pydantic import TypeAdapter
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from adapters.chatwoot.agents import chatwoot_agent
from adapters.slack.desk_members import slack_member
from adapters.webchat.conversation_key import key_of
from bot.desk import agent_api
from bot.desk.agent_models import Answer, QuestionId, Step, description, description_for
from bot.desk.ownership import take_over
from bot.desk.summary import HandoffSummary
from bot.ops.catalogs import Catalogs
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import Change, ConversationRecord, TranscriptEntry
from dialogs.questionnaire import QUESTIONS
from dialogs.resume import ANSWERS, STEPS
from testbed.clock import IN_WINDOW, fixed_clock
from testbed.loopback import serving
from testbed.redis_server import RedisServer, running_redis

TOKEN = "agent-token-0123456789"
HEADERS = {"Authorization": f"Bearer {TOKEN}"}
WEBHOOK_SECRET = "desk-secret-0123456789"
SPEC = description()
HANDBACK_PATH = "/api/agent/conversations/{key}/handback"


class Desk:
    """A real help desk's webhook receiver on loopback; can be told to fail."""

    def __init__(self) -> None:
        self.received: list[tuple[bytes, str]] = []
        self.fail = False
        self.arrived = asyncio.Event()

    def app(self) -> Starlette:
        async def hook(request: Request) -> Response:
            body = await request.body()
            self.received.append((body, request.headers.get("x-mailmove-signature", "")))
            if self.fail:
                return JSONResponse({"error": "down"}, status_code=503)
            return JSONResponse({"ok": True})

        return Starlette(routes=[Route("/hook", hook, methods=["POST"])])


@pytest.fixture
def desk() -> Iterator[tuple[Desk, str]]:
    receiver = Desk()
    with serving(receiver.app()) as url:
        yield receiver, f"{url}/hook"


def settings_for(tmp_path: Path, desk_url: str = "") -> Settings:
    return Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        agent_tokens=(TOKEN,),
        desk_webhook_url=desk_url,
        desk_webhook_secret=WEBHOOK_SECRET.encode() if desk_url else b"",
    )


async def client_for(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    await app.state.runtime.engine.store.open()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client
    await app.state.runtime.engine.store.close()


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async for client in client_for(build_app(settings_for(tmp_path), clock=fixed_clock())):
        yield client


@pytest.fixture
def desk_app(tmp_path: Path, desk: tuple[Desk, str]) -> Starlette:
    return build_app(settings_for(tmp_path, desk[1]), clock=fixed_clock())


@pytest.fixture
async def desk_client(desk_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async for client in client_for(desk_app):
        yield client


class Chat:
    def __init__(self, client: httpx.AsyncClient, conversation: str) -> None:
        self.client = client
        self.id = conversation
        self.key = key_of(conversation)

    @classmethod
    async def start(cls, client: httpx.AsyncClient) -> Chat:
        created = (await client.post("/api/webchat/conversations", json={})).json()
        return cls(client, created["conversation_id"])

    async def send(self, **body: str) -> list[dict[str, object]]:
        url = f"/api/webchat/conversations/{self.id}/messages"
        response = await self.client.post(url, json=body)
        assert response.status_code == 200
        replies: list[dict[str, object]] = response.json()["replies"]
        return replies

    async def history(self) -> list[dict[str, object]]:
        url = f"/api/webchat/conversations/{self.id}/messages"
        messages: list[dict[str, object]] = (await self.client.get(url)).json()["messages"]
        return messages


def check(path: str, method: str, status: int, body: object) -> None:
    """Validate a response against the agent API's OpenAPI description."""
    documented = SPEC["paths"][path][method]["responses"].get(str(status))
    assert documented is not None, f"{method.upper()} {path} answered {status}: undocumented"
    schema = documented["content"]["application/json"]
    resolver_schema = {**schema["schema"], "components": SPEC["components"]}
    jsonschema.validate(body, resolver_schema)


def test_the_description_names_exactly_the_routes_the_api_serves(tmp_path: Path) -> None:
    app = build_app(settings_for(tmp_path), clock=fixed_clock())
    served = {
        (route.path, method.lower())
        for route in app.routes
        if isinstance(route, Route) and route.path.startswith("/api/agent/")
        for method in route.methods or ()
        if method != "HEAD"
    }
    assert len(served) == 10
    assert served == {(path, method) for path, item in SPEC["paths"].items() for method in item}


def test_the_facts_the_description_lists_are_the_ones_the_dialog_knows() -> None:
    # Question ids are the running profile's (GET /api/agent/questionnaire); the seed's fit.
    question_id = TypeAdapter(QuestionId)
    assert all(question_id.validate_python(q.value) == q.value for q in QUESTIONS)
    assert set(get_args(Answer)) == ANSWERS
    assert get_args(Step) == STEPS


async def test_the_served_description_is_the_generated_one(client: httpx.AsyncClient) -> None:
    served = await client.get("/api/agent/openapi.json")
    assert served.status_code == 200
    document = served.json()
    assert document == description_for("vp.117.ne.jp", tuple(q.value for q in QUESTIONS))
    # The generated one, with the running profile's questions as the hand-back's `answers`.
    answers = document["components"]["schemas"]["Handback"]["properties"]["answers"]["anyOf"][0]
    assert answers["propertyNames"]["enum"] == [q.value for q in QUESTIONS]
    del answers["propertyNames"]["enum"]
    assert document == SPEC
    assert SPEC["openapi"].startswith("3.1.")
    jsonschema.Draft202012Validator.check_schema({"$defs": SPEC["components"]["schemas"]})


async def test_the_api_says_who_a_token_acts_as(tmp_path: Path) -> None:
    named = "9b1e5c7a3f0d2e8c6a4b"
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/me.sqlite3", agent_tokens=(TOKEN, f"佐藤 花子:{named}")
    )
    async for client in client_for(build_app(settings, clock=fixed_clock())):
        for token, agent in ((named, "佐藤 花子"), (TOKEN, None)):
            me = await client.get("/api/agent/me", headers={"Authorization": f"Bearer {token}"})
            assert (me.status_code, me.json()) == (200, {"agent": agent})
            check("/api/agent/me", "get", 200, me.json())
        refused = await client.get("/api/agent/me")
        assert refused.status_code == 401
        check("/api/agent/me", "get", 401, refused.json())


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong-token-0123456789"}, {"Authorization": TOKEN}],
)
async def test_calls_without_the_right_token_are_refused_and_leak_nothing(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    chat = await Chat.start(client)
    await chat.send(text="taro@vp.117.ne.jp")
    for method, path in (
        ("GET", "/api/agent/conversations"),
        ("GET", f"/api/agent/conversations/{chat.key}"),
        ("POST", f"/api/agent/conversations/{chat.key}/take"),
        ("POST", f"/api/agent/conversations/{chat.key}/handback"),
        ("POST", f"/api/agent/conversations/{chat.key}/close"),
        ("POST", f"/api/agent/conversations/{chat.key}/messages"),
        ("GET", "/api/agent/conversations/webchat:nothing"),
    ):
        response = await client.request(method, path, headers=headers)
        assert response.status_code == 401, path
        template = path.replace(chat.key, "{key}").replace("webchat:nothing", "{key}")
        check(template, method.lower(), 401, response.json())
        assert "taro" not in response.text
        assert chat.id not in response.text
    listed = await client.get("/api/agent/conversations", headers=HEADERS)
    assert listed.json()["conversations"][0]["owner"] == "bot"


async def test_the_list_filters_by_owner_and_reads_a_transcript(
    client: httpx.AsyncClient,
) -> None:
    first, second = await Chat.start(client), await Chat.start(client)
    await first.send(choice="yes")
    await client.post(f"/api/agent/conversations/{second.key}/take", headers=HEADERS)
    listed = await client.get("/api/agent/conversations?owner=agent", headers=HEADERS)
    check("/api/agent/conversations", "get", 200, listed.json())
    assert [c["key"] for c in listed.json()["conversations"]] == [second.key]
    read = await client.get(f"/api/agent/conversations/{first.key}", headers=HEADERS)
    assert read.status_code == 200
    check("/api/agent/conversations/{key}", "get", 200, read.json())
    authors = [line["author"] for line in read.json()["transcript"]]
    assert authors[:2] == ["bot", "bot"]
    assert "subscriber" in authors
    bad = await client.get("/api/agent/conversations?owner=robot", headers=HEADERS)
    assert bad.status_code == 422
    check("/api/agent/conversations", "get", 422, bad.json())
    missing = await client.get("/api/agent/conversations/webchat:nothing", headers=HEADERS)
    assert missing.status_code == 404
    check("/api/agent/conversations/{key}", "get", 404, missing.json())


async def test_while_an_agent_owns_it_the_bot_is_silent_but_keeps_the_transcript(
    client: httpx.AsyncClient,
) -> None:
    chat = await Chat.start(client)
    taken = await client.post(
        f"/api/agent/conversations/{chat.key}/take", headers=HEADERS, json={"agent": "佐藤"}
    )
    check("/api/agent/conversations/{key}/take", "post", 200, taken.json())
    assert await chat.send(text="送信ができません") == []
    read = (await client.get(f"/api/agent/conversations/{chat.key}", headers=HEADERS)).json()
    assert read["transcript"][-1] == {
        **read["transcript"][-1],
        "author": "subscriber",
        "text": "送信ができません",
    }
    assert any("佐藤" in line["text"] for line in read["transcript"])


async def test_a_message_during_the_switch_is_neither_lost_nor_answered_twice(
    client: httpx.AsyncClient,
) -> None:
    for _ in range(5):
        chat = await Chat.start(client)
        replies, _taken = await asyncio.gather(
            chat.send(text="はい"),
            client.post(f"/api/agent/conversations/{chat.key}/take", headers=HEADERS),
        )
        read = (await client.get(f"/api/agent/conversations/{chat.key}", headers=HEADERS)).json()
        said = [line for line in read["transcript"] if line["author"] == "subscriber"]
        assert [line["text"] for line in said] == ["はい"]
        # The subscriber is told once that a person has them (the request names nobody).
        notice = "ここからはサポート担当者がご案内します。少々お待ちください。"
        assert [line["text"] for line in read["transcript"]].count(notice) == 1
        bot_lines_after = [
            line
            for line in read["transcript"]
            if line["author"] == "bot" and line["seq"] > said[0]["seq"] and line["text"] != notice
        ]
        # Either the bot answered before the agent took over, or it stayed silent: never both.
        assert len(bot_lines_after) == len(replies)
        assert read["owner"] == "agent"


async def test_handback_greets_and_asks_nothing_already_known(
    client: httpx.AsyncClient,
) -> None:
    chat = await Chat.start(client)
    await client.post(f"/api/agent/conversations/{chat.key}/take", headers=HEADERS)
    handed = await client.post(
        f"/api/agent/conversations/{chat.key}/handback",
        headers=HEADERS,
        json={
            "agent": "佐藤",
            "address": "taro@vp.117.ne.jp",
            "program": "thunderbird",
            "answers": {
                "q1_mail_program": "yes",
                "q2_other_network": "yes",
                "q3_uses_our_smtp": "yes",
                "q4_op25b": "yes",
            },
        },
    )
    assert handed.status_code == 200
    check("/api/agent/conversations/{key}/handback", "post", 200, handed.json())
    body = handed.json()
    assert body["owner"] == "bot"
    assert body["stage"] == "ask_smtp_host"  # the one thing the agent did not say
    assert (
        body["replies"][0]["text"] == "担当者から引き継ぎました。ここからは自動応答でご案内します。"
    )
    # The web page receives the greeting by polling: it answered no request of its own.
    texts = json.dumps(await chat.history(), ensure_ascii=False)
    assert "担当者から引き継ぎました" in texts
    replies = await chat.send(choice="yes")
    card: dict[str, Any] = next(r for r in replies if r["type"] == "settings")
    values = {i["key"]: i["value"] for i in card["items"]}
    assert values["username"] == "taro@vp.117.ne.jp"


@pytest.mark.parametrize("heard_before", [False, True])
async def test_handback_says_a_verdict_the_subscriber_never_heard(
    client: httpx.AsyncClient, heard_before: bool
) -> None:
    # subscriber25: a person asked for at the second question, handed back with 'iPhone, only
    # the home line'; the engine dated the resumed verdict as heard (a record from before
    # advised_on), so the subscriber got the outgoing-server question and never the verdict.
    chat = await Chat.start(client)
    await chat.send(text="はい")
    if heard_before:
        await chat.send(text="いいえ、家の117netだけです")
    await chat.send(text="担当者と話したいです")
    await client.post(f"/api/agent/conversations/{chat.key}/take", headers=HEADERS)
    handed = await client.post(
        f"/api/agent/conversations/{chat.key}/handback",
        headers=HEADERS,
        json={
            "program": "ios_mail",
            "answers": {"q1_mail_program": "yes", "q2_other_network": "no"},
        },
    )
    assert handed.status_code == 200, handed.text
    verdicts = [r for r in handed.json()["replies"] if r["type"] == "verdict"]
    if heard_before:
        assert verdicts == []
    else:
        assert len(verdicts) == 1
        assert "受信の設定：変更が必要です" in str(verdicts[0]["text"])


@pytest.mark.parametrize(
    ("facts", "named"),
    [
        ({"program": "eudora"}, "program"),
        ({"answers": {"q1_mail_program": "perhaps"}}, "answers"),
        ({"step": "somewhere"}, "step"),
        ({"address": "taro@gmail.com"}, "address"),
        ({"address": "taro\r\nQUIT\r\n@vp.117.ne.jp"}, "address"),
        ({"address": "<img src=x onerror=alert(1)>@vp.117.ne.jp"}, "address"),
        ({"address": "taro@vp.117.ne.jp\x00"}, "address"),
        ({"address": "taro@vp.117.ne.jp hanako@vp.117.ne.jp"}, "address"),
        ({"colour": "blue"}, "colour"),
    ],
)
async def test_a_bad_handback_is_refused_naming_the_fact_and_changes_nothing(
    client: httpx.AsyncClient, facts: dict[str, object], named: str
) -> None:
    chat = await Chat.start(client)
    await client.post(f"/api/agent/conversations/{chat.key}/take", headers=HEADERS)
    refused = await client.post(
        f"/api/agent/conversations/{chat.key}/handback", headers=HEADERS, json=facts
    )
    assert refused.status_code == 422
    assert named in refused.json()["error"]
    check("/api/agent/conversations/{key}/handback", "post", 422, refused.json())
    read = (await client.get(f"/api/agent/conversations/{chat.key}", headers=HEADERS)).json()
    assert read["owner"] == "agent"


@pytest.mark.parametrize(
    ("answers", "valid"),
    [
        ({"q1_mail_program": "yes"}, True),
        ({"": "yes"}, False),
        ({"Q1": "yes"}, False),
        ({"q1_mail_program": "yes", "ｑ１": "no"}, False),
        ({"q9_not_asked": "yes"}, False),
    ],
)
async def test_the_description_refuses_the_answers_the_api_refuses(
    client: httpx.AsyncClient, answers: dict[str, str], valid: bool
) -> None:
    # The keys' pattern was only patternProperties, which lets any other key through:
    # {"": "yes"} was valid by the description and 422 from the API (schemathesis, ST202).
    served = (await client.get("/api/agent/openapi.json")).json()
    schema = {**served["components"]["schemas"]["Handback"], "components": served["components"]}
    assert jsonschema.Draft202012Validator(schema).is_valid({"answers": answers}) is valid
    chat = await Chat.start(client)
    await client.post(f"/api/agent/conversations/{chat.key}/take", headers=HEADERS)
    handed = await client.post(
        f"/api/agent/conversations/{chat.key}/handback", headers=HEADERS, json={"answers": answers}
    )
    assert (handed.status_code != 422) is valid, handed.text


@pytest.mark.parametrize(("owner", "valid"), [("", True), ("bot", True), ("queue", False)])
async def test_the_description_takes_the_owner_filters_the_list_takes(
    client: httpx.AsyncClient, owner: str, valid: bool
) -> None:
    # An empty owner lists every conversation, as an absent one: the description's enum
    # refused it (schemathesis, ST201).
    [parameter] = [
        p
        for p in SPEC["paths"]["/api/agent/conversations"]["get"]["parameters"]
        if p["name"] == "owner"
    ]
    schema = {**parameter["schema"], "components": SPEC["components"]}
    assert jsonschema.Draft202012Validator(schema).is_valid(owner) is valid
    listed = await client.get("/api/agent/conversations", params={"owner": owner}, headers=HEADERS)
    assert (listed.status_code == 200) is valid, listed.text


@pytest.mark.parametrize(
    "facts",
    [{}, {"agent": None, "step": None, "answers": None}, {"agent": "", "step": ""}],
    ids=["nothing", "nulls", "empty strings"],
)
async def test_a_handback_without_facts_starts_the_questionnaire(
    client: httpx.AsyncClient, facts: dict[str, object]
) -> None:
    chat = await Chat.start(client)
    await client.post(f"/api/agent/conversations/{chat.key}/take", headers=HEADERS)
    handed = await client.post(
        f"/api/agent/conversations/{chat.key}/handback", headers=HEADERS, json=facts
    )
    assert handed.status_code == 200, handed.text
    check("/api/agent/conversations/{key}/handback", "post", 200, handed.json())
    assert (handed.json()["owner"], handed.json()["stage"]) == ("bot", "q1_mail_program")


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (b'{"agent": "' + b"x" * 101 + b'"}', "agent"),
        (b'{"agent": null}', "agent"),
        (b'["me"]', "JSON object"),
        (b"{agent: me}", "JSON"),
    ],
)
async def test_a_bad_take_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, body: bytes, named: str
) -> None:
    chat = await Chat.start(client)
    refused = await client.post(
        f"/api/agent/conversations/{chat.key}/take",
        headers={**HEADERS, "content-type": "application/json"},
        content=body,
    )
    assert refused.status_code == 422
    assert named in refused.json()["error"]
    check("/api/agent/conversations/{key}/take", "post", 422, refused.json())
    read = (await client.get(f"/api/agent/conversations/{chat.key}", headers=HEADERS)).json()
    assert read["owner"] == "bot"


async def test_closing_makes_the_next_message_start_afresh(client: httpx.AsyncClient) -> None:
    chat = await Chat.start(client)
    await chat.send(choice="yes")
    closed = await client.post(f"/api/agent/conversations/{chat.key}/close", headers=HEADERS)
    assert closed.json()["owner"] == "closed"
    check("/api/agent/conversations/{key}/close", "post", 200, closed.json())
    replies = await chat.send(text="こんにちは")
    assert "こんにちは" in str(replies[0]["text"])  # the greeting again
    read = (await client.get(f"/api/agent/conversations/{chat.key}", headers=HEADERS)).json()
    assert read["owner"] == "bot"
    assert read["stage"] == "q1_mail_program"


async def test_a_handoff_sends_a_signed_summary_with_the_facts_and_no_secret(
    desk_client: httpx.AsyncClient, desk: tuple[Desk, str], desk_app: Starlette
) -> None:
    receiver, _ = desk
    chat = await Chat.start(desk_client)
    for answer in ("yes", "yes", "yes", "no"):
        await chat.send(choice=answer)
    await chat.send(text="taro@vp.117.ne.jp")
    await chat.send(choice="program:becky")
    replies = await chat.send(text="人と話したいです")
    assert "担当者におつなぎします" in str(replies)
    await desk_app.state.runtime.tasks.idle()  # the desk is told in the background
    assert len(receiver.received) == 1
    body, signature = receiver.received[0]
    expected = hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(signature, f"sha256={expected}")
    summary = json.loads(body)
    assert summary["address"] == "taro@vp.117.ne.jp"
    assert summary["program"] == "becky"
    assert summary["answers"]["q4_op25b"] == "no"
    assert (summary["receiving"], summary["sending"]) == ("required", "recommended")
    assert summary["reason"] == "お客様が担当者を希望"
    assert summary["transcript_url"].endswith(chat.key)
    assert "password" not in body.decode().lower()
    # From now on an agent answers: the bot is silent.
    assert await chat.send(text="まだですか") == []


async def test_the_desks_list_quotes_what_each_waiting_subscriber_last_wrote(
    desk_client: httpx.AsyncClient, desk_app: Starlette
) -> None:
    chat = await Chat.start(desk_client)
    await chat.send(choice="yes")
    await chat.send(text="送信すると 0x800CCC0F のエラーが出ます")
    await chat.send(text="担当者と話したい")
    await desk_app.state.runtime.tasks.idle()
    listed = await desk_client.get("/api/agent/conversations?desk=true", headers=HEADERS)
    check("/api/agent/conversations", "get", 200, listed.json())
    (row,) = listed.json()["conversations"]
    # As the handoff summary quotes them: typed words only, oldest first.
    assert row["said"] == ["送信すると 0x800CCC0F のエラーが出ます", "担当者と話したい"]
    # The server's clock, against which the console counts the waits.
    assert listed.json()["now"] == "2008-06-01T03:00:00+00:00"
    everything = await desk_client.get("/api/agent/conversations?owner=bot", headers=HEADERS)
    assert all("said" not in r for r in everything.json()["conversations"])


async def test_a_second_hand_back_is_refused_and_greets_no_one_twice(
    client: httpx.AsyncClient,
) -> None:
    chat = await Chat.start(client)
    await chat.send(choice="yes")
    path = f"/api/agent/conversations/{chat.key}"
    assert (await client.post(f"{path}/take", headers=HEADERS, json={})).status_code == 200
    first = await client.post(f"{path}/handback", headers=HEADERS, json={"step": "questionnaire"})
    assert first.status_code == 200
    # Sent again (its answer lost on the way), or by a second agent meanwhile.
    again = await client.post(f"{path}/handback", headers=HEADERS, json={"step": "questionnaire"})
    assert (again.status_code, again.json()["reason"]) == (409, "bot")
    check(HANDBACK_PATH, "post", 409, again.json())
    greetings = [
        m
        for m in await chat.history()
        if "担当者から引き継ぎました" in json.dumps(m, ensure_ascii=False)
    ]
    assert len(greetings) == 1
    # Closed meanwhile (another agent, a stale screen): said as such, not as the bot's, where
    # the console read 「この会話はすでにボットに戻っています」.
    assert (await client.post(f"{path}/close", headers=HEADERS)).status_code == 200
    closed = await client.post(f"{path}/handback", headers=HEADERS, json={})
    assert (closed.status_code, closed.json()["reason"]) == (409, "closed")
    check(HANDBACK_PATH, "post", 409, closed.json())


async def test_a_conversation_that_kept_changing_is_refused_with_its_reason(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every write found the record changed since its read (others' turns, takes): the console
    # read 「この会話には返信できません。終了したか、ボットに戻されています」 for a take.
    async def always_changed(*_: object, **__: object) -> None:
        return None

    chat = await Chat.start(client)
    await chat.send(choice="yes")
    monkeypatch.setattr(agent_api, "take_over", always_changed)
    monkeypatch.setattr(agent_api, "close", always_changed)
    path = f"/api/agent/conversations/{chat.key}"
    for action in ("take", "close"):
        refused = await client.post(f"{path}/{action}", headers=HEADERS, json={})
        assert (refused.status_code, refused.json()["reason"]) == (409, "kept_changing"), action
        check(f"/api/agent/conversations/{{key}}/{action}", "post", 409, refused.json())


async def test_a_refused_message_says_why_and_what_would_send_it(
    client: httpx.AsyncClient,
) -> None:
    # A 409 on an agent's words said only 'the conversation is closed': no `reason`, so the
    # console read 「終了したか、ボットに戻されています」 whichever it was, and the agent could
    # not tell whether 「対応を引き継ぐ」 or a second try would send them.
    chat = await Chat.start(client)
    await chat.send(choice="yes")
    path = f"/api/agent/conversations/{chat.key}"
    messages = "/api/agent/conversations/{key}/messages"
    bots = await client.post(f"{path}/messages", headers=HEADERS, json={"text": "担当の佐藤です"})
    assert (bots.status_code, bots.json()["reason"]) == (409, "bot")
    assert "take it over first" in bots.json()["error"]
    check(messages, "post", 409, bots.json())
    assert (await client.post(f"{path}/take", headers=HEADERS, json={})).status_code == 200
    assert (await client.post(f"{path}/close", headers=HEADERS)).status_code == 200
    closed = await client.post(f"{path}/messages", headers=HEADERS, json={"text": "追伸です"})
    assert (closed.status_code, closed.json()["reason"]) == (409, "closed")
    assert "take it over" in closed.json()["error"]
    check(messages, "post", 409, closed.json())
    assert all("追伸です" not in json.dumps(m, ensure_ascii=False) for m in await chat.history())


async def test_the_web_chats_bar_pressed_while_an_agent_has_it_reads_as_its_words(
    client: httpx.AsyncClient,
) -> None:
    # The page's bar (メニュー, 最初から, 担当者と話す) is offered by no question: its press
    # had no label, and the console showed the agent 「[human]」, the choice id.
    chat = await Chat.start(client)
    await chat.send(choice="yes")
    path = f"/api/agent/conversations/{chat.key}"
    assert (await client.post(f"{path}/take", headers=HEADERS, json={})).status_code == 200
    await chat.send(choice="human")
    await chat.send(choice="menu")
    read = (await client.get(path, headers=HEADERS)).json()
    check("/api/agent/conversations/{key}", "get", 200, read)
    pressed = [x for x in read["transcript"] if x["author"] == "subscriber"][-2:]
    assert [(x["text"], x.get("label")) for x in pressed] == [
        ("[human]", "担当者と話す"),
        ("[menu]", "メニュー"),
    ]


async def test_if_no_desk_hears_the_bot_takes_the_conversation_back(
    desk_client: httpx.AsyncClient, desk: tuple[Desk, str], desk_app: Starlette
) -> None:
    receiver, _ = desk
    receiver.fail = True
    chat = await Chat.start(desk_client)
    await chat.send(text="担当者と話したい")
    await desk_app.state.runtime.tasks.idle()
    history = json.dumps(await chat.history(), ensure_ascii=False)
    assert "おつなぎできませんでした" in history
    # Nobody took it, so the bot answers again instead of leaving the subscriber waiting.
    assert await chat.send(choice="yes") != []


class OnlyChatwootDesk:
    """A desk that takes one channel's conversations, as Chatwoot's does."""

    name = "chatwoot-like"

    def __init__(self) -> None:
        self.told: list[str] = []

    def accepts(self, channel: str) -> bool:
        return channel == "chatwoot"

    async def hand_off(self, summary: HandoffSummary) -> None:
        self.told.append(summary.key)


async def test_a_desk_for_another_channel_does_not_promise_a_person(tmp_path: Path) -> None:
    app = build_app(settings_for(tmp_path), clock=fixed_clock())
    desk = OnlyChatwootDesk()
    app.state.runtime.handoffs.add(desk)
    async for client in client_for(app):
        chat = await Chat.start(client)
        replies = await chat.send(text="担当者と話したい")
        text = json.dumps(replies, ensure_ascii=False)
        # No desk takes web chat conversations: the bot says how to reach people instead.
        assert "担当者へのお問い合わせは" in text
        assert "おつなぎします" not in text
        assert desk.told == []
        assert await chat.send(choice="yes") != []


class SlowDesk:
    """A desk that answers only once the test lets it: the subscriber must not wait on it."""

    name = "slow"

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.told: list[str] = []

    def accepts(self, channel: str) -> bool:
        return True

    async def hand_off(self, summary: HandoffSummary) -> None:
        await self.release.wait()
        self.told.append(summary.key)


async def test_the_subscriber_is_answered_without_waiting_for_the_desk(tmp_path: Path) -> None:
    app = build_app(settings_for(tmp_path), clock=fixed_clock())
    desk = SlowDesk()
    app.state.runtime.handoffs.add(desk)
    async for client in client_for(app):
        chat = await Chat.start(client)
        # If the request waited for the desk, this would hang until the timeout below.
        replies = await asyncio.wait_for(chat.send(text="担当者と話したい"), timeout=10)
        assert "おつなぎします" in json.dumps(replies, ensure_ascii=False)
        assert desk.told == []
        desk.release.set()
        await app.state.runtime.tasks.idle()
        assert desk.told == [chat.key]


SATO = {"Authorization": "Bearer 9f3c1e7a5b2d8046c1e9a7f35b2d4e80"}
SUZUKI = {"Authorization": "Bearer 4e8a2c6f0b1d9e7352a8c4f60e1b3d97"}


@pytest.fixture
async def two_agents(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = settings_for(tmp_path).with_overrides(
        agent_tokens=(
            f"佐藤:{SATO['Authorization'].removeprefix('Bearer ')}",
            f"鈴木:{SUZUKI['Authorization'].removeprefix('Bearer ')}",
        )
    )
    async for client in client_for(build_app(settings, clock=fixed_clock())):
        yield client


async def test_a_second_agent_cannot_take_a_conversation_another_agent_has(
    two_agents: httpx.AsyncClient,
) -> None:
    client = two_agents
    chat = await Chat.start(client)
    take = f"/api/agent/conversations/{chat.key}/take"
    assert (await client.post(take, headers=SATO)).status_code == 200
    refused = await client.post(take, headers=SUZUKI)
    # Two agents writing to one subscriber, each believing it theirs: the console forbids
    # it (its button is disabled) and so does Slack's 「対応する」; the API must too.
    assert refused.status_code == 409
    assert "佐藤" in refused.json()["error"]
    check("/api/agent/conversations/{key}/take", "post", 409, refused.json())
    # Taking one's own conversation again changes nothing.
    again = await client.post(take, headers=SATO)
    assert again.status_code == 200
    read = (await client.get(f"/api/agent/conversations/{chat.key}", headers=SATO)).json()
    assert (read["holder"], read["agent"]) == ("agent", "佐藤")
    taken = [x["text"] for x in read["transcript"] if x["text"].startswith("taken over")]
    assert taken == ["taken over by 佐藤"]
    # Once handed back, anyone may take it.
    assert (
        await client.post(f"/api/agent/conversations/{chat.key}/handback", headers=SATO)
    ).status_code == 200
    assert (await client.post(take, headers=SUZUKI)).status_code == 200


async def test_two_agents_pressing_take_at_once_one_gets_it(
    two_agents: httpx.AsyncClient,
) -> None:
    client = two_agents
    for _ in range(5):
        chat = await Chat.start(client)
        take = f"/api/agent/conversations/{chat.key}/take"
        first, second = await asyncio.gather(
            client.post(take, headers=SATO), client.post(take, headers=SUZUKI)
        )
        assert sorted([first.status_code, second.status_code]) == [200, 409]
        winner = "佐藤" if first.status_code == 200 else "鈴木"
        read = (await client.get(f"/api/agent/conversations/{chat.key}", headers=SATO)).json()
        assert read["agent"] == winner
        taken = [x["text"] for x in read["transcript"] if x["text"].startswith("taken over")]
        assert taken == [f"taken over by {winner}"]


async def test_a_second_agent_may_not_write_hand_back_or_close_what_another_has(
    two_agents: httpx.AsyncClient,
) -> None:
    client = two_agents
    chat = await Chat.start(client)
    path = f"/api/agent/conversations/{chat.key}"
    assert (await client.post(f"{path}/take", headers=SATO)).status_code == 200
    # At a real desk a second agent's words, hand-back or close is a take-over, and a
    # take-over must be said out loud: each is refused, naming who has the conversation.
    refusals = {
        "messages": await client.post(
            f"{path}/messages", headers=SUZUKI, json={"text": "鈴木です"}
        ),
        "handback": await client.post(f"{path}/handback", headers=SUZUKI, json={}),
        "close": await client.post(f"{path}/close", headers=SUZUKI),
    }
    for action, refused in refusals.items():
        assert refused.status_code == 409, action
        assert refused.json()["agent"] == "佐藤", action
        assert "佐藤" in refused.json()["error"], action
        check(f"/api/agent/conversations/{{key}}/{action}", "post", 409, refused.json())
    read = (await client.get(path, headers=SATO)).json()
    assert (read["owner"], read["holder"], read["agent"]) == ("agent", "agent", "佐藤")
    assert not [line for line in read["transcript"] if "鈴木" in line["text"]]
    assert not [m for m in await chat.history() if "鈴木" in json.dumps(m, ensure_ascii=False)]
    # The same agent in two tabs is one agent: her words, hand-back and close go through.
    for tab in ("one", "two"):
        written = await client.post(
            f"{path}/messages", headers=SATO, json={"text": f"佐藤です（{tab}）"}
        )
        assert written.status_code == 201
    assert (await client.post(f"{path}/handback", headers=SATO, json={})).status_code == 200
    assert (await client.post(f"{path}/take", headers=SATO)).status_code == 200
    assert (await client.post(f"{path}/close", headers=SATO)).status_code == 200


async def test_a_take_over_from_another_agent_is_explicit_and_recorded(
    two_agents: httpx.AsyncClient,
) -> None:
    client = two_agents
    chat = await Chat.start(client)
    path = f"/api/agent/conversations/{chat.key}"
    assert (await client.post(f"{path}/take", headers=SATO)).status_code == 200
    # Named after someone who does not have it (the console showed a stale owner): refused.
    stale = await client.post(f"{path}/take", headers=SUZUKI, json={"take_over_from": "田中"})
    assert stale.status_code == 409
    assert stale.json()["agent"] == "佐藤"
    taken = await client.post(f"{path}/take", headers=SUZUKI, json={"take_over_from": "佐藤"})
    assert taken.status_code == 200
    check("/api/agent/conversations/{key}/take", "post", 200, taken.json())
    read = (await client.get(path, headers=SUZUKI)).json()
    check("/api/agent/conversations/{key}", "get", 200, read)
    assert (read["holder"], read["agent"]) == ("agent", "鈴木")
    line = read["transcript"][-1]
    assert line["text"] == "taken over by 鈴木 from 佐藤"
    assert line["note"] == {"type": "take_over", "agent": "鈴木", "taken_from": "佐藤"}
    # Now the first agent is the second one.
    refused = await client.post(f"{path}/messages", headers=SATO, json={"text": "佐藤です"})
    assert refused.status_code == 409
    assert refused.json()["agent"] == "鈴木"
    assert (
        await client.post(f"{path}/messages", headers=SUZUKI, json={"text": "鈴木です"})
    ).status_code == 201
    # Taking over what one has already changes nothing.
    again = await client.post(f"{path}/take", headers=SUZUKI, json={"take_over_from": "佐藤"})
    assert again.status_code == 200
    lines = (await client.get(path, headers=SUZUKI)).json()["transcript"]
    assert [x["text"] for x in lines if x["text"].startswith("taken over")] == [
        "taken over by 佐藤",
        "taken over by 鈴木 from 佐藤",
    ]


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with running_redis() as server:
        yield server


def two_agents_settings(tmp_path: Path) -> Settings:
    """The server's settings with two named agents' tokens, 佐藤's and 鈴木's."""
    return settings_for(tmp_path).with_overrides(
        agent_tokens=(
            f"佐藤:{SATO['Authorization'].removeprefix('Bearer ')}",
            f"鈴木:{SUZUKI['Authorization'].removeprefix('Bearer ')}",
        ),
    )


def moving_clock() -> Callable[[], dt.datetime]:
    """A clock that moves, as a real one does: each change of the record has its own time."""
    ticks = itertools.count()
    return lambda: IN_WINDOW + dt.timedelta(microseconds=next(ticks))


@pytest.fixture(params=["sqlite", "redis"])
async def two_agents_on(
    request: pytest.FixtureRequest, tmp_path: Path, redis_server: RedisServer
) -> AsyncIterator[httpx.AsyncClient]:
    store = (
        f"sqlite:///{tmp_path}/s.sqlite3"
        if request.param == "sqlite"
        else f"{redis_server.url}?prefix=t{secrets.token_hex(4)}:"
    )
    settings = two_agents_settings(tmp_path).with_overrides(store_url=store)
    async for client in client_for(build_app(settings, clock=moving_clock())):
        yield client


async def test_two_agents_writing_first_to_a_waiting_subscriber_at_once_one_takes_it(
    two_agents_on: httpx.AsyncClient,
) -> None:
    # Both read the conversation as waiting in the queue before either wrote: each took it
    # in its own transaction, and the subscriber got words from two agents.
    client = two_agents_on
    for _ in range(5):
        chat = await Chat.start(client)
        await chat.send(text="担当者と話したい")
        path = f"/api/agent/conversations/{chat.key}"
        sato, suzuki = await asyncio.gather(
            client.post(f"{path}/messages", headers=SATO, json={"text": "佐藤です"}),
            client.post(f"{path}/messages", headers=SUZUKI, json={"text": "鈴木です"}),
        )
        assert sorted([sato.status_code, suzuki.status_code]) == [201, 409]
        lines = (await client.get(path, headers=SATO)).json()["transcript"]
        assert len([x for x in lines if x["text"].startswith("taken over")]) == 1
        assert len({x["agent"] for x in lines if x["author"] == "agent"}) == 1


async def test_a_message_racing_a_take_over_lands_before_it_or_is_refused(
    two_agents_on: httpx.AsyncClient,
) -> None:
    # 佐藤 writes as 鈴木 takes the conversation from her: her words are either hers, before
    # the take-over, or refused naming 鈴木; never hers after it, in 鈴木's conversation.
    client = two_agents_on
    for n in range(5):
        chat = await Chat.start(client)
        path = f"/api/agent/conversations/{chat.key}"
        assert (await client.post(f"{path}/take", headers=SATO)).status_code == 200
        written, taken = await asyncio.gather(
            client.post(f"{path}/messages", headers=SATO, json={"text": f"佐藤です {n}"}),
            client.post(f"{path}/take", headers=SUZUKI, json={"take_over_from": "佐藤"}),
        )
        assert taken.status_code == 200
        assert written.status_code in (201, 409), written.text
        texts = [x["text"] for x in (await client.get(path, headers=SATO)).json()["transcript"]]
        moved = texts.index("taken over by 鈴木 from 佐藤")
        assert f"佐藤です {n}" not in texts[moved:]
        assert (f"佐藤です {n}" in texts) is (written.status_code == 201)


async def test_the_subscriber_writing_meanwhile_does_not_refuse_the_agents_words(
    two_agents_on: httpx.AsyncClient,
) -> None:
    client = two_agents_on
    chat = await Chat.start(client)
    path = f"/api/agent/conversations/{chat.key}"
    assert (await client.post(f"{path}/take", headers=SATO)).status_code == 200
    for n in range(5):
        written, _ = await asyncio.gather(
            client.post(f"{path}/messages", headers=SATO, json={"text": f"佐藤です {n}"}),
            chat.send(text=f"まだですか {n}"),
        )
        assert written.status_code == 201, written.text


async def test_a_named_agent_taking_what_an_unnamed_one_has_is_recorded(
    client: httpx.AsyncClient,
) -> None:
    chat = await Chat.start(client)
    path = f"/api/agent/conversations/{chat.key}"
    assert (await client.post(f"{path}/take", headers=HEADERS)).status_code == 200
    # Nobody can tell "an agent" from 佐藤, so it is no refusal; but 佐藤 has it now, and
    # the transcript and the desks must say so (it answered 200 and changed nothing).
    assert (
        await client.post(f"{path}/take", headers=HEADERS, json={"agent": "佐藤"})
    ).status_code == 200
    read = (await client.get(path, headers=HEADERS)).json()
    assert (read["holder"], read["agent"]) == ("agent", "佐藤")
    # And a request naming nobody does not take it back from her.
    refused = await client.post(f"{path}/take", headers=HEADERS)
    assert (refused.status_code, refused.json()["agent"]) == (409, "佐藤")


async def test_an_outlook_not_yet_told_new_or_classic_is_described_and_worded(
    client: httpx.AsyncClient, catalogs: Catalogs
) -> None:
    # 「Outlookです」 without new or classic is kept as `outlook_ambiguous`: the description
    # must allow it (it listed only the guides' programs), and the summary must word it
    # (the console and the Slack summary showed the id).
    chat = await Chat.start(client)
    await chat.send(text="Outlookを使っています")
    await chat.send(text="担当者と話したい")
    listed = await client.get("/api/agent/conversations", headers=HEADERS)
    check("/api/agent/conversations", "get", 200, listed.json())
    (item,) = listed.json()["conversations"]
    assert item["program"] == "outlook_ambiguous"
    read = await client.get(f"/api/agent/conversations/{chat.key}", headers=HEADERS)
    check("/api/agent/conversations/{key}", "get", 200, read.json())
    summary = HandoffSummary(
        key=chat.key,
        channel="webchat",
        conversation_id=chat.id,
        sender="",
        locale="ja",
        reason="",
        address="",
        program="outlook_ambiguous",
        answers={},
        receiving="",
        sending="",
        stage="",
        last_check="",
        transcript_url="",
    )
    assert "メールソフト: Outlook（新しいOutlookか従来のOutlookかは未確認）" in summary.as_text(
        catalogs
    )
    assert "outlook_ambiguous" not in summary.as_text(catalogs, "en")


async def test_a_take_from_the_bot_tells_an_english_speaker_in_english_who_has_them(
    client: httpx.AsyncClient,
) -> None:
    chat = await Chat.start(client)
    await chat.send(text="English please")
    url = f"/api/agent/conversations/{chat.key}/take"
    assert (await client.post(url, headers=HEADERS, json={"agent": "Sato"})).status_code == 200
    notice = "From here on, Sato from our support team will help you. Please wait a moment."
    shown = [m.get("reply", {}) for m in await chat.history() if m["author"] == "bot"]
    assert [r.get("text") for r in shown if isinstance(r, dict)].count(notice) == 1


async def test_a_handoff_taken_from_the_queue_sends_no_second_notice(
    desk_client: httpx.AsyncClient, desk_app: Starlette
) -> None:
    # The subscriber asked for a person and was told one is coming: the take adds nothing.
    chat = await Chat.start(desk_client)
    await chat.send(text="担当者と話したい")
    await desk_app.state.runtime.tasks.idle()
    before = len(await chat.history())
    url = f"/api/agent/conversations/{chat.key}/take"
    taken = await desk_client.post(url, headers=HEADERS, json={"agent": "佐藤"})
    assert taken.status_code == 200
    await desk_app.state.runtime.tasks.idle()
    after = await chat.history()
    assert [m["author"] for m in after[before:]] == ["system"] or after[before:] == []
    assert "ここからは" not in json.dumps(after, ensure_ascii=False)


async def test_agents_of_other_desks_are_named_as_every_desk_names_them(tmp_path: Path) -> None:
    # The console showed a Slack member's take as 「山田花子 (Slack U0AGENT1)さんが対応中」 and a
    # reply in one of Chatwoot's own conversations under 「佐藤 花子 (Chatwoot)」, where the
    # Slack thread and the mirror show the name alone (desk28). `agent` stays who a
    # take-over names; `agent_name` and an agent line's `agent` are the names shown.
    app = build_app(two_agents_settings(tmp_path), clock=fixed_clock())
    member = slack_member("山田花子", "U0AGENT1")
    in_chatwoot = chatwoot_agent("佐藤 花子")
    said = TranscriptEntry(IN_WINDOW, "agent", "担当の佐藤です", {"agent": in_chatwoot})

    def wrote(stored: ConversationRecord | None) -> Change[None] | None:
        # A reply in Chatwoot's own conversation, kept as AgentMessages.record keeps it.
        assert stored is not None
        return Change(stored, [said], None)

    async for client in client_for(app):
        chat = await Chat.start(client)
        engine = app.state.runtime.engine
        assert await take_over(engine, chat.key, member) is not None
        path = f"/api/agent/conversations/{chat.key}"
        read = (await client.get(path, headers=SATO)).json()
        check("/api/agent/conversations/{key}", "get", 200, read)
        assert (read["agent"], read["agent_name"]) == (member, "山田花子")
        refused = await client.post(f"{path}/messages", headers=SATO, json={"text": "佐藤です"})
        assert refused.status_code == 409
        check("/api/agent/conversations/{key}/messages", "post", 409, refused.json())
        assert (refused.json()["agent"], refused.json()["agent_name"]) == (member, "山田花子")
        assert await take_over(engine, chat.key, in_chatwoot, taken_from=member) is not None
        assert await engine.store.transact(chat.key, "chatwoot-reply-1", wrote) is not None
        listed = await client.get("/api/agent/conversations?desk=true", headers=SATO)
        check("/api/agent/conversations", "get", 200, listed.json())
        (item,) = listed.json()["conversations"]
        assert (item["agent"], item["agent_name"]) == (in_chatwoot, "佐藤 花子")
        read = (await client.get(path, headers=SATO)).json()
        check("/api/agent/conversations/{key}", "get", 200, read)
        assert (read["agent"], read["agent_name"]) == (in_chatwoot, "佐藤 花子")
        lines = [x for x in read["transcript"] if x["author"] == "agent"]
        assert [(x["agent"], x["text"]) for x in lines] == [("佐藤 花子", "担当の佐藤です")]
