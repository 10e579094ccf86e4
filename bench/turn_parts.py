"""Where a web chat turn's CPU goes: its parts measured one by one, in one process.

`make bench` measures the whole server over HTTP; this takes a turn apart, calling the
shipped app's ASGI interface directly (no sockets, no uvicorn), so each figure is the CPU
time (`time.process_time`, every thread of the process) per turn of:

- `echo`: the bare Starlette echo of `make bench` (its app only);
- `http_stack`: the shipped app's middleware and routing up to a message for a malformed
  conversation id, refused before the engine: what every request pays before a turn;
- `no_op_turn`: a message to a conversation that does not exist: body parsing, the engine,
  one store read, the turn's log line and metrics, the 404;
- `dialog_step`: `dialogs.conversation.step` alone over the questionnaire of `make bench`;
- `store_turn`: `SQLiteStore.transact` alone, writing what those steps wrote (record,
  transcript lines), 50 conversations at a time so that commits are shared as in the server;
- `whole_turn`: the shipped app over the same questionnaire, 50 subscribers at a time, each
  conversation typing an address of its own as under `make bench`, its JSON log written to a
  file as under `mailmove serve`.

The parts overlap (a whole turn contains one of each), so they do not add up exactly;
what they show is the floor each part puts under a turn.

Run: `python -m bench.turn_parts [--rounds 10]`.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import itertools
import json
import tempfile
import time
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any, Final

from starlette.types import ASGIApp

from bench.serve import echo_app
from bench.webchat_throughput import SCRIPT, TYPED_ADDRESS
from bot.engine import Engine
from bot.ops.logging_setup import configure_logging, stop_logging
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import (
    Change,
    ConversationRecord,
    Owner,
    TranscriptEntry,
    Update,
)
from bot.store.sqlite_store import SQLiteStore
from dialogs.conversation import step
from dialogs.state import DialogState
from dialogs.vocabulary import Inbound, reply_as_plain_text, reply_to_dict

USERS: Final = 50
UNLIMITED: Final = 10**9
MESSAGES: Final = "/api/webchat/conversations/{}/messages"
# Each conversation types an address of its own, as make bench's do (1808a6e): one address
# typed by all made what is worked out per address (its facts, the card's values) look free.
_SUBSCRIBERS: Final = itertools.count(1)


async def call(app: ASGIApp, method: str, path: str, body: object) -> tuple[int, bytes]:
    """One HTTP request to `app` through its ASGI interface; the status and body."""
    raw = json.dumps(body).encode()
    scope: MutableMapping[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(raw)).encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
        "state": {},
    }
    delivered = False
    status = 0
    chunks: list[bytes] = []

    async def receive() -> MutableMapping[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": raw, "more_body": False}
        await asyncio.Event().wait()  # the client never disconnects
        raise AssertionError("unreachable")

    async def send(message: MutableMapping[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


def cpu_per(count: int, run: Callable[[], object]) -> float:
    """CPU microseconds per unit of `run()`, which does `count` units."""
    started = time.process_time()
    run()
    return (time.process_time() - started) * 1e6 / count


async def acpu_per(count: int, run: Callable[[], Awaitable[object]]) -> float:
    """`cpu_per` for a coroutine."""
    started = time.process_time()
    await run()
    return (time.process_time() - started) * 1e6 / count


async def subscriber(app: ASGIApp, rounds: int) -> int:
    """Walk the questionnaire `rounds` times over the API; the number of messages sent."""
    sent = 0
    for _ in range(rounds):
        status, body = await call(app, "POST", "/api/webchat/conversations", {})
        if status != 201:
            raise RuntimeError(f"create answered {status}")
        path = MESSAGES.format(json.loads(body)["conversation_id"])
        own = {"text": TYPED_ADDRESS.replace("@", f"{next(_SUBSCRIBERS)}@")}
        for message in SCRIPT:
            message = own if message.get("text") == TYPED_ADDRESS else message
            status, _ = await call(app, "POST", path, message)
            if status != 200:
                raise RuntimeError(f"message answered {status}")
            sent += 1
    return sent


def _inbound(message: dict[str, str]) -> Inbound:
    return Inbound(
        channel="webchat",
        conversation_key="c",
        event_id="e",
        text=message.get("text"),
        choice=message.get("choice"),
    )


def walks(engine: Engine) -> list[Change[None]]:
    """What the questionnaire's turns store: each step's record and transcript lines."""
    context = engine.context("webchat")
    now = dt.datetime.now(dt.UTC)
    state = DialogState()
    changes: list[Change[None]] = []
    inbounds = [Inbound(channel="webchat", conversation_key="c", event_id="e", start=True)]
    inbounds += [_inbound(message) for message in SCRIPT]
    for inbound in inbounds:
        result = step(state, inbound, context)
        state = result.state
        record = ConversationRecord("c", "webchat", Owner.BOT, state, now, now)
        lines = [TranscriptEntry(now, "subscriber", inbound.text or f"[{inbound.choice}]")]
        lines += [
            TranscriptEntry(now, "bot", reply_as_plain_text(reply), reply_to_dict(reply))
            for reply in result.replies
        ]
        changes.append(Change(record, lines, None))
    return changes


async def store_turns(folder: Path, changes: list[Change[None]], rounds: int) -> float:
    """CPU per `SQLiteStore.transact`, 50 conversations writing at a time."""
    store = SQLiteStore(folder / "parts.sqlite3")
    await store.open()

    async def writer(number: int) -> None:
        for round_ in range(rounds):
            key = f"webchat:{number:08x}{round_:024x}"
            for turn, change in enumerate(changes):
                await store.transact(key, f"{key}:{turn}", _writes(key, change))

    try:
        count = USERS * rounds * len(changes)
        return await acpu_per(count, lambda: asyncio.gather(*map(writer, range(USERS))))
    finally:
        await store.close()


def _writes(key: str, change: Change[None]) -> Update[None]:
    """An update that writes `change` as conversation `key`'s."""
    record = dataclasses.replace(change.record, key=key)
    stored = Change(record, change.transcript, None)
    return lambda _: stored


