"""What one read costs against the length of a conversation, on SQLite and on Redis.

A conversation of `--lengths` lines (a subscriber and an agent taking turns, the handoff
and the agent's take-over at its start) is written straight into each store; then, per length:
- the web chat's poll of a conversation an agent holds (GET …/messages?after=newest),
  through the real app: CPU seconds, transcript lines and bytes read per poll;
- the agent API's read of the conversation (whole, and as the console polls it while
  nothing changed: `If-None-Match`, 304) and its list (the console polls both), through
  the app;
- a whole-transcript read (the desk's summary, an agent's message, take, hand-back, close),
  a read back to the latest agent line (`lines_back_to`), and the store's search for the
  latest note (`latest_line`: a Slack DM's place, the desk's thread, the
  Chatwoot mirror) when the note is the first line and when there is none.
Redis runs on 127.0.0.1:`--redis-port` (a fresh redis-server, removed afterwards).

Run: `python -m bench.long_transcripts [--lengths 50 500 5000] [--redis-port 8301]`.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import orjson

from adapters.webchat.conversation_key import key_of
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import Change, ConversationRecord, Owner, TranscriptEntry
from bot.store.transcript_tail import lines_back_to
from testbed.clock import IN_WINDOW, fixed_clock
from testbed.redis_server import RedisServer

POLLS = 20
TOKEN = "bench-agent-token-0123456789"  # noqa: S105 - the bench's own loopback agent
AGENT = {"Authorization": f"Bearer {TOKEN}"}
WORDS = "メールが送れません。設定を確認しましたが、やはりエラーが出ます。"


class Counted:
    """Counts the lines and bytes of every transcript read of the store it wraps."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.lines = 0
        self.bytes = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def transcript(
        self, key: str, *, after: int = 0, last: int | None = None
    ) -> list[TranscriptEntry]:
        lines: list[TranscriptEntry] = await self.inner.transcript(key, after=after, last=last)
        self.lines += len(lines)
        self.bytes += sum(
            len(line.text.encode()) + (len(orjson.dumps(line.reply)) if line.reply else 0)
            for line in lines
        )
        return lines

    async def latest_line(self, key: str, author: Any, prefix: str) -> TranscriptEntry | None:
        line: TranscriptEntry | None = await self.inner.latest_line(key, author, prefix)
        if line is not None:
            self.lines += 1
            self.bytes += len(line.text.encode()) + len(orjson.dumps(line.reply or {}))
        return line


def _lines(count: int) -> list[TranscriptEntry]:
    # Handed to the desk and taken, as a person's conversation begins: the list's reason for
    # the handoff is then its second line, as far back as it can be.
    lines = [
        TranscriptEntry(IN_WINDOW, "system", "handoff: asked"),
        TranscriptEntry(IN_WINDOW, "system", "taken over by 佐藤", {"agent": "佐藤"}),
    ]
    for n in range(count - 2):
        if n % 2:
            reply = {"type": "text", "text": WORDS, "agent": "佐藤"}
            lines.append(TranscriptEntry(IN_WINDOW, "agent", WORDS, reply))
        else:
            lines.append(TranscriptEntry(IN_WINDOW, "subscriber", WORDS))
    return lines


async def _cpu(times: int, act: Callable[[], Awaitable[object]]) -> tuple[float, float]:
    """This process's CPU seconds per act, and wall seconds (Redis' own work shows there)."""
    started, wall = time.process_time(), time.perf_counter()
    for _ in range(times):
        await act()
    return (time.process_time() - started) / times, (time.perf_counter() - wall) / times


async def measure(store_url: str, length: int) -> dict[str, object]:
    app = build_app(Settings(store_url=store_url, agent_tokens=(TOKEN,)), clock=fixed_clock())
    observed = app.state.runtime.engine.store
    await observed.open()
    counted = Counted(observed.inner)
    observed.inner = counted
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://b") as client:
            created = (await client.post("/api/webchat/conversations", json={})).json()
            cid = created["conversation_id"]
            key = key_of(cid)

            def held(stored: ConversationRecord | None) -> Change[None] | None:
                assert stored is not None
                record = dataclasses.replace(stored, owner=Owner.AGENT)
                return Change(record, _lines(length), None)

            await observed.transact(key, None, held)
            newest = len(await observed.transcript(key))
            url = f"/api/webchat/conversations/{cid}/messages?after={newest}"
            counted.lines = counted.bytes = 0
            poll_cpu, poll_wall = await _cpu(POLLS, lambda: client.get(url))
            result: dict[str, object] = {
                "lines": newest,
                "poll_cpu_ms": round(poll_cpu * 1000, 2),
                "poll_wall_ms": round(poll_wall * 1000, 2),
                "poll_lines_read": counted.lines // POLLS,
                "poll_bytes_read": counted.bytes // POLLS,
            }
            one = f"/api/agent/conversations/{key}"
            version = (await client.get(one, headers=AGENT)).headers["etag"]
            for name, path, headers in (
                ("agent_read", one, AGENT),
                # The console's poll of the open conversation while nothing changed (304).
                ("agent_read_unchanged", one, {**AGENT, "If-None-Match": version}),
                ("agent_list", "/api/agent/conversations", AGENT),
            ):
                counted.lines = counted.bytes = 0

                async def get(
                    path: str = path, headers: dict[str, str] = headers
                ) -> httpx.Response:
                    return await client.get(path, headers=headers)

                cpu, wall = await _cpu(POLLS, get)
                result[f"{name}_cpu_ms"] = round(cpu * 1000, 2)
                result[f"{name}_lines_read"] = counted.lines // POLLS
            for name, read in (
                ("whole", lambda: observed.transcript(key)),
                ("back_to_agent", lambda: lines_back_to(observed, key, _agent_line)),
                # The take-over is the first line: the search for a note goes all the way.
                ("first_note", lambda: observed.latest_line(key, "system", "taken over by ")),
                ("no_note", lambda: observed.latest_line(key, "system", "slack dm: ")),
            ):
                counted.lines = counted.bytes = 0
                cpu, wall = await _cpu(POLLS, read)
                result[f"{name}_cpu_ms"] = round(cpu * 1000, 2)
                result[f"{name}_wall_ms"] = round(wall * 1000, 2)
                result[f"{name}_lines_read"] = counted.lines // POLLS
                result[f"{name}_bytes_read"] = counted.bytes // POLLS
            return result
    finally:
        observed.inner = counted.inner
        await observed.close()


def _agent_line(line: TranscriptEntry) -> bool:
    return line.author == "agent"


async def run(lengths: list[int], redis_port: int) -> dict[str, list[dict[str, object]]]:
    results: dict[str, list[dict[str, object]]] = {"sqlite": [], "redis": []}
    with tempfile.TemporaryDirectory(prefix="mailmove-long-") as folder:
        for length in lengths:
            url = f"sqlite:///{folder}/store-{length}.sqlite3"
            results["sqlite"].append(await measure(url, length))
        server = RedisServer(port=redis_port, folder=Path(folder))
        server.start()
        try:
            for length in lengths:
                results["redis"].append(await measure(server.url, length))
        finally:
            server.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", type=int, nargs="+", default=[50, 500, 5000])
    parser.add_argument("--redis-port", type=int, default=8301)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.lengths, args.redis_port)), indent=2))


if __name__ == "__main__":
    main()
