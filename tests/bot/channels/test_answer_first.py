"""The webhook life cycle every platform shares, on a small app of its own and a real store."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.channels.answer_first import (
    LONGEST_RETRY_AFTER,
    REJECTIONS,
    AnswerFirst,
    LocaleLookup,
    retry_after_seconds,
    send_once,
)
from bot.channels.choice_codes import choice_code
from bot.engine import TurnOutcome
from bot.ops.settings import Settings
from bot.runtime import Runtime, build_runtime
from bot.store.conversation_store import StoreUnavailableError
from dialogs.vocabulary import Inbound, Locale, TextReply
from testbed.clock import fixed_clock

CHANNEL = "testchannel"
SECRET = "let-me-in"


@pytest.fixture
async def runtime() -> AsyncIterator[Runtime]:
    runtime = build_runtime(Settings(store_url="sqlite://:memory:"), clock=fixed_clock())
    await runtime.engine.store.open()
    try:
        yield runtime
    finally:
        await runtime.tasks.drain()
        await runtime.engine.store.close()


def inbound(n: int, *, text: str | None = "こんにちは", choice: str | None = None) -> Inbound:
    return Inbound(
        channel=CHANNEL,
        conversation_key="c1",
        event_id=f"{CHANNEL}:{n}",
        text=None if choice else text,
        choice=choice,
    )


# -- verify and parse -----------------------------------------------------------------------


def webhook_app(life: AnswerFirst, refusal: Any = None) -> Starlette:
    """A webhook as an adapter composes it: verified, parsed, then its own work."""

    def authentic(request: Request, body: bytes) -> bool:
        return request.headers.get("x-secret") == SECRET and bool(body)

    def parse(body: bytes) -> dict[str, Any]:
        data = orjson.loads(body)
        if not isinstance(data, dict):
            raise ValueError("not an object")
        return data

    async def hook(request: Request) -> Response:
        body = await life.verified(request, authentic, reason="secret", refusal=refusal)
        if isinstance(body, Response):
            return body
        data = life.parsed(body, parse)
        if isinstance(data, Response):
            return data
        return JSONResponse({"got": data})

    return Starlette(routes=[Route("/hook", hook, methods=["POST"])])


async def post(app: Starlette, body: bytes, secret: str = SECRET) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as client:
        return await client.post("/hook", content=body, headers={"x-secret": secret})


def refused(runtime: Runtime, reason: str) -> float:
    value = runtime.metrics.registry.get_sample_value(
        "mailmove_rejected_requests_total", {"channel": CHANNEL, "reason": reason}
    )
    return value or 0.0


async def test_a_request_from_the_platform_is_parsed(runtime: Runtime) -> None:
    response = await post(webhook_app(AnswerFirst(runtime, CHANNEL)), b'{"a": 1}')
    assert (response.status_code, response.json()) == (200, {"got": {"a": 1}})


async def test_a_forged_request_gets_401_and_is_counted_under_its_reason(
    runtime: Runtime,
) -> None:
    before = REJECTIONS[CHANNEL, "secret"]
    with runtime.metrics.current():
        response = await post(webhook_app(AnswerFirst(runtime, CHANNEL)), b"{}", secret="guess")
    assert (response.status_code, response.json()) == (401, {"error": "invalid secret"})
    assert REJECTIONS[CHANNEL, "secret"] == before + 1
    assert refused(runtime, "secret") == 1


async def test_forgeries_are_said_once_a_minute_not_once_each(
    runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    # Each forged or malformed request was a warning of its own: whoever sends them at a
    # webhook writes the replica's log. Each is counted; the log says how many, once.
    app = webhook_app(AnswerFirst(runtime, CHANNEL))
    with caplog.at_level(logging.INFO, logger="bot.channels"):
        for _ in range(5):
            assert (await post(app, b"{}", secret="guess")).status_code == 401
            assert (await post(app, b"[1]")).status_code == 400
    assert [r.getMessage() for r in caplog.records] == [
        f"{CHANNEL} request refused: bad or missing secret (1 request(s))",
        f"{CHANNEL} request refused: malformed body (1 request(s))",
    ]


async def test_a_channel_can_refuse_a_forgery_with_its_own_answer(runtime: Runtime) -> None:
    app = webhook_app(
        AnswerFirst(runtime, CHANNEL), refusal=lambda: PlainTextResponse("Not Found", 404)
    )
    response = await post(app, b"{}", secret="guess")
    assert (response.status_code, response.text) == (404, "Not Found")


@pytest.mark.parametrize("body", [b"{", b"[1]", "\udcff".encode("utf-8", "surrogatepass")])
async def test_a_body_that_is_no_event_gets_400_and_is_counted(
    runtime: Runtime, body: bytes
) -> None:
    before = REJECTIONS[CHANNEL, "malformed"]
    with runtime.metrics.current():
        response = await post(webhook_app(AnswerFirst(runtime, CHANNEL)), body)
    assert response.status_code == 400
    assert REJECTIONS[CHANNEL, "malformed"] == before + 1
    assert refused(runtime, "malformed") == 1


async def test_while_draining_everything_gets_503_before_it_is_read(runtime: Runtime) -> None:
    life = AnswerFirst(runtime, CHANNEL)
    await runtime.tasks.drain()
    assert not life.accepting
    before = dict(REJECTIONS)
    for secret in (SECRET, "guess"):
        response = await post(webhook_app(life), b"{}", secret=secret)
        assert response.status_code == 503
    assert dict(REJECTIONS) == before


# -- store, then deliver --------------------------------------------------------------------


class Platform:
    """An adapter's side of `take`: what it stored, and what it delivered, in order."""

    def __init__(self, life: AnswerFirst, *, fail_on: int | None = None) -> None:
        self.life = life
        self.fail_on = fail_on
        self.delivered: list[tuple[str, int]] = []
        self.repeated: list[str] = []
        self.stored = 0

    async def store(self, turn: Inbound) -> TurnOutcome:
        self.stored += 1
        if self.stored == self.fail_on:
            raise StoreUnavailableError("down for the test")
        return await self.life.store(turn)

    async def deliver(self, turn: Inbound, outcome: TurnOutcome) -> None:
        # A slow first send must not let the second turn's replies overtake it.
        await asyncio.sleep(0)
        self.delivered.append((turn.event_id, len(outcome.replies)))

    async def again(self, turn: Inbound) -> None:
        self.repeated.append(turn.event_id)


