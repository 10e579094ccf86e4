"""A fake Slack, Telegram and LINE API on 127.0.0.1 that records every call.

Each SDK is pointed at it (`SLACK_API_URL`, `TELEGRAM_API_URL`, `LINE_API_URL`), so the
adapters run their real SDK code end to end. It answers with valid objects, can refuse the
first N calls of a method with 429 and Retry-After or fail them with a 5xx (before or after
taking the message), and lets a test wait for calls with an event instead of sleeping.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import parse_qsl

import httpx
import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from bot.ops.tls import client_tls
from testbed.loopback import PromptServer, listening
from tests.fakes.platform_limits import (
    TELEGRAM_NOT_BY_DEFAULT,
    json_list,
    json_value,
    line_refusal,
    slack_refusal,
    telegram_commands_refusal,
    telegram_message_refusal,
    telegram_notice_refusal,
)

SLACK_TEAM: Final = "T0MAILMOVE"
SLACK_BOT_USER: Final = "U0MAILBOT"
TELEGRAM_BOT_ID: Final = 7000000001
WAIT_SECONDS: Final = 15.0
_DATE: Final = 1212345678  # 2008-06-01, inside the seed's window


@dataclass(slots=True)
class Call:
    """One request the fake received, and what it answered."""

    platform: str
    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    status: int = 200
    result: dict[str, Any] = field(default_factory=dict)
    accepted: bool = False
    """The platform took the message, whatever the answer said (a 500 can follow acceptance)."""
    at: float = field(default_factory=time.monotonic)
    """When the request arrived (the monotonic clock): how long a sender waited after a 429."""


@dataclass(slots=True)
class _Throttle:
    remaining: int
    headers: dict[str, str]


@dataclass(slots=True)
class _Failure:
    remaining: int
    status: int
    accepted: bool = False


class FakePlatformAPI:
    """The three platforms' APIs in one Starlette app, served by uvicorn in the test's loop."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.slack_locales: dict[str, str] = {}
        self.slack_names: dict[str, str] = {}
        """Members' display names (profile.display_name); the others have none set."""
        self.slack_strangers: set[str] = set()
        self.slack_gone: set[str] = set()
        """Conversations Slack no longer has (a DM whose member left): channel_not_found."""
        """Members users.info does not know (another organisation's): user_not_found."""
        self.slack_refused_tokens: set[str] = set()
        """Tokens auth.test and apps.connections.open refuse (invalid_auth): revoked, mistyped."""
        self.slack_slow_users: set[str] = set()
        """Members users.info does not answer for until the fake stops (a Slack that hangs)."""
        self._released = asyncio.Event()
        self.line_languages: dict[str, str] = {}
        self.line_expired_tokens: set[str] = set()
        self.line_refused_access_tokens: set[str] = set()
        """Channel access tokens LINE answers 401 (revoked, another channel's, mistyped)."""
        self.line_pushes_lost_after_acceptance = 0
        self.line_monthly_limit_reached = False
        """The month's allowance of messages used up: every push gets LINE's quota 429."""
        self.telegram_blocked: set[int] = set()
        """Chats whose user blocked the bot: every send there gets 403."""
        self.telegram_offsets: list[int] = []
        """Each getUpdates' offset, as the request arrives: what the poller has confirmed."""
        self.telegram_allowed_updates: list[str] = []
        """The allowed_updates last given to setWebhook or getUpdates ([]: Telegram's default)."""
        self.telegram_commands: dict[str, list[dict[str, str]]] = {}
        """The commands' lists setMyCommands set, by language_code ("": the default list)."""
        self.slack_socket_acks: list[dict[str, Any]] = []
        self._slack_outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._telegram_updates: list[dict[str, Any]] = []
        self._line_used_tokens: set[str] = set()
        self._line_retry_keys: set[str] = set()
        self._throttles: dict[tuple[str, str], _Throttle] = {}
        self._failures: dict[tuple[str, str], _Failure] = {}
        self._ids = itertools.count(1)
        self._changed = asyncio.Event()
        self._server: PromptServer | None = None
        self._task: asyncio.Task[None] | None = None
        self.port = 0
        self.app = Starlette(
            routes=[
                Route("/healthz", self._health, methods=["GET"]),
                Route("/slack/api/{method}", self._slack, methods=["GET", "POST"]),
                WebSocketRoute("/slack/socket", self._slack_socket),
                Route("/telegram/bot{token}/{method}", self._telegram, methods=["GET", "POST"]),
                Route("/line/v2/bot/message/{kind}", self._line_message, methods=["POST"]),
                Route("/line/v2/bot/profile/{user}", self._line_profile, methods=["GET"]),
                Route("/line/v2/bot/info", self._line_bot_info, methods=["GET"]),
            ]
        )

    # -- lifecycle ------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The server's base URL."""
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        """Serve on a free port; return once it answers."""
        # Bound before serving: the port is ours from here on, no race for a "free" number.
        # listening's socket is TCP's by name, so the answers do not wait on Nagle's algorithm.
        sock = listening()
        self.port = sock.getsockname()[1]
        # No Date of uvicorn's: a 429 that says its own (`throttle`) would carry two.
        config = uvicorn.Config(
            self.app, log_level="warning", lifespan="off", ws="websockets-sansio", date_header=False
        )
        self._server = PromptServer(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        await self._wait_ready()

    async def _wait_ready(self) -> None:
        # Poll the port: each attempt blocks until uvicorn answers or refuses, no sleeping.
        # Plain HTTP needs no TLS, but httpx builds a context for every client all the same.
        tls = client_tls()
        async with asyncio.timeout(WAIT_SECONDS), httpx.AsyncClient(verify=tls) as client:
            while True:
                if self._task is not None and self._task.done():
                    self._task.result()  # uvicorn failed to start: raise its error
                try:
                    response = await client.get(f"{self.url}/healthz")
                except httpx.TransportError:
                    await asyncio.sleep(0)
                    continue
                if response.status_code == 200:
                    return

    async def stop(self) -> None:
        """Stop serving and wait until the server has closed."""
        if self._server is not None and self._task is not None:
            self._released.set()  # answers the users.info held for slow members
            self._server.should_exit = True
            self._changed.set()  # releases a held getUpdates
            await self._task

    # -- what a test asks -------------------------------------------------------------------

    def throttle(
        self,
        platform: str,
        method: str,
        *,
        times: int = 1,
        retry_after: int | str = 1,
        date: str | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` with 429 and Retry-After.

        `retry_after` as a str is sent as written (an HTTP-date, say); `date` is the answer's
        Date header, the platform's clock (none unless given: see `start`).
        """
        headers = {"Retry-After": str(retry_after)} | ({"Date": date} if date else {})
        self._throttles[platform, method] = _Throttle(times, headers)

    def fail(
        self,
        platform: str,
        method: str,
        *,
        times: int = 1,
        status: int = 502,
        accepted: bool = False,
    ) -> None:
        """Answer the next `times` calls of `method` with `status`.

        `accepted`: the platform takes the message all the same (Slack posts it, LINE keeps
        its retry key), as a 5xx after the work was done does; else nothing happens.
        """
        self._failures[platform, method] = _Failure(times, status, accepted)

    def calls_to(self, platform: str, method: str, *, status: int | None = 200) -> list[Call]:
        """The calls of `method` (by default only those answered 200), oldest first."""
        return [
            c
            for c in self.calls
            if c.platform == platform
            and c.method == method
            and (status is None or c.status == status)
        ]

    def platform_calls(self, platform: str) -> list[Call]:
        """Every call made to `platform`."""
        return [c for c in self.calls if c.platform == platform]

    async def wait_for(
        self, condition: Callable[[], bool], *, seconds: float = WAIT_SECONDS
    ) -> None:
        """Return once `condition()` holds; re-checked after every call the fake receives."""
        async with asyncio.timeout(seconds):
            while not condition():
                # No await between the check and clear(): nothing can slip in between.
                self._changed.clear()
                await self._changed.wait()

    def add_telegram_update(self, update: dict[str, Any]) -> None:
        """Queue an update for the next `getUpdates` (long polling)."""
        self._telegram_updates.append(update)
        self._changed.set()

    async def send_slack_envelope(self, envelope: dict[str, Any]) -> None:
        """Send a Socket Mode envelope to the connected client."""
        await self._slack_outbox.put(envelope)

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        self._changed.set()

    def _throttled(self, platform: str, method: str) -> dict[str, str] | None:
        """The headers (Retry-After) to answer this call of `method` with, or None to serve it."""
        throttle = self._throttles.get((platform, method))
        if throttle is None or throttle.remaining <= 0:
            return None
        throttle.remaining -= 1
        return throttle.headers

    def _failed(self, platform: str, method: str) -> _Failure | None:
        """The failure to answer this call of `method` with, or None to serve it."""
        failure = self._failures.get((platform, method))
        if failure is None or failure.remaining <= 0:
            return None
        failure.remaining -= 1
        return failure

    async def _health(self, _: Request) -> Response:
        return Response("ok")

    # -- Slack ------------------------------------------------------------------------------

    async def _slack(self, request: Request) -> Response:
        method = request.path_params["method"]
        params: dict[str, Any] = dict(request.query_params)
        params.update(await _body_params(request))
        call = Call("slack", method, params, dict(request.headers))
        retry_after = self._throttled("slack", method)
        if retry_after is not None:
            call.status = 429
            self._record(call)
            return JSONResponse(
                {"ok": False, "error": "ratelimited"},
                status_code=429,
                headers=retry_after,
            )
        failed = self._failed("slack", method)
        if failed is not None and not failed.accepted:
            call.status = failed.status
            self._record(call)
            return Response("<html>Service Unavailable</html>", status_code=failed.status)
        if method == "users.info" and str(params.get("user")) in self.slack_slow_users:
            await self._released.wait()
        refused = slack_refusal(method, params)
        if method in ("apps.connections.open", "auth.test") and (
            request.headers.get("authorization", "").removeprefix("Bearer ")
            in self.slack_refused_tokens
        ):
            refused = ["invalid_auth"]
        if method == "chat.postMessage" and str(params.get("channel")) in self.slack_gone:
            refused = ["channel_not_found"]
        call.result = (
            {"ok": False, "error": refused[0], "errors": refused[1:]}
            if refused
            else self._slack_result(method, params)
        )
        call.accepted = call.result.get("ok") is True
        if failed is not None:
            # Posted, but the answer says otherwise: only reading the channel back tells.
            call.status = failed.status
            self._record(call)
            return JSONResponse({"ok": False, "error": "internal_error"}, status_code=failed.status)
        self._record(call)
        return JSONResponse(call.result)

    def _slack_result(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://mailmove.slack.com/",
                "team": "mailmove",
                "user": "mailmove",
                "team_id": SLACK_TEAM,
                "user_id": SLACK_BOT_USER,
                "bot_id": "B0MAILBOT",
                "is_enterprise_install": False,
            }
        if method in ("chat.postMessage", "chat.update"):
            ts = params.get("ts") or f"1212345678.{next(self._ids):06d}"
            channel = params.get("channel")
            if isinstance(channel, str) and channel.startswith("U"):
                # Posted to a member's id: Slack puts it in their DM with the app.
                channel = f"D{channel[1:]}"
            return {
                "ok": True,
                "channel": channel,
                "ts": ts,
                "message": {
                    "type": "message",
                    "text": params.get("text"),
                    "user": SLACK_BOT_USER,
                    "bot_id": "B0MAILBOT",
                    "ts": ts,
                    "blocks": params.get("blocks") or [],
                    **({"thread_ts": params["thread_ts"]} if params.get("thread_ts") else {}),
                },
            }
        if method == "chat.delete":
            return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts")}
        if method == "chat.postEphemeral":
            # Shown to one member only, and never part of the channel's history.
            return {"ok": True, "message_ts": f"1212345678.{next(self._ids):06d}"}
        if method in ("conversations.history", "conversations.replies"):
            messages = self._slack_history(params)
            if method == "conversations.replies":
                # A thread is read oldest first, its parent first (Slack's documentation:
                # "the first message is the parent"); a channel's history newest first.
                messages.reverse()
            return {"ok": True, "messages": messages, "has_more": False}
        if method == "users.info":
            user = str(params.get("user"))
            if user in self.slack_strangers:
                return {"ok": False, "error": "user_not_found"}
            return {
                "ok": True,
                "user": {
                    "id": user,
                    "team_id": SLACK_TEAM,
                    "name": "taro",
                    "real_name": "",
                    "profile": {"display_name": self.slack_names.get(user, ""), "real_name": ""},
                    "locale": self.slack_locales.get(user, "ja-JP"),
                },
            }
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/slack/socket"}
        return {"ok": False, "error": "unknown_method"}

    def _slack_history(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """The messages posted to a channel (or one thread of it), newest first."""
        channel, thread = params.get("channel"), params.get("ts")
        posted = [
            c
            for c in self.calls
            if c.platform == "slack"
            and c.method == "chat.postMessage"
            and c.accepted
            and channel in (c.params.get("channel"), c.result.get("channel"))
            and (thread is None or thread in (c.params.get("thread_ts"), c.result.get("ts")))
        ]
        with_metadata = str(params.get("include_all_metadata")).lower() in ("1", "true")
        return [
            {
                **c.result["message"],
                **(
                    {"metadata": c.params["metadata"]}
                    if with_metadata and "metadata" in c.params
                    else {}
                ),
            }
            for c in reversed(posted)
        ]

    async def _slack_socket(self, websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_json({"type": "hello", "num_connections": 1})

        async def forward() -> None:
            while True:
                await websocket.send_json(await self._slack_outbox.get())

        sender = asyncio.create_task(forward())
        try:
            while True:
                ack = orjson.loads(await websocket.receive_text())
                self.slack_socket_acks.append(ack)
                self._record(Call("slack", "socket.ack", ack, {}))
        except WebSocketDisconnect:
            pass
        finally:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender

    # -- Telegram ---------------------------------------------------------------------------

    async def _telegram(self, request: Request) -> Response:
        method = request.path_params["method"]
        params: dict[str, Any] = dict(request.query_params)
        params.update(await _body_params(request))
        call = Call("telegram", method, params, dict(request.headers))
        failed = self._failed("telegram", method)
        if failed is not None:
            call.status = failed.status
            self._record(call)
            return JSONResponse(
                {"ok": False, "error_code": failed.status, "description": "Bad Gateway"},
                status_code=failed.status,
            )
        retry_after = self._throttled("telegram", method)
        if retry_after is not None:
            call.status = 429
            self._record(call)
            return JSONResponse(
                {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {retry_after['Retry-After']}",
                    "parameters": {"retry_after": int(retry_after["Retry-After"])},
                },
                status_code=429,
            )
        refusal = self._telegram_refusal(method, params)
        if refusal is not None:
            call.status = refusal[0]
            call.result = {"ok": False, "error_code": refusal[0], "description": refusal[1]}
            self._record(call)
            return JSONResponse(call.result, status_code=refusal[0])
        if "allowed_updates" in params and method in ("getUpdates", "setWebhook"):
            # As Telegram: the list given last holds until another is given.
            self.telegram_allowed_updates = json_list(params["allowed_updates"])
        if method == "setMyCommands":
            # As Telegram: each language's list (of the default scope) replaces the one before.
            commands = json_value(params["commands"])
            self.telegram_commands[str(params.get("language_code") or "")] = [
                {"command": c["command"], "description": c["description"]} for c in commands
            ]
        if method == "getUpdates":
            result: Any = await self._telegram_get_updates(params)
        else:
            result = self._telegram_result(method, params)
        call.result = {"ok": True, "result": result}
        self._record(call)
        return JSONResponse(call.result)

    def _telegram_result(self, method: str, params: dict[str, Any]) -> Any:
        bot = {
            "id": TELEGRAM_BOT_ID,
            "is_bot": True,
            "first_name": "mailmove",
            "username": "mailmove_bot",
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        if method == "getMe":
            return bot
        if method == "sendMessage":
            chat_id = int(params["chat_id"])
            return {
                "message_id": next(self._ids),
                "date": _DATE,
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                "from": bot,
                "text": params.get("text", ""),
            }
        return True

    def _telegram_refusal(self, method: str, params: dict[str, Any]) -> tuple[int, str] | None:
        """The status and description the Bot API refuses this call with, or None."""
        chat = params.get("chat_id")
        if method.startswith("send") and chat is not None and int(chat) in self.telegram_blocked:
            return 403, "Forbidden: bot was blocked by the user"
        if method == "answerCallbackQuery":
            return telegram_notice_refusal(params)
        if method == "setMyCommands":
            return telegram_commands_refusal(params)
        if method != "sendMessage":
            return None
        return telegram_message_refusal(params)

    def telegram_delivers(self, update: dict[str, Any]) -> bool:
        """Whether Telegram sends `update` at all, given the allowed_updates last set."""
        kind = next(k for k in update if k != "update_id")
        allowed = self.telegram_allowed_updates
        return kind in allowed if allowed else kind not in TELEGRAM_NOT_BY_DEFAULT

    async def _telegram_get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        # Recorded on arrival (the call itself only once answered, which may be a while).
        self.telegram_offsets.append(offset)
        self._changed.set()

        def pending() -> list[dict[str, Any]]:
            return [
                u
                for u in self._telegram_updates
                if u["update_id"] >= offset and self.telegram_delivers(u)
            ]

        # Long polling: hold the request until an update arrives, the timeout, or shutdown.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                while not pending() and not (self._server and self._server.should_exit):
                    self._changed.clear()
                    await self._changed.wait()
        return pending()

    # -- LINE -------------------------------------------------------------------------------

    async def _line_message(self, request: Request) -> Response:
        kind = request.path_params["kind"]
        params = orjson.loads(await request.body())
        call = Call("line", kind, params, dict(request.headers))
        if kind == "push" and self.line_monthly_limit_reached:
            # A 429 as the rate limit's, told apart only by its message (no Retry-After).
            call.status = 429
            self._record(call)
            return JSONResponse({"message": "You have reached your monthly limit."}, 429)
        retry_after = self._throttled("line", kind)
        if retry_after is not None:
            call.status = 429
            self._record(call)
            return JSONResponse(
                {"message": "The API rate limit has been exceeded. Try again later."},
                status_code=429,
                headers=retry_after,
            )
        failed = self._failed("line", kind)
        if failed is not None:
            if kind == "push" and failed.accepted:
                self.line_pushes_lost_after_acceptance += 1
            else:
                call.status = failed.status
                self._record(call)
                return JSONResponse({"message": "Internal server error"}, status_code=failed.status)
        problems = line_refusal(params)
        if problems:
            call.status = 400
            call.result = {
                "message": f"The request body has {len(problems)} error(s)",
                "details": [{"message": m, "property": p} for p, m in problems],
            }
            self._record(call)
            return JSONResponse(call.result, status_code=400)
        sent = {"sentMessages": [{"id": str(next(self._ids))} for _ in params["messages"]]}
        if kind == "reply":
            token = params.get("replyToken")
            if token in self._line_used_tokens or token in self.line_expired_tokens:
                call.status = 400
                self._record(call)
                return JSONResponse({"message": "Invalid reply token"}, status_code=400)
            self._line_used_tokens.add(token)
        elif kind == "push":
            key = call.headers.get("x-line-retry-key")
            if key is not None and key in self._line_retry_keys:
                call.status = 409
                self._record(call)
                return JSONResponse(
                    {"message": "The retry key is already accepted", **sent},
                    status_code=409,
                    headers={"x-line-accepted-request-id": "accepted"},
                )
            if key is not None:
                self._line_retry_keys.add(key)
            if self.line_pushes_lost_after_acceptance > 0:
                # Accepted, but the answer never makes it back: the sender must resend.
                self.line_pushes_lost_after_acceptance -= 1
                call.status, call.accepted = 500, True
                self._record(call)
                return JSONResponse({"message": "Internal server error"}, status_code=500)
        call.result = sent
        call.accepted = True
        self._record(call)
        return JSONResponse(sent)

    async def _line_bot_info(self, request: Request) -> Response:
        call = Call("line", "info", {}, dict(request.headers))
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if token in self.line_refused_access_tokens:
            call.status = 401
            call.result = {
                "message": "Authentication failed. Confirm that the access token in"
                " the authorization header is valid."
            }
        else:
            call.result = {
                "userId": "U0mailmove0000000000000000000000",
                "basicId": "@mailmove",
                "displayName": "mailmove",
                "chatMode": "bot",
                "markAsReadMode": "auto",
            }
        self._record(call)
        return JSONResponse(call.result, status_code=call.status)

    async def _line_profile(self, request: Request) -> Response:
        user = request.path_params["user"]
        call = Call("line", "profile", {"userId": user}, dict(request.headers))
        call.result = {
            "displayName": "Taro",
            "userId": user,
            "language": self.line_languages.get(user, "ja"),
        }
        self._record(call)
        return JSONResponse(call.result)


async def _body_params(request: Request) -> dict[str, Any]:
    """A JSON or form-encoded body as a dict (the SDKs send no files here)."""
    body = await request.body()
    if not body:
        return {}
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        data: dict[str, Any] = orjson.loads(body)
        return data
    if content_type.startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl(body.decode(), keep_blank_values=True))
    raise ValueError(f"the fake API does not read {content_type!r} bodies")


@contextlib.asynccontextmanager
async def running_fake() -> AsyncIterator[FakePlatformAPI]:
    """A started fake, stopped on exit."""
    fake = FakePlatformAPI()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()
