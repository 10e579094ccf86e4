"""One-time links to the password page of the live login check.

A link names only the conversation, a random nonce and an expiry, signed with the server's
secret: no address or other personal data in a URL that access logs may keep. It is
usable once (the nonce is claimed through the store's event dedupe, so every replica
agrees) and for ten minutes.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote

import orjson

from bot.web.config_file_routes import APPLE_PROFILE_PATH

LINK_LIFETIME: Final = dt.timedelta(minutes=10)
PATH_PREFIX: Final = "/check/"


class LinkError(ValueError):
    """A link that cannot be used: `reason` is `invalid` or `expired`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class CheckLink:
    """What a link grants: one check of one conversation, until `expires`."""

    channel: str
    conversation_id: str
    nonce: str
    expires: dt.datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class CheckLinks:
    """Mints and verifies links with one secret (shared by every replica)."""

    def __init__(self, secret: bytes, base_url: str) -> None:
        if len(secret) < 16:
            raise ValueError("the link secret must be at least 16 bytes")
        self._secret = secret
        self._base_url = base_url.rstrip("/")

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._secret, payload.encode(), hashlib.sha256).digest())

    def mint(self, channel: str, conversation_id: str, now: dt.datetime) -> str:
        """A fresh link for one check of the conversation."""
        body = {
            "c": channel,
            "k": conversation_id,
            "n": secrets.token_urlsafe(12),
            "e": int((now + LINK_LIFETIME).timestamp()),
        }
        payload = _b64(orjson.dumps(body))
        return f"{self._base_url}{PATH_PREFIX}{payload}.{self._sign(payload)}"

    def apple_profile_url(self, address: str) -> str:
        """Where the Apple configuration profile for `address` is served."""
        return f"{self._base_url}{APPLE_PROFILE_PATH}?emailaddress={quote(address)}"

    def verify(self, token: str, now: dt.datetime) -> CheckLink:
        """The grant of a token (the part after /check/), or LinkError."""
        payload, _, signature = token.partition(".")
        if not payload or not signature or len(token) > 512:
            raise LinkError("invalid")
        if not hmac.compare_digest(signature, self._sign(payload)):
            raise LinkError("invalid")
        try:
            body = orjson.loads(_unb64(payload))
            link = CheckLink(
                channel=str(body["c"]),
                conversation_id=str(body["k"]),
                nonce=str(body["n"]),
                expires=dt.datetime.fromtimestamp(int(body["e"]), dt.UTC),
            )
        except (binascii.Error, orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            raise LinkError("invalid") from None
        if now >= link.expires:
            raise LinkError("expired")
        return link
