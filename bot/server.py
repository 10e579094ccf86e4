"""The process's ASGI application: one Starlette app for everything the process serves.

Every enabled channel's routes, the desk's API, the login check's page, configuration
files and the operations endpoints.

`serve` runs it under uvicorn and drains on SIGTERM, SIGINT and SIGHUP (see `bot.web.gate`).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import errno
import gc
import logging
import os
import signal
import socket
import threading
import time
import zoneinfo
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from types import FrameType
from typing import Final

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect
from starlette.routing import BaseRoute
from starlette.types import Message, Receive, Scope, Send

from bot.channels.registry import Channel, LargeBodies, enabled_channels
from bot.desk.agent_api import AgentApi
from bot.desk.agent_messages import AgentMessages
from bot.desk.agent_silence import AgentSilence
from bot.engine import Clock, Engine, system_clock
from bot.mailcheck.check_links import PATH_PREFIX
from bot.mailcheck.check_page import CheckPage
from bot.mailcheck.login_checks import CheckSettings, PageStatus
from bot.ops.metrics import Metrics
from bot.ops.settings import MAX_BODY_BYTES, ConfigError, Settings
from bot.runtime import Pause, Runtime, build_runtime, login_checks
from bot.store.conversation_store import ConversationStore, StoreUnavailableError
from bot.web.body_limit import BodiesInFlight, BodyLimit, client_gone
from bot.web.browser_page import BrowserPage
from bot.web.client_limit import ClientLimit, ClientThrottle
from bot.web.config_file_routes import config_file_routes
from bot.web.failure_throttle import FailureThrottle
from bot.web.gate import Draining, RequestGate, StoreRefusals, refusal_status
from bot.web.health import operations_routes, store_unavailable_handler
from bot.web.response_headers import ResponseHeaders
from bot.web.routes import one_route_per_path

_LOGGER: Final = logging.getLogger(__name__)
EXPIRY_INTERVAL: Final = 3600.0
# After a failed expiry round (the store down at start, say) the next comes this soon, then
# twice as late each time it fails again, up to EXPIRY_INTERVAL: an hour's wait left
# transcripts past their retention for an hour after a Redis that was down for seconds.
EXPIRY_RETRY_FIRST: Final = 30.0
# With a preview, what the earlier clock dated after its now is kept this long: a turn (or a
# link's 10 minutes) that raced the sweep.
EXPIRY_SLACK: Final = dt.timedelta(days=1)
GC_YOUNG_THRESHOLD: Final = 50_000
# Within Kubernetes' default 30 s termination grace, with room for the lifespan's own drain.
SHUTDOWN_GRACE: Final = 20
# How uvicorn says the lifespan failed (uvicorn.server.Server.startup).
_FAILED: Final = "Application startup failed"


def build_app(
    settings: Settings,
    *,
    clock: Clock = system_clock,
    store: ConversationStore | None = None,
    check: CheckSettings | None = None,
    exclude_channels: Sequence[str] = ("console",),
    pause: Pause = asyncio.sleep,
) -> Starlette:
    """The whole server. Tests pass a fixed `clock`, their own `store` and mail servers.

    `pause`: how the channels wait before sending again (tests record it instead).
    """
    metrics = Metrics()
    runtime = build_runtime(settings, clock=clock, store=store, metrics=metrics, pause=pause)
    channels = enabled_channels(runtime, exclude=exclude_channels)
    draining = Draining()
    page = CheckPage(login_checks(runtime, check, stopping=draining.stopping), runtime.catalogs)
    # A password oracle otherwise: one client trying a password on account after account.
    checks, guesses = (
        ClientThrottle(
            "check_page",
            settings.check_client_limit,
            float(settings.check_window),
            scope=scope,
            header=settings.client_ip_header,
            limiters=runtime.limiter,
        )
        for scope in ("check_submits", "check_link_guesses")
    )

    async def check_throttle(scope: Scope) -> ClientThrottle | None:
        # Links made up are counted apart from checks: 20 posts to unknown links from one
        # address (anyone behind the same NAT) refused the subscriber's own check for the
        # hour. A used or expired link is someone's own and runs nothing: not counted.
        status = await page.link_status(scope)
        if status is PageStatus.INVALID:
            return guesses
        if status is PageStatus.FORM and scope["method"] == "POST":
            return checks
        return None

    check_limit = Middleware(
        ClientLimit, choose=check_throttle, method=None, prefix=PATH_PREFIX, page=page.too_many
    )
    messages = AgentMessages(runtime.engine, runtime.delivery, runtime.catalogs, runtime.tasks)
    agents = AgentApi(runtime.engine, runtime.delivery, runtime.settings.agent_tokens, messages)
    extra = [
        *page.routes(),
        *agents.routes(),
        *config_file_routes(
            runtime.engine.profile, runtime.catalogs, today=_provider_today(runtime.engine)
        ),
    ]
    return _app(
        runtime,
        channels,
        extra,
        metrics,
        draining,
        too_large=page.too_large,
        unavailable=page.unavailable,
        limits=(check_limit,),
        outbox=messages,
        silence=_silence(runtime),
    )


def _silence(runtime: Runtime) -> AgentSilence | None:
    """Who tells a subscriber kept waiting by the desk that the reply is late, if anyone."""
    minutes = runtime.settings.agent_silence_minutes
    if runtime.handoffs is None or minutes == 0:
        return None
    return AgentSilence(
        runtime.engine,
        runtime.handoffs,
        runtime.delivery,
        after=dt.timedelta(minutes=minutes),
        now=runtime.engine.now,
    )


def _provider_today(engine: Engine) -> Callable[[], dt.date]:
    """The provider's calendar day by the engine's clock, as the dialog's "today" is."""
    zone = zoneinfo.ZoneInfo(engine.profile.timezone)
    return lambda: engine.now().astimezone(zone).date()


