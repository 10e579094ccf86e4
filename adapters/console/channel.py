"""The terminal chat: `mailmove chat`. Answers by number or in words; reads a pipe too."""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import sys
import termios
import threading
import unicodedata
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Final, TextIO

from starlette.routing import BaseRoute

from bot.engine import Engine
from bot.mailcheck.check_links import PATH_PREFIX
from bot.mailcheck.login_checks import LoginChecks
from bot.runtime import Runtime, login_checks
from dialogs.vocabulary import (
    ChoicesReply,
    FileReply,
    Inbound,
    LinkReply,
    Locale,
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
    if isinstance(reply, LinkReply | FileReply):
        return f"{reply.text}\n  {reply.url}"
    if isinstance(reply, TextReply):
        return reply.text
    raise TypeError(f"cannot render {reply!r}")


class ConsoleChannel:
    """One conversation on stdin/stdout."""

    name = CHANNEL

    def __init__(
        self,
        engine: Engine,
        checks: LoginChecks | None = None,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
    ) -> None:
        self._engine = engine
        self._checks = checks
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
            line = await _in_daemon_thread(self._stdin.readline)
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
        check_link = None
        speaking: Locale = outcome.record.dialog.locale if outcome.record else "ja"
        shown: list[str] = []
        for reply in outcome.replies:
            if isinstance(reply, LinkReply) and PATH_PREFIX in reply.url:
                # In a terminal the password is read here, without echo, not on a web page:
                # the words just before the link (enter it on the page) say so instead.
                check_link = reply.url.rsplit(PATH_PREFIX, 1)[1]
                if shown and self._checks is not None:
                    shown[-1] = self._engine.texts.fill(speaking, "check.intro_terminal", {})
                continue
            shown.append(render(reply))
        for text in shown:
            self._stdout.write(text + "\n\n")
        self._stdout.flush()
        if check_link is not None and self._checks is not None:
            await self._check(check_link, speaking)
        self._stdout.write("> " if self._stdin.isatty() else "")
        self._stdout.flush()

    async def _check(self, token: str, locale: Locale) -> None:
        if self._checks is None:
            return
        prompt = self._engine.texts.fill(locale, "check_page.password_label", {}) + ": "
        with _terminal_restored(self._stdin):
            password = await _in_daemon_thread(lambda: _read_secret(prompt, self._stdin))
        if password:
            # The result comes back through `push`, like on every other channel.
            await self._checks.run(token, password, with_round_trip=False)


async def _in_daemon_thread(read: Callable[[], str]) -> str:
    """`read()` in a daemon thread, so that Ctrl-C never waits for a read of the terminal.

    With `asyncio.to_thread` the worker is joined when the event loop closes: after Ctrl-C
    the chat hung in a read of the terminal until Enter was pressed.
    """
    loop = asyncio.get_running_loop()
    done: asyncio.Future[str] = loop.create_future()

    def settle(line: str | None, error: BaseException | None) -> None:
        if done.done():  # cancelled by Ctrl-C meanwhile
            return
        if error is None and line is not None:
            done.set_result(line)
        else:
            done.set_exception(error or EOFError())

    def run() -> None:
        line: str | None = None
        error: BaseException | None = None
        try:
            line = read()
        except BaseException as err:  # handed to the awaiting coroutine
            error = err
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody waits
            loop.call_soon_threadsafe(settle, line, error)

    threading.Thread(target=run, name="terminal-read", daemon=True).start()
    return await done


@contextlib.contextmanager
def _terminal_restored(stdin: TextIO) -> Iterator[None]:
    """Put the terminal's settings back if the password prompt is left by Ctrl-C.

    getpass turns echo off and on again itself, but its thread is abandoned on Ctrl-C:
    without this the shell would be left not showing what is typed.
    """
    saved = termios.tcgetattr(stdin.fileno()) if stdin.isatty() else None
    try:
        yield
    finally:
        if saved is not None:
            with contextlib.suppress(termios.error, OSError):
                termios.tcsetattr(stdin.fileno(), termios.TCSADRAIN, saved)


def _read_secret(prompt: str, stdin: TextIO) -> str:
    """A password from the terminal without echo; from a pipe, the next line."""
    if stdin.isatty():
        try:
            return getpass.getpass(prompt)
        except EOFError:  # Ctrl-D instead of a password: no check, the chat goes on
            return ""
    # The line's end, LF or a Windows file's CRLF: no password ends in a carriage return,
    # and the check refuses one (a line break no server accepts) after the link is spent.
    return stdin.readline().removesuffix("\n").removesuffix("\r")


def create_channel(runtime: Runtime) -> ConsoleChannel:
    """Entry point of the `console` channel."""
    return ConsoleChannel(runtime.engine, login_checks(runtime))
