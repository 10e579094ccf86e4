"""Agent tokens with the names of the people who hold them: `name:token`, or a bare token.

The name is what the console, the transcript and the subscriber see ("taken over by 佐藤"),
so a desk knows who did what without trusting a name the request itself claims.
"""

from __future__ import annotations

import collections
import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

UNNAMED_AGENT: Final = "agent"
MAX_NAME: Final = 100
# What a token's own characters say it holds at best (Shannon entropy of its characters
# times its length): 16 random hex digits reach it, `aaaa…` or `abcabc…` never do.
MIN_TOKEN_BITS: Final = 64
# Neighbours one code apart (`0123…`, `abcd…`, `dcba…`) in this share of a token's steps: a
# run typed by a person. A random hex token has about one step in eight so (3 in 16 with
# repeats), and two thirds of 15 steps in one of about 10^5 `openssl rand -hex 8`.
MAX_RUN_SHARE: Final = 2 / 3


@dataclass(frozen=True, slots=True)
class AgentToken:
    """One configured token and the display name of whoever holds it."""

    name: str
    token: str
    named: bool  # False for a bare token: the request may then say who is acting

    def __repr__(self) -> str:
        # A token must never reach a log through a repr.
        return f"AgentToken(name={self.name!r}, named={self.named})"


def agent_token(entry: str) -> AgentToken:
    """`name:token` or `token`; ValueError naming what is wrong (never the token itself).

    The name is everything before the first colon, so a token may hold colons but a name may
    not: names are people's names, tokens are generated.
    """
    name, colon, token = entry.partition(":")
    if not colon:
        return AgentToken(UNNAMED_AGENT, entry.strip(), named=False)
    name, token = name.strip(), token.strip()
    if not name:
        raise ValueError("an entry of the form ':token' has no name before the colon")
    if len(name) > MAX_NAME:
        raise ValueError(f"the agent name {name[:20]!r}… is longer than {MAX_NAME} characters")
    return AgentToken(name, token, named=True)


def agent_tokens(entries: Iterable[str]) -> tuple[AgentToken, ...]:
    """Every entry parsed, in order."""
    return tuple(agent_token(entry) for entry in entries)


def guessable(token: str) -> bool:
    """Whether `token` repeats too few characters too often to be a generated secret.

    A bound from above: a token passing it may still be a dictionary word, but one failing
    it was certainly typed by a person (`aaaaaaaaaaaaaaaa`, `1234123412341234`).
    """
    if not token:
        return True
    counts = collections.Counter(token).values()
    per_character = -sum(n / len(token) * math.log2(n / len(token)) for n in counts)
    if per_character * len(token) < MIN_TOKEN_BITS:
        return True
    # As many different characters as a random token, in order: `0123456789abcdef`.
    steps = sum(abs(ord(a) - ord(b)) == 1 for a, b in itertools.pairwise(token))
    return steps >= MAX_RUN_SHARE * (len(token) - 1)


def header_safe(token: str) -> bool:
    """Whether an `Authorization` header carries `token` as written: visible ASCII only.

    Headers are bytes read as Latin-1: a full-width or accented character arrives as other
    characters than configured, and a space or a control character is cut or folded by a
    client or a proxy, so no agent could ever sign in with such a token.
    """
    return all("!" <= character <= "~" for character in token)
