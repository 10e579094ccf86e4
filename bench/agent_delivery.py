"""From an agent's POST to the words on the subscriber's page, with 50 subscribers chatting.

The server runs in its own process (`bench.serve desk`). Every simulated subscriber does
what the web chat page does: it polls `GET .../messages?after=N` every 2 s while the bot
has the conversation and every 0.5 s while a person does (chat.js's POLL_MS and
LIVE_POLL_MS), and half of them also walk the questionnaire at a person's pace, so the
server answers turns while it delivers. The other half have been taken over by an agent,
who writes to each of them in turn. For each agent message the time from sending the POST
to the poll response that holds it is one sample. The goal (issue 10): p95 < 1 s.

Run: `python -m bench.agent_delivery [--users 50 --seconds 30]`.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import time
from typing import Final

from adapters.webchat.conversation_key import key_of
from bench.keepalive import Connection
from bench.webchat_throughput import SCRIPT, percentile, server

TOKEN: Final = "bench-agent-token-0123456789"  # noqa: S105 - the benchmark server's own
POLL_S: Final = 2.0
LIVE_POLL_S: Final = 0.5
# A person answers a question every few seconds, not as fast as the network allows.
THINK_S: Final = 1.0
AGENT_GAP_S: Final = 0.05
GOAL_P95_S: Final = 1.0


class Run:
    """What the simulated pages and the agent share: when each message was sent and seen."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.perf_counter() + seconds
        self.sent: dict[str, float] = {}
        self.latencies: list[float] = []
        self.turns = 0

    @property
    def running(self) -> bool:
        return time.perf_counter() < self.deadline


async def new_conversation(connection: Connection) -> str:
    status, payload = await connection.call("POST", "/api/webchat/conversations", {})
    if status != 201:
        raise RuntimeError(f"create answered {status}")
    conversation: str = json.loads(payload)["conversation_id"]
    return conversation


async def page(port: int, conversation: str, run: Run) -> None:
    """The page's polling, as chat.js does it; records when an agent's words arrive."""
    connection = await Connection.open(port)
    seen, owner = 0, "bot"
    path = f"/api/webchat/conversations/{conversation}/messages"
    try:
        while run.running:
            status, payload = await connection.call("GET", f"{path}?after={seen}")
            arrived = time.perf_counter()
            if status != 200:
                raise RuntimeError(f"poll answered {status}")
            data = json.loads(payload)
            owner = data["owner"]
            for line in data["messages"]:
                seen = max(seen, line["seq"])
                text = line.get("reply", {}).get("text", "")
                if line["author"] == "agent" and text in run.sent:
                    run.latencies.append(arrived - run.sent.pop(text))
            await asyncio.sleep(LIVE_POLL_S if owner in {"agent", "queue"} else POLL_S)
    finally:
        connection.close()


async def chatter(port: int, conversation: str, run: Run) -> None:
    """A subscriber answering the questionnaire at a person's pace, over and over."""
    connection = await Connection.open(port)
    try:
        while run.running:
            path = f"/api/webchat/conversations/{conversation}/messages"
            for body in SCRIPT:
                status, _ = await connection.call("POST", path, body)
                if status != 200:
                    raise RuntimeError(f"message answered {status}")
                run.turns += 1
                await asyncio.sleep(THINK_S)
            conversation = await new_conversation(connection)
    finally:
        connection.close()


async def agent(port: int, keys: list[str], run: Run) -> None:
    """One agent writing to each taken conversation in turn, as fast as they can click."""
    connection = await Connection.open(port)
    try:
        for n in itertools.count():
            if not run.running:
                break
            key = keys[n % len(keys)]
            text = f"agent message {n}"
            run.sent[text] = time.perf_counter()
            status, _ = await connection.call(
                "POST", f"/api/agent/conversations/{key}/messages", {"text": text}, TOKEN
            )
            if status != 201:
                raise RuntimeError(f"agent message answered {status}")
            await asyncio.sleep(AGENT_GAP_S * len(keys) / 5)
    finally:
        connection.close()


async def load(port: int, users: int, seconds: float) -> Run:
    setup = await Connection.open(port)
    conversations = [await new_conversation(setup) for _ in range(users)]
    taken = conversations[: users // 2]
    for conversation in taken:
        status, _ = await setup.call(
            "POST", f"/api/agent/conversations/{key_of(conversation)}/take", {}, TOKEN
        )
        if status != 200:
            raise RuntimeError(f"take answered {status}")
    setup.close()
    run = Run(seconds)
    await asyncio.gather(
        *(page(port, c, run) for c in conversations),
        *(chatter(port, c, run) for c in conversations[users // 2 :]),
        agent(port, [key_of(c) for c in taken], run),
    )
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50, help="subscribers with a page open")
    parser.add_argument("--seconds", type=float, default=30, help="how long to measure")
    args = parser.parse_args()
    with server("desk") as served:
        run = asyncio.run(load(served.port, args.users, args.seconds))
    samples = run.latencies
    if not samples:
        raise SystemExit("no agent message reached a page")
    p95 = percentile(samples, 0.95)
    print(
        f"{args.users} subscribers with the page open ({args.users // 2} talking to an agent, "
        f"{args.users - args.users // 2} to the bot: {run.turns} turns in {args.seconds:.0f} s)"
    )
    print(f"agent messages seen on the page: {len(samples)} (unseen at the end: {len(run.sent)})")
    print(
        f"POST → on the page: p50 {statistics.median(samples) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, p99 {percentile(samples, 0.99) * 1000:.0f} ms, "
        f"max {max(samples) * 1000:.0f} ms"
    )
    print(f"goal p95 < {GOAL_P95_S * 1000:.0f} ms: {'met' if p95 < GOAL_P95_S else 'MISSED'}")


if __name__ == "__main__":
    main()
