"""A password sent on its own after the message that named it, through the engine (privacy4).

'my password is' then 'purple monkey' (words of letters alone), 「パスワードは」 then
「孫の名前のはなこです」 (the password after what it is), 'password: see below' then
'Kq7xyz99' (announced so) were stored as typed. The SQLite files are scanned for them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine
from bot.store.sqlite_store import SQLiteStore
from testbed.disk import files_holding
from tests.bot.engine_turns import KEY, typed


@pytest.mark.parametrize(
    ("pieces", "secrets"),
    [
        (("my password is", "purple monkey"), ("purple monkey", "monkey")),
        (("password:", "it's hunter two"), ("hunter two",)),
        (("パスワードは", "孫の名前のはなこです"), ("はなこ",)),
        (("password: see below", "Kq7xyz99"), ("Kq7xyz99",)),
    ],
)
async def test_the_password_sent_after_the_word_is_stored_masked(
    engine: Engine,
    store: SQLiteStore,
    tmp_path: Path,
    pieces: tuple[str, ...],
    secrets: tuple[str, ...],
) -> None:
    await engine.handle(typed("e0", "こんにちは"))
    for number, piece in enumerate(pieces, start=1):
        await engine.handle(typed(f"e{number}", piece))
    lines = await store.transcript(KEY)
    said = [line.text for line in lines if line.author == "subscriber"]
    assert "********" in said[-1]
    assert said[1:-1] == list(pieces[:-1])
    await store.close()
    for secret in secrets:
        assert not files_holding(tmp_path, secret.encode())
    await store.open()


async def test_an_answer_in_words_after_the_word_stays(engine: Engine, store: SQLiteStore) -> None:
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(typed("e2", "my password is"))
    await engine.handle(typed("e3", "not working"))
    lines = await store.transcript(KEY)
    assert [line.text for line in lines if line.author == "subscriber"][-1] == "not working"
