"""The web chat: a page for subscribers and the JSON API it uses (documented in openapi.json).

The embedded default channel: always on, needs no credentials.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from importlib import resources
from typing import Final

import orjson
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.engine import Engine
from bot.ops.catalogs import Catalogs
from bot.runtime import Runtime
from bot.store.conversation_store import record_key
from bot.web.json_response import FastJSONResponse
from dialogs.vocabulary import LOCALES, Inbound, Reply, reply_to_dict

CHANNEL: Final = "webchat"
_ID_RE: Final = re.compile(r"^[0-9a-f]{32}$")
MAX_TEXT: Final = 2000
MAX_CHOICE: Final = 200
MAX_EVENT_ID: Final = 100
_STATIC: Final = resources.files("adapters.webchat").joinpath("static")
_UI_PREFIX: Final = "webchat."
_PAGE_HEADERS: Final = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class RequestError(ValueError):
    """A request the API refuses, with the status and a message for the caller."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _error(status: int, message: str) -> FastJSONResponse:
    return FastJSONResponse({"error": message}, status_code=status)


async def _json_object(request: Request, *, allow_empty: bool) -> dict[str, object]:
    body = await request.body()
    if not body.strip():
        if allow_empty:
            return {}
        raise RequestError(422, "the body must be a JSON object")
    try:
        data = orjson.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise RequestError(422, "the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise RequestError(422, "the body must be a JSON object")
    return data


def parse_new_conversation(data: dict[str, object]) -> str | None:
    """The requested locale, or None; raises RequestError on anything else."""
    unknown = set(data) - {"locale"}
    if unknown:
        raise RequestError(422, f"unknown field(s): {', '.join(sorted(unknown))}")
    locale = data.get("locale")
    if locale is None:
        return None
    if locale not in LOCALES:
        raise RequestError(422, 'locale must be "ja" or "en"')
    return str(locale)


def parse_message(data: dict[str, object]) -> tuple[str | None, str | None, str | None]:
    """(text, choice, event_id) of a message body; raises RequestError when malformed."""
    unknown = set(data) - {"text", "choice", "event_id"}
    if unknown:
        raise RequestError(422, f"unknown field(s): {', '.join(sorted(unknown))}")
    nulls = sorted(name for name, value in data.items() if value is None)
    if nulls:
        # The description documents strings: a null is a client bug worth naming.
        raise RequestError(422, f"{', '.join(nulls)} must not be null")
    text, choice, event_id = data.get("text"), data.get("choice"), data.get("event_id")
    if (text is None) == (choice is None):
        raise RequestError(422, 'send exactly one of "text" or "choice"')
    if text is not None and (not isinstance(text, str) or not text.strip()):
        raise RequestError(422, '"text" must be a non-empty string')
    if isinstance(text, str) and len(text) > MAX_TEXT:
        raise RequestError(422, f'"text" must be at most {MAX_TEXT} characters')
    if choice is not None and (not isinstance(choice, str) or not 0 < len(choice) <= MAX_CHOICE):
        raise RequestError(422, f'"choice" must be a string of 1 to {MAX_CHOICE} characters')
    if event_id is not None and (
        not isinstance(event_id, str) or not 0 < len(event_id) <= MAX_EVENT_ID
    ):
        raise RequestError(422, f'"event_id" must be a string of 1 to {MAX_EVENT_ID} characters')
    return (
        text if isinstance(text, str) else None,
        choice if isinstance(choice, str) else None,
        event_id if isinstance(event_id, str) else None,
    )


class WebChatChannel:
    """Serves the chat page and its API."""

    name = CHANNEL

    def __init__(self, engine: Engine, catalogs: Catalogs) -> None:
        self._engine = engine
        self._catalogs = catalogs

    def routes(self) -> Sequence[BaseRoute]:
        """The page, its assets, its texts and the JSON API."""
        return [
            Route("/", self.page, methods=["GET"]),
            Mount("/webchat/static", app=StaticFiles(directory=str(_STATIC)), name="webchat"),
            Route("/api/webchat/openapi.json", self.openapi, methods=["GET"]),
            Route("/api/webchat/texts/{locale}", self.ui_texts, methods=["GET"]),
            Route("/api/webchat/conversations", self.create, methods=["POST"]),
            Route(
                "/api/webchat/conversations/{conversation_id}/messages",
                self.message,
                methods=["POST"],
            ),
            Route(
                "/api/webchat/conversations/{conversation_id}/messages",
                self.history,
                methods=["GET"],
            ),
        ]

    async def start(self) -> None:
        """Nothing to start: the web chat is served by the runtime's server."""

    async def stop(self) -> None:
        """Nothing to stop."""

    async def push(self, conversation_key: str, replies: Sequence[Reply]) -> None:
        """Nothing to send: the page polls the transcript, where the replies already are."""

    async def page(self, _: Request) -> Response:
        """The chat page; it needs nothing from any other origin, and says so."""
        return FileResponse(
            str(_STATIC.joinpath("index.html")), media_type="text/html", headers=_PAGE_HEADERS
        )

    async def openapi(self, _: Request) -> Response:
        """The API's OpenAPI description."""
        spec = resources.files("adapters.webchat").joinpath("openapi.json").read_text("utf-8")
        return Response(spec, media_type="application/json")

    async def ui_texts(self, request: Request) -> Response:
        """The page's own words (buttons, placeholders) in one language, from the catalogs."""
        locale = request.path_params["locale"]
        if locale not in LOCALES:
            return _error(404, "unknown locale")
        texts = {
            key.removeprefix(_UI_PREFIX): self._catalogs.raw(locale, key)
            for key in sorted(self._catalogs.keys(locale))
            if key.startswith(_UI_PREFIX)
        }
        return FastJSONResponse(texts, headers={"Cache-Control": "max-age=300"})

    async def create(self, request: Request) -> Response:
        """Start a conversation: 201 with its id and the greeting."""
        try:
            locale = parse_new_conversation(await _json_object(request, allow_empty=True))
        except RequestError as err:
            return _error(err.status, str(err))
        conversation_id = uuid.uuid4().hex
        outcome = await self._engine.handle(
            Inbound(
                channel=CHANNEL,
                conversation_key=conversation_id,
                event_id=f"{CHANNEL}:{conversation_id}:start",
                start=True,
                locale="en" if locale == "en" else "ja" if locale == "ja" else None,
            )
        )
        return FastJSONResponse(
            {
                "conversation_id": conversation_id,
                "locale": outcome.record.dialog.locale if outcome.record else "ja",
                "replies": [reply_to_dict(r) for r in outcome.replies],
            },
            status_code=201,
        )

    async def message(self, request: Request) -> Response:
        """One subscriber message: 200 with the bot's replies."""
        conversation_id = request.path_params["conversation_id"]
        if not _ID_RE.match(conversation_id):
            return _error(404, "no such conversation")
        try:
            text, choice, event_id = parse_message(await _json_object(request, allow_empty=False))
        except RequestError as err:
            return _error(err.status, str(err))
        outcome = await self._engine.handle(
            Inbound(
                channel=CHANNEL,
                conversation_key=conversation_id,
                event_id=f"{CHANNEL}:{conversation_id}:{event_id or uuid.uuid4().hex}",
                text=text,
                choice=choice,
            ),
            create=False,
        )
        if outcome.record is None and not outcome.duplicate:
            return _error(404, "no such conversation")
        body: dict[str, object] = {"replies": [reply_to_dict(r) for r in outcome.replies]}
        if outcome.record is not None:
            body["locale"] = outcome.record.dialog.locale
        if outcome.duplicate:
            body["duplicate"] = True
        return FastJSONResponse(body)

    async def history(self, request: Request) -> Response:
        """The conversation's lines after `?after=N`.

        The page uses it to redraw itself after a reload, and to receive replies that did
        not answer its own request (a login check's result, an agent's hand-back).
        """
        conversation_id = request.path_params["conversation_id"]
        if not _ID_RE.match(conversation_id):
            return _error(404, "no such conversation")
        try:
            after = parse_after(request.query_params.get("after"))
        except RequestError as err:
            return _error(err.status, str(err))
        key = record_key(CHANNEL, conversation_id)
        record = await self._engine.store.load(key)
        if record is None:
            return _error(404, "no such conversation")
        lines = await self._engine.store.transcript(key, after=after)
        return FastJSONResponse(
            {
                "locale": record.dialog.locale,
                "messages": [
                    {
                        "seq": line.seq,
                        "author": line.author,
                        "at": line.at.isoformat(),
                        **({"reply": line.reply} if line.reply else {"text": line.text}),
                    }
                    for line in lines
                ],
            }
        )


def parse_after(raw: str | None) -> int:
    """The `after` query parameter: a line number, 0 when absent."""
    if raw is None or raw == "":
        return 0
    if not raw.isdigit() or len(raw) > 12:
        raise RequestError(422, "after must be a whole number")
    return int(raw)


def create_channel(runtime: Runtime) -> WebChatChannel:
    """Entry point of the `webchat` channel: always on."""
    return WebChatChannel(runtime.engine, runtime.catalogs)