async def test_turns_are_stored_now_and_delivered_later_in_order(runtime: Runtime) -> None:
    platform = Platform(AnswerFirst(runtime, CHANNEL))
    turns = [inbound(1), inbound(2, text="はい")]
    await platform.life.take(turns, platform.store, platform.deliver, name="delivery 1")
    assert platform.stored == 2
    assert platform.delivered == []  # nothing is sent before the platform is answered
    await runtime.tasks.idle()
    assert [event for event, _ in platform.delivered] == [f"{CHANNEL}:1", f"{CHANNEL}:2"]
    assert all(count > 0 for _, count in platform.delivered)


async def test_a_repeated_turn_is_not_delivered_again(runtime: Runtime) -> None:
    platform = Platform(AnswerFirst(runtime, CHANNEL))
    await platform.life.take([inbound(1)], platform.store, platform.deliver, name="first")
    await platform.life.take([inbound(1)], platform.store, platform.deliver, name="again")
    await runtime.tasks.idle()
    assert [event for event, _ in platform.delivered] == [f"{CHANNEL}:1"]
    # Only what a repeat still needs (Telegram's spinner) runs for it.
    await platform.life.take(
        [inbound(1)], platform.store, platform.deliver, name="third", repeated=platform.again
    )
    await runtime.tasks.idle()
    assert platform.repeated == [f"{CHANNEL}:1"]
    assert len(platform.delivered) == 1


async def test_turns_stored_before_a_store_failure_are_delivered_all_the_same(
    runtime: Runtime,
) -> None:
    platform = Platform(AnswerFirst(runtime, CHANNEL), fail_on=2)
    turns = [inbound(1), inbound(2, text="はい")]
    with pytest.raises(StoreUnavailableError):
        await platform.life.take(turns, platform.store, platform.deliver, name="delivery")
    await runtime.tasks.idle()
    assert [event for event, _ in platform.delivered] == [f"{CHANNEL}:1"]


async def test_turns_whose_delivery_is_cancelled_before_it_starts_hold_nothing_up(
    runtime: Runtime,
) -> None:
    platform = Platform(AnswerFirst(runtime, CHANNEL))
    await platform.life.take([inbound(1)], platform.store, platform.deliver, name="cut short")
    # A server shutting down cancels the delivery before its first step.
    (task,) = (t for t in asyncio.all_tasks() if t.get_name() == "cut short")
    task.cancel()
    record = await runtime.engine.store.load(f"{CHANNEL}:c1")
    assert record is not None
    sent: list[str] = []

    class Channel:
        name = CHANNEL

        async def push(self, conversation_key: str, replies: object) -> None:
            sent.append(conversation_key)

    runtime.delivery.register(Channel())
    # The next words for the conversation are not held up by the places never used.
    await asyncio.wait_for(runtime.delivery.push(CHANNEL, "c1", [TextReply("next")]), 5)
    assert task.cancelled()
    assert sent == ["c1"]


