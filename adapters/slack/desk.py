"""Slack as the agents' desk: one message per handoff in a channel of agents, with buttons.

The bot posts each handoff's summary to `SLACK_AGENTS_CHANNEL` with two buttons:
「対応する」 makes the pressing agent the owner (the bot stays silent), 「ボットに戻す」
hands the conversation back (the bot greets the subscriber and carries on). Clicks arrive
at `POST /slack/agents/actions`, signed like every Slack request; the click is acted on in
the store before Slack gets its answer (an unrecordable click gets 503 and fails visibly),
and the message is updated afterwards, because Slack shows an error after 3 s.

Slack sends every click of an app to that app's one Interactivity Request URL, so the app
whose buttons these are must point it here: a desk app of its own when subscribers also
talk to the bot on Slack (see README.md, "Agents in Slack").
"""

from __future__ import annotations

import logging
from collections.abc import Coroutine, Sequence
from typing import TYPE_CHECKING, Any, Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from adapters.slack.channel import web_client
from adapters.slack.config import DESK_VARIABLES, SlackDeskConfig
from adapters.slack.desk_actions import CHANNEL, GIVE_BACK, TAKE, DeskAction, parse_action
from adapters.slack.desk_blocks import DESK_LOCALE, render_summary, say, updated_message
from adapters.slack.render import escape
from bot.channels.answer_first import AnswerFirst
from bot.desk.handback import HandbackFacts, hand_back
from bot.desk.handoff import DeskUnavailableError
from bot.desk.ownership import take_over
from bot.desk.summary import HandoffSummary
from bot.ops.catalogs import Catalogs
from bot.runtime import Runtime
from bot.store.conversation_store import Change, ConversationRecord, Owner
from dialogs.vocabulary import Reply

if TYPE_CHECKING:
    from slack_sdk.web.async_client import AsyncWebClient

_LOGGER: Final = logging.getLogger(__name__)

ACTIONS_PATH: Final = "/slack/agents/actions"
API_TIMEOUT: Final = 10


class SlackDesk:
    """Posts one message per handoff to the agents' channel."""

    name = CHANNEL

    def __init__(self, client: AsyncWebClient, channel_id: str, catalogs: Catalogs) -> None:
        self._client = client
        self._channel_id = channel_id
        self._catalogs = catalogs

    def accepts(self, channel: str) -> bool:
        """Every channel: agents in Slack read the summary, wherever the subscriber is."""
        return True

    async def hand_off(self, summary: HandoffSummary) -> None:
        """Post the summary; any refusal or failure means the agents were not told."""
        import aiohttp
        from slack_sdk.errors import SlackApiError, SlackClientError

        message = render_summary(summary, self._catalogs)
        try:
            await self._client.chat_postMessage(channel=self._channel_id, **message)
        except SlackApiError as err:
            error = err.response.get("error") or f"HTTP {err.response.status_code}"
            raise DeskUnavailableError(f"Slack chat.postMessage refused: {error}") from err
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as err:
            raise DeskUnavailableError(f"Slack unreachable: {type(err).__name__}") from err