def _app(
    runtime: Runtime,
    channels: list[Channel],
    extra: Sequence[BaseRoute],
    metrics: Metrics,
    draining: Draining,
    *,
    too_large: BrowserPage | None = None,
    unavailable: BrowserPage | None = None,
    limits: Sequence[Middleware] = (),
    outbox: AgentMessages | None = None,
    silence: AgentSilence | None = None,
) -> Starlette:
    store = runtime.engine.store

    def expiry_spans(retention: dt.timedelta) -> list[tuple[dt.datetime | None, dt.datetime]]:
        """What the expiry deletes: the conversations last updated in each (after, before)."""
        now = runtime.engine.now()
        if runtime.settings.as_of is None:
            return [(None, now - retention)]
        # A preview's conversations are dated by its clock, and the real server's sharing its
        # file (one SQLite file may have two servers) by the real one: each keeps the
        # retention before its own clock's now. One cutoff could not: the later clock's
        # deleted every conversation of the other (a preview of the next migration's
        # window, months ahead, emptied the serving replica's file at its start), and the
        # earlier clock's deleted nothing of the later one's (a preview of 2008 paused the
        # expiry of its file). After the earlier clock's now there is only what the later
        # clock dated, kept for the retention before its now (and EXPIRY_SLACK's turns that
        # raced the sweep, dated by the earlier clock just after it read it).
        early, late = sorted((now, dt.datetime.now(dt.UTC)))
        spans: list[tuple[dt.datetime | None, dt.datetime]] = [(None, _less(early, retention))]
        if late - retention > early + EXPIRY_SLACK:
            spans.append((early + EXPIRY_SLACK, late - retention))
        return spans

    async def expire_old_conversations() -> None:
        # Transcripts hold personal data: keep them no longer than the retention period.
        retention = dt.timedelta(days=runtime.settings.retention_days)
        failures = 0
        while True:
            wait = expiry_wait(failures + 1)
            try:
                removed = 0
                for after, before in expiry_spans(retention):
                    removed += await store.expire(before, after=after)
                if removed:
                    _LOGGER.info("Expired %d conversations", removed)
            except StoreUnavailableError as err:
                if _cancelling():
                    # The lifespan closed the store under a round whose cancellation redis-py
                    # swallowed: no outage to tell ("Expiry skipped (tried again in 30 s):
                    # the Redis store is closed" was said at shutdown), nothing to try again.
                    return
                failures += 1
                if failures == 1:  # once: the retries of an outage would repeat it
                    _LOGGER.warning("Expiry skipped (tried again in %g s): %s", wait, err)
            except Exception as err:  # one bad record must not end expiry for good
                # Raised out of here, the task ended silently and transcripts outlived their
                # retention while every probe said the replica was fine.
                failures += 1
                if failures == 1:
                    _LOGGER.exception(
                        "Expiry failed (tried again in %g s): %s: %s",
                        wait,
                        type(err).__name__,
                        err,
                    )
                metrics.background_error("expiry")
            else:
                if failures:
                    _LOGGER.info("Expiry works again after %d failed round(s)", failures)
                failures = 0
            # redis-py can swallow a cancellation that lands mid-command (the lifespan
            # cancels this task, then closes the store under it): without this check the
            # task slept on for an hour and the event loop's shutdown waited for it.
            if _cancelling():
                return
            await asyncio.sleep(expiry_wait(failures))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        started = time.monotonic()
        # Tasks that channels start from here (polling) inherit this app's metrics.
        metrics.activate()
        await store.open()
        try:
            for channel in channels:
                await channel.start()
        except ConfigError as err:
            # A setting the platform judged (Chatwoot's token): `serve` says it in one line.
            app.state.refused = err
            await store.close()
            raise
        # Once the channels have registered their desks and senders: their names are known.
        metrics.from_zero(
            desks=[desk.name for desk in runtime.handoffs.every_desk]
            if runtime.handoffs is not None
            else [],
            channels=runtime.delivery.names,
        )
        expiry = asyncio.create_task(expire_old_conversations(), name="expiry")
        # Desks a stopped (or crashed) replica had still to tell of a message left: once the
        # channels have registered their desks, so each notice finds its desk.
        sweep = (
            asyncio.create_task(runtime.handoffs.sweep_forever(), name="desk notices")
            if runtime.handoffs is not None
            else None
        )
        # Agents' messages a killed process left between their line and the platform: marked
        # before any request, so nothing this process sends is taken for one of them.
        outbox_sweep = None
        if outbox is not None:
            await outbox.recover_at_start()
            outbox_sweep = asyncio.create_task(outbox.sweep_forever(), name="agent outbox")
        silence_sweep = (
            asyncio.create_task(silence.sweep_forever(), name="agent silence")
            if silence is not None
            else None
        )
        tune_garbage_collector()
        # The summary came before all this (and uvicorn's own line is dropped as noise): a
        # replica still starting, or hung in it, looked like one that serves.
        _LOGGER.info("Serving: the start took %.1f s", time.monotonic() - started)
        try:
            yield
        finally:
            expiry.cancel()
            if sweep is not None:
                sweep.cancel()
            if outbox_sweep is not None:
                outbox_sweep.cancel()
            if silence_sweep is not None:
                silence_sweep.cancel()
            draining.begin()
            # Finish the turns already acknowledged to a platform before closing anything.
            await runtime.tasks.drain()
            for channel in reversed(channels):
                await channel.stop()
            await store.close()

    # Channels first: Starlette tries routes in order, and their webhooks carry the load.
    routes: list[BaseRoute] = [route for channel in channels for route in channel.routes()]
    # The gate's 503s and the exception handler's, counted and said as one; `/readyz` says
    # how many there were when the store answers again.
    refusals = StoreRefusals(metrics)
    routes += [*operations_routes(store, draining, metrics, refusals), *extra]
    app = Starlette(
        routes=one_route_per_path(routes),
        lifespan=lifespan,
        middleware=[
            # Outermost: every answer gets its headers, the gate's and the limits' refusals too.
            Middleware(
                ResponseHeaders, https=runtime.settings.base_url.lower().startswith("https://")
            ),
            Middleware(
                RequestGate,
                metrics=metrics,
                draining=draining,
                store=store,
                refusals=refusals,
                page=unavailable,
            ),
            Middleware(
                BodyLimit,
                max_bytes=MAX_BODY_BYTES,
                page=too_large,
                # The bytes of bodies held at once, bounded for the process (one app each):
                # a webhook reads 2 MiB before it can check who sent it.
                bodies=BodiesInFlight(),
                busy=unavailable,
                refused_with=refusal_status,
                # A platform's signed webhook whose events weigh more (Slack's long replies).
                larger={
                    path: limit
                    for channel in channels
                    if isinstance(channel, LargeBodies)
                    for path, limit in channel.body_limits.items()
                },
            ),
            # Token guessing: a client's repeated 401s from the agent API earn it a 429.
            Middleware(
                FailureThrottle,
                prefix="/api/agent/",
                name="agent_api",
                header=runtime.settings.client_ip_header,
                limiters=runtime.limiter,
            ),
            *limits,
        ],
        exception_handlers={
            StoreUnavailableError: store_unavailable_handler(refusals, unavailable),
            ClientDisconnect: client_gone,
        },
    )
    # A slash redirect's Location came from the Host header (see bot.web.routes).
    app.router.redirect_slashes = False
    app.state.runtime = runtime
    app.state.metrics = metrics
    app.state.draining = draining
    return app


