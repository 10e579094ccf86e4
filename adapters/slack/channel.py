"""Slack: direct messages, and mentions in channels answered in a thread (slack-bolt).

Events arrive over HTTP (Events API and interactivity, signed with the signing secret) or,
for a desk without a public URL, over Socket Mode. Either way the turn is stored before Bolt
acknowledges it (milliseconds, well within the 3 s after which Slack retries), so an event
the store cannot record gets 503 and comes again; the replies are posted afterwards, on the
runtime's background tasks (`bot.channels.answer_first`).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import random
import re
from collections import deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from adapters.redelivery import handled_before
from adapters.slack.config import DEFAULT_API_URL, SlackConfig
from adapters.slack.dm_carry import carried_to_dm
from adapters.slack.events import (
    CHANNEL,
    Clicked,
    Reaction,
    SlackTurn,
    Withdrawal,
    address_of,
    bot_user_of,
    check_body,
    conversation_key,
    former_id,
    is_direct,
    mentioned_users,
    opened_from_event,
    reaction_from_event,
    turn_from_action,
    turn_from_event,
    user_locale,
    withdrawal_from_event,
)
from adapters.slack.names import MemberNames
from adapters.slack.render import (
    SlackMessage,
    answered_blocks,
    asked_by,
    private_runs,
    render,
    text_messages,
)
from adapters.slack.signing import signed_by_slack
from bot.channels.answer_first import (
    STORE_RETRY_AFTER,
    STORE_UNAVAILABLE,
    AnswerFirst,
    LocaleLookup,
)
from bot.channels.registry import START_CHECK_SECONDS
from bot.delivery import NotDeliveredError
from bot.engine import PLACE_NOTE_LINE, SENDER_LINE, TurnOutcome, started_by
from bot.ops.settings import ConfigError
from bot.runtime import Pause, Runtime
from bot.store.conversation_store import (
    Owner,
    StoreUnavailableError,
    TranscriptEntry,
    event_tag,
    note_lines,
    record_key,
)
from dialogs.questionnaire import Stage
from dialogs.vocabulary import (
    DEFAULT_LOCALE,
    EDITED_CHOICE,
    Locale,
    Reply,
    TextReply,
)

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.errors import SlackApiError
    from slack_sdk.http_retry.async_handler import AsyncRetryHandler
    from slack_sdk.http_retry.request import HttpRequest
    from slack_sdk.http_retry.response import HttpResponse
    from slack_sdk.http_retry.state import RetryState
    from slack_sdk.web.async_client import AsyncWebClient

    from adapters.slack.post_once import Posted

_LOGGER: Final = logging.getLogger(__name__)
RETRY_HEADER: Final = "x-slack-retry-num"
# What Slack answers for a token it will never take (auth.test, apps.connections.open): a
# setting. For an app token the SDK tried again every 10 s for ever, with a traceback each
# time, and start-up never ended (no "Serving", SIGTERM not heard; only SIGKILL stopped it).
_REFUSED_TOKEN: Final = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
        "missing_scope",
    }
)


class _NotTheTokenWarning(logging.Filter):
    """Drops Bolt's "As you gave `client` as well, `token` will be unused." warning.

    The app is given its own client (for the API base URL), and Bolt also reads
    SLACK_BOT_TOKEN from the environment, where a deployment keeps it: the warning came at
    every start and says nothing an operator can act on (the client holds the same token).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

        return record.getMessage() != warning_client_prioritized_and_token_skipped()


_TOKEN_WARNING: Final = _NotTheTokenWarning()


def _quiet_token_warning() -> None:
    # Bolt's own logger for the app class (slack_bolt.logger.get_bolt_logger); adding the
    # same filter again changes nothing.
    logging.getLogger("slack_bolt.AsyncApp").addFilter(_TOKEN_WARNING)


WEBHOOK_PATH: Final = "/slack/events"
# The largest body Slack's signed routes take. Slack cuts a message at 40,000 characters and
# sends its words twice (text and rich-text blocks), unescaped UTF-8: 40,000 Japanese
# characters weigh 240 KB, emoji (4 bytes) 320 KB, with the envelope and JSON's escapes
# under 512 KiB. At the app's 64 KiB, a reply of about 10,900 Japanese characters was refused
# with 413 at every retry and lost. The signature is checked on the raw bytes before any
# parse (`AnswerFirst.verified`), so a forged body costs its reading and one HMAC.
MAX_EVENT_BYTES: Final = 512 * 1024
RATE_LIMIT_RETRIES: Final = 3
API_TIMEOUT: Final = 30
_ACTION_ID: Final = re.compile(r"^choice-\d+$")
# Who was told a thread is someone else's, per event: a redelivery tells nobody twice.
_TOLD_KEPT: Final = 256
# How long a first visit to the DM waits to learn whether it is empty (`_dm_holds_words`).
_DM_LOOK_SECONDS: Final = 1.0
# How many messages of a channel's thread are read for the bot's own that name an address.
_THREAD_READ: Final = 200

# The transcript's note of where in a DM the subscriber writes (bot.engine.PLACE_NOTE_LINE,
# then `thread <ts>`, or `top`).
_DM_TOP: Final = "top"
_DM_THREAD: Final = "thread "
# The transcript's note of an edit kept as a turn: the message's turn tag, the edit's event id.
_EDIT_NOTE: Final = "slack edit: "
# The transcript's note that the subscriber was told their thread is read by the channel.
_ADDRESS_TOLD: Final = "slack thread: told the channel reads it"

