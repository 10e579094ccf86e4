"""Telegram: private chats with an inline keyboard (python-telegram-bot).

Updates arrive on our webhook route (checked against the secret token given to
`setWebhook`) or, without a public URL, by long polling. Either way the turn is stored
before Telegram is told the update arrived (a webhook's 200, a polling offset), so an update
the store cannot record comes again; the replies go out afterwards, on the runtime's
background tasks.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import hmac
import html
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from adapters.rendering import choice_code, pressed_choice, split_text, utf16_length
from bot.engine import TurnOutcome
from bot.ops import metrics
from bot.ops.settings import ConfigError
from bot.runtime import Runtime
from bot.store.conversation_store import StoreUnavailableError
from dialogs.vocabulary import (
    ChoicesReply,
    FileReply,
    Inbound,
    LinkReply,
    Reply,
    SettingsReply,
    TextReply,
    VerdictReply,
    parse_locale,
)

if TYPE_CHECKING:
    from telegram import Update
    from telegram.ext import Application

_LOGGER: Final = logging.getLogger(__name__)

CHANNEL: Final = "telegram"
WEBHOOK_PATH: Final = "/telegram/webhook"
SECRET_HEADER: Final = "x-telegram-bot-api-secret-token"  # noqa: S105 - a header name
DEFAULT_API_URL: Final = "https://api.telegram.org"
# https://core.telegram.org/bots/api: 4096 characters a message, 1-64 bytes of callback data.
MAX_MESSAGE: Final = 4096
MAX_CALLBACK_DATA: Final = 64
RATE_LIMIT_RETRIES: Final = 3
RETRY_WAIT: Final = 1.0
MAX_RETRY_WAIT: Final = 60.0
POLL_SECONDS: Final = 10
# Short labels sit two to a row; longer ones get a row each so they are not cut.
_PAIR_LABEL_WIDTH: Final = 12
ALLOWED_UPDATES: Final = ("message", "callback_query")
_SECRET_RE: Final = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_COMMAND_RE: Final = re.compile(r"^/([a-z_]+)(?:@\w+)?(?:\s|$)", re.IGNORECASE)
# Bot commands that mean a button the dialog already knows.
_COMMAND_CHOICES: Final = {"menu": "menu", "help": "menu", "restart": "restart"}

REJECTIONS: Final[collections.Counter[str]] = collections.Counter()
"""Requests refused before anything was parsed or stored, by reason."""


def _refused(reason: str) -> None:
    REJECTIONS[reason] += 1
    metrics.rejected(CHANNEL, reason)


@dataclass(frozen=True, slots=True)
class TelegramConfig:
    """What the Telegram channel needs, from the environment."""

    token: str
    webhook_secret: str | None
    polling: bool
    api_url: str

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> TelegramConfig | None:
        """The configuration, or None when the variables that switch Telegram on are missing."""
        token = environ.get("TELEGRAM_BOT_TOKEN", "")
        secret = environ.get("TELEGRAM_WEBHOOK_SECRET", "") or None
        polling = environ.get("TELEGRAM_POLLING", "").strip().lower() in {"1", "true", "yes"}
        if not token or not (secret or polling):
            return None
        if secret is not None and not _SECRET_RE.match(secret):
            raise ConfigError(
                "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -"
            )
        api_url = (environ.get("TELEGRAM_API_URL", "") or DEFAULT_API_URL).rstrip("/")
        return cls(token, secret, polling, api_url)


@dataclass(frozen=True, slots=True)
class Pressed:
    """A pressed inline button: its query (to answer) and its message (to clear)."""

    query_id: str
    chat_id: int
    message_id: int
    labels: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class TelegramTurn:
    """One update, parsed: the message and the chat to answer in."""

    inbound: Inbound
    chat_id: int
    pressed: Pressed | None = None


@dataclass(frozen=True, slots=True)
class TelegramMessage:
    """One `sendMessage` call: text (HTML when `html`), and rows of (label, callback data)."""

    text: str
    html: bool = False
    keyboard: tuple[tuple[tuple[str, str], ...], ...] = ()


# -- platform event → inbound ---------------------------------------------------------------


def turn_from_update(update: Update, bot_id: str) -> TelegramTurn | None:
    """A text message or a pressed button; None for every other kind of update."""
    user = update.effective_user
    locale = parse_locale(user.language_code if user else None)
    sender = str(user.id) if user else None
    query = update.callback_query
    if query is not None:
        message = query.message
        if message is None or not query.data:
            return None
        chat_id = message.chat.id
        labels: dict[str, str] = {}
        markup = getattr(message, "reply_markup", None)
        for row in markup.inline_keyboard if markup else ():
            for button in row:
                if isinstance(button.callback_data, str):
                    labels[button.callback_data] = button.text
        inbound = Inbound(
            channel=CHANNEL,
            conversation_key=str(chat_id),
            # One answer per question message: a double tap or a second button is dropped.
            event_id=f"{CHANNEL}:{bot_id}:pressed:{chat_id}:{message.message_id}",
            choice=query.data,
            locale=locale,
            sender=sender,
        )
        pressed = Pressed(query.id, chat_id, message.message_id, labels)
        return TelegramTurn(inbound, chat_id, pressed)
    message = update.message
    if message is None or not message.text:
        return None
    text = message.text.strip()
    fields: dict[str, Any] = {"text": text}
    command = _COMMAND_RE.match(text)
    if command:
        name = command.group(1).lower()
        if name == "start":
            fields = {"start": True}
        elif name in _COMMAND_CHOICES:
            fields = {"choice": _COMMAND_CHOICES[name]}
    inbound = Inbound(
        channel=CHANNEL,
        conversation_key=str(message.chat.id),
        event_id=f"{CHANNEL}:{bot_id}:{update.update_id}",
        locale=locale,
        sender=sender,
        **fields,
    )
    return TelegramTurn(inbound, message.chat.id)


def parse_update_json(body: bytes) -> dict[str, Any]:
    """The update as a dict; ValueError unless it is an object with an integer update_id."""
    data = orjson.loads(body)
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        raise ValueError("not a Telegram update")
    return data


# -- reply → platform payload ---------------------------------------------------------------


def _keyboard(reply: ChoicesReply) -> tuple[tuple[tuple[str, str], ...], ...]:
    buttons = [(c.label, choice_code(c.id, MAX_CALLBACK_DATA)) for c in reply.choices]
    per_row = 2 if all(len(label) <= _PAIR_LABEL_WIDTH for label, _ in buttons) else 1
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def _plain(text: str) -> list[TelegramMessage]:
    chunks = split_text(text, MAX_MESSAGE, measure=utf16_length)
    return [TelegramMessage(chunk) for chunk in chunks] or [TelegramMessage(text)]


def render(reply: Reply) -> list[TelegramMessage]:
    """One reply as `sendMessage` calls of at most 4096 characters each."""
    if isinstance(reply, ChoicesReply):
        *leading, last = _plain(reply.text)
        return [*leading, dataclasses.replace(last, keyboard=_keyboard(reply))]
    if isinstance(reply, SettingsReply):
        # HTML so each value is monospace: Telegram copies a <code> span with one tap.
        paragraphs = [f"<b>{html.escape(reply.title)}</b>"] + [
            f"{html.escape(i.label)}\n<code>{html.escape(i.value)}</code>" for i in reply.items
        ]
        text = "\n\n".join(paragraphs)
        # Cut between items only, so no tag is ever split.
        return [
            TelegramMessage(chunk, html=True)
            for chunk in split_text(text, MAX_MESSAGE, measure=utf16_length)
        ]
    if isinstance(reply, LinkReply | FileReply):
        # sendDocument by URL takes only PDF, ZIP and GIF, and an Apple profile installs only
        # when opened in Safari: a file goes as its link.
        return _plain(f"{reply.text}\n{reply.url}")
    if isinstance(reply, TextReply | VerdictReply):
        return _plain(reply.text)
    raise TypeError(f"cannot render {reply!r}")


# -- the channel ----------------------------------------------------------------------------


class TelegramChannel:
    """A python-telegram-bot `Application` inside our ASGI app."""

    name = CHANNEL

    def __init__(self, runtime: Runtime, config: TelegramConfig) -> None:
        from telegram.ext import AIORateLimiter, Application

        self._runtime = runtime
        self._config = config
        self._bot_id = config.token.split(":", 1)[0]
        builder = (
            Application.builder()
            .token(config.token)
            .base_url(f"{config.api_url}/bot")
            .base_file_url(f"{config.api_url}/file/bot")
            # Waits out a 429's retry_after and sends again; a refused message was not
            # delivered, so the resend cannot duplicate it.
            .rate_limiter(AIORateLimiter(max_retries=RATE_LIMIT_RETRIES))
            # Polling is ours (`_poll`): PTB's Updater confirms updates before they are stored.
            .updater(None)
        )
        self.application: Application[Any, Any, Any, Any, Any, Any] = builder.build()
        self._poller: asyncio.Task[None] | None = None
        # The next getUpdates offset: every update below it is stored, and Telegram forgets it.
        self._offset = 0
        self._storing = False
        self._stopping = False

    def routes(self) -> Sequence[BaseRoute]:
        """The webhook, unless the bot polls."""
        if self._config.polling:
            return []
        return [Route(WEBHOOK_PATH, self.webhook, methods=["POST"])]

    async def start(self) -> None:
        """Initialise the bot (`getMe`); then start polling, or register the webhook.

        An unreachable Bot API does not stop the server (the web chat and the other channels
        still serve): the webhook answers 503 until `getMe` succeeds, and polling keeps
        trying in the background. A rejected token stops start-up.
        """
        ready = await self._initialized()
        if self._config.polling:
            self._poller = asyncio.create_task(self._poll(), name="telegram polling")
        elif ready:
            await self._register_webhook()

    async def _initialized(self) -> bool:
        from telegram.error import InvalidToken, NetworkError

        try:
            await self.application.initialize()
        except InvalidToken:
            # PTB's own message repeats the token; ours names the variable instead.
            raise ConfigError("TELEGRAM_BOT_TOKEN was rejected by Telegram") from None
        except NetworkError as err:
            _LOGGER.error("Telegram Bot API unreachable: %s", err)
            return False
        return True

    async def _register_webhook(self) -> None:
        public = self._runtime.settings.public_url
        if public.startswith("https://"):
            await self.application.bot.set_webhook(
                url=public + WEBHOOK_PATH,
                secret_token=self._config.webhook_secret,
                allowed_updates=list(ALLOWED_UPDATES),
            )
            _LOGGER.info("Telegram webhook set to %s%s", public, WEBHOOK_PATH)
        else:
            _LOGGER.info(
                "Telegram webhook not registered: set MAILMOVE_PUBLIC_URL to an https:// address "
                "or call setWebhook for %s yourself",
                WEBHOOK_PATH,
            )

    async def _poll(self) -> None:
        """Long polling that confirms an update (the next getUpdates' offset) once stored.

        PTB's Updater confirms a batch once queued, before any handler ran: an update it then
        could not store would be lost. Here, while the store is down, the same updates come again.
        """
        from telegram.error import TelegramError

        wait = RETRY_WAIT
        prepared = False
        while not self._stopping and self._runtime.tasks.accepting:
            problem: object = "the Bot API is unreachable"
            try:
                if not prepared and await self._initialized():
                    # getUpdates is refused while a webhook is set.
                    await self.application.bot.delete_webhook()
                    prepared = True
                if prepared:
                    await self._poll_once()
                    wait = RETRY_WAIT
                    continue
            except ConfigError as err:
                _LOGGER.critical("Telegram channel stopped: %s", err)
                return
            except (TelegramError, StoreUnavailableError) as err:
                if self._stopping:
                    return
                problem = err
            _LOGGER.warning("Telegram polling paused for %.0f s: %s", wait, problem)
            await asyncio.sleep(wait)
            wait = min(wait * 2, MAX_RETRY_WAIT)

    async def _poll_once(self) -> None:
        updates = await self.application.bot.get_updates(
            offset=self._offset, timeout=POLL_SECONDS, allowed_updates=list(ALLOWED_UPDATES)
        )
        for update in updates:
            if self._stopping or not self._runtime.tasks.accepting:
                return  # left unconfirmed: Telegram hands it out again
            self._storing = True
            try:
                await self._take(update)
            finally:
                self._storing = False
            self._offset = update.update_id + 1

    async def stop(self) -> None:
        """Stop polling (if on) and close the bot's HTTP client."""
        poller, self._poller = self._poller, None
        if poller is not None and not poller.done():
            self._stopping = True
            # Not mid-store: a stored, unconfirmed turn would come again and be dropped unanswered.
            if not self._storing:
                poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poller
            # Replies of a turn stored while the server drained go out before the client closes.
            await self._runtime.tasks.drain()
        application = self.application
        await application.shutdown()
        # An application whose getMe never succeeded skips this; its HTTP clients are open.
        await application.bot.shutdown()

    async def webhook(self, request: Request) -> Response:
        """Check the secret token, store the turn (a store outage: 503), answer; reply after."""
        from telegram import Update

        if not self._runtime.tasks.accepting:
            return JSONResponse({"error": "shutting down"}, status_code=503)
        if not self._authentic(request.headers.get(SECRET_HEADER)):
            _refused("signature")
            _LOGGER.warning("Telegram request refused: bad or missing secret token")
            return JSONResponse({"error": "invalid secret token"}, status_code=401)
        if not await self._initialized():
            # Telegram delivers the update again later, when we can answer it.
            return JSONResponse({"error": "Bot API unreachable"}, status_code=503)
        try:
            update = Update.de_json(parse_update_json(await request.body()), self.application.bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            _refused("malformed")
            _LOGGER.warning("Telegram request refused: malformed update")
            return JSONResponse({"error": "malformed update"}, status_code=400)
        await self._take(update)
        return Response(status_code=200)

    def _authentic(self, token: str | None) -> bool:
        expected = self._config.webhook_secret
        if token is None or expected is None:
            return False
        return hmac.compare_digest(token.encode(), expected.encode())

    async def _take(self, update: Update) -> None:
        """Store the update's turn now (or raise); talk to Telegram in the background."""
        turn = turn_from_update(update, self._bot_id)
        name = f"telegram {update.update_id}"
        if turn is not None:
            outcome = await self.store_turn(turn)
            self._runtime.tasks.spawn(self.deliver(turn, outcome), name=name)
        elif update.callback_query is not None:
            # A button we cannot act on still gets its spinner stopped.
            self._runtime.tasks.spawn(self._answer(update.callback_query.id), name=name)

    async def store_turn(self, turn: TelegramTurn) -> TurnOutcome:
        """Run the dialog step and save it (or raise StoreUnavailableError)."""
        inbound = turn.inbound
        if turn.pressed is not None:
            inbound = await self._resolved(inbound, turn.pressed)
        return await self._runtime.engine.handle(inbound)

    async def deliver(self, turn: TelegramTurn, outcome: TurnOutcome) -> None:
        """Answer a stored turn on Telegram: the button's spinner, its keyboard, the replies."""
        from telegram.error import TelegramError

        if turn.pressed is not None:
            # Stops the spinner, which Telegram shows until the query is answered: a
            # repeated tap that changes nothing gets it too.
            await self._answer(turn.pressed.query_id)
        if outcome.duplicate:
            return
        if turn.pressed is not None:
            try:
                # A keyboard left on an old question would answer whatever is asked now.
                await self.application.bot.edit_message_reply_markup(
                    chat_id=turn.pressed.chat_id, message_id=turn.pressed.message_id
                )
            except TelegramError as err:
                _LOGGER.warning("Telegram editMessageReplyMarkup failed: %s", err)
        for reply in outcome.replies:
            for message in render(reply):
                await self._send(turn, message)

    async def _answer(self, query_id: str) -> None:
        from telegram.error import TelegramError

        try:
            await self.application.bot.answer_callback_query(query_id)
        except TelegramError as err:
            _LOGGER.warning("Telegram answerCallbackQuery failed: %s", err)

    async def _resolved(self, inbound: Inbound, pressed: Pressed) -> Inbound:
        data = inbound.choice or ""
        choice = await pressed_choice(self._runtime.engine.store, inbound)
        if choice is not None:
            return dataclasses.replace(inbound, choice=choice)
        # A hashed id no longer offered: the button's label reads as a typed answer.
        label = pressed.labels.get(data)
        if label:
            return dataclasses.replace(inbound, choice=None, text=label)
        return inbound

    async def _send(self, turn: TelegramTurn, message: TelegramMessage) -> None:
        from telegram import InlineKeyboardButton, InlineKeyboardMarkup
        from telegram.constants import ParseMode
        from telegram.error import TelegramError

        markup = (
            InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton(label, callback_data=data) for label, data in row]
                    for row in message.keyboard
                ]
            )
            if message.keyboard
            else None
        )
        try:
            await self.application.bot.send_message(
                chat_id=turn.chat_id,
                text=message.text,
                parse_mode=ParseMode.HTML if message.html else None,
                reply_markup=markup,
            )
        except TelegramError as err:
            _LOGGER.error("Telegram sendMessage failed for %s: %s", turn.inbound.event_id, err)


def create_channel(runtime: Runtime) -> TelegramChannel | None:
    """Entry point of the `telegram` channel: on when its credentials are set."""
    config = TelegramConfig.from_environ(runtime.environ)
    if config is None:
        _LOGGER.info(
            "Telegram channel off: set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET "
            "(or TELEGRAM_POLLING=1 for long polling) to switch it on"
        )
        return None
    return TelegramChannel(runtime, config)
