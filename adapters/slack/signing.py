"""Whether Slack signed a request: slack_sdk's check, and the bytes of a body it cannot read."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slack_sdk.signature import SignatureVerifier

# Slack's own limit on a request's age (slack_sdk's is the same five minutes).
_OLDEST_SECONDS = 60 * 5


def signed_by_slack(verifier: SignatureVerifier, body: bytes, headers: Mapping[str, str]) -> bool:
    """Whether `body` came with Slack's signature of it, made with the verifier's secret."""
    try:
        try:
            return verifier.is_valid_request(body, dict(headers))
        except UnicodeDecodeError:
            # slack_sdk decodes the body to sign it, so a body that is not UTF-8 raised and
            # was taken for a forgery: a 401 whose log line blamed the signing secret. Slack
            # signs the bytes, so they are checked as they came; parsing then refuses it.
            return _signed_bytes(verifier, body, headers)
    except (ValueError, OverflowError):  # a timestamp that is not a number, or too large
        # for the clock (slack_sdk compares it with a float: a 400-digit one overflowed)
        return False


def _signed_bytes(verifier: SignatureVerifier, body: bytes, headers: Mapping[str, str]) -> bool:
    named = {name.lower(): value for name, value in headers.items()}
    timestamp = named.get("x-slack-request-timestamp")
    signature = named.get("x-slack-signature")
    if timestamp is None or signature is None:
        return False
    if abs(verifier.clock.now() - int(timestamp)) > _OLDEST_SECONDS:
        return False
    base = b"v0:" + timestamp.encode() + b":" + body
    digest = hmac.new(verifier.signing_secret.encode(), base, hashlib.sha256).hexdigest()
    # Compared as bytes: compare_digest refuses a str with characters beyond ASCII.
    return hmac.compare_digest(f"v0={digest}".encode(), signature.encode())