Whose = Literal["theirs", "nobody's", "someone else's"]
"""Who a turn in a channel's thread speaks for, as far as the bot is concerned."""


async def check_bot_token(client: AsyncWebClient, variable: str) -> None:
    """ConfigError for a bot token Slack refuses (auth.test); a Slack that does not answer is said.

    `variable` names the setting the token came from (the desk may have its own).
    """
    from slack_sdk.errors import SlackApiError

    try:
        async with asyncio.timeout(START_CHECK_SECONDS):
            await client.auth_test()
    except SlackApiError as err:
        _refuse_no_slack_answer(err, client.base_url)
        error = err.response.get("error") if err.response is not None else None
        if error in _REFUSED_TOKEN:
            raise ConfigError(
                f"{variable} was refused by Slack ({error}): give the bot token (xoxb-…) of"
                " this app, installed in the workspace"
            ) from None
        _LOGGER.warning("Could not check %s: Slack answered %s", variable, error or err)
    except Exception as err:  # no answer at all: aiohttp's, the OS's, a timeout
        _LOGGER.warning("Could not check %s: Slack unreachable: %s", variable, type(err).__name__)


def _refuse_no_slack_answer(err: SlackApiError, api_url: str) -> None:
    """ConfigError for a 2xx to auth.test that is no Slack answer (no JSON with its `ok`).

    A wrong SLACK_API_URL or a proxy's page: its HTML or `{}` was warned as 'Slack answered
    The request to the Slack API failed…' and serving went on, each reply failing after;
    a body that is not JSON ended start-up in a traceback (slack_sdk's error then carries
    aiohttp's response, which has no `get`). A 5xx is Slack's trouble, warned as before.
    """
    response = err.response
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    data = getattr(response, "data", None)
    if not isinstance(status, int) or not 200 <= status < 300:
        return
    if isinstance(data, dict) and "ok" in data:
        return
    raise ConfigError(
        f"SLACK_API_URL: {api_url} answered auth.test {status} with no Slack answer (no JSON"
        f" with 'ok'): it must be Slack's Web API ({DEFAULT_API_URL}, the default)"
    ) from None


def web_client(
    token: str, api_url: str, *, timeout: int = API_TIMEOUT, pause: Pause | None = None
) -> AsyncWebClient:
    """A Web API client that resends a call only when that cannot post a message twice.

    Slack answers 429 with Retry-After, and a message refused so was not posted: the handler
    waits that long and resends (through `pause`, the runtime's, when given). A connection
    that was never made carried nothing, so it is tried again too; one dropped after the
    request went out is not, as the post may have landed.
    """
    import aiohttp
    from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler
    from slack_sdk.web.async_client import AsyncWebClient

    return AsyncWebClient(
        token=token,
        base_url=api_url,
        timeout=timeout,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(error_types=[aiohttp.ClientConnectorError]),
            _rate_limit_handler(pause),
        ],
    )


def _rate_limit_handler(pause: Pause | None) -> AsyncRetryHandler:
    """The SDK's handler of a 429; its wait made through `pause` when given.

    The wait is the SDK's own: Retry-After's whole seconds and a random fraction of one
    (so that clients refused together do not come back together), 1 s and the fraction when
    Slack did not say.
    """
    from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler

    if pause is None:
        return AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)
    wait = pause

    class RateLimitWait(AsyncRateLimitErrorRetryHandler):
        async def prepare_for_next_attempt_async(
            self,
            *,
            state: RetryState,
            request: HttpRequest,
            response: HttpResponse | None = None,
            error: Exception | None = None,
        ) -> None:
            if response is None:
                raise error or RuntimeError("a 429 without its response")
            state.next_attempt_requested = True
            said = next(
                (v for k, v in response.headers.items() if k.lower() == "retry-after"), None
            )
            try:
                seconds = int(said[0]) if said else 1
            except ValueError:
                seconds = 1
            await wait(seconds + random.random())  # noqa: S311 - a jitter, not a secret
            state.increment_current_attempt()

    return RateLimitWait(max_retry_count=RATE_LIMIT_RETRIES)


