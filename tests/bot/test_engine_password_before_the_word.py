"""A password typed before the word, or as a login's pair, is stored masked (subscriber19).

'is hanako77 the right password?' (the word after the token, asked), 「はなこがパスワードです」
(kana alone before the word) and 'taro: 1a2b3c' (a login and a password that starts with a
digit, before the address is known) were stored as typed. The SQLite files are scanned.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine
from bot.store.sqlite_store import SQLiteStore
from testbed.disk import files_holding
from tests.bot.engine_turns import KEY, typed


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("is hanako77 the right password?", "hanako77"),
        ("is 77hanako my password", "77hanako"),
        ("はなこがパスワードです", "はなこ"),
        ("「さくら」ってパスワードでした", "さくら"),
        ("taro: 1a2b3c", "1a2b3c"),
        ("taro / 77hanako", "77hanako"),
        ("taro 77hanako", "77hanako"),
        ("taro@vp.117.ne.jp 77hanako", "77hanako"),
    ],
)
async def test_the_password_is_stored_masked(
    engine: Engine, store: SQLiteStore, tmp_path: Path, text: str, secret: str
) -> None:
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(typed("e2", text))
    lines = await store.transcript(KEY)
    stored = [line.text for line in lines if line.author == "subscriber"][-1]
    assert stored == text.replace(secret, "********")
    await store.close()
    assert not files_holding(tmp_path, secret.encode())
    await store.open()


@pytest.mark.parametrize(
    "text",
    [
        "is this the right password?",
        "is webmail the password?",
        "これがパスワードです",
        "ひらがながパスワードです",
        "メールアドレスがパスワードです",
        "いつものがパスワードです",
        "taro: 800CCC0F",
        "taro: 1920x1080",
        "office: 365solo",
        "ios: 17beta",
        "taro: 123456",
        "office 2019pro",
    ],
)
async def test_words_said_of_a_password_stay(engine: Engine, store: SQLiteStore, text: str) -> None:
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(typed("e2", text))
    lines = await store.transcript(KEY)
    assert [line.text for line in lines if line.author == "subscriber"][-1] == text
