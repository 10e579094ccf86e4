"""Chatwoot: the agent bot's webhook, its replies, and the conversation's status both ways.

The webhook URL carries a secret, `/webhooks/chatwoot/{CHATWOOT_WEBHOOK_TOKEN}`; any other
path answers 404, exactly as an unknown route does. Chatwoot 4.11.2+ also signs account
webhooks (and 4.13+ agent-bot deliveries): with `CHATWOOT_WEBHOOK_SECRET` set, a delivery
without a valid `X-Chatwoot-Signature` within five minutes of its `X-Chatwoot-Timestamp`
gets 401 before it is parsed. Older versions sign nothing: the token is then the only check.
The bot speaks only in pending conversations, hands off by writing the
summary as a private note and opening the conversation (`desk`), and takes it back when an
agent sets it to pending again. Agent bots are not told of status changes
(`conversation_status_changed` reaches account webhooks only), so an account webhook must
point at the same URL for the hand-back to work; see README.md.

With `CHATWOOT_DESK_INBOX_ID`, the other channels' handoffs are mirrored into that API
inbox (`mirror`): agents' replies there reach the subscriber on their own channel, and
setting the mirror to pending or resolved hands the conversation back to the bot.
"""

from __future__ import annotations

import dataclasses
import hmac
import logging
import time
from collections.abc import Awaitable, Sequence
from typing import Final

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from adapters.chatwoot.api import ChatwootApi, ChatwootApiError
from adapters.chatwoot.config import VARIABLES, ChatwootConfig
from adapters.chatwoot.desk import ChatwootDesk
from adapters.chatwoot.events import (
    CHANNEL,
    OPEN,
    PENDING,
    RESOLVED,
    MirrorReply,
    MirrorStatus,
    StatusChange,
    parse_body,
    parse_event,
    signed,
)
from adapters.chatwoot.mirror import ChatwootMirrorDesk
from adapters.chatwoot.render import render
from bot.channels.answer_first import STORE_RETRY_AFTER, STORE_UNAVAILABLE, AnswerFirst
from bot.delivery import NotDeliveredError
from bot.desk.agent_messages import AgentMessages, MessageRefusedError
from bot.desk.handback import HandbackFacts, hand_back
from bot.desk.handoff import OwnerChange
from bot.desk.ownership import change_owner
from bot.engine import TurnOutcome
from bot.runtime import Runtime
from bot.store.conversation_store import Owner, StoreUnavailableError, record_key
from dialogs.vocabulary import Inbound, Reply

_LOGGER: Final = logging.getLogger(__name__)
# Chatwoot's status for each owner: agents see `open`, the bot answers in `pending`, a closed
# one is `resolved`. Chatwoot reopens a resolved conversation of an inbox with an agent bot
# as `pending` when the contact writes (Message#reopen_resolved_conversation), so the
# subscriber's answer to 「解決しましたか？」 still reaches the bot.
_STATUS_OF: Final = {Owner.AGENT: OPEN, Owner.BOT: PENDING, Owner.CLOSED: RESOLVED}

WEBHOOK_PATH: Final = "/webhooks/chatwoot/{token}"
SIGNATURE_HEADER: Final = "x-chatwoot-signature"
TIMESTAMP_HEADER: Final = "x-chatwoot-timestamp"

ChatwootEvent = Inbound | StatusChange


def _not_found() -> Response:
    # The same answer as for any unknown path: a guess learns nothing.
    return PlainTextResponse("Not Found", status_code=404)


