"""What switches LINE on: its channel secret and its access token, both or neither."""

from __future__ import annotations

import pytest

from adapters.line.config import LineConfig
from bot.ops.settings import ConfigError

SECRET = "0123456789abcdef0123456789abcdef"
TOKEN = "line-channel-access-token-0123456789"


def test_both_switch_it_on_and_neither_leaves_it_off() -> None:
    assert LineConfig.from_environ({}) is None
    config = LineConfig.from_environ(
        {"LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN}
    )
    assert config is not None
    assert (config.channel_secret, config.access_token) == (SECRET, TOKEN)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"LINE_CHANNEL_SECRET": SECRET},
            "LINE_CHANNEL_SECRET is set without LINE_CHANNEL_ACCESS_TOKEN: set both,"
            " or leave both out",
        ),
        (
            {"LINE_CHANNEL_ACCESS_TOKEN": TOKEN},
            "LINE_CHANNEL_ACCESS_TOKEN is set without LINE_CHANNEL_SECRET: set both,"
            " or leave both out",
        ),
    ],
)
def test_half_a_line_configuration_is_refused(environ: dict[str, str], message: str) -> None:
    # Taken as "LINE off": nothing said which of the two was missing, and LINE's
    # subscribers were never answered.
    with pytest.raises(ConfigError) as raised:
        LineConfig.from_environ(environ)
    assert str(raised.value) == message
    assert SECRET not in str(raised.value)
    assert TOKEN not in str(raised.value)
