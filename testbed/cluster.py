"""Replica processes on loopback, and a simulated platform that talks to them.

`Replica` starts `python -m testbed.replica` (real uvicorn, real Redis) and waits for
`/readyz` by polling. `Platform` plays the subscribers' side the way a chat platform does:
each message carries an event id, and a delivery that fails (503, a dropped connection) is
delivered again, with the same event id, to the next replica, until it is answered. It
tallies what happened so the drills can assert on the numbers and report them.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

import httpx

from adapters.webchat.conversation_key import key_of
from bot.store.redis_store import RedisStore
from testbed.loopback import listens_on
from testbed.redis_server import HOST, free_port

ROOT: Final = Path(__file__).resolve().parents[1]
RESULTS: Final = ROOT / "build" / "drills"
UNLIMITED: Final = str(10**9)
ADDRESS: Final = "taro@vp.117.ne.jp"
# One subscriber's whole questionnaire: Q1..Q4 "yes", the address, Thunderbird, and "yes"
# to sending through the old SMTP server; the last answer delivers the settings card.
SCRIPT: Final[tuple[dict[str, str], ...]] = (
    {"choice": "yes"},
    {"choice": "yes"},
    {"choice": "yes"},
    {"choice": "yes"},
    {"text": ADDRESS},
    {"choice": "program:thunderbird"},
    {"choice": "yes"},
)
# How each answer reads in the transcript.
SUBSCRIBER_LINES: Final = tuple(
    body["text"] if "text" in body else f"[{body['choice']}]" for body in SCRIPT
)
FINAL_STAGE: Final = "settings_delivered"
# Start-up is a second or two when the machine is quiet; under heavy load (other test
# workers, a build) importing and opening the store took over 30 s. The wait ends as soon as
# the replica answers, so a long limit costs nothing when it is healthy.
_READY_TIMEOUT: Final = 120.0
_STOP_TIMEOUT: Final = 30.0
_MAX_ATTEMPTS: Final = 400  # per delivery: bounds every loop even if a replica never recovers
_FIRST_BACKOFF: Final = 0.01
_MAX_BACKOFF: Final = 0.2
# Seconds a delivery connection may stay idle: under uvicorn's keep-alive (5 s).
_KEEPALIVE: Final = 1.0
# Ports tried for a replica's first start: another process may take the one picked free
# before the replica binds it (see Replica.ready).
_PORT_TRIES: Final = 3


class PortTakenError(RuntimeError):
    """The replica could not listen on its port: another process had it."""


@dataclass
class Replica:
    """One bot process on a free loopback port; `start` again after a kill reuses the port."""

    store_url: str
    log_path: Path
    port: int = field(default_factory=free_port)
    extra_env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    # Where the latest launch's lines begin: the log keeps every launch's.
    _log_start: int = field(default=0, repr=False)
    # Once it has served on its port, a restart must keep it: the drill's clients use it.
    _served: bool = field(default=False, repr=False)

    @property
    def url(self) -> str:
        """Base URL."""
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        """Start the process and return once `/readyz` answers 200."""
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        """Start the process without waiting (`start_all` starts several at once)."""
        env = {
            **os.environ,
            "MAILMOVE_STORE": self.store_url,
            "MAILMOVE_PUBLIC_URL": self.url,
            "NO_PROXY": "127.0.0.1,localhost",
            # Every simulated subscriber comes from 127.0.0.1: one client, as the limits see it.
            "MAILMOVE_WEBCHAT_CONVERSATION_LIMIT": UNLIMITED,
            "MAILMOVE_WEBCHAT_MESSAGE_LIMIT": UNLIMITED,
            "MAILMOVE_WEBCHAT_READ_LIMIT": UNLIMITED,
            **self.extra_env,
        }
        self._log_start = self.log_path.stat().st_size if self.log_path.exists() else 0
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own module
                [sys.executable, "-m", "testbed.replica", str(self.port)],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )

    def wait_ready(self) -> None:
        """Poll `/readyz` until it answers 200; fail if the process exits or takes too long.

        A first start whose port another process took after it was picked (the other test
        worker's server, say) launches again on another free port, up to `_PORT_TRIES`
        ports; a restart keeps its port, or fails.
        """
        for tries_left in reversed(range(_PORT_TRIES)):
            try:
                self._wait_ready_once()
            except PortTakenError:
                if self._served or not tries_left:
                    raise
                self.port = free_port()
                self.launch()
            else:
                self._served = True
                return

    def _wait_ready_once(self) -> None:
        if self.process is None:
            raise RuntimeError("the replica was not launched")
        deadline = time.monotonic() + _READY_TIMEOUT
        while not self.ready():
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"replica on {self.port} not ready:\n{self.log_tail()}")
            # Waiting on the process is the pause between probes, and notices at once
            # when it has exited.
            try:
                self.process.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                continue
            self.process = None
            with self.log_path.open("rb") as file:
                file.seek(self._log_start)
                launched = file.read().decode(errors="replace")
            # testbed.replica binds its port first (bot.server.listening_socket), before
            # anything else can fail: "cannot listen on 127.0.0.1:PORT: Address already in use".
            taken = "cannot listen" in launched and "already in use" in launched
            error = PortTakenError if taken else RuntimeError
            raise error(f"replica on {self.port} exited:\n{self.log_tail()}")

    def ready(self) -> bool:
        """Whether this replica's own process listens on its port and `/readyz` answers 200.

        The port was picked free before the process started, and stays free until the replica
        has imported and bound it (seconds, more under load; again after a kill): another
        process may take it meanwhile, the other test worker's server say, whose `/readyz`
        answered in the replica's place, and the drill ran against that server.
        """
        if self.process is None or not listens_on(self.process.pid, self.port):
            return False
        try:
            return httpx.get(f"{self.url}/readyz", timeout=1.0).status_code == 200
        except httpx.TransportError:
            return False

    def kill(self) -> None:
        """`kill -9`: no drain, no goodbye."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=_STOP_TIMEOUT)
            self.process = None

    def terminate(self) -> int:
        """SIGTERM (the graceful drain); returns the exit code."""
        if self.process is None:
            return 0
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=_STOP_TIMEOUT)
        self.process = None
        return code

    def log_tail(self, lines: int = 30) -> str:
        """The end of the replica's log, for failure messages."""
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def start_all(replicas: Sequence[Replica]) -> None:
    """Launch every replica at once (they import in parallel), then wait for each."""
    for replica in replicas:
        replica.launch()
    try:
        for replica in replicas:
            replica.wait_ready()
    except BaseException:
        # One that never got ready must not leave the others running after the test.
        for replica in replicas:
            replica.kill()
        raise


