"""Agent tokens that could not work as the desk expects are refused at start-up.

- Two agents given the same token: the API cannot tell them apart, and the transcript and
  the subscriber would name one for the other's take-over, hand-back or close.
- A token an HTTP header cannot carry as written (full-width letters, a space inside):
  no agent could ever sign in with it.
- A run of consecutive characters (`0123456789abcdef`, `abcdefghijklmnop`): as many
  different characters as a random token, and among the first a guesser tries.
"""

from __future__ import annotations

import secrets

import pytest

from bot.ops.agent_tokens import guessable
from bot.ops.settings import ConfigError, Settings

TOKEN = "sato-token-0123456789"
OTHER = "suzuki-token-9f8e7d6c5b"


def _read(entries: str) -> Settings:
    return Settings.from_env({"MAILMOVE_AGENT_TOKENS": entries})


def test_one_token_for_two_agents_is_refused_without_showing_it() -> None:
    with pytest.raises(ConfigError, match="same token") as refused:
        _read(f"佐藤:{TOKEN}, 鈴木:{TOKEN}")
    assert "MAILMOVE_AGENT_TOKENS" in str(refused.value)
    assert TOKEN not in str(refused.value)
    assert _read(f"佐藤:{TOKEN}, 鈴木:{OTHER}").agent_tokens == (f"佐藤:{TOKEN}", f"鈴木:{OTHER}")


@pytest.mark.parametrize(
    "token",
    [
        "ｓａｔｏ－ｔｏｋｅｎ－０１２３４５６７８９",
        "sato token 0123456789",
        "sato-token-0123456789\x7f",
    ],
)
def test_a_token_a_header_cannot_carry_is_refused(token: str) -> None:
    with pytest.raises(ConfigError, match="printable ASCII") as refused:
        _read(f"佐藤:{token}")
    assert token not in str(refused.value)


@pytest.mark.parametrize(
    "token", ["0123456789abcdef", "abcdefghijklmnop", "ponmlkjihgfedcba", "ABCDEFGHIJKLMNOPQRS"]
)
def test_a_run_of_consecutive_characters_is_refused(token: str) -> None:
    with pytest.raises(ConfigError, match="random"):
        _read(f"佐藤:{token}")


def test_generated_tokens_pass() -> None:
    for _ in range(2000):
        assert not guessable(secrets.token_hex(24))
        assert not guessable(secrets.token_urlsafe(16))
