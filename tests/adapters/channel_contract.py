"""The contract every platform channel passes, run against the real ASGI app and a fake API.

A subclass per platform (`tests/adapters/<platform>/test_channel.py`) says how that
platform signs and shapes a request and how to read back what the fake API received;
everything asserted here is the same for all of them. The pure dialog, driven in step
(`tests.dialogs.driver`), is the oracle: whatever it replies must arrive on the platform,
reply by reply.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import datetime as dt
import json
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Final

import httpx
import pytest
from starlette.applications import Starlette

from bot.channels.answer_first import REJECTIONS, RETRY_WAIT
from bot.channels.registry import available_factories
from bot.desk.agent_silence import AgentSilence
from bot.ops.catalogs import Catalogs
from bot.ops.settings import MAX_BODY_BYTES, Settings
from bot.ops.stats import collect
from bot.runtime import Runtime, build_runtime
from bot.server import build_app
from bot.store.conversation_store import ConversationRecord, Owner, record_key
from bot.store.sqlite_store import SQLiteStore
from dialogs import feedback
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.state import DialogState
from dialogs.vocabulary import (
    ChoicesReply,
    LinkReply,
    Receiving,
    Reply,
    Sending,
    SettingsReply,
    TextReply,
    VerdictReply,
)
from testbed.clock import fixed_clock
from tests.dialogs.driver import Driver
from tests.fakes.platform_api import FakePlatformAPI, running_fake

PAYLOADS = Path(__file__).resolve().parents[1] / "payloads"
ADDRESS = "taro@vp.117.ne.jp"
AGENT_TOKEN: Final = "agent-token-0123456789"
GREETING: Final = "担当者から引き継ぎました。ここからは自動応答でご案内します。"


def all_but(channel: str) -> tuple[str, ...]:
    """Every installed channel except `channel`: what a test app leaves out."""
    return tuple(name for name in available_factories() if name != channel)


def rejections(channel: str) -> dict[str, int]:
    """The requests of `channel` refused before anything was parsed or stored, by reason."""
    return {reason: n for (name, reason), n in REJECTIONS.items() if name == channel}


_ODD_VALUES: Final[tuple[object, ...]] = (None, 5, 1.5, True, "x", [], {}, [1], {"x": 1})


# One of each JSON type, the number past what a 64-bit id can hold, and one a 64-bit id
# holds but a clock does not (a date of 2**62 s: python-telegram-bot raised OSError on it).
_FEW_ODD_VALUES: Final[tuple[object, ...]] = (None, 2**70, 2**62, "x", [], {})


def reshaped(document: object, odd: tuple[object, ...] = _ODD_VALUES) -> Iterator[object]:
    """`document` with one value at a time replaced by each odd value, or left out."""
    yield from (value for value in odd if value != document)
    if isinstance(document, dict):
        for key, value in document.items():
            yield {k: v for k, v in document.items() if k != key}
            for changed in reshaped(value, odd):
                yield {**document, key: changed}
    elif isinstance(document, list):
        for index, value in enumerate(document):
            for changed in reshaped(value, odd):
                yield [*document[:index], changed, *document[index + 1 :]]


_EVENT_IDS: Final = frozenset({"event_id", "update_id", "webhookEventId"})


def renumbered(document: object, n: int) -> object:
    """`document` with every platform event id made unique by `n` (so none is a redelivery)."""
    if isinstance(document, list):
        return [renumbered(item, n) for item in document]
    if not isinstance(document, dict):
        return document
    fresh: dict[str, object] = {}
    for key, value in document.items():
        if key in _EVENT_IDS and isinstance(value, str):
            fresh[key] = f"{value}{n}"
        elif key in _EVENT_IDS and type(value) is int:
            fresh[key] = value + n
        else:
            fresh[key] = renumbered(value, n)
    return fresh


def load_payload(channel: str, name: str) -> dict[str, Any]:
    """A recorded platform payload from `tests/payloads/<channel>/<name>.json`."""
    data: dict[str, Any] = json.loads((PAYLOADS / channel / f"{name}.json").read_text("utf-8"))
    return data


@dataclass(frozen=True, slots=True)
class SignedRequest:
    """An HTTP request as the platform would send it, signature included."""

    path: str
    body: bytes
    headers: dict[str, str]


@dataclass(frozen=True, slots=True)
class Button:
    """A button as delivered: what it shows, what it sends back, and its message."""

    label: str
    data: str
    ref: Any = None


@dataclass(frozen=True, slots=True)
class Delivered:
    """One message the platform received, reduced to its words and its buttons."""

    text: str
    buttons: tuple[Button, ...] = ()
    raw: Any = field(default=None, compare=False)


# What a cut pause waits instead of the seconds asked for: enough to let others run.
SHORT_PAUSE: Final = 0.01


class Pauses:
    """The app's `Runtime.pause`: the waits a channel asks for before sending again, recorded.

    Each is waited whole unless the test says otherwise: `cut()` makes each SHORT_PAUSE (a
    test of what arrives, not when), `hold()` keeps each until `release()` (a test that acts
    while the platform still holds a message up). `asked` is what the channel asked for: a
    platform's Retry-After, or the back-off after a 5xx. The waits an SDK makes itself
    (Telegram's and Slack's after a 429) are not among them.
    """

    def __init__(self) -> None:
        self.asked: list[float] = []
        self._longest: float | None = None
        self._released: asyncio.Event | None = None

    def cut(self) -> None:
        self._longest = SHORT_PAUSE

    def hold(self) -> None:
        self._released = asyncio.Event()

    def release(self) -> None:
        assert self._released is not None, "release() without hold()"
        self._released.set()

    async def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)
        if self._released is not None:
            await self._released.wait()
        else:
            await asyncio.sleep(seconds if self._longest is None else min(seconds, self._longest))


@dataclass(slots=True)
class Harness:
    """The running app, its store, the fake platform API and an HTTP client."""

    app: Starlette
    fake: FakePlatformAPI
    store: SQLiteStore
    client: httpx.AsyncClient
    pauses: Pauses = field(default_factory=Pauses)

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.app.state.runtime
        return runtime

    async def post(self, request: SignedRequest) -> httpx.Response:
        return await self.client.post(request.path, content=request.body, headers=request.headers)

    async def settle(self) -> None:
        """Wait for every turn already acknowledged; nothing runs after this."""
        await self.runtime.tasks.drain()


class ChannelContract:
    """Subclass per platform and fill in the hooks below."""

    channel: ClassVar[str]
    conversation_key: ClassVar[str]
    # The fake API's (platform, method) that a push to this test's conversation calls.
    push_call: ClassVar[tuple[str, str]]
    # What an event gets while the store is down: a status the platform redelivers after.
    store_down_status: ClassVar[int] = 503
    # The 5xx answers after which a push is sent again (the others may have been taken).
    resent_after: ClassVar[frozenset[int]] = frozenset({500, 502, 503})
    # Whether `press_request` is a press the platform tells from typed words. Where it is
    # the label typed (Chatwoot outside its web widget), an agent holding the conversation
    # may have asked something the 「いいえ」 answers: it is their words, not the question's.
    presses_are_presses: ClassVar[bool] = True
    # Whether one sender's handoffs are limited (MAILMOVE_SENDER_HANDOFF_LIMIT): not in
    # Chatwoot, whose own agents see its conversations handed off in place.
    sender_handoffs_limited: ClassVar[bool] = True
    # Which of the channel's waits before sending again are the runtime's (`Runtime.pause`,
    # the harness's `Pauses`): "5xx", the back-off of `send_once`/`post_once`; "429", the
    # platform's Retry-After. A wait an SDK makes itself (PTB's, Slack's client's) is not.
    paused_by_runtime: ClassVar[frozenset[str]] = frozenset({"5xx"})
    # The largest body the channel's webhook takes (`LargeBodies`): the app's, unless its
    # platform sends an agent's long words past it (Chatwoot's).
    max_body: ClassVar[int] = MAX_BODY_BYTES
    # The setting a badly signed request is checked with, named by the refusal's log line.
    signature_setting: ClassVar[str]

    # -- hooks ------------------------------------------------------------------------------

    def environ(self, api_url: str) -> dict[str, str]:
        """The variables that switch the channel on, its API pointed at the fake."""
        raise NotImplementedError

    def text_request(self, text: str, n: int) -> SignedRequest:
        """The subscriber types `text`; `n` makes the platform's event id unique."""
        raise NotImplementedError

    def press_request(self, button: Button, n: int) -> SignedRequest:
        """The subscriber presses `button`."""
        raise NotImplementedError

    def badly_signed(self, request: SignedRequest) -> SignedRequest:
        """`request` with a signature that does not match."""
        raise NotImplementedError

    def malformed_request(self) -> SignedRequest:
        """A correctly signed body that is not a platform event."""
        raise NotImplementedError

    def unknown_requests(self) -> list[SignedRequest]:
        """Correctly signed events the bot does not act on."""
        raise NotImplementedError

    def resigned(self, request: SignedRequest, body: bytes) -> SignedRequest:
        """`request` carrying `body` instead, signed again (a header token needs nothing)."""
        return dataclasses.replace(request, body=body)

    def odd_requests(self) -> list[SignedRequest]:
        """Correctly signed bodies of a shape the platform never sends: each must get 400."""
        return []

    def recorded_payloads(self) -> list[str]:
        """The recorded payloads (`tests/payloads/<channel>/`) sent in every odd shape."""
        return sorted(path.stem for path in (PAYLOADS / self.channel).glob("*.json"))

    def recorded_request(self, name: str, payload: object) -> SignedRequest:
        """`payload` (reshaped from the recorded `name`), encoded and signed as the platform."""
        return self.resigned(self.text_request("こんにちは", 1), json.dumps(payload).encode())

    def delivered(self, fake: FakePlatformAPI) -> list[Delivered]:
        """Every message the bot sent, in order."""
        raise NotImplementedError

    def turn_reply_calls(self) -> list[tuple[str, str]]:
        """The fake API's (platform, method) a turn's replies may go out by."""
        return [self.push_call]

    def choice_of(self, button: Button) -> str:
        """The choice id a delivered button stands for."""
        return button.data

    def shown_label(self, label: str) -> str:
        """A choice label as the platform shows it (LINE shortens long ones)."""
        return label

    # -- fixtures ---------------------------------------------------------------------------

    @pytest.fixture
    async def fake(self) -> AsyncIterator[FakePlatformAPI]:
        async with running_fake() as fake:
            yield fake

    @pytest.fixture
    def unpaced(self) -> None:
        """The client's own pacing of sends lifted, for a test of many sends about answers.

        Requested before `harness`, so that the channel is built without it. A platform whose
        SDK paces sends on a real timer overrides this (Telegram's 30 messages a second).
        """

    def settings(self, api_url: str) -> Settings:
        return Settings(environ=self.environ(api_url), agent_tokens=(AGENT_TOKEN,))

    @pytest.fixture
    async def harness(self, fake: FakePlatformAPI, tmp_path: Path) -> AsyncIterator[Harness]:
        async with self.running(fake, tmp_path, self.settings(fake.url)) as harness:
            yield harness

    @contextlib.asynccontextmanager
    async def running(
        self, fake: FakePlatformAPI, tmp_path: Path, settings: Settings
    ) -> AsyncIterator[Harness]:
        """The app of this channel alone under `settings`, its lifespan running."""
        store = SQLiteStore(tmp_path / "conversations.sqlite3")
        pauses = Pauses()
        app = build_app(
            settings,
            clock=fixed_clock(),
            store=store,
            exclude_channels=all_but(self.channel),
            pause=pauses,
        )
        # ASGITransport does not run the lifespan: run it here, as uvicorn would.
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
            ) as client,
        ):
            yield Harness(app, fake, store, client, pauses)

    @pytest.fixture
    def oracle(self, profile: MigrationProfile, catalogs: Catalogs) -> Driver:
        return Driver(profile, catalogs)

    # -- helpers ----------------------------------------------------------------------------

    async def exchange(
        self, harness: Harness, request: SignedRequest, expected: Sequence[Reply]
    ) -> list[Delivered]:
        """Send `request`; wait until the platform received `expected`; check each reply."""
        before = len(self.delivered(harness.fake))
        response = await harness.post(request)
        assert response.status_code == 200, response.text
        await harness.fake.wait_for(
            lambda: len(self.delivered(harness.fake)) >= before + len(expected)
        )
        got = self.delivered(harness.fake)[before:]
        for delivered, reply in zip(got, expected, strict=True):
            self.assert_rendered(delivered, reply)
        return got

    def assert_rendered(self, delivered: Delivered, reply: Reply) -> None:
        """`delivered` shows `reply` completely: every word, button and value."""
        if isinstance(reply, TextReply | VerdictReply):
            assert delivered.text == reply.text
        elif isinstance(reply, ChoicesReply):
            assert delivered.text == reply.text
            assert [self.choice_of(b) for b in delivered.buttons] == [c.id for c in reply.choices]
            assert [b.label for b in delivered.buttons] == [
                self.shown_label(c.label) for c in reply.choices
            ]
        elif isinstance(reply, SettingsReply):
            assert reply.title in delivered.text
            for item in reply.items:
                assert item.label in delivered.text
                assert item.value in delivered.text
        elif isinstance(reply, LinkReply):
            assert reply.text in delivered.text
            assert reply.url in delivered.text

    def button(self, delivered: Sequence[Delivered], choice_id: str) -> Button:
        """The button for `choice_id` in the last delivered message that has buttons."""
        with_buttons = [d for d in delivered if d.buttons]
        assert with_buttons, "no buttons were delivered"
        for button in with_buttons[-1].buttons:
            if self.choice_of(button) == choice_id:
                return button
        raise AssertionError(f"no {choice_id!r} button in {with_buttons[-1].buttons}")

    async def record(self, harness: Harness) -> ConversationRecord | None:
        return await harness.store.load(record_key(self.channel, self.conversation_key))

    async def assert_settings_reached(self, harness: Harness, got: Sequence[Delivered]) -> None:
        card = "\n".join(d.text for d in got)
        for value in ("vpop.117.ne.jp", "vsmtp.117.ne.jp", "587", "110", ADDRESS):
            assert value in card
        record = await self.record(harness)
        assert record is not None
        assert record.dialog.receiving is Receiving.REQUIRED
        assert record.dialog.sending is Sending.REQUIRED
        assert record.dialog.address == ADDRESS
        assert record.dialog.program == "thunderbird"

    def counter_delta(self, before: dict[str, int]) -> dict[str, int]:
        now = rejections(self.channel)
        return {k: v - before.get(k, 0) for k, v in now.items() if v != before.get(k)}

    async def agent_api(self, harness: Harness, action: str, **body: str) -> httpx.Response:
        """Call the agent API on this test's conversation, as an agent's tool would."""
        key = f"{self.channel}:{self.conversation_key}"
        return await harness.client.post(
            f"/api/agent/conversations/{key}/{action}",
            headers={"Authorization": f"Bearer {AGENT_TOKEN}"},
            json=body,
        )

    # -- the contract -----------------------------------------------------------------------

    async def test_whole_questionnaire_by_buttons(self, harness: Harness, oracle: Driver) -> None:
        oracle.start(locale="ja")
        got = await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        steps: list[tuple[str, str]] = [
            ("press", "yes"),
            ("press", "yes"),
            ("press", "yes"),
            ("press", "yes"),
            ("type", ADDRESS),
            ("press", "program:thunderbird"),
            ("press", "yes"),
        ]
        for n, (kind, value) in enumerate(steps, start=2):
            if kind == "press":
                request = self.press_request(self.button(got, value), n)
                oracle.press(value)
            else:
                request = self.text_request(value, n)
                oracle.type(value)
            got = await self.exchange(harness, request, oracle.last.replies)
        assert any(isinstance(r, SettingsReply) for r in oracle.last.replies)
        await self.assert_settings_reached(harness, got)
        await harness.settle()
        assert len(self.delivered(harness.fake)) == len(oracle.all_replies())

    async def test_a_hand_back_after_the_card_does_not_send_it_again(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # On every platform: the card, a person asked for, taken and handed back as the
        # console does (the step by default, the address and program it shows).
        oracle.start(locale="ja")
        got = await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        steps = ["yes", "yes", "yes", "yes", ADDRESS, "program:thunderbird", "yes"]
        for n, value in enumerate(steps, start=2):
            if value == ADDRESS:
                oracle.type(value)
                request = self.text_request(value, n)
            else:
                oracle.press(value)
                request = self.press_request(self.button(got, value), n)
            got = await self.exchange(harness, request, oracle.last.replies)
        await self.assert_settings_reached(harness, got)
        await self.take(harness)
        await harness.settle()
        before = len(self.delivered(harness.fake))
        back = await self.agent_api(
            harness, "handback", agent="佐藤", address=ADDRESS, program="thunderbird"
        )
        assert back.status_code == 200, back.text
        assert [r["type"] for r in back.json()["replies"]] == ["text", "text", "choices"]
        await harness.settle()
        pushed = self.delivered(harness.fake)[before:]
        assert [d.text for d in pushed] == [r["text"] for r in back.json()["replies"]]
        assert "vpop.117.ne.jp" not in "\n".join(d.text for d in pushed)

    async def test_whole_questionnaire_by_text(self, harness: Harness, oracle: Driver) -> None:
        oracle.start(locale="ja")
        got = await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        answers = [
            "はい",
            "はい、使っています",
            "はい",
            "わからない",
            ADDRESS,
            "サンダーバード",
            "はい",
        ]
        for n, answer in enumerate(answers, start=2):
            oracle.type(answer)
            got = await self.exchange(harness, self.text_request(answer, n), oracle.last.replies)
        await self.assert_settings_reached(harness, got)
        verdicts = [r for r in oracle.all_replies() if isinstance(r, VerdictReply)]
        assert [(v.receiving, v.sending) for v in verdicts] == [
            (Receiving.REQUIRED, Sending.REQUIRED)
        ]

    async def test_a_wandering_conversation_typed_all_the_way(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # Never a button: what the question means, a wait, a day away, a full-width address,
        # the settings again and "nothing else", each answered in the words the dialog gives.
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        answers = [
            "はい",
            "それってどういう意味ですか",
            "ちょっと待ってください",
            "会社からも送ります",
            "昨日の続きです",
            "vs.117.ne.jpです",
            "知らん",
            "ｔａｒｏ＠ｖｐ．１１７．ｎｅ．ｊｐ",
            "サンダーバード",
            "はい",
            "さっきの設定をもう一回",
            "いいえ、大丈夫です",
        ]
        for n, answer in enumerate(answers, start=2):
            oracle.type(answer)
            await self.exchange(harness, self.text_request(answer, n), oracle.last.replies)
        assert oracle.state.misunderstood == 0
        record = await self.record(harness)
        assert record is not None
        assert record.dialog.address == ADDRESS
        assert record.dialog.program == "thunderbird"
        assert record.dialog.sending is Sending.REQUIRED

    async def test_a_redelivered_event_is_answered_once(
        self, harness: Harness, oracle: Driver
    ) -> None:
        oracle.start(locale="ja")
        request = self.text_request("こんにちは", 1)
        await self.exchange(harness, request, oracle.last.replies)
        again = await harness.post(request)
        assert again.status_code == 200
        await harness.settle()
        assert len(self.delivered(harness.fake)) == len(oracle.last.replies)

    async def test_while_the_store_is_down_events_get_503_and_are_answered_once_resent(
        self, harness: Harness, oracle: Driver
    ) -> None:
        request = self.text_request("こんにちは", 1)
        await harness.store.close()
        refused = await harness.post(request)
        # Not 200: the platform would never send the event again, and it would be lost.
        assert refused.status_code == self.store_down_status, refused.text
        assert refused.json()["error"]
        assert refused.headers["retry-after"]
        # Nothing stored, so nothing left running that could answer it later either.
        assert len(harness.runtime.tasks) == 0
        assert self.delivered(harness.fake) == []
        await harness.store.open()
        assert await harness.store.list_records() == []
        oracle.start(locale="ja")
        await self.exchange(harness, request, oracle.last.replies)
        await harness.settle()
        assert len(self.delivered(harness.fake)) == len(oracle.last.replies)

    async def test_an_agents_hand_back_reaches_the_subscriber(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # Words that answer no message of the subscriber's: the channel's push.
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await self.take(harness)
        silent = await harness.post(self.text_request("まだですか", 2))
        assert silent.status_code == 200, (silent.status_code, silent.text)
        before = len(self.delivered(harness.fake))
        back = await self.agent_api(harness, "handback", agent="佐藤", address=ADDRESS)
        assert back.status_code == 200, back.text
        await harness.fake.wait_for(lambda: len(self.delivered(harness.fake)) > before)
        greeting = self.delivered(harness.fake)[before]
        assert greeting.text.startswith(GREETING)
        await harness.settle()
        # Every reply of the hand-back, once: its words and its buttons.
        replies = back.json()["replies"]
        pushed = self.delivered(harness.fake)[before:]
        assert [d.text for d in pushed] == [r["text"] for r in replies]
        for delivered, reply in zip(pushed, replies, strict=True):
            ids = [c["id"] for c in reply.get("choices", ())]
            assert [self.choice_of(b) for b in delivered.buttons] == ids

    async def test_an_agents_message_reaches_the_subscriber_once_through_a_429(
        self, harness: Harness, oracle: Driver
    ) -> None:
        before, platform, method = await self.taken_over_with_a_429_to_come(harness, oracle)
        harness.pauses.cut()  # what arrives, not when: the Retry-After is asserted below
        words = "パスワードは変わりません。<b>そのまま</b>お使いください。"
        posted = await self.agent_api(harness, "messages", text=words, event_id="m-1")
        # Answered once stored: the throttled platform is waited out in the background.
        assert posted.status_code == 201, posted.text
        again = await self.agent_api(harness, "messages", text=words, event_id="m-1")
        assert again.status_code == 200
        assert again.json()["duplicate"] is True
        await harness.settle()
        pushed = self.delivered(harness.fake)[before:]
        assert len(pushed) == 1
        assert words in pushed[0].text
        assert "agent" in pushed[0].text or "サポート担当" in pushed[0].text
        assert len(harness.fake.calls_to(platform, method, status=429)) == 1
        if "429" in self.paused_by_runtime:
            # The platform's Retry-After (1 s), whole; Slack's SDK adds under a second.
            assert [int(s) for s in harness.pauses.asked] == [1]

    async def test_an_agents_messages_arrive_in_the_order_written_through_a_429(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # The first is throttled: the second must wait for it, not overtake it.
        before, _, _ = await self.taken_over_with_a_429_to_come(harness, oracle)
        harness.pauses.cut()  # the order is asserted, not the wait
        written = ["確認いたします。", "少々お待ちください。", "お待たせしました。"]
        for n, words in enumerate(written):
            posted = await self.agent_api(harness, "messages", text=words, event_id=f"o-{n}")
            assert posted.status_code == 201, posted.text
        await harness.settle()
        pushed = self.delivered(harness.fake)[before:]
        assert [next(w for w in written if w in d.text) for d in pushed] == written

    async def test_a_hand_back_does_not_overtake_an_agents_message_held_up_by_a_429(
        self, harness: Harness, oracle: Driver
    ) -> None:
        before, platform, method = await self.taken_over_with_a_429_to_come(harness, oracle)
        harness.pauses.hold()  # until the hand-back is in
        words = "設定を確認いたしました。"
        posted = await self.agent_api(harness, "messages", text=words, event_id="h-1")
        assert posted.status_code == 201, posted.text
        # The agent hands back while the platform still holds the message up.
        back = await self.agent_api(harness, "handback", agent="佐藤", address=ADDRESS)
        assert back.status_code == 200, back.text
        harness.pauses.release()
        await harness.settle()
        pushed = self.delivered(harness.fake)[before:]
        assert words in pushed[0].text, [d.text for d in pushed]
        assert pushed[1].text.startswith(GREETING)
        # The message was sent again only after the Retry-After the platform asked for.
        (refused,) = harness.fake.calls_to(platform, method, status=429)
        resent = next(c for c in harness.fake.calls_to(platform, method) if c.at > refused.at)
        if "429" in self.paused_by_runtime:
            assert [int(s) for s in harness.pauses.asked] == [1]
        else:  # the SDK's own wait
            assert resent.at - refused.at >= 1.0

    async def test_the_answer_to_the_next_message_waits_for_a_hand_back_held_up_by_a_429(
        self, harness: Harness, oracle: Driver
    ) -> None:
        before, platform, method = await self.taken_over_with_a_429_to_come(harness, oracle)
        harness.pauses.hold()  # until the subscriber has written
        handing_back = asyncio.create_task(
            self.agent_api(harness, "handback", agent="佐藤", address=ADDRESS)
        )
        await harness.fake.wait_for(
            lambda: bool(harness.fake.calls_to(platform, method, status=429))
        )
        # The subscriber writes before the hand-back reached them: the answer comes after it.
        assert (await harness.post(self.text_request("もしもし", 2))).status_code == 200
        harness.pauses.release()
        back = await handing_back
        assert back.status_code == 200, back.text
        await harness.settle()
        pushed = [d.text for d in self.delivered(harness.fake)[before:]]
        handed_back = [r["text"] for r in back.json()["replies"]]
        assert pushed[: len(handed_back)] == handed_back, pushed
        assert len(pushed) > len(handed_back)

    @pytest.mark.parametrize(
        ("action", "body"), [("handback", {"agent": "佐藤", "address": ADDRESS}), ("close", {})]
    )
    async def test_an_agent_is_answered_while_a_429_holds_up_their_message(
        self, harness: Harness, oracle: Driver, action: str, body: dict[str, str]
    ) -> None:
        before, platform, method = await self.taken_over(harness, oracle)
        harness.fake.throttle(platform, method, times=1, retry_after=2)
        harness.pauses.hold()  # until the agent has their answer
        words = "設定を確認いたしました。"
        posted = await self.agent_api(harness, "messages", text=words, event_id="h-2")
        assert posted.status_code == 201, posted.text
        await harness.fake.wait_for(
            lambda: bool(harness.fake.calls_to(platform, method, status=429))
        )
        (refused,) = harness.fake.calls_to(platform, method, status=429)
        answered = await self.agent_api(harness, action, **body)
        assert answered.status_code == 200, answered.text
        # The agent's tool has its answer while the message still waits out Retry-After:
        # nothing has reached the platform since it refused.
        assert [c for c in harness.fake.calls_to(platform, method) if c.at > refused.at] == []
        harness.pauses.release()
        await harness.settle()
        pushed = [d.text for d in self.delivered(harness.fake)[before:]]
        assert words in pushed[0], pushed
        assert len(pushed) > 1, pushed

    async def take(self, harness: Harness, *, told: bool | None = True) -> None:
        """佐藤 takes the conversation through the agent API, and what it sends has arrived.

        `told`: the subscriber the bot was answering is told, once, that 佐藤 has them now
        (False: nothing is sent, as after a handoff they asked for; None: either).
        """
        before = len(self.delivered(harness.fake))
        assert (await self.agent_api(harness, "take", agent="佐藤")).status_code == 200
        notice = harness.runtime.catalogs("ja", "desk.taken_from_bot", agent="佐藤")
        if told:
            await harness.fake.wait_for(lambda: len(self.delivered(harness.fake)) > before)
        await harness.runtime.tasks.idle()
        pushed = [d.text for d in self.delivered(harness.fake)[before:]]
        if told is not None:
            assert pushed == ([notice] if told else []), pushed
        else:
            assert pushed in ([], [notice]), pushed

    async def test_a_take_from_the_bot_tells_the_subscriber_once_who_has_them(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # Taken silently mid-questionnaire, the subscriber's next press got no answer until
        # the agent wrote: on LINE, Telegram or Slack the bot seemed to have died.
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await self.take(harness)
        before = len(self.delivered(harness.fake))
        # Pressed again (a double click, a retry whose answer was lost): nothing new is sent.
        assert (await self.agent_api(harness, "take", agent="佐藤")).status_code == 200
        await harness.runtime.tasks.idle()
        read = await self.agent_read(harness)
        assert (read["owner"], read["holder"], read["agent"]) == ("agent", "agent", "佐藤")
        notice = harness.runtime.catalogs("ja", "desk.taken_from_bot", agent="佐藤")
        assert [x["text"] for x in read["transcript"]].count(notice) == 1
        assert self.delivered(harness.fake)[before:] == []

    async def test_the_late_reply_notices_button_gives_the_chat_back_to_the_bot(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # Told after an hour that the reply is late, the subscriber could only wait or call;
        # its 「自動案内に戻る」 now reaches the bot from every platform's button (Chatwoot's
        # select, answered outside the widget by its title).
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await self.take(harness)
        runtime = harness.runtime
        assert runtime.handoffs is not None
        later = runtime.engine.now() + dt.timedelta(minutes=61)
        silence = AgentSilence(
            runtime.engine,
            runtime.handoffs,
            runtime.delivery,
            after=dt.timedelta(minutes=60),
            now=lambda: later,
        )
        assert await silence.sweep() == 1
        await runtime.tasks.idle()
        button = self.button(self.delivered(harness.fake), "back_to_bot")
        assert button.label == "自動案内に戻る"
        before = len(self.delivered(harness.fake))
        assert (await harness.post(self.press_request(button, 2))).status_code == 200
        await harness.fake.wait_for(lambda: len(self.delivered(harness.fake)) > before)
        await runtime.tasks.idle()
        told = [d.text for d in self.delivered(harness.fake)[before:]]
        assert told[0] == runtime.catalogs("ja", "handback.left_waiting"), told
        record = await self.record(harness)
        assert record is not None
        assert record.owner is Owner.BOT

    async def test_a_press_before_the_agent_writes_is_answered_once(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # Pressed while the agent had not written yet, nothing came back: on LINE, Telegram
        # or Slack the chat seemed to have died. Once, until the agent writes.
        oracle.start(locale="ja")
        got = await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await self.take(harness)
        before = len(self.delivered(harness.fake))
        waiting = harness.runtime.catalogs("ja", "desk.pressed_while_waiting")
        assert (await harness.post(self.press_request(self.button(got, "yes"), 2))).status_code
        await harness.runtime.tasks.idle()
        told = [d.text for d in self.delivered(harness.fake)[before:]]
        assert told == [waiting], told
        # The question on screen still takes its answer: the agent sees it among the facts.
        read = await self.agent_read(harness)
        # (Chatwoot's, the label typed, is the agent's to read: it answers nothing.)
        assert read["answers"] == ({"q1_mail_program": "yes"} if self.presses_are_presses else {})
        assert [x["text"] for x in read["transcript"]].count(waiting) == 1
        # A second press is not answered again, nor one after the agent wrote.
        assert (await harness.post(self.press_request(self.button(got, "no"), 3))).status_code
        await harness.runtime.tasks.idle()
        assert [d.text for d in self.delivered(harness.fake)[before:]] == told
        said = await self.agent_api(harness, "messages", text="佐藤です", agent="佐藤")
        assert said.status_code == 201, said.text
        await harness.fake.wait_for(lambda: len(self.delivered(harness.fake)) > before + len(told))
        assert (await harness.post(self.press_request(self.button(got, "yes"), 4))).status_code
        await harness.runtime.tasks.idle()
        pushed = [d.text for d in self.delivered(harness.fake)[before:]]
        assert pushed[: len(told)] == told, pushed
        assert len(pushed) == len(told) + 1, pushed
        assert "佐藤です" in pushed[-1], pushed
        read = await self.agent_read(harness)
        assert (read["owner"], read["holder"], read["agent"]) == ("agent", "agent", "佐藤")

    async def test_one_sender_past_the_handoff_limit_is_told_and_no_desk_hears(
        self, fake: FakePlatformAPI, tmp_path: Path
    ) -> None:
        # One sender could page the agents without end: asked for a person, handed back,
        # asked again. Past the limit they are told where to call, and the bot keeps them.
        settings = self.settings(fake.url).model_copy(update={"sender_handoff_limit": 2})
        async with self.running(fake, tmp_path, settings) as harness:
            texts = harness.runtime.catalogs
            contact = harness.runtime.engine.profile.support.contact_ja
            held = texts("ja", "handoff.held_sender", contact=contact)
            owners = []
            for n in range(3):
                before = len(self.delivered(harness.fake))
                asked = await harness.post(self.text_request("担当者と話したい", n + 1))
                assert asked.status_code == 200, (n, asked.status_code, asked.text)

                def answered(seen: int = before) -> bool:
                    return len(self.delivered(harness.fake)) > seen

                await harness.fake.wait_for(answered)
                await harness.runtime.tasks.idle()
                said = "\n".join(d.text for d in self.delivered(harness.fake)[before:])
                record = await self.record(harness)
                assert record is not None
                owners.append(record.owner)
                limited = n == 2 and self.sender_handoffs_limited
                assert (held in said) is limited, said
                assert (texts("ja", "handoff.started") in said) is not limited, said
                if record.owner is Owner.AGENT:
                    back = await self.agent_api(harness, "handback", agent="佐藤")
                    assert back.status_code == 200, back.text
                    await harness.runtime.tasks.idle()
            third = Owner.BOT if self.sender_handoffs_limited else Owner.AGENT
            assert owners == [Owner.AGENT, Owner.AGENT, third]

    async def taken_over(self, harness: Harness, oracle: Driver) -> tuple[int, str, str]:
        """An agent takes the conversation over after its first turn.

        What the platform had received by then, and the platform call that pushes.
        """
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await self.take(harness)
        platform, method = self.push_call
        return len(self.delivered(harness.fake)), platform, method

    async def taken_over_with_a_429_to_come(
        self, harness: Harness, oracle: Driver
    ) -> tuple[int, str, str]:
        """`taken_over`, and the platform's next push is refused once with Retry-After: 1."""
        before, platform, method = await self.taken_over(harness, oracle)
        harness.fake.throttle(platform, method, times=1, retry_after=1)
        return before, platform, method

    async def address_typed(self, harness: Harness, oracle: Driver) -> int:
        """Greet, press yes four times and type ADDRESS: the number of the address message."""
        oracle.start(locale="ja")
        got = await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        for n in range(2, 6):
            oracle.press("yes")
            request = self.press_request(self.button(got, "yes"), n)
            got = await self.exchange(harness, request, oracle.last.replies)
        oracle.type(ADDRESS)
        await self.exchange(harness, self.text_request(ADDRESS, 6), oracle.last.replies)
        record = await self.record(harness)
        assert record is not None
        assert record.dialog.address == ADDRESS
        return 6

    async def agent_read(self, harness: Harness) -> dict[str, Any]:
        """The agent API's view of this test's conversation."""
        key = f"{self.channel}:{self.conversation_key}"
        response = await harness.client.get(
            f"/api/agent/conversations/{key}", headers={"Authorization": f"Bearer {AGENT_TOKEN}"}
        )
        assert response.status_code == 200, response.text
        read: dict[str, Any] = response.json()
        return read

    async def agent_message_after_failure(
        self, harness: Harness, oracle: Driver, words: str, **failure: Any
    ) -> list[Delivered]:
        """Take the conversation over, make the push fail as `failure` says, post `words`.

        What the platform received for the message, once everything has settled.
        """
        before, platform, method = await self.taken_over(harness, oracle)
        harness.fake.fail(platform, method, **failure)
        # What arrived is asserted, not when: the pause before sending again is cut.
        harness.pauses.cut()
        posted = await self.agent_api(harness, "messages", text=words, event_id="m-1")
        assert posted.status_code == 201, posted.text
        await harness.settle()
        return self.delivered(harness.fake)[before:]

    @pytest.mark.parametrize("status", [500, 502, 503])
    async def test_an_agents_message_is_never_lost_nor_doubled_through_a_5xx(
        self, harness: Harness, oracle: Driver, status: int
    ) -> None:
        words = "古いメールは従来のサーバーに残ります。"
        pushed = await self.agent_message_after_failure(
            harness, oracle, words, status=status, times=1
        )
        platform, method = self.push_call
        assert len(harness.fake.calls_to(platform, method, status=status)) == 1
        line = next(x for x in (await self.agent_read(harness))["transcript"] if x["text"] == words)
        if status in self.resent_after:
            # Sent again once the platform answered, and it arrived exactly once.
            assert [words in d.text for d in pushed] == [True]
            assert "delivery" not in line
            if "5xx" in self.paused_by_runtime:
                # After the back-off's first pause, asked of the runtime (and cut here).
                assert harness.pauses.asked == [RETRY_WAIT]
        else:
            # The platform may have it: not sent a second time, and the agent is told so.
            assert pushed == []
            assert line["delivery"] == "may_have_arrived"

    async def test_an_agents_message_the_platform_refuses_is_marked_not_delivered(
        self, harness: Harness, oracle: Driver
    ) -> None:
        words = "設定を確認いたします。"
        pushed = await self.agent_message_after_failure(harness, oracle, words, status=400)
        assert pushed == []
        platform, method = self.push_call
        # A refusal is final: sending the same message again would be refused again.
        assert len(harness.fake.calls_to(platform, method, status=400)) == 1
        read = await self.agent_read(harness)
        line = next(x for x in read["transcript"] if x["text"] == words)
        assert line.get("delivery") == "not_delivered", read["transcript"]
        # The id LINE gave the first question, noted once it was sent, may come after too.
        notes = [
            x
            for x in read["transcript"]
            if x["seq"] > line["seq"] and not x["text"].startswith("line asked: ")
        ]
        assert [x["author"] for x in notes] == ["system"], notes
        assert notes[0]["text"].startswith("not delivered: ")
        # The conversation stays the agent's: nothing else changed.
        assert read["holder"] == "agent"

    async def test_a_hand_back_greeting_the_platform_refuses_is_marked_not_delivered(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # A subscriber who blocked the bot (Telegram's 403), unfollowed it (LINE's 400), or
        # whose chat is gone: the greeting was stored as said, and no agent learnt that it
        # never arrived. It is marked under the greeting, counted, and not sent again.
        before, platform, method = await self.taken_over(harness, oracle)
        harness.fake.fail(platform, method, status=400)
        back = await self.agent_api(harness, "handback", agent="佐藤")
        assert back.status_code == 200, back.text
        await harness.settle()
        assert self.delivered(harness.fake)[before:] == []
        assert len(harness.fake.calls_to(platform, method, status=400)) == 1
        read = await self.agent_read(harness)
        greeting = next(
            x
            for x in reversed(read["transcript"])
            if x["author"] == "bot" and x["text"].startswith(GREETING)
        )
        notes = [x["note"] for x in read["transcript"] if "note" in x]
        assert [(n["type"], n["seq"], n["by"]) for n in notes] == [
            ("undelivered", greeting["seq"], "bot")
        ], read["transcript"]
        assert not notes[0]["may_have_arrived"]
        assert "delivery" not in greeting  # no resend button: the bot's words, not an agent's
        counted = harness.runtime.metrics.registry.get_sample_value(
            "mailmove_undelivered_bot_replies_total", {"channel": self.channel}
        )
        assert counted == 1

    async def test_a_turns_replies_the_platform_refuses_are_counted_by_cause(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # The answers to a subscriber's message, sent after the platform's webhook was
        # answered, were logged at ERROR when the platform refused them and counted nowhere:
        # no alert saw a channel whose every answer was refused (a revoked token, a message
        # the platform will not take). Counted now, one for each message not taken.
        oracle.start(locale="ja")
        for platform, method in self.turn_reply_calls():
            harness.fake.fail(platform, method, status=400, times=100)
        response = await harness.post(self.text_request("こんにちは", 1))
        assert response.status_code == 200, response.text
        await harness.settle()
        assert self.delivered(harness.fake) == []
        platform, method = self.push_call
        refused = len(harness.fake.calls_to(platform, method, status=400))
        assert refused >= 1

        def counted(cause: str) -> float | None:
            return harness.runtime.metrics.registry.get_sample_value(
                "mailmove_undelivered_turn_replies_total",
                {"channel": self.channel, "cause": cause},
            )

        assert counted("refused") == refused
        # The other causes are served at 0 from the start, for increase() to see the first.
        assert [counted(c) for c in ("unreachable", "quota", "may_have_arrived")] == [0, 0, 0]

    async def test_an_agents_message_held_by_a_429_when_the_server_stops_is_marked(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # The platform asks for a minute's wait; the server is stopped meanwhile (a deploy),
        # and its 30 s grace ends the send. The line was stored as said, never sent, and
        # nothing said so: the subscriber waited for an answer no agent knew was lost.
        words = "ただいま確認しております。"
        _, platform, method = await self.taken_over(harness, oracle)
        harness.fake.throttle(platform, method, times=1, retry_after=60)
        posted = await self.agent_api(harness, "messages", text=words, event_id="m-1")
        assert posted.status_code == 201, posted.text
        await harness.fake.wait_for(
            lambda: bool(harness.fake.calls_to(platform, method, status=429))
        )
        await harness.runtime.tasks.drain(grace=0.2)
        transcript = await harness.store.transcript(record_key(self.channel, self.conversation_key))
        (line,) = [x for x in transcript if x.author == "agent" and x.text == words]
        notes = [x.reply for x in transcript if (x.reply or {}).get("type") == "undelivered"]
        # Sent by nobody after the restart: the console offers to send it again.
        assert [(n or {}).get("seq") for n in notes] == [line.seq], transcript[-3:]

    async def test_a_hand_back_greeting_held_by_a_429_when_the_server_stops_is_marked(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # The bot's own words, sent in the background, cut off alike: marked, not lost.
        _, platform, method = await self.taken_over(harness, oracle)
        harness.fake.throttle(platform, method, times=1, retry_after=60)
        back = await self.agent_api(harness, "handback", agent="佐藤")
        assert back.status_code == 200, back.text
        await harness.fake.wait_for(
            lambda: bool(harness.fake.calls_to(platform, method, status=429))
        )
        await harness.runtime.tasks.drain(grace=0.2)
        transcript = await harness.store.transcript(record_key(self.channel, self.conversation_key))
        greeting = next(
            x for x in reversed(transcript) if x.author == "bot" and x.text.startswith(GREETING)
        )
        notes = [x.reply for x in transcript if (x.reply or {}).get("type") == "undelivered"]
        assert [((n or {}).get("seq"), (n or {}).get("by")) for n in notes] == [
            (greeting.seq, "bot")
        ]

    async def test_an_agents_close_asks_whether_it_was_solved_and_a_press_answers(
        self, harness: Harness, oracle: Driver, catalogs: Catalogs
    ) -> None:
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await self.take(harness)
        before = len(self.delivered(harness.fake))
        assert (await self.agent_api(harness, "close")).status_code == 200
        await harness.fake.wait_for(lambda: len(self.delivered(harness.fake)) > before)
        (asked,) = self.delivered(harness.fake)[before:]
        assert asked.text.endswith(catalogs.raw("ja", "feedback.question"))
        labels = [catalogs.raw("ja", f"feedback.{answer}") for answer in ("solved", "unsolved")]
        assert [b.label for b in asked.buttons] == [self.shown_label(x) for x in labels]
        assert tuple(self.choice_of(b) for b in asked.buttons) == feedback.CHOICES
        pressed = await harness.post(self.press_request(asked.buttons[0], 2))
        assert pressed.status_code == 200
        thanks = catalogs.raw("ja", "feedback.thanks_solved")
        await harness.fake.wait_for(
            lambda: any(d.text == thanks for d in self.delivered(harness.fake))
        )
        await harness.settle()
        day = dt.date(2008, 6, 1)
        figures = await collect(harness.store, day, day, "Asia/Tokyo")
        assert (figures.solved, figures.unsolved) == (1, 0)

    async def test_an_agent_taking_a_closed_conversation_again_is_said_to_the_subscriber(
        self, harness: Harness, oracle: Driver, catalogs: Catalogs
    ) -> None:
        # Following a closed case up is an agent's to do; the subscriber, last asked
        # 「解決しましたか？」, must learn on their own channel that a person has it now.
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        assert (await self.agent_api(harness, "close", agent="佐藤")).status_code == 200
        await harness.settle()
        before = len(self.delivered(harness.fake))
        assert (await self.agent_api(harness, "take", agent="佐藤")).status_code == 200
        told = catalogs.raw("ja", "feedback.reopened")
        await harness.fake.wait_for(
            lambda: any(d.text == told for d in self.delivered(harness.fake)[before:])
        )
        await harness.settle()
        assert [d.text for d in self.delivered(harness.fake)[before:]] == [told]
        read = await self.agent_read(harness)
        assert (read["owner"], read["holder"], read["agent"]) == ("agent", "agent", "佐藤")

    async def test_an_agents_words_of_every_shape_reach_the_subscriber_as_written(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # A link, line breaks and a blank line, full-width words, and the longest message
        # the agent API takes (4,000 characters): each arrives whole, once, in order.
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await self.take(harness)
        before = len(self.delivered(harness.fake))
        written = [
            "詳しくは https://www.117.ne.jp/support/smtp-auth.html?x=1&y=2 をご覧ください。",
            "1行目です。\n2行目です。\n\n空行の後の4行目です。",
            "ＳＭＴＰ認証を「オン」にしてください。ポート番号は５８７です。",
            "設定" * 2000,
        ]
        for n, words in enumerate(written):
            posted = await self.agent_api(harness, "messages", text=words, event_id=f"w-{n}")
            assert posted.status_code == 201, posted.text
        await harness.settle()
        pushed = "\n".join(d.text for d in self.delivered(harness.fake)[before:])
        for words in written[:3]:
            assert pushed.count(words) == 1, (words, pushed[:500])
        # A platform may cut the longest into parts; none of it is lost.
        assert pushed.replace("\n", "").count("設定" * 2000) == 1

    async def test_an_agent_takes_over_mid_question_and_hands_back_to_it(
        self, harness: Harness, oracle: Driver, catalogs: Catalogs
    ) -> None:
        # The whole desk cycle as a subscriber and an agent see it on this platform.
        oracle.start(locale="ja")
        hello = self.text_request("こんにちは", 1)
        first = await self.exchange(harness, hello, oracle.last.replies)
        oracle.press("yes")
        asked = await self.exchange(
            harness, self.press_request(self.button(first, "yes"), 2), oracle.last.replies
        )
        # Answered as this channel's desks allow (a handoff, or the contact and a message).
        assert (await harness.post(self.text_request("担当者と話したい", 3))).status_code == 200
        await harness.runtime.tasks.idle()
        await self.take(harness, told=None)
        before = len(self.delivered(harness.fake))
        words = "佐藤です。<b>確認</b>いたします & お待ちください。\n2行目です。"
        assert (await self.agent_api(harness, "messages", text=words)).status_code == 201
        await harness.fake.wait_for(lambda: len(self.delivered(harness.fake)) > before)
        # The subscriber answers the question still on their screen, then writes.
        assert (await harness.post(self.press_request(self.button(asked, "no"), 4))).status_code
        assert (await harness.post(self.text_request("パスワードを忘れました", 5))).status_code
        await harness.runtime.tasks.idle()
        (message,) = self.delivered(harness.fake)[before:]
        assert words in message.text  # as text: never markup, nothing dropped or escaped
        read = await self.agent_read(harness)
        said = [x for x in read["transcript"] if x["author"] == "subscriber"][-2:]
        # The agent reads what the subscriber saw on the button, not the choice's id.
        assert [x.get("label", x["text"]) for x in said] == ["いいえ", "パスワードを忘れました"]
        before = len(self.delivered(harness.fake))
        back = await self.agent_api(harness, "handback", agent="佐藤")
        assert back.status_code == 200
        await harness.fake.wait_for(lambda: len(self.delivered(harness.fake)) >= before + 2)
        await harness.settle()
        greeting, *after = self.delivered(harness.fake)[before:]
        assert greeting.text.startswith(GREETING)
        if self.presses_are_presses:
            # The press answered the question still on screen (the agent sees it among the
            # facts), and the bot goes on from it: the question was asked again, and the
            # subscriber had to answer it twice.
            assert read["answers"] == {"q1_mail_program": "yes", "q2_other_network": "no"}
            assert back.json()["stage"] != "q2_other_network"
            assert asked[-1].text not in [d.text for d in after]
        else:
            # Typed words the agent read: 「パスワードを忘れました」, which the agent left
            # unanswered, is answered with where to reach the desk (33f6c7a); then back at the
            # question the agent interrupted, with its buttons.
            assert read["answers"] == {"q1_mail_program": "yes"}
            *answer, question = after
            assert "「パスワードを忘れました」" in answer[0].text
            assert any("担当者へのお問い合わせは" in a.text for a in answer)
            assert question.text.endswith(asked[-1].text)
            assert [self.choice_of(b) for b in question.buttons] == [
                self.choice_of(b) for b in asked[-1].buttons
            ]
        refused = await self.agent_api(harness, "messages", text="まだいますか")
        assert refused.status_code == 409

    async def test_a_bad_signature_is_refused_and_leaves_nothing(
        self, harness: Harness, caplog: pytest.LogCaptureFixture
    ) -> None:
        before, calls = rejections(self.channel), len(harness.fake.calls)
        with caplog.at_level("WARNING", logger="bot.channels"):
            response = await harness.post(self.badly_signed(self.text_request("こんにちは", 1)))
        assert response.status_code in (401, 403)
        # A secret rotated at the platform and not here refuses every delivery: the line
        # names the setting to look at, not only forgeries.
        [said] = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
        assert f"{self.signature_setting} is not the platform's" in said
        await harness.settle()
        assert self.counter_delta(before) == {"signature": 1}
        assert await self.record(harness) is None
        assert await harness.store.list_records() == []
        # Not even a locale lookup: the request never reached a handler.
        assert harness.fake.calls[calls:] == []
        exposition = (await harness.client.get("/metrics")).text
        assert (
            f'mailmove_rejected_requests_total{{channel="{self.channel}",reason="signature"}} 1.0'
            in exposition
        )

    async def test_a_malformed_body_is_refused(self, harness: Harness) -> None:
        before = rejections(self.channel)
        response = await harness.post(self.malformed_request())
        assert response.status_code == 400
        await harness.settle()
        assert self.counter_delta(before) == {"malformed": 1}
        assert await harness.store.list_records() == []

    async def test_every_odd_signed_body_is_refused_with_400(self, harness: Harness) -> None:
        for request in self.odd_requests():
            response = await harness.post(request)
            assert response.status_code == 400, request.body
        await harness.settle()
        assert await harness.store.list_records() == []

    async def test_a_signed_body_with_a_key_twice_is_refused_with_400(
        self, harness: Harness
    ) -> None:
        # JSON leaves a repeated key's meaning open: the shape check and the SDK could each
        # read another value of one signed body.
        template = self.text_request("こんにちは", 1)
        first, value = next(iter(json.loads(template.body).items()))
        twice = f"{{{json.dumps(first)}: {json.dumps(value)}, ".encode() + template.body[1:]
        before = rejections(self.channel)
        response = await harness.post(self.resigned(template, twice))
        assert response.status_code == 400, response.text
        await harness.settle()
        assert self.counter_delta(before) == {"malformed": 1}
        assert await harness.store.list_records() == []

    async def test_a_signed_body_that_is_not_utf8_is_malformed_not_forged(
        self, harness: Harness, caplog: pytest.LogCaptureFixture
    ) -> None:
        # Signed as the platform signs (over the bytes), it is the platform's: a body that
        # cannot be decoded is malformed (400), and the log must not send the operator to
        # the secret, which is right.
        template = self.text_request("こんにちは", 1)
        undecodable = template.body[:-1] + b', "x": "\xff\xfe"}'
        before = rejections(self.channel)
        with caplog.at_level("WARNING", logger="bot.channels"):
            response = await harness.post(self.resigned(template, undecodable))
        assert response.status_code == 400, response.text
        said = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
        assert [line for line in said if "malformed body (not UTF-8)" in line], said
        assert not [line for line in said if self.signature_setting in line], said
        await harness.settle()
        assert self.counter_delta(before) == {"malformed": 1}
        assert await harness.store.list_records() == []

    async def test_a_signed_body_nested_too_deep_is_refused_with_400(
        self, harness: Harness
    ) -> None:
        # Python's json gives up past about 1,000 levels with a RecursionError, which is not
        # a ValueError: let through by a check, it would be a 500.
        template = self.text_request("こんにちは", 1)
        deep = b'{"a":' * 5000 + b"1" + b"}" * 5000
        before = rejections(self.channel)
        response = await harness.post(self.resigned(template, deep))
        assert response.status_code == 400, response.text
        await harness.settle()
        assert self.counter_delta(before) == {"malformed": 1}
        assert await harness.store.list_records() == []

    async def test_no_signed_body_of_any_shape_gets_a_5xx(self, harness: Harness) -> None:
        # Every field of a real message, in turn, missing or of every other JSON type:
        # what a platform's next version, or a bug in it, could send with a valid signature.
        template = self.text_request("こんにちは", 1)
        harness.pauses.cut()  # the answers are asserted, not when a reply was sent again
        answers: collections.Counter[int] = collections.Counter()
        for body in reshaped(json.loads(template.body)):
            response = await harness.post(self.resigned(template, json.dumps(body).encode()))
            answers[response.status_code] += 1
        await harness.settle()
        assert set(answers) <= {200, 400}, answers
        assert answers[400] > 0

    async def test_no_recorded_payload_of_any_shape_gets_a_5xx(
        self, unpaced: None, harness: Harness
    ) -> None:
        # Every recorded event (buttons, stickers, edits, membership changes, unknown kinds),
        # each field in turn missing or of every other JSON type, each a fresh event: a
        # 5xx makes the platform deliver the same body again and again. Over a thousand
        # events, each answered: the SDK's pacing of the replies is lifted (`unpaced`).
        harness.pauses.cut()  # the answers are asserted, not when a reply was sent again
        answers: collections.Counter[int] = collections.Counter()
        failures: list[str] = []
        n = 0
        for name in self.recorded_payloads():
            for body in reshaped(load_payload(self.channel, name), _FEW_ODD_VALUES):
                n += 1
                response = await harness.post(self.recorded_request(name, renumbered(body, n)))
                answers[response.status_code] += 1
                if response.status_code not in {200, 400}:
                    failures.append(f"{name}: {json.dumps(body)[:300]} → {response.status_code}")
        await harness.settle()
        assert failures == [], (answers, failures[:5])

    async def test_an_oversized_body_is_refused(self, harness: Harness) -> None:
        request = self.text_request("あ" * (self.max_body // 3 + 10), 1)
        assert len(request.body) > self.max_body
        response = await harness.post(request)
        assert response.status_code == 413
        await harness.settle()
        assert await harness.store.list_records() == []

    async def test_unknown_events_are_acknowledged_and_ignored(self, harness: Harness) -> None:
        for request in self.unknown_requests():
            response = await harness.post(request)
            assert response.status_code == 200, request.body
        await harness.settle()
        assert await harness.store.list_records() == []
        assert self.delivered(harness.fake) == []

    async def test_while_shutting_down_events_get_503_to_be_resent(self, harness: Harness) -> None:
        await harness.settle()  # what the server does first at shutdown
        response = await harness.post(self.text_request("こんにちは", 1))
        assert response.status_code == 503
        assert await harness.store.list_records() == []
        assert self.delivered(harness.fake) == []

    async def test_a_channel_without_credentials_stays_off(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        factory = available_factories()[self.channel]
        runtime = build_runtime(Settings(environ={}))
        with caplog.at_level("INFO"):
            assert factory(runtime) is None
        package = f"adapters.{self.channel}."
        lines = [r.getMessage() for r in caplog.records if r.name.startswith(package)]
        assert len(lines) == 1
        for variable in self.environ("http://127.0.0.1:1"):
            if variable.endswith(("_TOKEN", "_SECRET")) and "APP_TOKEN" not in variable:
                assert variable in lines[0]


class IdempotentPushContract(ChannelContract):
    """The contract for a platform where a push it took before answering 5xx is known.

    LINE drops a second push under the same retry key; Slack's conversation is read back
    for the message's id. Telegram and Chatwoot have neither, so they do not pass this.
    """

    async def test_an_agents_message_the_platform_took_before_a_5xx_arrives_once(
        self, harness: Harness, oracle: Driver
    ) -> None:
        words = "パスワードは変わりません。"
        pushed = await self.agent_message_after_failure(
            harness, oracle, words, status=500, times=1, accepted=True
        )
        assert [words in d.text for d in pushed] == [True]
        line = next(x for x in (await self.agent_read(harness))["transcript"] if x["text"] == words)
        assert "delivery" not in line


def answers_alike(after: DialogState, before: DialogState) -> bool:
    """Whether `after` is `before` but for which message was the subscriber's latest.

    An old question's button, or words quoting it, answer nothing; what they move is what
    「さっきのはパスワードです」 would withdraw next (`last_words`, `last_pressed`).
    """
    latest = dataclasses.replace(
        after, last_words=before.last_words, last_pressed=before.last_pressed
    )
    return latest == before


class OldButtonsContract(ChannelContract):
    """For a platform whose buttons stay on old messages (Slack, Telegram, LINE).

    A question answered by typing leaves its buttons on screen; pressed later, one would
    answer whatever is asked now (「いいえ」 to "do you use a mail program?" taken as "no"
    to the next question). Each button names its question, and such a press changes
    nothing and says so.
    """

    def notes(self, fake: FakePlatformAPI) -> list[str]:
        """Every text the subscriber was shown, in order (a notice over the chat too)."""
        return [d.text for d in self.delivered(fake)]

    def marked_answers(self, fake: FakePlatformAPI) -> list[str]:
        """The answers pressed messages were marked with (「✓ いいえ」), where the platform can."""
        return []

    async def test_a_button_of_a_question_answered_since_changes_nothing_and_says_so(
        self, harness: Harness, oracle: Driver
    ) -> None:
        oracle.start(locale="ja")
        first = await self.exchange(
            harness, self.text_request("こんにちは", 1), oracle.last.replies
        )
        oracle.type("はい")
        await self.exchange(harness, self.text_request("はい", 2), oracle.last.replies)
        record = await self.record(harness)
        shown = len(self.notes(harness.fake))
        old = self.press_request(self.button(first, "no"), 3)
        assert (await harness.post(old)).status_code == 200
        await harness.runtime.tasks.idle()
        after = await self.record(harness)
        assert record is not None
        assert after is not None
        # The question open now is not answered.
        assert answers_alike(after.dialog, record.dialog)
        note = harness.runtime.catalogs("ja", "button.answered_before")
        assert self.notes(harness.fake)[shown:] == [note]
        # The question on screen still takes its answer.
        oracle.type("いいえ")
        await self.exchange(harness, self.text_request("いいえ", 4), oracle.last.replies)

    async def test_a_button_of_a_conversation_no_longer_kept_says_so_and_starts_again(
        self, harness: Harness, oracle: Driver, profile: MigrationProfile, catalogs: Catalogs
    ) -> None:
        # Pressed after the retention removed its conversation, a button was greeted as if
        # nothing had been pressed: the subscriber's answer seemed ignored (channels2).
        oracle.start(locale="ja")
        first = await self.exchange(
            harness, self.text_request("こんにちは", 1), oracle.last.replies
        )
        assert await harness.store.expire(dt.datetime.now(dt.UTC) + dt.timedelta(days=1)) == 1
        shown = len(self.notes(harness.fake))
        old = self.press_request(self.button(first, "no"), 2)
        assert (await harness.post(old)).status_code == 200
        await harness.runtime.tasks.idle()
        record = await self.record(harness)
        assert record is not None
        assert record.dialog.stage is Stage.Q1_MAIL_PROGRAM
        assert record.dialog.answers == {}
        locale = record.dialog.locale
        notice = harness.runtime.catalogs(locale, "earlier_ended.restarted")
        assert self.notes(harness.fake)[shown] == notice
        # The old message loses its buttons without 「✓ いいえ」: the press answered nothing.
        assert self.marked_answers(harness.fake) == []
        # Then the greeting and the first question, as a new conversation's.
        greeted = Driver(profile, catalogs)
        greeted.start(locale=locale)
        got = self.delivered(harness.fake)[shown:]
        for delivered, reply in zip(got[1:], greeted.last.replies, strict=True):
            self.assert_rendered(delivered, reply)

    async def test_a_pushed_question_answered_since_changes_nothing_and_says_so(
        self, harness: Harness, oracle: Driver
    ) -> None:
        # A hand-back asks the interrupted question again, pushed; answered by typing, its
        # buttons are old too.
        oracle.start(locale="ja")
        await self.exchange(harness, self.text_request("こんにちは", 1), oracle.last.replies)
        await self.take(harness)
        before = len(self.delivered(harness.fake))
        assert (await self.agent_api(harness, "handback", agent="佐藤")).status_code == 200
        await harness.fake.wait_for(lambda: len(self.delivered(harness.fake)) >= before + 2)
        pushed = self.delivered(harness.fake)[before + 1]
        assert pushed.buttons
        assert (await harness.post(self.text_request("はい", 2))).status_code == 200
        await harness.runtime.tasks.idle()
        record = await self.record(harness)
        shown = len(self.notes(harness.fake))
        old = self.press_request(self.button([pushed], "no"), 3)
        assert (await harness.post(old)).status_code == 200
        await harness.runtime.tasks.idle()
        after = await self.record(harness)
        assert record is not None
        assert after is not None
        assert answers_alike(after.dialog, record.dialog)
        note = harness.runtime.catalogs("ja", "button.answered_before")
        assert self.notes(harness.fake)[shown:] == [note]