def _cancelling() -> bool:
    """Whether the running task was asked to stop, even if a library swallowed the request."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


def expiry_wait(failures: int) -> float:
    """Seconds to the next expiry round after `failures` failed rounds in a row (0: none).

    EXPIRY_RETRY_FIRST after the first, doubled for each one more, never past EXPIRY_INTERVAL.
    """
    if failures <= 0:
        return EXPIRY_INTERVAL
    # The exponent is capped: 2.0 ** 1100 is an OverflowError, after days of an outage.
    return min(EXPIRY_RETRY_FIRST * 2.0 ** min(failures - 1, 64), EXPIRY_INTERVAL)


def _less(moment: dt.datetime, span: dt.timedelta) -> dt.datetime:
    """`moment - span`, or the first instant there is.

    A preview of the year 1 (or of a day less than the retention after it) failed every
    expiry round with OverflowError: an ERROR with its traceback, and a background error,
    each hour.
    """
    try:
        return moment - span
    except OverflowError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)


def tune_garbage_collector() -> None:
    """Fewer, cheaper collections once the server is up.

    What start-up loaded (catalogs, profile, SDKs, the state machine) lives as long as the
    process: frozen, the collector never walks it again. A turn allocates many short-lived
    objects and few cycles, so collecting the young generation less often costs little
    memory; full collections were the pauses behind the worst latencies under load
    (`make bench`: p99 from about 60 ms to about 25 ms at 50 concurrent subscribers).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, 50, 100)


