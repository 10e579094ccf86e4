from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Final

import pytest

from bot.cli import main
from bot.ops.settings import ConfigError, Settings

ROOT: Final = Path(__file__).resolve().parents[3]
TOKEN: Final = "agent-token-0123456789"
OTHER_TOKEN: Final = "agent-token-abcdefghij"
_CHECK_TIMEOUT: Final = (
    "must be whole seconds from 3 to 60 (below 3 a mail server's answer to a wrong password,"
    " which Dovecot delays 2 s, reads as a timeout)"
)
EVERY_VARIABLE: Final = {
    "MAILMOVE_HOST": "0.0.0.0",  # noqa: S104 - a value read, not a socket bound
    "MAILMOVE_PORT": "9090",
    "MAILMOVE_STORE": "redis://redis:6379/0",
    "MAILMOVE_PROFILE": "/etc/mailmove/profile.toml",
    "MAILMOVE_PUBLIC_URL": "https://bot.example.jp/",
    "MAILMOVE_RETENTION_DAYS": "30",
    "MAILMOVE_CHECK_TIMEOUT": "20",
    "MAILMOVE_CHECK_LIMIT": "3",
    "MAILMOVE_CHECK_WINDOW": "600",
    "MAILMOVE_CHECK_CLIENT_LIMIT": "8",
    "MAILMOVE_AGENT_TOKENS": f" {TOKEN}, ,{OTHER_TOKEN},",
    "MAILMOVE_DESK_WEBHOOK_URL": "https://desk.example.jp/hook",
    "MAILMOVE_DESK_WEBHOOK_SECRET": "webhook-secret-0123456789",
    "MAILMOVE_AS_OF": "2008-06-01",
    "MAILMOVE_CLIENT_IP_HEADER": "X-Forwarded-For",
    "MAILMOVE_WEBCHAT_CONVERSATION_LIMIT": "10",
    "MAILMOVE_WEBCHAT_MESSAGE_LIMIT": "100",
    "MAILMOVE_WEBCHAT_READ_LIMIT": "900",
    "MAILMOVE_WEBCHAT_HANDOFF_LIMIT": "5",
    "MAILMOVE_SENDER_HANDOFF_LIMIT": "3",
    "MAILMOVE_AGENT_SILENCE_MINUTES": "30",
    "MAILMOVE_EMBED_ORIGINS": "https://www.117.ne.jp",
    "MAILMOVE_LOG_FORMAT": "json",
    "MAILMOVE_KEEP_ALIVE": "620",
    "SLACK_BOT_TOKEN": "xoxb-for-the-slack-channel",
}


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert settings == Settings()
    assert settings.host == "127.0.0.1"
    assert settings.port == 8080
    assert settings.store_url == "sqlite:///var/mailmove.sqlite3"
    assert settings.profile_path is None
    assert settings.public_url == ""
    assert settings.retention_days == 90
    assert settings.keep_alive == 75
    assert (settings.check_timeout, settings.check_limit, settings.check_window) == (15, 5, 3600)
    assert settings.agent_tokens == ()
    assert settings.desk_webhook_url == ""
    assert settings.desk_webhook_secret == b""
    assert settings.as_of is None
    assert settings.environ == {}
    assert settings.base_url == "http://127.0.0.1:8080"


def test_every_variable_is_read() -> None:
    settings = Settings.from_env(EVERY_VARIABLE)
    assert settings.host == "0.0.0.0"  # noqa: S104
    assert settings.port == 9090
    assert settings.store_url == "redis://redis:6379/0"
    assert settings.profile_path == Path("/etc/mailmove/profile.toml")
    assert settings.public_url == "https://bot.example.jp"
    assert settings.base_url == "https://bot.example.jp"
    assert settings.retention_days == 30
    assert (settings.check_timeout, settings.check_limit, settings.check_window) == (20, 3, 600)
    assert settings.check_client_limit == 8
    assert settings.webchat_handoff_limit == 5
    assert settings.agent_tokens == (TOKEN, OTHER_TOKEN)
    assert settings.desk_webhook_url == "https://desk.example.jp/hook"
    assert settings.desk_webhook_secret == b"webhook-secret-0123456789"
    assert settings.as_of == dt.date(2008, 6, 1)
    assert settings.log_format == "json"
    assert settings.keep_alive == 620
    # The channels read their own credentials from the whole environment.
    assert settings.environ == EVERY_VARIABLE