@dataclass
class Tally:
    """What the platform saw; the numbers the drills assert on and report."""

    conversations: int = 0
    events: int = 0  # distinct subscriber events (greeting included)
    requests: int = 0  # HTTP requests sent, redeliveries included
    replied: int = 0  # answers carrying the turn's replies
    duplicates: int = 0  # answers saying the event had been handled already
    unavailable: int = 0  # 503s (store down, replica draining)
    dropped: int = 0  # connections refused or cut (a killed replica)
    recovered: int = 0  # replies fetched from the history after a lost answer
    processed_twice: int = 0  # subscriber lines stored (so answered) more than once
    lost: int = 0  # acknowledged turns missing from the store
    incomplete: int = 0  # conversations that did not end with the settings card
    acknowledged: int = 0  # deliveries answered 200
    seconds: float = 0.0

    def report(self, name: str) -> dict[str, Any]:
        """Write the figures to build/drills/NAME.json and return them."""
        return report(name, asdict(self))


def report(name: str, figures: dict[str, Any]) -> dict[str, Any]:
    """Keep a drill's figures in build/drills/NAME.json and print them (pytest -rA shows it)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(f"\ndrill {name}: {figures}")
    return figures


class Platform:
    """Delivers subscriber events to replicas, redelivering until each is answered."""

    def __init__(self, replicas: Sequence[Replica]) -> None:
        self.replicas = list(replicas)
        self.tally = Tally()
        # A replica (uvicorn) closes a connection left idle for 5 s, and httpx kept one idle
        # for as long: a delivery sent on it just as the replica closed it failed with
        # ReadError (the triple-delivery drill, whose single posts are not redelivered, on
        # a loaded machine). Idle connections are let go well before the replica would.
        limits = httpx.Limits(keepalive_expiry=_KEEPALIVE)
        self._clients = {
            r.port: httpx.AsyncClient(base_url=r.url, timeout=15.0, limits=limits)
            for r in self.replicas
        }
        self.acked = asyncio.Condition()

    async def close(self) -> None:
        """Close every connection."""
        for client in self._clients.values():
            await client.aclose()

    async def wait_for_acks(self, count: int) -> None:
        """Return once `count` deliveries in all have been answered 200."""
        async with self.acked:
            await self.acked.wait_for(lambda: self.tally.acknowledged >= count)

    async def wait_for_unavailable(self, count: int) -> None:
        """Return once `count` deliveries in all have been answered 503."""
        async with self.acked:
            await self.acked.wait_for(lambda: self.tally.unavailable >= count)

    async def _post(self, replica: Replica, path: str, body: dict[str, str]) -> httpx.Response:
        self.tally.requests += 1
        return await self._clients[replica.port].post(path, json=body)

    async def post(
        self, replica: Replica, path: str, body: dict[str, str]
    ) -> tuple[int, dict[str, Any]]:
        """One delivery to one replica, no redelivery."""
        response = await self._post(replica, path, body)
        if response.status_code == 200:
            await self._count("acknowledged")
        return response.status_code, response.json()

    async def _count(self, field_name: str) -> None:
        async with self.acked:
            setattr(self.tally, field_name, getattr(self.tally, field_name) + 1)
            self.acked.notify_all()

    async def deliver(
        self, path: str, body: dict[str, str], first: int
    ) -> tuple[int, dict[str, Any]]:
        """POST until answered; a failure moves on to the next replica, as platforms retry.

        The pause between redeliveries is the platform's own backoff, as real platforms
        have; nothing in the drill waits on it to happen at a particular moment.
        """
        pause = _FIRST_BACKOFF
        for attempt in range(_MAX_ATTEMPTS):
            replica = self.replicas[(first + attempt) % len(self.replicas)]
            try:
                response = await self._post(replica, path, body)
            except httpx.TransportError:
                await self._count("dropped")
            else:
                if response.status_code == 503:
                    await self._count("unavailable")
                else:
                    await self._count("acknowledged")
                    return response.status_code, response.json()
            await asyncio.sleep(pause)
            pause = min(pause * 2, _MAX_BACKOFF)
        raise AssertionError(f"{path} was never answered in {_MAX_ATTEMPTS} deliveries")

    async def start_conversation(self, first: int) -> str:
        """Create a web chat conversation (retried as a whole: a new id each time)."""
        status, body = await self.deliver("/api/webchat/conversations", {}, first)
        assert status == 201, body
        self.tally.conversations += 1
        self.tally.events += 1
        self.tally.replied += 1
        conversation: str = body["conversation_id"]
        return conversation

    async def answer(self, conversation: str, body: dict[str, str], first: int) -> list[Any]:
        """Send one answer with a fresh event id; the replies the subscriber ends up seeing."""
        path = f"/api/webchat/conversations/{conversation}/messages"
        event = {**body, "event_id": uuid.uuid4().hex}
        self.tally.events += 1
        status, answered = await self.deliver(path, event, first)
        assert status == 200, answered
        if not answered.get("duplicate"):
            self.tally.replied += 1
            replies: list[Any] = answered["replies"]
            return replies
        # Handled by a delivery whose answer was lost (its replica died, or the store went
        # away after writing): the web chat page reads the replies from the history.
        self.tally.duplicates += 1
        self.tally.recovered += 1
        return await self.replies_from_history(conversation, first)

    async def replies_from_history(self, conversation: str, first: int) -> list[Any]:
        """The bot's lines after the last subscriber line, read back from a replica."""
        path = f"/api/webchat/conversations/{conversation}/messages"
        for attempt in range(_MAX_ATTEMPTS):
            replica = self.replicas[(first + attempt) % len(self.replicas)]
            try:
                response = await self._clients[replica.port].get(path)
            except httpx.TransportError:
                continue
            if response.status_code == 200:
                lines = response.json()["messages"]
                last = max(i for i, line in enumerate(lines) if line["author"] == "subscriber")
                return [line.get("reply") for line in lines[last + 1 :]]
            await asyncio.sleep(_FIRST_BACKOFF)
        raise AssertionError(f"history of {conversation} never answered")

    async def subscriber(self, number: int) -> str:
        """One subscriber walks the whole script, each turn to the next replica in turn."""
        conversation = await self.start_conversation(number)
        for step, body in enumerate(SCRIPT, start=1):
            replies = await self.answer(conversation, body, number + step)
            assert replies, f"turn {step} of {conversation} got no replies"
        return conversation


async def audit_store(store_url: str, conversations: Sequence[str], tally: Tally) -> None:
    """Read every conversation back from Redis: complete, each turn stored exactly once."""
    store = RedisStore.from_url(store_url)
    await store.open()
    try:
        for conversation in conversations:
            key = key_of(conversation)
            record = await store.load(key)
            lines = await store.transcript(key)
            said = [line.text for line in lines if line.author == "subscriber"]
            cards = [line for line in lines if line.reply and line.reply.get("type") == "settings"]
            if record is None or record.dialog.stage.value != FINAL_STAGE or len(cards) != 1:
                tally.incomplete += 1
            # Every answer of the script once, in order: a missing one is a lost turn, an
            # extra one a turn handled (and answered) twice.
            tally.lost += max(0, len(SUBSCRIBER_LINES) - len(said))
            tally.processed_twice += max(0, len(said) - len(SUBSCRIBER_LINES))
            if len(said) == len(SUBSCRIBER_LINES) and tuple(said) != SUBSCRIBER_LINES:
                tally.lost += 1
    finally:
        await store.close()
