"""The web chat API does what its description says, and a refused request changes nothing.

The description is generated from the models in api_models.py. Every response is checked
against it for its path, method and status (the status must be documented, and the body
must match the documented schema), so neither the models nor the description can drift
from channel.py without a test failing.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Final

import httpx
import pytest

# jsonschema ships no type information and the dev extras carry no stubs for it.
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from starlette.applications import Starlette
from starlette.routing import Mount, Route

from adapters.webchat.api_models import description
from adapters.webchat.channel import HISTORY_LINES, create_channel
from adapters.webchat.conversation_key import conversation_key
from bot.ops.settings import Settings
from bot.server import build_app
from dialogs.vocabulary import Inbound, SystemEvent
from testbed.clock import fixed_clock

SPEC_URI: Final = "urn:mailmove:webchat-openapi"
SPEC: Final[dict[str, Any]] = description()
_REGISTRY: Final = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(SPEC))
STATIC: Final = Path(str(resources.files("adapters.webchat").joinpath("static")))

CONVERSATIONS: Final = "/api/webchat/conversations"
MESSAGES: Final = "/api/webchat/conversations/{conversation_id}/messages"
ADDRESS: Final = "taro@vp.117.ne.jp"


def _pointer(*parts: str) -> str:
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


def _validator(*parts: str) -> Any:
    """A validator for the schema found at `parts` inside the description."""
    return Draft202012Validator({"$ref": f"{SPEC_URI}#{_pointer(*parts)}"}, registry=_REGISTRY)


def check_response(response: httpx.Response, path: str, method: str) -> Any:
    """Assert that the description documents this status and media type, and matches the body."""
    operation = SPEC["paths"][path][method]
    status = str(response.status_code)
    documented = operation["responses"].get(status)
    assert documented is not None, f"{method.upper()} {path} answered {status}: undocumented"
    media = response.headers["content-type"].split(";")[0].strip()
    assert media in documented["content"], f"{method.upper()} {path} {status} sent {media}"
    if media != "application/json":
        return response.text
    body = response.json()
    validator = _validator("paths", path, method, "responses", status, "content", media, "schema")
    errors = [e.message for e in validator.iter_errors(body)]
    assert not errors, f"{method.upper()} {path} {status}: {errors} in {body}"
    return body


def request_is_valid(body: object, path: str) -> bool:
    """Whether the description accepts `body` as the JSON request body of POST `path`."""
    validator = _validator(
        "paths", path, "post", "requestBody", "content", "application/json", "schema"
    )
    return bool(validator.is_valid(body))


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Starlette]:
    app = build_app(
        Settings(store_url=f"sqlite:///{tmp_path}/webchat.sqlite3"), clock=fixed_clock()
    )
    # httpx's ASGITransport does not run the lifespan, which is what opens the store.
    store = app.state.runtime.engine.store
    await store.open()
    try:
        yield app
    finally:
        await store.close()


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://webchat.test") as client:
        yield client


class Chat:
    """One conversation over the API, every answer checked against the description."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.id = ""
        self.locale = ""
        self.question = ""

    async def start(self, body: Mapping[str, object] | None = None) -> list[dict[str, Any]]:
        response = await self.client.post(CONVERSATIONS, json=body)
        created = check_response(response, CONVERSATIONS, "post")
        assert response.status_code == 201
        self.id, self.locale = created["conversation_id"], created["locale"]
        self.question = created.get("question", "")
        replies: list[dict[str, Any]] = created["replies"]
        return replies

    async def post(self, content: bytes) -> httpx.Response:
        return await self.client.post(
            self.url, content=content, headers={"content-type": "application/json"}
        )

    @property
    def url(self) -> str:
        return MESSAGES.format(conversation_id=self.id)

    async def send(self, **body: str) -> dict[str, Any]:
        assert request_is_valid(body, MESSAGES), body
        response = await self.client.post(self.url, json=body)
        answered = check_response(response, MESSAGES, "post")
        assert response.status_code == 200, answered
        if "locale" in answered:
            self.locale = answered["locale"]
        result: dict[str, Any] = answered
        return result

    async def transcript(self, after: int | None = None) -> dict[str, Any]:
        query = {} if after is None else {"after": str(after)}
        response = await self.client.get(self.url, params=query)
        lines = check_response(response, MESSAGES, "get")
        assert response.status_code == 200, lines
        result: dict[str, Any] = lines
        return result

    async def say(self, **body: str) -> list[dict[str, Any]]:
        replies: list[dict[str, Any]] = (await self.send(**body))["replies"]
        assert replies, f"no reply to {body}"
        return replies