class ListenError(OSError):
    """The address `serve` was told to listen on cannot be had (taken, or not this machine's)."""


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host:port, bound before anything else starts, or ListenError.

    Left to uvicorn, a port already taken was found only after the start-up summary had said
    where the web chat is and the store was open: an error line, then uvicorn's "Application
    shutdown complete.", the record of a clean drain, and exit status 3.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named: asyncio turns Nagle's algorithm off (TCP_NODELAY) only on a socket
    # that says TCP, and an accepted connection takes the listener's proto (0 if left out).
    # uvicorn writes an answer's headers and body apart, and with Nagle on the body waited
    # for the client's delayed ACK: 40 ms added to about one answer in ten.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    # As uvicorn does: a restart does not wait for the last run's connections in TIME_WAIT.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as err:
        sock.close()
        if isinstance(err, socket.gaierror):
            # The resolver's error number is no errno: os.strerror(-2) is "Unknown error -2".
            raise ListenError(
                err.errno,
                f"cannot listen on {host}:{port}: the host name does not resolve"
                f" ({err.strerror}); MAILMOVE_HOST or --host takes an address of this machine"
                " (0.0.0.0 for all of them) or a name that resolves to one",
            ) from None
        reason = os.strerror(err.errno) if err.errno else str(err)
        hint = {
            errno.EADDRINUSE: " (is mailmove already running? --port or MAILMOVE_PORT picks"
            " another)",
            # "cannot assign requested address" alone: a host name or an address of another
            # machine (the load balancer's, the public one behind NAT) in MAILMOVE_HOST.
            errno.EADDRNOTAVAIL: " (no network interface of this machine has that address;"
            " MAILMOVE_HOST or --host takes one of its own, or 0.0.0.0 for all of them)",
        }.get(err.errno or 0, "")
        raise ListenError(
            err.errno, f"cannot listen on {host}:{port}: {reason.lower()}{hint}"
        ) from None
    return sock


def _say_stopping(sig: int) -> None:
    name = signal.Signals(sig).name
    # `kill -HUP` (or a unit's ExecReload) is a reload elsewhere: here it stops the server,
    # with status 0, which systemd's Restart=on-failure does not start again.
    why = (
        " (SIGHUP does not reload: the settings and the profile are read at start only;"
        " restart mailmove to take a change up)"
        if sig == signal.SIGHUP
        else ""
    )
    _LOGGER.info("Stopping on %s: draining the turns in flight%s", name, why)


