"""Chatwoot: the agent bot's webhook, its replies, and the conversation's status both ways.

The webhook URL carries a secret, `/webhooks/chatwoot/{CHATWOOT_WEBHOOK_TOKEN}`; any other
path answers 404, exactly as an unknown route does. While it is rotated the variable holds
the new token and the old (`<new>,<old>`), and both paths are taken: Chatwoot does not send a
delivery again after a 404. Chatwoot 4.11.2+ also signs account
webhooks (and 4.13+ agent-bot deliveries): with `CHATWOOT_WEBHOOK_SECRET` set, a delivery
without a valid `X-Chatwoot-Signature` within five minutes of its `X-Chatwoot-Timestamp`
gets 401 before it is parsed. Older versions sign nothing: the token is then the only check.
The bot speaks only in pending conversations, hands off by writing the
summary as a private note and opening the conversation (`desk`), and takes it back when an
agent sets it to pending again. Resolved closes it, and the contact is asked 「解決しましたか？」,
whose select answered in the resolved conversation is its one turn there. Agent bots are not
told of status changes (`conversation_status_changed` reaches account webhooks only), so an
account webhook must point at the same URL for the hand-back to work; see docs/agents.md.
Chatwoot sends an account webhook once, so a status event can be lost: each message carries
its conversation's status too, and one that disagrees with the stored owner repairs it
(`_store_message`).
Refused deliveries get 429, the status Chatwoot redelivers an agent bot's event after.

With `CHATWOOT_DESK_INBOX_ID`, the other channels' handoffs are mirrored into that API
inbox (`mirror`): agents' replies there reach the subscriber on their own channel, and
setting the mirror to pending hands the conversation back to the bot, and resolving it
closes it (the subscriber is asked 「解決しましたか？」).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Final

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute

from adapters.chatwoot.agents import CHATWOOT, chatwoot_agent, in_chatwoot
from adapters.chatwoot.api import (
    ChatwootApi,
    ChatwootApiError,
    ChatwootTokenRefusedError,
    NotChatwootError,
)
from adapters.chatwoot.config import VARIABLES, ChatwootConfig
from adapters.chatwoot.desk import ChatwootDesk
from adapters.chatwoot.events import (
    CHANNEL,
    OPEN,
    PENDING,
    RESOLVED,
    AgentWrote,
    AssigneeChange,
    ContactMessage,
    MirrorAssigned,
    MirrorReply,
    MirrorStatus,
    StatusChange,
    parse_body,
    parse_event,
    signed,
)
from adapters.chatwoot.mirror import DESK_LOCALE, ChatwootMirrorDesk, mirror_noted
from adapters.chatwoot.render import (
    ChatwootMessage,
    private_note,
    reads_numbers,
    render_all,
)
from bot.channels.answer_first import STORE_RETRY_AFTER, STORE_UNAVAILABLE, AnswerFirst
from bot.delivery import NotDeliveredError
from bot.desk.agent_messages import (
    ACTING,
    AgentMessages,
    MessageRefusedError,
    PasswordRefusedError,
    TooLongRefusedError,
)
from bot.desk.closing import close
from bot.desk.handback import HandbackFacts, hand_back
from bot.desk.handoff import OwnerChange, announce, is_notice
from bot.desk.ownership import (
    ANONYMOUS,
    ASSIGNED,
    CLOSED_LINE,
    HANDBACK_LINE,
    TAKE_OVER,
    TAKEN_BY,
    Holder,
    back_to_queue,
    change_owner,
    changes_hands,
    holder_of,
    holder_shown,
    is_back_in_queue,
    is_take_over,
    message_dealt_with,
    queue_state,
    state_event,
    take_over,
    taken_from_queue_unanswered,
    transfer,
    waits_in_queue,
)
from bot.engine import HANDOFF_LINE, TurnOutcome
from bot.ops.repeated import Repeated
from bot.ops.settings import ConfigError
from bot.runtime import Runtime
from bot.store.conversation_store import (
    COMPARE_AND_SET_READS,
    Change,
    ConversationRecord,
    Owner,
    StoreUnavailableError,
    TranscriptEntry,
    bookkeeping_line,
    note_lines,
    record_key,
)
from bot.web.gate import RefusedWith
from bot.web.secret_compare import same_digest, secret_digest
from dialogs.vocabulary import DEFAULT_LOCALE, Inbound, Reply, TextReply

_LOGGER: Final = logging.getLogger(__name__)
# Whether a change of assignee is still the latest followed (`_still_latest`).
Still = Callable[[], Awaitable[bool]]
# Chatwoot's status for each owner: agents see `open`, the bot answers in `pending`, a closed
# one is `resolved`. Chatwoot reopens a resolved conversation of an inbox with an agent bot
# as `pending` when the contact writes (Message#reopen_resolved_conversation), so the
# subscriber's answer to 「解決しましたか？」 still reaches the bot.
# The latest change of assignee followed, by Chatwoot's time (bookkeeping): its webhook jobs
# may deliver an assignment after the unassignment that followed it.
ASSIGNEE_NOTE: Final = "chatwoot assignee changed at "
# The bookkeeping of the conversation's inbox kind (`Channel::Whatsapp`, ...): how its replies
# show choices when they answer no message that named it (`push`).
_INBOX_LINE: Final = "chatwoot inbox: "
# Before each note's number (`_overtaken`): the store takes each number's event id once.
_NOTE_NUMBER: Final = " #"
_STATUS_OF: Final = {Owner.AGENT: OPEN, Owner.BOT: PENDING, Owner.CLOSED: RESOLVED}
_OWNER_OF: Final = {status: owner for owner, status in _STATUS_OF.items()}
# Chatwoot redelivers an agent bot's event only after a 429 or a 500 (three tries, 3 s
# apart: lib/webhooks/trigger.rb, AgentBots::WebhookJob); after any other failure, the
# usual 503 included, it opens the conversation to agents with an error note. 429 says
# "again, later" and is no server error.
RETRY_STATUS: Final = 429
# A message's status is Chatwoot's when it stored the message, which can predate an owner
# change Chatwoot had not yet heard of (the bot's own "open" still on its way, retried) or
# one we heard of late. Within this long after the owner last changed it is no news; the
# two clocks may differ a little too. A lost status event is repaired by the next message.
STATUS_SETTLES: Final = dt.timedelta(seconds=10)

WEBHOOK_PATH: Final = "/webhooks/chatwoot/{token}"
# The largest body the webhook takes at its own token's path. Chatwoot keeps a message of up
# to 150,000 characters and sends its words three times (content, the conversation's last
# message, and its processed_message_content), unescaped UTF-8: 150,000 emoji weigh 1.8 MB.
# At the app's 64 KiB an agent's reply of about 7,000 Japanese characters got 413, which
# Chatwoot does not send again: the agent saw it sent, and nobody told her it was not (nor
# kept the words that the subscriber of a Chatwoot inbox read). Only the configured token's
# path takes more, and the token is checked before anything is parsed.
MAX_WEBHOOK_BYTES: Final = 2 * 1024 * 1024
SIGNATURE_HEADER: Final = "x-chatwoot-signature"
TIMESTAMP_HEADER: Final = "x-chatwoot-timestamp"

ChatwootEvent = ContactMessage | StatusChange


def _not_found() -> Response:
    # The same answer as for any unknown path: a guess learns nothing.
    return PlainTextResponse("Not Found", status_code=404)


def _again_later(error: str) -> Response:
    return JSONResponse(
        {"error": error}, status_code=RETRY_STATUS, headers={"Retry-After": STORE_RETRY_AFTER}
    )


class ChatwootChannel:
    """The agent bot's webhook, its replies, and the conversation's status both ways."""

    name = CHANNEL

    def __init__(self, runtime: Runtime, config: ChatwootConfig) -> None:
        self._runtime = runtime
        self._config = config
        self._life = AnswerFirst(runtime, CHANNEL)
        self.api = ChatwootApi(config, pause=runtime.pause, now=runtime.engine.now)
        self.desk = ChatwootDesk(self.api, runtime.catalogs)
        self.mirror = (
            ChatwootMirrorDesk(
                self.api,
                config.desk_inbox_id,
                runtime.catalogs,
                runtime.engine.store,
                runtime.handoffs.summary if runtime.handoffs is not None else None,
                runtime.engine.profile.timezone,
            )
            if config.desk_inbox_id
            else None
        )
        self._messages = AgentMessages(
            runtime.engine, runtime.delivery, runtime.catalogs, runtime.tasks
        )
        # Statuses Chatwoot did not take after every retry, by conversation: until one is
        # set, Chatwoot's status is ours that failed, not a status event we lost.
        self._unsynced: dict[str, str] = {}
        # The token to give Chatwoot, then those its settings may still name (a rotation).
        tokens = (config.webhook_token, *config.previous_webhook_tokens)
        self._token_digests = tuple(secret_digest(token) for token in tokens)
        self._previous_used = Repeated()

    def routes(self) -> Sequence[BaseRoute]:
        """The webhook, for the agent bot and the account webhook alike.

        Refused by the server (draining, store down), it gets 429 rather than 503.
        """
        return [RefusedWith(WEBHOOK_PATH, self.webhook, status=RETRY_STATUS, methods=["POST"])]

    @property
    def body_limits(self) -> Mapping[str, int]:
        """An agent's long reply can weigh more than the app's limit (`MAX_WEBHOOK_BYTES`)."""
        tokens = (self._config.webhook_token, *self._config.previous_webhook_tokens)
        return {WEBHOOK_PATH.format(token=token): MAX_WEBHOOK_BYTES for token in tokens}

    async def start(self) -> None:
        """Check the token is the agent bot's; offer the inbox's agents as a desk for handoffs."""
        await self._check_token()
        if self._runtime.handoffs is not None:
            self._runtime.handoffs.add(self.desk)
            if self.mirror is not None:
                self._runtime.handoffs.add(self.mirror)
            self._runtime.handoffs.watch_owner(self.follow_owner)

    async def stop(self) -> None:
        """Close the API client."""
        await self.api.close()

    async def _check_token(self) -> None:
        """Refuse to start with a user's token (ConfigError); warn when Chatwoot cannot say.

        The bot tells its own messages from an agent's by their sender (`agent_bot`): with a
        user's token every question it asked would read as that agent's reply and take the
        conversation from the bot. A Chatwoot down at start-up must not keep the bot down.
        """
        try:
            user = await self.api.token_user()
        except ChatwootTokenRefusedError:
            # It started with a warning, and every reply, handoff and mirror then got 401.
            raise ConfigError(
                "CHATWOOT_API_TOKEN was refused by Chatwoot (401, Invalid Access Token): set"
                " the agent bot's token (Settings → Bots → the bot → Access Token)"
            ) from None
        except NotChatwootError as err:
            raise ConfigError(
                f"CHATWOOT_URL: {err}: it must be the address of Chatwoot itself"
                " (https://chatwoot.example.com, as in its browser's address bar)"
            ) from None
        except ChatwootApiError as err:
            _LOGGER.warning("Could not check that CHATWOOT_API_TOKEN is the agent bot's: %s", err)
            return
        if user is not None:
            raise ConfigError(
                f"CHATWOOT_API_TOKEN is the access token of the user {user!r}, not an agent "
                "bot's: set the agent bot's token (Settings → Bots → the bot → Access Token); "
                "with a user's token the bot's own messages read as that agent's"
            )
        if self.mirror is not None:
            await self._check_desk_inbox()
        if self.api.deletes:
            await self._check_desk_user_token()

    async def _check_desk_inbox(self) -> None:
        """Refuse an identifier that can create no contact; warn when Chatwoot cannot say."""
        try:
            refusal = await self.api.desk_inbox_refusal()
        except ChatwootApiError as err:
            _LOGGER.warning("Could not check CHATWOOT_DESK_INBOX_IDENTIFIER: %s", err)
            return
        if refusal is not None:
            raise ConfigError(
                f"CHATWOOT_DESK_INBOX_IDENTIFIER: {refusal}; the mirror of other channels' "
                "handoffs could not open"
            )

    async def _check_desk_user_token(self) -> None:
        """Refuse an agent bot's token as CHATWOOT_DESK_USER_TOKEN: it could delete nothing."""
        try:
            user = await self.api.token_user(desk_user=True)
        except ChatwootTokenRefusedError:
            raise ConfigError(
                "CHATWOOT_DESK_USER_TOKEN was refused by Chatwoot (401, Invalid Access Token):"
                " set the access token of a user who is an agent of the desk inbox (Profile"
                " settings → Access Token), or leave it unset"
            ) from None
        except ChatwootApiError as err:
            _LOGGER.warning("Could not check CHATWOOT_DESK_USER_TOKEN: %s", err)
            return
        if user is None:
            raise ConfigError(
                "CHATWOOT_DESK_USER_TOKEN is an agent bot's access token, not a user's: no "
                "bot may delete a message; set the access token of a user who is an agent "
                "of the desk inbox (Profile settings → Access Token), or leave it unset"
            )

    async def push(self, conversation_key: str, replies: Sequence[Reply]) -> None:
        """Send replies that answer no message (a check result, an agent's hand-back).

        NotDeliveredError when one could not be posted; the ones after it are not posted
        either, so nothing arrives out of order.
        """
        question = await self._life.open_question(conversation_key)
        shown = await self._shown_in(conversation_key)
        try:
            for message in shown(replies, question):
                await self.api.post_message(conversation_key, message)
        except ChatwootApiError as err:
            raise NotDeliveredError(str(err), may_have_arrived=err.may_have_arrived) from err

    async def webhook(self, request: Request) -> Response:
        """Check the URL's token, store the turn, answer; post the replies afterwards."""
        if not self._life.accepting:
            # Draining: another replica takes it when Chatwoot sends it again.
            return _again_later("shutting down")
        body = await self._life.verified(
            request,
            self._token_matches,
            reason="token",
            refusal=_not_found,
            setting="CHATWOOT_WEBHOOK_TOKEN",
        )
        if isinstance(body, Response):
            return body
        if self._config.webhook_secrets:
            # Chatwoot 4.11.2+ signs: checked, like Slack's, before anything is parsed.
            body = await self._life.verified(
                request, self._signed, setting="CHATWOOT_WEBHOOK_SECRET"
            )
            if isinstance(body, Response):
                return body
        data = self._life.parsed(body, parse_body)
        if isinstance(data, Response):
            return data
        config = self._config
        event = parse_event(data, config.account_id, config.inbox_ids, config.desk_inbox_id)
        # Chatwoot waits at most 5 s for an agent bot and then opens the conversation to
        # agents: store the turn (milliseconds) before answering, post the replies afterwards.
        try:
            if isinstance(event, MirrorReply | MirrorStatus | MirrorAssigned):
                # Another channel's conversation: acted on in the store before the answer.
                await self._from_mirror(event)
            elif isinstance(event, AgentWrote):
                await self._agent_wrote(event)
            elif isinstance(event, AssigneeChange):
                await self._assignee_changed(event)
            elif event is not None:
                await self._life.take([event], self._store, self._deliver, name=event.event_id)
        except StoreUnavailableError as err:
            # Not the server's 503: see RETRY_STATUS.
            self._life.store_unavailable(err)
            return _again_later(STORE_UNAVAILABLE)
        return JSONResponse({"ok": True})

    async def _agent_wrote(self, event: AgentWrote) -> None:
        """A Chatwoot agent's first reply to a conversation in the queue or the bot's takes it.

        Chatwoot has delivered the reply itself; the other desks learn who has it, as
        after 「対応を引き継ぐ」 (a redelivered message writes nothing more). A reply in a
        conversation the bot answers (`pending`, nothing left for the desk) takes it too:
        the contact must not hear the agent and the bot at once, and Chatwoot itself opens
        a pending conversation of its own bot on a person's public reply
        (Message#mark_pending_conversation_as_open_for_human_response).
        """
        key = record_key(CHANNEL, event.conversation_id)
        engine = self._runtime.engine
        had = await self._holder_now(key)
        for _ in range(COMPARE_AND_SET_READS):
            queued, seen = await queue_state(engine, key)
            if queued is None and await self._bot_has_it_since(key, event):
                queued = Owner.BOT
            # Taken only from the conversation as read: one the console took meanwhile is
            # that agent's (the words join it, as they would a moment later); one the
            # contact wrote to meanwhile is read again.
            if queued is None or await self._take_in_chatwoot(event, key, queued, seen):
                break
        if event.text:
            # Kept beside the contact's words (stored while it is open too), in order.
            agent = chatwoot_agent(event.agent)
            kept = await self._messages.record(
                key, agent, event.text, event_id=event.event_id, origin=CHANNEL
            )
            if kept is not None and kept.masked:
                await self._password_given(event)
            if kept and had not in (None, agent):
                # Another agent's conversation (the console's, a Slack member's): hers after
                # these words as every desk reads it, and Slack's message must say so too.
                scoped = f"agent-message:{key}:{event.event_id}"
                announce(engine, OwnerChange(key, Owner.AGENT, Owner.AGENT, scoped))

    async def _password_given(self, event: AgentWrote) -> None:
        """Her public reply gave a password: deleted where a user's token may, and said.

        Chatwoot delivered it to the contact before mailmove heard of it; mailmove keeps it
        masked (the transcript, the console, Slack's thread), but it stayed in the
        conversation as written for every agent to read, and she was not told (a password
        of the subscriber's pasted by mistake, or a temporary one the chat should not carry).
        With CHATWOOT_DESK_USER_TOKEN it is deleted (the contact's widget shows it deleted
        too); else, or if Chatwoot refuses (that user may not see the inbox), she is asked to.
        """
        deleted = False
        if self.api.deletes:
            message = event.event_id.rpartition(":")[2]
            try:
                await self.api.delete_message(event.conversation_id, message)
                deleted = True
            except ChatwootApiError as err:
                _LOGGER.warning(
                    "Chatwoot reply with a password in %s not deleted: %s",
                    event.conversation_id,
                    err,
                )
        key = "summary.reply_gave_password." + ("deleted" if deleted else "left")
        note = self._runtime.catalogs.raw(DESK_LOCALE, key)
        try:
            await self.api.post_message(event.conversation_id, private_note(note))
        except ChatwootApiError as err:
            _LOGGER.warning("Chatwoot note on %s not posted: %s", event.conversation_id, err)

    async def _bot_has_it_since(self, key: str, event: AgentWrote) -> bool:
        """Whether the bot has `key` and got it before the agent wrote `event`.

        Chatwoot's jobs may deliver an agent's last words after the hand-back (or close)
        that followed them: those take nothing back. A reply without a time counts as new.
        """
        store = self._runtime.engine.store
        record = await store.load(key)
        if record is None or record.owner is not Owner.BOT:
            return False
        if event.created_at is None:
            return True
        lines = await store.transcript(key)
        back = next(
            (
                line.at
                for line in reversed(lines)
                if line.author == "system" and line.text.startswith((HANDBACK_LINE, CLOSED_LINE))
            ),
            None,
        )
        return back is None or event.created_at > back

    async def _take_in_chatwoot(
        self, event: AgentWrote, key: str, queued: Owner, seen: ConversationRecord | None
    ) -> bool:
        """Whether the reply took the conversation now (not if it changed since `seen`).

        Nor when the same message, redelivered, was handled before: the loop reads again.
        """
        engine = self._runtime.engine
        taken = _taken_in_chatwoot(event.agent)
        changed = await change_owner(
            engine,
            key,
            Owner.AGENT,
            taken,
            event_id=event.event_id,
            only_from=queued,
            only_as=seen,
        )
        if changed is None:
            return False
        if queued is Owner.BOT:
            # A message left for the desk, answered in a conversation still `pending` (the
            # bot's): opened, or the contact's next message would hand it back to the bot.
            # (Changes Chatwoot made are not echoed back to it: `follow_owner` skips them.)
            await self._set_status(event.conversation_id, OPEN)
        return True

    async def _held_elsewhere(
        self, record: ConversationRecord, transcript: Sequence[TranscriptEntry] | None = None
    ) -> str | None:
        """Who has `record` when an agent of another desk took it (the console, Slack); else None.

        The mirror shows `open` then, and a Chatwoot agent setting it to pending or resolving
        it handed it back in the middle of that agent's answers, which the console refuses
        (409): the latest take decides. Taken in Chatwoot (`… (Chatwoot)`), by an unnamed
        agent, or from nobody yet (the queue), it is handed back as before.

        Not the other desks' rule (`held_by_another`, the holder as `holder_of` reads it):
        a mirror's agent lines carry the Chatwoot agent's name alone, which cannot be told
        from a console agent's, so a Chatwoot agent who took the mirror by replying would read
        as another desk's. Only her take line names her so. A holder named as acting in
        Chatwoot since another desk's take (a reply in a Chatwoot conversation of its own)
        has it here, and hands it back. `transcript`: its lines, when read after the record
        already (a hand-back then writes only while no line came after them).
        """
        if record.owner is not Owner.AGENT:
            return None
        if transcript is None:
            transcript = await self._runtime.engine.store.transcript(record.key)
        line = next((x for x in reversed(transcript) if changes_hands(x)), None)
        if line is None or not line.text.startswith(TAKEN_BY):
            return None
        data = line.reply or {}
        taker = data.get("agent") if data.get("type") == TAKE_OVER else None
        if not isinstance(taker, str):
            taker = line.text.removeprefix(TAKEN_BY)
        if taker in ANONYMOUS or in_chatwoot(taker):
            return None
        # Her words in the mirror since another desk's take: hers, as every desk reads it.
        latest = next((x for x in reversed(transcript) if _names_holder(x)), None)
        if latest is not None and latest.author == "agent":
            acting = (latest.reply or {}).get(ACTING)
            if isinstance(acting, str) and in_chatwoot(acting):
                return None
        holder, who = holder_of(record, transcript)
        if holder is not Holder.AGENT or in_chatwoot(who):
            return None
        return who or taker

    async def _refuse_back(self, mirror: str, agent: str) -> None:
        """Say so in a private note, and show the mirror `open` again: a person still has it."""
        words = self._runtime.catalogs.fill(
            DESK_LOCALE, "summary.back_refused_another_has", {"agent": holder_shown(agent)}
        )
        try:
            await self.api.post_message(mirror, private_note(words))
        except ChatwootApiError as err:
            _LOGGER.warning("Chatwoot note on %s not posted: %s", mirror, err)
        await self._set_status(mirror, OPEN)

    async def _deleted(self, event: MirrorReply) -> bool:
        """Whether the agent's reply `event` was deleted from the mirror (a password in it).

        Refused, it was not sent, but it stayed in the mirror for every agent of the inbox to
        read (and in Chatwoot's database). With a user's token (CHATWOOT_DESK_USER_TOKEN) it is
        deleted, as the subscriber's withdrawn words are; with the bot's alone it cannot be.
        """
        if not self.api.deletes:
            return False
        message = event.event_id.rpartition(":")[2]
        try:
            await self.api.delete_message(event.mirror, message)
        except ChatwootApiError as err:
            _LOGGER.warning("Chatwoot reply with a password in %s not deleted: %s", event.key, err)
            return False
        return True

    async def _say_not_sent(
        self, mirror: str, refused: MessageRefusedError, *, deleted: bool = False
    ) -> None:
        """A private note in the mirror: the agent's reply did not reach the subscriber.

        `deleted`: a reply refused for a password was deleted from the mirror (`_deleted`);
        one that was not is still there, and the agent who wrote it is asked to delete it.
        """
        catalogs = self._runtime.catalogs
        if isinstance(refused, PasswordRefusedError) and deleted:
            note = catalogs.raw(DESK_LOCALE, "summary.reply_not_sent.password_deleted")
        elif isinstance(refused, PasswordRefusedError):
            note = "\n\n".join(
                catalogs.raw(DESK_LOCALE, f"summary.reply_not_sent.{key}")
                for key in ("password", "password_left")
            )
        elif isinstance(refused, TooLongRefusedError):
            note = catalogs.fill(DESK_LOCALE, "summary.reply_not_sent.too_long", refused.values)
        elif refused.status == 409 and refused.agent is not None:
            # Another desk's agent has it: named, as Slack's thread names them.
            holder = {"agent": holder_shown(refused.agent)}
            note = catalogs.fill(DESK_LOCALE, "summary.reply_not_sent.another_has", holder)
        elif refused.reason in ("bot", "closed"):
            # Which, and what sends it (the console's take; a closed one's is a follow-up).
            note = catalogs.raw(DESK_LOCALE, f"summary.reply_not_sent.{refused.reason}")
        else:
            note = catalogs.raw(DESK_LOCALE, "summary.reply_not_sent.not_yours")
        try:
            await self.api.post_message(mirror, private_note(note))
        except ChatwootApiError as err:
            _LOGGER.warning("Chatwoot note on %s not posted: %s", mirror, err)

    async def _say_files_not_sent(self, mirror: str) -> None:
        note = self._runtime.catalogs.raw(DESK_LOCALE, "summary.reply_not_sent.files")
        try:
            await self.api.post_message(mirror, private_note(note))
        except ChatwootApiError as err:
            _LOGGER.warning("Chatwoot note on %s not posted: %s", mirror, err)

    async def _say_undelivered(self, mirror: str, err: NotDeliveredError) -> None:
        """A private note in the mirror: the subscriber's platform did not take the reply.

        The console marks it with a button to send it again; an agent who works in Chatwoot
        sees their reply there as sent, and took the subscriber for silent.
        """
        key = (
            "summary.reply_not_sent.may_have_arrived"
            if err.may_have_arrived
            else "summary.reply_not_sent.undelivered"
        )
        if err.cause is not None:
            # Blocked, gone, or the month's allowance used up: sending again will not help.
            key = f"summary.reply_not_sent.{err.cause}"
        note = self._runtime.catalogs.raw(DESK_LOCALE, key)
        try:
            await self.api.post_message(mirror, private_note(note))
        except ChatwootApiError as failed:
            _LOGGER.warning("Chatwoot note on %s not posted: %s", mirror, failed)

    async def _assigned_in_mirror(self, event: MirrorAssigned) -> None:
        """Chatwoot's assignment of a mirror to a colleague hands the conversation to them.

        Unassigned, it is followed as one of Chatwoot's own conversations is (`_unassigned`):
        before, the console and Slack went on showing the Chatwoot agent who had left it.
        """
        if await self._overtaken(event.key, event.changed_at):
            return
        still = self._still_latest(event.key, event.changed_at)
        if event.agent:
            await self._assigned_to(event.key, event.agent, event.event_id, still)
            return
        back = MirrorStatus(event.key, PENDING, event.event_id, "Chatwoot", event.mirror)
        unassigned = await self._unassigned(event.key, event.event_id, still)
        if unassigned and await self._back_from_mirror(back, still):
            # Chatwoot shows it open and unassigned, waiting for an agent it no longer needs.
            await self._set_status(event.mirror, RESOLVED)

    async def _overtaken(self, key: str, changed_at: dt.datetime | None) -> bool:
        """Whether a later change of `key`'s assignee was followed already (this one is old).

        Chatwoot's webhook jobs run in parallel: an assignment delivered after the
        unassignment that undid it left the conversation with an agent Chatwoot no longer
        shows on it. Noted otherwise, so that an older one arriving later is left alone.
        A change without a time is followed as it comes.

        Read and noted as one: each note is numbered, and written under the store's event
        id of its number, which the store takes once. Two deliveries read against the same
        note (two replicas at the same moment) cannot both write the next: the second finds
        the number taken, reads the first's note, and is left alone if it is older.

        What follows the guard is another transaction, so the note also touches the record
        (`_note_change`): a change of owner made only onto a record read before a later
        change's note is refused, and its caller reads again and asks `_still_latest`
        before acting on what it read. The later change's note and the older change's act
        thus cannot both land: the one that lands second finds the other.
        """
        if changed_at is None:
            return False
        store = self._runtime.engine.store
        for _ in range(COMPARE_AND_SET_READS):
            followed, number = _assignee_note(await store.latest_line(key, "system", ASSIGNEE_NOTE))
            if followed is not None and followed > changed_at:
                _LOGGER.info(
                    "Chatwoot assignee change of %s at %s came after a later one: left alone",
                    key,
                    changed_at.isoformat(),
                )
                return True
            text = f"{ASSIGNEE_NOTE}{changed_at.isoformat()}{_NOTE_NUMBER}{number + 1}"
            if await self._note_change(key, f"chatwoot-assignee-note:{key}:{number + 1}", text):
                return False
        # Numbers taken faster than read: followed, as a change without a time is.
        return False

    async def _note_change(self, key: str, event_id: str, text: str) -> bool:
        """`note_once`, touching the record: its `updated_at` moves on by a microsecond.

        A change of owner read before the note and made only onto the record as read
        (`only_as`) is refused, as after any other write to the record: read again, it
        finds the note (`_still_latest`). A conversation that is gone counts as noted.

        A microsecond, not to now: `updated_at` is when someone last wrote or acted, which
        the retention runs from (`expire`) and the desk lists by. Moved to now, every
        change of Chatwoot's assignee kept a conversation (its transcript, personal data)
        for another full retention after the subscriber's and the agent's last message.
        """
        gone: list[bool] = []

        def note(stored: ConversationRecord | None) -> Change[None] | None:
            if stored is None:
                gone.append(True)
                return None
            moved = stored.updated_at + dt.timedelta(microseconds=1)
            touched = dataclasses.replace(stored, updated_at=moved)
            return Change(touched, [bookkeeping_line(stored.updated_at, text)], None)

        store = self._runtime.engine.store
        return await store.transact(key, event_id, note) is not None or bool(gone)

    def _still_latest(self, key: str, changed_at: dt.datetime | None) -> Still:
        """Whether no later change of `key`'s assignee has been noted since (`_overtaken`).

        Asked after each read of the record a change of owner is then made onto: a later
        change's note written before that read is found here, one written after it refuses
        the change (the note touched the record).
        """

        async def still() -> bool:
            if changed_at is None:
                return True
            store = self._runtime.engine.store
            followed, _ = _assignee_note(await store.latest_line(key, "system", ASSIGNEE_NOTE))
            if followed is not None and followed > changed_at:
                _LOGGER.info(
                    "Chatwoot assignee change of %s at %s overtaken while followed: left there",
                    key,
                    changed_at.isoformat(),
                )
                return False
            return True

        return still

    async def _unassigned(self, key: str, event_id: str, still: Still) -> bool:
        """Chatwoot's assignee removed: whether the bot is to have the conversation back.

        Chatwoot then shows it open and unassigned, waiting for an agent. Taken by the
        assignment (Chatwoot's auto-assignment of a handoff) and not written to since, the
        conversation is in the queue again (`back_to_queue`): the bot greeting a subscriber
        who had asked for a person, while Chatwoot still offered it to its agents, answered
        the wrong question. Written to by an agent acting in Chatwoot, it goes back to the
        bot, as a status set to pending would. Another desk's agent (the console, Slack)
        keeps it either way, and the queue's stays there.
        """
        engine = self._runtime.engine
        for _ in range(COMPARE_AND_SET_READS):
            record = await engine.store.load(key)
            if record is None or record.owner is not Owner.AGENT:
                return False
            transcript = await engine.store.transcript(key)
            if not await still():
                return False  # a later change of assignee was followed meanwhile
            holder = _chatwoot_holder(transcript)
            if holder is None:
                return False  # in the queue, or another desk's agent has it
            if not taken_from_queue_unanswered(transcript):
                return True
            # Only onto the record as read: a reply or a take landing first is read again.
            # (A redelivery, handled before, reads it in the queue next.)
            if await back_to_queue(engine, key, holder, event_id=event_id, only_as=record):
                return False
        return False

    async def _assigned_to(self, key: str, agent: str, event_id: str, still: Still) -> None:
        """Chatwoot's assignment of an agent's conversation to a colleague hands it on.

        Chatwoot's own way of passing a conversation on (its assignee), followed as the
        console's 「ほかの担当者に渡す」: held by an agent acting in Chatwoot, it becomes the
        colleague's (`bot.desk.ownership.transfer`), the subscriber told on their own channel.
        Held by another desk's agent (the console, Slack) it stays theirs: Chatwoot's assignee
        is only Chatwoot's business. Waiting in the queue, it is the assignee's take.
        """
        engine = self._runtime.engine
        colleague = chatwoot_agent(agent)
        for _ in range(COMPARE_AND_SET_READS):
            record = await engine.store.load(key)
            if record is None or record.owner is not Owner.AGENT:
                return
            transcript = await engine.store.transcript(key)
            if not await still():
                return  # a later change of assignee was followed meanwhile
            holder = holder_of(record, transcript)[0]
            if holder is not Holder.QUEUE:
                break
            # Chatwoot's round robin (AutoAssignmentHandler, on by default in an inbox: a
            # conversation created or set open goes to one of its online agents) or her own
            # "assign to me": Chatwoot lists it as hers, and shows her name to every other
            # agent there. Left in the queue here, the console and Slack offered it to their
            # agents, who took it and answered beside her. Taken as her reply takes it (the
            # subscriber was told at the handoff that a person comes: nothing more to say),
            # onto the record as read: a console take landing first keeps it that agent's.
            # Marked an assignment: no person has started on it until she writes, so the
            # subscriber's 「自動案内に戻る」 meanwhile still gives it back to the bot (it was
            # answered that an agent had started, whom round robin had named on creation).
            taken = await change_owner(
                engine,
                key,
                Owner.AGENT,
                _taken_in_chatwoot(agent),
                event_id=event_id,
                only_as=record,
                data={"type": ASSIGNED},
            )
            if taken is not None:
                return
        else:
            return
        if holder is not Holder.AGENT:
            return
        had = _chatwoot_holder(transcript)
        if had is None or had == colleague:
            return  # another desk's agent has it, or the assignee has it already
        await transfer(
            engine,
            self._runtime.delivery,
            key,
            had,
            colleague,
            event_id=state_event(key, transcript),
            only_as=record,
            shown=agent,
        )

    async def _assignee_changed(self, event: AssigneeChange) -> None:
        """One of Chatwoot's own conversations assigned, or unassigned, in Chatwoot.

        Assigned while the bot answers it (`pending`): the agent's, as if she had opened it
        (the bot fell silent only once she wrote, and answered the contact meanwhile over
        her); the contact is told a person has them (as after the console's take), and
        Chatwoot shows it open. Assigned while an agent acting in Chatwoot has it: handed
        to the colleague, as a mirror's assignment is. Unassigned while an agent acting in
        Chatwoot has it (`_unassigned`): taken from the queue and not written to yet, it
        waits in the queue again (Chatwoot shows it open, unassigned); else the bot has it
        back (as after `pending`), and Chatwoot shows it pending. Another desk's agent (the
        console, Slack) keeps it either way. Assigned while it waits in the queue: the
        assignee's.
        """
        key = record_key(CHANNEL, event.conversation_id)
        engine = self._runtime.engine
        record = await engine.store.load(key)
        if record is None or record.owner is Owner.CLOSED:
            return
        if await self._overtaken(key, event.changed_at):
            return
        still = self._still_latest(key, event.changed_at)
        if event.agent and record.owner is Owner.AGENT:
            await self._assigned_to(key, event.agent, event.event_id, still)
            return
        if event.agent:
            for _ in range(COMPARE_AND_SET_READS):
                # Read after the guard's note (which touched the record), then asked again.
                record = await engine.store.load(key)
                if record is None or record.owner is not Owner.BOT or not await still():
                    return
                taken = await take_over(
                    engine,
                    key,
                    chatwoot_agent(event.agent),
                    event_id=event.event_id,
                    only_as=record,
                    delivery=self._runtime.delivery,
                    shown=event.agent,
                )
                if taken is not None:
                    # Changes Chatwoot made are not echoed back to it (`follow_owner` skips
                    # them): opened here, or the contact's next message, still `pending`,
                    # would hand it back to the bot.
                    await self._set_status(event.conversation_id, OPEN)
                    return
            return
        if not await self._unassigned(key, event.event_id, still):
            return
        back = await self.store_status(
            StatusChange(event.conversation_id, PENDING, event.event_id, "Chatwoot"), still
        )
        if back.record is not None and not back.duplicate:
            self._life.later(self._back_to_bot(event.conversation_id, back), name=event.event_id)

    async def _back_to_bot(self, conversation_id: str, back: TurnOutcome) -> None:
        """Chatwoot shows the conversation the bot took back as `pending`; the greeting goes."""
        await self._set_status(conversation_id, PENDING)
        question = (back.record.question or "") if back.record is not None else ""
        await self._send(conversation_id, back.replies, question)

    async def _from_mirror(self, event: MirrorReply | MirrorStatus | MirrorAssigned) -> None:
        # The key is a custom attribute, which Chatwoot's agents can edit: it counts only
        # for the conversation that was mirrored to this very Chatwoot conversation.
        mirrored = await mirror_noted(self._runtime.engine.store, event.key)
        if not event.mirror or mirrored != event.mirror:
            _LOGGER.warning(
                "Chatwoot conversation %s names %s, which was not mirrored there: ignored",
                event.mirror,
                event.key,
            )
            return
        if isinstance(event, MirrorAssigned):
            await self._assigned_in_mirror(event)
            return
        if isinstance(event, MirrorReply):
            if await self._messages.refused_before(event.key, event.event_id):
                # Chatwoot delivered it again (it has been seen sending one message_created
                # twice): refused already, and said so in a note once.
                return
            if event.files:
                # Only words go on to the subscriber's channel; Chatwoot shows the file as
                # sent, so the agent took it for sent. Said once: Chatwoot has been seen
                # sending one message_created twice.
                if await self._messages.first_files_notice(event.key, event.event_id):
                    await self._say_files_not_sent(event.mirror)
                if not event.text.strip():
                    return
            # Who had it before her words: another agent's conversation is hers after them
            # as every desk reads it (`holder_of`), so those showing a holder must follow.
            had = await self._holder_now(event.key)
            try:
                posted = await self._messages.post(
                    event.key,
                    event.agent,
                    event.text,
                    event_id=event.event_id,
                    if_undelivered=functools.partial(self._say_undelivered, event.mirror),
                    # Taking it from the queue: named as every desk names a Chatwoot agent,
                    # so that a hand-back from the mirror is told hers from another desk's.
                    taker=chatwoot_agent(event.agent),
                    # Her line keeps the name the subscriber reads, and where she wrote it.
                    acting=chatwoot_agent(event.agent),
                    # A conversation a console agent or a Slack member has is theirs: her
                    # words joined theirs as a second agent's (the console and Slack's
                    # thread refuse so). Any agent acting in Chatwoot may write on: Chatwoot
                    # shows its agents one another's conversations and assignments.
                    is_self=in_chatwoot,
                    origin=self.mirror.name if self.mirror is not None else None,
                )
            except MessageRefusedError as err:
                # A password in it, or the bot has it again (or it is closed): the subscriber
                # is not written to, and the agent, who sees their reply in Chatwoot as if
                # sent, is told so there.
                _LOGGER.info("Chatwoot agent reply for %s not delivered: %s", event.key, err)
                if await self._messages.first_refusal(event.key, event.event_id):
                    deleted = isinstance(err, PasswordRefusedError) and await self._deleted(event)
                    await self._say_not_sent(event.mirror, err, deleted=deleted)
                return
            if not posted.duplicate and had not in (
                None,
                event.agent,
                chatwoot_agent(event.agent),
            ):
                # Slack's handoff message went on naming the console's (or a member's) agent
                # while the console and the agent API named her.
                scoped = f"agent-message:{event.key}:{event.event_id}"
                announce(
                    self._runtime.engine, OwnerChange(event.key, Owner.AGENT, Owner.AGENT, scoped)
                )
            return
        await self._back_from_mirror(event)

    async def _holder_now(self, key: str) -> str | None:
        """The agent who has `key` now (`holder_of`); None for the queue, the bot or closed."""
        store = self._runtime.engine.store
        record = await store.load(key)
        if record is None or record.owner is not Owner.AGENT:
            return None
        holder, who = holder_of(record, await store.transcript(key))
        return who if holder is Holder.AGENT else None

    async def _back_from_mirror(self, event: MirrorStatus, still: Still | None = None) -> bool:
        """The mirror set pending (handed back) or resolved (closed); whether it was so.

        Resolved is Chatwoot's 「done」, as the console's 「終了」 and Slack's 「終了する」 are:
        the subscriber is asked 「解決しましたか？」 and the bot answers what they write next.
        It used to hand back, so the bot greeted a subscriber whose question the agent had
        just answered with 「担当者から引き継ぎました」 and the questionnaire's next question.
        Pending hands back, as in Chatwoot's own conversations.

        `still`: asked after each read, when a change of assignee is followed (`_still_latest`).
        """
        engine = self._runtime.engine
        record = await engine.store.load(event.key)
        if record is not None and record.owner is Owner.BOT:
            if await waits_in_queue(engine, event.key) is Owner.BOT:
                # A message left for the desk, dealt with in Chatwoot (called back): it no
                # longer waits in the console's queue. The bot had the chat all along, so
                # nobody handed anything back.
                await message_dealt_with(engine, event.key, event.agent, event_id=event.event_id)
            return False
        outcome = None
        for _ in range(COMPARE_AND_SET_READS):
            if record is None or record.owner is not Owner.AGENT:
                return False
            # Who has it, asked at every read: a console agent's first words landing after
            # one look took it from the queue, and the next read handed it back after them.
            lines = await engine.store.transcript(event.key)
            if still is not None and not await still():
                return False
            other = await self._held_elsewhere(record, lines)
            if other is not None:
                await self._refuse_back(event.mirror, other)
                return False
            if event.status == RESOLVED:
                # Onto the record as read: closed or taken meanwhile, it is read again.
                closer = event.agent if event.agent == CHATWOOT else chatwoot_agent(event.agent)
                closed = await close(
                    engine,
                    self._runtime.delivery,
                    event.key,
                    closer,
                    event_id=event.event_id,
                    only_as=record,
                    only_lines=len(lines),
                )
                if closed is not None:
                    return True
                record = await engine.store.load(event.key)
                continue
            # Only from the conversation as read, and its lines: handed back in the console
            # meanwhile, it is not handed back (the subscriber greeted) again; written to
            # (an agent's words to what she holds leave the record as it was), read again.
            outcome = await hand_back(
                self._runtime.engine,
                record.channel,
                record.conversation_id,
                HandbackFacts(agent=event.agent),
                event_id=event.event_id,
                only_as=record,
                only_lines=len(lines),
            )
            if outcome.record is not None or outcome.duplicate:
                break
            record = await engine.store.load(event.key)
        if record is not None and outcome is not None and outcome.replies:
            push = self._runtime.delivery.push(
                record.channel, record.conversation_id, outcome.replies
            )
            self._life.later(push, name=event.event_id)
        return outcome is not None and outcome.record is not None

    def _signed(self, request: Request, body: bytes) -> bool:
        return signed(
            self._config.webhook_secrets,
            request.headers.get(TIMESTAMP_HEADER, ""),
            request.headers.get(SIGNATURE_HEADER, ""),
            body,
            time.time(),
        )

    def _token_matches(self, request: Request, _: bytes) -> bool:
        given = str(request.path_params["token"])
        # Every token compared, whichever matches: the time of a 404 tells nothing.
        matches = [same_digest(given, digest) for digest in self._token_digests]
        if any(matches[1:]) and (count := self._previous_used.happened()):
            _LOGGER.warning(
                "chatwoot delivery to a previous CHATWOOT_WEBHOOK_TOKEN's path (%d request(s)):"
                " Chatwoot's agent bot or account webhook still has the old URL; give both"
                " the first token's URL, and remove the old token once this line stops",
                count,
            )
        return any(matches)

    async def _store(self, event: ChatwootEvent) -> TurnOutcome:
        if isinstance(event, StatusChange):
            return await self.store_status(event)
        return await self._store_message(event)

    async def _deliver(self, event: ChatwootEvent, outcome: TurnOutcome) -> None:
        record = outcome.record
        inbox: str | None = None
        if isinstance(event, StatusChange):
            key = event.conversation_id
        else:
            key = event.inbound.conversation_key
            inbox = event.inbox
            await self._note_inbox(key, inbox)
        # A select of a question answered since counted for nothing, and says so.
        before = self._life.answered_before(outcome)
        replies = (TextReply(before),) if before is not None else outcome.replies
        # A turn that asks a question holds it open under its own tag: its selects name it.
        question = (record.question or "") if record is not None and not outcome.stale else ""
        await self._send(key, replies, question, inbox=inbox)

    async def _note_inbox(self, conversation_id: str, inbox: str) -> None:
        """Keep the inbox's kind, for replies that answer no message of the contact's (`push`).

        Noted when it is not the one noted last (a conversation's inbox does not change).
        """
        if not inbox:
            return
        key = record_key(CHANNEL, conversation_id)
        store = self._runtime.engine.store
        try:
            if await self._inbox_noted(conversation_id) == inbox:
                return
            await note_lines(store, key, [f"{_INBOX_LINE}{inbox}"], bookkeeping=True)
        except StoreUnavailableError as err:
            _LOGGER.warning("Chatwoot: the inbox of %s was not noted: %s", conversation_id, err)

    async def _inbox_noted(self, conversation_id: str) -> str:
        key = record_key(CHANNEL, conversation_id)
        noted = await self._runtime.engine.store.latest_line(key, "system", _INBOX_LINE)
        return noted.text.removeprefix(_INBOX_LINE) if noted is not None else ""

    async def _shown_in(
        self, conversation_id: str, inbox: str | None = None
    ) -> Callable[[Sequence[Reply], str], list[ChatwootMessage]]:
        """How replies are posted to the conversation, as its inbox shows them (`render_all`)."""
        if inbox is None:
            inbox = await self._inbox_noted(conversation_id)
        hint = ""
        if reads_numbers(inbox):
            record = await self._runtime.engine.store.load(record_key(CHANNEL, conversation_id))
            locale = record.dialog.locale if record is not None else DEFAULT_LOCALE
            hint = self._runtime.catalogs(locale, "chatwoot.choices_by_number")
        return functools.partial(_shown, inbox=inbox, how_to_answer=hint)

    async def _store_message(self, message: ContactMessage) -> TurnOutcome:
        """A turn in a pending conversation; before it, the status change it tells of.

        A message whose status disagrees with the stored owner tells of a status event
        that never reached us (Chatwoot sends each account webhook once): the status is
        followed as that event would have been. Pending while an agent had it: the words
        are recorded for the agent, then the hand-back answers them, all before Chatwoot
        is answered. Open or resolved: the bot says nothing, and the words stay Chatwoot's.
        """
        key = record_key(CHANNEL, message.inbound.conversation_key)
        record = await self._runtime.engine.store.load(key)
        if message.status == RESOLVED and _answers_the_close(message, record):
            return await self._answer_after_resolve(message)
        lost = self._lost_status(message, record)
        if lost is not None and not await self._is_news(message, key):
            lost = None
        if lost is not None and await self._was_unsynced(message.inbound.conversation_key):
            # Chatwoot still shows the status before our own change (a take-over in Slack,
            # say) because setting it failed: that is no lost event to follow.
            lost = None
        if message.status != PENDING:
            changed = await self.store_status(lost) if lost is not None else TurnOutcome()
            kept = await self._keep_for_agents(message)
            if kept is not None:
                return kept
            if lost is None and message.status == OPEN and await self._handed_back(key):
                # Open in Chatwoot only for a moment (written as an agent handed it back
                # elsewhere, before our `pending` landed): left to the owner as stored, the
                # bot, which answers it rather than letting the words vanish.
                return await self._life.store(
                    await self._resolved(message.inbound), question=message.question
                )
            return changed
        said = await self._life.store(
            await self._resolved(message.inbound), question=message.question
        )
        if lost is None:
            return said
        back = await self.store_status(lost)
        # Redelivered after the words were stored but before the hand-back was: its turn.
        return said if back.duplicate else back

    async def _answer_after_resolve(self, message: ContactMessage) -> TurnOutcome:
        """The contact's press of 「解決しましたか？」's select, asked as the agent resolved it.

        The widget answers a select by updating the message, so Chatwoot keeps the
        conversation resolved (it reopens one for a new message alone): the press is a turn
        all the same, and the bot's answer leaves it `pending`, the status the bot answers
        in, as a typed answer does (Chatwoot reopens it so). Left resolved, the next press
        (「担当者と話す」 after 「解決しない」) read as a resolve we had not heard of, and
        closed it again.
        """
        said = await self._life.store(
            await self._resolved(message.inbound), question=message.question
        )
        record = said.record
        # 「解決しない」 hands it to the desk, which opens it: a `pending` landing after
        # that `open` would show the bot's status to a conversation waiting for a person.
        if record is not None and record.owner is Owner.BOT and not said.duplicate:
            conversation_id = message.inbound.conversation_key
            self._life.later(
                self._set_quietly(conversation_id, PENDING), name=f"{message.event_id}:pending"
            )
        return said

    async def _set_quietly(self, conversation_id: str, status: str) -> None:
        await self._set_status(conversation_id, status)

    async def _handed_back(self, key: str) -> bool:
        """Whether the bot has `key` by a hand-back, its latest change (an open is stale)."""
        store = self._runtime.engine.store
        record = await store.load(key)
        if record is None or record.owner is not Owner.BOT:
            return False
        lines = await store.transcript(key)
        latest = next((line for line in reversed(lines) if line.author == "system"), None)
        return latest is not None and latest.text.startswith(HANDBACK_LINE)

    async def _keep_for_agents(self, message: ContactMessage) -> TurnOutcome | None:
        """The contact's words while agents have it open: in the transcript, unanswered.

        Masked as every subscriber line is, and passed to the other desks (a Slack thread)
        by the engine, which says nothing while a person has the conversation. None when
        no person has it here (Chatwoot's status ahead of ours): nothing is kept then, as
        the bot must not answer a conversation Chatwoot shows open.
        """
        engine = self._runtime.engine
        key = record_key(CHANNEL, message.inbound.conversation_key)
        record = await engine.store.load(key)
        if record is None or record.owner is not Owner.AGENT:
            return None
        # An answer to the question still open counts (the hand-back goes on from it), and
        # a notice's button answered by its title (「自動案内に戻る」) is that button.
        inbound = await self._resolved(message.inbound, notices_only=True)
        return await engine.handle(inbound, create=False, question=message.question)

    @staticmethod
    def _lost_status(
        message: ContactMessage, record: ConversationRecord | None
    ) -> StatusChange | None:
        """The status event a message tells of, if the stored owner has not followed it.

        The changes `store_status` makes: pending hands an agent's conversation back, open
        takes the bot's, resolved closes it. Pending after resolved is an ordinary turn
        (the bot starts afresh), as Chatwoot reopened the conversation for the bot.
        """
        if record is None or _OWNER_OF.get(message.status) in (None, record.owner):
            return None
        if (message.status, record.owner) in ((PENDING, Owner.CLOSED), (OPEN, Owner.CLOSED)):
            return None
        return StatusChange(
            conversation_id=message.inbound.conversation_key,
            status=message.status,
            # Chatwoot's own change (follow_owner leaves Chatwoot alone), once per message.
            event_id=f"{message.event_id}:status:{message.status}",
            agent=message.agent,
        )

    async def _is_news(self, message: ContactMessage, key: str) -> bool:
        """Whether the message was written well after the owner last changed.

        The last change is the latest system line (a handoff, a take-over, a hand-back);
        a message without a time counts as written when it arrived.
        """
        lines = await self._runtime.engine.store.transcript(key)
        since = next((line.at for line in reversed(lines) if line.author == "system"), None)
        written = message.created_at or self._runtime.engine.now()
        return since is None or written - since > STATUS_SETTLES

    async def store_status(self, change: StatusChange, still: Still | None = None) -> TurnOutcome:
        """Follow Chatwoot's status (pending: the bot's, open: agents', resolved: closed).

        `still`: asked after each read, when a change of assignee is followed (`_still_latest`).
        """
        store = self._runtime.engine.store
        key = record_key(CHANNEL, change.conversation_id)
        record = await store.load(key)
        for _ in range(COMPARE_AND_SET_READS):
            if record is None or change.status not in (PENDING, RESOLVED):
                break
            # Who has it, asked at every read: a console agent's first words landing after
            # one look took it from the queue, and the next read handed it back (or ended
            # it) after them.
            lines = await store.transcript(key)
            if still is not None and not await still():
                return TurnOutcome()
            other = await self._held_elsewhere(record, lines)
            if other is not None:
                # Taken in the console or Slack (Chatwoot shows it open): not handed back or
                # ended in the middle of that agent's answers, as the console would not.
                await self._refuse_back(change.conversation_id, other)
                return TurnOutcome()
            if change.status == RESOLVED:
                if record.owner is Owner.CLOSED:
                    break
                # Resolved is Chatwoot's 「done」, as the console's 「終了」 and the mirror's
                # resolve are: the contact is asked 「解決しましたか？」 (an input_select posted
                # into the resolved conversation, which stays resolved). Closed silently, the
                # contact of Chatwoot's own inbox alone never heard the exchange had ended.
                # Only onto the record and lines as read (a take or an agent's words
                # meanwhile are read again); under Chatwoot's event id, so a redelivery asks
                # nothing twice and `follow_owner` leaves Chatwoot's status alone.
                closer = chatwoot_agent(change.agent) if change.agent != CHATWOOT else CHATWOOT
                closed = await close(
                    self._runtime.engine,
                    self._runtime.delivery,
                    key,
                    closer,
                    event_id=change.event_id,
                    only_as=record,
                    only_lines=len(lines),
                )
                if closed is not None:
                    return TurnOutcome()
            elif record.owner is not Owner.AGENT:
                break
            else:
                # No new facts from Chatwoot: the bot resumes where the answers leave off.
                # Only from the conversation as read, and its lines: handed back in the
                # console meanwhile, it is not handed back (and the contact greeted) again;
                # written to meanwhile, read again.
                outcome = await hand_back(
                    self._runtime.engine,
                    CHANNEL,
                    change.conversation_id,
                    HandbackFacts(agent=change.agent or "Chatwoot"),
                    event_id=change.event_id,
                    only_as=record,
                    only_lines=len(lines),
                )
                if outcome.record is not None or outcome.duplicate:
                    return outcome
            record = await store.load(key)
        if record is None:
            # A conversation the bot never saw (another inbox of the account).
            return TurnOutcome()
        if change.status == OPEN and record.owner is Owner.BOT:
            # A take-over line as every desk writes it: the console, the agent API and Slack
            # then show who has it, and a second agent's take is refused naming them.
            await self._set_owner(record.key, Owner.AGENT, _taken_in_chatwoot(change.agent), change)
        return TurnOutcome()

    async def _set_owner(
        self,
        key: str,
        owner: Owner,
        line: str,
        change: StatusChange,
        *,
        only_as: ConversationRecord | None = None,
    ) -> bool:
        """Whether the owner was set (not when unchanged, handled before, or changed since)."""
        # Under Chatwoot's event id: a redelivery changes nothing, and `follow_owner` knows
        # the change came from Chatwoot.
        changed = await change_owner(
            self._runtime.engine,
            key,
            owner,
            line,
            event_id=change.event_id,
            only_if_different=True,
            only_as=only_as,
        )
        return changed is not None

    async def follow_owner(self, change: OwnerChange) -> None:
        """Keep Chatwoot's status with an owner changed elsewhere: both desks agree.

        Taken over from the console, the agent API or Slack's 「対応する」: `open`, so
        Chatwoot's agents see it taken; handed back (from anywhere, or given back after a
        refused handoff): `pending`, the status the bot answers in; closed: `resolved`. A
        change Chatwoot made itself (its event ids start with the channel's name) is
        already so there.
        """
        channel, _, conversation_id = change.key.partition(":")
        if (change.event_id or "").startswith(f"{CHANNEL}:"):
            return
        if channel != CHANNEL:
            await self._follow_in_mirror(change)
            return
        status = _STATUS_OF.get(change.after)
        # A take-over from the queue is agent to agent: still opened, as Chatwoot may not
        # have been told of the handoff (its desk refused it while Slack's took it).
        if status is None or (change.before is change.after is not Owner.AGENT):
            return
        await self._set_status(conversation_id, status)
        if change.after is Owner.BOT and change.before is Owner.AGENT:
            await self._unassign(change.key, conversation_id)

    async def _unassign(self, key: str, conversation_id: str) -> None:
        """Handed back to the bot: off the list of the Chatwoot agent who had it.

        Given back by the subscriber's wish while round robin's assignee had not written
        (`ASSIGNED`), or by an agent elsewhere, it stayed in her "Mine" list, pending, with
        her name shown to every other agent, as if she were still on it. Chatwoot's own
        unassignment echoes back as a change this channel leaves alone (the bot has it).
        Any Chatwoot agent named since the bot last spoke counts, not only the latest
        holder: a console agent who took it over from her and handed it back left her
        assigned (a take elsewhere leaves Chatwoot's assignee as it is).
        """
        if not _chatwoot_agent_since_bot(await self._runtime.engine.store.transcript(key)):
            return  # no Chatwoot agent was named on it
        await self._call(self.api.unassign(conversation_id))

    async def _follow_in_mirror(self, change: OwnerChange) -> None:
        """Resolve another channel's mirror once the agents are done with it elsewhere.

        Closed (the console's 「終了」, the agent API, the subscriber left) or handed back
        (the console, the API, Slack's 「ボットに戻す」): the mirror would stay open in
        Chatwoot, a conversation waiting for its agents that nobody there can answer.
        A take-over elsewhere leaves it open: its agents see who has it in the transcript.
        """
        if self.mirror is None or change.after is Owner.AGENT or change.before is change.after:
            return
        mirror = await mirror_noted(self._runtime.engine.store, change.key)
        if mirror is not None:
            await self._call(self.api.toggle_status(mirror, RESOLVED))

    async def _set_status(self, conversation_id: str, status: str) -> bool:
        """Set Chatwoot's status; remember it when Chatwoot would not take it."""
        try:
            await self.api.toggle_status(conversation_id, status)
        except ChatwootApiError as err:
            _LOGGER.error("Chatwoot status not set (tried again at the next message): %s", err)
            self._unsynced[conversation_id] = status
            return False
        self._unsynced.pop(conversation_id, None)
        return True

    async def _was_unsynced(self, conversation_id: str) -> bool:
        """Whether Chatwoot had not taken a status we set; if so, set it once more.

        Either way the message in hand carries the status from before ours.
        """
        status = self._unsynced.get(conversation_id)
        if status is None:
            return False
        await self._set_status(conversation_id, status)
        return True

    async def _resolved(self, inbound: Inbound, *, notices_only: bool = False) -> Inbound:
        """A select's answer (its title or value) as the choice id the dialog offered.

        `notices_only`: only a notice's own button (agents have the conversation open: a
        typed 「いいえ」 may answer the agent, and stays words).
        """
        key = record_key(CHANNEL, inbound.conversation_key)
        record = await self._runtime.engine.store.load(key)
        offered = record.dialog.offered if record is not None and not notices_only else ()
        answer = inbound.choice or inbound.text or ""
        if answer in offered:
            return dataclasses.replace(inbound, text=None, choice=answer)
        if not offered and (record is None or record.owner is not Owner.AGENT):
            return inbound
        # Titles are the dialog's labels, which the last question in the transcript keeps;
        # or a notice's own buttons (the late-reply notice's 「自動案内に戻る」), said
        # into a person's conversation, whose ids the dialog never offered.
        for line in reversed(await self._runtime.engine.store.transcript(key)):
            reply = line.reply or {}
            if line.author != "bot" or reply.get("type") != "choices":
                continue
            choices = reply.get("choices")
            for choice in choices if isinstance(choices, list) else ():
                ours = choice.get("id") in offered or is_notice(line)
                if choice.get("label") == answer and ours:
                    return dataclasses.replace(inbound, text=None, choice=str(choice["id"]))
            break
        return inbound

    async def _send(
        self,
        conversation_id: str,
        replies: Sequence[Reply],
        question: str = "",
        *,
        inbox: str | None = None,
    ) -> None:
        try:
            shown = await self._shown_in(conversation_id, inbox)
        except StoreUnavailableError as err:
            _LOGGER.warning("Chatwoot: the inbox of %s is unknown: %s", conversation_id, err)
            shown = functools.partial(_shown, inbox=inbox or "", how_to_answer="")
        for message in shown(replies, question):
            try:
                await self.api.post_message(conversation_id, message)
            except ChatwootApiError as err:
                # The reply is in the transcript either way; an agent can read it there.
                _LOGGER.error("Chatwoot call failed: %s", err)
                arrived = err.may_have_arrived
                self._life.undelivered(NotDeliveredError(str(err), may_have_arrived=arrived))

    async def _call(self, call: Awaitable[object]) -> None:
        try:
            await call
        except ChatwootApiError as err:
            # The reply is in the transcript either way; an agent can read it there.
            _LOGGER.error("Chatwoot call failed: %s", err)


