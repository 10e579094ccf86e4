"""Slack as the agents' desk: one message per handoff in a channel of agents, with buttons.

The bot posts each handoff's summary to `SLACK_AGENTS_CHANNEL` with two buttons:
「対応する」 makes the pressing agent the owner (the bot stays silent), 「ボットに戻す」
hands the conversation back (the bot greets the subscriber and carries on). Clicks arrive
at `POST /slack/agents/actions`, signed like every Slack request; the click is acted on in
the store before Slack gets its answer (an unrecordable click gets 503 and fails visibly),
and the message is updated afterwards, because Slack shows an error after 3 s.

Slack sends every click of an app to that app's one Interactivity Request URL, so the app
whose buttons these are must point it here: a desk app of its own when subscribers also
talk to the bot on Slack (see docs/channels.md, "Agents in Slack").

The handoff message's thread is the conversation: what the subscriber writes while a person
has it is posted there, and an agent's reply in it (an Events API `message` event at
`POST /slack/agents/events`) goes to the subscriber as that agent's message. The message
carries the conversation's key as Slack message metadata, and the transcript notes the
thread, so either side finds the other without a table of its own.

The message follows the conversation's owner, whatever changed it (the agent API and the
console, Chatwoot, a hand-back): the desk watches owners and re-renders the latest
handoff's message with who has it now and the buttons that still make sense (waiting: both;
an agent: 「ボットに戻す」; the bot or closed: none). A press of a button the message would
not show now is stale: it changes nothing (the conversation's lock decides) and the message
is updated to say who has it. So 「対応する」 acts only while the conversation waits in the
desk's queue (a person's, and nobody has taken it or written to the subscriber; or the
bot's, with a message left for the desk), and 「ボットに戻す」 only while a person has it.

A message left for the desk (no one could take the chat) is posted the same way, with
「対応する」 alone: the bot still answers, so there is nothing to give back yet.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from adapters.rendering import split_text
from adapters.slack.channel import MAX_EVENT_BYTES, check_bot_token, web_client
from adapters.slack.config import DESK_VARIABLES, SlackDeskConfig
from adapters.slack.desk_actions import (
    CHANNEL,
    CLOSE,
    TAKE,
    TRANSFER,
    DeskAction,
    parse_action,
)
from adapters.slack.desk_blocks import (
    BUTTONS,
    DESK_LOCALE,
    holder_status,
    render_summary,
    say,
    updated_message,
)
from adapters.slack.desk_members import slack_member, slack_member_id
from adapters.slack.desk_thread import (
    HANDOFF_EVENT,
    NOTICE_FIELD,
    ThreadEdit,
    ThreadReply,
    latest_handoff,
    parse_thread_reply,
    thread_line,
    thread_note_prefix,
    thread_of,
    unfollowed_messages_left,
)
from adapters.slack.names import MemberNames
from adapters.slack.post_once import LOOKBACK_LIMIT, post_once
from adapters.slack.render import MAX_SECTION_TEXT, SlackMessage, escape, text_messages
from adapters.slack.signing import signed_by_slack
from bot.channels.answer_first import AnswerFirst
from bot.delivery import NotDeliveredError
from bot.desk.agent_messages import (
    AgentMessages,
    MessageRefusedError,
    PasswordRefusedError,
    TooLongRefusedError,
    holder_acting,
)
from bot.desk.closing import close
from bot.desk.handback import HandbackFacts, hand_back
from bot.desk.handoff import DeskUnavailableError, OwnerChange, announce
from bot.desk.ownership import (
    TAKEN_BY,
    Holder,
    given_back,
    held_by_another,
    holder_of,
    holder_shown,
    owner_changes,
    taken_notice,
    transfer,
)
from bot.desk.summary import MESSAGE_LEFT, HandoffSummary
from bot.ops.catalogs import Catalogs
from bot.runtime import Runtime
from bot.store.conversation_store import (
    Change,
    ConversationRecord,
    ConversationStore,
    Owner,
    TranscriptEntry,
    note_lines,
    note_once,
)
from dialogs.vocabulary import Reply, TextReply, reply_as_plain_text, reply_to_dict

if TYPE_CHECKING:
    from slack_sdk.web.async_client import AsyncWebClient

_LOGGER: Final = logging.getLogger(__name__)
# The agents' app's signing secret, as the log names it (`config.DeskConfig`).
_DESK_SETTING: Final = "SLACK_AGENTS_SIGNING_SECRET (or SLACK_SIGNING_SECRET)"

ACTIONS_PATH: Final = "/slack/agents/actions"
EVENTS_PATH: Final = "/slack/agents/events"
API_TIMEOUT: Final = 10
SUBSCRIBER_SAYS: Final = "slack_desk.subscriber_says"
# Before each line of what an agent told the subscriber from elsewhere (the console, Chatwoot).
AGENT_SAYS: Final = "slack_desk.agent_says"
AGENT_SAYS_UNNAMED: Final = "slack_desk.agent_says_unnamed"
# A thread reply refused because the bot has the conversation or it ended, by the refusal's
# reason; any other (it kept changing) is said as either.
_ANY: Final = "slack_desk.not_yours"
_NOT_YOURS: Final = {"bot": "slack_desk.not_yours_bot", "closed": "slack_desk.not_yours_closed"}
# The transcript's note of a relayed message: the turn's tag and the post's ts after it.
RELAYED_NOTE: Final = "slack_desk relayed: "
# The transcript's note that a member was told her reply in an earlier handoff's thread goes
# on in the latest one's: that thread's ts and the latest's after it.
EARLIER_THREAD_NOTE: Final = "slack_desk earlier thread: "
# Bookkeeping: an agent's edit in a handoff's thread was said not to be sent (once per edit).
EDIT_NOTE: Final = "slack_desk edit not sent: "


class SlackDesk:
    """Posts one message per handoff to the agents' channel."""

    name = CHANNEL

    def __init__(
        self,
        client: AsyncWebClient,
        channel_id: str,
        catalogs: Catalogs,
        store: ConversationStore,
        redraw: Callable[[str, str], Awaitable[None]] | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        self._client = client
        # How a relay waits before posting again (`Runtime.pause`); None: asyncio's.
        self._sleep = sleep
        self._channel_id = channel_id
        self._catalogs = catalogs
        self._store = store
        # Draws the conversation's handoff messages that quote a withdrawn turn again.
        self._redraw = redraw

    def accepts(self, channel: str) -> bool:
        """Every channel: agents in Slack read the summary, wherever the subscriber is."""
        return True

    async def hand_off(self, summary: HandoffSummary) -> None:
        """Post the summary; any refusal or failure means the agents were not told."""
        import aiohttp
        from slack_sdk.errors import SlackApiError, SlackClientError

        if summary.retried and summary.notice:
            # A 5xx may follow a post Slack made: the channel is read back before a second.
            posted_ts = await self._posted(summary.notice)
            if posted_ts is not None:
                await self._note_thread(summary.key, posted_ts)
                return
        # The buttons carry the state they were drawn in: a press acts once per state.
        state = owner_changes(await self._store.transcript(summary.key))
        message = render_summary(summary, self._catalogs, state=state)
        payload = {"key": summary.key} | ({NOTICE_FIELD: summary.notice} if summary.notice else {})
        metadata = {"event_type": HANDOFF_EVENT, "event_payload": payload}
        try:
            posted = await self._client.chat_postMessage(
                channel=self._channel_id, metadata=metadata, **message
            )
        except SlackApiError as err:
            error = err.response.get("error") or f"HTTP {err.response.status_code}"
            raise DeskUnavailableError(f"Slack chat.postMessage refused: {error}") from err
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as err:
            raise DeskUnavailableError(f"Slack unreachable: {type(err).__name__}") from err
        ts = posted.get("ts")
        if isinstance(ts, str):
            await self._note_thread(summary.key, ts)

    async def _posted(self, notice: str) -> str | None:
        """The ts of the channel's message shown for `notice`, if Slack has one; else None.

        Read with the `channels:history` scope the thread replies need already. A read
        that fails says nothing: the message is posted (a second copy is better than none).
        """
        import aiohttp
        from slack_sdk.errors import SlackApiError, SlackClientError

        try:
            response = await self._client.conversations_history(
                channel=self._channel_id, include_all_metadata=True, limit=LOOKBACK_LIMIT
            )
        except (SlackApiError, SlackClientError, aiohttp.ClientError, TimeoutError) as err:
            _LOGGER.warning("Slack desk channel not read back for %s: %s", notice, err)
            return None
        for message in response.get("messages") or []:
            metadata = message.get("metadata") if isinstance(message, dict) else None
            payload = metadata.get("event_payload") if isinstance(metadata, dict) else None
            ts = message.get("ts") if isinstance(message, dict) else None
            if isinstance(payload, dict) and payload.get(NOTICE_FIELD) == notice:
                return ts if isinstance(ts, str) else None
        return None

    async def _note_thread(self, key: str, ts: str) -> None:
        await self._note(key, thread_line(self._channel_id, ts))

    async def _note(self, key: str, line: str, *, bookkeeping: bool = False) -> None:
        await note_lines(self._store, key, [line], bookkeeping=bookkeeping)

    async def relay(self, key: str, text: str, said: str = "") -> None:
        """Post what the subscriber wrote into the thread of the conversation's handoff.

        Every line carries 「お客様: 」, not the first alone: the bot's notes (relay_note)
        have none, and a second line typed as 「ログイン確認の結果: …成功」 read as one.
        The transcript notes where the words went (`said`, the post's ts), so that their
        withdrawal can take them back (`withdraw`).
        """
        posted = await self._post_in_thread(key, subscriber_lines(self._catalogs, text))
        if posted is not None and said:
            await self._note(key, f"{RELAYED_NOTE}{said} {posted}", bookkeeping=True)

    async def withdraw(self, key: str, said: str) -> None:
        """The subscriber withdrew the words of turn `said`: their post says so instead.

        Updated rather than deleted: the thread keeps its order, and the agents see that
        something was said and taken back, as the transcript's line does. The handoff
        message, which quotes the subscriber's latest lines (and a message left in full),
        is drawn again from the transcript, where the words are gone: said before the
        handoff, they were never relayed but are quoted there.
        """
        await self._withdraw_relayed(key, said)
        if self._redraw is not None:
            await self._redraw(key, said)

    async def _withdraw_relayed(self, key: str, said: str) -> None:
        import aiohttp
        from slack_sdk.errors import SlackApiError, SlackClientError

        noted = await self._store.latest_line(key, "system", f"{RELAYED_NOTE}{said} ")
        if noted is None:
            return  # never relayed here (written before the handoff, or to another desk)
        ts = noted.text.removeprefix(f"{RELAYED_NOTE}{said} ")
        withdrawn = say(self._catalogs, "slack_desk.subscriber_withdrew")
        (message, *_) = text_messages(subscriber_lines(self._catalogs, withdrawn))
        try:
            await self._client.chat_update(channel=self._channel_id, ts=ts, **message)
        except SlackApiError as err:
            error = err.response.get("error") or f"HTTP {err.response.status_code}"
            _LOGGER.warning("Slack withdrawal in %s refused: %s", key, error)
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as err:
            _LOGGER.warning("Slack withdrawal in %s failed: %s", key, type(err).__name__)

    async def relay_agent(self, key: str, text: str, agent: str) -> None:
        """Post what an agent told the subscriber from elsewhere into the handoff's thread.

        From the console, the agent API or Chatwoot: a member who looked here saw the
        subscriber's words alone. Never a member's own reply here (`AgentMessages.post`'s
        `origin`), which the thread shows already; posted as the bot, which the thread's
        events leave unread (no loop back to the subscriber).
        """
        await self._post_in_thread(key, agent_lines(self._catalogs, agent, text))

    async def relay_note(self, key: str, text: str) -> None:
        """Post the bot's `text` (a login check's result) into the handoff's thread.

        Without the subscriber's 「お客様: 」: what they type always carries it, so typed
        words cannot pass for the bot's.
        """
        await self._post_in_thread(key, text)

    async def _post_in_thread(self, key: str, words: str) -> str | None:
        """Post `words` in the handoff's thread; the post's ts, or None when not posted."""
        import aiohttp
        from slack_sdk.errors import SlackClientError

        # The latest note of the thread, found from the transcript's end in the store: a
        # conversation with an agent runs on long after its handoff noted it.
        noted = await self._store.latest_line(key, "system", thread_note_prefix(self._channel_id))
        thread = thread_of([noted] if noted is not None else [], self._channel_id)
        if thread is None:
            return None  # handed to the desk before threads were noted, or to another desk
        # LINE and Telegram take more than a section's 3,000 characters in one message: the
        # words go whole, in as many sections as they need (one message).
        (message, *_) = text_messages(words)
        try:
            # The subscriber's words as plain text: never a mention, a link or markup. Once,
            # through a 5xx too (read back, sent again only when not there): a relay dropped
            # at Slack's 500 left the agent in the thread waiting for words already written.
            return await post_once(
                self._client, self._channel_id, thread, message, sleep=self._sleep
            )
        except NotDeliveredError as err:
            _LOGGER.warning("Slack relay of %s not posted: %s", key, err)
            return None
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as err:
            _LOGGER.warning("Slack relay of %s failed: %s", key, type(err).__name__)
            return None


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
            config.bot_token, config.api_url, timeout=API_TIMEOUT, pause=runtime.pause
        )
        self.desk = SlackDesk(
            self.client,
            config.channel_id,
            runtime.catalogs,
            runtime.engine.store,
            self.redraw,
            sleep=runtime.pause,
        )
        self._messages = AgentMessages(
            runtime.engine, runtime.delivery, runtime.catalogs, runtime.tasks
        )
        # Told of a member left unnamed per message (`_pass_on`): whose name it is matters.
        self._names = MemberNames(self.client)

    def routes(self) -> Sequence[BaseRoute]:
        """The Interactivity and the Event Subscriptions Request URLs of the desk's app."""
        return [
            Route(ACTIONS_PATH, self.actions, methods=["POST"]),
            Route(EVENTS_PATH, self.events, methods=["POST"]),
        ]

    @property
    def body_limits(self) -> Mapping[str, int]:
        """An agent's thread reply can weigh more than the app's limit (`MAX_EVENT_BYTES`)."""
        return {EVENTS_PATH: MAX_EVENT_BYTES}

    async def start(self) -> None:
        """Check the desk app's token; offer the agents' channel as a desk for handoffs.

        A token Slack refuses stops start-up (ConfigError): the server started, and every
        handoff's notice then failed, each desk "not told" and each subscriber handed back.
        """
        await check_bot_token(self.client, self._config.token_variable)
        if self._runtime.handoffs is not None:
            self._runtime.handoffs.add(self.desk)
            self._runtime.handoffs.watch_owner(self.follow_owner)

    async def stop(self) -> None:
        """Nothing to close: the Slack client opens a session per call."""

    async def push(self, conversation_key: str, replies: Sequence[Reply]) -> None:
        """Nothing to send: no subscriber talks to the bot through the desk."""

    async def actions(self, request: Request) -> Response:
        """Verify, parse, act on the click in the store, answer; Slack is updated afterwards.

        The act is stored before Slack gets its 200: if the store is down, the server's
        503 makes the click fail visibly in Slack instead of being acknowledged and lost.
        """
        body = await self._life.verified(request, self._signed, setting=_DESK_SETTING)
        if isinstance(body, Response):
            return body
        action = self._life.parsed(body, lambda raw: parse_action(raw, self._config.channel_id))
        if isinstance(action, Response):
            return action
        if action is not None:
            # Named as Slack shows her and as her replies in the thread are (users.info), not
            # by the payload's user name, a handle the console then showed beside her
            # display name as if two agents had the conversation.
            # Quietly: unnamed by Slack, she keeps the payload's name (her replies say why).
            named = await self._names.names({action.user_id})
            if action.user_id in named:
                action = dataclasses.replace(action, user_name=named[action.user_id])
            followup = await self.act(action)
            if followup is not None:
                self._life.later(followup, name=action.event_id)
        # Anything else (another app's button, a modal) is acknowledged so Slack stops.
        return Response(status_code=200)

    async def events(self, request: Request) -> Response:
        """Verify; answer Slack's URL check; store an agent's thread reply, then answer.

        The reply is stored (once per Slack event id: Slack retries) before Slack gets its
        200, so a store outage gets 503 and Slack sends the event again.
        """
        body = await self._life.verified(request, self._signed, setting=_DESK_SETTING)
        if isinstance(body, Response):
            return body
        parsed = self._life.parsed(body, lambda raw: parse_thread_reply(raw, self.desk_channel))
        if isinstance(parsed, Response):
            return parsed
        if isinstance(parsed, str):
            return Response(parsed, media_type="text/plain")  # url_verification
        if isinstance(parsed, ThreadEdit):
            await self._edited(parsed)
        elif parsed is not None:
            await self._pass_on(parsed)
        return Response(status_code=200)

    async def _edited(self, edit: ThreadEdit) -> None:
        """An agent edited her reply in a handoff's thread: she is told the edit is not sent.

        The subscriber has the words as first written (or none, if they were refused): an
        agent who corrected a server name there took the correction for sent. Said once per
        edit (Slack's retry is not said again).
        """
        key = await self._conversation_of(edit.thread_ts)
        if key is None:
            return  # a thread that is not a handoff's
        store = self._runtime.engine.store
        if await note_once(store, key, edit.event_id, f"{EDIT_NOTE}{edit.slack_event_id}"):
            self._life.later(self._tell_edit_not_sent(edit), name=f"edit {edit.event_id}")

    async def _tell_edit_not_sent(self, edit: ThreadEdit) -> None:
        text = escape(self._runtime.catalogs.raw(DESK_LOCALE, "slack_desk.edit_not_sent"))
        await self._say_in_thread(edit.thread_ts, text, "of an edit not sent")

    async def _say_in_thread(self, thread_ts: str, text: str, what: str) -> None:
        """Post a notice for the agents in a handoff's thread; a refusal is only logged."""
        from slack_sdk.errors import SlackApiError

        try:
            await self.client.chat_postMessage(
                channel=self.desk_channel, thread_ts=thread_ts, text=text
            )
        except SlackApiError as err:
            _LOGGER.warning("Slack notice %s refused: %s", what, err.response.get("error"))

    def _linked_to_transcript(self, key: str, words: str) -> str:
        """`words` (escaped) and a link to the conversation in the agents' console."""
        url = f"{self._runtime.settings.base_url.rstrip('/')}/agent/#{key}"
        label = escape(self._runtime.catalogs.raw(DESK_LOCALE, "slack_desk.open_transcript"))
        return f"{words}\n<{escape(url)}|{label}>"

    @property
    def desk_channel(self) -> str:
        """The agents' channel id."""
        return self._config.channel_id

    async def _pass_on(self, reply: ThreadReply) -> None:
        key = await self._conversation_of(reply.thread_ts)
        if key is None:
            return  # a thread that is not a handoff's: agents talking among themselves
        if await self._messages.refused_before(key, reply.event_id):
            # Slack's retry of a reply refused already (X-Slack-Retry-Num, the same
            # event_id): its refusal was said in the thread once, and stands.
            return
        if reply.files:
            # Only words go from the thread to the subscriber: a screenshot or a pasted log
            # shared there was dropped without a word, and the agent took it for sent.
            if await self._messages.first_files_notice(key, reply.event_id):
                # Once: Slack's retry of the reply (its 200 late) is not said again.
                self._life.later(self._tell_files_not_sent(reply), name=f"files {reply.event_id}")
            if not reply.markup.strip():
                return
        # The agent's name and those of the members she mentions, asked for together and
        # each within its own time: one Slack is slow to describe leaves only that one unnamed.
        names = await self._names.names(
            {reply.user_id, *reply.mentioned}, functools.partial(_unnamed, reply.user_id)
        )
        agent = names.get(reply.user_id, reply.user_id)
        undelivered = functools.partial(self._say_undelivered, reply, key)
        # A reply in an earlier handoff's thread (the conversation handed over again since):
        # the subscriber's words and the colleagues' now go to the latest handoff's thread,
        # which showed neither her words nor why the handoff was taken. Shown there too, as
        # words from another desk are (`relay_agent`), and she is told where it goes on.
        latest = await self._latest_thread(key)
        earlier = latest is not None and latest != reply.thread_ts
        try:
            await self._messages.post(
                key,
                agent,
                reply.words(names),
                event_id=reply.event_id,
                if_undelivered=undelivered,
                # Taking it from the queue, she is named as her 「対応する」 names her: with her
                # member id, so that another member's reply is held against her.
                taker=slack_member(agent, reply.user_id),
                # Her line too, as where she acted: the holder her words name is matched by
                # her member id, so a display name changed since (or a namesake's) is no
                # other agent; her name is only shown.
                acting=slack_member(agent, reply.user_id),
                is_self=functools.partial(_is_member, reply.user_id, agent),
                origin=None if earlier else self.desk.name,
            )
        except MessageRefusedError as err:
            # Said once: a retry that came while this one was read is refused again.
            if await self._messages.first_refusal(key, reply.event_id):
                self._life.later(
                    self._tell_thread(reply, key, err), name=f"refused {reply.event_id}"
                )
            return
        if earlier and await note_once(
            self._runtime.engine.store,
            key,
            f"slack-earlier-thread:{key}:{reply.thread_ts}:{latest}",
            f"{EARLIER_THREAD_NOTE}{reply.thread_ts} {latest}",
        ):
            # Once per earlier thread and handoff: she may go on writing there.
            self._life.later(self._tell_moved_on(reply, key), name=f"moved {reply.event_id}")

    async def _latest_thread(self, key: str) -> str | None:
        """The thread of the latest handoff of `key` posted here, or None."""
        store = self._runtime.engine.store
        noted = await store.latest_line(key, "system", thread_note_prefix(self.desk_channel))
        return thread_of([noted] if noted is not None else [], self.desk_channel)

    async def _tell_moved_on(self, reply: ThreadReply, key: str) -> None:
        words = escape(self._runtime.catalogs.raw(DESK_LOCALE, "slack_desk.earlier_thread"))
        await self._say_in_thread(
            reply.thread_ts, self._linked_to_transcript(key, words), "in thread"
        )

    async def _say_undelivered(self, reply: ThreadReply, key: str, err: NotDeliveredError) -> None:
        """The reply did not reach the subscriber: said in its thread, where its agent reads.

        The console marks it with a button to send it again; an agent who works in Slack
        never saw that, and took the subscriber for silent.
        """
        said = "slack_desk.may_have_arrived" if err.may_have_arrived else "slack_desk.undelivered"
        if err.cause is not None:
            # Blocked, gone, or the month's allowance used up: sending again will not help.
            said = f"slack_desk.undelivered_{err.cause}"
        words = escape(self._runtime.catalogs.raw(DESK_LOCALE, said))
        await self._say_in_thread(
            reply.thread_ts, self._linked_to_transcript(key, words), "of an undelivered reply"
        )

    async def _tell_files_not_sent(self, reply: ThreadReply) -> None:
        text = escape(self._runtime.catalogs.raw(DESK_LOCALE, "slack_desk.files_not_sent"))
        await self._say_in_thread(reply.thread_ts, text, "of files not sent")

    async def _conversation_of(self, thread_ts: str) -> str | None:
        from slack_sdk.errors import SlackApiError

        try:
            found = await self.client.conversations_replies(
                channel=self.desk_channel, ts=thread_ts, limit=1, include_all_metadata=True
            )
        except SlackApiError as err:
            _LOGGER.warning("Slack conversations.replies refused: %s", err.response.get("error"))
            return None
        messages = found.get("messages") or []
        metadata = messages[0].get("metadata") if messages else None
        if not isinstance(metadata, dict) or metadata.get("event_type") != HANDOFF_EVENT:
            return None
        key = (metadata.get("event_payload") or {}).get("key")
        return key if isinstance(key, str) else None

    async def _tell_thread(
        self, reply: ThreadReply, key: str, refused: MessageRefusedError
    ) -> None:
        catalogs = self._runtime.catalogs
        text = escape(catalogs.raw(DESK_LOCALE, "slack_desk.gone"))
        if isinstance(refused, PasswordRefusedError):
            # No bot may delete a member's message (chat.delete takes a bot's own alone), and
            # the reply stays in the thread for the whole channel: she is asked to delete it.
            text = "\n\n".join(
                escape(catalogs.raw(DESK_LOCALE, f"slack_desk.{key}"))
                for key in ("password_refused", "password_left")
            )
        elif isinstance(refused, TooLongRefusedError):
            text = escape(catalogs.fill(DESK_LOCALE, "slack_desk.too_long", refused.values))
        elif refused.status == 409 and refused.agent is not None:
            words = escape(
                catalogs.fill(
                    DESK_LOCALE, "slack_desk.another_has", {"agent": holder_shown(refused.agent)}
                )
            )
            text = self._linked_to_transcript(key, words)
        elif refused.status == 409:
            # The message offers no button once the bot has it or it ended: the console can
            # take it again, so the notice links there. Which of the two, where the refusal
            # says (a closed one is taken again as a follow-up the subscriber is told of).
            words = escape(catalogs.raw(DESK_LOCALE, _NOT_YOURS.get(refused.reason or "", _ANY)))
            text = self._linked_to_transcript(key, words)
        await self._say_in_thread(reply.thread_ts, text, "in thread")

    def _signed(self, request: Request, body: bytes) -> bool:
        return signed_by_slack(self._verifier, body, request.headers)

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
            transcript = await engine.store.transcript(action.key)
            holder, _ = holder_of(record, transcript, left_messages=True)
            queued = holder is Holder.QUEUE
            return await self._take(action, queued=queued, record=record)
        if action.action_id == TRANSFER:
            return await self._transfer(action, record)
        if action.action_id == CLOSE:
            return await self._close(action, record)
        if record.owner is Owner.AGENT:
            other = await self._another_holder(action, record)
            if other is not None:
                return self._refuse(action, "slack_desk.give_back_another_has", other)
            # Onto the conversation as read: handed back (or taken over) in the console
            # meanwhile, it is not handed back again, which would greet the subscriber twice.
            outcome = await hand_back(
                engine,
                record.channel,
                record.conversation_id,
                HandbackFacts(agent=action.agent),
                event_id=action.event_id,
                only_as=record,
            )
            if outcome.duplicate:
                return None
            if outcome.record is None:
                return self._stale(action)
            return self._announce_back(action, record, outcome.replies)
        return await self._already_back(action)

    async def _close(
        self, action: DeskAction, record: ConversationRecord
    ) -> Coroutine[Any, Any, None] | None:
        """The member who has the conversation ends it, asking the subscriber 「解決しましたか？」.

        As the console's 「終了」 (`bot.desk.closing.close`), onto the conversation as read.
        An agent in Slack could only give it back, and the bot then greeted a subscriber whose
        question was answered and asked its next question. Pressed by another member than the
        one who has it, it ends nothing, and the thread says who has it.
        """
        if record.owner is not Owner.AGENT:
            return self._stale(action)
        other = await self._another_holder(action, record)
        if other is not None:
            return self._refuse(action, "slack_desk.close_another_has", other)
        engine = self._runtime.engine
        closed = await close(
            engine,
            self._runtime.delivery,
            action.key,
            action.agent,
            event_id=action.event_id,
            only_as=record,
        )
        if closed is None:
            now = await engine.store.load(action.key)
            # The second of a double click finds it closed by the first: nothing to show.
            return None if now is not None and now.owner is Owner.CLOSED else self._stale(action)
        status = say(self._runtime.catalogs, "slack_desk.closed_by", agent=action.mention)
        return self._update(action, status, ())

    async def _refuse(self, action: DeskAction, said: str, holder: str) -> None:
        """Say in the handoff's thread that the press did nothing while `holder` has it."""
        words = escape(self._runtime.catalogs.fill(DESK_LOCALE, said, {"agent": holder}))
        await self._say_in_thread(
            action.message_ts, self._linked_to_transcript(action.key, words), "in thread"
        )

    async def _transfer(
        self, action: DeskAction, record: ConversationRecord
    ) -> Coroutine[Any, Any, None] | None:
        """The member who has the conversation hands it to the colleague she picked.

        As the console's 「ほかの担当者に渡す」 (`bot.desk.ownership.transfer`): the colleague
        has it (named as 「対応する」 names a member, her name and member id), the subscriber
        is told who takes over, and the message shows it. Picked by another member than the
        one who has it, it hands nothing on, and the thread says who has it.
        """
        if record.owner is not Owner.AGENT:
            return self._stale(action)
        other = await self._another_holder(action, record)
        if other is not None:
            return self._refuse_transfer(action, other)
        if action.selected_user == action.user_id:
            return None  # picked herself: hers already
        engine = self._runtime.engine
        transcript = await engine.store.transcript(action.key)
        _, holder = holder_of(record, transcript)
        names = await self._names.names({action.selected_user, action.user_id})
        colleague = names.get(action.selected_user) or action.selected_user
        handed = await transfer(
            engine,
            self._runtime.delivery,
            action.key,
            holder or action.agent,
            slack_member(colleague, action.selected_user),
            # One per pick: the same member picked twice (a retry) hands it on once.
            event_id=f"{action.event_id}:{action.selected_user}",
            only_as=record,
            shown=colleague,
        )
        if handed is None:
            return self._stale(action)
        status = say(
            self._runtime.catalogs,
            "slack_desk.transferred",
            by=action.mention,
            agent=f"<@{action.selected_user}>",
        )
        return self._update(action, status, BUTTONS[Holder.AGENT])

    async def _refuse_transfer(self, action: DeskAction, holder: str) -> None:
        """Say in the handoff's thread that the pick handed nothing on, and why."""
        from slack_sdk.errors import SlackApiError

        words = self._runtime.catalogs.fill(
            DESK_LOCALE, "slack_desk.transfer_another_has", {"agent": holder}
        )
        try:
            await self.client.chat_postMessage(
                channel=self.desk_channel, thread_ts=action.message_ts, text=escape(words)
            )
        except SlackApiError as err:
            _LOGGER.warning("Slack notice in thread refused: %s", err.response.get("error"))

    async def _another_holder(self, action: DeskAction, record: ConversationRecord) -> str | None:
        """The name of the agent other than the presser who has `record`, if one has it.

        The console refuses to hand back another agent's conversation (409): pressed here,
        「ボットに戻す」 greeted the subscriber with the bot's questions in the middle of a
        console agent's answers, or of another member's. The queue's (nobody took it yet) and
        an unnamed agent's (a bare token's, told apart from nobody) are handed back as before.
        A member is named by her 「対応する」 (`name (Slack U…)`) or by her replies (her
        display name, asked of Slack as her replies are). Every desk's rule
        (`held_by_another`), this one owning to the presser alone.
        """
        transcript = await self._runtime.engine.store.transcript(action.key)
        # As her press named her (kept for an hour since): no call to Slack, mostly.
        names = await self._names.names({action.user_id})
        # Her member id too: her reply is named by it when Slack was slow to describe her.
        own = (names.get(action.user_id), action.user_name, action.user_id)

        def is_presser(who: str) -> bool:
            member = slack_member_id(who)
            return member == action.user_id if member is not None else who in own

        # Her words name her by her member id too (`acting`): renamed since, still hers.
        acting = holder_acting(transcript)
        other = held_by_another(record, transcript, lambda who: is_presser(acting or who))
        return holder_shown(other) if other is not None else None

    async def _take(
        self, action: DeskAction, *, queued: bool, record: ConversationRecord
    ) -> Coroutine[Any, Any, None] | None:
        """Owner → the pressing agent, only while the conversation waits in the queue.

        In the queue is a handoff nobody took yet (a person's) or a message left for the
        desk while the bot answers (the bot's): taking that silences the bot.

        Whether someone took it is read before (from the transcript), so the take is written
        only onto the record as read then: a take-over, hand-back or close elsewhere in
        between wins, and the press is stale (the subscriber writing in between makes it
        stale too: the message then says who has it, and 「対応する」 is pressed again).
        """
        owner = record.owner
        engine = self._runtime.engine
        now = engine.now()
        line = TranscriptEntry(now, "system", f"{TAKEN_BY}{action.agent}")

        told: list[TextReply] = []
        # Named to the subscriber as her words in the thread will name her (her Slack name).
        named = (
            (await self._names.names({action.user_id})).get(action.user_id, action.user_name)
            if owner is Owner.BOT
            else action.user_name
        )

        def take(stored: ConversationRecord | None) -> Change[bool] | None:
            if stored is None:
                return None
            if not queued or stored != record:
                # Stale: record the click, change nothing, so a double click reports once.
                return Change(stored, (), False)
            taken = dataclasses.replace(stored, owner=Owner.AGENT, updated_at=now)
            if stored.owner is not Owner.BOT:
                return Change(taken, [line], True)  # a handoff: they were told a person comes
            # A message left while the bot answers: the bot falls silent, so the subscriber
            # is told who has them (the name their messages will show), before the take line.
            told[:] = [taken_notice(engine, stored.dialog.locale, named)]
            said = TranscriptEntry(now, "bot", reply_as_plain_text(told[0]), reply_to_dict(told[0]))
            return Change(taken, [said, line], True)

        change = await engine.store.transact(action.key, action.event_id, take)
        if change is None:
            return None  # this click was acted on already (or the conversation vanished)
        if not change.result:
            return self._stale(action)
        announce(engine, OwnerChange(action.key, owner, Owner.AGENT, action.event_id))
        if told:
            stored = change.record
            self._runtime.delivery.push_soon(
                stored.channel, stored.conversation_id, told, name=action.event_id
            )
        status = say(self._runtime.catalogs, "slack_desk.taken", agent=action.mention)
        return self._update(action, status, BUTTONS[Holder.AGENT])

    async def _stale(self, action: DeskAction) -> None:
        """A press the message no longer offers: show who has the conversation now."""
        store = self._runtime.engine.store
        record = await store.load(action.key)
        catalogs = self._runtime.catalogs
        if record is None:
            await self._update(action, escape(catalogs.raw(DESK_LOCALE, "slack_desk.gone")), ())
            return
        transcript = await store.transcript(action.key)
        holder, agent = _holder_named(record, transcript)
        left = record.owner is Owner.BOT
        back = given_back(transcript)
        status, buttons = holder_status(holder, agent, catalogs, message_left=left, back=back)
        await self._update(action, status, buttons)

    async def follow_owner(self, change: OwnerChange) -> None:
        """Re-render the latest handoff's message after its conversation changed hands.

        So too the earlier posts of messages left that still offer 「対応する」 (a subscriber
        who left two messages has two posts). A press of this desk's own buttons updates
        its message itself, naming who pressed: only the others are drawn here.
        """
        await self._draw(change.key, pressed=_pressed_message(change.event_id))

    async def redraw(self, key: str, said: str) -> None:
        """Draw the handoff's message (and earlier messages left) again, in the same hands.

        After the words of turn `said` were withdrawn: each message posted after them is
        summed up anew from the transcript. One posted before them never quoted them (they
        were relayed into its thread), and is left as it is.
        """
        await self._draw(key, pressed=None, withdrawn=said)

    async def _draw(self, key: str, *, pressed: str | None, withdrawn: str | None = None) -> None:
        store, handoffs = self._runtime.engine.store, self._runtime.handoffs
        record = await store.load(key)
        if record is None or handoffs is None:
            return
        transcript = await store.transcript(key)
        message = latest_handoff(transcript, self.desk_channel)
        if message is None:
            return  # never posted here (another desk, or Slack refused it)
        earlier = unfollowed_messages_left(transcript, self.desk_channel)
        holder, agent = _holder_named(record, transcript)
        catalogs = self._runtime.catalogs
        left = record.owner is Owner.BOT
        status = holder_status(
            holder, agent, catalogs, message_left=left, back=given_back(transcript)
        )
        state = owner_changes(transcript)
        # The first line of the withdrawn turn: a message posted before it never quoted it.
        said_at = min(
            (x.seq for x in transcript if x.author == "subscriber" and x.event == withdrawn),
            default=0,
        )
        for post in (*earlier, message):
            if post.ts == pressed or said_at > post.seq:
                continue
            # Each message sums up the lines said before it was posted, the latest too: the
            # words said since are in its thread (and a withdrawal of them leaves it alone).
            summary = await handoffs.summary(record, post.reason, until_seq=post.seq)
            shown = status
            if holder is Holder.BOT and post.reason == MESSAGE_LEFT:
                # The bot had the chat before the message was taken: nothing came "back".
                shown = (escape(catalogs.raw(DESK_LOCALE, "slack_desk.message_dealt_with")), ())
            rendered = render_summary(summary, catalogs, shown, state=state)
            await self._send_update(self.desk_channel, post.ts, rendered, key)

    async def _announce_back(
        self, action: DeskAction, record: ConversationRecord, replies: Sequence[Reply]
    ) -> None:
        # The greeting first: the message then says what the subscriber has already seen.
        await self._runtime.delivery.push(record.channel, record.conversation_id, replies)
        status = say(self._runtime.catalogs, "slack_desk.given_back", agent=action.mention)
        await self._update(action, status, ())

    async def _already_back(self, action: DeskAction) -> Coroutine[Any, Any, None] | None:
        # Claim the click like an act, so the second of a double click (which finds the bot
        # already in charge, from the first) leaves the first's status line alone.
        def unchanged(stored: ConversationRecord | None) -> Change[None] | None:
            return None if stored is None else Change(stored, (), None)

        claimed = await self._runtime.engine.store.transact(action.key, action.event_id, unchanged)
        if claimed is None:
            return None
        return self._stale(action)

    async def _update(self, action: DeskAction, status: str, buttons: Sequence[str]) -> None:
        transcript = await self._runtime.engine.store.transcript(action.key)
        state = owner_changes(transcript)
        message = updated_message(action, status, self._runtime.catalogs, buttons, state=state)
        await self._send_update(action.channel, action.message_ts, message, action.event_id)

    async def _send_update(self, channel: str, ts: str, message: SlackMessage, about: str) -> None:
        import aiohttp
        from slack_sdk.errors import SlackApiError, SlackClientError

        try:
            await self.client.chat_update(channel=channel, ts=ts, **message)
        except SlackApiError as err:
            # The act itself is stored; the message only lags behind, and the console is right.
            error = err.response.get("error") or f"HTTP {err.response.status_code}"
            _LOGGER.warning("Slack chat.update for %s refused: %s", about, error)
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as err:
            _LOGGER.warning("Slack chat.update for %s failed: %s", about, type(err).__name__)


