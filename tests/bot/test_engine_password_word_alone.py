"""「パスワード」 sent alone, then the password on the next line: the password is stored masked.

On LINE and phones a subscriber sends the word as a message of its own and the password as
the next one. Only a word with a particle or colon after it (「パスワードは」) named the next
message as the password, so 「Kq7xyz99」 and 「ひまわり」 sent after 「パスワード」 were kept as
typed in the transcript (and 「ひまわり」 in the dialog's unfinished sentence too).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine
from bot.store.sqlite_store import SQLiteStore
from testbed.disk import files_holding
from tests.bot.engine_turns import KEY, typed


@pytest.mark.parametrize(
    ("word", "secret"),
    [
        ("パスワード", "Kq7xyz99"),
        ("パスワード", "ひまわり"),
        ("暗証番号", "sakura2008"),
        ("password", "Tt4sdfgh9"),
    ],
)
async def test_the_password_after_the_word_alone_is_stored_masked(
    engine: Engine, store: SQLiteStore, tmp_path: Path, word: str, secret: str
) -> None:
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(typed("e2", word))
    await engine.handle(typed("e3", secret))
    lines = await store.transcript(KEY)
    assert [line.text for line in lines if line.author == "subscriber"][-1] == "********"
    await store.close()
    assert not files_holding(tmp_path, secret.encode())
    await store.open()


async def test_an_answer_after_the_word_alone_stays(engine: Engine, store: SQLiteStore) -> None:
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(typed("e2", "パスワード"))
    await engine.handle(typed("e3", "わすれました"))
    lines = await store.transcript(KEY)
    assert [line.text for line in lines if line.author == "subscriber"][-1] == "わすれました"