def _shown(
    replies: Sequence[Reply], question: str, *, inbox: str, how_to_answer: str
) -> list[ChatwootMessage]:
    return render_all(replies, question=question, inbox=inbox, how_to_answer=how_to_answer)


def create_channel(runtime: Runtime) -> ChatwootChannel | None:
    """Entry point of the `chatwoot` channel: on when its four variables are set."""
    config = ChatwootConfig.from_environ(runtime.environ)
    if config is None:
        _LOGGER.info("Chatwoot channel off: set %s to switch it on", ", ".join(VARIABLES))
        return None
    return ChatwootChannel(runtime, config)


def _chatwoot_holder(transcript: Sequence[TranscriptEntry]) -> str | None:
    """The agent acting in Chatwoot who has the conversation (`… (Chatwoot)`), or None.

    Named by her take (a reply, an assignment) or by her words since: in the mirror (their
    data's `acting`, which may follow another desk's take), or in Chatwoot's own
    conversation (their `agent`; before, unassigning or reassigning one she had written in
    changed nothing).
    """
    latest = next((x for x in reversed(transcript) if _names_holder(x)), None)
    if latest is None or is_back_in_queue(latest):
        return None
    data = latest.reply or {}
    if latest.author == "agent":
        # A mirror's reply keeps where it was written as `acting`; a reply in one of
        # Chatwoot's own conversations is kept under the name the desks read (`record`).
        acting = data.get(ACTING, data.get("agent"))
        return acting if isinstance(acting, str) and in_chatwoot(acting) else None
    taker = data.get("agent") if data.get("type") == TAKE_OVER else None
    if not isinstance(taker, str):
        taker = latest.text.removeprefix(TAKEN_BY)
    return taker if in_chatwoot(taker) else None