def serve(app: Starlette, sock: socket.socket) -> None:
    """Run `app` under uvicorn on `sock` until SIGTERM/SIGINT/SIGHUP, draining first."""
    import uvicorn  # imported here: tests and `mailmove chat` need no web server
    from uvicorn.server import HANDLED_SIGNALS

    from bot.web.http_limits import BoundedHttpToolsProtocol

    class DrainingServer(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            # uvicorn's own version raises the caught signal again once the server has shut
            # down: SIGTERM's default action then ended the process before its exit handlers
            # wrote the queued log lines ("Application shutdown complete." among them), and
            # Ctrl-C ended in a KeyboardInterrupt traceback. A drained server returns, and
            # `mailmove serve` exits 0.
            if threading.current_thread() is not threading.main_thread():
                yield  # signals can only be handled in the main thread
                return
            # SIGHUP too (the terminal or the ssh session closed): its default action ended
            # the process at once, cutting the turns in flight, unless it is ignored (`nohup`),
            # which is left as it is.
            ignored = signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
            hangup = () if ignored else (signal.SIGHUP,)
            previous = {
                sig: signal.signal(sig, self.handle_exit) for sig in (*HANDLED_SIGNALS, *hangup)
            }
            try:
                yield
            finally:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)

        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            # First refuse new turns and fail readiness, then let uvicorn stop accepting
            # connections and wait for the requests in flight.
            if not app.state.draining.active:
                # Said from the event loop: a signal handler that logs could find the
                # logging queue's lock held by the code it interrupted.
                with contextlib.suppress(RuntimeError):
                    asyncio.get_running_loop().call_soon_threadsafe(_say_stopping, sig)
            app.state.draining.begin()
            super().handle_exit(sig, frame)

    async def without_refusal_traceback(scope: Scope, receive: Receive, send: Send) -> None:
        # Starlette reports a failed start-up with the exception's traceback, which uvicorn
        # logs; a refused setting is said once, in one line, by the caller instead.
        async def send_plain(message: Message) -> None:
            if message["type"] == "lifespan.startup.failed" and hasattr(app.state, "refused"):
                message = {"type": "lifespan.startup.failed", "message": ""}
            await send(message)

        await app(scope, receive, send_plain if scope["type"] == "lifespan" else send)

    def not_after_a_refusal(record: logging.LogRecord) -> bool:
        # uvicorn then logs "Application startup failed. Exiting." as an error of its own:
        # a line naming no cause, ahead of the refusal that names it.
        return not (hasattr(app.state, "refused") and record.getMessage().startswith(_FAILED))

    host, port = sock.getsockname()[:2]
    config = uvicorn.Config(
        without_refusal_traceback,
        host=host,
        port=port,
        # Logging is configured by the caller (JSON lines under `mailmove serve`); the
        # per-turn log line replaces the access log, which would carry conversation ids.
        log_config=None,
        log_level="info",
        access_log=False,
        # The client address is the socket's, or the header the operator names
        # (MAILMOVE_CLIENT_IP_HEADER, read by the per-client limits): uvicorn's default would
        # believe X-Forwarded-For from 127.0.0.1 whatever the setting says.
        proxy_headers=False,
        # No `Server: uvicorn`: naming the HTTP stack tells a client which advisories to try.
        server_header=False,
        timeout_graceful_shutdown=SHUTDOWN_GRACE,
        # httptools with a bound on each request's head, in size and in time.
        http=BoundedHttpToolsProtocol,
        # Past the proxy's own idle time: see bot.ops.settings.DEFAULT_KEEP_ALIVE.
        timeout_keep_alive=app.state.runtime.settings.keep_alive,
    )
    uvicorn_log = logging.getLogger("uvicorn.error")
    uvicorn_log.addFilter(not_after_a_refusal)
    try:
        DrainingServer(config).run(sockets=[sock])
    except SystemExit:
        # uvicorn exits (status 3) when the lifespan fails; a setting a channel refused as it
        # started goes to the caller as the ConfigError it is, like any other bad setting.
        refused: ConfigError | None = getattr(app.state, "refused", None)
        if refused is not None:
            raise refused from None
        raise
    finally:
        uvicorn_log.removeFilter(not_after_a_refusal)
