"""A request still running when the drain's grace runs out is answered 503, not 500.

uvicorn cancels the requests still running after `timeout_graceful_shutdown` (20 s). A turn
waiting on a Redis that stopped answering (each call waits out its socket timeout, and the
conversation's later turns queue behind it) was cut there: the client got 500, and the log an
ERROR "Exception in ASGI application" with a CancelledError traceback (measured: Redis paused
with SIGSTOP, five messages to one conversation, SIGTERM; the fifth, 21 s in). 503 with
Retry-After is what every platform and the web chat page send again.
"""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from starlette.types import Message, Receive, Scope, Send

from bot.ops.metrics import Metrics
from bot.store.sqlite_store import SQLiteStore
from bot.web.gate import Draining, RequestGate, StoreRefusals


def _scope(method: str) -> Scope:
    return {
        "type": "http",
        "method": method,
        "path": "/api/webchat/conversations/c/messages",
        "headers": [],
        "query_string": b"",
    }


async def _receive() -> Message:
    return {"type": "http.request", "body": b"{}", "more_body": False}


async def _stuck_turn(
    entered: asyncio.Event, *, answer_first: bool
) -> tuple[RequestGate, Draining, list[Message], asyncio.Task[None]]:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if answer_first:
            await send({"type": "http.response.start", "status": 200, "headers": []})
        entered.set()
        await asyncio.Event().wait()  # a store that never answers

    metrics = Metrics()
    draining = Draining()
    gate = RequestGate(
        app,
        metrics=metrics,
        draining=draining,
        store=SQLiteStore(":memory:"),
        refusals=StoreRefusals(metrics),
    )
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    task = asyncio.create_task(gate(_scope("POST"), _receive, send))
    await entered.wait()
    return gate, draining, sent, task


async def test_a_turn_cut_at_the_end_of_the_drain_is_answered_503(
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, draining, sent, task = await _stuck_turn(asyncio.Event(), answer_first=False)
    draining.begin()
    with caplog.at_level(logging.WARNING, logger="bot.web.gate"):
        task.cancel(msg="Task cancelled, timeout graceful shutdown exceeded")
        await task  # finished, not cancelled: uvicorn logs no traceback and sends no 500
        await asyncio.sleep(0)  # the line is said once every cut request has counted
    start, body = sent
    assert start["status"] == 503
    assert (b"retry-after", b"1") in start["headers"]
    assert json.loads(body["body"]) == {"error": "this replica is shutting down; retry"}
    assert [r.getMessage() for r in caplog.records] == [
        "Answered 503 to 1 request(s) still running when the shutdown grace ran out;"
        " platforms and the web chat page send them again"
    ]


async def test_a_cancelled_request_whose_answer_had_started_stays_cancelled() -> None:
    _, draining, sent, task = await _stuck_turn(asyncio.Event(), answer_first=True)
    draining.begin()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert [m["status"] for m in sent] == [200]


async def test_a_cancellation_outside_a_drain_stays_a_cancellation() -> None:
    _, _, sent, task = await _stuck_turn(asyncio.Event(), answer_first=False)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert sent == []