def _chatwoot_agent_since_bot(transcript: Sequence[TranscriptEntry]) -> bool:
    """Whether an agent acting in Chatwoot had the conversation since the bot last spoke.

    The bot's words after the hand-back (its greeting) are passed over; the person's stretch
    before them ends at the bot's words before it (a handoff, or the bot answering until a
    take). Read from each line that names a holder, and from whom a take-over took it; one
    put back in the queue was unassigned by Chatwoot itself (`_unassigned`).
    """
    lines = list(transcript)
    while lines and not _names_holder(lines[-1]):
        popped = lines.pop()
        if popped.author == "system" and popped.text.startswith(HANDOFF_LINE):
            return False  # given back from the queue: nobody took it
    for at in range(len(lines) - 1, -1, -1):
        line = lines[at]
        if (line.author == "bot" and not is_notice(line)) or is_back_in_queue(line):
            return False
        if not _names_holder(line):
            continue
        if _chatwoot_holder(lines[: at + 1]) is not None:
            return True
        taken_from = (line.reply or {}).get("taken_from") if is_take_over(line) else None
        if isinstance(taken_from, str) and in_chatwoot(taken_from):
            return True
    return False


def _names_holder(line: TranscriptEntry) -> bool:
    """An agent's words, a take or its undoing: the lines `holder_of` names a holder by."""
    return line.author == "agent" or is_take_over(line) or is_back_in_queue(line)


def _answers_the_close(message: ContactMessage, record: ConversationRecord | None) -> bool:
    """Whether `message` is a select answering the question a close asked, still open."""
    return (
        record is not None
        and record.owner is Owner.CLOSED
        and message.question is not None
        and message.question == record.question
    )


def _taken_in_chatwoot(agent: str) -> str:
    """The take-over line as every desk writes it, for an agent acting in Chatwoot."""
    return f"{TAKEN_BY}{chatwoot_agent(agent)}"


def _assignee_note(line: TranscriptEntry | None) -> tuple[dt.datetime | None, int]:
    """The change of assignee a note says was followed (its time), and the note's number.

    A note written before notes were numbered counts as number 0; an unreadable time as none.
    """
    if line is None:
        return None, 0
    when, _, number = line.text.removeprefix(ASSIGNEE_NOTE).partition(_NOTE_NUMBER)
    try:
        followed: dt.datetime | None = dt.datetime.fromisoformat(when)
    except ValueError:
        followed = None
    return followed, int(number) if number.isdigit() else 0