async def test_a_hashed_code_becomes_the_choice_the_dialog_offered(runtime: Runtime) -> None:
    life = AnswerFirst(runtime, CHANNEL)
    first = await life.store(inbound(1))
    assert first.record is not None
    offered = first.record.dialog.offered
    assert "yes" in offered
    # As a platform with little room for a payload would carry it.
    code = choice_code("yes", 64, reserved="y")
    assert code != "yes"
    pressed = await life.pressed(inbound(2, choice=code))
    assert pressed.choice == "yes"


async def test_a_stale_code_reads_as_its_label_or_stays(runtime: Runtime) -> None:
    life = AnswerFirst(runtime, CHANNEL)
    await life.store(inbound(1))
    stale = "#" + "A" * 22
    with_label = await life.pressed(inbound(2, choice=stale), label="はい")
    assert (with_label.choice, with_label.text) == (None, "はい")
    assert (await life.pressed(inbound(3, choice=stale))).choice == stale
    # A code that is no hash costs no read: it is the choice id.
    assert (await life.pressed(inbound(4, choice="yes"))).choice == "yes"


async def test_the_senders_language_comes_from_the_lookup(runtime: Runtime) -> None:
    async def english(_: str) -> Locale | None:
        return "en"

    life = AnswerFirst(runtime, CHANNEL, locales=LocaleLookup(english))
    outcome = await life.store(inbound(1), user="U1")
    assert outcome.record is not None
    assert outcome.record.dialog.locale == "en"


# -- the sender's language ------------------------------------------------------------------


class Profiles:
    """A platform's profile API: answers, refusals and silences, counted."""

    def __init__(self, answers: dict[str, Locale | None]) -> None:
        self.answers = answers
        self.asked: list[str] = []
        self.down = False
        self.slow = asyncio.Event()

    async def fetch(self, user: str) -> Locale | None:
        self.asked.append(user)
        if self.down:
            raise ConnectionError("unreachable")
        if user == "slow":
            await self.slow.wait()
        return self.answers.get(user)


async def test_each_user_is_asked_once_and_a_platform_without_an_answer_is_remembered() -> None:
    profiles = Profiles({"a": "en", "b": None})
    lookup = LocaleLookup(profiles.fetch)
    assert [await lookup(u) for u in ("a", "b", "a", "b")] == ["en", None, "en", None]
    assert profiles.asked == ["a", "b"]


async def test_an_unanswered_or_slow_lookup_is_asked_again_next_time() -> None:
    profiles = Profiles({"a": "en"})
    lookup = LocaleLookup(profiles.fetch, transient=(ConnectionError,), timeout=0.01)
    profiles.down = True
    assert await lookup("a") is None
    profiles.down = False
    assert await lookup("a") == "en"
    assert await lookup("slow") is None  # timed out
    profiles.slow.set()
    assert await lookup("slow") is None  # answered, with no language
    assert profiles.asked == ["a", "a", "slow", "slow"]


async def test_the_oldest_user_is_forgotten_when_full() -> None:
    profiles = Profiles({"a": "ja", "b": "en", "c": "en"})
    lookup = LocaleLookup(profiles.fetch, size=2)
    for user in ("a", "b", "c", "b", "a"):
        await lookup(user)
    assert profiles.asked == ["a", "b", "c", "a"]
    with pytest.raises(ValueError, match="at least 1"):
        LocaleLookup(profiles.fetch, size=0)


# -- sending once ---------------------------------------------------------------------------


class ThrottledError(Exception):
    """A 429: refused, so not sent."""

    def __init__(self, retry_after: float | None = None) -> None:
        super().__init__("429")
        self.retry_after = retry_after


class Sender:
    """Fails as told, then succeeds; records every attempt."""

    def __init__(self, *failures: Exception) -> None:
        self.failures = list(failures)
        self.attempts = 0

    async def __call__(self) -> str:
        self.attempts += 1
        if self.failures:
            raise self.failures.pop(0)
        return "sent"


def throttled(err: BaseException) -> bool:
    return isinstance(err, ThrottledError)


def said(err: BaseException) -> float | None:
    return err.retry_after if isinstance(err, ThrottledError) else None


async def test_what_was_refused_is_sent_again_after_the_pause_it_asked_for() -> None:
    sender = Sender(ThrottledError(0.0), ThrottledError(-5.0))
    result = await send_once(sender, resend=throttled, retry_after=said, wait=0.0)
    assert (result, sender.attempts) == ("sent", 3)


