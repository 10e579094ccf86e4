"""What switches Telegram on: a token, and a webhook secret Telegram accepts or polling."""

from __future__ import annotations

import pytest

from adapters.telegram.config import TelegramConfig
from bot.ops.settings import ConfigError

TOKEN = "7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.mark.parametrize("secret", ["has space", "x" * 257, "日本語"])
def test_an_unusable_webhook_secret_is_a_configuration_error(secret: str) -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET"):
        TelegramConfig.from_environ(
            {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": secret}
        )


@pytest.mark.parametrize("polling", ["1", "yes", "True", "on", " ON "])
def test_polling_needs_no_secret_and_the_bot_id_is_the_tokens_first_part(polling: str) -> None:
    assert TelegramConfig.from_environ({}) is None
    config = TelegramConfig.from_environ({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_POLLING": polling})
    assert config is not None
    assert (config.polling, config.webhook_secret) == (True, None)
    assert config.bot_id == "7000000001"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"TELEGRAM_BOT_TOKEN": TOKEN},
            "TELEGRAM_BOT_TOKEN is set without TELEGRAM_WEBHOOK_SECRET (or TELEGRAM_POLLING=1"
            " for long polling): set one of them, or leave the token out",
        ),
        (
            {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_POLLING": "enabled"},
            "TELEGRAM_POLLING='enabled' is not one of 1, true, yes, on; TELEGRAM_BOT_TOKEN is set"
            " without TELEGRAM_WEBHOOK_SECRET (or TELEGRAM_POLLING=1 for long polling): set"
            " one of them, or leave the token out",
        ),
        (
            {"TELEGRAM_WEBHOOK_SECRET": "a-webhook-secret"},
            "TELEGRAM_WEBHOOK_SECRET is set without TELEGRAM_BOT_TOKEN: set the token too,"
            " or leave both out",
        ),
    ],
)
def test_half_a_telegram_configuration_is_refused(environ: dict[str, str], message: str) -> None:
    # Taken as "Telegram off": the operator who set the token saw `channels webchat` in the
    # summary at best, and Telegram's subscribers were never answered.
    with pytest.raises(ConfigError) as raised:
        TelegramConfig.from_environ(environ)
    assert str(raised.value) == message
    assert TOKEN not in str(raised.value)
