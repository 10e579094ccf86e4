"""What switches Chatwoot on, and what stops start-up: a guessable token, a bad account."""

from __future__ import annotations

import pytest

from adapters.chatwoot import config as chatwoot
from bot.ops.settings import ConfigError
from tests.fakes.chatwoot_api import ACCOUNT, API_TOKEN, DESK_IDENTIFIER

WEBHOOK_TOKEN = "cw-webhook-0123456789abcdef"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"WEBHOOK_TOKEN": "short"}, "CHATWOOT_WEBHOOK_TOKEN"),
        ({"ACCOUNT_ID": "seven"}, "CHATWOOT_ACCOUNT_ID"),
        ({"INBOX_IDS": "3,sales"}, "CHATWOOT_INBOX_IDS"),
    ],
)
def test_a_weak_webhook_token_or_a_bad_account_stops_start_up(
    change: dict[str, str], expected: str
) -> None:
    environ = {
        "CHATWOOT_URL": "https://chatwoot.example",
        "CHATWOOT_API_TOKEN": API_TOKEN,
        "CHATWOOT_ACCOUNT_ID": ACCOUNT,
        "CHATWOOT_WEBHOOK_TOKEN": WEBHOOK_TOKEN,
    }
    environ.update({f"CHATWOOT_{k}": v for k, v in change.items()})
    with pytest.raises(ConfigError, match=expected):
        chatwoot.ChatwootConfig.from_environ(environ)


def test_the_inboxes_are_read_as_a_set_of_ids() -> None:
    config = chatwoot.ChatwootConfig.from_environ(
        {
            "CHATWOOT_URL": "https://chatwoot.example",
            "CHATWOOT_API_TOKEN": API_TOKEN,
            "CHATWOOT_ACCOUNT_ID": ACCOUNT,
            "CHATWOOT_WEBHOOK_TOKEN": WEBHOOK_TOKEN,
            "CHATWOOT_INBOX_IDS": " 3, 12 ,",
        }
    )
    assert config is not None
    assert config.inbox_ids == frozenset({"3", "12"})


@pytest.mark.parametrize(
    ("identifier", "expected"),
    [
        ("", "CHATWOOT_DESK_INBOX_ID is set but CHATWOOT_DESK_INBOX_IDENTIFIER is not"),
        ("https://chatwoot.example/public/api/v1/inboxes/x", "CHATWOOT_DESK_INBOX_IDENTIFIER"),
    ],
)
def test_the_desk_inbox_without_its_identifier_stops_start_up_in_one_line(
    identifier: str, expected: str
) -> None:
    # An agent bot's token may not create contacts (BOT_ACCESSIBLE_ENDPOINTS): the mirror
    # creates them through the inbox's public Client API, which its identifier names.
    environ = {
        "CHATWOOT_URL": "https://chatwoot.example",
        "CHATWOOT_API_TOKEN": API_TOKEN,
        "CHATWOOT_ACCOUNT_ID": ACCOUNT,
        "CHATWOOT_WEBHOOK_TOKEN": WEBHOOK_TOKEN,
        "CHATWOOT_DESK_INBOX_ID": "9",
        "CHATWOOT_DESK_INBOX_IDENTIFIER": identifier,
    }
    with pytest.raises(ConfigError, match=expected) as refused:
        chatwoot.ChatwootConfig.from_environ(environ)
    assert "\n" not in str(refused.value)


def test_the_desk_inbox_with_its_identifier_starts() -> None:
    config = chatwoot.ChatwootConfig.from_environ(
        {
            "CHATWOOT_URL": "https://chatwoot.example",
            "CHATWOOT_API_TOKEN": API_TOKEN,
            "CHATWOOT_ACCOUNT_ID": ACCOUNT,
            "CHATWOOT_WEBHOOK_TOKEN": WEBHOOK_TOKEN,
            "CHATWOOT_DESK_INBOX_ID": "9",
            "CHATWOOT_DESK_INBOX_IDENTIFIER": DESK_IDENTIFIER,
        }
    )
    assert config is not None
    assert (config.desk_inbox_id, config.desk_inbox_identifier) == ("9", DESK_IDENTIFIER)
    # No secret in a repr (a traceback's locals, a debugger, a log line of the config).
    for secret in (DESK_IDENTIFIER, API_TOKEN, WEBHOOK_TOKEN):
        assert secret not in repr(config)


@pytest.mark.parametrize(
    "missing",
    [
        ("CHATWOOT_URL",),
        ("CHATWOOT_WEBHOOK_TOKEN",),
        ("CHATWOOT_API_TOKEN", "CHATWOOT_ACCOUNT_ID"),
    ],
)
def test_part_of_the_four_variables_is_refused(missing: tuple[str, ...]) -> None:
    # Taken as "Chatwoot off": nothing said which variable was missing, and the inbox's
    # subscribers and agents were never answered.
    environ = {
        "CHATWOOT_URL": "https://chatwoot.example",
        "CHATWOOT_API_TOKEN": API_TOKEN,
        "CHATWOOT_ACCOUNT_ID": ACCOUNT,
        "CHATWOOT_WEBHOOK_TOKEN": WEBHOOK_TOKEN,
    }
    for name in missing:
        environ[name] = ""
    with pytest.raises(ConfigError) as raised:
        chatwoot.ChatwootConfig.from_environ(environ)
    assert str(raised.value) == (
        f"Chatwoot is half set: {', '.join(missing)} "
        f"{'is' if len(missing) == 1 else 'are'} missing (Chatwoot needs CHATWOOT_URL,"
        " CHATWOOT_API_TOKEN, CHATWOOT_ACCOUNT_ID and CHATWOOT_WEBHOOK_TOKEN): set "
        f"{'it' if len(missing) == 1 else 'them'}, or leave all four out"
    )
    assert API_TOKEN not in str(raised.value)
    assert WEBHOOK_TOKEN not in str(raised.value)