def test_the_model_names_exactly_the_variables_it_reads() -> None:
    # The deployment tests trust this list to tell a known variable from a typo.
    assert set(Settings.variables().values()) == set(EVERY_VARIABLE) - {"SLACK_BOT_TOKEN"}
    signed = {name: EVERY_VARIABLE[name] for name in EVERY_VARIABLE if "WEBHOOK" in name}
    for field, variable in Settings.variables().items():
        alone = {variable: EVERY_VARIABLE[variable]}
        if "WEBHOOK" in variable:
            alone = signed  # a URL must come with its secret
        assert getattr(Settings.from_env(alone), field) != getattr(Settings(), field), variable


@pytest.mark.parametrize(
    "variable",
    [
        "MAILMOVE_HOST",
        "MAILMOVE_PORT",
        "MAILMOVE_STORE",
        "MAILMOVE_PROFILE",
        "MAILMOVE_AGENT_TOKENS",
        "MAILMOVE_DESK_WEBHOOK_URL",
    ],
)
def test_an_empty_variable_is_an_unset_one(variable: str) -> None:
    assert Settings.from_env({variable: ""}) == Settings(environ={variable: ""})


def test_names_are_case_sensitive() -> None:
    assert Settings.from_env({"mailmove_port": "abc"}).port == 8080


def test_from_env_reads_the_process_environment_when_given_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MAILMOVE_PORT", "9191")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-from-the-shell")
    settings = Settings.from_env()
    assert settings.port == 9191
    assert settings.environ["SLACK_BOT_TOKEN"] == "xoxb-from-the-shell"