class SlackChannel:
    """Bolt's app behind our webhook route (or on a Socket Mode connection)."""

    name = CHANNEL
    # A link tapped in Slack on a phone opens in the app's own browser, where an Apple
    # configuration profile may not install: the chat says to open that one in Safari.
    links_open_in_app = True

    def __init__(self, runtime: Runtime, config: SlackConfig) -> None:
        import aiohttp
        from slack_bolt.async_app import AsyncApp
        from slack_sdk.signature import SignatureVerifier

        self._config = config
        self._catalogs = runtime.catalogs
        self._engine = runtime.engine
        self._pause = runtime.pause
        self.client: AsyncWebClient = web_client(
            config.bot_token, config.api_url, pause=runtime.pause
        )
        self._locales = LocaleLookup(self._fetch_locale, transient=(aiohttp.ClientError,))
        self._life = AnswerFirst(runtime, CHANNEL, locales=self._locales)
        self._told: deque[str] = deque(maxlen=_TOLD_KEPT)
        # Mentioned members' names: one users.info per member, not per mention; a member
        # Slack does not describe in time reads as @someone, and only that member.
        self._names = MemberNames(self.client, unnamed=_no_name)
        self._verifier = SignatureVerifier(config.signing_secret) if config.signing_secret else None
        _quiet_token_warning()
        self.app: AsyncApp = AsyncApp(
            # A name spares Bolt from walking the call stack to make one up.
            name="mailmove",
            client=self.client,
            signing_secret=config.signing_secret or "",
            # Socket Mode messages come over our own authenticated connection, unsigned.
            request_verification_enabled=not config.socket_mode,
            # Bolt answers Slack only once our listener returned: the listener stores the
            # turn first (a store outage then gets 503, and Slack retries) and leaves only
            # the posting to a background task.
            process_before_response=True,
            # A request no listener takes (a modal's submission, a shortcut, a menu's options
            # lookup: nothing the bot opens or offers) reaches `_unhandled` as an error, where
            # it is acknowledged without a word; Bolt would log "Unhandled request" each time.
            raise_error_for_unhandled_request=True,
        )
        self.app.error(self._unhandled)
        self.app.event("message")(self._on_event)
        self.app.event("app_mention")(self._on_event)
        self.app.event("app_home_opened")(self._on_opened)
        self.app.event("reaction_added")(self._on_reaction)
        self.app.action(_ACTION_ID)(self._on_action)
        # Anything else is acknowledged and ignored, so Slack does not redeliver it.
        self.app.event(re.compile(".*"))(self._ignore)
        self.app.action(re.compile(".*"))(self._ignore)
        self._socket: AsyncSocketModeHandler | None = None
        # Socket Mode's first connection, made in the background when Slack did not answer.
        self._connecting: asyncio.Task[None] | None = None

    def routes(self) -> Sequence[BaseRoute]:
        """The Events API and interactivity endpoint, unless Socket Mode is on."""
        if self._config.socket_mode:
            return []
        return [Route(WEBHOOK_PATH, self.webhook, methods=["POST"])]

    @property
    def body_limits(self) -> Mapping[str, int]:
        """A subscriber's long message can weigh more than the app's limit (`MAX_EVENT_BYTES`).

        As an agent's thread reply on the desk's route: Slack sends a DM of about 10,900
        Japanese characters or more (a pasted mail with its headers, an error log) past
        64 KiB, which was answered 413 at each of Slack's retries and lost, the subscriber
        told nothing. The turn reads the first `dialogs.turn.READ_LENGTH` characters and the
        transcript keeps `bot.engine.KEPT_LENGTH`, as for any long message.
        """
        return {} if self._config.socket_mode else {WEBHOOK_PATH: MAX_EVENT_BYTES}

    async def start(self) -> None:
        """Open the Socket Mode connection when configured; HTTP needs nothing started.

        An app-level token Slack refuses stops start-up in one line (ConfigError). A Slack
        that does not answer leaves the server serving, and the connection is made in the
        background (the SDK tries again every 10 s). A bot token Slack refuses stops it too:
        Bolt's first event asked auth.test, logged "Failed to authorize with the given token"
        and answered Slack 200, so every subscriber's message was acknowledged and lost.
        """
        await check_bot_token(self.client, "SLACK_BOT_TOKEN")
        if self._config.socket_mode:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            self._socket = AsyncSocketModeHandler(self.app, self._config.app_token)
            if await self._socket_url(self._socket):
                await self._socket.connect_async()  # type: ignore[no-untyped-call]
            else:
                self._connecting = asyncio.create_task(
                    self._socket.connect_async(),  # type: ignore[no-untyped-call]
                    name="slack socket mode",
                )

    async def _socket_url(self, handler: AsyncSocketModeHandler) -> bool:
        """Ask for the connection's URL once; False when Slack did not answer."""
        from slack_sdk.errors import SlackApiError

        client = handler.client
        try:
            response = await client.web_client.apps_connections_open(app_token=client.app_token)
        except SlackApiError as err:
            error = err.response.get("error") if err.response is not None else None
            if error in _REFUSED_TOKEN:
                # Its HTTP session alone: close_async would log an "abandoned" session line.
                client.closed = True
                await client.aiohttp_client_session.close()
                raise ConfigError(
                    f"SLACK_APP_TOKEN was refused by Slack ({error}): give the app-level token"
                    " (xapp-…) of this app, with the connections:write scope"
                ) from None
            _LOGGER.error("Slack Socket Mode not connected yet: %s; tried again", error or err)
            return False
        except Exception as err:  # no answer at all: aiohttp's, the OS's, a timeout
            _LOGGER.error(
                "Slack Socket Mode not connected yet: %s: %s; tried again", type(err).__name__, err
            )
            return False
        client.wss_uri = str(response["url"])
        return True

    async def stop(self) -> None:
        """Close the Socket Mode connection."""
        connecting, self._connecting = self._connecting, None
        if connecting is not None and not connecting.done():
            connecting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await connecting
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
            self._socket = None

    async def push(self, conversation_key: str, replies: Sequence[Reply]) -> None:
        """Post replies that answer no message to the DM or the thread the key names.

        NotDeliveredError when one could not be posted; the ones after it are not posted
        either, so nothing arrives out of order.
        """
        channel, thread_ts = address_of(conversation_key)
        key = record_key(CHANNEL, conversation_key)
        alone: str | None = None
        if thread_ts is None:
            # A DM: where the subscriber last wrote in it, a thread of it or its top level.
            thread_ts = dm_thread(await self._dm_place(key))
        elif any(private for private, _ in private_runs(replies)):
            # A channel's thread (a hand-back answering 「ログインを確認したい」): the link and
            # the card are the subscriber's, as in an answer (`_post_all`).
            sender = await self._engine.store.latest_line(key, "system", SENDER_LINE)
            alone = started_by([sender] if sender is not None else [])
        question = await self._life.open_question(conversation_key)
        runs = private_runs(replies) if alone is not None else [(False, tuple(replies))]
        for private, run in runs:
            messages = [m for reply in run for m in render(reply, question=question)]
            if private and alone is not None:
                record = await self._engine.store.load(key)
                locale = record.dialog.locale if record is not None else DEFAULT_LOCALE
                await self._post_privately(
                    channel, thread_ts, alone, messages, locale, from_key=conversation_key
                )
                continue
            for message in messages:
                await self._post(channel, thread_ts, message)

    async def webhook(self, request: Request) -> Response:
        """Verify, then let Bolt dispatch; unknown events get 200 so Slack stops sending."""
        from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler

        # Checked here as well as in Bolt, so a refusal is counted and never reaches Bolt.
        body = await self._life.verified(request, self._signed, setting="SLACK_SIGNING_SECRET")
        if isinstance(body, Response):
            return body
        content_type = request.headers.get("content-type", "")
        malformed = self._life.parsed(body, lambda raw: check_body(raw, content_type))
        if isinstance(malformed, Response):
            return malformed
        response = await AsyncSlackRequestHandler(self.app).handle(request)
        if response.status_code == 404:
            return Response(status_code=200)
        return response

    def _signed(self, request: Request, body: bytes) -> bool:
        if self._verifier is None:
            return False
        return signed_by_slack(self._verifier, body, request.headers)

    async def _on_event(self, ack: Any, body: dict[str, Any], context: Any, request: Any) -> Any:
        bot_user = getattr(context, "bot_user_id", None) or bot_user_of(body)
        # Slack's retries say so (Bolt makes Socket Mode's retry_attempt this header too).
        retried = bool(request.headers.get(RETRY_HEADER))

        async def named(turn: SlackTurn) -> SlackTurn:
            # Only the words of a turn the bot answers are worth a users.info, not every
            # chat it sees in a channel.
            others = mentioned_users(body) - {bot_user} if turn.inbound.text else set()
            if not others:
                return turn
            again = turn_from_event(body, bot_user, await self._names.names(others))
            return dataclasses.replace(again, former=turn.former) if again else turn

        unsent = withdrawal_from_event(body)
        if unsent is not None:
            return await self._withdraw(ack, unsent, bot_user)
        turn = turn_from_event(body, bot_user)
        if turn is not None and retried:
            turn = dataclasses.replace(turn, former=former_id(body, turn))
        return await self._accept(ack, turn, named=named)

    async def _on_opened(self, ack: Any, body: dict[str, Any]) -> Any:
        turn = opened_from_event(body)
        if turn is not None and await self._dm_holds_words(turn):
            turn = None
        return await self._accept(ack, turn)

    async def _dm_holds_words(self, turn: SlackTurn) -> bool:
        """Whether a DM the bot keeps no conversation in already holds messages.

        A first visit greets an empty DM. One holding the settings card and the guide sent
        there from a channel's thread (`_post_privately`), opened to read them, was greeted
        with the questionnaire's first question under them, as if they had to start again.
        Unknown (Slack slow or refusing, the store down) is empty, greeted as before.
        """
        import aiohttp
        from slack_sdk.errors import SlackApiError

        try:
            key = record_key(CHANNEL, turn.inbound.conversation_key)
            if await self._engine.store.load(key) is not None:
                return False  # kept: the visit says nothing anyway (`only_new`)
            async with asyncio.timeout(_DM_LOOK_SECONDS):
                history = await self.client.conversations_history(channel=turn.channel, limit=1)
        except (StoreUnavailableError, SlackApiError, aiohttp.ClientError, TimeoutError):
            return False
        return bool(history.get("messages"))

    async def _on_reaction(self, ack: Any, body: dict[str, Any], context: Any) -> None:
        """A reaction on the question open: the subscriber is told how to answer it.

        A 👍 on 「メールソフトをお使いですか？」 reads as a yes to the person who gave it, and the
        bot heard nothing: they waited on an answer that never came. It is no answer (a
        reaction says too little to take as one, and is given to any message), so it gets
        one line, seen by them alone, asking for a button or words; nothing is stored.
        """
        await ack()
        bot_user = getattr(context, "bot_user_id", None) or bot_user_of(body)
        reacted = reaction_from_event(body, bot_user)
        if reacted is None:
            return
        told = f"{reacted.channel} {reacted.ts} {reacted.user}"
        if told in self._told:
            return  # Slack's retry, or another reaction on the same question
        self._told.append(told)
        self._life.later(self._answer_reaction(reacted), name=f"reaction {reacted.ts}")

    async def _answer_reaction(self, reacted: Reaction) -> None:
        import aiohttp
        from slack_sdk.errors import SlackApiError

        try:
            message = await self._reacted_message(reacted)
            if message is None:
                return
            thread_ts = message.get("thread_ts")
            thread = thread_ts if isinstance(thread_ts, str) and thread_ts else None
            key = conversation_key(
                reacted.team, reacted.channel, None if is_direct(reacted.channel) else thread
            )
            record = await self._engine.store.load(record_key(CHANNEL, key))
            if record is None or record.owner is not Owner.BOT or not record.question:
                return
            if asked_by(message) != record.question:
                return  # an answered question, a card, a guide: a reaction there is thanks
            if thread is not None and not is_direct(reacted.channel):
                sender = await self._engine.store.latest_line(
                    record_key(CHANNEL, key), "system", SENDER_LINE
                )
                if started_by([sender] if sender is not None else []) != reacted.user:
                    return  # another member's reaction in someone's thread
            words = self._catalogs(record.dialog.locale, "slack.reaction_not_an_answer")
            await self.client.chat_postEphemeral(
                channel=reacted.channel, user=reacted.user, thread_ts=thread, text=words
            )
        except StoreUnavailableError as err:
            _LOGGER.warning("A reaction was not answered: the store is unavailable: %s", err)
        except SlackApiError as err:
            _LOGGER.warning("A reaction was not answered: Slack said %s", err.response.get("error"))
        except (aiohttp.ClientError, TimeoutError) as err:
            # A hint, not an answer: a Slack that does not answer leaves it unsaid.
            _LOGGER.warning("A reaction was not answered: no answer from Slack (%r)", err)

    async def _reacted_message(self, reacted: Reaction) -> Mapping[str, Any] | None:
        """The bot's message reacted to, read back (its buttons, its thread); None if gone.

        conversations.replies takes a thread's parent or a message in it (or one with no
        thread at all) and reads with the scopes the bot reads its conversations with.
        """
        response = await self.client.conversations_replies(
            channel=reacted.channel, ts=reacted.ts, oldest=reacted.ts, inclusive=True, limit=20
        )
        messages = response.get("messages") or []
        return next(
            (m for m in messages if isinstance(m, Mapping) and m.get("ts") == reacted.ts), None
        )

    async def _withdraw(self, ack: Any, unsent: Withdrawal, bot_user: str | None = None) -> Any:
        """Withdraw a deleted message's words from the transcript, before Slack is answered."""
        from slack_bolt import BoltResponse

        if not self._life.accepting:
            return BoltResponse(status=503, body="")
        key = record_key(CHANNEL, unsent.conversation_key)
        channel, thread_ts = address_of(unsent.conversation_key)
        try:
            before = await self._engine.store.load(key) if thread_ts is not None else None
            await self._engine.withdraw(
                CHANNEL, unsent.conversation_key, unsent.event_id, unsent.said
            )
            for edit in await self._edits(unsent):
                # The words put right by each edit were kept as a turn of their own.
                await self._engine.withdraw(
                    CHANNEL, unsent.conversation_key, f"{unsent.event_id}:{edit}", edit
                )
            after = await self._engine.store.load(key) if before is not None else None
        except StoreUnavailableError as err:
            return self._store_unavailable(err)
        gone = before.dialog.address if before is not None else None
        forgotten = after is None or after.dialog.address != gone
        if gone and bot_user and thread_ts is not None and forgotten:
            work = self._unsay_address(channel, thread_ts, bot_user, gone)
            self._life.later(work, name=f"{unsent.event_id}:unsay")
        await ack()
        return None

    async def _unsay_address(
        self, channel: str, thread_ts: str, bot_user: str, address: str
    ) -> None:
        """Delete the bot's messages in a channel's thread that say back a withdrawn address.

        A subscriber who deleted the message that gave their address (typed where the
        channel reads it) still found it in the thread, in the bot's
        「ありがとうございます。taro@…の設定をご案内します。」. The conversation forgets it; the
        bot's own messages naming it go too (`chat:write` deletes the bot's own messages).
        """
        import aiohttp
        from slack_sdk.errors import SlackApiError

        failed = (SlackApiError, aiohttp.ClientError, TimeoutError)
        try:
            response = await self.client.conversations_replies(
                channel=channel, ts=thread_ts, limit=_THREAD_READ
            )
        except failed as err:
            _LOGGER.warning("The thread naming a withdrawn address was not read: %r", err)
            return
        for message in response.get("messages") or []:
            if not isinstance(message, Mapping) or message.get("user") != bot_user:
                continue  # the subscriber's and their colleagues' words are theirs
            if address.casefold() not in str(message.get("text") or "").casefold():
                continue
            try:
                await self.client.chat_delete(channel=channel, ts=str(message.get("ts")))
            except failed as err:
                _LOGGER.warning("The bot's message naming a withdrawn address stays: %r", err)

    async def _note_edit(self, turn: SlackTurn) -> None:
        """Note the turn of an edit under its message's: a deletion names only the latest edit.

        Slack's `message_deleted` shows the message as last edited (`previous_message`), so
        the words of an earlier edit are found by this note (bookkeeping, never shown).
        """
        said, marked, _ = turn.inbound.event_id.partition(":edited:")
        if not marked:
            return  # an edit without its own ts: kept under the event's id, not the message's
        key = record_key(CHANNEL, turn.inbound.conversation_key)
        line = f"{_EDIT_NOTE}{event_tag(said)} {turn.inbound.event_id}"
        await note_lines(self._engine.store, key, [line], bookkeeping=True)

    async def _edits(self, unsent: Withdrawal) -> list[str]:
        """The event ids of the turns that kept edits of the deleted message, each once."""
        key = record_key(CHANNEL, unsent.conversation_key)
        prefix = f"{_EDIT_NOTE}{event_tag(unsent.said)} "
        noted = [
            line.text.removeprefix(prefix)
            for line in await self._engine.store.transcript(key)
            if line.author == "system" and line.text.startswith(prefix)
        ]
        latest = [unsent.edit] if unsent.edit is not None else []
        return list(dict.fromkeys([*noted, *latest]))

    async def _unhandled(self, error: Exception, logger: logging.Logger) -> Any:
        from slack_bolt import BoltResponse
        from slack_bolt.error import BoltUnhandledRequestError

        if isinstance(error, BoltUnhandledRequestError):
            return BoltResponse(status=200, body="")
        # What Bolt's default handler does with a listener's error (and its 500 stands).
        logger.exception("Failed to run listener function (error: %s)", error)
        return None

    async def _whose(self, turn: SlackTurn) -> Whose:
        """Whether a turn continues its thread's conversation, or belongs to none.

        A channel's thread is the conversation of the member who mentioned the bot there
        (the transcript's `sender`). With message.channels on, everyone's words in it arrive:
        another member's are not that subscriber's answers, nor something an agent should
        read as theirs. A mention or a button is someone else's unless the conversation is
        over (then a mention starts theirs); an unmentioned message is nobody's outside a
        thread the bot holds a conversation in with its writer.
        """
        if address_of(turn.inbound.conversation_key)[1] is None:
            return "theirs"  # a DM, its threads too, is the one member's own
        key = record_key(CHANNEL, turn.inbound.conversation_key)
        record = await self._engine.store.load(key)
        if record is None:
            return "nobody's" if turn.in_thread else "theirs"
        if record.owner is Owner.CLOSED and not turn.in_thread:
            return "theirs"
        sender = await self._engine.store.latest_line(key, "system", SENDER_LINE)
        subscriber = started_by([sender] if sender is not None else [])
        if subscriber is None or subscriber == turn.user:
            return "theirs"
        return "nobody's" if turn.in_thread else "someone else's"

    async def _on_action(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> Any:
        return await self._accept(ack, turn_from_action(body, action))

    async def _ignore(self, ack: Any) -> None:
        await ack()

    async def _accept(
        self,
        ack: Any,
        turn: SlackTurn | None,
        *,
        named: Callable[[SlackTurn], Awaitable[SlackTurn]] | None = None,
    ) -> Any:
        from slack_bolt import BoltResponse

        if not self._life.accepting:
            # Over Socket Mode no acknowledgement means Slack delivers it again later.
            return BoltResponse(status=503, body="")
        if turn is not None:
            try:
                whose = await self._whose(turn)
                if whose != "theirs":
                    # People talking among themselves are left alone; a member who asked the
                    # bot in someone else's conversation is told, only them, where to ask.
                    if whose == "someone else's":
                        self._tell_not_theirs(turn)
                    await ack()
                    return None
                if named is not None:
                    turn = await named(turn)
                await self._life.take([turn], self._store, self.deliver, name=turn.inbound.event_id)
                if turn.inbound.choice == EDITED_CHOICE:
                    await self._note_edit(turn)
            except StoreUnavailableError as err:
                return self._store_unavailable(err)
        # With process_before_response Bolt answers Slack (HTTP response or Socket Mode
        # acknowledgement) only once this listener returns: the event is stored by then.
        await ack()
        return None

    def _store_unavailable(self, err: StoreUnavailableError) -> Any:
        """The store is down: 503 with Retry-After, so that Slack sends the event again.

        Bolt would make the exception a 500. Over Socket Mode any status but 200 leaves the
        envelope unacknowledged, and Slack sends it again.
        """
        from slack_bolt import BoltResponse

        self._life.store_unavailable(err)
        return BoltResponse(
            status=503,
            body={"error": STORE_UNAVAILABLE},
            headers={"Retry-After": STORE_RETRY_AFTER},
        )

    def _tell_not_theirs(self, turn: SlackTurn) -> None:
        if turn.user is None:
            return
        # A click's event id names the message, not who pressed: two members, two notes.
        told = f"{turn.inbound.event_id} {turn.user}"
        if told in self._told:
            return
        self._told.append(told)
        work = self._not_theirs(turn.channel, turn.thread_ts, turn.user)
        self._life.later(work, name=turn.inbound.event_id)

    async def _not_theirs(self, channel: str, thread_ts: str | None, user: str) -> None:
        from slack_sdk.errors import SlackApiError

        words = self._catalogs(await self._locales(user) or DEFAULT_LOCALE, "slack.not_your_thread")
        try:
            # Ephemeral: the subscriber's thread stays theirs, only the one who asked sees it.
            await self.client.chat_postEphemeral(
                channel=channel, user=user, thread_ts=thread_ts, text=words
            )
        except SlackApiError as err:
            _LOGGER.warning("Slack chat.postEphemeral failed: %s", err.response.get("error"))

    async def _store(self, turn: SlackTurn) -> TurnOutcome:
        key = record_key(CHANNEL, turn.inbound.conversation_key)
        if turn.former is not None and await handled_before(self._engine.store, key, turn.former):
            return TurnOutcome(duplicate=True)  # stored by the version before an upgrade
        outcome = await self._life.store(
            turn.inbound, user=turn.user, question=turn.question, only_new=turn.opened
        )
        if turn.opened:
            return outcome  # no words of theirs: where they write stays where it was
        # A redelivered event too (the first delivery may have failed before its note), but
        # only while its words are still the subscriber's latest: noted after they went on
        # elsewhere in the DM, it moved the place back to where they no longer write.
        if not outcome.duplicate or await self._still_latest(turn):
            await self._note_dm_place(turn)
        return outcome

    async def _still_latest(self, turn: SlackTurn) -> bool:
        """Whether the subscriber has written nothing since `turn` (a redelivered event)."""
        key = record_key(CHANNEL, turn.inbound.conversation_key)
        latest = await self._engine.store.latest_line(key, "subscriber", "")
        return latest is None or latest.event == event_tag(turn.inbound.event_id)

    async def _dm_place(self, key: str) -> TranscriptEntry | None:
        # Found from the transcript's end inside the store: a DM that never used a thread
        # has no note, and a long one's note is far back, so a scan read all of it.
        return await self._engine.store.latest_line(key, "system", PLACE_NOTE_LINE)

    async def _note_dm_place(self, turn: SlackTurn) -> None:
        """Note where in a DM the subscriber now writes, when it is not where they last did.

        Answers go where the subscriber wrote; what answers nothing of theirs (an agent's
        words, a hand-back's greeting, a check's result) is posted by `push`, on any
        replica, after any restart: it finds the place in the transcript. A DM that never
        uses a thread gets no note at all.
        """
        if address_of(turn.inbound.conversation_key)[1] is not None:
            return  # a channel's thread: its key names the thread
        key = record_key(CHANNEL, turn.inbound.conversation_key)
        place = turn.thread_ts
        if dm_thread(await self._dm_place(key)) == place:
            return
        await note_lines(self._engine.store, key, [dm_place_line(place)])

    async def deliver(self, turn: SlackTurn, outcome: TurnOutcome) -> None:
        """Post a stored turn's replies where the subscriber wrote (Slack calls only)."""
        event_id = turn.inbound.event_id
        if turn.clicked is not None:
            answered = not (outcome.stale or outcome.restarted)
            await self._take_buttons_away(turn.clicked, answered=answered)
        # A button of a question answered since counted for nothing, and says so.
        before = self._life.answered_before(outcome)
        replies = (TextReply(before),) if before is not None else outcome.replies
        # In a channel's thread every member reads along: the settings card, the guide read
        # with it and the login check's link go to the subscriber alone (`_post_all`).
        _, in_thread = address_of(turn.inbound.conversation_key)
        alone = turn.user if in_thread is not None else None
        record = outcome.record
        locale = record.dialog.locale if record is not None else DEFAULT_LOCALE
        await self._post_all(
            turn.channel,
            turn.thread_ts,
            replies,
            event_id,
            event_tag(event_id),
            alone=alone,
            locale=locale,
            from_key=turn.inbound.conversation_key,
        )
        asks_address = record is not None and record.dialog.stage is Stage.ASK_ADDRESS
        if alone is not None and asks_address and not outcome.duplicate:
            await self._address_is_read_by_all(turn, alone, locale)

    async def _address_is_read_by_all(self, turn: SlackTurn, user: str, locale: Locale) -> None:
        """Tell the subscriber, once, that the address asked for is read by the channel too.

        The card and the link go to their DM (`_post_privately`), but the address question
        is answered in the thread, where every member reads what they type. Shown to them
        alone, under the question; noted in the transcript so that no replica says it again.
        """
        from slack_sdk.errors import SlackApiError

        key = record_key(CHANNEL, turn.inbound.conversation_key)
        try:
            if await self._engine.store.latest_line(key, "system", _ADDRESS_TOLD) is not None:
                return
            await note_lines(self._engine.store, key, [_ADDRESS_TOLD], bookkeeping=True)
        except StoreUnavailableError as err:
            _LOGGER.warning("Slack: the thread's address note was not said: %s", err)
            return
        words = self._catalogs(locale, "slack.address_read_by_channel")
        try:
            await self.client.chat_postEphemeral(
                channel=turn.channel, user=user, thread_ts=turn.thread_ts, text=words
            )
        except SlackApiError as err:
            _LOGGER.warning("Slack chat.postEphemeral failed: %s", err.response.get("error"))

    async def _fetch_locale(self, user: str) -> Locale | None:
        from slack_sdk.errors import SlackApiError

        try:
            response = await self.client.users_info(user=user, include_locale=True)
        except SlackApiError as err:
            # Without the users:read scope we still answer, in the profile's default language.
            _LOGGER.warning("Slack users.info failed for %s: %s", user, err.response.get("error"))
            return None
        return user_locale(response.data if isinstance(response.data, dict) else {})

    async def _take_buttons_away(self, clicked: Clicked, *, answered: bool) -> None:
        from slack_sdk.errors import SlackApiError

        # A pressed question is answered (or was, before): its buttons have done their work.
        blocks = answered_blocks(clicked, answered=answered)
        try:
            await self.client.chat_update(
                channel=clicked.channel, ts=clicked.ts, blocks=blocks, text=clicked.label or " "
            )
        except SlackApiError as err:
            _LOGGER.warning("Slack chat.update failed: %s", err.response.get("error"))

    async def _post_all(
        self,
        channel: str,
        thread_ts: str | None,
        replies: Sequence[Reply],
        what: str,
        question: str,
        *,
        alone: str | None = None,
        locale: Locale = DEFAULT_LOCALE,
        from_key: str = "",
    ) -> None:
        runs = private_runs(replies) if alone is not None else [(False, tuple(replies))]
        for private, run in runs:
            messages = [m for reply in run for m in render(reply, question=question)]
            if private and alone is not None:
                await self._post_privately(
                    channel, thread_ts, alone, messages, locale, from_key=from_key
                )
                continue
            for message in messages:
                try:
                    await self._post(channel, thread_ts, message)
                except NotDeliveredError as err:
                    _LOGGER.error("Slack chat.postMessage for %s failed: %s", what, err)
                    self._life.undelivered(err)

    async def _post_privately(
        self,
        channel: str,
        thread_ts: str | None,
        user: str,
        messages: Sequence[SlackMessage],
        locale: Locale,
        *,
        from_key: str,
    ) -> None:
        """Post what is the subscriber's own to their DM with the app, and say so in the thread.

        Every member of the channel reads its threads: the settings card (their address)
        and the guide read with it were posted there for all to see, and the check's link,
        sent as an ephemeral message, was gone when Slack reloaded. A message posted to the
        member's id goes to their DM with the app (`chat:write`, no other scope), kept for
        them to read again while they change their settings. Where the DM cannot be posted
        to, what is left goes as ephemeral messages in the thread, seen by them alone.

        The DM's conversation then goes on from where the thread's (`from_key`) stands
        (`adapters.slack.dm_carry`): what they write under the card answers it.
        """
        sent = 0
        dm: str | None = None
        for message in messages:
            try:
                posted = await self._post(user, None, message)
            except NotDeliveredError as err:
                _LOGGER.warning("Slack DM to the subscriber failed: %s; shown in the thread", err)
                break
            sent += 1
            if posted.channel is not None and is_direct(posted.channel):
                dm = posted.channel
        for message in messages[sent:]:
            await self._post_to_one(channel, thread_ts, user, message)
        if not sent:
            return
        if dm is not None:
            await self._carry_to_dm(from_key, dm)
        for message in text_messages(self._catalogs(locale, "slack.sent_to_dm")):
            try:
                await self._post(channel, thread_ts, message)
            except NotDeliveredError as err:
                _LOGGER.error("Slack chat.postMessage of the DM's note failed: %s", err)
                self._life.undelivered(err)

    async def _post_to_one(
        self, channel: str, thread_ts: str | None, user: str, message: SlackMessage
    ) -> None:
        """Post `message` in the thread so that only `user` sees it (an ephemeral message)."""
        from slack_sdk.errors import SlackApiError

        try:
            await self.client.chat_postEphemeral(
                channel=channel, user=user, thread_ts=thread_ts, **message
            )
        except SlackApiError as err:
            _LOGGER.error("Slack chat.postEphemeral failed: %s", err.response.get("error"))
            self._life.undelivered(NotDeliveredError(str(err.response.get("error"))))

    async def _carry_to_dm(self, from_key: str, dm: str) -> None:
        """Set the subscriber's DM conversation to where the thread's `from_key` stands."""
        team = from_key.split(":", 1)[0]
        key = record_key(CHANNEL, conversation_key(team, dm, None))
        try:
            thread = await self._engine.store.load(record_key(CHANNEL, from_key))
            if thread is None:
                return
            now = self._engine.now()
            await self._engine.store.transact(
                key, None, lambda stored: carried_to_dm(thread, stored, key, now)
            )
        except StoreUnavailableError as err:
            # Their words in the DM are then greeted as a new conversation, as before.
            _LOGGER.warning("Slack: the thread's conversation was not carried to the DM: %s", err)

    async def _post(self, channel: str, thread_ts: str | None, message: SlackMessage) -> Posted:
        """Post one message, one copy at most (`adapters.slack.post_once`); or NotDeliveredError."""
        from adapters.slack.post_once import post_placed

        return await post_placed(self.client, channel, thread_ts, message, sleep=self._pause)


def create_channel(runtime: Runtime) -> SlackChannel | None:
    """Entry point of the `slack` channel: on when its credentials are set."""
    config = SlackConfig.from_environ(runtime.environ)
    if config is None:
        _LOGGER.info(
            "Slack channel off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET "
            "(or SLACK_APP_TOKEN for Socket Mode) to switch it on"
        )
        return None
    return SlackChannel(runtime, config)


def _no_name(user: str, why: str, _refused: bool) -> None:
    _LOGGER.info("Slack users.info gave no name for %s: %s", user, why)


def dm_place_line(thread_ts: str | None) -> str:
    """The transcript's note that the subscriber writes in `thread_ts` of the DM (None: top)."""
    return (
        f"{PLACE_NOTE_LINE}{_DM_THREAD}{thread_ts}" if thread_ts else f"{PLACE_NOTE_LINE}{_DM_TOP}"
    )


def dm_thread(noted: TranscriptEntry | None) -> str | None:
    """The DM's thread the subscriber last wrote in, from its latest note; None: its top level."""
    if noted is None:
        return None
    place = noted.text.removeprefix(PLACE_NOTE_LINE)
    return place.removeprefix(_DM_THREAD) if place.startswith(_DM_THREAD) else None
