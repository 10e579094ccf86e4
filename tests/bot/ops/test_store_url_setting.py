"""A Redis password that breaks MAILMOVE_STORE is refused by name, and never printed.

deployment.yaml builds `redis://:$(REDIS_PASSWORD)@redis:6379/0` from the Secret. A password
from `openssl rand -base64 32` often holds '/', and one with '/', '#' or '?' ends the URL's
address early: redis-py read the password's first characters as the port and said so,
`mailmove: Port could not be cast to integer value as 'ab'`, a piece of the secret in the
pod's log, naming neither the variable nor the cause.
"""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.ops.settings import ConfigError, Settings

SECRET_START = "Zq9Kx"  # what the old message printed: the password up to its first '/'


@pytest.mark.parametrize("after", ["/rest+of+it=", "#rest", "?rest"])
def test_a_password_that_ends_the_address_is_refused_without_quoting_it(after: str) -> None:
    url = f"redis://:{SECRET_START}{after}@redis:6379/0"
    with pytest.raises(ConfigError) as refused:
        Settings.from_env({"MAILMOVE_STORE": url})
    message = str(refused.value)
    assert message.startswith("MAILMOVE_STORE: ")
    assert "percent-encoded" in message
    assert SECRET_START not in message


def test_the_command_says_it_on_one_line_and_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MAILMOVE_STORE", f"redis://:{SECRET_START}/x@redis:6379/0")
    assert main(["stats"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mailmove: MAILMOVE_STORE: ")
    assert SECRET_START not in err


@pytest.mark.parametrize(
    "url",
    [
        "redis://:Zq9Kx%2Frest@redis:6379/0",  # percent-encoded
        "redis://:p@ss@redis:6379/0",  # an '@' in it: the host is after the last one
        "redis://redis:6379/0",
        "rediss://user:0123abcd@redis.internal/0?prefix=mm:",
        "sqlite:///var/mailmove.sqlite3",
    ],
)
def test_readable_urls_pass(url: str) -> None:
    assert Settings.from_env({"MAILMOVE_STORE": url}).store_url == url


@pytest.mark.parametrize(
    ("url", "ask"),
    [
        (
            f"redis+sentinel://:{SECRET_START}@s1.example:26379,s2.example:26379/mymaster/0",
            "redis-cli -h s1.example -p 26379 SENTINEL get-master-addr-by-name mymaster",
        ),
        ("sentinel://[::1]/mm", "redis-cli -h ::1 -p 26379 SENTINEL get-master-addr-by-name mm"),
    ],
)
def test_a_sentinel_url_is_refused_with_the_way_to_name_the_primary(
    url: str, ask: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Said before: "MAILMOVE_STORE starts with 'redis+sentinel': use sqlite:///path/to/
    # file.sqlite3 or redis://host:6379/0", nothing about Sentinel, the primary or a failover.
    monkeypatch.setenv("MAILMOVE_STORE", url)
    assert main(["stats"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(
        "mailmove: MAILMOVE_STORE: a Redis Sentinel URL is not read: name the primary itself,"
        " redis://[:password@]host:6379/0."
    ), line
    assert f"ask a Sentinel for the primary ({ask})" in line, line
    assert "point MAILMOVE_STORE at the new primary and restart the replicas" in line
    assert SECRET_START not in line


@pytest.mark.parametrize("after", ["/Yw8+of+it=", "#Yw8", "?Yw8", "/a?Yw8@c"])
def test_a_sentinel_password_with_a_slash_is_not_said_back(
    after: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # 'redis+sentinel://:Zq9Kx/Yw8+of+it=@s1…/mm' said 'get-master-addr-by-name
    # Yw8+of+it=@s1.example:26379': the password after its '/' as the service (reviewer26).
    password = f"{SECRET_START}{after}"
    monkeypatch.setenv("MAILMOVE_STORE", f"redis+sentinel://:{password}@s1.example:26379/mm")
    assert main(["stats"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert "SENTINEL get-master-addr-by-name" in line, line
    assert SECRET_START not in line, line
    assert "Yw8" not in line, line


@pytest.mark.parametrize(
    ("value", "message"),
    [
        # A path alone, as the file is named in a volume: refused only once the store was
        # opened, after the whole server had been imported; now with the URL it means.
        (
            "/srv/mailmove.sqlite3",
            "MAILMOVE_STORE='/srv/mailmove.sqlite3' is a file, not a URL: use"
            " sqlite:////srv/mailmove.sqlite3",
        ),
        (
            "var/mailmove.sqlite3",
            "MAILMOVE_STORE='var/mailmove.sqlite3' is a file, not a URL: use"
            " sqlite:///var/mailmove.sqlite3",
        ),
        # Only the scheme: the rest may be a password.
        (
            f"postgres://mailmove:{SECRET_START}@db/mailmove",
            "MAILMOVE_STORE starts with 'postgres': use sqlite:///path/to/file.sqlite3 (a file;"
            " four slashes before an absolute path) or redis://host:6379/0",
        ),
    ],
)
def test_a_value_that_is_no_store_url_is_refused_with_the_settings(
    value: str, message: str
) -> None:
    with pytest.raises(ConfigError) as refused:
        Settings.from_env({"MAILMOVE_STORE": value})
    assert str(refused.value) == message