def subscriber_lines(catalogs: Catalogs, text: str) -> str:
    """`text` with 「お客様: 」 before each line it shows as, in the thread and in notifications.

    Lines as Slack breaks them (CR, LF, U+2028 …: `str.splitlines`), each first cut to fit
    a section with its prefix, so that no section begins in the middle of a line either.
    """
    return _each_line(catalogs, SUBSCRIBER_SAYS, text)


def agent_lines(catalogs: Catalogs, agent: str, text: str) -> str:
    """`text` with 「担当者（鈴木）: 」 before each line, as `subscriber_lines` marks theirs.

    Every line: an agent's second line typed as 「お客様: はい」 read as the subscriber's.
    """
    if agent:
        return _each_line(catalogs, AGENT_SAYS, text, agent=agent)
    return _each_line(catalogs, AGENT_SAYS_UNNAMED, text)


def _each_line(catalogs: Catalogs, key: str, text: str, **params: object) -> str:
    room = MAX_SECTION_TEXT - len(say(catalogs, key, **params, text=""))
    return "\n".join(
        say(catalogs, key, **params, text=piece)
        for line in text.splitlines() or [""]
        for piece in split_text(line, room)
    )


def _pressed_message(event_id: str | None) -> str | None:
    """The ts of the desk message whose button made a change (DeskAction.event_id), or None.

    Any other change (the console, the agent API, Chatwoot, a hand-back) pressed none.
    """
    if event_id is None or not event_id.startswith(f"{CHANNEL}:"):
        return None
    parts = event_id.split(":")
    return parts[2] if len(parts) > 2 else None


