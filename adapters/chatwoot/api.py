"""Chatwoot's REST API, the calls the bot makes: messages, statuses, contacts, conversations.

Contacts and conversations are created only for a mirrored conversation (another
channel's handoff). Every call carries the agent bot's `api_access_token`, but for the two an
agent bot may not make (see `ChatwootApi`). Chatwoot has no
idempotency key, so a call is made again only when it cannot have been stored: after a
429 (once its Retry-After has passed), a 502, 503 or 504 (the proxy in front of Chatwoot
answering for a Rails app it could not reach), or a connection never made. A 500 is not:
Rails answers 500 as often after `save!` (a callback failing) as before it. Neither is a
connection broken after the request went out.

A message is posted once all the same: it carries a `source_id` of ours (MessageBuilder
stores `params[:source_id]` on the message), and after an answer that may follow a save the
conversation is read back and the message posted again only when Chatwoot does not have it
(`post_message`). An agent bot may not list a conversation's messages (AccessTokenAuthHelper's
BOT_ACCESSIBLE_ENDPOINTS allow it messages#create alone), but it may update a conversation,
and ConversationsController#update (which permits `priority` alone, so an empty body changes
nothing) answers with the conversation partial: its latest message and its latest message that
is not an activity, each with its `source_id`. A Chatwoot that refuses the read (older ones
allow no update) leaves the message unknown: it is not posted a second time.

A mirror's contact is created once the same way, by a `source_id` of ours (`create_contact`),
which Chatwoot looks up before it makes one: so that create is made again after any failure.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final, TypeVar

import httpx

from adapters.chatwoot.config import ChatwootConfig
from adapters.chatwoot.render import ChatwootMessage
from bot.channels.answer_first import retry_after_seconds, send_once
from bot.engine import Clock, system_clock
from bot.ops import metrics
from bot.ops.tls import client_tls
from bot.runtime import Pause

_LOGGER: Final = logging.getLogger(__name__)

API_TIMEOUT: Final = 10.0
RATE_LIMIT_RETRIES: Final = 3
# The first pause before a call is made again, doubling (1, 2, 4 s) unless Chatwoot says.
RETRY_WAIT: Final = 1.0
MAX_RETRY_AFTER: Final = 10.0
# The start-up check of the token: a Chatwoot that does not answer soon is only warned of.
TOKEN_CHECK_TIMEOUT: Final = 5.0
PROFILE_PATH: Final = "/api/v1/profile"
# A message whose post may have been stored (a 500, a connection broken): this many posts in
# all, each after reading the conversation back (`_posted`), the pause doubling from
# POST_WAIT.
POST_ATTEMPTS: Final = 4
POST_WAIT: Final = 1.0
# The start of the `source_id` a message is posted with (one per message), and a mirror's
# contact created with (one per contact): ours.
SOURCE_PREFIX: Final = "mailmove:"


_Made = TypeVar("_Made")

# Answers of a proxy in front of a Chatwoot it could not reach or that refused the work.
_NOT_PROCESSED: Final = frozenset({429, 502, 503, 504})
# httpx's errors for a request that never left.
_NEVER_SENT: Final = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class ChatwootApiError(RuntimeError):
    """Chatwoot refused a call or could not be reached.

    `may_have_arrived` when Chatwoot may have stored it all the same (a 5xx other than
    502-504, a connection broken after the request went out).
    """

    def __init__(self, message: str, *, may_have_arrived: bool = False) -> None:
        super().__init__(message)
        self.may_have_arrived = may_have_arrived


class ChatwootTokenRefusedError(ChatwootApiError):
    """Chatwoot knows no such access token (401 "Invalid Access Token"): a setting to fix."""


class NotChatwootError(ChatwootApiError):
    """A 2xx to the profile that is no Chatwoot answer (HTML, `{}`): CHATWOOT_URL to fix."""


class ChatwootApi:
    """The calls the bot makes: with the agent bot's access token, but for two.

    An agent bot's token is refused (401) outside AccessTokenAuthHelper's
    BOT_ACCESSIBLE_ENDPOINTS: messages#create, and conversations#create, #update,
    #toggle_status, #toggle_priority, #custom_attributes (and assignments#create). So a
    mirror's contact is created through the desk inbox's public Client API, which takes no
    token, and a message is deleted only with a user's token (`deletes`).
    """

    def __init__(
        self,
        config: ChatwootConfig,
        client: httpx.AsyncClient | None = None,
        *,
        pause: Pause = asyncio.sleep,
        now: Clock = system_clock,
    ) -> None:
        # How a call waits before it is made again (`Runtime.pause`): a test records the wait.
        self._pause = pause
        # A Retry-After given as a date is measured from this clock when the answer has no Date.
        self._now = now
        self._account = f"/api/v1/accounts/{config.account_id}"
        self._base = f"{self._account}/conversations"
        # The desk inbox's public Client API: no token, the inbox's identifier in the path.
        self._public = f"/public/api/v1/inboxes/{config.desk_inbox_identifier}"
        self._bot = {"api_access_token": config.api_token}
        # A user's token, for deleting messages alone (no bot may); empty when not set.
        self._user = (
            {"api_access_token": config.desk_user_token} if config.desk_user_token else None
        )
        self._client = client or httpx.AsyncClient(
            base_url=config.url, timeout=API_TIMEOUT, verify=client_tls()
        )

    def _retry_after(self, err: BaseException) -> float | None:
        response = err.response if isinstance(err, httpx.HTTPStatusError) else None
        if response is None or response.status_code != 429:
            return None  # a 5xx or no answer: send_once's doubling pause
        # None (no Retry-After, or one unreadable) is the doubling pause from RETRY_WAIT too.
        return retry_after_seconds(response.headers, self._now())

    @property
    def deletes(self) -> bool:
        """Whether messages can be deleted: only with a user's token (CHATWOOT_DESK_USER_TOKEN)."""
        return self._user is not None

    async def post_message(self, conversation_id: str, message: ChatwootMessage) -> str | None:
        """Add a message (or a private note) to a conversation; its id, if Chatwoot gave one.

        Once, through a 500 or a broken connection too: the message carries its own
        `source_id`, and before it is posted again the conversation is read back for it (a
        relay dropped at Chatwoot's first 500 left the agents without the subscriber's
        words). ChatwootApiError once POST_ATTEMPTS did not post it, or when whether it is
        there cannot be read (logged and counted, without its words).
        """
        path = f"{self._base}/{conversation_id}/messages"
        marker = f"{SOURCE_PREFIX}{uuid.uuid4().hex}"
        body = {**message, "source_id": marker}

        async def post() -> str | None:
            message_id = (await self._post(path, body)).get("id")
            return str(message_id) if message_id is not None else None

        try:
            return await _made_once(
                post, lambda: self._posted(conversation_id, marker), self._pause
            )
        except ChatwootApiError as err:
            _LOGGER.error(
                "Chatwoot message to conversation %s not posted: %s", conversation_id, err
            )
            # Where agents read the conversation, this message is missing.
            metrics.desk_not_told("chatwoot", "message")
            raise

    async def _posted(self, conversation_id: str, marker: str) -> str | None:
        """The id of the message posted with `source_id` `marker`, if it is the latest; else None.

        Read right after the post that failed, before anything else is posted for the
        conversation (relays go in order), so ours is the latest message if Chatwoot has it;
        an agent's reply landing between them makes it the latest non-activity one at most
        (else it is posted again: a copy too many rather than none).
        """
        # An empty update: `priority` is all it permits, so nothing changes (see the module).
        answer = await self._send("PATCH", f"{self._base}/{conversation_id}", {}, idempotent=True)
        latest = answer.get("messages")
        shown = [
            *(latest if isinstance(latest, list) else ()),
            answer.get("last_non_activity_message"),
        ]
        for message in shown:
            if isinstance(message, Mapping) and message.get("source_id") == marker:
                found = message.get("id")
                return str(found) if found is not None else None
        return None

    async def delete_message(self, conversation_id: str, message_id: str) -> None:
        """Delete a message: Chatwoot keeps its place, its content says it was deleted.

        (MessagesController#destroy: content 「This message was deleted」, its attachments
        gone, `content_attributes.deleted` true.) Idempotent, so any failure is retried.
        """
        if self._user is None:
            raise ChatwootApiError("no user token to delete messages with (no bot may)")
        path = f"{self._base}/{conversation_id}/messages/{message_id}"
        await self._send("DELETE", path, None, idempotent=True, headers=self._user)

    async def create_contact(self, name: str) -> tuple[str, str]:
        """A contact in the desk inbox: its id and the source id of its place in that inbox.

        Through the inbox's public Client API (`POST /public/api/v1/inboxes/{identifier}/
        contacts`, an API channel's): ContactInboxWithContactBuilder makes the contact and
        its contact_inbox, and answers the source id and the contact's id. No `identifier`:
        anyone who knows the inbox's identifier may create contacts through it, and one made
        first with our key as its identifier would be the one ours is found as.

        Made again after a 429, a 5xx or no answer, and once all the same: the create carries
        a `source_id` of ours, fresh for each contact and random (no one can make its place
        first), and the builder answers the place an inbox has under that source id before
        making one. A create dropped at Chatwoot's first 500 left the handoff unmirrored.
        """
        body = {"name": name, "source_id": f"{SOURCE_PREFIX}{uuid.uuid4().hex}"}
        answer = await self._post(f"{self._public}/contacts", body, idempotent=True, headers={})
        contact_id, source_id = answer.get("id"), answer.get("source_id")
        if contact_id is None or not source_id:
            raise ChatwootApiError("Chatwoot created a contact without its id or source id")
        return str(contact_id), str(source_id)

    async def create_conversation(
        self, inbox_id: str, contact_id: str, source_id: str, attributes: Mapping[str, str]
    ) -> str:
        """An open conversation for the contact, carrying `attributes`; its id.

        Once, through a 500 or a broken connection too, as `post_message`: the contact is
        fresh for each mirror (`create_contact`), so a conversation its place in the inbox
        has is the one a create that failed made; only when it has none is the create made
        again. A create dropped at Chatwoot's first 500 left the handoff unmirrored.
        """
        body = {
            "inbox_id": int(inbox_id),
            "contact_id": int(contact_id),
            "source_id": source_id,
            "status": "open",
            "custom_attributes": dict(attributes),
        }

        async def create() -> str:
            conversation_id = (await self._post(self._base, body)).get("id")
            if conversation_id is None:
                raise ChatwootApiError("Chatwoot created a conversation without its id")
            return str(conversation_id)

        return await _made_once(create, lambda: self._conversation_of(source_id), self._pause)

    async def _conversation_of(self, source_id: str) -> str | None:
        """The id of the conversation of the desk inbox's contact `source_id`, if it has one.

        Through the public Client API (an agent bot may list nothing): its conversation
        partial's `id` is the display id, as the create's answer.
        """
        path = f"{self._public}/contacts/{source_id}/conversations"
        try:
            response = await self._client.get(path)
            response.raise_for_status()
            answer = response.json()
        except (httpx.HTTPError, ValueError) as err:
            raise ChatwootApiError(
                f"Chatwoot's conversations not read: {type(err).__name__}"
            ) from err
        ids = (
            [c.get("id") for c in answer if isinstance(c, Mapping)]
            if isinstance(answer, list)
            else []
        )
        found = [str(i) for i in ids if i is not None]
        return found[-1] if found else None

    async def toggle_status(self, conversation_id: str, status: str) -> None:
        """Set a conversation's status: `open` hands it to agents, `pending` to the bot."""
        # Idempotent: setting a status twice is setting it once, so any failure is retried.
        path = f"{self._base}/{conversation_id}/toggle_status"
        await self._post(path, {"status": status}, idempotent=True)

    async def unassign(self, conversation_id: str) -> None:
        """Take a conversation off its assignee's list (`assignee_id` null: nobody's).

        assignments#create, which an agent bot's token may call (BOT_ACCESSIBLE_ENDPOINTS);
        Chatwoot answers `null` once nobody is assigned. Idempotent, as toggle_status.
        """
        path = f"{self._base}/{conversation_id}/assignments"
        await self._post(path, {"assignee_id": None}, idempotent=True)

    async def desk_inbox_refusal(self) -> str | None:
        """Why the desk inbox's public Client API will create no contact, or None.

        The inbox behind CHATWOOT_DESK_INBOX_IDENTIFIER (`GET /public/api/v1/inboxes/
        {identifier}`): unknown to Chatwoot (a JSON 404, RecordNotFound), or enforcing
        identity validation (`identity_validation_enabled`: every contact then needs an HMAC
        of its identifier, which the bot does not send). ChatwootApiError when Chatwoot could
        not say (unreachable, another answer: a Chatwoot without the route answers HTML).
        """
        try:
            response = await self._client.get(self._public, timeout=TOKEN_CHECK_TIMEOUT)
        except httpx.HTTPError as err:
            raise ChatwootApiError(f"Chatwoot unreachable: {type(err).__name__}") from err
        try:
            answer = response.json()
        except ValueError:
            answer = None
        body = answer if isinstance(answer, Mapping) else {}
        if response.status_code == 404 and "error" in body:
            return "Chatwoot knows no API inbox of that identifier"
        if response.status_code == 200 and "identity_validation_enabled" in body:
            if body["identity_validation_enabled"] is True:
                return (
                    "that inbox enforces user identity validation (HMAC), so no contact can "
                    "be created without one: turn it off (the inbox's Configuration)"
                )
            return None
        raise ChatwootApiError(f"Chatwoot answered {response.status_code} to the inbox's API")

    async def token_user(self, *, desk_user: bool = False) -> str | None:
        """The user whose access token the bot holds; None for an agent bot's token.

        Chatwoot's profile endpoint answers a user's token with the user and refuses an
        agent bot's (401, "not authorized for bots": no bot may use it). ChatwootApiError
        when Chatwoot could not say (unreachable, or the token unknown to it). `desk_user`:
        of CHATWOOT_DESK_USER_TOKEN rather than CHATWOOT_API_TOKEN.
        """
        headers = self._user if desk_user and self._user is not None else self._bot
        try:
            response = await self._client.get(
                PROFILE_PATH, headers=headers, timeout=TOKEN_CHECK_TIMEOUT
            )
        except httpx.HTTPError as err:
            raise ChatwootApiError(f"Chatwoot unreachable: {type(err).__name__}") from err
        try:
            answer = response.json()
        except ValueError:
            answer = None
        body = answer if isinstance(answer, Mapping) else {}
        if response.status_code == 200 and "email" in body:
            return str(body.get("name") or body.get("email"))
        if response.status_code == 401 and "bots" in str(body.get("error", "")):
            return None
        if response.status_code == 401 and body.get("error") == "Invalid Access Token":
            # AccessTokenAuthHelper#authenticate_access_token!: no token of that value.
            raise ChatwootTokenRefusedError("Chatwoot answered 401, Invalid Access Token")
        if response.is_success:
            # Chatwoot's profile always names its email; a wrong CHATWOOT_URL or a proxy's
            # page answered, and was warned as if Chatwoot could not say.
            kind = response.headers.get("content-type", "no type").partition(";")[0]
            raise NotChatwootError(
                f"{response.request.url.copy_with(userinfo=b'', query=None)} answered"
                f" {response.status_code} ({kind}) with no Chatwoot profile"
            )
        raise ChatwootApiError(f"Chatwoot answered {response.status_code} to {PROFILE_PATH}")

    async def close(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def _post(
        self,
        path: str,
        body: Mapping[str, Any],
        *,
        idempotent: bool = False,
        headers: Mapping[str, str] | None = None,
    ) -> Mapping[str, Any]:
        return await self._send("POST", path, body, idempotent=idempotent, headers=headers)

    async def _send(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None,
        *,
        idempotent: bool,
        headers: Mapping[str, str] | None = None,
    ) -> Mapping[str, Any]:
        """`headers` None: the agent bot's token; `{}` (the public API): none."""
        sent = self._bot if headers is None else headers

        async def attempt() -> Mapping[str, Any]:
            response = await self._client.request(method, path, json=body, headers=sent)
            response.raise_for_status()
            try:
                answer = response.json() if response.content else {}
            except ValueError:  # a 2xx without JSON: nothing more to read from it
                return {}
            return answer if isinstance(answer, Mapping) else {}

        try:
            return await send_once(
                attempt,
                resend=_transient if idempotent else _not_stored,
                retry_after=self._retry_after,
                retries=RATE_LIMIT_RETRIES,
                wait=RETRY_WAIT,
                max_wait=MAX_RETRY_AFTER,
                sleep=self._pause,
            )
        except httpx.HTTPStatusError as err:
            status = err.response.status_code
            raise ChatwootApiError(
                f"Chatwoot answered {status} to {path}",
                may_have_arrived=status >= 500 and status not in _NOT_PROCESSED,
            ) from err
        except httpx.HTTPError as err:
            raise ChatwootApiError(
                f"Chatwoot unreachable: {type(err).__name__}",
                may_have_arrived=not isinstance(err, _NEVER_SENT),
            ) from err


async def _made_once(
    make: Callable[[], Awaitable[_Made]],
    find: Callable[[], Awaitable[_Made | None]],
    pause: Pause,
) -> _Made:
    """What `make` makes, made once through a 500 or a broken connection too.

    Chatwoot has no idempotency key, and Rails answers 500 as often after `save!` as before
    it: after an answer that may follow a save, `find` reads back what the call carried
    (None: not there), and only then is it made again; up to POST_ATTEMPTS, pausing
    POST_WAIT, doubled each time (`pause`). ChatwootApiError when it was not made or whether it was
    cannot be read (`may_have_arrived` then).
    """
    unsure = False  # the last call may have been stored
    last = ChatwootApiError("Chatwoot was not called")
    for attempt in range(POST_ATTEMPTS):
        if attempt:
            await pause(POST_WAIT * 2 ** (attempt - 1))
        if unsure:
            try:
                found = await find()
            except ChatwootApiError as err:
                last = err  # not known whether it is there: not made a second time yet
                continue
            if found is not None:
                return found
        try:
            return await make()
        except ChatwootApiError as err:
            last = err
            if not err.may_have_arrived:
                break
            unsure = True
    if unsure and not last.may_have_arrived:
        raise ChatwootApiError(str(last), may_have_arrived=True) from last
    raise last


def _not_stored(err: BaseException) -> bool:
    """Chatwoot cannot have stored the call: making it again cannot make a second copy."""
    if isinstance(err, httpx.HTTPStatusError):
        return err.response.status_code in _NOT_PROCESSED
    return isinstance(err, _NEVER_SENT)


def _transient(err: BaseException) -> bool:
    """Chatwoot may answer differently next time: a 429, a 5xx, or no answer at all."""
    if isinstance(err, httpx.HTTPStatusError):
        return err.response.status_code == 429 or err.response.status_code >= 500
    return isinstance(err, httpx.HTTPError)
