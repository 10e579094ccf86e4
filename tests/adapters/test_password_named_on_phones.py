"""privacy4's passwords sent on LINE, Telegram and Slack, through the SDKs: none is stored.

A phone sends where the sentence pauses: 「パスワードは」 then 「孫の名前のはなこです」, 'my
password is' then 'purple monkey'; and 「パスワードは桜です」 under a photo of the screen (a
Telegram caption). Each was stored as typed before privacy4; the SQLite files are scanned.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.sqlite_store import SQLiteStore
from testbed.clock import IN_WINDOW
from testbed.disk import files_holding
from tests.adapters.channel_contract import AGENT_TOKEN, all_but
from tests.adapters.slack import test_channel as slack_tests
from tests.adapters.telegram import test_channel as telegram_tests
from tests.adapters.test_elderly_on_phones import Phone, phone
from tests.fakes.platform_api import running_fake

__all__ = ["phone"]

_PIECES = [
    (("パスワードは", "孫の名前のはなこです"), "はなこ"),
    (("my password is", "purple monkey"), "monkey"),
    (("パスワード", "はなこ77"), "はなこ77"),
    (("パスワードは桜です",), "桜"),
]


@pytest.fixture
async def slack(tmp_path: Path) -> AsyncIterator[Phone]:
    """A subscriber writing to the bot in Slack (its Events API), as `phone` is built."""
    contract = slack_tests.TestSlackChannel()
    async with running_fake() as fake:
        app = build_app(
            Settings(environ=contract.environ(fake.url), agent_tokens=(AGENT_TOKEN,)),
            clock=lambda: IN_WINDOW,
            store=SQLiteStore(tmp_path / "conversations.sqlite3"),
            exclude_channels=all_but(contract.channel),
        )
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
            ) as client,
        ):
            yield Phone(contract, client, app.state.runtime, fake)


@pytest.mark.parametrize(("pieces", "secret"), _PIECES)
async def test_a_password_sent_from_a_phone_is_not_stored(
    phone: Phone, tmp_path: Path, pieces: tuple[str, ...], secret: str
) -> None:
    await phone.type("こんにちは")
    for piece in pieces:
        await phone.type(piece)
    assert not files_holding(tmp_path, secret.encode())


# Only Telegram sends words with a photo.
@pytest.mark.parametrize("phone", ["telegram"], indirect=True)
async def test_a_password_in_a_photos_caption_is_not_stored(phone: Phone, tmp_path: Path) -> None:
    await phone.type("こんにちは")
    phone.n += 1
    update = telegram_tests.text_update("", phone.n)
    del update["message"]["text"]
    update["message"].update(
        photo=[{"file_id": "AgACAgUAAxk", "file_unique_id": "AQAD", "width": 90, "height": 60}],
        caption="パスワードは桜です。これが出ます",
    )
    await phone._send(telegram_tests.webhook_request(update))
    assert not files_holding(tmp_path, "桜".encode())


@pytest.mark.parametrize(("pieces", "secret"), _PIECES)
async def test_a_password_sent_in_slack_is_not_stored(
    slack: Phone, tmp_path: Path, pieces: tuple[str, ...], secret: str
) -> None:
    await slack.type("こんにちは")
    for piece in pieces:
        await slack.type(piece)
    assert not files_holding(tmp_path, secret.encode())
