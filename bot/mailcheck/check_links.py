"""One-time links to the password page of the live login check.

A link is `/check/<token>`: 192 random bits and nothing else. The store maps the token's
SHA-256 to the conversation and the link's expiry (a `LinkGrant`, written in the same
transaction as the turn that offered the link), so the URL that proxies log and browsers
remember names no conversation: the web chat's conversation id is the only key to its
transcript and must never appear in a URL. The link table holds only the digest, so
reading it yields no working link (the reply that offered the link keeps it in the
transcript, which the web chat redraws after a reload: whoever may read the transcript, an
agent too, could use it up within its ten minutes, and could never learn the password);
and any replica on the same store opens any replica's links without sharing a secret. A
link is usable once (its digest is claimed through the store's event dedupe, so every
replica agrees) and for ten minutes. The claim also stores a
second grant beside the link's (`login_checks.used_digest`), so opening a used link says
"already used" at once, without claiming anything or counting against the rate limit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from typing import Final

from bot.store.conversation_store import LinkGrant
from bot.web import check_path
from bot.web.config_file_routes import APPLE_PROFILE_PATH, apple_profile_query
from dialogs.state import DialogState
from dialogs.vocabulary import Sending

LINK_LIFETIME: Final = dt.timedelta(minutes=10)
PATH_PREFIX: Final = check_path.PATH_PREFIX
TOKEN_BYTES: Final = 24  # 192 bits: beyond guessing even at millions of tries a second
# token_urlsafe's alphabet; anything else is refused before the store is asked.
_TOKEN_SHAPE: Final = re.compile(r"[A-Za-z0-9_-]{32}")


class LinkError(ValueError):
    """A link that cannot be used: `reason` is `invalid` or `expired`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def token_digest(token: str) -> str:
    """The key a link's grant is stored under; LinkError for what no link can be."""
    if not _TOKEN_SHAPE.fullmatch(token):
        raise LinkError("invalid")
    return hashlib.sha256(token.encode()).hexdigest()


class CheckLinks:
    """Mints links (the turn stores their grants) and builds the other URLs the bot offers."""

    def __init__(self, base_url: str) -> None:
        self._base_url = base_url.rstrip("/")

    def mint(self, key: str, now: dt.datetime) -> tuple[str, LinkGrant]:
        """A fresh link for one check of conversation `key`, and the grant to store."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        grant = LinkGrant(token_digest(token), key, now + LINK_LIFETIME)
        return f"{self._base_url}{PATH_PREFIX}{token}", grant

    def apple_profile_url(self, state: DialogState) -> str:
        """Where the Apple file for the state's address is served, with the card's facts.

        The sending verdict and outgoing server travel in the query, so the file holds what
        the card said; the route checks them again.
        """
        sending = state.sending or Sending.REQUIRED
        query = apple_profile_query(
            state.address or "", sending, state.smtp_host, state.locale, state.program
        )
        return f"{self._base_url}{APPLE_PROFILE_PATH}?{query}"