def of_type(replies: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [r for r in replies if r["type"] == kind]


def offered(replies: list[dict[str, Any]]) -> set[str]:
    return {c["id"] for r in of_type(replies, "choices") for c in r["choices"]}


# -- the description itself -------------------------------------------------------------------


def _refs(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_the_description_is_openapi_3_1_and_every_reference_resolves() -> None:
    assert SPEC["openapi"].startswith("3.1.")
    resolver = _REGISTRY.resolver()
    refs = set(_refs(SPEC))
    assert len(refs) > 10
    for ref in refs:
        assert ref.startswith("#/"), ref
        resolver.lookup(SPEC_URI + ref)  # raises when the target is missing
    for schema in SPEC["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_every_documented_example_matches_its_schema() -> None:
    examples = 0
    for name, schema in SPEC["components"]["schemas"].items():
        for example in schema.get("examples", []):
            assert _validator("components", "schemas", name).is_valid(example), (name, example)
            examples += 1
    assert examples >= 4
    for path in (CONVERSATIONS, MESSAGES):
        body = SPEC["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        for example in (
            _REGISTRY.resolver().lookup(SPEC_URI + body["schema"]["$ref"]).contents["examples"]
        ):
            assert request_is_valid(example, path), (path, example)


def test_the_replies_are_a_oneof_discriminated_on_type() -> None:
    reply = SPEC["components"]["schemas"]["Reply"]
    assert reply["discriminator"]["propertyName"] == "type"
    kinds = {}
    for option in reply["oneOf"]:
        schema = _REGISTRY.resolver().lookup(SPEC_URI + option["$ref"]).contents
        kinds[schema["properties"]["type"]["const"]] = option["$ref"]
    assert kinds == reply["discriminator"]["mapping"]
    assert set(kinds) == {"text", "choices", "verdict", "settings", "link", "file"}


def test_the_description_names_exactly_the_routes_the_channel_serves(app: Starlette) -> None:
    served: set[tuple[str, str]] = set()
    for route in create_channel(app.state.runtime).routes():
        if isinstance(route, Mount):
            served.add((route.path + "/{file}", "get"))
        elif isinstance(route, Route):
            served |= {(route.path, m.lower()) for m in route.methods or () if m != "HEAD"}
    described = {(path, method) for path, item in SPEC["paths"].items() for method in item}
    assert described == served


# -- the page and its words -------------------------------------------------------------------


async def test_the_page_its_assets_and_this_description_are_served(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/")
    assert "chat.js" in check_response(page, "/", "get")
    for name in ("chat.js", "chat.css"):
        asset = await client.get(f"/webchat/static/{name}")
        assert asset.status_code == 200
        check_response(asset, "/webchat/static/{file}", "get")
    # The page only at `/`, with its CSP: not again as a static file, without it.
    not_an_asset = await client.get("/webchat/static/index.html")
    assert not_an_asset.status_code == 404
    check_response(not_an_asset, "/webchat/static/{file}", "get")
    missing = await client.get("/webchat/static/no-such-file.js")
    assert missing.status_code == 404
    check_response(missing, "/webchat/static/{file}", "get")
    served = await client.get("/api/webchat/openapi.json")
    assert check_response(served, "/api/webchat/openapi.json", "get") == SPEC


def words_the_page_uses() -> set[str]:
    """Every UI key index.html and chat.js look up, literal or built from a known value."""
    html = (STATIC / "index.html").read_text("utf-8")
    script = (STATIC / "chat.js").read_text("utf-8")
    keys = set(re.findall(r'data-(?:text|label|placeholder)="([a-z_.]+)"', html))
    keys |= set(re.findall(r'\bt\("([a-z_.]+)"', script))
    # Looked up through a variable: the badge of each verdict value and the table headings.
    keys |= {f"badge.{v}" for v in ("required", "recommended", "not_needed")}
    keys |= {"receiving", "sending", "settings_item", "settings_value"}
    # A failure's words by which side is down, a check result's marks, a row's change word.
    keys |= {"error", "error_connection", "error_offline", "error_service", "error_timeout"}
    keys |= {"mark_pass", "mark_fail", "mark_not_verified", "changed", "unchanged"}
    return keys


@pytest.mark.parametrize("locale", ["ja", "en"])
async def test_every_word_the_page_uses_is_served(client: httpx.AsyncClient, locale: str) -> None:
    path = "/api/webchat/texts/{locale}"
    response = await client.get(path.format(locale=locale))
    texts = check_response(response, path, "get")
    assert response.status_code == 200
    needed = words_the_page_uses()
    assert len(needed) > 25
    missing = needed - set(texts)
    assert not missing, f"{locale} lacks {sorted(missing)}"
    assert all(value.strip() for value in texts.values())


async def test_the_page_words_are_polite_japanese_and_plain_english(
    client: httpx.AsyncClient,
) -> None:
    ja = (await client.get("/api/webchat/texts/ja")).json()
    en = (await client.get("/api/webchat/texts/en")).json()
    assert (ja["send"], ja["copied"], ja["retry"]) == ("送信", "コピーしました", "もう一度試す")
    badges = (ja["badge.required"], ja["badge.recommended"], ja["badge.not_needed"])
    assert badges == ("変更が必要", "変更を推奨", "変更不要")
    assert en["send"] == "Send"
    for key in ("error", "error_rejected", "expired", "privacy_note"):
        assert ja[key].endswith(("ます。", "ました。", "ください。")), ja[key]


async def test_a_check_result_carries_its_verdicts_as_data_in_the_transcript(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    chat = Chat(client)
    await chat.start()
    outcome = (("smtp", "auth_not_offered"), ("pop", "ok"), ("pop_count", "3"))
    await app.state.runtime.engine.handle(
        Inbound(
            "webchat",
            conversation_key(chat.id),
            "check:1",
            event=SystemEvent("check_result", outcome),
        )
    )

    response = await client.get(MESSAGES.format(conversation_id=chat.id))

    lines = check_response(response, MESSAGES, "get")["messages"]
    (reported,) = (line["reply"] for line in lines if "verdict" in line.get("reply", {}))
    assert reported["verdict"] == "fail"
    assert reported["verdicts"] == ["fail", "pass", "fail", None]
    assert len(reported["text"].split("\n\n")) == 4
    # The page reads the verdicts, not the catalog's sentences: it is sent none of them.
    texts = (await client.get("/api/webchat/texts/ja")).json()
    assert not {"check_pass", "check_fail"} & set(texts)


async def test_an_unknown_language_has_no_words(client: httpx.AsyncClient) -> None:
    path = "/api/webchat/texts/{locale}"
    response = await client.get(path.format(locale="fr"))
    assert response.status_code == 404
    check_response(response, path, "get")


# -- a whole conversation ---------------------------------------------------------------------


async def test_a_whole_conversation_keeps_to_the_description(client: httpx.AsyncClient) -> None:
    chat = Chat(client)
    greeting = await chat.start()
    assert chat.locale == "ja"
    assert {"yes", "no", "unsure"} <= offered(greeting)
    for _ in range(4):
        replies = await chat.say(choice="yes")
    [verdict] = of_type(replies, "verdict")
    assert (verdict["receiving"], verdict["sending"]) == ("required", "required")
    assert "skip" in offered(replies)
    replies = await chat.say(text=f"アドレスは {ADDRESS} です")
    assert "program:thunderbird" in offered(replies)
    replies = await chat.say(choice="program:thunderbird")
    replies = await chat.say(choice="yes")  # the outgoing server is vs.117.ne.jp today
    [card] = of_type(replies, "settings")
    values = {item["key"]: item["value"] for item in card["items"]}
    assert values["username"] == ADDRESS
    assert values["pop_server"] == "vpop.117.ne.jp"
    assert (values["pop_port"], values["smtp_port"]) == ("110", "587")
    assert values["smtp_server"] == "vsmtp.117.ne.jp"
    assert {"username", "pop_server", "pop_port", "smtp_server", "smtp_port", "smtp_auth"} <= set(
        values
    )
    # The toolbar's three commands and the language switch work at any point.
    for command in ("menu", "human", "restart"):
        assert await chat.say(choice=command)
    await chat.say(choice="lang:en")
    assert chat.locale == "en"
    await chat.say(text="日本語")
    assert chat.locale == "ja"
    transcript = await chat.transcript()
    assert transcript["locale"] == "ja"
    assert [line["seq"] for line in transcript["messages"]] == list(
        range(1, len(transcript["messages"]) + 1)
    )


async def test_the_transcript_holds_each_reply_exactly_as_it_was_answered(
    client: httpx.AsyncClient,
) -> None:
    # The page skips, when it polls, the replies it has already shown from its own
    # requests' answers: it compares them as JSON text, so even the key order must match.
    chat = Chat(client)
    answered = [await chat.start()]
    answered.append(await chat.say(choice="yes"))
    answered.append(await chat.say(text="いいえ"))
    lines = (await chat.transcript())["messages"]
    bot = [line for line in lines if line["author"] == "bot"]
    assert [json.dumps(line["reply"]) for line in bot] == [
        json.dumps(reply) for replies in answered for reply in replies
    ]
    said = [line["text"] for line in lines if line["author"] == "subscriber"]
    assert said == ["[yes]", "いいえ"]
    newest = lines[-1]["seq"]
    later = await chat.transcript(after=lines[-3]["seq"])
    assert [line["seq"] for line in later["messages"]] == [newest - 1, newest]
    assert (await chat.transcript(after=newest))["messages"] == []


@pytest.mark.parametrize("after", ["abc", "-1", "1.5", "1234567890123"])
async def test_a_bad_after_is_422(client: httpx.AsyncClient, after: str) -> None:
    chat = Chat(client)
    await chat.start()
    response = await client.get(chat.url, params={"after": after})
    assert response.status_code == 422
    check_response(response, MESSAGES, "get")


async def test_an_apple_user_is_offered_a_profile_to_download(client: httpx.AsyncClient) -> None:
    chat = Chat(client)
    await chat.start()
    for _ in range(4):
        await chat.say(choice="yes")
    await chat.say(text=ADDRESS)
    await chat.say(choice="program:ios_mail")
    replies = await chat.say(choice="yes")
    [offer] = of_type(replies, "file")
    assert offer["filename"] == "taro-mail.mobileconfig"
    assert offer["media_type"] == "application/x-apple-aspen-config"
    download = await client.get(offer["url"])
    assert download.status_code == 200
    assert b"vpop.117.ne.jp" in download.content


async def test_a_conversation_can_start_in_english(client: httpx.AsyncClient) -> None:
    chat = Chat(client)
    replies = await chat.start({"locale": "en"})
    assert chat.locale == "en"
    assert any(c["label"] == "Yes" for r in of_type(replies, "choices") for c in r["choices"])
    for body in ({}, {"locale": None}):
        await Chat(client).start(body)
    empty = await client.post(CONVERSATIONS)
    assert check_response(empty, CONVERSATIONS, "post")["locale"] == "ja"


async def test_a_repeated_event_id_is_answered_once_with_the_first_answer(
    client: httpx.AsyncClient,
) -> None:
    chat = Chat(client)
    await chat.start()
    first = await chat.send(choice="yes", event_id="evt-1")
    before = await chat.transcript()
    # The first answer was lost on the way back; the page sends the same message again.
    again = await chat.send(choice="yes", event_id="evt-1")
    assert first["replies"]
    assert "duplicate" not in first
    assert again == {"replies": first["replies"], "question": first["question"], "duplicate": True}
    assert await chat.transcript() == before
    # Still at the second question: "yes" now answers it and reaches the third.
    after = await chat.say(choice="yes")
    assert {"yes", "back"} <= offered(after)


async def test_an_old_button_pressed_after_the_next_question_changes_nothing(
    client: httpx.AsyncClient,
) -> None:
    chat = Chat(client)
    await chat.start()
    [asked] = [
        line["question"] for line in (await chat.transcript())["messages"] if "question" in line
    ]
    assert asked == chat.question
    answered = await chat.send(choice="yes", question=asked)
    assert answered["replies"]
    assert answered["question"] != asked
    before = await chat.transcript()
    # "yes" again, from the greeting's buttons in a second tab: the next question also has
    # a "yes", and it must not be answered by this press.
    second_tab = await chat.send(choice="yes", question=asked, event_id="other-tab")
    assert second_tab == {"replies": [], "locale": "ja", "stale": True}
    assert await chat.transcript() == before
    # The open question's button counts, once.
    nxt = await chat.send(choice="yes", question=answered["question"])
    assert {"yes", "back"} <= offered(nxt["replies"])
    tapped_twice = await chat.send(choice="yes", question=answered["question"])
    assert tapped_twice["replies"] == []
    assert tapped_twice["stale"] is True
    # A choice without a question (the toolbar's commands) answers whatever is open.
    assert await chat.say(choice="menu")


# -- refused requests -------------------------------------------------------------------------


async def test_an_unknown_conversation_is_404(client: httpx.AsyncClient) -> None:
    for conversation_id in ("0" * 32, "not-a-conversation-id", "A" * 32):
        response = await client.post(
            MESSAGES.format(conversation_id=conversation_id), json={"text": "はい"}
        )
        assert response.status_code == 404
        assert check_response(response, MESSAGES, "post") == {"error": "no such conversation"}
        response = await client.get(MESSAGES.format(conversation_id=conversation_id))
        assert response.status_code == 404
        assert check_response(response, MESSAGES, "get") == {"error": "no such conversation"}


# Each carries event id "retry-1" where the broken part leaves room for one (see below).
MALFORMED_MESSAGES: Final[dict[str, bytes]] = {
    "not JSON": b'{"text": "\xe3\x81\xaf\xe3\x81\x84", "event_id": "retry-1"',
    "not UTF-8": b'{"text": "\xff", "event_id": "retry-1"}',
    "an empty body": b"",
    "a JSON array": b'[{"choice": "no", "event_id": "retry-1"}]',
    "a JSON string": b'"no"',
    "both text and choice": b'{"text": "no", "choice": "no", "event_id": "retry-1"}',
    "neither text nor choice": b'{"event_id": "retry-1"}',
    "an empty object": b"{}",
    "empty text": b'{"text": "", "event_id": "retry-1"}',
    "blank text": b'{"text": " \\u3000\\n ", "event_id": "retry-1"}',
    "too long text": json.dumps({"text": "あ" * 2001, "event_id": "retry-1"}).encode(),
    "empty choice": b'{"choice": "", "event_id": "retry-1"}',
    "text as a number": b'{"text": 1, "event_id": "retry-1"}',
    "text as null alone": b'{"text": null, "event_id": "retry-1"}',
    "a null text beside a choice": b'{"text": null, "choice": "no", "event_id": "retry-1"}',
    "choice as a list": b'{"choice": ["no"], "event_id": "retry-1"}',
    "choice as true": b'{"choice": true, "event_id": "retry-1"}',
    "event id as a number": b'{"choice": "no", "event_id": 7}',
    "empty event id": b'{"choice": "no", "event_id": ""}',
    "an unknown field": b'{"choice": "no", "locale": "en", "event_id": "retry-1"}',
    "a question beside text": b'{"text": "no", "question": "0123456789abcdef"}',
    "a question that is no id": b'{"choice": "no", "question": "yes", "event_id": "retry-1"}',
}


async def _at_second_question(client: httpx.AsyncClient) -> Chat:
    chat = Chat(client)
    await chat.start()
    await chat.say(choice="yes")
    return chat


@pytest.mark.parametrize("body", MALFORMED_MESSAGES.values(), ids=MALFORMED_MESSAGES.keys())
async def test_a_malformed_message_is_422_and_changes_nothing(
    client: httpx.AsyncClient, body: bytes
) -> None:
    control = await _at_second_question(client)
    chat = await _at_second_question(client)
    try:
        parsed = json.loads(body)
    except ValueError:
        pass
    else:
        assert not request_is_valid(parsed, MESSAGES), "the description accepts it"
    before = await chat.transcript()
    refused = await chat.post(body)
    assert refused.status_code == 422
    assert check_response(refused, MESSAGES, "post")["error"]
    assert await chat.transcript() == before
    await _answer_like_an_untouched_conversation(chat, control)


async def test_a_body_over_64_kib_is_413_and_changes_nothing(client: httpx.AsyncClient) -> None:
    control = await _at_second_question(client)
    chat = await _at_second_question(client)
    huge = json.dumps({"text": "x" * (70 * 1024), "event_id": "retry-1"}).encode()
    assert len(huge) > 64 * 1024
    before = await chat.transcript()
    refused = await chat.post(huge)
    assert refused.status_code == 413
    check_response(refused, MESSAGES, "post")
    assert await chat.transcript() == before
    await _answer_like_an_untouched_conversation(chat, control)
    too_big_start = await client.post(
        CONVERSATIONS, content=huge, headers={"content-type": "application/json"}
    )
    assert too_big_start.status_code == 413
    check_response(too_big_start, CONVERSATIONS, "post")


async def _answer_like_an_untouched_conversation(chat: Chat, control: Chat) -> None:
    # The refused request carried event id "retry-1" where it could: that id must still
    # be unused, so the retry counts as a new message and is answered in full.
    expected = await control.send(choice="no", event_id="retry-1")
    got = await chat.send(choice="no", event_id="retry-1")
    assert "duplicate" not in got
    # A question's id is the conversation's own; everything else is the same.
    assert got.pop("question") != expected.pop("question")
    assert got == expected
    assert of_type(got["replies"], "verdict")


MALFORMED_STARTS: Final[dict[str, bytes]] = {
    "not JSON": b"{locale: ja}",
    "a JSON array": b'["ja"]',
    "an unknown locale": b'{"locale": "fr"}',
    "a locale tag": b'{"locale": "ja-JP"}',
    "a locale that is not a string": b'{"locale": 1}',
    "an unknown field": b'{"locale": "ja", "name": "taro"}',
}


@pytest.mark.parametrize("body", MALFORMED_STARTS.values(), ids=MALFORMED_STARTS.keys())
async def test_a_malformed_start_is_422(client: httpx.AsyncClient, body: bytes) -> None:
    try:
        parsed = json.loads(body)
    except ValueError:
        pass
    else:
        assert not request_is_valid(parsed, CONVERSATIONS), "the description accepts it"
    response = await client.post(
        CONVERSATIONS, content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert check_response(response, CONVERSATIONS, "post")["error"]


async def test_a_long_transcript_is_read_by_its_latest_lines(client: httpx.AsyncClient) -> None:
    # The read is not rate-limited (the page polls it every half second while an agent
    # writes): a conversation grown to thousands of lines answered each read with all of
    # them, 10 MB and 0.1 s of the server's CPU, as often as anyone asked.
    chat = Chat(client)
    await chat.start()
    while (await chat.transcript())["messages"][-1]["seq"] <= HISTORY_LINES:
        for _ in range(20):
            await chat.send(text="ぽにょ")
    newest = (await chat.transcript(after=HISTORY_LINES))["messages"][-1]["seq"]
    whole = (await chat.transcript())["messages"]
    assert [line["seq"] for line in whole] == list(range(newest - HISTORY_LINES + 1, newest + 1))
    # Read from a line of its own, the page still gets everything after it.
    assert [line["seq"] for line in (await chat.transcript(after=newest - 3))["messages"]] == [
        newest - 2,
        newest - 1,
        newest,
    ]