class SlackDeskChannel:
    """The desk (registered on start) and the endpoint its buttons post to."""

    name = CHANNEL

    def __init__(self, runtime: Runtime, config: SlackDeskConfig) -> None:
        from slack_sdk.signature import SignatureVerifier

        self._runtime = runtime
        self._config = config
        self._life = AnswerFirst(runtime, CHANNEL)
        self._verifier = SignatureVerifier(config.signing_secret)
        # Agents wait on the handoff message: fail sooner than the SDK's 30 s.
        self.client: AsyncWebClient = web_client(
            config.bot_token, config.api_url, timeout=API_TIMEOUT
        )
        self.desk = SlackDesk(self.client, config.channel_id, runtime.catalogs)

    def routes(self) -> Sequence[BaseRoute]:
        """The Interactivity Request URL of the desk's Slack app."""
        return [Route(ACTIONS_PATH, self.actions, methods=["POST"])]

    async def start(self) -> None:
        """Offer the agents' channel as a desk for handoffs."""
        if self._runtime.handoffs is not None:
            self._runtime.handoffs.add(self.desk)

    async def stop(self) -> None:
        """Nothing to close: the Slack client opens a session per call."""

    async def push(self, conversation_key: str, replies: Sequence[Reply]) -> None:
        """Nothing to send: no subscriber talks to the bot through the desk."""

    async def actions(self, request: Request) -> Response:
        """Verify, parse, act on the click in the store, answer; Slack is updated afterwards.

        The act is stored before Slack gets its 200: if the store is down, the server's
        503 makes the click fail visibly in Slack instead of being acknowledged and lost.
        """
        body = await self._life.verified(request, self._signed)
        if isinstance(body, Response):
            return body
        action = self._life.parsed(body, lambda raw: parse_action(raw, self._config.channel_id))
        if isinstance(action, Response):
            return action
        if action is not None:
            followup = await self.act(action)
            if followup is not None:
                self._life.later(followup, name=action.event_id)
        # Anything else (another app's button, a modal) is acknowledged so Slack stops.
        return Response(status_code=200)

    def _signed(self, request: Request, body: bytes) -> bool:
        try:
            return self._verifier.is_valid_request(body, dict(request.headers))
        except ValueError:  # a timestamp that is not a number, a body that is not UTF-8
            return False

    async def act(self, action: DeskAction) -> Coroutine[Any, Any, None] | None:
        """Take the conversation or give it back; return what to tell Slack afterwards.

        None when there is nothing to show (a repeated click was acted on already).
        """
        catalogs = self._runtime.catalogs
        engine = self._runtime.engine
        record = await engine.store.load(action.key)
        if record is None:
            # Expired or deleted since the handoff: the buttons can do nothing any more.
            return self._update(action, escape(catalogs.raw(DESK_LOCALE, "slack_desk.gone")), ())
        if action.action_id == TAKE:
            taken = await take_over(engine, action.key, action.agent, event_id=action.event_id)
            if taken is None:
                return None  # this click was acted on already (or the conversation vanished)
            status = say(catalogs, "slack_desk.taken", agent=action.mention)
            return self._update(action, status, (GIVE_BACK,))
        if record.owner is Owner.AGENT:
            outcome = await hand_back(
                engine,
                record.channel,
                record.conversation_id,
                HandbackFacts(agent=action.agent),
                event_id=action.event_id,
            )
            if outcome.duplicate or outcome.record is None:
                return None
            return self._announce_back(action, record, outcome.replies)
        return await self._already_back(action, record)

    async def _announce_back(
        self, action: DeskAction, record: ConversationRecord, replies: Sequence[Reply]
    ) -> None:
        # The greeting first: the message then says what the subscriber has already seen.
        await self._runtime.delivery.push(record.channel, record.conversation_id, replies)
        status = say(self._runtime.catalogs, "slack_desk.given_back", agent=action.mention)
        await self._update(action, status, ())

    async def _already_back(
        self, action: DeskAction, record: ConversationRecord
    ) -> Coroutine[Any, Any, None] | None:
        # Claim the click like an act, so the second of a double click (which finds the bot
        # already in charge, from the first) leaves the first's status line alone.
        def unchanged(stored: ConversationRecord | None) -> Change[None] | None:
            return None if stored is None else Change(stored, (), None)

        claimed = await self._runtime.engine.store.transact(action.key, action.event_id, unchanged)
        if claimed is None:
            return None
        key = "slack_desk.closed" if record.owner is Owner.CLOSED else "slack_desk.already_bot"
        return self._update(action, escape(self._runtime.catalogs.raw(DESK_LOCALE, key)), ())

    async def _update(self, action: DeskAction, status: str, buttons: Sequence[str]) -> None:
        import aiohttp
        from slack_sdk.errors import SlackApiError, SlackClientError

        message = updated_message(action, status, self._runtime.catalogs, buttons)
        try:
            await self.client.chat_update(channel=action.channel, ts=action.message_ts, **message)
        except SlackApiError as err:
            # The act itself is stored; the message only lags behind, and the console is right.
            error = err.response.get("error") or f"HTTP {err.response.status_code}"
            _LOGGER.warning("Slack chat.update for %s refused: %s", action.event_id, error)
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as err:
            _LOGGER.warning(
                "Slack chat.update for %s failed: %s", action.event_id, type(err).__name__
            )


def create_channel(runtime: Runtime) -> SlackDeskChannel | None:
    """Entry point of the `slack_desk` channel: on when its variables are set."""
    config = SlackDeskConfig.from_environ(runtime.environ)
    if config is None:
        _LOGGER.info("Slack agents' desk off: set %s to switch it on", ", ".join(DESK_VARIABLES))
        return None
    return SlackDeskChannel(runtime, config)