class ChatwootChannel:
    """The agent bot's webhook, its replies, and the conversation's status both ways."""

    name = CHANNEL

    def __init__(self, runtime: Runtime, config: ChatwootConfig) -> None:
        self._runtime = runtime
        self._config = config
        self._life = AnswerFirst(runtime, CHANNEL)
        self.api = ChatwootApi(config)
        self.desk = ChatwootDesk(self.api, runtime.catalogs)
        self.mirror = (
            ChatwootMirrorDesk(
                self.api, config.desk_inbox_id, runtime.catalogs, runtime.engine.store
            )
            if config.desk_inbox_id
            else None
        )
        self._messages = AgentMessages(
            runtime.engine, runtime.delivery, runtime.catalogs, runtime.tasks
        )

    def routes(self) -> Sequence[BaseRoute]:
        """The webhook, for the agent bot and the account webhook alike."""
        return [Route(WEBHOOK_PATH, self.webhook, methods=["POST"])]

    async def start(self) -> None:
        """Offer the inbox's agents as a desk for handoffs."""
        if self._runtime.handoffs is not None:
            self._runtime.handoffs.add(self.desk)
            if self.mirror is not None:
                self._runtime.handoffs.add(self.mirror)
            self._runtime.handoffs.watch_owner(self.follow_owner)

    async def stop(self) -> None:
        """Close the API client."""
        await self.api.close()

    async def push(self, conversation_key: str, replies: Sequence[Reply]) -> None:
        """Send replies that answer no message (a check result, an agent's hand-back).

        NotDeliveredError when one could not be posted; the ones after it are not posted
        either, so nothing arrives out of order.
        """
        try:
            for reply in replies:
                await self.api.post_message(conversation_key, render(reply))
        except ChatwootApiError as err:
            raise NotDeliveredError(str(err), may_have_arrived=err.may_have_arrived) from err

    async def webhook(self, request: Request) -> Response:
        """Check the URL's token, store the turn, answer; post the replies afterwards."""
        body = await self._life.verified(
            request, self._token_matches, reason="token", refusal=_not_found
        )
        if isinstance(body, Response):
            return body
        if self._config.webhook_secrets:
            # Chatwoot 4.11.2+ signs: checked, like Slack's, before anything is parsed.
            body = await self._life.verified(request, self._signed)
            if isinstance(body, Response):
                return body
        data = self._life.parsed(body, parse_body)
        if isinstance(data, Response):
            return data
        config = self._config
        event = parse_event(data, config.account_id, config.inbox_ids, config.desk_inbox_id)
        if isinstance(event, MirrorReply | MirrorStatus):
            # Another channel's conversation: acted on in the store before Chatwoot's answer.
            await self._from_mirror(event)
            return JSONResponse({"ok": True})
        # Chatwoot waits at most 5 s for an agent bot and then opens the conversation to
        # agents: store the turn (milliseconds; a store outage gets the server's 503) before
        # answering, post the replies afterwards.
        if event is not None:
            try:
                await self._life.take([event], self._store, self._deliver, name=event.event_id)
            except StoreUnavailableError as err:
                # Chatwoot redelivers an agent bot's event only after a 429 or a 500; after
                # any other failure (the server's usual 503) it opens the conversation to
                # agents with an error note. 429: "again, later", and no server error.
                self._life.store_unavailable(err)
                return JSONResponse(
                    {"error": STORE_UNAVAILABLE},
                    status_code=429,
                    headers={"Retry-After": STORE_RETRY_AFTER},
                )
        return JSONResponse({"ok": True})

    async def _from_mirror(self, event: MirrorReply | MirrorStatus) -> None:
        if isinstance(event, MirrorReply):
            try:
                await self._messages.post(
                    event.key, event.agent, event.text, event_id=event.event_id
                )
            except MessageRefusedError as err:
                # The bot has it again (or it is closed): the subscriber is not written to.
                _LOGGER.info("Chatwoot agent reply for %s not delivered: %s", event.key, err)
            return
        record = await self._runtime.engine.store.load(event.key)
        if record is None or record.owner is not Owner.AGENT:
            return
        outcome = await hand_back(
            self._runtime.engine,
            record.channel,
            record.conversation_id,
            HandbackFacts(agent=event.agent),
            event_id=event.event_id,
        )
        if outcome.replies:
            push = self._runtime.delivery.push(
                record.channel, record.conversation_id, outcome.replies
            )
            self._life.later(push, name=event.event_id)

    def _signed(self, request: Request, body: bytes) -> bool:
        return signed(
            self._config.webhook_secrets,
            request.headers.get(TIMESTAMP_HEADER, ""),
            request.headers.get(SIGNATURE_HEADER, ""),
            body,
            time.time(),
        )

    def _token_matches(self, request: Request, _: bytes) -> bool:
        given = str(request.path_params["token"]).encode()
        return hmac.compare_digest(given, self._config.webhook_token.encode())

    async def _store(self, event: ChatwootEvent) -> TurnOutcome:
        if isinstance(event, StatusChange):
            return await self.store_status(event)
        return await self._life.store(await self._resolved(event))

    async def _deliver(self, event: ChatwootEvent, outcome: TurnOutcome) -> None:
        key = event.conversation_id if isinstance(event, StatusChange) else event.conversation_key
        await self._send(key, outcome.replies)

    async def store_status(self, change: StatusChange) -> TurnOutcome:
        """Follow Chatwoot's status (pending: the bot's, open: agents', resolved: closed)."""
        store = self._runtime.engine.store
        record = await store.load(record_key(CHANNEL, change.conversation_id))
        if record is None:
            # A conversation the bot never saw (another inbox of the account).
            return TurnOutcome()
        if change.status == PENDING and record.owner is Owner.AGENT:
            # No new facts from Chatwoot: the bot resumes where the answers leave off.
            return await hand_back(
                self._runtime.engine,
                CHANNEL,
                change.conversation_id,
                HandbackFacts(agent=change.agent or "Chatwoot"),
                event_id=change.event_id,
            )
        if change.status == OPEN and record.owner is Owner.BOT:
            await self._set_owner(
                record.key, Owner.AGENT, f"taken over in Chatwoot by {change.agent}", change
            )
        elif change.status == RESOLVED and record.owner is not Owner.CLOSED:
            await self._set_owner(record.key, Owner.CLOSED, "closed", change)
        return TurnOutcome()

    async def _set_owner(self, key: str, owner: Owner, line: str, change: StatusChange) -> None:
        # Under Chatwoot's event id: a redelivery changes nothing, and `follow_owner` knows
        # the change came from Chatwoot.
        await change_owner(
            self._runtime.engine, key, owner, line, event_id=change.event_id, only_if_different=True
        )

    async def follow_owner(self, change: OwnerChange) -> None:
        """Keep Chatwoot's status with an owner changed elsewhere: both desks agree.

        Taken over from the console, the agent API or Slack's 「対応する」: `open`, so
        Chatwoot's agents see it taken; handed back (from anywhere, or given back after a
        refused handoff): `pending`, the status the bot answers in; closed: `resolved`. A
        change Chatwoot made itself (its event ids start with the channel's name) is
        already so there.
        """
        channel, _, conversation_id = change.key.partition(":")
        if channel != CHANNEL or (change.event_id or "").startswith(f"{CHANNEL}:"):
            return
        status = _STATUS_OF.get(change.after)
        # A take-over from the queue is agent to agent: still opened, as Chatwoot may not
        # have been told of the handoff (its desk refused it while Slack's took it).
        if status is None or (change.before is change.after is not Owner.AGENT):
            return
        await self._call(self.api.toggle_status(conversation_id, status))

    async def _resolved(self, inbound: Inbound) -> Inbound:
        """A select's answer (its title or value) as the choice id the dialog offered."""
        key = record_key(CHANNEL, inbound.conversation_key)
        record = await self._runtime.engine.store.load(key)
        offered = record.dialog.offered if record is not None else ()
        answer = inbound.choice or inbound.text or ""
        if answer in offered:
            return dataclasses.replace(inbound, text=None, choice=answer)
        if not offered:
            return inbound
        # Titles are the dialog's labels, which the last question in the transcript keeps.
        for line in reversed(await self._runtime.engine.store.transcript(key)):
            reply = line.reply or {}
            if line.author != "bot" or reply.get("type") != "choices":
                continue
            choices = reply.get("choices")
            for choice in choices if isinstance(choices, list) else ():
                if choice.get("label") == answer and choice.get("id") in offered:
                    return dataclasses.replace(inbound, text=None, choice=str(choice["id"]))
            break
        return inbound

    async def _send(self, conversation_id: str, replies: Sequence[Reply]) -> None:
        for reply in replies:
            await self._call(self.api.post_message(conversation_id, render(reply)))

    async def _call(self, call: Awaitable[None]) -> None:
        try:
            await call
        except ChatwootApiError as err:
            # The reply is in the transcript either way; an agent can read it there.
            _LOGGER.error("Chatwoot call failed: %s", err)


def create_channel(runtime: Runtime) -> ChatwootChannel | None:
    """Entry point of the `chatwoot` channel: on when its four variables are set."""
    config = ChatwootConfig.from_environ(runtime.environ)
    if config is None:
        _LOGGER.info("Chatwoot channel off: set %s to switch it on", ", ".join(VARIABLES))
        return None
    return ChatwootChannel(runtime, config)
