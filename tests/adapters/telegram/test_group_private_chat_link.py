"""In a group the bot's 「個別のチャットでお話しください」 carries a button that opens that chat.

Told to talk privately, a member of a family group (often the one least at ease with the
app) had to find the bot's private chat alone: its name, the search, the Start button.
Telegram opens a bot's private chat from a `t.me/<bot>` link, its Start button waiting: the
line now carries one button that opens it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from dialogs.vocabulary import Locale
from tests.adapters.channel_contract import Harness
from tests.adapters.telegram import test_channel
from tests.adapters.telegram.test_channel import text_update, webhook_request
from tests.fakes.platform_api import running_fake

SUITE = test_channel.TestTelegramChannel()
GROUP = {"id": -1001234567890, "title": "家族", "type": "group"}


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with running_fake() as fake, SUITE.running(fake, tmp_path, SUITE.settings(fake.url)) as h:
        yield h


@pytest.mark.parametrize("language", ["ja", "en"])
async def test_the_groups_answer_has_a_button_to_the_private_chat(
    harness: Harness, language: Locale
) -> None:
    asked = text_update("/start", 90, language=language)
    asked["message"]["chat"] = GROUP
    assert (await harness.post(webhook_request(asked))).status_code == 200
    await harness.runtime.tasks.idle()
    [sent] = harness.fake.calls_to("telegram", "sendMessage")
    assert sent.params["text"] == harness.runtime.catalogs(language, "telegram.private_only")
    [[button]] = json.loads(sent.params["reply_markup"])["inline_keyboard"]
    assert button == {
        "text": harness.runtime.catalogs(language, "telegram.open_private_chat"),
        # The fake's getMe names the bot mailmove_bot.
        "url": "https://t.me/mailmove_bot?start=group",
    }


async def test_the_private_chat_opened_from_it_is_greeted(harness: Harness) -> None:
    # Its Start button sends 「/start group」: a start, as /start alone is.
    started = text_update("/start group", 91)
    assert (await harness.post(webhook_request(started))).status_code == 200
    await harness.runtime.tasks.idle()
    said = [str(c.params["text"]) for c in harness.fake.calls_to("telegram", "sendMessage")]
    assert said
    assert said[0].startswith("こんにちは"), said
