"""The `mailmove` command: `serve`, `chat` in the terminal, `stats`, `profile check|diagram`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import datetime as dt
import fcntl
import logging
import os
import signal
import sys
import zoneinfo
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final, TextIO, cast

# Only what reading the command line and the settings needs: a refused setting is said
# before the dialog engine, the channels and the web app are imported (about 1 s of CPU
# that a replica restarted in a loop on a bad setting spent before its one line). Each
# command imports the rest when it runs.
from bot.ops.settings import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    DEFAULT_STORE,
    MAX_PORT,
    PORT_RANGE,
    ConfigError,
    Settings,
)

if TYPE_CHECKING:
    from bot.engine import Clock
    from bot.ops.startup_summary import StartupSummary
    from bot.store.redis_store import RedisStore
    from dialogs.vocabulary import Locale

STATS_DAYS: Final = 30  # the default period of `mailmove stats`: the last 30 days, today included


# Our own module's logger: Slack's app is named "mailmove", and slack_bolt sets the level
# of the logger of that name, which silenced the start-up summary once Slack was built.
_LOGGER: Final = logging.getLogger("bot.cli")  # also when run as `python -m bot.cli`


# What a shell reports for a program ended by SIGPIPE (128 + 13), as `yes | head` has it.
BROKEN_PIPE_STATUS: Final = 141
# The shell's status for a command ended by Ctrl-C (128 + SIGINT).
_INTERRUPTED: Final = 130


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    try:
        return _command(argv)
    except BrokenPipeError:
        # `mailmove chat | head`, `mailmove profile check my.toml | head`: the reader has
        # gone, which ends the command, not in a traceback. Standard output goes to
        # /dev/null so the interpreter's last flush at exit does not fail a second time.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return BROKEN_PIPE_STATUS


def _command(argv: Sequence[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "profile" and args.profile_command == "diagram":
        return _profile_diagram(args.file)
    if args.command == "profile":
        # A file check for the operator: no settings, no store, nothing logged.
        return _profile_check(args.file, args.locale)
    try:
        settings = Settings.from_env().with_overrides(
            host=getattr(args, "host", None),
            port=getattr(args, "port", None),
            store_url=getattr(args, "store", None),
            profile_path=args.profile,
            as_of=getattr(args, "as_of", None),
        )
    except ConfigError as err:
        print(f"mailmove: {err}", file=sys.stderr)
        return 2
    return _run(args, settings)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    """Run `args.command` with settings already read: the heavy imports start here."""
    from bot.ops.logging_setup import configure_logging, flush_logs
    from bot.server import ListenError
    from bot.store.conversation_store import StoreUnavailableError
    from dialogs.profile import ProfileError

    try:
        if args.command == "serve":
            # Readable on a terminal, JSON lines for a collector (MAILMOVE_LOG_FORMAT).
            log_format = configure_logging(settings.log_format)
            return _serve(settings, _clock(settings, force=args.force), log_format)
        # The terminal chat and the statistics talk to a person: only warnings get logged.
        configure_logging(settings.log_format, level=logging.WARNING, queued=False)
        for unknown in settings.unknown_variables():  # serve says them in its summary
            _LOGGER.warning("%s", unknown)
        if args.command == "stats":
            return _stats(settings, args.since, args.until, as_json=args.json)
        # The terminal chat keeps its conversation in memory: no shared store to protect.
        return _chat(settings, args.locale, _clock(settings, force=True))
    except (ProfileError, ConfigError, ValueError) as err:
        print(f"mailmove: {err}", file=sys.stderr)
        return 2
    except StoreUnavailableError as err:
        print(f"mailmove: the conversation store is unavailable: {err}", file=sys.stderr)
        return 1
    except ListenError as err:
        print(f"mailmove: {err.strerror}", file=sys.stderr)
        return 1
    finally:
        flush_logs()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mailmove", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the web chat and every configured channel")
    serve.add_argument(
        "--host", help=f"address to listen on (default MAILMOVE_HOST, else {DEFAULT_HOST})"
    )
    serve.add_argument(
        "--port", type=_port, help=f"port to listen on (default MAILMOVE_PORT, else {DEFAULT_PORT})"
    )
    serve.add_argument(
        "--store", help=f"conversation store URL (default MAILMOVE_STORE, else {DEFAULT_STORE})"
    )
    chat = commands.add_parser("chat", help="talk to the bot in this terminal")
    chat.add_argument("--locale", choices=["ja", "en"], help="language to start in")
    stats = commands.add_parser(
        "stats", help="what subscribers got over a period: started, verdicts, settings, checks"
    )
    stats.add_argument(
        "--since", type=_date, help=f"first day, YYYY-MM-DD (default {STATS_DAYS} days ago)"
    )
    stats.add_argument("--until", type=_date, help="last day, included (default today)")
    stats.add_argument("--json", action="store_true", help="print JSON instead of a table")
    stats.add_argument("--store", help="conversation store URL (default MAILMOVE_STORE)")
    for sub in (serve, chat, stats):
        sub.add_argument(
            "--profile",
            type=Path,
            help="migration profile, TOML (default MAILMOVE_PROFILE, else the seed's)",
        )
    for sub in (serve, chat):
        sub.add_argument(
            "--as-of",
            type=_date,
            help="preview: the bot's today is this date, YYYY-MM-DD (staging and demos)",
        )
    serve.add_argument(
        "--force", action="store_true", help="allow --as-of with a redis:// (shared) store"
    )
    profile = commands.add_parser("profile", help="check a migration profile")
    profile_commands = profile.add_subparsers(dest="profile_command", required=True)
    check = profile_commands.add_parser(
        "check",
        help="validate a profile and print what subscribers are told on its key dates",
    )
    check.add_argument("file", type=Path, help="the profile (TOML)")
    check.add_argument(
        "--locale", choices=["ja", "en"], default="ja", help="language of the answers (ja)"
    )
    diagram = profile_commands.add_parser(
        "diagram", help="print the profile's questionnaire as a Mermaid diagram (Markdown)"
    )
    diagram.add_argument("file", type=Path, help="the profile (TOML)")
    return parser


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2008-06-01") from None


def _port(text: str) -> int:
    # Checked here, not only in Settings: its refusal names MAILMOVE_PORT, which a
    # `--port 0` operator did not set. argparse says "argument --port: ...".
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} {PORT_RANGE}") from None
    if not 0 < number <= MAX_PORT:
        raise argparse.ArgumentTypeError(f"{text!r} {PORT_RANGE}")
    return number


def _clock(settings: Settings, *, force: bool) -> Clock:
    """The real clock, or a preview's whose today is `settings.as_of` (said in the log)."""
    from bot.engine import system_clock
    from bot.ops.preview_clock import preview_clock, refuse_shared_store
    from bot.ops.profile_loader import load_profile

    if settings.as_of is None:
        return system_clock
    refuse_shared_store(settings.store_url, force=force)
    timezone = load_profile(settings.profile_path).timezone
    _LOGGER.warning(
        "Preview: the bot's today is %s in %s, not the real date", settings.as_of, timezone
    )
    return preview_clock(settings.as_of, timezone)


