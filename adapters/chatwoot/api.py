"""Chatwoot's REST API, the calls the bot makes: messages, statuses, contacts, conversations.

Contacts and conversations are created only for a mirrored conversation (another
channel's handoff). Every call carries the agent bot's `api_access_token`. Chatwoot has no
idempotency key, so a call is made again only when it cannot have been stored: after a
429 (once its Retry-After has passed), a 502, 503 or 504 (the proxy in front of Chatwoot
answering for a Rails app it could not reach), or a connection never made. A 500 is not:
Rails answers 500 as often after `save!` (a callback failing) as before it. Neither is a
connection broken after the request went out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import httpx

from adapters.chatwoot.config import ChatwootConfig
from adapters.chatwoot.render import ChatwootMessage
from bot.channels.answer_first import send_once

API_TIMEOUT: Final = 10.0
RATE_LIMIT_RETRIES: Final = 3
# The first pause before a call is made again, doubling (1, 2, 4 s) unless Chatwoot says.
RETRY_WAIT: Final = 1.0
MAX_RETRY_AFTER: Final = 10.0
# The start-up check of the token: a Chatwoot that does not answer soon is only warned of.
TOKEN_CHECK_TIMEOUT: Final = 5.0
PROFILE_PATH: Final = "/api/v1/profile"


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


class ChatwootApi:
    """The two calls the bot makes, with the agent bot's access token."""

    def __init__(self, config: ChatwootConfig, client: httpx.AsyncClient | None = None) -> None:
        self._account = f"/api/v1/accounts/{config.account_id}"
        self._base = f"{self._account}/conversations"
        self._client = client or httpx.AsyncClient(
            base_url=config.url,
            headers={"api_access_token": config.api_token},
            timeout=API_TIMEOUT,
        )

    async def post_message(self, conversation_id: str, message: ChatwootMessage) -> str | None:
        """Add a message (or a private note) to a conversation; its id, if Chatwoot gave one."""
        answer = await self._post(f"{self._base}/{conversation_id}/messages", message)
        message_id = answer.get("id")
        return str(message_id) if message_id is not None else None

    async def delete_message(self, conversation_id: str, message_id: str) -> None:
        """Delete a message: Chatwoot keeps its place, its content says it was deleted.

        (MessagesController#destroy: content 「This message was deleted」, its attachments
        gone, `content_attributes.deleted` true.) Idempotent, so any failure is retried.
        """
        path = f"{self._base}/{conversation_id}/messages/{message_id}"
        await self._send("DELETE", path, None, idempotent=True)

    async def create_contact(self, inbox_id: str, name: str, identifier: str) -> tuple[str, str]:
        """A contact in `inbox_id`: its id and the source id of its place in that inbox."""
        answer = await self._post(
            f"{self._account}/contacts",
            {"inbox_id": int(inbox_id), "name": name, "identifier": identifier},
        )
        payload = answer.get("payload") or {}
        contact, contact_inbox = payload.get("contact") or {}, payload.get("contact_inbox") or {}
        contact_id, source_id = contact.get("id"), contact_inbox.get("source_id")
        if contact_id is None or not source_id:
            raise ChatwootApiError("Chatwoot created a contact without its id or source id")
        return str(contact_id), str(source_id)

    async def create_conversation(
        self, inbox_id: str, contact_id: str, source_id: str, attributes: Mapping[str, str]
    ) -> str:
        """An open conversation for the contact, carrying `attributes`; its id."""
        answer = await self._post(
            self._base,
            {
                "inbox_id": int(inbox_id),
                "contact_id": int(contact_id),
                "source_id": source_id,
                "status": "open",
                "custom_attributes": dict(attributes),
            },
        )
        conversation_id = answer.get("id")
        if conversation_id is None:
            raise ChatwootApiError("Chatwoot created a conversation without its id")
        return str(conversation_id)

    async def toggle_status(self, conversation_id: str, status: str) -> None:
        """Set a conversation's status: `open` hands it to agents, `pending` to the bot."""
        # Idempotent: setting a status twice is setting it once, so any failure is retried.
        path = f"{self._base}/{conversation_id}/toggle_status"
        await self._post(path, {"status": status}, idempotent=True)

    async def token_user(self) -> str | None:
        """The user whose access token the bot holds; None for an agent bot's token.

        Chatwoot's profile endpoint answers a user's token with the user and refuses an
        agent bot's (401, "not authorized for bots": no bot may use it). ChatwootApiError
        when Chatwoot could not say (unreachable, or the token unknown to it).
        """
        try:
            response = await self._client.get(PROFILE_PATH, timeout=TOKEN_CHECK_TIMEOUT)
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
        raise ChatwootApiError(f"Chatwoot answered {response.status_code} to {PROFILE_PATH}")

    async def close(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def _post(
        self, path: str, body: Mapping[str, Any], *, idempotent: bool = False
    ) -> Mapping[str, Any]:
        return await self._send("POST", path, body, idempotent=idempotent)

    async def _send(
        self, method: str, path: str, body: Mapping[str, Any] | None, *, idempotent: bool
    ) -> Mapping[str, Any]:
        async def attempt() -> Mapping[str, Any]:
            response = await self._client.request(method, path, json=body)
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
                retry_after=_retry_after,
                retries=RATE_LIMIT_RETRIES,
                wait=RETRY_WAIT,
                max_wait=MAX_RETRY_AFTER,
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


def _retry_after(err: BaseException) -> float | None:
    response = err.response if isinstance(err, httpx.HTTPStatusError) else None
    if response is None or response.status_code != 429:
        return None  # a 5xx or no answer: send_once's doubling pause
    raw = response.headers.get("retry-after", "1")
    return float(raw) if raw.isdigit() else 1.0