def test_settings_built_in_code_ignore_the_process_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name, value in EVERY_VARIABLE.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("MAILMOVE_PORT", "abc")  # would fail if anything read it
    monkeypatch.setenv("MAILMOVE_ENVIRON", "{}")
    (tmp_path / ".env").write_text("MAILMOVE_HOST=10.0.0.1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert Settings() == Settings.from_env({})
    settings = Settings(store_url="sqlite://:memory:", environ={"SLACK_BOT_TOKEN": "xoxb-given"})
    assert (settings.host, settings.port) == ("127.0.0.1", 8080)
    assert settings.store_url == "sqlite://:memory:"
    assert settings.environ == {"SLACK_BOT_TOKEN": "xoxb-given"}


def test_settings_built_in_code_are_checked_too() -> None:
    settings = Settings(
        agent_tokens=(TOKEN,),
        desk_webhook_url="https://desk.example.jp/hook",
        desk_webhook_secret=b"w" * 16,
        public_url="https://bot.example.jp/",
    )
    assert settings.agent_tokens == (TOKEN,)
    assert settings.public_url == "https://bot.example.jp"
    with pytest.raises(ValueError, match="MAILMOVE_DESK_WEBHOOK_SECRET"):
        Settings(desk_webhook_url="https://desk.example.jp/hook")


def test_settings_are_frozen_and_keep_secrets_out_of_their_repr() -> None:
    settings = Settings.from_env(EVERY_VARIABLE)
    with pytest.raises(ValueError, match="frozen"):
        settings.port = 1  # pydantic, not mypy, holds it frozen
    shown = repr(settings)
    assert "9090" in shown
    for secret in (TOKEN, "webhook-secret", "xoxb"):
        assert secret not in shown


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("MAILMOVE_PORT", "abc", "MAILMOVE_PORT='abc' is not a whole number"),
        ("MAILMOVE_PORT", "80.5", "MAILMOVE_PORT='80.5' is not a whole number"),
        # The range, below it as above it: "must be positive" named none.
        ("MAILMOVE_PORT", "0", "MAILMOVE_PORT='0' must be a port number (1-65535)"),
        ("MAILMOVE_PORT", "-1", "MAILMOVE_PORT='-1' must be a port number (1-65535)"),
        # The summary said "web chat http://bad host:8080/", then uvicorn failed to resolve it.
        ("MAILMOVE_HOST", "bad host", "MAILMOVE_HOST='bad host' is not an address or host name"),
        (
            "MAILMOVE_HOST",
            "http://0.0.0.0",
            "MAILMOVE_HOST='http://0.0.0.0' is not an address or host name",
        ),
        # uvicorn would listen on 70000 % 65536 = 4464 while the summary said 70000.
        ("MAILMOVE_PORT", "70000", "MAILMOVE_PORT='70000' must be a port number (1-65535)"),
        ("MAILMOVE_RETENTION_DAYS", "-1", "MAILMOVE_RETENTION_DAYS='-1' must be positive"),
        # Accepted as it was: every hourly expiry failed ('date value out of range'), so
        # transcripts were kept for ever, and the log said so once an hour.
        (
            "MAILMOVE_RETENTION_DAYS",
            "99999999",
            "MAILMOVE_RETENTION_DAYS='99999999' must be at most 36500 (a hundred years)",
        ),
        ("MAILMOVE_CHECK_TIMEOUT", "soon", f"MAILMOVE_CHECK_TIMEOUT='soon' {_CHECK_TIMEOUT}"),
        # Accepted as it was: a check's step could wait for years while the page span.
        (
            "MAILMOVE_CHECK_TIMEOUT",
            "99999999",
            f"MAILMOVE_CHECK_TIMEOUT='99999999' {_CHECK_TIMEOUT}",
        ),
        # 0.001 was "not a whole number", and the 1 that followed it was taken: a real server
        # answers a wrong password after 2 s (Dovecot's auth_failure_delay), so every wrong
        # password was told to the subscriber as a server not reached.
        ("MAILMOVE_CHECK_TIMEOUT", "0.001", f"MAILMOVE_CHECK_TIMEOUT='0.001' {_CHECK_TIMEOUT}"),
        ("MAILMOVE_CHECK_TIMEOUT", "1", f"MAILMOVE_CHECK_TIMEOUT='1' {_CHECK_TIMEOUT}"),
        ("MAILMOVE_CHECK_TIMEOUT", "2", f"MAILMOVE_CHECK_TIMEOUT='2' {_CHECK_TIMEOUT}"),
        ("MAILMOVE_CHECK_TIMEOUT", "0", f"MAILMOVE_CHECK_TIMEOUT='0' {_CHECK_TIMEOUT}"),
        # Ignored as it was: the desk heard of no handoff, and nothing said why.
        (
            "MAILMOVE_DESK_WEBHOOK_SECRET",
            "a-webhook-secret-of-32-characters",
            "MAILMOVE_DESK_WEBHOOK_SECRET is set without MAILMOVE_DESK_WEBHOOK_URL: set the URL"
            " too, or leave both out",
        ),
        ("MAILMOVE_CHECK_LIMIT", "0", "MAILMOVE_CHECK_LIMIT='0' must be positive"),
        ("MAILMOVE_CHECK_WINDOW", "1h", "MAILMOVE_CHECK_WINDOW='1h' is not a whole number"),
        # Accepted: `serve` then ended in an OverflowError's traceback (a timedelta's limit).
        (
            "MAILMOVE_AGENT_SILENCE_MINUTES",
            "99999999999999999999",
            "MAILMOVE_AGENT_SILENCE_MINUTES='99999999999999999999' must be at most 52560000"
            " minutes (a hundred years; 0 never says it)",
        ),
        # Accepted: on Redis every login check then got 503, "rate limiter: Redis failed:
        # value is not an integer or out of range" (the window's milliseconds past 64 bits).
        (
            "MAILMOVE_CHECK_WINDOW",
            "99999999999999999999",
            "MAILMOVE_CHECK_WINDOW='99999999999999999999' must be at most 3153600000 seconds"
            " (a hundred years)",
        ),
        (
            "MAILMOVE_AGENT_TOKENS",
            f"{TOKEN},short-token",
            "MAILMOVE_AGENT_TOKENS: every token must be at least 16 characters",
        ),
        (
            "MAILMOVE_AGENT_TOKENS",
            "aaaaaaaaaaaaaaaaaaaaaaaa,abcabcabcabcabcabcabc",
            "MAILMOVE_AGENT_TOKENS: a token repeats too few characters to be random"
            " (generate one: openssl rand -hex 24)",
        ),
        (
            "MAILMOVE_DESK_WEBHOOK_URL",
            "https://desk.example.jp/hook",
            "MAILMOVE_DESK_WEBHOOK_URL needs MAILMOVE_DESK_WEBHOOK_SECRET (16+ characters) to sign",
        ),
        # redis-py ignores a database that is not a number and uses 0: another
        # application's, perhaps, with nothing said.
        (
            "MAILMOVE_STORE",
            "redis://redis:6379/O",
            "MAILMOVE_STORE: the Redis URL's database (the path after the port) must be a"
            " number, like redis://redis:6379/0",
        ),
        # Accepted as it was: the server started, and every handoff to the desk failed.
        # Not quoted: the URL may be the secret itself (test_no_message_quotes_a_secret).
        (
            "MAILMOVE_DESK_WEBHOOK_URL",
            "desk.example.jp/hook",
            "MAILMOVE_DESK_WEBHOOK_URL must start with https:// (or http://) and name a host",
        ),
        # Taken as it was, it made every link the bot sent ('mailmove.example.jp/check/…')
        # one a chat platform or a mail program does not open.
        (
            "MAILMOVE_PUBLIC_URL",
            "mailmove.example.jp",
            "MAILMOVE_PUBLIC_URL='mailmove.example.jp' must start with https:// (or http://)"
            " and name a host",
        ),
        (
            "MAILMOVE_PUBLIC_URL",
            "ftp://mailmove.example.jp",
            "MAILMOVE_PUBLIC_URL='ftp://mailmove.example.jp' must start with https:// (or"
            " http://) and name a host",
        ),
        (
            "MAILMOVE_PUBLIC_URL",
            "https://",
            "MAILMOVE_PUBLIC_URL='https://' must start with https:// (or http://) and name a host",
        ),
        # Accepted: the links were written after it, 'https://support.example.jp/?x=1/check/…'
        # and '…#chat/check/…', each a page that is no login check.
        (
            "MAILMOVE_PUBLIC_URL",
            "https://support.example.jp/?from=mail",
            "MAILMOVE_PUBLIC_URL='https://support.example.jp/?from=mail' must be the address"
            " alone, without a ?query or #fragment: the bot writes its links after it",
        ),
        (
            "MAILMOVE_PUBLIC_URL",
            "https://support.example.jp/#chat",
            "MAILMOVE_PUBLIC_URL='https://support.example.jp/#chat' must be the address"
            " alone, without a ?query or #fragment: the bot writes its links after it",
        ),
        # Accepted: the login-check links said …/mailmove/check/…, and the chat page, which
        # asks for /api/webchat/… at the host's root, did not work under the path.
        (
            "MAILMOVE_PUBLIC_URL",
            "https://support.example.jp/mailmove/",
            "MAILMOVE_PUBLIC_URL='https://support.example.jp/mailmove/' must be the address"
            " alone, without a path: mailmove is served at the root of its host (the chat page"
            " asks for /api/webchat/…); give it a host of its own, like"
            " https://support.example.jp",
        ),
        # Accepted: every link sent to subscribers carried the user and password, and the
        # start-up summary printed 'https://user:[address]/'.
        (
            "MAILMOVE_PUBLIC_URL",
            "https://staging:Kq7xyz99@support.example.jp",
            "MAILMOVE_PUBLIC_URL names a user or password before the host: every link the bot"
            " sends subscribers would carry it; give the address alone",
        ),
        # Accepted: the server started and every login-check link it sent subscribers
        # ('https://support.example.jp:99999/check/…') was one no browser opens. Read as
        # browsers read it (pydantic's HttpUrl), not by urlsplit, which reads no port
        # unless asked and no host at all.
        (
            "MAILMOVE_PUBLIC_URL",
            "https://support.example.jp:99999",
            "MAILMOVE_PUBLIC_URL='https://support.example.jp:99999' is not a valid URL:"
            " invalid port number (a port is 1-65535)",
        ),
        (
            "MAILMOVE_PUBLIC_URL",
            "https://support.example.jp:0/",
            "MAILMOVE_PUBLIC_URL='https://support.example.jp:0/' is not a valid URL:"
            " invalid port number (a port is 1-65535)",
        ),
        (
            "MAILMOVE_PUBLIC_URL",
            "https://:8443",
            "MAILMOVE_PUBLIC_URL='https://:8443' is not a valid URL: empty host",
        ),
        (
            "MAILMOVE_PUBLIC_URL",
            "http://192.0.2.300:8080",
            "MAILMOVE_PUBLIC_URL='http://192.0.2.300:8080' is not a valid URL:"
            " invalid IPv4 address",
        ),
        (
            "MAILMOVE_PUBLIC_URL",
            "https://support example.jp",
            "MAILMOVE_PUBLIC_URL='https://support example.jp' is not a valid URL: it holds a"
            " space, a line break or a control character",
        ),
        # The desk's URL may hold a token in its path or a password: not quoted.
        (
            "MAILMOVE_DESK_WEBHOOK_URL",
            "https://desk.example.jp:70000/hook/T0123/secret",
            "MAILMOVE_DESK_WEBHOOK_URL is not a valid URL: invalid port number (a port is 1-65535)",
        ),
        # Accepted as it was, no request ever carried it: every subscriber behind the proxy
        # counted as the proxy, one allowance for all.
        (
            "MAILMOVE_CLIENT_IP_HEADER",
            "X Forwarded",
            "MAILMOVE_CLIENT_IP_HEADER='X Forwarded' is not a header name (e.g. X-Forwarded-For)",
        ),
        (
            "MAILMOVE_CLIENT_IP_HEADER",
            "X-Forwarded-For:",
            "MAILMOVE_CLIENT_IP_HEADER='X-Forwarded-For:' is not a header name"
            " (e.g. X-Forwarded-For)",
        ),
        # Taken as the file '': "the conversation store is unavailable: : Is a directory".
        (
            "MAILMOVE_STORE",
            "sqlite:///",
            "MAILMOVE_STORE='sqlite:///' names no file: use sqlite:///var/mailmove.sqlite3"
            " (relative to the working folder) or sqlite:////srv/mailmove.sqlite3 (absolute)",
        ),
        # pydantic's own words named neither the value nor the form ("Input should be a
        # valid date or datetime, input is too short"), unlike --as-of and every other setting.
        (
            "MAILMOVE_AS_OF",
            "yesterday",
            "MAILMOVE_AS_OF='yesterday' is not a date like 2008-06-01",
        ),
        (
            "MAILMOVE_AS_OF",
            "2008-13-01",
            "MAILMOVE_AS_OF='2008-13-01' is not a date like 2008-06-01",
        ),
        # Read as seconds since 1970 (1212278400 previewed 2008-06-01, 86400 1970-01-02)
        # where --as-of refuses it: a preview of a day nobody wrote.
        (
            "MAILMOVE_AS_OF",
            "1212278400",
            "MAILMOVE_AS_OF='1212278400' is not a date like 2008-06-01",
        ),
        (
            "MAILMOVE_AS_OF",
            "2008-06-01T10:00",
            "MAILMOVE_AS_OF='2008-06-01T10:00' is not a date like 2008-06-01",
        ),
        # Accepted: before 09:00 in Tokyo its instant is 0000-12-31 in UTC, and `serve` ended
        # in an OverflowError's traceback (only at those hours); the last day likewise west
        # of Greenwich.
        (
            "MAILMOVE_AS_OF",
            "0001-01-01",
            "MAILMOVE_AS_OF='0001-01-01' must be from 0001-01-02 to 9999-12-30 (the first and"
            " last days are not whole days in every time zone)",
        ),
        (
            "MAILMOVE_AS_OF",
            "9999-12-31",
            "MAILMOVE_AS_OF='9999-12-31' must be from 0001-01-02 to 9999-12-30 (the first and"
            " last days are not whole days in every time zone)",
        ),
    ],
)
def test_a_bad_value_is_one_message_naming_its_variable(
    variable: str, value: str, message: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        Settings.from_env({variable: value})
    assert str(raised.value) == message


def test_a_public_url_read_from_a_file_loses_its_line_break() -> None:
    # urlsplit drops a line break, so the URL was taken, and every link the bot sent was
    # 'https://support.example.jp\n/check/…', cut where a chat shows the line break.
    settings = Settings.from_env({"MAILMOVE_PUBLIC_URL": "https://support.example.jp/\n"})
    assert settings.public_url == "https://support.example.jp"


def test_a_short_webhook_secret_is_refused_with_its_url() -> None:
    environ = {
        "MAILMOVE_DESK_WEBHOOK_URL": "https://desk.example.jp/hook",
        "MAILMOVE_DESK_WEBHOOK_SECRET": "short-secret",
    }
    with pytest.raises(ConfigError, match="needs MAILMOVE_DESK_WEBHOOK_SECRET"):
        Settings.from_env(environ)


def test_several_bad_values_are_named_on_one_line() -> None:
    with pytest.raises(ConfigError) as raised:
        Settings.from_env({"MAILMOVE_PORT": "abc", "MAILMOVE_CHECK_LIMIT": "0"})
    assert str(raised.value) == (
        "MAILMOVE_PORT='abc' is not a whole number; MAILMOVE_CHECK_LIMIT='0' must be positive"
    )


@pytest.mark.parametrize(
    "environ",
    [
        {"MAILMOVE_AGENT_TOKENS": "tiny-token"},
        {
            "MAILMOVE_DESK_WEBHOOK_URL": "https://desk.example.jp/hook",
            "MAILMOVE_DESK_WEBHOOK_SECRET": "tiny-secret",
        },
        # An incoming webhook's URL is its token; without its scheme it was quoted whole.
        {
            "MAILMOVE_DESK_WEBHOOK_URL": "hooks.example.com/services/T0/B0/tiny-token",
            "MAILMOVE_DESK_WEBHOOK_SECRET": "webhook-secret-0123456789",
        },
        {
            "MAILMOVE_DESK_WEBHOOK_URL": "ftp://hooks.example.com/tiny-token",
            "MAILMOVE_DESK_WEBHOOK_SECRET": "webhook-secret-0123456789",
        },
    ],
)
def test_no_message_quotes_a_secret(environ: dict[str, str]) -> None:
    with pytest.raises(ConfigError) as raised:
        Settings.from_env(environ)
    assert "tiny" not in str(raised.value)
    assert raised.value.__cause__ is None  # nor a chained pydantic error that quotes it


def test_overrides_win_unless_they_are_none() -> None:
    settings = Settings.from_env(EVERY_VARIABLE)
    overridden = settings.with_overrides(
        host="127.0.0.2", port=None, store_url="sqlite://:memory:", profile_path=Path("p.toml")
    )
    assert (overridden.host, overridden.port) == ("127.0.0.2", 9090)
    assert overridden.store_url == "sqlite://:memory:"
    assert overridden.profile_path == Path("p.toml")
    assert overridden.environ == settings.environ
    assert overridden.agent_tokens == settings.agent_tokens
    assert settings.host == "0.0.0.0"  # noqa: S104 - the original is untouched


def test_overrides_are_checked_like_variables() -> None:
    # The command line refuses its own --port first, naming the flag (test below).
    with pytest.raises(ConfigError, match=r"^MAILMOVE_PORT=0 must be a port number \(1-65535\)$"):
        Settings().with_overrides(port=0)
    with pytest.raises(ConfigError, match=r"^MAILMOVE_PORT=70000 must be a port number"):
        Settings().with_overrides(port=70000)
    with pytest.raises(ConfigError, match="MAILMOVE_AGENT_TOKENS"):
        Settings().with_overrides(agent_tokens=("short",))


def test_serve_prints_one_line_for_a_bad_variable() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "serve"],
        env={**os.environ, "MAILMOVE_PORT": "abc", "MAILMOVE_CHECK_LIMIT": "0"},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == (
        "mailmove: MAILMOVE_PORT='abc' is not a whole number;"
        " MAILMOVE_CHECK_LIMIT='0' must be positive\n"
    )


