"""Telegram: a python-telegram-bot `Application` inside our ASGI app.

Updates arrive on our webhook route (checked against the secret token given to
`setWebhook`) or, without a public URL, by long polling. Either way the turn is stored
before Telegram is told the update arrived (a webhook's 200, a polling offset), so an update
the store cannot record comes again; the replies go out afterwards, on the runtime's
background tasks (`bot.channels.answer_first`).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import datetime as dt
import logging
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from adapters.telegram.config import DEFAULT_API_URL, TelegramConfig
from adapters.telegram.events import (
    CHANNEL,
    AlbumItem,
    GroupRequest,
    Reacted,
    TelegramTurn,
    blocked_chat,
    chat_id_of,
    checked_update,
    group_request,
    happened_at,
    parse_update_json,
    reaction_of,
    turn_from_update,
)
from adapters.telegram.render import TelegramMessage, render
from bot.channels.answer_first import AnswerFirst, send_once
from bot.channels.choice_codes import with_question
from bot.delivery import UNREACHABLE, NotDeliveredError
from bot.desk.closing import subscriber_left
from bot.engine import TurnOutcome
from bot.ops.metrics import background_error
from bot.ops.repeated import Repeated
from bot.ops.settings import ConfigError
from bot.ops.tls import client_tls
from bot.runtime import Runtime
from bot.store.conversation_store import (
    Owner,
    StoreUnavailableError,
    TranscriptEntry,
    event_tag,
    note_lines,
    note_once,
    record_key,
)
from bot.web.secret_compare import same_secret
from dialogs.vocabulary import ChoicesReply, Locale, Reply, TextReply

if TYPE_CHECKING:
    from telegram import InlineKeyboardMarkup, Update
    from telegram.ext import Application

_LOGGER: Final = logging.getLogger(__name__)

WEBHOOK_PATH: Final = "/telegram/webhook"
SECRET_HEADER: Final = "x-telegram-bot-api-secret-token"  # noqa: S105 - a header name
RATE_LIMIT_RETRIES: Final = 3
RETRY_WAIT: Final = 1.0
MAX_RETRY_WAIT: Final = 60.0
POLL_SECONDS: Final = 10
# How often polling tries an update whose turn fails with an error nobody planned for before
# it skips it: left unconfirmed, it comes first in every getUpdates, and nobody after it is
# answered. A store that is down is waited out instead (its turns are tried until it is back).
POLLING_TRIES: Final = 3
# How long a getUpdates may take: Telegram's wait for an update, then PTB's own read timeout
# (what `Bot.get_updates` allows it).
_POLL_READ_TIMEOUT: Final = POLL_SECONDS + 5.0

# Telegram sends only the kinds named here: without my_chat_member a subscriber who blocks
# the bot is never heard of (`events.blocked_chat`), without edited_message an edit to a
# typo'd answer went unanswered (`events.turn_from_update`).
# Without message_reaction a 👍 on a question was never heard (`_on_reaction`).
ALLOWED_UPDATES: Final = (
    "message",
    "edited_message",
    "callback_query",
    "my_chat_member",
    "message_reaction",
)
# The transcript's bookkeeping of the messages that ask the open question: the question's
# tag, then their message ids. Telegram names only the message a reaction is on.
ASKED_LINE: Final = "telegram asked: "
# The bookkeeping that a reaction on a question's message was answered.
_TOLD_LINE: Final = "telegram reaction told: "
# Telegram keeps an update 24 hours at most, for the webhook as for getUpdates
# (core.telegram.org/bots/api#getting-updates); an hour more for the clocks to differ.
TELEGRAM_KEEPS: Final = dt.timedelta(hours=25)
# How long the request for an album's text waits for a caption on another of its items:
# Telegram sends an album's updates at once (over parallel connections, to any replica).
ALBUM_WAIT: Final = 2.0
# Albums whose words this process stored, for a wait here to end at once: the recent ones.
_ALBUMS_KEPT: Final = 256
# What `Update.de_json` raises for a JSON object that is not an update (OverflowError: a
# date beyond what `datetime.fromtimestamp` takes, in a field the shape does not name).
# OSError: python-telegram-bot's `from_timestamp` raises EOVERFLOW for a `date` past what the
# clock holds (2**62); parsing does no I/O, so nothing else raises it here.
_NOT_AN_UPDATE: Final = (ValueError, TypeError, KeyError, AttributeError, OverflowError, OSError)
# The "/" menu in the subscriber's app: the commands `events` knows, each described from the
# catalogs. Unset, the menu was empty unless the operator typed them into @BotFather.
# Telegram shows the list whose language_code is the app's language, else the default list:
# Japanese is the default, English the list for apps in English.
_COMMANDS: Final = (
    ("start", "telegram.command.start"),
    ("menu", "telegram.command.menu"),
    ("restart", "telegram.command.restart"),
    ("help", "telegram.command.help"),
    ("settings", "telegram.command.settings"),
)
_COMMAND_LISTS: Final[tuple[tuple[Locale, str | None], ...]] = (("ja", None), ("en", "en"))


class TelegramChannel:
    """The bot's webhook or polling, and its sends."""

    name = CHANNEL
    # A link tapped in Telegram on a phone opens in the app's own browser, where an Apple
    # configuration profile may not install: the chat says to open that one in Safari.
    links_open_in_app = True

    def __init__(self, runtime: Runtime, config: TelegramConfig) -> None:
        from telegram.ext import Application
        from telegram.request import HTTPXRequest

        from adapters.telegram.resend import (
            CONNECTION_POOL_SIZE,
            PausedRateLimiter,
            StatusRequest,
        )

        self._runtime = runtime
        self._config = config
        self._life = AnswerFirst(runtime, CHANNEL)
        builder = (
            Application.builder()
            .token(config.token)
            .base_url(f"{config.api_url}/bot")
            .base_file_url(f"{config.api_url}/file/bot")
            # Waits out a 429's retry_after (through the runtime's pause) and sends again; a
            # refused message was not delivered, so the resend cannot duplicate it.
            .rate_limiter(PausedRateLimiter(runtime.pause, max_retries=RATE_LIMIT_RETRIES))
            # Keeps a 5xx's status: it says whether a resend is safe (adapters.telegram.resend).
            # Both clients with the process's TLS context, not one built for each (bot.ops.tls).
            .request(
                StatusRequest(
                    connection_pool_size=CONNECTION_POOL_SIZE,
                    httpx_kwargs={"verify": client_tls()},
                )
            )
            # What PTB builds for getUpdates when given none: a single connection.
            .get_updates_request(
                HTTPXRequest(connection_pool_size=1, httpx_kwargs={"verify": client_tls()})
            )
            # Polling is ours (`_poll`): PTB's Updater confirms updates before they are stored.
            .updater(None)
        )
        self.application: Application[Any, Any, Any, Any, Any, Any] = builder.build()
        self._poller: asyncio.Task[None] | None = None
        # While the Bot API is unreachable, each webhook call finds it so: said once a minute.
        self._unreachable = Repeated()
        self._polling_failed = Repeated()
        self._webhook_failed = Repeated()
        self._commands_failed = Repeated()
        # The token revoked in BotFather (or replaced) after start-up: every send fails.
        self._token_refused = Repeated()
        self._commands_set = False
        # The next getUpdates offset: every update below it is stored, and Telegram forgets it.
        self._offset = 0
        # The update whose turn last failed unplanned, and how often in a row (POLLING_TRIES).
        self._failing = (0, 0)
        self._storing = False
        self._stopping = False
        # Updates from groups already answered: the recent ones are enough to see a redelivery.
        self._answered_groups: collections.deque[int] = collections.deque(maxlen=1024)
        # An album's words stored here, by album: a wait for them in this process ends then.
        self._album_words: collections.OrderedDict[tuple[int, str], asyncio.Event] = (
            collections.OrderedDict()
        )

    def routes(self) -> Sequence[BaseRoute]:
        """The webhook, unless the bot polls."""
        if self._config.polling:
            return []
        return [Route(WEBHOOK_PATH, self.webhook, methods=["POST"])]

    async def start(self) -> None:
        """Initialise the bot (`getMe`); then start polling, or register the webhook.

        An unreachable Bot API does not stop the server (the web chat and the other channels
        still serve): the webhook answers 503 until `getMe` succeeds, and polling, or the
        webhook's registration, keeps trying in the background. A rejected token, or a
        webhook URL Telegram refuses, stops start-up.
        """
        ready = await self._initialized()
        if ready:
            await self._register_commands()
        if self._config.polling:
            self._poller = asyncio.create_task(self._poll(), name="telegram polling")
        elif not self._runtime.settings.public_url.startswith("https://"):
            _LOGGER.info(
                "Telegram webhook not registered: set MAILMOVE_PUBLIC_URL to an https:// address "
                "or call setWebhook for %s yourself",
                WEBHOOK_PATH,
            )
        elif not (ready and await self._register_webhook()):
            # Telegram delivers nothing to a webhook it was never given: tried again until
            # it is set (it was tried once at start only, and never when getMe failed).
            self._poller = asyncio.create_task(
                self._register_later(), name="telegram webhook registration"
            )

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

    async def push(self, conversation_key: str, replies: Sequence[Reply]) -> None:
        """Send replies that answer no message (a check's result, an agent's words) to the chat.

        NotDeliveredError when one could not be sent (the replies are in the transcript
        either way: an agent still sees them); the ones after it are not sent either, so
        nothing arrives out of order.
        """
        if not await self._initialized():
            raise NotDeliveredError("the Telegram Bot API is unreachable")
        chat_id = chat_id_of(conversation_key)
        question = await self._life.open_question(conversation_key)
        asking: list[int] = []
        for reply in replies:
            for message in render(reply, question=question):
                sent = await self._send(chat_id, message)
                if isinstance(reply, ChoicesReply):
                    asking.append(sent)
        await self._note_asked(chat_id, question, asking)

    # -- updates in -------------------------------------------------------------------------

    async def webhook(self, request: Request) -> Response:
        """Check the secret token, store the turn (a store outage: 503), answer; reply after."""
        body = await self._life.verified(
            request, self._authentic, setting="TELEGRAM_WEBHOOK_SECRET"
        )
        if isinstance(body, Response):
            return body
        if not await self._initialized():
            # Telegram delivers the update again later, when we can answer it.
            return JSONResponse({"error": "Bot API unreachable"}, status_code=503)
        update = self._life.parsed(body, self._update, errors=_NOT_AN_UPDATE)
        if isinstance(update, Response):
            return update
        await self._take(update)
        return Response(status_code=200)

    def _authentic(self, request: Request, _: bytes) -> bool:
        token = request.headers.get(SECRET_HEADER)
        expected = self._config.webhook_secret
        if token is None or expected is None:
            return False
        return same_secret(token, expected)

    def _update(self, body: bytes) -> Update:
        from telegram import Update

        return Update.de_json(parse_update_json(body), self.application.bot)

    async def _initialized(self) -> bool:
        from telegram.error import InvalidToken, NetworkError, TelegramError

        try:
            await self.application.initialize()
        except InvalidToken:
            # PTB's own message repeats the token; ours names the variable instead.
            raise ConfigError("TELEGRAM_BOT_TOKEN was rejected by Telegram") from None
        except NetworkError as err:
            if times := self._unreachable.happened():
                _LOGGER.error(
                    "Telegram Bot API unreachable (%d time(s)): %s; updates get 503, and"
                    " Telegram delivers them again",
                    times,
                    err,
                )
            return False
        except (TelegramError, KeyError, TypeError, ValueError) as err:
            # A 2xx that is no Bot API answer (HTML, 'ok', '{}'): PTB raises its bare
            # TelegramError ('Invalid server response') or fails reading the result. A
            # wrong TELEGRAM_API_URL or a proxy's page; it ended start-up in a traceback.
            # PTB's subclasses (NetworkError, RetryAfter, BadRequest…) are the API's own.
            if isinstance(err, TelegramError) and type(err) is not TelegramError:
                raise
            raise ConfigError(
                f"TELEGRAM_API_URL: {self._config.api_url} answered getMe with no Bot API"
                f" answer ({type(err).__name__}): it must be Telegram's Bot API"
                f" ({DEFAULT_API_URL}, the default)"
            ) from None
        if self._unreachable.ended():
            _LOGGER.info("Telegram Bot API reachable again")
        return True

    async def _register_webhook(self) -> bool:
        """Give Telegram the webhook's URL; False when the Bot API could not be asked.

        ConfigError when Telegram refuses the URL (a host it cannot resolve, a port other
        than 443, 80, 88 or 8443): a setting, said in one line as start-up stops. It ended
        start-up in a traceback, as did a 5xx or a dropped connection, which now leave the
        server serving and the registration tried again.
        """
        from telegram.error import BadRequest, TelegramError

        url = self._runtime.settings.public_url + WEBHOOK_PATH
        try:
            await self.application.bot.set_webhook(
                url=url,
                secret_token=self._config.webhook_secret,
                allowed_updates=list(ALLOWED_UPDATES),
            )
        except BadRequest as err:
            raise ConfigError(
                f"Telegram refused the webhook {url}: {err.message} (MAILMOVE_PUBLIC_URL must"
                " be an https:// address Telegram can reach, on port 443, 80, 88 or 8443)"
            ) from None
        except TelegramError as err:
            if times := self._webhook_failed.happened():
                _LOGGER.error(
                    "Telegram webhook not set (%d time(s)): %s; tried again, waiting longer"
                    " each time (Telegram delivers no update to a webhook it was not given)",
                    times,
                    err,
                )
            return False
        _LOGGER.info("Telegram webhook set to %s", url)
        return True

    async def _register_commands(self) -> None:
        """Give Telegram the commands' menu, once; a failure is logged and start-up goes on.

        Tried again where the Bot API is next reached by the start-up's retries (the
        webhook's registration, polling's first getUpdates); the bot answers the commands
        without the menu too, so nothing waits on it.
        """
        from telegram import BotCommand
        from telegram.error import TelegramError

        if self._commands_set:
            return
        bot = self.application.bot
        try:
            for locale, language_code in _COMMAND_LISTS:
                commands = [
                    BotCommand(name, self._runtime.catalogs(locale, key)) for name, key in _COMMANDS
                ]
                await bot.set_my_commands(commands, language_code=language_code)
        except TelegramError as err:
            if times := self._commands_failed.happened():
                _LOGGER.warning(
                    "Telegram commands' menu not set (%d time(s)): %s; the commands work"
                    " without it, and it is tried again when the Bot API is next reached",
                    times,
                    err,
                )
            return
        self._commands_set = True

    async def _register_later(self) -> None:
        """Ask again, waiting longer each time, until the webhook is set or the server stops."""
        wait = RETRY_WAIT
        while not self._stopping:
            await self._runtime.pause(wait)
            wait = min(wait * 2, MAX_RETRY_WAIT)
            try:
                if await self._initialized():
                    await self._register_commands()
                    if await self._register_webhook():
                        return
            except ConfigError as err:
                _LOGGER.critical("Telegram webhook not set: %s", err)
                return

    async def _poll(self) -> None:
        """Long polling that confirms an update (the next getUpdates' offset) once stored.

        PTB's Updater confirms a batch once queued, before any handler ran: an update it then
        could not store would be lost. Here, while the store is down, the same updates come again.
        """
        from telegram.error import RetryAfter, TelegramError

        from adapters.telegram.resend import retry_seconds

        wait = RETRY_WAIT
        prepared = False
        while not self._stopping and self._life.accepting:
            problem: object = "the Bot API is unreachable"
            try:
                if not prepared and await self._initialized():
                    # getUpdates is refused while a webhook is set.
                    await self.application.bot.delete_webhook()
                    await self._register_commands()
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
                if isinstance(err, RetryAfter):
                    # PTB's AIORateLimiter leaves getUpdates out, so its 429 lands here. The
                    # Bot API's retry_after is the time left before the request may be made
                    # again: asked sooner, it is refused again. Waited out whole, never capped.
                    said = retry_seconds(err)
                    _LOGGER.warning("Telegram polling paused for %.0f s: %s", said, problem)
                    await self._runtime.pause(max(said, wait))
                    continue
            except Exception as err:  # polling must outlive a bug, or Telegram goes silent
                if self._stopping:
                    return
                background_error("polling")
                if self._polling_failed.happened():
                    _LOGGER.exception(
                        "Telegram polling failed unexpectedly (tried again, waiting longer"
                        " each time): %s: %s",
                        type(err).__name__,
                        err,
                    )
                problem = f"{type(err).__name__}: {err}"
            _LOGGER.warning("Telegram polling paused for %.0f s: %s", wait, problem)
            await self._runtime.pause(wait)
            wait = min(wait * 2, MAX_RETRY_WAIT)

    async def _poll_once(self) -> None:
        from telegram.error import TelegramError

        batch = await self._read_updates()
        for update_id, update in batch:
            if self._stopping or not self._life.accepting:
                return  # left unconfirmed: Telegram hands it out again
            if update is None:
                # This version of PTB never reads it: only confirming it lets the rest come.
                background_error("polling")
                _LOGGER.error("Telegram update %d skipped: it cannot be read", update_id)
            else:
                self._storing = True
                try:
                    await self._take(update)
                except (StoreUnavailableError, TelegramError):
                    raise
                except Exception as err:
                    if not self._tried_enough(update_id):
                        raise
                    background_error("polling")
                    _LOGGER.exception(
                        "Telegram update %d skipped after %d failures: %s: %s",
                        update_id,
                        POLLING_TRIES,
                        type(err).__name__,
                        err,
                    )
                finally:
                    self._storing = False
            self._offset = update_id + 1

    def _tried_enough(self, update_id: int) -> bool:
        """Count a failure of `update_id`'s turn; whether it has failed POLLING_TRIES in a row."""
        failing, tries = self._failing
        self._failing = (update_id, tries + 1 if failing == update_id else 1)
        return self._failing[1] >= POLLING_TRIES

    async def _read_updates(self) -> list[tuple[int, Update | None]]:
        """The pending updates by id, each read on its own as the webhook reads one.

        None for one that has not the shape of an update (`events.checked_update`, the
        webhook's 400) or that PTB cannot read. Not `Bot.get_updates`: it hands PTB the
        updates unchecked and reads the batch whole, so one it cannot read failed every
        getUpdates from this offset on, and its error line quoted the raw batch (the
        subscribers' words, a typed password among them).
        """
        from telegram import Update

        bot = self.application.bot
        with warnings.catch_warnings():
            # PTB's advice to call get_updates instead does not apply (see above).
            warnings.filterwarnings("ignore", "Please use 'Bot.getUpdates'", UserWarning)
            raw = await bot.do_api_request(
                "getUpdates",
                api_kwargs={
                    "offset": self._offset,
                    "timeout": POLL_SECONDS,
                    "allowed_updates": list(ALLOWED_UPDATES),
                },
                read_timeout=_POLL_READ_TIMEOUT,
            )
        batch: list[tuple[int, Update | None]] = []
        for data in raw:
            try:
                update: Update | None = Update.de_json(checked_update(data), bot)
            except Exception:  # not an update's shape, or this version of PTB cannot read it
                update = None
            batch.append((int(data["update_id"]), update))
        return batch

    async def _take(self, update: Update) -> None:
        """Store the update's turn now (or raise); talk to Telegram in the background."""
        if self._life.too_old(happened_at(update), kept=TELEGRAM_KEEPS):
            # Telegram never sends one this old: a request captured and sent again.
            return
        turn = turn_from_update(update, self._config.bot_id, self._username)
        name = f"telegram {update.update_id}"
        if turn is not None and await self._album_answered(turn):
            # The caption's answer is the album's: a turn here would ask, unseen, the
            # question again, and the buttons under that answer would count for nothing.
            # The photos are kept all the same (once: the album's wordless items share one
            # event id), so that the agent reads what the subscriber sent.
            await self._runtime.engine.handle(turn.inbound, create=False, quiet=True)
            return
        if turn is not None:
            await self._life.take(
                [turn], self._store, self.deliver, name=name, repeated=self._stop_spinner
            )
        elif update.callback_query is not None:
            # A button we cannot act on still gets its spinner stopped.
            self._life.later(self._answer(update.callback_query.id), name=name)
        elif (group := group_request(update, self._config.bot_id, self._username)) is not None:
            # Not a turn (nothing is stored for a group), so a redelivery is told apart here.
            if update.update_id not in self._answered_groups:
                self._answered_groups.append(update.update_id)
                self._life.later(self._private_only(group, name), name=name)
        elif (reacted := reaction_of(update)) is not None:
            await self._on_reaction(reacted, name)
        elif (blocked := blocked_chat(update)) is not None:
            # The subscriber blocked the bot: a conversation waiting for the desk or with an
            # agent ends now (stored before Telegram is answered), as when a web chat leaves.
            await subscriber_left(self._runtime.engine, record_key(CHANNEL, str(blocked)))

    async def _on_reaction(self, reacted: Reacted, what: str) -> None:
        """A reaction on the question open: the subscriber is told, once, how to answer it.

        A 👍 on 「メールソフトをお使いですか？」 reads as a yes to the person who gave it; the
        bot heard nothing, and they waited for a next question that never came. It is no
        answer (a reaction says too little, and is given to any message): they are told to
        press a button or type, once per question message (a second reaction, or one changed,
        says nothing more). A reaction on anything else (the card, an answered question) is
        thanks, left unanswered. Noted before Telegram is answered, so a redelivery is not
        told twice; a store that is down leaves it unsaid (a hint, not a turn).
        """
        store = self._runtime.engine.store
        key = record_key(CHANNEL, str(reacted.chat_id))
        try:
            record = await store.load(key)
            if record is None or record.owner is not Owner.BOT or not record.question:
                return
            asked = await store.latest_line(key, "system", ASKED_LINE)
            if asked is None or not asks(asked.text, record.question, reacted.message_id):
                return
            told = f"{CHANNEL}:reaction:{reacted.chat_id}:{reacted.message_id}"
            if not await note_once(store, key, told, f"{_TOLD_LINE}{reacted.message_id}"):
                return
        except StoreUnavailableError as err:
            _LOGGER.warning("Telegram: a reaction was not answered: %s", err)
            return
        words = self._runtime.catalogs(record.dialog.locale, "telegram.reaction_not_an_answer")
        self._life.later(self._tell(reacted, words, what), name=what)

    async def _tell(self, reacted: Reacted, words: str, what: str) -> None:
        try:
            # Under the question reacted to, quoting it: which message it is about is seen.
            await self._send(reacted.chat_id, TelegramMessage(words), reply_to=reacted.message_id)
        except NotDeliveredError as err:
            _LOGGER.warning("Telegram note on a reaction not delivered for %s: %s", what, err)

    async def _note_asked(self, chat_id: int, question: str, asking: Sequence[int]) -> None:
        """Note which messages ask `question`, for a reaction on them (`_on_reaction`)."""
        if not (question and asking):
            return
        key = record_key(CHANNEL, str(chat_id))
        try:
            await note_lines(
                self._runtime.engine.store, key, [asked_line(question, asking)], bookkeeping=True
            )
        except StoreUnavailableError as err:
            _LOGGER.warning("Telegram: the question's messages were not noted: %s", err)

    @property
    def _username(self) -> str:
        # Known once getMe answered, which every update waits for (`_initialized`).
        return str(self.application.bot.username)

    async def _private_only(self, group: GroupRequest, what: str) -> None:
        # A group gets no dialog (the card and the check link carry the subscriber's address),
        # but whoever asked there is told where the bot does answer, not left in silence.
        words = self._runtime.catalogs(group.locale, "telegram.private_only")
        # One tap opens the private chat (Telegram shows its Start button): told to "talk
        # privately", a member of a family group did not know how to find the bot's chat.
        label = self._runtime.catalogs(group.locale, "telegram.open_private_chat")
        link = (label, f"https://t.me/{self._username}?start=group")
        try:
            await self._send(
                group.chat_id,
                TelegramMessage(words, link=link),
                reply_to=group.message_id,
                topic=group.topic,
            )
        except NotDeliveredError as err:
            _LOGGER.warning("Telegram note to a group not delivered for %s: %s", what, err)

    async def _store(self, turn: TelegramTurn) -> TurnOutcome:
        # A hashed code no longer offered reads as the label of the button pressed.
        label = turn.pressed.label(turn.inbound.choice) if turn.pressed else None
        # A typed reply quoting an old question is that question's, as its button would be.
        question = turn.pressed.question if turn.pressed else turn.quoted
        # An album's wordless items are kept, not answered yet: a caption on another item
        # may be on its way, and its answer is then the album's (`deliver`).
        wordless = turn.album is not None and not turn.album.words
        # The bot answers private chats alone, whose id is their user's: the sender whose
        # handoffs are counted.
        outcome = await self._life.store(
            turn.inbound, user=str(turn.chat_id), label=label, question=question, quiet=wordless
        )
        if turn.album is not None and turn.album.words:
            self._words_arrived(turn.album).set()
        return outcome

    def _words_arrived(self, album: AlbumItem) -> asyncio.Event:
        key = (album.chat_id, album.group)
        arrived = self._album_words.get(key)
        if arrived is None:
            arrived = self._album_words[key] = asyncio.Event()
            if len(self._album_words) > _ALBUMS_KEPT:
                self._album_words.popitem(last=False)
        return arrived

    async def _album_answered(self, turn: TelegramTurn) -> bool:
        """Whether `turn` is a wordless item of an album whose words were stored already."""
        album = turn.album
        return album is not None and not album.words and await self._album_has_words(album)

    async def _album_has_words(self, album: AlbumItem) -> bool:
        """Whether a captioned item of `album` was stored, by any replica (its transcript)."""
        return self._has_words(album, await self._transcript(album))

    def _has_words(self, album: AlbumItem, lines: Sequence[TranscriptEntry]) -> bool:
        tags = {event_tag(event_id) for event_id in album.words_event_ids(self._config.bot_id)}
        return any(line.event in tags for line in lines)

    async def _transcript(self, album: AlbumItem) -> list[TranscriptEntry]:
        return await self._runtime.engine.store.transcript(record_key(CHANNEL, str(album.chat_id)))

    async def _words_came(self, album: AlbumItem) -> bool:
        """Wait a moment for the album's words; whether a captioned item was stored.

        Here or on a replica: the transcript says.
        """
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(ALBUM_WAIT):
                await self._words_arrived(album).wait()
        try:
            return self._has_words(album, await self._transcript(album))
        except StoreUnavailableError:
            return False  # asked for the text, as an album without words is

    # -- replies out ------------------------------------------------------------------------

    async def deliver(self, turn: TelegramTurn, outcome: TurnOutcome) -> None:
        """Answer a stored turn on Telegram: the button's spinner, its keyboard, the replies.

        An album's wordless items first wait for a caption on another item: when one came,
        its answer is the album's, and the request for the text is not sent.
        """
        from telegram.error import TelegramError

        if turn.album is not None and not turn.album.words:
            came = await self._words_came(turn.album)
            if outcome.quiet:
                # Kept unanswered; one that started the conversation is greeted alone
                # (Engine.handle(quiet=True)), first. The caption's answer is the album's,
                # else the request for the text follows.
                event_id = turn.inbound.event_id
                await self._send_all(turn.chat_id, outcome.replies, event_id, event_tag(event_id))
                if not came:
                    await self._answer_album(turn)
                return
            if came:
                return
        if turn.pressed is not None:
            # A button of a question answered since counted for nothing: the spinner's
            # answer says so (a notice over the chat, not a message in it).
            await self._answer(turn.pressed.query_id, self._life.answered_before(outcome))
            try:
                # The keyboard gives way to the answer pressed, 「✓ はい」, one button that
                # still names its question: a reply quoting the message is then known to
                # be about a question answered (Telegram sends the quoted message's
                # keyboard), where a message left bare was read as words for the open one.
                # Pressed again it changes nothing (one answer per question message).
                await self.application.bot.edit_message_reply_markup(
                    chat_id=turn.pressed.chat_id,
                    message_id=turn.pressed.message_id,
                    reply_markup=(
                        None if outcome.stale or outcome.restarted else answered_markup(turn)
                    ),
                )
            except TelegramError as err:
                _LOGGER.warning("Telegram editMessageReplyMarkup failed: %s", err)
        event_id = turn.inbound.event_id
        if turn.quoted is not None and (note := self._life.answered_before(outcome, typed=True)):
            # Typed as a reply to a question answered since: the words answered nothing, and
            # the chat says so (there is no spinner to carry a notice).
            await self._send_all(turn.chat_id, (TextReply(note),), event_id, "")
        await self._send_all(turn.chat_id, outcome.replies, event_id, event_tag(event_id))

    async def _answer_album(self, turn: TelegramTurn) -> None:
        """Ask for the text of an album that came without a caption (its photos are kept)."""
        answer = f"{turn.inbound.event_id}:answer"
        inbound = dataclasses.replace(turn.inbound, event_id=answer)
        try:
            outcome = await self._runtime.engine.handle(inbound, create=False, recorded=True)
        except StoreUnavailableError as err:
            _LOGGER.error("Telegram album %s left unanswered: %s", turn.inbound.event_id, err)
            return
        await self._send_all(turn.chat_id, outcome.replies, answer, event_tag(answer))

    async def _stop_spinner(self, turn: TelegramTurn) -> None:
        # Telegram shows a spinner until the query is answered: a repeated tap that changes
        # nothing gets its answer too.
        if turn.pressed is not None:
            await self._answer(turn.pressed.query_id)

    async def _answer(self, query_id: str, text: str | None = None) -> None:
        from telegram.error import TelegramError

        try:
            await self.application.bot.answer_callback_query(query_id, text=text)
        except TelegramError as err:
            _LOGGER.warning("Telegram answerCallbackQuery failed: %s", err)

    async def _send_all(
        self, chat_id: int, replies: Sequence[Reply], what: str, question: str
    ) -> None:
        asking: list[int] = []
        for reply in replies:
            for message in render(reply, question=question):
                try:
                    sent = await self._send(chat_id, message)
                except NotDeliveredError as err:
                    _LOGGER.error("Telegram sendMessage for %s not delivered: %s", what, err)
                    self._life.undelivered(err)
                    continue
                if isinstance(reply, ChoicesReply):
                    asking.append(sent)
        await self._note_asked(chat_id, question, asking)

    async def _send(
        self,
        chat_id: int,
        message: TelegramMessage,
        *,
        reply_to: int | None = None,
        topic: int | None = None,
    ) -> int:
        """Send one message, again only when that cannot make a second copy; or NotDeliveredError.

        The message's id, as Telegram gave it.

        `reply_to`: a message it answers (sent all the same should that one be deleted);
        `topic`: the forum topic to send it in. Which failures are resent, and the one risk
        taken (a 500), is in `adapters.telegram.resend`.
        """
        from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters
        from telegram.constants import ParseMode
        from telegram.error import Forbidden, InvalidToken, TelegramError

        from adapters.telegram.resend import may_have_arrived, resendable

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
        if message.link is not None:
            label, url = message.link
            markup = InlineKeyboardMarkup([[InlineKeyboardButton(label, url=url)]])
        try:
            sent = await send_once(
                lambda: self.application.bot.send_message(
                    chat_id=chat_id,
                    text=message.text,
                    parse_mode=ParseMode.HTML if message.html else None,
                    reply_markup=markup,
                    message_thread_id=topic,
                    reply_parameters=(
                        ReplyParameters(reply_to, allow_sending_without_reply=True)
                        if reply_to is not None
                        else None
                    ),
                ),
                resend=resendable,
                sleep=self._runtime.pause,
            )
        except TelegramError as err:
            if isinstance(err, InvalidToken) and (times := self._token_refused.happened()):
                # Each failed send said only "Telegram: Unauthorized": no setting named.
                _LOGGER.error(
                    "Telegram refuses TELEGRAM_BOT_TOKEN (%d send(s)): no reply reaches Telegram"
                    " subscribers until it is replaced; set the bot's current token (BotFather"
                    " gives a new one on /revoke) and restart mailmove",
                    times,
                )
            # Said by the caller, once: each logs what it could not deliver (the replies'
            # loop, a push, a group's note), and a line here said each failure twice.
            raise NotDeliveredError(
                f"Telegram: {err}",
                may_have_arrived=may_have_arrived(err),
                # 403: the subscriber blocked the bot (or deleted their account): final.
                cause=UNREACHABLE if isinstance(err, Forbidden) else None,
            ) from err
        return int(sent.message_id)


def asked_line(question: str, messages: Sequence[int]) -> str:
    """The bookkeeping that `messages` ask `question` (its `event_tag`)."""
    return f"{ASKED_LINE}{question} {' '.join(str(m) for m in messages)}"


def asks(line: str, question: str, message_id: int) -> bool:
    """Whether `line` (an `asked_line`) says that message `message_id` asks `question`."""
    tag, *messages = line.removeprefix(ASKED_LINE).split()
    return tag == question and str(message_id) in messages


def answered_markup(turn: TelegramTurn) -> InlineKeyboardMarkup | None:
    """The one button 「✓ <label>」 a pressed keyboard becomes: its data, the press's own.

    None (no keyboard) when the press named no question or its label is unknown.
    """
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup

    pressed, code = turn.pressed, turn.inbound.choice
    label = pressed.label(code) if pressed is not None else None
    if pressed is None or pressed.question is None or code is None or not label:
        return None
    data = with_question(code, pressed.question)
    return InlineKeyboardMarkup([[InlineKeyboardButton(f"✓ {label}", callback_data=data)]])


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
