"""MAILMOVE_AGENT_TOKENS entries: `name:token` or a bare token, checked at start-up."""

from __future__ import annotations

import pytest

from bot.ops.agent_tokens import UNNAMED_AGENT, agent_token
from bot.ops.settings import ConfigError, Settings

TOKEN = "sato-token-0123456789"


def test_a_named_entry_and_a_bare_one() -> None:
    named = agent_token(f" 佐藤 : {TOKEN} ")
    assert (named.name, named.token, named.named) == ("佐藤", TOKEN, True)
    bare = agent_token(TOKEN)
    assert (bare.name, bare.token, bare.named) == (UNNAMED_AGENT, TOKEN, False)
    # A token may hold colons; a name may not.
    assert agent_token(f"佐藤:{TOKEN}:x").token == f"{TOKEN}:x"


def test_a_token_never_shows_in_a_repr() -> None:
    assert TOKEN not in repr(agent_token(f"佐藤:{TOKEN}"))


@pytest.mark.parametrize(
    ("entries", "words"),
    [
        (f":{TOKEN}", "no name before the colon"),
        ("佐藤:short", "at least 16 characters"),
        (f"{'x' * 101}:{TOKEN}", "longer than 100 characters"),
    ],
)
def test_bad_entries_are_refused_naming_the_variable_not_the_token(
    entries: str, words: str
) -> None:
    with pytest.raises(ConfigError, match=words) as refused:
        Settings.from_env({"MAILMOVE_AGENT_TOKENS": f"{TOKEN},{entries}"})
    assert "MAILMOVE_AGENT_TOKENS" in str(refused.value)
    assert TOKEN not in str(refused.value)


def test_the_environment_takes_a_comma_separated_mix() -> None:
    settings = Settings.from_env({"MAILMOVE_AGENT_TOKENS": f"佐藤:{TOKEN}, other-token-0123456789"})
    assert settings.agent_tokens == (f"佐藤:{TOKEN}", "other-token-0123456789")
