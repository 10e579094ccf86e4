"""A secret sent with a request compared with the configured one in a time that tells nothing.

`hmac.compare_digest` returns at once on two lengths (Python's documentation says it leaks
them), so comparing the token as sent told a guesser, by the time of a refusal, how long the
secret is (attacker9). Both sides are compared as SHA-256 digests, of one length.
"""

from __future__ import annotations

import hashlib
import hmac


def secret_digest(secret: str | bytes) -> bytes:
    """The digest a secret is compared by (kept at start-up where several are tried)."""
    return hashlib.sha256(secret.encode() if isinstance(secret, str) else secret).digest()


def same_digest(given: str, known: bytes) -> bool:
    """Whether `given` is the secret `known` (a `secret_digest`) was made of."""
    return hmac.compare_digest(secret_digest(given), known)


def same_secret(given: str, expected: str) -> bool:
    """Whether `given` is `expected`, in a time that depends on neither's length."""
    return same_digest(given, secret_digest(expected))