async def test_what_may_have_arrived_is_not_sent_again() -> None:
    sender = Sender(ConnectionResetError("after the request went out"))
    with pytest.raises(ConnectionResetError):
        await send_once(sender, resend=throttled, wait=0.0)
    assert sender.attempts == 1


async def test_after_its_retries_the_last_refusal_is_raised() -> None:
    sender = Sender(*(ThrottledError(0.0) for _ in range(5)))
    with pytest.raises(ThrottledError):
        await send_once(sender, resend=throttled, retry_after=said, retries=2, wait=0.0)
    assert sender.attempts == 3


async def test_the_pause_is_the_one_asked_for_else_doubling_up_to_its_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pauses: list[float] = []
    pause = asyncio.sleep

    async def recorded(seconds: float) -> None:
        pauses.append(seconds)
        await pause(0)

    monkeypatch.setattr(asyncio, "sleep", recorded)
    sender = Sender(
        *(ThrottledError() for _ in range(4)), ThrottledError(7.0), ThrottledError(99.0)
    )
    await send_once(sender, resend=throttled, retry_after=said, retries=6, wait=1.0, max_wait=5.0)
    assert pauses == [1.0, 2.0, 4.0, 5.0, 5.0, 5.0]


async def test_a_pause_said_as_no_number_is_no_pause_and_an_endless_one_its_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A Retry-After read as NaN waited for ever: asyncio.sleep(nan) never returns, and the
    # conversation's later replies queued behind it.
    pauses: list[float] = []
    pause = asyncio.sleep

    async def recorded(seconds: float) -> None:
        pauses.append(seconds)
        await pause(0)

    monkeypatch.setattr(asyncio, "sleep", recorded)
    sender = Sender(ThrottledError(float("nan")), ThrottledError(float("inf")))
    result = await send_once(sender, resend=throttled, retry_after=said, wait=1.0, max_wait=5.0)
    assert (result, pauses) == ("sent", [1.0, 5.0])


# -- reading Retry-After --------------------------------------------------------------------

NOW = dt.datetime(2026, 6, 20, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("7", 7.0),
        (" 0 ", 0.0),
        ("120", 120.0),
        # RFC 9110's three date forms (5.6.7), 30 s after NOW; asctime's names no zone: GMT.
        ("Sat, 20 Jun 2026 09:00:30 GMT", 30.0),
        ("Saturday, 20-Jun-26 09:00:30 GMT", 30.0),
        ("Sat Jun 20 09:00:30 2026", 30.0),
        ("Sat, 20 Jun 2026 18:00:30 +0900", 30.0),
        ("Sat, 20 Jun 2026 08:00:00 GMT", 0.0),  # gone by: send again now
        ("99999999", LONGEST_RETRY_AFTER),
        ("9" * 5000, LONGEST_RETRY_AFTER),  # past int()'s 4,300 digits and float()'s range
        ("Fri, 31 Dec 9999 23:59:59 GMT", LONGEST_RETRY_AFTER),
        # Not delay-seconds (digits only) nor a date: send_once's own doubling pause.
        ("-5", None),
        ("1.5", None),
        ("nan", None),
        ("inf", None),
        ("Infinity", None),
        ("1e3", None),
        ("\u0662", None),  # a digit, but not ASCII's
        ("soon", None),
        ("", None),
        ("Sat, 32 Jun 2026 09:00:30 GMT", None),
        ("Sat, 20 Jun 99999 09:00:30 GMT", None),
    ],
)
def test_retry_after_is_read_in_both_forms_and_nothing_else(
    value: str, seconds: float | None
) -> None:
    assert retry_after_seconds({"Retry-After": value}, NOW) == seconds


def test_a_retry_after_date_is_measured_from_the_answer_s_own_date() -> None:
    # The platform's clock wrote both: ours, an hour off, misreads nothing.
    headers = {
        "Retry-After": "Sat, 20 Jun 2026 10:00:05 GMT",
        "Date": "Sat, 20 Jun 2026 10:00:00 GMT",
    }
    assert retry_after_seconds(headers, NOW) == 5.0
    # An unreadable Date is no Date: measured from now.
    headers["Date"] = "yesterday"
    assert retry_after_seconds(headers, NOW) == 3605.0


def test_no_retry_after_is_no_pause_said() -> None:
    assert retry_after_seconds(None, NOW) is None
    assert retry_after_seconds({}, NOW) is None
    assert retry_after_seconds({"Date": "Sat, 20 Jun 2026 10:00:00 GMT"}, NOW) is None
