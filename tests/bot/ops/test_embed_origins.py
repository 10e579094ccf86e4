"""MAILMOVE_EMBED_ORIGINS: whole origins only, refused with a message naming the variable."""

from __future__ import annotations

import pytest

from bot.ops.embed_origins import embed_origins
from bot.ops.settings import ConfigError, Settings


def test_origins_are_read_normalised_and_deduplicated() -> None:
    settings = Settings.from_env(
        {
            "MAILMOVE_EMBED_ORIGINS": " https://WWW.117.ne.jp/, http://127.0.0.1:8081,,https://www.117.ne.jp"
        }
    )
    assert settings.embed_origins == ("https://www.117.ne.jp", "http://127.0.0.1:8081")
    assert Settings.from_env({}).embed_origins == ()
    assert embed_origins("https://[::1]:8443") == ("https://[::1]:8443",)


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("https://*.117.ne.jp", "wildcards are not allowed"),
        ("*", "wildcards are not allowed"),
        ("https://www.117.ne.jp/support", "no path"),
        ("https://www.117.ne.jp?x=1", "no path"),
        ("www.117.ne.jp", "starts with https://"),
        ("ftp://www.117.ne.jp", "starts with https://"),
        ("https://user@www.117.ne.jp", "names no user"),
        ("https://www.117.ne.jp:99999", "port"),
        ("https://www.117.ne.jp 'unsafe-inline'", "not an origin"),
        ("'self'", "not an origin"),
        ("https://bad_host.jp", "not a host name"),
    ],
)
def test_anything_but_an_origin_is_refused_naming_the_variable(value: str, said: str) -> None:
    with pytest.raises(ConfigError) as refused:
        Settings.from_env({"MAILMOVE_EMBED_ORIGINS": value})
    assert "MAILMOVE_EMBED_ORIGINS" in str(refused.value)
    assert said in str(refused.value)
