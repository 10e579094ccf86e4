"""A desk behind a webhook: any help desk that can receive a signed JSON POST."""

from __future__ import annotations

import hashlib
import hmac
from typing import Final

import httpx
import orjson

from bot.desk.handoff import DeskUnavailableError
from bot.desk.summary import HandoffSummary
from bot.ops.tls import client_tls

SIGNATURE_HEADER: Final = "X-Mailmove-Signature"


class WebhookDesk:
    """POSTs the summary as JSON, signed: `X-Mailmove-Signature: sha256=<hex HMAC of body>`."""

    name = "webhook"

    def __init__(self, url: str, secret: bytes, client: httpx.AsyncClient | None = None) -> None:
        self._url = url
        self._secret = secret
        self._client = client or httpx.AsyncClient(timeout=10.0, verify=client_tls())

    def accepts(self, channel: str) -> bool:
        """Any help desk behind a webhook can take any channel's conversation."""
        return True

    async def hand_off(self, summary: HandoffSummary) -> None:
        """Deliver the summary; any non-2xx answer counts as not delivered."""
        body = orjson.dumps(summary.as_json())
        signature = hmac.new(self._secret, body, hashlib.sha256).hexdigest()
        try:
            response = await self._client.post(
                self._url,
                content=body,
                headers={
                    "Content-Type": "application/json",
                    SIGNATURE_HEADER: f"sha256={signature}",
                },
            )
        except httpx.HTTPError as err:
            raise DeskUnavailableError(f"webhook unreachable: {type(err).__name__}") from err
        if not response.is_success:
            raise DeskUnavailableError(f"webhook answered {response.status_code}")