def test_a_bad_variable_is_refused_before_the_engine_is_imported() -> None:
    # Importing bot.cli imported the dialog engine, the channels and the web app first: about
    # 1.2 s of CPU before the one line, spent again at each restart of a replica looping on
    # a bad setting (measured 1.60 s median for the refused serve, 0.36 s without them).
    heavy = ("bot.engine", "bot.runtime", "bot.server", "dialogs.profile", "structlog")
    code = (
        "import sys; from bot.cli import main; status = main(['serve']);"
        f" print(status, [name for name in {heavy!r} if name in sys.modules])"
    )
    result = subprocess.run(  # noqa: S603 - our own code
        [sys.executable, "-c", code],
        env={**os.environ, "MAILMOVE_CHECK_TIMEOUT": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )
    assert result.stdout == "2 []\n"
    assert result.stderr.startswith("mailmove: MAILMOVE_CHECK_TIMEOUT='1' must be whole seconds")


@pytest.mark.parametrize(("value", "read"), [("console", "console"), (" JSON ", "json")])
def test_the_log_format_is_read_whatever_its_case(value: str, read: str) -> None:
    assert Settings.from_env({"MAILMOVE_LOG_FORMAT": value}).log_format == read


def test_an_unknown_log_format_names_the_variable_and_the_choices() -> None:
    with pytest.raises(
        ConfigError, match=r"MAILMOVE_LOG_FORMAT='pretty': use one of auto, console"
    ):
        Settings.from_env({"MAILMOVE_LOG_FORMAT": "pretty"})


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "MAILMOVE_RETENTON_DAYS",
            "MAILMOVE_RETENTON_DAYS is not a variable mailmove reads (MAILMOVE_RETENTION_DAYS?):"
            " it is ignored; correct its name, or unset it",
        ),
        (
            "MAILMOVE_PUBLICURL",
            "MAILMOVE_PUBLICURL is not a variable mailmove reads (MAILMOVE_PUBLIC_URL?):"
            " it is ignored; correct its name, or unset it",
        ),
        (
            "MAILMOVE_DEBUG",
            "MAILMOVE_DEBUG is not a variable mailmove reads: it is ignored; correct its name,"
            " or unset it",
        ),
    ],
)
def test_a_misspelt_variable_is_named_with_the_closest(name: str, message: str) -> None:
    # It was ignored: MAILMOVE_RETENTON_DAYS=30 served with the 90 days' default, keeping
    # transcripts two months longer than the operator had set, and nothing said so. It is
    # said (serve's start-up summary, the others' warning), not refused: a name another
    # release reads must not stop a replica in a rolling upgrade.
    settings = Settings.from_env({name: "30"})
    assert settings.unknown_variables() == (message,)
    assert settings.retention_days == 90


