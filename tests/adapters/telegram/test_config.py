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


def test_polling_needs_no_secret_and_the_bot_id_is_the_tokens_first_part() -> None:
    assert TelegramConfig.from_environ({"TELEGRAM_BOT_TOKEN": TOKEN}) is None
    config = TelegramConfig.from_environ({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_POLLING": "yes"})
    assert config is not None
    assert (config.polling, config.webhook_secret) == (True, None)
    assert config.bot_id == "7000000001"