def _is_member(user_id: str, name: str, who: str) -> bool:
    """Whether the holder `who` is the member `user_id` (`name`: as her replies name her).

    A reply in the thread is held to every desk's rule (`held_by_another`): a conversation
    another member took (her 「対応する」 names her with her member id), a console or
    Chatwoot agent has, or was taken over from her, is refused as the console refuses its
    agents (409). Before, another desk's agent's conversation took her words beside theirs.
    """
    member = slack_member_id(who)
    # By her member id too: a reply Slack was slow to describe is named by it.
    return member == user_id if member is not None else who in (name, user_id)


def _holder_named(
    record: ConversationRecord, transcript: Sequence[TranscriptEntry]
) -> tuple[Holder, str]:
    """Who has the conversation as the handoff message names them (`holder_status`).

    A member who has it by her replies is named as where she acted (`holder_acting`:
    her member id), so shown by her mention as after her 「対応する」: her words' display
    name is the one Slack showed then, and read her old name after she renamed herself.
    """
    holder, agent = holder_of(record, transcript, left_messages=True)
    if holder is Holder.AGENT:
        agent = holder_acting(transcript) or agent
    return holder, agent


def _unnamed(writer: str, user_id: str, why: str, refused: bool) -> None:
    """Say why the subscriber reads no name where one should be, and whose.

    The agent who wrote is named by her member id; a member she mentions reads as
    @someone (adapters.slack.events.SOMEONE). Both were worded as the agent's.
    """
    if user_id == writer:
        what = "the agent is named by the member id"
    else:
        what = f"a member mentioned in an agent's words ({writer}) reaches the subscriber"
        what += " without a name"
    if refused:
        # Most often `missing_scope`: an app installed without users:read.
        _LOGGER.warning(
            "Slack users.info refused for %s: %s; %s (the app needs the users:read scope)",
            user_id,
            why,
            what,
        )
    else:
        _LOGGER.warning("Slack users.info for %s failed: %s; %s this time", user_id, why, what)


def create_channel(runtime: Runtime) -> SlackDeskChannel | None:
    """Entry point of the `slack_desk` channel: on when its variables are set."""
    config = SlackDeskConfig.from_environ(runtime.environ)
    if config is None:
        _LOGGER.info("Slack agents' desk off: set %s to switch it on", ", ".join(DESK_VARIABLES))
        return None
    return SlackDeskChannel(runtime, config)
