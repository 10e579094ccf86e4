"""privacy4's passwords sent on LINE and Telegram, through the SDKs: none reaches the store.

A phone sends where the sentence pauses: 「パスワードは」 then 「孫の名前のはなこです」, 'my
password is' then 'purple monkey'; and 「パスワードは桜です」 under a photo of the screen (a
Telegram caption). Each was stored as typed before privacy4; the SQLite files are scanned.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from testbed.disk import files_holding
from tests.adapters.telegram import test_channel as telegram_tests
from tests.adapters.test_elderly_on_phones import Phone, phone

__all__ = ["phone"]


@pytest.mark.parametrize(
    ("pieces", "secret"),
    [
        (("パスワードは", "孫の名前のはなこです"), "はなこ"),
        (("my password is", "purple monkey"), "monkey"),
        (("パスワード", "はなこ77"), "はなこ77"),
        (("パスワードは桜です",), "桜"),
    ],
)
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
