"""Chatwoot's REST API, the two calls the bot makes: post a message, set a status.

Both carry the agent bot's `api_access_token`. A 429 is resent after its Retry-After (a
refused message was not stored, so it cannot appear twice); a broken connection is not,
since the message may have been stored before it broke.
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
MAX_RETRY_AFTER: Final = 10.0


class ChatwootApiError(RuntimeError):
    """Chatwoot refused a call or could not be reached."""


class ChatwootApi:
    """The two calls the bot makes, with the agent bot's access token."""

    def __init__(self, config: ChatwootConfig, client: httpx.AsyncClient | None = None) -> None:
        self._base = f"/api/v1/accounts/{config.account_id}/conversations"
        self._client = client or httpx.AsyncClient(
            base_url=config.url,
            headers={"api_access_token": config.api_token},
            timeout=API_TIMEOUT,
        )

    async def post_message(self, conversation_id: str, message: ChatwootMessage) -> None:
        """Add a message (or a private note) to a conversation."""
        await self._post(f"{self._base}/{conversation_id}/messages", message)

    async def toggle_status(self, conversation_id: str, status: str) -> None:
        """Set a conversation's status: `open` hands it to agents, `pending` to the bot."""
        await self._post(f"{self._base}/{conversation_id}/toggle_status", {"status": status})

    async def close(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def _post(self, path: str, body: Mapping[str, Any]) -> None:
        async def attempt() -> None:
            response = await self._client.post(path, json=body)
            response.raise_for_status()

        try:
            await send_once(
                attempt,
                resend=_throttled,
                retry_after=_retry_after,
                retries=RATE_LIMIT_RETRIES,
                max_wait=MAX_RETRY_AFTER,
            )
        except httpx.HTTPStatusError as err:
            status = err.response.status_code
            raise ChatwootApiError(f"Chatwoot answered {status} to {path}") from err
        except httpx.HTTPError as err:
            raise ChatwootApiError(f"Chatwoot unreachable: {type(err).__name__}") from err


def _throttled(err: BaseException) -> bool:
    return isinstance(err, httpx.HTTPStatusError) and err.response.status_code == 429


def _retry_after(err: BaseException) -> float:
    response = err.response if isinstance(err, httpx.HTTPStatusError) else None
    raw = response.headers.get("retry-after", "1") if response is not None else "1"
    return float(raw) if raw.isdigit() else 1.0
