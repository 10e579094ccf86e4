"""The terminal chat: `mailmove chat`. Answers by number or in words; reads a pipe too."""

from __future__ import annotations

import asyncio
import sys
import unicodedata
import uuid
from collections.abc import Sequence
from typing import Final, TextIO

from starlette.routing import BaseRoute

from bot.channels import Runtime
from bot.engine import Engine
from bot.messages import (
    ChoicesReply,
    Inbound,
    LinkReply,
    Reply,
    SettingsReply,
    TextReply,
    VerdictReply,
    parse_locale,
)

CHANNEL: Final = "console"
_QUIT: Final = frozenset({"quit", "exit", "終了", "おわり", "終わり"})


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: East Asian wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def render(reply: Reply) -> str:
    """One reply as terminal text."""
    if isinstance(reply, ChoicesReply):
        options = "\n".join(f"  {n}) {c.label}" for n, c in enumerate(reply.choices, start=1))
        return f"{reply.text}\n{options}"
    if isinstance(reply, SettingsReply):
        width = max(display_width(i.label) for i in reply.items)
        rows = [
            f"  {i.label}{' ' * (width - display_width(i.label))}  {i.value}" for i in reply.items
        ]
        rule = "  " + "-" * (width + 2 + max(display_width(i.value) for i in reply.items))
        return "\n".join([f"[{reply.title}]", rule, *rows, rule])
    if isinstance(reply, VerdictReply):
        return f"== {reply.text} =="
    if isinstance(reply, LinkReply):
        return f"{reply.text}\n  {reply.url}"
    if isinstance(reply, TextReply):
        return reply.text
    raise TypeError(f"cannot render {reply!r}")


class ConsoleChannel:
    """One conversation on stdin/stdout."""

    name = CHANNEL

    def __init__(self, engine: Engine, stdin: TextIO | None = None, stdout: TextIO | None = None):
        self._engine = engine
        self._stdin = stdin or sys.stdin
        self._stdout = stdout or sys.stdout
        self._conversation = uuid.uuid4().hex
        self._events = 0

    def routes(self) -> Sequence[BaseRoute]:
        """None: the terminal is not served over HTTP."""
        return ()

    async def start(self) -> None:
        """Nothing to start."""

    async def stop(self) -> None:
        """Nothing to stop."""

    async def push(self, conversation_key: str, replies: Sequence[Reply]) -> None:
        """Print replies that arrive without a question (a login check's result)."""
        for reply in replies:
            self._stdout.write(render(reply) + "\n\n")
        self._stdout.flush()

    async def run(self, *, locale: str | None) -> int:
        """Greet, then answer each line until end of input or "quit"."""
        await self._turn(start=True, locale=locale)
        while True:
            line = await asyncio.to_thread(self._stdin.readline)
            if not line:
                return 0
            text = line.strip()
            if not text:
                continue
            if text.casefold() in _QUIT:
                return 0
            await self._turn(text=text)

    async def _turn(
        self, *, text: str | None = None, start: bool = False, locale: str | None = None
    ) -> None:
        self._events += 1
        outcome = await self._engine.handle(
            Inbound(
                channel=CHANNEL,
                conversation_key=self._conversation,
                event_id=f"{CHANNEL}:{self._conversation}:{self._events}",
                text=text,
                start=start,
                locale=parse_locale(locale),
            )
        )
        for reply in outcome.replies:
            self._stdout.write(render(reply) + "\n\n")
        self._stdout.write("> " if self._stdin.isatty() else "")
        self._stdout.flush()


def create_channel(runtime: Runtime) -> ConsoleChannel:
    """Entry point of the `console` channel."""
    return ConsoleChannel(runtime.engine)