async def measure(rounds: int) -> dict[str, float]:
    """Every part's CPU microseconds per turn."""
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        with (Path(folder) / "server.log").open("w") as log:
            configure_logging("json", stream=log)
            settings = Settings(
                store_url=f"sqlite:///{folder}/store/mailmove.sqlite3",
                webchat_conversation_limit=UNLIMITED,
                webchat_message_limit=UNLIMITED,
                webchat_read_limit=UNLIMITED,
            )
            app = build_app(settings)
            async with app.router.lifespan_context(app):
                count = USERS * rounds * len(SCRIPT)
                await asyncio.gather(*(subscriber(app, 1) for _ in range(USERS)))  # warm
                figures["whole_turn"] = await acpu_per(
                    count, lambda: asyncio.gather(*(subscriber(app, rounds) for _ in range(USERS)))
                )
                body = {"choice": "yes"}
                figures["http_stack"] = await _repeat(app, MESSAGES.format("-"), body, count)
                missing = MESSAGES.format("0" * 32)
                figures["no_op_turn"] = await _repeat(app, missing, body, count)
                engine: Engine = app.state.runtime.engine
                changes = walks(engine)
                context = engine.context("webchat")
                inbounds = [_inbound(message) for message in SCRIPT]

                def steps() -> None:
                    for _ in range(rounds * USERS // 5):
                        state = DialogState()
                        for inbound in inbounds:
                            state = step(state, inbound, context).state

                figures["dialog_step"] = cpu_per(rounds * USERS // 5 * len(SCRIPT), steps)
            stop_logging()
        figures["store_turn"] = await store_turns(Path(folder), changes, max(1, rounds // 2))
        figures["echo"] = await _repeat(echo_app(), MESSAGES.format("0" * 32), body, count)
    return figures


async def _repeat(app: ASGIApp, path: str, body: object, count: int) -> float:
    async def run() -> None:
        for _ in range(count):
            await call(app, "POST", path, body)

    for _ in range(100):
        await call(app, "POST", path, body)  # warm
    return await acpu_per(count, run)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="questionnaires per subscriber")
    args = parser.parse_args()
    figures = asyncio.run(measure(args.rounds))
    whole = figures["whole_turn"]
    print(f"{'part':<14}{'CPU µs per turn':>16}{'of a whole turn':>17}")
    for name in ("echo", "http_stack", "no_op_turn", "dialog_step", "store_turn", "whole_turn"):
        print(f"{name:<14}{figures[name]:>16.0f}{figures[name] / whole:>16.0%}")


if __name__ == "__main__":
    main()