def test_what_kubernetes_adds_for_a_service_named_mailmove_is_no_misspelling() -> None:
    # A pod gets NAME_SERVICE_HOST, NAME_PORT_80_TCP… for each Service of its namespace
    # where service links are on (deployment.yaml turns them off; other manifests may not).
    links = {
        "MAILMOVE_SERVICE_HOST": "10.0.0.11",
        "MAILMOVE_SERVICE_PORT": "80",
        "MAILMOVE_SERVICE_PORT_HTTP": "80",
        "MAILMOVE_PORT_80_TCP": "tcp://10.0.0.11:80",
        "MAILMOVE_PORT_80_TCP_PROTO": "tcp",
        "MAILMOVE_PORT_80_TCP_PORT": "80",
        "MAILMOVE_PORT_80_TCP_ADDR": "10.0.0.11",
    }
    assert Settings.from_env(links).unknown_variables() == ()
    # A variable an older version read (compose demanded it before 0f2f819) is no misspelling.
    assert Settings.from_env({"MAILMOVE_SECRET": "k" * 32}).unknown_variables() == ()
    # An empty one is an unset one, as for the variables mailmove reads.
    assert Settings.from_env({"MAILMOVE_RETENTON_DAYS": ""}).unknown_variables() == ()


@pytest.mark.parametrize(
    ("host", "base_url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8080"),
        ("::1", "http://[::1]:8080"),
        ("fe80::1%eth0", "http://[fe80::1%25eth0]:8080"),
        ("mailmove.internal", "http://mailmove.internal:8080"),
    ],
)
def test_the_local_address_of_an_ipv6_host_is_a_url(host: str, base_url: str) -> None:
    # MAILMOVE_HOST=::1 without a public URL served the chat as 'http://::1:8080/' (the
    # start-up summary) and sent login-check links 'http://::1:8080/check/…', which no
    # browser opens: an IPv6 address goes in brackets (RFC 3986), a zone id escaped (RFC 6874).
    assert Settings.from_env({"MAILMOVE_HOST": host}).base_url == base_url


@pytest.mark.parametrize("port", ["0", "-1", "70000", "abc"])
def test_a_port_flag_out_of_range_is_refused_by_its_flag_with_the_range(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, port: str
) -> None:
    # `serve --port 0` said "MAILMOVE_PORT=0 must be positive": a variable not set, no range.
    monkeypatch.delenv("MAILMOVE_PORT", raising=False)
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--port", port])
    err = capsys.readouterr().err
    assert exited.value.code == 2
    assert f"argument --port: '{port}' must be a port number (1-65535)" in err
    assert "MAILMOVE_PORT" not in err