def _serve(settings: Settings, clock: Clock, log_format: str = "json") -> int:
    from bot.ops.startup_summary import StartupSummary, collecting_channel_lines
    from bot.server import build_app, listening_socket, serve

    # The address first: nothing is opened, and nothing says where the chat is, if it is taken.
    with listening_socket(settings.host, settings.port) as sock:
        # The store before the app: a store that refuses for good (a file that is no
        # database, a Redis refusing the URL's password) stops start-up without building
        # every channel first, which cost each refused start, and a replica restarted in a
        # loop on it, about 0.4 s of CPU (0.9 s without bytecode) before its one line.
        store_notes = _store_opens(settings.store_url, settings.retention_days)
        # The channels' own start-up lines go into the summary instead of one line each.
        with collecting_channel_lines() as report:
            app = build_app(settings, clock=clock)
        engine = app.state.runtime.engine
        summary = StartupSummary.build(settings, engine.profile, engine.context().today, report)
        if store_notes:
            summary = dataclasses.replace(summary, notes=(*summary.notes, *store_notes))
        with _holding_the_file(settings.store_url) as shared:
            if shared is not None:
                summary = dataclasses.replace(summary, notes=(*summary.notes, shared))
            announce(summary, log_format)
            serve(app, sock)
    return 0


@contextlib.contextmanager
def _holding_the_file(store_url: str) -> Iterator[str | None]:
    """Hold the SQLite file for this process while it serves; a note if another one does.

    Two processes on one file each keep their own per-client limits and their own
    conversation locks, and nothing said so. Said in the start-up summary, not refused: a
    second server started by mistake (or by a harness that starts one per test) still
    answers, and SQLite's own locks keep each write whole. The lock is flock(2)'s, apart
    from SQLite's (fcntl) locks; it goes with the process, killed or not, and `mailmove
    stats` and the backups take none.
    """
    from bot.store.sqlite_store import SQLiteStore
    from bot.store.store_url import store_from_url

    store = store_from_url(store_url)
    if not isinstance(store, SQLiteStore) or store.path == ":memory:":
        yield None
        return
    held = os.open(store.path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        try:
            fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield (
                f"{store.path} is served by another mailmove serve too: each keeps its own"
                " per-client limits and conversation locks (stop the other, or give the"
                " replicas a redis:// store)"
            )
        else:
            yield None
    finally:
        os.close(held)


def _store_opens(store_url: str, retention_days: int | None = None) -> tuple[str, ...]:
    """Open and close the store once before serving; raise what stops it for good.

    Returns notes for the start-up summary: when Redis evicts keys when full (every key
    mailmove writes has a lifetime, so volatile-lru, a managed Redis' default, may drop a
    conversation, its lock or a handled event id, where noeviction answers 503 and loses
    none); and when the URL's TLS is not the server's (`rediss://` to a plain Redis, or
    `redis://` to a TLS one), which looked like Redis down. Not refused: Redis may be
    switched to or from TLS while replicas start (a rolling change), and the replica
    answers 503 until the two agree.

    Opened in uvicorn's lifespan, a SQLite file that cannot be used ended in a traceback
    and "Application startup failed"; here it is one line naming the file. A Redis store
    may be down at start-up (its replicas answer 503 until it is back), but one that
    answers and refuses the URL's password, user or database refuses for ever: the replica
    served 503 to everything, never ready, with the reason in warnings only.

    `retention_days`: read as the app reads the URL, so a Redis URL's `audit_days=` below
    the retention is refused here, before Redis is asked anything.
    """
    from bot.store.redis_store import RedisStore
    from bot.store.sqlite_store import SQLiteStore
    from bot.store.store_url import MayEvict, MayRefuse, store_from_url

    retention = None if retention_days is None else dt.timedelta(days=retention_days)
    store = store_from_url(store_url, retention=retention)

    async def open_and_close() -> tuple[str | None, str | None, str | None]:
        await store.open()
        try:
            refusal = await store.refusal() if isinstance(store, MayRefuse) else None
            policy = await store.eviction_policy() if isinstance(store, MayEvict) else None
            mismatch = await _tls_mismatch(store) if isinstance(store, RedisStore) else None
            return refusal, policy, mismatch
        finally:
            await store.close()

    if not isinstance(store, SQLiteStore | MayRefuse):
        return ()
    refusal, policy, mismatch = asyncio.run(open_and_close())
    if refusal is not None:
        raise ValueError(f"MAILMOVE_STORE: Redis refuses it: {refusal}")
    notes: list[str] = []
    if policy is not None:
        notes.append(
            f"MAILMOVE_STORE: Redis evicts keys when its memory is full (maxmemory-policy"
            f" {policy}): conversations, their locks and handled event ids may vanish; run it"
            " with maxmemory-policy noeviction (full, it then answers 503 and loses nothing)"
        )
    if mismatch is not None:
        notes.append(f"MAILMOVE_STORE: {mismatch}")
    return tuple(notes)


async def _tls_mismatch(store: RedisStore) -> str | None:
    """What is wrong when Redis does not answer (its TLS, or at all) or refuses writes; else None.

    A replica (the old primary after a failover) or a full Redis answers and refuses every
    write: the replica started without a word and every message got 503. A Redis down at
    start-up is not refused (it may be back in a minute), but the summary, the line an
    operator reads to see how a start went, said nothing of it.
    """
    from bot.store.conversation_store import StoreUnavailableError

    try:
        await store.ping()
    except StoreUnavailableError as err:
        if (refused := store.writes_refused) is not None:
            return f"{refused}; every message gets 503 until a write works"
        mismatch = await store.tls_mismatch()
        if mismatch is not None:
            return f"Redis does not answer: {mismatch}; writes get 503"
        return (
            f"Redis does not answer ({err}): not ready, and every message gets 503 until it"
            " answers; then the replica serves by itself, no restart needed"
        )
    return None


def announce(summary: StartupSummary, log_format: str, stream: TextIO | None = None) -> None:
    """The start-up summary: a block on a terminal, one line with its fields for a collector."""
    from bot.ops.logging_setup import flush_logs

    if log_format == "console":
        flush_logs()  # after whatever start-up logged, not in the middle of it
        print("\n".join(summary.lines()), file=stream or sys.stderr, flush=True)
    else:
        _LOGGER.info("mailmove starting", extra=dict(summary.fields()))


def _profile_check(path: Path, locale: Locale) -> int:
    from bot.ops.catalogs import Catalogs
    from bot.ops.profile_loader import load_profile
    from bot.ops.profile_preview import preview
    from bot.ops.profile_texts import check_questionnaire_texts
    from dialogs.profile import ProfileError

    try:
        profile = load_profile(path)
        catalogs = Catalogs.load().with_variants(profile.text_variants)
        # As `serve` does: a catalog key without a text would fail the preview's first turn.
        check_questionnaire_texts(profile, catalogs, path)
    except ProfileError as err:
        print(f"mailmove: {err}", file=sys.stderr)
        return 2
    try:
        print("\n".join(preview(profile, catalogs, locale, str(path))), flush=True)
    except BrokenPipeError:
        # Read through `head`: the reader has gone, which is not an error of the profile's.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _profile_diagram(path: Path) -> int:
    # Read here, not in `dialogs.diagram`: the dialog package does no I/O. Imported only for
    # this command: the diagram machinery is nothing `serve` or `chat` should load.
    from bot.ops.profile_loader import load_profile
    from dialogs.diagram import document
    from dialogs.profile import ProfileError

    try:
        profile = load_profile(path)
    except ProfileError as err:
        print(f"mailmove: {err}", file=sys.stderr)
        return 2
    print(document(profile.questionnaire, str(path)), end="")
    return 0


def _stats(
    settings: Settings, since: dt.date | None, until: dt.date | None, *, as_json: bool
) -> int:
    from bot.ops.profile_loader import load_profile
    from bot.ops.stats import collect, render_json, render_table
    from bot.store.sqlite_store import SQLiteStore
    from bot.store.store_url import MayRefuse, store_from_url

    logging.getLogger().setLevel(logging.WARNING)
    # Days are the provider's calendar days, as the desk counts them.
    timezone = load_profile(settings.profile_path).timezone
    last = until or dt.datetime.now(zoneinfo.ZoneInfo(timezone)).date()
    days = dt.timedelta(days=STATS_DAYS - 1)
    # Not before the first day there is: '--until 0001-01-05' ended in a traceback.
    first = since or (last - days if last - dt.date.min > days else dt.date.min)
    store = store_from_url(settings.store_url)
    if (
        isinstance(store, SQLiteStore)
        and store.path != ":memory:"
        and not Path(store.path).exists()
    ):
        # A typo'd --store would otherwise create an empty database and report zeros.
        print(f"mailmove: no conversation store at {store.path}", file=sys.stderr)
        return 2

    async def read() -> str:
        await store.open()
        try:
            # As serve says it: a Redis refusing the URL's login or database, with the fix.
            refusal = await store.refusal(stats=True) if isinstance(store, MayRefuse) else None
            if refusal is not None:
                raise ValueError(f"MAILMOVE_STORE: Redis refuses it: {refusal}")
            figures = await collect(store, first, last, timezone)
        finally:
            await store.close()
        return render_json(figures) if as_json else render_table(figures)

    print(asyncio.run(read()))
    return 0


def _chat(settings: Settings, locale: str | None, clock: Clock) -> int:
    from bot.channels.registry import TerminalChannel, available_factories
    from bot.runtime import build_runtime

    logging.getLogger().setLevel(logging.WARNING)
    # The terminal conversation lives only as long as the terminal does, and so do its
    # login-check links, which its in-memory store maps.
    runtime = build_runtime(
        settings.with_overrides(store_url="sqlite://:memory:"),
        clock=clock,
    )
    factory = available_factories().get("console")
    if factory is None:
        print("mailmove: the console channel is not installed", file=sys.stderr)
        return 2
    channel = cast(TerminalChannel, factory(runtime))
    runtime.delivery.register(channel)

    async def run() -> int:
        loop = asyncio.get_running_loop()
        main = asyncio.current_task()
        interrupted: list[bool] = []

        def interrupt() -> None:
            interrupted.append(True)
            if main is not None:
                main.cancel()

        # Ctrl-C through the loop's own handler, which wakes the loop by its wakeup pipe
        # whichever thread the kernel hands SIGINT to. asyncio.run's handler runs only once
        # the main thread wakes: a SIGINT taken by the thread reading the terminal (blocked
        # in read(), it reads on) left the loop asleep, and the chat hung.
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signal.SIGINT, interrupt)
        await runtime.engine.store.open()
        try:
            return await channel.run(locale=locale)
        except asyncio.CancelledError:
            if not interrupted:
                raise
            return _INTERRUPTED
        finally:
            await runtime.engine.store.close()

    try:
        status = asyncio.run(run())
    except (KeyboardInterrupt, asyncio.CancelledError):  # Ctrl-C again while closing
        status = _INTERRUPTED
    if status == _INTERRUPTED:  # Ctrl-C: the conversation ends, as on any other prompt
        print(file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
